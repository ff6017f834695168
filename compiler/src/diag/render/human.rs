//! Rustc-like terminal output through codespan-reporting, and the summary line.

use super::{clamped_range, file_of};
use crate::diag::rules::Family;
use crate::diag::{Diagnostic, FileId, Severity, SourceMap};
use codespan_reporting::diagnostic::{
    Diagnostic as Report, Label as ReportLabel, Severity as ReportSeverity,
};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::{Color, ColorSpec, NoColor, WriteColor};
use codespan_reporting::term::{self, Chars, Config};
use std::io;
use std::ops::Range;

/// Writes every diagnostic, each followed by a blank line.
pub fn render(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    out: &mut dyn WriteColor,
) -> io::Result<()> {
    let files = MapFiles { sources };
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    for diagnostic in diagnostics {
        let report = to_report(sources, diagnostic);
        term::emit_to_write_style(out, &config, &files, &report).map_err(|error| match error {
            FilesError::Io(error) => error,
            other => io::Error::other(other.to_string()),
        })?;
    }
    Ok(())
}

/// [`render`] without colour, into a string.
pub fn render_to_string(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut out = NoColor::new(Vec::new());
    // Writing into memory cannot fail.
    let _ = render(sources, diagnostics, &mut out);
    String::from_utf8_lossy(&out.into_inner()).into_owned()
}

fn to_report(sources: &SourceMap, diagnostic: &Diagnostic) -> Report<FileId> {
    let severity = match diagnostic.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
        Severity::Note => ReportSeverity::Note,
    };
    let mut labels = Vec::new();
    if let Some(file) = file_of(sources, diagnostic.span) {
        let range = clamped_range(&file.text, diagnostic.span);
        labels.push(
            ReportLabel::primary(diagnostic.span.file, range).with_message(&diagnostic.label),
        );
    }
    for label in &diagnostic.labels {
        if let Some(file) = file_of(sources, label.span) {
            let range = clamped_range(&file.text, label.span);
            labels
                .push(ReportLabel::secondary(label.span.file, range).with_message(&label.message));
        }
    }
    let mut notes = Vec::new();
    if let Some(help) = &diagnostic.help {
        notes.push(format!("help: {help}"));
    }
    notes.push(rule_note(diagnostic));
    Report::new(severity)
        .with_code(diagnostic.rule.code)
        .with_message(&diagnostic.message)
        .with_labels(labels)
        .with_notes(notes)
}

fn rule_note(diagnostic: &Diagnostic) -> String {
    let name = diagnostic.rule.name;
    let what = match (diagnostic.rule.family, diagnostic.rule.policy) {
        (Family::Roblox, false) => "for the documented Roblox behaviour",
        (Family::Roblox, true) => "for the reason and how to accept it",
        (Family::Structure, _) => "for more",
    };
    format!("note: rule `{name}`; run `tether explain {name}` {what}")
}

/// Counts for the line that ends human output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Diagnostics at error severity.
    pub errors: usize,
    /// Diagnostics at warning severity.
    pub warnings: usize,
    /// Policy errors accepted with `@allow`, shown as notes.
    pub allowed: usize,
    /// Files read, imports included.
    pub files: usize,
    /// Whether warnings fail the run (`--deny warnings`).
    pub deny_warnings: bool,
}

impl Summary {
    /// Counts the errors, warnings and notes among `diagnostics`.
    pub fn new(diagnostics: &[Diagnostic], files: usize, deny_warnings: bool) -> Summary {
        let count = |severity| {
            diagnostics
                .iter()
                .filter(|d| d.severity == severity)
                .count()
        };
        Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            allowed: count(Severity::Note),
            files,
            deny_warnings,
        }
    }

    /// Whether the run fails: any error, or any warning when warnings are denied.
    pub fn failed(&self) -> bool {
        self.errors > 0 || (self.deny_warnings && self.warnings > 0)
    }

    /// The summary without its status word, e.g.
    /// `3 files checked, 2 errors and 1 warning`.
    pub fn text(&self) -> String {
        let checked = format!("{} checked", count(self.files, "file"));
        let mut parts = Vec::new();
        if self.errors > 0 {
            parts.push(count(self.errors, "error"));
        }
        if self.warnings > 0 {
            parts.push(count(self.warnings, "warning"));
        }
        if self.allowed > 0 {
            parts.push(format!("{} allowed", self.allowed));
        }
        let found = match parts.split_last() {
            None => "no problems".to_string(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        };
        let denied = if self.errors == 0 && self.failed() {
            " (denied by --deny warnings)"
        } else {
            ""
        };
        format!("{checked}, {found}{denied}")
    }

    /// Writes `ok: ...` or `error: ...` and a newline; the status word matches
    /// the exit status.
    pub fn write(&self, out: &mut dyn WriteColor) -> io::Result<()> {
        let (status, color) = if self.failed() {
            ("error", Color::Red)
        } else if self.warnings > 0 {
            ("ok", Color::Yellow)
        } else {
            ("ok", Color::Green)
        };
        out.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true))?;
        write!(out, "{status}")?;
        out.reset()?;
        writeln!(out, ": {}", self.text())
    }
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A [`SourceMap`] as codespan-reporting sees it.
struct MapFiles<'a> {
    sources: &'a SourceMap,
}

impl<'a> MapFiles<'a> {
    fn file(&self, id: FileId) -> Result<&'a crate::diag::SourceFile, FilesError> {
        let sources: &'a SourceMap = self.sources;
        if (id.0 as usize) < sources.len() {
            Ok(sources.get(id))
        } else {
            Err(FilesError::FileMissing)
        }
    }

    fn line_start(&self, id: FileId, line_index: usize) -> Result<usize, FilesError> {
        let file = self.file(id)?;
        let starts = file.line_starts();
        match starts.get(line_index) {
            Some(&start) => Ok(start),
            None if line_index == starts.len() => Ok(file.text.len()),
            None => Err(FilesError::LineTooLarge {
                given: line_index,
                max: starts.len().saturating_sub(1),
            }),
        }
    }
}

impl<'a> Files<'a> for MapFiles<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(self.file(id)?.name.as_str())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(self.file(id)?.text.as_str())
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        let starts = self.file(id)?.line_starts();
        Ok(starts
            .binary_search(&byte_index)
            .unwrap_or_else(|next| next.saturating_sub(1)))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        Ok(self.line_start(id, line_index)?..self.line_start(id, line_index + 1)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::render::fixture;

    #[test]
    fn renders_like_rustc() {
        let sources = fixture::sources();
        let text = render_to_string(&sources, &[fixture::duplicate()]);
        let expected = "\
error[T003]: the name `Name` is declared twice
  --> schemas/game.tether:2:6
  |
1 | type Name = string
  |      ---- first declared here
2 | type Name = number
  |      ^^^^ declared again here
  |
  = help: rename one of them
  = note: rule `duplicate-name`; run `tether explain duplicate-name` for more

";
        assert_eq!(text, expected);
    }

    #[test]
    fn odd_spans_do_not_panic() {
        let (sources, diagnostics) = fixture::odd();
        let text = render_to_string(&sources, &diagnostics);
        assert!(text.contains("expected a type"));
        assert!(text.contains("no such file"));
    }

    #[test]
    fn summary_wording() {
        let summary = |errors, warnings, files, deny_warnings| Summary {
            errors,
            warnings,
            allowed: 0,
            files,
            deny_warnings,
        };
        let line = |s: Summary| {
            let mut out = NoColor::new(Vec::new());
            s.write(&mut out).unwrap();
            String::from_utf8(out.into_inner()).unwrap()
        };
        assert_eq!(
            line(summary(0, 0, 3, false)),
            "ok: 3 files checked, no problems\n"
        );
        assert_eq!(
            line(summary(0, 1, 1, false)),
            "ok: 1 file checked, 1 warning\n"
        );
        assert_eq!(
            line(summary(2, 1, 3, false)),
            "error: 3 files checked, 2 errors and 1 warning\n"
        );
        assert_eq!(
            line(summary(0, 2, 2, true)),
            "error: 2 files checked, 2 warnings (denied by --deny warnings)\n"
        );
        assert_eq!(
            line(summary(1, 0, 1, true)),
            "error: 1 file checked, 1 error\n"
        );
        let allowed = |errors, warnings, allowed| Summary {
            allowed,
            ..summary(errors, warnings, 1, false)
        };
        assert_eq!(line(allowed(0, 0, 2)), "ok: 1 file checked, 2 allowed\n");
        assert_eq!(
            line(allowed(1, 2, 1)),
            "error: 1 file checked, 1 error, 2 warnings and 1 allowed\n"
        );
    }
}
