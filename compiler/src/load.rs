//! Reading files and following imports: turns root paths into parsed files,
//! each once, with the import graph between them.

use crate::diag::{rules, Diagnostic, FileId, SourceFile, SourceMap};
use crate::syntax::{self, ast};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// Where source text comes from: the file system, or memory in tests and tools.
pub trait SourceLoader {
    /// Reads the whole text at `path`.
    fn read(&self, path: &Path) -> std::io::Result<String>;

    /// A stable identity for a path, so that a file reached twice is loaded once.
    fn identity(&self, path: &Path) -> PathBuf {
        normalize_lexically(path)
    }
}

/// Reads from disk.
#[derive(Clone, Copy, Debug, Default)]
pub struct FsLoader;

impl SourceLoader for FsLoader {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }

    fn identity(&self, path: &Path) -> PathBuf {
        path.canonicalize()
            .unwrap_or_else(|_| normalize_lexically(path))
    }
}

/// Serves files from a map of path to text.
#[derive(Clone, Debug, Default)]
pub struct MemoryLoader {
    files: HashMap<PathBuf, String>,
}

impl MemoryLoader {
    /// A loader that serves `files`, each a path and its text.
    pub fn new<P: AsRef<Path>, S: Into<String>>(files: impl IntoIterator<Item = (P, S)>) -> Self {
        MemoryLoader {
            files: files
                .into_iter()
                .map(|(p, s)| (normalize_lexically(p.as_ref()), s.into()))
                .collect(),
        }
    }
}

impl SourceLoader for MemoryLoader {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        self.files
            .get(&normalize_lexically(path))
            .cloned()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"))
    }
}

/// A root file that could not be read: the tool cannot run.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {}: {source}", path.display())]
#[non_exhaustive]
pub struct LoadError {
    /// The root path that could not be read.
    pub path: PathBuf,
    /// Why it could not be read.
    #[source]
    pub source: std::io::Error,
}

/// A file that parsed, with the files it imports directly.
#[derive(Clone, Debug)]
pub struct ParsedFile {
    pub id: FileId,
    pub ast: ast::File,
    /// Files this one imports and that loaded; cyclic and missing imports are left out.
    pub imports: Vec<FileId>,
    /// Whether this file was named as a root (rather than only imported).
    pub is_root: bool,
}

#[derive(Debug)]
pub struct Loaded {
    pub sources: SourceMap,
    /// Files that parsed, in the order they were first reached.
    pub files: Vec<ParsedFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads every root and, depth first, everything it imports.
pub fn load(loader: &dyn SourceLoader, roots: &[PathBuf]) -> Result<Loaded, LoadError> {
    let mut state = State {
        loader,
        sources: SourceMap::new(),
        by_identity: HashMap::new(),
        nodes: Vec::new(),
        diagnostics: Vec::new(),
    };
    for root in roots {
        let text = loader.read(root).map_err(|source| LoadError {
            path: root.clone(),
            source,
        })?;
        let id = state.add(root, root.display().to_string(), text);
        state.nodes[id.0 as usize].is_root = true;
    }
    for index in 0..roots.len().min(state.nodes.len()) {
        state.visit(FileId(index as u32), &mut Vec::new());
    }
    let files = state
        .nodes
        .into_iter()
        .filter_map(|node| {
            node.ast.map(|ast| ParsedFile {
                id: node.id,
                ast,
                imports: node.imports,
                is_root: node.is_root,
            })
        })
        .collect();
    Ok(Loaded {
        sources: state.sources,
        files,
        diagnostics: state.diagnostics,
    })
}

struct Node {
    id: FileId,
    ast: Option<ast::File>,
    imports: Vec<FileId>,
    visited: bool,
    is_root: bool,
}

struct State<'a> {
    loader: &'a dyn SourceLoader,
    sources: SourceMap,
    by_identity: HashMap<PathBuf, FileId>,
    nodes: Vec<Node>,
    diagnostics: Vec<Diagnostic>,
}

impl State<'_> {
    /// Registers and parses a file, unless it is already known.
    fn add(&mut self, path: &Path, name: String, text: String) -> FileId {
        let identity = self.loader.identity(path);
        if let Some(&id) = self.by_identity.get(&identity) {
            return id;
        }
        let id = self
            .sources
            .add(SourceFile::new(name, Some(path.to_path_buf()), text));
        let ast = match syntax::parse(id, &self.sources.get(id).text) {
            Ok(ast) => Some(ast),
            Err(diagnostic) => {
                self.diagnostics.push(*diagnostic);
                None
            }
        };
        self.by_identity.insert(identity, id);
        self.nodes.push(Node {
            id,
            ast,
            imports: Vec::new(),
            visited: false,
            is_root: false,
        });
        id
    }

    /// Follows the imports of `id`; `stack` holds the files being visited,
    /// so that an import back into it is a cycle.
    fn visit(&mut self, id: FileId, stack: &mut Vec<FileId>) {
        let index = id.0 as usize;
        if self.nodes[index].visited {
            return;
        }
        self.nodes[index].visited = true;
        let Some(imports) = self.nodes[index].ast.as_ref().map(|f| f.imports.clone()) else {
            return;
        };
        stack.push(id);
        let base = self.sources.get(id).path.clone().unwrap_or_default();
        let base_dir = base.parent().unwrap_or(Path::new("")).to_path_buf();
        for import in &imports {
            let target = normalize_lexically(&base_dir.join(&import.path));
            let known = self
                .by_identity
                .get(&self.loader.identity(&target))
                .copied();
            let target_id = match known {
                Some(target_id) => target_id,
                None => match self.loader.read(&target) {
                    Ok(text) => self.add(&target, target.display().to_string(), text),
                    Err(error) => {
                        self.diagnostics
                            .push(import_not_found(import, &target, &error));
                        continue;
                    }
                },
            };
            if let Some(position) = stack.iter().position(|&f| f == target_id) {
                self.diagnostics
                    .push(self.import_cycle(import, &stack[position..]));
                continue;
            }
            self.visit(target_id, stack);
            self.nodes[index].imports.push(target_id);
        }
        stack.pop();
    }

    fn import_cycle(&self, import: &ast::Import, cycle: &[FileId]) -> Diagnostic {
        let names: Vec<&str> = cycle
            .iter()
            .chain(cycle.first())
            .map(|&f| self.sources.get(f).name.as_str())
            .collect();
        Diagnostic::new(
            &rules::IMPORT_CYCLE,
            import.path_span,
            format!("import cycle: {}", names.join(" -> ")),
        )
        .with_label("this import closes the cycle")
        .with_help("move the declarations both files need into a third file that each imports")
    }
}

fn import_not_found(import: &ast::Import, target: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::new(
        &rules::IMPORT_NOT_FOUND,
        import.path_span,
        format!("cannot import `{}`: {error}", import.path),
    )
    .with_label(format!("looked for {}", target.display()))
    .with_help("import paths are relative to the file that holds the import")
}

/// Removes `.` and folds `..` without touching the file system.
pub fn normalize_lexically(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}
