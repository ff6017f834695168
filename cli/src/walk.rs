//! Finding the schema files that `tether check` was pointed at.
//!
//! A file named on the command line is always checked, whatever its name.
//! A directory is searched recursively for `*.tether` files, in sorted
//! order. Entries whose name starts with `.` are skipped, and so are
//! symbolic links to directories (so that a link cannot make a loop).
//!
//! A `.tetherignore` file in any searched directory lists paths, relative to
//! that directory, that the search skips: one per line, a file or a
//! directory, with an optional trailing `/`. Blank lines and lines starting
//! with `#` are ignored. There are no wildcards. The project's `tether.toml`
//! skips what its `[check] exclude` globs match.

use super::CliError;
use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use tether_compiler::normalize_lexically;
use tether_compiler::project::Project;

pub const IGNORE_FILE: &str = ".tetherignore";
pub const EXTENSION: &str = "tether";

/// The schema files under `paths`, each once, in the order the paths were
/// given (and sorted within each directory).
pub fn schema_files(
    paths: &[PathBuf],
    project: Option<&Project>,
) -> Result<Vec<PathBuf>, CliError> {
    let mut files = Vec::new();
    let mut seen = HashSet::new();
    for path in paths {
        let metadata = fs::metadata(path).map_err(|source| match source.kind() {
            io::ErrorKind::NotFound => CliError::NotFound(path.clone()),
            _ => CliError::Read {
                path: path.clone(),
                source,
            },
        })?;
        let found = if metadata.is_dir() {
            let found = search(path, project)?;
            if found.is_empty() {
                return Err(CliError::NoSchemas(path.clone()));
            }
            found
        } else {
            vec![path.clone()]
        };
        for file in found {
            let identity = file
                .canonicalize()
                .unwrap_or_else(|_| normalize_lexically(&file));
            if seen.insert(identity) {
                files.push(file);
            }
        }
    }
    Ok(files)
}

/// Every `*.tether` file under `dir` that is not skipped, sorted.
pub fn search(dir: &Path, project: Option<&Project>) -> Result<Vec<PathBuf>, CliError> {
    let mut found = Vec::new();
    let mut ignored = HashSet::new();
    visit(dir, project, &mut ignored, &mut found)?;
    found.sort();
    Ok(found)
}

fn visit(
    dir: &Path,
    project: Option<&Project>,
    ignored: &mut HashSet<PathBuf>,
    found: &mut Vec<PathBuf>,
) -> Result<(), CliError> {
    let read_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CliError::Read { path, source }
    };
    ignored.extend(read_ignore_file(dir)?);
    let mut entries = fs::read_dir(dir)
        .map_err(read_error(dir))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(read_error(dir))?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = dir.join(&name);
        if ignored.contains(&normalize_lexically(&path))
            || project.is_some_and(|project| project.excludes(&path))
        {
            continue;
        }
        let file_type = entry.file_type().map_err(read_error(&path))?;
        if file_type.is_dir() {
            visit(&path, project, ignored, found)?;
        } else if is_schema(&path) && (file_type.is_file() || path.is_file()) {
            found.push(path);
        }
    }
    Ok(())
}

fn is_schema(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == EXTENSION)
}

/// The paths a directory's `.tetherignore` skips, joined to the directory.
fn read_ignore_file(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let path = dir.join(IGNORE_FILE);
    match fs::read_to_string(&path) {
        Ok(text) => Ok(parse_ignore(&text)
            .map(|entry| normalize_lexically(&dir.join(entry)))
            .collect()),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(source) => Err(CliError::Read { path, source }),
    }
}

/// The entries of a `.tetherignore` file, as relative paths.
pub fn parse_ignore(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.trim_start_matches('/').trim_end_matches('/'))
        .filter(|line| !line.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_lines() {
        let text = "# comment\n\ninvalid/\n  /drafts/old.tether  \nexamples\n/\n";
        let entries: Vec<_> = parse_ignore(text).collect();
        assert_eq!(entries, ["invalid", "drafts/old.tether", "examples"]);
    }
}
