// nil-in-table[T103]: an optional array element or dictionary value leaves
// nil holes that Roblox drops.
use std::collections::HashMap;

#[derive(tether::Replicable)]
pub struct Inventory {
    #[tether(max_len = 16)]
    pub slots: Vec<Option<u32>>,
    pub equipped: HashMap<String, Option<u32>>,
}

fn main() {}
