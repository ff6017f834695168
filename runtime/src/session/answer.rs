//! Answers to remote calls: written at once by a handler that returns, or
//! later through an [`Answer`] by one that yields (a database read, a
//! prompt), from any thread. Futures of async handlers are kept as tasks and
//! polled at each tick.

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::{Arc, Weak};
use std::task::{Context, Poll, Waker};

use super::Session;
use crate::frame::write_id;
use crate::invoke::InvokeError;
use crate::lock::lock;
use crate::wire::Writer;

/// A future an async handler returned, with the answer it will give.
pub(crate) type Task = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Where the answer to one call goes. Dropped without being sent, it
/// answers with an error, so the caller never waits for its timeout on a
/// call nobody will answer.
pub(crate) struct Answer {
    session: Weak<Session>,
    to: u32,
    response_id: u16,
    call: u16,
    sent: bool,
}

impl Answer {
    pub(super) fn new(session: &Arc<Session>, to: u32, response_id: u16, call: u16) -> Answer {
        Answer {
            session: Arc::downgrade(session),
            to,
            response_id,
            call,
            sent: false,
        }
    }

    /// Answers with the body `encode` writes (an error if it fails). A
    /// session that has ended, or a caller that has left, gets nothing.
    pub(crate) fn send(mut self, encode: impl FnOnce(&mut Writer) -> Result<(), InvokeError>) {
        self.sent = true;
        if let Some(session) = self.session.upgrade() {
            session.send_answer(self.to, self.response_id, self.call, encode);
        }
    }

    /// Answers with an error.
    pub(crate) fn fail(self, err: InvokeError) {
        self.send(|_| Err(err));
    }

    /// The session the call came to, while it lasts.
    pub(crate) fn session(&self) -> Option<Arc<Session>> {
        self.session.upgrade()
    }
}

impl Drop for Answer {
    fn drop(&mut self) {
        if self.sent {
            return;
        }
        let err = match std::thread::panicking() {
            true => InvokeError::Panicked,
            false => InvokeError::Handler("the handler dropped the call without answering".into()),
        };
        if let Some(session) = self.session.upgrade() {
            session.send_answer(self.to, self.response_id, self.call, |_| Err(err));
        }
    }
}

impl Session {
    /// Writes the answer to `call` from peer `to`: a success whose body
    /// `encode` writes (it may run a handler, and may panic), else the
    /// error it gives.
    pub(super) fn send_answer(
        &self,
        to: u32,
        response_id: u16,
        call: u16,
        encode: impl FnOnce(&mut Writer) -> Result<(), InvokeError>,
    ) {
        let id_bits = self.protocol.id_bits(self.outgoing());
        let mut draft = {
            let state = self.state();
            let Some(peer) = state.peers.get(&to) else {
                return; // gone: nobody to answer
            };
            peer.outbox.draft()
        };
        let w = draft.writer();
        write_id(w, id_bits, response_id);
        w.u16(call);
        w.bool(true);
        let outcome = catch_unwind(AssertUnwindSafe(|| encode(draft.writer())));
        let mut state = self.state();
        if outcome.is_err() {
            state.stats.handler_panics += 1;
        }
        let Some(peer) = state.peers.get_mut(&to) else {
            return;
        };
        peer.answering = peer.answering.saturating_sub(1);
        let err = match outcome {
            Ok(Ok(())) => {
                peer.outbox.commit(draft);
                return;
            }
            Ok(Err(err)) => err,
            Err(_) => InvokeError::Panicked,
        };
        let bytes = self.error_response_for(response_id, call, &err);
        peer.outbox.push_plain(&bytes);
    }

    /// Keeps `task` to be polled at each tick until it ends.
    pub(crate) fn spawn(&self, task: Task) {
        lock(&self.tasks).push(task);
    }

    /// Polls every task once. A task that panics is dropped (its answer
    /// then reports the panic) and counted.
    pub(super) fn run_tasks(&self) {
        let tasks = std::mem::take(&mut *lock(&self.tasks));
        if tasks.is_empty() {
            return;
        }
        // Tasks are polled at every tick whatever wakes them, so a waker
        // that does nothing loses nothing.
        let mut cx = Context::from_waker(Waker::noop());
        let mut pending = Vec::with_capacity(tasks.len());
        let mut panics = 0;
        for mut task in tasks {
            match catch_unwind(AssertUnwindSafe(|| task.as_mut().poll(&mut cx))) {
                Ok(Poll::Pending) => pending.push(task),
                Ok(Poll::Ready(())) => {}
                Err(_) => panics += 1,
            }
        }
        // Tasks spawned while these ran are polled from the next tick.
        lock(&self.tasks).extend(pending);
        if panics > 0 {
            self.state().stats.handler_panics += panics;
        }
    }
}
