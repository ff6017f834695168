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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DeclId(pub u32);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypeDecl {
    pub name: QualName,
    pub name_span: Span,
    pub span: Span,
    pub kind: DeclKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeclKind {
    /// `type Name = T`
    Alias { ty: Ty },
    /// `enum Name { ... }`
    Enum { variants: Vec<Variant> },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub name: String,
    pub name_span: Span,
    /// `None` for a unit variant.
    pub fields: Option<Vec<Field>>,
}

/// A named slot: a record field, a variant field, or a parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub name: String,
    pub name_span: Span,
    pub ty: Ty,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ty {
    #[serde(flatten)]
    pub kind: TyKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TyKind {
    Boolean,
    Number {
        kind: NumKind,
        range: Option<NumRange>,
        /// Accepts NaN and ±inf (`f32(nonfinite)`); floats reject them otherwise.
        nonfinite: bool,
    },
    String {
        len: LenRange,
    },
    Buffer {
        len: LenRange,
    },
    Optional {
        inner: Box<Ty>,
    },
    Array {
        elem: Box<Ty>,
        len: LenRange,
    },
    Map {
        key: Box<Ty>,
        value: Box<Ty>,
        len: LenRange,
    },
    Record {
        fields: Vec<Field>,
    },
    /// A table that is none of array, map or record; only ever rejected.
    MixedTable {
        parts: Vec<TablePart>,
    },
    Named {
        decl: DeclId,
    },
    Datatype {
        datatype: Datatype,
    },
    /// `Enum.Material`
    RobloxEnum {
        name: String,
    },
    /// `Part`, `Part in Workspace`
    Instance {
        class: String,
        location: Option<Location>,
    },
    Function {
        params: Vec<Ty>,
        returns: Vec<Ty>,
    },
    Metatable {
        table: Box<Ty>,
        meta: Box<Ty>,
    },
    Any,
    /// A host-language type that encodes itself (a Rust type deriving
    /// `Replicable`), by its path there; opaque to the checker, which saw it
    /// where it was declared.
    Extern {
        path: String,
        /// The namespace it was written in, which a relative `path` is
        /// relative to.
        namespace: Vec<String>,
    },
    /// A shared reference in a host language (`Rc<T>`, `&T`, ...), which no
    /// copy keeps: the checker rejects it (`shared-identity`).
    Shared {
        inner: Box<Ty>,
        wrapper: String,
    },
    /// A type that could not be resolved; a diagnostic was already given,
    /// so checks skip it.
    Error,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumKind {
    /// Luau's `number`, a double.
    Number,
    U8,
    U16,
    U32,
    U64,
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
}

impl NumKind {
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

    pub fn from_name(name: &str) -> Option<NumKind> {
        NumKind::ALL.into_iter().find(|k| k.name() == name)
    }

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
    Int {
        min: Option<i128>,
        max: Option<i128>,
    },
    Float {
        min: Option<f64>,
        max: Option<f64>,
    },
}

/// Inclusive bounds on a length in bytes or a count of elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LenRange {
    pub min: u32,
    /// `None`: no upper bound.
    pub max: Option<u32>,
}

impl LenRange {
    pub const UNBOUNDED: LenRange = LenRange { min: 0, max: None };
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TablePart {
    pub kind: TablePartKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "part", rename_all = "snake_case")]
pub enum TablePartKind {
    /// A bare element type: the array part.
    Positional {
        elem: Ty,
    },
    Indexer {
        key: Ty,
        value: Ty,
    },
    Field {
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
    ($($name:ident),* $(,)?) => {
        /// Roblox datatypes a schema may name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum Datatype { $($name),* }

        impl Datatype {
            pub const ALL: &'static [Datatype] = &[$(Datatype::$name),*];

            pub fn name(self) -> &'static str {
                match self { $(Datatype::$name => stringify!($name)),* }
            }

            pub fn from_name(name: &str) -> Option<Datatype> {
                match name { $(stringify!($name) => Some(Datatype::$name),)* _ => None }
            }
        }
    };
}

datatypes!(
    Vector3,
    Vector2,
    CFrame,
    Color3,
    BrickColor,
    UDim,
    UDim2,
    Rect,
    NumberRange,
    NumberSequence,
    ColorSequence,
    DateTime,
);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    pub name: QualName,
    pub name_span: Span,
    pub span: Span,
    pub call: Call,
    pub route: Route,
    pub params: Vec<Field>,
    /// The return types of a function (empty for `-> ()`); `None` for events.
    pub returns: Option<Vec<Ty>>,
    pub attrs: Attrs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Call {
    Event,
    Function,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "transport", content = "way", rename_all = "snake_case")]
pub enum Route {
    Remote(Direction),
    Bindable(Side),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    ClientToServer,
    ServerToClient,
    Both,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Server,
    Client,
}

/// One way a value travels. A remote function's returns travel opposite
/// to its params; `Both` events travel both ways.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    ClientToServer,
    ServerToClient,
    /// Within one side: bindables.
    Local,
}

impl Flow {
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

    pub fn is_remote(&self) -> bool {
        matches!(self.route, Route::Remote(_))
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Attrs {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreliable: Option<Span>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ordered: Option<Span>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<Rate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<Timeout>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<Deprecation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<Allow>,
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
    pub count: u32,
    pub per_seconds: u32,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timeout {
    pub millis: u64,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Deprecation {
    pub note: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Allow {
    pub rule: String,
    pub span: Span,
}
