//! Message ids (docs/wire-format.md §6.1), the `PROTOCOL` table, and the
//! message types it is made from.

use super::codec::Val;
use super::rust_types::{body, tuple_of};
use super::{Gen, GenError, ModTree};
use crate::ir::messages::{MessageKind, Messages, Way};
use crate::ir::Endpoint;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

/// The private module with the message types.
pub const PRIVATE: &str = "__tether";

/// The type of message `id` of `way`, in [`PRIVATE`]: it implements the
/// runtime's `Message`, so the handles need only name it.
pub fn message_type(way: Way, id: u16) -> proc_macro2::Ident {
    match way {
        Way::ToServer => format_ident!("ToServer{id}"),
        Way::ToClient => format_ident!("ToClient{id}"),
    }
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
        // The table's entries and the message types are written in the
        // hidden module, with the runtime's helpers in scope, one line each.
        root.push(
            &private,
            quote! {
                #[allow(unused_imports)]
                use ::tether::__private::{
                    event, rate, request, response, spec, timeout, Codec, Msg, Plain, EVENT,
                    NO_RATE, NO_TIMEOUT,
                };
                #[allow(unused_imports)]
                use ::tether::wire::{DecodeResult, EncodeResult, Reader, Writer};
            },
        );
        let mut tables = Vec::new();
        let mut checks = Checks::default();
        for way in [Way::ToServer, Way::ToClient] {
            let mut specs = Vec::new();
            for (id, message) in messages.list(way).iter().enumerate() {
                let id = id as u16;
                let ty = message_type(way, id);
                let item = self.message(way, id, message.endpoint, message.kind, &mut checks)?;
                for check in checks.new_items.drain(..) {
                    root.push(&private, check);
                }
                root.push(&private, item);
                let endpoint = &self.schema.endpoints[message.endpoint];
                let name = spec_name(endpoint, message.kind);
                let kind = self.kind(endpoint, message.kind, way, message.endpoint, messages);
                specs.push(quote!(spec::<#ty>(#name, #kind)));
            }
            tables.push(specs);
        }
        let [to_server, to_client] = [&tables[0], &tables[1]];
        root.push(
            &private,
            quote! {
                pub static TO_SERVER: &[::tether::MessageSpec] = &[#(#to_server),*];
                pub static TO_CLIENT: &[::tether::MessageSpec] = &[#(#to_client),*];
            },
        );
        let fingerprint = Literal::u64_suffixed(crate::gen::fingerprint(self.schema));
        let doc = format!(" The protocol of `{name}`: every message, numbered per direction.");
        root.push(
            &[],
            quote! {
                #[doc = #doc]
                #[allow(dead_code)]
                pub static PROTOCOL: ::tether::Protocol = ::tether::Protocol {
                    name: #name,
                    fingerprint: #fingerprint,
                    to_server: __tether::TO_SERVER,
                    to_client: __tether::TO_CLIENT,
                };
            },
        );
        Ok(())
    }

    /// One message's type: its id, its body and its body's codec.
    ///
    /// A body's codec is the runtime's codec of its values when they all
    /// encode as their types do; otherwise, up to the longest tuple the
    /// runtime has codecs for, a tuple of one codec per value, in which a
    /// value with use-site checks has a codec of its own, written once per
    /// distinct check for the whole protocol ([`Checks`]).
    fn message(
        &self,
        way: Way,
        id: u16,
        index: usize,
        kind: MessageKind,
        checks: &mut Checks,
    ) -> Result<TokenStream, GenError> {
        let private = vec![PRIVATE.to_string()];
        let endpoint = &self.schema.endpoints[index];
        let origin = endpoint.name.to_string();
        let ty = message_type(way, id);
        let tys: Vec<_> = match kind {
            MessageKind::Event | MessageKind::Request => {
                endpoint.params.iter().map(|p| &p.ty).collect()
            }
            MessageKind::Response => endpoint.returns.iter().flatten().collect(),
        };
        let tuple = kind != MessageKind::Response;
        let args = self.args_ty(&tys, &private, &origin, tuple)?;
        let id = Literal::u16_unsuffixed(id);
        let fits = tys.len() <= tether_facts::wire::MAX_TUPLE;
        if fits && tys.iter().all(|ty| self.is_plain(ty)) {
            return Ok(quote!(pub type #ty = Msg<#id, #args>;));
        }
        if fits {
            let mut codecs = Vec::new();
            for value in &tys {
                codecs.push(match self.is_plain(value) {
                    true => quote!(Plain),
                    false => {
                        let check = self.check(value, &origin, checks)?;
                        quote!(#check)
                    }
                });
            }
            let codec = body(&codecs, tuple);
            return Ok(quote!(pub type #ty = Msg<#id, #args, #codec>;));
        }
        let codec = format_ident!("{ty}Codec");
        let mut out = quote! {
            pub type #ty = Msg<#id, #args, #codec>;
            pub enum #codec {}
        };
        out.extend(self.message_codec(&codec, &args, &tys, tuple, &origin)?);
        Ok(out)
    }

    /// The codec of one value with use-site checks, made the first time a
    /// check is met.
    fn check(
        &self,
        ty: &crate::ir::Ty,
        origin: &str,
        checks: &mut Checks,
    ) -> Result<proc_macro2::Ident, GenError> {
        let private = vec![PRIVATE.to_string()];
        let rust = self.rust_ty(ty, &private, origin)?;
        let encode = self.enc_body(ty, &Val::reference(quote!(__a)), origin)?;
        let decode = self.dec(ty, &private, origin, 0)?.result();
        let body = quote! {
            // Called from the one handle that sends the message: compiled
            // only in a crate that sends it.
            #[inline]
            fn encode(__a: &#rust, __w: &mut Writer) -> EncodeResult {
                #encode
            }

            fn decode(__r: &mut Reader<'_>) -> DecodeResult<#rust> {
                #decode
            }
        };
        let key = format!("{rust} {body}");
        if let Some(name) = checks.names.get(&key) {
            return Ok(name.clone());
        }
        let name = format_ident!("Check{}", checks.names.len());
        checks.new_items.push(quote! {
            pub enum #name {}
            impl Codec<#rust> for #name { #body }
        });
        checks.names.insert(key, name.clone());
        Ok(name)
    }

    /// The codec of a message whose values need their use site's checks.
    fn message_codec(
        &self,
        ty: &proc_macro2::Ident,
        args: &TokenStream,
        tys: &[&crate::ir::Ty],
        tuple: bool,
        origin: &str,
    ) -> Result<TokenStream, GenError> {
        let private = vec![PRIVATE.to_string()];
        let mut encode = Vec::new();
        match (tys, tuple) {
            ([one], false) => {
                encode.push(self.enc(one, &Val::reference(quote!(__a)), origin, 0)?)
            }
            (many, false) => {
                for (i, ty) in many.iter().enumerate() {
                    let i = syn::Index::from(i);
                    encode.push(self.enc(ty, &Val::place(quote!(__a.#i)), origin, 0)?);
                }
            }
            (many, true) => {
                let names: Vec<_> = (0..many.len()).map(|i| format_ident!("__a{i}")).collect();
                if !names.is_empty() {
                    let pattern = tuple_of(&names);
                    encode.push(quote!(let #pattern = __a;));
                }
                for (ty, name) in many.iter().zip(&names) {
                    encode.push(self.enc(ty, &Val::reference(quote!(#name)), origin, 0)?);
                }
            }
        }
        let decode = self.decode_values(tys, &private, origin, tuple)?;
        let unused = match tys.is_empty() {
            true => quote!(_),
            false => quote!(__a),
        };
        Ok(quote! {
            impl Codec<#args> for #ty {
                // Called from the one handle that sends the message: compiled
                // only in a crate that sends it.
                #[inline]
                fn encode(#unused: &#args, __w: &mut Writer) -> EncodeResult {
                    #(#encode)*
                    ::core::result::Result::Ok(())
                }

                fn decode(__r: &mut Reader<'_>) -> DecodeResult<#args> {
                    #decode
                }
            }
        })
    }

    /// The Rust type of a message body: the params as a tuple, or the
    /// returns as the caller gets them (none: `()`, one: the value, more: a
    /// tuple).
    pub(super) fn args_ty(
        &self,
        tys: &[&crate::ir::Ty],
        from: &[String],
        origin: &str,
        tuple: bool,
    ) -> Result<TokenStream, GenError> {
        let types = tys
            .iter()
            .map(|t| self.rust_ty(t, from, origin))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(body(&types, tuple))
    }

    /// Decodes values in order: a tuple of the params (`tuple`), or the
    /// returns as the caller gets them.
    fn decode_values(
        &self,
        tys: &[&crate::ir::Ty],
        from: &[String],
        origin: &str,
        tuple: bool,
    ) -> Result<TokenStream, GenError> {
        if let ([one], false) = (tys, tuple) {
            return Ok(self.dec(one, from, origin, 0)?.result());
        }
        let mut values = Vec::new();
        for ty in tys {
            values.push(self.dec(ty, from, origin, 0)?.value());
        }
        let value = body(&values, tuple);
        Ok(quote!(::core::result::Result::Ok(#value)))
    }

    /// The message's kind, as the runtime's constructor for it.
    fn kind(
        &self,
        endpoint: &Endpoint,
        kind: MessageKind,
        way: Way,
        index: usize,
        messages: &Messages,
    ) -> TokenStream {
        let ids = messages.ids[index];
        let other = match way {
            Way::ToServer => ids.to_client,
            Way::ToClient => ids.to_server,
        }
        .unwrap_or_default();
        // Rates are enforced by the server on what clients send.
        let rate = match (&endpoint.attrs.rate, way) {
            (Some(rate), Way::ToServer) => {
                let count = Literal::u32_unsuffixed(rate.count);
                let per = Literal::u64_unsuffixed(u64::from(rate.per_seconds));
                let burst = Literal::u32_unsuffixed(rate.burst);
                quote!(rate(#count, #per, #burst))
            }
            _ => quote!(NO_RATE),
        };
        match kind {
            MessageKind::Event => {
                let unreliable = endpoint.attrs.unreliable.is_some();
                let ordered = unreliable && endpoint.attrs.ordered.is_some();
                match (
                    unreliable,
                    endpoint.attrs.rate.is_some() && way == Way::ToServer,
                ) {
                    (false, false) => quote!(EVENT),
                    _ => quote!(event(#unreliable, #ordered, #rate)),
                }
            }
            MessageKind::Request => {
                let timeout = match &endpoint.attrs.timeout {
                    Some(t) => {
                        let millis = Literal::u64_unsuffixed(t.millis);
                        quote!(timeout(#millis))
                    }
                    None => quote!(NO_TIMEOUT),
                };
                let other = Literal::u16_unsuffixed(other);
                quote!(request(#timeout, #rate, #other))
            }
            MessageKind::Response => {
                let other = Literal::u16_unsuffixed(other);
                quote!(response(#other))
            }
        }
    }
}

/// The codecs of values with use-site checks, one per distinct check.
#[derive(Default)]
struct Checks {
    /// Each codec's name, by its type and code.
    names: std::collections::HashMap<String, proc_macro2::Ident>,
    /// Codecs made since the last message was written out.
    new_items: Vec<TokenStream>,
}

/// `Combat.Attack`, `Shop.Buy (request)`, `Shop.Buy (response)`.
fn spec_name(endpoint: &Endpoint, kind: MessageKind) -> String {
    match kind {
        MessageKind::Event => endpoint.name.to_string(),
        MessageKind::Request => format!("{} (request)", endpoint.name),
        MessageKind::Response => format!("{} (response)", endpoint.name),
    }
}
