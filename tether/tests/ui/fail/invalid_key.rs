// invalid-key[T016]: a float has no exact equality to key a dictionary by,
// whatever carries it.
use std::collections::HashMap;

#[derive(tether::Replicable)]
pub struct Heights {
    pub by_height: HashMap<u32, u32>,
    pub by_ratio: HashMap<f32, u32>,
}

fn main() {}
