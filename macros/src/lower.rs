//! The Rust front end: lowers Rust items into the compiler's syntax tree,
//! which the compiler then resolves and checks exactly as it does a parsed
//! `.tether` file. Each Rust type maps to the schema type its documented
//! behaviour matches (see `docs/macros.md`); a type with no counterpart is an
//! error that names it.

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Fields, GenericArgument, PathArguments, Type};
use tether_compiler::gen::rust::names::{pascal_case, snake_case};
use tether_compiler::ir::Datatype;
use tether_compiler::syntax::ast;

use crate::attrs::{self, Case, FieldAttrs};
use crate::fragments;
use crate::spans::Spans;

pub struct Lowerer<'a> {
    pub spans: &'a mut Spans,
    pub errors: &'a mut Vec<syn::Error>,
    /// The types declared in the items being lowered, by the module (Rust
    /// names, from the protocol's root) that declares them: named as
    /// themselves and resolved by the compiler. Any other path is an extern
    /// type.
    pub modules: HashMap<Vec<String>, HashSet<String>>,
    /// The module being lowered.
    pub current: Vec<String>,
}

/// Wrappers whose identity a copy cannot keep.
const SHARED: &[&str] = &["Rc", "Arc", "Weak", "Cell", "RefCell", "Mutex", "RwLock"];

impl Lowerer<'_> {
    /// The schema path of a Rust path to a type declared in the items, as
    /// the resolver looks names up: in the current module, then outwards.
    /// `shop::Offer` is `Shop.Offer`.
    fn local_path(&self, path: &syn::Path) -> Option<Vec<String>> {
        if path.leading_colon.is_some() {
            return None;
        }
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let (name, modules) = segments.split_last()?;
        (0..=self.current.len()).rev().find_map(|depth| {
            let mut module = self.current[..depth].to_vec();
            module.extend(modules.iter().cloned());
            let declared = self.modules.get(&module)?.contains(name);
            declared.then(|| {
                modules
                    .iter()
                    .map(|m| pascal_case(m))
                    .chain(std::iter::once(name.clone()))
                    .collect()
            })
        })
    }

    fn span(&mut self, span: Span) -> tether_compiler::diag::Span {
        self.spans.add(span)
    }

    fn ident(&mut self, name: impl Into<String>, span: Span) -> ast::Ident {
        ast::Ident {
            name: name.into(),
            span: self.span(span),
        }
    }

    fn expr(&mut self, kind: ast::TypeExprKind, span: Span) -> ast::TypeExpr {
        ast::TypeExpr {
            kind,
            span: self.span(span),
        }
    }

    /// `{[key]: value}`: a map's table, or a set's with `value` `true`.
    fn indexer(&mut self, key: ast::TypeExpr, value: ast::TypeExpr, span: Span) -> ast::TypeExpr {
        let entry_span = self.span(span);
        self.expr(
            ast::TypeExprKind::Table(vec![ast::TableEntry::Indexer {
                key,
                value,
                span: entry_span,
            }]),
            span,
        )
    }

    fn path(&mut self, name: &str, span: Span) -> ast::TypeExpr {
        let ident = self.ident(name, span);
        self.expr(ast::TypeExprKind::Path(vec![ident]), span)
    }

    fn unsupported(&mut self, ty: &Type, why: &str) -> ast::TypeExpr {
        let shown = show(ty);
        self.errors.push(syn::Error::new(
            ty.span(),
            format!("tether: `{shown}` has no Tether type: {why}"),
        ));
        self.expr(ast::TypeExprKind::Any, ty.span())
    }

    /// The schema type of a Rust type.
    pub fn ty(&mut self, ty: &Type) -> ast::TypeExpr {
        let span = ty.span();
        match ty {
            Type::Paren(inner) => self.ty(&inner.elem),
            Type::Group(inner) => self.ty(&inner.elem),
            Type::Reference(reference) => {
                let inner = self.ty(&reference.elem);
                self.shared(inner, "&", span)
            }
            Type::BareFn(function) => {
                let params = function
                    .inputs
                    .iter()
                    .map(|arg| {
                        let ty = self.ty(&arg.ty);
                        let name = arg
                            .name
                            .as_ref()
                            .map(|(name, _)| self.ident(name.to_string(), name.span()));
                        ast::FunctionParam {
                            name,
                            ty,
                            span: self.span(arg.span()),
                        }
                    })
                    .collect();
                let returns = self.fn_returns(&function.output, span);
                self.expr(ast::TypeExprKind::Function { params, returns }, span)
            }
            Type::TraitObject(object) => self.trait_object(&object.bounds, ty),
            Type::ImplTrait(object) => self.trait_object(&object.bounds, ty),
            Type::Path(path) if path.qself.is_none() => self.path_type(&path.path, ty),
            Type::Tuple(tuple) if tuple.elems.is_empty() => self.unsupported(
                ty,
                "`()` is no value; leave the field out, or use `Option<T>`",
            ),
            Type::Tuple(_) => self.unsupported(
                ty,
                "Luau has no tuples; use a struct, whose fields are named on the wire",
            ),
            Type::Array(_) => self.unsupported(
                ty,
                "use `Vec<T>` with `#[tether(len = \"N\")]` for a fixed length",
            ),
            Type::Slice(_) => self.unsupported(ty, "use `Vec<T>`, which the receiver owns"),
            _ => self.unsupported(ty, "Tether knows numbers, strings, collections, Roblox datatypes and the types declared with it"),
        }
    }

    fn shared(&mut self, inner: ast::TypeExpr, wrapper: &str, span: Span) -> ast::TypeExpr {
        self.expr(
            ast::TypeExprKind::Shared {
                inner: Box::new(inner),
                wrapper: wrapper.to_string(),
            },
            span,
        )
    }

    /// `dyn Fn(A) -> R` is a function value; any other trait object is
    /// behaviour that a copy of the data loses, as a metatable is.
    fn trait_object(
        &mut self,
        bounds: &syn::punctuated::Punctuated<syn::TypeParamBound, syn::Token![+]>,
        ty: &Type,
    ) -> ast::TypeExpr {
        let span = ty.span();
        let function = bounds.iter().find_map(|bound| match bound {
            syn::TypeParamBound::Trait(t) => {
                let last = t.path.segments.last()?;
                let fn_trait = ["Fn", "FnMut", "FnOnce"].contains(&last.ident.to_string().as_str());
                match (&last.arguments, fn_trait) {
                    (PathArguments::Parenthesized(args), true) => Some(args.clone()),
                    _ => None,
                }
            }
            _ => None,
        });
        match function {
            Some(args) => {
                let params = args
                    .inputs
                    .iter()
                    .map(|input| {
                        let ty = self.ty(input);
                        ast::FunctionParam {
                            name: None,
                            ty,
                            span: self.span(input.span()),
                        }
                    })
                    .collect();
                let returns = self.fn_returns(&args.output, span);
                self.expr(ast::TypeExprKind::Function { params, returns }, span)
            }
            None => {
                // `setmetatable<{}, {}>`: data whose methods do not travel.
                let table = self.expr(ast::TypeExprKind::Table(Vec::new()), span);
                let meta = self.expr(ast::TypeExprKind::Table(Vec::new()), span);
                self.expr(
                    ast::TypeExprKind::Metatable {
                        table: Box::new(table),
                        meta: Box::new(meta),
                    },
                    span,
                )
            }
        }
    }

    fn fn_returns(&mut self, output: &syn::ReturnType, span: Span) -> ast::Returns {
        match output {
            syn::ReturnType::Default => ast::Returns {
                types: Vec::new(),
                parenthesized: true,
                span: self.span(span),
            },
            syn::ReturnType::Type(_, ty) => self.returns(ty),
        }
    }

    /// `-> T`, `-> (T, U)` or `-> ()`.
    pub fn returns(&mut self, ty: &Type) -> ast::Returns {
        match ty {
            Type::Tuple(tuple) => ast::Returns {
                types: tuple.elems.iter().map(|t| self.ty(t)).collect(),
                parenthesized: true,
                span: self.span(ty.span()),
            },
            other => ast::Returns {
                types: vec![self.ty(other)],
                parenthesized: false,
                span: self.span(ty.span()),
            },
        }
    }

    fn path_type(&mut self, path: &syn::Path, ty: &Type) -> ast::TypeExpr {
        let span = ty.span();
        let Some(last) = path.segments.last() else {
            return self.unsupported(ty, "an empty path");
        };
        let name = last.ident.to_string();
        let generics: Vec<&Type> = match &last.arguments {
            PathArguments::AngleBracketed(args) => args
                .args
                .iter()
                .filter_map(|a| match a {
                    GenericArgument::Type(t) => Some(t),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        let one = |this: &mut Self| match generics.as_slice() {
            [inner] => Some(*inner),
            _ => {
                this.unsupported(ty, "expected one type argument");
                None
            }
        };
        match name.as_str() {
            // A type declared alongside shadows the prelude's and Tether's
            // names, as in Rust: a protocol's own `Value` is not `any`.
            _ if generics.is_empty() && self.local_path(path).is_some() => {
                let names = self.local_path(path).unwrap_or_default();
                let idents = names.into_iter().map(|n| self.ident(n, span)).collect();
                self.expr(ast::TypeExprKind::Path(idents), span)
            }
            "bool" => self.path("boolean", span),
            "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "f32" => {
                self.path(&name, span)
            }
            // Luau's number is a double: `f64` is `number`.
            "f64" => self.path("number", span),
            "String" => self.path("string", span),
            "Value" => self.expr(ast::TypeExprKind::Any, span),
            "Option" => match one(self) {
                Some(inner) => {
                    let inner = self.ty(inner);
                    self.expr(ast::TypeExprKind::Optional(Box::new(inner)), span)
                }
                None => self.expr(ast::TypeExprKind::Any, span),
            },
            "Vec" => match one(self) {
                Some(elem) => {
                    let elem = self.ty(elem);
                    self.expr(
                        ast::TypeExprKind::Table(vec![ast::TableEntry::Positional(elem)]),
                        span,
                    )
                }
                None => self.expr(ast::TypeExprKind::Any, span),
            },
            "HashSet" => match generics.as_slice() {
                [elem] => {
                    let key = self.ty(elem);
                    let value = self.expr(ast::TypeExprKind::True, span);
                    self.indexer(key, value, span)
                }
                _ => self.unsupported(ty, "expected `HashSet<T>`"),
            },
            "HashMap" => match generics.as_slice() {
                [key, value] => {
                    let (key, value) = (self.ty(key), self.ty(value));
                    self.indexer(key, value, span)
                }
                _ => self.unsupported(ty, "expected `HashMap<K, V>`"),
            },
            "BTreeMap" | "BTreeSet" | "VecDeque" => self.unsupported(
                ty,
                "Tether's maps are `HashMap<K, V>`, its sets `HashSet<T>` and its arrays `Vec<T>`",
            ),
            "Box" => match one(self) {
                // The generator boxes what recursion needs; the type is the inner one.
                Some(inner) => self.ty(inner),
                None => self.expr(ast::TypeExprKind::Any, span),
            },
            wrapper if SHARED.contains(&wrapper) => match one(self) {
                Some(inner) if matches!(inner, Type::TraitObject(_)) && wrapper == "Arc" => {
                    // `Arc<dyn Fn(..) + Send + Sync>` is how functions travel in bindables.
                    self.ty(inner)
                }
                Some(inner) => {
                    let inner = self.ty(inner);
                    self.shared(inner, wrapper, span)
                }
                None => self.expr(ast::TypeExprKind::Any, span),
            },
            "Ref" => self.unsupported(
                ty,
                "instances are declared in `.tether` schemas (`tether::include_schema!`); \
                 the macros do not know Roblox classes",
            ),
            other if Datatype::from_name(other).is_some() => self.path(other, span),
            _ => {
                if !generics.is_empty() {
                    return self.unsupported(ty, "generic types cannot be declared for the wire");
                }
                let written = path.to_token_stream().to_string().replace(' ', "");
                self.expr(ast::TypeExprKind::Extern(written), span)
            }
        }
    }

    /// The type of a field or parameter with its `#[tether(..)]`
    /// refinements applied: `range` and `nonfinite` to the number (inside
    /// any `Option`), `len` to the string, buffer, array or map.
    pub fn field_ty(&mut self, ty: &Type, attrs: &FieldAttrs) -> ast::TypeExpr {
        let bytes = match (attrs.buffer, attrs.binary) {
            (true, true) => {
                self.errors.push(syn::Error::new(
                    ty.span(),
                    "tether: a field is a `buffer` or `binary`, not both",
                ));
                None
            }
            (true, false) => Some("buffer"),
            (false, true) => Some("binary"),
            (false, false) => None,
        };
        let mut lowered = match (bytes, vec_of_u8(ty)) {
            (Some(kind), true) => self.path(kind, ty.span()),
            (Some(kind), false) => {
                self.errors.push(syn::Error::new(
                    ty.span(),
                    format!("tether: `{kind}` is for a `Vec<u8>`"),
                ));
                self.ty(ty)
            }
            (None, _) => self.ty(ty),
        };
        let mut refinements = Vec::new();
        if let Some(range) = &attrs.range {
            refinements.push(fragments::refinement(range, self.spans));
        }
        if let Some(len) = &attrs.len {
            refinements.push(fragments::refinement(len, self.spans));
        }
        if let Some(max) = &attrs.max_len {
            refinements.push(fragments::max_len(max, self.spans));
        }
        if let Some(span) = attrs.nonfinite {
            refinements.push(Ok(ast::Refinement {
                kind: ast::RefinementKind::NonFinite,
                span: self.span(span),
            }));
        }
        for refinement in refinements {
            match refinement {
                Ok(refinement) => lowered = refine(lowered, refinement),
                Err(error) => self.errors.push(error),
            }
        }
        lowered
    }

    /// A struct as a record: `type Name = { Field: T, .. }`.
    pub fn record(&mut self, item: &syn::ItemStruct) -> Option<ast::Decl> {
        self.no_generics(&item.generics)?;
        let type_attrs = attrs::type_attrs(&item.attrs, self.errors);
        let Fields::Named(named) = &item.fields else {
            self.errors.push(syn::Error::new(
                item.ident.span(),
                "tether: a record has named fields; Luau tables name what they hold",
            ));
            return None;
        };
        let fields = self.fields(named, type_attrs.rename_all);
        let span = item.span();
        let ty = self.expr(
            ast::TypeExprKind::Table(fields.into_iter().map(ast::TableEntry::Field).collect()),
            span,
        );
        Some(ast::Decl::Type(ast::TypeAlias {
            name: self.ident(item.ident.to_string(), item.ident.span()),
            ty,
            span: self.span(span),
        }))
    }

    fn fields(&mut self, named: &syn::FieldsNamed, case: Option<Case>) -> Vec<ast::Field> {
        named
            .named
            .iter()
            .filter_map(|field| {
                let rust = field.ident.as_ref()?;
                let attrs = attrs::field_attrs(&field.attrs, self.errors);
                let name = self.declared_name(rust, &attrs, case)?;
                let ty = self.field_ty(&field.ty, &attrs);
                Some(ast::Field {
                    name,
                    ty,
                    span: self.span(field.span()),
                })
            })
            .collect()
    }

    /// The declared name of a field or parameter: `name = ".."`, or the Rust
    /// name in `rename_all`'s case, or the Rust name. The generated code
    /// names it in snake_case, which must give the Rust name back.
    fn declared_name(
        &mut self,
        rust: &syn::Ident,
        attrs: &FieldAttrs,
        case: Option<Case>,
    ) -> Option<ast::Ident> {
        let rust_name = rust.to_string();
        let rust_name = rust_name
            .strip_prefix("r#")
            .unwrap_or(&rust_name)
            .to_string();
        let (declared, span) = match (&attrs.name, case) {
            (Some(name), _) => (name.value(), name.span()),
            (None, Some(case)) => (case.apply(&rust_name), rust.span()),
            (None, None) => (rust_name.clone(), rust.span()),
        };
        if snake_case(&declared) != rust_name {
            self.errors.push(syn::Error::new(
                span,
                format!(
                    "tether: the declared name `{declared}` is `{}` in Rust, not `{rust_name}`; \
                     rename the field or the declared name",
                    snake_case(&declared)
                ),
            ));
            return None;
        }
        Some(self.ident(declared, span))
    }

    /// An enum: unit variants and variants with named fields.
    pub fn enumeration(&mut self, item: &syn::ItemEnum) -> Option<ast::Decl> {
        self.no_generics(&item.generics)?;
        let type_attrs = attrs::type_attrs(&item.attrs, self.errors);
        let variants = item
            .variants
            .iter()
            .filter_map(|variant| {
                let fields = match &variant.fields {
                    Fields::Unit => None,
                    Fields::Named(named) => Some(self.fields(named, type_attrs.rename_all)),
                    Fields::Unnamed(_) => {
                        self.errors.push(syn::Error::new(
                            variant.span(),
                            "tether: a variant's fields are named, as a record's are",
                        ));
                        return None;
                    }
                };
                if let Some((_, discriminant)) = &variant.discriminant {
                    self.errors.push(syn::Error::new(
                        discriminant.span(),
                        "tether: variants are numbered by their order; remove the discriminant",
                    ));
                }
                Some(ast::Variant {
                    name: self.ident(variant.ident.to_string(), variant.ident.span()),
                    fields,
                    span: self.span(variant.span()),
                })
            })
            .collect();
        Some(ast::Decl::Enum(ast::EnumDecl {
            name: self.ident(item.ident.to_string(), item.ident.span()),
            variants,
            span: self.span(item.span()),
        }))
    }

    fn no_generics(&mut self, generics: &syn::Generics) -> Option<()> {
        match generics.params.is_empty() {
            true => Some(()),
            false => {
                self.errors.push(syn::Error::new(
                    generics.span(),
                    "tether: a type declared for the wire has no generic parameters",
                ));
                None
            }
        }
    }

    /// A function declaration (`fn chat(message: String);`) as an endpoint.
    pub fn endpoint(
        &mut self,
        function: &syn::TraitItemFn,
        kind: &attrs::EndpointKind,
    ) -> Option<ast::Decl> {
        let sig = &function.sig;
        let tether = attrs::endpoint_attrs(&function.attrs, self.spans, self.errors);
        let rust_name = sig.ident.to_string();
        let (declared, name_span) = match &tether.name {
            Some(name) => (name.value(), name.span()),
            None => (pascal_case(&rust_name), sig.ident.span()),
        };
        if snake_case(&declared) != rust_name {
            self.errors.push(syn::Error::new(
                name_span,
                format!(
                    "tether: the declared name `{declared}` is `{}()` in Rust, not `{rust_name}()`",
                    snake_case(&declared)
                ),
            ));
        }
        let params = sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                syn::FnArg::Typed(typed) => {
                    let syn::Pat::Ident(pat) = typed.pat.as_ref() else {
                        self.errors.push(syn::Error::new(
                            typed.pat.span(),
                            "tether: a parameter is a name and a type",
                        ));
                        return None;
                    };
                    let attrs = attrs::field_attrs(&typed.attrs, self.errors);
                    let name = self.declared_name(&pat.ident, &attrs, None)?;
                    let ty = self.field_ty(&typed.ty, &attrs);
                    Some(ast::Field {
                        name,
                        ty,
                        span: self.span(typed.span()),
                    })
                }
                syn::FnArg::Receiver(receiver) => {
                    self.errors.push(syn::Error::new(
                        receiver.span(),
                        "tether: an endpoint takes no `self`",
                    ));
                    None
                }
            })
            .collect();
        let returns = match (&sig.output, kind.call) {
            (syn::ReturnType::Type(_, ty), _) => Some(self.returns(ty)),
            (syn::ReturnType::Default, ast::Call::Function) => Some(ast::Returns {
                types: Vec::new(),
                parenthesized: true,
                span: self.span(sig.span()),
            }),
            (syn::ReturnType::Default, ast::Call::Event) => None,
        };
        if let Some(body) = &function.default {
            self.errors.push(syn::Error::new(
                body.span(),
                "tether: an endpoint is declared without a body; the generated handles run it",
            ));
        }
        Some(ast::Decl::Endpoint(ast::Endpoint {
            attrs: tether.attrs,
            transport: kind.transport,
            call: kind.call,
            keyword_span: self.span(kind.span),
            name: self.ident(declared, name_span),
            route: kind.route,
            route_span: self.span(kind.route_span),
            params,
            params_span: self.span(sig.inputs.span()),
            returns,
            span: self.span(function.span()),
        }))
    }
}

/// Applies a refinement where it belongs: inside `Optional`s.
fn refine(ty: ast::TypeExpr, refinement: ast::Refinement) -> ast::TypeExpr {
    match ty.kind {
        ast::TypeExprKind::Optional(inner) => ast::TypeExpr {
            kind: ast::TypeExprKind::Optional(Box::new(refine(*inner, refinement))),
            span: ty.span,
        },
        kind => {
            let span = ty.span;
            ast::TypeExpr {
                kind: ast::TypeExprKind::Refined {
                    base: Box::new(ast::TypeExpr { kind, span }),
                    refinement,
                },
                span,
            }
        }
    }
}

fn vec_of_u8(ty: &Type) -> bool {
    let Type::Path(path) = ty else { return false };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    if last.ident != "Vec" {
        return false;
    }
    matches!(&last.arguments, PathArguments::AngleBracketed(args)
        if matches!(args.args.first(), Some(GenericArgument::Type(Type::Path(p))) if p.path.is_ident("u8")))
}

/// A Rust type as a person writes it: `HashMap<String, u32>`, not the
/// token stream's `HashMap < String , u32 >`.
pub fn show(ty: &Type) -> String {
    let mut out = String::new();
    for token in ty.to_token_stream().to_string().split(' ') {
        let glue = matches!(token, "<" | ">" | "::" | "," | "&" | ")" | "]")
            || out.ends_with(['<', ':', '&', '(', '['])
            || out.is_empty();
        if !glue {
            out.push(' ');
        }
        out.push_str(token);
    }
    out.replace(',', ", ")
        .replace("->", " -> ")
        .replace("  ", " ")
}
