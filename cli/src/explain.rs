//! `tether explain`: one rule in full.

use super::args::{ColorWhen, ExplainArgs};
use super::{output, CliError, Status};
use std::io::Write;
use tether_compiler::diag::rules::{self, Rule};
use tether_compiler::diag::Severity;

/// Width the explanation is wrapped to.
const WIDTH: usize = 80;
/// Indent of the values after `severity:`, `family:`, `summary:`.
const INDENT: &str = "          ";

pub fn run(args: &ExplainArgs, color: ColorWhen) -> Result<Status, CliError> {
    let rule = lookup(&args.rule)?;
    let mut out = output::stdout(color);
    out.write_all(explanation(rule).as_bytes())?;
    out.flush()?;
    Ok(Status::Ok)
}

/// The rule with this name or code; names are matched case-insensitively too.
pub fn lookup(name_or_code: &str) -> Result<&'static Rule, CliError> {
    let wanted = name_or_code.trim();
    rules::find(wanted)
        .or_else(|| rules::find(&wanted.to_ascii_lowercase()))
        .ok_or_else(|| {
            let candidates = rules::ALL.iter().flat_map(|r| [r.name, r.code]);
            CliError::UnknownRule {
                name: name_or_code.to_string(),
                suggestion: tether_compiler::did_you_mean(wanted, candidates),
            }
        })
}

/// The full text `tether explain` prints for a rule.
pub fn explanation(rule: &Rule) -> String {
    let family = serde_json::to_value(rule.family)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let summary = wrap(rule.summary, WIDTH - INDENT.len()).replace('\n', &format!("\n{INDENT}"));
    let mut out = format!(
        "{name} ({code})\n\nseverity: {severity}\nfamily:   {family}\nsummary:  {summary}\n\n",
        name = rule.name,
        code = rule.code,
        severity = rule.severity_text(),
        summary = summary.trim_end(),
    );
    for paragraph in rule.explanation.split("\n\n") {
        out.push_str(&wrap(paragraph, WIDTH));
        out.push('\n');
    }
    out.push_str(&wrap(&silencing(rule), WIDTH));
    out
}

fn silencing(rule: &Rule) -> String {
    let name = rule.name;
    if rule.policy {
        return format!(
            "This error is Tether's policy, not a limit of Roblox. To accept it on purpose in one \
place, write `@allow({name})` before the remote: it is then shown as a note. `tether.toml` or \
`--warn {name}` can lower it for a whole project."
        );
    }
    match (rule.allowable, rule.severity) {
        (true, Severity::Warning) => format!(
            "To accept the risk in one place, write `@allow({name})` before the remote or \
bindable it fires on; `tether.toml` or `--allow {name}` silences it for a whole project."
        ),
        (true, _) => format!(
            "Its warnings can be silenced in one place with `@allow({name})` before the remote \
or bindable; its errors cannot."
        ),
        (false, _) => {
            "This is an error: it cannot be silenced with `@allow`; fix the schema.".to_string()
        }
    }
}

/// Greedy word wrap; each line ends with a newline. Words longer than the
/// width stay whole.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            line_len = 0;
        }
        if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_width() {
        assert_eq!(wrap("aa bb cc", 5), "aa bb\ncc\n");
        assert_eq!(wrap("toolongword x", 4), "toolongword\nx\n");
        for rule in rules::ALL {
            for line in explanation(rule).lines() {
                assert!(
                    line.chars().count() <= WIDTH || !line.contains(' '),
                    "{line}"
                );
            }
        }
    }

    #[test]
    fn lookup_by_name_code_and_typo() {
        assert_eq!(lookup("mixed-table").unwrap().code, "T101");
        assert_eq!(lookup("t101").unwrap().name, "mixed-table");
        assert_eq!(lookup("Mixed-Table").unwrap().code, "T101");
        match lookup("mixed-tabel") {
            Err(CliError::UnknownRule { suggestion, .. }) => {
                assert_eq!(suggestion, Some("mixed-table"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn mentions_allow_only_for_allowable_rules() {
        assert!(
            explanation(&rules::SERVER_INVOKES_CLIENT).contains("@allow(server-invokes-client)")
        );
        assert!(!explanation(&rules::MIXED_TABLE).contains("@allow(mixed-table)"));
        let policy = explanation(&rules::UNCHECKED_CLIENT_VALUE);
        assert!(
            policy.contains("@allow(unchecked-client-value)"),
            "{policy}"
        );
        assert!(policy.contains("note"), "{policy}");
    }
}
