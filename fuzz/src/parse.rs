//! The `parse` target: the whole compiler on one file of arbitrary text.
//!
//! The bytes are compiled as `fuzz.tether` (valid UTF-8 as it is, anything
//! else after a lossy conversion); every diagnostic must lie inside its file
//! on character boundaries and say something, every renderer must print the
//! result, and a schema without errors must turn into Rust.
//!
//! `compiler/tests/fuzz_regressions.rs` includes this file (`#[path]`), so
//! the regression tests run exactly this code.

use std::borrow::Cow;

use tether_compiler::build;
use tether_compiler::diag::render::{github, human, json, sarif};
use tether_compiler::diag::{Diagnostic, SourceMap, Span};
use tether_compiler::gen::fingerprint;
use tether_compiler::gen::rust::{generate, GenError, RustOptions};
use tether_compiler::{compile_str, Compilation};

/// The name the input is compiled under.
pub const FILE_NAME: &str = "fuzz.tether";

/// Runs one input; panics on any failure.
pub fn run(data: &[u8]) {
    let text = match std::str::from_utf8(data) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(data),
    };
    run_text(&text);
}

/// Compiles `text`, checks and renders the diagnostics, and generates Rust
/// if the schema checks clean. Returns the compilation.
pub fn run_text(text: &str) -> Compilation {
    let compilation = compile_str(FILE_NAME, text);
    check_diagnostics(&compilation);
    render_all(&compilation);
    if !compilation.has_errors() {
        generate_all(&compilation);
    }
    compilation
}

fn check_diagnostics(compilation: &Compilation) {
    let sources = &compilation.sources;
    assert_eq!(sources.len(), 1, "one file in, one file held");
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
}

/// A span must lie within its file, on character boundaries.
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

/// Every renderer: human (codespan-reporting), JSON Lines, GitHub workflow
/// commands, SARIF, the build script's plain text and its cargo directives.
fn render_all(compilation: &Compilation) {
    let sources = &compilation.sources;
    let diagnostics = &compilation.diagnostics;
    let human = human::render_to_string(sources, diagnostics);
    let json = json::render_to_string(sources, diagnostics);
    let github = github::render_to_string(sources, diagnostics);
    let mut sarif = Vec::new();
    sarif::render(sources, diagnostics, &mut sarif).expect("SARIF renders into memory");
    if !diagnostics.is_empty() {
        assert!(!human.is_empty(), "human rendering is empty");
        assert_eq!(
            json.lines().count(),
            diagnostics.len(),
            "one JSON line each"
        );
        assert!(!github.is_empty(), "GitHub rendering is empty");
    }
    for line in json.lines() {
        let record: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert!(record.is_object(), "not a JSON object: {line}");
    }
    for d in diagnostics {
        let text = build::render(sources, d);
        assert!(text.contains(d.rule.name), "build::render names the rule");
    }
    let _ = build::cargo_directives(compilation);
    let summary = human::Summary::new(diagnostics, sources.len(), false);
    let _ = summary.text();
}

/// The Rust generator, as a build script and as the macros call it. A name
/// collision is the schema's fault and reported as an error; anything else
/// it refuses for a schema the checker accepted is a bug.
fn generate_all(compilation: &Compilation) {
    let schema = &compilation.schema;
    let _ = fingerprint(schema);
    let options = [
        RustOptions::default(),
        RustOptions::default()
            .runtime_crate("tether")
            .user_types(true),
        RustOptions::default().types_only(true),
    ];
    for options in &options {
        match generate(schema, options) {
            Ok(code) => assert!(!code.is_empty(), "generated nothing"),
            Err(GenError::Collision(_) | GenError::TooManyMessages(_)) => {}
            Err(error) => {
                panic!("a schema that checks clean does not generate ({options:?}): {error}")
            }
        }
    }
}
