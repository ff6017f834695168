// Enum variants are unit or have named fields, and are numbered by their
// order.
#[derive(tether::Replicable)]
pub enum Command {
    Move { x: f32, y: f32 },
    Say(String),
    Stop,
}

#[derive(tether::Replicable)]
pub enum Team {
    Red = 1,
    Blue = 2,
}

fn main() {}
