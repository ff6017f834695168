//! Spans between the two worlds: every Rust token the front end lowers gets
//! a one-byte span of its own in the synthetic file the compiler sees, so a
//! diagnostic's span leads back to the token.

use proc_macro2::{Span, TokenStream};
use tether_compiler::diag::{self, Diagnostic, FileId};

#[derive(Default)]
pub struct Spans {
    table: Vec<Span>,
}

impl Spans {
    /// A compiler span standing for the Rust `span`.
    pub fn add(&mut self, span: Span) -> diag::Span {
        let at = self.table.len();
        self.table.push(span);
        diag::Span::new(FileId(0), at, at + 1)
    }

    /// The Rust span a compiler span stands for (its first token's).
    pub fn rust(&self, span: diag::Span) -> Span {
        self.table
            .get(span.start as usize)
            .copied()
            .unwrap_or_else(Span::call_site)
    }

    /// A diagnostic as a `compile_error!` at its token: the rule, the
    /// message, the labels and the help, as rustc would print them.
    pub fn compile_error(&self, diagnostic: &Diagnostic) -> TokenStream {
        syn::Error::new(self.rust(diagnostic.span), self.describe(diagnostic)).to_compile_error()
    }

    /// [`describe`], with the line of each note about another line: rustc
    /// shows only the line of the diagnostic's own token.
    fn describe(&self, diagnostic: &Diagnostic) -> String {
        let line = |span| self.rust(span).unwrap().line();
        let here = line(diagnostic.span);
        describe(diagnostic, |span| {
            let there = line(span);
            (there != here).then(|| format!(" (line {there})"))
        })
    }
}

impl Spans {
    /// A warning as rustc shows one at a token: stable Rust gives macros no
    /// warnings of their own, so it is the deprecation warning of a hidden
    /// constant used there, whose note is the diagnostic.
    pub fn warning(&self, diagnostic: &Diagnostic) -> TokenStream {
        let span = self.rust(diagnostic.span);
        let note = self.describe(diagnostic);
        let name = quote::format_ident!("tether_warning", span = span);
        quote::quote_spanned! {span=>
            const _: () = {
                #[deprecated(note = #note)]
                #[allow(non_upper_case_globals)]
                const #name: () = ();
                #name
            };
        }
    }
}

/// The text of a diagnostic without its source lines (rustc shows those);
/// `whereabouts` may say where a note's token is.
pub fn describe(
    diagnostic: &Diagnostic,
    whereabouts: impl Fn(diag::Span) -> Option<String>,
) -> String {
    let mut text = format!(
        "{}[{}]: {}",
        diagnostic.rule.name, diagnostic.rule.code, diagnostic.message
    );
    if !diagnostic.label.is_empty() {
        text.push_str(&format!("\n  = note: {}", diagnostic.label));
    }
    // An empty label only marks a place; it has nothing to say.
    for label in diagnostic.labels.iter().filter(|l| !l.message.is_empty()) {
        let at = whereabouts(label.span).unwrap_or_default();
        text.push_str(&format!("\n  = note: {}{at}", label.message));
    }
    if let Some(help) = crate::fixes::help(diagnostic) {
        text.push_str(&format!("\n  = help: {help}"));
    }
    text
}
