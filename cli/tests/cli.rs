//! End-to-end tests of the `tether` binary: output formats, exit status,
//! directory search, `explain`, `rules` and `ir`.

mod common;

use common::{code, stderr, stdout, tether, write};

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use tether_compiler::diag::rules;

const CLEAN: &str =
    "type Name = string(1..32)\nremote event Hello: client -> server (name: Name)\n";
const SYNTAX: &str = "type A = \n";
const DUPLICATE: &str = "type A = string\ntype A = string\n";
/// `Strng` is at line 2, columns 10..15.
const UNKNOWN_TYPE: &str = "-- a misspelt type\ntype A = Strng\n";
const MIXED_TABLE: &str = "type T = { string, Name: string }\n";
/// Only a warning: `server-invokes-client`.
const WARNING: &str = "remote function Ask: server -> client () -> boolean\n";

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// A project with one schema file.
fn project(name: &str, text: &str) -> tempfile::TempDir {
    let dir = temp();
    write(dir.path(), name, text);
    dir
}

fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

// ---- Arguments and exit status 2 -------------------------------------------

#[test]
fn help_and_version_exit_0() {
    let dir = temp();
    let help = tether(dir.path(), &["--help"]);
    assert_eq!(code(&help), 0);
    assert!(stdout(&help).contains("check"));
    let version = tether(dir.path(), &["--version"]);
    assert_eq!(code(&version), 0);
    assert!(stdout(&version).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn bad_arguments_exit_2() {
    let dir = project("a.tether", CLEAN);
    for args in [
        &["check", "--bogus", "a.tether"][..],
        &["check", "--format", "xml", "a.tether"],
        &["check", "--deny", "everything", "a.tether"],
        &["check"],
        &["frobnicate"],
        &[],
    ] {
        let output = tether(dir.path(), args);
        assert_eq!(code(&output), 2, "{args:?}");
        assert!(stdout(&output).is_empty(), "{args:?}");
        assert!(!stderr(&output).is_empty(), "{args:?}");
    }
}

#[test]
fn missing_file_exits_2() {
    let dir = temp();
    let output = tether(dir.path(), &["check", "nope.tether"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).starts_with("error: nope.tether"));
    assert!(!stderr(&output).contains("panicked"));
}

#[test]
fn directory_without_schemas_exits_2() {
    let dir = temp();
    fs::create_dir(dir.path().join("empty")).unwrap();
    write(dir.path(), "empty/readme.md", "not a schema");
    let output = tether(dir.path(), &["check", "empty"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("no `.tether` files found in empty"));
}

#[test]
fn ir_of_missing_file_exits_2() {
    let dir = temp();
    let output = tether(dir.path(), &["ir", "nope.tether"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).starts_with("error: "));
}

// ---- rules and explain ------------------------------------------------------

#[test]
fn rules_lists_every_rule() {
    let output = tether(temp().path(), &["rules"]);
    assert_eq!(code(&output), 0);
    let text = stdout(&output);
    assert_eq!(
        text.lines().count(),
        rules::ALL.len() + 1,
        "a header and a row per rule"
    );
    for (line, rule) in text.lines().skip(1).zip(rules::ALL) {
        assert!(line.starts_with(rule.code), "{line}");
        assert!(line.contains(rule.name), "{line}");
        assert!(line.contains(rule.summary), "{line}");
    }
}

#[test]
fn rules_as_json() {
    let output = tether(temp().path(), &["rules", "--format", "json"]);
    assert_eq!(code(&output), 0);
    let value: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let list = value.as_array().unwrap();
    assert_eq!(list.len(), rules::ALL.len());
    for (entry, rule) in list.iter().zip(rules::ALL) {
        assert_eq!(entry["code"], rule.code);
        assert_eq!(entry["name"], rule.name);
        assert_eq!(entry["severity"], rule.severity.as_str());
        assert_eq!(entry["summary"], rule.summary);
    }
}

#[test]
fn explain_by_name_and_by_code() {
    let dir = temp();
    let by_name = tether(dir.path(), &["explain", "mixed-table"]);
    let by_code = tether(dir.path(), &["explain", "T101"]);
    let lower_code = tether(dir.path(), &["explain", "t101"]);
    assert_eq!(code(&by_name), 0);
    assert_eq!(stdout(&by_name), stdout(&by_code));
    assert_eq!(stdout(&by_name), stdout(&lower_code));
    let text = stdout(&by_name);
    assert!(text.starts_with("mixed-table (T101)\n"));
    assert!(text.contains("severity: error"));
    assert!(text.contains("family:   roblox"));
    assert!(text.contains(rules::MIXED_TABLE.summary));
    assert!(text.contains("Roblox documents"));
    assert!(text.lines().all(|l| l.chars().count() <= 80), "wrapped");
}

#[test]
fn explain_tells_how_to_allow_a_warning() {
    let output = tether(temp().path(), &["explain", "server-invokes-client"]);
    assert_eq!(code(&output), 0);
    assert!(stdout(&output).contains("@allow(server-invokes-client)"));
}

#[test]
fn explain_unknown_rule_exits_2_with_a_suggestion() {
    let output = tether(temp().path(), &["explain", "mixed-tabel"]);
    assert_eq!(code(&output), 2);
    assert!(stdout(&output).is_empty());
    let err = stderr(&output);
    assert!(err.contains("unknown rule `mixed-tabel`"), "{err}");
    assert!(err.contains("did you mean `mixed-table`?"), "{err}");
}

// ---- Directory search -------------------------------------------------------

#[test]
fn directory_search_honours_tetherignore() {
    let dir = temp();
    let root = dir.path();
    write(root, "schemas/a.tether", CLEAN);
    write(root, "schemas/sub/b.tether", CLEAN);
    write(root, "schemas/sub/skip.tether", SYNTAX);
    write(root, "schemas/invalid/bad.tether", SYNTAX);
    write(root, "schemas/drafts/old.tether", SYNTAX);
    write(root, "schemas/drafts/keep.tether", CLEAN);
    write(root, "schemas/notes.txt", "not a schema");
    write(
        root,
        "schemas/.tetherignore",
        "# deliberately invalid examples\n\ninvalid/\ndrafts/old.tether\n",
    );
    write(root, "schemas/sub/.tetherignore", "skip.tether\n");

    let output = tether(root, &["check", "schemas"]);
    assert_eq!(stdout(&output), "ok: 3 files checked, no problems\n");
    assert_eq!(code(&output), 0);

    // A file named explicitly is checked even though an ignore file lists it.
    write(root, "schemas/invalid/clean.tether", CLEAN);
    write(root, "schemas/.tetherignore", "invalid\n");
    let output = tether(root, &["check", "schemas/invalid/clean.tether"]);
    assert_eq!(stdout(&output), "ok: 1 file checked, no problems\n");
}

#[test]
fn a_directory_holding_only_ignored_schemas_exits_2() {
    let dir = temp();
    write(dir.path(), "s/invalid/bad.tether", SYNTAX);
    write(dir.path(), "s/.tetherignore", "invalid/\n");
    let output = tether(dir.path(), &["check", "s"]);
    assert_eq!(code(&output), 2);
}

#[test]
fn each_file_is_checked_once() {
    let dir = project("a.tether", CLEAN);
    let output = tether(dir.path(), &["check", "a.tether", ".", "./a.tether"]);
    assert_eq!(stdout(&output), "ok: 1 file checked, no problems\n");
}

// ---- Clean files --------------------------------------------------------------

#[test]
fn clean_file_exits_0_in_every_format() {
    let dir = project("clean.tether", CLEAN);
    let human = tether(dir.path(), &["check", "clean.tether"]);
    assert_eq!(code(&human), 0);
    assert_eq!(stdout(&human), "ok: 1 file checked, no problems\n");
    assert!(stderr(&human).is_empty());
    for format in ["json", "github"] {
        let output = tether(dir.path(), &["check", "--format", format, "clean.tether"]);
        assert_eq!(code(&output), 0, "{format}");
        assert!(
            stdout(&output).is_empty(),
            "{format}: no summary in machine output"
        );
    }
}

#[test]
fn sarif_describes_every_rule_even_without_results() {
    let dir = project("clean.tether", CLEAN);
    let output = tether(dir.path(), &["check", "--format", "sarif", "clean.tether"]);
    assert_eq!(code(&output), 0);
    let log: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(log["version"], "2.1.0");
    let driver = &log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "tether");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let described = driver["rules"].as_array().unwrap();
    assert_eq!(described.len(), rules::ALL.len());
    for (entry, rule) in described.iter().zip(rules::ALL) {
        assert_eq!(entry["id"], rule.code);
        assert_eq!(entry["name"], rule.name);
        assert_eq!(entry["shortDescription"]["text"], rule.summary);
        assert_eq!(entry["fullDescription"]["text"], rule.explanation);
        assert_eq!(
            entry["defaultConfiguration"]["level"],
            rule.severity.as_str()
        );
    }
    assert!(log["runs"][0]["results"].as_array().unwrap().is_empty());
}

// ---- Diagnostics from the pipeline (parser, resolver, checker) ---------------

#[test]
fn syntax_error_exits_1_with_human_output() {
    let dir = project("broken.tether", SYNTAX);
    let output = tether(dir.path(), &["check", "broken.tether"]);
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    assert!(text.starts_with("error[T001]: "), "{text}");
    assert!(text.contains("--> broken.tether:1:"), "{text}");
    assert!(text.contains("= note: rule `syntax`"), "{text}");
    assert!(text.ends_with("error: 1 file checked, 1 error\n"), "{text}");
}

#[test]
fn json_lines_carry_every_key_and_the_position() {
    let dir = project("unknown.tether", UNKNOWN_TYPE);
    let output = tether(dir.path(), &["check", "--format", "json", "unknown.tether"]);
    assert_eq!(code(&output), 1);
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 1, "{lines:?}");
    let d = &lines[0];
    for key in [
        "rule",
        "code",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "help",
        "labels",
    ] {
        assert!(d.get(key).is_some(), "missing {key}: {d}");
    }
    assert_eq!(d["rule"], "unknown-type");
    assert_eq!(d["code"], "T002");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "unknown.tether");
    assert_eq!(
        (&d["line"], &d["column"]),
        (&Value::from(2), &Value::from(10))
    );
    assert_eq!(
        (&d["end_line"], &d["end_column"]),
        (&Value::from(2), &Value::from(15))
    );
    assert!(d["help"].is_string() || d["help"].is_null());
    assert!(d["labels"].is_array());
}

#[test]
fn duplicate_name_points_back_at_the_first() {
    let dir = project("dup.tether", DUPLICATE);
    let output = tether(dir.path(), &["check", "--format", "json", "dup.tether"]);
    assert_eq!(code(&output), 1);
    let lines = json_lines(&output);
    assert!(
        lines.iter().any(|d| d["rule"] == "duplicate-name"),
        "{lines:?}"
    );
    let d = lines
        .iter()
        .find(|d| d["rule"] == "duplicate-name")
        .unwrap();
    for label in d["labels"].as_array().unwrap() {
        for key in [
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "message",
        ] {
            assert!(label.get(key).is_some(), "label lacks {key}: {label}");
        }
    }
}

#[test]
fn github_commands_are_escaped() {
    let dir = project("odd,name%.tether", SYNTAX);
    let output = tether(
        dir.path(),
        &["check", "--format", "github", "odd,name%.tether"],
    );
    assert_eq!(code(&output), 1);
    let text = stdout(&output);
    let line = text.lines().next().unwrap_or_default();
    assert!(
        line.starts_with("::error file=odd%2Cname%25.tether,line=1,col="),
        "{line}"
    );
    assert!(line.contains(",title=syntax (T001)::"), "{line}");
    assert_eq!(text.lines().count(), 1, "one command per diagnostic");
}

#[test]
fn sarif_results_locate_the_diagnostic() {
    let dir = project("mixed.tether", MIXED_TABLE);
    let output = tether(dir.path(), &["check", "--format", "sarif", "mixed.tether"]);
    assert_eq!(code(&output), 1);
    let log: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let result = results
        .iter()
        .find(|r| r["ruleId"] == "T101")
        .unwrap_or_else(|| panic!("no mixed-table result: {results:?}"));
    assert_eq!(result["level"], "error");
    assert!(result["message"]["text"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "mixed.tether");
    assert_eq!(location["region"]["startLine"], 1);
    for key in ["startColumn", "endLine", "endColumn"] {
        assert!(location["region"][key].is_u64(), "{key}");
    }
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules::ALL[index].code, "T101");
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = project("ask.tether", WARNING);
    let allowed = tether(dir.path(), &["check", "ask.tether"]);
    assert_eq!(code(&allowed), 0);
    let text = stdout(&allowed);
    assert!(text.starts_with("warning[T112]: "), "{text}");
    assert!(text.ends_with("ok: 1 file checked, 1 warning\n"), "{text}");

    let denied = tether(dir.path(), &["check", "--deny", "warnings", "ask.tether"]);
    assert_eq!(code(&denied), 1);
    assert!(stdout(&denied).ends_with("(denied by --deny warnings)\n"));
    let short = tether(dir.path(), &["check", "-D", "warnings", "ask.tether"]);
    assert_eq!(code(&short), 1);

    let json = tether(dir.path(), &["check", "--format", "json", "ask.tether"]);
    assert_eq!(code(&json), 0);
    assert_eq!(json_lines(&json)[0]["severity"], "warning");
    let github = tether(dir.path(), &["check", "--format", "github", "ask.tether"]);
    assert!(stdout(&github).starts_with("::warning file=ask.tether,"));
}

#[test]
fn directory_files_are_reported_in_sorted_order() {
    let dir = temp();
    write(dir.path(), "s/b.tether", UNKNOWN_TYPE);
    write(dir.path(), "s/a/z.tether", UNKNOWN_TYPE);
    write(dir.path(), "s/a.tether", UNKNOWN_TYPE);
    let output = tether(dir.path(), &["check", "--format", "json", "s"]);
    assert_eq!(code(&output), 1);
    let files: Vec<String> = json_lines(&output)
        .iter()
        .map(|d| d["file"].as_str().unwrap_or_default().replace('\\', "/"))
        .collect();
    // Paths sort component by component, so the directory `a` comes before `a.tether`.
    assert_eq!(files, ["s/a/z.tether", "s/a.tether", "s/b.tether"]);
}

#[test]
fn ir_prints_the_model() {
    let dir = project("hello.tether", CLEAN);
    let output = tether(dir.path(), &["ir", "hello.tether"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let ir: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(ir.to_string().contains("\"Hello\""), "{ir}");
}

#[test]
fn ir_with_errors_prints_diagnostics_only() {
    let dir = project("unknown.tether", UNKNOWN_TYPE);
    let output = tether(dir.path(), &["ir", "unknown.tether"]);
    assert_eq!(code(&output), 1);
    assert!(stdout(&output).is_empty());
    assert!(stderr(&output).contains("error[T002]"));
}

// ---- The example schemas -----------------------------------------------------

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the cli crate sits inside the workspace")
        .to_path_buf()
}

#[test]
fn the_main_job_checks_the_example_schemas_clean() {
    let output = tether(
        &workspace_root(),
        &["check", "--deny", "warnings", "schemas/"],
    );
    assert_eq!(code(&output), 0, "{}", stdout(&output));
    assert!(stdout(&output).starts_with("ok: "), "{}", stdout(&output));
}

#[test]
fn every_invalid_example_fails_and_names_its_rule() {
    let root = workspace_root();
    let mut checked = 0;
    for entry in std::fs::read_dir(root.join("schemas/invalid")).expect("schemas/invalid exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_none_or(|e| e != "tether") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable schema");
        // The first line reads `-- rule-name: ...` or `-- rule-name (warning): ...`.
        let rule = text
            .trim_start_matches("--")
            .trim_start()
            .split([':', ' '])
            .next()
            .unwrap_or_default()
            .to_string();
        let relative = path.strip_prefix(&root).expect("inside the workspace");
        let relative = relative.to_str().expect("UTF-8 path");
        let output = tether(
            &root,
            &["check", "--deny", "warnings", "--format", "json", relative],
        );
        assert_eq!(code(&output), 1, "{relative}: {}", stdout(&output));
        let rules: Vec<String> = json_lines(&output)
            .iter()
            .map(|d| d["rule"].as_str().unwrap_or_default().to_string())
            .collect();
        assert!(
            rules.contains(&rule),
            "{relative}: expected `{rule}` in {rules:?}"
        );
        checked += 1;
    }
    assert!(checked >= tether_compiler::diag::rules::ALL.len());
}

#[test]
fn ir_and_gen_refuse_a_directory_with_exit_2() {
    let dir = project("hello.tether", CLEAN);
    for command in [&["ir", "."][..], &["gen", "rust", "."][..]] {
        let output = tether(dir.path(), command);
        assert_eq!(code(&output), 2, "{command:?}");
        let expected = format!("`tether {}` takes one schema file", command[0]);
        assert!(stderr(&output).contains(&expected), "{}", stderr(&output));
    }
}
