//! Builds the [`ast`] from pest's pairs. The grammar fixes the shape of the
//! pairs; where a shape is not the expected one anyway, the builder returns a
//! syntax diagnostic rather than panicking.

use super::ast::*;
use super::errors::Context;
use super::grammar::Rule;
use crate::diag::{Diagnostic, Span};
use pest::iterators::Pair;

pub(super) type Result<T> = std::result::Result<T, Box<Diagnostic>>;

pub(super) struct Builder<'a> {
    pub cx: &'a Context<'a>,
}

impl Builder<'_> {
    /// The span of a pair, without the whitespace and comments pest lets a
    /// rule take after its last token when it ends with an optional part.
    pub(super) fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        self.trimmed(s.start(), s.end())
    }

    pub(super) fn trimmed(&self, start: usize, end: usize) -> Span {
        let end = match self.cx.lexed.before(end) {
            Some((_, token)) if token.end > start => token.end,
            _ => end,
        };
        Span::new(self.cx.file, start, end)
    }

    pub(super) fn malformed(&self, pair: &Pair<'_, Rule>) -> Box<Diagnostic> {
        let s = pair.as_span();
        self.cx.malformed(s.start(), s.end())
    }

    /// The first child of `pair` with `rule`.
    pub(super) fn child<'i>(&self, pair: &Pair<'i, Rule>, rule: Rule) -> Result<Pair<'i, Rule>> {
        pair.clone()
            .into_inner()
            .find(|p| p.as_rule() == rule)
            .ok_or_else(|| self.malformed(pair))
    }

    /// The only significant child of a wrapper rule.
    pub(super) fn only<'i>(&self, pair: &Pair<'i, Rule>) -> Result<Pair<'i, Rule>> {
        pair.clone()
            .into_inner()
            .next()
            .ok_or_else(|| self.malformed(pair))
    }

    pub(super) fn ident(&self, pair: &Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(pair),
        }
    }

    pub(super) fn child_ident(&self, pair: &Pair<'_, Rule>) -> Result<Ident> {
        Ok(self.ident(&self.child(pair, Rule::ident)?))
    }

    pub fn file(&self, pair: Pair<'_, Rule>) -> Result<File> {
        let mut imports = Vec::new();
        let mut options = Vec::new();
        let mut decls = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::import => imports.push(self.import(&p)?),
                Rule::option => options.push(self.option(&p)?),
                Rule::decl => decls.push(self.decl(&p)?),
                _ => {}
            }
        }
        Ok(File {
            imports,
            options,
            decls,
        })
    }

    fn option(&self, pair: &Pair<'_, Rule>) -> Result<FileOption> {
        let mut idents = pair
            .clone()
            .into_inner()
            .filter(|p| p.as_rule() == Rule::ident);
        match (idents.next(), idents.next()) {
            (Some(name), Some(value)) => Ok(FileOption {
                name: self.ident(&name),
                value: self.ident(&value),
                span: self.span(pair),
            }),
            _ => Err(self.malformed(pair)),
        }
    }

    fn import(&self, pair: &Pair<'_, Rule>) -> Result<Import> {
        let string = self.child(pair, Rule::string)?;
        Ok(Import {
            path: unescape(string.as_str()),
            path_span: self.span(&string),
            span: self.span(pair),
        })
    }

    fn decl(&self, pair: &Pair<'_, Rule>) -> Result<Decl> {
        let inner = self.only(pair)?;
        Ok(match inner.as_rule() {
            Rule::type_alias => Decl::Type(TypeAlias {
                name: self.child_ident(&inner)?,
                ty: self.type_expr(&self.child(&inner, Rule::type_expr)?)?,
                span: self.span(&inner),
            }),
            Rule::enum_decl => Decl::Enum(self.enum_decl(&inner)?),
            Rule::namespace => {
                let mut decls = Vec::new();
                for p in inner.clone().into_inner() {
                    if p.as_rule() == Rule::decl {
                        decls.push(self.decl(&p)?);
                    }
                }
                Decl::Namespace(Namespace {
                    name: self.child_ident(&inner)?,
                    decls,
                    span: self.span(&inner),
                })
            }
            Rule::endpoint => Decl::Endpoint(self.endpoint(&inner)?),
            _ => return Err(self.malformed(&inner)),
        })
    }

    fn enum_decl(&self, pair: &Pair<'_, Rule>) -> Result<EnumDecl> {
        Ok(EnumDecl {
            name: self.child_ident(pair)?,
            variants: self.variants(pair)?,
            span: self.span(pair),
        })
    }

    /// The variants of an enum declaration or of an enum written in place.
    pub(super) fn variants(&self, pair: &Pair<'_, Rule>) -> Result<Vec<Variant>> {
        let mut variants = Vec::new();
        for p in pair.clone().into_inner() {
            if p.as_rule() != Rule::variant {
                continue;
            }
            let fields = match p
                .clone()
                .into_inner()
                .find(|f| f.as_rule() == Rule::variant_fields)
            {
                Some(list) => Some(self.fields(&list)?),
                None => None,
            };
            variants.push(Variant {
                name: self.child_ident(&p)?,
                fields,
                span: self.span(&p),
            });
        }
        Ok(variants)
    }

    /// The `field` children of a list (variant fields, parameters).
    fn fields(&self, pair: &Pair<'_, Rule>) -> Result<Vec<Field>> {
        pair.clone()
            .into_inner()
            .filter(|p| p.as_rule() == Rule::field)
            .map(|p| self.field(&p))
            .collect()
    }

    pub(super) fn field(&self, pair: &Pair<'_, Rule>) -> Result<Field> {
        Ok(Field {
            name: self.ident(&self.child(pair, Rule::member)?),
            ty: self.type_expr(&self.child(pair, Rule::type_expr)?)?,
            span: self.span(pair),
        })
    }

    fn endpoint(&self, pair: &Pair<'_, Rule>) -> Result<Endpoint> {
        let mut attrs = Vec::new();
        for p in pair.clone().into_inner() {
            if p.as_rule() == Rule::attribute {
                attrs.push(self.attribute(&p)?);
            }
        }
        let transport = self.child(pair, Rule::transport)?;
        let call = self.child(pair, Rule::call)?;
        let route = self.child(pair, Rule::route)?;
        let params = self.child(pair, Rule::params)?;
        let returns = match pair
            .clone()
            .into_inner()
            .find(|p| p.as_rule() == Rule::returns)
        {
            Some(r) => Some(self.returns(&r)?),
            None => None,
        };
        Ok(Endpoint {
            attrs,
            transport: match self.only(&transport)?.as_rule() {
                Rule::kw_remote => Transport::Remote,
                _ => Transport::Bindable,
            },
            call: match self.only(&call)?.as_rule() {
                Rule::kw_event => Call::Event,
                _ => Call::Function,
            },
            keyword_span: self.span(&transport).to(self.span(&call)),
            name: self.child_ident(pair)?,
            route: self.route(&route)?,
            route_span: self.span(&route),
            params: self.fields(&params)?,
            params_span: self.span(&params),
            returns,
            span: self.span(pair),
        })
    }

    fn route(&self, pair: &Pair<'_, Rule>) -> Result<Route> {
        let parts: Vec<Rule> = pair.clone().into_inner().map(|p| p.as_rule()).collect();
        Ok(match parts.as_slice() {
            [Rule::kw_client] => Route::Client,
            [Rule::kw_server] => Route::Server,
            [Rule::kw_client, Rule::route_arrow, Rule::kw_server] => Route::ClientToServer,
            [Rule::kw_server, Rule::route_arrow, Rule::kw_client] => Route::ServerToClient,
            [_, Rule::both_arrow, _] => Route::Both,
            _ => return Err(self.malformed(pair)),
        })
    }

    fn attribute(&self, pair: &Pair<'_, Rule>) -> Result<Attribute> {
        let mut args = Vec::new();
        let mut args_span = None;
        if let Some(list) = pair
            .clone()
            .into_inner()
            .find(|p| p.as_rule() == Rule::attr_args)
        {
            args_span = Some(self.span(&list));
            for arg in list.into_inner().filter(|p| p.as_rule() == Rule::attr_arg) {
                args.push(self.attr_arg(&arg)?);
            }
        }
        Ok(Attribute {
            name: self.child_ident(pair)?,
            args,
            args_span,
            span: self.span(pair),
        })
    }

    fn attr_arg(&self, pair: &Pair<'_, Rule>) -> Result<AttrArg> {
        let inner = self.only(pair)?;
        let kind = match inner.as_rule() {
            Rule::rate => self.rate(&inner)?,
            Rule::duration => self.duration(&inner)?,
            Rule::burst => AttrArgKind::Burst(self.number(&self.child(&inner, Rule::number)?)?),
            Rule::number => AttrArgKind::Number(self.number(&inner)?),
            Rule::string => AttrArgKind::String(unescape(inner.as_str())),
            Rule::word => AttrArgKind::Word(inner.as_str().to_string()),
            _ => return Err(self.malformed(&inner)),
        };
        Ok(AttrArg {
            kind,
            span: self.span(pair),
        })
    }

    /// `20/s`, `600/min`.
    pub(super) fn rate(&self, pair: &Pair<'_, Rule>) -> Result<AttrArgKind> {
        Ok(AttrArgKind::Rate {
            count: self.number(&self.child(pair, Rule::number)?)?,
            per: match self.child(pair, Rule::rate_unit)?.as_str() {
                "min" => RateUnit::Minute,
                _ => RateUnit::Second,
            },
        })
    }

    /// `5s`, `250ms`, `2min`, as milliseconds.
    pub(super) fn duration(&self, pair: &Pair<'_, Rule>) -> Result<AttrArgKind> {
        let text = pair.as_str();
        let (digits, factor) = if let Some(n) = text.strip_suffix("ms") {
            (n, 1.0)
        } else if let Some(n) = text.strip_suffix("min") {
            (n, 60_000.0)
        } else if let Some(n) = text.strip_suffix('s') {
            (n, 1_000.0)
        } else {
            return Err(self.malformed(pair));
        };
        let value: f64 = digits.parse().map_err(|_| self.malformed(pair))?;
        Ok(AttrArgKind::Duration(value * factor))
    }

    pub(super) fn number(&self, pair: &Pair<'_, Rule>) -> Result<NumberLit> {
        let text = pair.as_str();
        Ok(NumberLit {
            text: text.to_string(),
            value: text.parse().map_err(|_| self.malformed(pair))?,
            is_integer: !text.contains('.'),
            span: self.span(pair),
        })
    }
}

/// The text of a string literal without its quotes, escapes resolved.
pub(super) fn unescape(literal: &str) -> String {
    let body = literal
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(literal);
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}
