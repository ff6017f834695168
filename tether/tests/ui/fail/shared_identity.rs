// shared-identity[T113]: `Rc`, `Arc`, references and cells arrive as copies.
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

#[derive(tether::Replicable)]
pub struct Party {
    pub leader: Rc<u32>,
    pub members: Arc<Vec<u32>>,
    pub motd: &'static str,
    pub gold: RefCell<u32>,
}

fn main() {}
