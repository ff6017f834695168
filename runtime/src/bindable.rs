//! Bindables: in-process events and functions (nothing is encoded).
//!
//! [`BindableEvent::fire`] never blocks and never runs a handler: it queues,
//! and [`BindableEvent::poll`] runs the handlers, each with its own clone of
//! the value and each isolated with `catch_unwind`. A fire that finds no
//! handler connected when it is polled is dropped (as in Roblox, where firing
//! a bindable with no connection does nothing).
//!
//! [`BindableFunction::invoke`] runs the callback at once when one is set
//! (only the last one set runs), else the call waits, until a callback is set
//! (it then runs at the next [`BindableFunction::poll`]) or until the
//! function's timeout passes, if it has one (a Roblox BindableFunction has
//! none).
//!
//! A runtime a bindable is [attached](crate::ServerRuntime::attach) to polls
//! it at its own poll: the generated `bindables()` are attached, so a game
//! calls one poll for everything its side owns. A call made while the callback is already
//! running (from inside it, or from another thread) also waits for the next
//! poll rather than blocking.

use std::collections::VecDeque;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, TryLockError};
use std::time::Duration;

use crate::connection::{Connection, HandlerSet};
use crate::invoke::{BindableInvocation, InvokeError, Slot};
use crate::lock::lock;
use crate::session::Pollable;

type Handler<T> = Arc<Mutex<Box<dyn FnMut(T) + Send>>>;

/// An in-process event carrying a `T`. A cheap `Clone` handle.
pub struct BindableEvent<T: Clone + Send + 'static> {
    shared: Arc<EventShared<T>>,
}

struct EventShared<T> {
    state: Mutex<EventState<T>>,
}

struct EventState<T> {
    handlers: Vec<(u64, Handler<T>)>,
    queue: VecDeque<T>,
    last_handler: u64,
    panics: u64,
}

impl<T: Clone + Send + 'static> BindableEvent<T> {
    /// An event with no handlers and nothing queued.
    pub fn new() -> Self {
        BindableEvent {
            shared: Arc::new(EventShared {
                state: Mutex::new(EventState {
                    handlers: Vec::new(),
                    queue: VecDeque::new(),
                    last_handler: 0,
                    panics: 0,
                }),
            }),
        }
    }

    /// Queues `value` for the handlers; they run at the next poll.
    pub fn fire(&self, value: T) {
        lock(&self.shared.state).queue.push_back(value);
    }

    /// Runs `f` for each value fired, at each poll, until the returned
    /// [`Connection`] is disconnected.
    pub fn connect(&self, f: impl FnMut(T) + Send + 'static) -> Connection {
        let mut state = lock(&self.shared.state);
        state.last_handler += 1;
        let id = state.last_handler;
        let handler: Box<dyn FnMut(T) + Send> = Box::new(f);
        state.handlers.push((id, Arc::new(Mutex::new(handler))));
        drop(state);
        Connection::new(&self.shared, id)
    }

    /// Runs the queued fires, in order, on the handlers connected now. A
    /// handler that panics is counted and the others still run. A runtime
    /// the event is [attached](crate::ServerRuntime::attach) to does this
    /// at its own poll.
    pub fn poll(&self) {
        self.shared.run_queued();
    }

    /// How many handler runs panicked.
    pub fn panics(&self) -> u64 {
        lock(&self.shared.state).panics
    }

    /// Fires still queued.
    pub fn queued(&self) -> usize {
        lock(&self.shared.state).queue.len()
    }
}

impl<T: Clone + Send + 'static> Default for BindableEvent<T> {
    fn default() -> Self {
        BindableEvent::new()
    }
}

impl<T: Clone + Send + 'static> Clone for BindableEvent<T> {
    fn clone(&self) -> Self {
        BindableEvent {
            shared: self.shared.clone(),
        }
    }
}

impl<T: Clone + Send + 'static> fmt::Debug for BindableEvent<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.shared.state);
        f.debug_struct("BindableEvent")
            .field("handlers", &state.handlers.len())
            .field("queued", &state.queue.len())
            .finish()
    }
}

impl<T: Clone + Send + 'static> EventShared<T> {
    fn run_queued(&self) {
        let queue = std::mem::take(&mut lock(&self.state).queue);
        for value in queue {
            let handlers = lock(&self.state).handlers.clone();
            let mut value = Some(value);
            let count = handlers.len();
            for (i, (id, handler)) in handlers.into_iter().enumerate() {
                if !self.is_connected(id) {
                    continue;
                }
                // Each handler gets its own copy; the last one the original.
                let arg = if i + 1 == count {
                    value.take()
                } else {
                    value.clone()
                };
                let Some(arg) = arg else { continue };
                let ran = catch_unwind(AssertUnwindSafe(|| (*lock(&handler))(arg)));
                if ran.is_err() {
                    lock(&self.state).panics += 1;
                }
            }
        }
    }
}

impl<T: Clone + Send + 'static> Pollable for EventShared<T> {
    fn poll(&self, _now: Duration) {
        self.run_queued();
    }
}

impl<T: Send> HandlerSet for EventShared<T> {
    fn disconnect(&self, id: u64) {
        lock(&self.state).handlers.retain(|(h, _)| *h != id);
    }

    fn is_connected(&self, id: u64) -> bool {
        lock(&self.state).handlers.iter().any(|(h, _)| *h == id)
    }
}

/// A bindable function's callback: one that returns, or one that answers
/// through a [`BindableResponder`] when it can.
enum Run<A, R> {
    Now(Box<dyn FnMut(A) -> R + Send>),
    Later(Box<dyn FnMut(A, BindableResponder<R>) + Send>),
}

type Callback<A, R> = Arc<Mutex<Run<A, R>>>;

/// A future an async callback returned, with the answer it will give.
type Task = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>;

/// An in-process function from `A` (the params as a tuple) to `R`. A cheap
/// `Clone` handle.
pub struct BindableFunction<A: Send + 'static, R: Send + 'static> {
    shared: Arc<Mutex<FunctionState<A, R>>>,
}

struct FunctionState<A, R> {
    /// `None`: a call waits for a callback as long as it takes, as in Roblox.
    timeout: Option<Duration>,
    /// The time of the latest poll.
    now: Duration,
    callback: Option<Callback<A, R>>,
    waiting: VecDeque<Waiting<A, R>>,
    /// Async callbacks' futures, polled at each poll until they answer.
    tasks: Vec<Task>,
}

struct Waiting<A, R> {
    args: A,
    slot: Slot<R>,
    deadline: Option<Duration>,
}

impl<A: Send + 'static, R: Send + 'static> BindableFunction<A, R> {
    /// A function whose calls wait for a callback at most `timeout` (as
    /// long as it takes if `None`, as a Roblox BindableFunction's do),
    /// measured with the time passed to [`poll`](Self::poll).
    pub fn new(timeout: Option<Duration>) -> Self {
        BindableFunction {
            shared: Arc::new(Mutex::new(FunctionState {
                timeout,
                now: Duration::ZERO,
                callback: None,
                waiting: VecDeque::new(),
                tasks: Vec::new(),
            })),
        }
    }

    /// Sets the callback, replacing any other. Waiting calls run on it at
    /// the next poll.
    pub fn set_callback(&self, f: impl FnMut(A) -> R + Send + 'static) {
        self.set(Run::Now(Box::new(f)));
    }

    /// Sets a callback that answers through the [`BindableResponder`] it
    /// gets, now or later, from any thread, as a Roblox callback that
    /// yields does; replaces any other.
    pub fn set_callback_later(&self, f: impl FnMut(A, BindableResponder<R>) + Send + 'static) {
        self.set(Run::Later(Box::new(f)));
    }

    /// Sets a callback whose future gives the answer; the function polls
    /// it at each [`poll`](Self::poll) until it does. Replaces any other.
    pub fn set_callback_async<F>(&self, mut f: impl FnMut(A) -> F + Send + 'static)
    where
        F: std::future::Future<Output = R> + Send + 'static,
    {
        let shared = Arc::downgrade(&self.shared);
        self.set_callback_later(move |args, reply| {
            let future = f(args);
            if let Some(shared) = shared.upgrade() {
                lock(&shared)
                    .tasks
                    .push(Box::pin(async move { reply.respond(future.await) }));
            }
        });
    }

    fn set(&self, run: Run<A, R>) {
        lock(&self.shared).callback = Some(Arc::new(Mutex::new(run)));
    }

    /// Calls the function (see the module docs for when the callback runs).
    pub fn invoke(&self, args: A) -> BindableInvocation<R> {
        let slot = Slot::new();
        let mut state = lock(&self.shared);
        if let Some(callback) = state.callback.clone() {
            drop(state);
            // Not while it runs already (re-entrant or on another thread).
            let guard = match callback.try_lock() {
                Ok(guard) => Some(guard),
                Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
                Err(TryLockError::WouldBlock) => None,
            };
            if let Some(mut guard) = guard {
                run_callback(&mut guard, args, slot.clone());
                return BindableInvocation::new(slot);
            }
            state = lock(&self.shared);
        }
        let deadline = state.timeout.map(|t| state.now.saturating_add(t));
        state.waiting.push_back(Waiting {
            args,
            slot: slot.clone(),
            deadline,
        });
        BindableInvocation::new(slot)
    }

    /// Runs waiting calls if a callback is set, else fails those past their
    /// timeout with [`InvokeError::Timeout`]. A runtime the function is
    /// [attached](crate::ServerRuntime::attach) to does this at its own
    /// poll.
    pub fn poll(&self, now: Duration) {
        Pollable::poll(&*self.shared, now);
    }

    /// Calls waiting for a callback.
    pub fn waiting(&self) -> usize {
        lock(&self.shared).waiting.len()
    }
}

impl<A: Send + 'static, R: Send + 'static> Pollable for Mutex<FunctionState<A, R>> {
    fn poll(&self, now: Duration) {
        let mut state = lock(self);
        state.now = state.now.max(now);
        let Some(callback) = state.callback.clone() else {
            let now = state.now;
            let (expired, waiting): (VecDeque<_>, VecDeque<_>) = state
                .waiting
                .drain(..)
                .partition(|w| w.deadline.is_some_and(|d| d <= now));
            state.waiting = waiting;
            drop(state);
            for call in expired {
                call.slot.fill(Err(InvokeError::Timeout));
            }
            return;
        };
        let waiting = std::mem::take(&mut state.waiting);
        drop(state);
        for call in waiting {
            run_callback(&mut lock(&callback), call.args, call.slot);
        }
        run_tasks(self);
    }
}

/// Polls async callbacks' futures once each, without the lock (they are
/// the user's code); a future that panics answers `Panicked`.
fn run_tasks<A, R>(shared: &Mutex<FunctionState<A, R>>) {
    let tasks = std::mem::take(&mut lock(shared).tasks);
    if tasks.is_empty() {
        return;
    }
    // Polled at every poll whatever wakes them, so a waker that does
    // nothing loses nothing.
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let pending: Vec<Task> = tasks
        .into_iter()
        .filter_map(|mut task| {
            match catch_unwind(AssertUnwindSafe(|| task.as_mut().poll(&mut cx))) {
                Ok(std::task::Poll::Pending) => Some(task),
                _ => None,
            }
        })
        .collect();
    lock(shared).tasks.extend(pending);
}

/// Runs `callback` for one call, whose result goes to `slot`.
fn run_callback<A, R>(callback: &mut Run<A, R>, args: A, slot: Slot<R>) {
    match callback {
        Run::Now(f) => {
            slot.fill(catch_unwind(AssertUnwindSafe(|| f(args))).map_err(|_| InvokeError::Panicked))
        }
        // A panic drops the responder, which answers `Panicked`.
        Run::Later(f) => {
            let reply = BindableResponder { slot: Some(slot) };
            let _ = catch_unwind(AssertUnwindSafe(|| f(args, reply)));
        }
    }
}

/// The one-shot answer to a call of a [`BindableFunction`] whose callback
/// yields: answer with [`respond`](Self::respond), [`fail`](Self::fail) or
/// [`answer`](Self::answer), from any thread. Dropped without answering,
/// it answers with an error, so the caller never waits on it.
pub struct BindableResponder<R> {
    slot: Option<Slot<R>>,
}

impl<R> BindableResponder<R> {
    /// Answers with the callback's result.
    pub fn respond(mut self, value: R) {
        if let Some(slot) = self.slot.take() {
            slot.fill(Ok(value));
        }
    }

    /// Answers with an error message.
    pub fn fail(mut self, message: impl Into<String>) {
        if let Some(slot) = self.slot.take() {
            slot.fill(Err(InvokeError::Handler(message.into())));
        }
    }

    /// Answers with a result or an error message.
    pub fn answer(self, result: Result<R, String>) {
        match result {
            Ok(value) => self.respond(value),
            Err(message) => self.fail(message),
        }
    }
}

impl<R> Drop for BindableResponder<R> {
    fn drop(&mut self) {
        if let Some(slot) = self.slot.take() {
            slot.fill(Err(match std::thread::panicking() {
                true => InvokeError::Panicked,
                false => {
                    InvokeError::Handler("the callback dropped the call without answering".into())
                }
            }));
        }
    }
}

impl<R> fmt::Debug for BindableResponder<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BindableResponder").finish_non_exhaustive()
    }
}

impl<A: Send + 'static, R: Send + 'static> Clone for BindableFunction<A, R> {
    fn clone(&self) -> Self {
        BindableFunction {
            shared: self.shared.clone(),
        }
    }
}

impl<A: Send + 'static, R: Send + 'static> fmt::Debug for BindableFunction<A, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.shared);
        f.debug_struct("BindableFunction")
            .field("timeout", &state.timeout)
            .field("callback", &state.callback.is_some())
            .field("waiting", &state.waiting.len())
            .finish()
    }
}

/// A bindable a runtime can own: [`ServerRuntime::attach`](crate::ServerRuntime::attach)
/// and [`ClientRuntime::attach`](crate::ClientRuntime::attach) poll it at
/// their own poll.
pub trait Bindable: sealed::Sealed {
    #[doc(hidden)]
    fn __pollable(&self) -> std::sync::Weak<dyn Pollable>;
}

mod sealed {
    pub trait Sealed {}
    impl<T: Clone + Send + 'static> Sealed for super::BindableEvent<T> {}
    impl<A: Send + 'static, R: Send + 'static> Sealed for super::BindableFunction<A, R> {}
}

impl<T: Clone + Send + 'static> Bindable for BindableEvent<T> {
    fn __pollable(&self) -> std::sync::Weak<dyn Pollable> {
        let shared: Arc<dyn Pollable> = self.shared.clone();
        Arc::downgrade(&shared)
    }
}

impl<A: Send + 'static, R: Send + 'static> Bindable for BindableFunction<A, R> {
    fn __pollable(&self) -> std::sync::Weak<dyn Pollable> {
        let shared: Arc<dyn Pollable> = self.shared.clone();
        Arc::downgrade(&shared)
    }
}
