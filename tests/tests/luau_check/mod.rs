//! Type-checks Luau that `require`s Tether's generated modules, with Luau's
//! own checker (`luau-analyze`: Luau's Analysis library, new solver, strict
//! mode) and the Roblox API of `tests/luau/roblox.d.luau`.
//!
//! `luau-analyze` checks one chunk and cannot resolve `require`, so the
//! modules a chunk requires are bundled into it, as Studio would see them:
//!
//! - each required module becomes `local __module_<name> = (function() ...
//!   end)()` before the module that requires it, and `require(<path>.<name>)`
//!   becomes `__module_<name>` (`script.Parent.tether` and
//!   `ReplicatedStorage.Net.server` alike: the last name picks the module);
//! - a type cannot leave a function body, so each top-level `type` or
//!   `export type` of a required module is hoisted to the top of the chunk as
//!   `type <module>_<Name>` (its references to the module's other types
//!   renamed to match), and left in the body as the alias `type Name =
//!   <module>_Name`, so the body reads as before;
//! - `Alias.Name` in a type, where `local Alias = require(...)`, becomes
//!   `<module>_Name`, and `Enum.KeyCode` becomes `EnumKeyCode`, the class
//!   the definitions give its items (Studio resolves both; a definitions
//!   file cannot declare a dotted type name).
//!
//! Every line of the chunk remembers the file and line it came from, so that
//! a diagnostic names the generated file's own line.
//!
//! This reads Luau with a lexer and a parser of types only, enough for the
//! generated modules and the test scripts: a statement is top-level when it
//! starts a line in column 0, as the generator lays modules out, and a type
//! inside a backtick string's `{...}` is not rewritten.

mod lex;

use lex::{Kind, Token};
use luau_analyze::{Checker, Severity};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

/// The file name of the bundle's own lines (the wrappers around modules).
pub const BUNDLE: &str = "<bundle>";

/// The Roblox API the checks see.
pub fn definitions() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("luau/roblox.d.luau");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// A checker with the Roblox definitions loaded.
pub fn checker() -> Checker {
    let mut checker = Checker::new().expect("the Luau checker starts");
    checker
        .add_definitions(&definitions())
        .unwrap_or_else(|error| panic!("tests/luau/roblox.d.luau: {error}"));
    checker
}

/// One diagnostic, placed in the file it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Finding {
    /// The module (`tether`, `types`, `server`, ...) or script name; the
    /// bundle's own lines have the name `<bundle>`.
    pub file: String,
    /// 1-based line in that file (0 for the bundle's wrapper lines).
    pub line: usize,
    /// 1-based column (a tab counts one), in the bundled line: on a line
    /// the bundle rewrote (`Types.Item` to `types_Item`, ...) it may be a
    /// few characters off.
    pub col: usize,
    pub error: bool,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.error { "error" } else { "warning" };
        write!(
            f,
            "{}:{}:{}: {kind}: {}",
            self.file, self.line, self.col, self.message
        )
    }
}

/// Bundles `required` (in the order they may require each other) with
/// `entry`, checks the result and places each diagnostic.
pub fn check(
    checker: &mut Checker,
    required: &[(&str, &str)],
    entry: (&str, &str),
) -> Vec<Finding> {
    let bundle = bundle(required, entry);
    // To read the chunk the checker saw: `LUAU_CHECK_DUMP=<dir> cargo test ...`.
    if let Some(dir) = std::env::var_os("LUAU_CHECK_DUMP") {
        static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = Path::new(&dir).join(format!("{n:02}-{}.luau", entry.0));
        std::fs::write(&path, &bundle.source).expect("the bundle is written");
    }
    let result = checker.check(&bundle.source).expect("the checker runs");
    assert!(!result.timed_out, "the check timed out");
    result
        .diagnostics
        .iter()
        .filter(|d| !bundle.hides(d.line as usize, &d.message))
        .map(|d| {
            let (file, line) = bundle
                .origins
                .get(d.line as usize)
                .cloned()
                .unwrap_or_else(|| (BUNDLE.to_string(), 0));
            Finding {
                file,
                line,
                col: d.col as usize + 1,
                error: d.severity == Severity::Error,
                message: d.message.clone(),
            }
        })
        .collect()
}

pub struct Bundle {
    pub source: String,
    /// For each line of `source`, the file and 1-based line it came from.
    pub origins: Vec<(String, usize)>,
    /// `(file, local)` for each local whose uses the bundle rewrote away:
    /// an alias of a required module used in types (`Alias.Name`; Studio
    /// counts that as a use) and the start of a path to a required module
    /// (`ReplicatedStorage` in `require(ReplicatedStorage.Net.server)`).
    rewritten_uses: HashSet<(String, String)>,
}

impl Bundle {
    /// Whether a diagnostic is the bundling's doing: a local whose only
    /// uses were rewritten is reported unused.
    fn hides(&self, line: usize, message: &str) -> bool {
        let Some((file, _)) = self.origins.get(line) else {
            return false;
        };
        self.rewritten_uses.iter().any(|(in_file, name)| {
            in_file == file
                && message == format!("Variable '{name}' is never used; prefix with '_' to silence")
        })
    }
}

/// A reference to a type: `Name` or `Prefix.Name`, as token indices.
#[derive(Clone, Copy, Debug)]
struct TypeRef {
    first: usize,
    second: Option<usize>,
}

/// A `type` statement.
#[derive(Debug)]
struct TypeStmt {
    /// Token indices of `export` (or `type`) and of the type's last token.
    first: usize,
    last: usize,
    name: usize,
    /// Token indices of `<` and `>` around the parameters, if any.
    params: Option<(usize, usize)>,
    param_names: Vec<String>,
    /// What the parameters are when used: `<T, U...>`, without defaults.
    param_uses: String,
    refs: Vec<TypeRef>,
    /// At the top of the module: first on a line that starts in column 0.
    top_level: bool,
}

/// `require(<path>.<module>)`: the tokens from `require` to `)`.
#[derive(Debug)]
struct Require {
    first: usize,
    last: usize,
    module: String,
    /// `local <alias> = require(...)`.
    alias: Option<String>,
}

/// What one pass over a module finds.
#[derive(Default, Debug)]
struct Scan {
    stmts: Vec<TypeStmt>,
    /// Type references outside type statements (annotations, casts).
    refs: Vec<TypeRef>,
    requires: Vec<Require>,
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Token>,
    pos: usize,
    refs: Vec<TypeRef>,
}

impl<'a> Parser<'a> {
    fn text(&self, i: usize) -> &'a str {
        self.toks.get(i).map_or("", |t| &self.src[t.start..t.end])
    }
    fn at(&self, text: &str) -> bool {
        let token = self.toks.get(self.pos);
        token.is_some_and(|t| t.kind != Kind::Str && self.text(self.pos) == text)
    }
    fn name_at(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Kind::Name)
    }
    fn eat(&mut self, text: &str) -> bool {
        let found = self.at(text);
        if found {
            self.pos += 1;
        }
        found
    }

    /// A type: simple types joined by `|` and `&`, each maybe `?`.
    fn ty(&mut self) {
        self.eat("|");
        self.eat("&");
        loop {
            self.simple();
            while self.eat("?") {}
            if !(self.eat("|") || self.eat("&")) {
                break;
            }
        }
    }

    fn simple(&mut self) {
        let Some(token) = self.toks.get(self.pos).copied() else {
            return;
        };
        match (token.kind, self.text(self.pos)) {
            (Kind::Punct, "(") => {
                self.pos += 1;
                self.list(")");
                if self.eat("->") {
                    self.ty();
                }
            }
            (Kind::Punct, "<") => {
                // A generic function type: `<T>(T) -> T`.
                self.generics();
                self.simple();
            }
            (Kind::Punct, "{") => {
                self.pos += 1;
                self.table();
            }
            (Kind::Punct, "...") => {
                self.pos += 1;
                self.ty();
            }
            (Kind::Name, "typeof") => {
                // `typeof(expression)` holds a value, not a type.
                self.pos += 1;
                self.skip_balanced("(", ")");
            }
            (Kind::Name, "nil" | "true" | "false") | (Kind::Str, _) => self.pos += 1,
            (Kind::Name, _) => {
                let first = self.pos;
                self.pos += 1;
                let mut second = None;
                if self.at(".") && self.name_at(self.pos + 1) {
                    second = Some(self.pos + 1);
                    self.pos += 2;
                }
                self.refs.push(TypeRef { first, second });
                if self.eat("<") {
                    self.list(">");
                }
                // A generic pack: `T...`.
                self.eat("...");
            }
            _ => {}
        }
    }

    /// Types separated by commas up to `close`; a name before `:` is a
    /// parameter's name.
    fn list(&mut self, close: &str) {
        while self.pos < self.toks.len() && !self.eat(close) {
            if self.name_at(self.pos) && self.text(self.pos + 1) == ":" {
                self.pos += 2;
            }
            let before = self.pos;
            self.ty();
            if !self.eat(",") && !self.at(close) && self.pos == before {
                // Not a type: give up on this list rather than loop.
                self.pos += 1;
            }
        }
    }

    fn table(&mut self) {
        while self.pos < self.toks.len() && !self.eat("}") {
            let before = self.pos;
            if self.eat("[") {
                self.ty();
                self.eat("]");
                self.eat(":");
                self.ty();
            } else {
                if matches!(self.text(self.pos), "read" | "write")
                    && self.name_at(self.pos + 1)
                    && self.text(self.pos + 2) == ":"
                {
                    self.pos += 1;
                }
                if self.name_at(self.pos) && self.text(self.pos + 1) == ":" {
                    self.pos += 2;
                }
                self.ty();
            }
            if !(self.eat(",") || self.eat(";") || self.at("}")) && self.pos == before {
                self.pos += 1;
            }
        }
    }

    fn skip_balanced(&mut self, open: &str, close: &str) {
        let mut depth = 0usize;
        while self.pos < self.toks.len() {
            if self.at(open) {
                depth += 1;
            } else if self.at(close) {
                depth -= 1;
                if depth == 0 {
                    self.pos += 1;
                    return;
                }
            }
            self.pos += 1;
        }
    }

    /// `<T, U... = ...any>`: the parameters' names.
    fn generics(&mut self) -> Vec<String> {
        let mut names = Vec::new();
        if !self.eat("<") {
            return names;
        }
        while self.pos < self.toks.len() && !self.eat(">") {
            let before = self.pos;
            if self.name_at(self.pos) {
                names.push(self.text(self.pos).to_string());
                self.pos += 1;
            }
            self.eat("...");
            if self.eat("=") {
                self.ty();
            }
            if !self.eat(",") && !self.at(">") && self.pos == before {
                self.pos += 1;
            }
        }
        names
    }

    /// `name: T, name: T` after `local` or `for`.
    fn bindings(&mut self) {
        while self.name_at(self.pos) {
            self.pos += 1;
            if self.eat(":") {
                self.ty();
            }
            if !self.eat(",") {
                break;
            }
        }
    }

    /// After `function`: the name, generics, annotated parameters and the
    /// return type.
    fn signature(&mut self) {
        while self.name_at(self.pos) && matches!(self.text(self.pos + 1), "." | ":") {
            self.pos += 2;
        }
        if self.name_at(self.pos) {
            self.pos += 1;
        }
        self.generics();
        if !self.eat("(") {
            return;
        }
        while self.pos < self.toks.len() && !self.eat(")") {
            let before = self.pos;
            if self.name_at(self.pos) || self.at("...") {
                self.pos += 1;
                if self.eat(":") {
                    self.ty();
                }
            }
            if !self.eat(",") && !self.at(")") && self.pos == before {
                self.pos += 1;
            }
        }
        if self.eat(":") {
            self.ty();
        }
    }

    /// `[export] type Name<...> = T`, if one starts here.
    fn type_stmt(&mut self) -> Option<TypeStmt> {
        let first = self.pos;
        let mut at = first;
        if self.text(at) == "export" {
            at += 1;
        }
        let after_dot = first > 0 && matches!(self.text(first - 1), "." | ":");
        if after_dot
            || self.text(at) != "type"
            || !self.name_at(at + 1)
            || !matches!(self.text(at + 2), "=" | "<")
        {
            return None;
        }
        let name = at + 1;
        self.pos = at + 2;
        let refs_before = self.refs.len();
        let open = self.pos;
        let param_names = self.generics();
        let params = (self.pos > open).then(|| (open, self.pos - 1));
        let param_uses = params.map_or(String::new(), |(open, close)| {
            let mut uses = Vec::new();
            let mut i = open + 1;
            while i < close {
                if self.name_at(i) && matches!(self.text(i - 1), "<" | ",") {
                    let pack = if self.text(i + 1) == "..." { "..." } else { "" };
                    uses.push(format!("{}{pack}", self.text(i)));
                }
                i += 1;
            }
            format!("<{}>", uses.join(", "))
        });
        self.eat("=");
        self.ty();
        let refs = self.refs.split_off(refs_before);
        let token = self.toks[first];
        Some(TypeStmt {
            first,
            last: self.pos - 1,
            name,
            params,
            param_names,
            param_uses,
            refs,
            top_level: token.first_on_line && token.column0,
        })
    }

    /// `require(a.b.<module>)`, if one starts here and names a module.
    fn require(&self, modules: &HashSet<&str>) -> Option<Require> {
        if self.text(self.pos) != "require" || self.text(self.pos + 1) != "(" {
            return None;
        }
        let mut i = self.pos + 2;
        let mut last_name = "";
        while self.name_at(i) {
            last_name = self.text(i);
            if self.text(i + 1) != "." {
                break;
            }
            i += 2;
        }
        if self.text(i + 1) != ")" || !modules.contains(last_name) {
            return None;
        }
        let alias = (self.pos >= 3
            && self.text(self.pos - 1) == "="
            && self.name_at(self.pos - 2)
            && self.text(self.pos - 3) == "local")
            .then(|| self.text(self.pos - 2).to_string());
        Some(Require {
            first: self.pos,
            last: i + 1,
            module: last_name.to_string(),
            alias,
        })
    }
}

fn scan(src: &str, modules: &HashSet<&str>) -> (Vec<Token>, Scan) {
    let toks: Vec<Token> = lex::tokens(src)
        .into_iter()
        .filter(|t| t.kind != Kind::Comment)
        .collect();
    let mut p = Parser {
        src,
        toks,
        pos: 0,
        refs: Vec::new(),
    };
    let mut found = Scan::default();
    while p.pos < p.toks.len() {
        let start = p.pos;
        if let Some(stmt) = p.type_stmt() {
            found.stmts.push(stmt);
            continue;
        }
        p.pos = start;
        if let Some(require) = p.require(modules) {
            p.pos = require.last + 1;
            found.requires.push(require);
            continue;
        }
        match (p.toks[p.pos].kind, p.text(p.pos)) {
            (Kind::Punct, "::") => {
                p.pos += 1;
                p.ty();
            }
            (Kind::Name, "local" | "for") if p.text(p.pos + 1) != "function" => {
                p.pos += 1;
                p.bindings();
            }
            (Kind::Name, "function") => {
                p.pos += 1;
                p.signature();
            }
            _ => p.pos += 1,
        }
        // Never stand still.
        if p.pos == start {
            p.pos += 1;
        }
    }
    found.refs = std::mem::take(&mut p.refs);
    (p.toks, found)
}

/// What is known of one module while bundling.
struct Module<'a> {
    name: &'a str,
    src: &'a str,
    toks: Vec<Token>,
    scan: Scan,
}

impl Module<'_> {
    fn text(&self, i: usize) -> &str {
        &self.src[self.toks[i].start..self.toks[i].end]
    }
    /// The names of its top-level types.
    fn top_types(&self) -> HashSet<String> {
        self.scan
            .stmts
            .iter()
            .filter(|s| s.top_level)
            .map(|s| self.text(s.name).to_string())
            .collect()
    }
    /// The names of its exported top-level types.
    fn exports(&self) -> HashSet<String> {
        self.scan
            .stmts
            .iter()
            .filter(|s| s.top_level && self.text(s.first) == "export")
            .map(|s| self.text(s.name).to_string())
            .collect()
    }
}

/// Text edits on one module's source: byte ranges and their replacements.
#[derive(Default)]
struct Edits(Vec<(usize, usize, String)>);

impl Edits {
    fn apply(mut self, src: &str, from: usize, to: usize) -> String {
        self.0
            .retain(|(start, end, _)| *start >= from && *end <= to);
        self.0.sort_by_key(|(start, _, _)| *start);
        let mut out = String::new();
        let mut at = from;
        for (start, end, text) in self.0 {
            assert!(start >= at, "overlapping edits at byte {start}");
            out.push_str(&src[at..start]);
            out.push_str(&text);
            at = end;
        }
        out.push_str(&src[at..to]);
        out
    }
}

/// Bundles `required` and `entry` into one chunk (see the module's docs).
pub fn bundle(required: &[(&str, &str)], entry: (&str, &str)) -> Bundle {
    let names: HashSet<&str> = required.iter().map(|(name, _)| *name).collect();
    let modules: Vec<Module> = required
        .iter()
        .chain(std::iter::once(&entry))
        .map(|&(name, src)| {
            let (toks, scan) = scan(src, &names);
            Module {
                name,
                src,
                toks,
                scan,
            }
        })
        .collect();
    let exports: HashMap<&str, HashSet<String>> =
        modules.iter().map(|m| (m.name, m.exports())).collect();

    let mut hoisted: Vec<(String, &str, usize)> = Vec::new(); // text, module, first line
    let mut bodies: Vec<(String, &str, bool)> = Vec::new(); // text, module, wrapped
    let mut declared: HashMap<String, &str> = HashMap::new();
    let mut rewritten_uses = HashSet::new();
    for (index, module) in modules.iter().enumerate() {
        let wrapped = index < required.len();
        let aliases: HashMap<&str, &str> = module
            .scan
            .requires
            .iter()
            .filter_map(|r| Some((r.alias.as_deref()?, r.module.as_str())))
            .collect();
        let locals = if wrapped {
            module.top_types()
        } else {
            HashSet::new()
        };
        // The new text of a reference, if it changes.
        let rename = |r: &TypeRef, params: &[String]| -> Option<String> {
            let first = module.text(r.first);
            match r.second {
                Some(second) => {
                    let name = module.text(second);
                    if first == "Enum" {
                        return Some(format!("Enum{name}"));
                    }
                    let target = aliases.get(first)?;
                    exports[target]
                        .contains(name)
                        .then(|| format!("{target}_{name}"))
                }
                None => (locals.contains(first) && !params.iter().any(|p| p == first))
                    .then(|| format!("{}_{first}", module.name)),
            }
        };
        let span = |r: &TypeRef| {
            let end = r.second.unwrap_or(r.first);
            (module.toks[r.first].start, module.toks[end].end)
        };

        // Aliases whose `alias.Name` types are rewritten.
        let all_refs = module
            .scan
            .refs
            .iter()
            .chain(module.scan.stmts.iter().flat_map(|s| &s.refs));
        for r in all_refs {
            let first = module.text(r.first);
            if r.second.is_some() && aliases.contains_key(first) && rename(r, &[]).is_some() {
                rewritten_uses.insert((module.name.to_string(), first.to_string()));
            }
        }
        let mut body = Edits::default();
        for r in &module.scan.refs {
            if r.second.is_some() {
                if let Some(text) = rename(r, &[]) {
                    let (start, end) = span(r);
                    body.0.push((start, end, text));
                }
            }
        }
        for r in &module.scan.requires {
            let path_start = module.text(r.first + 2).to_string();
            rewritten_uses.insert((module.name.to_string(), path_start));
            let (start, end) = (module.toks[r.first].start, module.toks[r.last].end);
            body.0.push((start, end, format!("__module_{}", r.module)));
        }
        for stmt in &module.scan.stmts {
            let (start, end) = (module.toks[stmt.first].start, module.toks[stmt.last].end);
            let name = module.text(stmt.name);
            if !(wrapped && stmt.top_level) {
                for r in &stmt.refs {
                    if r.second.is_some() {
                        if let Some(text) = rename(r, &stmt.param_names) {
                            let (start, end) = span(r);
                            body.0.push((start, end, text));
                        }
                    }
                }
                continue;
            }
            let hoisted_name = format!("{}_{name}", module.name);
            if let Some(other) = declared.insert(hoisted_name.clone(), module.name) {
                panic!(
                    "two hoisted types are named {hoisted_name} ({other}, {})",
                    module.name
                );
            }
            let mut edits = Edits::default();
            let name_token = module.toks[stmt.name];
            // `export type Name` becomes `type <module>_Name`.
            edits
                .0
                .push((start, name_token.end, format!("type {hoisted_name}")));
            for r in &stmt.refs {
                if let Some(text) = rename(r, &stmt.param_names) {
                    let (start, end) = span(r);
                    edits.0.push((start, end, text));
                }
            }
            let line = module.toks[stmt.first].line;
            hoisted.push((edits.apply(module.src, start, end), module.name, line));
            // In the body, the alias keeps the statement's line count.
            let params = stmt.params.map_or(String::new(), |(open, close)| {
                module.src[module.toks[open].start..module.toks[close].end].to_string()
            });
            let newlines = module.src[start..end].matches('\n').count();
            let alias = format!(
                "type {name}{params} = {hoisted_name}{}{}",
                stmt.param_uses,
                "\n".repeat(newlines)
            );
            body.0.push((start, end, alias));
        }
        // Directives count only at the top of the chunk.
        for token in lex::tokens(module.src) {
            let text = &module.src[token.start..token.end];
            if token.kind == Kind::Comment && text.starts_with("--!") {
                body.0
                    .push((token.start, token.start + 3, "-- !".to_string()));
            }
        }
        bodies.push((
            body.apply(module.src, 0, module.src.len()),
            module.name,
            wrapped,
        ));
    }

    let mut source = String::from("--!strict\n");
    let mut origins = vec![(BUNDLE.to_string(), 0)];
    let mut push = |text: &str, file: &str, first: usize| {
        for (i, line) in text.lines().enumerate() {
            source.push_str(line);
            source.push('\n');
            let line = if file == BUNDLE { 0 } else { first + i };
            origins.push((file.to_string(), line));
        }
    };
    for (text, module, line) in &hoisted {
        push(text, module, line + 1);
    }
    for (text, module, wrapped) in &bodies {
        if *wrapped {
            push(&format!("local __module_{module} = (function()"), BUNDLE, 0);
        }
        push(text, module, 1);
        if *wrapped {
            push("end)()", BUNDLE, 0);
        }
    }
    Bundle {
        source,
        origins,
        rewritten_uses,
    }
}
