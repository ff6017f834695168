//! The checker: every rule of the contract over the resolved IR.

use crate::diag::Diagnostic;
use crate::ir::Schema;

pub fn check(_schema: &Schema) -> Vec<Diagnostic> {
    Vec::new()
}
