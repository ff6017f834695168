//! One diagnostic in a few lines of plain text, for the places that show
//! text a line at a time: cargo's warnings (`cargo:warning=`) and the
//! macros' compile errors.

use crate::diag::{Diagnostic, SourceMap};

/// One diagnostic as plain text, without colour:
///
/// ```text
/// schemas/game.tether:3:5: error[mixed-table]: message
///   3 | type X = { string, Name: string }
///     |          ^^^^^^^^^^^^^^^^^^^^^^^^ label
///   = help: ...
/// ```
pub fn render(sources: &SourceMap, diagnostic: &Diagnostic) -> String {
    let mut out = String::new();
    let severity = diagnostic.severity.as_str();
    let rule = diagnostic.rule.name;
    let location = locate(sources, diagnostic.span);
    match &location {
        Some(at) => out.push_str(&format!(
            "{}:{}:{}: {severity}[{rule}]: {}\n",
            at.file, at.line, at.column, diagnostic.message
        )),
        None => out.push_str(&format!("{severity}[{rule}]: {}\n", diagnostic.message)),
    }
    if let Some(at) = &location {
        let number = at.line.to_string();
        let pad = " ".repeat(number.len());
        let width = at.underline.max(1);
        out.push_str(&format!("  {number} | {}\n", at.text));
        out.push_str(&format!(
            "  {pad} | {}{} {}\n",
            " ".repeat(at.column - 1),
            "^".repeat(width),
            diagnostic.label
        ));
    }
    for label in &diagnostic.labels {
        if let Some(at) = locate(sources, label.span) {
            out.push_str(&format!(
                "  = note: {}:{}:{}: {}\n",
                at.file, at.line, at.column, label.message
            ));
        }
    }
    if let Some(help) = &diagnostic.help {
        out.push_str(&format!("  = help: {help}\n"));
    }
    out
}

struct Located {
    file: String,
    line: usize,
    column: usize,
    /// The text of the line the span starts on.
    text: String,
    /// Characters of that line the span covers.
    underline: usize,
}

fn locate(sources: &SourceMap, span: crate::diag::Span) -> Option<Located> {
    if span.file.0 as usize >= sources.len() {
        return None;
    }
    let file = sources.get(span.file);
    let start = (span.start as usize).min(file.text.len());
    let (line, column) = file.line_col(start);
    let line_start = file.line_starts().get(line - 1).copied().unwrap_or(0);
    let text = file.text.get(line_start..).unwrap_or("");
    let text = text.lines().next().unwrap_or("").trim_end_matches('\r');
    let end = (span.end as usize).min(line_start + text.len()).max(start);
    let underline = file.text.get(start..end).map_or(0, |s| s.chars().count());
    Some(Located {
        file: file.name.clone(),
        line,
        column,
        text: text.to_string(),
        underline,
    })
}
