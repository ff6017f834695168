//! A small scanner that runs before pest. It finds what the grammar cannot
//! say well (unterminated strings and block comments, unknown escapes, and
//! nesting deep enough to threaten the stack) and gives the error wording
//! the tokens around a position.

/// Deepest nesting of brackets the parser accepts; deeper input is a
/// diagnostic rather than a risk to the stack.
pub const MAX_NESTING: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TokenKind {
    /// An identifier or keyword; also a number glued to a unit (`5s`).
    Word,
    Number,
    String,
    Punct,
    /// A character the language has no use for.
    Other,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Problem {
    UnterminatedString,
    UnterminatedComment,
    UnknownEscape,
    TooDeep,
}

/// A problem found by the scanner, at `start..end`.
#[derive(Clone, Copy, Debug)]
pub(super) struct LexError {
    pub problem: Problem,
    pub start: usize,
    pub end: usize,
    /// Where the token holding the problem starts: pest reads the text
    /// before it to find any earlier error.
    pub token_start: usize,
}

/// Tokens up to the first lexical problem, and that problem.
#[derive(Debug, Default)]
pub(super) struct Lexed {
    pub tokens: Vec<Token>,
    pub error: Option<LexError>,
}

impl Lexed {
    /// The last token that ends at or before `pos`.
    pub fn before(&self, pos: usize) -> Option<(usize, &Token)> {
        let i = self.tokens.partition_point(|t| t.end <= pos);
        i.checked_sub(1).map(|i| (i, &self.tokens[i]))
    }

    /// The token that contains `pos`, or else the first one after it.
    pub fn at(&self, pos: usize) -> Option<&Token> {
        let i = self.tokens.partition_point(|t| t.end <= pos);
        self.tokens.get(i)
    }
}

pub(super) const KEYWORDS: &[&str] = &[
    "type",
    "enum",
    "namespace",
    "import",
    "remote",
    "bindable",
    "event",
    "function",
    "server",
    "client",
    "in",
    "any",
    "true",
    "false",
];

pub(super) fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Scans `text` into tokens, stopping at the first lexical problem.
pub(super) fn lex(text: &str) -> Lexed {
    let bytes = text.as_bytes();
    let mut out = Lexed::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                if text[i..].starts_with("--[[") {
                    match text[i + 4..].find("]]") {
                        Some(close) => i += 4 + close + 2,
                        None => {
                            out.error = Some(LexError {
                                problem: Problem::UnterminatedComment,
                                start,
                                end: start + 4,
                                token_start: start,
                            });
                            return out;
                        }
                    }
                } else {
                    i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                }
            }
            b'"' => {
                i += 1;
                loop {
                    match bytes.get(i) {
                        None | Some(b'\n') => {
                            let end = if i > start && bytes.get(i - 1) == Some(&b'\r') {
                                i - 1
                            } else {
                                i
                            };
                            out.error = Some(LexError {
                                problem: Problem::UnterminatedString,
                                start,
                                end,
                                token_start: start,
                            });
                            return out;
                        }
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\\') => match bytes.get(i + 1) {
                            Some(b'"' | b'\\' | b'n' | b't') => i += 2,
                            None | Some(b'\n') => i += 1,
                            Some(_) => {
                                let len = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                                out.error = Some(LexError {
                                    problem: Problem::UnknownEscape,
                                    start: i,
                                    end: i + 1 + len,
                                    token_start: start,
                                });
                                return out;
                            }
                        },
                        Some(_) => i += 1,
                    }
                }
                out.tokens.push(Token {
                    kind: TokenKind::String,
                    start,
                    end: i,
                });
            }
            b'0'..=b'9' | b'-' if b != b'-' || bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                i += 1;
                while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    i += 2;
                    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                        i += 1;
                    }
                }
                let mut kind = TokenKind::Number;
                while bytes.get(i).copied().is_some_and(is_ident_char) {
                    kind = TokenKind::Word;
                    i += 1;
                }
                out.tokens.push(Token {
                    kind,
                    start,
                    end: i,
                });
            }
            _ if is_ident_start(b) => {
                while bytes.get(i).copied().is_some_and(is_ident_char) {
                    i += 1;
                }
                out.tokens.push(Token {
                    kind: TokenKind::Word,
                    start,
                    end: i,
                });
            }
            _ => {
                let rest = &text[i..];
                let len = ["<->", "->", ".."]
                    .iter()
                    .find(|p| rest.starts_with(*p))
                    .map(|p| p.len());
                let (kind, len) = match len {
                    Some(len) => (TokenKind::Punct, len),
                    None if b"(){}[]<>,;:=?.@/-".contains(&b) => (TokenKind::Punct, 1),
                    // The byte-order mark is whitespace to the grammar.
                    None if rest.starts_with('\u{FEFF}') => {
                        i += '\u{FEFF}'.len_utf8();
                        continue;
                    }
                    None => (
                        TokenKind::Other,
                        rest.chars().next().map_or(1, char::len_utf8),
                    ),
                };
                i += len;
                out.tokens.push(Token {
                    kind,
                    start,
                    end: i,
                });
            }
        }
    }
    out
}

/// Finds the first point where nesting exceeds [`MAX_NESTING`].
///
/// Depth counts open brackets `( { [ <`, plus, within each bracket, the
/// wrappers that nest a type without a bracket of their own: `->` (a
/// function's return type), `?`, `in`, and a refinement written right after
/// another `)(`. A `,`, `;`, `@` or a declaration keyword starts a sibling
/// and resets the wrappers of its level.
pub(super) fn too_deep(text: &str, tokens: &[Token]) -> Option<LexError> {
    // Wrappers counted at each open level; the first entry is the file.
    let mut levels: Vec<usize> = vec![0];
    let mut depth = 0usize;
    let mut prev: Option<&str> = None;
    for token in tokens {
        let t = token.text(text);
        let current = levels.len() - 1;
        let grows = match t {
            "(" | "{" | "[" | "<" => {
                let chained = t == "(" && prev == Some(")");
                if chained {
                    levels[current] += 1;
                    depth += 1;
                }
                levels.push(0);
                depth += 1;
                true
            }
            ")" | "}" | "]" | ">" => {
                if current > 0 {
                    let wraps = levels.pop().unwrap_or(0);
                    depth = depth.saturating_sub(1 + wraps);
                }
                false
            }
            "->" | "?" | "in" => {
                levels[current] += 1;
                depth += 1;
                true
            }
            "," | ";" | "@" | "type" | "enum" | "namespace" | "remote" | "bindable" | "import" => {
                depth = depth.saturating_sub(levels[current]);
                levels[current] = 0;
                false
            }
            _ => false,
        };
        if grows && depth > MAX_NESTING {
            return Some(LexError {
                problem: Problem::TooDeep,
                start: token.start,
                end: token.end,
                token_start: token.start,
            });
        }
        prev = Some(t);
    }
    None
}
