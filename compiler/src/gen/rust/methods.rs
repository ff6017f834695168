//! The methods of a remote's handle on one side: `connect`, `fire_client`,
//! `fire_all_clients`, `fire_server`, `invoke_client`, `invoke_server` and
//! `on_invoke`, each over the runtime's untyped call of the same name.

use super::names::{escape, fresh, ident, snake_case, Scope};
use super::protocol::{encoder_name, PRIVATE};
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

impl<'a, 's> Sig<'a, 's> {
    pub(super) fn new(
        gen: &'a Gen<'s>,
        endpoint: &'a Endpoint,
        module: &[String],
    ) -> Result<Self, GenError> {
        let origin = endpoint.name.to_string();
        let mut scope = Scope::new(format!("parameters of `{origin}`"));
        let mut params = Vec::new();
        let mut arg_names = Vec::new();
        let mut handler_args = Vec::new();
        let mut taken = Vec::new();
        for param in &endpoint.params {
            let snake = escape(&snake_case(&param.name));
            scope.claim(&snake, &param.name)?;
            taken.push(snake);
            let name = ident(&snake_case(&param.name));
            let ty = gen.rust_ty(&param.ty, module, &origin)?;
            params.push(quote!(#name: #ty));
            handler_args.push(ty);
            arg_names.push(name);
        }
        let tuple = match handler_args.as_slice() {
            [one] => quote!((#one,)),
            many => quote!((#(#many),*)),
        };
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

    /// `__args.0, __args.1, ...`
    pub(super) fn unpack_args(&self) -> TokenStream {
        let fields = (0..self.arg_names.len()).map(syn::Index::from);
        quote!(#(__args.#fields),*)
    }

    /// What writes the params: the message's encoder, or a closure calling
    /// it with the params.
    fn body(&self, way: Way, id: u16) -> TokenStream {
        let encoder = self
            .gen
            .path(&self.module, &[PRIVATE.to_string()], &encoder_name(way, id));
        if self.arg_names.is_empty() {
            return encoder;
        }
        let args = &self.arg_names;
        quote!(move |__w| #encoder(__w, #(&#args),*))
    }

    /// Attributes of a method with `extra` arguments besides the params.
    fn attrs(&self, extra: usize) -> TokenStream {
        match self.arg_names.len() + extra > 7 {
            true => quote!(#[allow(clippy::too_many_arguments)]),
            false => quote!(),
        }
    }

    pub(super) fn fire_client(&self, id: u16) -> Result<TokenStream, GenError> {
        let (params, player, body) = (&self.params, &self.player, self.body(Way::ToClient, id));
        let attrs = self.attrs(2);
        let doc = format!(" Sends `{}` to one player.", self.origin);
        Ok(quote! {
            #[doc = #doc]
            #attrs
            pub fn fire_client(
                &self,
                #player: &::tether_runtime::Player,
                #(#params),*
            ) -> ::core::result::Result<(), ::tether_runtime::SendError> {
                self.0.fire_client(#player, #id, #body)
            }
        })
    }

    pub(super) fn fire_all_clients(&self, id: u16) -> Result<TokenStream, GenError> {
        let (params, body) = (&self.params, self.body(Way::ToClient, id));
        let attrs = self.attrs(1);
        let doc = format!(" Sends `{}` to every player.", self.origin);
        Ok(quote! {
            #[doc = #doc]
            #attrs
            pub fn fire_all_clients(
                &self,
                #(#params),*
            ) -> ::core::result::Result<(), ::tether_runtime::SendError> {
                self.0.fire_all_clients(#id, #body)
            }
        })
    }

    pub(super) fn fire_server(&self, id: u16) -> Result<TokenStream, GenError> {
        let (params, body) = (&self.params, self.body(Way::ToServer, id));
        let attrs = self.attrs(1);
        let doc = format!(" Sends `{}` to the server.", self.origin);
        Ok(quote! {
            #[doc = #doc]
            #attrs
            pub fn fire_server(
                &self,
                #(#params),*
            ) -> ::core::result::Result<(), ::tether_runtime::SendError> {
                self.0.fire_server(#id, #body)
            }
        })
    }

    /// The payload downcast to the params tuple, or a protocol error.
    fn args_or_error(&self) -> TokenStream {
        let tuple = &self.tuple;
        let message = format!("unexpected payload for `{}`", self.origin);
        let error = quote! {
            |_| ::tether_runtime::InvokeError::Protocol(::std::borrow::ToOwned::to_owned(#message))
        };
        match self.arg_names.is_empty() {
            true => quote!(__payload.downcast::<()>().map_err(#error)?;),
            false => quote!(let __args = *__payload.downcast::<#tuple>().map_err(#error)?;),
        }
    }

    /// `handler(a, b)` called with the payload, when it has the params' type.
    fn call_with_payload(&self, before: TokenStream) -> TokenStream {
        let tuple = &self.tuple;
        let unpack = self.unpack_args();
        let comma = match before.is_empty() || self.arg_names.is_empty() {
            true => quote!(),
            false => quote!(,),
        };
        match self.arg_names.is_empty() {
            true => quote! {
                if __payload.downcast::<()>().is_ok() {
                    handler(#before)
                }
            },
            false => quote! {
                if let ::core::result::Result::Ok(__args) = __payload.downcast::<#tuple>() {
                    let __args = *__args;
                    handler(#before #comma #unpack)
                }
            },
        }
    }

    pub(super) fn connect(&self, side: Side, id: u16) -> TokenStream {
        let handler_args = &self.handler_args;
        let (doc, args, closure) = match side {
            Side::Server => (
                format!(
                    " Runs `handler` for every `{}` a player sends.",
                    self.origin
                ),
                quote!(&::tether_runtime::Player, #(#handler_args),*),
                {
                    let call = self.call_with_payload(quote!(__player));
                    quote!(move |__player, __payload| { #call })
                },
            ),
            Side::Client => (
                format!(
                    " Runs `handler` for every `{}` the server sends.",
                    self.origin
                ),
                quote!(#(#handler_args),*),
                {
                    let call = self.call_with_payload(quote!());
                    quote!(move |__payload| { #call })
                },
            ),
        };
        let names: Vec<_> = (0..handler_args.len())
            .map(|i| format_ident!("__a{i}"))
            .collect();
        let (item, push) = match side {
            Side::Server => (
                quote!((::tether_runtime::Player, #(#handler_args,)*)),
                quote!(move |__player: &::tether_runtime::Player, #(#names),*| __push((::core::clone::Clone::clone(__player), #(#names,)*))),
            ),
            Side::Client => (
                quote!((#(#handler_args,)*)),
                quote!(move |#(#names),*| __push((#(#names,)*))),
            ),
        };
        let queue_doc = format!(
            " Collects every `{}` for a game loop to take after each `poll`, instead of a handler.",
            self.origin
        );
        quote! {
            #[doc = #queue_doc]
            #[allow(clippy::type_complexity)]
            pub fn queue(&self) -> ::tether_runtime::EventQueue<#item> {
                ::tether_runtime::EventQueue::connect_with(
                    ::tether_runtime::EventQueue::<#item>::DEFAULT_CAPACITY,
                    |mut __push| self.connect(#push),
                )
            }

            #[doc = #doc]
            #[allow(clippy::type_complexity)]
            pub fn connect(
                &self,
                mut handler: impl ::core::ops::FnMut(#args) + ::core::marker::Send + 'static,
            ) -> ::tether_runtime::Connection {
                self.0.connect(#id, #closure)
            }
        }
    }

    pub(super) fn invoke(&self, side: Side, request: u16) -> Result<TokenStream, GenError> {
        let way = match side {
            Side::Server => Way::ToClient,
            Side::Client => Way::ToServer,
        };
        let (params, body, returns) = (&self.params, self.body(way, request), &self.returns);
        let player = &self.player;
        let (method, player_param, player_arg, extra, doc) = match side {
            Side::Server => (
                format_ident!("invoke_client"),
                quote!(#player: &::tether_runtime::Player,),
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
        Ok(quote! {
            #[doc = #doc]
            #attrs
            pub fn #method(
                &self,
                #player_param
                #(#params),*
            ) -> ::tether_runtime::Typed<#returns> {
                ::tether_runtime::Typed::new(self.0.#method(#player_arg #request, #body))
            }
        })
    }

    /// `on_invoke`: the handler answers with the returns or an error message.
    pub(super) fn on_invoke(
        &self,
        side: Side,
        request: u16,
        responder: TokenStream,
        has_returns: bool,
    ) -> TokenStream {
        let handler_args = &self.handler_args;
        let returns = &self.returns;
        let args = self.args_or_error();
        let unpack = self.unpack_args();
        let (doc, handler_ty, params, call_args) = match side {
            Side::Server => (
                format!(
                    " Answers `{}` calls from players (replacing any handler before).",
                    self.origin
                ),
                quote!(&::tether_runtime::Player, #(#handler_args),*),
                quote!(__player, __payload, __w),
                match self.arg_names.is_empty() {
                    true => quote!(__player),
                    false => quote!(__player, #unpack),
                },
            ),
            Side::Client => (
                format!(
                    " Answers `{}` calls from the server (replacing any handler before).",
                    self.origin
                ),
                quote!(#(#handler_args),*),
                quote!(__payload, __w),
                unpack,
            ),
        };
        let handler_error = quote!(::tether_runtime::InvokeError::Handler);
        let answer = match has_returns {
            true => quote! {
                let __ret = handler(#call_args).map_err(#handler_error)?;
                #responder(__w, &__ret).map_err(::tether_runtime::InvokeError::Encode)
            },
            false => quote!(handler(#call_args).map_err(#handler_error)),
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
                self.0.on_invoke(#request, move |#params| {
                    #args
                    #answer
                })
            }
        }
    }
}
