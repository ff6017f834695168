//! What the generator suites share: a small schema with one of each kind of
//! thing, and the workspace's root.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// A small schema with one of each kind of thing.
pub const SMALL: &str = r#"-- A small schema for the snapshot.
type Name = string(1..16)
type Stats = { Level: u8(1..100), Score: f32?, Tags: {Name}(..4) }
enum Mode { Solo, Squad { size: u8(2..4) } }
enum Color { Red, Green, Blue }

namespace Lobby {
    @rate(2/s)
    remote event Join: client -> server (name: Name, mode: Mode)
    remote event Joined: server -> client (who: Player, stats: Stats, colors: {[Color]: u16}(..3))
}

@timeout(3s)
remote function Ready: client -> server (ready: boolean) -> (boolean, string(..32)?)

@unreliable @ordered @rate(30/s)
remote event Look: client <-> server (dir: Vector3)

@deprecated("use Ready")
remote function Ping: client -> server () -> ()

bindable event Tick: server (dt: number)
bindable function Pick: client (options: {string}, score: (text: string) -> u8) -> u8
"#;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the compiler sits in the workspace")
        .to_path_buf()
}

/// The model of a schema held in memory, which must check clean.
pub fn checked(src: &str) -> tether_compiler::ir::Schema {
    let compilation = tether_compiler::compile_str("test.tether", src);
    let errors: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.rule.name, d.message))
        .collect();
    assert!(errors.is_empty(), "the schema has errors: {errors:#?}");
    compilation.schema
}
