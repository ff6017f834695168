//! SARIF 2.1.0, for code-scanning tools: one run whose driver lists every
//! rule of the catalog, with one result per diagnostic.

use super::{file_name, file_of, Region};
use crate::diag::{rules, Diagnostic, Label, SourceMap, Span};
use serde_json::{json, Value};
use std::io;

/// The JSON schema the log names in `$schema`.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The SARIF version the log declares.
pub const VERSION: &str = "2.1.0";

/// Writes the SARIF log as pretty JSON, with a final newline.
pub fn render(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    out: &mut dyn io::Write,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(sources, diagnostics))?;
    out.write_all(b"\n")
}

/// The SARIF log as a JSON value.
pub fn log(sources: &SourceMap, diagnostics: &[Diagnostic]) -> Value {
    let artifacts: Vec<Value> = sources
        .iter()
        .map(|(_, file)| json!({ "location": { "uri": artifact_uri(&file.name) } }))
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [{
            "tool": {
                "driver": {
                    "name": "tether",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules::ALL.iter().map(|rule| rule_descriptor(rule)).collect::<Vec<_>>(),
                }
            },
            "columnKind": "unicodeCodePoints",
            "artifacts": artifacts,
            "results": diagnostics
                .iter()
                .map(|d| result(sources, d))
                .collect::<Vec<_>>(),
        }]
    })
}

fn rule_descriptor(rule: &rules::Rule) -> Value {
    let mut help = format!(
        "Run `tether explain {}` for the full explanation.",
        rule.name
    );
    if rule.allowable {
        help.push_str(&format!(
            " Its warnings can be silenced with `@allow({})`.",
            rule.name
        ));
    }
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": rule.explanation },
        "help": { "text": help },
        "defaultConfiguration": { "level": rule.severity.as_str() },
        "properties": { "tags": [family(rule)] },
    })
}

fn family(rule: &rules::Rule) -> String {
    serde_json::to_value(rule.family)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn result(sources: &SourceMap, diagnostic: &Diagnostic) -> Value {
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut location = json!({ "physicalLocation": physical(sources, diagnostic.span) });
    if !diagnostic.label.is_empty() {
        location["message"] = json!({ "text": diagnostic.label });
    }
    let mut result = json!({
        "ruleId": diagnostic.rule.code,
        "level": diagnostic.severity.as_str(),
        "message": { "text": text },
        "locations": [location],
    });
    if let Some(index) = rules::ALL
        .iter()
        .position(|rule| rule.code == diagnostic.rule.code)
    {
        result["ruleIndex"] = json!(index);
    }
    if !diagnostic.labels.is_empty() {
        result["relatedLocations"] = diagnostic
            .labels
            .iter()
            .enumerate()
            .map(|(id, label)| related(sources, id, label))
            .collect();
    }
    result
}

fn related(sources: &SourceMap, id: usize, label: &Label) -> Value {
    json!({
        "id": id,
        "physicalLocation": physical(sources, label.span),
        "message": { "text": label.message },
    })
}

fn physical(sources: &SourceMap, span: Span) -> Value {
    let region = Region::of(sources, span);
    let mut artifact = json!({ "uri": artifact_uri(file_name(sources, span)) });
    if file_of(sources, span).is_some() {
        artifact["index"] = json!(span.file.0);
    }
    json!({
        "artifactLocation": artifact,
        "region": {
            "startLine": region.line,
            "startColumn": region.column,
            "endLine": region.end_line,
            "endColumn": region.end_column,
        }
    })
}

/// A file name as a URI: forward slashes, percent-encoded; relative names
/// stay relative (without a leading `./`), absolute ones become `file:` URIs.
pub fn artifact_uri(name: &str) -> String {
    let mut path = name.replace('\\', "/");
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.to_string();
    }
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if drive {
        format!("file:///{}{}", &path[..2], percent_encode(&path[2..]))
    } else if path.starts_with('/') {
        format!("file://{}", percent_encode(&path))
    } else {
        percent_encode(&path)
    }
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::render::fixture;

    #[test]
    fn log_has_driver_rules_and_results() {
        let sources = fixture::sources();
        let log = log(&sources, &[fixture::duplicate()]);
        assert_eq!(log["$schema"], SCHEMA);
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "tether");
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), rules::ALL.len());
        assert_eq!(rules[2]["id"], "T003");
        assert_eq!(rules[2]["name"], "duplicate-name");
        assert_eq!(rules[2]["defaultConfiguration"]["level"], "error");
        let result = &run["results"][0];
        assert_eq!(
            result,
            &json!({
                "ruleId": "T003",
                "ruleIndex": 2,
                "level": "error",
                "message": { "text": "the name `Name` is declared twice\nhelp: rename one of them" },
                "locations": [{
                    "message": { "text": "declared again here" },
                    "physicalLocation": {
                        "artifactLocation": { "uri": "schemas/game.tether", "index": 0 },
                        "region": { "startLine": 2, "startColumn": 6, "endLine": 2, "endColumn": 10 }
                    }
                }],
                "relatedLocations": [{
                    "id": 0,
                    "message": { "text": "first declared here" },
                    "physicalLocation": {
                        "artifactLocation": { "uri": "schemas/game.tether", "index": 0 },
                        "region": { "startLine": 1, "startColumn": 6, "endLine": 1, "endColumn": 10 }
                    }
                }]
            })
        );
        assert_eq!(
            run["artifacts"],
            json!([{ "location": { "uri": "schemas/game.tether" } }])
        );
    }

    #[test]
    fn uris_use_forward_slashes() {
        assert_eq!(artifact_uri("schemas\\a b.tether"), "schemas/a%20b.tether");
        assert_eq!(artifact_uri("./x/./y.tether"), "x/./y.tether");
        assert_eq!(artifact_uri("/srv/a.tether"), "file:///srv/a.tether");
        assert_eq!(artifact_uri("C:\\x\\a.tether"), "file:///C:/x/a.tether");
    }

    #[test]
    fn odd_spans_do_not_panic() {
        let (sources, diagnostics) = fixture::odd();
        let log = log(&sources, &diagnostics);
        assert_eq!(
            log["runs"][0]["results"].as_array().unwrap().len(),
            diagnostics.len()
        );
    }
}
