//! Bindables: in-process events and functions, never encoded. Each gets a
//! typed wrapper (`server::RoundStarted`) around the runtime's
//! `BindableEvent` / `BindableFunction`, and `ServerBindables` /
//! `ClientBindables` hold one of each.

use super::describe::signature;
use super::endpoints::{deprecated, handle_module, side_module};
use super::methods::Sig;
use super::names::{escape, ident, pascal_case, snake_case, Scope};
use super::rust_types::tuple_of;
use super::{Gen, GenError, ModTree};
use crate::ir::{Call, Endpoint, Route, Side};
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeMap;

impl Gen<'_> {
    /// The typed bindable wrappers of one side, and `ServerBindables` /
    /// `ClientBindables`.
    pub(super) fn bindables(
        &self,
        root: &mut ModTree,
        side: Side,
        handle_names: &mut BTreeMap<Vec<String>, Scope>,
    ) -> Result<(), GenError> {
        let holder = format_ident!("{}Bindables", pascal_case(side_module(side)));
        let mut fields = Scope::new(format!("fields of `{holder}`"));
        let (mut defs, mut inits, mut attaches) = (Vec::new(), Vec::new(), Vec::new());
        let runtime = super::endpoints::side_runtime(side);
        for endpoint in &self.schema.endpoints {
            if endpoint.route != Route::Bindable(side) {
                continue;
            }
            let namespace = endpoint.name.namespace();
            let module = handle_module(side, namespace);
            let name = pascal_case(endpoint.name.item());
            self.claim_handle(handle_names, &module, &name, endpoint)?;
            let field = endpoint
                .name
                .0
                .iter()
                .map(|s| snake_case(s))
                .collect::<Vec<_>>()
                .join("_");
            self.claim(
                &mut fields,
                &escape(&field),
                &endpoint.name.to_string(),
                endpoint.name_span,
            )?;
            if self.naming_only() {
                continue;
            }
            let (wrapper, init) = self.bindable(endpoint, &module)?;
            root.push(&module, wrapper);
            for depth in 1..=namespace.len() {
                let doc = format!(" Handles for namespace `{}`.", namespace[..depth].join("."));
                root.attrs(
                    &handle_module(side, &namespace[..depth]),
                    quote!(#[doc = #doc]),
                );
            }
            let path = self.path(&[], &module, &ident(&name));
            let field = ident(&field);
            let doc = format!(" {}", signature(self.schema, endpoint));
            defs.push(quote!(#[doc = #doc] pub #field: #path));
            inits.push(quote!(#field: #path(#init)));
            attaches.push(quote!(runtime.attach(&bindables.#field.0);));
        }
        // A side without bindables attaches nothing.
        let (runtime_param, attached) = match attaches.is_empty() {
            true => (quote!(_), quote!(Self::new())),
            false => (
                quote!(runtime),
                quote! {
                    let bindables = Self::new();
                    #(#attaches)*
                    bindables
                },
            ),
        };
        let doc = format!(
            " The bindables that live on the {}: in-process events and functions, never encoded.",
            side_module(side)
        );
        root.push(
            &[],
            quote! {
                #[doc = #doc]
                #[derive(::core::clone::Clone)]
                #[allow(dead_code)]
                pub struct #holder { #(#defs),* }

                #[allow(dead_code)]
                impl #holder {
                    /// Every bindable, with no handler connected, polled by
                    /// each one's own `poll`. A game uses the side's
                    /// `bindables()` instead, which its runtime's poll runs.
                    pub fn new() -> Self {
                        Self { #(#inits),* }
                    }

                    /// Every bindable, attached to `runtime`: its poll runs them.
                    pub fn attached(#runtime_param: &#runtime) -> Self {
                        #attached
                    }
                }

                impl ::core::default::Default for #holder {
                    fn default() -> Self {
                        Self::new()
                    }
                }
            },
        );
        Ok(())
    }

    /// One bindable's wrapper, and the expression of the runtime value it wraps.
    fn bindable(
        &self,
        endpoint: &Endpoint,
        module: &[String],
    ) -> Result<(TokenStream, TokenStream), GenError> {
        let origin = endpoint.name.to_string();
        let name = ident(&pascal_case(endpoint.name.item()));
        let sig = Sig::new(self, endpoint, module)?;
        let (params, args) = (&sig.params, &sig.arg_names);
        let tuple = &sig.tuple;
        let unpack = sig.unpack_args();
        let deprecated = deprecated(endpoint);
        let doc = format!(" {}", signature(self.schema, endpoint));
        let fields = sig.arg_fields();
        let (inner, methods, init) = match endpoint.call {
            Call::Event => {
                let inner = quote!(::tether::BindableEvent<#tuple>);
                let value = tuple_of(args);
                let handler_ty = &sig.handler_args;
                let methods = quote! {
                    /// Fires the event; connected handlers run on the next `poll`.
                    #deprecated
                    pub fn fire(&self, #(#params),*) {
                        self.0.fire(#value)
                    }

                    /// Runs `handler` for every firing.
                    #deprecated
                    #[allow(clippy::type_complexity)]
                    pub fn connect(
                        &self,
                        mut handler: impl ::core::ops::FnMut(#(#handler_ty),*) + ::core::marker::Send + 'static,
                    ) -> ::tether::Connection {
                        self.0.connect(move |__a| handler(#unpack))
                    }
                };
                (inner, methods, quote!(::tether::BindableEvent::new()))
            }
            Call::Function => {
                let returns = endpoint.returns.as_deref().unwrap_or_default();
                let ret = self.tuple_ty(returns, module, &origin)?;
                let inner = quote!(::tether::BindableFunction<#tuple, #ret>);
                let value = tuple_of(args);
                let handler_ty = &sig.handler_args;
                let methods = quote! {
                    /// Calls the callback; waits for one to be set (until the
                    /// `@timeout`, if the schema gives one).
                    #deprecated
                    pub fn invoke(&self, #(#params),*) -> ::tether::BindableInvocation<#ret> {
                        self.0.invoke(#value)
                    }

                    /// Sets the callback (replacing any before it).
                    #deprecated
                    #[allow(clippy::type_complexity)]
                    pub fn set_callback(
                        &self,
                        mut callback: impl ::core::ops::FnMut(#(#handler_ty),*) -> #ret + ::core::marker::Send + 'static,
                    ) {
                        self.0.set_callback(move |__a| callback(#unpack))
                    }

                    /// Sets a callback that answers through the responder it
                    /// gets last, now or later (replacing any before it).
                    #deprecated
                    #[allow(clippy::type_complexity)]
                    pub fn set_callback_later(
                        &self,
                        mut callback: impl ::core::ops::FnMut(#(#handler_ty,)* ::tether::BindableResponder<#ret>) + ::core::marker::Send + 'static,
                    ) {
                        self.0.set_callback_later(move |__a, __r| callback(#(#fields,)* __r))
                    }

                    /// Sets a callback whose future gives the answer, polled at
                    /// each poll (replacing any before it).
                    #deprecated
                    #[allow(clippy::type_complexity)]
                    pub fn set_callback_async<F>(
                        &self,
                        mut callback: impl ::core::ops::FnMut(#(#handler_ty),*) -> F + ::core::marker::Send + 'static,
                    ) where
                        F: ::core::future::Future<Output = #ret> + ::core::marker::Send + 'static,
                    {
                        self.0.set_callback_async(move |__a| callback(#unpack))
                    }
                };
                let timeout = timeout(endpoint);
                (
                    inner,
                    methods,
                    quote!(::tether::BindableFunction::new(#timeout)),
                )
            }
        };
        let wrapper = quote! {
            #[doc = #doc]
            #[derive(::core::clone::Clone)]
            #[allow(clippy::type_complexity)]
            pub struct #name(pub #inner);

            impl #name {
                #methods
            }

            #[allow(clippy::type_complexity)]
            impl ::core::ops::Deref for #name {
                type Target = #inner;

                fn deref(&self) -> &Self::Target {
                    &self.0
                }
            }
        };
        Ok((wrapper, init))
    }
}

fn timeout(endpoint: &Endpoint) -> TokenStream {
    match &endpoint.attrs.timeout {
        Some(t) => {
            let millis = Literal::u64_suffixed(t.millis);
            quote!(::core::option::Option::Some(::core::time::Duration::from_millis(#millis)))
        }
        // A Roblox BindableFunction waits for its callback as long as it takes.
        None => quote!(::core::option::Option::None),
    }
}
