// A type declared for the wire has one shape: no generic parameters.
#[derive(tether::Replicable)]
pub struct Page<T> {
    #[tether(max_len = 50)]
    pub items: Vec<T>,
    pub next: Option<u32>,
}

fn main() {}
