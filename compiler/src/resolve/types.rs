//! Lowers written types into IR types: binds names, classifies tables,
//! and validates refinements and locations.

use super::scope::{EntryKind, Scope};
use super::unique::check_unique;
use crate::diag::diagnostic::{Fix, Suggestion};
use crate::diag::{rules, Diagnostic, FileId, Span};
use crate::ir::{
    self, Datatype, DeclId, DeclKind, Field, LenRange, Location, NumKind, NumRange, QualName,
    TablePart, TablePartKind, Ty, TyKind, TypeDecl,
};
use crate::roblox;
use crate::suggest::{did_you_mean, help_line};
use crate::syntax::ast::{self, NumberLit, RefinementKind, TableEntry, TypeExprKind};

/// Lowers types written in one file and namespace.
pub struct TypeLowerer<'s, 'a> {
    pub scope: &'s Scope<'a>,
    pub file: FileId,
    pub namespace: &'s [String],
    pub diagnostics: &'s mut Vec<Diagnostic>,
    /// Where the type being lowered is written (`["Item", "kind"]`): what
    /// an enum written in place is named after.
    pub context: Vec<String>,
    /// The enums written in place so far, declared after the written
    /// declarations: the first has the id `first_inline`.
    pub inline: &'s mut Vec<TypeDecl>,
    pub first_inline: u32,
}

impl TypeLowerer<'_, '_> {
    pub fn lower(&mut self, expr: &ast::TypeExpr) -> Ty {
        let kind = match &expr.kind {
            TypeExprKind::Path(path) => self.path(path, expr.span),
            TypeExprKind::Refined { base, refinement } => {
                let base = self.lower(base);
                self.refine(base, refinement)
            }
            TypeExprKind::Optional(inner) => {
                let inner = self.lower(inner);
                if let TyKind::Optional { .. } = inner.kind {
                    self.diagnostics.push(
                        Diagnostic::new(
                            &rules::DOUBLE_OPTIONAL,
                            expr.span,
                            "a type cannot be optional twice",
                        )
                        .with_label("`?` applied to a type that is already optional")
                        .with_suggestion(
                            Suggestion::new()
                                .text("remove ")
                                .code(Fix::OneOptional)
                                .text(": Luau has a single nil"),
                        ),
                    );
                    return inner;
                }
                TyKind::Optional {
                    inner: Box::new(inner),
                }
            }
            TypeExprKind::Table(entries) => self.table(entries),
            TypeExprKind::Located { ty, location } => self.located(ty, location),
            TypeExprKind::Function { params, returns } => TyKind::Function {
                params: params.iter().map(|p| self.lower(&p.ty)).collect(),
                returns: returns.types.iter().map(|t| self.lower(t)).collect(),
            },
            TypeExprKind::Metatable { table, meta } => TyKind::Metatable {
                table: Box::new(self.lower(table)),
                meta: Box::new(self.lower(meta)),
            },
            TypeExprKind::Any => TyKind::Any,
            // An enum written in an arm is named after the arm's place.
            TypeExprKind::Union(arms) => TyKind::Union {
                arms: arms
                    .iter()
                    .enumerate()
                    .map(|(i, arm)| self.lower_in(&format!("Arm{}", i + 1), arm))
                    .collect(),
            },
            TypeExprKind::Enum { tag, variants } => {
                let tag = tag.as_ref().map(|t| t.name.clone());
                self.inline_enum(variants, tag, expr.span)
            }
            // `true` outside a set (in a table that mixes it with other
            // entries, which `mixed-table` reports): the values are booleans.
            TypeExprKind::True => TyKind::Boolean,
            TypeExprKind::Extern(path) => TyKind::Extern {
                path: path.clone(),
                namespace: self.namespace.to_vec(),
            },
            TypeExprKind::Shared { inner, wrapper } => TyKind::Shared {
                inner: Box::new(self.lower(inner)),
                wrapper: wrapper.clone(),
            },
        };
        Ty {
            kind,
            span: expr.span,
        }
    }

    pub fn fields(&mut self, fields: &[ast::Field], what: &str) -> Vec<Field> {
        check_unique(
            fields.iter().map(|f| (f.name.name.as_str(), f.name.span)),
            what,
            self.diagnostics,
        );
        fields
            .iter()
            .map(|f| Field {
                name: f.name.name.clone(),
                name_span: f.name.span,
                ty: self.lower_in(&f.name.name, &f.ty),
            })
            .collect()
    }

    /// Lowers `ty`, written at `part` of the current context (a field,
    /// a parameter, a variant).
    pub fn lower_in(&mut self, part: &str, ty: &ast::TypeExpr) -> Ty {
        self.context.push(part.to_string());
        let lowered = self.lower(ty);
        self.context.pop();
        lowered
    }

    /// The variants of an enum, declared or written in place.
    pub fn variants(&mut self, variants: &[ast::Variant]) -> Vec<ir::Variant> {
        check_unique(
            variants.iter().map(|v| (v.name.name.as_str(), v.name.span)),
            "variant",
            self.diagnostics,
        );
        variants
            .iter()
            .map(|v| {
                self.context.push(v.name.name.clone());
                let fields = v.fields.as_ref().map(|f| self.fields(f, "field"));
                self.context.pop();
                ir::Variant {
                    name: v.name.name.clone(),
                    name_span: v.name.span,
                    fields,
                }
            })
            .collect()
    }

    /// An enum written in place: declared beside the written declarations,
    /// in this namespace, under the name of where it is written
    /// (`Item.kind` is `ItemKind`).
    fn inline_enum(
        &mut self,
        variants: &[ast::Variant],
        tag_field: Option<String>,
        span: Span,
    ) -> TyKind {
        if variants.is_empty() {
            self.diagnostics.push(
                Diagnostic::new(
                    &rules::INVALID_DECLARATION,
                    span,
                    "this enum has no variants",
                )
                .with_help(
                    "an enum needs at least one variant; no value of an empty enum can be sent",
                ),
            );
            return TyKind::Error;
        }
        let lowered = self.variants(variants);
        let name: String = self.context.iter().map(|part| capitalized(part)).collect();
        let mut qualified = self.namespace.to_vec();
        qualified.push(name);
        let id = self.first_inline + self.inline.len() as u32;
        self.inline.push(TypeDecl {
            name: QualName(qualified),
            name_span: span,
            span,
            kind: DeclKind::Enum { variants: lowered },
            in_place: true,
            tag_field,
        });
        TyKind::Named { decl: DeclId(id) }
    }

    fn path(&mut self, path: &[ast::Ident], span: Span) -> TyKind {
        let names: Vec<String> = path.iter().map(|i| i.name.clone()).collect();
        if let [single] = names.as_slice() {
            if let Some(kind) = builtin(single) {
                return kind;
            }
        }
        if let [first, enum_name] = names.as_slice() {
            if first == "Enum" {
                return self.roblox_enum(enum_name, span);
            }
        }
        if let Some(entry) = self.scope.lookup(self.file, self.namespace, &names) {
            return match entry.kind {
                EntryKind::Type(decl) => TyKind::Named { decl },
                EntryKind::Namespace | EntryKind::Endpoint => {
                    let what = if entry.kind == EntryKind::Namespace {
                        "a namespace"
                    } else {
                        "a remote or bindable"
                    };
                    self.diagnostics.push(
                        Diagnostic::new(
                            &rules::UNKNOWN_TYPE,
                            span,
                            format!("`{}` is {what}, not a type", names.join(".")),
                        )
                        .with_secondary(entry.name_span, "declared here")
                        .with_help("name a `type` or `enum`; members of a namespace are written `Namespace.Name`"),
                    );
                    TyKind::Error
                }
            };
        }
        if let [single] = names.as_slice() {
            if roblox::is_class(single) {
                return TyKind::Instance {
                    class: single.clone(),
                    location: None,
                };
            }
        }
        self.unknown_type(&names.join("."), span);
        TyKind::Error
    }

    fn unknown_type(&mut self, name: &str, span: Span) {
        if self.scope.sees_unparsed(self.file) {
            return;
        }
        let declared = self.scope.candidates(self.file, self.namespace);
        let builtins = BUILTIN_NAMES
            .iter()
            .copied()
            .chain(Datatype::ALL.iter().map(|d| d.name()));
        let suggestion = did_you_mean(name, builtins.chain(declared.iter().map(String::as_str)))
            .or_else(|| roblox::similar_class(name));
        let diagnostic =
            Diagnostic::new(&rules::UNKNOWN_TYPE, span, format!("unknown type `{name}`"))
                .with_label("not declared, built in, or a Roblox class");
        self.diagnostics.push(diagnostic.with_help(help_line(
            suggestion.map(str::to_string),
            "declare it with `type` or `enum`, or import the file that declares it",
        )));
    }

    /// A single name that is neither built in, declared, nor a Roblox class.
    fn is_unknown_name(&self, name: &str) -> bool {
        builtin(name).is_none()
            && !roblox::is_class(name)
            && self
                .scope
                .lookup(self.file, self.namespace, &[name.to_string()])
                .is_none()
    }

    /// Before `in`, an unknown name was meant as a class.
    fn unknown_class(&mut self, ident: &ast::Ident) {
        if self.scope.sees_unparsed(self.file) {
            return;
        }
        let diagnostic = Diagnostic::new(
            &rules::UNKNOWN_CLASS,
            ident.span,
            format!("Roblox has no class `{}`", ident.name),
        )
        .with_label("not in the reflection database")
        .with_help(help_line(
            roblox::similar_class(&ident.name).map(str::to_string),
            "write a Roblox class such as `Part`, `Model` or `Tool`",
        ));
        self.diagnostics.push(diagnostic);
    }

    fn roblox_enum(&mut self, name: &str, span: Span) -> TyKind {
        if roblox::enum_item_count(name).is_some() {
            return TyKind::RobloxEnum {
                name: name.to_string(),
            };
        }
        let diagnostic = Diagnostic::new(
            &rules::UNKNOWN_ENUM,
            span,
            format!("Roblox has no enum `Enum.{name}`"),
        )
        .with_label("not in the reflection database")
        .with_help(help_line(
            roblox::similar_enum(name).map(|s| format!("Enum.{s}")),
            "write a Roblox enum such as `Enum.Material` or `Enum.KeyCode`",
        ));
        self.diagnostics.push(diagnostic);
        TyKind::Error
    }

    fn located(&mut self, ty: &ast::TypeExpr, location: &ast::Ident) -> TyKind {
        if let TypeExprKind::Path(path) = &ty.kind {
            if let [ident] = path.as_slice() {
                if self.is_unknown_name(&ident.name) {
                    self.unknown_class(ident);
                    return TyKind::Error;
                }
            }
        }
        let inner = self.lower(ty);
        let class = match inner.kind {
            TyKind::Instance { class, .. } => class,
            TyKind::Error => return TyKind::Error,
            _ => {
                self.diagnostics.push(
                    Diagnostic::new(
                        &rules::UNKNOWN_CLASS,
                        ty.span,
                        "only an instance class can be placed `in` a service",
                    )
                    .with_label("not an instance class")
                    .with_help("write a Roblox class before `in`, such as `Part in Workspace`"),
                );
                return TyKind::Error;
            }
        };
        let location = if location.name == "client" {
            Location::Client
        } else if let Some(service) = roblox::service(&location.name) {
            Location::Service(service.name.to_string())
        } else {
            let diagnostic = Diagnostic::new(
                &rules::UNKNOWN_SERVICE,
                location.span,
                format!("unknown service `{}`", location.name),
            )
            .with_label("not a service Tether knows")
            .with_help(help_line(
                roblox::similar_service(&location.name).map(str::to_string),
                "use a service such as `Workspace`, `ReplicatedStorage` or `ServerStorage`, or `client`",
            ));
            self.diagnostics.push(diagnostic);
            return TyKind::Error;
        };
        TyKind::Instance {
            class,
            location: Some(location),
        }
    }

    fn table(&mut self, entries: &[TableEntry]) -> TyKind {
        let positional = entries
            .iter()
            .filter(|e| matches!(e, TableEntry::Positional(_)))
            .count();
        let indexers = entries
            .iter()
            .filter(|e| matches!(e, TableEntry::Indexer { .. }))
            .count();
        let fields = entries.len() - positional - indexers;
        match (entries, positional, indexers, fields) {
            ([TableEntry::Positional(elem)], 1, 0, 0) => TyKind::Array {
                elem: Box::new(self.lower(elem)),
                len: LenRange::UNBOUNDED,
            },
            ([TableEntry::Indexer { key, value, .. }], 0, 1, 0)
                if matches!(value.kind, ast::TypeExprKind::True) =>
            {
                TyKind::Set {
                    elem: Box::new(self.lower(key)),
                    len: LenRange::UNBOUNDED,
                }
            }
            ([TableEntry::Indexer { key, value, .. }], 0, 1, 0) => {
                let key = self.lower(key);
                let value = Box::new(self.lower(value));
                if is_plain_number(&key) {
                    TyKind::Array {
                        elem: value,
                        len: LenRange::UNBOUNDED,
                    }
                } else {
                    TyKind::Map {
                        key: Box::new(key),
                        value,
                        len: LenRange::UNBOUNDED,
                    }
                }
            }
            (_, 0, 0, _) => {
                let record_fields: Vec<ast::Field> = entries
                    .iter()
                    .filter_map(|e| match e {
                        TableEntry::Field(f) => Some(f.clone()),
                        _ => None,
                    })
                    .collect();
                TyKind::Record {
                    fields: self.fields(&record_fields, "field"),
                }
            }
            _ => {
                let named: Vec<(&str, Span)> = entries
                    .iter()
                    .filter_map(|e| match e {
                        TableEntry::Field(f) => Some((f.name.name.as_str(), f.name.span)),
                        _ => None,
                    })
                    .collect();
                check_unique(named.into_iter(), "field", self.diagnostics);
                let parts = entries
                    .iter()
                    .map(|entry| TablePart {
                        span: entry.span(),
                        kind: match entry {
                            TableEntry::Positional(elem) => TablePartKind::Positional {
                                elem: self.lower(elem),
                            },
                            TableEntry::Indexer { key, value, .. } => TablePartKind::Indexer {
                                key: self.lower(key),
                                value: self.lower(value),
                            },
                            TableEntry::Field(f) => TablePartKind::Field {
                                field: Field {
                                    name: f.name.name.clone(),
                                    name_span: f.name.span,
                                    ty: self.lower(&f.ty),
                                },
                            },
                        },
                    })
                    .collect();
                TyKind::MixedTable { parts }
            }
        }
    }

    fn refine(&mut self, base: Ty, refinement: &ast::Refinement) -> TyKind {
        let span = refinement.span;
        match base.kind {
            TyKind::Error => TyKind::Error,
            TyKind::Number {
                kind,
                range: None,
                nonfinite: false,
            } => match &refinement.kind {
                RefinementKind::NonFinite if kind.is_float() => TyKind::Number {
                    kind,
                    range: None,
                    nonfinite: true,
                },
                RefinementKind::NonFinite => {
                    self.invalid_range(
                        span,
                        format!("`{}` is an integer type and is always finite", kind.name()),
                        "`nonfinite` applies to `number`, `f32` and `f64`",
                    );
                    TyKind::Error
                }
                RefinementKind::Exact(n) => self.number_range(kind, Some(n), Some(n)),
                RefinementKind::Range { min, max } => {
                    self.number_range(kind, min.as_ref(), max.as_ref())
                }
            },
            TyKind::String { len } if len == LenRange::UNBOUNDED => {
                match self.len_range(refinement, "length") {
                    Some(len) => TyKind::String { len },
                    None => TyKind::Error,
                }
            }
            TyKind::Buffer { len } if len == LenRange::UNBOUNDED => {
                match self.len_range(refinement, "length") {
                    Some(len) => TyKind::Buffer { len },
                    None => TyKind::Error,
                }
            }
            TyKind::Binary { len } if len == LenRange::UNBOUNDED => {
                match self.len_range(refinement, "length") {
                    Some(len) => TyKind::Binary { len },
                    None => TyKind::Error,
                }
            }
            TyKind::Array { elem, len } if len == LenRange::UNBOUNDED => {
                match self.len_range(refinement, "count") {
                    Some(len) => TyKind::Array { elem, len },
                    None => TyKind::Error,
                }
            }
            TyKind::Map { key, value, len } if len == LenRange::UNBOUNDED => {
                match self.len_range(refinement, "count") {
                    Some(len) => TyKind::Map { key, value, len },
                    None => TyKind::Error,
                }
            }
            TyKind::Set { elem, len } if len == LenRange::UNBOUNDED => {
                match self.len_range(refinement, "count") {
                    Some(len) => TyKind::Set { elem, len },
                    None => TyKind::Error,
                }
            }
            TyKind::Number { .. }
            | TyKind::String { .. }
            | TyKind::Buffer { .. }
            | TyKind::Binary { .. }
            | TyKind::Array { .. }
            | TyKind::Map { .. }
            | TyKind::Set { .. } => {
                self.invalid_range(
                    span,
                    "this type is already refined".to_string(),
                    "write one refinement with both bounds, such as `(1..64)`",
                );
                TyKind::Error
            }
            _ => {
                self.invalid_range(
                    span,
                    "only numbers, strings, buffers, arrays and maps can be refined".to_string(),
                    "refine the type where it is declared, such as `type Name = string(..32)`",
                );
                TyKind::Error
            }
        }
    }

    fn number_range(
        &mut self,
        kind: NumKind,
        min: Option<&NumberLit>,
        max: Option<&NumberLit>,
    ) -> TyKind {
        let range = match kind.int_bounds() {
            Some((lo, hi)) => self
                .bounds(min, max, |lit| {
                    if !lit.is_integer {
                        return Err((
                            format!(
                                "`{}` is an integer type; `{}` is not an integer",
                                kind.name(),
                                lit.text
                            ),
                            "use a whole number, or a float type such as `f32`".to_string(),
                        ));
                    }
                    match lit.text.parse::<i128>() {
                        Ok(v) if (lo..=hi).contains(&v) => Ok(v),
                        _ => Err((
                            format!("`{}` is outside `{}` ({lo}..{hi})", lit.text, kind.name()),
                            "use a bound the type can hold, or a wider type".to_string(),
                        )),
                    }
                })
                .map(|(min, max)| NumRange::Int { min, max }),
            None => {
                let limit = if kind == NumKind::F32 {
                    f64::from(f32::MAX)
                } else {
                    f64::MAX
                };
                self.bounds(min, max, |lit| {
                    if lit.value.is_finite() && lit.value.abs() <= limit {
                        Ok(lit.value)
                    } else {
                        Err((
                            format!("`{}` is outside `{}`", lit.text, kind.name()),
                            "use a finite bound the type can hold".to_string(),
                        ))
                    }
                })
                .map(|(min, max)| NumRange::Float { min, max })
            }
        };
        match range {
            Some(range) => TyKind::Number {
                kind,
                range: Some(range),
                nonfinite: false,
            },
            None => TyKind::Error,
        }
    }

    fn len_range(&mut self, refinement: &ast::Refinement, what: &str) -> Option<LenRange> {
        let (min, max) = match &refinement.kind {
            RefinementKind::Exact(n) => (Some(n), Some(n)),
            RefinementKind::Range { min, max } => (min.as_ref(), max.as_ref()),
            RefinementKind::NonFinite => {
                self.invalid_range(
                    refinement.span,
                    format!("`nonfinite` applies to float types, not to a {what}"),
                    "write a range such as `(..64)`",
                );
                return None;
            }
        };
        let (min, max) = self.bounds(min, max, |lit| match lit.text.parse::<u32>() {
            Ok(v) if lit.is_integer => Ok(v),
            _ => Err((
                format!(
                    "a {what} must be a whole number from 0 to {}; `{}` is not",
                    u32::MAX,
                    lit.text
                ),
                format!("write the {what} as a whole number"),
            )),
        })?;
        Some(LenRange {
            min: min.unwrap_or(0),
            max,
        })
    }

    /// Reads both bounds with `read` (which says what is wrong with a bad
    /// one), reports every bad bound and a reversed pair, and returns the
    /// bounds only when all is well.
    fn bounds<T: PartialOrd + Copy>(
        &mut self,
        min: Option<&NumberLit>,
        max: Option<&NumberLit>,
        read: impl Fn(&NumberLit) -> Result<T, (String, String)>,
    ) -> Option<(Option<T>, Option<T>)> {
        let mut read_one = |lit: Option<&NumberLit>| -> Result<Option<T>, ()> {
            let Some(lit) = lit else { return Ok(None) };
            read(lit).map(Some).map_err(|(message, help)| {
                self.invalid_range(lit.span, message, help);
            })
        };
        let (min_value, max_value) = (read_one(min), read_one(max));
        let (Ok(min_value), Ok(max_value)) = (min_value, max_value) else {
            return None;
        };
        if let (Some(a), Some(b)) = (min_value, max_value) {
            if a > b {
                self.reversed(min, max);
                return None;
            }
        }
        Some((min_value, max_value))
    }

    fn reversed(&mut self, min: Option<&NumberLit>, max: Option<&NumberLit>) {
        let (Some(min), Some(max)) = (min, max) else {
            return;
        };
        self.invalid_range(
            min.span.to(max.span),
            format!(
                "the minimum {} is greater than the maximum {}",
                min.text, max.text
            ),
            Suggestion::new()
                .text("write the smaller bound first: ")
                .code(Fix::Range {
                    min: max.text.clone(),
                    max: min.text.clone(),
                }),
        );
    }

    fn invalid_range(&mut self, span: Span, message: String, help: impl Into<Suggestion>) {
        self.diagnostics.push(
            Diagnostic::new(&rules::INVALID_RANGE, span, message).with_suggestion(help.into()),
        );
    }
}

/// Names of the built-in types, for suggestions.
const BUILTIN_NAMES: &[&str] = &[
    "boolean", "string", "buffer", "binary", "number", "u8", "u16", "u32", "u64", "i8", "i16",
    "i32", "i64", "f32", "f64",
];

fn builtin(name: &str) -> Option<TyKind> {
    Some(match name {
        "boolean" => TyKind::Boolean,
        "string" => TyKind::String {
            len: LenRange::UNBOUNDED,
        },
        "buffer" => TyKind::Buffer {
            len: LenRange::UNBOUNDED,
        },
        "binary" => TyKind::Binary {
            len: LenRange::UNBOUNDED,
        },
        _ => {
            if let Some(kind) = NumKind::from_name(name) {
                TyKind::Number {
                    kind,
                    range: None,
                    nonfinite: false,
                }
            } else {
                TyKind::Datatype {
                    datatype: Datatype::from_name(name)?,
                }
            }
        }
    })
}

/// `{[number]: T}` is Luau's spelling of an array.
fn is_plain_number(key: &Ty) -> bool {
    matches!(
        key.kind,
        TyKind::Number {
            kind: NumKind::Number,
            range: None,
            ..
        }
    )
}

/// `part` with its first letter in capitals, and without underscores:
/// `kind` → `Kind`, `spawn_type` → `SpawnType`.
fn capitalized(part: &str) -> String {
    part.split('_')
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}
