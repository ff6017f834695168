//! `tether rules`: the catalog as a table or as JSON.

use super::args::{ColorWhen, ListFormat, RulesArgs};
use super::{output, CliError, Status};
use std::io::Write;
use tether_compiler::diag::rules::{self, Rule};

pub fn run(args: &RulesArgs, color: ColorWhen) -> Result<Status, CliError> {
    let mut out = output::stdout(color);
    match args.format {
        ListFormat::Human => out.write_all(table(rules::ALL).as_bytes())?,
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, rules::ALL)?;
            writeln!(out)?;
        }
        ListFormat::Markdown => out.write_all(rules::reference_markdown().as_bytes())?,
    }
    out.flush()?;
    Ok(Status::Ok)
}

/// An aligned table: code, name, severity, summary.
pub fn table(rules: &[&Rule]) -> String {
    let header = ["CODE", "NAME", "SEVERITY", "SUMMARY"];
    let rows: Vec<[&str; 4]> = rules
        .iter()
        .map(|r| [r.code, r.name, r.severity_text(), r.summary])
        .collect();
    let width = |column: usize| {
        rows.iter()
            .map(|row| row[column].chars().count())
            .chain([header[column].len()])
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2)];
    let mut out = String::new();
    for row in std::iter::once(header).chain(rows.iter().copied()) {
        let line = format!(
            "{:w0$}  {:w1$}  {:w2$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_aligned() {
        let text = table(&[&rules::SYNTAX, &rules::UNRELIABLE_TOO_LARGE]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("CODE  NAME                  SEVERITY       SUMMARY"));
        assert!(lines[1].starts_with("T001  syntax                error          text"));
        assert!(lines[2].starts_with("T110  unreliable-too-large  error/warning  an @unreliable"));
    }
}
