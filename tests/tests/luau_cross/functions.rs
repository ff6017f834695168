//! Remote functions (docs/wire-format.md, section 6.3) of
//! `schemas/game.tether`: requests and responses, ok and error, are the same
//! bytes from Luau as from Rust, and each side answers the other's calls.

use std::time::Duration;

use tether_roblox_mock::Side;
use tether_runtime::InvokeError;
use tether_tests::game;

use super::case::hex;
use super::harness::{Cross, Frame, DT};

fn one(frames: Vec<Frame>) -> Vec<u8> {
    assert_eq!(frames.len(), 1, "{frames:?}");
    assert!(
        !frames[0].unreliable,
        "functions travel on the reliable channel"
    );
    frames[0].bytes.clone()
}

fn game_place() -> Cross {
    let mut cross = Cross::new("../schemas/game.tether", "game");
    cross.intercept_client_frames();
    cross
}

/// Runs a LocalScript that may yield (an invocation), storing what the
/// call returned, or raised, in `X.result` as `table.pack(pcall(...))`.
fn client_calls(cross: &mut Cross, call: &str) {
    let side = cross.client_side();
    cross
        .place
        .run(
            side,
            &format!(
                "local X = require(game.ReplicatedStorage.Cross.cross)\n\
                 X.result = table.pack(pcall(function() return {call} end))"
            ),
        )
        .expect("the script starts");
}

fn rust_frame(frames: Vec<Vec<u8>>) -> Vec<u8> {
    assert_eq!(frames.len(), 1);
    frames.into_iter().next().expect("one frame")
}

#[test]
fn a_client_call_and_its_answer_are_rusts_bytes_both_ways() {
    let mut cross = game_place();
    let client = cross.client_side();

    let rust_client = game::Client::new();
    let mut rust_call = rust_client.shop().buy().invoke_server(7, 3);
    let rust_request = rust_frame(rust_client.runtime().take_outgoing());

    client_calls(&mut cross, "X.Net.Shop.Buy:InvokeServer(7, 3)");
    cross.place.step_n(2, DT).expect("steps");
    let luau_request = one(cross.take_server_frames());
    // Id, call id 0 (the first call of each side), then the arguments.
    assert_eq!(hex(&luau_request), hex(&rust_request));

    // The Rust server answers the Luau client's call.
    let server = game::Server::new();
    let player = server.runtime().connect_player();
    server
        .shop()
        .buy()
        .on_invoke(|_, item, quantity| Ok((true, Some(format!("{quantity} x item {item}")))));
    server.runtime().receive(&player, &luau_request);
    server.runtime().poll(Duration::ZERO);
    let rust_response = rust_frame(
        server
            .runtime()
            .take_outgoing()
            .into_iter()
            .map(|(_, f)| f)
            .collect(),
    );
    cross.fire_to_client(false, &rust_response, &[]);
    let result: (bool, bool, String) = cross
        .eval(client, "return X.result[1], X.result[2], X.result[3]")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(result, (true, true, "3 x item 7".to_string()));

    // The Luau server answers the Rust client's call.
    cross
        .eval::<()>(
            Side::Server,
            "X.Net.Shop.Buy.OnServerInvoke = function(_, item, quantity)
                return true, `{quantity} x item {item}`
            end",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    cross.take_client_frames();
    cross.fire_to_server(false, &rust_request, &[]);
    cross.place.step(DT).expect("a step");
    let luau_response = one(cross.take_client_frames());
    assert_eq!(hex(&luau_response), hex(&rust_response));
    rust_client.runtime().receive(&luau_response);
    rust_client.runtime().poll(Duration::ZERO);
    assert_eq!(
        rust_call.try_result(),
        Some(Ok((true, Some("3 x item 7".to_string()))))
    );
}

#[test]
fn a_server_call_and_its_answer_are_rusts_bytes_both_ways() {
    let mut cross = game_place();
    let client = cross.client_side();
    cross
        .eval::<()>(
            client,
            "X.Net.ConfirmTeleport.OnClientInvoke = function(destination)
                return destination == \"Lobby\"
            end",
        )
        .unwrap_or_else(|e| panic!("{e}"));

    let server = game::Server::new();
    let player = server.runtime().connect_player();
    let mut rust_call = server
        .confirm_teleport()
        .invoke_client(&player, "Lobby".to_string());
    let rust_request = rust_frame(
        server
            .runtime()
            .take_outgoing()
            .into_iter()
            .map(|(_, f)| f)
            .collect(),
    );

    cross
        .place
        .run(
            Side::Server,
            "local X = require(game.ReplicatedStorage.Cross.cross)
             X.result = table.pack(pcall(function()
                 return X.Net.ConfirmTeleport:InvokeClient(game.Players.Alice, \"Lobby\")
             end))",
        )
        .expect("the script starts");
    cross.place.step_n(2, DT).expect("steps");
    let luau_request = one(cross.take_client_frames());
    assert_eq!(hex(&luau_request), hex(&rust_request));
    // The Luau client answered the Luau server; the answer is intercepted.
    cross.place.step(DT).expect("a step");
    let luau_response = one(cross.take_server_frames());

    let rust_client = game::Client::new();
    rust_client
        .confirm_teleport()
        .on_invoke(|destination| Ok(destination == "Lobby"));
    rust_client.runtime().receive(&luau_request);
    rust_client.runtime().poll(Duration::ZERO);
    let rust_response = rust_frame(rust_client.runtime().take_outgoing());
    assert_eq!(hex(&luau_response), hex(&rust_response));

    // Each side's answer to the other side's call.
    server.runtime().receive(&player, &luau_response);
    server.runtime().poll(Duration::ZERO);
    assert_eq!(rust_call.try_result(), Some(Ok(true)));
    cross.fire_to_server(false, &rust_response, &[]);
    let result: (bool, bool) = cross
        .eval(Side::Server, "return X.result[1], X.result[2]")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(result, (true, true));
}

/// An error response's text is the implementation's, but the kinds both
/// sides name alike travel alike: no handler set.
#[test]
fn a_call_without_a_handler_fails_alike_on_both_sides() {
    let mut cross = game_place();
    let client = cross.client_side();

    let rust_client = game::Client::new();
    let mut rust_call = rust_client.shop().prices().invoke_server();
    let rust_request = rust_frame(rust_client.runtime().take_outgoing());
    client_calls(&mut cross, "X.Net.Shop.Prices:InvokeServer()");
    cross.place.step_n(2, DT).expect("steps");
    let luau_request = one(cross.take_server_frames());
    assert_eq!(hex(&luau_request), hex(&rust_request));

    let server = game::Server::new();
    let player = server.runtime().connect_player();
    server.runtime().receive(&player, &luau_request);
    server.runtime().poll(Duration::ZERO);
    let rust_response = rust_frame(
        server
            .runtime()
            .take_outgoing()
            .into_iter()
            .map(|(_, f)| f)
            .collect(),
    );
    cross.fire_to_client(false, &rust_response, &[]);
    let (ok, kind): (bool, String) = cross
        .eval(client, "return X.result[1], X.result[2].Kind")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((ok, kind.as_str()), (false, "NoHandler"));

    cross.take_client_frames();
    cross.fire_to_server(false, &rust_request, &[]);
    cross.place.step(DT).expect("a step");
    let luau_response = one(cross.take_client_frames());
    assert_eq!(hex(&luau_response), hex(&rust_response));
    rust_client.runtime().receive(&luau_response);
    rust_client.runtime().poll(Duration::ZERO);
    assert!(matches!(
        rust_call.try_result(),
        Some(Err(InvokeError::NoHandler))
    ));
}
