//! `tether.toml`: a project's rule levels and the paths `tether check`
//! skips, found as clippy and buf find theirs, by walking up from where the
//! schemas are.
//!
//! ```toml
//! [lints]
//! unbounded-client-input = "deny"
//! unchecked-client-value = "warn"
//! server-invokes-client = "allow"
//!
//! [check]
//! exclude = ["legacy/**", "scratch.tether"]
//! ```
//!
//! Levels are those of [`crate::diag::levels`]. Exclude patterns are globs
//! (`*` and `?` within one directory, `**` across them, `[..]`, `{a,b}`)
//! matched against paths relative to the directory of `tether.toml`; a
//! pattern that matches a directory skips everything in it.

use crate::diag::levels::{Level, LevelError, Levels};
use crate::ir::Encoding;
use crate::load::normalize_lexically;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The name of the file.
pub const FILE_NAME: &str = "tether.toml";

/// A project's configuration, as read from its `tether.toml`.
#[derive(Clone, Debug)]
pub struct Project {
    path: PathBuf,
    dir: PathBuf,
    levels: Levels,
    exclude: GlobSet,
    patterns: Vec<String>,
    encoding: Option<Encoding>,
}

/// Why a `tether.toml` cannot be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProjectError {
    /// The file exists but cannot be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not TOML of the expected shape; the message says where.
    #[error("{}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's message, with the line and column.
        message: String,
    },
    /// A level names no rule, or a rule that cannot have that level.
    #[error("{}: [lints] {rule}: {source}", path.display())]
    Level {
        /// The file.
        path: PathBuf,
        /// The key as written.
        rule: String,
        /// Why.
        source: LevelError,
    },
    /// An exclude pattern is not a glob.
    #[error("{}: [check] exclude `{pattern}`: {message}", path.display())]
    Pattern {
        /// The file.
        path: PathBuf,
        /// The pattern as written.
        pattern: String,
        /// Why.
        message: String,
    },
}

impl ProjectError {
    /// A line that says how to fix it, where there is one.
    pub fn help(&self) -> Option<String> {
        match self {
            ProjectError::Level { source, .. } => Some(source.help()),
            ProjectError::Syntax { .. } => Some(
                "the file has a `[lints]` table of `rule = \"allow\" | \"warn\" | \"deny\"`, a \
                 `[check]` table with `exclude = [\"glob\", ..]` and a `[schema]` table with \
                 `encoding = \"packed\" | \"native\"`"
                    .to_string(),
            ),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    lints: BTreeMap<String, Level>,
    #[serde(default)]
    check: CheckTable,
    #[serde(default)]
    schema: SchemaTable,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaTable {
    encoding: Option<Encoding>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckTable {
    #[serde(default)]
    exclude: Vec<String>,
}

impl Project {
    /// The `tether.toml` of `start` (a schema file or a directory): the first
    /// one in its directory or a parent's. `None` when there is none.
    pub fn find(start: &Path) -> Result<Option<Project>, ProjectError> {
        let start = absolute(start);
        let mut dir = match start.is_dir() {
            true => Some(start.as_path()),
            false => start.parent(),
        };
        while let Some(here) = dir {
            let candidate = here.join(FILE_NAME);
            if candidate.is_file() {
                return Project::read(&candidate).map(Some);
            }
            dir = here.parent();
        }
        Ok(None)
    }

    /// Reads and parses the file at `path`.
    pub fn read(path: &Path) -> Result<Project, ProjectError> {
        let text = std::fs::read_to_string(path).map_err(|source| ProjectError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Project::parse(path, &text)
    }

    /// Parses `text` as the `tether.toml` at `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Project, ProjectError> {
        let file: File = toml::from_str(text).map_err(|error| ProjectError::Syntax {
            path: path.to_path_buf(),
            message: error.to_string().trim_end().to_string(),
        })?;
        let mut levels = Levels::new();
        for (rule, level) in &file.lints {
            levels
                .set(rule, *level)
                .map_err(|source| ProjectError::Level {
                    path: path.to_path_buf(),
                    rule: rule.clone(),
                    source,
                })?;
        }
        let mut exclude = GlobSetBuilder::new();
        for pattern in &file.check.exclude {
            let trimmed = pattern.trim_end_matches('/');
            // `*` stays within one directory, as in `.gitignore`; `**`
            // crosses them.
            let glob = GlobBuilder::new(trimmed)
                .literal_separator(true)
                .build()
                .map_err(|error| ProjectError::Pattern {
                    path: path.to_path_buf(),
                    pattern: pattern.clone(),
                    message: error.kind().to_string(),
                })?;
            exclude.add(glob);
        }
        let exclude = exclude.build().map_err(|error| ProjectError::Pattern {
            path: path.to_path_buf(),
            pattern: file.check.exclude.join(", "),
            message: error.to_string(),
        })?;
        let absolute_path = absolute(path);
        let dir = absolute_path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        Ok(Project {
            path: path.to_path_buf(),
            dir,
            levels,
            exclude,
            patterns: file.check.exclude,
            encoding: file.schema.encoding,
        })
    }

    /// The file read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The levels its `[lints]` table sets.
    pub fn levels(&self) -> &Levels {
        &self.levels
    }

    /// The encoding its `[schema]` table gives remotes whose file and
    /// declaration say none.
    pub fn encoding(&self) -> Option<Encoding> {
        self.encoding
    }

    /// Its exclude patterns, as written.
    pub fn exclude_patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Whether `path` (a file or a directory) is excluded: a pattern
    /// matches it, relative to the project's directory. A path outside the
    /// project is never excluded.
    pub fn excludes(&self, path: &Path) -> bool {
        let path = absolute(path);
        match path.strip_prefix(&self.dir) {
            Ok(relative) => !relative.as_os_str().is_empty() && self.exclude.is_match(relative),
            Err(_) => false,
        }
    }
}

/// `path` made absolute against the current directory, with `.` and `..`
/// resolved lexically (the path need not exist).
fn absolute(path: &Path) -> PathBuf {
    let joined = match path.is_absolute() {
        true => path.to_path_buf(),
        false => std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf()),
    };
    normalize_lexically(&joined)
}
