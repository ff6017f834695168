//! Frames of several messages (docs/wire-format.md, section 7): the reliable
//! messages of one tick to one receiver travel in one frame, each message
//! with a fresh bit state, all sharing one instance list.

use std::collections::HashMap;

use tether_runtime::types::{InstanceId, Ref};
use tether_runtime::{Channel, Visibility};
use tether_tests::types as t;

use super::case::hex;
use super::harness::{Cross, DT};
use super::lv::ToLv;

/// The Luau server's three events of one tick, and the Rust server's: one
/// frame, the same bytes, the same instance list.
#[test]
fn three_events_of_one_tick_are_one_frame_on_both_sides() {
    let mut cross = Cross::types();
    let (p1, p2, m1) = (
        cross.pool.parts[0],
        cross.pool.parts[1],
        cross.pool.models[0],
    );
    let refs = t::Refs {
        a: Some(Ref::new(p2)),
        b: Some(Ref::new(m1)),
        c: Some(Ref::new(p1)),
    };
    let pair = t::Pair {
        a: true,
        n: 42,
        c: false,
    };

    // The Rust runtime, its instances registered under ids of its own.
    let server = t::Server::new();
    let player = server.runtime().connect_player();
    let mut ours = HashMap::new();
    for id in [p1, p2, m1] {
        let class = if id == m1 { "Model" } else { "Part" };
        ours.insert(
            server
                .runtime()
                .instances()
                .register_named(class, Visibility::Everyone)
                .expect("a Roblox class"),
            id,
        );
    }
    let theirs: HashMap<InstanceId, InstanceId> = ours.iter().map(|(k, v)| (*v, *k)).collect();
    let rust_id = |id: InstanceId| theirs[&id];
    server
        .send_opt_part()
        .fire_client(&player, Some(Ref::new(rust_id(p1))))
        .expect("sends");
    server
        .send_refs()
        .fire_client(
            &player,
            t::Refs {
                a: Some(Ref::new(rust_id(p2))),
                b: Some(Ref::new(rust_id(m1))),
                c: Some(Ref::new(rust_id(p1))),
            },
        )
        .expect("sends");
    server
        .send_pair()
        .fire_client(&player, pair.clone())
        .expect("sends");
    let packets = server.runtime().take_packets();
    assert_eq!(packets.len(), 1, "one frame");
    let packet = &packets[0].1;
    assert_eq!(packet.channel, Channel::Reliable);
    let rust_list: Vec<InstanceId> = packet
        .instances
        .iter()
        .map(|id| ours[&id.expect("visible to the player")])
        .collect();
    // Each instance once, at its first reference: P1 (SendOptPart), then P2
    // and M1 (SendRefs, whose C is P1 again).
    assert_eq!(rust_list, [p1, p2, m1]);

    // The Luau server, in one tick.
    let source = |v: &dyn ToLv| cross.render(&v.lv(), false, false);
    let chunk = format!(
        "local p = game.Players.Alice\n\
         X.Net.SendOptPart:FireClient(p, {})\n\
         X.Net.SendRefs:FireClient(p, {})\n\
         X.Net.SendPair:FireClient(p, {})",
        source(&Some(Ref::<tether::roblox::classes::Part>::new(p1))),
        source(&refs),
        source(&pair),
    );
    cross.server_sends(&chunk).unwrap_or_else(|e| panic!("{e}"));
    let frames = cross.take_client_frames();
    assert_eq!(frames.len(), 1, "one frame: {frames:?}");
    let frame = &frames[0];
    assert!(!frame.unreliable);
    assert_eq!(hex(&frame.bytes), hex(&packet.bytes));
    let luau_list: Vec<InstanceId> = frame
        .instances
        .iter()
        .map(|id| id.expect("visible"))
        .collect();
    assert_eq!(luau_list, rust_list);
    let client = cross.client_side();
    assert_eq!(
        cross.take_events(client),
        ["SendOptPart", "SendRefs", "SendPair"]
    );

    // Rust's frame to the Luau client: the three events, in order.
    cross.fire_to_client(false, &packet.bytes, &rust_list);
    let part = Some(Ref::<tether::roblox::classes::Part>::new(p1));
    cross
        .expect_next_on_client("SendOptPart", &part.lv())
        .and_then(|()| cross.expect_next_on_client("SendRefs", &refs.lv()))
        .and_then(|()| cross.expect_on_client("SendPair", &pair.lv()))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cross.rejected(client), 0);

    // A tick without messages sends nothing.
    cross.place.step_n(3, DT).expect("steps");
    assert_eq!(cross.take_client_frames().len(), 1, "Rust's firing only");
}

/// Messages of different ticks travel in different frames, each with its
/// own instance list (indices start again at 1).
#[test]
fn each_tick_has_its_own_frame_and_instance_list() {
    let mut cross = Cross::types();
    let (p1, p2) = (cross.pool.parts[0], cross.pool.parts[1]);
    for part in [p1, p2, p1] {
        cross
            .server_sends(&format!(
                "X.Net.SendOptPart:FireClient(game.Players.Alice, {})",
                cross.render(
                    &Some(Ref::<tether::roblox::classes::Part>::new(part)).lv(),
                    false,
                    false
                )
            ))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let frames = cross.take_client_frames();
    assert_eq!(frames.len(), 3);
    for (frame, part) in frames.iter().zip([p1, p2, p1]) {
        // Id 73, present, index 1.
        assert_eq!(hex(&frame.bytes), "C9 01 00 00 00");
        assert_eq!(frame.instances, [Some(part)]);
    }
}
