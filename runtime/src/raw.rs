//! The runtimes' calls by message id, with bodies written and payloads
//! read by hand: for tests and tools that speak the wire without generated
//! code. A game uses the typed handles the generator writes, which call the
//! same core with the ids and codecs of its protocol.
//!
//! The calls panic if the protocol has no message of that id and kind in
//! that direction: a bug in the calling code. Nothing a peer sends makes the
//! runtime panic.

use crate::client::{ClientRuntime, SERVER};
use crate::connection::Connection;
use crate::invoke::{Invocation, InvokeError, SendError};
use crate::player::Player;
use crate::protocol::{Delivery, Payload};
use crate::server::ServerRuntime;
use crate::session::InvokeHandler;
use crate::wire::{EncodeError, Writer};
use std::any::Any;

/// The server's calls by message id.
pub trait RawServer {
    /// Connects a handler for client → server event `id`. It gets the
    /// sending player and the decoded body, borrowed: `downcast_ref` it to
    /// the body's type, as each handler of the event sees the same value. Several handlers may be connected; events that
    /// arrived while none was (up to 256 per event) go to the first one to
    /// connect, at the next poll.
    fn connect(
        &self,
        id: u16,
        handler: impl FnMut(&Player, &(dyn Any + Send)) + Send + 'static,
    ) -> Connection;

    /// Sends server → client event `id` to `player`; `body` writes the
    /// parameters.
    fn fire_client(
        &self,
        player: &Player,
        id: u16,
        body: impl FnOnce(&mut Writer) -> Result<(), EncodeError>,
    ) -> Result<(), SendError>;

    /// Sends server → client event `id` to every connected player.
    fn fire_all_clients(
        &self,
        id: u16,
        body: impl Fn(&mut Writer) -> Result<(), EncodeError>,
    ) -> Result<(), SendError>;

    /// Sets the handler of client → server request `request_id`, replacing
    /// any previous one. It writes the response body on success.
    fn on_invoke(
        &self,
        request_id: u16,
        handler: impl FnMut(&Player, Payload, &mut Writer) -> Result<(), InvokeError> + Send + 'static,
    );

    /// Calls server → client request `request_id` on `player`; resolves to
    /// the response's payload. A client that does not answer in time fails
    /// the call with `Timeout`, one that leaves with `Disconnected`. The
    /// timeout counts from the latest [`poll`](crate::ServerRuntime::poll), as for
    /// `ClientRuntime::invoke_server`.
    fn invoke_client(
        &self,
        player: &Player,
        request_id: u16,
        body: impl FnOnce(&mut Writer) -> Result<(), EncodeError>,
    ) -> Invocation;
}

impl RawServer for ServerRuntime {
    fn connect(
        &self,
        id: u16,
        mut handler: impl FnMut(&Player, &(dyn Any + Send)) + Send + 'static,
    ) -> Connection {
        self.session().connect(
            id,
            Box::new(move |player, payload: Delivery<'_>| {
                handler(player, payload.get());
                true
            }),
        )
    }

    fn fire_client(
        &self,
        player: &Player,
        id: u16,
        body: impl FnOnce(&mut Writer) -> Result<(), EncodeError>,
    ) -> Result<(), SendError> {
        self.session().send_event(player.id, id, body)
    }

    fn fire_all_clients(
        &self,
        id: u16,
        body: impl Fn(&mut Writer) -> Result<(), EncodeError>,
    ) -> Result<(), SendError> {
        self.session().broadcast_event(id, body)
    }

    fn on_invoke(
        &self,
        request_id: u16,
        handler: impl FnMut(&Player, Payload, &mut Writer) -> Result<(), InvokeError> + Send + 'static,
    ) {
        self.session()
            .set_invoke_handler(request_id, InvokeHandler::Now(Box::new(handler)));
    }

    fn invoke_client(
        &self,
        player: &Player,
        request_id: u16,
        body: impl FnOnce(&mut Writer) -> Result<(), EncodeError>,
    ) -> Invocation {
        self.session().invoke(player.id, request_id, body)
    }
}

/// The client's calls by message id.
pub trait RawClient {
    /// Connects a handler for server → client event `id`; it gets the
    /// decoded body borrowed, as [`RawServer::connect`]'s does. Several handlers
    /// may be connected; events that arrived while none was (up to 256 per
    /// event) go to the first one to connect, at the next poll.
    fn connect(
        &self,
        id: u16,
        handler: impl FnMut(&(dyn Any + Send)) + Send + 'static,
    ) -> Connection;

    /// Sends client → server event `id`; `body` writes the parameters.
    fn fire_server(
        &self,
        id: u16,
        body: impl FnOnce(&mut Writer) -> Result<(), EncodeError>,
    ) -> Result<(), SendError>;

    /// Sets the handler of server → client request `request_id`, replacing
    /// any previous one. It writes the response body on success.
    fn on_invoke(
        &self,
        request_id: u16,
        handler: impl FnMut(Payload, &mut Writer) -> Result<(), InvokeError> + Send + 'static,
    );

    /// Calls client → server request `request_id`; resolves to the
    /// response's payload.
    ///
    /// The timeout counts from the time of the latest [`poll`](crate::ClientRuntime::poll),
    /// the only clock the runtime has: a loop that polls every tick charges
    /// a call at most one tick extra, and after a long pause a loop should
    /// poll before it invokes.
    fn invoke_server(
        &self,
        request_id: u16,
        body: impl FnOnce(&mut Writer) -> Result<(), EncodeError>,
    ) -> Invocation;
}

impl RawClient for ClientRuntime {
    fn connect(
        &self,
        id: u16,
        mut handler: impl FnMut(&(dyn Any + Send)) + Send + 'static,
    ) -> Connection {
        self.session().connect(
            id,
            Box::new(move |_server: &Player, payload: Delivery<'_>| {
                handler(payload.get());
                true
            }),
        )
    }

    fn fire_server(
        &self,
        id: u16,
        body: impl FnOnce(&mut Writer) -> Result<(), EncodeError>,
    ) -> Result<(), SendError> {
        self.session().send_event(SERVER, id, body)
    }

    fn on_invoke(
        &self,
        request_id: u16,
        mut handler: impl FnMut(Payload, &mut Writer) -> Result<(), InvokeError> + Send + 'static,
    ) {
        self.session().set_invoke_handler(
            request_id,
            InvokeHandler::Now(Box::new(
                move |_server: &Player, payload, w: &mut Writer| handler(payload, w),
            )),
        );
    }

    fn invoke_server(
        &self,
        request_id: u16,
        body: impl FnOnce(&mut Writer) -> Result<(), EncodeError>,
    ) -> Invocation {
        self.session().invoke(SERVER, request_id, body)
    }
}
