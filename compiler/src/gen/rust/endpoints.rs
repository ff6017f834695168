//! The typed API of remotes, over the runtime's session core
//! (`::tether::{ServerRuntime, ClientRuntime}`).
//!
//! `Server` and `Client` wrap the runtime of their side and have one
//! accessor per remote and namespace; each accessor returns a handle
//! (`server::Chat`, `client::shop::Buy`), an alias of the runtime's handle
//! for what that side may do with that remote (see [`super::roles`]), or,
//! past twelve parameters, a struct with the methods written out (see
//! [`super::methods`]).

use super::describe::signature;
use super::methods::{claim_params, Sig};
use super::names::{escape, ident, pascal_case, snake_case, Scope};
use super::protocol::{message_type, PRIVATE};
use super::roles::{roles, runtime_handle};
use super::{Gen, GenError, ModTree};
use crate::diag::Span;
use crate::ir::messages::Messages;
use crate::ir::{Endpoint, Route, Side};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::BTreeMap;

/// The name under which a module of handles imports [`PRIVATE`].
const MESSAGES: &str = "__m";

/// `server` or `client`: the module of a side's handles.
pub(super) fn side_module(side: Side) -> &'static str {
    match side {
        Side::Server => "server",
        Side::Client => "client",
    }
}

pub(super) fn side_runtime(side: Side) -> TokenStream {
    match side {
        Side::Server => quote!(::tether::ServerRuntime),
        Side::Client => quote!(::tether::ClientRuntime),
    }
}

/// What a namespace holds on one side: remotes and namespaces with remotes,
/// each of the latter with where its first remote is written.
#[derive(Default)]
struct Members {
    endpoints: Vec<usize>,
    namespaces: Vec<(String, Span)>,
}

impl Gen<'_> {
    pub fn endpoints(&self, root: &mut ModTree, messages: &Messages) -> Result<(), GenError> {
        for side in [Side::Server, Side::Client] {
            let mut handle_names: BTreeMap<Vec<String>, Scope> = BTreeMap::new();
            self.remotes(root, side, messages, &mut handle_names)?;
            self.bindables(root, side, &mut handle_names)?;
        }
        Ok(())
    }

    /// `Server`/`Client`, the namespace handles and the remote handles.
    fn remotes(
        &self,
        root: &mut ModTree,
        side: Side,
        messages: &Messages,
        handle_names: &mut BTreeMap<Vec<String>, Scope>,
    ) -> Result<(), GenError> {
        // Namespace path → members, in declaration order.
        let mut tree: BTreeMap<Vec<String>, Members> = BTreeMap::new();
        tree.entry(Vec::new()).or_default();
        for (index, endpoint) in self.schema.endpoints.iter().enumerate() {
            // A native remote's values go through Roblox's own serializer,
            // which only the generated Luau speaks.
            if !endpoint.is_remote() || endpoint.is_native_remote() {
                continue;
            }
            let namespace = endpoint.name.namespace();
            tree.entry(namespace.to_vec())
                .or_default()
                .endpoints
                .push(index);
            for depth in (0..namespace.len()).rev() {
                let members = tree.entry(namespace[..depth].to_vec()).or_default();
                if !members
                    .namespaces
                    .iter()
                    .any(|(n, _)| *n == namespace[depth])
                {
                    members
                        .namespaces
                        .push((namespace[depth].clone(), endpoint.name_span));
                }
            }
        }
        let side_mod = vec![side_module(side).to_string()];
        let runtime = side_runtime(side);
        for (namespace, members) in &tree {
            // The module holding this namespace's handles, and the accessor owner.
            let handles_module = handle_module(side, namespace);
            let (owner_module, owner_name) = match namespace.split_last() {
                None => (Vec::new(), pascal_case(side_module(side))),
                Some((last, parent)) => (handle_module(side, parent), pascal_case(last)),
            };
            let owner = ident(&owner_name);
            let what = match namespace.is_empty() {
                true => format!("methods of `{owner_name}`"),
                false => format!("methods of `{}::{owner_name}`", owner_module.join("::")),
            };
            let mut methods = Scope::new(what);
            let mut accessors = Vec::new();
            let mut order = Vec::new();
            for &index in &members.endpoints {
                let endpoint = &self.schema.endpoints[index];
                let name = endpoint.name.item();
                let handle = pascal_case(name);
                self.claim_handle(handle_names, &handles_module, &handle, endpoint)?;
                let method = accessor_name(name, namespace.is_empty());
                self.claim(&mut methods, &method, name, endpoint.name_span)?;
                if self.naming_only() {
                    claim_params(self, endpoint)?;
                    continue;
                }
                let path = self.path(&owner_module, &handles_module, &ident(&handle));
                let method = ident(&method);
                let doc = format!(" {}", signature(self.schema, endpoint));
                let deprecated = deprecated(endpoint);
                accessors.push(quote! {
                    #[doc = #doc]
                    #deprecated
                    #[inline]
                    pub fn #method(&self) -> #path {
                        #path::__new(&self.0)
                    }
                });
                order.push(self.handle(side, index, &handles_module, messages)?);
            }
            for (child, span) in &members.namespaces {
                let handle = pascal_case(child);
                let mut child_path = namespace.clone();
                child_path.push(child.clone());
                let scope = handle_scope(handle_names, &handles_module);
                self.claim(scope, &escape(&handle), &child_path.join("."), *span)?;
                let method = accessor_name(child, namespace.is_empty());
                self.claim(&mut methods, &method, child, *span)?;
                if self.naming_only() {
                    continue;
                }
                let path = self.path(&owner_module, &handles_module, &ident(&handle));
                let method = ident(&method);
                let doc = format!(" The remotes of namespace `{}`.", child_path.join("."));
                accessors.push(quote! {
                    #[doc = #doc]
                    #[inline]
                    pub fn #method(&self) -> #path {
                        #path(::core::clone::Clone::clone(&self.0))
                    }
                });
            }
            if self.naming_only() {
                continue;
            }
            if !order.is_empty() {
                // The handles name their messages through a short path, so
                // that an alias stays on one line.
                let private = self.path(&handles_module, &[], &ident(PRIVATE));
                let messages = ident(MESSAGES);
                root.push(
                    &handles_module,
                    quote!(#[allow(unused_imports)] use #private as #messages;),
                );
            }
            for handle in order {
                root.push(&handles_module, handle);
            }
            if !namespace.is_empty() {
                let doc = format!(" Handles for namespace `{}`.", namespace.join("."));
                root.attrs(&handles_module, quote!(#[doc = #doc]));
            }
            if namespace.is_empty() {
                root.push(&[], self.side_root(side, quote!(#(#accessors)*)));
                let doc = format!(
                    " Handles for the remotes, as the {} uses them (see [`{owner_name}`]).",
                    side_module(side)
                );
                root.attrs(&side_mod, quote!(#[doc = #doc]));
            } else {
                let doc = format!(" The remotes of namespace `{}`.", namespace.join("."));
                root.push(
                    &owner_module,
                    quote! {
                        #[doc = #doc]
                        #[derive(::core::clone::Clone)]
                        pub struct #owner(pub(super) #runtime);

                        impl #owner {
                            #(#accessors)*
                        }
                    },
                );
            }
        }
        Ok(())
    }

    /// `pub struct Server(ServerRuntime)` with `new`, `Default`, the
    /// conversions from and to the runtime, and what a game loop needs of it.
    fn side_root(&self, side: Side, accessors: TokenStream) -> TokenStream {
        let name = ident(&pascal_case(side_module(side)));
        let bindables = format_ident!("{name}Bindables");
        let runtime = side_runtime(side);
        let doc = format!(
            " The {} of this protocol, with one accessor per remote and namespace, over a [`{}`].",
            side_module(side),
            match side {
                Side::Server => "::tether::ServerRuntime",
                Side::Client => "::tether::ClientRuntime",
            }
        );
        quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone, ::core::fmt::Debug)]
            #[allow(dead_code)]
            pub struct #name(#runtime);

            #[allow(dead_code)]
            impl #name {
                /// A new runtime for [`PROTOCOL`].
                pub fn new() -> Self {
                    Self(#runtime::new(&PROTOCOL))
                }

                /// The runtime under the handles: what a game loop or a
                /// transport drives (`poll`, `stats`, the packets).
                pub fn runtime(&self) -> &#runtime {
                    &self.0
                }

                /// The bindables of this side, attached to the runtime:
                /// its `poll` runs them.
                pub fn bindables(&self) -> &#bindables {
                    self.0.__bindables(|| #bindables::attached(&self.0))
                }

                #accessors
            }

            impl ::core::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }

            /// Wraps a runtime made elsewhere (a transport's), which must run [`PROTOCOL`].
            impl ::core::convert::TryFrom<#runtime> for #name {
                type Error = ::tether::ProtocolMismatch;

                fn try_from(runtime: #runtime) -> ::core::result::Result<Self, ::tether::ProtocolMismatch> {
                    ::tether::ProtocolMismatch::check(runtime.protocol(), &PROTOCOL)?;
                    ::core::result::Result::Ok(Self(runtime))
                }
            }

            impl ::core::convert::From<&#name> for #runtime {
                fn from(handles: &#name) -> Self {
                    ::core::clone::Clone::clone(&handles.0)
                }
            }
        }
    }

    /// The handle of one remote on one side: an alias of the runtime's
    /// handle for its messages and parameters, or, past the longest tuple
    /// the runtime's handles take, a struct with the methods written out.
    fn handle(
        &self,
        side: Side,
        index: usize,
        module: &[String],
        messages: &Messages,
    ) -> Result<TokenStream, GenError> {
        let endpoint = &self.schema.endpoints[index];
        let Route::Remote(direction) = endpoint.route else {
            return Ok(quote!());
        };
        let name = ident(&pascal_case(endpoint.name.item()));
        let ids = messages.ids[index];
        let sig = Sig::new(self, endpoint, module)?;
        let doc = format!(" {}", signature(self.schema, endpoint));
        let roles = roles(side, endpoint.call, direction, ids);
        if endpoint.params.len() > tether_facts::wire::MAX_TUPLE {
            let runtime = side_runtime(side);
            let methods = roles.iter().map(|role| sig.methods(side, role));
            return Ok(quote! {
                #[doc = #doc]
                #[derive(::core::clone::Clone)]
                pub struct #name(#runtime);

                impl #name {
                    #[doc(hidden)]
                    #[inline]
                    pub fn __new(runtime: &#runtime) -> Self {
                        Self(::core::clone::Clone::clone(runtime))
                    }

                    #(#methods)*
                }
            });
        }
        let Some(handle) = runtime_handle(side, &roles) else {
            return Ok(quote!());
        };
        let handle = format_ident!("{handle}");
        let messages = roles
            .iter()
            .flat_map(|role| role.messages())
            .map(|(way, id)| {
                let (messages, ty) = (ident(MESSAGES), message_type(way, id));
                quote!(#messages::#ty)
            });
        Ok(quote! {
            #[doc = #doc]
            pub type #name = ::tether::remote::#handle<#(#messages),*>;
        })
    }
}

/// The module of the handles of a namespace on one side: `server::combat`.
pub(super) fn handle_module(side: Side, namespace: &[String]) -> Vec<String> {
    std::iter::once(side_module(side).to_string())
        .chain(namespace.iter().map(|n| snake_case(n)))
        .collect()
}

/// The accessor of a remote or namespace; at the root, `new` is the
/// constructor, `runtime` the runtime's and `bindables` the side's
/// bindables, so a remote called `New` is reached with `new_()`.
fn accessor_name(name: &str, at_root: bool) -> String {
    let snake = escape(&snake_case(name));
    match (at_root, snake.as_str()) {
        (true, "new" | "runtime" | "bindables") => format!("{snake}_"),
        _ => snake,
    }
}

/// The names of module `module` of handles, the import of the message
/// types among them.
fn handle_scope<'a>(
    scopes: &'a mut BTreeMap<Vec<String>, Scope>,
    module: &[String],
) -> &'a mut Scope {
    scopes.entry(module.to_vec()).or_insert_with(|| {
        Scope::new(format!("handles in module `{}`", module.join("::"))).reserve(&[MESSAGES])
    })
}

impl Gen<'_> {
    /// Takes the handle name `name` in `module` for `endpoint`.
    pub(super) fn claim_handle(
        &self,
        scopes: &mut BTreeMap<Vec<String>, Scope>,
        module: &[String],
        name: &str,
        endpoint: &Endpoint,
    ) -> Result<(), GenError> {
        let scope = handle_scope(scopes, module);
        self.claim(
            scope,
            &escape(name),
            &endpoint.name.to_string(),
            endpoint.name_span,
        )
    }
}

/// `#[deprecated(note = "..")]` for a `@deprecated` endpoint.
pub(super) fn deprecated(endpoint: &Endpoint) -> TokenStream {
    match &endpoint.attrs.deprecated {
        Some(d) if !d.note.is_empty() => {
            let note = &d.note;
            quote!(#[deprecated(note = #note)])
        }
        Some(_) => quote!(#[deprecated]),
        None => quote!(),
    }
}
