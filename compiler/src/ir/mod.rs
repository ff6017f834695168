//! The one resolved model that every front end produces and every later
//! stage reads, and the size of its encodings.

pub mod graph;
pub mod layout;
pub mod messages;
mod model;
pub mod packing;
pub mod recursion;
pub mod size;
mod visit;

pub use model::*;
