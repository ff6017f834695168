//! Which values count against the nesting limit (`docs/wire-format.md`,
//! section 4.6): the types on a cycle of references. Both generators count
//! levels at exactly these points, so that a Rust peer and a Luau peer agree
//! on which values are too deep.
//!
//! The graph has a node per declaration and per anonymous record (a record
//! written inline, not as the whole body of a `type`). A node's edges go to
//! the declarations and anonymous records its body holds directly, through
//! any container but a function type (never encoded) or a metatable's
//! metatable (never sent). A level is counted on entering a value of a node
//! on a cycle, if that node has a codec of its own: a record (declared or
//! anonymous), an enum, or an alias that reaches itself through aliases only
//! (`type Tree = {Tree}`). Other aliases stand for their type and count
//! nothing themselves.

use super::graph::components;
use super::{DeclId, DeclKind, Field, Schema, Ty, TyKind};
use std::collections::HashMap;

/// The nesting points of a schema.
#[derive(Debug, Default)]
pub struct Recursion {
    /// By declaration: counts a level.
    decls: Vec<bool>,
    /// By declaration: an alias that reaches itself through aliases only.
    self_aliases: Vec<bool>,
    /// Anonymous records that count a level, by address.
    records: HashMap<*const Ty, ()>,
}

impl Recursion {
    pub fn new(schema: &Schema) -> Recursion {
        let mut graph = Graph {
            schema,
            anon: HashMap::new(),
            bodies: Vec::new(),
        };
        for decl in &schema.decls {
            let body = match &decl.kind {
                DeclKind::Alias { ty } => match own_record(ty) {
                    Some(fields) => fields.iter().map(|f| &f.ty).collect(),
                    None => vec![ty],
                },
                DeclKind::Enum { variants } => variants
                    .iter()
                    .flat_map(|v| v.fields.iter().flatten())
                    .map(|f| &f.ty)
                    .collect(),
            };
            graph.bodies.push(body);
        }
        for endpoint in &schema.endpoints {
            let tys = endpoint.params.iter().map(|p| &p.ty);
            for ty in tys.chain(endpoint.returns.iter().flatten()) {
                graph.discover(ty);
            }
        }
        for i in 0..schema.decls.len() {
            for ty in graph.bodies[i].clone() {
                graph.discover(ty);
            }
        }
        let decl_count = schema.decls.len();
        let edges: Vec<Vec<usize>> = (0..graph.bodies.len())
            .map(|i| {
                let mut out = Vec::new();
                for ty in &graph.bodies[i] {
                    graph.refs(ty, &mut out);
                }
                out
            })
            .collect();
        let cyclic = cyclic_nodes(&edges);

        let alias_edges: Vec<Vec<usize>> = (0..decl_count)
            .map(|i| {
                let mut out = Vec::new();
                if let DeclKind::Alias { ty } = &schema.decls[i].kind {
                    if own_record(ty).is_none() {
                        graph.alias_refs(ty, &mut out);
                    }
                }
                out
            })
            .collect();
        let self_aliases = cyclic_nodes(&alias_edges);

        let decls = (0..decl_count)
            .map(|i| {
                cyclic[i]
                    && match &schema.decls[i].kind {
                        DeclKind::Enum { .. } => true,
                        DeclKind::Alias { ty } => own_record(ty).is_some() || self_aliases[i],
                    }
            })
            .collect();
        let records = graph
            .anon
            .iter()
            .filter(|(_, &node)| cyclic[node])
            .map(|(&ty, _)| (ty, ()))
            .collect();
        Recursion {
            decls,
            self_aliases,
            records,
        }
    }

    /// Whether a value of declaration `decl` counts one level.
    pub fn counts_decl(&self, decl: DeclId) -> bool {
        self.decls.get(decl.0 as usize).copied().unwrap_or(false)
    }

    /// Whether a value of the anonymous record `ty` counts one level.
    pub fn counts_record(&self, ty: &Ty) -> bool {
        self.counts_record_at(ty)
    }

    /// [`Recursion::counts_record`] by the record's address.
    pub(crate) fn counts_record_at(&self, ty: *const Ty) -> bool {
        self.records.contains_key(&ty)
    }

    /// Whether the alias `decl` reaches itself through aliases only.
    pub fn is_self_alias(&self, decl: DeclId) -> bool {
        self.self_aliases
            .get(decl.0 as usize)
            .copied()
            .unwrap_or(false)
    }
}

/// The fields of a record that is a declaration's whole body (a metatable's
/// table included): the declaration is then that record.
pub fn own_record(ty: &Ty) -> Option<&[Field]> {
    match &ty.kind {
        TyKind::Record { fields } => Some(fields),
        TyKind::Metatable { table, .. } => own_record(table),
        _ => None,
    }
}

struct Graph<'s> {
    schema: &'s Schema,
    /// Anonymous records, by address, to their node.
    anon: HashMap<*const Ty, usize>,
    /// What each node holds: declarations first, then anonymous records.
    bodies: Vec<Vec<&'s Ty>>,
}

impl<'s> Graph<'s> {
    /// Gives every anonymous record inside `ty` a node (also inside function
    /// types: they are nodes without edges in).
    fn discover(&mut self, ty: &'s Ty) {
        let mut stack = vec![ty];
        while let Some(ty) = stack.pop() {
            match &ty.kind {
                TyKind::Record { fields } => {
                    let key = ty as *const Ty;
                    if !self.anon.contains_key(&key) {
                        self.anon.insert(key, self.bodies.len());
                        self.bodies.push(fields.iter().map(|f| &f.ty).collect());
                        stack.extend(fields.iter().map(|f| &f.ty));
                    }
                }
                _ => stack.extend(ty.children()),
            }
        }
    }

    /// The nodes `ty` holds directly.
    fn refs(&self, ty: &Ty, out: &mut Vec<usize>) {
        match &ty.kind {
            TyKind::Named { decl } if (decl.0 as usize) < self.schema.decls.len() => {
                out.push(decl.0 as usize)
            }
            TyKind::Record { .. } => {
                if let Some(&node) = self.anon.get(&(ty as *const Ty)) {
                    out.push(node);
                }
            }
            TyKind::Function { .. } => {}
            TyKind::Metatable { table, .. } => self.refs(table, out),
            _ => ty.children().into_iter().for_each(|c| self.refs(c, out)),
        }
    }

    /// The aliases (not records) an alias body reaches without passing
    /// through a record.
    fn alias_refs(&self, ty: &Ty, out: &mut Vec<usize>) {
        match &ty.kind {
            TyKind::Named { decl } => {
                if let Some(DeclKind::Alias { ty }) =
                    self.schema.decls.get(decl.0 as usize).map(|d| &d.kind)
                {
                    if own_record(ty).is_none() {
                        out.push(decl.0 as usize);
                    }
                }
            }
            TyKind::Record { .. } => {}
            TyKind::Metatable { table, .. } => self.alias_refs(table, out),
            _ => ty
                .children()
                .into_iter()
                .for_each(|c| self.alias_refs(c, out)),
        }
    }
}

/// Which nodes are on a cycle: in a component of two or more, or with an
/// edge to themselves.
fn cyclic_nodes(edges: &[Vec<usize>]) -> Vec<bool> {
    let mut cyclic = vec![false; edges.len()];
    for component in components(edges.len(), 0..edges.len(), |n| edges[n].clone()) {
        let on_cycle = component.len() > 1 || edges[component[0]].contains(&component[0]);
        if on_cycle {
            for node in component {
                cyclic[node] = true;
            }
        }
    }
    cyclic
}
