//! The tick: deliver invocation results, expire timeouts, then run the
//! handlers of what was received, each without the lock and isolated with
//! `catch_unwind`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::receive::{over_window, REFUSALS};
use super::{Answer, EventHandler, InvokeHandler, Received, Session, State, Target, Work};
use crate::invoke::{InvokeError, BUSY, MAX_ANSWERING_CALLS};
use crate::lock::lock;
use crate::player::Player;
use crate::protocol::{Delivery, Direction, Payload};

/// Clears the `polling` flag however `poll` ends.
struct PollGuard<'a>(&'a Session);

impl Drop for PollGuard<'_> {
    fn drop(&mut self) {
        self.0.state().polling = false;
    }
}

impl Session {
    /// One tick at time `now`. A `poll` from inside a handler (or while
    /// another thread polls) returns at once.
    pub(crate) fn poll(self: &Arc<Self>, now: Duration) {
        let (results, work) = {
            let mut state = self.state();
            if state.polling {
                return;
            }
            state.polling = true;
            state.now = state.now.max(now);
            state.expire_calls();
            (
                std::mem::take(&mut state.results),
                std::mem::take(&mut state.work),
            )
        };
        let _guard = PollGuard(self);
        for (slot, result) in results {
            slot.fill(result);
        }
        for item in work {
            match item {
                Work::Event { id, target, event } => self.run_event(id, target, event),
                Work::Request {
                    from,
                    id,
                    call,
                    payload,
                } => self.run_request(from, id, call, payload),
            }
        }
        self.run_tasks();
        self.poll_bindables(now);
    }

    fn run_event(&self, id: u16, target: Target, event: Received) {
        let handlers = {
            let mut state = self.state();
            let handlers = state.handlers_for(id, target);
            if handlers.is_empty() {
                // Disconnected since it was queued: wait for the next one.
                state.enqueue_event(id, Target::All, event);
                return;
            }
            handlers
        };
        let (mut panics, mut undelivered) = (0, 0);
        let mut payload = Some(event.payload);
        let last = handlers.len().saturating_sub(1);
        for (index, (handler_id, handler)) in handlers.into_iter().enumerate() {
            // A handler disconnected by an earlier one does not run.
            if !self.handler_connected(id, handler_id) {
                continue;
            }
            let this = match (index == last, &payload) {
                (false, Some(shared)) => Delivery::Borrowed(&**shared),
                _ => match payload.take() {
                    Some(payload) => Delivery::Owned(payload),
                    None => break,
                },
            };
            match run_event_handler(&handler, &event.from, this) {
                Ran::Delivered => {}
                Ran::Undelivered => undelivered += 1,
                Ran::Panicked => panics += 1,
            }
        }
        let mut state = self.state();
        state.stats.handler_panics += panics;
        state.stats.undelivered += undelivered;
    }

    fn handler_connected(&self, id: u16, handler_id: u64) -> bool {
        let state = self.state();
        state
            .events
            .get(&id)
            .is_some_and(|slot| slot.handlers.iter().any(|(h, _)| *h == handler_id))
    }

    fn run_request(self: &Arc<Self>, from: Player, id: u16, call: u16, payload: Payload) {
        let response_id = self.response_id(id);
        let handler = {
            let mut state = self.state();
            let State {
                invoke_handlers,
                peers,
                stats,
                now,
                ..
            } = &mut *state;
            let handler = invoke_handlers.get(&id).cloned();
            let Some(peer) = peers.get_mut(&from.id) else {
                return; // gone: nobody to answer
            };
            let Some(handler) = handler else {
                let bytes = self.error_response_for(response_id, call, &InvokeError::NoHandler);
                peer.outbox.push_plain(&bytes);
                return;
            };
            // Handlers that yield hold their calls; a client gets no more
            // of them at once than an honest one would have in flight. (A
            // client never limits the server, as with rates.)
            if self.incoming == Direction::ToServer && peer.answering >= MAX_ANSWERING_CALLS {
                if !over_window(&mut peer.refused, REFUSALS, *now) {
                    let bytes = self.error_response(response_id, call, BUSY);
                    peer.outbox.push_plain(&bytes);
                }
                stats.calls_busy += 1;
                return;
            }
            peer.answering += 1;
            handler
        };
        let answer = Answer::new(self, from.id, response_id, call);
        let mut handler = lock(&handler);
        match &mut *handler {
            InvokeHandler::Now(handler) => {
                answer.send(|w| handler(&from, payload, w));
            }
            InvokeHandler::Later(handler) => {
                // A panic drops the answer, which reports it.
                if catch_unwind(AssertUnwindSafe(|| handler(&from, payload, answer))).is_err() {
                    self.state().stats.handler_panics += 1;
                }
            }
        }
    }
}

/// How one event handler's run ended.
enum Ran {
    Delivered,
    Undelivered,
    Panicked,
}

fn run_event_handler(handler: &Mutex<EventHandler>, from: &Player, payload: Delivery<'_>) -> Ran {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut handler = lock(handler);
        (*handler)(from, payload)
    }));
    match outcome {
        Ok(true) => Ran::Delivered,
        Ok(false) => Ran::Undelivered,
        Err(_) => Ran::Panicked,
    }
}

impl State {
    /// Fails every call whose deadline has passed with `Timeout` (delivered
    /// with this poll's results).
    fn expire_calls(&mut self) {
        let now = self.now;
        for peer in self.peers.values_mut() {
            let expired: Vec<u16> = peer
                .calls
                .iter()
                .filter(|(_, call)| call.deadline <= now)
                .map(|(&id, _)| id)
                .collect();
            for id in expired {
                if let Some(call) = peer.calls.remove(&id) {
                    self.stats.timeouts += 1;
                    self.results.push((call.slot, Err(InvokeError::Timeout)));
                }
            }
        }
    }

    fn handlers_for(&self, id: u16, target: Target) -> Vec<(u64, Arc<Mutex<EventHandler>>)> {
        let Some(slot) = self.events.get(&id) else {
            return Vec::new();
        };
        if let Target::Only(only) = target {
            if let Some(found) = slot.handlers.iter().find(|(h, _)| *h == only) {
                return vec![found.clone()];
            }
        }
        slot.handlers.clone()
    }
}
