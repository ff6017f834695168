//! Renderers: human (codespan-reporting), JSON Lines, GitHub workflow commands, SARIF.
//!
//! Each renderer reads diagnostics as data and writes text; none of them
//! panics on an odd span. A span past the end of its file, one that splits a
//! UTF-8 character, or one whose file the map does not hold is clamped to
//! something printable.
//!
//! Positions are 1-based; columns count characters; an end position is the
//! one just past the span (so a zero-width span has equal start and end).

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use super::{SourceFile, SourceMap, Span};
use std::ops::Range;

/// Display name for a span whose file is not in the map.
const UNKNOWN_FILE: &str = "<unknown>";

/// Where a span starts and ends: 1-based lines and columns, end exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// 1-based line of the start.
    pub line: usize,
    /// 1-based column of the start, in characters.
    pub column: usize,
    /// 1-based line of the end.
    pub end_line: usize,
    /// 1-based column just past the end, in characters.
    pub end_column: usize,
}

impl Region {
    /// The region of `span`, clamped to its file.
    pub fn of(sources: &SourceMap, span: Span) -> Region {
        let Some(file) = file_of(sources, span) else {
            return Region {
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
            };
        };
        let range = clamped_range(&file.text, span);
        let (line, column) = file.line_col(range.start);
        let (end_line, end_column) = file.line_col(range.end);
        Region {
            line,
            column,
            end_line,
            end_column,
        }
    }
}

/// The file a span points into, if the map holds it.
pub(crate) fn file_of(sources: &SourceMap, span: Span) -> Option<&SourceFile> {
    ((span.file.0 as usize) < sources.len()).then(|| sources.get(span.file))
}

/// The display name of the file a span points into.
pub(crate) fn file_name(sources: &SourceMap, span: Span) -> &str {
    file_of(sources, span).map_or(UNKNOWN_FILE, |f| f.name.as_str())
}

/// The byte range of a span, clamped to the text and widened to whole characters.
pub(crate) fn clamped_range(text: &str, span: Span) -> Range<usize> {
    let start = floor_char_boundary(text, span.start as usize);
    let end = ceil_char_boundary(text, span.end as usize).max(start);
    start..end
}

fn floor_char_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn ceil_char_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index += 1;
    }
    index
}

/// Shared fixtures for the renderers' tests.
#[cfg(test)]
pub(crate) mod fixture {
    use crate::diag::{rules, Diagnostic, FileId, SourceFile, SourceMap, Span};

    pub const TEXT: &str = "type Name = string\ntype Name = number\n";

    pub fn sources() -> SourceMap {
        let mut sources = SourceMap::new();
        sources.add(SourceFile::new("schemas/game.tether", None, TEXT));
        sources
    }

    /// `duplicate-name` on the second `Name`, pointing back at the first.
    pub fn duplicate() -> Diagnostic {
        let file = FileId(0);
        Diagnostic::new(
            &rules::DUPLICATE_NAME,
            Span::new(file, 24, 28),
            "the name `Name` is declared twice",
        )
        .with_label("declared again here")
        .with_secondary(Span::new(file, 5, 9), "first declared here")
        .with_help("rename one of them")
    }

    /// Diagnostics whose spans are odd: empty, at or past the end, inside a
    /// character, in a file the map does not hold.
    pub fn odd() -> (SourceMap, Vec<Diagnostic>) {
        let mut sources = SourceMap::new();
        let a = sources.add(SourceFile::new("a.tether", None, "type ç = \n"));
        let empty = sources.add(SourceFile::new("empty.tether", None, ""));
        let missing = FileId(7);
        let at = |file, start: usize, end: usize| Span {
            file,
            start: start as u32,
            end: end as u32,
        };
        let diagnostics = vec![
            Diagnostic::new(&rules::SYNTAX, at(a, 11, 11), "expected a type"),
            Diagnostic::new(&rules::SYNTAX, at(a, 6, 6), "inside a character")
                .with_label("here")
                .with_secondary(at(a, 6, 200), "to the end"),
            Diagnostic::new(&rules::SYNTAX, at(a, 500, 400), "far past the end"),
            Diagnostic::new(&rules::SYNTAX, at(empty, 0, 0), "empty file").with_label("nothing"),
            Diagnostic::new(&rules::UNKNOWN_TYPE, at(missing, 3, 9), "no such file")
                .with_secondary(at(missing, 0, 1), "nor here"),
        ];
        (sources, diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::FileId;

    #[test]
    fn regions_are_one_based_with_exclusive_ends() {
        let sources = fixture::sources();
        assert_eq!(
            Region::of(&sources, fixture::duplicate().span),
            Region {
                line: 2,
                column: 6,
                end_line: 2,
                end_column: 10
            }
        );
    }

    #[test]
    fn odd_spans_are_clamped() {
        let (sources, diagnostics) = fixture::odd();
        let regions: Vec<Region> = diagnostics
            .iter()
            .map(|d| Region::of(&sources, d.span))
            .collect();
        let r = |line, column, end_line, end_column| Region {
            line,
            column,
            end_line,
            end_column,
        };
        assert_eq!(regions[0], r(2, 1, 2, 1));
        // Byte 6 is inside `ç` (bytes 5..7): the span widens to the character.
        assert_eq!(regions[1], r(1, 6, 1, 7));
        assert_eq!(regions[2], r(2, 1, 2, 1));
        assert_eq!(regions[3], r(1, 1, 1, 1));
        assert_eq!(regions[4], r(1, 1, 1, 1));
        assert_eq!(file_name(&sources, Span::new(FileId(9), 0, 0)), "<unknown>");
    }
}
