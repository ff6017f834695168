//! Smallest and largest encoded sizes of types in the wire format.
//!
//! `docs/wire-format.md` is the format; this module mirrors it exactly, so a
//! real encoding of any value of a type always lies within the [`Size`]
//! computed for it here.
//!
//! Booleans, optional flags and enum tags are bit-packed into shared bytes
//! across a whole message, so a size is kept as whole bytes plus packed bits
//! ([`Extent`]); a message of `b` bytes and `n` bits takes `b + ceil(n / 8)`
//! bytes.
//!
//! Every computation saturates instead of overflowing. Recursion through
//! named declarations is resolved per strongly connected component with an
//! explicit work stack, so neither recursive types nor long alias chains
//! recurse on the Rust stack beyond the depth of one type expression.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::ops::Add;

use super::{
    Call, Datatype, DeclId, DeclKind, Endpoint, Field, Flow, LenRange, Route, Schema, Ty, TyKind,
};
use crate::roblox;

/// The largest unreliable event Roblox delivers, in bytes (message id,
/// sequence number and body).
pub const UNRELIABLE_LIMIT: u64 = 1000;

/// Bytes of the call id of a remote function request or response.
pub const CALL_ID_BYTES: u64 = 2;

/// Bytes of the sequence number of an `@ordered @unreliable` event.
pub const SEQUENCE_BYTES: u64 = 2;

/// Bytes of an instance reference.
pub const INSTANCE_REF_BYTES: u64 = 4;

/// The length range of the error message of a failed remote function call.
pub const ERROR_MESSAGE_LEN: LenRange = LenRange {
    min: 0,
    max: Some(255),
};

/// The keypoint count range of `NumberSequence` and `ColorSequence`.
pub const SEQUENCE_KEYPOINTS: LenRange = LenRange {
    min: 2,
    max: Some(20),
};

/// Rounds of the fixed-point iteration for the smallest size of a recursive
/// group of declarations. Any number of rounds gives a lower bound; valid
/// types converge in a few.
const FIXPOINT_ROUNDS: usize = 64;

/// A size: whole bytes plus packed bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Extent {
    pub bytes: u64,
    pub bits: u64,
}

impl Extent {
    pub const ZERO: Extent = Extent { bytes: 0, bits: 0 };

    pub const fn bytes(bytes: u64) -> Extent {
        Extent { bytes, bits: 0 }
    }

    pub const fn bits(bits: u64) -> Extent {
        Extent { bytes: 0, bits }
    }

    /// The bytes it takes on its own: `bytes + ceil(bits / 8)`.
    pub fn total_bytes(&self) -> u64 {
        self.bytes.saturating_add(self.bits.div_ceil(8))
    }

    /// `n` of it in a row.
    pub fn times(self, n: u64) -> Extent {
        Extent {
            bytes: self.bytes.saturating_mul(n),
            bits: self.bits.saturating_mul(n),
        }
    }

    /// Every 8 bits folded into a byte, and the bits left over (< 8). Eight
    /// bits take exactly one byte whatever else the message holds, so two
    /// extents with the same normal form always take the same space.
    pub fn normalized(self) -> Extent {
        Extent {
            bytes: self.bytes.saturating_add(self.bits / 8),
            bits: self.bits % 8,
        }
    }

    /// Orders extents by the space they take. `Less` means `self` takes no
    /// more space than `other` in any message, whatever else it holds.
    pub fn compare(&self, other: &Extent) -> Ordering {
        let (a, b) = (self.normalized(), other.normalized());
        (a.bytes, a.bits).cmp(&(b.bytes, b.bits))
    }
}

impl Add for Extent {
    type Output = Extent;

    fn add(self, other: Extent) -> Extent {
        Extent {
            bytes: self.bytes.saturating_add(other.bytes),
            bits: self.bits.saturating_add(other.bits),
        }
    }
}

/// The smallest and largest encoding of a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Size {
    pub min: Extent,
    /// `None`: unbounded.
    pub max: Option<Extent>,
}

impl Size {
    pub const ZERO: Size = Size::exact(Extent::ZERO);

    pub const fn exact(extent: Extent) -> Size {
        Size {
            min: extent,
            max: Some(extent),
        }
    }

    pub const fn bytes(bytes: u64) -> Size {
        Size::exact(Extent::bytes(bytes))
    }

    pub const fn bits(bits: u64) -> Size {
        Size::exact(Extent::bits(bits))
    }

    /// At least `min`, with no upper bound.
    pub const fn unbounded(min: Extent) -> Size {
        Size { min, max: None }
    }

    pub fn min_bytes(&self) -> u64 {
        self.min.total_bytes()
    }

    /// `None`: unbounded.
    pub fn max_bytes(&self) -> Option<u64> {
        self.max.map(|max| max.total_bytes())
    }

    pub fn is_bounded(&self) -> bool {
        self.max.is_some()
    }

    /// Whether its smallest encoding exceeds `limit` bytes: no value fits.
    pub fn always_exceeds(&self, limit: u64) -> bool {
        self.min_bytes() > limit
    }

    /// Whether its largest encoding exceeds `limit` bytes (or is unbounded).
    pub fn may_exceed(&self, limit: u64) -> bool {
        self.max_bytes().is_none_or(|max| max > limit)
    }

    /// `self` followed by `next`.
    pub fn seq(self, next: Size) -> Size {
        Size {
            min: self.min + next.min,
            max: self.max.zip(next.max).map(|(a, b)| a + b),
        }
    }

    /// Either `self` or `other`.
    pub fn choice(self, other: Size) -> Size {
        let min = match other.min.compare(&self.min) {
            Ordering::Less => other.min,
            _ => self.min,
        };
        let max = self.max.zip(other.max).map(|(a, b)| match b.compare(&a) {
            Ordering::Greater => b,
            _ => a,
        });
        Size { min, max }
    }

    /// Between `len.min` and `len.max` of it in a row (no length prefix).
    pub fn repeat(self, len: LenRange) -> Size {
        let min = self.min.times(len.min.into());
        let max = match (len.max, self.max) {
            (Some(0), _) => Some(Extent::ZERO),
            (Some(n), max) => max.map(|max| max.times(n.into())),
            (None, Some(Extent::ZERO)) => Some(Extent::ZERO),
            (None, _) => None,
        };
        Size { min, max }
    }

    /// All of them in order.
    pub fn sum(sizes: impl IntoIterator<Item = Size>) -> Size {
        sizes.into_iter().fold(Size::ZERO, Size::seq)
    }

    /// Any one of them; `None` if there are none.
    pub fn any_of(sizes: impl IntoIterator<Item = Size>) -> Option<Size> {
        sizes.into_iter().reduce(Size::choice)
    }
}

/// Bytes of a LEB128 varint of `value`.
pub fn varint_bytes(value: u64) -> u64 {
    let bits = u64::from(u64::BITS - value.leading_zeros());
    bits.div_ceil(7).max(1)
}

/// The prefix a string, buffer, array or map with lengths in `len` carries.
pub fn length_prefix(len: LenRange) -> Size {
    match len.max {
        Some(max) => {
            let spread = max.saturating_sub(len.min);
            Size::bytes(match spread {
                0 => 0,
                1..=0xFF => 1,
                0x100..=0xFFFF => 2,
                _ => 4,
            })
        }
        None => Size {
            min: Extent::bytes(1),
            max: Some(Extent::bytes(varint_bytes(u64::from(u32::MAX - len.min)))),
        },
    }
}

/// Bits of a tag that tells apart `count` alternatives: `ceil(log2(count))`,
/// 0 for one alternative or none.
pub fn tag_bits(count: u64) -> u64 {
    match count {
        0 | 1 => 0,
        n => u64::from(u64::BITS - (n - 1).leading_zeros()),
    }
}

/// The size of a Roblox datatype.
pub fn datatype_size(datatype: Datatype) -> Size {
    const F32: u64 = 4;
    match datatype {
        Datatype::Vector3 | Datatype::Color3 => Size::bytes(3 * F32),
        Datatype::Vector2 | Datatype::NumberRange => Size::bytes(2 * F32),
        Datatype::UDim => Size::bytes(F32 + 4),
        Datatype::UDim2 | Datatype::Rect => Size::bytes(4 * F32),
        Datatype::BrickColor => Size::bytes(2),
        Datatype::DateTime => Size::bytes(8),
        // Position, then the index of the dropped quaternion component and
        // the other three as i16.
        Datatype::CFrame => Size::exact(Extent {
            bytes: 3 * F32 + 3 * 2,
            bits: 2,
        }),
        // Time, value, envelope.
        Datatype::NumberSequence => keypoints(Size::bytes(3 * F32)),
        // Time, then the color.
        Datatype::ColorSequence => keypoints(Size::bytes(F32 + 3 * F32)),
    }
}

fn keypoints(keypoint: Size) -> Size {
    length_prefix(SEQUENCE_KEYPOINTS).seq(keypoint.repeat(SEQUENCE_KEYPOINTS))
}

/// The size of an item of the Roblox enum `name` (`Material`); an enum the
/// reflection database does not know takes 0 bits.
pub fn roblox_enum_size(name: &str) -> Size {
    let count = roblox::enum_item_count(name).unwrap_or(0);
    Size::bits(tag_bits(u64::try_from(count).unwrap_or(u64::MAX)))
}

/// The bytes of a message id when a direction carries `count` messages.
pub fn message_id_bytes(count: u64) -> u64 {
    if count <= 256 {
        1
    } else {
        2
    }
}

/// Computes sizes of types in one schema, remembering those of declarations.
#[derive(Debug)]
pub struct SizeModel<'s> {
    schema: &'s Schema,
    /// Sizes of declarations computed so far, by `DeclId`. While a recursive
    /// group is being solved, its members hold the current approximation.
    decls: Vec<Option<Size>>,
    /// Messages sent client → server and server → client.
    client_to_server: u64,
    server_to_client: u64,
}

impl<'s> SizeModel<'s> {
    pub fn new(schema: &'s Schema) -> Self {
        let (mut client_to_server, mut server_to_client) = (0u64, 0u64);
        let mut count = |flows: &[Flow]| {
            for flow in flows {
                match flow {
                    Flow::ClientToServer => client_to_server += 1,
                    Flow::ServerToClient => server_to_client += 1,
                    Flow::Local => {}
                }
            }
        };
        for endpoint in schema.endpoints.iter().filter(|e| e.is_remote()) {
            count(endpoint.param_flows());
            if endpoint.call == Call::Function {
                count(endpoint.return_flows());
            }
        }
        SizeModel {
            schema,
            decls: vec![None; schema.decls.len()],
            client_to_server,
            server_to_client,
        }
    }

    /// The size of a value of `ty`.
    pub fn of(&mut self, ty: &Ty) -> Size {
        let mut refs = Vec::new();
        encoded_refs(ty, &mut refs);
        for decl in refs {
            self.ensure(decl);
        }
        self.ty_size(ty)
    }

    /// The size of values of `tys` in a row (parameters, returns).
    pub fn of_all<'t>(&mut self, tys: impl IntoIterator<Item = &'t Ty>) -> Size {
        tys.into_iter()
            .fold(Size::ZERO, |size, ty| size.seq(self.of(ty)))
    }

    fn of_fields(&mut self, fields: &[Field]) -> Size {
        self.of_all(fields.iter().map(|f| &f.ty))
    }

    /// The size of a value of the declaration `id`.
    pub fn decl(&mut self, id: DeclId) -> Size {
        self.ensure(id);
        self.decl_cached(id)
    }

    /// Messages the schema sends along `flow` (0 for `Local`).
    pub fn message_count(&self, flow: Flow) -> u64 {
        match flow {
            Flow::ClientToServer => self.client_to_server,
            Flow::ServerToClient => self.server_to_client,
            Flow::Local => 0,
        }
    }

    /// The message id of a message sent along `flow`; bindables have none.
    pub fn message_id(&self, flow: Flow) -> Size {
        match flow {
            Flow::Local => Size::ZERO,
            remote => Size::bytes(message_id_bytes(self.message_count(remote))),
        }
    }

    /// A message firing the event `endpoint` along `flow`: id, sequence
    /// number if `@ordered @unreliable`, params.
    pub fn event(&mut self, endpoint: &Endpoint, flow: Flow) -> Size {
        let ordered = endpoint.attrs.unreliable.is_some() && endpoint.attrs.ordered.is_some();
        self.event_message(endpoint, self.message_id(flow), ordered)
    }

    /// A request calling the function `endpoint` along `flow`: id, call id,
    /// params.
    pub fn request(&mut self, endpoint: &Endpoint, flow: Flow) -> Size {
        let head = self.message_id(flow).seq(Size::bytes(CALL_ID_BYTES));
        head.seq(self.of_fields(&endpoint.params))
    }

    /// A response of the function `endpoint` sent along `flow`: id, call id,
    /// status bit, then the returns or the error message.
    pub fn response(&mut self, endpoint: &Endpoint, flow: Flow) -> Size {
        let head = self
            .message_id(flow)
            .seq(Size::bytes(CALL_ID_BYTES))
            .seq(Size::bits(1));
        let returns = self.of_all(endpoint.returns.iter().flatten());
        let error = length_prefix(ERROR_MESSAGE_LEN).seq(Size::bytes(1).repeat(ERROR_MESSAGE_LEN));
        head.seq(returns.choice(error))
    }

    /// What one datagram of the `@unreliable` event `endpoint` carries: the
    /// message id (the wider of both directions' for a `client <-> server`
    /// event), the sequence number if `@ordered`, and the params. This is
    /// what must fit in [`UNRELIABLE_LIMIT`].
    pub fn unreliable_event(&mut self, endpoint: &Endpoint) -> Size {
        let id = endpoint
            .param_flows()
            .iter()
            .map(|&flow| self.message_id(flow))
            .max_by_key(Size::min_bytes)
            .unwrap_or(Size::ZERO);
        let ordered = endpoint.attrs.ordered.is_some();
        self.event_message(endpoint, id, ordered)
    }

    fn event_message(&mut self, endpoint: &Endpoint, id: Size, ordered: bool) -> Size {
        let sequence = if ordered && matches!(endpoint.route, Route::Remote(_)) {
            Size::bytes(SEQUENCE_BYTES)
        } else {
            Size::ZERO
        };
        id.seq(sequence).seq(self.of_fields(&endpoint.params))
    }

    fn decl_cached(&self, id: DeclId) -> Size {
        self.decls
            .get(id.0 as usize)
            .copied()
            .flatten()
            // Not computed (only while solving a group that cannot reach it)
            // or not a declaration: the safe answer.
            .unwrap_or(Size::unbounded(Extent::ZERO))
    }

    /// The size of `ty`, reading declarations from the cache.
    fn ty_size(&self, ty: &Ty) -> Size {
        match &ty.kind {
            TyKind::Boolean => Size::bits(1),
            TyKind::Number { kind, .. } => Size::bytes(kind.width().into()),
            TyKind::String { len } | TyKind::Buffer { len } => {
                length_prefix(*len).seq(Size::bytes(1).repeat(*len))
            }
            TyKind::Optional { inner } => Size::bits(1).seq(Size::ZERO.choice(self.ty_size(inner))),
            TyKind::Array { elem, len } => {
                length_prefix(*len).seq(self.elements(*len, || self.ty_size(elem)))
            }
            TyKind::Map { key, value, len } => length_prefix(*len)
                .seq(self.elements(*len, || self.ty_size(key).seq(self.ty_size(value)))),
            TyKind::Record { fields } => Size::sum(fields.iter().map(|f| self.ty_size(&f.ty))),
            TyKind::Named { decl } => self.decl_cached(*decl),
            TyKind::Datatype { datatype } => datatype_size(*datatype),
            TyKind::RobloxEnum { name } => roblox_enum_size(name),
            TyKind::Instance { .. } => Size::bytes(INSTANCE_REF_BYTES),
            TyKind::Metatable { table, .. } => self.ty_size(table),
            TyKind::Any => Size::unbounded(Extent::bytes(1)),
            TyKind::Function { .. } | TyKind::MixedTable { .. } | TyKind::Error => Size::ZERO,
        }
    }

    fn elements(&self, len: LenRange, elem: impl FnOnce() -> Size) -> Size {
        if len.max == Some(0) {
            Size::ZERO
        } else {
            elem().repeat(len)
        }
    }

    /// The size of the declaration `id`, reading others from the cache.
    fn decl_size(&self, id: DeclId) -> Size {
        let Some(decl) = self.schema.decls.get(id.0 as usize) else {
            return Size::unbounded(Extent::ZERO);
        };
        match &decl.kind {
            DeclKind::Alias { ty } => self.ty_size(ty),
            DeclKind::Enum { variants } => {
                let tag = Size::bits(tag_bits(variants.len() as u64));
                let body =
                    Size::any_of(variants.iter().map(|v| {
                        Size::sum(v.fields.iter().flatten().map(|f| self.ty_size(&f.ty)))
                    }));
                tag.seq(body.unwrap_or(Size::ZERO))
            }
        }
    }

    /// Computes and caches the size of `root` and every declaration it
    /// reaches, one strongly connected group at a time, dependencies first
    /// (Tarjan's algorithm, with an explicit stack).
    fn ensure(&mut self, root: DeclId) {
        if !self.needs(root) {
            return;
        }
        let mut walk = Tarjan::default();
        walk.visit(root, self.decl_refs(root));
        while let Some(frame) = walk.frames.last_mut() {
            let decl = frame.decl;
            if let Some(&succ) = frame.succs.get(frame.next) {
                frame.next += 1;
                if !self.needs(succ) {
                    continue;
                }
                match walk.marks.get(&succ) {
                    None => walk.visit(succ, self.decl_refs(succ)),
                    Some(&(index, _)) if walk.on_stack.contains(&succ) => walk.lower(decl, index),
                    Some(_) => {}
                }
                continue;
            }
            walk.frames.pop();
            let (index, low) = walk.marks.get(&decl).copied().unwrap_or((0, 0));
            if let Some(parent) = walk.frames.last().map(|f| f.decl) {
                walk.lower(parent, low);
            }
            if low == index {
                let mut group = Vec::new();
                while let Some(member) = walk.stack.pop() {
                    walk.on_stack.remove(&member);
                    group.push(member);
                    if member == decl {
                        break;
                    }
                }
                self.solve(&group);
            }
        }
    }

    /// Whether `id` is a declaration whose size is not yet cached.
    fn needs(&self, id: DeclId) -> bool {
        matches!(self.decls.get(id.0 as usize), Some(None))
    }

    /// The declarations whose sizes the size of `id` depends on.
    fn decl_refs(&self, id: DeclId) -> Vec<DeclId> {
        let mut refs = Vec::new();
        match self.schema.decls.get(id.0 as usize).map(|d| &d.kind) {
            Some(DeclKind::Alias { ty }) => encoded_refs(ty, &mut refs),
            Some(DeclKind::Enum { variants }) => {
                for field in variants.iter().flat_map(|v| v.fields.iter().flatten()) {
                    encoded_refs(&field.ty, &mut refs);
                }
            }
            None => {}
        }
        refs
    }

    /// Sizes a strongly connected group whose dependencies outside it are
    /// all cached. A group that can reach itself has no largest value; its
    /// smallest is the least fixed point of the size equations, approached
    /// from 0 (a reference back into the group first counts as nothing).
    fn solve(&mut self, group: &[DeclId]) {
        let recursive = match group {
            [single] => self.decl_refs(*single).contains(single),
            _ => true,
        };
        if !recursive {
            for &id in group {
                let size = self.decl_size(id);
                self.decls[id.0 as usize] = Some(size);
            }
            return;
        }
        for &id in group {
            self.decls[id.0 as usize] = Some(Size::unbounded(Extent::ZERO));
        }
        for _ in 0..FIXPOINT_ROUNDS {
            let mut changed = false;
            for &id in group {
                let min = self.decl_size(id).min;
                let slot = &mut self.decls[id.0 as usize];
                if slot.is_some_and(|size| size.min != min) {
                    *slot = Some(Size::unbounded(min));
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }
}

/// The state of Tarjan's strongly connected components algorithm.
#[derive(Default)]
struct Tarjan {
    /// Preorder index and lowlink of each visited declaration.
    marks: HashMap<DeclId, (u32, u32)>,
    on_stack: HashSet<DeclId>,
    stack: Vec<DeclId>,
    /// The explicit call stack: a declaration and the successors left to visit.
    frames: Vec<Frame>,
    counter: u32,
}

struct Frame {
    decl: DeclId,
    succs: Vec<DeclId>,
    next: usize,
}

impl Tarjan {
    fn visit(&mut self, decl: DeclId, succs: Vec<DeclId>) {
        self.marks.insert(decl, (self.counter, self.counter));
        self.counter = self.counter.saturating_add(1);
        self.stack.push(decl);
        self.on_stack.insert(decl);
        self.frames.push(Frame {
            decl,
            succs,
            next: 0,
        });
    }

    fn lower(&mut self, decl: DeclId, low: u32) {
        if let Some(mark) = self.marks.get_mut(&decl) {
            mark.1 = mark.1.min(low);
        }
    }
}

/// The declarations `ty` names in the parts of it that are encoded: not in
/// function types, metatables or mixed tables, nor in arrays and maps that
/// are always empty.
fn encoded_refs(ty: &Ty, out: &mut Vec<DeclId>) {
    match &ty.kind {
        TyKind::Named { decl } => out.push(*decl),
        TyKind::Optional { inner } => encoded_refs(inner, out),
        TyKind::Array { elem, len } => {
            if len.max != Some(0) {
                encoded_refs(elem, out);
            }
        }
        TyKind::Map { key, value, len } => {
            if len.max != Some(0) {
                encoded_refs(key, out);
                encoded_refs(value, out);
            }
        }
        TyKind::Record { fields } => {
            for field in fields {
                encoded_refs(&field.ty, out);
            }
        }
        TyKind::Metatable { table, .. } => encoded_refs(table, out),
        TyKind::Boolean
        | TyKind::Number { .. }
        | TyKind::String { .. }
        | TyKind::Buffer { .. }
        | TyKind::MixedTable { .. }
        | TyKind::Datatype { .. }
        | TyKind::RobloxEnum { .. }
        | TyKind::Instance { .. }
        | TyKind::Function { .. }
        | TyKind::Any
        | TyKind::Error => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{FileId, Span};
    use crate::ir::{Attrs, Direction, NumKind, QualName, TypeDecl, Variant};

    fn sp() -> Span {
        Span::new(FileId(0), 0, 0)
    }

    fn ty(kind: TyKind) -> Ty {
        Ty { kind, span: sp() }
    }

    fn num(kind: NumKind) -> Ty {
        ty(TyKind::Number {
            kind,
            range: None,
            nonfinite: false,
        })
    }

    fn boolean() -> Ty {
        ty(TyKind::Boolean)
    }

    fn len(min: u32, max: Option<u32>) -> LenRange {
        LenRange { min, max }
    }

    fn string(min: u32, max: Option<u32>) -> Ty {
        ty(TyKind::String { len: len(min, max) })
    }

    fn array(elem: Ty, min: u32, max: Option<u32>) -> Ty {
        ty(TyKind::Array {
            elem: Box::new(elem),
            len: len(min, max),
        })
    }

    fn optional(inner: Ty) -> Ty {
        ty(TyKind::Optional {
            inner: Box::new(inner),
        })
    }

    fn named(id: u32) -> Ty {
        ty(TyKind::Named { decl: DeclId(id) })
    }

    fn field(name: &str, ty: Ty) -> Field {
        Field {
            name: name.to_string(),
            name_span: sp(),
            ty,
        }
    }

    fn record(fields: Vec<Field>) -> Ty {
        ty(TyKind::Record { fields })
    }

    fn decl(name: &str, kind: DeclKind) -> TypeDecl {
        TypeDecl {
            name: QualName(vec![name.to_string()]),
            name_span: sp(),
            span: sp(),
            kind,
        }
    }

    fn alias(name: &str, ty: Ty) -> TypeDecl {
        decl(name, DeclKind::Alias { ty })
    }

    fn enum_decl(name: &str, variants: Vec<Option<Vec<Field>>>) -> TypeDecl {
        let variants = variants
            .into_iter()
            .enumerate()
            .map(|(i, fields)| Variant {
                name: format!("V{i}"),
                name_span: sp(),
                fields,
            })
            .collect();
        decl(name, DeclKind::Enum { variants })
    }

    fn schema(decls: Vec<TypeDecl>) -> Schema {
        Schema {
            files: vec!["test.tether".to_string()],
            decls,
            endpoints: Vec::new(),
        }
    }

    fn size_of(t: &Ty) -> Size {
        SizeModel::new(&Schema::default()).of(t)
    }

    fn exact(bytes: u64, bits: u64) -> Size {
        Size::exact(Extent { bytes, bits })
    }

    fn range(min: Extent, max: Extent) -> Size {
        Size {
            min,
            max: Some(max),
        }
    }

    #[test]
    fn primitives() {
        assert_eq!(size_of(&boolean()), Size::bits(1));
        for (kind, width) in [
            (NumKind::U8, 1),
            (NumKind::I8, 1),
            (NumKind::U16, 2),
            (NumKind::I16, 2),
            (NumKind::U32, 4),
            (NumKind::I32, 4),
            (NumKind::F32, 4),
            (NumKind::U64, 8),
            (NumKind::I64, 8),
            (NumKind::F64, 8),
            (NumKind::Number, 8),
        ] {
            assert_eq!(size_of(&num(kind)), Size::bytes(width), "{}", kind.name());
        }
        let ranged = ty(TyKind::Number {
            kind: NumKind::U8,
            range: Some(crate::ir::NumRange::Int {
                min: Some(1),
                max: Some(100),
            }),
            nonfinite: false,
        });
        assert_eq!(size_of(&ranged), Size::bytes(1));
        let instance = ty(TyKind::Instance {
            class: "Part".into(),
            location: None,
        });
        assert_eq!(size_of(&instance), Size::bytes(4));
        assert_eq!(size_of(&ty(TyKind::Any)), Size::unbounded(Extent::bytes(1)));
        let function = ty(TyKind::Function {
            params: vec![string(0, None)],
            returns: vec![],
        });
        assert_eq!(size_of(&function), Size::ZERO);
        assert_eq!(size_of(&ty(TyKind::Error)), Size::ZERO);
        let metatable = ty(TyKind::Metatable {
            table: Box::new(record(vec![field("x", num(NumKind::U16))])),
            meta: Box::new(string(0, None)),
        });
        assert_eq!(size_of(&metatable), Size::bytes(2));
    }

    #[test]
    fn strings() {
        let short = size_of(&string(0, Some(64)));
        assert_eq!((short.min_bytes(), short.max_bytes()), (1, Some(65)));
        assert_eq!(size_of(&string(8, Some(8))), Size::bytes(8));
        let unbounded = size_of(&string(0, None));
        assert_eq!((unbounded.min_bytes(), unbounded.max_bytes()), (1, None));
        let at_least = size_of(&string(5, None));
        assert_eq!((at_least.min_bytes(), at_least.max_bytes()), (6, None));
        let buffer = ty(TyKind::Buffer {
            len: len(10, Some(300)),
        });
        assert_eq!(
            size_of(&buffer),
            range(Extent::bytes(12), Extent::bytes(302))
        );
    }

    #[test]
    fn length_prefixes() {
        let prefix = |min, max| length_prefix(len(min, max));
        assert_eq!(prefix(7, Some(7)), Size::ZERO);
        assert_eq!(prefix(0, Some(255)), Size::bytes(1));
        assert_eq!(prefix(100, Some(355)), Size::bytes(1));
        assert_eq!(prefix(0, Some(256)), Size::bytes(2));
        assert_eq!(prefix(0, Some(65535)), Size::bytes(2));
        assert_eq!(prefix(0, Some(65536)), Size::bytes(4));
        assert_eq!(prefix(0, Some(u32::MAX)), Size::bytes(4));
        assert_eq!(prefix(0, None), range(Extent::bytes(1), Extent::bytes(5)));
        assert_eq!(
            prefix(u32::MAX - 127, None),
            range(Extent::bytes(1), Extent::bytes(1))
        );
        assert_eq!(varint_bytes(0), 1);
        assert_eq!(varint_bytes(127), 1);
        assert_eq!(varint_bytes(128), 2);
        assert_eq!(varint_bytes(u32::MAX.into()), 5);
    }

    #[test]
    fn optional_boolean_is_two_bits_at_most() {
        assert_eq!(
            size_of(&optional(boolean())),
            range(Extent::bits(1), Extent::bits(2))
        );
        let size = size_of(&optional(num(NumKind::U32)));
        assert_eq!(size, range(Extent::bits(1), Extent { bytes: 4, bits: 1 }));
        assert_eq!((size.min_bytes(), size.max_bytes()), (1, Some(5)));
    }

    #[test]
    fn thousand_booleans_pack_into_125_bytes() {
        let exactly = size_of(&array(boolean(), 1000, Some(1000)));
        assert_eq!(exactly, Size::bits(1000));
        assert_eq!((exactly.min_bytes(), exactly.max_bytes()), (125, Some(125)));
        let up_to = size_of(&array(boolean(), 0, Some(1000)));
        assert_eq!((up_to.min_bytes(), up_to.max_bytes()), (2, Some(127)));
        let unbounded = size_of(&array(boolean(), 0, None));
        assert_eq!((unbounded.min_bytes(), unbounded.max_bytes()), (1, None));
    }

    #[test]
    fn maps_and_records() {
        let map = ty(TyKind::Map {
            key: Box::new(string(0, Some(8))),
            value: Box::new(num(NumKind::U16)),
            len: len(1, Some(4)),
        });
        assert_eq!(
            size_of(&map),
            range(Extent::bytes(1 + 3), Extent::bytes(1 + 4 * 11))
        );
        let rec = record(vec![
            field("a", boolean()),
            field("b", num(NumKind::F32)),
            field("c", optional(boolean())),
        ]);
        assert_eq!(
            size_of(&rec),
            range(Extent { bytes: 4, bits: 2 }, Extent { bytes: 4, bits: 3 })
        );
        let empty = array(string(0, None), 0, Some(0));
        assert_eq!(size_of(&empty), Size::ZERO);
    }

    #[test]
    fn enum_tags() {
        for (n, bits) in [
            (0, 0),
            (1, 0),
            (2, 1),
            (3, 2),
            (4, 2),
            (5, 3),
            (256, 8),
            (257, 9),
        ] {
            assert_eq!(tag_bits(n), bits, "{n} variants");
            let s = schema(vec![enum_decl("E", vec![None; n as usize])]);
            assert_eq!(SizeModel::new(&s).of(&named(0)), Size::bits(bits));
        }
        let s = schema(vec![enum_decl(
            "E",
            vec![
                None,
                Some(vec![field("x", num(NumKind::U32))]),
                Some(vec![field("s", string(0, Some(10)))]),
            ],
        )]);
        assert_eq!(
            SizeModel::new(&s).decl(DeclId(0)),
            range(Extent::bits(2), Extent { bytes: 11, bits: 2 })
        );
    }

    #[test]
    fn choices_compare_bits_and_bytes_together() {
        let one_byte = Extent::bytes(1);
        assert_eq!(Extent::bits(9).compare(&one_byte), Ordering::Greater);
        assert_eq!(Extent::bits(8).compare(&one_byte), Ordering::Equal);
        assert_eq!(Extent::bits(7).compare(&one_byte), Ordering::Less);
        // A variant of one byte against one of nine booleans.
        let s = schema(vec![enum_decl(
            "E",
            vec![
                Some(vec![field("x", num(NumKind::U8))]),
                Some((0..9).map(|i| field(&format!("b{i}"), boolean())).collect()),
            ],
        )]);
        assert_eq!(
            SizeModel::new(&s).decl(DeclId(0)),
            range(Extent { bytes: 1, bits: 1 }, Extent::bits(10))
        );
    }

    #[test]
    fn datatypes() {
        let of = |d| size_of(&ty(TyKind::Datatype { datatype: d }));
        assert_eq!(of(Datatype::CFrame), exact(18, 2));
        assert_eq!(of(Datatype::CFrame).min_bytes(), 19);
        assert_eq!(of(Datatype::Vector3), Size::bytes(12));
        assert_eq!(of(Datatype::Vector2), Size::bytes(8));
        assert_eq!(of(Datatype::Color3), Size::bytes(12));
        assert_eq!(of(Datatype::BrickColor), Size::bytes(2));
        assert_eq!(of(Datatype::UDim), Size::bytes(8));
        assert_eq!(of(Datatype::UDim2), Size::bytes(16));
        assert_eq!(of(Datatype::Rect), Size::bytes(16));
        assert_eq!(of(Datatype::NumberRange), Size::bytes(8));
        assert_eq!(of(Datatype::DateTime), Size::bytes(8));
        assert_eq!(
            of(Datatype::NumberSequence),
            range(Extent::bytes(1 + 2 * 12), Extent::bytes(1 + 20 * 12))
        );
        assert_eq!(
            of(Datatype::ColorSequence),
            range(Extent::bytes(1 + 2 * 16), Extent::bytes(1 + 20 * 16))
        );
    }

    #[test]
    fn roblox_enums() {
        let of = |name: &str| size_of(&ty(TyKind::RobloxEnum { name: name.into() }));
        let count = roblox::enum_item_count("Material").unwrap_or(0) as u64;
        assert!(count > 32);
        assert_eq!(of("Material"), Size::bits(tag_bits(count)));
        assert_eq!(of("NoSuchEnum"), Size::ZERO);
    }

    #[test]
    fn recursive_types_have_no_largest_size() {
        // type Tree = { value: u8, children: {Tree}(..4) }
        // type List = { head: u16, tail: List? }
        // type Holder = { tree: Tree, flag: boolean }
        let s = schema(vec![
            alias(
                "Tree",
                record(vec![
                    field("value", num(NumKind::U8)),
                    field("children", array(named(0), 0, Some(4))),
                ]),
            ),
            alias(
                "List",
                record(vec![
                    field("head", num(NumKind::U16)),
                    field("tail", optional(named(1))),
                ]),
            ),
            alias(
                "Holder",
                record(vec![field("tree", named(0)), field("flag", boolean())]),
            ),
        ]);
        let mut model = SizeModel::new(&s);
        assert_eq!(model.decl(DeclId(0)), Size::unbounded(Extent::bytes(2)));
        assert_eq!(
            model.decl(DeclId(1)),
            Size::unbounded(Extent { bytes: 2, bits: 1 })
        );
        assert_eq!(
            model.of(&named(2)),
            Size::unbounded(Extent { bytes: 2, bits: 1 })
        );
    }

    #[test]
    fn mutual_recursion_finds_the_smallest_finite_value() {
        // type A = { b: B?, x: u8 }  type B = { a: A, y: u16 }
        let s = schema(vec![
            alias(
                "A",
                record(vec![
                    field("b", optional(named(1))),
                    field("x", num(NumKind::U8)),
                ]),
            ),
            alias(
                "B",
                record(vec![field("a", named(0)), field("y", num(NumKind::U16))]),
            ),
        ]);
        let mut model = SizeModel::new(&s);
        assert_eq!(
            model.decl(DeclId(1)),
            Size::unbounded(Extent { bytes: 3, bits: 1 })
        );
        assert_eq!(
            model.decl(DeclId(0)),
            Size::unbounded(Extent { bytes: 1, bits: 1 })
        );
    }

    #[test]
    fn recursion_without_finite_values_terminates() {
        // type Bad = { next: Bad }; type Loop = Loop
        let s = schema(vec![
            alias("Bad", record(vec![field("next", named(0))])),
            alias("Loop", named(1)),
        ]);
        let mut model = SizeModel::new(&s);
        assert_eq!(model.decl(DeclId(0)).max, None);
        assert_eq!(model.decl(DeclId(1)), Size::unbounded(Extent::ZERO));
    }

    #[test]
    fn references_through_functions_are_not_recursion() {
        // type Node = { id: u8, callback: (Node) -> (), empty: {Node}(0) }
        let callback = ty(TyKind::Function {
            params: vec![named(0)],
            returns: vec![],
        });
        let s = schema(vec![alias(
            "Node",
            record(vec![
                field("id", num(NumKind::U8)),
                field("callback", callback),
                field("empty", array(named(0), 0, Some(0))),
            ]),
        )]);
        assert_eq!(SizeModel::new(&s).decl(DeclId(0)), Size::bytes(1));
    }

    #[test]
    fn huge_ranges_saturate() {
        let big = record(
            (0..100)
                .map(|i| field(&format!("f{i}"), num(NumKind::F64)))
                .collect(),
        );
        let nested = array(
            array(big, 0, Some(4_000_000_000)),
            4_000_000_000,
            Some(4_000_000_000),
        );
        let size = size_of(&nested);
        assert_eq!(size.max_bytes(), Some(u64::MAX));
        let all_bits = array(array(boolean(), 4_000_000_000, None), 4_000_000_000, None);
        let size = size_of(&all_bits);
        assert!(size.min_bytes() > 1 << 60);
        assert_eq!(size.max, None);
    }

    fn on_small_stack(test: impl FnOnce() + Send + 'static) {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(test)
            .expect("spawn")
            .join()
            .expect("no stack overflow");
    }

    #[test]
    fn long_alias_chains_do_not_overflow_the_stack() {
        on_small_stack(|| {
            const N: u32 = 10_000;
            // type A0 = A1, ..., type A9999 = u32
            let forward: Vec<_> = (0..N)
                .map(|i| {
                    let t = if i + 1 < N {
                        named(i + 1)
                    } else {
                        num(NumKind::U32)
                    };
                    alias(&format!("A{i}"), t)
                })
                .collect();
            let s = schema(forward);
            let mut model = SizeModel::new(&s);
            assert_eq!(model.of(&named(0)), Size::bytes(4));
            assert_eq!(model.decl(DeclId(N / 2)), Size::bytes(4));

            // type B0 = u16, type Bi = { prev: B(i-1), flag: boolean }
            let backward: Vec<_> = (0..N)
                .map(|i| {
                    let t = if i == 0 {
                        num(NumKind::U16)
                    } else {
                        record(vec![field("prev", named(i - 1)), field("flag", boolean())])
                    };
                    alias(&format!("B{i}"), t)
                })
                .collect();
            let s = schema(backward);
            let mut model = SizeModel::new(&s);
            let last = model.of(&named(N - 1));
            assert_eq!(last, exact(2, u64::from(N - 1)));

            // A cycle of 10,000: type Ci = C(i+1)?, type C9999 = { x: u8, next: C0 }
            let cycle: Vec<_> = (0..N)
                .map(|i| {
                    let t = if i + 1 < N {
                        optional(named(i + 1))
                    } else {
                        record(vec![field("x", num(NumKind::U8)), field("next", named(0))])
                    };
                    alias(&format!("C{i}"), t)
                })
                .collect();
            let s = schema(cycle);
            let mut model = SizeModel::new(&s);
            assert_eq!(model.of(&named(0)), Size::unbounded(Extent::bits(1)));
            assert_eq!(
                model.decl(DeclId(N - 1)),
                Size::unbounded(Extent { bytes: 1, bits: 1 })
            );
        });
    }

    fn endpoint(name: &str, call: Call, way: Direction, params: Vec<Field>) -> Endpoint {
        Endpoint {
            name: QualName(vec![name.to_string()]),
            name_span: sp(),
            span: sp(),
            call,
            route: Route::Remote(way),
            params,
            returns: (call == Call::Function).then(Vec::new),
            attrs: Attrs::default(),
        }
    }

    #[test]
    fn unreliable_envelope() {
        let mut moved = endpoint(
            "Moved",
            Call::Event,
            Direction::ClientToServer,
            vec![field(
                "to",
                ty(TyKind::Datatype {
                    datatype: Datatype::Vector3,
                }),
            )],
        );
        moved.attrs.unreliable = Some(sp());
        let mut s = schema(Vec::new());
        s.endpoints.push(moved.clone());
        let mut model = SizeModel::new(&s);
        assert_eq!(model.unreliable_event(&moved), Size::bytes(1 + 12));
        assert_eq!(
            model.event(&moved, Flow::ClientToServer),
            Size::bytes(1 + 12)
        );

        moved.attrs.ordered = Some(sp());
        assert_eq!(model.unreliable_event(&moved), Size::bytes(1 + 2 + 12));
        assert_eq!(
            model.event(&moved, Flow::ClientToServer),
            Size::bytes(1 + 2 + 12)
        );

        // 300 messages client → server need a u16 id; a `client <-> server`
        // event reports the wider id.
        let mut s = schema(Vec::new());
        for i in 0..299 {
            s.endpoints.push(endpoint(
                &format!("E{i}"),
                Call::Event,
                Direction::ClientToServer,
                vec![],
            ));
        }
        let mut both = endpoint(
            "Both",
            Call::Event,
            Direction::Both,
            vec![field("b", boolean())],
        );
        both.attrs.unreliable = Some(sp());
        s.endpoints.push(both.clone());
        let mut model = SizeModel::new(&s);
        assert_eq!(model.message_count(Flow::ClientToServer), 300);
        assert_eq!(model.message_count(Flow::ServerToClient), 1);
        assert_eq!(model.unreliable_event(&both), exact(2, 1));
        assert_eq!(model.event(&both, Flow::ServerToClient), exact(1, 1));

        let big = endpoint(
            "Big",
            Call::Event,
            Direction::ServerToClient,
            vec![field("data", string(1000, Some(2000)))],
        );
        let size = model.unreliable_event(&big);
        assert!(size.always_exceeds(UNRELIABLE_LIMIT));
        let maybe = endpoint(
            "Maybe",
            Call::Event,
            Direction::ServerToClient,
            vec![field("data", string(0, Some(2000)))],
        );
        let size = model.unreliable_event(&maybe);
        assert!(!size.always_exceeds(UNRELIABLE_LIMIT) && size.may_exceed(UNRELIABLE_LIMIT));
    }

    #[test]
    fn worked_example_from_the_wire_format_doc() {
        // enum Shape { Circle { radius: f32 }, Box { size: Vector3 }, Point }
        // remote event Hit: server -> client
        //     (target: u16, critical: boolean, shape: Shape, tag: string(..8)?)
        let vector3 = ty(TyKind::Datatype {
            datatype: Datatype::Vector3,
        });
        let mut s = schema(vec![enum_decl(
            "Shape",
            vec![
                Some(vec![field("radius", num(NumKind::F32))]),
                Some(vec![field("size", vector3)]),
                None,
            ],
        )]);
        let hit = endpoint(
            "Hit",
            Call::Event,
            Direction::ServerToClient,
            vec![
                field("target", num(NumKind::U16)),
                field("critical", boolean()),
                field("shape", named(0)),
                field("tag", optional(string(0, Some(8)))),
            ],
        );
        s.endpoints.push(hit.clone());
        let size = SizeModel::new(&s).event(&hit, Flow::ServerToClient);
        assert_eq!(
            size,
            range(Extent { bytes: 3, bits: 4 }, Extent { bytes: 24, bits: 4 })
        );
        assert_eq!((size.min_bytes(), size.max_bytes()), (4, Some(25)));
    }

    #[test]
    fn function_messages() {
        let mut get = endpoint(
            "Get",
            Call::Function,
            Direction::ClientToServer,
            vec![field("id", num(NumKind::U32))],
        );
        get.returns = Some(vec![num(NumKind::F64)]);
        let mut s = schema(Vec::new());
        s.endpoints.push(get.clone());
        let mut model = SizeModel::new(&s);
        assert_eq!(model.message_count(Flow::ClientToServer), 1);
        assert_eq!(model.message_count(Flow::ServerToClient), 1);
        assert_eq!(
            model.request(&get, Flow::ClientToServer),
            Size::bytes(1 + 2 + 4)
        );
        // ok: 8 bytes of returns; error: a 1-byte length and up to 255 bytes.
        assert_eq!(
            model.response(&get, Flow::ServerToClient),
            range(
                Extent {
                    bytes: 1 + 2 + 1,
                    bits: 1
                },
                Extent {
                    bytes: 1 + 2 + 256,
                    bits: 1
                }
            )
        );
    }
}
