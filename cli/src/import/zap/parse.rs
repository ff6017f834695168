//! A recursive-descent parser for Zap configs. It never panics, and it
//! bounds how deeply types and namespaces nest, so that hostile text cannot
//! overflow the stack.

use super::ast::*;
use super::diag::SyntaxError;
use super::lex::{lex, Comment, Tok, Token};

/// How deeply types (and namespaces) may nest; the same limit as Tether's.
pub const MAX_DEPTH: usize = 64;

pub fn parse(text: &str) -> Result<Config> {
    let lexed = lex(text)?;
    let mut parser = Parser {
        tokens: lexed.tokens,
        comments: lexed.comments,
        next_comment: 0,
        decl_end: 0,
        pos: 0,
        depth: 0,
        end: text.len(),
        text: text.to_string(),
    };
    parser.config()
}

struct Parser {
    tokens: Vec<Token>,
    comments: Vec<Comment>,
    next_comment: usize,
    /// Where the last declaration ended: comments inside it are dropped.
    decl_end: usize,
    pos: usize,
    depth: usize,
    end: usize,
    text: String,
}

type Result<T> = std::result::Result<T, SyntaxError>;

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn peek_at(&self, ahead: usize) -> Option<&Tok> {
        self.tokens.get(self.pos + ahead).map(|t| &t.tok)
    }

    /// The span of the next token, or the end of the file.
    fn here(&self) -> Span {
        self.tokens
            .get(self.pos)
            .map_or(self.end..self.end, |t| t.span.clone())
    }

    /// The end of the last token taken.
    fn last_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map_or(0, |t| t.span.end)
    }

    fn is_punct(&self, c: char) -> bool {
        self.peek() == Some(&Tok::Punct(c))
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(name)) if name == word)
    }

    fn eat_punct(&mut self, c: char) -> bool {
        let found = self.is_punct(c);
        if found {
            self.pos += 1;
        }
        found
    }

    fn unexpected(&self, expected: &str) -> SyntaxError {
        match self.peek() {
            Some(tok) => SyntaxError::new(
                self.here(),
                format!("expected {expected}, found {}", tok.describe()),
                format!("expected {expected}"),
            ),
            None => SyntaxError::new(
                self.here(),
                format!("expected {expected}, found the end of the file"),
                format!("expected {expected}"),
            ),
        }
    }

    fn expect_punct(&mut self, c: char) -> Result<Span> {
        if self.is_punct(c) {
            let span = self.here();
            self.pos += 1;
            Ok(span)
        } else {
            Err(self.unexpected(&format!("`{c}`")))
        }
    }

    fn ident(&mut self, what: &str) -> Result<Ident> {
        match self.peek() {
            Some(Tok::Ident(name)) => {
                let ident = Ident {
                    name: name.clone(),
                    span: self.here(),
                };
                self.pos += 1;
                Ok(ident)
            }
            _ => Err(self.unexpected(what)),
        }
    }

    /// A name, or a string literal where Zap allows one (variants, fields).
    fn key(&mut self, what: &str) -> Result<Ident> {
        if let Some(Tok::Str(text)) = self.peek() {
            let ident = Ident {
                name: text.clone(),
                span: self.here(),
            };
            self.pos += 1;
            return Ok(ident);
        }
        self.ident(what)
    }

    fn expect_word(&mut self, word: &str) -> Result<Span> {
        if self.is_word(word) {
            let span = self.here();
            self.pos += 1;
            Ok(span)
        } else {
            Err(self.unexpected(&format!("`{word}`")))
        }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SyntaxError::new(
                self.here(),
                format!("types nest more than {MAX_DEPTH} levels deep here"),
                "too deep",
            )
            .help("no real schema nests this deeply; flatten it with named types"));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// The comments that end before `before`, not yet taken.
    fn comments_before(&mut self, before: usize) -> Vec<String> {
        let mut taken = Vec::new();
        while let Some(comment) = self.comments.get(self.next_comment) {
            if comment.span.end > before {
                break;
            }
            if comment.span.start >= self.decl_end {
                taken.push(comment.text.clone());
            }
            self.next_comment += 1;
        }
        taken
    }

    /// A comment that starts on the line where the last declaration ended.
    /// Comments inside the declaration are dropped on the way.
    fn same_line_comment(&mut self) -> Option<String> {
        while self
            .comments
            .get(self.next_comment)
            .is_some_and(|c| c.span.start < self.decl_end)
        {
            self.next_comment += 1;
        }
        let comment = self.comments.get(self.next_comment)?;
        let between = self.text.get(self.decl_end..comment.span.start)?;
        if between.contains('\n') {
            return None;
        }
        let text = comment.text.clone();
        self.next_comment += 1;
        Some(text)
    }

    fn config(&mut self) -> Result<Config> {
        let mut config = Config::default();
        while self.is_word("opt") {
            // The options' comments are dropped: the options become comments.
            let _ = self.comments_before(self.here().start);
            config.opts.push(self.opt()?);
        }
        config.decls = self.decls(false)?;
        if self.peek().is_some() {
            return Err(self.unexpected("a declaration (`type`, `event`, `funct`)"));
        }
        config.trailing = self.comments_before(self.end);
        Ok(config)
    }

    fn opt(&mut self) -> Result<Opt> {
        self.expect_word("opt")?;
        let name = self.ident("an option name")?;
        self.expect_punct('=')?;
        let value_span = self.here();
        let raw = match self.peek() {
            Some(Tok::Str(text)) => format!("\"{text}\""),
            Some(Tok::Num(text)) => text.clone(),
            Some(Tok::Ident(word)) if word == "true" || word == "false" => word.clone(),
            _ => return Err(self.unexpected("a string, a number, `true` or `false`")),
        };
        self.pos += 1;
        self.eat_punct(';');
        Ok(Opt {
            name,
            raw,
            value_span,
        })
    }

    /// Declarations until the end of the file, or the `}` of a namespace.
    fn decls(&mut self, in_namespace: bool) -> Result<Vec<Decl>> {
        let mut decls = Vec::new();
        loop {
            if in_namespace && self.is_punct('}') {
                return Ok(decls);
            }
            let Some(Tok::Ident(word)) = self.peek() else {
                if self.peek().is_none() && !in_namespace {
                    return Ok(decls);
                }
                return Err(self.unexpected(if in_namespace {
                    "a declaration or `}`"
                } else {
                    "a declaration (`type`, `event`, `funct`)"
                }));
            };
            let word = word.clone();
            let comments = self.comments_before(self.here().start);
            let kind = match word.as_str() {
                "type" => {
                    self.pos += 1;
                    let name = self.ident("a type name")?;
                    self.expect_punct('=')?;
                    let ty = self.ty()?;
                    DeclKind::Type { name, ty }
                }
                "event" => DeclKind::Event(self.event()?),
                "funct" => DeclKind::Funct(self.funct()?),
                "namespace" => {
                    self.pos += 1;
                    let name = self.ident("a namespace name")?;
                    self.eat_punct('=');
                    self.expect_punct('{')?;
                    self.enter()?;
                    let decls = self.decls(true)?;
                    self.leave();
                    self.expect_punct('}')?;
                    DeclKind::Namespace { name, decls }
                }
                "opt" => {
                    return Err(SyntaxError::new(
                        self.here(),
                        "options must come before every declaration",
                        "an option after a declaration",
                    )
                    .help("move the `opt` lines to the top of the file"))
                }
                _ => return Err(self.unexpected("a declaration (`type`, `event`, `funct`)")),
            };
            self.eat_punct(';');
            self.decl_end = self.last_end();
            let trailing = self.same_line_comment();
            decls.push(Decl {
                comments,
                kind,
                trailing,
            });
        }
    }

    /// `{ key: value, .. }` of an event or a function, in any order, each
    /// key once. Returns the keys with the span of each.
    fn fields<F>(&mut self, keys: &[&str], mut value: F) -> Result<Span>
    where
        F: FnMut(&mut Self, &str, Span) -> Result<()>,
    {
        let open = self.expect_punct('{')?;
        let mut seen: Vec<String> = Vec::new();
        while !self.is_punct('}') {
            let key = self.ident("a field name")?;
            if !keys.contains(&key.name.as_str()) {
                let list = keys
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(SyntaxError::new(
                    key.span,
                    format!("unknown field `{}`", key.name),
                    "not a field here",
                )
                .help(format!("the fields are {list}")));
            }
            if seen.contains(&key.name) {
                return Err(SyntaxError::new(
                    key.span,
                    format!("`{}` is given twice", key.name),
                    "given again here",
                ));
            }
            seen.push(key.name.clone());
            self.expect_punct(':')?;
            value(self, &key.name, key.span)?;
            if !self.eat_punct(',') {
                break;
            }
        }
        self.expect_punct('}')?;
        Ok(open.start..self.last_end())
    }

    fn event(&mut self) -> Result<Event> {
        let keyword = self.expect_word("event")?;
        let name = self.ident("an event name")?;
        self.expect_punct('=')?;
        let mut from = None;
        let mut reliability = None;
        let mut call = None;
        let mut data = None;
        let body = self.fields(&["from", "type", "call", "data"], |p, key, _| {
            match key {
                "from" => {
                    let side = p.ident("`Server` or `Client`")?;
                    from = Some(match side.name.as_str() {
                        "Server" => From::Server,
                        "Client" => From::Client,
                        _ => {
                            return Err(SyntaxError::new(
                                side.span,
                                format!("`from` is `Server` or `Client`, not `{}`", side.name),
                                "not a side",
                            ))
                        }
                    });
                }
                "type" => {
                    let kind = p.ident("`Reliable` or `Unreliable`")?;
                    let unreliable = match kind.name.as_str() {
                        "Reliable" => false,
                        "Unreliable" => true,
                        _ => {
                            return Err(SyntaxError::new(
                                kind.span,
                                format!(
                                    "`type` is `Reliable` or `Unreliable`, not `{}`",
                                    kind.name
                                ),
                                "not an event type",
                            ))
                        }
                    };
                    reliability = Some(unreliable);
                }
                "call" => call = Some(p.call_mode(EVENT_CALLS)?),
                _ => data = Some(p.params()?),
            }
            Ok(())
        })?;
        let whole = keyword.start..body.end;
        let Some(from) = from else {
            return Err(SyntaxError::new(
                whole,
                format!("event `{}` has no `from`", name.name),
                "`from: Server` or `from: Client` is missing",
            ));
        };
        let Some(unreliable) = reliability else {
            return Err(SyntaxError::new(
                whole,
                format!("event `{}` has no `type`", name.name),
                "`type: Reliable` or `type: Unreliable` is missing",
            ));
        };
        Ok(Event {
            name,
            from,
            unreliable,
            call,
            data,
        })
    }

    fn funct(&mut self) -> Result<Funct> {
        self.expect_word("funct")?;
        let name = self.ident("a function name")?;
        self.expect_punct('=')?;
        let mut call = None;
        let mut args = None;
        let mut rets = None;
        self.fields(&["call", "args", "rets"], |p, key, _| {
            match key {
                "call" => call = Some(p.call_mode(FUNCT_CALLS)?),
                "args" => args = Some(p.params()?),
                _ => rets = Some(p.params()?),
            }
            Ok(())
        })?;
        Ok(Funct {
            name,
            call,
            args,
            rets,
        })
    }

    fn call_mode(&mut self, modes: &[&str]) -> Result<Ident> {
        let mode = self.ident("a call mode")?;
        if modes.contains(&mode.name.as_str()) {
            Ok(mode)
        } else {
            Err(SyntaxError::new(
                mode.span.clone(),
                format!("`{}` is not a call mode here", mode.name),
                "unknown call mode",
            )
            .help(format!("the modes are {}", modes.join(", "))))
        }
    }

    /// `data`, `args`, `rets`: a type, or `(name: T, U, ..)`.
    fn params(&mut self) -> Result<Params> {
        let start = self.here().start;
        if !self.is_punct('(') {
            let ty = self.ty()?;
            return Ok(Params {
                span: ty.span.clone(),
                items: vec![(None, ty)],
            });
        }
        self.pos += 1;
        let mut items = Vec::new();
        while !self.is_punct(')') {
            let named = matches!(self.peek(), Some(Tok::Ident(_)))
                && self.peek_at(1) == Some(&Tok::Punct(':'));
            if named {
                let name = self.ident("a name")?;
                self.pos += 1;
                let ty = self.ty()?;
                items.push((Some(name), ty));
            } else {
                let ty = self.ty()?;
                if items.is_empty() && self.is_punct('|') {
                    // `(A | B)`: one union, not a list of values.
                    let union = self.union_rest(start, ty)?;
                    let ty = self.postfix(union)?;
                    return Ok(Params {
                        span: ty.span.clone(),
                        items: vec![(None, ty)],
                    });
                }
                items.push((None, ty));
            }
            if !self.eat_punct(',') {
                break;
            }
        }
        self.expect_punct(')')?;
        Ok(Params {
            items,
            span: start..self.last_end(),
        })
    }

    /// After `( First`, at `,`: Zap's older unit enum, `( A, B )`.
    fn old_enum(&mut self, start: usize, first: Ty) -> Result<Ty> {
        let TyKind::Ref(path) = first.kind else {
            return Err(self.unexpected("`|` or `)`"));
        };
        let [first] = <[Ident; 1]>::try_from(path).map_err(|_| {
            SyntaxError::new(
                first.span.clone(),
                "expected a variant name",
                "not a variant",
            )
        })?;
        let mut variants = vec![first];
        while self.eat_punct(',') {
            if self.is_punct(')') {
                break;
            }
            variants.push(self.key("a variant name")?);
        }
        self.expect_punct(')')?;
        Ok(Ty {
            kind: TyKind::OldEnum(variants),
            span: start..self.last_end(),
        })
    }

    /// After `( first`, at `|`: the rest of a union, to its `)`.
    fn union_rest(&mut self, start: usize, first: Ty) -> Result<Ty> {
        let mut members = vec![first];
        while self.eat_punct('|') {
            members.push(self.ty()?);
        }
        self.expect_punct(')')?;
        Ok(Ty {
            kind: TyKind::Union(members),
            span: start..self.last_end(),
        })
    }

    fn ty(&mut self) -> Result<Ty> {
        self.enter()?;
        let result = self.primary().and_then(|ty| self.postfix(ty));
        self.leave();
        result
    }

    /// `T[..]` and `T?`, each counted as a level of nesting.
    fn postfix(&mut self, mut ty: Ty) -> Result<Ty> {
        let depth = self.depth;
        while self.is_punct('[') || self.is_punct('?') {
            self.enter()?;
            let start = ty.span.start;
            if self.eat_punct('?') {
                ty = Ty {
                    kind: TyKind::Optional(Box::new(ty)),
                    span: start..self.last_end(),
                };
            } else {
                self.pos += 1;
                let range = if self.is_punct(']') {
                    None
                } else {
                    Some(self.range(true)?)
                };
                self.expect_punct(']')?;
                ty = Ty {
                    kind: TyKind::Array(Box::new(ty), range),
                    span: start..self.last_end(),
                };
            }
        }
        self.depth = depth;
        Ok(ty)
    }

    fn primary(&mut self) -> Result<Ty> {
        let start = self.here().start;
        let kind = match self.peek().cloned() {
            Some(Tok::Punct('(')) => {
                self.pos += 1;
                let first = self.ty()?;
                if self.is_punct('|') {
                    return self.union_rest(start, first);
                }
                if self.is_punct(',') {
                    return self.old_enum(start, first);
                }
                // `(T)`: parentheses around one type.
                self.expect_punct(')')?;
                return Ok(Ty {
                    kind: first.kind,
                    span: start..self.last_end(),
                });
            }
            Some(Tok::Punct('{')) => self.bare_table()?,
            Some(Tok::Ident(word)) => {
                self.pos += 1;
                self.named(&word)?
            }
            _ => return Err(self.unexpected("a type")),
        };
        Ok(Ty {
            kind,
            span: start..self.last_end(),
        })
    }

    /// A type that starts with a name (already taken).
    fn named(&mut self, word: &str) -> Result<TyKind> {
        if let Some(num) = NumKind::from_name(word) {
            let range = self.paren_range(!num.is_float())?;
            return Ok(TyKind::Num(num, range));
        }
        Ok(match word {
            "string" => {
                let mut kind = StrKind::Plain;
                if self.is_punct('.') {
                    self.pos += 1;
                    let flavour = self.ident("`binary` or `utf8`")?;
                    kind = match flavour.name.as_str() {
                        "binary" => StrKind::Binary,
                        "utf8" => StrKind::Utf8,
                        _ => {
                            return Err(SyntaxError::new(
                                flavour.span,
                                format!("`string.{}` is not a Zap type", flavour.name),
                                "unknown string kind",
                            )
                            .help("write `string`, `string.utf8` or `string.binary`"))
                        }
                    };
                }
                TyKind::Str(kind, self.paren_range(true)?)
            }
            "buffer" => TyKind::Buffer(self.paren_range(true)?),
            "vector" => {
                let mut components = Vec::new();
                if self.eat_punct('(') {
                    while !self.is_punct(')') {
                        components.push(self.ty()?);
                        if !self.eat_punct(',') {
                            break;
                        }
                    }
                    self.expect_punct(')')?;
                }
                TyKind::Vector(components)
            }
            "map" => {
                self.expect_punct('{')?;
                self.expect_punct('[')?;
                let key = self.ty()?;
                self.expect_punct(']')?;
                self.expect_punct(':')?;
                let value = self.ty()?;
                self.eat_punct(',');
                self.expect_punct('}')?;
                TyKind::Map(Box::new(key), Box::new(value))
            }
            "set" => {
                self.expect_punct('{')?;
                let element = self.ty()?;
                self.eat_punct(',');
                self.expect_punct('}')?;
                TyKind::Set(Box::new(element))
            }
            "struct" => TyKind::Struct {
                fields: self.struct_body()?,
                keyword: true,
            },
            "enum" => TyKind::Enum(self.enum_body()?),
            "Instance" => {
                let class = if self.eat_punct('(') {
                    let class = self.ident("a class name")?;
                    self.expect_punct(')')?;
                    Some(class)
                } else {
                    None
                };
                TyKind::Instance(class)
            }
            _ => {
                let span = self.last_end().saturating_sub(word.len())..self.last_end();
                let mut path = vec![Ident {
                    name: word.to_string(),
                    span,
                }];
                while self.is_punct('.') {
                    self.pos += 1;
                    path.push(self.ident("a name after `.`")?);
                }
                TyKind::Ref(path)
            }
        })
    }

    /// The older bare forms: `{ [K]: V }` for a map, `{ a: T }` for a struct.
    fn bare_table(&mut self) -> Result<TyKind> {
        if self.peek_at(1) == Some(&Tok::Punct('[')) {
            self.pos += 2;
            let key = self.ty()?;
            self.expect_punct(']')?;
            self.expect_punct(':')?;
            let value = self.ty()?;
            self.eat_punct(',');
            self.expect_punct('}')?;
            return Ok(TyKind::Map(Box::new(key), Box::new(value)));
        }
        Ok(TyKind::Struct {
            fields: self.struct_body()?,
            keyword: false,
        })
    }

    fn struct_body(&mut self) -> Result<Vec<Field>> {
        self.expect_punct('{')?;
        let mut fields = Vec::new();
        while !self.is_punct('}') {
            let name = self.key("a field name")?;
            self.expect_punct(':')?;
            let ty = self.ty()?;
            fields.push(Field { name, ty });
            if !self.eat_punct(',') {
                break;
            }
        }
        self.expect_punct('}')?;
        Ok(fields)
    }

    fn enum_body(&mut self) -> Result<Enum> {
        if let Some(Tok::Str(tag)) = self.peek() {
            let tag = Ident {
                name: tag.clone(),
                span: self.here(),
            };
            self.pos += 1;
            self.expect_punct('{')?;
            let mut variants = Vec::new();
            while !self.is_punct('}') {
                let name = self.key("a variant name")?;
                self.enter()?;
                let fields = self.struct_body();
                self.leave();
                variants.push((name, fields?));
                if !self.eat_punct(',') {
                    break;
                }
            }
            self.expect_punct('}')?;
            return Ok(Enum::Tagged { tag, variants });
        }
        self.expect_punct('{')?;
        let mut variants = Vec::new();
        while !self.is_punct('}') {
            variants.push(self.key("a variant name")?);
            if !self.eat_punct(',') {
                break;
            }
        }
        self.expect_punct('}')?;
        Ok(Enum::Unit(variants))
    }

    /// `(range)` after a number, string or buffer, if there is one.
    fn paren_range(&mut self, whole: bool) -> Result<Option<Range>> {
        if !self.eat_punct('(') {
            return Ok(None);
        }
        let range = self.range(whole)?;
        self.expect_punct(')')?;
        Ok(Some(range))
    }

    /// `..`, `n`, `n..`, `..m`, `n..m`; `whole` when the numbers must be
    /// whole (integers, lengths).
    fn range(&mut self, whole: bool) -> Result<Range> {
        let min = self.number(whole)?;
        let kind = if self.peek() == Some(&Tok::DotDot) {
            self.pos += 1;
            let max = self.number(whole)?;
            match (min, max) {
                (None, None) => RangeKind::Any,
                (Some(min), None) => RangeKind::Min(min),
                (None, Some(max)) => RangeKind::Max(max),
                (Some(min), Some(max)) => RangeKind::MinMax(min, max),
            }
        } else {
            match min {
                Some(n) => RangeKind::Exact(n),
                None => return Err(self.unexpected("a range (`0..10`, `..10`, `5`)")),
            }
        };
        Ok(Range { kind })
    }

    fn number(&mut self, whole: bool) -> Result<Option<String>> {
        let Some(Tok::Num(text)) = self.peek() else {
            return Ok(None);
        };
        let text = text.clone();
        if whole && text.contains('.') {
            return Err(SyntaxError::new(
                self.here(),
                format!("`{text}` is not a whole number"),
                "expected a whole number",
            )
            .help("integer types and lengths take whole-number bounds"));
        }
        self.pos += 1;
        Ok(Some(text))
    }
}

const EVENT_CALLS: &[&str] = &[
    "ManyAsync",
    "ManySync",
    "SingleAsync",
    "SingleSync",
    "Polling",
];
const FUNCT_CALLS: &[&str] = &["Async", "Sync"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_panics_on_noise() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let alphabet: &[u8] =
            b"{}[]()?:,|.=;\"' \n-0123456789abcdeftypeventfunctstructmapsetenumu8";
        for _ in 0..3000 {
            let mut text = Vec::new();
            for _ in 0..(state % 80) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let index = usize::try_from(state % alphabet.len() as u64).unwrap_or(0);
                text.push(alphabet.get(index).copied().unwrap_or(b' '));
            }
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let text = String::from_utf8_lossy(&text);
            let _ = parse(&text);
        }
    }

    /// Every test config, cut short and with bytes swapped, converts or
    /// fails with a syntax error: never a panic.
    #[test]
    fn mutated_configs_never_panic() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/zap");
        let Ok(entries) = std::fs::read_dir(dir) else {
            panic!("tests/zap exists");
        };
        let mut state: u64 = 0x1234_5678_9ABC_DEF1;
        let mut next = move |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            usize::try_from(state % (bound.max(1) as u64)).unwrap_or(0)
        };
        for entry in entries.flatten() {
            let Ok(text) = std::fs::read(entry.path()) else {
                continue;
            };
            for _ in 0..200 {
                let mut bytes = text.clone();
                bytes.truncate(next(text.len() + 1));
                if !bytes.is_empty() {
                    let (a, b) = (next(bytes.len()), next(bytes.len()));
                    bytes.swap(a, b);
                }
                let mutated = String::from_utf8_lossy(&bytes);
                let _ = super::super::convert(&mutated);
            }
        }
    }

    #[test]
    fn deep_nesting_is_an_error() {
        for (open, close) in [("(", ")"), ("struct { a: ", "}"), ("", "[]"), ("", "?")] {
            let text = format!("type A = {}u8{}", open.repeat(10_000), close.repeat(10_000));
            let error = parse(&text).err();
            assert!(
                error.is_some_and(|e| e.message.contains("nest")),
                "{open}..{close}"
            );
        }
        let text = format!(
            "{}type A = u8{}",
            "namespace N = { ".repeat(5000),
            "}".repeat(5000)
        );
        assert!(parse(&text).is_err());
    }

    #[test]
    fn moderate_nesting_parses() {
        let text = format!("type A = {}u8{}", "(".repeat(20), ")".repeat(20));
        assert!(parse(&text).is_ok());
    }
}
