//! The syntax tree of a Zap config, with byte spans into its text.

/// A byte range of the Zap file.
pub type Span = std::ops::Range<usize>;

/// A name as written, with where it was written.
#[derive(Clone, Debug)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A whole config: options first, then declarations.
#[derive(Debug, Default)]
pub struct Config {
    pub opts: Vec<Opt>,
    pub decls: Vec<Decl>,
    /// The comments after the last declaration.
    pub trailing: Vec<String>,
}

/// `opt name = value`.
#[derive(Debug)]
pub struct Opt {
    pub name: Ident,
    /// The value as written (`"camelCase"`, `true`, `5`).
    pub raw: String,
    pub value_span: Span,
}

/// A declaration, with the comments written on the lines before it.
#[derive(Debug)]
pub struct Decl {
    pub comments: Vec<String>,
    pub kind: DeclKind,
    /// A comment after the declaration, on the line where it ends.
    pub trailing: Option<String>,
}

#[derive(Debug)]
pub enum DeclKind {
    Type { name: Ident, ty: Ty },
    Event(Event),
    Funct(Funct),
    Namespace { name: Ident, decls: Vec<Decl> },
}

/// Which side fires an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum From {
    Server,
    Client,
}

/// `event Name = { from: .., type: .., call: .., data: .. }`.
#[derive(Debug)]
pub struct Event {
    pub name: Ident,
    pub from: From,
    pub unreliable: bool,
    pub call: Option<Ident>,
    pub data: Option<Params>,
}

/// `funct Name = { call: .., args: .., rets: .. }`.
#[derive(Debug)]
pub struct Funct {
    pub name: Ident,
    pub call: Option<Ident>,
    pub args: Option<Params>,
    pub rets: Option<Params>,
}

/// `data`, `args` or `rets`: one type, or a parenthesised list of values,
/// each named or not.
#[derive(Debug)]
pub struct Params {
    pub items: Vec<(Option<Ident>, Ty)>,
    pub span: Span,
}

#[derive(Debug)]
pub struct Ty {
    pub kind: TyKind,
    pub span: Span,
}

/// Zap's number types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumKind {
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
    pub fn from_name(name: &str) -> Option<NumKind> {
        Some(match name {
            "u8" => NumKind::U8,
            "u16" => NumKind::U16,
            "u32" => NumKind::U32,
            "u64" => NumKind::U64,
            "i8" => NumKind::I8,
            "i16" => NumKind::I16,
            "i32" => NumKind::I32,
            "i64" => NumKind::I64,
            "f32" => NumKind::F32,
            "f64" => NumKind::F64,
            _ => return None,
        })
    }

    /// The name, which Tether writes the same.
    pub fn name(self) -> &'static str {
        match self {
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

    pub fn is_float(self) -> bool {
        matches!(self, NumKind::F32 | NumKind::F64)
    }
}

/// How a Zap string is flavoured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrKind {
    /// `string`
    Plain,
    /// `string.utf8`
    Utf8,
    /// `string.binary`
    Binary,
}

#[derive(Debug)]
pub enum TyKind {
    Num(NumKind, Option<Range>),
    Str(StrKind, Option<Range>),
    Buffer(Option<Range>),
    /// `vector`, or `vector(x, y[, z])`.
    Vector(Vec<Ty>),
    Array(Box<Ty>, Option<Range>),
    Map(Box<Ty>, Box<Ty>),
    Set(Box<Ty>),
    Optional(Box<Ty>),
    /// A name: a declared type, `boolean`, `unknown` or a Roblox datatype;
    /// dotted when it reaches into a namespace.
    Ref(Vec<Ident>),
    Enum(Enum),
    /// Zap's older unit enum, `( A, B )`.
    OldEnum(Vec<Ident>),
    /// `struct { .. }`; `keyword` is false for the older bare `{ .. }`.
    Struct {
        fields: Vec<Field>,
        keyword: bool,
    },
    /// `Instance`, or `Instance(Class)`.
    Instance(Option<Ident>),
    /// `(A | B | ..)`.
    Union(Vec<Ty>),
}

#[derive(Debug)]
pub struct Field {
    pub name: Ident,
    pub ty: Ty,
}

#[derive(Debug)]
pub enum Enum {
    Unit(Vec<Ident>),
    Tagged {
        tag: Ident,
        variants: Vec<(Ident, Vec<Field>)>,
    },
}

/// A range as written: numbers kept as text, so that they are written back
/// exactly.
#[derive(Clone, Debug)]
pub struct Range {
    pub kind: RangeKind,
}

#[derive(Clone, Debug)]
pub enum RangeKind {
    /// `..`
    Any,
    Exact(String),
    Min(String),
    Max(String),
    MinMax(String, String),
}

impl Range {
    /// The upper bound, if the range has one.
    pub fn max(&self) -> Option<&str> {
        match &self.kind {
            RangeKind::Exact(n) | RangeKind::Max(n) | RangeKind::MinMax(_, n) => Some(n),
            RangeKind::Any | RangeKind::Min(_) => None,
        }
    }
}
