//! What the Rust generator makes of a schema before it writes any code: one
//! [`Item`] per Rust type it generates (declared types and enums, and the
//! anonymous records, each named from where it is written), which aliases
//! must become newtypes, which references must be boxed, and which types
//! carry function values (those have no encoding).

use super::names::{pascal_case, snake_case};
use super::GenError;
use crate::diag::Span;
use crate::ir::recursion::Recursion;
use crate::ir::size::SizeModel;
use crate::ir::{DeclKind, Field, Schema, Ty, TyKind, Variant};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// One Rust type the generator writes.
#[derive(Debug)]
pub struct Item<'s> {
    /// Rust module path from the root (snake_case namespace names).
    pub module: Vec<String>,
    /// The Rust name (PascalCase, not escaped).
    pub name: String,
    /// Where it comes from, for docs and errors: `Combat.Hit`, or
    /// `Combat.Attack(aim)` for an anonymous record.
    pub origin: String,
    /// Where it is written: a declaration's name, or an anonymous record.
    pub span: Span,
    pub kind: ItemKind<'s>,
    /// Whether a function value is reachable from it: it then has no
    /// encoding, and derives only `Clone`.
    pub has_function: bool,
    /// Whether a value of it can hold another value of it (through any
    /// container): its codec then counts levels against the runtime's
    /// nesting limit, so that a peer cannot exhaust the decoder's stack.
    pub recursive: bool,
}

#[derive(Debug)]
pub enum ItemKind<'s> {
    /// A record: `pub struct Name { .. }`.
    Struct(&'s [Field]),
    /// `enum Name { .. }`, unit or tagged.
    Enum(&'s [Variant]),
    /// An alias: `pub type Name = ..;`.
    Alias(&'s Ty),
    /// A union: `enum Name { Arm(T), .. }`, one variant per arm.
    Union(&'s [Ty]),
    /// An alias that reaches itself through other aliases only (`type Tree =
    /// {Tree}`); Rust rejects cyclic type aliases, so it is `pub struct Name(pub ..);`.
    Newtype(&'s Ty),
}

impl ItemKind<'_> {
    /// Whether the item is a nominal Rust type (not a `type` alias).
    pub fn is_nominal(&self) -> bool {
        !matches!(self, ItemKind::Alias(_))
    }
}

pub struct Model<'s> {
    pub items: Vec<Item<'s>>,
    /// The item of each declaration, by `DeclId`.
    pub decl_items: Vec<usize>,
    /// Anonymous records, by the address of their `Ty`.
    anon: HashMap<*const Ty, usize>,
    /// `Named` references (by address) that are written `Box<..>`.
    boxed: HashSet<*const Ty>,
    sizes: RefCell<SizeModel<'s>>,
}

impl<'s> Model<'s> {
    pub fn new(schema: &'s Schema) -> Result<Model<'s>, GenError> {
        let mut model = Model::names(schema);
        model.apply_recursion(&Recursion::new(schema));
        model.find_boxes();
        model.find_functions();
        Ok(model)
    }

    /// The items and their names, without what generating code needs
    /// besides (recursion, boxes, functions): what a walk that looks only
    /// at names needs.
    pub fn names(schema: &'s Schema) -> Model<'s> {
        let mut model = Model {
            items: Vec::new(),
            decl_items: Vec::with_capacity(schema.decls.len()),
            anon: HashMap::new(),
            boxed: HashSet::new(),
            sizes: RefCell::new(SizeModel::new(schema)),
        };
        for decl in &schema.decls {
            let module = module_of(decl.name.namespace());
            let name = pascal_case(decl.name.item());
            let origin = decl.name.to_string();
            let index = model.items.len();
            model.decl_items.push(index);
            match &decl.kind {
                // `type Either = (A | B)`: the union is the item.
                DeclKind::Alias {
                    ty:
                        Ty {
                            kind: TyKind::Union { arms },
                            ..
                        },
                } => {
                    model.push(
                        &module,
                        &name,
                        origin.clone(),
                        decl.name_span,
                        ItemKind::Union(arms),
                    );
                    for arm in arms {
                        model.discover(arm, &module, &name, true, &origin);
                    }
                }
                DeclKind::Alias { ty } => match record_fields(ty) {
                    Some(fields) => {
                        model.push(
                            &module,
                            &name,
                            origin.clone(),
                            decl.name_span,
                            ItemKind::Struct(fields),
                        );
                        for field in fields {
                            let context = format!("{name}{}", pascal_case(&field.name));
                            model.discover(&field.ty, &module, &context, false, &origin);
                        }
                    }
                    None => {
                        model.push(
                            &module,
                            &name,
                            origin.clone(),
                            decl.name_span,
                            ItemKind::Alias(ty),
                        );
                        model.discover(ty, &module, &name, true, &origin);
                    }
                },
                DeclKind::Enum { variants } => {
                    model.push(
                        &module,
                        &name,
                        origin.clone(),
                        decl.name_span,
                        ItemKind::Enum(variants),
                    );
                    for variant in variants {
                        for field in variant.fields.iter().flatten() {
                            let context = format!(
                                "{name}{}{}",
                                pascal_case(&variant.name),
                                pascal_case(&field.name)
                            );
                            model.discover(&field.ty, &module, &context, false, &origin);
                        }
                    }
                }
            }
        }
        // Native remotes exist only in the generated Luau.
        for endpoint in schema.endpoints.iter().filter(|e| !e.is_native_remote()) {
            let module = module_of(endpoint.name.namespace());
            let base = pascal_case(endpoint.name.item());
            let origin = endpoint.name.to_string();
            for param in &endpoint.params {
                let context = format!("{base}{}", pascal_case(&param.name));
                model.discover(&param.ty, &module, &context, false, &origin);
            }
            let returns = endpoint.returns.as_deref().unwrap_or_default();
            for (i, ty) in returns.iter().enumerate() {
                let context = match returns.len() {
                    1 => format!("{base}Return"),
                    _ => format!("{base}Return{i}"),
                };
                model.discover(ty, &module, &context, false, &origin);
            }
        }
        model
    }

    fn push(
        &mut self,
        module: &[String],
        name: &str,
        origin: String,
        span: Span,
        kind: ItemKind<'s>,
    ) {
        self.items.push(Item {
            module: module.to_vec(),
            name: name.to_string(),
            origin,
            span,
            kind,
            has_function: false,
            recursive: false,
        });
    }

    /// Names the anonymous records inside `ty`. `context` is the name a
    /// record found here takes; `taken` says a Rust item already has that
    /// name (the alias being walked), so the record takes `<context>Record`.
    fn discover(
        &mut self,
        ty: &'s Ty,
        module: &[String],
        context: &str,
        taken: bool,
        origin: &str,
    ) {
        match &ty.kind {
            TyKind::Record { fields } => {
                let name = if taken {
                    format!("{context}Record")
                } else {
                    context.to_string()
                };
                self.anon.insert(ty as *const Ty, self.items.len());
                self.push(
                    module,
                    &name,
                    format!("a record in `{origin}`"),
                    ty.span,
                    ItemKind::Struct(fields),
                );
                for field in fields {
                    let inner = format!("{name}{}", pascal_case(&field.name));
                    self.discover(&field.ty, module, &inner, false, origin);
                }
            }
            TyKind::Union { arms } => {
                let name = if taken {
                    format!("{context}Union")
                } else {
                    context.to_string()
                };
                self.anon.insert(ty as *const Ty, self.items.len());
                self.push(
                    module,
                    &name,
                    format!("a union in `{origin}`"),
                    ty.span,
                    ItemKind::Union(arms),
                );
                for arm in arms {
                    self.discover(arm, module, &name, true, origin);
                }
            }
            TyKind::Optional { inner } => self.discover(inner, module, context, taken, origin),
            TyKind::Array { elem, .. } => self.discover(elem, module, context, taken, origin),
            TyKind::Map { key, value, .. } => {
                self.discover(key, module, &format!("{context}Key"), false, origin);
                self.discover(value, module, context, taken, origin);
            }
            TyKind::Set { elem, .. } => self.discover(elem, module, context, taken, origin),
            TyKind::Metatable { table, .. } => self.discover(table, module, context, taken, origin),
            TyKind::Function { params, returns } => {
                for (i, param) in params.iter().enumerate() {
                    self.discover(param, module, &format!("{context}Arg{i}"), false, origin);
                }
                for (i, ret) in returns.iter().enumerate() {
                    self.discover(ret, module, &format!("{context}Ret{i}"), false, origin);
                }
            }
            _ => {}
        }
    }

    /// The item of an anonymous record.
    pub fn anon_item(&self, ty: &Ty) -> Option<usize> {
        self.anon.get(&(ty as *const Ty)).copied()
    }

    /// The item a `Named` reference points at.
    pub fn decl_item(&self, decl: crate::ir::DeclId) -> Option<usize> {
        self.decl_items.get(decl.0 as usize).copied()
    }

    /// Whether this `Named` reference is written `Box<..>`.
    pub fn is_boxed(&self, ty: &Ty) -> bool {
        self.boxed.contains(&(ty as *const Ty))
    }

    /// The smallest encoding of `ty`, in bits (for the decoders' length checks).
    pub fn min_bits(&self, ty: &Ty) -> u64 {
        let min = self.sizes.borrow_mut().of(ty).min;
        min.bytes.saturating_mul(8).saturating_add(min.bits)
    }

    /// Follows alias items (not newtypes) to the type they stand for.
    pub fn unalias<'a>(&'a self, mut ty: &'a Ty) -> &'a Ty {
        for _ in 0..=self.items.len() {
            let TyKind::Named { decl } = ty.kind else {
                return ty;
            };
            match self.decl_item(decl).map(|i| &self.items[i].kind) {
                Some(ItemKind::Alias(target)) => ty = target,
                _ => return ty,
            }
        }
        ty
    }

    /// Aliases that reach themselves through aliases only become newtypes;
    /// items on a cycle count levels where the wire says so.
    fn apply_recursion(&mut self, recursion: &Recursion) {
        for (decl, &item) in self.decl_items.iter().enumerate() {
            let decl = crate::ir::DeclId(decl as u32);
            if recursion.is_self_alias(decl) {
                if let ItemKind::Alias(ty) = self.items[item].kind {
                    self.items[item].kind = ItemKind::Newtype(ty);
                }
            }
            self.items[item].recursive = recursion.counts_decl(decl);
        }
        for (&ty, &item) in &self.anon {
            self.items[item].recursive = recursion.counts_record_at(ty);
        }
    }

    /// Boxes each by-value reference from an item to a nominal item of its
    /// own by-value cycle: every such cycle then holds a box.
    fn find_boxes(&mut self) {
        let edges: Vec<Vec<(usize, Option<*const Ty>)>> = self
            .items
            .iter()
            .map(|item| {
                let mut out = Vec::new();
                for ty in item_types(&item.kind) {
                    self.by_value_refs(ty, &mut out);
                }
                out
            })
            .collect();
        let component = components(&edges);
        for (from, targets) in edges.iter().enumerate() {
            for &(to, named) in targets {
                if let Some(named) = named {
                    if component[from] == component[to] && self.items[to].kind.is_nominal() {
                        self.boxed.insert(named);
                    }
                }
            }
        }
    }

    /// Items held by value inside `ty` (not behind a `Vec`, map or `Arc`).
    fn by_value_refs(&self, ty: &Ty, out: &mut Vec<(usize, Option<*const Ty>)>) {
        match &ty.kind {
            TyKind::Named { decl } => {
                if let Some(i) = self.decl_item(*decl) {
                    out.push((i, Some(ty as *const Ty)));
                }
            }
            TyKind::Record { .. } | TyKind::Union { .. } => {
                if let Some(i) = self.anon_item(ty) {
                    out.push((i, None));
                }
            }
            TyKind::Optional { inner } => self.by_value_refs(inner, out),
            TyKind::Metatable { table, .. } => self.by_value_refs(table, out),
            _ => {}
        }
    }

    /// Marks every item from which a function type is reachable.
    fn find_functions(&mut self) {
        let mut own = vec![false; self.items.len()];
        let edges: Vec<Vec<(usize, Option<*const Ty>)>> = self
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let mut out = Vec::new();
                for ty in item_types(&item.kind) {
                    own[i] |= self.all_refs(ty, &mut out);
                }
                out
            })
            .collect();
        let component = components(&edges);
        let count = component.iter().copied().max().map_or(0, |m| m + 1);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (i, &c) in component.iter().enumerate() {
            members[c].push(i);
        }
        // Components are numbered sinks first: edges lead to lower numbers.
        let mut has = vec![false; count];
        for c in 0..count {
            has[c] = members[c].iter().any(|&i| {
                own[i]
                    || edges[i]
                        .iter()
                        .any(|&(j, _)| component[j] != c && has[component[j]])
            });
        }
        for (i, item) in self.items.iter_mut().enumerate() {
            item.has_function = has[component[i]];
        }
    }

    /// Every item referenced inside `ty`; true if `ty` itself holds a function.
    fn all_refs(&self, ty: &Ty, out: &mut Vec<(usize, Option<*const Ty>)>) -> bool {
        match &ty.kind {
            TyKind::Function { .. } => true,
            TyKind::Named { decl } => {
                if let Some(i) = self.decl_item(*decl) {
                    out.push((i, None));
                }
                false
            }
            TyKind::Record { .. } | TyKind::Union { .. } => {
                if let Some(i) = self.anon_item(ty) {
                    out.push((i, None));
                }
                false
            }
            TyKind::Metatable { table, .. } => self.all_refs(table, out),
            _ => {
                let mut found = false;
                for child in ty.children() {
                    found |= self.all_refs(child, out);
                }
                found
            }
        }
    }
}

/// The types an item is made of.
fn item_types<'a>(kind: &'a ItemKind<'_>) -> Vec<&'a Ty> {
    match kind {
        ItemKind::Struct(fields) => fields.iter().map(|f| &f.ty).collect(),
        ItemKind::Enum(variants) => variants
            .iter()
            .flat_map(|v| v.fields.iter().flatten())
            .map(|f| &f.ty)
            .collect(),
        ItemKind::Alias(ty) | ItemKind::Newtype(ty) => vec![ty],
        ItemKind::Union(arms) => arms.iter().collect(),
    }
}

/// The fields of a record, also when it carries a metatable.
fn record_fields(ty: &Ty) -> Option<&[Field]> {
    match &ty.kind {
        TyKind::Record { fields } => Some(fields),
        TyKind::Metatable { table, .. } => record_fields(table),
        _ => None,
    }
}

/// The Rust module path of a namespace.
pub fn module_of(namespace: &[String]) -> Vec<String> {
    namespace.iter().map(|n| snake_case(n)).collect()
}

/// Strongly connected components (Tarjan, iterative), numbered in the
/// order they complete: every edge leads to a component of the same or a
/// lower number.
fn components<T>(edges: &[Vec<(usize, T)>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if let Some(&(to, _)) = edges[node].get(*edge) {
                *edge += 1;
                if index[to] == UNSEEN {
                    index[to] = next_index;
                    low[to] = next_index;
                    next_index += 1;
                    stack.push(to);
                    on_stack[to] = true;
                    work.push((to, 0));
                } else if on_stack[to] {
                    low[node] = low[node].min(index[to]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_find_cycles() {
        let edges: Vec<Vec<(usize, ())>> =
            vec![vec![(1, ())], vec![(0, ()), (2, ())], vec![], vec![(3, ())]];
        let c = components(&edges);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[0], c[2]);
        assert!(c[2] < c[0], "sinks first");
    }
}
