//! What a side does with a remote (listens, sends, answers, calls), the
//! messages it does it with, and the runtime's handle type for it.

use crate::ir::messages::{Ids, Way};
use crate::ir::{Call, Direction, Side};

/// What one side does with a remote, and the messages it does it with.
pub(super) enum Role {
    /// Receives event `id` of `way`.
    Listens(Way, u16),
    /// Sends event `id` of `way`.
    Sends(Way, u16),
    /// Answers request `request` with response `response`.
    Answers(Way, u16, Way, u16),
    /// Calls request `request`; response `response` comes back.
    Calls(Way, u16, Way, u16),
}

impl Role {
    pub(super) fn messages(&self) -> Vec<(Way, u16)> {
        match *self {
            Role::Listens(way, id) | Role::Sends(way, id) => vec![(way, id)],
            Role::Answers(way, id, back, response) | Role::Calls(way, id, back, response) => {
                vec![(way, id), (back, response)]
            }
        }
    }
}

/// What `side` does with a remote: for an event both ways, it listens and
/// then sends.
pub(super) fn roles(side: Side, call: Call, direction: Direction, ids: Ids) -> Vec<Role> {
    let incoming = match side {
        Side::Server => Way::ToServer,
        Side::Client => Way::ToClient,
    };
    let id = |way: Way| match way {
        Way::ToServer => ids.to_server,
        Way::ToClient => ids.to_client,
    };
    let outgoing = incoming.reversed();
    match call {
        Call::Event => {
            let mut roles = Vec::new();
            if let Some(id) = id(incoming) {
                roles.push(Role::Listens(incoming, id));
            }
            if let Some(id) = id(outgoing) {
                roles.push(Role::Sends(outgoing, id));
            }
            roles
        }
        Call::Function => {
            let request_way = match direction {
                Direction::ServerToClient => Way::ToClient,
                _ => Way::ToServer,
            };
            let (Some(request), Some(response)) = (id(request_way), id(request_way.reversed()))
            else {
                return Vec::new();
            };
            match request_way == incoming {
                true => vec![Role::Answers(
                    request_way,
                    request,
                    request_way.reversed(),
                    response,
                )],
                false => vec![Role::Calls(
                    request_way,
                    request,
                    request_way.reversed(),
                    response,
                )],
            }
        }
    }
}

/// The runtime's handle type for what a side does with a remote.
pub(super) fn runtime_handle(side: Side, roles: &[Role]) -> Option<&'static str> {
    Some(match (side, roles) {
        (Side::Server, [Role::Listens(..)]) => "ServerListener",
        (Side::Server, [Role::Sends(..)]) => "ServerSender",
        (Side::Server, [Role::Listens(..), Role::Sends(..)]) => "ServerDuplex",
        (Side::Server, [Role::Answers(..)]) => "ServerResponder",
        (Side::Server, [Role::Calls(..)]) => "ServerCaller",
        (Side::Client, [Role::Listens(..)]) => "ClientListener",
        (Side::Client, [Role::Sends(..)]) => "ClientSender",
        (Side::Client, [Role::Listens(..), Role::Sends(..)]) => "ClientDuplex",
        (Side::Client, [Role::Answers(..)]) => "ClientResponder",
        (Side::Client, [Role::Calls(..)]) => "ClientCaller",
        _ => return None,
    })
}
