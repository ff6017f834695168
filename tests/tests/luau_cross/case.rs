//! One type form of `tests/schemas/types.tether` crossing between Rust and
//! Luau through its event `Send<X>`, both ways.

use std::cell::RefCell;
use std::fmt::Debug;

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use proptest::{prop_assert, prop_assert_eq};
use tether_runtime::types::InstanceId;
use tether_runtime::wire::{Encode, EncodeError, Reader, Writer};
use tether_runtime::Direction;
use tether_tests::types as t;

use super::harness::{Cross, Frame};
use super::lv::Lv;

pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn fail(error: impl std::fmt::Display) -> TestCaseError {
    TestCaseError::fail(error.to_string())
}

/// The id of a server → client event of `types.tether`.
pub fn message_id(event: &str) -> u32 {
    let id = t::PROTOCOL
        .to_client
        .iter()
        .position(|m| m.name == event)
        .unwrap_or_else(|| panic!("no event `{event}`"));
    u32::try_from(id).expect("few messages")
}

pub fn id_bits() -> u32 {
    t::PROTOCOL.id_bits(Direction::ToClient)
}

/// Rust's message of `event`: the id's bits, then the body `body` writes in
/// the same bit stream.
pub fn rust_message(
    event: &str,
    body: impl FnOnce(&mut Writer) -> Result<(), EncodeError>,
) -> Result<(Vec<u8>, Vec<InstanceId>), EncodeError> {
    let mut w = Writer::new();
    w.start_message();
    w.bits(message_id(event), id_bits());
    body(&mut w)?;
    Ok(w.take())
}

/// Decodes one message of `event` with the protocol's decoder (the one the
/// Rust client runs), which must read the bytes to their end.
pub fn rust_decode<T: 'static>(
    event: &str,
    bytes: &[u8],
    instances: &[Option<InstanceId>],
) -> Result<T, String> {
    let mut r = Reader::with_instances(bytes, instances);
    r.start_message();
    let id = r
        .bits(id_bits())
        .map_err(|e| format!("{event}: the id: {e}"))?;
    if id != message_id(event) {
        return Err(format!("{event}: message id {id}"));
    }
    let spec = &t::PROTOCOL.to_client[id as usize];
    let payload = (spec.decode)(&mut r).map_err(|e| format!("{event}: {e} in {}", hex(bytes)))?;
    r.finish()
        .map_err(|e| format!("{event}: {e} in {}", hex(bytes)))?;
    let (value,) = *payload
        .downcast::<(T,)>()
        .map_err(|_| format!("{event}: not the event's tuple"))?;
    Ok(value)
}

/// One type form: how Rust encodes it (`W`, the declaration itself or its
/// one-field record `XBox`, which encodes exactly as `X`), how Luau holds it,
/// and how two values compare.
pub struct Case<T, W> {
    pub event: &'static str,
    pub wrap: fn(T) -> W,
    pub lv: fn(&T) -> Lv,
    pub same: fn(&T, &T) -> bool,
    /// Whether Luau writes the same bytes as Rust: not for a map of several
    /// entries, which each side writes in its own iteration order.
    pub ordered: fn(&T) -> bool,
}

/// The case of an alias `X`, sent by `SendX`, encoded alone as `XBox`.
macro_rules! boxed {
    ($alias:ident, $boxed:ident) => {
        crate::luau_cross::case::Case::<tether_tests::types::$alias, tether_tests::types::$boxed> {
            event: concat!("Send", stringify!($alias)),
            wrap: |v| tether_tests::types::$boxed { v },
            lv: crate::luau_cross::lv::ToLv::lv,
            same: |a, b| a == b,
            ordered: |_| true,
        }
    };
}
pub(crate) use boxed;

/// The case of a record or an enum.
macro_rules! nominal {
    ($decl:ident) => {
        crate::luau_cross::case::Case::<tether_tests::types::$decl, tether_tests::types::$decl> {
            event: concat!("Send", stringify!($decl)),
            wrap: |v| v,
            lv: crate::luau_cross::lv::ToLv::lv,
            same: |a, b| a == b,
            ordered: |_| true,
        }
    };
}
pub(crate) use nominal;

impl<T, W> Case<T, W>
where
    T: Clone + Debug + 'static,
    W: Encode,
{
    pub fn with_lv(self, lv: fn(&T) -> Lv) -> Self {
        Case { lv, ..self }
    }

    pub fn with_same(self, same: fn(&T, &T) -> bool) -> Self {
        Case { same, ..self }
    }

    pub fn with_ordered(self, ordered: fn(&T) -> bool) -> Self {
        Case { ordered, ..self }
    }

    /// Rust's bytes and instance list for `value`.
    pub fn encode(&self, value: &T) -> Result<(Vec<u8>, Vec<InstanceId>), TestCaseError> {
        rust_message(self.event, |w| (self.wrap)(value.clone()).encode(w))
            .map_err(|e| fail(format!("{}: Rust refuses {value:?}: {e}", self.event)))
    }

    /// Rust → Luau: Rust's frame of `value`, fired to the Luau client, which
    /// must deliver the value Rust itself decodes from those bytes.
    pub fn rust_to_luau(&self, cross: &mut Cross, value: &T) -> Result<(), TestCaseError> {
        let event = self.event;
        let (bytes, ids) = self.encode(value)?;
        let view = cross.pool.view(&ids);
        let decoded: T = rust_decode(event, &bytes, &view).map_err(fail)?;
        prop_assert!(
            (self.same)(value, &decoded),
            "{}: Rust sent {:?} and decoded {:?}",
            event,
            value,
            decoded
        );
        let rejected = cross.rejected(cross.client_side());
        cross.fire_to_client(false, &bytes, &ids);
        let arrived = cross.expect_on_client(event, &(self.lv)(&decoded));
        prop_assert_eq!(
            cross.rejected(cross.client_side()),
            rejected,
            "{}: the Luau client rejected Rust's {}",
            event,
            hex(&bytes)
        );
        arrived.map_err(|e| fail(format!("{e}\n  sent (Rust): {value:?} as {}", hex(&bytes))))?;
        cross.script_errors().map_err(fail)
    }

    /// Luau → Rust: the Luau server fires `value`; its frame must hold Rust's
    /// bytes and instance list for the value (a map's entries in any order),
    /// Rust must decode it back to `value`, and the Luau client too.
    pub fn luau_to_rust(&self, cross: &mut Cross, value: &T) -> Result<(), TestCaseError> {
        let event = self.event;
        let (bytes, ids) = self.encode(value)?;
        let view = cross.pool.view(&ids);
        let lv = (self.lv)(value);
        let frames = cross.luau_fires(event, &lv).map_err(fail)?;
        let frame = one_frame(event, frames)?;
        if (self.ordered)(value) {
            prop_assert_eq!(
                hex(&frame.bytes),
                hex(&bytes),
                "{}: Luau's bytes (left) for {:?}",
                event,
                value
            );
            prop_assert_eq!(&frame.instances, &view, "{}: the instance list", event);
        } else {
            prop_assert_eq!(
                frame.bytes.len(),
                bytes.len(),
                "{}: Luau's {} and Rust's {} for {:?}",
                event,
                hex(&frame.bytes),
                hex(&bytes),
                value
            );
        }
        let back: T = rust_decode(event, &frame.bytes, &frame.instances).map_err(fail)?;
        prop_assert!(
            (self.same)(value, &back),
            "{}: Luau sent {:?}, Rust decoded {:?}",
            event,
            value,
            back
        );
        let expected = (self.lv)(&back);
        cross
            .expect_on_client(event, &expected)
            .map_err(|e| fail(format!("Luau to Luau: {e}")))?;
        cross.script_errors().map_err(fail)
    }

    /// Both directions.
    pub fn check(&self, cross: &mut Cross, value: &T) -> Result<(), TestCaseError> {
        self.rust_to_luau(cross, value)?;
        self.luau_to_rust(cross, value)
    }

    /// Runs [`Case::check`] on `cases` random values, in one place.
    pub fn run<S: Strategy<Value = T>>(&self, cases: u32, strategy: impl FnOnce(&Cross) -> S) {
        self.run_with(cases, strategy, |case, cross, value| {
            case.check(cross, value)
        });
    }

    /// Runs `test` on `cases` random values, in one place.
    pub fn run_with<S: Strategy<Value = T>>(
        &self,
        cases: u32,
        strategy: impl FnOnce(&Cross) -> S,
        test: impl Fn(&Self, &mut Cross, &T) -> Result<(), TestCaseError>,
    ) {
        let cross = Cross::types();
        let strategy = strategy(&cross);
        let cross = RefCell::new(cross);
        run(cases, &strategy, |value| {
            let mut cross = cross.borrow_mut();
            cross.reset();
            test(self, &mut cross, &value)
        });
    }
}

pub fn one_frame(event: &str, mut frames: Vec<Frame>) -> Result<Frame, TestCaseError> {
    prop_assert_eq!(frames.len(), 1, "{}: the frames that arrived", event);
    let frame = frames.remove(0);
    prop_assert!(!frame.unreliable, "{}: a reliable frame", event);
    Ok(frame)
}

/// Runs a property over `cases` values of `strategy`; panics with the
/// smallest failing value.
pub fn run<S: Strategy>(
    cases: u32,
    strategy: &S,
    test: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    if let Err(e) = runner.run(strategy, test) {
        panic!("{e}");
    }
}
