//! Byte spans and the set of source files they point into.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FileId(pub u32);

/// A byte range `start..end` in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
pub struct Span {
    /// The file the bytes are in.
    pub file: FileId,
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset just past the last byte; equal to `start` for an empty span.
    pub end: u32,
}

thread_local! {
    /// Set while a model is serialized for its fingerprint, which must not
    /// depend on where things are written.
    static WITHOUT_SPANS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every [`Span`] serializing as `null`.
pub(crate) fn without_spans<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            WITHOUT_SPANS.with(|flag| flag.set(self.0));
        }
    }
    let _reset = Reset(WITHOUT_SPANS.with(|flag| flag.replace(true)));
    f()
}

impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        if WITHOUT_SPANS.with(|flag| flag.get()) {
            return serializer.serialize_unit();
        }
        let mut out = serializer.serialize_struct("Span", 3)?;
        out.serialize_field("file", &self.file)?;
        out.serialize_field("start", &self.start)?;
        out.serialize_field("end", &self.end)?;
        out.end()
    }
}

impl Span {
    /// The span `start..end` in `file`; an `end` before `start` becomes `start`, and offsets past `u32::MAX` saturate.
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: saturate(start),
            end: saturate(end.max(start)),
        }
    }

    /// The smallest span covering both; `other` must be in the same file.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The byte range, for slicing the file's text.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One loaded source file.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// The path as given or as reached through an import (used for display).
    pub name: String,
    /// The path on disk, if the file came from disk.
    pub path: Option<PathBuf>,
    /// The whole text of the file.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// A file from its display name, its path on disk if any, and its text.
    pub fn new(name: impl Into<String>, path: Option<PathBuf>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            name: name.into(),
            path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// Byte offsets at which the lines start; the first is 0.
    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }
}

/// Every file seen in one compilation, addressed by [`FileId`].
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id; ids count up from 0.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(saturate(self.files.len() - 1))
    }

    /// The file with this id; panics if the map does not hold it.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The file read from `path` on disk, if the map holds it.
    pub fn find_path(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path.as_deref() == Some(path))
            .map(|i| FileId(saturate(i)))
    }

    /// Every file with its id, in the order added.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(saturate(i)), f))
    }

    /// How many files the map holds.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the map holds no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        self.get(span.file).text.get(span.range()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based_and_counts_characters() {
        let f = SourceFile::new("a", None, "ab\nçd\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(5), (2, 2));
        assert_eq!(f.line_col(100), (3, 1));
    }
}
