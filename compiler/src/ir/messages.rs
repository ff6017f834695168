//! Message ids (`docs/wire-format.md`, section 6.1): which messages a schema
//! sends each way, numbered per direction. Every generator reads this one
//! numbering, so peers generated for different languages agree on ids.

use super::{Call, Direction, Endpoint, Route, Schema};

/// One direction a message travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Way {
    ToServer,
    ToClient,
}

impl Way {
    pub fn reversed(self) -> Way {
        match self {
            Way::ToServer => Way::ToClient,
            Way::ToClient => Way::ToServer,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Event,
    Request,
    Response,
}

/// A message: what an endpoint sends one way.
#[derive(Clone, Copy, Debug)]
pub struct Message {
    /// Index into [`Schema::endpoints`].
    pub endpoint: usize,
    pub kind: MessageKind,
}

/// The ids an endpoint's messages have.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ids {
    /// Its event or request or response sent client → server.
    pub to_server: Option<u16>,
    /// Its event or request or response sent server → client.
    pub to_client: Option<u16>,
}

impl Ids {
    pub fn get(&self, way: Way) -> Option<u16> {
        match way {
            Way::ToServer => self.to_server,
            Way::ToClient => self.to_client,
        }
    }
}

/// Every message, numbered per direction.
#[derive(Debug)]
pub struct Messages {
    pub to_server: Vec<Message>,
    pub to_client: Vec<Message>,
    /// By endpoint index.
    pub ids: Vec<Ids>,
}

/// A direction holds at most this many messages: an id is at most 16 bits.
pub const MAX_MESSAGES: usize = 1 << 16;

/// A direction with more messages than a 16-bit message id numbers (65,536).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {direction} direction has {count} messages; at most 65536 fit a message id")]
pub struct TooManyMessages {
    /// The direction, as a schema writes it: `client -> server` or `server -> client`.
    pub direction: &'static str,
    /// How many messages it holds.
    pub count: usize,
}

impl Messages {
    pub fn new(schema: &Schema) -> Result<Messages, TooManyMessages> {
        let mut messages = Messages {
            to_server: Vec::new(),
            to_client: Vec::new(),
            ids: vec![Ids::default(); schema.endpoints.len()],
        };
        for (index, endpoint) in schema.endpoints.iter().enumerate() {
            let (c2s, s2c) = kinds(endpoint);
            if let Some(kind) = c2s {
                messages.ids[index].to_server = Some(push(&mut messages.to_server, index, kind));
            }
            if let Some(kind) = s2c {
                messages.ids[index].to_client = Some(push(&mut messages.to_client, index, kind));
            }
        }
        for (direction, list) in [
            ("client -> server", &messages.to_server),
            ("server -> client", &messages.to_client),
        ] {
            if list.len() > MAX_MESSAGES {
                return Err(TooManyMessages {
                    direction,
                    count: list.len(),
                });
            }
        }
        Ok(messages)
    }

    pub fn list(&self, way: Way) -> &[Message] {
        match way {
            Way::ToServer => &self.to_server,
            Way::ToClient => &self.to_client,
        }
    }
}

/// What `endpoint` sends client → server and server → client.
/// A native remote sends none: its values go through Roblox's own remote.
fn kinds(endpoint: &Endpoint) -> (Option<MessageKind>, Option<MessageKind>) {
    let Route::Remote(direction) = endpoint.route else {
        return (None, None);
    };
    if endpoint.is_native_remote() {
        return (None, None);
    }
    match (endpoint.call, direction) {
        (Call::Event, Direction::ClientToServer) => (Some(MessageKind::Event), None),
        (Call::Event, Direction::ServerToClient) => (None, Some(MessageKind::Event)),
        (Call::Event, Direction::Both) => (Some(MessageKind::Event), Some(MessageKind::Event)),
        (Call::Function, Direction::ClientToServer | Direction::Both) => {
            (Some(MessageKind::Request), Some(MessageKind::Response))
        }
        (Call::Function, Direction::ServerToClient) => {
            (Some(MessageKind::Response), Some(MessageKind::Request))
        }
    }
}

fn push(list: &mut Vec<Message>, endpoint: usize, kind: MessageKind) -> u16 {
    list.push(Message { endpoint, kind });
    // Checked against MAX_MESSAGES once all are numbered.
    (list.len() - 1) as u16
}

/// The protocol name when none is given: the root file's stem.
pub fn default_name(schema: &Schema) -> String {
    schema
        .files
        .first()
        .and_then(|f| std::path::Path::new(f).file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "schema".to_string())
}
