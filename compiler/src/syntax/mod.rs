//! The `.tether` language as text: a pest grammar and the syntax tree it builds.

pub mod ast;
mod build;
mod errors;
mod fragment;
mod grammar;
mod lex;
mod parse;
mod types;
mod words;

pub use fragment::{
    parse_duration, parse_number, parse_rate, parse_refinement, Fragment, FragmentError,
    FragmentProblem,
};
pub use lex::MAX_NESTING;
pub use parse::parse;
