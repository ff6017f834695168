//! Codecs in Luau: the statements that write a value and read one back, for
//! every type form, byte for byte as `docs/wire-format.md` says. Declared
//! types get one writer `W.Name` and one reader `R.Name` each, shared by
//! every message that carries them; a message's own codec only strings
//! those calls and the runtime's primitives together.

use super::code::Code;
use super::names::{field, key, string};
use super::types::unsupported;
use super::GenError;
use crate::ir::layout::{flat_record, Leaf};
use crate::ir::packing::{int_bounds, int_packing};
use crate::ir::recursion::{own_record, Recursion};
use crate::ir::size::{span_bits, SizeModel};
use crate::ir::union::luau_kind;
use crate::ir::{DeclId, DeclKind, Field, LenRange, NumKind, NumRange, Schema, Ty, TyKind};
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use tether_facts::wire::tag_bits;

pub struct Codec<'s> {
    pub schema: &'s Schema,
    recursion: Recursion,
    sizes: RefCell<SizeModel<'s>>,
    /// The runtime functions the generated code calls, each a local.
    used: RefCell<BTreeSet<&'static str>>,
    /// Declared enums and Roblox enums whose tables the code reads (`E.Name`).
    enums: RefCell<BTreeSet<EnumRef>>,
    fresh: Cell<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum EnumRef {
    Declared(DeclId),
    Roblox(String),
}

impl<'s> Codec<'s> {
    pub fn new(schema: &'s Schema) -> Codec<'s> {
        Codec {
            schema,
            recursion: Recursion::new(schema),
            sizes: RefCell::new(SizeModel::new(schema)),
            used: RefCell::new(BTreeSet::new()),
            enums: RefCell::new(BTreeSet::new()),
            fresh: Cell::new(0),
        }
    }

    /// Marks a runtime function used and returns the local that holds it.
    pub fn rt(&self, name: &'static str) -> &'static str {
        self.used.borrow_mut().insert(name);
        name
    }

    pub fn used(&self) -> Vec<&'static str> {
        self.used.borrow().iter().copied().collect()
    }

    pub fn enums(&self) -> Vec<EnumRef> {
        self.enums.borrow().iter().cloned().collect()
    }

    pub(super) fn fresh(&self, stem: &str) -> String {
        let n = self.fresh.get() + 1;
        self.fresh.set(n);
        format!("{stem}{n}")
    }

    /// The smallest encoding of `ty`, in bits.
    fn min_bits(&self, ty: &Ty) -> u64 {
        let min = self.sizes.borrow_mut().of(ty).min;
        min.bytes.saturating_mul(8).saturating_add(min.bits)
    }

    /// Whether a reference to `decl` is written in place rather than
    /// through `W.Name`/`R.Name`: an alias of a small leaf type.
    pub fn inlined(&self, decl: DeclId) -> bool {
        let Some(DeclKind::Alias { ty }) = self.schema.decls.get(decl.0 as usize).map(|d| &d.kind)
        else {
            return false;
        };
        if self.recursion.counts_decl(decl) || self.recursion.is_self_alias(decl) {
            return false;
        }
        leafish(ty)
    }

    /// The declarations whose codecs `tys` reach, through other
    /// declarations (inlined aliases are followed, not listed).
    pub fn reached<'t>(&self, tys: impl IntoIterator<Item = &'t Ty>) -> BTreeSet<DeclId> {
        let mut found = BTreeSet::new();
        let mut stack: Vec<&Ty> = tys.into_iter().collect();
        let mut seen = BTreeSet::new();
        while let Some(ty) = stack.pop() {
            ty.walk(&mut |t: &Ty| {
                if let TyKind::Named { decl } = t.kind {
                    if seen.insert(decl) {
                        if !self.inlined(decl) {
                            found.insert(decl);
                        }
                        if let Some(d) = self.schema.decls.get(decl.0 as usize) {
                            match &d.kind {
                                DeclKind::Alias { ty } => stack.push(ty),
                                DeclKind::Enum { variants } => {
                                    for f in variants.iter().flat_map(|v| v.fields.iter().flatten())
                                    {
                                        stack.push(&f.ty);
                                    }
                                }
                            }
                        }
                    }
                }
            });
        }
        found
    }

    // ------------------------------------------------------------------
    // Writing
    // ------------------------------------------------------------------

    /// Statements that write `v` (a Luau expression without side effects)
    /// as a value of `ty`.
    pub fn write(&self, ty: &Ty, v: &str, out: &mut Code, origin: &str) -> Result<(), GenError> {
        match &ty.kind {
            TyKind::Boolean => out.line(format!("{}({v})", self.rt("wbool"))),
            TyKind::Number {
                kind,
                range,
                nonfinite,
            } => out.line(self.number(*kind, *range, *nonfinite, Some(v))),
            TyKind::String { len } => {
                out.line(format!("{}({v}, {})", self.rt("wstr"), len_args(*len)))
            }
            TyKind::Buffer { len } => {
                out.line(format!("{}({v}, {})", self.rt("wbuf"), len_args(*len)))
            }
            // A string whose bytes are not checked for UTF-8.
            TyKind::Binary { len } => out.line(format!(
                "{}({v}, {}, true)",
                self.rt("wstr"),
                len_args_full(*len)
            )),
            TyKind::Optional { inner } => self.bound(v, out, |x, out| {
                let bit = self.rt("bit");
                out.open(format!("if {x} == nil then"));
                out.line(format!("{bit}(false)"));
                out.reopen("else");
                out.line(format!("{bit}(true)"));
                self.write(inner, x, out, origin)?;
                out.close("end");
                Ok(())
            })?,
            TyKind::Array { elem, len } => self.write_array(elem, *len, v, out, origin)?,
            TyKind::Map { key, value, len } => self.bound(v, out, |x, out| {
                out.line(format!("{}({x}, {})", self.rt("wmap"), len_args(*len)));
                let (k, e) = (self.fresh("k"), self.fresh("v"));
                out.open(format!("for {k}, {e} in {x} do"));
                self.write(key, &k, out, origin)?;
                self.write(value, &e, out, origin)?;
                out.close("end");
                Ok(())
            })?,
            // The arm's index, found by what the value is, then the value.
            TyKind::Union { arms } => self.bound(v, out, |x, out| {
                let k = tag_bits(arms.len() as u64);
                let mut kinds = Vec::new();
                for (index, arm) in arms.iter().enumerate() {
                    let kind = luau_kind(self.schema, arm)
                        .ok_or_else(|| unsupported("a union arm of no one kind", origin))?;
                    let test = match kind.by_typeof {
                        true => format!("typeof({x}) == {}", string(kind.name)),
                        false => format!("type({x}) == {}", string(kind.name)),
                    };
                    match index {
                        0 => out.open(format!("if {test} then")),
                        _ => out.reopen(format!("elseif {test} then")),
                    }
                    out.line(format!("{}({index}, {k})", self.rt("warm")));
                    self.write(arm, x, out, origin)?;
                    kinds.push(kind.name);
                }
                out.reopen("else");
                let kinds = string(&format!("a {}", kinds.join(" or a ")));
                out.line(format!("{}({kinds}, {x})", self.rt("noarm")));
                out.close("end");
                Ok(())
            })?,
            // A set is its count, then each element (a key whose value is
            // `true`).
            TyKind::Set { elem, len } => self.bound(v, out, |x, out| {
                out.line(format!("{}({x}, {})", self.rt("wmap"), len_args(*len)));
                let k = self.fresh("k");
                out.open(format!("for {k} in {x} do"));
                self.write(elem, &k, out, origin)?;
                out.close("end");
                Ok(())
            })?,
            TyKind::Record { fields } => {
                let counted = self.recursion.counts_record(ty);
                if counted {
                    out.line(format!("{}()", self.rt("wenter")));
                }
                self.write_fields(fields, v, out, origin)?;
                if counted {
                    out.line(format!("{}()", self.rt("wleave")));
                }
            }
            TyKind::Named { decl } => match self.decl(*decl, origin)? {
                DeclKind::Alias { ty } if self.inlined(*decl) => self.write(ty, v, out, origin)?,
                DeclKind::Enum { variants } if variants.iter().all(|v| v.fields.is_none()) => {
                    self.enums.borrow_mut().insert(EnumRef::Declared(*decl));
                    let name = self.enum_table(*decl);
                    out.line(format!("{}({name}, {v})", self.rt("wenum")));
                }
                _ => out.line(format!("W.{}({v})", self.function_name(*decl))),
            },
            TyKind::Datatype { datatype } => out.line(format!(
                "{}({v})",
                self.rt(datatype_fn(datatype.name(), true))
            )),
            TyKind::RobloxEnum { name } => {
                self.enums
                    .borrow_mut()
                    .insert(EnumRef::Roblox(name.clone()));
                out.line(format!("{}(E.{name}, {v})", self.rt("wrenum")));
            }
            TyKind::Instance { class, .. } => {
                out.line(format!("{}({v}{})", self.rt("winst"), class_arg(class)))
            }
            TyKind::Any => out.line(format!("{}({v})", self.rt("wany"))),
            TyKind::Metatable { table, .. } => self.write(table, v, out, origin)?,
            TyKind::Function { .. } => return Err(unsupported("a function", origin)),
            TyKind::MixedTable { .. }
            | TyKind::Extern { .. }
            | TyKind::Shared { .. }
            | TyKind::Error => return Err(unsupported("this type", origin)),
        }
        Ok(())
    }

    /// Runs `body` with `v` as a plain local: itself if it is one, else a
    /// local in a block of its own.
    fn bound(
        &self,
        v: &str,
        out: &mut Code,
        body: impl FnOnce(&str, &mut Code) -> Result<(), GenError>,
    ) -> Result<(), GenError> {
        if is_local(v) {
            return body(v, out);
        }
        let x = self.fresh("x");
        out.open("do");
        out.line(format!("local {x} = {v}"));
        body(&x, out)?;
        out.close("end");
        Ok(())
    }

    fn write_fields(
        &self,
        fields: &[Field],
        v: &str,
        out: &mut Code,
        origin: &str,
    ) -> Result<(), GenError> {
        // A value that is no table is named as such, not met as an error
        // indexing it.
        if fields.len() <= 1 {
            out.line(format!("{}({v})", self.rt("wrec")));
            for f in fields {
                self.write(&f.ty, &field(v, &f.name), out, origin)?;
            }
            return Ok(());
        }
        self.bound(v, out, |x, out| {
            out.line(format!("{}({x})", self.rt("wrec")));
            for f in fields {
                self.write(&f.ty, &field(x, &f.name), out, origin)?;
            }
            Ok(())
        })
    }

    fn write_array(
        &self,
        elem: &Ty,
        len: LenRange,
        v: &str,
        out: &mut Code,
        origin: &str,
    ) -> Result<(), GenError> {
        if matches!(self.schema.unalias(elem).kind, TyKind::Boolean) {
            out.line(format!("{}({v}, {})", self.rt("wbools"), len_args(len)));
            return Ok(());
        }
        let leaves = flat_record(self.schema, elem);
        self.bound(v, out, |x, out| {
            let n = self.fresh("n");
            out.line(format!(
                "local {n} = {}({x}, {})",
                self.rt("warr"),
                len_args(len)
            ));
            let i = self.fresh("i");
            match &leaves {
                // Column by column (section 4.4).
                Some(leaves) => {
                    for leaf in leaves {
                        if let Some(call) = self.column(leaf, "w", x, &n) {
                            out.line(call);
                            continue;
                        }
                        out.open(format!("for {i} = 1, {n} do"));
                        let place = leaf_place(&format!("{x}[{i}]"), leaf);
                        self.write(leaf.ty, &place, out, origin)?;
                        out.close("end");
                    }
                }
                None => {
                    out.open(format!("for {i} = 1, {n} do"));
                    self.write(elem, &format!("{x}[{i}]"), out, origin)?;
                    out.close("end");
                }
            }
            Ok(())
        })
    }

    // ------------------------------------------------------------------
    // Reading
    // ------------------------------------------------------------------

    /// Reads a value of `ty`: statements into `out`, and an expression that
    /// holds the value, to be used before anything else is read.
    pub fn read(&self, ty: &Ty, out: &mut Code, origin: &str) -> Result<String, GenError> {
        Ok(match &ty.kind {
            TyKind::Boolean => format!("{}()", self.rt("rbit")),
            TyKind::Number {
                kind,
                range,
                nonfinite,
            } => self.number(*kind, *range, *nonfinite, None),
            TyKind::String { len } => format!("{}({})", self.rt("rstr"), len_args(*len)),
            TyKind::Buffer { len } => format!("{}({})", self.rt("rbuf"), len_args(*len)),
            TyKind::Binary { len } => {
                format!("{}({}, true)", self.rt("rstr"), len_args_full(*len))
            }
            TyKind::Optional { inner } => {
                let mut body = Code::new();
                let value = self.read(inner, &mut body, origin)?;
                let rbit = self.rt("rbit");
                if body.is_empty() {
                    format!("(if {rbit}() then {value} else nil)")
                } else {
                    let x = self.fresh("x");
                    out.line(format!("local {x}: any = nil"));
                    out.open(format!("if {rbit}() then"));
                    out.append(body);
                    out.line(format!("{x} = {value}"));
                    out.close("end");
                    x
                }
            }
            TyKind::Array { elem, len } => self.read_array(elem, *len, out, origin)?,
            TyKind::Map { key, value, len } => {
                self.read_keyed(key, Some(value), *len, "repeated map key", out, origin)?
            }
            TyKind::Set { elem, len } => {
                self.read_keyed(elem, None, *len, "repeated set element", out, origin)?
            }
            TyKind::Union { arms } => {
                let (arm, v) = (self.fresh("arm"), self.fresh("x"));
                let k = tag_bits(arms.len() as u64);
                out.line(format!(
                    "local {arm} = {}({}, {k})",
                    self.rt("rarm"),
                    arms.len()
                ));
                out.line(format!("local {v}: any"));
                for (index, ty) in arms.iter().enumerate() {
                    let test = format!("if {arm} == {index} then");
                    if index == 0 {
                        out.open(test);
                    } else if index + 1 == arms.len() {
                        out.reopen("else");
                    } else {
                        out.reopen(format!("else{test}"));
                    }
                    let value = self.read(ty, out, origin)?;
                    out.line(format!("{v} = {value}"));
                }
                out.close("end");
                v
            }
            TyKind::Record { fields } => {
                if self.recursion.counts_record(ty) {
                    out.line(format!("{}()", self.rt("renter")));
                    let value = self.read_record(fields, None, out, origin)?;
                    let x = self.fresh("x");
                    out.line(format!("local {x} = {value}"));
                    out.line(format!("{}()", self.rt("rleave")));
                    x
                } else {
                    self.read_record(fields, None, out, origin)?
                }
            }
            TyKind::Named { decl } => match self.decl(*decl, origin)? {
                DeclKind::Alias { ty } if self.inlined(*decl) => self.read(ty, out, origin)?,
                DeclKind::Enum { variants } if variants.iter().all(|v| v.fields.is_none()) => {
                    self.enums.borrow_mut().insert(EnumRef::Declared(*decl));
                    format!("{}({})", self.rt("renum"), self.enum_table(*decl))
                }
                _ => format!("R.{}()", self.function_name(*decl)),
            },
            TyKind::Datatype { datatype } => {
                format!("{}()", self.rt(datatype_fn(datatype.name(), false)))
            }
            TyKind::RobloxEnum { name } => {
                self.enums
                    .borrow_mut()
                    .insert(EnumRef::Roblox(name.clone()));
                format!("{}(E.{name})", self.rt("rrenum"))
            }
            TyKind::Instance { class, .. } => {
                let class = class_arg(class);
                format!("{}({})", self.rt("rinst"), class.trim_start_matches(", "))
            }
            TyKind::Any => format!("{}()", self.rt("rany")),
            TyKind::Metatable { table, .. } => self.read(table, out, origin)?,
            TyKind::Function { .. } => return Err(unsupported("a function", origin)),
            TyKind::MixedTable { .. }
            | TyKind::Extern { .. }
            | TyKind::Shared { .. }
            | TyKind::Error => return Err(unsupported("this type", origin)),
        })
    }

    /// Reads values of `tys` in order; returns an expression for each. They
    /// are locals when any needs statements, so that reads stay in order.
    pub fn read_all(
        &self,
        tys: &[&Ty],
        out: &mut Code,
        origin: &str,
    ) -> Result<Vec<String>, GenError> {
        let mut parts = Vec::new();
        for ty in tys {
            let mut body = Code::new();
            let value = self.read(ty, &mut body, origin)?;
            parts.push((body, value));
        }
        if parts.iter().all(|(body, _)| body.is_empty()) {
            return Ok(parts.into_iter().map(|(_, value)| value).collect());
        }
        let mut values = Vec::new();
        for (body, value) in parts {
            out.append(body);
            let x = self.fresh("x");
            out.line(format!("local {x} = {value}"));
            values.push(x);
        }
        Ok(values)
    }

    /// Reads a map (`value` its values' type) or a set (`None`: each
    /// element's value is `true`): the count, then each key, refusing one
    /// seen before with `repeated`.
    fn read_keyed(
        &self,
        key: &Ty,
        value_ty: Option<&Ty>,
        len: LenRange,
        repeated: &str,
        out: &mut Code,
        origin: &str,
    ) -> Result<String, GenError> {
        let n = self.fresh("n");
        let t = self.fresh("t");
        let bits = self
            .min_bits(key)
            .saturating_add(value_ty.map_or(0, |v| self.min_bits(v)));
        out.line(format!(
            "local {n} = {}({}, {bits})",
            self.rt("rcount"),
            len_args_full(len)
        ));
        out.line(format!("local {t} = {{}}"));
        out.open(format!("for _ = 1, {n} do"));
        let k = self.fresh("k");
        let key_value = self.read(key, out, origin)?;
        out.line(format!("local {k} = {key_value}"));
        // An instance the receiver cannot see reads as nil: its entry is
        // left out, after its value is read past.
        let instance = matches!(self.schema.unalias(key).kind, TyKind::Instance { .. });
        let value = match value_ty {
            Some(value) if instance => {
                let v = self.fresh("v");
                let value = self.read(value, out, origin)?;
                out.line(format!("local {v} = {value}"));
                Some(v)
            }
            _ => None,
        };
        if instance {
            out.open(format!("if {k} ~= nil then"));
        }
        out.open(format!("if {t}[{k}] ~= nil then"));
        out.line(format!("{}({})", self.rt("refuse"), string(repeated)));
        out.close("end");
        let value = match (value, value_ty) {
            (Some(v), _) => v,
            (None, Some(ty)) => self.read(ty, out, origin)?,
            (None, None) => "true".to_string(),
        };
        out.line(format!("{t}[{k}] = {value}"));
        if instance {
            out.close("end");
        }
        out.close("end");
        Ok(t)
    }

    /// A table constructor of `fields` read in order, after `tag` (the tag
    /// field and the variant's name).
    fn read_record(
        &self,
        fields: &[Field],
        tag: Option<(&str, &str)>,
        out: &mut Code,
        origin: &str,
    ) -> Result<String, GenError> {
        let tys: Vec<&Ty> = fields.iter().map(|f| &f.ty).collect();
        let values = self.read_all(&tys, out, origin)?;
        let mut parts = Vec::new();
        if let Some((field, variant)) = tag {
            parts.push(format!("{}{}", key(field), string(variant)));
        }
        for (f, value) in fields.iter().zip(values) {
            parts.push(format!("{}{value}", key(&f.name)));
        }
        Ok(if parts.is_empty() {
            "{}".to_string()
        } else {
            format!("{{ {} }}", parts.join(", "))
        })
    }

    fn read_array(
        &self,
        elem: &Ty,
        len: LenRange,
        out: &mut Code,
        origin: &str,
    ) -> Result<String, GenError> {
        if matches!(self.schema.unalias(elem).kind, TyKind::Boolean) {
            return Ok(format!("{}({})", self.rt("rbools"), len_args(len)));
        }
        let n = self.fresh("n");
        let t = self.fresh("t");
        let i = self.fresh("i");
        out.line(format!(
            "local {n} = {}({}, {})",
            self.rt("rcount"),
            len_args_full(len),
            self.min_bits(elem)
        ));
        out.line(format!("local {t} = table.create({n}) :: {{ any }}"));
        match flat_record(self.schema, elem) {
            // Column by column (section 4.4): elements first, then each leaf.
            Some(leaves) => {
                out.open(format!("for {i} = 1, {n} do"));
                out.line(format!("{t}[{i}] = {}", self.template(elem)));
                out.close("end");
                for leaf in &leaves {
                    if let Some(call) = self.column(leaf, "r", &t, &n) {
                        out.line(call);
                        continue;
                    }
                    out.open(format!("for {i} = 1, {n} do"));
                    let value = self.read(leaf.ty, out, origin)?;
                    out.line(format!(
                        "{} = {value}",
                        leaf_place(&format!("{t}[{i}]"), leaf)
                    ));
                    out.close("end");
                }
            }
            None => {
                out.open(format!("for {i} = 1, {n} do"));
                let value = self.read(elem, out, origin)?;
                out.line(format!("{t}[{i}] = {value}"));
                out.close("end");
            }
        }
        Ok(t)
    }

    /// The runtime call that writes (`dir` "w") or reads ("r") a whole
    /// column of `n` records of `t` at once: for a leaf that is a field of
    /// the record itself and a bit field of at most 32 bits.
    fn column(&self, leaf: &Leaf<'_>, dir: &str, t: &str, n: &str) -> Option<String> {
        let [name] = leaf.path.as_slice() else {
            return None;
        };
        let key = string(name);
        let Some(field) = crate::ir::layout::bit_field(self.schema, leaf.ty) else {
            return self.byte_column(leaf, dir, t, n);
        };
        match field {
            crate::ir::layout::BitField::Bool => {
                let f = if dir == "w" { "wcolb" } else { "rcolb" };
                Some(format!("{}({t}, {n}, {key})", self.rt(f)))
            }
            crate::ir::layout::BitField::Int { packing, .. } if packing.bits <= 32 => {
                let f = if dir == "w" { "wcolp" } else { "rcolp" };
                Some(format!(
                    "{}({t}, {n}, {key}, {}, {}, {})",
                    self.rt(f),
                    packing.min,
                    packing.max,
                    packing.bits
                ))
            }
            crate::ir::layout::BitField::Int { .. } => None,
        }
    }

    /// [`Codec::column`] for a leaf that is a whole-byte integer (8 to 32
    /// bits): checked against its range and written as its bytes.
    fn byte_column(&self, leaf: &Leaf<'_>, dir: &str, t: &str, n: &str) -> Option<String> {
        let [name] = leaf.path.as_slice() else {
            return None;
        };
        let TyKind::Number { kind, range, .. } = self.schema.unalias(leaf.ty).kind else {
            return None;
        };
        let (width, signed) = match kind {
            NumKind::U8 => (1, false),
            NumKind::I8 => (1, true),
            NumKind::U16 => (2, false),
            NumKind::I16 => (2, true),
            NumKind::U32 => (4, false),
            NumKind::I32 => (4, true),
            _ => return None,
        };
        // A packed integer (of 0 bits here) has no bytes.
        if int_packing(kind, range).is_some() {
            return None;
        }
        let (lo, hi) = int_bounds(kind, range)?;
        let f = if dir == "w" { "wcoln" } else { "rcoln" };
        Some(format!(
            "{}({t}, {n}, {}, {width}, {signed}, {lo}, {hi})",
            self.rt(f),
            string(name)
        ))
    }

    /// A flat record whose leaves are all 0 or false, for the columns of an
    /// array to fill.
    fn template(&self, ty: &Ty) -> String {
        let Some(fields) = crate::ir::layout::record_fields(self.schema, ty) else {
            return "{}".to_string();
        };
        let parts: Vec<String> = fields
            .iter()
            .map(|f| {
                let value = match self.schema.unalias(&f.ty).kind {
                    TyKind::Boolean => "false".to_string(),
                    TyKind::Number { .. } => "0".to_string(),
                    _ => self.template(&f.ty),
                };
                format!("{}{value}", key(&f.name))
            })
            .collect();
        format!("{{ {} }}", parts.join(", "))
    }

    // ------------------------------------------------------------------
    // Declarations
    // ------------------------------------------------------------------

    pub(super) fn decl(&self, decl: DeclId, origin: &str) -> Result<&'s DeclKind, GenError> {
        self.schema
            .decls
            .get(decl.0 as usize)
            .map(|d| &d.kind)
            .ok_or_else(|| unsupported("an unknown type", origin))
    }

    /// The key of a declaration in `W`, `R` and `E`.
    pub fn function_name(&self, decl: DeclId) -> String {
        self.schema
            .decls
            .get(decl.0 as usize)
            .map(|d| super::names::type_name(&d.name))
            .unwrap_or_default()
    }

    pub(super) fn enum_table(&self, decl: DeclId) -> String {
        format!("E.{}", self.function_name(decl))
    }

    /// The table of a declared enum, marked used.
    pub(super) fn declared_enum(&self, decl: DeclId) -> String {
        self.enums.borrow_mut().insert(EnumRef::Declared(decl));
        self.enum_table(decl)
    }

    /// `W.Name = function(v) .. end`: the writer of a declaration.
    pub fn writer(&self, decl: DeclId, out: &mut Code) -> Result<(), GenError> {
        let origin = self.schema.decl(decl).name.to_string();
        let counted = self.recursion.counts_decl(decl);
        out.open(format!("W.{} = function(v: any)", self.function_name(decl)));
        if counted {
            out.line(format!("{}()", self.rt("wenter")));
        }
        match self.decl(decl, &origin)? {
            DeclKind::Alias { ty } => match own_record(ty) {
                Some(fields) => self.write_fields(fields, "v", out, &origin)?,
                None => self.write(ty, "v", out, &origin)?,
            },
            DeclKind::Enum { variants } => {
                self.enums.borrow_mut().insert(EnumRef::Declared(decl));
                let tag = self.fresh("tag");
                out.line(format!(
                    "local {tag} = {}({}, v)",
                    self.rt("wtag"),
                    self.enum_table(decl)
                ));
                let mut first = true;
                for (index, variant) in variants.iter().enumerate() {
                    let Some(fields) = variant.fields.as_ref().filter(|f| !f.is_empty()) else {
                        continue;
                    };
                    let test = format!("if {tag} == {index} then");
                    if first {
                        out.open(test);
                        first = false;
                    } else {
                        out.reopen(format!("else{test}"));
                    }
                    for f in fields {
                        self.write(&f.ty, &field("v", &f.name), out, &origin)?;
                    }
                }
                if !first {
                    out.close("end");
                }
            }
        }
        if counted {
            out.line(format!("{}()", self.rt("wleave")));
        }
        out.close("end");
        Ok(())
    }

    /// `R.Name = function() .. end`: the reader of a declaration.
    pub fn reader(&self, decl: DeclId, out: &mut Code) -> Result<(), GenError> {
        let origin = self.schema.decl(decl).name.to_string();
        let counted = self.recursion.counts_decl(decl);
        out.open(format!("R.{} = function(): any", self.function_name(decl)));
        if counted {
            out.line(format!("{}()", self.rt("renter")));
        }
        let value = match self.decl(decl, &origin)? {
            DeclKind::Alias { ty } => match own_record(ty) {
                Some(fields) => self.read_record(fields, None, out, &origin)?,
                None => self.read(ty, out, &origin)?,
            },
            DeclKind::Enum { variants } => {
                self.enums.borrow_mut().insert(EnumRef::Declared(decl));
                let tag = self.fresh("tag");
                let v = self.fresh("x");
                out.line(format!(
                    "local {tag} = {}({})",
                    self.rt("rtag"),
                    self.enum_table(decl)
                ));
                out.line(format!("local {v}"));
                for (index, variant) in variants.iter().enumerate() {
                    let test = format!("if {tag} == {index} then");
                    if index == 0 {
                        out.open(test);
                    } else if index + 1 == variants.len() {
                        out.reopen("else");
                    } else {
                        out.reopen(format!("else{test}"));
                    }
                    let fields = variant.fields.as_deref().unwrap_or_default();
                    let tag = (self.schema.decl(decl).tag_field(), variant.name.as_str());
                    let value = self.read_record(fields, Some(tag), out, &origin)?;
                    out.line(format!("{v} = {value}"));
                }
                out.close("end");
                v
            }
        };
        if counted {
            out.line(format!("local value = {value}"));
            out.line(format!("{}()", self.rt("rleave")));
            out.line("return value");
        } else {
            out.line(format!("return {value}"));
        }
        out.close("end");
        Ok(())
    }

    /// A number's writer (`Some(value)`) or reader call.
    fn number(
        &self,
        kind: NumKind,
        range: Option<NumRange>,
        nonfinite: bool,
        value: Option<&str>,
    ) -> String {
        let dir = if value.is_some() { "w" } else { "r" };
        let mut args: Vec<String> = value.iter().map(|v| v.to_string()).collect();
        let name: &'static str;
        if kind.is_float() {
            name = match (kind, dir) {
                (NumKind::F32, "w") => "wf32",
                (NumKind::F32, _) => "rf32",
                (_, "w") => "wf64",
                _ => "rf64",
            };
            let (lo, hi) = float_bounds(range);
            args.push(lo.unwrap_or_else(|| "nil".into()));
            args.push(hi.unwrap_or_else(|| "nil".into()));
            args.push(if nonfinite { "true" } else { "nil" }.into());
        } else if let Some(p) = int_packing(kind, range) {
            name = if dir == "w" { "wpk" } else { "rpk" };
            args.extend([p.min.to_string(), p.max.to_string(), p.bits.to_string()]);
        } else {
            name = int_fn(kind, dir == "w");
            let (lo, hi) = int_bounds(kind, range).unwrap_or((0, 0));
            let (kind_lo, kind_hi) = kind.int_bounds().unwrap_or((0, 0));
            if lo != kind_lo || hi != kind_hi {
                args.push(lo.to_string());
            }
            if hi != kind_hi {
                args.push(hi.to_string());
            }
        }
        while args.last().is_some_and(|a| a == "nil") {
            args.pop();
        }
        format!("{}({})", self.rt(name), args.join(", "))
    }
}

/// Whether an alias of `ty` is written in place: a value written by one
/// runtime call (or an optional of one).
fn leafish(ty: &Ty) -> bool {
    match &ty.kind {
        TyKind::Any => true,
        TyKind::Optional { inner } => {
            !matches!(inner.kind, TyKind::Optional { .. }) && leafish(inner)
        }
        _ => ty.is_scalar(),
    }
}

fn is_local(v: &str) -> bool {
    let mut chars = v.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The place of a leaf inside a record value: `x.Pos.X`.
fn leaf_place(record: &str, leaf: &Leaf<'_>) -> String {
    leaf.path
        .iter()
        .fold(record.to_string(), |acc, name| field(&acc, name))
}

/// `min`, `min, max` or `min, max, bits`: a length range as the runtime's
/// string, buffer and array functions take it.
fn len_args(len: LenRange) -> String {
    match len.max {
        None => len.min.to_string(),
        Some(max) if max == len.min => format!("{}, {max}", len.min),
        Some(max) => format!(
            "{}, {max}, {}",
            len.min,
            span_bits(u64::from(max - len.min))
        ),
    }
}

/// [`len_args`] with every position written, for a call with more after.
fn len_args_full(len: LenRange) -> String {
    match len.max {
        None => format!("{}, nil, nil", len.min),
        Some(max) if max == len.min => format!("{}, {max}, nil", len.min),
        Some(_) => len_args(len),
    }
}

fn float_bounds(range: Option<NumRange>) -> (Option<String>, Option<String>) {
    match range {
        Some(NumRange::Int { min, max }) => {
            (min.map(|m| m.to_string()), max.map(|m| m.to_string()))
        }
        Some(NumRange::Float { min, max }) => (min.map(float_literal), max.map(float_literal)),
        None => (None, None),
    }
}

fn float_literal(x: f64) -> String {
    format!("{x:?}")
}

fn int_fn(kind: NumKind, write: bool) -> &'static str {
    match (kind, write) {
        (NumKind::U8, true) => "wu8",
        (NumKind::U8, false) => "ru8",
        (NumKind::I8, true) => "wi8",
        (NumKind::I8, false) => "ri8",
        (NumKind::U16, true) => "wu16",
        (NumKind::U16, false) => "ru16",
        (NumKind::I16, true) => "wi16",
        (NumKind::I16, false) => "ri16",
        (NumKind::U32, true) => "wu32",
        (NumKind::U32, false) => "ru32",
        (NumKind::I32, true) => "wi32",
        (NumKind::I32, false) => "ri32",
        (NumKind::U64, true) => "wu64",
        (NumKind::U64, false) => "ru64",
        (NumKind::I64, true) => "wi64",
        (_, false) => "ri64",
        (_, true) => "wi64",
    }
}

fn datatype_fn(name: &str, write: bool) -> &'static str {
    let (w, r) = match name {
        "Vector3" => ("wv3", "rv3"),
        "Vector2" => ("wv2", "rv2"),
        "CFrame" => ("wcf", "rcf"),
        "Color3" => ("wc3", "rc3"),
        "BrickColor" => ("wbrick", "rbrick"),
        "UDim" => ("wudim", "rudim"),
        "UDim2" => ("wudim2", "rudim2"),
        "Rect" => ("wrect", "rrect"),
        "NumberRange" => ("wnrange", "rnrange"),
        "NumberSequence" => ("wnseq", "rnseq"),
        "ColorSequence" => ("wcseq", "rcseq"),
        _ => ("wdate", "rdate"),
    };
    if write {
        w
    } else {
        r
    }
}

/// `, "Part"`: the class an instance must be, or nothing for any instance.
fn class_arg(class: &str) -> String {
    if class == "Instance" {
        String::new()
    } else {
        format!(", {}", string(class))
    }
}
