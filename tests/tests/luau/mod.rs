//! Shared set-up of the tests that run generated Luau in the mock Roblox
//! engine (`tether-roblox-mock`): a schema's modules installed in a place.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};
use tether_roblox_mock::{Place, Side, WireValue};

/// Where the generated modules are installed, as a Rojo project would put
/// them: `ReplicatedStorage.Net.server`, `.client`, `.types`, `.tether`.
pub const FOLDER: &str = "ReplicatedStorage.Net";

/// The generated Luau modules of a schema (a path relative to `tests/`),
/// named as ModuleScripts (without `.luau`); generated once per test binary.
pub fn modules(schema: &str) -> Vec<(String, String)> {
    type Modules = Vec<(String, String)>;
    static CACHE: OnceLock<Mutex<HashMap<String, Modules>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(schema.to_string())
        .or_insert_with(|| generate(schema))
        .clone()
}

fn generate(schema: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = tether_compiler::build::generate_luau(root.join(schema))
        .unwrap_or_else(|error| panic!("{schema} does not generate Luau: {error}"));
    files
        .files()
        .iter()
        .map(|(name, text)| (name.trim_end_matches(".luau").to_string(), text.to_string()))
        .collect()
}

/// A place with `schema`'s modules installed under [`FOLDER`].
pub fn place(schema: &str) -> Place {
    let modules = modules(schema);
    let borrowed: Vec<(&str, &str)> = modules
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let mut place = Place::new().expect("the mock starts");
    place
        .install_modules(FOLDER, &borrowed)
        .expect("the modules install");
    place
}

/// The first value as text (the mock carries strings as bytes).
pub fn text(values: &[WireValue]) -> String {
    match values.first() {
        Some(WireValue::String(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
        other => format!("{other:?}"),
    }
}

/// Lines the side printed, as text.
pub fn printed(place: &Place, side: Side) -> Vec<String> {
    place
        .output(side)
        .expect("the side exists")
        .into_iter()
        .map(|line| line.text)
        .collect()
}

/// Fails the test if a script on `side` raised an error.
pub fn assert_no_script_errors(place: &Place, side: Side) {
    let errors = place.script_errors(side).expect("the side exists");
    assert!(errors.is_empty(), "script errors on {side:?}: {errors:#?}");
}
