//! Who can see which declaration: the table of every declared name across
//! the loaded files, the import closure of each file, and lookups.

use crate::diag::{rules, Diagnostic, FileId, Span};
use crate::ir::{DeclId, QualName};
use crate::load::ParsedFile;
use crate::syntax::ast;
use std::collections::{HashMap, HashSet};

/// What a declared name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A `type` or `enum`, with its IR id.
    Type(DeclId),
    Namespace,
    Endpoint,
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub name: QualName,
    pub name_span: Span,
    pub kind: EntryKind,
}

impl Entry {
    fn file(&self) -> FileId {
        self.name_span.file
    }
}

/// A type or enum declaration found while collecting, in `DeclId` order.
pub struct Found<'a> {
    pub name: QualName,
    pub file: FileId,
    pub namespace: Vec<String>,
    pub decl: &'a ast::Decl,
}

/// An endpoint found while collecting.
pub struct FoundEndpoint<'a> {
    pub name: QualName,
    pub namespace: Vec<String>,
    pub endpoint: &'a ast::Endpoint,
}

pub struct Scope<'a> {
    entries: HashMap<QualName, Vec<Entry>>,
    /// For each file, the files whose names it sees: itself and its imports, transitively.
    visible: HashMap<FileId, HashSet<FileId>>,
    pub types: Vec<Found<'a>>,
    pub endpoints: Vec<FoundEndpoint<'a>>,
}

impl<'a> Scope<'a> {
    /// Collects every declaration of every file and reports duplicates.
    pub fn collect(files: &'a [ParsedFile], diagnostics: &mut Vec<Diagnostic>) -> Self {
        let mut scope = Scope {
            entries: HashMap::new(),
            visible: import_closures(files),
            types: Vec::new(),
            endpoints: Vec::new(),
        };
        for file in files {
            scope.collect_decls(file.id, &[], &file.ast.decls, diagnostics);
        }
        scope
    }

    fn collect_decls(
        &mut self,
        file: FileId,
        namespace: &[String],
        decls: &'a [ast::Decl],
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        for decl in decls {
            let ident = decl.name();
            let mut path = namespace.to_vec();
            path.push(ident.name.clone());
            let name = QualName(path);
            let kind = match decl {
                ast::Decl::Type(_) | ast::Decl::Enum(_) => {
                    EntryKind::Type(DeclId(self.types.len() as u32))
                }
                ast::Decl::Namespace(_) => EntryKind::Namespace,
                ast::Decl::Endpoint(_) => EntryKind::Endpoint,
            };
            let entry = Entry {
                name: name.clone(),
                name_span: ident.span,
                kind,
            };
            if let Some(first) = self.conflict(&entry) {
                diagnostics.push(duplicate(&entry, first));
            }
            self.entries.entry(name.clone()).or_default().push(entry);
            match decl {
                ast::Decl::Type(_) | ast::Decl::Enum(_) => self.types.push(Found {
                    name,
                    file,
                    namespace: namespace.to_vec(),
                    decl,
                }),
                ast::Decl::Namespace(ns) => {
                    self.collect_decls(file, &name.0, &ns.decls, diagnostics);
                }
                ast::Decl::Endpoint(endpoint) => self.endpoints.push(FoundEndpoint {
                    name,
                    namespace: namespace.to_vec(),
                    endpoint,
                }),
            }
        }
    }

    /// An earlier entry that `entry` clashes with: same name, seen together
    /// from some file, and not two parts of one reopened namespace.
    fn conflict(&self, entry: &Entry) -> Option<&Entry> {
        self.entries.get(&entry.name)?.iter().find(|earlier| {
            let both_namespaces =
                earlier.kind == EntryKind::Namespace && entry.kind == EntryKind::Namespace;
            !both_namespaces && self.co_visible(earlier.file(), entry.file())
        })
    }

    /// Whether some file sees declarations of both `a` and `b`.
    fn co_visible(&self, a: FileId, b: FileId) -> bool {
        co_visible(&self.visible, a, b)
    }

    /// What each file sees, for the checks that run after resolving.
    pub fn visibility(&self) -> Visibility {
        Visibility(self.visible.clone())
    }

    /// Whether `file` imports, directly or not, a file that did not parse:
    /// an unknown name there may well be declared in it.
    pub fn sees_unparsed(&self, file: FileId) -> bool {
        self.visible
            .get(&file)
            .is_some_and(|seen| seen.iter().any(|f| !self.visible.contains_key(f)))
    }

    /// Whether code in `from` sees names declared in `target`.
    pub fn sees(&self, from: FileId, target: FileId) -> bool {
        from == target || self.visible.get(&from).is_some_and(|v| v.contains(&target))
    }

    /// Looks `path` up from code in `file` inside `namespace`: the innermost
    /// enclosing namespace first, then outwards to the top level.
    pub fn lookup(&self, file: FileId, namespace: &[String], path: &[String]) -> Option<&Entry> {
        (0..=namespace.len()).rev().find_map(|depth| {
            let mut full = namespace[..depth].to_vec();
            full.extend_from_slice(path);
            self.entries
                .get(&QualName(full))?
                .iter()
                .find(|e| self.sees(file, e.file()))
        })
    }

    /// Names a misspelling could have meant, as written from `namespace`.
    pub fn candidates(&self, file: FileId, namespace: &[String]) -> Vec<String> {
        self.entries
            .values()
            .flatten()
            .filter(|e| matches!(e.kind, EntryKind::Type(_)) && self.sees(file, e.file()))
            .map(|e| {
                let name = &e.name.0;
                let shared = name
                    .iter()
                    .zip(namespace)
                    .take_while(|(a, b)| a == b)
                    .count()
                    .min(name.len().saturating_sub(1));
                name[shared..].join(".")
            })
            .collect()
    }
}

fn duplicate(entry: &Entry, first: &Entry) -> Diagnostic {
    Diagnostic::new(
        &rules::DUPLICATE_NAME,
        entry.name_span,
        format!("`{}` is declared more than once", entry.name),
    )
    .with_label("declared again here")
    .with_secondary(first.name_span, "first declared here")
    .with_help("rename one of them, or move it into a namespace")
}

/// For every file, the set of files it imports directly or transitively.
/// Which files see which: declarations in two files meet in generated code
/// only when some file sees both.
#[derive(Clone, Debug, Default)]
pub struct Visibility(HashMap<FileId, HashSet<FileId>>);

impl Visibility {
    /// Whether some file sees declarations of both `a` and `b`. Without
    /// files (a front end that built one model), every file sees every other.
    pub fn co_visible(&self, a: FileId, b: FileId) -> bool {
        self.0.is_empty() || co_visible(&self.0, a, b)
    }
}

fn co_visible(visible: &HashMap<FileId, HashSet<FileId>>, a: FileId, b: FileId) -> bool {
    let sees = |from: FileId, target: FileId| {
        from == target || visible.get(&from).is_some_and(|v| v.contains(&target))
    };
    sees(a, b)
        || sees(b, a)
        || visible
            .values()
            .any(|seen| seen.contains(&a) && seen.contains(&b))
}

fn import_closures(files: &[ParsedFile]) -> HashMap<FileId, HashSet<FileId>> {
    let direct: HashMap<FileId, &[FileId]> =
        files.iter().map(|f| (f.id, f.imports.as_slice())).collect();
    files
        .iter()
        .map(|file| {
            let mut seen = HashSet::new();
            let mut stack = vec![file.id];
            while let Some(next) = stack.pop() {
                for &import in direct.get(&next).copied().unwrap_or_default() {
                    if seen.insert(import) {
                        stack.push(import);
                    }
                }
            }
            (file.id, seen)
        })
        .collect()
}
