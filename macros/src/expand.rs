//! What each macro expands to: the compiler's pipeline on what the front end
//! lowered, then either the generated code or the diagnostics as
//! `compile_error!`s at the offending tokens.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use tether_compiler::diag::rules::Family;
use tether_compiler::diag::Severity;
use tether_compiler::gen::rust::names::pascal_case;
use tether_compiler::gen::rust::{generate_tokens, RustOptions};
use tether_compiler::ir::Encoding;
use tether_compiler::syntax::ast;
use tether_compiler::Compilation;

use crate::attrs;
use crate::lower::Lowerer;
use crate::spans::Spans;

/// The crate the expansions reach the runtime through.
const RUNTIME: &str = "tether";

fn options(protocol_name: Option<String>, types_only: bool) -> RustOptions {
    let options = RustOptions::default()
        .runtime_crate(RUNTIME)
        .user_types(true)
        .types_only(types_only);
    match protocol_name {
        Some(name) => options.protocol_name(name),
        None => options,
    }
}

fn errors_to_tokens(errors: Vec<syn::Error>) -> TokenStream {
    errors.into_iter().map(|e| e.to_compile_error()).collect()
}

/// Every error diagnostic of `compilation` at its Rust token.
fn diagnostics(compilation: &Compilation, spans: &Spans) -> Option<TokenStream> {
    let errors: TokenStream = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| spans.compile_error(d))
        .collect();
    (!errors.is_empty()).then_some(errors)
}

/// Every warning of `compilation` as a rustc warning at its Rust token. A
/// note (a policy error accepted with `allow`) is left out: a stable proc
/// macro can only warn, and a warning would fail a `-D warnings` build over
/// what the `allow` beside it already says.
fn warnings(compilation: &Compilation, spans: &Spans) -> TokenStream {
    compilation
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| spans.warning(d))
        .collect()
}

// ---------------------------------------------------------------------------
// #[derive(Replicable)]
// ---------------------------------------------------------------------------

pub fn derive(input: syn::DeriveInput) -> TokenStream {
    let mut spans = Spans::default();
    let mut errors = Vec::new();
    let name = input.ident.clone();
    let item: syn::Item = match &input.data {
        syn::Data::Struct(data) => syn::Item::Struct(syn::ItemStruct {
            attrs: input.attrs.clone(),
            vis: input.vis.clone(),
            struct_token: data.struct_token,
            ident: input.ident.clone(),
            generics: input.generics.clone(),
            fields: data.fields.clone(),
            semi_token: data.semi_token,
        }),
        syn::Data::Enum(data) => syn::Item::Enum(syn::ItemEnum {
            attrs: input.attrs.clone(),
            vis: input.vis.clone(),
            enum_token: data.enum_token,
            ident: input.ident.clone(),
            generics: input.generics.clone(),
            brace_token: data.brace_token,
            variants: data.variants.clone(),
        }),
        syn::Data::Union(data) => {
            return syn::Error::new(
                data.union_token.span,
                "tether: a union has no Luau shape; use an enum",
            )
            .to_compile_error();
        }
    };
    let mut lowerer = Lowerer {
        spans: &mut spans,
        errors: &mut errors,
        modules: HashMap::from([(Vec::new(), HashSet::from([name.to_string()]))]),
        current: Vec::new(),
    };
    let decl = match &item {
        syn::Item::Struct(s) => lowerer.record(s),
        syn::Item::Enum(e) => lowerer.enumeration(e),
        _ => None,
    };
    let Some(decl) = decl else {
        return errors_to_tokens(errors)
            .into_iter()
            .chain(stub_codec(&name, &input.generics))
            .collect();
    };
    // The type travels: check it as the payload of a remote.
    let use_span = spans.add(name.span());
    let value = ast::Field {
        name: ast::Ident {
            name: "value".to_string(),
            span: use_span,
        },
        ty: ast::TypeExpr {
            kind: ast::TypeExprKind::Path(vec![ast::Ident {
                name: name.to_string(),
                span: use_span,
            }]),
            span: use_span,
        },
        span: use_span,
    };
    let endpoint = ast::Decl::Endpoint(ast::Endpoint {
        attrs: Vec::new(),
        transport: ast::Transport::Remote,
        call: ast::Call::Event,
        keyword_span: use_span,
        name: ast::Ident {
            name: "Replicate".to_string(),
            span: use_span,
        },
        route: ast::Route::ServerToClient,
        route_span: use_span,
        params: vec![value],
        params_span: use_span,
        returns: None,
        span: use_span,
    });
    let file = ast::File {
        imports: Vec::new(),
        options: Vec::new(),
        decls: vec![decl, endpoint],
    };
    let mut compilation = tether_compiler::compile_ast(&name.to_string(), file);
    // The remote is the derive's own device: a note at it would name an
    // endpoint (`Replicate`) that the user never wrote.
    for diagnostic in &mut compilation.diagnostics {
        diagnostic.labels.retain(|label| label.span != use_span);
    }
    if !errors.is_empty() {
        return errors_to_tokens(errors)
            .into_iter()
            .chain(stub_codec(&name, &input.generics))
            .collect();
    }
    if let Some(errors) = diagnostics(&compilation, &spans) {
        return errors
            .into_iter()
            .chain(stub_codec(&name, &input.generics))
            .collect();
    }
    let warnings = warnings(&compilation, &spans);
    match generate_tokens(&compilation.schema, &options(None, true)) {
        Ok(tokens) => quote!(#tokens #warnings),
        Err(error) => syn::Error::new(name.span(), format!("tether: {error}")).to_compile_error(),
    }
}

/// Codec impls that keep the rest of the crate compiling while an error
/// about the type is reported: one mistake, one message. They take the
/// type's generics, which are an error of their own.
fn stub_codec(name: &syn::Ident, generics: &syn::Generics) -> TokenStream {
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    quote! {
        impl #impl_generics ::tether::wire::Encode for #name #ty_generics #where_clause {
            fn encode(
                &self,
                _: &mut ::tether::wire::Writer,
            ) -> ::core::result::Result<(), ::tether::wire::EncodeError> {
                ::core::unreachable!()
            }
        }
        impl #impl_generics ::tether::wire::Decode for #name #ty_generics #where_clause {
            fn decode(
                _: &mut ::tether::wire::Reader<'_>,
            ) -> ::core::result::Result<Self, ::tether::wire::DecodeError> {
                ::core::unreachable!()
            }
        }
    }
}

// ---------------------------------------------------------------------------
// #[protocol] mod game { .. }
// ---------------------------------------------------------------------------

pub fn protocol(args: TokenStream, mut module: syn::ItemMod) -> TokenStream {
    if !args.is_empty() {
        return syn::Error::new(
            args.span(),
            "tether: `#[tether::protocol]` takes no arguments",
        )
        .to_compile_error();
    }
    let Some((_, items)) = module.content.as_mut() else {
        return syn::Error::new(
            module.ident.span(),
            "tether: the protocol is an inline module: `mod game { .. }`",
        )
        .to_compile_error();
    };
    let mut spans = Spans::default();
    let mut errors = Vec::new();
    let mut modules = HashMap::new();
    collect_types(items, &mut Vec::new(), &mut modules);
    let mut lowerer = Lowerer {
        spans: &mut spans,
        errors: &mut errors,
        modules,
        current: Vec::new(),
    };
    let decls = lower_items(items, &mut lowerer);
    let file = ast::File {
        imports: Vec::new(),
        options: Vec::new(),
        decls,
    };
    let name = module.ident.to_string();
    let compilation = tether_compiler::compile_ast(&name, file);
    // A remote declared in Rust is for the Rust runtime, which speaks only
    // the packed wire; a native one would generate nothing here.
    for endpoint in compilation.schema.endpoints.iter() {
        if let Some((Encoding::Native, span)) = endpoint.attrs.encoding {
            errors.push(syn::Error::new(
                spans.rust(span),
                "tether: a remote declared in Rust is packed; `native` remotes pass plain Luau \
                 values through Roblox's own remote and exist only in generated Luau (declare it \
                 in a `.tether` schema)",
            ));
        }
    }
    let front_end_errors = errors_to_tokens(errors);
    let checker_errors = diagnostics(&compilation, &spans);
    let generated = generate_tokens(&compilation.schema, &options(Some(name), false))
        .and_then(|tokens| syn::parse2::<syn::File>(tokens).map_err(Into::into));
    let extra = match (front_end_errors.is_empty(), checker_errors, generated) {
        (true, None, Ok(generated)) => {
            if let Some((_, items)) = module.content.as_mut() {
                merge(items, generated.items);
            }
            warnings(&compilation, &spans)
        }
        (true, None, Err(error)) => {
            syn::Error::new(module.ident.span(), format!("tether: {error}")).to_compile_error()
        }
        // With only the checker's errors about Roblox's limitations, the API
        // is still generated where it can be, so that the code using it
        // compiles and each mistake is one message. (A type the front end
        // could not lower, or names that do not map one to one onto the
        // generated code, would not fit it.)
        (front_end_ok, checker_errors, generated) => {
            let structural = compilation
                .diagnostics
                .iter()
                .any(|d| d.is_error() && d.rule.family == Family::Structure);
            if let (true, false, Ok(generated), Some((_, items))) =
                (front_end_ok, structural, generated, module.content.as_mut())
            {
                merge(items, generated.items);
            }
            let checker_errors = checker_errors.unwrap_or_default();
            quote!(#front_end_errors #checker_errors)
        }
    };
    quote!(#module #extra)
}

/// The names of the structs and enums declared in `items` and the modules
/// inside them, by module.
fn collect_types(
    items: &[syn::Item],
    module: &mut Vec<String>,
    out: &mut HashMap<Vec<String>, HashSet<String>>,
) {
    let names = out.entry(module.clone()).or_default();
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                names.insert(s.ident.to_string());
            }
            syn::Item::Enum(e) => {
                names.insert(e.ident.to_string());
            }
            _ => {}
        }
    }
    for item in items {
        if let syn::Item::Mod(syn::ItemMod {
            ident,
            content: Some((_, inner)),
            ..
        }) = item
        {
            module.push(ident.to_string());
            collect_types(inner, module, out);
            module.pop();
        }
    }
}

/// Lowers the declarations of a module and takes out what rustc must not
/// see: the endpoint functions and the front end's attributes.
fn lower_items(items: &mut Vec<syn::Item>, lowerer: &mut Lowerer) -> Vec<ast::Decl> {
    let mut decls = Vec::new();
    let mut kept = Vec::new();
    for mut item in std::mem::take(items) {
        match &mut item {
            syn::Item::Struct(s) => {
                decls.extend(lowerer.record(s));
                attrs::strip(&mut s.attrs);
                s.fields.iter_mut().for_each(|f| attrs::strip(&mut f.attrs));
            }
            syn::Item::Enum(e) => {
                decls.extend(lowerer.enumeration(e));
                attrs::strip(&mut e.attrs);
                for variant in &mut e.variants {
                    variant
                        .fields
                        .iter_mut()
                        .for_each(|f| attrs::strip(&mut f.attrs));
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = m.content.as_mut() {
                    let name = ast::Ident {
                        name: pascal_case(&m.ident.to_string()),
                        span: lowerer.spans.add(m.ident.span()),
                    };
                    lowerer.current.push(m.ident.to_string());
                    let inner_decls = lower_items(inner, lowerer);
                    lowerer.current.pop();
                    decls.push(ast::Decl::Namespace(ast::Namespace {
                        span: name.span,
                        name,
                        decls: inner_decls,
                    }));
                }
            }
            syn::Item::Verbatim(tokens) => {
                if let Ok(function) = syn::parse2::<syn::TraitItemFn>(tokens.clone()) {
                    match attrs::endpoint_kind(&function.attrs, lowerer.errors) {
                        Some(kind) => {
                            decls.extend(lowerer.endpoint(&function, &kind));
                            kept.push(signature_alias(&function.sig));
                        }
                        // A malformed `#[remote(..)]`: `endpoint_kind` said what is wrong.
                        None if function.attrs.iter().any(|a| {
                            a.path().is_ident("remote") || a.path().is_ident("bindable")
                        }) => {}
                        None => lowerer.errors.push(syn::Error::new(
                            function.sig.ident.span(),
                            "tether: a function without a body declares an endpoint: \
                             add `#[remote(event, client -> server)]` or `#[bindable(event, server)]`",
                        )),
                    }
                    continue;
                }
            }
            syn::Item::Fn(f) if attrs::endpoint_kind(&f.attrs, lowerer.errors).is_some() => {
                lowerer.errors.push(syn::Error::new(
                    f.block.span(),
                    "tether: an endpoint is declared without a body: `fn chat(message: String);`",
                ));
                continue;
            }
            _ => {}
        }
        kept.push(item);
    }
    *items = kept;
    decls
}

/// The endpoint's signature as a hidden `fn` pointer type: the function
/// itself is not Rust, but the imports its types name stay in use.
fn signature_alias(sig: &syn::Signature) -> syn::Item {
    let name = quote::format_ident!("__tether_endpoint_{}", sig.ident);
    let inputs = sig.inputs.iter().filter_map(|input| match input {
        syn::FnArg::Typed(typed) => Some(&typed.ty),
        syn::FnArg::Receiver(_) => None,
    });
    let output = &sig.output;
    syn::parse_quote! {
        #[allow(dead_code, non_camel_case_types)]
        #[doc(hidden)]
        type #name = fn(#(#inputs),*) #output;
    }
}

/// Adds the generated items to the user's module, putting the items of a
/// generated `mod x` into the user's `mod x` when there is one.
fn merge(items: &mut Vec<syn::Item>, generated: Vec<syn::Item>) {
    for item in generated {
        if let syn::Item::Mod(syn::ItemMod {
            ident,
            content: Some((_, inner)),
            ..
        }) = &item
        {
            let existing = items.iter_mut().find_map(|i| match i {
                syn::Item::Mod(m) if m.ident == *ident => m.content.as_mut(),
                _ => None,
            });
            if let Some((_, user_items)) = existing {
                merge(user_items, inner.clone());
                continue;
            }
        }
        items.push(item);
    }
}

// ---------------------------------------------------------------------------
// include_schema!("schemas/game.tether")
// ---------------------------------------------------------------------------

/// `invoking_dir`: the directory of the file that invokes the macro, which
/// relative paths start from; the manifest directory when unknown.
pub fn include_schema(path: syn::LitStr, invoking_dir: Option<PathBuf>) -> TokenStream {
    let base = invoking_dir
        .unwrap_or_else(|| PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()));
    // rustc may name the invoking file relative to its working directory;
    // `include_bytes!` below would take such a path from the invoking file.
    let joined = base.join(path.value());
    let full =
        tether_compiler::normalize_lexically(&std::path::absolute(&joined).unwrap_or(joined));
    let compilation =
        match tether_compiler::compile(&tether_compiler::FsLoader, std::slice::from_ref(&full)) {
            Ok(compilation) => compilation,
            Err(error) => {
                return syn::Error::new(path.span(), format!("tether: {error}")).to_compile_error()
            }
        };
    // Cargo rebuilds the crate when a file it includes changes: every
    // schema file read, imports included.
    let tracked: Vec<TokenStream> = compilation
        .sources
        .iter()
        .filter_map(|(_, file)| file.path.as_ref())
        .map(|p| {
            let p = p.display().to_string();
            quote!(
                const _: &[u8] = ::core::include_bytes!(#p);
            )
        })
        .collect();
    if compilation.has_errors() {
        let errors = compilation
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| {
                let text = tether_compiler::build::render(&compilation.sources, d);
                syn::Error::new(path.span(), text).to_compile_error()
            });
        return quote!(#(#tracked)* #(#errors)*);
    }
    let stem = full.file_stem().map(|s| s.to_string_lossy().into_owned());
    let options = RustOptions::default().runtime_crate(RUNTIME);
    let options = match stem {
        Some(stem) => options.protocol_name(stem),
        None => options,
    };
    match generate_tokens(&compilation.schema, &options) {
        Ok(tokens) => quote!(#(#tracked)* #tokens),
        Err(error) => {
            let error = syn::Error::new(path.span(), format!("tether: {error}")).to_compile_error();
            quote!(#(#tracked)* #error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_included_schema_is_tracked_with_every_import() {
        let path = syn::LitStr::new("../schemas/game.tether", proc_macro2::Span::call_site());
        let expansion = include_schema(path, None).to_string();
        let tracked: Vec<&str> = expansion
            .split("include_bytes !")
            .skip(1)
            .filter_map(|rest| rest.split('"').nth(1))
            .collect();
        assert_eq!(tracked.len(), 2, "{tracked:?}");
        assert!(tracked[0].ends_with("schemas/game.tether"), "{tracked:?}");
        assert!(
            tracked[1].ends_with("schemas/shared/types.tether"),
            "{tracked:?}"
        );
        assert!(expansion.contains("pub static PROTOCOL : :: tether :: Protocol"));
    }

    #[test]
    fn a_schema_with_errors_is_still_tracked_and_reports_each_error() {
        let dir = std::env::temp_dir().join(format!("tether-include-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("broken.tether");
        std::fs::write(&file, "type M = {[f32]: string}\ntype N = {u8?}\n").unwrap();
        let path = syn::LitStr::new(&file.display().to_string(), proc_macro2::Span::call_site());
        let expansion = include_schema(path, None).to_string();
        assert!(expansion.contains("include_bytes"));
        assert!(expansion.contains("invalid-key"), "{expansion}");
        assert!(expansion.contains("nil-in-table"), "{expansion}");
        assert!(!expansion.contains("PROTOCOL"));
        std::fs::remove_dir_all(&dir).ok();
    }
}
