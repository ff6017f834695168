//! The one resolved model that every front end produces and every later
//! stage reads, and the size of its encodings.

pub(crate) mod graph;
pub(crate) mod keys;
pub(crate) mod layout;
pub(crate) mod messages;
pub use messages::TooManyMessages;
mod model;
pub(crate) mod packing;
pub(crate) mod recursion;
pub mod size;
pub(crate) mod union;
mod visit;

pub use model::*;
