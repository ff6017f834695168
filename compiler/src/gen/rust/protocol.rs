//! Message ids (docs/wire-format.md §6.1), the `PROTOCOL` table, and the
//! decoders it points at.

use super::codec::Val;
use super::{Gen, GenError, ModTree};
use crate::ir::messages::{MessageKind, Messages, Way};
use crate::ir::Endpoint;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The private module with the decoders and response encoders.
pub const PRIVATE: &str = "__tether";

fn way_name(way: Way) -> &'static str {
    match way {
        Way::ToServer => "to_server",
        Way::ToClient => "to_client",
    }
}

/// The name of a message's body decoder.
pub fn decoder_name(way: Way, id: u16) -> proc_macro2::Ident {
    format_ident!("decode_{}_{}", way_name(way), id)
}

/// The name of a message's body encoder: it takes a reference to each param
/// (events, requests) or to the returns as the handler gives them (responses).
pub fn encoder_name(way: Way, id: u16) -> proc_macro2::Ident {
    format_ident!("encode_{}_{}", way_name(way), id)
}

impl Gen<'_> {
    pub fn protocol(
        &self,
        root: &mut ModTree,
        messages: &Messages,
        name: &str,
    ) -> Result<(), GenError> {
        let private = vec![PRIVATE.to_string()];
        root.attrs(&private, quote!(#[doc(hidden)]));
        let mut tables = Vec::new();
        for way in [Way::ToServer, Way::ToClient] {
            let mut specs = Vec::new();
            for (id, message) in messages.list(way).iter().enumerate() {
                let id = id as u16;
                let endpoint = &self.schema.endpoints[message.endpoint];
                let origin = endpoint.name.to_string();
                specs.push(self.spec(message.endpoint, message.kind, way, id, messages)?);
                let decoder = decoder_name(way, id);
                let body = match message.kind {
                    MessageKind::Event | MessageKind::Request => {
                        let tys: Vec<_> = endpoint.params.iter().map(|p| &p.ty).collect();
                        self.decode_values(&tys, &private, &origin, true)?
                    }
                    MessageKind::Response => {
                        let tys: Vec<_> = endpoint.returns.iter().flatten().collect();
                        self.decode_values(&tys, &private, &origin, false)?
                    }
                };
                // A handler's `()` needs no encoder: nothing follows the status.
                let no_returns = endpoint.returns.as_deref().unwrap_or_default().is_empty();
                if !(message.kind == MessageKind::Response && no_returns) {
                    root.push(&private, self.encoder(way, id, endpoint, message.kind)?);
                }
                let doc = format!(
                    " Decodes the body of `{}`.",
                    spec_name(endpoint, message.kind)
                );
                root.push(
                    &private,
                    quote! {
                        #[doc = #doc]
                        pub(super) fn #decoder(
                            __r: &mut ::tether_runtime::wire::Reader<'_>,
                        ) -> ::core::result::Result<::tether_runtime::Payload, ::tether_runtime::wire::DecodeError> {
                            #body
                        }
                    },
                );
            }
            tables.push(specs);
        }
        let [to_server, to_client] = [&tables[0], &tables[1]];
        let fingerprint = Literal::u64_suffixed(crate::gen::fingerprint(self.schema));
        let doc = format!(" The protocol of `{name}`: every message, numbered per direction.");
        root.push(
            &[],
            quote! {
                #[doc = #doc]
                pub static PROTOCOL: ::tether_runtime::Protocol = ::tether_runtime::Protocol {
                    name: #name,
                    fingerprint: #fingerprint,
                    to_server: &[#(#to_server),*],
                    to_client: &[#(#to_client),*],
                };
            },
        );
        Ok(())
    }

    /// The body encoder of a message.
    fn encoder(
        &self,
        way: Way,
        id: u16,
        endpoint: &Endpoint,
        kind: MessageKind,
    ) -> Result<TokenStream, GenError> {
        let private = vec![PRIVATE.to_string()];
        let origin = endpoint.name.to_string();
        let (mut params, mut body) = (Vec::new(), Vec::new());
        match kind {
            MessageKind::Event | MessageKind::Request => {
                for (i, param) in endpoint.params.iter().enumerate() {
                    let name = format_ident!("__a{i}");
                    let ty = self.rust_ty(&param.ty, &private, &origin)?;
                    params.push(quote!(#name: &#ty));
                    body.push(self.enc(&param.ty, &Val::reference(quote!(#name)), &origin, 0)?);
                }
            }
            MessageKind::Response => {
                let returns = endpoint.returns.as_deref().unwrap_or_default();
                let ty = self.tuple_ty(returns, &private, &origin)?;
                params.push(quote!(__ret: &#ty));
                match returns {
                    [one] => {
                        body.push(self.enc(one, &Val::reference(quote!(__ret)), &origin, 0)?)
                    }
                    many => {
                        for (i, ty) in many.iter().enumerate() {
                            let i = syn::Index::from(i);
                            body.push(self.enc(ty, &Val::place(quote!(__ret.#i)), &origin, 0)?);
                        }
                    }
                }
            }
        }
        let name = encoder_name(way, id);
        let doc = format!(" Encodes the body of `{}`.", spec_name(endpoint, kind));
        let many = match params.len() + 1 > 7 {
            true => quote!(#[allow(clippy::too_many_arguments)]),
            false => quote!(),
        };
        Ok(quote! {
            #[doc = #doc]
            #many
            pub(super) fn #name(
                __w: &mut ::tether_runtime::wire::Writer,
                #(#params),*
            ) -> ::core::result::Result<(), ::tether_runtime::wire::EncodeError> {
                #(#body)*
                ::core::result::Result::Ok(())
            }
        })
    }

    /// Decodes values in order into a boxed payload: a tuple of the params
    /// (`tuple`), or the returns as the caller gets them (none: `()`, one:
    /// the value, more: a tuple).
    fn decode_values(
        &self,
        tys: &[&crate::ir::Ty],
        from: &[String],
        origin: &str,
        tuple: bool,
    ) -> Result<TokenStream, GenError> {
        let mut lets = Vec::new();
        let mut names = Vec::new();
        for (i, ty) in tys.iter().enumerate() {
            let name = format_ident!("__a{i}");
            let value = self.dec(ty, from, origin, 0)?.value();
            lets.push(quote!(let #name = #value;));
            names.push(name);
        }
        let value = match (names.as_slice(), tuple) {
            ([one], false) => quote!(#one),
            ([one], true) => quote!((#one,)),
            _ => quote!((#(#names),*)),
        };
        Ok(quote! {
            #(#lets)*
            ::core::result::Result::Ok(::std::boxed::Box::new(#value))
        })
    }

    fn spec(
        &self,
        index: usize,
        kind: MessageKind,
        way: Way,
        id: u16,
        messages: &Messages,
    ) -> Result<TokenStream, GenError> {
        let endpoint = &self.schema.endpoints[index];
        let name = spec_name(endpoint, kind);
        let ids = messages.ids[index];
        let other = match way {
            Way::ToServer => ids.to_client,
            Way::ToClient => ids.to_server,
        }
        .unwrap_or_default();
        // Rates are enforced by the server on what clients send.
        let rate = match (&endpoint.attrs.rate, way) {
            (Some(rate), Way::ToServer) => {
                let (count, per) = (rate.count, u64::from(rate.per_seconds));
                quote!(::core::option::Option::Some(::tether_runtime::Rate {
                    count: #count,
                    per: ::core::time::Duration::from_secs(#per),
                }))
            }
            _ => quote!(::core::option::Option::None),
        };
        let kind = match kind {
            MessageKind::Event => {
                let unreliable = endpoint.attrs.unreliable.is_some();
                let ordered = unreliable && endpoint.attrs.ordered.is_some();
                quote!(::tether_runtime::MessageKind::Event {
                    unreliable: #unreliable,
                    ordered: #ordered,
                    rate: #rate,
                })
            }
            MessageKind::Request => {
                let timeout = match &endpoint.attrs.timeout {
                    Some(t) => {
                        let millis = t.millis;
                        quote!(::core::time::Duration::from_millis(#millis))
                    }
                    None => quote!(::tether_runtime::DEFAULT_TIMEOUT),
                };
                quote!(::tether_runtime::MessageKind::Request {
                    timeout: #timeout,
                    rate: #rate,
                    response_id: #other,
                })
            }
            MessageKind::Response => quote!(::tether_runtime::MessageKind::Response {
                request_id: #other,
            }),
        };
        let decode = decoder_name(way, id);
        let private = format_ident!("{PRIVATE}");
        Ok(quote! {
            ::tether_runtime::MessageSpec {
                name: #name,
                kind: #kind,
                decode: #private::#decode,
            }
        })
    }
}

/// `Combat.Attack`, `Shop.Buy (request)`, `Shop.Buy (response)`.
fn spec_name(endpoint: &Endpoint, kind: MessageKind) -> String {
    match kind {
        MessageKind::Event => endpoint.name.to_string(),
        MessageKind::Request => format!("{} (request)", endpoint.name),
        MessageKind::Response => format!("{} (response)", endpoint.name),
    }
}
