// A declared name must give the Rust name back in snake_case, since the
// generated code names it that way.
#[derive(tether::Replicable)]
pub struct Character {
    #[tether(name = "HP")]
    pub health: u16,
}

#[tether::protocol]
mod combat {
    #[remote(event, client -> server)]
    #[tether(name = "Attack")]
    fn swing(target: u32);
}

fn main() {}
