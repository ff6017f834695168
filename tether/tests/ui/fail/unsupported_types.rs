// Rust types with no Tether counterpart are errors that name the type and
// say what to write instead.
use std::collections::BTreeMap;

#[derive(tether::Replicable)]
pub struct Snapshot {
    pub grid: [u8; 16],
    pub ranks: BTreeMap<String, u32>,
    pub marker: (),
}

fn main() {}
