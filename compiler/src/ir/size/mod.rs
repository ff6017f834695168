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
use std::ops::Add;

use super::packing::int_packing;
use super::{
    graph, Call, Datatype, DeclId, DeclKind, Endpoint, Field, Flow, LenRange, Route, Schema, Ty,
    TyKind,
};
use crate::roblox;
use tether_facts::wire as facts;

/// The largest unreliable event Roblox delivers, in bytes (message id,
/// sequence number and body).
pub const UNRELIABLE_LIMIT: u64 = facts::UNRELIABLE_LIMIT;

/// Bytes of the call id of a remote function request or response.
pub const CALL_ID_BYTES: u64 = 2;

/// Bytes of the sequence number of an `@ordered @unreliable` event.
pub const SEQUENCE_BYTES: u64 = 2;

/// Bytes of an instance reference.
pub const INSTANCE_REF_BYTES: u64 = 4;

/// The length range of the error message of a failed remote function call.
pub const ERROR_MESSAGE_LEN: LenRange = LenRange {
    min: facts::ERROR_MESSAGE_LEN.min,
    max: Some(facts::ERROR_MESSAGE_LEN.max),
};

/// The keypoint count range of `NumberSequence` and `ColorSequence`.
pub const SEQUENCE_KEYPOINTS: LenRange = LenRange {
    min: facts::SEQUENCE_KEYPOINTS.min,
    max: Some(facts::SEQUENCE_KEYPOINTS.max),
};

/// Rounds of the fixed-point iteration for the smallest size of a recursive
/// group of declarations. Any number of rounds gives a lower bound; valid
/// types converge in a few.
const FIXPOINT_ROUNDS: usize = 64;

/// A size: whole bytes plus packed bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Extent {
    /// Whole bytes.
    pub bytes: u64,
    /// Bits packed into bytes that the message shares.
    pub bits: u64,
}

impl Extent {
    /// No space at all.
    pub const ZERO: Extent = Extent { bytes: 0, bits: 0 };

    /// Exactly `bytes` whole bytes.
    pub const fn bytes(bytes: u64) -> Extent {
        Extent { bytes, bits: 0 }
    }

    /// Exactly `bits` packed bits.
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
    /// The smallest encoding.
    pub min: Extent,
    /// `None`: unbounded.
    pub max: Option<Extent>,
}

impl Size {
    /// The size of a type that takes no space.
    pub const ZERO: Size = Size::exact(Extent::ZERO);

    /// Exactly `extent`, no more and no less.
    pub const fn exact(extent: Extent) -> Size {
        Size {
            min: extent,
            max: Some(extent),
        }
    }

    /// Exactly `bytes` whole bytes.
    pub const fn bytes(bytes: u64) -> Size {
        Size::exact(Extent::bytes(bytes))
    }

    /// Exactly `bits` packed bits.
    pub const fn bits(bits: u64) -> Size {
        Size::exact(Extent::bits(bits))
    }

    /// At least `min`, with no upper bound.
    pub const fn unbounded(min: Extent) -> Size {
        Size { min, max: None }
    }

    /// The bytes the smallest encoding takes on its own.
    pub fn min_bytes(&self) -> u64 {
        self.min.total_bytes()
    }

    /// `None`: unbounded.
    pub fn max_bytes(&self) -> Option<u64> {
        self.max.map(|max| max.total_bytes())
    }

    /// Whether the encoding has a largest size.
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

/// The prefix a string, buffer, array or map with lengths in `len` carries:
/// a bit field as wide as the range's span, or a varint when unbounded.
pub fn length_prefix(len: LenRange) -> Size {
    match len.max {
        Some(max) => Size::bits(span_bits(u64::from(max.saturating_sub(len.min)))),
        None => Size {
            min: Extent::bytes(1),
            max: Some(Extent::bytes(varint_bytes(u64::from(u32::MAX - len.min)))),
        },
    }
}

/// Bits of a field holding any value from 0 to `span`, as a size model
/// counts them.
pub fn span_bits(span: u64) -> u64 {
    u64::from(facts::span_bits(span))
}

/// Bits of a tag that tells apart `count` alternatives, as a size model
/// counts them.
pub fn tag_bits(count: u64) -> u64 {
    u64::from(facts::tag_bits(count))
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
/// tables do not know takes 0 bits.
pub fn roblox_enum_size(name: &str) -> Size {
    let count = roblox::enum_item_count(name).unwrap_or(0);
    Size::bits(tag_bits(u64::try_from(count).unwrap_or(u64::MAX)))
}

/// The bits of a message id when a direction carries `count` messages, as a
/// size model counts them.
pub fn message_id_bits(count: u64) -> u64 {
    u64::from(facts::message_id_bits(count))
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
    /// A model of `schema`, with no size computed yet.
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
            remote => Size::bits(message_id_bits(self.message_count(remote))),
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
            .max_by(|a, b| a.min.compare(&b.min))
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
            TyKind::Number { kind, range, .. } => match int_packing(*kind, *range) {
                Some(packing) => Size::bits(packing.bits.into()),
                None => Size::bytes(kind.width().into()),
            },
            TyKind::String { len } | TyKind::Buffer { len } | TyKind::Binary { len } => {
                length_prefix(*len).seq(Size::bytes(1).repeat(*len))
            }
            TyKind::Optional { inner } => Size::bits(1).seq(Size::ZERO.choice(self.ty_size(inner))),
            TyKind::Array { elem, len } => {
                length_prefix(*len).seq(self.elements(*len, || self.ty_size(elem)))
            }
            TyKind::Map { key, value, len } => length_prefix(*len)
                .seq(self.elements(*len, || self.ty_size(key).seq(self.ty_size(value)))),
            TyKind::Set { elem, len } => {
                length_prefix(*len).seq(self.elements(*len, || self.ty_size(elem)))
            }
            // The arm's index, as an enum's tag, then the arm's value.
            TyKind::Union { arms } => Size::bits(tag_bits(arms.len() as u64))
                .seq(Size::any_of(arms.iter().map(|arm| self.ty_size(arm))).unwrap_or(Size::ZERO)),
            TyKind::Record { fields } => Size::sum(fields.iter().map(|f| self.ty_size(&f.ty))),
            TyKind::Named { decl } => self.decl_cached(*decl),
            TyKind::Datatype { datatype } => datatype_size(*datatype),
            TyKind::RobloxEnum { name } => roblox_enum_size(name),
            TyKind::Instance { .. } => Size::bytes(INSTANCE_REF_BYTES),
            TyKind::Metatable { table, .. } => self.ty_size(table),
            TyKind::Any => Size::unbounded(Extent::bytes(1)),
            // Sized where it is declared, not here: nothing is known.
            TyKind::Extern { .. } => Size::unbounded(Extent::ZERO),
            TyKind::Shared { inner, .. } => self.ty_size(inner),
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
    /// reaches, one strongly connected group at a time, dependencies first.
    fn ensure(&mut self, root: DeclId) {
        if !self.needs(root) {
            return;
        }
        let groups = graph::components(self.decls.len(), [root.0 as usize], |node| {
            let refs = self.decl_refs(DeclId(node as u32));
            refs.into_iter()
                .filter(|&d| self.needs(d))
                .map(|d| d.0 as usize)
                .collect()
        });
        for group in groups {
            let group: Vec<DeclId> = group.into_iter().map(|d| DeclId(d as u32)).collect();
            self.solve(&group);
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
        TyKind::Set { elem, len } => {
            if len.max != Some(0) {
                encoded_refs(elem, out);
            }
        }
        TyKind::Union { arms } => arms.iter().for_each(|arm| encoded_refs(arm, out)),
        TyKind::Record { fields } => {
            for field in fields {
                encoded_refs(&field.ty, out);
            }
        }
        TyKind::Metatable { table, .. } => encoded_refs(table, out),
        TyKind::Shared { inner, .. } => encoded_refs(inner, out),
        TyKind::Boolean
        | TyKind::Number { .. }
        | TyKind::String { .. }
        | TyKind::Buffer { .. }
        | TyKind::Binary { .. }
        | TyKind::MixedTable { .. }
        | TyKind::Datatype { .. }
        | TyKind::RobloxEnum { .. }
        | TyKind::Instance { .. }
        | TyKind::Function { .. }
        | TyKind::Any
        | TyKind::Extern { .. }
        | TyKind::Error => {}
    }
}

mod native;
pub use native::native_params_min;

#[cfg(test)]
mod tests;
