//! The wording of syntax errors: pest's expected rules turned into words,
//! with the token before the error ("after `:`") and the token found there.

use super::grammar::Rule;
use super::lex::{is_keyword, LexError, Lexed, Problem, Token, TokenKind, MAX_NESTING};
use super::words::{self, join, List, Role, Want};
use crate::diag::{rules, Diagnostic, FileId, Span};
use pest::error::{ErrorVariant, InputLocation};

/// A token as quoted in a message, shortened if long.
fn quote(text: &str) -> String {
    let mut chars = text.chars();
    let short: String = chars.by_ref().take(24).collect();
    if chars.next().is_some() {
        format!("`{short}…`")
    } else {
        format!("`{short}`")
    }
}

pub(super) struct Context<'a> {
    pub file: FileId,
    pub text: &'a str,
    pub lexed: &'a Lexed,
}

impl Context<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    fn token_text(&self, token: &Token) -> &str {
        token.text(self.text)
    }

    /// The token before `pos`, joined with its keyword partner
    /// (`remote event`), quoted.
    fn previous(&self, pos: usize) -> Option<String> {
        let (i, token) = self.lexed.before(pos)?;
        let text = self.token_text(token);
        if matches!(text, "event" | "function") && i > 0 {
            let first = self
                .lexed
                .tokens
                .get(i - 1)
                .map_or("", |t| self.token_text(t));
            if matches!(first, "remote" | "bindable") {
                return Some(format!("`{first} {text}`"));
            }
        }
        Some(quote(text))
    }

    /// The innermost `open` bracket that is still open at `pos`.
    fn unclosed(&self, pos: usize, open: &str) -> Option<&Token> {
        let mut stack: Vec<&Token> = Vec::new();
        for token in self.lexed.tokens.iter().take_while(|t| t.end <= pos) {
            match self.token_text(token) {
                "(" | "{" | "[" | "<" => stack.push(token),
                ")" | "}" | "]" | ">" => {
                    stack.pop();
                }
                _ => {}
            }
        }
        stack.into_iter().rev().find(|t| self.token_text(t) == open)
    }

    /// A lexical problem found before parsing.
    pub fn lex_error(&self, error: &LexError) -> Box<Diagnostic> {
        let span = self.span(error.start, error.end);
        let diagnostic = match error.problem {
            Problem::UnterminatedString => {
                Diagnostic::new(&rules::SYNTAX, span, "unterminated string")
                    .with_label("this string is not closed")
                    .with_help("add the closing `\"` before the end of the line")
            }
            Problem::UnterminatedComment => {
                Diagnostic::new(&rules::SYNTAX, span, "unterminated block comment")
                    .with_label("this comment is never closed")
                    .with_help("close the comment with `]]`")
            }
            Problem::UnknownEscape => Diagnostic::new(
                &rules::SYNTAX,
                span,
                format!(
                    "unknown escape {} in a string",
                    quote(self.text.get(error.start..error.end).unwrap_or("\\"))
                ),
            )
            .with_label("unknown escape")
            .with_help(
                "the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`; write `\\\\` for a backslash",
            ),
            Problem::TooDeep => self.too_deep(span),
        };
        Box::new(diagnostic)
    }

    fn too_deep(&self, span: Span) -> Diagnostic {
        Diagnostic::new(
            &rules::SYNTAX,
            span,
            format!("nesting deeper than {MAX_NESTING} levels"),
        )
        .with_label("nested too deeply here")
        .with_help("give inner types their own names with `type` declarations")
    }

    /// A diagnostic for the AST builder when the tree is not what the
    /// grammar promises; it should never be seen.
    pub fn malformed(&self, start: usize, end: usize) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::new(
                &rules::SYNTAX,
                self.span(start, end),
                "this part of the file could not be read",
            )
            .with_label("not understood"),
        )
    }

    /// A syntax error in words from pest's error.
    pub fn pest_error(&self, error: &pest::error::Error<Rule>) -> Box<Diagnostic> {
        let pos = match error.location {
            InputLocation::Pos(pos) => pos,
            InputLocation::Span((start, _)) => start,
        };
        let pos = pos.min(self.text.len());
        match &error.variant {
            ErrorVariant::ParsingError { positives, .. } => Box::new(self.expected(pos, positives)),
            // pest's own call or stack limit: only reachable by nesting.
            ErrorVariant::CustomError { .. } => {
                let end = self.lexed.at(pos).map_or(pos, |t| t.end.max(pos));
                Box::new(self.too_deep(self.span(pos, end)))
            }
        }
    }

    fn expected(&self, pos: usize, positives: &[Rule]) -> Diagnostic {
        let found = self.lexed.at(pos).filter(|t| t.end > pos);
        let found_text = found.map(|t| self.token_text(t));
        let before = self.lexed.before(pos).map(|(_, t)| *t);
        let before_text = before.map(|t| self.token_text(&t));

        // Where to point: the token found, or just after the last token
        // when the file ended.
        let span = match found {
            Some(token) => self.span(token.start.max(pos), token.end),
            None => {
                let end = before.map_or(pos, |t| t.end);
                self.span(end, end)
            }
        };

        if found_text == Some("import") && positives.contains(&Rule::decl) {
            return Diagnostic::new(
                &rules::SYNTAX,
                span,
                "imports must come first, before any declaration",
            )
            .with_label("import after a declaration")
            .with_help("move this `import` to the top of the file");
        }

        let wants = words::expected(positives);
        let list = wants.iter().find_map(|w| match w.role {
            Role::Closer(list) => Some(list),
            _ => None,
        });
        let mut words: Vec<&'static str> = Vec::new();
        for word in wants.iter().flat_map(|w| w.words.iter().copied()) {
            if !words.contains(&word) {
                words.push(word);
            }
        }
        let expected = join(&words);

        let found_is_keyword =
            found.is_some_and(|t| t.kind == TokenKind::Word && is_keyword(self.token_text(t)));
        let starts_item = found.is_some_and(|t| match t.kind {
            TokenKind::Word => !is_keyword(self.token_text(t)),
            TokenKind::Number | TokenKind::String => true,
            TokenKind::Punct => matches!(self.token_text(t), "(" | "{" | "[" | "@"),
            TokenKind::Other => false,
        });
        let wants_name = wants
            .iter()
            .any(|w| matches!(w.role, Role::Item | Role::Name | Role::Type));

        let label = match found_text {
            None => format!("expected {expected}"),
            Some(text) if found_is_keyword && wants_name => format!("`{text}` is a keyword"),
            Some(text) => format!("unexpected {}", quote(text)),
        };

        // "expected `)` to close the parameter list": when the list could
        // only end or go on and what follows does not look like more of it,
        // or when the file ends inside it after an item.
        if let Some(list) = list {
            let only_ends = wants
                .iter()
                .all(|w| matches!(w.role, Role::Closer(_) | Role::Separator));
            let after_item = !matches!(
                before_text,
                Some("(" | "{" | "[" | "<" | "," | ";" | ":" | "=" | "->" | "..")
            );
            if (only_ends && !starts_item) || (found.is_none() && after_item) {
                let mut diagnostic = Diagnostic::new(
                    &rules::SYNTAX,
                    span,
                    format!(
                        "expected {} to close the {}",
                        list.close_quoted(),
                        list.name
                    ),
                )
                .with_label(format!("expected {expected}"));
                if let Some(open) = self.unclosed(pos, list.open) {
                    diagnostic = diagnostic.with_secondary(
                        self.span(open.start, open.end),
                        format!("unclosed `{}`", list.open),
                    );
                }
                return diagnostic;
            }
        }

        let previous = self.previous(pos);
        let message = match (&previous, expected.is_empty(), found_text) {
            (Some(prev), false, _) => format!("expected {expected} after {prev}"),
            (None, false, _) => format!("expected {expected}"),
            (Some(prev), true, Some(text)) => format!("unexpected {} after {prev}", quote(text)),
            (None, true, Some(text)) => format!("unexpected {}", quote(text)),
            (_, true, None) => "unexpected end of file".to_string(),
        };
        let mut diagnostic = Diagnostic::new(&rules::SYNTAX, span, message).with_label(label);
        let help = Help {
            wants: &wants,
            list,
            found_text,
            before,
            found_is_keyword,
            wants_name,
            starts_item,
        };
        if let Some(help) = self.help(&help) {
            diagnostic = diagnostic.with_help(help);
        }
        diagnostic
    }

    fn help(&self, h: &Help<'_>) -> Option<String> {
        let has = |word: &str| h.wants.iter().any(|w| w.words.contains(&word));
        let before_text = h.before.map(|t| self.token_text(&t));

        if has("`remote`") && matches!(h.found_text, Some("type" | "enum" | "namespace")) {
            return Some(
                "attributes can only be written before `remote` and `bindable` declarations"
                    .to_string(),
            );
        }
        if h.found_is_keyword && h.wants_name {
            return Some(format!(
                "`{}` is reserved by the language and cannot be used as a name; choose another name",
                h.found_text.unwrap_or_default()
            ));
        }
        if has("`client`") && has("`server`") && h.wants.len() == 1 {
            return Some(
                "write a direction such as `client -> server` for a remote, or a side, `server` or `client`, for a bindable"
                    .to_string(),
            );
        }
        let unit = h
            .found_text
            .and_then(|t| ["s", "ms", "min"].into_iter().find(|u| *u == t));
        if let (Some(unit), Some(before)) = (unit, h.before) {
            if before.kind == TokenKind::Number {
                return Some(format!(
                    "write a duration without a space, such as `{}{unit}`",
                    self.token_text(&before)
                ));
            }
        }
        if before_text == Some(")") {
            if h.found_text == Some("?") && has("a declaration") {
                return Some(
                    "a list of return values cannot be optional; make each value optional instead"
                        .to_string(),
                );
            }
            if h.wants.len() == 1 && has("`->`") {
                return Some(
                    "types in parentheses are a function's parameters: follow them with `-> <return type>`"
                        .to_string(),
                );
            }
        }
        if let Some(list) = h.list {
            if h.starts_item && h.wants.iter().any(|w| w.role == Role::Separator) {
                return Some(format!("put `,` between {}", list.items));
            }
        }
        if h.wants.len() == 1 && has("`:`") {
            return Some(match before_text {
                Some("]") => "write an indexer as `[key]: value`".to_string(),
                _ => "write a field or a parameter as `name: type`".to_string(),
            });
        }
        if h.wants.len() == 1 && has("a string") && before_text == Some("import") {
            return Some(
                "write the path in double quotes: `import \"path/to/file.tether\"`".to_string(),
            );
        }
        None
    }
}

/// What the help line is chosen from.
struct Help<'a> {
    wants: &'a [Want],
    list: Option<List>,
    found_text: Option<&'a str>,
    before: Option<Token>,
    found_is_keyword: bool,
    wants_name: bool,
    starts_item: bool,
}
