//! JSON Lines: one object per diagnostic, no summary.
//!
//! Keys: `rule`, `code`, `severity`, `message`, `file`, `line`, `column`,
//! `end_line`, `end_column` (of the primary span; 1-based, end exclusive,
//! columns in characters), `label` (text under the primary span, or null),
//! `help` (or null), and `labels`: the secondary locations, each with
//! `file`, `line`, `column`, `end_line`, `end_column` and `message`.

use super::{file_name, Region};
use crate::diag::{Diagnostic, SourceMap};
use serde::Serialize;
use std::io;

#[derive(Serialize)]
struct Record<'a> {
    rule: &'a str,
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    label: Option<&'a str>,
    help: Option<&'a str>,
    labels: Vec<LabelRecord<'a>>,
}

#[derive(Serialize)]
struct LabelRecord<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
}

/// Writes one line of JSON per diagnostic.
pub fn render(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    out: &mut dyn io::Write,
) -> io::Result<()> {
    for diagnostic in diagnostics {
        serde_json::to_writer(&mut *out, &record(sources, diagnostic))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// [`render`] into a string.
pub fn render_to_string(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = render(sources, diagnostics, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn record<'a>(sources: &'a SourceMap, diagnostic: &'a Diagnostic) -> Record<'a> {
    let region = Region::of(sources, diagnostic.span);
    Record {
        rule: diagnostic.rule.name,
        code: diagnostic.rule.code,
        severity: diagnostic.severity.as_str(),
        message: &diagnostic.message,
        file: file_name(sources, diagnostic.span),
        line: region.line,
        column: region.column,
        end_line: region.end_line,
        end_column: region.end_column,
        label: Some(diagnostic.label.as_str()).filter(|l| !l.is_empty()),
        help: diagnostic.help.as_deref(),
        labels: diagnostic
            .labels
            .iter()
            .map(|label| {
                let region = Region::of(sources, label.span);
                LabelRecord {
                    file: file_name(sources, label.span),
                    line: region.line,
                    column: region.column,
                    end_line: region.end_line,
                    end_column: region.end_column,
                    message: &label.message,
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::render::fixture;

    #[test]
    fn one_object_per_line() {
        let sources = fixture::sources();
        let text = render_to_string(&sources, &[fixture::duplicate()]);
        let expected = concat!(
            r#"{"rule":"duplicate-name","code":"T003","severity":"error","#,
            r#""message":"the name `Name` is declared twice","file":"schemas/game.tether","#,
            r#""line":2,"column":6,"end_line":2,"end_column":10,"#,
            r#""label":"declared again here","help":"rename one of them","#,
            r#""labels":[{"file":"schemas/game.tether","line":1,"column":6,"end_line":1,"#,
            r#""end_column":10,"message":"first declared here"}]}"#,
            "\n"
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn odd_spans_do_not_panic() {
        let (sources, diagnostics) = fixture::odd();
        let text = render_to_string(&sources, &diagnostics);
        assert_eq!(text.lines().count(), diagnostics.len());
        for line in text.lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(value["line"].as_u64().unwrap() >= 1);
        }
        assert!(text.contains(r#""file":"<unknown>""#));
        assert!(text.contains(r#""label":null,"help":null"#));
    }
}
