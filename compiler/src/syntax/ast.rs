//! The syntax tree of one `.tether` file, as written. Every node carries the
//! byte span of the text it came from; nothing is resolved here.

use crate::diag::Span;

#[derive(Clone, Debug, PartialEq)]
pub struct File {
    pub imports: Vec<Import>,
    pub decls: Vec<Decl>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// The path between the quotes, unescaped.
    pub path: String,
    /// Span of the string literal, quotes included.
    pub path_span: Span,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Decl {
    Type(TypeAlias),
    Enum(EnumDecl),
    Namespace(Namespace),
    Endpoint(Endpoint),
}

impl Decl {
    pub fn name(&self) -> &Ident {
        match self {
            Decl::Type(d) => &d.name,
            Decl::Enum(d) => &d.name,
            Decl::Namespace(d) => &d.name,
            Decl::Endpoint(d) => &d.name,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            Decl::Type(d) => d.span,
            Decl::Enum(d) => d.span,
            Decl::Namespace(d) => d.span,
            Decl::Endpoint(d) => d.span,
        }
    }
}

/// `type Name = <type>`
#[derive(Clone, Debug, PartialEq)]
pub struct TypeAlias {
    pub name: Ident,
    pub ty: TypeExpr,
    pub span: Span,
}

/// `enum Name { A, B { field: T } }`
#[derive(Clone, Debug, PartialEq)]
pub struct EnumDecl {
    pub name: Ident,
    pub variants: Vec<Variant>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub name: Ident,
    /// `Some` when the variant is written with braces, even empty ones.
    pub fields: Option<Vec<Field>>,
    pub span: Span,
}

/// `name: <type>`, in a record, a variant, or a parameter list.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub name: Ident,
    pub ty: TypeExpr,
    pub span: Span,
}

/// `namespace Name { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Namespace {
    pub name: Ident,
    pub decls: Vec<Decl>,
    pub span: Span,
}

/// `remote event`, `remote function`, `bindable event`, `bindable function`.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    pub attrs: Vec<Attribute>,
    pub transport: Transport,
    pub call: Call,
    /// Span of the keywords `remote event` etc.
    pub keyword_span: Span,
    pub name: Ident,
    pub route: Route,
    pub route_span: Span,
    pub params: Vec<Field>,
    pub params_span: Span,
    /// Present exactly when written with `->`.
    pub returns: Option<Returns>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    Remote,
    Bindable,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    Event,
    Function,
}

/// What follows the `:` of an endpoint: a direction for remotes, a side for
/// bindables. The parser accepts either form after either keyword so that the
/// resolver can say which one was meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    ClientToServer,
    ServerToClient,
    Both,
    Server,
    Client,
}

/// The return part of a function: `-> T`, `-> (T, U)` or `-> ()`.
#[derive(Clone, Debug, PartialEq)]
pub struct Returns {
    pub types: Vec<TypeExpr>,
    /// True when written in parentheses (a tuple, possibly empty).
    pub parenthesized: bool,
    pub span: Span,
}

/// `@name` or `@name(args)`
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub name: Ident,
    pub args: Vec<AttrArg>,
    /// Span of the parenthesized argument list, if written.
    pub args_span: Option<Span>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AttrArg {
    pub kind: AttrArgKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AttrArgKind {
    Number(NumberLit),
    /// `5s`, `250ms`, `2min`, as milliseconds.
    Duration(f64),
    /// `20/s`, `600/min`: a count per unit.
    Rate {
        count: NumberLit,
        per: RateUnit,
    },
    String(String),
    /// A bare word, kebab-case allowed (`mixed-table`).
    Word(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateUnit {
    Second,
    Minute,
}

/// A numeric literal as written, with its value.
#[derive(Clone, Debug, PartialEq)]
pub struct NumberLit {
    pub text: String,
    pub value: f64,
    /// True when written without a decimal point or exponent.
    pub is_integer: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    pub kind: TypeExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeExprKind {
    /// `boolean`, `u8`, `Name`, `Ns.Name`, `Enum.Material`, `Part`: a
    /// possibly dotted name, resolved later.
    Path(Vec<Ident>),
    /// `<type>(<refinement>)`: `u8(1..100)`, `string(..64)`, `{T}(..8)`.
    Refined {
        base: Box<TypeExpr>,
        refinement: Refinement,
    },
    /// `<type>?`
    Optional(Box<TypeExpr>),
    /// `{ ... }`: arrays, dictionaries, records, and the mixed shapes that
    /// the checker rejects.
    Table(Vec<TableEntry>),
    /// `Part in Workspace`, `Part in client`
    Located { ty: Box<TypeExpr>, location: Ident },
    /// `(T, U) -> R`, `(x: number) -> ()`
    Function {
        params: Vec<FunctionParam>,
        returns: Returns,
    },
    /// `setmetatable<{ Name: string }, Car>`
    Metatable {
        table: Box<TypeExpr>,
        meta: Box<TypeExpr>,
    },
    /// `any`
    Any,
    /// A type a host language defines and encodes itself (a Rust type that
    /// derives `Replicable`), by its path there. Only the macros write it.
    Extern(String),
    /// A shared reference in a host language (`Rc<T>`, `Arc<T>`, `&T`,
    /// `RefCell<T>`), by the wrapper's name. Only the macros write it; the
    /// checker rejects it wherever a value is copied.
    Shared {
        inner: Box<TypeExpr>,
        wrapper: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct FunctionParam {
    pub name: Option<Ident>,
    pub ty: TypeExpr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TableEntry {
    /// A bare type: the array part (`{T}`).
    Positional(TypeExpr),
    /// `[K]: V`
    Indexer {
        key: TypeExpr,
        value: TypeExpr,
        span: Span,
    },
    /// `Name: T`
    Field(Field),
}

impl TableEntry {
    pub fn span(&self) -> Span {
        match self {
            TableEntry::Positional(t) => t.span,
            TableEntry::Indexer { span, .. } => *span,
            TableEntry::Field(f) => f.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Refinement {
    pub kind: RefinementKind,
    /// Span of the parentheses and what is between them.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RefinementKind {
    /// `min..max`, either side optional.
    Range {
        min: Option<NumberLit>,
        max: Option<NumberLit>,
    },
    /// `(8)`: exactly this length, or this value.
    Exact(NumberLit),
    /// `(nonfinite)`: a float type that accepts NaN and ±inf.
    NonFinite,
}
