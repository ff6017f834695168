//! The handles of remotes: what an accessor of a generated `Server` or
//! `Client` returns, one type per thing a side can do with a remote.
//!
//! | handle | the remote | its methods |
//! |---|---|---|
//! | [`ServerListener`] | event, client → server | `connect`, `queue` |
//! | [`ServerSender`] | event, server → client | `fire_client`, `fire_all_clients` |
//! | [`ServerDuplex`] | event, both ways | all four |
//! | [`ServerResponder`] | function, client → server | `on_invoke` |
//! | [`ServerCaller`] | function, server → client | `invoke_client` |
//! | [`ClientListener`] | event, server → client | `connect`, `queue` |
//! | [`ClientSender`] | event, client → server | `fire_server` |
//! | [`ClientDuplex`] | event, both ways | all three |
//! | [`ClientResponder`] | function, server → client | `on_invoke` |
//! | [`ClientCaller`] | function, client → server | `invoke_server` |
//!
//! A handle's type names the remote's messages, types that generated code
//! declares, each carrying its body: the parameters as a tuple. The
//! methods take the parameters one by one, so
//! `server.chat().fire_client(&player, text, channel)` and
//! `server.chat().connect(|player, text, channel| ..)` are checked against
//! the schema, and a side that may not do a thing has no method for it.
//! Generated code names each handle with an alias (`server::Chat`).
//!
//! The methods are written once here, for every count of parameters up to
//! the longest tuple the wire encodes, so a protocol compiles only the
//! handles a game calls.

use crate::client::ClientRuntime;
use crate::connection::Connection;
use crate::invoke::{SendError, Typed};
use crate::message::{self, Message, Msg};
use crate::player::Player;
use crate::queue::EventQueue;
use crate::responder::Responder;
use crate::server::ServerRuntime;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

macro_rules! handle {
    ($(#[$doc:meta])* $name:ident<$first:ident $(, $more:ident)*>($runtime:ty)) => {
        $(#[$doc])*
        pub struct $name<$first $(, $more)*> {
            runtime: $runtime,
            _messages: PhantomData<fn() -> ($first, $($more,)*)>,
        }

        impl<$first $(, $more)*> $name<$first $(, $more)*> {
            #[doc(hidden)]
            #[inline]
            pub fn __new(runtime: &$runtime) -> Self {
                Self {
                    runtime: runtime.clone(),
                    _messages: PhantomData,
                }
            }
        }

        impl<$first $(, $more)*> Clone for $name<$first $(, $more)*> {
            fn clone(&self) -> Self {
                Self::__new(&self.runtime)
            }
        }

        impl<$first: Message $(, $more)*> fmt::Debug for $name<$first $(, $more)*> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name)).field("message", &$first::ID).finish()
            }
        }
    };
}

handle! {
    /// A client → server event, as the server has it: `connect`, `queue`.
    ServerListener<M>(ServerRuntime)
}
handle! {
    /// A server → client event, as the server has it: `fire_client`,
    /// `fire_all_clients`.
    ServerSender<M>(ServerRuntime)
}
handle! {
    /// An event both ways, as the server has it: `I` comes in, `O` goes out.
    ServerDuplex<I, O>(ServerRuntime)
}
handle! {
    /// A client → server function, as the server has it: `on_invoke`.
    /// `Q` is its request, `R` its response.
    ServerResponder<Q, R>(ServerRuntime)
}
handle! {
    /// A server → client function, as the server has it: `invoke_client`.
    ServerCaller<Q, R>(ServerRuntime)
}
handle! {
    /// A server → client event, as the client has it: `connect`, `queue`.
    ClientListener<M>(ClientRuntime)
}
handle! {
    /// A client → server event, as the client has it: `fire_server`.
    ClientSender<M>(ClientRuntime)
}
handle! {
    /// An event both ways, as the client has it: `I` comes in, `O` goes out.
    ClientDuplex<I, O>(ClientRuntime)
}
handle! {
    /// A server → client function, as the client has it: `on_invoke`.
    ClientResponder<Q, R>(ClientRuntime)
}
handle! {
    /// A client → server function, as the client has it: `invoke_server`.
    ClientCaller<Q, R>(ClientRuntime)
}

macro_rules! server_listens {
    ($m:ty; $($t:ident $v:ident),*) => {
        /// Runs `handler` for each of these events a player sends, with
        /// the player first.
        pub fn connect(
            &self,
            mut handler: impl FnMut(&Player, $($t),*) + Send + 'static,
        ) -> Connection {
            message::connect_server::<$m>(&self.runtime, move |player, ($($v,)*)| {
                handler(player, $($v),*)
            })
        }

        /// Collects each of these events players send, with the sender,
        /// for a game loop to take after each `poll`, instead of a handler.
        #[inline]
        pub fn queue(&self) -> EventQueue<(Player, ($($t,)*))> {
            message::queue_server::<$m>(&self.runtime)
        }
    };
}

macro_rules! server_sends {
    ($m:ty; $($t:ident $v:ident),*) => {
        /// Sends the event to one player.
        #[inline]
        pub fn fire_client(&self, player: &Player, $($v: $t),*) -> Result<(), SendError> {
            message::fire_client::<$m>(&self.runtime, player, &($($v,)*))
        }

        /// Sends the event to every player.
        #[inline]
        pub fn fire_all_clients(&self, $($v: $t),*) -> Result<(), SendError> {
            message::fire_all_clients::<$m>(&self.runtime, &($($v,)*))
        }
    };
}

macro_rules! client_listens {
    ($m:ty; $($t:ident $v:ident),*) => {
        /// Runs `handler` for each of these events the server sends.
        pub fn connect(&self, mut handler: impl FnMut($($t),*) + Send + 'static) -> Connection {
            message::connect_client::<$m>(&self.runtime, move |($($v,)*)| handler($($v),*))
        }

        /// Collects each of these events the server sends, for a game loop
        /// to take after each `poll`, instead of a handler.
        #[inline]
        pub fn queue(&self) -> EventQueue<($($t,)*)> {
            message::queue_client::<$m>(&self.runtime)
        }
    };
}

macro_rules! client_sends {
    ($m:ty; $($t:ident $v:ident),*) => {
        /// Sends the event to the server.
        #[inline]
        pub fn fire_server(&self, $($v: $t),*) -> Result<(), SendError> {
            message::fire_server::<$m>(&self.runtime, &($($v,)*))
        }
    };
}

/// The methods of every handle for one count of parameters: for the
/// messages whose body is a tuple of that many values.
macro_rules! arity {
    ($($t:ident $v:ident),*) => {
        #[allow(clippy::too_many_arguments, clippy::type_complexity)]
        impl<const ID: u16, C, $($t),*> ServerListener<Msg<ID, ($($t,)*), C>>
        where
            Msg<ID, ($($t,)*), C>: Message<Args = ($($t,)*)>,
        {
            server_listens!(Msg<ID, ($($t,)*), C>; $($t $v),*);
        }

        #[allow(clippy::too_many_arguments, clippy::type_complexity)]
        impl<const ID: u16, C, $($t),*> ServerSender<Msg<ID, ($($t,)*), C>>
        where
            Msg<ID, ($($t,)*), C>: Message<Args = ($($t,)*)>,
        {
            server_sends!(Msg<ID, ($($t,)*), C>; $($t $v),*);
        }

        #[allow(clippy::too_many_arguments, clippy::type_complexity)]
        impl<const IN: u16, const OUT: u16, CI, CO, $($t),*>
            ServerDuplex<Msg<IN, ($($t,)*), CI>, Msg<OUT, ($($t,)*), CO>>
        where
            Msg<IN, ($($t,)*), CI>: Message<Args = ($($t,)*)>,
            Msg<OUT, ($($t,)*), CO>: Message<Args = ($($t,)*)>,
        {
            server_listens!(Msg<IN, ($($t,)*), CI>; $($t $v),*);
            server_sends!(Msg<OUT, ($($t,)*), CO>; $($t $v),*);
        }

        #[allow(clippy::too_many_arguments, clippy::type_complexity)]
        impl<const ID: u16, C, R: Message, $($t),*> ServerResponder<Msg<ID, ($($t,)*), C>, R>
        where
            Msg<ID, ($($t,)*), C>: Message<Args = ($($t,)*)>,
        {
            /// Answers calls from players with the returns or an error
            /// message, replacing any handler before.
            pub fn on_invoke(
                &self,
                mut handler: impl FnMut(&Player, $($t),*) -> Result<R::Args, String> + Send + 'static,
            ) {
                message::on_invoke_server::<Msg<ID, ($($t,)*), C>, R>(
                    &self.runtime,
                    move |player, ($($v,)*)| handler(player, $($v),*),
                )
            }

            /// Answers calls from players through the [`Responder`] the
            /// handler gets last, now or later, from any thread: for an
            /// answer that waits on a database or a player. Replaces any
            /// handler before.
            pub fn on_invoke_later(
                &self,
                mut handler: impl FnMut(&Player, $($t,)* Responder<R::Args>) + Send + 'static,
            ) {
                message::on_invoke_server_later::<Msg<ID, ($($t,)*), C>, R>(
                    &self.runtime,
                    move |player, ($($v,)*), reply| handler(player, $($v,)* reply),
                )
            }

            /// Answers calls from players with what the future `handler`
            /// returns gives; the runtime polls it at each `poll`. Replaces
            /// any handler before.
            pub fn on_invoke_async<F>(
                &self,
                mut handler: impl FnMut(&Player, $($t),*) -> F + Send + 'static,
            ) where
                F: Future<Output = Result<R::Args, String>> + Send + 'static,
            {
                message::on_invoke_server_async::<Msg<ID, ($($t,)*), C>, R, F>(
                    &self.runtime,
                    move |player, ($($v,)*)| handler(player, $($v),*),
                )
            }
        }

        #[allow(clippy::too_many_arguments, clippy::type_complexity)]
        impl<const ID: u16, C, R: Message, $($t),*> ServerCaller<Msg<ID, ($($t,)*), C>, R>
        where
            Msg<ID, ($($t,)*), C>: Message<Args = ($($t,)*)>,
        {
            /// Calls the function on one player's client.
            #[inline]
            pub fn invoke_client(&self, player: &Player, $($v: $t),*) -> Typed<R::Args> {
                message::invoke_client::<Msg<ID, ($($t,)*), C>, R>(&self.runtime, player, &($($v,)*))
            }
        }

        #[allow(clippy::too_many_arguments, clippy::type_complexity)]
        impl<const ID: u16, C, $($t),*> ClientListener<Msg<ID, ($($t,)*), C>>
        where
            Msg<ID, ($($t,)*), C>: Message<Args = ($($t,)*)>,
        {
            client_listens!(Msg<ID, ($($t,)*), C>; $($t $v),*);
        }

        #[allow(clippy::too_many_arguments, clippy::type_complexity)]
        impl<const ID: u16, C, $($t),*> ClientSender<Msg<ID, ($($t,)*), C>>
        where
            Msg<ID, ($($t,)*), C>: Message<Args = ($($t,)*)>,
        {
            client_sends!(Msg<ID, ($($t,)*), C>; $($t $v),*);
        }

        #[allow(clippy::too_many_arguments, clippy::type_complexity)]
        impl<const IN: u16, const OUT: u16, CI, CO, $($t),*>
            ClientDuplex<Msg<IN, ($($t,)*), CI>, Msg<OUT, ($($t,)*), CO>>
        where
            Msg<IN, ($($t,)*), CI>: Message<Args = ($($t,)*)>,
            Msg<OUT, ($($t,)*), CO>: Message<Args = ($($t,)*)>,
        {
            client_listens!(Msg<IN, ($($t,)*), CI>; $($t $v),*);
            client_sends!(Msg<OUT, ($($t,)*), CO>; $($t $v),*);
        }

        #[allow(clippy::too_many_arguments, clippy::type_complexity)]
        impl<const ID: u16, C, R: Message, $($t),*> ClientResponder<Msg<ID, ($($t,)*), C>, R>
        where
            Msg<ID, ($($t,)*), C>: Message<Args = ($($t,)*)>,
        {
            /// Answers calls from the server with the returns or an error
            /// message, replacing any handler before.
            pub fn on_invoke(
                &self,
                mut handler: impl FnMut($($t),*) -> Result<R::Args, String> + Send + 'static,
            ) {
                message::on_invoke_client::<Msg<ID, ($($t,)*), C>, R>(
                    &self.runtime,
                    move |($($v,)*)| handler($($v),*),
                )
            }

            /// Answers calls from the server through the [`Responder`] the
            /// handler gets last, now or later, from any thread. Replaces
            /// any handler before.
            pub fn on_invoke_later(
                &self,
                mut handler: impl FnMut($($t,)* Responder<R::Args>) + Send + 'static,
            ) {
                message::on_invoke_client_later::<Msg<ID, ($($t,)*), C>, R>(
                    &self.runtime,
                    move |($($v,)*), reply| handler($($v,)* reply),
                )
            }

            /// Answers calls from the server with what the future `handler`
            /// returns gives; the runtime polls it at each `poll`. Replaces
            /// any handler before.
            pub fn on_invoke_async<F>(
                &self,
                mut handler: impl FnMut($($t),*) -> F + Send + 'static,
            ) where
                F: Future<Output = Result<R::Args, String>> + Send + 'static,
            {
                message::on_invoke_client_async::<Msg<ID, ($($t,)*), C>, R, F>(
                    &self.runtime,
                    move |($($v,)*)| handler($($v),*),
                )
            }
        }

        #[allow(clippy::too_many_arguments, clippy::type_complexity)]
        impl<const ID: u16, C, R: Message, $($t),*> ClientCaller<Msg<ID, ($($t,)*), C>, R>
        where
            Msg<ID, ($($t,)*), C>: Message<Args = ($($t,)*)>,
        {
            /// Calls the function on the server.
            #[inline]
            pub fn invoke_server(&self, $($v: $t),*) -> Typed<R::Args> {
                message::invoke_server::<Msg<ID, ($($t,)*), C>, R>(&self.runtime, &($($v,)*))
            }
        }
    };
}

arity!();
arity!(T1 a1);
arity!(T1 a1, T2 a2);
arity!(T1 a1, T2 a2, T3 a3);
arity!(T1 a1, T2 a2, T3 a3, T4 a4);
arity!(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5);
arity!(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6);
arity!(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7);
arity!(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8);
arity!(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9);
arity!(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10);
arity!(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11);
arity!(T1 a1, T2 a2, T3 a3, T4 a4, T5 a5, T6 a6, T7 a7, T8 a8, T9 a9, T10 a10, T11 a11, T12 a12);

const _: () = assert!(
    tether_facts::wire::MAX_TUPLE == 12,
    "remote handles are written for up to 12 parameters"
);
