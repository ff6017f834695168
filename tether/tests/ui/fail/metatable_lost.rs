// metatable-lost[T105]: a trait object is data with behaviour; the receiver
// gets the data without its methods.
pub trait Weapon {
    fn damage(&self) -> u32;
}

#[derive(tether::Replicable)]
pub struct Loadout {
    pub primary: Box<dyn Weapon>,
}

fn main() {}
