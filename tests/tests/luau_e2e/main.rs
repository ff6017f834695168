//! The generated Luau, run end to end in the mock Roblox engine
//! (`tether-roblox-mock`): one server VM and client VMs with the modules of
//! `schemas/game.tether` (and a few other schemas) installed, as a Roblox
//! game would have them. Each module is one family of behaviour; `game` and
//! `bridge` are their shared set-up. One test binary, so that the suite links
//! once.

#[path = "../common/mod.rs"]
mod common;
#[path = "../luau/mod.rs"]
mod luau;

mod bridge;
mod game;

mod bindables;
mod events;
mod functions;
mod hostile;
mod limits;
mod native;
mod rust_client;
mod rust_server;
