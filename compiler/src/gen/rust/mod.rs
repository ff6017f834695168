//! The Rust generator: a checked schema in, one Rust source file out.
//!
//! The file holds, from the top: the declared types (one module per
//! namespace), the `PROTOCOL` table, `Server` and `Client` with their typed
//! handles (modules `server` and `client`), `ServerBindables` and
//! `ClientBindables`, and a hidden `__tether` module with a type per
//! message. Roblox enums and classes are the runtime's
//! (`::tether::roblox::{enums, classes}`), shipped once for every file. Every path into the
//! runtime or the standard library is absolute, so the file can be included
//! anywhere (`include!(concat!(env!("OUT_DIR"), "/game.rs"))`), and every
//! local the generated code makes starts with `__`, which no converted
//! schema name does.

mod bindables;
mod codec;
mod describe;
mod endpoints;
mod methods;
mod model;
pub mod names;
mod protocol;
mod roles;
mod rust_types;
mod types;

use crate::ir::{Schema, TyKind};
use model::Model;
use names::{ident, Scope};
use proc_macro2::{Ident, TokenStream};
use quote::quote;
use std::cell::RefCell;

pub use describe::describe;

/// How to generate: `RustOptions::default()` and the setters below.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct RustOptions {
    /// The protocol's name (`PROTOCOL.name`); by default the stem of the
    /// root file (`game` for `schemas/game.tether`).
    pub protocol_name: Option<String>,
    /// The source the header names; by default the root file's name.
    pub source: Option<String>,
    /// The name under which the generated code reaches the runtime:
    /// `tether` (the crate a game depends on) by default; `tether_runtime`
    /// for a crate that depends on the runtime alone.
    pub runtime_crate: Option<String>,
    /// The declared records and enums are Rust items the user wrote (the
    /// macros): their codecs are generated, their definitions are not.
    pub user_types: bool,
    /// Only the types and their codecs: no protocol, no `Server` or
    /// `Client` (`#[derive(Replicable)]`).
    pub types_only: bool,
    /// Formats the code for a person to read (`tether gen rust -o`, checked-in
    /// code). Off, each item is written on one line, which rustc reads as
    /// well and which costs a fraction of the time: the build script's
    /// default, since nobody reads `OUT_DIR`.
    pub format: bool,
}

impl RustOptions {
    /// Sets [`RustOptions::protocol_name`].
    pub fn protocol_name(mut self, name: impl Into<String>) -> Self {
        self.protocol_name = Some(name.into());
        self
    }

    /// Sets [`RustOptions::source`].
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Sets [`RustOptions::runtime_crate`].
    pub fn runtime_crate(mut self, name: impl Into<String>) -> Self {
        self.runtime_crate = Some(name.into());
        self
    }

    /// Sets [`RustOptions::user_types`].
    pub fn user_types(mut self, user_types: bool) -> Self {
        self.user_types = user_types;
        self
    }

    /// Sets [`RustOptions::types_only`].
    pub fn types_only(mut self, types_only: bool) -> Self {
        self.types_only = types_only;
        self
    }

    /// Sets [`RustOptions::format`].
    pub fn format(mut self, format: bool) -> Self {
        self.format = format;
        self
    }
}

/// Two schema names that would become one Rust name in one scope.
#[derive(Debug, thiserror::Error)]
#[error("{first} and {second} would both be `{rust}` in the generated Rust ({scope}); rename one")]
#[non_exhaustive]
pub struct NameCollision {
    /// Where both would live: a module, a record's fields, an enum's variants.
    pub scope: String,
    /// The first name, as the schema spells it, or the generated item that
    /// has the name.
    pub first: String,
    /// Where the first is written; `None` for a generated item.
    pub first_span: Option<crate::diag::Span>,
    /// The second.
    pub second: String,
    /// Where the second is written.
    pub second_span: crate::diag::Span,
    /// The Rust name both become.
    pub rust: String,
}

/// Why a checked schema could not be turned into Rust.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenError {
    /// Two schema names that become one Rust name in one scope.
    #[error(transparent)]
    Collision(Box<NameCollision>),
    /// A form the checker rejects reached the generator.
    #[error("cannot generate Rust for {what} in `{origin}`: the checker rejects it")]
    Unsupported {
        /// The form, in words.
        what: String,
        /// The declaration it is in.
        origin: String,
    },
    /// More messages one way than a message id can number.
    #[error(transparent)]
    TooManyMessages(#[from] crate::ir::TooManyMessages),
    /// The generated code does not parse: a bug in the generator.
    #[error("the generated code does not parse (a bug in the generator): {0}")]
    Syntax(#[from] syn::Error),
}

/// Generates the Rust module for `schema`, which must have passed the checker.
pub fn generate(schema: &Schema, options: &RustOptions) -> Result<String, GenError> {
    let source = crate::gen::source_name(schema, options.source.as_deref());
    let code = match options.format {
        true => space_items(&prettyplease::unparse(&generate_file(schema, options)?)),
        false => text(schema, options)?,
    };
    Ok(format!(
        "// @generated by tether {} from {source}. Do not edit.\n\n{code}",
        env!("CARGO_PKG_VERSION"),
    ))
}

/// A blank line between items, which prettyplease does not put: before a
/// line that starts an item (`///`, `#[`, `pub `, `impl `, `mod `) right
/// after one that ended an item at the same indentation.
fn space_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    let mut previous: Option<&str> = None;
    for line in code.lines() {
        if let Some(prev) = previous {
            let indent = |l: &str| l.len() - l.trim_start().len();
            let ended = matches!(prev.trim(), "}" | "};") || prev.trim_end().ends_with(';');
            let trimmed = line.trim_start();
            let starts = [
                "///", "#[", "pub ", "impl ", "impl<", "mod ", "static ", "fn ",
            ]
            .iter()
            .any(|p| trimmed.starts_with(p));
            if ended && starts && indent(prev) == indent(line) {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

/// The generated code as tokens, before formatting (the macros use this),
/// with paths into the runtime under [`RustOptions::runtime_crate`].
pub fn generate_tokens(schema: &Schema, options: &RustOptions) -> Result<TokenStream, GenError> {
    Ok(syn::parse_str(&text(schema, options)?)?)
}

/// The runtime crate the generator names in its paths.
const RUNTIME_CRATE: &str = "tether";

/// The generated code as a syntax tree.
pub fn generate_file(schema: &Schema, options: &RustOptions) -> Result<syn::File, GenError> {
    Ok(syn::parse_str(&text(schema, options)?)?)
}

/// The generated code unformatted, an item a line, with paths into the
/// runtime under [`RustOptions::runtime_crate`]. Every top-level item but
/// trait impls carries `#[allow(dead_code)]`: a game uses some remotes from
/// each side, and a binary crate would otherwise be told about every handle
/// it does not call.
///
/// Each item is built as tokens and written out at once, so the tokens of
/// only one item are alive at a time.
fn text(schema: &Schema, options: &RustOptions) -> Result<String, GenError> {
    let text = raw_text(schema, options)?;
    Ok(match &options.runtime_crate {
        Some(name) if name != RUNTIME_CRATE => {
            let name = syn::parse_str::<Ident>(name)?;
            rename_crate(&text, RUNTIME_CRATE, &name.to_string())
        }
        _ => text,
    })
}

/// Replaces the crate of every absolute path `::from::..` with `to`: in
/// code, as tokens print (`:: from ::`), and in doc links (`::from::`).
fn rename_crate(text: &str, from: &str, to: &str) -> String {
    text.replace(&format!(":: {from} ::"), &format!(":: {to} ::"))
        .replace(&format!("::{from}::"), &format!("::{to}::"))
}

fn raw_text(schema: &Schema, options: &RustOptions) -> Result<String, GenError> {
    let gen = Gen {
        model: Model::new(schema)?,
        schema,
        user_types: options.user_types,
        collisions: None,
    };
    let mut root = ModTree::default();
    gen.check_names(!options.types_only)?;
    gen.types(&mut root)?;
    if options.types_only {
        return Ok(root.into_text());
    }
    let messages = crate::ir::messages::Messages::new(schema)?;
    let name = options
        .protocol_name
        .clone()
        .unwrap_or_else(|| crate::ir::messages::default_name(schema));
    gen.protocol(&mut root, &messages, &name)?;
    gen.endpoints(&mut root, &messages)?;
    Ok(root.into_text())
}

/// Every pair of schema names that would meet as one Rust name, all of them
/// (generating stops at the first), each as a [`GenError::Collision`]: what
/// `tether check` reports as `name-collision`. Walks the schema as
/// generating does, claiming every name, without writing any code.
pub(crate) fn name_collisions(schema: &Schema) -> Vec<GenError> {
    let gen = Gen {
        model: Model::names(schema),
        schema,
        user_types: false,
        collisions: Some(RefCell::new(Vec::new())),
    };
    let mut root = ModTree::discarding();
    // Errors other than collisions stop a part of the walk; they are the
    // checker's to report.
    let _ = gen.check_names(true);
    let _ = gen.types(&mut root);
    if let Ok(messages) = crate::ir::messages::Messages::new(schema) {
        let _ = gen.endpoints(&mut root, &messages);
    }
    gen.collisions.map(RefCell::into_inner).unwrap_or_default()
}

/// Names the generator puts at the root of the file.
const ROOT_TYPES: &[&str] = &[
    "Server",
    "Client",
    "ServerBindables",
    "ClientBindables",
    "PROTOCOL",
];
const ROOT_MODULES: &[&str] = &["server", "client", "__tether"];

pub(crate) struct Gen<'s> {
    model: Model<'s>,
    schema: &'s Schema,
    /// See [`RustOptions::user_types`].
    user_types: bool,
    /// Where a run that looks only for colliding names puts them, going
    /// on after each ([`name_collisions`]); `None` when generating, which
    /// stops at the first.
    collisions: Option<RefCell<Vec<GenError>>>,
}

impl Gen<'_> {
    /// Takes a Rust name in `scope` for the schema name written at `span`.
    fn claim(
        &self,
        scope: &mut Scope,
        rust: &str,
        schema: &str,
        span: crate::diag::Span,
    ) -> Result<(), GenError> {
        match (scope.claim(rust, schema, span), &self.collisions) {
            (Err(collision), Some(found)) => {
                found.borrow_mut().push(collision);
                Ok(())
            }
            (result, _) => result,
        }
    }

    /// Whether this run only looks for colliding names: code that claims
    /// no names is skipped.
    fn naming_only(&self) -> bool {
        self.collisions.is_some()
    }

    /// Two schema names must not meet as one Rust name, and declared names
    /// must leave room for what the generator puts at the root.
    fn check_names(&self, with_root_items: bool) -> Result<(), GenError> {
        use std::collections::BTreeMap;
        let mut types: BTreeMap<&[String], Scope> = BTreeMap::new();
        for item in &self.model.items {
            let scope = types.entry(&item.module).or_insert_with(|| {
                let scope = Scope::new(format!("types in {}", module_name(&item.module)));
                match item.module.is_empty() {
                    true if with_root_items => scope.reserve(ROOT_TYPES),
                    true => scope,
                    false => scope,
                }
            });
            self.claim(scope, &item.name, &item.origin, item.span)?;
        }
        // Namespaces, by the namespace they sit in.
        // A namespace is written where its first member's name is.
        let mut namespaces: BTreeMap<Vec<String>, Vec<(String, crate::diag::Span)>> =
            BTreeMap::new();
        let names = (self.schema.decls.iter().map(|d| (&d.name, d.name_span)))
            .chain(self.schema.endpoints.iter().map(|e| (&e.name, e.name_span)));
        for (name, span) in names {
            let namespace = name.namespace();
            for depth in 0..namespace.len() {
                let children = namespaces.entry(namespace[..depth].to_vec()).or_default();
                if !children.iter().any(|(child, _)| *child == namespace[depth]) {
                    children.push((namespace[depth].clone(), span));
                }
            }
        }
        for (parent, children) in namespaces {
            let where_ = module_name(&model::module_of(&parent));
            let mut scope = Scope::new(format!("modules in {where_}"));
            if parent.is_empty() && with_root_items {
                scope = scope.reserve(ROOT_MODULES);
            }
            for (child, span) in children {
                self.claim(&mut scope, &names::snake_case(&child), &child, span)?;
            }
        }
        Ok(())
    }

    /// A path from module `from` to the item `name` in module `to`.
    fn path(&self, from: &[String], to: &[String], name: &Ident) -> TokenStream {
        let prefix = self.module_prefix(from, to);
        quote!(#prefix #name)
    }

    /// `super::..::down::` from module `from` to module `to`.
    fn module_prefix(&self, from: &[String], to: &[String]) -> TokenStream {
        let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
        let supers = (common..from.len()).map(|_| quote!(super::));
        let down = to[common..].iter().map(|m| {
            let m = ident(m);
            quote!(#m::)
        });
        quote!(#(#supers)* #(#down)*)
    }

    /// The path to the Rust type of an item.
    fn item_path(&self, from: &[String], item: usize) -> TokenStream {
        let item = &self.model.items[item];
        self.path(from, &item.module, &ident(&item.name))
    }

    fn unsupported(&self, ty: &crate::ir::Ty, origin: &str) -> GenError {
        let what = match &ty.kind {
            TyKind::MixedTable { .. } => "a mixed table".to_string(),
            TyKind::Error => "an unresolved type".to_string(),
            TyKind::Function { .. } => "a function value sent over the network".to_string(),
            _ => format!("`{}`", describe(self.schema, ty)),
        };
        GenError::Unsupported {
            what,
            origin: origin.to_string(),
        }
    }
}

/// `the root module` or `module a::b`, for messages.
fn module_name(module: &[String]) -> String {
    match module.is_empty() {
        true => "the root module".to_string(),
        false => format!("module `{}`", module.join("::")),
    }
}

/// Generated items, by module.
#[derive(Default)]
pub(crate) struct ModTree {
    /// The items, each written out as it was pushed.
    items: Vec<String>,
    /// Child modules in the order first used, with their attributes.
    children: Vec<(String, String, ModTree)>,
    /// Whether it keeps nothing: a walk that looks only at names.
    discard: bool,
}

impl ModTree {
    /// A tree that keeps nothing pushed into it.
    fn discarding() -> ModTree {
        ModTree {
            discard: true,
            ..ModTree::default()
        }
    }

    /// The module at `path` below this one, made if missing.
    pub fn at(&mut self, path: &[String]) -> &mut ModTree {
        let Some((first, rest)) = path.split_first() else {
            return self;
        };
        let index = match self.children.iter().position(|(name, ..)| name == first) {
            Some(index) => index,
            None => {
                self.children
                    .push((first.clone(), String::new(), ModTree::default()));
                self.children.len() - 1
            }
        };
        self.children[index].2.at(rest)
    }

    /// Sets the doc comment and attributes of the module at `path`.
    pub fn attrs(&mut self, path: &[String], attrs: TokenStream) {
        if self.discard {
            return;
        }
        if let Some((last, parent)) = path.split_last() {
            let parent = self.at(parent);
            parent.at(std::slice::from_ref(last));
            if let Some(child) = parent.children.iter_mut().find(|(n, ..)| n == last) {
                child.1 = attrs.to_string();
            }
        }
    }

    pub fn push(&mut self, path: &[String], item: TokenStream) {
        if !item.is_empty() && !self.discard {
            self.at(path).items.push(item.to_string());
        }
    }

    fn into_text(self) -> String {
        let mut out = String::new();
        self.write(&mut out, true);
        out
    }

    fn write(self, out: &mut String, root: bool) {
        for item in self.items {
            out.push_str(&item);
            out.push('\n');
        }
        for (name, attrs, tree) in self.children {
            if !attrs.is_empty() {
                out.push_str(&attrs);
                out.push('\n');
            }
            if root {
                out.push_str("#[allow(dead_code)]\n");
            }
            if name != "__tether" {
                out.push_str("pub ");
            }
            out.push_str("mod ");
            out.push_str(&ident(&name).to_string());
            out.push_str(" {\n");
            tree.write(out, false);
            out.push_str("}\n");
        }
    }
}
