//! The Roblox enums and classes the runtime ships (`tether::roblox`), which
//! generated code names instead of defining its own: each enum's items are
//! the facts tables' in wire order, each travels as its index in the tag
//! width of its item count, and a schema's instance types are the runtime's
//! class markers.

use std::fmt::Debug;

use tether::roblox::{classes, enums};
use tether::types::Class;
use tether::wire::{decode_message, encode_message, tag_bits, Decode, Encode};

/// Checks every item of a runtime enum against the facts tables and the
/// wire: its name, and its index written in `tag_bits` of the item count.
fn items_match_the_tables<E>(roblox: &str, all: &[E], name: fn(E) -> &'static str)
where
    E: Encode + Decode + Copy + Debug + PartialEq,
{
    let table = tether_facts::roblox::enum_named(roblox).expect("a known enum");
    assert_eq!(all.len(), table.items.len(), "Enum.{roblox}");
    let bits = tag_bits(u32::try_from(all.len()).expect("a few hundred items"));
    for (index, &item) in all.iter().enumerate() {
        assert_eq!(
            name(item),
            table.items[index].name,
            "Enum.{roblox}[{index}]"
        );
        let (bytes, _) = encode_message(&item).unwrap_or_else(|e| panic!("{item:?}: {e}"));
        // The index in `bits` bits, as one bits field of a message.
        let mut w = tether::wire::Writer::new();
        w.start_message();
        w.bits(index as u32, bits);
        assert_eq!(bytes, w.take().0, "{item:?}");
        assert_eq!(decode_message::<E>(&bytes, &[]), Ok(item));
    }
}

#[test]
fn runtime_enums_follow_the_tables_and_the_wire() {
    items_match_the_tables("KeyCode", &enums::KeyCode::ALL, enums::KeyCode::name);
    items_match_the_tables("Material", &enums::Material::ALL, enums::Material::name);
    assert_eq!(enums::KeyCode::E.name(), "E");
    assert_eq!(enums::Material::Neon.name(), "Neon");
}

#[test]
fn schema_classes_are_the_runtime_markers() {
    fn name<C: Class>() -> &'static str {
        C::NAME
    }
    assert_eq!(name::<classes::BasePart>(), "BasePart");
    assert_eq!(name::<classes::Model>(), "Model");
    assert_eq!(name::<classes::Tool>(), "Tool");
    // The runtime's own player class, so a connected player's reference
    // fits a `Player` parameter.
    assert_eq!(
        name::<classes::Player>(),
        name::<tether::types::PlayerClass>()
    );
    // What the generated `Announce` takes for `from: Player`.
    let from: Option<tether::types::Ref<classes::Player>> = None;
    let _ = tether_tests::game::Server::new()
        .announce()
        .fire_all_clients(String::new(), from, Default::default(), Default::default());
}
