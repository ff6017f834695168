//! CPU per message of the generated Luau in the mock Roblox engine's VMs
//! (`tether-roblox-mock`: mlua's Luau, one server VM and one client VM), for
//! Chat, Move, 100 entities and 1,000 booleans of `schemas/payloads.tether`,
//! Tether against the Zap-style re-creation in `luau/zap_style/` (written
//! from what Zap 0.6.29 generates; not Zap's own output).
//!
//! Run with `cargo bench -p tether-bench --bench luau`. Benchmark ids are
//! `<group>/<payload>/<system>`, each iteration being one batch of N
//! messages (criterion's throughput is N), the groups:
//!
//! - `loop`: the whole loop. The sending VM fires N messages through its
//!   public API, then the place steps: on Heartbeat the batch is flushed as
//!   one frame (Move: each message is a datagram of its own, sent at once),
//!   the mock delivers it to the other VM at the next step, which decodes it
//!   and runs the one connected handler per message;
//! - `nocodec`: the same loop with the codec taken out: each message is a
//!   copy of that system's prebuilt bytes, batched and flushed the same way
//!   through a RemoteEvent (Move: an UnreliableRemoteEvent), and counted on
//!   arrival without being read;
//! - `send`: the N calls of the public API alone (encoding, and appending to
//!   the batch or sending the datagram), no step timed;
//! - `decode`: the receiving VM decoding a frame of N messages (Move: N
//!   datagrams) with no handler run and no network;
//! - `receive`: the same with the handler run for each message, as the
//!   remote's receiver does.
//!
//! The last lines print the table of microseconds per message, read back
//! from criterion's `estimates.json` of this run.

#[path = "../luau/harness.rs"]
mod harness;

use std::time::{Duration, Instant, SystemTime};

use criterion::{BenchmarkId, Criterion, Throughput};
use harness::{tether_bench_modules, Bench, Payload, System, DT};
use tether_roblox_mock::mlua::Function;

const GROUPS: [&str; 5] = ["loop", "nocodec", "send", "decode", "receive"];
const SYSTEMS: [System; 2] = [System::Tether, System::ZapStyle];

fn id(payload: Payload, system: System) -> BenchmarkId {
    BenchmarkId::new(payload.name(), system.name())
}

/// Times `iters` batches of `fire(n)` each followed by a step.
fn time_loop(bench: &mut Bench, fire: &Function, n: usize, iters: u64) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        bench.cycle(fire, n).expect("a step of the loop");
    }
    start.elapsed()
}

fn bench_loops(c: &mut Criterion, places: &mut [Bench; 2], raw: &mut Bench) {
    // Each system's one-message frame: the bytes the codec-free loop copies.
    let mut messages = Vec::new();
    for bench in places.iter_mut() {
        for payload in Payload::TIMED {
            let frames = bench.capture(payload, 1).expect("a frame");
            messages.push((bench.system, payload, frames[0].clone()));
        }
    }

    let mut group = c.benchmark_group("loop");
    for payload in Payload::TIMED {
        let n = payload.batch();
        group.throughput(Throughput::Elements(n as u64));
        for bench in places.iter_mut() {
            bench.verify(payload).expect("every message handled");
            let fire = bench.fire(payload).expect("a fire function");
            group.bench_function(id(payload, bench.system), |b| {
                b.iter_custom(|iters| time_loop(bench, &fire, n, iters))
            });
            bench.assert_clean();
        }
    }
    group.finish();

    let mut group = c.benchmark_group("nocodec");
    for payload in Payload::TIMED {
        let n = payload.batch();
        group.throughput(Throughput::Elements(n as u64));
        for (system, _, bytes) in messages.iter().filter(|(_, p, _)| *p == payload) {
            raw.set_message(payload, bytes).expect("the message is set");
            raw.verify(payload).expect("every message counted");
            let fire = raw.fire(payload).expect("a fire function");
            group.bench_function(id(payload, *system), |b| {
                b.iter_custom(|iters| time_loop(raw, &fire, n, iters))
            });
            raw.assert_clean();
        }
    }
    group.finish();
}

fn bench_parts(c: &mut Criterion, places: &mut [Bench; 2]) {
    let mut group = c.benchmark_group("send");
    for payload in Payload::TIMED {
        let n = payload.batch();
        group.throughput(Throughput::Elements(n as u64));
        for bench in places.iter_mut() {
            let fire = bench.fire(payload).expect("a fire function");
            group.bench_function(id(payload, bench.system), |b| {
                b.iter_custom(|iters| {
                    let mut timed = Duration::ZERO;
                    for _ in 0..iters {
                        let start = Instant::now();
                        fire.call::<()>(n).expect("the messages are sent");
                        timed += start.elapsed();
                        // Untimed: flush, deliver and decode, so that
                        // batches do not pile up.
                        bench.place.step_n(2, DT).expect("a step");
                    }
                    timed
                })
            });
            bench.assert_clean();
        }
    }
    group.finish();

    for (name, handlers) in [("decode", false), ("receive", true)] {
        let mut group = c.benchmark_group(name);
        for payload in Payload::TIMED {
            let n = payload.batch();
            group.throughput(Throughput::Elements(n as u64));
            for bench in places.iter_mut() {
                // A frame of N messages, or one datagram decoded N times.
                let (frame, times) = if payload.unreliable() {
                    (bench.capture(payload, 1).expect("a datagram").remove(0), n)
                } else {
                    let frames = bench.capture(payload, n).expect("a frame");
                    assert_eq!(frames.len(), 1, "a batch is one frame");
                    (frames.into_iter().next().expect("one frame"), 1)
                };
                let Some(run) = bench
                    .decoding(payload, &frame, times, handlers)
                    .expect("a decoding closure")
                else {
                    println!(
                        "{name}/{}/{}: skipped, tether.luau's internals are not exported",
                        payload.name(),
                        bench.system.name()
                    );
                    continue;
                };
                group.bench_function(id(payload, bench.system), |b| {
                    b.iter(|| run.call::<()>(()).expect("the frame decodes"))
                });
                bench.assert_clean();
            }
        }
        group.finish();
    }
}

/// Microseconds per message of `<group>/<payload>/<system>` (over the
/// batch), if this run measured it.
fn micros(group: &str, payload: Payload, system: System, since: SystemTime) -> Option<f64> {
    let id = format!("{group}/{}/{}", payload.name(), system.name());
    Some(tether_bench::criterion_estimate(&id, since)? / 1000.0 / payload.batch() as f64)
}

fn print_table(since: SystemTime) {
    let cell = |v: Option<f64>| v.map_or("-".to_string(), |us| format!("{us:.2}"));
    println!();
    println!("microseconds per message (T: Tether, Z: Zap-style re-creation):");
    print!("{:<10} {:>5}", "payload", "N");
    for group in GROUPS {
        print!(" | {:>8} {:>8}", format!("{group} T"), "Z");
    }
    println!(" | {:>7}", "loop T/Z");
    for payload in Payload::TIMED {
        print!("{:<10} {:>5}", payload.name(), payload.batch());
        for group in GROUPS {
            let [t, z] = SYSTEMS.map(|s| micros(group, payload, s, since));
            print!(" | {:>8} {:>8}", cell(t), cell(z));
        }
        let [t, z] = SYSTEMS.map(|s| micros("loop", payload, s, since));
        let ratio = match (t, z) {
            (Some(t), Some(z)) => format!("{:.2}x", t / z),
            _ => "-".to_string(),
        };
        println!(" | {ratio:>7}");
    }
}

fn main() {
    let since = SystemTime::now();
    let mut c = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    let modules = tether_bench_modules();
    let place = |system| Bench::new(system, &modules).expect("the place starts");
    let mut places = [place(System::Tether), place(System::ZapStyle)];
    let mut raw = place(System::Raw);
    bench_loops(&mut c, &mut places, &mut raw);
    bench_parts(&mut c, &mut places);
    c.final_summary();
    print_table(since);
}
