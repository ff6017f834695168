//! The `.tether` language as text: a pest grammar and the syntax tree it builds.

pub mod ast;
mod parse;

pub use parse::{parse, MAX_NESTING};
