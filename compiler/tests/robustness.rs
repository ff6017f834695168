//! The compiler never panics, whatever it is given.
//!
//! Four property tests feed it random bytes, random token soup, mutated
//! copies of the example schemas, and schemas generated from the grammar
//! (valid syntax, any meaning). Deterministic tests feed it input nested or
//! chained 10,000 deep, the deepest nesting the parser accepts through every
//! later phase, and types whose expansion would be exponential, each on a
//! thread with the 2 MiB stack a cargo test thread gets. Every result must
//! also be well-formed: spans inside their file and on character boundaries,
//! messages that say something, and every renderer able to print it.
//!
//! The property tests draw a fresh seed each run (set `PROPTEST_RNG_SEED` to
//! replay one, `PROPTEST_CASES` to run more than 256 cases) and keep no
//! regression files: a failure proptest finds is minimised in the test
//! output and belongs below as a named test.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::Config;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use tether_compiler::diag::render::{github, human, json, sarif};
use tether_compiler::diag::{Diagnostic, FileId, SourceMap, Span};
use tether_compiler::syntax::{self, MAX_NESTING};
use tether_compiler::{compile, compile_str, Compilation, MemoryLoader};

// ---- invariants -------------------------------------------------------------

/// Checks that a span lies within its file, on character boundaries.
fn check_span(sources: &SourceMap, span: Span, what: &str, d: &Diagnostic) {
    assert!(
        (span.file.0 as usize) < sources.len(),
        "{what} of `{}` points at file {} of {}: {d:?}",
        d.rule.name,
        span.file.0,
        sources.len()
    );
    let text = &sources.get(span.file).text;
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(
        start <= end && end <= text.len(),
        "{what} of `{}` is {start}..{end} in a file of {} bytes: {d:?}",
        d.rule.name,
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what} of `{}` ({start}..{end}) splits a character: {d:?}",
        d.rule.name
    );
}

/// Asserts what every compilation must satisfy, and runs every renderer.
fn check_output(compilation: &Compilation) {
    let sources = &compilation.sources;
    for d in &compilation.diagnostics {
        check_span(sources, d.span, "the span", d);
        for label in &d.labels {
            check_span(sources, label.span, "a secondary label", d);
        }
        assert!(
            !d.message.trim().is_empty(),
            "`{}` has an empty message: {d:?}",
            d.rule.name
        );
    }
    let diagnostics = &compilation.diagnostics;
    let _ = human::render_to_string(sources, diagnostics);
    let _ = json::render_to_string(sources, diagnostics);
    let _ = github::render_to_string(sources, diagnostics);
    let _ = sarif::log(sources, diagnostics);
}

/// Compiles one in-memory file and checks the result.
fn compile_checked(text: &str) -> Compilation {
    let compilation = compile_str("fuzz.tether", text);
    check_output(&compilation);
    compilation
}

// ---- the example schemas ----------------------------------------------------

fn schemas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas")
}

/// Every `.tether` file under `schemas/`, as (path relative to it, text), sorted.
fn example_schemas() -> &'static [(String, String)] {
    static SCHEMAS: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    SCHEMAS.get_or_init(|| {
        fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).expect("schemas/ is readable") {
                let path = entry.expect("schemas/ entry").path();
                if path.is_dir() {
                    walk(root, &path, out);
                } else if path.extension().is_some_and(|e| e == "tether") {
                    let relative = path.strip_prefix(root).expect("under schemas/");
                    let name = relative.to_string_lossy().replace('\\', "/");
                    let text = std::fs::read_to_string(&path).expect("schema is UTF-8");
                    out.push((name, text));
                }
            }
        }
        let root = schemas_dir();
        let mut out = Vec::new();
        walk(&root, &root, &mut out);
        out.sort();
        let names: Vec<&str> = out.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"game.tether"), "found {names:?}");
        assert!(names.iter().filter(|n| n.starts_with("invalid/")).count() > 10);
        out
    })
}

/// Compiles `text` as the example `name`, with every other example file
/// loadable, so that imports (and import cycles) are followed.
fn compile_as_example(name: &str, text: &str) -> Compilation {
    let files = example_schemas()
        .iter()
        .map(|(n, t)| (n.as_str(), if n == name { text } else { t.as_str() }));
    let loader = MemoryLoader::new(files);
    let compilation =
        compile(&loader, &[PathBuf::from(name)]).expect("the root is in the memory loader");
    check_output(&compilation);
    compilation
}

// ---- generators -------------------------------------------------------------

/// Every keyword and punctuation token of the language, and a few words the
/// grammar treats specially.
const VOCABULARY: &[&str] = &[
    "type",
    "enum",
    "namespace",
    "import",
    "remote",
    "bindable",
    "event",
    "function",
    "server",
    "client",
    "in",
    "any",
    "true",
    "false",
    "setmetatable",
    "nonfinite",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    ",",
    ";",
    ":",
    "?",
    "->",
    "<->",
    "..",
    "@",
    "=",
    ".",
    "/",
    "-",
    "string",
    "number",
    "boolean",
    "buffer",
    "u8",
    "i16",
    "f32",
    "u64",
    "Vector3",
    "CFrame",
    "Part",
    "Player",
    "Instance",
    "Enum",
    "Material",
    "Workspace",
    "ServerStorage",
    "rate",
    "timeout",
    "unreliable",
    "ordered",
    "allow",
    "deprecated",
    "20/s",
    "600/min",
    "5s",
    "250ms",
    "2min",
    "mixed-table",
    "\"x.tether\"",
    "\"\"",
    "\"\\q\"",
    "--[[",
    "]]",
    "--",
    "\n",
    "\u{FEFF}",
    "é",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(VOCABULARY).prop_map(str::to_owned),
        2 => "[A-Za-z_][A-Za-z0-9_]{0,6}",
        1 => "-?[0-9]{1,4}(\\.[0-9]{1,3})?(s|ms|min)?",
        1 => "\"([^\"\\\\\\n]|\\\\[\"\\\\nt])*\"?",
        1 => "--(\\[\\[)?[^\\n]{0,8}(\\]\\]|\\n)?",
    ]
}

fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(&[" ", " ", " ", "", "\n", "\t", "\r\n"][..])
}

fn token_soup() -> impl Strategy<Value = String> {
    prop::collection::vec((token(), separator()), 0..80).prop_map(|parts| {
        parts
            .into_iter()
            .flat_map(|(t, s)| [t, s.to_owned()])
            .collect()
    })
}

#[derive(Clone, Debug)]
enum Mutation {
    Delete { at: Index, len: usize },
    Insert { at: Index, token: String },
    Duplicate { from: Index, len: usize, to: Index },
    Truncate { at: Index },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), 1..40usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        4 => (any::<Index>(), token()).prop_map(|(at, token)| Mutation::Insert { at, token }),
        2 => (any::<Index>(), 1..80usize, any::<Index>())
            .prop_map(|(from, len, to)| Mutation::Duplicate { from, len, to }),
        1 => any::<Index>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

/// The char boundary at or before the byte `index` picks in `text`.
fn boundary(text: &str, index: &Index) -> usize {
    let mut at = index.index(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &mut String, mutation: &Mutation) {
    match mutation {
        Mutation::Delete { at, len } => {
            let start = boundary(text, at);
            let end = floor_boundary(text, start + len);
            text.replace_range(start..end, "");
        }
        Mutation::Insert { at, token } => {
            let at = boundary(text, at);
            text.insert_str(at, token);
        }
        Mutation::Duplicate { from, len, to } => {
            let start = boundary(text, from);
            let end = floor_boundary(text, start + len);
            let slice = text[start..end].to_owned();
            let to = boundary(text, to);
            text.insert_str(to, &slice);
        }
        Mutation::Truncate { at } => {
            let at = boundary(text, at);
            text.truncate(at);
        }
    }
}

// A schema that follows the grammar but means anything at all: every kind of
// type nested in every other, refinements with odd bounds, misplaced
// attributes, routes on the wrong transport, names that do and do not exist.

const LEAF_TYPES: &[&str] = &[
    "boolean",
    "string",
    "buffer",
    "number",
    "u8",
    "u16",
    "u32",
    "u64",
    "i8",
    "i16",
    "i32",
    "i64",
    "f32",
    "f64",
    "Vector3",
    "Vector2",
    "CFrame",
    "Color3",
    "BrickColor",
    "UDim",
    "UDim2",
    "Rect",
    "NumberRange",
    "NumberSequence",
    "ColorSequence",
    "DateTime",
    "any",
    "Instance",
    "Part",
    "Model",
    "Player",
    "Tool",
    "Workspace",
    "NotAClass",
    "Enum.Material",
    "Enum.KeyCode",
    "Enum.NotAnEnum",
    "Enum",
    "T0",
    "T1",
    "T2",
    "E0",
    "E1",
    "Ns.T3",
    "Ns.Inner.T4",
    "Ns.Nope",
    "Shared",
    "Shared.X",
];

const NUMBERS: &[&str] = &[
    "0",
    "1",
    "2",
    "8",
    "64",
    "255",
    "256",
    "1000",
    "-1",
    "-5",
    "0.5",
    "-0.25",
    "1.5",
    "65535",
    "4294967296",
    "99999999999999999999",
    "-99999999999999999999",
];

const REFINABLE: &[&str] = &[
    "u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64", "number", "string",
    "buffer", "boolean", "Vector3", "T0",
];

const LOCATIONS: &[&str] = &[
    "Workspace",
    "ServerStorage",
    "ServerScriptService",
    "ReplicatedStorage",
    "client",
    "Lighting",
    "Nowhere",
];

fn refinement() -> impl Strategy<Value = String> {
    let number = || prop::sample::select(NUMBERS);
    prop_oneof![
        (number(), number()).prop_map(|(a, b)| format!("({a}..{b})")),
        number().prop_map(|a| format!("({a}..)")),
        number().prop_map(|b| format!("(..{b})")),
        number().prop_map(|n| format!("({n})")),
        Just("(nonfinite)".to_owned()),
        Just("(..)".to_owned()),
    ]
}

fn leaf_type() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(LEAF_TYPES).prop_map(str::to_owned),
        1 => (prop::sample::select(REFINABLE), refinement()).prop_map(|(t, r)| format!("{t}{r}")),
    ]
}

fn type_expr() -> impl Strategy<Value = String> {
    leaf_type().prop_recursive(6, 48, 4, |inner| {
        let field_name = prop::sample::select(&["a", "b", "Name", "a", "Id"][..]);
        prop_oneof![
            inner.clone().prop_map(|t| format!("{{{t}}}")),
            (inner.clone(), refinement()).prop_map(|(t, r)| format!("{{{t}}}{r}")),
            (inner.clone(), inner.clone()).prop_map(|(k, v)| format!("{{[{k}]: {v}}}")),
            (inner.clone(), refinement()).prop_map(|(v, r)| format!("{{[string]: {v}}}{r}")),
            prop::collection::vec((field_name, inner.clone()), 0..4).prop_map(|fields| {
                let fields: Vec<String> = fields.iter().map(|(n, t)| format!("{n}: {t}")).collect();
                format!("{{ {} }}", fields.join(", "))
            }),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{{{a}, x: {b}}}")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(k, v, w)| format!("{{[{k}]: {v}; [string]: {w}}}")),
            inner.clone().prop_map(|t| format!("{t}?")),
            inner.clone().prop_map(|t| format!("({t})")),
            (inner.clone(), inner.clone()).prop_map(|(a, r)| format!("({a}) -> {r}")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(a, b, r)| format!("((x: {a}, {b}) -> ({r}, {r}))")),
            inner.clone().prop_map(|r| format!("() -> {r}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("setmetatable<{a}, {b}>")),
            (inner, prop::sample::select(LOCATIONS)).prop_map(|(t, l)| format!("{t} in {l}")),
        ]
    })
}

const ATTRIBUTES: &[&str] = &[
    "@unreliable",
    "@ordered",
    "@rate(20/s)",
    "@rate(600/min)",
    "@rate(0/s)",
    "@rate(-1/s)",
    "@rate(1.5/s)",
    "@rate",
    "@rate()",
    "@rate(5s)",
    "@timeout(5s)",
    "@timeout(250ms)",
    "@timeout(2min)",
    "@timeout(0s)",
    "@timeout(5)",
    "@deprecated(\"use X\")",
    "@deprecated",
    "@allow(instance-may-be-nil)",
    "@allow(unbounded-client-input)",
    "@allow(mixed-table)",
    "@allow(nope)",
    "@allow(server-invokes-client, instance-may-be-nil)",
    "@unrelaible",
    "@rat(1/s)",
];

const ROUTES: &[&str] = &[
    "client -> server",
    "server -> client",
    "client <-> server",
    "server <-> client",
    "server",
    "client",
];

fn endpoint() -> impl Strategy<Value = String> {
    let params = prop::collection::vec(
        (
            prop::sample::select(&["p", "q", "p", "value"][..]),
            type_expr(),
        ),
        0..4,
    );
    let returns = prop_oneof![
        Just(String::new()),
        Just(" -> ()".to_owned()),
        type_expr().prop_map(|t| format!(" -> {t}")),
        (type_expr(), type_expr()).prop_map(|(a, b)| format!(" -> ({a}, {b})")),
    ];
    (
        prop::collection::vec(prop::sample::select(ATTRIBUTES), 0..4),
        prop::sample::select(&["remote", "bindable"][..]),
        prop::sample::select(&["event", "function"][..]),
        prop::sample::select(ROUTES),
        params,
        returns,
    )
        .prop_map(|(attrs, transport, call, route, params, returns)| {
            let params: Vec<String> = params.iter().map(|(n, t)| format!("{n}: {t}")).collect();
            format!(
                "{} {transport} {call} Endpoint: {route} ({}){returns}",
                attrs.join(" "),
                params.join(", ")
            )
        })
}

fn declaration() -> impl Strategy<Value = String> {
    let name = prop::sample::select(&["T0", "T1", "T2", "T3", "T4", "E0", "E1", "Shared"][..]);
    let variant_fields = prop::collection::vec(type_expr(), 0..3).prop_map(|types| {
        let fields: Vec<String> = types
            .iter()
            .enumerate()
            .map(|(i, t)| format!("f{i}: {t}"))
            .collect();
        format!(" {{ {} }}", fields.join(", "))
    });
    let variant = (
        prop::sample::select(&["A", "B", "C", "A"][..]),
        prop::option::of(variant_fields),
    )
        .prop_map(|(v, fields)| format!("{v}{}", fields.unwrap_or_default()));
    prop_oneof![
        3 => (name.clone(), type_expr()).prop_map(|(n, t)| format!("type {n} = {t}")),
        1 => (name, prop::collection::vec(variant, 0..4))
            .prop_map(|(n, vs)| format!("enum {n} {{ {} }}", vs.join(", "))),
        3 => endpoint(),
    ]
}

fn generated_schema() -> impl Strategy<Value = String> {
    let namespace = (
        prop::collection::vec(declaration(), 0..4),
        prop::collection::vec(declaration(), 0..3),
    )
        .prop_map(|(outer, inner)| {
            format!(
                "namespace Ns {{\n{}\nnamespace Inner {{\n{}\n}}\n}}",
                outer.join("\n"),
                inner.join("\n")
            )
        });
    (
        prop::option::of(Just("import \"shared.tether\"\n")),
        prop::collection::vec(declaration(), 1..8),
        prop::option::of(namespace),
    )
        .prop_map(|(import, decls, namespace)| {
            format!(
                "{}{}\n{}\n",
                import.unwrap_or_default(),
                decls.join("\n"),
                namespace.unwrap_or_default()
            )
        })
}

/// 256 cases per property, or `PROPTEST_CASES` for a longer hunt.
fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

// ---- property tests ---------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        compile_checked(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup_never_panics(text in token_soup()) {
        compile_checked(&text);
    }

    #[test]
    fn mutated_examples_never_panic(
        which in any::<Index>(),
        mutations in prop::collection::vec(mutation(), 1..=5),
    ) {
        let schemas = example_schemas();
        let (name, original) = which.get(schemas);
        let mut text = original.clone();
        for m in &mutations {
            apply(&mut text, m);
        }
        compile_as_example(name, &text);
        // The same text alone, where every import is missing.
        compile_checked(&text);
    }

    #[test]
    fn generated_schemas_never_panic(text in generated_schema()) {
        let compilation = compile_checked(&text);
        // The generator follows the grammar, so whatever is wrong is wrong
        // in meaning, and the checker (not the parser) must say so.
        let syntax: Vec<&str> = compilation
            .diagnostics
            .iter()
            .filter(|d| d.rule.name == "syntax")
            .map(|d| d.message.as_str())
            .collect();
        prop_assert!(syntax.is_empty(), "syntax errors {:?} in\n{}", syntax, text);
        // Imported, too: with the names it imports declared.
        let shared = "type X = u8\nnamespace Shared { type X = {string}(..4) }\n";
        let loader = MemoryLoader::new([("main.tether", text.as_str()), ("shared.tether", shared)]);
        let compilation = compile(&loader, &[PathBuf::from("main.tether")]).expect("root");
        check_output(&compilation);
    }
}

// ---- deep nesting and long chains -------------------------------------------

const DEPTH: usize = 10_000;

/// Compiles `text` on a thread with a 2 MiB stack, as a cargo test thread has,
/// checks the output and returns the rules that fired.
fn compile_on_small_stack(case: &'static str, text: String) -> Vec<&'static str> {
    std::thread::Builder::new()
        .name(case.to_owned())
        .stack_size(2 << 20)
        .spawn(move || {
            let compilation = compile_checked(&text);
            compilation
                .diagnostics
                .iter()
                .map(|d| d.rule.name)
                .collect::<Vec<_>>()
        })
        .expect("spawn a thread")
        .join()
        .unwrap_or_else(|_| panic!("compiling `{case}` panicked"))
}

fn assert_syntax_error(case: &'static str, text: String) {
    let rules = compile_on_small_stack(case, text);
    assert!(
        rules.contains(&"syntax"),
        "`{case}` should be a syntax error, got {rules:?}"
    );
}

fn assert_some_diagnostic(case: &'static str, text: String) {
    let rules = compile_on_small_stack(case, text);
    assert!(!rules.is_empty(), "`{case}` should be reported");
}

#[test]
fn deep_braces() {
    let text = format!("type T = {}string{}", "{".repeat(DEPTH), "}".repeat(DEPTH));
    assert_syntax_error("{{{string}}}", text);
}

#[test]
fn deep_records() {
    let text = format!(
        "type T = {}string{}",
        "{a: ".repeat(DEPTH),
        "}".repeat(DEPTH)
    );
    assert_syntax_error("{a: {a: string}}", text);
}

#[test]
fn deep_parentheses() {
    let text = format!("type T = {}string{}", "(".repeat(DEPTH), ")".repeat(DEPTH));
    assert_syntax_error("((string))", text);
}

#[test]
fn deep_function_parameters() {
    // `(() -> string) -> string`, nested: a function taking a function ...
    let text = format!(
        "type T = {}){} -> string",
        "(".repeat(DEPTH),
        " -> string)".repeat(DEPTH - 1)
    );
    assert_syntax_error("(() -> string) -> string", text);
}

#[test]
fn deep_function_returns() {
    let text = format!("type T = {}string", "() -> ".repeat(DEPTH));
    assert_syntax_error("() -> () -> string", text);
}

#[test]
fn deep_return_tuples() {
    let text = format!(
        "bindable function F: server () -> {}string{}",
        "(".repeat(DEPTH),
        ")".repeat(DEPTH)
    );
    assert_syntax_error("-> ((string))", text);
}

#[test]
fn deep_metatables() {
    let text = format!(
        "type T = {}string{}",
        "setmetatable<".repeat(DEPTH),
        ", string>".repeat(DEPTH)
    );
    assert_syntax_error("setmetatable<setmetatable<string, string>, string>", text);
}

#[test]
fn deep_indexers() {
    let text = format!(
        "type T = {}string{}",
        "{[".repeat(DEPTH),
        "]: string}".repeat(DEPTH)
    );
    assert_syntax_error("{[{[string]: string}]: string}", text);
}

#[test]
fn deep_namespaces() {
    let text = format!(
        "{}type T = string{}",
        "namespace N { ".repeat(DEPTH),
        " }".repeat(DEPTH)
    );
    assert_syntax_error("namespace N { namespace N { ... } }", text);
}

#[test]
fn deep_tagged_enum_fields() {
    let text = format!(
        "enum E {{ V {{ f: {}string{} }} }}",
        "{a: ".repeat(DEPTH),
        "}".repeat(DEPTH)
    );
    assert_syntax_error("enum E { V { f: {a: {a: string}} } }", text);
}

#[test]
fn deep_params() {
    let text = format!(
        "remote event E: server -> client (x: {}string{})",
        "{".repeat(DEPTH),
        "}".repeat(DEPTH)
    );
    assert_syntax_error("remote event E: server -> client (x: {{string}})", text);
}

#[test]
fn long_optional_chain() {
    let text = format!("type T = string{}", "?".repeat(DEPTH));
    assert_some_diagnostic("string???", text);
}

#[test]
fn long_refinement_chain() {
    let text = format!("type T = string{}", "(..1)".repeat(DEPTH));
    assert_some_diagnostic("string(..1)(..1)", text);
}

#[test]
fn long_location_chain() {
    let text = format!("type T = Part{}", " in Workspace".repeat(DEPTH));
    assert_some_diagnostic("Part in Workspace in Workspace", text);
}

#[test]
fn long_mixed_postfix_chain() {
    let text = format!("type T = {{Part}}{}", "(..1) in Workspace?".repeat(DEPTH));
    assert_some_diagnostic("{Part}(..1) in Workspace?(..1) in Workspace?", text);
}

#[test]
fn long_dotted_path() {
    let path = vec!["A"; DEPTH].join(".");
    let text = format!("type T = {path}\nremote event E: server -> client (x: {path})");
    let rules = compile_on_small_stack("A.A.A", text);
    assert!(rules.contains(&"unknown-type"), "got {rules:?}");
}

#[test]
fn long_alias_chain_compiles_clean() {
    let mut text = String::new();
    for i in 0..DEPTH - 1 {
        text.push_str(&format!("type A{i} = A{}\n", i + 1));
    }
    text.push_str(&format!("type A{} = string(..64)\n", DEPTH - 1));
    text.push_str("remote event E: server -> client (x: A0)\n");
    text.push_str("@rate(5/s)\nremote event F: client -> server (x: A0, y: {A5000}(..4))\n");
    let rules = compile_on_small_stack("type A0 = A1 ...", text);
    assert!(rules.is_empty(), "got {rules:?}");
}

#[test]
fn long_alias_chain_in_reverse_order_compiles_clean() {
    let mut text = String::from("remote event E: server -> client (x: A0)\n");
    text.push_str(&format!("type A{} = string\n", DEPTH - 1));
    for i in (0..DEPTH - 1).rev() {
        text.push_str(&format!("type A{i} = A{}\n", i + 1));
    }
    let rules = compile_on_small_stack("type A9999 = string ... type A0 = A1", text);
    assert!(rules.is_empty(), "got {rules:?}");
}

#[test]
fn long_alias_cycle_is_reported() {
    let mut text = String::new();
    for i in 0..DEPTH {
        text.push_str(&format!("type A{i} = A{}\n", (i + 1) % DEPTH));
    }
    text.push_str("remote event E: server -> client (x: A0)\n");
    assert_some_diagnostic("type A0 = A1 ... type A9999 = A0", text);
}

#[test]
fn long_alias_chain_into_a_cycle_is_reported() {
    let mut text = String::new();
    for i in 0..DEPTH {
        let _ = writeln!(text, "type A{i} = A{}", i + 1);
    }
    let _ = writeln!(text, "type A{DEPTH} = {{ x: A{DEPTH} }}");
    text.push_str("remote event E: server -> client (x: A0)\n");
    let rules = compile_on_small_stack("type A0 = A1 ... type A10000 = { x: A10000 }", text);
    assert!(rules.contains(&"unbounded-recursion"), "got {rules:?}");
}

#[test]
fn long_record_chain_compiles_clean() {
    // Each record holds the next: deep in the IR, flat in the text.
    let mut text = String::new();
    for i in 0..DEPTH - 1 {
        text.push_str(&format!("type R{i} = {{ next: R{}, n: u8 }}\n", i + 1));
    }
    text.push_str(&format!("type R{} = {{ n: u8 }}\n", DEPTH - 1));
    text.push_str("@unreliable\nremote event E: server -> client (x: R0)\n");
    let rules = compile_on_small_stack("type R0 = { next: R1 } ...", text);
    // 10,000 records of at least one byte each cannot fit an unreliable packet.
    assert!(rules.contains(&"unreliable-too-large"), "got {rules:?}");
}

// ---- examples -----------------------------------------------------------------

#[test]
fn every_example_compiles_without_panic() {
    for (name, text) in example_schemas() {
        compile_as_example(name, text);
        compile_checked(text);
    }
}

#[test]
fn every_prefix_of_the_game_schema_compiles_without_panic() {
    let (_, text) = example_schemas()
        .iter()
        .find(|(n, _)| n == "game.tether")
        .expect("game.tether");
    let mut at = 0;
    while at <= text.len() {
        if text.is_char_boundary(at) {
            compile_as_example("game.tether", &text[..at]);
        }
        at += 7;
    }
}

// ---- the deepest nesting the parser accepts, through every phase -------------

/// The text `make(n)` for the largest `n <= MAX_NESTING` that parses.
fn deepest_accepted(make: impl Fn(usize) -> String) -> String {
    (1..=MAX_NESTING)
        .rev()
        .map(&make)
        .find(|text| syntax::parse(FileId(0), text).is_ok())
        .expect("a shallow nesting parses")
}

/// Compiles the deepest accepted nesting of `make`, used where the checker,
/// the size model and the flow rules all walk it: in a client -> server
/// remote, an unreliable event, a server -> client function and a bindable.
fn deepest_through_every_phase(case: &'static str, make: impl Fn(usize) -> String) {
    let ty = deepest_accepted(|n| format!("type T = {}", make(n)));
    let ty = ty.trim_start_matches("type T = ").to_owned();
    let text = format!(
        "type T = {ty}\n\
         @rate(5/s) remote event A: client -> server (x: T, y: {ty})\n\
         @unreliable remote event B: server -> client (x: T)\n\
         @timeout(1s) remote function C: server -> client (x: T) -> T\n\
         bindable function D: server (x: T) -> T\n\
         type R = {{ next: R?, deep: T }}\n\
         remote event E: client <-> server (r: R)\n"
    );
    compile_on_small_stack(case, text);
}

#[test]
fn deepest_arrays_through_every_phase() {
    deepest_through_every_phase("{{u8}(..2)}", |n| {
        format!("{}u8{}", "{".repeat(n), "}(..2)".repeat(n))
    });
}

#[test]
fn deepest_records_through_every_phase() {
    deepest_through_every_phase("{a: {a: u8}}", |n| {
        format!("{}u8{}", "{a: ".repeat(n), ", b: string(..4)}".repeat(n))
    });
}

#[test]
fn deepest_maps_through_every_phase() {
    deepest_through_every_phase("{[string]: {[string]: u8}}", |n| {
        format!("{}u8{}", "{[string(..4)]: ".repeat(n), "}(..2)".repeat(n))
    });
}

#[test]
fn deepest_indexer_keys_through_every_phase() {
    deepest_through_every_phase("{[{[u8]: u8}]: u8}", |n| {
        format!("{}u8{}", "{[".repeat(n), "]: u8}".repeat(n))
    });
}

#[test]
fn deepest_parentheses_through_every_phase() {
    deepest_through_every_phase("((u8))", |n| {
        format!("{}u8{}", "(".repeat(n), ")".repeat(n))
    });
}

#[test]
fn deepest_functions_through_every_phase() {
    deepest_through_every_phase("(x: {(x: u8) -> ()}) -> ()", |n| {
        format!("{}u8{}", "(x: {".repeat(n), "}) -> ()".repeat(n))
    });
    deepest_through_every_phase("() -> () -> u8", |n| format!("{}u8", "() -> ".repeat(n)));
}

#[test]
fn deepest_metatables_through_every_phase() {
    deepest_through_every_phase("setmetatable<setmetatable<u8, M>, M>", |n| {
        format!("{}u8{}", "setmetatable<".repeat(n), ", {}>".repeat(n))
    });
}

#[test]
fn deepest_postfixes_through_every_phase() {
    deepest_through_every_phase("{Part in Workspace?}(..1)?", |n| {
        format!("{}Part in Workspace{}", "{".repeat(n), "?}(..1)".repeat(n))
    });
    deepest_through_every_phase("u8???", |n| format!("u8{}", "?".repeat(n)));
}

#[test]
fn deepest_namespaces_through_every_phase() {
    let text = deepest_accepted(|n| {
        format!(
            "{}type T = {{u8}}(..4)\n@rate(1/s) remote event E: client -> server (x: T, y: N.T){}",
            "namespace N { ".repeat(n),
            " }".repeat(n)
        )
    });
    let rules = compile_on_small_stack("namespace N { namespace N { ... } }", text);
    assert!(!rules.contains(&"syntax"), "got {rules:?}");
}

// ---- types whose expansion is exponential -------------------------------------

/// Compiles on a small stack, failing if it takes longer than `limit`.
fn compile_within(
    case: &'static str,
    text: String,
    limit: std::time::Duration,
) -> Vec<&'static str> {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name(case.to_owned())
        .stack_size(2 << 20)
        .spawn(move || {
            let compilation = compile_checked(&text);
            let rules: Vec<&'static str> = compilation
                .diagnostics
                .iter()
                .map(|d| d.rule.name)
                .collect();
            let _ = send.send(rules);
        })
        .expect("spawn a thread");
    match receive.recv_timeout(limit) {
        Ok(rules) => rules,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("compiling `{case}` took longer than {limit:?}")
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            panic!("compiling `{case}` panicked")
        }
    }
}

/// `type A0 = {x: A1, y: A1}` ... 60 levels: 2^60 leaves if expanded.
fn doubling_aliases(levels: usize, leaf: &str, wrap: impl Fn(&str) -> String) -> String {
    let mut text = String::new();
    for i in 0..levels {
        let next = format!("A{}", i + 1);
        let _ = writeln!(text, "type A{i} = {}", wrap(&next));
    }
    let _ = writeln!(text, "type A{levels} = {leaf}");
    text
}

#[test]
fn doubling_records_stay_fast() {
    let mut text = doubling_aliases(60, "string(..8)", |n| format!("{{ x: {n}, y: {n} }}"));
    text.push_str(
        "@rate(1/s) remote event C: client -> server (a: A0)\n\
         @unreliable remote event U: server -> client (a: A0)\n\
         remote function F: client -> server (a: A0) -> A0\n\
         remote event S: server -> client (a: A0)\n",
    );
    let rules = compile_within(
        "{x: A1, y: A1} x 60",
        text,
        std::time::Duration::from_secs(20),
    );
    // 2^60 strings of at least a length byte cannot fit one packet.
    assert!(rules.contains(&"unreliable-too-large"), "got {rules:?}");
}

#[test]
fn doubling_optional_records_stay_fast() {
    let mut text = doubling_aliases(60, "Part in Workspace", |n| {
        format!("{{ x: {n}?, y: {{{n}}}(..2), z: {{[string(..4)]: {n}}}(..2) }}")
    });
    text.push_str(
        "@rate(1/s) remote event C: client -> server (a: A0)\n\
         @unreliable remote event U: client <-> server (a: A0?)\n\
         remote event S: server -> client (a: A0)\n",
    );
    compile_within(
        "{x: A1?, y: {A1}, z: {[string]: A1}} x 60",
        text,
        std::time::Duration::from_secs(20),
    );
}

#[test]
fn doubling_tagged_enums_stay_fast() {
    let mut text = String::new();
    for i in 0..60 {
        let _ = writeln!(
            text,
            "enum A{i} {{ L {{ v: A{n} }}, R {{ v: A{n}, w: A{n} }}, Nil }}",
            n = i + 1
        );
    }
    text.push_str("type A60 = {any}\n");
    text.push_str(
        "@rate(1/s) remote event C: client -> server (a: A0)\n\
         @unreliable remote event U: server -> client (a: A0)\n",
    );
    compile_within(
        "enum A0 { L { v: A1 }, R { v: A1, w: A1 } }",
        text,
        std::time::Duration::from_secs(20),
    );
}
