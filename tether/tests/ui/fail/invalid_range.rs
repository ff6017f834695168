// invalid-range[T006]: a reversed range, a bound outside the number kind,
// and a length that is not a whole number.
#[derive(tether::Replicable)]
pub struct Stats {
    #[tether(range = "100..1")]
    pub level: u16,
    #[tether(range = "0..300")]
    pub health: u8,
    #[tether(len = "..2.5")]
    pub title: String,
}

fn main() {}
