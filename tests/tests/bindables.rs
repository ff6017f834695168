//! Bindables through the generated API: `ServerBindables` (`RoundStarted`,
//! `Score`) and `ClientBindables` (`SettingsChanged`, `Validate`).

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{quiet_panics, Log};
use tether_runtime::types::{InstanceId, Ref};
use tether_runtime::{InvokeError, DEFAULT_TIMEOUT};
use tether_tests::game::{ClientBindables, Dialogue, ServerBindables};

fn dialogue() -> Dialogue {
    Dialogue {
        line: "Ready?".into(),
        choices: vec![
            Dialogue {
                line: "Yes".into(),
                choices: Vec::new(),
            },
            Dialogue {
                line: "No".into(),
                choices: Vec::new(),
            },
        ],
    }
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

#[test]
fn fire_only_queues_and_handlers_run_on_poll() {
    let bindables = ServerBindables::new();
    let round_started = bindables.round_started.clone();
    let rounds = Log::default();
    let seen = rounds.clone();
    bindables
        .round_started
        .connect(move |round, arena, on_end| {
            seen.push((round, arena));
            // Firing from a handler does not block either: it runs at the
            // next poll.
            if round == 1 {
                round_started.fire(2, None, on_end);
            }
        });
    let noop: Arc<dyn Fn() + Send + Sync> = Arc::new(|| {});
    bindables
        .round_started
        .fire(1, Some(Ref::new(InstanceId(9))), noop);
    assert!(rounds.is_empty(), "fire runs no handler");
    assert_eq!(bindables.round_started.queued(), 1);

    bindables.round_started.poll();
    assert_eq!(rounds.take(), [(1, Some(Ref::new(InstanceId(9))))]);
    assert_eq!(bindables.round_started.queued(), 1);
    bindables.round_started.poll();
    assert_eq!(rounds.take(), [(2, None)]);
    assert_eq!(bindables.round_started.queued(), 0);
}

#[test]
fn a_fire_with_no_handler_at_poll_is_dropped() {
    let bindables = ClientBindables::new();
    bindables.settings_changed.fire(0.5, dialogue());
    bindables.settings_changed.poll();
    let log = Log::default();
    let seen = log.clone();
    bindables
        .settings_changed
        .connect(move |volume, _| seen.push(volume));
    bindables.settings_changed.poll();
    assert!(log.is_empty());
    bindables.settings_changed.fire(0.25, dialogue());
    bindables.settings_changed.poll();
    assert_eq!(log.take(), [0.25]);
}

#[test]
fn a_disconnected_handler_runs_no_more() {
    let bindables = ServerBindables::new();
    let rounds = Log::default();
    let seen = rounds.clone();
    let connection = bindables
        .round_started
        .connect(move |round, _, _| seen.push(round));
    let noop: Arc<dyn Fn() + Send + Sync> = Arc::new(|| {});
    bindables.round_started.fire(1, None, noop.clone());
    bindables.round_started.poll();
    assert_eq!(rounds.take(), [1]);
    bindables.round_started.fire(2, None, noop);
    assert!(connection.is_connected());
    connection.disconnect();
    bindables.round_started.poll();
    assert!(rounds.is_empty());
}

#[test]
fn the_function_value_passed_through_round_started_can_be_called() {
    let bindables = ServerBindables::new();
    let ended = Arc::new(AtomicU32::new(0));
    bindables.round_started.connect(|round, _, on_end| {
        for _ in 0..round {
            on_end();
        }
    });
    let counter = ended.clone();
    let on_end: Arc<dyn Fn() + Send + Sync> = Arc::new(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    bindables.round_started.fire(3, None, on_end);
    assert_eq!(ended.load(Ordering::SeqCst), 0);
    bindables.round_started.poll();
    assert_eq!(ended.load(Ordering::SeqCst), 3);
}

#[test]
fn a_panicking_handler_does_not_stop_the_others() {
    quiet_panics();
    let bindables = ClientBindables::new();
    let settings = &bindables.settings_changed;
    let before = Log::default();
    let seen = before.clone();
    settings.connect(move |volume, _| seen.push(volume));
    settings.connect(|_, _| panic!("on purpose: a handler panics"));
    let after = Log::default();
    let seen = after.clone();
    settings.connect(move |volume, _| seen.push(volume));

    settings.fire(0.1, dialogue());
    settings.fire(0.9, dialogue());
    settings.poll();
    assert_eq!(before.take(), [0.1, 0.9]);
    assert_eq!(after.take(), [0.1, 0.9]);
    assert_eq!(settings.panics(), 2);
}

#[test]
fn each_handler_gets_its_own_copy_of_the_arguments() {
    let bindables = ClientBindables::new();
    let settings = &bindables.settings_changed;
    let logs: [Log<Dialogue>; 3] = Default::default();
    let seen = logs[0].clone();
    settings.connect(move |_, mut dialogue| {
        dialogue.choices.clear();
        dialogue.line.push_str(" (edited)");
        seen.push(dialogue);
    });
    for log in &logs[1..] {
        let seen = log.clone();
        settings.connect(move |_, dialogue| seen.push(dialogue));
    }
    settings.fire(1.0, dialogue());
    settings.poll();
    let edited = logs[0].take();
    assert_eq!(edited[0].line, "Ready? (edited)");
    assert!(edited[0].choices.is_empty());
    assert_eq!(logs[1].take(), [dialogue()]);
    assert_eq!(logs[2].take(), [dialogue()]);
}

#[test]
fn invoke_waits_for_a_callback_and_runs_at_the_next_poll() {
    let bindables = ServerBindables::new();
    let score = &bindables.score;
    let weights = HashMap::from([("kills".to_owned(), 2.0), ("assists".to_owned(), 0.5)]);
    let mut call = score.invoke(Some(Ref::new(InstanceId(1))), weights.clone());
    score.poll(secs(1.0));
    assert!(call.try_result().is_none());
    assert_eq!(score.waiting(), 1);

    score.set_callback(|player, weights| {
        weights.values().sum::<f64>() + player.map_or(0.0, |p| p.id().0 as f64)
    });
    assert!(call.try_result().is_none(), "it runs at the next poll");
    score.poll(secs(2.0));
    assert_eq!(call.try_result(), Some(Ok(3.5)));
    assert_eq!(score.waiting(), 0);

    // With a callback set, a call runs at once.
    let mut now = score.invoke(None, weights);
    assert_eq!(now.try_result(), Some(Ok(2.5)));
}

/// Without a `@timeout`, a call waits for a callback as long as it takes,
/// as a Roblox BindableFunction's does, and runs once one is set.
#[test]
fn invoke_waits_for_a_callback_without_a_timeout() {
    let bindables = ClientBindables::new();
    let validate = &bindables.validate;
    validate.poll(secs(10.0));
    let mut call = validate.invoke(b"hello".to_vec(), Arc::new(|_| true));
    validate.poll(secs(10.0) + DEFAULT_TIMEOUT * 100);
    assert!(call.try_result().is_none(), "still waiting");
    assert_eq!(validate.waiting(), 1);
    validate.set_callback(|text, check| assert!(check(String::from_utf8_lossy(&text).into())));
    validate.poll(secs(10.0) + DEFAULT_TIMEOUT * 100);
    assert_eq!(call.try_result(), Some(Ok(())));
}

/// With `@timeout(1s)`, a call nobody answers fails after a second,
/// counted from the latest poll.
#[test]
fn invoke_times_out_after_the_schemas_timeout() {
    let bindables = tether_tests::mirror::ClientBindables::new();
    let validate = &bindables.validate;
    validate.poll(secs(10.0));
    let mut call = validate.invoke("hello".into(), Arc::new(|_| true));
    validate.poll(secs(10.999));
    assert!(call.try_result().is_none());
    validate.poll(secs(11.0));
    assert_eq!(call.try_result(), Some(Err(InvokeError::Timeout)));
    assert_eq!(validate.waiting(), 0);
}

/// The side's `bindables()` are attached to its runtime: the one `poll` a
/// game calls runs them, remotes and bindables alike.
#[test]
fn one_poll_runs_the_sides_bindables() {
    let server = tether_tests::game::Server::new();
    let started = Log::default();
    let seen = started.clone();
    let _connection = server
        .bindables()
        .round_started
        .connect(move |round, _, _| seen.push(round));
    // Another handle to the same bindables.
    let again = server.clone();
    again
        .bindables()
        .round_started
        .fire(3, Some(Ref::new(InstanceId(1))), Arc::new(|| {}));
    assert!(started.is_empty(), "fire queues");
    server.runtime().poll(Duration::ZERO);
    assert_eq!(started.take(), [3]);

    // A call that waits for a callback runs at the runtime's poll too.
    let mut call = server
        .bindables()
        .score
        .invoke(None, HashMap::from([("kills".to_owned(), 2.0)]));
    assert!(call.try_result().is_none());
    server
        .bindables()
        .score
        .set_callback(|_, weights| weights.values().sum());
    server.runtime().poll(Duration::ZERO);
    assert_eq!(call.try_result(), Some(Ok(2.0)));
}

#[test]
fn a_call_from_inside_the_callback_waits_for_the_next_poll() {
    let bindables = ServerBindables::new();
    let score = bindables.score.clone();
    let inner = Log::default();
    let slot = inner.clone();
    bindables.score.set_callback(move |player, weights| {
        if player.is_some() {
            // Re-entrant: queued rather than run (or deadlocked) now.
            let mut call = score.invoke(None, weights.clone());
            assert!(call.try_result().is_none());
            slot.push(Arc::new(std::sync::Mutex::new(call)));
        }
        weights.len() as f64
    });
    let weights = HashMap::from([("kills".to_owned(), 1.0)]);
    let mut outer = bindables
        .score
        .invoke(Some(Ref::new(InstanceId(1))), weights);
    assert_eq!(outer.try_result(), Some(Ok(1.0)));
    assert_eq!(bindables.score.waiting(), 1);
    bindables.score.poll(Duration::ZERO);
    let inner = inner.take();
    assert_eq!(inner[0].lock().unwrap().try_result(), Some(Ok(1.0)));
}

#[test]
fn only_the_last_callback_runs() {
    let bindables = ServerBindables::new();
    let first = Arc::new(AtomicU32::new(0));
    let counter = first.clone();
    bindables.score.set_callback(move |_, _| {
        counter.fetch_add(1, Ordering::SeqCst);
        1.0
    });
    bindables.score.set_callback(|_, _| 2.0);
    let mut call = bindables.score.invoke(None, HashMap::new());
    assert_eq!(call.try_result(), Some(Ok(2.0)));
    assert_eq!(first.load(Ordering::SeqCst), 0);
}

#[test]
fn a_callback_returning_unit_gives_unit_and_can_call_its_function_argument() {
    let bindables = ClientBindables::new();
    let checked = Log::default();
    let seen = checked.clone();
    bindables.validate.set_callback(move |text, check| {
        let text = String::from_utf8(text).expect("utf-8");
        seen.push((text.clone(), check(text)));
    });
    let is_short: Arc<dyn Fn(String) -> bool + Send + Sync> = Arc::new(|text| text.len() <= 3);
    let mut short = bindables.validate.invoke(b"abc".to_vec(), is_short.clone());
    let mut long = bindables.validate.invoke(b"abcd".to_vec(), is_short);
    assert_eq!(short.try_result(), Some(Ok(())));
    assert_eq!(long.try_result(), Some(Ok(())));
    assert_eq!(
        checked.take(),
        [("abc".to_owned(), true), ("abcd".to_owned(), false)]
    );
}

#[test]
fn a_panicking_callback_fails_its_call_only() {
    quiet_panics();
    let bindables = ServerBindables::new();
    bindables.score.set_callback(|_, weights| {
        if weights.is_empty() {
            panic!("on purpose: no weights");
        }
        weights.len() as f64
    });
    let mut bad = bindables.score.invoke(None, HashMap::new());
    assert_eq!(bad.try_result(), Some(Err(InvokeError::Panicked)));
    let mut good = bindables
        .score
        .invoke(None, HashMap::from([("kills".to_owned(), 1.0)]));
    assert_eq!(good.try_result(), Some(Ok(1.0)));
}
