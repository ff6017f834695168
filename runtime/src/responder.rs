//! [`Responder`]: the answer to one remote call, given after the handler
//! returns: from a game loop's later tick, or from another thread, when the
//! answer needs a database read, a web request or a player's choice.

use crate::invoke::InvokeError;
use crate::session::Answer;
use crate::wire::{EncodeError, Writer};

/// The one-shot answer to a remote call whose handler yields. Answer with
/// [`respond`](Self::respond), [`fail`](Self::fail) or
/// [`answer`](Self::answer), from any thread; the caller gets it as it
/// would a handler's return. Dropped without answering, it answers with an
/// error at once, so the caller does not wait for its timeout. The caller's
/// timeout still applies: an answer after it is ignored.
pub struct Responder<T> {
    answer: Answer,
    encode: fn(&T, &mut Writer) -> Result<(), EncodeError>,
}

impl<T> Responder<T> {
    pub(crate) fn new(
        answer: Answer,
        encode: fn(&T, &mut Writer) -> Result<(), EncodeError>,
    ) -> Self {
        Responder { answer, encode }
    }

    /// Answers with the function's returns. Returns that break the
    /// schema's refinements answer with an encode error instead.
    pub fn respond(self, returns: T) {
        let encode = self.encode;
        self.answer
            .send(|w| encode(&returns, w).map_err(InvokeError::Encode));
    }

    /// Answers with an error message, as a handler returning `Err` does.
    pub fn fail(self, message: impl Into<String>) {
        self.answer.fail(InvokeError::Handler(message.into()));
    }

    /// The session the call came to, while it lasts.
    pub(crate) fn session(&self) -> Option<std::sync::Arc<crate::session::Session>> {
        self.answer.session()
    }

    /// Answers with what a handler would return.
    pub fn answer(self, result: Result<T, String>) {
        match result {
            Ok(returns) => self.respond(returns),
            Err(message) => self.fail(message),
        }
    }
}

impl<T> std::fmt::Debug for Responder<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Responder").finish_non_exhaustive()
    }
}
