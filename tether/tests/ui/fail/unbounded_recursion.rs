// unbounded-recursion[T010]: a list that never ends has no value.
#[derive(tether::Replicable)]
pub struct Chain {
    pub id: u32,
    pub next: Box<Chain>,
}

fn main() {}
