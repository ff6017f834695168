//! The harnesses behind the fuzz targets in `fuzz_targets/`. Each module is
//! also compiled into a regression test of the crate it exercises (with
//! `#[path]`), so a saved input replays through exactly the fuzzed code.

pub mod decode;
pub mod parse;
pub mod transport;
pub mod value;
