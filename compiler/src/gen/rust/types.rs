//! The declared types: the generated structs, enums and aliases, with their
//! encodings.

use super::codec::{dec_bit_run, enc_bit_run, number_check, Val};
use super::describe::describe;
use super::model::ItemKind;
use super::names::{escape, ident, is_all_caps, pascal_case, snake_case, snake_ident, Scope};
use super::{Gen, GenError, ModTree};
use crate::ir::packing::int_packing;
use crate::ir::{Field, Ty, TyKind, Variant};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

impl Gen<'_> {
    /// Every declared type and anonymous record, in its namespace's module.
    pub fn types(&self, root: &mut ModTree) -> Result<(), GenError> {
        let names = (self.schema.decls.iter().map(|d| &d.name))
            .chain(self.schema.endpoints.iter().map(|e| &e.name));
        // Modules that hold types, and the modules around them.
        let mut with_types = std::collections::BTreeSet::new();
        for item in &self.model.items {
            for depth in 1..=item.module.len() {
                with_types.insert(&item.module[..depth]);
            }
        }
        let mut documented = std::collections::BTreeSet::new();
        for name in names {
            let namespace = name.namespace();
            for depth in 1..=namespace.len() {
                let module = super::model::module_of(&namespace[..depth]);
                let has_types = with_types.contains(module.as_slice());
                if has_types && documented.insert(module.clone()) {
                    let doc = format!(" Types of namespace `{}`.", namespace[..depth].join("."));
                    root.attrs(&module, quote!(#[doc = #doc]));
                }
            }
        }
        for (index, item) in self.model.items.iter().enumerate() {
            if self.naming_only() {
                match &item.kind {
                    ItemKind::Struct(fields) => self.claim_fields(&item.name, fields)?,
                    ItemKind::Enum(variants) => self.claim_variants(&item.name, variants)?,
                    ItemKind::Alias(_) | ItemKind::Newtype(_) | ItemKind::Union(_) => {}
                }
                continue;
            }
            let tokens = match &item.kind {
                ItemKind::Struct(fields) => self.record(index, fields)?,
                ItemKind::Enum(variants) => self.enumeration(index, variants)?,
                ItemKind::Alias(ty) => {
                    let name = ident(&item.name);
                    let doc = format!(" `{}`: `{}`", item.origin, describe(self.schema, ty));
                    let ty = self.rust_ty(ty, &item.module, &item.origin)?;
                    quote! {
                        #[doc = #doc]
                        pub type #name = #ty;
                    }
                }
                ItemKind::Newtype(ty) => self.newtype(index, ty)?,
                ItemKind::Union(arms) => self.union(index, arms)?,
            };
            let tokens = match item.module.is_empty() {
                true => quote!(#[allow(dead_code)] #tokens),
                false => tokens,
            };
            root.push(&item.module, tokens);
        }
        Ok(())
    }

    /// A union: one tuple variant per arm, named for what the arm's Luau
    /// values are (`String`, `Number`, `Table`, `Vector3`), which
    /// `ambiguous-union` keeps distinct; on the wire, the arm's index as
    /// an enum's tag, then its value.
    fn union(&self, index: usize, arms: &[Ty]) -> Result<TokenStream, GenError> {
        let item = &self.model.items[index];
        let name = ident(&item.name);
        let doc = self.item_doc(index);
        let derives = self.derives(index, false);
        let bits = tether_facts::wire::tag_bits(arms.len() as u64);
        let (mut defs, mut encode, mut decode) = (Vec::new(), Vec::new(), Vec::new());
        for (tag, arm) in arms.iter().enumerate() {
            let kind = crate::ir::union::luau_kind(self.schema, arm)
                .ok_or_else(|| self.unsupported(arm, &item.origin))?;
            let vname = ident(&pascal_case(kind.name));
            let ty = self.rust_ty(arm, &item.module, &item.origin)?;
            let vdoc = format!(" `{}`", describe(self.schema, arm));
            defs.push(quote!(#[doc = #vdoc] #vname(#ty)));
            let tag_lit = Literal::usize_unsuffixed(tag);
            let write_tag = write_tag(&tag_lit, bits);
            if !item.has_function && !self.naming_only() {
                let enc = self.enc(arm, &Val::reference(quote!(__v)), &item.origin, 0)?;
                encode.push(quote!(Self::#vname(__v) => { #write_tag #enc }));
                let value = self.dec(arm, &item.module, &item.origin, 0)?.value();
                decode.push((tag_lit, quote!(Self::#vname(#value))));
            }
        }
        let allow = acronym_allow(&[&item.name]);
        let mut out = match self.user_types {
            true => quote!(),
            false => quote! {
                #[doc = #doc]
                #derives
                #allow
                #[allow(clippy::large_enum_variant)]
                pub enum #name { #(#defs),* }
            },
        };
        if !item.has_function && !self.naming_only() {
            let origin = &item.origin;
            let encode = quote!(match self { #(#encode)* });
            let decode = tag_decode(origin, &decode);
            let leaf = self.scalars(arms.iter());
            out.extend(codec_impls(
                quote!(#name),
                (encode, decode),
                leaf,
                item.recursive,
            ));
        }
        Ok(out)
    }

    /// The Rust names of a record's fields, each its own.
    fn claim_fields(&self, record: &str, fields: &[Field]) -> Result<(), GenError> {
        let mut scope = Scope::new(format!("fields of `{record}`"));
        for field in fields {
            let rust = escape(&snake_case(&field.name));
            self.claim(&mut scope, &rust, &field.name, field.name_span)?;
        }
        Ok(())
    }

    /// The Rust names of an enum's variants, and of each variant's fields.
    fn claim_variants(&self, name: &str, variants: &[Variant]) -> Result<(), GenError> {
        let mut scope = Scope::new(format!("variants of `{name}`"));
        for variant in variants {
            let rust = pascal_case(&variant.name);
            self.claim(&mut scope, &escape(&rust), &variant.name, variant.name_span)?;
            if let Some(fields) = &variant.fields {
                self.claim_fields(&format!("{name}::{rust}"), fields)?;
            }
        }
        Ok(())
    }

    /// `#[derive(..)]` for an item: only `Clone` when it holds functions.
    fn derives(&self, index: usize, unit_enum: bool) -> TokenStream {
        if self.model.items[index].has_function {
            quote!(#[derive(::core::clone::Clone)])
        } else if unit_enum {
            quote!(#[derive(
                ::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy,
                ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash,
                ::core::cmp::PartialOrd, ::core::cmp::Ord
            )])
        } else {
            quote!(#[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)])
        }
    }

    fn item_doc(&self, index: usize) -> String {
        let item = &self.model.items[index];
        match item.origin.starts_with("a record") {
            true => format!(" {}.", capitalize(&item.origin)),
            false => format!(" `{}`", item.origin),
        }
    }

    fn record(&self, index: usize, fields: &[Field]) -> Result<TokenStream, GenError> {
        let item = &self.model.items[index];
        let name = ident(&item.name);
        let doc = self.item_doc(index);
        let derives = self.derives(index, false);
        self.claim_fields(&item.name, fields)?;
        let mut defs = Vec::new();
        for field in fields {
            let fname = snake_ident(&field.name);
            let ty = self.rust_ty(&field.ty, &item.module, &item.origin)?;
            let fdoc = format!(" `{}: {}`", field.name, describe(self.schema, &field.ty));
            defs.push(quote! {
                #[doc = #fdoc]
                pub #fname: #ty
            });
        }
        let allow = acronym_allow(&[&item.name]);
        let mut out = match self.user_types {
            true => quote!(),
            false => quote! {
                #[doc = #doc]
                #derives
                #allow
                pub struct #name { #(#defs),* }
            },
        };
        if !item.has_function && !self.naming_only() {
            if let Some(codec) = self.fixed_layout(fields) {
                out.extend(codec_impls(quote!(#name), codec, true, item.recursive));
                return Ok(out);
            }
            let codec = self.record_codec(fields, &item.module, &item.origin)?;
            let leaf = self.scalars(fields.iter().map(|field| &field.ty));
            out.extend(codec_impls(quote!(#name), codec, leaf, item.recursive));
        }
        Ok(out)
    }

    /// Encode and decode bodies for a record, field by field, except that
    /// consecutive bit fields (booleans, packed integers) are written and
    /// read as one (at most 64 bits at a time).
    fn record_codec(
        &self,
        fields: &[Field],
        module: &[String],
        origin: &str,
    ) -> Result<(TokenStream, TokenStream), GenError> {
        let (mut encode, mut decode, mut values) = (Vec::new(), Vec::new(), Vec::new());
        let locals: Vec<Ident> = (0..fields.len()).map(|i| format_ident!("__f{i}")).collect();
        let mut i = 0;
        while i < fields.len() {
            let mut run = Vec::new();
            let mut bits = 0u32;
            while let Some(field) = fields
                .get(i + run.len())
                .and_then(|f| self.bit_field(&f.ty))
            {
                if bits + field.bits() > 64 {
                    break;
                }
                bits += field.bits();
                run.push(field);
            }
            if run.len() >= 2 {
                let values = run.iter().enumerate().map(|(j, &field)| {
                    let fname = snake_ident(&fields[i + j].name);
                    (quote!(self.#fname), field)
                });
                encode.push(enc_bit_run(&values.collect::<Vec<_>>()));
                let names = run
                    .iter()
                    .enumerate()
                    .map(|(j, &field)| (locals[i + j].clone(), field));
                decode.push(dec_bit_run(&names.collect::<Vec<_>>()));
                i += run.len();
                continue;
            }
            let field = &fields[i];
            let fname = snake_ident(&field.name);
            encode.push(self.enc(&field.ty, &Val::place(quote!(self.#fname)), origin, 0)?);
            let value = self.dec(&field.ty, module, origin, 0)?.value();
            let local = &locals[i];
            decode.push(quote!(let #local = #value;));
            values.push(value);
            i += 1;
        }
        let names = fields.iter().map(|f| snake_ident(&f.name));
        // Without bit runs every field is read by its own expression, in
        // order: a struct expression evaluates its fields as written.
        if values.len() == fields.len() {
            return Ok((
                quote!(#(#encode)*),
                quote!(::core::result::Result::Ok(Self { #(#names: #values),* })),
            ));
        }
        Ok((
            quote!(#(#encode)*),
            quote! {
                #(#decode)*
                ::core::result::Result::Ok(Self { #(#names: #locals),* })
            },
        ))
    }

    /// Encode and decode bodies for a record whose fields are all numbers:
    /// its encoding is a fixed run of bytes, read and written at once (one
    /// bounds check instead of one per field). `None` for other records.
    fn fixed_layout(&self, fields: &[Field]) -> Option<(TokenStream, TokenStream)> {
        let numbers: Vec<_> = fields
            .iter()
            .map(|f| match self.model.unalias(&f.ty).kind {
                // A packed integer is bits, not a run of bytes.
                TyKind::Number {
                    kind,
                    range,
                    nonfinite,
                } if int_packing(kind, range).is_none() => {
                    Some((snake_ident(&f.name), kind, range, nonfinite))
                }
                _ => None,
            })
            .collect::<Option<_>>()?;
        if numbers.len() < 2 {
            return None;
        }
        let total: usize = numbers.iter().map(|n| n.1.width() as usize).sum();
        let (mut encode, mut decode, mut names) = (Vec::new(), Vec::new(), Vec::new());
        let mut offset = 0usize;
        for (i, (fname, kind, range, nonfinite)) in numbers.iter().enumerate() {
            let width = kind.width() as usize;
            let (start, end) = (offset, offset + width);
            offset = end;
            let rust = super::rust_types::num_ty(*kind);
            let local = format_ident!("__f{i}");
            let check = number_check(*kind, *range, *nonfinite, &quote!(#local));
            let bytes = (start..end).map(|b| quote!(__c[#b]));
            encode.push(quote! {
                let #local = self.#fname;
                #check
                __c[#start..#end].copy_from_slice(&#local.to_le_bytes());
            });
            decode.push(quote! {
                let #local = #rust::from_le_bytes([#(#bytes),*]);
                #check
            });
            names.push(quote!(#fname: #local));
        }
        let encode = quote! {
            let mut __c = [0u8; #total];
            #(#encode)*
            __w.bytes(&__c);
        };
        let decode = quote! {
            let __c: [u8; #total] = __r.array::<#total>()?;
            #(#decode)*
            ::core::result::Result::Ok(Self { #(#names),* })
        };
        Some((encode, decode))
    }

    fn newtype(&self, index: usize, ty: &Ty) -> Result<TokenStream, GenError> {
        let item = &self.model.items[index];
        let name = ident(&item.name);
        let doc = format!(" `{}`: `{}`", item.origin, describe(self.schema, ty));
        let derives = self.derives(index, false);
        let inner = self.rust_ty(ty, &item.module, &item.origin)?;
        let allow = acronym_allow(&[&item.name]);
        let mut out = quote! {
            #[doc = #doc]
            #derives
            #allow
            pub struct #name(pub #inner);
        };
        if !item.has_function && !self.naming_only() {
            let encode = self.enc(ty, &Val::place(quote!(self.0)), &item.origin, 0)?;
            let value = self.dec(ty, &item.module, &item.origin, 0)?.value();
            let decode = quote!(::core::result::Result::Ok(Self(#value)));
            let leaf = self.scalars(std::iter::once(ty));
            out.extend(codec_impls(
                quote!(#name),
                (encode, decode),
                leaf,
                item.recursive,
            ));
        }
        Ok(out)
    }

    fn enumeration(&self, index: usize, variants: &[Variant]) -> Result<TokenStream, GenError> {
        let item = &self.model.items[index];
        let name = ident(&item.name);
        let doc = self.item_doc(index);
        let unit = variants.iter().all(|v| v.fields.is_none());
        let derives = self.derives(index, unit);
        self.claim_variants(&item.name, variants)?;
        let bits = tether_facts::wire::tag_bits(variants.len() as u64);
        let (mut defs, mut encode, mut decode) = (Vec::new(), Vec::new(), Vec::new());
        let mut names = vec![item.name.as_str()];
        let variant_names: Vec<String> = variants.iter().map(|v| pascal_case(&v.name)).collect();
        for (tag, (variant, vname_str)) in variants.iter().zip(&variant_names).enumerate() {
            names.push(vname_str);
            let vname = ident(vname_str);
            let vdoc = format!(" `{}`", variant.name);
            let tag_lit = Literal::usize_unsuffixed(tag);
            let write_tag = write_tag(&tag_lit, bits);
            match &variant.fields {
                None => {
                    defs.push(quote!(#[doc = #vdoc] #vname));
                    encode.push(quote!(Self::#vname => { #write_tag }));
                    decode.push((tag_lit, quote!(Self::#vname)));
                }
                Some(fields) => {
                    let mut fdefs = Vec::new();
                    let mut binds = Vec::new();
                    let mut fenc = Vec::new();
                    let mut fdec = Vec::new();
                    for field in fields {
                        let fname = snake_ident(&field.name);
                        let ty = self.rust_ty(&field.ty, &item.module, &item.origin)?;
                        let fdoc =
                            format!(" `{}: {}`", field.name, describe(self.schema, &field.ty));
                        fdefs.push(quote!(#[doc = #fdoc] #fname: #ty));
                        binds.push(quote!(#fname));
                        if !item.has_function && !self.naming_only() {
                            fenc.push(self.enc(
                                &field.ty,
                                &Val::reference(quote!(#fname)),
                                &item.origin,
                                0,
                            )?);
                            let value = self.dec(&field.ty, &item.module, &item.origin, 0)?.value();
                            fdec.push(quote!(#fname: #value));
                        }
                    }
                    defs.push(quote!(#[doc = #vdoc] #vname { #(#fdefs),* }));
                    encode.push(quote!(Self::#vname { #(#binds),* } => { #write_tag #(#fenc)* }));
                    decode.push((tag_lit, quote!(Self::#vname { #(#fdec),* })));
                }
            }
        }
        let allow = acronym_allow(&names);
        let large = match unit {
            true => quote!(),
            false => quote!(#[allow(clippy::large_enum_variant)]),
        };
        let mut out = match self.user_types {
            true => quote!(),
            false => quote! {
                #[doc = #doc]
                #derives
                #allow
                #large
                #[allow(clippy::enum_variant_names)]
                pub enum #name { #(#defs),* }
            },
        };
        if !item.has_function && !self.naming_only() {
            let encode = quote! {
                match self { #(#encode)* }
            };
            let decode = tag_decode(&item.origin, &decode);
            let fields = variants.iter().flat_map(|v| v.fields.iter().flatten());
            let leaf = self.scalars(fields.map(|field| &field.ty));
            out.extend(codec_impls(
                quote!(#name),
                (encode, decode),
                leaf,
                item.recursive,
            ));
        }
        Ok(out)
    }

    /// Whether every one of `tys` is a scalar ([`Ty::is_scalar`]) or a
    /// declared enum of unit variants (a tag): not another record or tagged
    /// enum, an optional or a collection, whose codec the type's own would
    /// call.
    fn scalars<'t>(&self, mut tys: impl Iterator<Item = &'t Ty>) -> bool {
        tys.all(|ty| {
            let ty = self.model.unalias(ty);
            let TyKind::Named { decl } = ty.kind else {
                return ty.is_scalar();
            };
            self.model.decl_item(decl).is_some_and(|item| {
                matches!(self.model.items[item].kind,
                    ItemKind::Enum(variants) if variants.iter().all(|v| v.fields.is_none()))
            })
        })
    }
}

/// Writes an enum's or union's tag in `bits` bits (none for one variant).
fn write_tag(tag: &Literal, bits: u32) -> TokenStream {
    match bits {
        0 => quote!(),
        _ => {
            let bits = Literal::u32_unsuffixed(bits);
            quote!(__w.bits(#tag, #bits);)
        }
    }
}

/// The decode body of an enum or union: reads the tag, then the value of
/// the variant it names, from `variants` (a tag and its expression each, in
/// tag order).
fn tag_decode(origin: &str, variants: &[(Literal, TokenStream)]) -> TokenStream {
    match variants.split_last() {
        Some(((_, only), [])) => quote!(::core::result::Result::Ok(#only)),
        // The reader rejects a tag past the last variant, which is then the
        // other arm.
        Some(((_, last), rest)) => {
            let count = Literal::u32_unsuffixed(variants.len() as u32);
            let arms = rest.iter().map(|(tag, expr)| quote!(#tag => #expr));
            quote! {
                ::core::result::Result::Ok(match __r.tag(#count, #origin)? {
                    #(#arms,)*
                    _ => #last,
                })
            }
        }
        // An enum of no variants has no values to read.
        None => quote! {
            ::core::result::Result::Err(::tether::wire::DecodeError::invalid_tag(#origin, 0, 0))
        },
    }
}

/// `impl Encode` and `impl Decode` around the bodies; the encode body ends
/// in `Ok(())` here, the decode body is an expression. A `leaf` type holds
/// scalars only, so its codecs call no other type's.
/// A `recursive` type counts its levels (`Writer::nested`, `Reader::nested`).
pub fn codec_impls(
    ty: TokenStream,
    (encode, decode): (TokenStream, TokenStream),
    leaf: bool,
    recursive: bool,
) -> TokenStream {
    let (encode, decode) = match recursive {
        true => (
            quote! {
                __w.nested(|__w| {
                    #encode
                    ::core::result::Result::Ok(())
                })?;
            },
            quote!(__r.nested(|__r| { #decode })),
        ),
        false => (encode, decode),
    };
    // Small codecs of scalars inline into their callers in other crates (a
    // game's element loops). Codecs that call other types' codecs are
    // compiled once, here: inlined, each codegen unit that uses one gets a
    // copy of it and of what it calls, which in a release build of a large
    // protocol cost rustc a tenth of its memory and a third of its time.
    let small = token_count(&encode) + token_count(&decode) <= INLINE_TOKENS;
    let inline = match leaf && small {
        true => quote!(#[inline]),
        false => quote!(),
    };
    quote! {
        impl ::tether::wire::Encode for #ty {
            #inline
            fn encode(
                &self,
                __w: &mut ::tether::wire::Writer,
            ) -> ::tether::wire::EncodeResult {
                #encode
                ::core::result::Result::Ok(())
            }
        }

        impl ::tether::wire::Decode for #ty {
            #inline
            fn decode(
                __r: &mut ::tether::wire::Reader<'_>,
            ) -> ::tether::wire::DecodeResult<Self> {
                #decode
            }
        }
    }
}

/// The most tokens a type's two codec bodies may have together and still be
/// `#[inline]`: about a record of eight scalar fields.
const INLINE_TOKENS: usize = 400;

/// The tokens in `stream`, groups counted through.
fn token_count(stream: &TokenStream) -> usize {
    stream
        .clone()
        .into_iter()
        .map(|tree| match tree {
            proc_macro2::TokenTree::Group(group) => 1 + token_count(&group.stream()),
            _ => 1,
        })
        .sum()
}

/// `#[allow(clippy::upper_case_acronyms)]` if any of `names` is all capitals.
fn acronym_allow(names: &[&str]) -> TokenStream {
    match names.iter().any(|n| is_all_caps(n)) {
        true => quote!(#[allow(clippy::upper_case_acronyms)]),
        false => quote!(),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
