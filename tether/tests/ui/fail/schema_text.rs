// Refinements, durations and rates in attributes are read by the schema's
// grammar: what a schema refuses (an exponent, `inf`, an unknown unit), the
// macros refuse too, at the attribute. A reversed range parses and is the
// resolver's `invalid-range`, as in a schema.
#[derive(tether::Replicable)]
pub struct Limits {
    #[tether(range = "1e3")]
    pub exponent: u32,
    #[tether(range = "0..inf")]
    pub infinite: f32,
    #[tether(max_len = 1e3)]
    pub name: String,
}

#[tether::protocol]
mod game {
    #[remote(function, client -> server)]
    #[tether(timeout(2h), rate(1e3/s))]
    fn fetch(#[tether(len = "10..2")] ids: Vec<u32>) -> u32;
}

fn main() {}
