//! `unbounded-recursion`: a type that contains itself with no optional,
//! possibly-empty array or map on the way, so no finite value of it exists.

use super::Sink;
use crate::diag::diagnostic::{Fix, Suggestion};
use crate::diag::{rules, Diagnostic, Span};
use crate::ir::{graph, DeclId, DeclKind, Schema, Ty, TyKind};

/// Secondary labels shown along a cycle; a longer cycle is summarised.
const MAX_CYCLE_LABELS: usize = 8;

pub(super) fn check(schema: &Schema, sink: &mut Sink) {
    let finite = finite_decls(schema);
    let graph: Vec<Vec<(DeclId, Span)>> = (0..schema.decls.len())
        .map(|i| {
            if finite[i] {
                Vec::new()
            } else {
                edges(schema, &finite, DeclId(i as u32))
            }
        })
        .collect();
    // One finding per group of types that contain each other, at its first member.
    let mut groups: Vec<Vec<DeclId>> = graph::components(graph.len(), 0..graph.len(), |node| {
        graph[node].iter().map(|(to, _)| to.0 as usize).collect()
    })
    .into_iter()
    .map(|group| group.into_iter().map(|d| DeclId(d as u32)).collect())
    .collect();
    groups.retain(|group| {
        group.len() > 1
            || graph[group[0].0 as usize]
                .iter()
                .any(|(to, _)| *to == group[0])
    });
    groups.sort_by_key(|group| group[0]);
    for group in groups {
        let start = group[0];
        let decl = schema.decl(start);
        let cycle = cycle_within(&graph, &group, start);
        let mut diagnostic = Diagnostic::new(
            &rules::UNBOUNDED_RECURSION,
            decl.name_span,
            format!(
                "`{}` contains itself with nothing optional in between",
                decl.name
            ),
        )
        .with_label("no value of this type can be built: it would be infinitely large")
        .with_suggestion(
            Suggestion::new()
                .text("make the recursive reference optional (")
                .code(Fix::Optional)
                .text(") or put it in an array (")
                .code(Fix::Array)
                .text(")"),
        );
        for reference in cycle.iter().take(MAX_CYCLE_LABELS) {
            diagnostic = diagnostic.with_secondary(*reference, "contained here");
        }
        if cycle.len() > MAX_CYCLE_LABELS {
            let more = cycle.len() - MAX_CYCLE_LABELS;
            let last = cycle[cycle.len() - 1];
            diagnostic =
                diagnostic.with_secondary(last, format!("and back here, after {more} more"));
        }
        sink.push(diagnostic);
    }
}

/// The references along one cycle from `start` back to itself, staying
/// inside its component.
fn cycle_within(graph: &[Vec<(DeclId, Span)>], group: &[DeclId], start: DeclId) -> Vec<Span> {
    let in_group = |d: DeclId| group.binary_search(&d).is_ok();
    let mut came_from: std::collections::HashMap<DeclId, (DeclId, Span)> = Default::default();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for &(to, span) in &graph[node.0 as usize] {
            if to == start {
                let mut path = vec![span];
                let mut at = node;
                while at != start {
                    let Some(&(previous, reference)) = came_from.get(&at) else {
                        break;
                    };
                    path.push(reference);
                    at = previous;
                }
                path.reverse();
                return path;
            }
            if in_group(to) && !came_from.contains_key(&to) {
                came_from.insert(to, (node, span));
                queue.push_back(to);
            }
        }
    }
    Vec::new()
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
        TyKind::Set { elem, len } => len.min == 0 || is_finite(elem, finite),
        TyKind::Record { fields } => fields.iter().all(|f| is_finite(&f.ty, finite)),
        TyKind::Metatable { table, .. } => is_finite(table, finite),
        TyKind::Optional { .. } | TyKind::Function { .. } | TyKind::MixedTable { .. } => true,
        _ => true,
    }
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
            TyKind::Set { elem, len } if len.min > 0 => stack.push(elem),
            TyKind::Record { fields } => stack.extend(fields.iter().map(|f| &f.ty)),
            TyKind::Metatable { table, .. } => stack.push(table),
            _ => {}
        }
    }
    out.reverse();
    out
}
