//! The handshake (docs/wire-format.md, section 9): golden bytes, both
//! refusals as each side reads them, and hostile bytes that must give an
//! error, never a panic.

use proptest::prelude::*;
use tether_runtime::handshake::{answer, Answer, HandshakeError, Hello, Refusal, MAGIC};
use tether_runtime::{Protocol, WIRE_VERSION};

static GAME: Protocol = Protocol {
    name: "game",
    fingerprint: 0x0123_4567_89AB_CDEF,
    to_server: &[],
    to_client: &[],
};

static OTHER: Protocol = Protocol {
    name: "game-v2",
    fingerprint: 0xFEDC_BA98_7654_3210,
    to_server: &[],
    to_client: &[],
};

#[test]
fn golden_hello() {
    let bytes = Hello::of(&GAME).encode();
    let mut expected = b"TTHR".to_vec();
    expected.extend_from_slice(&WIRE_VERSION.to_le_bytes());
    expected.extend_from_slice(&[0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01]);
    expected.push(4);
    expected.extend_from_slice(b"game");
    assert_eq!(bytes, expected);
    assert_eq!(Hello::decode(&bytes), Ok(Hello::of(&GAME)));
}

#[test]
fn the_same_schema_is_welcomed() {
    let hello = Hello::of(&GAME).encode();
    let reply = answer(&GAME, &hello).expect("a hello");
    assert_eq!(reply, Answer::Welcome);
    assert_eq!(reply.encode(), [0]);
    assert_eq!(Answer::decode(&reply.encode()), Ok(()));
}

#[test]
fn another_schema_is_refused_with_a_reason_both_sides_read() {
    let hello = Hello::of(&OTHER).encode();
    let reply = answer(&GAME, &hello).expect("a hello");
    let expected = Refusal::Schema {
        server: "game".into(),
        server_fingerprint: GAME.fingerprint,
        client: "game-v2".into(),
        client_fingerprint: OTHER.fingerprint,
    };
    assert_eq!(reply, Answer::Refused(expected.clone()));
    // What the server logs and what the client reads are the same words.
    let server_side = expected.to_string();
    assert!(
        server_side.contains("`game` (fingerprint 0123456789abcdef)"),
        "{server_side}"
    );
    assert!(
        server_side.contains("`game-v2` (fingerprint fedcba9876543210)"),
        "{server_side}"
    );
    let client_side = Answer::decode(&reply.encode());
    assert_eq!(client_side, Err(HandshakeError::Refused(expected)));
    let shown = client_side.unwrap_err().to_string();
    assert!(shown.starts_with("the server refused the connection: the server runs protocol `game`"));
}

#[test]
fn another_wire_version_is_refused() {
    let mut hello = Hello::of(&GAME);
    hello.wire_version = WIRE_VERSION + 1;
    let reply = answer(&GAME, &hello.encode()).expect("a hello");
    let expected = Refusal::WireVersion {
        server: WIRE_VERSION,
        client: WIRE_VERSION + 1,
    };
    assert_eq!(reply, Answer::Refused(expected.clone()));
    assert_eq!(
        Answer::decode(&reply.encode()),
        Err(HandshakeError::Refused(expected))
    );
}

#[test]
fn a_reason_of_an_unknown_kind_still_reads_as_text() {
    // Code 9 is no reason this version knows; its text is shown as it is.
    let mut bytes = vec![1, 9, 11];
    bytes.extend_from_slice(b"server full");
    assert_eq!(
        Answer::decode(&bytes),
        Err(HandshakeError::Refused(Refusal::Other(
            "server full".into()
        )))
    );
    // A refusal the server words itself travels with its text.
    let full = Answer::Refused(Refusal::Other("server full".into()));
    assert_eq!(full.encode(), [&[1u8, 0, 11][..], b"server full"].concat());
}

#[test]
fn what_is_not_a_hello_is_an_error() {
    assert_eq!(Hello::decode(b""), Err(HandshakeError::NotTether));
    assert_eq!(
        Hello::decode(b"GET / HTTP/1.1"),
        Err(HandshakeError::NotTether)
    );
    let hello = Hello::of(&GAME).encode();
    assert_eq!(
        Hello::decode(&hello[..hello.len() - 1]),
        Err(HandshakeError::Truncated { needed: 4, got: 3 })
    );
    let mut longer = hello.clone();
    longer.push(0);
    assert_eq!(
        Hello::decode(&longer),
        Err(HandshakeError::TrailingBytes { extra: 1 })
    );
    assert_eq!(answer(&GAME, b"nope"), Err(HandshakeError::NotTether));
    assert_eq!(Answer::decode(&[7]), Err(HandshakeError::NotTether));
    assert_eq!(
        Answer::decode(&[1, 2, 0]),
        Err(HandshakeError::Truncated { needed: 8, got: 1 })
    );
}

#[test]
fn a_hello_whose_name_is_not_short_utf8_is_an_error() {
    let hello = |name: &[u8]| {
        let mut bytes = Hello::of(&GAME).encode();
        bytes.truncate(14);
        bytes.push(name.len() as u8);
        bytes.extend_from_slice(name);
        bytes
    };
    assert!(Hello::decode(&hello(&[b'a'; 64])).is_ok());
    assert_eq!(
        Hello::decode(&hello(&[b'a'; 65])),
        Err(HandshakeError::BadName)
    );
    assert_eq!(
        Hello::decode(&hello(&[0xff, 0xfe])),
        Err(HandshakeError::BadName)
    );
    // The server gives no answer to it: it is not a Tether client's hello.
    assert_eq!(answer(&GAME, &hello(&[0xff])), Err(HandshakeError::BadName));
}

#[test]
fn long_names_are_cut_at_a_character_boundary() {
    let hello = Hello {
        wire_version: WIRE_VERSION,
        fingerprint: 1,
        protocol: "é".repeat(40), // 80 bytes
    };
    let decoded = Hello::decode(&hello.encode()).expect("a hello");
    assert_eq!(decoded.protocol, "é".repeat(32)); // 64 bytes
    assert_eq!(MAGIC, *b"TTHR");
}

proptest! {
    /// Any bytes, as a hello or as an answer: an error or a value, never a
    /// panic; and what decodes encodes back to the same bytes.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(hello) = Hello::decode(&bytes) {
            prop_assert_eq!(hello.encode(), bytes.clone());
        }
        let _ = Answer::decode(&bytes);
        let _ = answer(&GAME, &bytes);
        let mut hello = MAGIC.to_vec();
        hello.extend_from_slice(&bytes);
        let _ = answer(&GAME, &hello);
    }
}
