//! Refinements end to end: the sender refuses a value outside the schema
//! and sends nothing; a hand-made frame that breaks a range is rejected by
//! the receiver's generated decoder, counted, and never reaches a handler.

mod common;

use tether_runtime::raw::RawClient;

use common::{message_id, Game, Log};
use tether::roblox::enums::{KeyCode, Material};
use tether_runtime::types::{CFrame, Color3, DateTime, Matrix3, Vector3};
use tether_runtime::wire::{DecodeError, Encode, EncodeError, LenRange, RangeError};
use tether_runtime::{Direction, InvokeError, RejectReason, SendError};
use tether_tests::game::{Item, Loadout, Rarity, Session, Shape, Team};

fn item(stack: u16) -> Item {
    Item {
        id: 1,
        name: "Sword".into(),
        rarity: Rarity::Common,
        stack,
        tint: None,
    }
}

fn loadout(perks: &[&str]) -> Loadout {
    Loadout {
        primary: item(1),
        secondary: None,
        perks: perks.iter().map(|perk| (*perk).to_owned()).collect(),
    }
}

fn session(token: &str, ratio: f32) -> Session {
    Session {
        token: token.into(),
        started: 0,
        seed: 0,
        offset: 0,
        ratio,
        heat: 0.0,
        flags: 0,
        recent_names: Vec::new(),
        blob: Vec::new(),
        ids: Vec::new(),
    }
}

fn length(len: u64, min: u32, max: Option<u32>) -> EncodeError {
    EncodeError::LengthOutOfRange { len, min, max }
}

fn int(value: i128, min: i128, max: Option<i128>) -> RangeError {
    RangeError::Int {
        value,
        min: Some(min),
        max,
    }
}

#[test]
fn values_outside_the_schema_are_refused_by_the_sender_and_nothing_is_sent() {
    let mut game = Game::new();
    let (alice, client) = game.join();
    let received = Log::default();
    let seen = received.clone();
    game.server.chat().connect(move |_, m, _| seen.push(m));
    let seen = received.clone();
    game.server
        .equip()
        .connect(move |_, l, _| seen.push(format!("{l:?}")));
    let seen = received.clone();
    game.server
        .combat()
        .aim()
        .connect(move |_, _, s| seen.push(s.to_string()));
    let seen = received.clone();
    game.server.shop().buy().on_invoke(move |_, item, _| {
        seen.push(item.to_string());
        Ok((true, None))
    });
    let seen = received.clone();
    client.welcome().connect(move |s, _| seen.push(s.token));
    let seen = received.clone();
    client
        .shop()
        .restocked()
        .connect(move |items, _| seen.push(items.len().to_string()));

    let refused = |result: Result<(), SendError>| match result {
        Err(SendError::Encode(error)) => error,
        other => panic!("expected an encoding refusal, got {other:?}"),
    };
    // Client → server.
    let chat = client.chat();
    assert_eq!(
        refused(chat.fire_server(String::new(), Team::Red)),
        length(0, 1, Some(200))
    );
    assert_eq!(
        refused(chat.fire_server("x".repeat(201), Team::Red)),
        length(201, 1, Some(200))
    );
    let equip = client.equip();
    let four = loadout(&["a", "b", "c", "d"]);
    assert_eq!(
        refused(equip.fire_server(four, KeyCode::Q)),
        length(4, 0, Some(3))
    );
    assert_eq!(
        refused(equip.fire_server(loadout(&[""]), KeyCode::Q)),
        length(0, 1, Some(24))
    );
    let mut heavy = loadout(&[]);
    heavy.primary = item(1000);
    assert_eq!(
        refused(equip.fire_server(heavy, KeyCode::Q)),
        EncodeError::OutOfRange(Box::new(int(1000, 1, Some(999))))
    );
    let aim = client.combat().aim();
    let look = Vector3::new(0.0, 0.0, 1.0);
    assert_eq!(
        refused(aim.fire_server(look, f32::NAN)),
        EncodeError::NonFinite
    );
    assert_eq!(
        refused(aim.fire_server(look, f32::INFINITY)),
        EncodeError::NonFinite
    );
    assert!(matches!(
        refused(aim.fire_server(look, 45.5)),
        EncodeError::OutOfRange(range) if matches!(*range, RangeError::Float { value, .. } if value == 45.5)
    ));
    let attack = client.combat().attack();
    let aim_at = CFrame::new(look, Matrix3::identity());
    assert_eq!(
        refused(attack.fire_server(aim_at, 0)),
        EncodeError::OutOfRange(Box::new(int(0, 1, None)))
    );
    let buy = client.shop().buy();
    assert_eq!(
        buy.invoke_server(1, 11).try_result(),
        Some(Err(InvokeError::Encode(EncodeError::OutOfRange(Box::new(
            int(11, 1, Some(10))
        )))))
    );
    assert_eq!(
        buy.invoke_server(0, 1).try_result(),
        Some(Err(InvokeError::Encode(EncodeError::OutOfRange(Box::new(
            int(0, 1, None)
        )))))
    );

    // Server → client.
    let welcome = game.server.welcome();
    let nan = session("abcdefgh", f32::NAN);
    assert_eq!(
        refused(welcome.fire_client(&alice, nan.clone(), None)),
        EncodeError::NonFinite
    );
    assert_eq!(
        refused(welcome.fire_all_clients(nan, None)),
        EncodeError::NonFinite
    );
    let short = session("abcdefg", 0.0);
    assert_eq!(
        refused(welcome.fire_client(&alice, short, None)),
        length(7, 8, Some(8))
    );
    let restocked = game.server.shop().restocked();
    let at = DateTime::from_unix_millis(0);
    assert_eq!(
        refused(restocked.fire_all_clients(vec![item(1); 51], at)),
        length(51, 0, Some(50))
    );
    assert_eq!(
        refused(restocked.fire_client(&alice, vec![item(0)], at)),
        EncodeError::OutOfRange(Box::new(int(0, 1, Some(999))))
    );
    let burst = game.server.combat().effects().burst();
    let shape = Shape::Circle { radius: -1.0 };
    let tint = Color3::new(1.0, 1.0, 1.0);
    assert!(matches!(
        refused(burst.fire_all_clients(look, shape, tint, Material::Plastic)),
        EncodeError::OutOfRange(range) if matches!(*range, RangeError::Float { .. })
    ));
    // `from: Player` is not optional: it cannot be sent as nil.
    let announce = game.server.announce();
    let nobody =
        announce.fire_all_clients("hi".into(), None, Default::default(), Default::default());
    assert!(matches!(refused(nobody), EncodeError::Invalid(_)));

    // Nothing left either side.
    game.steps(2);
    assert!(received.is_empty());
    let (server_stats, client_stats) = (game.server.runtime().stats(), client.runtime().stats());
    assert_eq!(
        server_stats.frames_received + client_stats.frames_received,
        0
    );
    assert_eq!(server_stats.frames_sent + server_stats.datagrams_sent, 0);
    assert_eq!(client_stats.frames_sent + client_stats.datagrams_sent, 0);

    // The session still works.
    client.chat().fire_server("ok".into(), Team::Red).unwrap();
    game.step();
    assert_eq!(received.take(), ["ok"]);
}

#[test]
fn returns_outside_the_schema_fail_the_call_not_the_session() {
    let mut game = Game::new();
    let (_alice, client) = game.join();
    // `-> (boolean, string(..64)?)`: a 65-byte receipt cannot be encoded.
    game.server
        .shop()
        .buy()
        .on_invoke(|_, _, quantity| Ok((true, Some("x".repeat(63 + usize::from(quantity))))));
    let mut too_long = client.shop().buy().invoke_server(1, 2);
    let mut fits = client.shop().buy().invoke_server(1, 1);
    game.steps(2);
    assert!(matches!(
        too_long.try_result(),
        Some(Err(InvokeError::Protocol(message))) if message.contains("could not encode")
    ));
    assert_eq!(fits.try_result(), Some(Ok((true, Some("x".repeat(64))))));
}

#[test]
fn raw_frames_that_break_a_range_are_rejected_by_the_decoder() {
    let mut game = Game::new();
    let (alice, client) = game.join();
    let chats = Log::default();
    let seen = chats.clone();
    game.server
        .chat()
        .connect(move |_, message, team| seen.push((message, team)));
    let others = Log::default();
    let seen = others.clone();
    game.server
        .equip()
        .connect(move |_, _, _| seen.push("equip"));
    let seen = others.clone();
    game.server
        .combat()
        .aim()
        .connect(move |_, _, _| seen.push("aim"));
    let seen = others.clone();
    game.server.shop().buy().on_invoke(move |_, _, _| {
        seen.push("buy");
        Ok((true, None))
    });
    let id = |name| message_id(Direction::ToServer, name);
    let rejection = |game: &Game| game.server.runtime().stats().last_rejection.clone();
    let decode = |message, error| Some(RejectReason::Decode { message, error });

    // A hand-written `Chat("hello", Blue)` is accepted: the layout is right.
    // (The runtime writes the id first, 4 bits for the 9 client → server
    // messages: the body's bits follow it in the same bit byte.)
    assert_eq!(tether_tests::game::PROTOCOL.to_server.len(), 9);
    assert_eq!(tether_tests::game::PROTOCOL.id_bits(Direction::ToServer), 4);
    client
        .runtime()
        .fire_server(id("Chat"), |w| {
            w.bits(4, 8); // string(1..200): 8 bits holding len − 1
            w.bytes(b"hello");
            w.bits(1, 2); // Team.Blue
            Ok(())
        })
        .unwrap();
    game.step();
    assert_eq!(chats.take(), [("hello".to_owned(), Team::Blue)]);

    // 201 bytes.
    client
        .runtime()
        .fire_server(id("Chat"), |w| {
            w.bits(200, 8);
            w.bytes(&[b'x'; 201]);
            w.bits(0, 2);
            Ok(())
        })
        .unwrap();
    game.step();
    let error = DecodeError::LengthOutOfRange {
        len: 201,
        min: 1,
        max: Some(200),
    };
    assert_eq!(rejection(&game), decode("Chat", error));

    // A valid chat in the same frame as a team tag past `Spectator`: the
    // whole frame is dropped.
    client
        .chat()
        .fire_server("lost too".into(), Team::Red)
        .unwrap();
    client
        .runtime()
        .fire_server(id("Chat"), |w| {
            w.bits(0, 8);
            w.bytes(b"x");
            w.bits(3, 2);
            Ok(())
        })
        .unwrap();
    game.step();
    let error = DecodeError::UnknownTag {
        what: "Team",
        tag: 3,
        count: 3,
    };
    assert_eq!(rejection(&game), decode("Chat", error));

    // A loadout with a perk of 25 bytes. (Its 2-bit perk count cannot say
    // more than 3, the most Perks holds; string(1..24) is 5 bits holding
    // len − 1, up to 32.)
    client
        .runtime()
        .fire_server(id("Equip"), |w| {
            item(1).encode(w)?;
            w.bool(false); // no secondary
            w.bits(2, 2); // {string(1..24)}(..3): 2-bit count
            w.string("a", LenRange::new(1, Some(24)))?;
            w.bits(24, 5); // 25 bytes
            w.bytes(&[b'y'; 25]);
            KeyCode::Q.encode(w)
        })
        .unwrap();
    game.step();
    let error = DecodeError::LengthOutOfRange {
        len: 25,
        min: 1,
        max: Some(24),
    };
    assert_eq!(rejection(&game), decode("Equip", error));

    // A NaN spread, as an unreliable datagram.
    client
        .runtime()
        .fire_server(id("Combat.Aim"), |w| {
            Vector3::new(0.0, 0.0, 1.0).encode(w)?;
            w.f32(f32::NAN);
            Ok(())
        })
        .unwrap();
    game.step();
    assert_eq!(
        rejection(&game),
        decode("Combat.Aim", DecodeError::NonFinite)
    );

    // A purchase of 11: the request is refused, and the caller told why.
    let mut call = client
        .runtime()
        .invoke_server(id("Shop.Buy (request)"), |w| {
            w.u32(1); // ItemId u32(1..): bytes, the span needs all 32 bits
            w.bits(10, 4); // quantity u8(1..10): 4 bits holding v − 1
            Ok(())
        });
    game.step();
    let error = DecodeError::OutOfRange(Box::new(int(11, 1, Some(10))));
    assert_eq!(rejection(&game), decode("Shop.Buy (request)", error));
    game.step();
    match call.try_result() {
        Some(Err(InvokeError::Rejected(reason))) => {
            assert!(reason.contains("outside"), "{reason}")
        }
        other => panic!("expected the arguments refused, got {other:?}"),
    }

    assert!(chats.is_empty() && others.is_empty());
    let stats = game.server.runtime().stats();
    assert_eq!(stats.rejected.decode, 5);
    assert_eq!(stats.rejected.total(), 5);
    // The values out of range were refused alone, each in a frame of its
    // own that was otherwise read; the tag past `Spectator` cannot be read
    // to its message's end, so its frame (and the chat in it) was dropped.
    assert_eq!(stats.messages_refused, 4);
    assert_eq!(
        stats.frames_received, 5,
        "four frames read, and the good chat's"
    );
    assert_eq!(
        game.server.runtime().players(),
        [alice],
        "the sender stays connected"
    );
}
