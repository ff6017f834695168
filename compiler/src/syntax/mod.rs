//! The `.tether` language as text: a pest grammar and the syntax tree it builds.

pub mod ast;
mod build;
mod errors;
mod grammar;
mod lex;
mod parse;
mod types;
mod words;

pub use parse::{parse, MAX_NESTING};
