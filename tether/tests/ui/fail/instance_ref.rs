// Instances are declared in `.tether` schemas, whose classes the compiler
// knows; the macros do not.
use tether::types::{PlayerClass, Ref};

#[derive(tether::Replicable)]
pub struct Kill {
    pub killer: Ref<PlayerClass>,
}

fn main() {}
