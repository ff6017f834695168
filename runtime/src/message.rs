//! What generated code stands on: each message of a protocol as a type that
//! knows its id, its kind and its body's codec ([`Message`]), and the typed
//! calls into the runtimes made from it.
//!
//! A generated remote's handle is a thin method over one of these calls, so
//! the code per remote is its signature and its body codec; everything else
//! (boxing, downcasting, the protocol table's entry) is written once, here.
//! Reached as `tether::__private`: not an API for hand-written code.

use crate::client::ClientRuntime;
use crate::connection::Connection;
use crate::invoke::{InvokeError, SendError, Typed};
use crate::player::Player;
use crate::protocol::{Delivery, MessageKind, MessageSpec, Payload, Rate};
use crate::queue::EventQueue;
use crate::responder::Responder;
use crate::server::ServerRuntime;
use crate::session::InvokeHandler;
use crate::wire::{Decode, DecodeError, Encode, EncodeError, Reader, Writer};
use std::convert::Infallible;
use std::future::Future;
use std::marker::PhantomData;
use std::time::Duration;

/// One message of a protocol, in one direction: an event, a request or a
/// response. Generated code names each as a [`Msg`]; its name and kind are
/// in the protocol table ([`spec`]).
pub trait Message: 'static {
    /// The decoded body: the parameters as a tuple (events and requests),
    /// or the returns as the caller gets them (responses).
    type Args: Clone + Send + 'static;
    /// Its id among the messages of its direction.
    const ID: u16;
    /// The body's codec: [`Plain`] when every value encodes as its type
    /// does, else a generated codec with the checks of its use site.
    type Codec: Codec<Self::Args>;
}

/// The message of id `ID` whose body is `A`, written by codec `C`. Never
/// made: a type that names a message for the handles and the typed calls.
/// Its body type in its parameters is what lets the handles of
/// [`crate::remote`] have methods for each count of parameters.
pub struct Msg<const ID: u16, A, C = Plain>(PhantomData<fn() -> (A, C)>, Infallible);

impl<const ID: u16, A: Clone + Send + 'static, C: Codec<A> + 'static> Message for Msg<ID, A, C> {
    type Args = A;
    const ID: u16 = ID;
    type Codec = C;
}

/// A message body's codec.
pub trait Codec<A> {
    /// Writes the body (the runtime writes the header).
    fn encode(args: &A, w: &mut Writer) -> Result<(), EncodeError>;
    /// Reads exactly the body.
    fn decode(r: &mut Reader<'_>) -> Result<A, DecodeError>;

    /// Reads the body into the payload the protocol table hands on: the
    /// table's decoder. The runtime's codecs read and box the values in
    /// this one function, so a message costs one decoder, not a chain.
    #[doc(hidden)]
    #[inline]
    fn decode_payload(r: &mut Reader<'_>) -> Result<Payload, DecodeError>
    where
        A: Send + 'static,
    {
        Ok(Box::new(tri!(Self::decode(r))))
    }
}

/// The codec of a body that is its values' own encodings in order.
pub enum Plain {}

impl<A: Encode + Decode> Codec<A> for Plain {
    #[inline]
    fn encode(args: &A, w: &mut Writer) -> Result<(), EncodeError> {
        args.encode(w)
    }

    #[inline]
    fn decode(r: &mut Reader<'_>) -> Result<A, DecodeError> {
        A::decode(r)
    }

    fn decode_payload(r: &mut Reader<'_>) -> Result<Payload, DecodeError>
    where
        A: Send + 'static,
    {
        Ok(Box::new(tri!(A::decode(r))))
    }
}

/// A tuple of codecs is the codec of a tuple of values, each value written
/// by its own codec in order: a message whose values need use-site checks
/// names one codec per value, shared with every message of the protocol
/// that checks a value the same way.
macro_rules! tuple_codecs {
    ($(($($codec:ident $value:ident $index:tt),+))+) => {$(
        impl<$($codec: Codec<$value>, $value),+> Codec<($($value,)+)> for ($($codec,)+) {
            #[inline]
            fn encode(args: &($($value,)+), w: &mut Writer) -> Result<(), EncodeError> {
                $(tri!(<$codec as Codec<$value>>::encode(&args.$index, w));)+
                Ok(())
            }

            #[inline]
            fn decode(r: &mut Reader<'_>) -> Result<($($value,)+), DecodeError> {
                Ok(($(tri!(<$codec as Codec<$value>>::decode(r)),)+))
            }

            fn decode_payload(r: &mut Reader<'_>) -> Result<Payload, DecodeError>
            where
                ($($value,)+): Send + 'static,
            {
                Ok(Box::new(($(tri!(<$codec as Codec<$value>>::decode(r)),)+)))
            }
        }
    )+};
}

tuple_codecs! {
    (CA A 0)
    (CA A 0, CB B 1)
    (CA A 0, CB B 1, CC C 2)
    (CA A 0, CB B 1, CC C 2, CD D 3)
    (CA A 0, CB B 1, CC C 2, CD D 3, CE E 4)
    (CA A 0, CB B 1, CC C 2, CD D 3, CE E 4, CF F 5)
    (CA A 0, CB B 1, CC C 2, CD D 3, CE E 4, CF F 5, CG G 6)
    (CA A 0, CB B 1, CC C 2, CD D 3, CE E 4, CF F 5, CG G 6, CH H 7)
    (CA A 0, CB B 1, CC C 2, CD D 3, CE E 4, CF F 5, CG G 6, CH H 7, CI I 8)
    (CA A 0, CB B 1, CC C 2, CD D 3, CE E 4, CF F 5, CG G 6, CH H 7, CI I 8, CJ J 9)
    (CA A 0, CB B 1, CC C 2, CD D 3, CE E 4, CF F 5, CG G 6, CH H 7, CI I 8, CJ J 9, CK K 10)
    (CA A 0, CB B 1, CC C 2, CD D 3, CE E 4, CF F 5, CG G 6, CH H 7, CI I 8, CJ J 9, CK K 10, CL L 11)
}

// The generator names a tuple of codecs for bodies up to `MAX_TUPLE` values.
const _: () = assert!(tether_facts::wire::MAX_TUPLE == 12);

/// The kind of most events: reliable, unordered, without `@rate`.
pub const EVENT: MessageKind = event(false, false, None);

/// Writes `M`'s body with its codec.
pub fn encode_body<M: Message>(args: &M::Args, w: &mut Writer) -> Result<(), EncodeError> {
    <M::Codec as Codec<M::Args>>::encode(args, w)
}

/// The protocol table's entry for `M`: `name` for diagnostics
/// (`Combat.Attack`, `Shop.Buy (request)`) and how it travels.
pub const fn spec<M: Message>(name: &'static str, kind: MessageKind) -> MessageSpec {
    MessageSpec {
        name,
        kind,
        decode: <M::Codec as Codec<M::Args>>::decode_payload,
    }
}

/// `@rate(count/per, burst b)`, `per` in seconds (the compiler writes the
/// default burst where the schema gives none); rates bind only what the
/// server receives.
pub const fn rate(count: u32, per_seconds: u64, burst: u32) -> Option<Rate> {
    Some(Rate {
        count,
        per: Duration::from_secs(per_seconds),
        burst,
    })
}

/// No `@rate`.
pub const NO_RATE: Option<Rate> = None;

/// No `@timeout`: a request waits [`crate::DEFAULT_TIMEOUT`].
pub const NO_TIMEOUT: Option<u64> = None;

/// `@timeout`, in milliseconds.
pub const fn timeout(ms: u64) -> Option<u64> {
    Some(ms)
}

/// An event's kind.
pub const fn event(unreliable: bool, ordered: bool, rate: Option<Rate>) -> MessageKind {
    MessageKind::Event {
        unreliable,
        ordered,
        rate,
    }
}

/// A request's kind; `timeout_ms` is `@timeout`, if it has one.
pub const fn request(timeout_ms: Option<u64>, rate: Option<Rate>, response_id: u16) -> MessageKind {
    MessageKind::Request {
        timeout: match timeout_ms {
            Some(ms) => Duration::from_millis(ms),
            None => crate::protocol::DEFAULT_TIMEOUT,
        },
        rate,
        response_id,
    }
}

/// A response's kind.
pub const fn response(request_id: u16) -> MessageKind {
    MessageKind::Response { request_id }
}

/// The payload as `M`'s arguments. A payload of another type means the
/// runtime was built for another protocol, which `try_from` on the
/// generated `Server`/`Client` refuses; it is counted, not delivered.
fn args<M: Message>(payload: Payload) -> Option<M::Args> {
    payload.downcast::<M::Args>().ok().map(|b| *b)
}

fn body<M: Message>(args: &M::Args) -> impl Fn(&mut Writer) -> Result<(), EncodeError> + '_ {
    move |w| encode_body::<M>(args, w)
}

/// Runs `handler` for every `M` a player sends.
pub fn connect_server<M: Message>(
    server: &ServerRuntime,
    mut handler: impl FnMut(&Player, M::Args) + Send + 'static,
) -> Connection {
    server.session().connect(
        M::ID,
        Box::new(
            move |player, payload: Delivery<'_>| match payload.value::<M::Args>() {
                Some(args) => {
                    handler(player, args);
                    true
                }
                None => false,
            },
        ),
    )
}

/// Collects every `M` players send, with its sender, for a game loop.
pub fn queue_server<M: Message>(server: &ServerRuntime) -> EventQueue<(Player, M::Args)> {
    EventQueue::connect_with(
        EventQueue::<(Player, M::Args)>::DEFAULT_CAPACITY,
        |mut push| connect_server::<M>(server, move |player, args| push((player.clone(), args))),
    )
}

/// Sends `M` to `player`.
pub fn fire_client<M: Message>(
    server: &ServerRuntime,
    player: &Player,
    args: &M::Args,
) -> Result<(), SendError> {
    server
        .session()
        .send_event(player.id, M::ID, body::<M>(args))
}

/// Sends `M` to every player.
pub fn fire_all_clients<M: Message>(
    server: &ServerRuntime,
    args: &M::Args,
) -> Result<(), SendError> {
    server.session().broadcast_event(M::ID, body::<M>(args))
}

/// Calls request `Q` on `player`'s client; resolves to response `R`.
pub fn invoke_client<Q: Message, R: Message>(
    server: &ServerRuntime,
    player: &Player,
    args: &Q::Args,
) -> Typed<R::Args> {
    Typed::new(server.session().invoke(player.id, Q::ID, body::<Q>(args)))
}

/// Answers request `Q` from players with response `R` (replacing any
/// handler before).
pub fn on_invoke_server<Q: Message, R: Message>(
    server: &ServerRuntime,
    mut handler: impl FnMut(&Player, Q::Args) -> Result<R::Args, String> + Send + 'static,
) {
    server.session().set_invoke_handler(
        Q::ID,
        InvokeHandler::Now(Box::new(move |player, payload, w| {
            answer::<Q, R>(payload, w, |a| handler(player, a))
        })),
    );
}

/// Answers request `Q` from players with response `R` through a
/// [`Responder`] the handler may answer later (replacing any handler
/// before).
pub fn on_invoke_server_later<Q: Message, R: Message>(
    server: &ServerRuntime,
    mut handler: impl FnMut(&Player, Q::Args, Responder<R::Args>) + Send + 'static,
) {
    server.session().set_invoke_handler(
        Q::ID,
        later::<Q, R>(move |player, args, reply| handler(player, args, reply)),
    );
}

/// Answers request `Q` from players with response `R` from the future
/// `handler` returns, polled at each tick (replacing any handler before).
pub fn on_invoke_server_async<Q: Message, R: Message, F>(
    server: &ServerRuntime,
    mut handler: impl FnMut(&Player, Q::Args) -> F + Send + 'static,
) where
    F: Future<Output = Result<R::Args, String>> + Send + 'static,
{
    server.session().set_invoke_handler(
        Q::ID,
        later::<Q, R>(move |player, args, reply| spawn(handler(player, args), reply)),
    );
}

/// Runs `handler` for every `M` the server sends.
pub fn connect_client<M: Message>(
    client: &ClientRuntime,
    mut handler: impl FnMut(M::Args) + Send + 'static,
) -> Connection {
    client.session().connect(
        M::ID,
        Box::new(
            move |_server, payload: Delivery<'_>| match payload.value::<M::Args>() {
                Some(args) => {
                    handler(args);
                    true
                }
                None => false,
            },
        ),
    )
}

/// Collects every `M` the server sends, for a game loop.
pub fn queue_client<M: Message>(client: &ClientRuntime) -> EventQueue<M::Args> {
    EventQueue::connect_with(EventQueue::<M::Args>::DEFAULT_CAPACITY, |push| {
        connect_client::<M>(client, push)
    })
}

/// Sends `M` to the server.
pub fn fire_server<M: Message>(client: &ClientRuntime, args: &M::Args) -> Result<(), SendError> {
    client
        .session()
        .send_event(crate::client::SERVER, M::ID, body::<M>(args))
}

/// Calls request `Q` on the server; resolves to response `R`.
pub fn invoke_server<Q: Message, R: Message>(
    client: &ClientRuntime,
    args: &Q::Args,
) -> Typed<R::Args> {
    Typed::new(
        client
            .session()
            .invoke(crate::client::SERVER, Q::ID, body::<Q>(args)),
    )
}

/// Answers request `Q` from the server with response `R` (replacing any
/// handler before).
pub fn on_invoke_client<Q: Message, R: Message>(
    client: &ClientRuntime,
    mut handler: impl FnMut(Q::Args) -> Result<R::Args, String> + Send + 'static,
) {
    client.session().set_invoke_handler(
        Q::ID,
        InvokeHandler::Now(Box::new(move |_server, payload, w| {
            answer::<Q, R>(payload, w, &mut handler)
        })),
    );
}

/// Answers request `Q` from the server with response `R` through a
/// [`Responder`] the handler may answer later (replacing any handler
/// before).
pub fn on_invoke_client_later<Q: Message, R: Message>(
    client: &ClientRuntime,
    mut handler: impl FnMut(Q::Args, Responder<R::Args>) + Send + 'static,
) {
    client.session().set_invoke_handler(
        Q::ID,
        later::<Q, R>(move |_server, args, reply| handler(args, reply)),
    );
}

/// Answers request `Q` from the server with response `R` from the future
/// `handler` returns, polled at each tick (replacing any handler before).
pub fn on_invoke_client_async<Q: Message, R: Message, F>(
    client: &ClientRuntime,
    mut handler: impl FnMut(Q::Args) -> F + Send + 'static,
) where
    F: Future<Output = Result<R::Args, String>> + Send + 'static,
{
    client.session().set_invoke_handler(
        Q::ID,
        later::<Q, R>(move |_server, args, reply| spawn(handler(args), reply)),
    );
}

/// A handler that takes the call's answer, typed: its arguments as `Q`'s
/// and a responder that writes `R`'s body.
fn later<Q: Message, R: Message>(
    mut handler: impl FnMut(&Player, Q::Args, Responder<R::Args>) + Send + 'static,
) -> InvokeHandler {
    InvokeHandler::Later(Box::new(move |player, payload, answer| {
        match args::<Q>(payload) {
            Some(args) => handler(player, args, Responder::new(answer, encode_body::<R>)),
            None => answer.fail(InvokeError::Protocol(format!(
                "unexpected payload for request {}",
                Q::ID
            ))),
        }
    }))
}

/// Keeps `future` as a task of the session `reply` answers to, answering
/// with what it gives.
fn spawn<T: Send + 'static>(
    future: impl Future<Output = Result<T, String>> + Send + 'static,
    reply: Responder<T>,
) {
    if let Some(session) = reply.session() {
        session.spawn(Box::pin(async move { reply.answer(future.await) }));
    }
}

/// Runs a request's handler and writes its response body.
fn answer<Q: Message, R: Message>(
    payload: Payload,
    w: &mut Writer,
    handler: impl FnOnce(Q::Args) -> Result<R::Args, String>,
) -> Result<(), InvokeError> {
    let args = args::<Q>(payload).ok_or_else(|| {
        InvokeError::Protocol(format!("unexpected payload for request {}", Q::ID))
    })?;
    let returns = handler(args).map_err(InvokeError::Handler)?;
    encode_body::<R>(&returns, w).map_err(InvokeError::Encode)
}
