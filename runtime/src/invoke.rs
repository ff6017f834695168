//! Invocations: the pending result of a remote function call, usable by
//! polling once per tick ([`Invocation::try_result`]) or as a
//! [`std::future::Future`] driven by any executor.
//!
//! A result is filled in by the runtime's `poll` (or at once, for a call that
//! cannot start), which then wakes the stored [`Waker`].

use std::any::type_name;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use crate::lock::lock;
use crate::protocol::Payload;
use crate::wire;
pub use tether_facts::policy::{MAX_ANSWERING_CALLS, MAX_PENDING_CALLS};

/// Why an invocation failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum InvokeError {
    /// The callee has no handler set for the function.
    #[error("no handler is set for this function")]
    NoHandler,
    /// No response within the function's timeout.
    #[error("the call timed out")]
    Timeout,
    /// The handler returned an error; its message.
    #[error("the handler failed: {0}")]
    Handler(String),
    /// The handler panicked (Luau: raised an error).
    #[error("the handler panicked")]
    Panicked,
    /// The peer disconnected before answering, or was not connected.
    #[error("the peer disconnected")]
    Disconnected,
    /// The server already awaits [`MAX_PENDING_CALLS`] answers from this
    /// client: one that never answers cannot make the server hold more.
    #[error("too many calls to this client await an answer")]
    TooManyPending,
    /// The server is already answering [`MAX_ANSWERING_CALLS`] calls of
    /// this client (its handlers yield, and have not answered yet).
    ///
    /// [`MAX_ANSWERING_CALLS`]: crate::MAX_ANSWERING_CALLS
    #[error("the peer is busy answering this side's earlier calls")]
    Busy,
    /// The callee refused the call: it broke the function's `@rate`, or the
    /// client's limit of messages a second.
    #[error("the peer rate-limited the call")]
    RateLimited,
    /// The callee refused the arguments: they decoded but broke the
    /// schema (a value out of its range, a string that is not UTF-8, ...);
    /// why.
    #[error("the peer refused the arguments: {0}")]
    Rejected(String),
    /// The arguments (or, in a handler, the returns) could not be encoded.
    #[error("cannot encode: {0}")]
    Encode(wire::EncodeError),
    /// The response (or, in a handler, the arguments) could not be decoded.
    #[error("cannot decode: {0}")]
    Decode(wire::DecodeError),
    /// Anything else that breaks the protocol: a response of the wrong type,
    /// a result taken twice, the peer failing to encode its response, ...
    #[error("protocol error: {0}")]
    Protocol(String),
}

/// Why a message could not be sent.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// The payload could not be encoded.
    #[error("cannot encode: {0}")]
    Encode(wire::EncodeError),
    /// The receiver is not connected (a player who left, or a client whose
    /// server link is down).
    #[error("the receiver is not connected")]
    NotConnected,
}

impl From<wire::EncodeError> for SendError {
    fn from(err: wire::EncodeError) -> Self {
        SendError::Encode(err)
    }
}

impl From<wire::EncodeError> for InvokeError {
    fn from(err: wire::EncodeError) -> Self {
        InvokeError::Encode(err)
    }
}

impl From<wire::DecodeError> for InvokeError {
    fn from(err: wire::DecodeError) -> Self {
        InvokeError::Decode(err)
    }
}

/// The longest error message an error response carries (`string(..255)`).
const MAX_ERROR_LEN: u32 = tether_facts::wire::ERROR_MESSAGE_LEN.max;

/// The message of an error response (section 6.3 leaves its text to the
/// implementation). Tether's form is `kind` or `kind:detail`:
///
/// | callee side                         | text                 | caller gets                 |
/// |-------------------------------------|----------------------|-----------------------------|
/// | no handler set                      | `no-handler`         | [`InvokeError::NoHandler`]  |
/// | the handler panicked                | `panicked`           | [`InvokeError::Panicked`]   |
/// | the handler returned `Handler(m)`   | `handler:m`          | `Handler(m)`                |
/// | the handler returned `Encode(e)`    | `encode:e`           | `Protocol(..)`              |
/// | the handler returned another error  | `handler:` its text  | `Handler(..)`               |
/// | the request broke its rate limit    | `rate-limited`       | `RateLimited`               |
/// | a client's calls fill the server    | `busy`               | [`InvokeError::Busy`]       |
/// | the arguments broke the schema      | `rejected:why`       | `Rejected(why)`             |
///
/// A text of any other form (say, from a hand-written peer) reaches the
/// caller whole as `Handler(text)`. The text is cut to 255 bytes at a
/// character boundary. A panic's own message is never sent.
pub(crate) fn error_text(err: &InvokeError) -> String {
    let text = match err {
        InvokeError::NoHandler => "no-handler".to_owned(),
        InvokeError::Panicked => "panicked".to_owned(),
        InvokeError::Handler(message) => format!("handler:{message}"),
        InvokeError::Encode(e) => format!("encode:{e}"),
        InvokeError::Rejected(reason) => format!("{REJECTED}{reason}"),
        InvokeError::Busy => BUSY.to_owned(),
        other => format!("handler:{other}"),
    };
    truncate_at_char(text, MAX_ERROR_LEN as usize)
}

pub(crate) const RATE_LIMITED: &str = "rate-limited";

/// The text of an error response to a call refused because the callee is
/// answering [`MAX_ANSWERING_CALLS`](crate::MAX_ANSWERING_CALLS) of the
/// caller's calls already.
pub(crate) const BUSY: &str = "busy";

/// The prefix of an error response's text for arguments refused.
pub(crate) const REJECTED: &str = "rejected:";

/// The caller's reading of an error response's text (see [`error_text`]).
pub(crate) fn error_from_text(text: String) -> InvokeError {
    match text.as_str() {
        "no-handler" => return InvokeError::NoHandler,
        "panicked" => return InvokeError::Panicked,
        RATE_LIMITED => return InvokeError::RateLimited,
        BUSY => return InvokeError::Busy,
        _ => {}
    }
    if let Some(reason) = text.strip_prefix(REJECTED) {
        return InvokeError::Rejected(reason.to_owned());
    }
    if let Some(message) = text.strip_prefix("handler:") {
        InvokeError::Handler(message.to_owned())
    } else if let Some(detail) = text.strip_prefix("encode:") {
        InvokeError::Protocol(format!("the peer could not encode its response: {detail}"))
    } else {
        InvokeError::Handler(text)
    }
}

fn truncate_at_char(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

/// The shared cell a result is delivered into.
pub(crate) struct Slot<T> {
    inner: Arc<Mutex<SlotState<T>>>,
}

struct SlotState<T> {
    result: Option<Result<T, InvokeError>>,
    /// The result was delivered and then taken.
    taken: bool,
    waker: Option<Waker>,
}

impl<T> Clone for Slot<T> {
    fn clone(&self) -> Self {
        Slot {
            inner: self.inner.clone(),
        }
    }
}

impl<T> Slot<T> {
    pub(crate) fn new() -> Self {
        Slot {
            inner: Arc::new(Mutex::new(SlotState {
                result: None,
                taken: false,
                waker: None,
            })),
        }
    }

    /// Delivers the result (the first delivery wins) and wakes the waiting
    /// task, if any. Call it without holding a runtime lock.
    pub(crate) fn fill(&self, result: Result<T, InvokeError>) {
        let waker = {
            let mut state = lock(&self.inner);
            if state.result.is_some() || state.taken {
                return;
            }
            state.result = Some(result);
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn take(&self) -> Option<Result<T, InvokeError>> {
        let mut state = lock(&self.inner);
        let result = state.result.take();
        if result.is_some() {
            state.taken = true;
        }
        result
    }

    fn poll(&self, cx: &mut Context<'_>) -> Poll<Result<T, InvokeError>> {
        let mut state = lock(&self.inner);
        if let Some(result) = state.result.take() {
            state.taken = true;
            return Poll::Ready(result);
        }
        if state.taken {
            return Poll::Ready(Err(already_taken()));
        }
        match &mut state.waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            waker => *waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }

    fn is_done(&self) -> bool {
        let state = lock(&self.inner);
        state.result.is_some() || state.taken
    }
}

fn already_taken() -> InvokeError {
    InvokeError::Protocol("the result was already taken".into())
}

/// A remote function call in flight. Resolves to the response's [`Payload`]
/// (what the response's `DecodeFn` returned) or an [`InvokeError`].
///
/// Poll it with [`Invocation::try_result`] once per tick, or `.await` it; the
/// runtime's `poll` delivers the result. Dropping it abandons the result (the
/// call itself still completes or times out).
pub struct Invocation {
    slot: Slot<Payload>,
}

impl Invocation {
    pub(crate) fn pending(slot: Slot<Payload>) -> Self {
        Invocation { slot }
    }

    /// An invocation that failed before it started.
    pub(crate) fn failed(err: InvokeError) -> Self {
        let slot = Slot::new();
        slot.fill(Err(err));
        Invocation { slot }
    }

    /// The result, once delivered: `Some` exactly once, `None` before (and
    /// after it was taken).
    pub fn try_result(&mut self) -> Option<Result<Payload, InvokeError>> {
        self.slot.take()
    }

    /// Whether the result was delivered (taken or not).
    pub fn is_done(&self) -> bool {
        self.slot.is_done()
    }
}

impl Future for Invocation {
    type Output = Result<Payload, InvokeError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.slot.poll(cx)
    }
}

impl fmt::Debug for Invocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Invocation")
            .field("done", &self.is_done())
            .finish()
    }
}

/// An [`Invocation`] whose payload is downcast to `T`: what generated code
/// returns. A payload of another type is [`InvokeError::Protocol`].
pub struct Typed<T> {
    inner: Invocation,
    _type: PhantomData<fn() -> T>,
}

impl<T: 'static> Typed<T> {
    /// `inner`, whose payload is expected to be a `T`.
    pub fn new(inner: Invocation) -> Self {
        Typed {
            inner,
            _type: PhantomData,
        }
    }

    /// As [`Invocation::try_result`], downcast.
    pub fn try_result(&mut self) -> Option<Result<T, InvokeError>> {
        self.inner.try_result().map(downcast)
    }

    /// Whether the result was delivered (taken or not).
    pub fn is_done(&self) -> bool {
        self.inner.is_done()
    }

    /// The untyped invocation.
    pub fn into_inner(self) -> Invocation {
        self.inner
    }
}

fn downcast<T: 'static>(result: Result<Payload, InvokeError>) -> Result<T, InvokeError> {
    let payload = result?;
    payload
        .downcast::<T>()
        .map(|value| *value)
        .map_err(|_| InvokeError::Protocol(format!("the response is not a {}", type_name::<T>())))
}

impl<T: 'static> Future for Typed<T> {
    type Output = Result<T, InvokeError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.inner).poll(cx).map(downcast)
    }
}

impl<T> fmt::Debug for Typed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Typed")
            .field("type", &type_name::<T>())
            .field("inner", &self.inner)
            .finish()
    }
}

/// A bindable function call: resolves to the callback's result.
pub struct BindableInvocation<R> {
    slot: Slot<R>,
}

impl<R> BindableInvocation<R> {
    pub(crate) fn new(slot: Slot<R>) -> Self {
        BindableInvocation { slot }
    }

    /// The result, once delivered: `Some` exactly once.
    pub fn try_result(&mut self) -> Option<Result<R, InvokeError>> {
        self.slot.take()
    }

    /// Whether the result was delivered (taken or not).
    pub fn is_done(&self) -> bool {
        self.slot.is_done()
    }
}

impl<R> Future for BindableInvocation<R> {
    type Output = Result<R, InvokeError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.slot.poll(cx)
    }
}

impl<R> fmt::Debug for BindableInvocation<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BindableInvocation")
            .field("done", &self.is_done())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_texts_round_trip() {
        for err in [
            InvokeError::NoHandler,
            InvokeError::Panicked,
            InvokeError::Handler("not enough gold".into()),
            InvokeError::Handler(String::new()),
            InvokeError::Rejected("number out of range".into()),
        ] {
            assert_eq!(error_from_text(error_text(&err)), err);
        }
        assert_eq!(
            error_from_text("something odd".into()),
            InvokeError::Handler("something odd".into())
        );
    }

    #[test]
    fn error_text_is_cut_at_a_char_boundary() {
        let long = "é".repeat(200);
        let text = error_text(&InvokeError::Handler(long));
        assert!(text.len() <= 255);
        assert!(text.starts_with("handler:é"));
    }
}
