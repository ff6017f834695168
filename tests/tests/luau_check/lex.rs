//! Just enough of a Luau lexer to find type annotations, type statements and
//! `require` calls: names, numbers, strings (with interpolation), comments
//! and punctuation, each with its byte span and line.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Name,
    Number,
    Str,
    Comment,
    Punct,
}

#[derive(Clone, Copy, Debug)]
pub struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    /// 0-based line of `start`.
    pub line: usize,
    /// Whether only whitespace stands before it on its line.
    pub first_on_line: bool,
    /// Whether it starts at column 0.
    pub column0: bool,
}

/// Punctuation, longest first so that the first match is the longest.
const PUNCT: [&str; 17] = [
    "...", "..=", "//=", "::", "->", "..", "==", "~=", "<=", ">=", "+=", "-=", "*=", "/=", "%=",
    "^=", "//",
];

pub fn tokens(src: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        src: src.as_bytes(),
        pos: 0,
        line: 0,
        line_start: 0,
        out: Vec::new(),
    };
    while lexer.next() {}
    lexer.out
}

struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
    out: Vec<Token>,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> u8 {
        self.src.get(self.pos + ahead).copied().unwrap_or(0)
    }

    /// Moves one byte on, keeping count of lines.
    fn bump(&mut self) {
        if self.peek(0) == b'\n' {
            self.line += 1;
            self.line_start = self.pos + 1;
        }
        self.pos += 1;
    }

    /// Lexes one token into `out`; false at the end of the input.
    fn next(&mut self) -> bool {
        while self.pos < self.src.len() && self.peek(0).is_ascii_whitespace() {
            self.bump();
        }
        if self.pos >= self.src.len() {
            return false;
        }
        let (start, line) = (self.pos, self.line);
        let first_on_line = self.src[self.line_start..start]
            .iter()
            .all(u8::is_ascii_whitespace);
        let column0 = start == self.line_start;
        let c = self.peek(0);
        let kind = if c == b'-' && self.peek(1) == b'-' {
            self.pos += 2;
            if self.long_bracket_level().is_some() {
                self.long_bracket();
            } else {
                while self.pos < self.src.len() && self.peek(0) != b'\n' {
                    self.bump();
                }
            }
            Kind::Comment
        } else if c == b'[' && self.long_bracket_level().is_some() {
            self.long_bracket();
            Kind::Str
        } else if c == b'"' || c == b'\'' {
            self.quoted(c);
            Kind::Str
        } else if c == b'`' {
            self.interpolated();
            Kind::Str
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while self.peek(0).is_ascii_alphanumeric() || self.peek(0) == b'_' {
                self.bump();
            }
            Kind::Name
        } else if c.is_ascii_digit() || (c == b'.' && self.peek(1).is_ascii_digit()) {
            self.number();
            Kind::Number
        } else {
            let rest = &self.src[self.pos..];
            let len = PUNCT
                .iter()
                .find(|p| rest.starts_with(p.as_bytes()))
                .map_or(1, |p| p.len());
            for _ in 0..len {
                self.bump();
            }
            Kind::Punct
        };
        self.out.push(Token {
            kind,
            start,
            end: self.pos,
            line,
            first_on_line,
            column0,
        });
        true
    }

    /// The level of a long bracket (`[==[`) opening here, if one does.
    fn long_bracket_level(&self) -> Option<usize> {
        if self.peek(0) != b'[' {
            return None;
        }
        let mut level = 0;
        while self.peek(1 + level) == b'=' {
            level += 1;
        }
        (self.peek(1 + level) == b'[').then_some(level)
    }

    fn long_bracket(&mut self) {
        let level = self.long_bracket_level().unwrap_or(0);
        let close = format!("]{}]", "=".repeat(level));
        for _ in 0..level + 2 {
            self.bump();
        }
        while self.pos < self.src.len() && !self.src[self.pos..].starts_with(close.as_bytes()) {
            self.bump();
        }
        for _ in 0..close.len() {
            if self.pos < self.src.len() {
                self.bump();
            }
        }
    }

    fn quoted(&mut self, quote: u8) {
        self.bump();
        while self.pos < self.src.len() && self.peek(0) != quote {
            if self.peek(0) == b'\\' {
                self.bump();
            }
            self.bump();
        }
        self.bump();
    }

    /// A backtick string; `{...}` holds code, which may hold strings of its
    /// own (backtick ones included), so it is lexed and thrown away.
    fn interpolated(&mut self) {
        self.bump();
        while self.pos < self.src.len() && self.peek(0) != b'`' {
            match self.peek(0) {
                b'\\' => {
                    self.bump();
                    self.bump();
                }
                b'{' => {
                    self.bump();
                    let outer = self.out.len();
                    let mut depth = 0usize;
                    while self.next() {
                        let token = self.out[self.out.len() - 1];
                        let text = &self.src[token.start..token.end];
                        if text == b"{" {
                            depth += 1;
                        } else if text == b"}" {
                            if depth == 0 {
                                break;
                            }
                            depth -= 1;
                        }
                    }
                    self.out.truncate(outer);
                }
                _ => self.bump(),
            }
        }
        self.bump();
    }

    fn number(&mut self) {
        let hex = self.peek(0) == b'0' && matches!(self.peek(1), b'x' | b'X');
        loop {
            let c = self.peek(0);
            let exponent_sign =
                !hex && matches!(c, b'+' | b'-') && matches!(self.src[self.pos - 1], b'e' | b'E');
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' || exponent_sign {
                self.bump();
            } else {
                break;
            }
        }
    }
}
