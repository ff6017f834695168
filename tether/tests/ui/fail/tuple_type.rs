// Luau has no tuples: a field is a named type.
#[derive(tether::Replicable)]
pub struct Spawn {
    pub position: (f32, f32),
}

fn main() {}
