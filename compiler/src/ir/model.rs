//! The resolved model of a schema: every name bound, every refinement
//! validated, every attribute parsed. The checker reads it, the generators
//! turn it into code, and the macros build the same model from Rust items.

use crate::diag::Span;
use serde::{Deserialize, Serialize};

/// A whole compilation: the declarations of a root file and everything it imports.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    /// Display names of the files that spans point into, indexed by `FileId`.
    pub files: Vec<String>,
    /// Declared types and enums; `TyKind::Named` indexes this list.
    pub decls: Vec<TypeDecl>,
    /// Remotes and bindables, in declaration order.
    pub endpoints: Vec<Endpoint>,
}

impl Schema {
    /// The declaration `id` indexes in `decls`.
    pub fn decl(&self, id: DeclId) -> &TypeDecl {
        &self.decls[id.0 as usize]
    }
}

/// A dotted name: `["Combat", "Hit"]` for `Combat.Hit`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QualName(pub Vec<String>);

impl QualName {
    /// The last segment: the item's own name.
    pub fn item(&self) -> &str {
        self.0.last().map_or("", String::as_str)
    }

    /// The enclosing namespaces.
    pub fn namespace(&self) -> &[String] {
        &self.0[..self.0.len().saturating_sub(1)]
    }
}

impl std::fmt::Display for QualName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("."))
    }
}

/// Index of a declaration in `Schema::decls`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeclId(pub u32);

/// A declared `type` alias or `enum`, under its qualified name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypeDecl {
    /// The full name, enclosing namespaces first.
    pub name: QualName,
    /// Where the name is written in the declaration.
    pub name_span: Span,
    /// The whole declaration, from its keyword to its end.
    pub span: Span,
    /// What it declares: an alias or an enum.
    pub kind: DeclKind,
    /// Whether it is an enum written where a type goes, which the compiler
    /// named after its place (`name_span` is then the enum as written).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_place: bool,
    /// The field of a Luau value of this tagged enum that holds its
    /// variant (`enum "kind" { .. }`); `None` for the default, `type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_field: Option<String>,
}

impl TypeDecl {
    /// The field of a Luau value of this enum that holds its variant.
    pub fn tag_field(&self) -> &str {
        self.tag_field.as_deref().unwrap_or(DEFAULT_TAG_FIELD)
    }
}

/// The field of a tagged enum's Luau value that holds its variant, unless
/// the enum names another.
pub const DEFAULT_TAG_FIELD: &str = "type";

/// What a type declaration defines.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeclKind {
    /// `type Name = T`
    Alias {
        /// The type the name stands for.
        ty: Ty,
    },
    /// `enum Name { ... }`
    Enum {
        /// The variants, in the order written.
        variants: Vec<Variant>,
    },
}

/// One variant of an `enum` declaration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    /// The variant's name as written.
    pub name: String,
    /// Where the variant's name is written.
    pub name_span: Span,
    /// `None` for a unit variant.
    pub fields: Option<Vec<Field>>,
}

/// A named slot: a record field, a variant field, or a parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// The name as written.
    pub name: String,
    /// Where the name is written.
    pub name_span: Span,
    /// The type of the value the slot holds.
    pub ty: Ty,
}

/// A resolved type, with the span where it is written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ty {
    /// What the type is; serialized inline, beside `span`.
    #[serde(flatten)]
    pub kind: TyKind,
    /// The type as written at this use; for a named type, the name, not its declaration.
    pub span: Span,
}

/// The kinds of type a schema can express, with their refinements.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TyKind {
    /// `boolean`.
    Boolean,
    /// `number` or a precise number, possibly refined: `u8`, `f32(0..1)`, `number(nonfinite)`.
    Number {
        /// Which number type, which fixes the wire width.
        kind: NumKind,
        /// The value range of a refinement; `None` when unrefined.
        range: Option<NumRange>,
        /// Accepts NaN and ±inf (`f32(nonfinite)`); floats reject them otherwise.
        nonfinite: bool,
    },
    /// `string`, possibly with a length range (`string(..64)`).
    String {
        /// Allowed length in bytes; `LenRange::UNBOUNDED` when unrefined.
        len: LenRange,
    },
    /// `buffer`, possibly with a length range (`buffer(..1024)`).
    Buffer {
        /// Allowed length in bytes; `LenRange::UNBOUNDED` when unrefined.
        len: LenRange,
    },
    /// `(A | B)`: a value of one of the arms, which the encoder tells apart
    /// by what the value is (`ambiguous-union` refuses arms it could not).
    Union {
        /// The arms, in the order written; a value's arm travels as its index.
        arms: Vec<Ty>,
    },
    /// `{[T]: true}`: a set of distinct elements, possibly with a count range.
    Set {
        /// The element type (the indexer's key).
        elem: Box<Ty>,
        /// Allowed element count; `LenRange::UNBOUNDED` when unrefined.
        len: LenRange,
    },
    /// `binary`: a Luau string of any bytes, not only UTF-8 text (what
    /// `string.pack` or a compressor makes), possibly with a length range.
    Binary {
        /// Allowed length in bytes; `LenRange::UNBOUNDED` when unrefined.
        len: LenRange,
    },
    /// `T?`: a value of the inner type, or nil.
    Optional {
        /// The type that may be nil.
        inner: Box<Ty>,
    },
    /// `{T}` or `{[number]: T}`, possibly with an element-count range.
    Array {
        /// The element type.
        elem: Box<Ty>,
        /// Allowed element count; `LenRange::UNBOUNDED` when unrefined.
        len: LenRange,
    },
    /// `{[K]: V}`: a dictionary, possibly with an entry-count range.
    Map {
        /// The key type; the checker accepts strings and unit enums only (`non-string-key`).
        key: Box<Ty>,
        /// The value type.
        value: Box<Ty>,
        /// Allowed entry count; `LenRange::UNBOUNDED` when unrefined.
        len: LenRange,
    },
    /// `{ Name: T, ... }`: a table with fixed named fields; `{}` is the empty record.
    Record {
        /// The fields, in the order written.
        fields: Vec<Field>,
    },
    /// A table that is none of array, map or record; only ever rejected.
    MixedTable {
        /// Every entry of the table, in the order written.
        parts: Vec<TablePart>,
    },
    /// A declared `type` or `enum`, referred to by name (`Name`, `Ns.Name`).
    Named {
        /// The declaration, as an index into `Schema::decls`.
        decl: DeclId,
    },
    /// A Roblox datatype: `Vector3`, `CFrame`, ...
    Datatype {
        /// Which datatype it is.
        datatype: Datatype,
    },
    /// `Enum.Material`
    RobloxEnum {
        /// The enum's name without the `Enum.` prefix (`Material`).
        name: String,
    },
    /// `Part`, `Part in Workspace`
    Instance {
        /// The Roblox class name (`Part`, `Model`, `Instance`).
        class: String,
        /// Where it lives, from `in ...`; `None` when not written.
        location: Option<Location>,
    },
    /// `(T, U) -> R`: a function value; parameter names are not kept.
    Function {
        /// The parameter types, in order.
        params: Vec<Ty>,
        /// The return types, in order; empty for `-> ()`.
        returns: Vec<Ty>,
    },
    /// `setmetatable<T, M>`: a table that carries a metatable.
    Metatable {
        /// The table type, the first argument.
        table: Box<Ty>,
        /// The metatable type, the second argument.
        meta: Box<Ty>,
    },
    /// `any`: an unchecked Luau value.
    Any,
    /// A host-language type that encodes itself (a Rust type deriving
    /// `Replicable`), by its path there; opaque to the checker, which saw it
    /// where it was declared.
    Extern {
        /// The type's path in the host language, as written there.
        path: String,
        /// The namespace it was written in, which a relative `path` is
        /// relative to.
        namespace: Vec<String>,
    },
    /// A shared reference in a host language (`Rc<T>`, `&T`, ...), which no
    /// copy keeps: the checker rejects it (`shared-identity`).
    Shared {
        /// The type behind the reference.
        inner: Box<Ty>,
        /// The wrapper's name in the host language (`Rc`, `Arc`, `&`).
        wrapper: String,
    },
    /// A type that could not be resolved; a diagnostic was already given,
    /// so checks skip it.
    Error,
}

/// A number type: Luau's `number` or one of the precise integer and float types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumKind {
    /// Luau's `number`, a double.
    Number,
    /// `u8`: an unsigned 8-bit integer.
    U8,
    /// `u16`: an unsigned 16-bit integer.
    U16,
    /// `u32`: an unsigned 32-bit integer.
    U32,
    /// `u64`: an unsigned 64-bit integer.
    U64,
    /// `i8`: a signed 8-bit integer.
    I8,
    /// `i16`: a signed 16-bit integer.
    I16,
    /// `i32`: a signed 32-bit integer.
    I32,
    /// `i64`: a signed 64-bit integer.
    I64,
    /// `f32`: a 32-bit float.
    F32,
    /// `f64`: a 64-bit float.
    F64,
}

impl NumKind {
    /// Every number kind, `Number` first.
    pub const ALL: [NumKind; 11] = [
        NumKind::Number,
        NumKind::U8,
        NumKind::U16,
        NumKind::U32,
        NumKind::U64,
        NumKind::I8,
        NumKind::I16,
        NumKind::I32,
        NumKind::I64,
        NumKind::F32,
        NumKind::F64,
    ];

    /// The name a schema writes (`number`, `u8`).
    pub fn name(self) -> &'static str {
        match self {
            NumKind::Number => "number",
            NumKind::U8 => "u8",
            NumKind::U16 => "u16",
            NumKind::U32 => "u32",
            NumKind::U64 => "u64",
            NumKind::I8 => "i8",
            NumKind::I16 => "i16",
            NumKind::I32 => "i32",
            NumKind::I64 => "i64",
            NumKind::F32 => "f32",
            NumKind::F64 => "f64",
        }
    }

    /// The kind a schema name stands for; `None` for any other name.
    pub fn from_name(name: &str) -> Option<NumKind> {
        NumKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether it is a float type: `number`, `f32` or `f64`.
    pub fn is_float(self) -> bool {
        matches!(self, NumKind::Number | NumKind::F32 | NumKind::F64)
    }

    /// Encoded width in bytes.
    pub fn width(self) -> u32 {
        match self {
            NumKind::U8 | NumKind::I8 => 1,
            NumKind::U16 | NumKind::I16 => 2,
            NumKind::U32 | NumKind::I32 | NumKind::F32 => 4,
            NumKind::U64 | NumKind::I64 | NumKind::F64 | NumKind::Number => 8,
        }
    }

    /// The inclusive integer bounds of an integer kind.
    pub fn int_bounds(self) -> Option<(i128, i128)> {
        Some(match self {
            NumKind::U8 => (0, u8::MAX.into()),
            NumKind::U16 => (0, u16::MAX.into()),
            NumKind::U32 => (0, u32::MAX.into()),
            NumKind::U64 => (0, u64::MAX.into()),
            NumKind::I8 => (i8::MIN.into(), i8::MAX.into()),
            NumKind::I16 => (i16::MIN.into(), i16::MAX.into()),
            NumKind::I32 => (i32::MIN.into(), i32::MAX.into()),
            NumKind::I64 => (i64::MIN.into(), i64::MAX.into()),
            NumKind::Number | NumKind::F32 | NumKind::F64 => return None,
        })
    }
}

/// Inclusive bounds on a number; `None` is open.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "of", rename_all = "snake_case")]
pub enum NumRange {
    /// Bounds on an integer type, as whole numbers.
    Int {
        /// The smallest value accepted.
        min: Option<i128>,
        /// The largest value accepted.
        max: Option<i128>,
    },
    /// Bounds on a float type (`number`, `f32`, `f64`).
    Float {
        /// The smallest value accepted.
        min: Option<f64>,
        /// The largest value accepted.
        max: Option<f64>,
    },
}

/// Inclusive bounds on a length in bytes or a count of elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LenRange {
    /// The smallest length or count; 0 when no lower bound is written.
    pub min: u32,
    /// `None`: no upper bound.
    pub max: Option<u32>,
}

impl LenRange {
    /// `0..`: any length or count, as an unrefined type allows.
    pub const UNBOUNDED: LenRange = LenRange { min: 0, max: None };
}

/// One entry of a mixed table, with the span where it is written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TablePart {
    /// The entry: an element type, an indexer or a field.
    pub kind: TablePartKind,
    /// The entry as written.
    pub span: Span,
}

/// The kinds of entry a table type is written with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "part", rename_all = "snake_case")]
pub enum TablePartKind {
    /// A bare element type: the array part.
    Positional {
        /// The element type.
        elem: Ty,
    },
    /// `[K]: V`: a key type and a value type.
    Indexer {
        /// The key type, between the brackets.
        key: Ty,
        /// The value type, after the colon.
        value: Ty,
    },
    /// `Name: T`: a named field.
    Field {
        /// The field, with its name and type.
        field: Field,
    },
}

/// Where an instance lives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "in", content = "name", rename_all = "snake_case")]
pub enum Location {
    /// A service, by its class name (`Workspace`, `ServerStorage`).
    Service(String),
    /// Created by a client; the server never sees it.
    Client,
}

macro_rules! datatypes {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        /// Roblox datatypes a schema may name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Datatype { $($(#[$doc])* $name),* }

        impl Datatype {
            /// Every datatype, in declaration order.
            pub const ALL: &'static [Datatype] = &[$(Datatype::$name),*];

            /// The datatype's Roblox name (`Vector3`).
            pub fn name(self) -> &'static str {
                match self { $(Datatype::$name => stringify!($name)),* }
            }

            /// The datatype a Roblox name stands for; `None` for any other name.
            pub fn from_name(name: &str) -> Option<Datatype> {
                match name { $(stringify!($name) => Some(Datatype::$name),)* _ => None }
            }
        }
    };
}

datatypes!(
    /// A point or direction in 3D space.
    Vector3,
    /// A point or direction in 2D space.
    Vector2,
    /// A position and rotation in 3D space.
    CFrame,
    /// An RGB color.
    Color3,
    /// One of Roblox's named brick colors.
    BrickColor,
    /// One GUI dimension: a scale and a pixel offset.
    UDim,
    /// A two-dimensional GUI size or position: a `UDim` per axis.
    UDim2,
    /// A 2D rectangle, by its minimum and maximum corners.
    Rect,
    /// A range of numbers, by its minimum and maximum.
    NumberRange,
    /// Number keypoints over time, with envelopes, as particle effects use.
    NumberSequence,
    /// Color keypoints over time, as gradients and particle effects use.
    ColorSequence,
    /// A moment in time.
    DateTime,
);

/// A remote or bindable, resolved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    /// The full name, enclosing namespaces first.
    pub name: QualName,
    /// Where the name is written.
    pub name_span: Span,
    /// The whole declaration, attributes included.
    pub span: Span,
    /// Whether it is an event or a function.
    pub call: Call,
    /// A remote's direction or a bindable's side.
    pub route: Route,
    /// The parameters, in order.
    pub params: Vec<Field>,
    /// The return types of a function (empty for `-> ()`); `None` for events.
    pub returns: Option<Vec<Ty>>,
    /// The attributes written before it, validated.
    pub attrs: Attrs,
    /// How its values travel: a bindable's always natively; a remote's as
    /// its `@native` or `@packed` says, else as its file's
    /// `option encoding`, else packed.
    pub encoding: Encoding,
}

/// Whether an endpoint is fired or invoked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Call {
    /// `event`: fired, with no reply.
    Event,
    /// `function`: invoked; the caller waits for the returns.
    Function,
}

/// How an endpoint travels: across the network, or within one side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "transport", content = "way", rename_all = "snake_case")]
pub enum Route {
    /// `remote`: crosses the client-server boundary this way.
    Remote(Direction),
    /// `bindable`: stays on this side.
    Bindable(Side),
}

/// The way a remote crosses the client-server boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// `client -> server`
    ClientToServer,
    /// `server -> client`
    ServerToClient,
    /// `client <-> server`: an event sent both ways with one payload shape.
    Both,
}

/// Where a bindable lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// `server`
    Server,
    /// `client`
    Client,
}

/// One way a value travels. A remote function's returns travel opposite
/// to its params; `Both` events travel both ways.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    /// Sent by a client, received by the server.
    ClientToServer,
    /// Sent by the server, received by a client.
    ServerToClient,
    /// Within one side: bindables.
    Local,
}

impl Flow {
    /// The opposite flow; `Local` stays `Local`.
    pub fn reversed(self) -> Flow {
        match self {
            Flow::ClientToServer => Flow::ServerToClient,
            Flow::ServerToClient => Flow::ClientToServer,
            Flow::Local => Flow::Local,
        }
    }
}

impl Endpoint {
    /// The flows the params travel along.
    pub fn param_flows(&self) -> &'static [Flow] {
        match self.route {
            Route::Remote(Direction::ClientToServer) => &[Flow::ClientToServer],
            Route::Remote(Direction::ServerToClient) => &[Flow::ServerToClient],
            Route::Remote(Direction::Both) => &[Flow::ClientToServer, Flow::ServerToClient],
            Route::Bindable(_) => &[Flow::Local],
        }
    }

    /// The flows the returns travel along (opposite to the params).
    pub fn return_flows(&self) -> &'static [Flow] {
        match self.route {
            Route::Remote(Direction::ClientToServer) => &[Flow::ServerToClient],
            Route::Remote(Direction::ServerToClient) => &[Flow::ClientToServer],
            Route::Remote(Direction::Both) => &[Flow::ClientToServer, Flow::ServerToClient],
            Route::Bindable(_) => &[Flow::Local],
        }
    }

    /// Whether it is a remote rather than a bindable.
    pub fn is_remote(&self) -> bool {
        matches!(self.route, Route::Remote(_))
    }

    /// Whether it is a native remote: one that sends no packed messages,
    /// so exists only in the generated Luau.
    pub fn is_native_remote(&self) -> bool {
        self.is_remote() && self.encoding == Encoding::Native
    }
}

/// How an endpoint's values travel, which decides which of Roblox's
/// limitations apply to them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// Written into a buffer in Tether's wire format (docs/wire-format.md),
    /// as the Rust runtime and the generated Luau do for remotes: keys,
    /// numbers and instances arrive as written.
    #[default]
    Packed,
    /// Luau values passed to Roblox, which copies them with its own rules
    /// (non-string keys become strings, ...): what a bindable carries, and
    /// a `@native` remote.
    Native,
}

impl Encoding {
    /// The name the schema language writes (`@native`, `option encoding = packed`).
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Packed => "packed",
            Encoding::Native => "native",
        }
    }

    /// The encoding a name in the schema language stands for.
    pub fn from_name(name: &str) -> Option<Encoding> {
        match name {
            "packed" => Some(Encoding::Packed),
            "native" => Some(Encoding::Native),
            _ => None,
        }
    }
}

/// The attributes of an endpoint; an attribute not written is `None` (or empty).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Attrs {
    /// Where `@unreliable` is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreliable: Option<Span>,
    /// Where `@ordered` is written; only ever set together with `unreliable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ordered: Option<Span>,
    /// The `@rate` limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<Rate>,
    /// The `@timeout` duration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Timeout>,
    /// `@deprecated`, with its note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
    /// The rules `@allow` silences here, one entry per rule named.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<Allow>,
    /// `@native` or `@packed`, and where it is written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<(Encoding, Span)>,
}

impl Attrs {
    /// Whether `@allow(rule)` is written here.
    pub fn allows(&self, rule: &str) -> bool {
        self.allow.iter().any(|a| a.rule == rule)
    }
}

/// `@rate(20/s)`: at most `count` messages per `per_seconds` seconds per player.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    /// Messages allowed per period.
    pub count: u32,
    /// The period in seconds: 1 for `/s`, 60 for `/min`.
    pub per_seconds: u32,
    /// How many messages are accepted at once (`burst 5`); when not
    /// written, `tether_facts::policy::default_burst(count)`.
    pub burst: u32,
    /// The whole `@rate(...)` attribute.
    pub span: Span,
}

/// `@timeout(5s)`: how long an invoke waits before it fails with a timeout.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timeout {
    /// The duration in whole milliseconds, from 1ms to 24 hours.
    pub millis: u64,
    /// The whole `@timeout(...)` attribute.
    pub span: Span,
}

/// `@deprecated` or `@deprecated("note")`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Deprecation {
    /// The note; empty when none is written.
    pub note: String,
    /// The whole `@deprecated` attribute.
    pub span: Span,
}

/// One rule named in `@allow(...)`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Allow {
    /// The rule's name (`unbounded-client-input`), also when written as its code.
    pub rule: String,
    /// The argument that names the rule.
    pub span: Span,
}
