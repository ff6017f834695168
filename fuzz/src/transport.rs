//! The `transport` target: what a peer of `tether-net` reads before the
//! runtime sees anything: a frame's body, a datagram, a control frame, and
//! the handshake's hello and answer.
//!
//! An input is any bytes, read as each of those. Whatever reads must write
//! back to the same bytes (each layout has one way to write a value), and
//! the server's answer to a hello must be readable by a client.
//!
//! `net/tests/fuzz_regressions.rs` includes this file (`#[path]`).

use tether_net::datagram::{self, Control, Datagram};
use tether_net::framing;
use tether_runtime::handshake::{self, Answer, Hello};

/// Runs one input; panics on any failure.
pub fn run(data: &[u8]) {
    if let Ok(packet) = framing::decode(data) {
        let framed = framing::encode(&packet);
        assert_eq!(&framed[4..], data, "a frame body writes back as read");
    }
    match datagram::decode(data) {
        Some(Datagram::Bind { token }) => assert_eq!(token.to_le_bytes(), data),
        Some(Datagram::Packet {
            token,
            number,
            packet,
        }) => {
            let written = datagram::encode(token, number, &packet);
            assert_eq!(
                written.as_deref(),
                Some(data),
                "a datagram writes back as read"
            );
        }
        None => {}
    }
    if let Some(control) = Control::decode(data) {
        assert_eq!(
            control.encode(),
            data,
            "a control frame writes back as read"
        );
    }
    if let Ok(hello) = Hello::decode(data) {
        assert_eq!(Hello::decode(&hello.encode()), Ok(hello));
    }
    let _ = Answer::decode(data);
    if let Ok(answer) = handshake::answer(&tether_tests::game::PROTOCOL, data) {
        let read = Answer::decode(&answer.encode());
        match answer {
            Answer::Welcome => assert_eq!(read, Ok(())),
            Answer::Refused(_) => assert!(read.is_err(), "a refusal reads as one"),
        }
    }
}

/// Seeds: a frame, a datagram, a bind, both control frames and a hello.
pub fn seeds() -> Vec<(&'static str, Vec<u8>)> {
    let packet = tether_runtime::Packet {
        channel: tether_runtime::Channel::Unreliable,
        bytes: vec![0x12, 0x34],
        instances: vec![Some(tether_runtime::types::InstanceId(7)), None],
    };
    vec![
        ("frame", framing::encode(&packet)[4..].to_vec()),
        (
            "datagram",
            datagram::encode(42, 3, &packet).unwrap_or_default(),
        ),
        ("bind", 42u64.to_le_bytes().to_vec()),
        (
            "offer",
            Control::Offer {
                token: 42,
                port: 7777,
            }
            .encode(),
        ),
        ("bound", Control::Bound.encode()),
        ("hello", Hello::of(&tether_tests::game::PROTOCOL).encode()),
    ]
}
