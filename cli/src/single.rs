//! The one schema file that `tether ir` and `tether gen` take.

use super::args::ColorWhen;
use super::{output, CliError};
use std::io::Write;
use std::path::Path;
use tether_compiler::diag::render::human;
use tether_compiler::project::Project;
use tether_compiler::{Compilation, FsLoader};

/// Compiles `file` for `tether <command>`, writing its diagnostics to stderr.
/// `None` when it has errors: the command then has nothing to print.
pub fn compile_file(
    file: &Path,
    command: &'static str,
    color: ColorWhen,
) -> Result<Option<Compilation>, CliError> {
    if file.is_dir() {
        return Err(CliError::NotAFile {
            path: file.to_path_buf(),
            command,
        });
    }
    let project = Project::find(file)?;
    let encoding = project
        .as_ref()
        .and_then(Project::encoding)
        .unwrap_or_default();
    let mut compilation =
        tether_compiler::compile_with(&FsLoader, &[file.to_path_buf()], encoding)?;
    if let Some(project) = project {
        project.levels().apply(&mut compilation.diagnostics);
    }
    if !compilation.diagnostics.is_empty() {
        let mut err = output::stderr(color);
        human::render(&compilation.sources, &compilation.diagnostics, &mut err)?;
        human::Summary::new(&compilation.diagnostics, compilation.sources.len(), false)
            .write(&mut err)?;
        err.flush()?;
    }
    Ok((!compilation.has_errors()).then_some(compilation))
}
