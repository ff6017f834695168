//! `unbounded-recursion`: a type that contains itself with no optional,
//! possibly-empty array or map on the way, so no finite value of it exists.

use super::Sink;
use crate::diag::{rules, Diagnostic, Span};
use crate::ir::{DeclId, DeclKind, Schema, Ty, TyKind};

pub(super) fn check(schema: &Schema, sink: &mut Sink) {
    let finite = finite_decls(schema);
    let mut reported = vec![false; schema.decls.len()];
    for (index, decl) in schema.decls.iter().enumerate() {
        if finite[index] || reported[index] {
            continue;
        }
        let Some(cycle) = cycle_through(schema, &finite, DeclId(index as u32)) else {
            // Not on a cycle itself: it only contains a type that is, which is reported there.
            continue;
        };
        let mut diagnostic = Diagnostic::new(
            &rules::UNBOUNDED_RECURSION,
            decl.name_span,
            format!(
                "`{}` contains itself with nothing optional in between",
                decl.name
            ),
        )
        .with_label("no value of this type can be built: it would be infinitely large")
        .with_help("make the recursive reference optional (`T?`) or put it in an array (`{T}`)");
        for (_, reference) in &cycle {
            diagnostic = diagnostic.with_secondary(*reference, "contained here");
        }
        // One finding per group of types that contain each other.
        for member in strongly_connected(schema, &finite, DeclId(index as u32)) {
            reported[member.0 as usize] = true;
        }
        sink.push(diagnostic);
    }
}

/// Which declarations have at least one finite value, by fixed point: start
/// from none and add each one whose definition can be built from those known.
/// Sweeps alternate direction so that chains of aliases settle in a few
/// rounds whichever order they are declared in.
fn finite_decls(schema: &Schema) -> Vec<bool> {
    let mut finite = vec![false; schema.decls.len()];
    for round in 0.. {
        let mut changed = false;
        let order: Box<dyn Iterator<Item = (usize, &crate::ir::TypeDecl)>> = if round % 2 == 0 {
            Box::new(schema.decls.iter().enumerate())
        } else {
            Box::new(schema.decls.iter().enumerate().rev())
        };
        for (index, decl) in order {
            if !finite[index] && decl_is_finite(&decl.kind, &finite) {
                finite[index] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    finite
}

fn decl_is_finite(kind: &DeclKind, finite: &[bool]) -> bool {
    match kind {
        DeclKind::Alias { ty } => is_finite(ty, finite),
        DeclKind::Enum { variants } => {
            variants.is_empty()
                || variants
                    .iter()
                    .any(|v| v.fields.iter().flatten().all(|f| is_finite(&f.ty, finite)))
        }
    }
}

fn is_finite(ty: &Ty, finite: &[bool]) -> bool {
    match &ty.kind {
        TyKind::Named { decl } => finite.get(decl.0 as usize).copied().unwrap_or(true),
        TyKind::Array { elem, len } => len.min == 0 || is_finite(elem, finite),
        TyKind::Map { key, value, len } => {
            len.min == 0 || (is_finite(key, finite) && is_finite(value, finite))
        }
        TyKind::Record { fields } => fields.iter().all(|f| is_finite(&f.ty, finite)),
        TyKind::Metatable { table, .. } => is_finite(table, finite),
        TyKind::Optional { .. } | TyKind::Function { .. } | TyKind::MixedTable { .. } => true,
        _ => true,
    }
}

/// The references that lead from `start` back to itself through declarations
/// without finite values: `(declaration, span of the reference in it)`.
fn cycle_through(schema: &Schema, finite: &[bool], start: DeclId) -> Option<Vec<(DeclId, Span)>> {
    let mut path: Vec<(DeclId, Span)> = Vec::new();
    let mut on_path = vec![false; schema.decls.len()];
    let mut visited = vec![false; schema.decls.len()];
    // Each frame: a declaration and its remaining outgoing references.
    let mut stack: Vec<(DeclId, Vec<(DeclId, Span)>)> = vec![(start, edges(schema, finite, start))];
    on_path[start.0 as usize] = true;
    visited[start.0 as usize] = true;
    while let Some((from, pending)) = stack.last_mut() {
        let from = *from;
        let Some((to, span)) = pending.pop() else {
            on_path[from.0 as usize] = false;
            stack.pop();
            path.pop();
            continue;
        };
        if to == start {
            path.push((from, span));
            return Some(path);
        }
        if visited[to.0 as usize] || on_path[to.0 as usize] {
            continue;
        }
        visited[to.0 as usize] = true;
        on_path[to.0 as usize] = true;
        path.push((from, span));
        stack.push((to, edges(schema, finite, to)));
    }
    None
}

/// The declarations that `start` reaches and that reach `start` back.
fn strongly_connected(schema: &Schema, finite: &[bool], start: DeclId) -> Vec<DeclId> {
    let reachable = |from: DeclId| {
        let mut seen = vec![false; schema.decls.len()];
        let mut stack = vec![from];
        seen[from.0 as usize] = true;
        while let Some(next) = stack.pop() {
            for (to, _) in edges(schema, finite, next) {
                if !seen[to.0 as usize] {
                    seen[to.0 as usize] = true;
                    stack.push(to);
                }
            }
        }
        seen
    };
    let from_start = reachable(start);
    (0..schema.decls.len())
        .filter(|&i| from_start[i])
        .map(|i| DeclId(i as u32))
        .filter(|&d| d == start || reachable(d)[start.0 as usize])
        .collect()
}

/// References from a declaration to others without finite values, not
/// behind anything that may be empty.
fn edges(schema: &Schema, finite: &[bool], decl: DeclId) -> Vec<(DeclId, Span)> {
    let mut out = Vec::new();
    let Some(decl) = schema.decls.get(decl.0 as usize) else {
        return out;
    };
    let roots: Vec<&Ty> = match &decl.kind {
        DeclKind::Alias { ty } => vec![ty],
        DeclKind::Enum { variants } => variants
            .iter()
            .flat_map(|v| v.fields.iter().flatten().map(|f| &f.ty))
            .collect(),
    };
    let mut stack = roots;
    while let Some(ty) = stack.pop() {
        match &ty.kind {
            TyKind::Named { decl } if !finite.get(decl.0 as usize).copied().unwrap_or(true) => {
                out.push((*decl, ty.span));
            }
            TyKind::Array { elem, len } if len.min > 0 => stack.push(elem),
            TyKind::Map { key, value, len } if len.min > 0 => {
                stack.push(key);
                stack.push(value);
            }
            TyKind::Record { fields } => stack.extend(fields.iter().map(|f| &f.ty)),
            TyKind::Metatable { table, .. } => stack.push(table),
            _ => {}
        }
    }
    out.reverse();
    out
}
