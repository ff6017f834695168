//! Binds names across namespaces and imports and lowers the syntax tree
//! into the IR: the second phase, after parsing and before the checker.

mod attrs;
mod options;
mod scope;
mod types;
mod unique;

use crate::diag::{rules, Diagnostic, SourceMap};
use crate::ir::{self, Call, DeclKind, Direction, Route, Schema, Side, TypeDecl};
use crate::load::ParsedFile;
use crate::syntax::ast;
use scope::Scope;
pub use scope::Visibility;
use types::TypeLowerer;

pub struct Resolved {
    pub schema: Schema,
    pub diagnostics: Vec<Diagnostic>,
    /// Which files see which, for the checks.
    pub visibility: Visibility,
}

/// Resolves every parsed file into one schema; `encoding` is that of the
/// remotes whose declaration and file say none.
pub fn resolve(sources: &SourceMap, files: &[ParsedFile], encoding: ir::Encoding) -> Resolved {
    let mut diagnostics = Vec::new();
    let scope = Scope::collect(files, &mut diagnostics);
    let mut schema = Schema {
        files: sources.iter().map(|(_, f)| f.name.clone()).collect(),
        ..Schema::default()
    };
    // Enums written in place are declared after the written declarations,
    // whose ids are their places in `scope.types`.
    let mut inline = Vec::new();
    let first_inline = scope.types.len() as u32;
    for found in &scope.types {
        let mut lowerer = TypeLowerer {
            scope: &scope,
            file: found.file,
            namespace: &found.namespace,
            diagnostics: &mut diagnostics,
            context: vec![found.name.item().to_string()],
            inline: &mut inline,
            first_inline,
        };
        let (name_span, span, kind, tag_field) = match found.decl {
            // `type Shape = enum { .. }` declares the enum itself, as
            // `enum Shape { .. }` does.
            ast::Decl::Type(
                alias @ ast::TypeAlias {
                    ty:
                        ast::TypeExpr {
                            kind: ast::TypeExprKind::Enum { tag, variants },
                            ..
                        },
                    ..
                },
            ) => (
                alias.name.span,
                alias.span,
                lower_enum(&alias.name, variants, &mut lowerer),
                tag.as_ref().map(|t| t.name.clone()),
            ),
            ast::Decl::Type(alias) => (
                alias.name.span,
                alias.span,
                DeclKind::Alias {
                    ty: lowerer.lower(&alias.ty),
                },
                None,
            ),
            ast::Decl::Enum(decl) => (
                decl.name.span,
                decl.span,
                lower_enum(&decl.name, &decl.variants, &mut lowerer),
                None,
            ),
            // Only types and enums are collected as type declarations.
            ast::Decl::Namespace(_) | ast::Decl::Endpoint(_) => continue,
        };
        schema.decls.push(TypeDecl {
            name: found.name.clone(),
            name_span,
            span,
            kind,
            in_place: false,
            tag_field,
        });
    }
    let encodings = options::file_encodings(files, &mut diagnostics);
    for found in &scope.endpoints {
        let default = encodings
            .get(&found.endpoint.name.span.file)
            .copied()
            .unwrap_or(encoding);
        let mut lowerer = TypeLowerer {
            scope: &scope,
            file: found.endpoint.name.span.file,
            namespace: &found.namespace,
            diagnostics: &mut diagnostics,
            context: vec![found.name.item().to_string()],
            inline: &mut inline,
            first_inline,
        };
        if let Some(endpoint) =
            lower_endpoint(found.name.clone(), found.endpoint, default, &mut lowerer)
        {
            schema.endpoints.push(endpoint);
        }
    }
    schema.decls.append(&mut inline);
    Resolved {
        schema,
        diagnostics,
        visibility: scope.visibility(),
    }
}

fn lower_enum(name: &ast::Ident, variants: &[ast::Variant], lowerer: &mut TypeLowerer) -> DeclKind {
    if variants.is_empty() {
        lowerer.diagnostics.push(
            Diagnostic::new(
                &rules::INVALID_DECLARATION,
                name.span,
                format!("enum `{}` has no variants", name.name),
            )
            .with_help("an enum needs at least one variant; no value of an empty enum can be sent"),
        );
    }
    DeclKind::Enum {
        variants: lowerer.variants(variants),
    }
}

/// Lowers an endpoint; `None` when its shape is invalid (already reported),
/// so that no check runs on a guess.
fn lower_endpoint(
    name: ir::QualName,
    endpoint: &ast::Endpoint,
    file_encoding: ir::Encoding,
    lowerer: &mut TypeLowerer,
) -> Option<ir::Endpoint> {
    let params = lowerer.fields(&endpoint.params, "parameter");
    let returns = endpoint.returns.as_ref().map(|r| {
        r.types
            .iter()
            .enumerate()
            .map(|(i, t)| match r.types.len() {
                1 => lowerer.lower_in("Return", t),
                _ => lowerer.lower_in(&format!("Return{i}"), t),
            })
            .collect::<Vec<_>>()
    });
    let call = match endpoint.call {
        ast::Call::Event => Call::Event,
        ast::Call::Function => Call::Function,
    };
    let route = route(endpoint, lowerer.diagnostics)?;
    match (call, &endpoint.returns) {
        (Call::Event, Some(r)) => {
            lowerer.diagnostics.push(
                Diagnostic::new(
                    &rules::INVALID_DECLARATION,
                    r.span,
                    "an event has no return values",
                )
                .with_label("returns written here")
                .with_help("remove `-> ...`, or declare a `function` to get a reply"),
            );
            return None;
        }
        (Call::Function, None) => {
            lowerer.diagnostics.push(
                Diagnostic::new(
                    &rules::INVALID_DECLARATION,
                    endpoint.params_span,
                    "a function needs its return values after `->`",
                )
                .with_help("write `-> T`, `-> (T, U)`, or `-> ()` for none"),
            );
            return None;
        }
        _ => {}
    }
    let attrs = attrs::lower_attrs(&endpoint.attrs, call, route, lowerer.diagnostics);
    let mut attrs = attrs;
    let encoding = match route {
        Route::Bindable(_) => ir::Encoding::Native,
        Route::Remote(_) => attrs.encoding.map_or(file_encoding, |(e, _)| e),
    };
    // Roblox's UnreliableRemoteEvent keeps no order; only Tether's own
    // sequence numbers, in the packed encoding, do.
    if let (Some(ordered), ir::Encoding::Native) = (attrs.ordered, encoding) {
        lowerer.diagnostics.push(
            Diagnostic::new(
                &rules::INVALID_ATTRIBUTE,
                ordered,
                "`@ordered` needs the packed encoding",
            )
            .with_label("a native remote sends through Roblox's UnreliableRemoteEvent, which keeps no order")
            .with_help("remove `@ordered`, or send this remote packed (`@packed`)"),
        );
        attrs.ordered = None;
    }
    Some(ir::Endpoint {
        name,
        name_span: endpoint.name.span,
        span: endpoint.span,
        call,
        route,
        params,
        returns,
        attrs,
        encoding,
    })
}

fn route(endpoint: &ast::Endpoint, diagnostics: &mut Vec<Diagnostic>) -> Option<Route> {
    let span = endpoint.route_span;
    let fail = |message: &str, help: &str| {
        Diagnostic::new(&rules::INVALID_DECLARATION, span, message.to_string())
            .with_help(help.to_string())
    };
    let route = match (endpoint.transport, endpoint.route) {
        (ast::Transport::Remote, ast::Route::ClientToServer) => {
            Route::Remote(Direction::ClientToServer)
        }
        (ast::Transport::Remote, ast::Route::ServerToClient) => {
            Route::Remote(Direction::ServerToClient)
        }
        (ast::Transport::Remote, ast::Route::Both) if endpoint.call == ast::Call::Event => {
            Route::Remote(Direction::Both)
        }
        (ast::Transport::Remote, ast::Route::Both) => {
            diagnostics.push(fail(
                "a remote function cannot go both ways",
                "declare two functions, one `client -> server` and one `server -> client`",
            ));
            return None;
        }
        (ast::Transport::Remote, ast::Route::Server | ast::Route::Client) => {
            diagnostics.push(fail(
                "a remote crosses the boundary and needs a direction",
                "write `client -> server`, `server -> client` or `client <-> server`; a `bindable` lives on one side",
            ));
            return None;
        }
        (ast::Transport::Bindable, ast::Route::Server) => Route::Bindable(Side::Server),
        (ast::Transport::Bindable, ast::Route::Client) => Route::Bindable(Side::Client),
        (ast::Transport::Bindable, _) => {
            diagnostics.push(fail(
                "a bindable stays on one side and takes `server` or `client`, not a direction",
                "write `server` or `client`; use a `remote` to cross the boundary",
            ));
            return None;
        }
    };
    Some(route)
}
