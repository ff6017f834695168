//! The tokens of a Zap config: names, strings, numbers and punctuation,
//! with comments kept aside so that the converter can carry them over.

use super::ast::Span;
use super::diag::SyntaxError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    Ident(String),
    /// A string literal, without its quotes.
    Str(String),
    /// A number as written: `-?[0-9]+(\.[0-9]+)?`.
    Num(String),
    /// `..`
    DotDot,
    Punct(char),
}

impl Tok {
    /// How a message names the token.
    pub fn describe(&self) -> String {
        match self {
            Tok::Ident(name) => format!("`{name}`"),
            Tok::Str(text) => format!("the string \"{text}\""),
            Tok::Num(text) => format!("the number `{text}`"),
            Tok::DotDot => "`..`".to_string(),
            Tok::Punct(c) => format!("`{c}`"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// A comment: its text without `--` (or `--[[ ]]`), and where it ends.
#[derive(Clone, Debug)]
pub struct Comment {
    pub text: String,
    pub span: Span,
}

pub struct Lexed {
    pub tokens: Vec<Token>,
    pub comments: Vec<Comment>,
}

const PUNCT: &[char] = &[
    '=', '{', '}', '(', ')', '[', ']', ':', ',', ';', '?', '|', '.',
];

pub fn lex(text: &str) -> Result<Lexed, SyntaxError> {
    let mut tokens = Vec::new();
    let mut comments = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let rest = text.get(start..).unwrap_or_default();
        if rest.starts_with("--") {
            if rest.starts_with("--[[") {
                let Some(close) = rest.find("]]") else {
                    return Err(SyntaxError::new(
                        start..start + 4,
                        "unterminated block comment",
                        "this `--[[` has no `]]`",
                    ));
                };
                let end = start + close + 2;
                comments.push(Comment {
                    text: rest.get(4..close).unwrap_or_default().trim().to_string(),
                    span: start..end,
                });
                skip_to(&mut chars, end);
            } else {
                let len = rest.find('\n').unwrap_or(rest.len());
                comments.push(Comment {
                    text: rest.get(2..len).unwrap_or_default().trim_end().to_string(),
                    span: start..start + len,
                });
                skip_to(&mut chars, start + len);
            }
            continue;
        }
        if c == '"' || c == '\'' {
            let body = rest.get(1..).unwrap_or_default();
            let Some(close) = body.find(c) else {
                return Err(SyntaxError::new(
                    start..start + 1,
                    "unterminated string",
                    "this quote is never closed",
                ));
            };
            let end = start + 1 + close + 1;
            tokens.push(Token {
                tok: Tok::Str(body.get(..close).unwrap_or_default().to_string()),
                span: start..end,
            });
            skip_to(&mut chars, end);
            continue;
        }
        let next_is_digit = rest.chars().nth(1).is_some_and(|d| d.is_ascii_digit());
        if c.is_ascii_digit() || (c == '-' && next_is_digit) {
            let end = start + number_len(rest);
            tokens.push(Token {
                tok: Tok::Num(rest.get(..end - start).unwrap_or_default().to_string()),
                span: start..end,
            });
            skip_to(&mut chars, end);
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            let len = rest
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len());
            tokens.push(Token {
                tok: Tok::Ident(rest.get(..len).unwrap_or_default().to_string()),
                span: start..start + len,
            });
            skip_to(&mut chars, start + len);
            continue;
        }
        if rest.starts_with("..") {
            tokens.push(Token {
                tok: Tok::DotDot,
                span: start..start + 2,
            });
            skip_to(&mut chars, start + 2);
            continue;
        }
        if PUNCT.contains(&c) {
            tokens.push(Token {
                tok: Tok::Punct(c),
                span: start..start + 1,
            });
            continue;
        }
        return Err(SyntaxError::new(
            start..start + c.len_utf8(),
            format!("unexpected character `{}`", c.escape_default()),
            "Zap has no token that starts with this",
        ));
    }
    Ok(Lexed { tokens, comments })
}

/// `-?[0-9]+(\.[0-9]+)?`, so that `0..10` is `0`, `..`, `10`.
fn number_len(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    i
}

fn skip_to(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>, end: usize) {
    while chars.peek().is_some_and(|&(i, _)| i < end) {
        chars.next();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        lex(text)
            .map(|l| l.tokens.into_iter().map(|t| t.tok).collect())
            .unwrap_or_default()
    }

    #[test]
    fn ranges_split_from_numbers() {
        assert_eq!(
            toks("u8(0..10) f32(-1.5..2)"),
            vec![
                Tok::Ident("u8".into()),
                Tok::Punct('('),
                Tok::Num("0".into()),
                Tok::DotDot,
                Tok::Num("10".into()),
                Tok::Punct(')'),
                Tok::Ident("f32".into()),
                Tok::Punct('('),
                Tok::Num("-1.5".into()),
                Tok::DotDot,
                Tok::Num("2".into()),
                Tok::Punct(')'),
            ]
        );
    }

    #[test]
    fn comments_are_kept_aside() {
        let lexed = lex("-- one\ntype --[[ two ]] A = u8").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lexed.comments.len(), 2);
        assert_eq!(lexed.tokens.len(), 4);
    }
}
