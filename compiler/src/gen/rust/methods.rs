//! A remote's parameters as the handles take them, and the methods of a
//! handle written out (`connect`, `fire_client`, `fire_all_clients`,
//! `fire_server`, `invoke_client`, `invoke_server`, `on_invoke`, each over
//! the runtime's typed call of the same name) for a remote with more
//! parameters than the runtime's generic handles (`::tether::remote`) take.

use super::names::{escape, fresh, ident, snake_case, Scope};
use super::protocol::{message_type, PRIVATE};
use super::roles::Role;
use super::rust_types::tuple_of;
use super::{Gen, GenError};
use crate::ir::messages::Way;
use crate::ir::{Endpoint, Side};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// The method generators of one endpoint in one module.
pub(super) struct Sig<'a, 's> {
    gen: &'a Gen<'s>,
    module: Vec<String>,
    /// `name: Type`, in declaration order.
    pub(super) params: Vec<TokenStream>,
    pub(super) arg_names: Vec<Ident>,
    /// The param types, as a handler takes them.
    pub(super) handler_args: Vec<TokenStream>,
    /// `(A, B)`, `(A,)` or `()`: the payload of a request or event.
    pub(super) tuple: TokenStream,
    /// The returns as the caller gets them.
    returns: TokenStream,
    /// The name of the `player` argument, clear of the params.
    player: Ident,
    origin: String,
}

/// The Rust names of a remote's parameters, which only a remote past the
/// longest tuple the runtime's handles take writes out (its methods name
/// them); the runtime's handles take them by position.
pub(super) fn claim_params(gen: &Gen<'_>, endpoint: &Endpoint) -> Result<(), GenError> {
    if endpoint.params.len() <= tether_facts::wire::MAX_TUPLE {
        return Ok(());
    }
    let mut scope = Scope::new(format!("parameters of `{}`", endpoint.name));
    for param in &endpoint.params {
        let snake = escape(&snake_case(&param.name));
        gen.claim(&mut scope, &snake, &param.name, param.name_span)?;
    }
    Ok(())
}

impl<'a, 's> Sig<'a, 's> {
    pub(super) fn new(
        gen: &'a Gen<'s>,
        endpoint: &'a Endpoint,
        module: &[String],
    ) -> Result<Self, GenError> {
        let origin = endpoint.name.to_string();
        claim_params(gen, endpoint)?;
        let mut params = Vec::new();
        let mut arg_names = Vec::new();
        let mut handler_args = Vec::new();
        let mut taken = Vec::new();
        for param in &endpoint.params {
            let snake = escape(&snake_case(&param.name));
            taken.push(snake);
            let name = ident(&snake_case(&param.name));
            let ty = gen.rust_ty(&param.ty, module, &origin)?;
            params.push(quote!(#name: #ty));
            handler_args.push(ty);
            arg_names.push(name);
        }
        let tuple = tuple_of(&handler_args);
        let returns = gen.tuple_ty(
            endpoint.returns.as_deref().unwrap_or_default(),
            module,
            &origin,
        )?;
        Ok(Sig {
            gen,
            module: module.to_vec(),
            params,
            arg_names,
            handler_args,
            tuple,
            returns,
            player: ident(&fresh("player", &taken)),
            origin,
        })
    }

    /// The methods of a handle written out, for a remote with more
    /// parameters than the runtime's handles take.
    pub(super) fn methods(&self, side: Side, role: &Role) -> TokenStream {
        match (role, side) {
            (&Role::Listens(way, id), side) => self.connect(side, way, id),
            (&Role::Sends(_, id), Side::Server) => {
                let mut methods = self.fire_client(id);
                methods.extend(self.fire_all_clients(id));
                methods
            }
            (&Role::Sends(_, id), Side::Client) => self.fire_server(id),
            (&Role::Answers(_, request, _, response), side) => {
                self.on_invoke(side, request, response)
            }
            (&Role::Calls(_, request, _, response), side) => self.invoke(side, request, response),
        }
    }

    /// `__a.0, __a.1, ...`: the params of a received tuple.
    pub(super) fn unpack_args(&self) -> TokenStream {
        let fields = self.arg_fields();
        quote!(#(#fields),*)
    }

    /// Each field of the args tuple `__a`: `__a.0`, `__a.1`, ...
    pub(super) fn arg_fields(&self) -> Vec<TokenStream> {
        (0..self.arg_names.len())
            .map(|i| {
                let i = syn::Index::from(i);
                quote!(__a.#i)
            })
            .collect()
    }

    /// The params as the tuple the message type encodes.
    fn args_tuple(&self) -> TokenStream {
        tuple_of(&self.arg_names)
    }

    /// The path to message `id` of `way`'s type.
    fn message(&self, way: Way, id: u16) -> TokenStream {
        self.gen
            .path(&self.module, &[PRIVATE.to_string()], &message_type(way, id))
    }

    /// Attributes of a method with `extra` arguments besides the params.
    fn attrs(&self, extra: usize) -> TokenStream {
        match self.arg_names.len() + extra > 7 {
            true => quote!(#[allow(clippy::too_many_arguments)]),
            false => quote!(),
        }
    }

    pub(super) fn fire_client(&self, id: u16) -> TokenStream {
        let (params, player) = (&self.params, &self.player);
        let (message, args) = (self.message(Way::ToClient, id), self.args_tuple());
        let attrs = self.attrs(2);
        let doc = format!(" Sends `{}` to one player.", self.origin);
        quote! {
            #[doc = #doc]
            #attrs
            #[inline]
            pub fn fire_client(
                &self,
                #player: &::tether::Player,
                #(#params),*
            ) -> ::core::result::Result<(), ::tether::SendError> {
                ::tether::__private::fire_client::<#message>(&self.0, #player, &#args)
            }
        }
    }

    pub(super) fn fire_all_clients(&self, id: u16) -> TokenStream {
        let params = &self.params;
        let (message, args) = (self.message(Way::ToClient, id), self.args_tuple());
        let attrs = self.attrs(1);
        let doc = format!(" Sends `{}` to every player.", self.origin);
        quote! {
            #[doc = #doc]
            #attrs
            #[inline]
            pub fn fire_all_clients(
                &self,
                #(#params),*
            ) -> ::core::result::Result<(), ::tether::SendError> {
                ::tether::__private::fire_all_clients::<#message>(&self.0, &#args)
            }
        }
    }

    pub(super) fn fire_server(&self, id: u16) -> TokenStream {
        let params = &self.params;
        let (message, args) = (self.message(Way::ToServer, id), self.args_tuple());
        let attrs = self.attrs(1);
        let doc = format!(" Sends `{}` to the server.", self.origin);
        quote! {
            #[doc = #doc]
            #attrs
            #[inline]
            pub fn fire_server(
                &self,
                #(#params),*
            ) -> ::core::result::Result<(), ::tether::SendError> {
                ::tether::__private::fire_server::<#message>(&self.0, &#args)
            }
        }
    }

    pub(super) fn connect(&self, side: Side, way: Way, id: u16) -> TokenStream {
        let handler_args = &self.handler_args;
        let message = self.message(way, id);
        let unpack = self.unpack_args();
        let tuple = &self.tuple;
        let (doc, args, connect, closure, queue, item) = match side {
            Side::Server => (
                format!(
                    " Runs `handler` for every `{}` a player sends.",
                    self.origin
                ),
                quote!(&::tether::Player, #(#handler_args),*),
                quote!(connect_server),
                match self.arg_names.is_empty() {
                    true => quote!(move |__p, _| handler(__p)),
                    false => quote!(move |__p, __a| handler(__p, #unpack)),
                },
                quote!(queue_server),
                quote!((::tether::Player, #tuple)),
            ),
            Side::Client => (
                format!(
                    " Runs `handler` for every `{}` the server sends.",
                    self.origin
                ),
                quote!(#(#handler_args),*),
                quote!(connect_client),
                match self.arg_names.is_empty() {
                    true => quote!(move |_| handler()),
                    false => quote!(move |__a| handler(#unpack)),
                },
                quote!(queue_client),
                tuple.clone(),
            ),
        };
        let queue_doc = format!(
            " Collects every `{}` for a game loop to take after each `poll`, instead of a handler.",
            self.origin
        );
        quote! {
            #[doc = #doc]
            #[allow(clippy::type_complexity)]
            pub fn connect(
                &self,
                mut handler: impl ::core::ops::FnMut(#args) + ::core::marker::Send + 'static,
            ) -> ::tether::Connection {
                ::tether::__private::#connect::<#message>(&self.0, #closure)
            }

            #[doc = #queue_doc]
            #[allow(clippy::type_complexity)]
            #[inline]
            pub fn queue(&self) -> ::tether::EventQueue<#item> {
                ::tether::__private::#queue::<#message>(&self.0)
            }
        }
    }

    pub(super) fn invoke(&self, side: Side, request: u16, response: u16) -> TokenStream {
        let (way, back) = match side {
            Side::Server => (Way::ToClient, Way::ToServer),
            Side::Client => (Way::ToServer, Way::ToClient),
        };
        let (request, response) = (self.message(way, request), self.message(back, response));
        let (params, returns, args) = (&self.params, &self.returns, self.args_tuple());
        let player = &self.player;
        let (method, player_param, player_arg, extra, doc) = match side {
            Side::Server => (
                format_ident!("invoke_client"),
                quote!(#player: &::tether::Player,),
                quote!(#player,),
                2,
                format!(" Calls `{}` on one player's client.", self.origin),
            ),
            Side::Client => (
                format_ident!("invoke_server"),
                quote!(),
                quote!(),
                1,
                format!(" Calls `{}` on the server.", self.origin),
            ),
        };
        let attrs = self.attrs(extra);
        quote! {
            #[doc = #doc]
            #attrs
            #[inline]
            pub fn #method(
                &self,
                #player_param
                #(#params),*
            ) -> ::tether::Typed<#returns> {
                ::tether::__private::#method::<#request, #response>(&self.0, #player_arg &#args)
            }
        }
    }

    /// `on_invoke`: the handler answers with the returns or an error message.
    pub(super) fn on_invoke(&self, side: Side, request: u16, response: u16) -> TokenStream {
        let (way, back) = match side {
            Side::Server => (Way::ToServer, Way::ToClient),
            Side::Client => (Way::ToClient, Way::ToServer),
        };
        let (request, response) = (self.message(way, request), self.message(back, response));
        let handler_args = &self.handler_args;
        let returns = &self.returns;
        let unpack = self.unpack_args();
        let (doc, handler_ty, function, closure) = match side {
            Side::Server => (
                format!(
                    " Answers `{}` calls from players (replacing any handler before).",
                    self.origin
                ),
                quote!(&::tether::Player, #(#handler_args),*),
                quote!(on_invoke_server),
                match self.arg_names.is_empty() {
                    true => quote!(move |__p, _| handler(__p)),
                    false => quote!(move |__p, __a| handler(__p, #unpack)),
                },
            ),
            Side::Client => (
                format!(
                    " Answers `{}` calls from the server (replacing any handler before).",
                    self.origin
                ),
                quote!(#(#handler_args),*),
                quote!(on_invoke_client),
                match self.arg_names.is_empty() {
                    true => quote!(move |_| handler()),
                    false => quote!(move |__a| handler(#unpack)),
                },
            ),
        };
        quote! {
            #[doc = #doc]
            #[allow(clippy::type_complexity)]
            pub fn on_invoke(
                &self,
                mut handler: impl ::core::ops::FnMut(#handler_ty) -> ::core::result::Result<#returns, ::std::string::String>
                    + ::core::marker::Send
                    + 'static,
            ) {
                ::tether::__private::#function::<#request, #response>(&self.0, #closure)
            }
        }
    }
}
