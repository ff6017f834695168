//! The Tether schema compiler: reads `.tether` schemas (or the IR the macros
//! build), checks them against Roblox's documented limitations, and hands a
//! resolved model to the generators.
//!
//! The pipeline is loading (files and imports) → [`syntax`] → resolving →
//! checking; [`compile`] runs it all and returns every diagnostic, with the
//! resolved model ([`ir`]) that the generators ([`gen`]) take. [`build`] is
//! the one call a build script or a tool makes to go from schema files to
//! generated files; [`check`] checks a model another front end built.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod build;
mod check;
pub mod diag;
pub mod gen;
pub mod ir;
mod load;
pub mod project;
mod resolve;
mod roblox;
mod suggest;
pub mod syntax;

pub use check::check;
pub use load::normalize_lexically;
pub use suggest::did_you_mean;

/// The stages one by one, for the benchmarks that time each; not an API.
#[doc(hidden)]
pub mod stages {
    pub use crate::load::load;
    pub use crate::resolve::resolve;
}

use diag::{Diagnostic, SourceMap};
use std::path::PathBuf;

pub use load::{FsLoader, LoadError, MemoryLoader, SourceLoader};

/// The result of compiling a set of root files.
#[derive(Debug)]
pub struct Compilation {
    /// The text of every file read, which the diagnostics' spans point into.
    pub sources: SourceMap,
    /// Every diagnostic, sorted by position, without repeats.
    pub diagnostics: Vec<Diagnostic>,
    /// The resolved model of everything that parsed.
    pub schema: ir::Schema,
}

impl Compilation {
    /// Whether any diagnostic is an error: no code may be generated.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// How many diagnostics are errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// How many diagnostics are warnings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
}

/// Loads, parses, resolves and checks `roots` and every file they import.
///
/// A root that cannot be read is a [`LoadError`] (the tool cannot run); an
/// import that cannot be read is a diagnostic.
pub fn compile(loader: &dyn SourceLoader, roots: &[PathBuf]) -> Result<Compilation, LoadError> {
    compile_with(loader, roots, ir::Encoding::Packed)
}

/// [`compile`], with `encoding` for the remotes whose declaration and file
/// say none (a project's `[schema] encoding`).
pub fn compile_with(
    loader: &dyn SourceLoader,
    roots: &[PathBuf],
    encoding: ir::Encoding,
) -> Result<Compilation, LoadError> {
    let loaded = load::load(loader, roots)?;
    let mut diagnostics = loaded.diagnostics;
    let resolved = resolve::resolve(&loaded.sources, &loaded.files, encoding);
    diagnostics.extend(resolved.diagnostics);
    diagnostics.extend(check::check_files(&resolved.schema, &resolved.visibility));
    diag::normalize(&mut diagnostics);
    Ok(Compilation {
        sources: loaded.sources,
        diagnostics,
        schema: resolved.schema,
    })
}

/// Resolves and checks a syntax tree that another front end built (the
/// macros build one from Rust items), as [`compile`] does a parsed file.
/// `name` is the file name its spans point into; the source text is empty.
pub fn compile_ast(name: &str, ast: syntax::ast::File) -> Compilation {
    let mut sources = SourceMap::new();
    let id = sources.add(diag::SourceFile::new(name, None, String::new()));
    let files = [load::ParsedFile {
        id,
        ast,
        imports: Vec::new(),
        is_root: true,
    }];
    let resolved = resolve::resolve(&sources, &files, ir::Encoding::Packed);
    let mut diagnostics = resolved.diagnostics;
    diagnostics.extend(check::check(&resolved.schema));
    diag::normalize(&mut diagnostics);
    Compilation {
        sources,
        diagnostics,
        schema: resolved.schema,
    }
}

/// Compiles one schema held in memory; imports resolve against nothing.
pub fn compile_str(name: &str, text: &str) -> Compilation {
    let loader = MemoryLoader::new([(name, text)]);
    match compile(&loader, &[PathBuf::from(name)]) {
        Ok(compilation) => compilation,
        // The only root is in the loader, so loading it cannot fail.
        Err(_) => Compilation {
            sources: SourceMap::new(),
            diagnostics: Vec::new(),
            schema: ir::Schema::default(),
        },
    }
}
