// A record's fields are named: Luau tables name what they hold.
#[derive(tether::Replicable)]
pub struct Point(pub f32, pub f32);

fn main() {}
