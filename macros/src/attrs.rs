//! The attributes of the Rust front end: `#[tether(...)]` on types, fields,
//! params and endpoints, and `#[remote(...)]` / `#[bindable(...)]` on the
//! functions that declare endpoints.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::spanned::Spanned;
use syn::{Attribute, LitStr};
use tether_compiler::syntax::ast;

use crate::fragments;
use crate::spans::Spans;

/// `#[tether(...)]` on a struct or enum.
#[derive(Default)]
pub struct TypeAttrs {
    /// `rename_all = "PascalCase"`: how declared field names follow from
    /// the Rust ones.
    pub rename_all: Option<Case>,
}

/// `#[tether(...)]` on a field or parameter.
#[derive(Default)]
pub struct FieldAttrs {
    /// `name = "Health"`: the declared name, for the wire and for Luau.
    pub name: Option<LitStr>,
    /// `range = "1..100"` on a number.
    pub range: Option<LitStr>,
    /// `len = "1..32"` on a string, buffer, array or map.
    pub len: Option<LitStr>,
    /// `max_len = 64`: `len = "..64"`.
    pub max_len: Option<syn::Lit>,
    /// `nonfinite` on a float: NaN and the infinities are values.
    pub nonfinite: Option<Span>,
    /// `buffer` on a `Vec<u8>`: a Luau buffer rather than an array of u8.
    pub buffer: bool,
    /// `binary` on a `Vec<u8>`: a Luau string of any bytes.
    pub binary: bool,
}

#[derive(Clone, Copy)]
pub enum Case {
    Pascal,
    Camel,
    Snake,
}

impl Case {
    pub fn apply(self, rust: &str) -> String {
        use tether_compiler::gen::rust::names::{pascal_case, snake_case};
        match self {
            Case::Pascal => pascal_case(rust),
            Case::Camel => {
                let pascal = pascal_case(rust);
                let mut chars = pascal.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_lowercase().chain(chars).collect()
                })
            }
            Case::Snake => snake_case(rust),
        }
    }
}

fn is_tether(attr: &Attribute) -> bool {
    attr.path().is_ident("tether")
}

/// Removes the attributes the front end reads, so they do not reach rustc.
pub fn strip(attrs: &mut Vec<Attribute>) {
    attrs.retain(|a| {
        !is_tether(a) && !a.path().is_ident("remote") && !a.path().is_ident("bindable")
    });
}

pub fn type_attrs(attrs: &[Attribute], errors: &mut Vec<syn::Error>) -> TypeAttrs {
    let mut out = TypeAttrs::default();
    for attr in attrs.iter().filter(|a| is_tether(a)) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                let value: LitStr = meta.value()?.parse()?;
                out.rename_all = Some(match value.value().as_str() {
                    "PascalCase" => Case::Pascal,
                    "camelCase" => Case::Camel,
                    "snake_case" => Case::Snake,
                    _ => return Err(syn::Error::new(
                        value.span(),
                        "tether: `rename_all` is \"PascalCase\", \"camelCase\" or \"snake_case\"",
                    )),
                });
                Ok(())
            } else {
                Err(meta.error("tether: on a type, `#[tether(..)]` takes `rename_all = \"..\"`"))
            }
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    out
}

pub fn field_attrs(attrs: &[Attribute], errors: &mut Vec<syn::Error>) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| is_tether(a)) {
        let result = attr.parse_nested_meta(|meta| {
            let path = &meta.path;
            if path.is_ident("name") {
                out.name = Some(meta.value()?.parse()?);
            } else if path.is_ident("range") {
                out.range = Some(meta.value()?.parse()?);
            } else if path.is_ident("len") {
                out.len = Some(meta.value()?.parse()?);
            } else if path.is_ident("max_len") {
                out.max_len = Some(meta.value()?.parse()?);
            } else if path.is_ident("nonfinite") {
                out.nonfinite = Some(path.span());
            } else if path.is_ident("buffer") {
                out.buffer = true;
            } else if path.is_ident("binary") {
                out.binary = true;
            } else {
                return Err(meta.error(
                    "tether: a field takes `name`, `range`, `len`, `max_len`, `nonfinite`, `buffer` or `binary`",
                ));
            }
            Ok(())
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    out
}

/// What `#[remote(..)]` or `#[bindable(..)]` says of an endpoint.
pub struct EndpointKind {
    pub transport: ast::Transport,
    pub call: ast::Call,
    pub route: ast::Route,
    /// The attribute, for spans.
    pub span: Span,
    pub route_span: Span,
}

/// Reads `#[remote(event, client -> server)]` or `#[bindable(function,
/// server)]`; `None` when the item has neither.
pub fn endpoint_kind(attrs: &[Attribute], errors: &mut Vec<syn::Error>) -> Option<EndpointKind> {
    let attr = attrs
        .iter()
        .find(|a| a.path().is_ident("remote") || a.path().is_ident("bindable"))?;
    let transport = match attr.path().is_ident("remote") {
        true => ast::Transport::Remote,
        false => ast::Transport::Bindable,
    };
    let usage = match transport {
        ast::Transport::Remote => {
            "write `#[remote(event, client -> server)]`, `server -> client` or `client <-> server`, \
             with `event` or `function`"
        }
        ast::Transport::Bindable => {
            "write `#[bindable(event, server)]` or `client`, with `event` or `function`"
        }
    };
    // An error points at the part that is wrong, else at `remote` itself.
    let at = |part: Option<&[TokenTree]>| {
        part.and_then(<[TokenTree]>::first)
            .map_or_else(|| attr.path().span(), TokenTree::span)
    };
    let tokens = match &attr.meta {
        syn::Meta::List(list) => list.tokens.clone(),
        _ => {
            errors.push(syn::Error::new(at(None), format!("tether: {usage}")));
            return None;
        }
    };
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut parts = trees.split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','));
    let call = match parts.next() {
        Some([TokenTree::Ident(i)]) if i == "event" => ast::Call::Event,
        Some([TokenTree::Ident(i)]) if i == "function" => ast::Call::Function,
        part => {
            errors.push(syn::Error::new(at(part), format!("tether: {usage}")));
            return None;
        }
    };
    let route_tokens = parts.next().unwrap_or(&[]);
    let words: String = route_tokens.iter().map(|t| t.to_string()).collect();
    let route = match words.as_str() {
        "client->server" => ast::Route::ClientToServer,
        "server->client" => ast::Route::ServerToClient,
        "client<->server" => ast::Route::Both,
        "server" => ast::Route::Server,
        "client" => ast::Route::Client,
        _ => {
            errors.push(syn::Error::new(
                at(Some(route_tokens)),
                format!("tether: {usage}"),
            ));
            return None;
        }
    };
    if let Some(extra) = parts.next() {
        errors.push(syn::Error::new(at(Some(extra)), format!("tether: {usage}")));
        return None;
    }
    let route_span = route_tokens.first().map_or(attr.span(), TokenTree::span);
    Some(EndpointKind {
        transport,
        call,
        route,
        span: attr.span(),
        route_span,
    })
}

/// `#[tether(...)]` on an endpoint: its declared name, and the schema's
/// attributes written as they are in a schema, without the `@`
/// (`rate(5/s)`, `timeout(2s)`, `unreliable`, `allow(server-invokes-client)`).
pub struct EndpointAttrs {
    pub name: Option<LitStr>,
    pub attrs: Vec<ast::Attribute>,
}

pub fn endpoint_attrs(
    attrs: &[Attribute],
    spans: &mut Spans,
    errors: &mut Vec<syn::Error>,
) -> EndpointAttrs {
    let mut out = EndpointAttrs {
        name: None,
        attrs: Vec::new(),
    };
    for attr in attrs.iter().filter(|a| is_tether(a)) {
        let syn::Meta::List(list) = &attr.meta else {
            errors.push(syn::Error::new(
                attr.span(),
                "tether: write `#[tether(..)]`",
            ));
            continue;
        };
        let trees: Vec<TokenTree> = list.tokens.clone().into_iter().collect();
        for entry in trees.split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ',')) {
            match entry {
                [] => {}
                [TokenTree::Ident(key), TokenTree::Punct(eq), TokenTree::Literal(value)]
                    if key == "name" && eq.as_char() == '=' =>
                {
                    match syn::parse2::<LitStr>(TokenTree::Literal(value.clone()).into()) {
                        Ok(name) => out.name = Some(name),
                        Err(error) => errors.push(error),
                    }
                }
                [TokenTree::Ident(name), rest @ ..] => match schema_attribute(name, rest, spans) {
                    Ok(attribute) => out.attrs.push(attribute),
                    Err(error) => errors.push(error),
                },
                other => errors.push(syn::Error::new(
                    other.first().map_or(attr.span(), TokenTree::span),
                    "tether: expected an attribute such as `rate(5/s)` or `name = \"..\"`",
                )),
            }
        }
    }
    out
}

/// One schema attribute: `name` or `name(args)`.
fn schema_attribute(
    name: &proc_macro2::Ident,
    rest: &[TokenTree],
    spans: &mut Spans,
) -> syn::Result<ast::Attribute> {
    let name_span = spans.add(name.span());
    let ident = ast::Ident {
        name: name.to_string(),
        span: name_span,
    };
    let (args, args_span) = match rest {
        [] => (Vec::new(), None),
        [TokenTree::Group(group)] if group.delimiter() == Delimiter::Parenthesis => {
            let args_span = spans.add(group.span());
            (attribute_args(group.stream(), spans)?, Some(args_span))
        }
        _ => {
            return Err(syn::Error::new(
                name.span(),
                "tether: an attribute is a name, or a name and its arguments in parentheses",
            ))
        }
    };
    Ok(ast::Attribute {
        name: ident,
        args,
        args_span,
        span: name_span,
    })
}

/// The arguments of a schema attribute: numbers, durations (`2s`, `250ms`,
/// `1min`), rates (`5/s`, `600/min`), bursts (`burst 5`), strings and words
/// (`mixed-table`).
fn attribute_args(tokens: TokenStream, spans: &mut Spans) -> syn::Result<Vec<ast::AttrArg>> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut args = Vec::new();
    for part in trees.split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ',')) {
        let Some(first) = part.first() else { continue };
        let span = spans.add(first.span());
        let kind =
            match part {
                [TokenTree::Literal(count), TokenTree::Punct(slash), TokenTree::Ident(unit)]
                    if slash.as_char() == '/' =>
                {
                    fragments::rate(count, unit, span)?
                }
                [TokenTree::Literal(literal)] => literal_arg(literal, span)?,
                // `rate(20/s, burst 5)`.
                [TokenTree::Ident(burst), TokenTree::Literal(count)] if burst == "burst" => {
                    match fragments::number_or_duration(count, span)? {
                        ast::AttrArgKind::Number(n) => ast::AttrArgKind::Burst(n),
                        _ => {
                            return Err(syn::Error::new(
                                count.span(),
                                "tether: a burst is a count of messages, such as `burst 5`",
                            ))
                        }
                    }
                }
                words => {
                    let mut word = String::new();
                    for tree in words {
                        match tree {
                            TokenTree::Ident(i) => word.push_str(&i.to_string()),
                            TokenTree::Punct(p) if p.as_char() == '-' => word.push('-'),
                            other => return Err(syn::Error::new(
                                other.span(),
                                "tether: expected a number, a duration, a rate, a string or a word",
                            )),
                        }
                    }
                    ast::AttrArgKind::Word(word)
                }
            };
        args.push(ast::AttrArg { kind, span });
    }
    Ok(args)
}

/// A string, or a number or duration as the schema writes it.
fn literal_arg(
    literal: &proc_macro2::Literal,
    span: tether_compiler::diag::Span,
) -> syn::Result<ast::AttrArgKind> {
    let lit: syn::Lit = syn::parse2(TokenTree::Literal(literal.clone()).into())?;
    match &lit {
        syn::Lit::Str(s) => Ok(ast::AttrArgKind::String(s.value())),
        syn::Lit::Int(_) | syn::Lit::Float(_) => fragments::number_or_duration(literal, span),
        _ => Err(syn::Error::new(
            literal.span(),
            "tether: expected a number, a duration, a rate or a string",
        )),
    }
}
