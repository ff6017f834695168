//! One piece of schema text read on its own: what a refinement holds, a
//! number, a duration or a rate, as another front end keeps it (the macros'
//! `#[tether(range = "1..100")]`, `timeout(2s)`). The grammar's own rules
//! read it, so that text a schema refuses is refused here too. An error is
//! data, which the front end words and places at its own token.

use super::ast::{AttrArg, NumberLit, Refinement};
use super::build::{self, Builder};
use super::errors::Context;
use super::grammar::{Rule, TetherParser};
use super::lex::{self, Lexed, TokenKind};
use crate::diag::{Diagnostic, FileId};
use pest::iterators::Pair;
use pest::Parser;
use std::fmt;

/// What a piece of text is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fragment {
    /// What a refinement holds between its parentheses: `1..100`, `..64`,
    /// `8`, `nonfinite`.
    Refinement,
    /// A number: `1000`, `-5`, `0.5`.
    Number,
    /// `2s`, `250ms`, `1min`.
    Duration,
    /// `5/s`, `600/min`.
    Rate,
}

impl Fragment {
    /// The fragment in words, with examples.
    pub fn describe(self) -> &'static str {
        match self {
            Fragment::Refinement => "a range such as `1..100`, `..64` or `8`",
            Fragment::Number => "a number such as `1000` or `0.5`",
            Fragment::Duration => "a duration such as `2s`, `250ms` or `1min`",
            Fragment::Rate => "a rate such as `5/s` or `600/min`",
        }
    }

    fn rule(self) -> Rule {
        match self {
            Fragment::Refinement => Rule::refinement_text,
            Fragment::Number => Rule::number_text,
            Fragment::Duration => Rule::duration_text,
            Fragment::Rate => Rule::rate_text,
        }
    }
}

/// Why a piece of text is not the fragment it should be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FragmentProblem {
    /// Where a number belongs, something the grammar does not read as one:
    /// an exponent (`1e3`), `inf`, a base prefix (`0x10`), a suffix (`5u8`),
    /// a `_` separator.
    NotANumber,
    /// A duration or a rate with a unit the language does not have (`2h`, `5/h`).
    UnknownUnit,
    /// Something else, or the end of the text, where the fragment goes on.
    Unexpected,
}

/// A piece of text that is not the fragment it was read as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FragmentError {
    /// What the text was read as.
    pub fragment: Fragment,
    /// What is wrong with it.
    pub problem: FragmentProblem,
    /// Byte offset of the part that is wrong in the text.
    pub offset: usize,
    /// The part that is wrong; empty when the text ended too early.
    pub found: String,
}

impl fmt::Display for FragmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let found = &self.found;
        let unsigned = found.trim_start_matches(['-', '+']);
        let infinite =
            unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity");
        match (self.problem, self.fragment) {
            (FragmentProblem::NotANumber, Fragment::Refinement) if infinite => write!(
                f,
                "`{found}` is not a number: leave a bound out to leave that side open, as in `0..` or `..100`"
            ),
            (FragmentProblem::NotANumber, _) => write!(
                f,
                "`{found}` is not a number: write digits with an optional fraction, such as `1000` or `0.5`"
            ),
            (FragmentProblem::UnknownUnit, Fragment::Rate) => write!(
                f,
                "`{found}` is not a unit of rate: write a count per `s` or `min`, such as `5/s`"
            ),
            (FragmentProblem::UnknownUnit, _) => write!(
                f,
                "`{found}` is not a duration: write a number and `ms`, `s` or `min`, such as `2s`"
            ),
            (FragmentProblem::Unexpected, fragment) if found.is_empty() => {
                write!(f, "expected {}", fragment.describe())
            }
            (FragmentProblem::Unexpected, fragment) => {
                write!(f, "unexpected `{found}`: expected {}", fragment.describe())
            }
        }
    }
}

impl std::error::Error for FragmentError {}

/// Reads what a refinement holds between its parentheses (`1..100`, `..64`,
/// `8`, `nonfinite`). Spans point into `text`, as the text of `file`.
pub fn parse_refinement(file: FileId, text: &str) -> Result<Refinement, FragmentError> {
    read(file, text, Fragment::Refinement, |builder, body| {
        Ok(Refinement {
            kind: builder.refinement_body(body)?,
            span: builder.span(body),
        })
    })
}

/// Reads one number: `-?[0-9]+(\.[0-9]+)?`.
pub fn parse_number(file: FileId, text: &str) -> Result<NumberLit, FragmentError> {
    read(file, text, Fragment::Number, |builder, number| {
        builder.number(number)
    })
}

/// Reads one duration (`2s`, `250ms`, `1min`): an [`AttrArg`] whose kind is
/// [`ast::AttrArgKind::Duration`](super::ast::AttrArgKind::Duration).
pub fn parse_duration(file: FileId, text: &str) -> Result<AttrArg, FragmentError> {
    read(file, text, Fragment::Duration, |builder, duration| {
        Ok(AttrArg {
            kind: builder.duration(duration)?,
            span: builder.span(duration),
        })
    })
}

/// Reads one rate (`5/s`, `600/min`): an [`AttrArg`] whose kind is
/// [`ast::AttrArgKind::Rate`](super::ast::AttrArgKind::Rate).
pub fn parse_rate(file: FileId, text: &str) -> Result<AttrArg, FragmentError> {
    read(file, text, Fragment::Rate, |builder, rate| {
        Ok(AttrArg {
            kind: builder.rate(rate)?,
            span: builder.span(rate),
        })
    })
}

/// Parses `text` as `fragment` and builds its node from the one pair the
/// entry rule holds besides the end of input.
fn read<T>(
    file: FileId,
    text: &str,
    fragment: Fragment,
    build: impl FnOnce(&Builder<'_>, &Pair<'_, Rule>) -> build::Result<T>,
) -> Result<T, FragmentError> {
    let lexed = lex::lex(text);
    let cx = Context {
        file,
        text,
        lexed: &lexed,
    };
    let builder = Builder { cx: &cx };
    let failed = |at: usize| explain(fragment, text, &lexed, at);
    let mut pairs = TetherParser::parse(fragment.rule(), text).map_err(|error| {
        failed(match error.location {
            pest::error::InputLocation::Pos(pos) => pos,
            pest::error::InputLocation::Span((start, _)) => start,
        })
    })?;
    let inner = pairs
        .next()
        .and_then(|entry| entry.into_inner().next())
        .ok_or_else(|| failed(0))?;
    build(&builder, &inner).map_err(|diagnostic| malformed(fragment, text, &diagnostic))
}

/// What is wrong with `text`, read as `fragment`, given that the grammar
/// stopped at byte `at`.
fn explain(fragment: Fragment, text: &str, lexed: &Lexed, at: usize) -> FragmentError {
    let error = |problem, offset: usize, found: &str| FragmentError {
        fragment,
        problem,
        offset,
        found: found.to_string(),
    };
    // A number or a duration is one word: the whole of it is what is wrong.
    let whole = text.trim_start();
    let whole_at = text.len() - whole.len();
    let whole = whole.trim_end();
    match fragment {
        Fragment::Number if whole.is_empty() => error(FragmentProblem::Unexpected, whole_at, ""),
        Fragment::Number => error(FragmentProblem::NotANumber, whole_at, whole),
        Fragment::Duration if whole.is_empty() => error(FragmentProblem::Unexpected, whole_at, ""),
        Fragment::Duration => {
            let body = ["ms", "min", "s"]
                .into_iter()
                .find_map(|unit| whole.strip_suffix(unit));
            match body {
                Some(body)
                    if !body.is_empty()
                        && !body.contains(char::is_whitespace)
                        && !is_number(body) =>
                {
                    error(FragmentProblem::NotANumber, whole_at, body)
                }
                _ => error(FragmentProblem::UnknownUnit, whole_at, whole),
            }
        }
        Fragment::Refinement | Fragment::Rate => {
            let Some((start, end, wordlike)) = token_at(text, lexed, at) else {
                let rest = text.get(at..).unwrap_or("").trim();
                return error(FragmentProblem::Unexpected, at, rest);
            };
            let found = text.get(start..end).unwrap_or("");
            let after_slash = lexed
                .before(start)
                .is_some_and(|(_, t)| t.text(text) == "/");
            let problem = match (fragment, after_slash) {
                (Fragment::Rate, true) if wordlike => FragmentProblem::UnknownUnit,
                (_, false) if wordlike && !is_number(found) => FragmentProblem::NotANumber,
                _ => FragmentProblem::Unexpected,
            };
            error(problem, start, found)
        }
    }
}

/// The token at byte `at` (or the next one), with a sign that is written
/// against it (`-inf`, `+5`), as `start..end`, and whether it is a word or
/// a number rather than punctuation.
fn token_at(text: &str, lexed: &Lexed, at: usize) -> Option<(usize, usize, bool)> {
    let token = lexed.at(at)?;
    let wordlike = |kind| matches!(kind, TokenKind::Word | TokenKind::Number);
    let signed = lexed.at(token.end).filter(|next| {
        matches!(token.text(text), "-" | "+") && next.start == token.end && wordlike(next.kind)
    });
    Some(match signed {
        Some(next) => (token.start, next.end, true),
        None => (token.start, token.end, wordlike(token.kind)),
    })
}

/// Whether all of `text` is one number of the grammar.
fn is_number(text: &str) -> bool {
    TetherParser::parse(Rule::number, text)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .is_some_and(|pair| pair.as_str().len() == text.len())
}

/// The builder's complaint about a tree the grammar promised, as a
/// fragment error; it should never be seen.
fn malformed(fragment: Fragment, text: &str, diagnostic: &Diagnostic) -> FragmentError {
    let (start, end) = (diagnostic.span.start as usize, diagnostic.span.end as usize);
    FragmentError {
        fragment,
        problem: FragmentProblem::Unexpected,
        offset: start,
        found: text.get(start..end).unwrap_or("").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::{AttrArgKind, RateUnit, RefinementKind};

    const FILE: FileId = FileId(0);

    fn refused<T: fmt::Debug>(
        parse: impl Fn(FileId, &str) -> Result<T, FragmentError>,
        text: &str,
    ) -> (FragmentProblem, usize, String, String) {
        let error = parse(FILE, text).expect_err(text);
        (
            error.problem,
            error.offset,
            error.found.clone(),
            error.to_string(),
        )
    }

    #[test]
    fn a_refinement_reads_as_between_parentheses() {
        let range = parse_refinement(FILE, " 1 .. 100 ").unwrap();
        let RefinementKind::Range {
            min: Some(min),
            max: Some(max),
        } = &range.kind
        else {
            panic!("{range:?}");
        };
        assert_eq!((min.value, max.value), (1.0, 100.0));
        assert_eq!((range.span.start, range.span.end), (1, 9));
        assert!(matches!(
            parse_refinement(FILE, "..64").unwrap().kind,
            RefinementKind::Range {
                min: None,
                max: Some(_)
            }
        ));
        assert!(matches!(
            parse_refinement(FILE, "8").unwrap().kind,
            RefinementKind::Exact(_)
        ));
        assert!(matches!(
            parse_refinement(FILE, "nonfinite").unwrap().kind,
            RefinementKind::NonFinite
        ));
        // Reversed bounds are the resolver's to report, as in a schema.
        assert!(parse_refinement(FILE, "10..1").is_ok());
    }

    #[test]
    fn a_refinement_refuses_what_a_schema_refuses() {
        let (problem, offset, found, message) = refused(parse_refinement, "1e3");
        assert_eq!(
            (problem, offset, found.as_str()),
            (FragmentProblem::NotANumber, 0, "1e3")
        );
        assert!(message.starts_with("`1e3` is not a number"), "{message}");
        let (problem, offset, found, message) = refused(parse_refinement, "1..inf");
        assert!(message.contains("leave a bound out"), "{message}");
        assert_eq!(
            (problem, offset, found.as_str()),
            (FragmentProblem::NotANumber, 3, "inf")
        );
        let (problem, _, found, _) = refused(parse_refinement, "..-inf");
        assert_eq!(
            (problem, found.as_str()),
            (FragmentProblem::NotANumber, "-inf")
        );
        for text in ["0x10", "1_000", "5u8", "+5", "NaN"] {
            assert_eq!(
                refused(parse_refinement, text).0,
                FragmentProblem::NotANumber,
                "{text}"
            );
        }
        let (problem, offset, found, message) = refused(parse_refinement, "1..2..3");
        assert_eq!(
            (problem, offset, found.as_str()),
            (FragmentProblem::Unexpected, 4, "..")
        );
        assert_eq!(
            message,
            "unexpected `..`: expected a range such as `1..100`, `..64` or `8`"
        );
        let (problem, _, found, message) = refused(parse_refinement, "");
        assert_eq!((problem, found.as_str()), (FragmentProblem::Unexpected, ""));
        assert_eq!(message, "expected a range such as `1..100`, `..64` or `8`");
        assert_eq!(refused(parse_refinement, "(1..2)").2, "(");
    }

    #[test]
    fn a_number_is_digits_with_an_optional_fraction() {
        let number = parse_number(FILE, "-2.5").unwrap();
        assert_eq!((number.value, number.is_integer), (-2.5, false));
        assert!(parse_number(FILE, "64").unwrap().is_integer);
        for text in ["1e3", "inf", "1_000", "0x40", "64u32", "1 2"] {
            let (problem, _, found, _) = refused(parse_number, text);
            assert_eq!(
                (problem, found.as_str()),
                (FragmentProblem::NotANumber, text)
            );
        }
        assert_eq!(refused(parse_number, " ").0, FragmentProblem::Unexpected);
    }

    #[test]
    fn a_duration_is_a_number_and_a_unit() {
        for (text, millis) in [
            ("2s", 2_000.0),
            ("250ms", 250.0),
            ("1min", 60_000.0),
            ("1.5s", 1_500.0),
        ] {
            let arg = parse_duration(FILE, text).unwrap();
            assert_eq!(arg.kind, AttrArgKind::Duration(millis), "{text}");
        }
        let (problem, _, found, message) = refused(parse_duration, "2h");
        assert_eq!(
            (problem, found.as_str()),
            (FragmentProblem::UnknownUnit, "2h")
        );
        assert_eq!(
            message,
            "`2h` is not a duration: write a number and `ms`, `s` or `min`, such as `2s`"
        );
        let (problem, _, found, _) = refused(parse_duration, "1e3ms");
        assert_eq!(
            (problem, found.as_str()),
            (FragmentProblem::NotANumber, "1e3")
        );
        assert_eq!(
            refused(parse_duration, "2 s").0,
            FragmentProblem::UnknownUnit
        );
        assert_eq!(refused(parse_duration, "s").0, FragmentProblem::UnknownUnit);
    }

    #[test]
    fn a_rate_is_a_count_per_unit() {
        let arg = parse_rate(FILE, "600/min").unwrap();
        let AttrArgKind::Rate { count, per } = arg.kind else {
            panic!("{arg:?}");
        };
        assert_eq!((count.value, per), (600.0, RateUnit::Minute));
        let (problem, offset, found, message) = refused(parse_rate, "5/h");
        assert_eq!(
            (problem, offset, found.as_str()),
            (FragmentProblem::UnknownUnit, 2, "h")
        );
        assert_eq!(
            message,
            "`h` is not a unit of rate: write a count per `s` or `min`, such as `5/s`"
        );
        let (problem, _, found, _) = refused(parse_rate, "1e3/s");
        assert_eq!(
            (problem, found.as_str()),
            (FragmentProblem::NotANumber, "1e3")
        );
        assert_eq!(refused(parse_rate, "5/").0, FragmentProblem::Unexpected);
    }
}
