// non-string-key[T102]: Roblox turns a number key into a string in transfer.
use std::collections::HashMap;

#[derive(tether::Replicable)]
pub struct Leaderboard {
    pub scores: HashMap<u32, u32>,
}

fn main() {}
