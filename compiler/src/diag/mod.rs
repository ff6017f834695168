//! Diagnostics: spans, the rule catalog, diagnostics as data, and renderers.

pub mod diagnostic;
pub mod levels;
pub mod render;
pub mod rules;
pub mod span;

pub use diagnostic::{normalize, Diagnostic, Label};
pub use levels::{Level, Levels};
pub use rules::{Rule, Severity};
pub use span::{FileId, SourceFile, SourceMap, Span};
