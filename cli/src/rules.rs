//! `tether rules`: the catalog as a table or as JSON, with the level each
//! rule has in this project (its `tether.toml`, found from the current
//! directory, and the level flags).

use super::args::{ColorWhen, ListFormat, RulesArgs};
use super::{levels, output, CliError, Status};
use std::io::Write;
use std::path::Path;
use tether_compiler::diag::levels::Levels;
use tether_compiler::diag::rules::{self, Rule};
use tether_compiler::project::Project;

pub fn run(args: &RulesArgs, color: ColorWhen) -> Result<Status, CliError> {
    let project = Project::find(Path::new("."))?;
    let levels = levels::for_run(project.as_ref(), &args.levels)?;
    let mut out = output::stdout(color);
    match args.format {
        ListFormat::Human => out.write_all(table(rules::ALL, &levels).as_bytes())?,
        ListFormat::Json => {
            // Each rule as the catalog has it, with the level it has here.
            let mut entries = Vec::new();
            for rule in rules::ALL {
                let mut entry = serde_json::to_value(rule)?;
                entry["level"] = levels.effective(rule).as_str().into();
                entries.push(entry);
            }
            serde_json::to_writer_pretty(&mut out, &entries)?;
            writeln!(out)?;
        }
        ListFormat::Markdown => out.write_all(rules::reference_markdown().as_bytes())?,
    }
    out.flush()?;
    Ok(Status::Ok)
}

/// An aligned table: code, name, severity, level here, summary.
pub fn table(rules: &[&Rule], levels: &Levels) -> String {
    let header = ["CODE", "NAME", "SEVERITY", "LEVEL", "SUMMARY"];
    let rows: Vec<[&str; 5]> = rules
        .iter()
        .map(|r| {
            [
                r.code,
                r.name,
                r.severity_text(),
                levels.effective(r).as_str(),
                r.summary,
            ]
        })
        .collect();
    let width = |column: usize| {
        rows.iter()
            .map(|row| row[column].chars().count())
            .chain([header[column].len()])
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2), width(3)];
    let mut out = String::new();
    for row in std::iter::once(header).chain(rows.iter().copied()) {
        let line = format!(
            "{:w0$}  {:w1$}  {:w2$}  {:w3$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tether_compiler::diag::levels::Level;

    #[test]
    fn table_is_aligned() {
        let mut levels = Levels::new();
        levels.set("unreliable-too-large", Level::Allow).unwrap();
        let text = table(&[&rules::SYNTAX, &rules::UNRELIABLE_TOO_LARGE], &levels);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("CODE  NAME                  SEVERITY       LEVEL  SUMMARY"));
        assert!(lines[1].starts_with("T001  syntax                error          deny   text"));
        assert!(lines[2]
            .starts_with("T110  unreliable-too-large  error/warning  allow  an @unreliable"));
    }
}
