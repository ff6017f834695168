//! A hostile client against the generated Luau server of
//! `schemas/game.tether` (and of `tests/schemas/edge.tether` for unbounded
//! lengths and recursion): it fires the protocol's remotes itself
//! (`fire_server_raw`) with anything at all. Nothing it sends may raise an
//! error on the server or reach a handler; a message whose values break the
//! schema is refused alone, bytes that cannot be read drop their frame from
//! there, each counted by reason; an honest client beside it keeps working.
//!
//! Valid frames come from the Rust runtime's generated client (the bytes
//! are the same by design) and are then broken on purpose.

use crate::game as luau_game;

use std::collections::BTreeMap;

use luau_game::Game;
use tether_roblox_mock::{ClientId, NetId, Side, WireValue};
use tether_runtime::types::{CFrame, Matrix3, Vector3};
use tether_runtime::Packet;
use tether_tests::game;

const GAME: &str = "../schemas/game.tether";
const RELIABLE: &str = "ReplicatedStorage.Tether.game.Reliable";
const UNRELIABLE: &str = "ReplicatedStorage.Tether.game.Unreliable";

/// The frame (or datagram) the Rust client writes for what `send` sends.
fn frame(send: impl FnOnce(&game::Client)) -> Packet {
    let client = game::Client::new();
    send(&client);
    let mut packets = client.runtime().take_packets();
    assert_eq!(packets.len(), 1, "one packet");
    packets.remove(0)
}

fn chat(message: &str) -> Vec<u8> {
    frame(|c| {
        c.chat()
            .fire_server(message.into(), game::Team::Blue)
            .unwrap()
    })
    .bytes
}

fn attack() -> Vec<u8> {
    frame(|c| {
        let aim = CFrame::new(Vector3::new(1.0, 2.0, 3.0), Matrix3::identity());
        c.combat().attack().fire_server(aim, 7).unwrap()
    })
    .bytes
}

fn aim(spread: f32) -> Vec<u8> {
    frame(|c| {
        c.combat()
            .aim()
            .fire_server(Vector3::new(0.0, 0.0, 1.0), spread)
            .unwrap()
    })
    .bytes
}

/// Spectate(player, focus) with both instances at list indices 1 and 2.
fn spectate() -> Vec<u8> {
    // 4 bits of id (8), a presence bit and a u32 reference for each.
    let mut bytes = vec![0x08 | 0x10 | 0x20];
    bytes.extend(1u32.to_le_bytes());
    bytes.extend(2u32.to_le_bytes());
    bytes
}

fn args(bytes: Vec<u8>, instances: Vec<WireValue>) -> Vec<WireValue> {
    vec![WireValue::Buffer(bytes), WireValue::Array(instances)]
}

/// A game whose server has a handler on every remote a client may send,
/// each printing `handled <name>`, and counts `T.Rejected` reports.
struct Arena {
    game: Game,
    mallory: ClientId,
    alice: ClientId,
    part: NetId,
    model: NetId,
}

impl Arena {
    fn new() -> Arena {
        let mut game = Game::new(GAME);
        game.server(
            r#"
            local part = Instance.new("Part") part.Name = "Target" part.Parent = workspace
            local model = Instance.new("Model") model.Name = "Enemy" model.Parent = workspace
            for _, path in { "Chat", "Equip", "LegacyChat", "Spectate", "Combat.Attack", "Combat.Aim" } do
                local remote = Net
                for part in string.gmatch(path, "[^.]+") do remote = remote[part] end
                remote.OnServerEvent:Connect(function(player, ...)
                    print("handled", path, player.Name, args(...))
                end)
            end
            Net.Shop.Buy.OnServerInvoke = function(player) print("handled Shop.Buy", player.Name) return true end
            Net.Shop.Prices.OnServerInvoke = function(player) print("handled Shop.Prices", player.Name) return {} end
            _G.reports = {}
            T.Rejected:Connect(function(player, reason) table.insert(_G.reports, player.Name .. ": " .. reason) end)
            "#,
        );
        // Mallory runs no generated module: she fires by hand.
        let mallory = game.place.add_client("Mallory").unwrap();
        let alice = game.join("Alice");
        game.step();
        let part = game
            .place
            .net_id(Side::Server, "Workspace.Target")
            .unwrap()
            .unwrap();
        let model = game
            .place
            .net_id(Side::Server, "Workspace.Enemy")
            .unwrap()
            .unwrap();
        Arena {
            game,
            mallory,
            alice,
            part,
            model,
        }
    }

    fn rejected(&mut self) -> BTreeMap<String, f64> {
        self.game.eval(Side::Server, "T.Stats.rejected")
    }

    fn fire(&mut self, remote: &str, args: Vec<WireValue>) {
        self.game
            .place
            .fire_server_raw(self.mallory, remote, args)
            .unwrap();
    }

    /// Fires one hostile firing and checks it was dropped for `reason`,
    /// reached no handler and raised nothing.
    fn refused(&mut self, what: &str, remote: &str, args: Vec<WireValue>, reason: &str) {
        let before = self.rejected();
        self.fire(remote, args);
        self.game.step();
        let mut after = self.rejected();
        let counted = after.remove(reason).unwrap_or(0.0) - before.get(reason).unwrap_or(&0.0);
        assert_eq!(counted, 1.0, "{what}: counted as {reason:?}: {after:?}");
        for (key, value) in &after {
            assert_eq!(
                Some(value),
                before.get(key),
                "{what}: also counted as {key}"
            );
        }
        assert_eq!(
            self.game.printed(Side::Server),
            Vec::<String>::new(),
            "{what}: reached a handler"
        );
        self.game.assert_quiet();
    }
}

#[test]
fn firings_that_are_no_frame_are_refused() {
    let mut arena = Arena::new();
    let cases: Vec<(&str, Vec<WireValue>)> = vec![
        ("nothing", vec![]),
        ("nil", vec![WireValue::Nil]),
        ("a string", vec!["\u{4}hi".into()]),
        ("a number", vec![4.into()]),
        ("a boolean", vec![true.into()]),
        (
            "a table of bytes",
            vec![vec![WireValue::from(4), 0.into()].into()],
        ),
        (
            "a dictionary",
            vec![WireValue::dictionary([(
                "buffer",
                WireValue::Buffer(chat("hi")),
            )])],
        ),
        ("an instance", vec![WireValue::Instance(arena.part)]),
        ("a Vector3", vec![WireValue::Vector3([1.0, 2.0, 3.0])]),
    ];
    for (what, args) in cases {
        arena.refused(what, RELIABLE, args.clone(), "not a buffer");
        arena.refused(what, UNRELIABLE, args, "not a buffer");
    }
}

#[test]
fn frames_that_break_the_schema_are_refused() {
    let mut arena = Arena::new();
    let good = chat("hi");
    assert_eq!(
        good,
        [0x14, 0x10, b'h', b'i'],
        "id 4, length 2 - 1 in 8 bits, Blue in 2"
    );

    let mut cut = good.clone();
    cut.pop();
    let mut long = vec![0x04 | 0xF0, 0x0F | 0x10]; // 256 bytes: more than string(1..200) allows
    long.extend([b'a'; 256]);
    let mut tag = good.clone();
    tag[1] |= 0x30; // Team has 3 variants: tag 3 is none of them
    let mut binary = good.clone();
    binary[2..4].copy_from_slice(&[0xFF, 0xFE]);
    let mut nan = attack();
    nan[1..5].copy_from_slice(&f32::NAN.to_le_bytes()); // the CFrame's X
    let mut weapon = attack();
    let at = weapon.len() - 4;
    weapon[at..].copy_from_slice(&0u32.to_le_bytes()); // ItemId is u32(1..)
    let mut good_then_bad = good.clone();
    good_then_bad.push(0x0F);
    let mut two_then_cut = good.clone();
    two_then_cut.extend(&good);
    two_then_cut.extend(&attack()[..10]);

    let reliable: Vec<(&str, Vec<u8>, &str)> = vec![
        ("an unknown id", vec![0x0F], "unknown message"),
        ("the last of 9 ids plus one", vec![0x09], "unknown message"),
        ("a message cut short", cut, "truncated"),
        ("an id and nothing more", vec![0x04], "truncated"),
        (
            "a string longer than its bound",
            long,
            "length out of range",
        ),
        ("a bad enum tag", tag, "unknown enum variant"),
        ("bytes that are not UTF-8", binary, "string is not UTF-8"),
        ("NaN in a CFrame", nan, "NaN in a datatype component"),
        ("an integer below its range", weapon, "number out of range"),
        (
            "a good message then an unknown id",
            good_then_bad,
            "unknown message",
        ),
        (
            "two good messages then half of one",
            two_then_cut,
            "truncated",
        ),
        (
            "an unreliable event on the reliable remote",
            aim(1.0),
            "message on the wrong channel",
        ),
    ];
    for (what, bytes, reason) in reliable {
        arena.refused(what, RELIABLE, args(bytes, vec![]), reason);
    }

    let mut spread_nan = aim(1.0);
    let at = spread_nan.len() - 4;
    spread_nan[at..].copy_from_slice(&f32::NAN.to_le_bytes());
    let mut spread_wide = aim(1.0);
    spread_wide[at..].copy_from_slice(&46f32.to_le_bytes());
    let mut extra = aim(1.0);
    extra.push(0);
    let unreliable: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "NaN where a finite number goes",
            spread_nan,
            "not a finite number",
        ),
        (
            "a float above its range",
            spread_wide,
            "number out of range",
        ),
        (
            "bytes after the datagram's message",
            extra,
            "bytes after the message of a datagram",
        ),
        (
            "a reliable event on the unreliable remote",
            chat("hi"),
            "message on the wrong channel",
        ),
    ];
    for (what, bytes, reason) in unreliable {
        arena.refused(what, UNRELIABLE, args(bytes, vec![]), reason);
    }

    // The frames above were whole frames from Mallory's side; her next
    // good frame is read as usual.
    arena.fire(RELIABLE, args(chat("fine"), vec![]));
    arena.game.step();
    assert_eq!(
        arena.game.printed(Side::Server),
        [r#"handled Chat Mallory "fine", "Blue""#]
    );
}

/// Each message of a frame stands alone, as each `FireServer` does in
/// Roblox: one whose values break the schema is refused and counted, and
/// the frame's good messages are handled.
#[test]
fn a_bad_message_costs_only_itself() {
    let mut arena = Arena::new();
    let mut binary = chat("hi");
    binary[2..4].copy_from_slice(&[0xFF, 0xFE]);
    let mut bytes = chat("one");
    bytes.extend(&binary);
    bytes.extend(&chat("two"));
    let before = arena.rejected();
    arena.fire(RELIABLE, args(bytes, vec![]));
    arena.game.step();
    assert_eq!(
        arena.game.printed(Side::Server),
        [
            r#"handled Chat Mallory "one", "Blue""#,
            r#"handled Chat Mallory "two", "Blue""#
        ]
    );
    let after = arena.rejected();
    let utf8 = |r: &BTreeMap<String, f64>| r.get("string is not UTF-8").copied().unwrap_or(0.0);
    assert_eq!(utf8(&after) - utf8(&before), 1.0);
    assert_eq!(arena.game.stat(Side::Server, "messagesRefused"), 1.0);
}

/// Instances are checked against their declared class, whatever the list
/// holds; the player a handler gets is the sender, never a payload's.
#[test]
fn forged_instances_never_reach_a_handler() {
    let mut arena = Arena::new();
    let alice_player = arena.game.place.player_net_id(arena.alice).unwrap();
    let (part, model) = (arena.part, arena.model);
    let cases: Vec<(&str, Vec<WireValue>)> = vec![
        ("a Part as the Player", vec![part.into(), part.into()]),
        (
            "a Model as the BasePart",
            vec![alice_player.into(), model.into()],
        ),
        (
            "a Player as the BasePart",
            vec![WireValue::Nil, alice_player.into()],
        ),
        (
            "a player's name as the Player",
            vec!["Alice".into(), part.into()],
        ),
        (
            "a player's UserId as the Player",
            vec![2.into(), part.into()],
        ),
        (
            "a table posing as a Player",
            vec![
                WireValue::dictionary([("Name", WireValue::from("Alice")), ("UserId", 2.into())]),
                part.into(),
            ],
        ),
        (
            "a Vector3 as the BasePart",
            vec![alice_player.into(), WireValue::Vector3([0.0; 3])],
        ),
    ];
    for (what, instances) in cases {
        arena.refused(
            what,
            RELIABLE,
            args(spectate(), instances),
            "instance of the wrong class",
        );
    }
    // A reference to 0 where an instance is required is nil, refused: the
    // message's own bytes say what may be nil.
    arena.refused(
        "nil where an instance must be",
        RELIABLE,
        args(
            vec![0x08 | 0x10 | 0x20, 0, 0, 0, 0, 1, 0, 0, 0],
            vec![part.into()],
        ),
        "nil instance",
    );

    // Pointing at another real player is what Spectate is for; the handler
    // still learns who sent it.
    arena.fire(
        RELIABLE,
        args(spectate(), vec![alice_player.into(), part.into()]),
    );
    // References past the list's end read as instances the server cannot
    // see: nil (section 4.9), never something else.
    arena.fire(RELIABLE, args(spectate(), vec![]));
    arena.game.step();
    assert_eq!(
        arena.game.printed(Side::Server),
        [
            "handled Spectate Mallory Players.Alice, Workspace.Target",
            "handled Spectate Mallory nil, nil",
        ]
    );
    arena.game.assert_quiet();
}

/// The second argument of every firing is a table (empty when no instance
/// is referenced); a firing whose list is anything else is no frame.
#[test]
fn a_firing_whose_instance_list_is_not_a_table_is_refused() {
    let mut arena = Arena::new();
    let part = arena.part;
    let cases: Vec<(&str, Vec<WireValue>)> = vec![
        ("no list", vec![WireValue::Buffer(spectate())]),
        (
            "a string",
            vec![WireValue::Buffer(spectate()), "Workspace.Target".into()],
        ),
        (
            "an instance",
            vec![WireValue::Buffer(spectate()), part.into()],
        ),
        ("a number", vec![WireValue::Buffer(chat("hi")), 1.into()]),
    ];
    for (what, firing) in cases {
        arena.refused(what, RELIABLE, firing, "instance list is not a table");
    }
}

/// A flood of bad frames, of good frames and of requests: the server stays
/// up, counts every one, reports a few a second to `T.Rejected`, keeps the
/// flooder to the rates, and never kicks; Alice is served throughout.
#[test]
fn a_flood_neither_errors_the_server_nor_holds_up_an_honest_client() {
    let mut arena = Arena::new();
    for i in 0..1000u32 {
        let junk = i
            .to_le_bytes()
            .iter()
            .chain(&[0x0F, 0xFF])
            .copied()
            .collect();
        arena.fire(RELIABLE, args(junk, vec![WireValue::Instance(arena.part)]));
    }
    let chats: Vec<u8> = (0..1000).flat_map(|_| chat("spam")).collect();
    arena.fire(RELIABLE, args(chats, vec![]));
    let buy = frame(|c| drop(c.shop().buy().invoke_server(7, 1))).bytes;
    assert_eq!(buy.len(), 7);
    let buys: Vec<u8> = (0..2000u16)
        .flat_map(|call| {
            let mut b = buy.clone();
            b[1..3].copy_from_slice(&call.to_le_bytes());
            b
        })
        .collect();
    arena.fire(RELIABLE, args(buys, vec![]));
    for _ in 0..2000 {
        arena.fire(UNRELIABLE, args(aim(1.0), vec![]));
    }
    arena
        .game
        .client(arena.alice, r#"Net.Chat:FireServer("still here", "Red")"#);
    arena.game.steps(2);

    let printed = arena.game.printed(Side::Server);
    let count = |prefix: &str| printed.iter().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(count("handled Chat Mallory"), 5, "Chat's @rate(5/s)");
    assert_eq!(
        count("handled Shop.Buy Mallory"),
        0,
        "her 500 a second went on chat spam"
    );
    assert_eq!(
        count("handled Combat.Aim Mallory"),
        0,
        "and so did the rest of them"
    );
    assert_eq!(count(r#"handled Chat Alice "still here""#), 1);
    let rejected = arena.rejected();
    assert_eq!(rejected.values().sum::<f64>(), 1000.0, "{rejected:?}");
    let reports: Vec<String> = arena.game.eval(Side::Server, "_G.reports");
    assert_eq!(reports.len(), 10, "at most 10 reports a second per player");
    assert!(
        reports.iter().all(|r| r.starts_with("Mallory: ")),
        "{reports:?}"
    );
    assert!(arena.game.place.kicks().is_empty(), "Tether never kicks");
    arena.game.assert_quiet();

    // A second later she may chat again, and reports resume.
    arena.game.wait(1.0);
    arena.fire(RELIABLE, args(chat("calm"), vec![]));
    arena.fire(RELIABLE, args(vec![0x0F], vec![]));
    arena.game.step();
    assert_eq!(
        arena.game.printed(Side::Server),
        [r#"handled Chat Mallory "calm", "Blue""#]
    );
    assert_eq!(arena.game.eval::<f64>(Side::Server, "#_G.reports"), 11.0);
    arena.game.assert_quiet();
}

/// Responses are matched to the server's own calls: a response to a call
/// never made is counted and dropped; a broken response to a real call is
/// refused, and the call still waits for a good one (or its timeout).
#[test]
fn forged_responses_are_matched_to_real_calls_only() {
    let mut arena = Arena::new();
    arena.game.server(
        r#"
        task.spawn(function()
            print("answer", try(function() return Net.ConfirmTeleport:InvokeClient(game.Players.Mallory, "moon") end))
        end)
        "#,
    );
    // The response to ConfirmTeleport is client -> server message 5: id in
    // 4 bits, the call id, a status bit (1: ok) and the boolean.
    let response = |call: u16, status: bool, value: bool| {
        let mut b = vec![0x05 | (u8::from(status) << 4) | (u8::from(value) << 5)];
        b.extend(call.to_le_bytes());
        b
    };
    arena.fire(RELIABLE, args(response(7, true, true), vec![]));
    arena.game.step();
    assert_eq!(arena.game.stat(Side::Server, "unmatchedResponses"), 1.0);
    // An error response whose text is not UTF-8 breaks its frame: status 0,
    // then the text's 8-bit length (3 bits left in the first bit byte, 5 in
    // a second one after the call id), then its bytes.
    let broken = vec![0x05 | (2 << 5), 0, 0, 0, 0xFF, 0xFE];
    arena.refused(
        "an error text that is not UTF-8",
        RELIABLE,
        args(broken, vec![]),
        "string is not UTF-8",
    );
    arena.refused(
        "a response cut short",
        RELIABLE,
        args(response(0, true, true)[..2].to_vec(), vec![]),
        "truncated",
    );
    arena.fire(RELIABLE, args(response(0, true, false), vec![]));
    arena.game.step();
    assert_eq!(arena.game.printed(Side::Server), ["answer ok false"]);
    // The call is over: the same answer again matches nothing.
    arena.fire(RELIABLE, args(response(0, true, true), vec![]));
    arena.game.step();
    assert_eq!(arena.game.stat(Side::Server, "unmatchedResponses"), 2.0);
    arena.game.assert_quiet();
}

/// `tests/schemas/edge.tether`'s `Old` takes a recursive, unbounded `Tree`
/// (`@allow(unbounded-client-input)`): element counts are checked against
/// the bytes left, varints are bounded, and nesting stops at 128.
#[test]
fn huge_lengths_and_deep_nesting_are_refused() {
    let mut game = Game::new("schemas/edge.tether");
    game.server(
        r#"Net.Old.OnServerInvoke = function(player, tree) print("handled Old", show(tree)) return {} end"#,
    );
    let mallory = game.place.add_client("Mallory").unwrap();
    let edge_reliable = "ReplicatedStorage.Tether.edge.Reliable";
    // Old's request is id 7 of 8 (3 bits), then the call id, the presence
    // bit of the optional tree, and the tree: a varint count, then that many trees.
    let old = |tree: &[u8]| {
        let mut b = vec![0x07 | 0x08, 0, 0];
        b.extend(tree);
        b
    };
    let mut deep = vec![1u8; 200];
    deep.push(0);
    let mut fine = vec![1u8; 100];
    fine.push(0);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "a count of 2^32 - 1",
            old(&[0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
            "truncated",
        ),
        (
            "a count of a million with a few bytes",
            old(&[0xC0, 0x84, 0x3D, 0, 0, 0]),
            "truncated",
        ),
        (
            "a varint of six bytes",
            old(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
            "varint longer than 5 bytes",
        ),
        (
            "a varint with a needless byte",
            old(&[0x81, 0x00, 0]),
            "overlong varint",
        ),
        ("trees 200 deep", old(&deep), "nested too deep"),
    ];
    for (what, bytes, reason) in cases {
        game.place
            .fire_server_raw(mallory, edge_reliable, args(bytes, vec![]))
            .unwrap();
        game.step();
        let rejected: f64 = game.eval(Side::Server, &format!("T.Stats.rejected[{reason:?}] or 0"));
        assert_eq!(rejected, 1.0, "{what}");
        game.eval::<()>(Side::Server, "table.clear(T.Stats.rejected)");
        assert!(
            game.printed(Side::Server).is_empty(),
            "{what}: reached the handler"
        );
    }
    game.place
        .fire_server_raw(mallory, edge_reliable, args(old(&fine), vec![]))
        .unwrap();
    game.place
        .fire_server_raw(mallory, edge_reliable, args(old(&[2, 0, 1, 0]), vec![]))
        .unwrap();
    game.step();
    let printed = game.printed(Side::Server);
    assert_eq!(printed.len(), 2);
    assert!(
        printed[0].starts_with("handled Old {{{{"),
        "100 deep is fine"
    );
    assert_eq!(printed[1], "handled Old {{}, {{}}}");
    game.assert_quiet();
}
