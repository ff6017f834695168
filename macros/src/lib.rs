//! Procedural macros for Tether. They lower Rust items into the compiler's IR
//! and run the compiler's checker, so a rule lives in one place.

use proc_macro::TokenStream;

/// Checks a schema file at compile time and expands to nothing when it is
/// clean; every error becomes a `compile_error!`. (Code generation follows.)
#[proc_macro]
pub fn check_schema(input: TokenStream) -> TokenStream {
    let path = syn::parse_macro_input!(input as syn::LitStr);
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let full = std::path::Path::new(&manifest_dir).join(path.value());
    let errors: Vec<proc_macro2::TokenStream> =
        match tether_compiler::compile(&tether_compiler::FsLoader, &[full]) {
            Ok(compilation) => compilation
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| {
                    let message = format!("{}[{}]: {}", d.rule.name, d.rule.code, d.message);
                    syn::Error::new(path.span(), message).to_compile_error()
                })
                .collect(),
            Err(error) => vec![syn::Error::new(path.span(), error.to_string()).to_compile_error()],
        };
    quote::quote!(#(#errors)*).into()
}
