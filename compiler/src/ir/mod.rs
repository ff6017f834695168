//! The one resolved model that every front end produces and every later
//! stage reads, and the size of its encodings.

pub mod graph;
mod model;
pub mod packing;
pub mod size;
mod visit;

pub use model::*;
