//! `ambiguous-union`: a union whose arms the encoder could not tell apart
//! by what a Luau value is (`ir::union`).

use super::Sink;
use crate::diag::{rules, Diagnostic};
use crate::ir::union::{luau_kind, LuauKind};
use crate::ir::{DeclKind, Schema, Ty, TyKind};

pub(super) fn check(schema: &Schema, sink: &mut Sink) {
    let mut stack: Vec<&Ty> = Vec::new();
    for decl in &schema.decls {
        match &decl.kind {
            DeclKind::Alias { ty } => stack.push(ty),
            DeclKind::Enum { variants } => stack.extend(
                variants
                    .iter()
                    .flat_map(|v| v.fields.iter().flatten().map(|f| &f.ty)),
            ),
        }
    }
    for endpoint in &schema.endpoints {
        stack.extend(endpoint.params.iter().map(|p| &p.ty));
        stack.extend(endpoint.returns.iter().flatten());
    }
    while let Some(ty) = stack.pop() {
        if let TyKind::Union { arms } = &ty.kind {
            check_arms(schema, arms, sink);
        }
        stack.extend(ty.children());
    }
}

fn check_arms(schema: &Schema, arms: &[Ty], sink: &mut Sink) {
    let mut seen: Vec<(LuauKind, &Ty)> = Vec::new();
    for arm in arms {
        let Some(kind) = luau_kind(schema, arm) else {
            if !matches!(schema.unalias(arm).kind, TyKind::Error) {
                sink.push(
                    Diagnostic::new(
                        &rules::AMBIGUOUS_UNION,
                        arm.span,
                        "this arm's values are of no one kind the encoder can test",
                    )
                    .with_label("may be nil, any value, or another union")
                    .with_help("make the union optional instead (`(A | B)?`), or name one type"),
                );
            }
            continue;
        };
        match seen.iter().find(|(k, _)| *k == kind) {
            Some((_, first)) => sink.push(
                Diagnostic::new(
                    &rules::AMBIGUOUS_UNION,
                    arm.span,
                    format!(
                        "two arms of this union are both Luau `{}` values",
                        kind.name
                    ),
                )
                .with_label("the encoder could not tell this arm from the first")
                .with_secondary(first.span, format!("a `{}` too", kind.name))
                .with_help("merge the two arms into one type, or send a tagged enum"),
            ),
            None => seen.push((kind, arm)),
        }
    }
}
