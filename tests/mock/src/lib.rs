//! A mock of the Roblox engine for tests and benchmarks: Luau code runs in the Luau VM
//! that `mlua` vendors, as Scripts, LocalScripts and ModuleScripts of a place with one
//! server and any number of clients.
//!
//! A [`Place`] holds one Luau state for the server and one per client, as a Roblox
//! server and its clients are separate machines. The engine inside each state (the
//! DataModel and services, instances, signals, the task scheduler, remotes, datatypes,
//! `Enum`) is Luau, in `luau/*.luau`; classes and enums come from Roblox's reflection
//! database. What crosses between states travels through Rust as [`WireValue`]s, with
//! Roblox's remote argument limitations. Nothing is real-time or random: time advances
//! only in [`Place::step`].
//!
//! ```
//! use tether_roblox_mock::{Place, Side};
//!
//! let mut place = Place::new()?;
//! place.install_modules("ReplicatedStorage.Net", &[("greet", "return { hello = 'hi' }")])?;
//! let client = place.add_client("Player1")?;
//! place.run(Side::Client(client), r#"
//!     local greet = require(game.ReplicatedStorage.Net.greet)
//!     print(greet.hello)
//! "#)?;
//! assert_eq!(place.output(Side::Client(client))?[0].text, "hi");
//! # Ok::<(), tether_roblox_mock::MockError>(())
//! ```

mod convert;
mod error;
mod host;
mod network;
mod output;
mod place;
mod reflection;
mod replication;
mod scripts;
mod vm;
mod wire;

pub use error::MockError;
pub use mlua;
pub use network::UnreliableFaults;
pub use output::{OutputKind, OutputLine, ScriptError};
pub use place::{ClientId, Kick, Place, Side};
pub use wire::{payload_size, ColorKeypoint, Firing, NetId, NumberKeypoint, UDim, WireValue};
