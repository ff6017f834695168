//! Schema text held in attributes (`range = "1..100"`, `max_len = 64`,
//! `timeout(2s)`, `rate(5/s)`), read by the compiler's own grammar so that
//! the macros accept exactly what a schema accepts. The compiler's spans
//! point into the text; here every node takes the span of the Rust token
//! that holds it, which is also where an error is shown.

use proc_macro2::{Literal, Span};
use quote::ToTokens;
use syn::LitStr;
use tether_compiler::diag::{self, FileId};
use tether_compiler::syntax::{self, ast, FragmentError};

use crate::spans::Spans;

fn error(span: Span, error: &FragmentError) -> syn::Error {
    syn::Error::new(span, format!("tether: {error}"))
}

/// The refinement in a `range` or `len` string, as the schema writes it
/// between parentheses: `"1..100"`, `"..64"`, `"8"`.
pub fn refinement(text: &LitStr, spans: &mut Spans) -> syn::Result<ast::Refinement> {
    let parsed =
        syntax::parse_refinement(FileId(0), &text.value()).map_err(|e| error(text.span(), &e))?;
    let span = spans.add(text.span());
    let kind = match parsed.kind {
        ast::RefinementKind::Range { min, max } => ast::RefinementKind::Range {
            min: min.map(|n| at(n, span)),
            max: max.map(|n| at(n, span)),
        },
        ast::RefinementKind::Exact(n) => ast::RefinementKind::Exact(at(n, span)),
        ast::RefinementKind::NonFinite => {
            return Err(syn::Error::new(
                text.span(),
                "tether: `nonfinite` is an attribute of its own: `#[tether(nonfinite)]`",
            ))
        }
    };
    Ok(ast::Refinement { kind, span })
}

/// `max_len = 64`, which is `len = "..64"`.
pub fn max_len(max: &syn::Lit, spans: &mut Spans) -> syn::Result<ast::Refinement> {
    if let syn::Lit::Str(_) = max {
        return Err(syn::Error::new(
            max.span(),
            "tether: `max_len` is a number, `max_len = 64`; a range is `len = \"1..64\"`",
        ));
    }
    let number = syntax::parse_number(FileId(0), &max.to_token_stream().to_string())
        .map_err(|e| error(max.span(), &e))?;
    let span = spans.add(max.span());
    Ok(ast::Refinement {
        kind: ast::RefinementKind::Range {
            min: None,
            max: Some(at(number, span)),
        },
        span,
    })
}

/// A number or a duration written as one Rust literal: `64`, `0.5`, `2s`,
/// `250ms`, `1min`. A literal that ends in letters is a duration.
pub fn number_or_duration(literal: &Literal, span: diag::Span) -> syn::Result<ast::AttrArgKind> {
    let text = literal.to_string();
    if text.ends_with(|c: char| c.is_ascii_alphabetic()) {
        let duration =
            syntax::parse_duration(FileId(0), &text).map_err(|e| error(literal.span(), &e))?;
        Ok(duration.kind)
    } else {
        let number =
            syntax::parse_number(FileId(0), &text).map_err(|e| error(literal.span(), &e))?;
        Ok(ast::AttrArgKind::Number(at(number, span)))
    }
}

/// A rate, `5/s` or `600/min`: its count and unit are separate Rust tokens.
pub fn rate(
    count: &Literal,
    unit: &proc_macro2::Ident,
    span: diag::Span,
) -> syn::Result<ast::AttrArgKind> {
    let count_text = count.to_string();
    let rate = syntax::parse_rate(FileId(0), &format!("{count_text}/{unit}")).map_err(|e| {
        let token = if e.offset > count_text.len() {
            unit.span()
        } else {
            count.span()
        };
        error(token, &e)
    })?;
    Ok(match rate.kind {
        ast::AttrArgKind::Rate { count, per } => ast::AttrArgKind::Rate {
            count: at(count, span),
            per,
        },
        kind => kind,
    })
}

/// `number`, spanning the Rust token `span` stands for.
fn at(number: ast::NumberLit, span: diag::Span) -> ast::NumberLit {
    ast::NumberLit { span, ..number }
}
