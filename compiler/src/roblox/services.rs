//! The services a location (`Part in Workspace`) may name, and whether
//! their contents reach clients.

use super::{Replication, Service};

const fn to_clients(name: &'static str) -> Service {
    Service {
        name,
        replication: Replication::ToClients,
    }
}

const fn server_only(name: &'static str) -> Service {
    Service {
        name,
        replication: Replication::ServerOnly,
    }
}

/// Services whose children a game places instances in, by class name.
pub(super) static SERVICES: &[Service] = &[
    to_clients("Workspace"),
    to_clients("ReplicatedStorage"),
    to_clients("ReplicatedFirst"),
    to_clients("Players"),
    to_clients("Lighting"),
    to_clients("Teams"),
    to_clients("StarterGui"),
    to_clients("StarterPack"),
    to_clients("StarterPlayer"),
    to_clients("SoundService"),
    to_clients("Chat"),
    to_clients("TextChatService"),
    // MaterialVariants must reach clients to render; LocalizationTables must
    // reach clients to translate.
    to_clients("MaterialService"),
    to_clients("LocalizationService"),
    server_only("ServerStorage"),
    server_only("ServerScriptService"),
];
