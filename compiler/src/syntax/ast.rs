//! The syntax tree of one `.tether` file, as written. Every node carries the
//! byte span of the text it came from; nothing is resolved here.

use crate::diag::Span;

/// A parsed `.tether` file: its imports, then its declarations.
#[derive(Clone, Debug, PartialEq)]
pub struct File {
    /// The `import` lines, in order.
    pub imports: Vec<Import>,
    /// The `option name = value` lines, in order.
    pub options: Vec<FileOption>,
    /// The top-level declarations, in order.
    pub decls: Vec<Decl>,
}

/// `option name = value`: a setting for the declarations of one file.
#[derive(Clone, Debug, PartialEq)]
pub struct FileOption {
    /// The setting's name (`encoding`).
    pub name: Ident,
    /// Its value (`native`).
    pub value: Ident,
    /// The whole line, keyword included.
    pub span: Span,
}

/// `import "path.tether"`
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    /// The path between the quotes, unescaped.
    pub path: String,
    /// Span of the string literal, quotes included.
    pub path_span: Span,
    /// The whole import, keyword included.
    pub span: Span,
}

/// A name as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    /// The name's text.
    pub name: String,
    /// Where the name is written.
    pub span: Span,
}

/// A declaration: a type alias, an enum, a namespace, or a remote or bindable.
#[derive(Clone, Debug, PartialEq)]
pub enum Decl {
    /// `type Name = <type>`
    Type(TypeAlias),
    /// `enum Name { ... }`
    Enum(EnumDecl),
    /// `namespace Name { ... }`
    Namespace(Namespace),
    /// A `remote` or `bindable`.
    Endpoint(Endpoint),
}

impl Decl {
    /// The declared name.
    pub fn name(&self) -> &Ident {
        match self {
            Decl::Type(d) => &d.name,
            Decl::Enum(d) => &d.name,
            Decl::Namespace(d) => &d.name,
            Decl::Endpoint(d) => &d.name,
        }
    }

    /// The whole declaration.
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
    /// The name being declared.
    pub name: Ident,
    /// The type after `=`.
    pub ty: TypeExpr,
    /// The whole declaration, from `type` on.
    pub span: Span,
}

/// `enum Name { A, B { field: T } }`
#[derive(Clone, Debug, PartialEq)]
pub struct EnumDecl {
    /// The name being declared.
    pub name: Ident,
    /// The variants, in the order written.
    pub variants: Vec<Variant>,
    /// The whole declaration, from `enum` to the closing brace.
    pub span: Span,
}

/// One variant of an enum: `A` or `B { field: T }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// The variant's name.
    pub name: Ident,
    /// `Some` when the variant is written with braces, even empty ones.
    pub fields: Option<Vec<Field>>,
    /// The variant, with its fields if written.
    pub span: Span,
}

/// `name: <type>`, in a record, a variant, or a parameter list.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The name before the colon.
    pub name: Ident,
    /// The type after the colon.
    pub ty: TypeExpr,
    /// The whole `name: <type>`.
    pub span: Span,
}

/// `namespace Name { ... }`
#[derive(Clone, Debug, PartialEq)]
pub struct Namespace {
    /// The namespace's name.
    pub name: Ident,
    /// The declarations between the braces, in order.
    pub decls: Vec<Decl>,
    /// The whole block, from `namespace` to the closing brace.
    pub span: Span,
}

/// `remote event`, `remote function`, `bindable event`, `bindable function`.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// The `@` attributes written before it, in order.
    pub attrs: Vec<Attribute>,
    /// `remote` or `bindable`.
    pub transport: Transport,
    /// `event` or `function`.
    pub call: Call,
    /// Span of the keywords `remote event` etc.
    pub keyword_span: Span,
    /// The declared name.
    pub name: Ident,
    /// The direction or side after the colon.
    pub route: Route,
    /// Where the route is written.
    pub route_span: Span,
    /// The parameters, in order.
    pub params: Vec<Field>,
    /// The parameter list, parentheses included.
    pub params_span: Span,
    /// Present exactly when written with `->`.
    pub returns: Option<Returns>,
    /// The whole declaration, attributes included.
    pub span: Span,
}

/// The first keyword of an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// `remote`: crosses the client-server boundary.
    Remote,
    /// `bindable`: stays on one side.
    Bindable,
}

/// The second keyword of an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// `event`
    Event,
    /// `function`
    Function,
}

/// What follows the `:` of an endpoint: a direction for remotes, a side for
/// bindables. The parser accepts either form after either keyword so that the
/// resolver can say which one was meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// `client -> server`
    ClientToServer,
    /// `server -> client`
    ServerToClient,
    /// `client <-> server` or `server <-> client`
    Both,
    /// `server`
    Server,
    /// `client`
    Client,
}

/// The return part of a function: `-> T`, `-> (T, U)` or `-> ()`.
#[derive(Clone, Debug, PartialEq)]
pub struct Returns {
    /// The return types, in order; empty for `-> ()`.
    pub types: Vec<TypeExpr>,
    /// True when written in parentheses (a tuple, possibly empty).
    pub parenthesized: bool,
    /// What follows `->`.
    pub span: Span,
}

/// `@name` or `@name(args)`
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    /// The name after `@`.
    pub name: Ident,
    /// The arguments, in order; empty when none are written.
    pub args: Vec<AttrArg>,
    /// Span of the parenthesized argument list, if written.
    pub args_span: Option<Span>,
    /// The whole attribute, `@` included.
    pub span: Span,
}

/// One argument of an attribute.
#[derive(Clone, Debug, PartialEq)]
pub struct AttrArg {
    /// The argument, read by its form.
    pub kind: AttrArgKind,
    /// The argument as written.
    pub span: Span,
}

/// The forms an attribute argument takes.
#[derive(Clone, Debug, PartialEq)]
pub enum AttrArgKind {
    /// A plain number: `20`, `0.5`.
    Number(NumberLit),
    /// `5s`, `250ms`, `2min`, as milliseconds.
    Duration(f64),
    /// `20/s`, `600/min`: a count per unit.
    Rate {
        /// The count before the `/`.
        count: NumberLit,
        /// The unit after the `/`.
        per: RateUnit,
    },
    /// `burst 5`: how many messages a `@rate` accepts at once.
    Burst(NumberLit),
    /// A double-quoted string, without its quotes and with escapes resolved.
    String(String),
    /// A bare word, kebab-case allowed (`mixed-table`).
    Word(String),
}

/// The unit of a rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateUnit {
    /// `/s`
    Second,
    /// `/min`
    Minute,
}

/// A numeric literal as written, with its value.
#[derive(Clone, Debug, PartialEq)]
pub struct NumberLit {
    /// The literal as written (`-5`, `0.25`).
    pub text: String,
    /// The number it denotes.
    pub value: f64,
    /// True when written without a decimal point or exponent.
    pub is_integer: bool,
    /// Where the literal is written.
    pub span: Span,
}

/// A type as written.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    /// The form the type is written in.
    pub kind: TypeExprKind,
    /// The whole type, refinements, `in` and `?` included.
    pub span: Span,
}

/// The forms a type is written in.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeExprKind {
    /// `boolean`, `u8`, `Name`, `Ns.Name`, `Enum.Material`, `Part`: a
    /// possibly dotted name, resolved later.
    Path(Vec<Ident>),
    /// `<type>(<refinement>)`: `u8(1..100)`, `string(..64)`, `{T}(..8)`.
    Refined {
        /// The type being refined.
        base: Box<TypeExpr>,
        /// The parenthesized refinement after it.
        refinement: Refinement,
    },
    /// `<type>?`
    Optional(Box<TypeExpr>),
    /// `true`, the value of a set's indexer (`{[T]: true}`), and nothing else.
    True,
    /// `(A | B)`: a value of one of the arms, told apart at run time.
    Union(Vec<TypeExpr>),
    /// `enum { A, B { x: u8 } }` written where a type goes: an enum declared
    /// in place, named after where it is (`Item.Kind`'s is `ItemKind`).
    Enum {
        /// `enum "kind" { .. }`: the name of the field of a Luau value that
        /// holds its variant, without its quotes.
        tag: Option<Ident>,
        /// The variants, in the order written.
        variants: Vec<Variant>,
    },
    /// `{ ... }`: arrays, dictionaries, records, and the mixed shapes that
    /// the checker rejects.
    Table(Vec<TableEntry>),
    /// `Part in Workspace`, `Part in client`
    Located {
        /// The type before `in`, meant to be an instance class.
        ty: Box<TypeExpr>,
        /// The name after `in`: a service or `client`.
        location: Ident,
    },
    /// `(T, U) -> R`, `(x: number) -> ()`
    Function {
        /// The parameters, in order.
        params: Vec<FunctionParam>,
        /// What follows `->`.
        returns: Returns,
    },
    /// `setmetatable<{ Name: string }, Car>`
    Metatable {
        /// The first argument: the table.
        table: Box<TypeExpr>,
        /// The second argument: the metatable.
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
        /// The type behind the reference.
        inner: Box<TypeExpr>,
        /// The wrapper's name (`Rc`, `Arc`, `&`).
        wrapper: String,
    },
}

/// A parameter of a function type: `x: T`, or a bare `T`.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionParam {
    /// The name, when written as `name: T`.
    pub name: Option<Ident>,
    /// The parameter's type.
    pub ty: TypeExpr,
    /// The whole parameter.
    pub span: Span,
}

/// One entry of a table type, between its braces.
#[derive(Clone, Debug, PartialEq)]
pub enum TableEntry {
    /// A bare type: the array part (`{T}`).
    Positional(TypeExpr),
    /// `[K]: V`
    Indexer {
        /// The key type, between the brackets.
        key: TypeExpr,
        /// The value type, after the colon.
        value: TypeExpr,
        /// The whole entry.
        span: Span,
    },
    /// `Name: T`
    Field(Field),
}

impl TableEntry {
    /// The whole entry as written.
    pub fn span(&self) -> Span {
        match self {
            TableEntry::Positional(t) => t.span,
            TableEntry::Indexer { span, .. } => *span,
            TableEntry::Field(f) => f.span,
        }
    }
}

/// `(1..100)`, `(..64)`, `(8)` or `(nonfinite)` after a type.
#[derive(Clone, Debug, PartialEq)]
pub struct Refinement {
    /// What the parentheses hold.
    pub kind: RefinementKind,
    /// Span of the parentheses and what is between them.
    pub span: Span,
}

/// What a refinement holds.
#[derive(Clone, Debug, PartialEq)]
pub enum RefinementKind {
    /// `min..max`, either side optional.
    Range {
        /// The bound before `..`; `None` when omitted.
        min: Option<NumberLit>,
        /// The bound after `..`; `None` when omitted.
        max: Option<NumberLit>,
    },
    /// `(8)`: exactly this length, or this value.
    Exact(NumberLit),
    /// `(nonfinite)`: a float type that accepts NaN and ±inf.
    NonFinite,
}
