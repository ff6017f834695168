//! Instances: references into the frame's instance list (docs/wire-format.md,
//! section 4.9). An instance's Rust id is its NetId in the mock, so Rust's
//! list and the list Luau fires name the same instances.

use proptest::prelude::*;
use tether_runtime::types::{InstanceId, Ref};
use tether_tests::types as t;

use super::case::{boxed, hex, nominal, one_frame, rust_decode};
use super::harness::Cross;
use super::lv::{Lv, ToLv};
use super::strategies::one_of;

const CASES: u32 = 24;

#[test]
fn optional_instances_cross() {
    boxed!(OptPart, OptPartBox).run(CASES, |c| {
        prop::option::of(one_of(&c.pool.parts).prop_map(Ref::new))
    });
    boxed!(OptModel, OptModelBox).run(CASES, |c| {
        prop::option::of(one_of(&c.pool.models).prop_map(Ref::new))
    });
}

#[test]
fn players_cross() {
    boxed!(Who, WhoBox).run(4, |c| Just(Some(Ref::new(c.pool.player))));
    boxed!(OptWho, OptWhoBox).run(8, |c| prop::option::of(Just(Ref::new(c.pool.player))));
}

/// Two references to one instance share its entry: the list holds each
/// instance once, at its first reference.
#[test]
fn references_share_entries_of_the_instance_list() {
    nominal!(Refs).run(CASES, |c| {
        let part = || prop::option::of(one_of(&c.pool.parts[..2]).prop_map(Ref::new));
        let model = prop::option::of(one_of(&c.pool.models).prop_map(Ref::new));
        (part(), model, part()).prop_map(|(a, b, c)| t::Refs { a, b, c })
    });
}

#[test]
fn the_same_instance_twice_is_one_entry() {
    let mut cross = Cross::types();
    let part = cross.pool.parts[0];
    let model = cross.pool.models[0];
    let refs = t::Refs {
        a: Some(Ref::new(part)),
        b: Some(Ref::new(model)),
        c: Some(Ref::new(part)),
    };
    let case = nominal!(Refs);
    let (bytes, ids) = case.encode(&refs).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids, [part, model]);
    // Id 77, A present; A index 1; B and C present; B index 2; C index 1.
    assert_eq!(hex(&bytes), "CD 01 00 00 00 03 02 00 00 00 01 00 00 00");
    case.check(&mut cross, &refs)
        .unwrap_or_else(|e| panic!("{e}"));
}

/// An instance the receiver cannot see arrives as nil, optional or not: the
/// sender did send it (its entry is in the list), and the receiver's list has
/// a hole there (Rust: `None`).
#[test]
fn an_instance_the_client_cannot_see_arrives_as_nil() {
    let mut cross = Cross::types();
    let (hidden, model) = (cross.pool.hidden, cross.pool.models[1]);
    let refs = t::Refs {
        a: Some(Ref::new(hidden)),
        b: Some(Ref::new(model)),
        c: None,
    };
    let seen = t::Refs {
        a: None,
        b: Some(Ref::new(model)),
        c: None,
    };

    // Rust → Luau: the list Rust fires names the hidden part first; the
    // client gets nil there and still finds the model at index 2.
    let case = nominal!(Refs);
    let (bytes, ids) = case.encode(&refs).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids, [hidden, model]);
    cross.fire_to_client(false, &bytes, &ids);
    cross
        .expect_on_client("SendRefs", &seen.lv())
        .unwrap_or_else(|e| panic!("{e}"));

    // Luau → Rust: the same bytes, and the same list with a hole.
    let frames = cross
        .luau_fires("SendRefs", &refs.lv())
        .unwrap_or_else(|e| panic!("{e}"));
    let frame = one_frame("SendRefs", frames).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(hex(&frame.bytes), hex(&bytes));
    assert_eq!(frame.instances, [None, Some(model)]);
    let back: t::Refs =
        rust_decode("SendRefs", &frame.bytes, &frame.instances).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, seen);
    cross
        .expect_on_client("SendRefs", &seen.lv())
        .unwrap_or_else(|e| panic!("{e}"));

    // A `Player` is not optional, yet a hidden one arrives as nil too.
    let who = boxed!(Who, WhoBox);
    let (bytes, _) = who
        .encode(&Some(Ref::new(hidden)))
        .unwrap_or_else(|e| panic!("{e}"));
    cross.fire_to_client(false, &bytes, &[hidden]);
    cross
        .expect_on_client("SendWho", &Lv::Nil)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cross.rejected(cross.client_side()), 0);
}

/// An encoder refuses an instance of another class, and nil where the type
/// is not optional, on both sides.
#[test]
fn encoders_refuse_instances_outside_the_type() {
    let mut cross = Cross::types();
    let (model, folder) = (cross.pool.models[0], cross.pool.folder);
    for (event, value) in [
        ("SendOptPart", Lv::Inst(model)),
        ("SendOptModel", Lv::Inst(folder)),
        ("SendWho", Lv::Inst(model)),
        ("SendWho", Lv::Nil),
    ] {
        let error = cross.luau_fires(event, &value).expect_err(event);
        assert!(error.contains("expected"), "{event}: {error}");
    }
    assert!(cross.take_client_frames().is_empty());
    assert!(boxed!(Who, WhoBox).encode(&None).is_err());
}

/// A reference to an instance of the wrong class: the Luau client checks the
/// class (`IsA`) and drops the frame. The Rust client cannot (an
/// `InstanceId` carries no class; section 4.9: "a client takes the server's
/// references as they come").
#[test]
fn the_luau_client_checks_the_class_of_what_it_gets() {
    let mut cross = Cross::types();
    let folder = cross.pool.folder;
    let case = boxed!(OptPart, OptPartBox);
    // Rust's encoder takes any id for a `Ref<Part>`: forge one.
    let forged = Some(Ref::new(folder));
    let (bytes, ids) = case.encode(&forged).unwrap_or_else(|e| panic!("{e}"));
    let client = cross.client_side();
    let before = cross.rejected(client);
    cross.fire_to_client(false, &bytes, &ids);
    assert_eq!(cross.rejected(client), before + 1);
    assert!(cross.take_events(client).is_empty());
    let rust: t::OptPart = rust_decode("SendOptPart", &bytes, &[Some(InstanceId(folder.0))])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rust, forged);
}

/// Instances key maps and sets as themselves: a Luau table keyed by the
/// instances, a Rust `HashMap` keyed by `Ref`s.
#[test]
fn instance_keyed_maps_and_sets_cross() {
    boxed!(PartScores, PartScoresBox)
        .with_ordered(|m| m.len() <= 1)
        .run(CASES, |c| {
            prop::collection::hash_map(one_of(&c.pool.parts).prop_map(Ref::new), any::<u8>(), 0..=3)
        });
    boxed!(ModelSet, ModelSetBox)
        .with_ordered(|s| s.len() <= 1)
        .run(CASES, |c| {
            prop::collection::hash_set(one_of(&c.pool.models).prop_map(Ref::new), 0..=2)
        });
}

/// An entry whose key the client cannot see is left out on the Luau
/// client, as the Rust decoder leaves it out, and the rest arrives.
#[test]
fn an_entry_keyed_by_an_instance_the_client_cannot_see_is_left_out() {
    let mut cross = Cross::types();
    let (hidden, part) = (cross.pool.hidden, cross.pool.parts[0]);
    let scores: t::PartScores = [(Ref::new(hidden), 5), (Ref::new(part), 6)].into();
    let seen: t::PartScores = [(Ref::new(part), 6)].into();
    let case = boxed!(PartScores, PartScoresBox);
    let (bytes, ids) = case.encode(&scores).unwrap_or_else(|e| panic!("{e}"));
    cross.fire_to_client(false, &bytes, &ids);
    cross
        .expect_on_client("SendPartScores", &seen.lv())
        .unwrap_or_else(|e| panic!("{e}"));

    let models: t::ModelSet = [Ref::new(hidden), Ref::new(cross.pool.models[0])].into();
    let case = boxed!(ModelSet, ModelSetBox);
    let (bytes, ids) = case.encode(&models).unwrap_or_else(|e| panic!("{e}"));
    cross.fire_to_client(false, &bytes, &ids);
    let seen: t::ModelSet = [Ref::new(cross.pool.models[0])].into();
    cross
        .expect_on_client("SendModelSet", &seen.lv())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cross.rejected(cross.client_side()), 0);
}
