//! Turns text into an [`ast::File`], or one `syntax` diagnostic in words.

use super::ast;
use crate::diag::{Diagnostic, FileId};

/// Deepest nesting of brackets the parser accepts; deeper input is a
/// diagnostic rather than a risk to the stack.
pub const MAX_NESTING: usize = 64;

pub fn parse(_file: FileId, _text: &str) -> Result<ast::File, Box<Diagnostic>> {
    Ok(ast::File {
        imports: Vec::new(),
        decls: Vec::new(),
    })
}
