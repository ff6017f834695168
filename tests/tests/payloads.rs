//! What remote events carry, end to end: instances as each player sees
//! them, and every kind of value the game's server events hold.

mod common;

use common::{Game, Log};
use tether::roblox::enums::Material;
use tether_runtime::roblox::classes;
use tether_runtime::types::{
    BrickColor, Color3, ColorSequence, ColorSequenceKeypoint, InstanceId, NumberRange,
    NumberSequence, NumberSequenceKeypoint, Rect, Ref, UDim, UDim2, Value, Vector2, Vector3,
};
use tether_runtime::{InstanceRegistry, Visibility};
use tether_tests::game::combat::Hit;
use tether_tests::game::Shape;

fn hit(target: Option<InstanceId>, damage: u16) -> Hit {
    Hit {
        target: target.map(Ref::new),
        damage,
        critical: damage > 50,
        knockback: Vector3::new(0.0, 1.0, -2.5),
    }
}

#[test]
fn instances_a_player_cannot_see_arrive_as_none() {
    let registry = InstanceRegistry::new();
    let arena = registry
        .register::<classes::Model>(Visibility::Everyone)
        .id();
    let vault = registry
        .register::<classes::Model>(Visibility::ServerOnly)
        .id();
    let mut game = Game::with_instances(registry.clone());
    let (alice, alice_client) = game.join();
    let (_bob, bob_client) = game.join();
    let own = registry
        .register::<classes::Model>(Visibility::player(&alice))
        .id();
    let logs = [Log::default(), Log::default()];
    for (client, log) in [&alice_client, &bob_client].into_iter().zip(&logs) {
        let seen = log.clone();
        client
            .combat()
            .hit_confirmed()
            .connect(move |hit| seen.push((hit.damage, hit.target.map(Ref::id))));
    }

    let hits = game.server.combat().hit_confirmed();
    hits.fire_all_clients(hit(Some(arena), 1)).unwrap();
    hits.fire_all_clients(hit(Some(vault), 2)).unwrap();
    hits.fire_all_clients(hit(Some(own), 3)).unwrap();
    hits.fire_all_clients(hit(None, 4)).unwrap();
    game.step();
    assert_eq!(
        logs[0].take(),
        [(1, Some(arena)), (2, None), (3, Some(own)), (4, None)]
    );
    assert_eq!(
        logs[1].take(),
        [(1, Some(arena)), (2, None), (3, None), (4, None)]
    );
    assert_eq!(alice_client.runtime().stats().rejected.total(), 0);
    assert_eq!(bob_client.runtime().stats().rejected.total(), 0);
}

#[test]
fn the_other_server_events_carry_their_values_intact() {
    let registry = InstanceRegistry::new();
    let tool = registry.register::<classes::Tool>(Visibility::Everyone);
    let mut game = Game::with_instances(registry);
    let (alice, client) = game.join();
    let telemetry = Log::default();
    let seen = telemetry.clone();
    client
        .telemetry()
        .connect(move |payload, frame, range, area, brick, pad, offset| {
            seen.push((payload, frame, range, area, brick, pad, offset));
        });
    let bursts = Log::default();
    let seen = bursts.clone();
    client
        .combat()
        .effects()
        .burst()
        .connect(move |at, shape, tint, material| seen.push((at, shape, tint, material)));
    let previews = Log::default();
    let seen = previews.clone();
    client
        .spawn_preview()
        .connect(move |tool, ui, colors, fade| seen.push((tool, ui, colors, fade)));

    let payload = Value::Map(vec![
        (Value::String("hp".into()), Value::Number(-0.5)),
        (
            Value::String("tags".into()),
            Value::Array(vec![Value::Bool(true), Value::Instance(Some(tool.id()))]),
        ),
    ]);
    let range = NumberRange::new(-1.0, 1.0);
    let area = Rect::new(Vector2::new(0.0, 0.0), Vector2::new(4.0, 3.0));
    let pad = UDim::new(0.5, -8);
    // `frame: f64(nonfinite)` takes NaN.
    game.server
        .telemetry()
        .fire_client(
            &alice,
            payload.clone(),
            f64::NAN,
            range,
            area,
            BrickColor::BrightRed,
            pad,
            Vector2::new(1.0, -1.0),
        )
        .unwrap();
    let size = Vector3::new(1.0, 2.0, 3.0);
    let tint = Color3::new(0.0, 0.5, 1.0);
    game.server
        .combat()
        .effects()
        .burst()
        .fire_all_clients(size, Shape::Box { size }, tint, Material::Neon)
        .unwrap();
    let ui = UDim2::new(UDim::new(1.0, 0), UDim::new(0.0, 36));
    let colors = ColorSequence {
        keypoints: vec![
            ColorSequenceKeypoint::new(0.0, tint),
            ColorSequenceKeypoint::new(1.0, Color3::new(1.0, 1.0, 1.0)),
        ],
    };
    let fade = NumberSequence {
        keypoints: vec![
            NumberSequenceKeypoint::new(0.0, 0.0, 0.0),
            NumberSequenceKeypoint::new(1.0, 1.0, 0.25),
        ],
    };
    game.server
        .spawn_preview()
        .fire_client(&alice, Some(tool), ui, colors.clone(), fade.clone())
        .unwrap();
    game.step();

    let got = telemetry.take();
    assert_eq!(got.len(), 1);
    let (got_payload, frame, got_range, got_area, brick, got_pad, offset) = &got[0];
    assert_eq!(got_payload, &payload);
    assert!(frame.is_nan());
    assert_eq!(
        (got_range, got_area, brick, got_pad),
        (&range, &area, &BrickColor::BrightRed, &pad)
    );
    assert_eq!(offset, &Vector2::new(1.0, -1.0));
    assert_eq!(
        bursts.take(),
        [(size, Shape::Box { size }, tint, Material::Neon)]
    );
    assert_eq!(previews.take(), [(Some(tool), ui, colors, fade)]);
}

#[test]
fn the_server_accepts_an_instance_of_the_declared_class_or_a_subclass_only() {
    let registry = InstanceRegistry::new();
    let part = registry
        .register::<classes::Part>(Visibility::Everyone)
        .id();
    let mesh = registry
        .register::<classes::MeshPart>(Visibility::Everyone)
        .id();
    let model = registry
        .register::<classes::Model>(Visibility::Everyone)
        .id();
    let mut game = Game::with_instances(registry.clone());
    let (alice, client) = game.join();
    let (bob, _bob_client) = game.join();
    let seen = Log::default();
    let log = seen.clone();
    game.server.spectate().connect(move |player, who, focus| {
        log.push((player.id, who.map(Ref::id), focus.map(Ref::id)));
    });
    let spectate = client.spectate();

    // A connected player's own instance fits a `Player` parameter.
    assert_eq!(
        registry.class(bob.instance.expect("a player instance")),
        Some("Player".to_owned())
    );
    spectate
        .fire_server(bob.instance(), Some(Ref::new(part)))
        .unwrap();
    game.step();
    spectate.fire_server(None, Some(Ref::new(mesh))).unwrap();
    game.step();
    assert_eq!(
        seen.take(),
        [
            (alice.id, bob.instance, Some(part)),
            (alice.id, None, Some(mesh))
        ]
    );
    assert_eq!(game.server.runtime().stats().rejected.total(), 0);

    // A reference typed `BasePart` holding a Model, and one typed `Player`
    // holding a Part: the client's types cannot tell, the server can.
    spectate.fire_server(None, Some(Ref::new(model))).unwrap();
    game.step();
    spectate.fire_server(Some(Ref::new(part)), None).unwrap();
    game.step();
    assert_eq!(seen.take(), []);
    let stats = game.server.runtime().stats();
    assert_eq!(stats.rejected.decode, 2);
    let last = stats.last_rejection.expect("a rejection").to_string();
    assert!(last.contains("not a Player"), "{last}");

    // After the rejections the player is still served.
    spectate.fire_server(alice.instance(), None).unwrap();
    game.step();
    assert_eq!(seen.take(), [(alice.id, alice.instance, None)]);
}

#[test]
fn a_disconnected_players_instance_is_gone() {
    let registry = InstanceRegistry::new();
    let mut game = Game::with_instances(registry.clone());
    let (alice, _client) = game.join();
    let instance = alice.instance.expect("a player instance");
    assert_eq!(registry.visibility(instance), Some(Visibility::Everyone));
    game.net.disconnect(&alice);
    assert_eq!(registry.class(instance), None);
}
