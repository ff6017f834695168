//! Procedural macros for Tether: declare remotes and bindables in Rust, with
//! the same checks, the same generated API and the same wire bytes as a
//! `.tether` schema. Each macro lowers Rust items into the compiler's syntax
//! tree ([`lower`]) and runs the compiler's own resolver, checker and
//! generator on it, so no rule is written twice. Use them through the
//! `tether` crate, whose paths the expansions name.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use proc_macro::TokenStream;

mod attrs;
mod expand;
mod fixes;
mod fragments;
mod lower;
mod spans;

/// Derives the wire codec of a struct or enum, after the checker has
/// passed it as the payload of a remote. Field attributes refine it:
/// `#[tether(range = "1..100")]`, `#[tether(len = "..64")]` or
/// `#[tether(max_len = 64)]`, `#[tether(nonfinite)]`, `#[tether(buffer)]`,
/// `#[tether(binary)]` (a `Vec<u8>` that is a Luau string of any bytes),
/// `#[tether(name = "Health")]`; on the type, `#[tether(rename_all =
/// "PascalCase")]`.
#[proc_macro_derive(Replicable, attributes(tether))]
pub fn derive_replicable(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(input).into()
}

/// Declares a protocol in a module: its structs and enums are the types,
/// and its body-less functions marked `#[remote(event, client -> server)]`,
/// `#[remote(function, ..)]`, `#[bindable(event, server)]` or
/// `#[bindable(function, ..)]` are the endpoints, with schema attributes in
/// `#[tether(rate(5/s), timeout(2s), unreliable, ..)]`. Expands to the
/// module with the generated `PROTOCOL`, `Server`, `Client` and handles.
#[proc_macro_attribute]
pub fn protocol(args: TokenStream, input: TokenStream) -> TokenStream {
    let module = syn::parse_macro_input!(input as syn::ItemMod);
    expand::protocol(args.into(), module).into()
}

/// Compiles a `.tether` schema at compile time and expands to the generated
/// items; cargo rebuilds when the schema or an import changes. Diagnostics
/// become compile errors. The path is relative to the file that invokes the
/// macro, as with `include_str!` (and as schema imports are relative to the
/// schema that imports).
#[proc_macro]
pub fn include_schema(input: TokenStream) -> TokenStream {
    let path = syn::parse_macro_input!(input as syn::LitStr);
    // A span with no file of its own (expanded from another macro, say)
    // resolves from the manifest directory instead.
    let invoking_dir = proc_macro::Span::call_site()
        .local_file()
        .and_then(|file| file.parent().map(std::path::Path::to_path_buf));
    expand::include_schema(path, invoking_dir).into()
}
