//! The handshake that opens a connection (`docs/wire-format.md`, section 9):
//! the client says which protocol it speaks, and the server welcomes it or
//! refuses it with a reason both sides can read.
//!
//! Both ends must be generated from the same schema (the same IR, hence the
//! same fingerprint) and speak the same wire format version; a mismatched
//! peer would decode garbage, so it is refused before any message is read.
//! The transport sends [`Hello::encode`] first and reads the [`Answer`]; the
//! server reads a [`Hello`] first and answers with [`answer`].

use std::fmt;

use crate::protocol::Protocol;
use crate::WIRE_VERSION;

/// The first bytes of every hello: not a Tether peer without them.
pub const MAGIC: [u8; 4] = *b"TTHR";

/// A protocol name is cut to this many bytes in a hello.
pub const MAX_NAME_LEN: usize = 64;

/// A refusal's reason is cut to this many bytes.
pub const MAX_REASON_LEN: usize = 255;

/// What a client says of itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hello {
    /// The wire format version the client speaks ([`crate::WIRE_VERSION`]).
    pub wire_version: u16,
    /// The fingerprint of the schema the client was generated from.
    pub fingerprint: u64,
    /// The protocol's name, for messages only: the fingerprint decides.
    pub protocol: String,
}

/// Why a handshake cannot go on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HandshakeError {
    /// The first bytes are not [`MAGIC`].
    #[error("the peer is not a Tether peer (its first bytes are not the handshake)")]
    NotTether,
    /// The hello or answer ends early.
    #[error("the handshake ends early: {needed} bytes needed, {got} received")]
    Truncated {
        /// The bytes it needs.
        needed: usize,
        /// The bytes it has.
        got: usize,
    },
    /// The hello or answer has bytes after its end.
    #[error("the handshake has {extra} bytes too many")]
    TrailingBytes {
        /// How many bytes too many.
        extra: usize,
    },
    /// A hello whose protocol name is not UTF-8 of at most [`MAX_NAME_LEN`]
    /// bytes: no Tether client writes one.
    #[error("the hello's protocol name is not UTF-8 of at most {MAX_NAME_LEN} bytes")]
    BadName,
    /// The server refused the client, for this reason.
    #[error("the server refused the connection: {0}")]
    Refused(Refusal),
}

/// The server's reason for refusing a client, which it sends to the client
/// and both sides can show.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The peers speak different versions of the wire format.
    WireVersion {
        /// The server's version.
        server: u16,
        /// The client's version.
        client: u16,
    },
    /// The peers were generated from different schemas.
    Schema {
        /// The server's protocol name.
        server: String,
        /// The fingerprint of the server's schema.
        server_fingerprint: u64,
        /// The client's protocol name.
        client: String,
        /// The fingerprint of the client's schema.
        client_fingerprint: u64,
    },
    /// A reason of the server's own, as text (for a reason this version
    /// does not know, or one the server chose to give).
    Other(String),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::WireVersion { server, client } => write!(
                f,
                "the server speaks wire format version {server}, the client version {client}"
            ),
            Refusal::Schema {
                server,
                server_fingerprint,
                client,
                client_fingerprint,
            } => write!(
                f,
                "the server runs protocol `{server}` (fingerprint {server_fingerprint:016x}), \
                 the client `{client}` (fingerprint {client_fingerprint:016x}): both must be \
                 generated from the same schema"
            ),
            Refusal::Other(reason) => f.write_str(reason),
        }
    }
}

impl Hello {
    /// What a client of `protocol` says.
    pub fn of(protocol: &Protocol) -> Hello {
        Hello {
            wire_version: WIRE_VERSION,
            fingerprint: protocol.fingerprint,
            protocol: protocol.name.to_string(),
        }
    }

    /// `MAGIC`, the version (`u16`), the fingerprint (`u64`), the name's
    /// length (`u8`) and the name (UTF-8, cut to [`MAX_NAME_LEN`] bytes).
    pub fn encode(&self) -> Vec<u8> {
        let name = cut(&self.protocol, MAX_NAME_LEN);
        let mut out = Vec::with_capacity(4 + 2 + 8 + 1 + name.len());
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&self.wire_version.to_le_bytes());
        out.extend_from_slice(&self.fingerprint.to_le_bytes());
        out.push(name.len() as u8);
        out.extend_from_slice(name.as_bytes());
        out
    }

    /// Reads a hello; anything else is an error, never a panic.
    pub fn decode(bytes: &[u8]) -> Result<Hello, HandshakeError> {
        let mut input = Input(bytes);
        if input.take(4).ok() != Some(&MAGIC[..]) {
            return Err(HandshakeError::NotTether);
        }
        let wire_version = u16::from_le_bytes(input.array()?);
        let fingerprint = u64::from_le_bytes(input.array()?);
        let [len] = input.array()?;
        let name = input.take(usize::from(len))?;
        input.finish()?;
        let protocol = std::str::from_utf8(name)
            .ok()
            .filter(|name| name.len() <= MAX_NAME_LEN)
            .ok_or(HandshakeError::BadName)?;
        Ok(Hello {
            wire_version,
            fingerprint,
            protocol: protocol.to_owned(),
        })
    }
}

/// The server's answer to a hello.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The client may go on: the connection is open.
    Welcome,
    /// The client is refused, for this reason; the server closes the
    /// connection.
    Refused(Refusal),
}

impl Answer {
    /// `0` for welcome; `1`, a reason code and the reason's text for a
    /// refusal. The text travels too, so that a client of another version
    /// can still show why.
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Answer::Welcome => vec![0],
            Answer::Refused(refusal) => {
                let mut out = vec![1];
                match refusal {
                    Refusal::WireVersion { server, client } => {
                        out.push(1);
                        out.extend_from_slice(&server.to_le_bytes());
                        out.extend_from_slice(&client.to_le_bytes());
                    }
                    Refusal::Schema {
                        server,
                        server_fingerprint,
                        client,
                        client_fingerprint,
                    } => {
                        out.push(2);
                        out.extend_from_slice(&server_fingerprint.to_le_bytes());
                        out.extend_from_slice(&client_fingerprint.to_le_bytes());
                        for name in [server, client] {
                            let name = cut(name, MAX_NAME_LEN);
                            out.push(name.len() as u8);
                            out.extend_from_slice(name.as_bytes());
                        }
                    }
                    Refusal::Other(_) => out.push(0),
                }
                let text = refusal.to_string();
                let text = cut(&text, MAX_REASON_LEN);
                out.push(text.len() as u8);
                out.extend_from_slice(text.as_bytes());
                out
            }
        }
    }

    /// Reads an answer: `Ok(())` for a welcome, the refusal as an error.
    pub fn decode(bytes: &[u8]) -> Result<(), HandshakeError> {
        let mut input = Input(bytes);
        let [tag] = input.array()?;
        match tag {
            0 => input.finish(),
            1 => {
                let [code] = input.array()?;
                let refusal = match code {
                    1 => Some(Refusal::WireVersion {
                        server: u16::from_le_bytes(input.array()?),
                        client: u16::from_le_bytes(input.array()?),
                    }),
                    2 => {
                        let server_fingerprint = u64::from_le_bytes(input.array()?);
                        let client_fingerprint = u64::from_le_bytes(input.array()?);
                        let server = input.short_text()?;
                        let client = input.short_text()?;
                        Some(Refusal::Schema {
                            server,
                            server_fingerprint,
                            client,
                            client_fingerprint,
                        })
                    }
                    _ => None,
                };
                let text = input.short_text()?;
                input.finish()?;
                Err(HandshakeError::Refused(
                    refusal.unwrap_or(Refusal::Other(text)),
                ))
            }
            _ => Err(HandshakeError::NotTether),
        }
    }
}

/// The server's side: reads a client's hello and answers it. `Err` when the
/// bytes are no hello at all (the connection is closed without an answer).
pub fn answer(ours: &Protocol, hello: &[u8]) -> Result<Answer, HandshakeError> {
    let hello = Hello::decode(hello)?;
    Ok(if hello.wire_version != WIRE_VERSION {
        Answer::Refused(Refusal::WireVersion {
            server: WIRE_VERSION,
            client: hello.wire_version,
        })
    } else if hello.fingerprint != ours.fingerprint {
        Answer::Refused(Refusal::Schema {
            server: ours.name.to_string(),
            server_fingerprint: ours.fingerprint,
            client: hello.protocol,
            client_fingerprint: hello.fingerprint,
        })
    } else {
        Answer::Welcome
    })
}

/// `text` cut at a character boundary to at most `max` bytes.
fn cut(text: &str, max: usize) -> &str {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Bytes being read, front first.
struct Input<'a>(&'a [u8]);

impl<'a> Input<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], HandshakeError> {
        if n > self.0.len() {
            return Err(HandshakeError::Truncated {
                needed: n,
                got: self.0.len(),
            });
        }
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], HandshakeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn short_text(&mut self) -> Result<String, HandshakeError> {
        let [len] = self.array()?;
        Ok(String::from_utf8_lossy(self.take(usize::from(len))?).into_owned())
    }

    fn finish(&self) -> Result<(), HandshakeError> {
        match self.0.len() {
            0 => Ok(()),
            extra => Err(HandshakeError::TrailingBytes { extra }),
        }
    }
}
