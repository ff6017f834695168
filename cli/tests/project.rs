//! `tether.toml` and the level flags, end to end: which file a run finds,
//! what its levels and excludes do, what `--allow`, `--warn` and `--deny`
//! do over it, and what `tether rules` shows.

mod common;

use common::{code, stderr, stdout, tether, write};

use serde_json::Value;
use std::fs;
use std::process::Output;

/// `unbounded-client-input` (a warning) on `s`.
const UNBOUNDED: &str = "remote event Say: client -> server (s: string)\n";
/// `unchecked-client-value` (a policy error) on `any`.
const ANY: &str = "remote event Relay: client -> server (v: any)\n";
/// `function-value` (a limitation) on the function.
const FUNCTION: &str = "remote event Call: client -> server (f: () -> ())\n";

/// `(rule, severity)` of each diagnostic of a JSON run.
fn found(output: &Output) -> Vec<(String, String)> {
    stdout(output)
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("each line is JSON");
            (
                v["rule"].as_str().unwrap().to_string(),
                v["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pair(rule: &str, severity: &str) -> (String, String) {
    (rule.to_string(), severity.to_string())
}

#[test]
fn a_project_file_found_by_walking_up_sets_levels() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "tether.toml",
        "[lints]\nunbounded-client-input = \"deny\"\nunchecked-client-value = \"warn\"\n",
    );
    write(dir.path(), "schemas/game/say.tether", UNBOUNDED);
    write(dir.path(), "schemas/game/relay.tether", ANY);
    // Run from a directory below the file, naming a directory further down.
    let run = tether(
        &dir.path().join("schemas"),
        &["check", "--format", "json", "game"],
    );
    assert_eq!(code(&run), 1, "{}", stdout(&run));
    assert_eq!(
        found(&run),
        [
            pair("unchecked-client-value", "warning"),
            pair("unbounded-client-input", "error"),
        ]
    );
    // Without the file the defaults hold.
    fs::remove_file(dir.path().join("tether.toml")).unwrap();
    let run = tether(dir.path(), &["check", "--format", "json", "schemas"]);
    assert_eq!(
        found(&run),
        [
            pair("unchecked-client-value", "error"),
            pair("unbounded-client-input", "warning"),
        ]
    );
}

#[test]
fn flags_win_over_the_file_and_deny_over_other_flags() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "tether.toml",
        "[lints]\nunbounded-client-input = \"deny\"\n",
    );
    write(dir.path(), "say.tether", UNBOUNDED);
    let allowed = tether(
        dir.path(),
        &["check", "--allow", "unbounded-client-input", "say.tether"],
    );
    assert_eq!(code(&allowed), 0, "{}", stdout(&allowed));
    assert!(stdout(&allowed).contains("no problems"));
    let warned = tether(
        dir.path(),
        &["check", "-W", "T111", "--format", "json", "say.tether"],
    );
    assert_eq!(code(&warned), 0);
    assert_eq!(found(&warned), [pair("unbounded-client-input", "warning")]);
    let denied = tether(
        dir.path(),
        &[
            "check",
            "-A",
            "unbounded-client-input",
            "-D",
            "unbounded-client-input",
            "say.tether",
        ],
    );
    assert_eq!(code(&denied), 1);
}

#[test]
fn a_limitation_cannot_be_lowered() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "call.tether", FUNCTION);
    let run = tether(
        dir.path(),
        &["check", "--allow", "function-value", "call.tether"],
    );
    assert_eq!(code(&run), 2);
    assert!(
        stderr(&run).contains("limitation of Roblox"),
        "{}",
        stderr(&run)
    );
    // Denying what is already an error is accepted and changes nothing.
    let run = tether(
        dir.path(),
        &["check", "--deny", "function-value", "call.tether"],
    );
    assert_eq!(code(&run), 1);

    write(
        dir.path(),
        "tether.toml",
        "[lints]\nfunction-value = \"warn\"\n",
    );
    let run = tether(dir.path(), &["check", "call.tether"]);
    assert_eq!(code(&run), 2);
    let err = stderr(&run);
    assert!(err.contains("tether.toml: [lints] function-value"), "{err}");
}

#[test]
fn a_bad_project_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "say.tether", UNBOUNDED);
    for (text, expected) in [
        (
            "[lints]\nunbounded-client-inptu = \"deny\"\n",
            "did you mean `unbounded-client-input`?",
        ),
        (
            "[lints]\nunbounded-client-input = \"loud\"\n",
            "unknown variant `loud`",
        ),
        ("[lints\n", "tether.toml"),
        ("[format]\nwidth = 3\n", "unknown field `format`"),
        ("[check]\nexclude = [\"[\"]\n", "exclude `[`"),
    ] {
        write(dir.path(), "tether.toml", text);
        let run = tether(dir.path(), &["check", "say.tether"]);
        assert_eq!(code(&run), 2, "{text}");
        assert!(stderr(&run).contains(expected), "{text}: {}", stderr(&run));
        assert!(stdout(&run).is_empty());
    }
}

#[test]
fn exclude_skips_matching_files_and_directories_in_a_search() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "tether.toml",
        "[check]\nexclude = [\"legacy\", \"drafts/*.tether\"]\n",
    );
    write(dir.path(), "schemas/ok.tether", "type A = string(..8)\n");
    write(dir.path(), "schemas/legacy/old.tether", "type A = \n");
    write(dir.path(), "drafts/wip.tether", "type B = \n");
    write(
        dir.path(),
        "drafts/deep/kept.tether",
        "type C = string(..8)\n",
    );
    let run = tether(dir.path(), &["check", "."]);
    assert_eq!(code(&run), 1, "{}", stdout(&run));
    let text = stdout(&run);
    // `legacy` is not matched below the project's directory, only as its
    // own path: `schemas/legacy` is still searched.
    assert!(text.contains("old.tether"), "{text}");
    assert!(!text.contains("wip.tether"), "{text}");

    write(
        dir.path(),
        "tether.toml",
        "[check]\nexclude = [\"**/legacy/\", \"drafts/*.tether\"]\n",
    );
    let run = tether(dir.path(), &["check", "."]);
    assert_eq!(code(&run), 0, "{}", stdout(&run));
    assert!(stdout(&run).contains("2 files checked"), "{}", stdout(&run));
    // A file named on the command line is checked whatever excludes it.
    let run = tether(dir.path(), &["check", "drafts/wip.tether"]);
    assert_eq!(code(&run), 1);
}

#[test]
fn rules_shows_the_level_each_rule_has_here() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "tether.toml",
        "[lints]\nserver-invokes-client = \"allow\"\nunchecked-client-value = \"warn\"\n",
    );
    let run = tether(dir.path(), &["rules", "--format", "json", "-D", "T111"]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let list: Value = serde_json::from_str(&stdout(&run)).unwrap();
    let level = |name: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == name)
            .map(|r| r["level"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(level("server-invokes-client"), "allow");
    assert_eq!(level("unchecked-client-value"), "warn");
    assert_eq!(level("unbounded-client-input"), "deny");
    assert_eq!(level("instance-may-be-nil"), "warn");
    assert_eq!(level("function-value"), "deny");
    let table = tether(dir.path(), &["rules"]);
    let row = stdout(&table)
        .lines()
        .find(|line| line.contains("server-invokes-client"))
        .unwrap()
        .to_string();
    assert!(row.contains(" allow "), "{row}");
}

#[test]
fn gen_honours_the_project_levels() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "relay.tether", ANY);
    let refused = tether(dir.path(), &["gen", "rust", "relay.tether"]);
    assert_eq!(code(&refused), 1);
    write(
        dir.path(),
        "tether.toml",
        "[lints]\nunchecked-client-value = \"warn\"\n",
    );
    let generated = tether(dir.path(), &["gen", "rust", "relay.tether"]);
    assert_eq!(code(&generated), 0, "{}", stderr(&generated));
    assert!(stdout(&generated).contains("pub struct Server"));
    assert!(stderr(&generated).contains("warning[T109]"));
}
