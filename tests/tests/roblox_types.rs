//! The Roblox enums and classes the runtime ships (`tether_runtime::roblox`)
//! against the ones generated code defines for a schema: the same items in
//! the same order, the same names, and the same bytes on the wire, so that
//! generated code can name the runtime's types instead of its own.

use std::fmt::Debug;

use tether_runtime::roblox::{classes, enums};
use tether_runtime::types::Class;
use tether_runtime::wire::{decode_message, encode_message, Decode, Encode};
use tether_tests::game::{roblox_classes as game_classes, roblox_enums as game_enums};

/// Checks every item of a generated enum against the runtime's.
fn same_items<G, R>(
    generated: &[G],
    runtime: &[R],
    generated_name: fn(G) -> &'static str,
    runtime_name: fn(R) -> &'static str,
) where
    G: Encode + Decode + Copy + Debug + PartialEq,
    R: Encode + Decode + Copy + Debug + PartialEq,
{
    assert_eq!(generated.len(), runtime.len());
    for (&g, &r) in generated.iter().zip(runtime) {
        assert_eq!(generated_name(g), runtime_name(r));
        assert_eq!(format!("{g:?}"), format!("{r:?}"));
        let (bytes, _) = encode_message(&g).unwrap_or_else(|e| panic!("{g:?}: {e}"));
        let (runtime_bytes, _) = encode_message(&r).unwrap_or_else(|e| panic!("{r:?}: {e}"));
        assert_eq!(bytes, runtime_bytes, "{g:?}");
        assert_eq!(decode_message::<R>(&bytes, &[]), Ok(r));
        assert_eq!(decode_message::<G>(&runtime_bytes, &[]), Ok(g));
    }
}

#[test]
fn runtime_enums_are_the_generated_ones() {
    same_items(
        &game_enums::KeyCode::ALL,
        &enums::KeyCode::ALL,
        game_enums::KeyCode::name,
        enums::KeyCode::name,
    );
    same_items(
        &game_enums::Material::ALL,
        &enums::Material::ALL,
        game_enums::Material::name,
        enums::Material::name,
    );
    // Variants answer to the same names.
    assert_eq!(game_enums::KeyCode::E.index(), enums::KeyCode::E.index());
    assert_eq!(
        game_enums::Material::Neon.index(),
        enums::Material::Neon.index()
    );
}

#[test]
fn runtime_classes_are_the_generated_ones() {
    fn name<C: Class>() -> &'static str {
        C::NAME
    }
    assert_eq!(
        name::<game_classes::BasePart>(),
        name::<classes::BasePart>()
    );
    assert_eq!(name::<game_classes::Model>(), name::<classes::Model>());
    assert_eq!(name::<game_classes::Tool>(), name::<classes::Tool>());
    // Both are the runtime's own player class.
    let player: fn() -> &'static str = name::<game_classes::Player>;
    assert_eq!(player(), name::<classes::Player>());
}
