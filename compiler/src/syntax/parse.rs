//! Turns text into an [`ast::File`], or one `syntax` diagnostic in words.
//!
//! Three steps: a scanner ([`super::lex`]) finds unterminated strings and
//! comments and nesting too deep for the stack; pest reads the grammar
//! (`grammar.pest`); the builder ([`super::build`]) turns pairs into the AST.
//! When the scanner finds a problem, pest still reads the text before it, so
//! that the diagnostic is always the first error in the file.

use super::ast;
use super::build::Builder;
use super::errors::Context;
use super::grammar::{Rule, TetherParser};
use super::lex;
use crate::diag::{Diagnostic, FileId};
use pest::Parser;

/// Parses the text of `file` into its syntax tree, or the first syntax error as a `syntax` diagnostic.
pub fn parse(file: FileId, text: &str) -> Result<ast::File, Box<Diagnostic>> {
    let lexed = lex::lex(text);
    let cx = Context {
        file,
        text,
        lexed: &lexed,
    };
    // The first problem the scanner sees, if any: an unterminated string or
    // comment, an unknown escape, or nesting past the limit.
    let hard = match (lexed.error, lex::too_deep(text, &lexed.tokens)) {
        (_, Some(deep)) => Some(deep),
        (error, None) => error,
    };
    let limit = hard.map_or(text.len(), |h| h.token_start);
    let readable = text.get(..limit).unwrap_or(text);
    match TetherParser::parse(Rule::file, readable) {
        Ok(mut pairs) => {
            if let Some(hard) = hard {
                return Err(cx.lex_error(&hard));
            }
            match pairs.next() {
                Some(file) => Builder { cx: &cx }.file(file),
                None => Err(cx.malformed(0, text.len())),
            }
        }
        Err(error) => {
            let at = match error.location {
                pest::error::InputLocation::Pos(pos) => pos,
                pest::error::InputLocation::Span((start, _)) => start,
            };
            match hard {
                Some(hard) if at >= limit => Err(cx.lex_error(&hard)),
                _ => Err(cx.pest_error(&error)),
            }
        }
    }
}
