//! The nesting limit of recursive types (wire format section 4.6): a value
//! may hold at most `MAX_NESTING` levels of recursive types. The encoder
//! refuses a deeper value, and the decoder refuses deeper input before its
//! recursion can exhaust the stack, whatever a peer sends.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tether_runtime::wire::{Decode, DecodeError, Encode, EncodeError, Reader, Writer, MAX_NESTING};
use tether_runtime::{Direction, RejectReason, ServerRuntime};
use tether_tests::edge::{self, Expr, Tree};

/// `Neg(Neg(..Lit(7)..))` with `levels` values of `Expr` in all.
fn negations(levels: u32) -> Expr {
    let mut expr = Expr::Lit { value: 7 };
    for _ in 1..levels {
        expr = Expr::Neg {
            inner: Box::new(expr),
        };
    }
    expr
}

/// A tree with `levels` nested `Tree` values, one child each.
fn chain(levels: u32) -> Tree {
    let mut tree = Tree(Vec::new());
    for _ in 1..levels {
        tree = Tree(vec![tree]);
    }
    tree
}

fn encode<T: Encode>(value: &T) -> Result<Vec<u8>, EncodeError> {
    let mut w = Writer::new();
    w.start_message();
    value.encode(&mut w)?;
    Ok(w.as_bytes().to_vec())
}

fn decode<T: Decode>(bytes: &[u8]) -> Result<T, DecodeError> {
    let mut r = Reader::new(bytes);
    r.start_message();
    T::decode(&mut r)
}

/// Drops a deep value level by level: the derived drop of a long chain of
/// boxes recurses once per level.
fn flatten(expr: Expr) {
    let mut next = Some(expr);
    while let Some(expr) = next.take() {
        if let Expr::Neg { inner } = expr {
            next = Some(*inner);
        }
    }
}

#[test]
fn values_at_the_limit_round_trip() {
    let expr = negations(MAX_NESTING);
    let bytes = encode(&expr).expect("the limit itself is allowed");
    assert_eq!(decode::<Expr>(&bytes), Ok(expr));

    let tree = chain(MAX_NESTING);
    let bytes = encode(&tree).expect("the limit itself is allowed");
    assert_eq!(decode::<Tree>(&bytes), Ok(tree));
}

#[test]
fn the_encoder_refuses_one_level_more() {
    let too_deep = EncodeError::TooNested { max: MAX_NESTING };
    assert_eq!(encode(&negations(MAX_NESTING + 1)), Err(too_deep.clone()));
    assert_eq!(encode(&chain(MAX_NESTING + 1)), Err(too_deep));
}

#[test]
fn the_decoder_refuses_one_level_more() {
    // Bytes that hold one level more than the limit, as an encoder without
    // the limit would write them.
    let mut deeper = Writer::new();
    deeper.start_message();
    // `Neg` is variant 2 of 3: a 2-bit tag.
    for _ in 0..MAX_NESTING {
        deeper.bits(2, 2);
    }
    negations(1).encode(&mut deeper).expect("a literal encodes");
    let bytes = deeper.as_bytes().to_vec();
    assert_eq!(
        decode::<Expr>(&bytes),
        Err(DecodeError::TooNested { max: MAX_NESTING })
    );
}

#[test]
fn the_decoder_stops_a_hostile_depth_on_a_small_stack() {
    // 40,000 nested negations in 10 KB: without the limit, decoding them
    // overflows far larger stacks than this thread's 512 KiB, which holds
    // the limit's 128 levels even in an unoptimized build.
    let bytes = vec![0b1010_1010u8; 10_000];
    // A `Tree` of one child per level: a 1-byte length prefix each.
    let nested_arrays = vec![1u8; 10_000];
    let outcome = std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(move || {
            (
                decode::<Expr>(&bytes).map(flatten),
                decode::<Tree>(&nested_arrays).map(drop),
            )
        })
        .expect("a thread")
        .join()
        .expect("no overflow, no panic");
    let too_deep = DecodeError::TooNested { max: MAX_NESTING };
    assert_eq!(outcome, (Err(too_deep.clone()), Err(too_deep)));
}

#[test]
fn a_server_drops_a_deep_request_counts_it_and_serves_on() {
    let server = ServerRuntime::new(&edge::PROTOCOL);
    let rejections = Arc::new(Mutex::new(Vec::new()));
    let seen = rejections.clone();
    server.on_rejected(move |_, reason| seen.lock().expect("lock").push(reason.clone()));
    let player = server.connect_player();

    let id_bits = edge::PROTOCOL.id_bits(Direction::ToServer);
    let many = edge::PROTOCOL
        .messages(Direction::ToServer)
        .iter()
        .position(|spec| spec.name == "Many (request)")
        .expect("edge has Many");
    let mut frame = Writer::new();
    frame.start_message();
    frame.bits(many as u32, id_bits);
    frame.u16(1);
    for _ in 0..10_000 {
        frame.bits(2, 2);
    }
    let bytes = frame.as_bytes().to_vec();
    server.receive(&player, &bytes);
    server.poll(Duration::ZERO);

    let stats = server.stats();
    assert_eq!(stats.rejected.decode, 1);
    assert!(
        matches!(
            rejections.lock().expect("lock").as_slice(),
            [RejectReason::Decode {
                message: "Many (request)",
                error: DecodeError::TooNested { .. }
            }]
        ),
        "{:?}",
        stats.last_rejection
    );
    assert!(
        server.players().contains(&player),
        "one offence is not expulsion"
    );
}
