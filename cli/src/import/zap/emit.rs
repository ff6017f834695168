//! Zap's syntax tree written as a `.tether` schema, with a finding for each
//! construct translated by judgement.

use super::ast::*;
use super::diag::Finding;
use std::collections::HashMap;
use std::fmt::Write as _;

/// The most a Zap length or count holds when no bound is written: Zap
/// writes it in 16 bits.
pub const ZAP_MAX_LEN: &str = "65535";

/// Tether's keywords, which cannot name declarations, namespaces or variants.
const KEYWORDS: &[&str] = &[
    "type",
    "enum",
    "namespace",
    "import",
    "remote",
    "bindable",
    "event",
    "function",
    "server",
    "client",
    "in",
    "any",
    "true",
    "false",
];

pub struct Emitter {
    out: String,
    pub findings: Vec<Finding>,
    utf8_noted: bool,
    /// Declared names that Tether cannot take, and what they are written as,
    /// so that references follow.
    renamed: HashMap<String, String>,
}

pub fn emit(config: &Config) -> (String, Vec<Finding>) {
    let mut emitter = Emitter {
        out: String::new(),
        findings: Vec::new(),
        utf8_noted: false,
        renamed: HashMap::new(),
    };
    collect_renames(&config.decls, &mut emitter.renamed);
    emitter.config(config);
    (emitter.out, emitter.findings)
}

/// What a declaration name is written as, if Tether cannot take it.
fn renamed(name: &str) -> Option<String> {
    if !is_ident(name) {
        Some(sanitize(name))
    } else if KEYWORDS.contains(&name) {
        Some(format!("{name}_"))
    } else {
        None
    }
}

fn collect_renames(decls: &[Decl], into: &mut HashMap<String, String>) {
    for decl in decls {
        match &decl.kind {
            DeclKind::Type { name, ty } => {
                if let Some(fixed) = renamed(&name.name) {
                    into.insert(name.name.clone(), fixed);
                } else if names_class(ty, &name.name) {
                    into.insert(name.name.clone(), format!("{}_", name.name));
                }
            }
            DeclKind::Namespace { name, decls } => {
                if let Some(fixed) = renamed(&name.name) {
                    into.insert(name.name.clone(), fixed);
                }
                collect_renames(decls, into);
            }
            DeclKind::Event(_) | DeclKind::Funct(_) => {}
        }
    }
}

/// Whether `ty` holds `Instance(class)`: a declaration of that name would
/// hide the class from its own definition in Tether.
fn names_class(ty: &Ty, class: &str) -> bool {
    match &ty.kind {
        TyKind::Instance(Some(name)) => name.name == class,
        TyKind::Array(inner, _) | TyKind::Set(inner) | TyKind::Optional(inner) => {
            names_class(inner, class)
        }
        TyKind::Map(key, value) => names_class(key, class) || names_class(value, class),
        TyKind::Vector(members) | TyKind::Union(members) => {
            members.iter().any(|m| names_class(m, class))
        }
        TyKind::Struct { fields, .. } => fields.iter().any(|f| names_class(&f.ty, class)),
        TyKind::Enum(Enum::Tagged { variants, .. }) => variants
            .iter()
            .any(|(_, fields)| fields.iter().any(|f| names_class(&f.ty, class))),
        _ => false,
    }
}

fn is_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `name` with every character an identifier cannot hold replaced by `_`.
fn sanitize(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

fn range_text(range: &Range) -> Option<String> {
    Some(match &range.kind {
        RangeKind::Any => return None,
        RangeKind::Exact(n) => n.clone(),
        RangeKind::Min(n) => format!("{n}.."),
        RangeKind::Max(n) => format!("..{n}"),
        RangeKind::MinMax(a, b) => format!("{a}..{b}"),
    })
}

impl Emitter {
    fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    fn config(&mut self, config: &Config) {
        self.out
            .push_str("-- Converted from a Zap config by `tether import zap`.\n");
        if !config.opts.is_empty() {
            self.out
                .push_str("-- Zap's options, which this schema does not carry (see the notes):\n");
            for opt in &config.opts {
                let _ = writeln!(self.out, "-- opt {} = {}", opt.name.name, opt.raw);
                self.option(opt);
            }
        }
        self.decls(&config.decls, 0);
        if !config.trailing.is_empty() {
            self.out.push('\n');
            self.comments(&config.trailing, 0);
        }
    }

    fn comments(&mut self, comments: &[String], level: usize) {
        for comment in comments {
            for line in comment.lines() {
                self.indent(level);
                let line = line.trim_end();
                if line.is_empty() {
                    self.out.push_str("--\n");
                } else if line.starts_with(' ') {
                    let _ = writeln!(self.out, "--{line}");
                } else {
                    let _ = writeln!(self.out, "-- {line}");
                }
            }
        }
    }

    fn option(&mut self, opt: &Opt) {
        let name = opt.name.name.as_str();
        let span = opt.name.span.start..opt.value_span.end;
        let raw = &opt.raw;
        let (message, help): (String, &str) = match name {
            "server_output" | "client_output" | "types_output" | "tooling_output" => (
                format!("`opt {name} = {raw}` is a path Tether does not read from the schema"),
                "`tether gen luau SCHEMA -o DIR` writes `server.luau`, `client.luau`, \
                 `types.luau` and `tether.luau` into DIR; `tether gen rust SCHEMA -o FILE` the Rust",
            ),
            "casing" => (
                format!("`opt casing = {raw}` has no Tether meaning"),
                "Tether's Luau API uses Roblox's own names (`FireServer`, `OnServerEvent`, \
                 `InvokeServer`), whatever the casing",
            ),
            "write_checks" => (
                format!("`opt write_checks = {raw}` has no Tether meaning"),
                "Tether always checks every value a client sends before a handler runs",
            ),
            "typescript" | "typescript_max_tuple_length" | "typescript_enum" => (
                format!("`opt {name} = {raw}` has no Tether meaning"),
                "Tether generates Luau (`tether gen luau`) and Rust (`tether gen rust`), not TypeScript",
            ),
            "manual_event_loop" => (
                format!("`opt manual_event_loop = {raw}` has no Tether meaning"),
                "Tether batches reliable messages and flushes them on `RunService.Heartbeat` itself",
            ),
            "remote_scope" | "remote_folder" => (
                format!("`opt {name} = {raw}` has no Tether meaning"),
                "Tether's remotes live in `ReplicatedStorage.Tether.<protocol>`, named after \
                 the schema file",
            ),
            "yield_type" | "async_lib" => (
                format!("`opt {name} = {raw}` has no Tether meaning"),
                "Tether's remote functions yield, as `InvokeServer` does; wrap them in a \
                 promise library where one is wanted",
            ),
            "call_default" => (
                format!("`opt call_default = {raw}` has no Tether meaning"),
                "Tether events take any number of handlers through `:Connect`; there are no call modes",
            ),
            "tooling" | "tooling_show_internal_data" | "disable_fire_all" => (
                format!("`opt {name} = {raw}` has no Tether meaning"),
                "the option is kept as a comment at the top of the schema",
            ),
            _ => (
                format!("`opt {name}` is not an option this converter knows"),
                "the option is kept as a comment at the top of the schema",
            ),
        };
        self.push(Finding::note(span, message, "kept as a comment").help(help));
    }

    fn indent(&mut self, level: usize) {
        for _ in 0..level {
            self.out.push_str("    ");
        }
    }

    fn decls(&mut self, decls: &[Decl], level: usize) {
        for (index, decl) in decls.iter().enumerate() {
            if level == 0 || index > 0 {
                self.out.push('\n');
            }
            self.comments(&decl.comments, level);
            match &decl.kind {
                DeclKind::Type { name, ty } => {
                    let name = if renamed(&name.name).is_none() && names_class(ty, &name.name) {
                        let fixed = format!("{}_", name.name);
                        self.push(
                            Finding::warning(
                                name.span.clone(),
                                format!("the type `{}` would hide the Roblox class it holds", name.name),
                                format!("written `{fixed}`"),
                            )
                            .help("in Tether a declared type shadows the class of the same name; references follow the new name"),
                        );
                        fixed
                    } else {
                        self.decl_name(name, "type")
                    };
                    let ty = self.top_ty(ty, level);
                    self.indent(level);
                    let _ = writeln!(self.out, "type {name} = {ty}");
                }
                DeclKind::Event(event) => self.event(event, level),
                DeclKind::Funct(funct) => self.funct(funct, level),
                DeclKind::Namespace { name, decls } => {
                    let name = self.decl_name(name, "namespace");
                    self.indent(level);
                    let _ = writeln!(self.out, "namespace {name} {{");
                    self.decls(decls, level + 1);
                    self.indent(level);
                    self.out.push_str("}\n");
                }
            }
            if let Some(comment) = decl.trailing.as_deref().filter(|c| !c.contains('\n')) {
                if self.out.ends_with('\n') {
                    self.out.pop();
                }
                let _ = writeln!(self.out, " -- {}", comment.trim());
            }
        }
    }

    /// The name of a declaration, namespace or variant: Tether's keywords
    /// and names that are not identifiers are changed, with a warning.
    fn decl_name(&mut self, name: &Ident, what: &str) -> String {
        if !is_ident(&name.name) {
            let fixed = sanitize(&name.name);
            self.push(
                Finding::warning(
                    name.span.clone(),
                    format!("the {what} name \"{}\" is not a Tether name", name.name),
                    format!("written `{fixed}`"),
                )
                .help("Tether names are letters, digits and `_`; Luau code that uses the old name must change"),
            );
            return fixed;
        }
        if KEYWORDS.contains(&name.name.as_str()) {
            let fixed = format!("{}_", name.name);
            self.push(
                Finding::warning(
                    name.span.clone(),
                    format!(
                        "`{}` is a Tether keyword, which cannot name a {what}",
                        name.name
                    ),
                    format!("written `{fixed}`"),
                )
                .help("rename it in the schema and in the code that uses it"),
            );
            return fixed;
        }
        name.name.clone()
    }

    /// A record field's or a parameter's name: keywords are fine there.
    fn field_name(&mut self, name: &Ident) -> String {
        if is_ident(&name.name) {
            return name.name.clone();
        }
        let fixed = sanitize(&name.name);
        self.push(
            Finding::warning(
                name.span.clone(),
                format!("the field name \"{}\" is not a Tether name", name.name),
                format!("written `{fixed}`"),
            )
            .help("Tether field names are letters, digits and `_`; Luau code that indexes the old name must change"),
        );
        fixed
    }

    fn event(&mut self, event: &Event, level: usize) {
        let name = self.decl_name(&event.name, "event");
        if let Some(call) = &event.call {
            let help = if call.name == "Polling" {
                "Tether has no polling API: connect a handler (`OnServerEvent:Connect` / \
                 `OnClientEvent:Connect`) and queue the values there"
            } else {
                "Tether events take any number of handlers through `OnServerEvent:Connect` / \
                 `OnClientEvent:Connect`"
            };
            self.push(
                Finding::note(
                    call.span.clone(),
                    format!("`call: {}` has no Tether meaning", call.name),
                    "dropped",
                )
                .help(help),
            );
        }
        let params = match &event.data {
            Some(data) => self.params(data),
            None => "()".to_string(),
        };
        self.indent(level);
        if event.unreliable {
            self.out.push_str("@unreliable\n");
            self.indent(level);
        }
        let direction = match event.from {
            From::Server => "server -> client",
            From::Client => "client -> server",
        };
        let _ = writeln!(self.out, "remote event {name}: {direction} {params}");
    }

    fn funct(&mut self, funct: &Funct, level: usize) {
        let name = self.decl_name(&funct.name, "function");
        if let Some(call) = &funct.call {
            self.push(
                Finding::note(
                    call.span.clone(),
                    format!("`call: {}` has no Tether meaning", call.name),
                    "dropped",
                )
                .help(
                    "a Tether remote function has one handler, `OnServerInvoke`; \
                     `@timeout(5s)` bounds how long a caller waits",
                ),
            );
        }
        let params = match &funct.args {
            Some(args) => self.params(args),
            None => "()".to_string(),
        };
        let rets = match &funct.rets {
            None => "()".to_string(),
            Some(rets) => self.returns(rets),
        };
        self.indent(level);
        let _ = writeln!(
            self.out,
            "remote function {name}: client -> server {params} -> {rets}"
        );
    }

    /// A parenthesised parameter list: unnamed values are `value` when
    /// alone, `value1`, `value2`, .. by position otherwise.
    fn params(&mut self, params: &Params) -> String {
        let named: Vec<&str> = params
            .items
            .iter()
            .filter_map(|(name, _)| name.as_ref().map(|n| n.name.as_str()))
            .collect();
        let alone = params.items.len() == 1;
        let mut parts = Vec::new();
        for (index, (name, ty)) in params.items.iter().enumerate() {
            let name = match name {
                Some(name) => self.field_name(name),
                None => {
                    let mut fresh = if alone {
                        "value".to_string()
                    } else {
                        format!("value{}", index + 1)
                    };
                    while named.contains(&fresh.as_str()) {
                        fresh.push('_');
                    }
                    fresh
                }
            };
            let ty = self.ty(ty);
            parts.push(format!("{name}: {ty}"));
        }
        format!("({})", parts.join(", "))
    }

    fn returns(&mut self, rets: &Params) -> String {
        if rets.items.iter().any(|(name, _)| name.is_some()) {
            self.push(
                Finding::note(
                    rets.span.clone(),
                    "Tether's returns have no names",
                    "the names are dropped",
                )
                .help("document what each return means in a comment"),
            );
        }
        let types: Vec<String> = rets.items.iter().map(|(_, ty)| self.ty(ty)).collect();
        match types.as_slice() {
            [one] => one.clone(),
            _ => format!("({})", types.join(", ")),
        }
    }

    /// The type of a `type` declaration: records and tagged enums one field
    /// or variant a line.
    fn top_ty(&mut self, ty: &Ty, level: usize) -> String {
        let pad = "    ".repeat(level + 1);
        let end_pad = "    ".repeat(level);
        match &ty.kind {
            TyKind::Struct { fields, keyword } if !fields.is_empty() => {
                self.bare_struct_note(ty, *keyword);
                let mut text = String::from("{\n");
                for field in fields {
                    let name = self.field_name(&field.name);
                    let field_ty = self.ty(&field.ty);
                    let _ = writeln!(text, "{pad}{name}: {field_ty},");
                }
                text.push_str(&end_pad);
                text.push('}');
                text
            }
            TyKind::Enum(Enum::Tagged { tag, variants }) if !variants.is_empty() => {
                let tag = self.field_name(tag);
                let mut text = format!("enum \"{tag}\" {{\n");
                for (variant, fields) in variants {
                    let body = self.variant(variant, fields);
                    let _ = writeln!(text, "{pad}{body},");
                }
                text.push_str(&end_pad);
                text.push('}');
                text
            }
            _ => self.ty(ty),
        }
    }

    fn bare_struct_note(&mut self, ty: &Ty, keyword: bool) {
        if !keyword {
            self.push(
                Finding::note(
                    ty.span.clone(),
                    "a struct without `struct` is Zap's older syntax",
                    "read as a struct",
                )
                .help("newer Zap writes `struct { .. }`; Tether writes the record `{ .. }`"),
            );
        }
    }

    fn variant(&mut self, name: &Ident, fields: &[Field]) -> String {
        let name = self.decl_name(name, "variant");
        if fields.is_empty() {
            return name;
        }
        format!("{name} {}", self.fields(fields))
    }

    fn fields(&mut self, fields: &[Field]) -> String {
        if fields.is_empty() {
            return "{}".to_string();
        }
        let parts: Vec<String> = fields
            .iter()
            .map(|field| {
                let name = self.field_name(&field.name);
                format!("{name}: {}", self.ty(&field.ty))
            })
            .collect();
        format!("{{ {} }}", parts.join(", "))
    }

    /// A length or count refinement. Zap writes an unbounded one in 16 bits,
    /// so its limit is written out, with a note.
    fn length(&mut self, range: Option<&Range>, span: &Span, kind: &str, what: &str) -> String {
        if let Some(text) = range.filter(|r| r.max().is_some()).and_then(range_text) {
            return format!("({text})");
        }
        let min = match range.map(|r| &r.kind) {
            Some(RangeKind::Min(min)) => min.as_str(),
            _ => "",
        };
        self.push(
            Finding::note(
                span.clone(),
                format!("an unbounded Zap {kind} holds at most 65,535 {what}: Zap writes its length in 16 bits"),
                format!("written with `(..{ZAP_MAX_LEN})`"),
            )
            .help("lower the bound to what the game really sends: the receiver rejects anything larger"),
        );
        format!("({min}..{ZAP_MAX_LEN})")
    }

    fn ty(&mut self, ty: &Ty) -> String {
        match &ty.kind {
            TyKind::Num(kind, range) => {
                let refinement = range.as_ref().and_then(range_text);
                match refinement {
                    Some(text) => format!("{}({text})", kind.name()),
                    None => {
                        if kind.is_float() {
                            self.push(
                                Finding::note(
                                    ty.span.clone(),
                                    format!(
                                        "Tether's `{}` rejects NaN and ±inf, which Zap's sends",
                                        kind.name()
                                    ),
                                    "kept as a finite float",
                                )
                                .help(format!(
                                    "write `{}(nonfinite)` if the game sends NaN or `math.huge`",
                                    kind.name()
                                )),
                            );
                        }
                        kind.name().to_string()
                    }
                }
            }
            TyKind::Str(kind, range) => {
                let base = match kind {
                    StrKind::Binary => "binary",
                    StrKind::Plain => {
                        if !self.utf8_noted {
                            self.utf8_noted = true;
                            self.push(
                                Finding::note(
                                    ty.span.clone(),
                                    "Tether's `string` is UTF-8 text; Zap's `string` carries any bytes",
                                    "written `string` (this note is given once)",
                                )
                                .help("write `binary` where a string holds packed bytes (`string.pack`, compression)"),
                            );
                        }
                        "string"
                    }
                    StrKind::Utf8 => "string",
                };
                format!(
                    "{base}{}",
                    self.length(range.as_ref(), &ty.span, "string", "bytes")
                )
            }
            TyKind::Buffer(range) => {
                format!(
                    "buffer{}",
                    self.length(range.as_ref(), &ty.span, "buffer", "bytes")
                )
            }
            TyKind::Vector(components) => {
                let label = if components.is_empty() {
                    "written `Vector3`".to_string()
                } else {
                    "written `Vector3`; the component types are dropped".to_string()
                };
                self.push(
                    Finding::note(ty.span.clone(), "Tether has no Luau `vector` type", label)
                        .help("Tether's `Vector3` is the Roblox datatype, sent as three f32s; send a `vector` as `Vector3.new(v.x, v.y, v.z)`"),
                );
                "Vector3".to_string()
            }
            TyKind::Array(element, range) => {
                let element = self.element(element, "an array element");
                let exact = range.as_ref().and_then(|r| match &r.kind {
                    RangeKind::Exact(n) => Some(n.clone()),
                    _ => None,
                });
                match exact {
                    Some(n) => format!("{{{element}}}({n})"),
                    None => format!(
                        "{{{element}}}{}",
                        self.length(range.as_ref(), &ty.span, "array", "elements")
                    ),
                }
            }
            TyKind::Map(key, value) => {
                let key = self.element(key, "a map key");
                let value = self.element(value, "a map value");
                format!(
                    "{{[{key}]: {value}}}{}",
                    self.length(None, &ty.span, "map", "entries")
                )
            }
            TyKind::Set(element) => {
                let element = self.element(element, "a set element");
                format!(
                    "{{[{element}]: true}}{}",
                    self.length(None, &ty.span, "set", "elements")
                )
            }
            TyKind::Optional(inner) => {
                if matches!(inner.kind, TyKind::Optional(_)) {
                    self.push(
                        Finding::note(
                            ty.span.clone(),
                            "a type optional twice is optional once in Tether",
                            "one `?` dropped",
                        )
                        .help("Luau has a single nil"),
                    );
                    return self.ty(inner);
                }
                if let TyKind::Ref(path) = &inner.kind {
                    if path.len() == 1 && path.first().is_some_and(|p| p.name == "unknown") {
                        return self.ty(inner);
                    }
                }
                format!("{}?", self.ty(inner))
            }
            TyKind::Ref(path) => self.reference(path, &ty.span),
            TyKind::OldEnum(variants) => {
                self.push(
                    Finding::note(
                        ty.span.clone(),
                        "`( A, B )` is Zap's older enum syntax",
                        "read as a unit enum",
                    )
                    .help("newer Zap writes `enum { A, B }`, as Tether does"),
                );
                let names: Vec<String> = variants
                    .iter()
                    .map(|v| self.decl_name(v, "variant"))
                    .collect();
                format!("enum {{ {} }}", names.join(", "))
            }
            TyKind::Enum(Enum::Unit(variants)) => {
                if variants.is_empty() {
                    self.push(empty_enum(&ty.span));
                    return "any".to_string();
                }
                let names: Vec<String> = variants
                    .iter()
                    .map(|v| self.decl_name(v, "variant"))
                    .collect();
                format!("enum {{ {} }}", names.join(", "))
            }
            TyKind::Enum(Enum::Tagged { tag, variants }) => {
                if variants.is_empty() {
                    self.push(empty_enum(&ty.span));
                    return "any".to_string();
                }
                let tag = self.field_name(tag);
                let bodies: Vec<String> = variants
                    .iter()
                    .map(|(name, fields)| self.variant(name, fields))
                    .collect();
                format!("enum \"{tag}\" {{ {} }}", bodies.join(", "))
            }
            TyKind::Struct { fields, keyword } => {
                self.bare_struct_note(ty, *keyword);
                self.fields(fields)
            }
            TyKind::Instance(class) => match class {
                Some(class) => class.name.clone(),
                None => "Instance".to_string(),
            },
            // Tether's union: `tether check` (`ambiguous-union`) says
            // where the arms cannot be told apart.
            TyKind::Union(members) => {
                let arms: Vec<String> = members.iter().map(|m| self.ty(m)).collect();
                format!("({})", arms.join(" | "))
            }
        }
    }

    /// What a table holds: never optional in Tether, since a nil in a
    /// Luau table is no entry at all.
    fn element(&mut self, ty: &Ty, what: &str) -> String {
        let mut inner = ty;
        while let TyKind::Optional(next) = &inner.kind {
            inner = next;
        }
        if !std::ptr::eq(inner, ty) {
            self.push(
                Finding::warning(
                    ty.span.clone(),
                    format!("{what} cannot be optional in Tether"),
                    "written without `?`",
                )
                .help("a nil in a Luau table is no entry at all; to send gaps, hold records with an optional field: `{ value: T? }`"),
            );
        }
        self.ty(inner)
    }

    /// A name: a Zap built-in, a Roblox datatype, or a declared type.
    fn reference(&mut self, path: &[Ident], span: &Span) -> String {
        if let [one] = path {
            match one.name.as_str() {
                "unknown" => return "any".to_string(),
                "boolean" => return "boolean".to_string(),
                "AlignedCFrame" => {
                    self.push(
                        Finding::note(
                            span.clone(),
                            "Tether has no axis-aligned CFrame",
                            "written `CFrame`",
                        )
                        .help("Tether sends a whole CFrame; any rotation is accepted"),
                    );
                    return "CFrame".to_string();
                }
                "DateTimeMillis" => {
                    self.push(
                        Finding::note(span.clone(), "Tether has one `DateTime`", "written `DateTime`")
                            .help("Tether's `DateTime` keeps milliseconds, as Zap's `DateTimeMillis` does"),
                    );
                    return "DateTime".to_string();
                }
                _ => {}
            }
        }
        path.iter()
            .map(|part| {
                self.renamed
                    .get(&part.name)
                    .map_or(part.name.as_str(), String::as_str)
            })
            .collect::<Vec<_>>()
            .join(".")
    }
}

fn empty_enum(span: &Span) -> Finding {
    Finding::warning(
        span.clone(),
        "a Tether enum needs at least one variant",
        "written `any`",
    )
    .help("give the enum a variant, or remove it")
}

#[cfg(test)]
mod tests {
    use super::super::convert;

    fn schema(text: &str) -> String {
        convert(text)
            .map(|c| c.tether)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Keys are written as they are; Tether's own checker (`invalid-key`)
    /// is what refuses the ones it cannot key by.
    #[test]
    fn keys_are_written_as_they_are_for_tethers_checker() {
        let rules = |key: &str| {
            let text = schema(&format!("type M = map {{ [{key}]: u8 }}"));
            let checked = tether_compiler::compile_str("m.tether", &text);
            checked
                .diagnostics
                .iter()
                .map(|d| d.rule.name)
                .collect::<Vec<_>>()
        };
        for key in ["f32", "struct { a: u8 }", "Vector3", "u8[]"] {
            assert!(rules(key).contains(&"invalid-key"), "{key}");
        }
        for key in [
            "string(..8)",
            "u8",
            "boolean",
            "enum { A, B }",
            "Instance(Player)",
            "Instance",
        ] {
            assert!(!rules(key).contains(&"invalid-key"), "{key}");
        }
    }

    /// A union is Tether's union; `ambiguous-union` says which cannot be.
    #[test]
    fn unions_are_tethers_unions() {
        let text = schema("type U = (string(..4) | u8)");
        assert!(text.contains("type U = (string(..4) | u8)"), "{text}");
    }

    #[test]
    fn unnamed_values_do_not_take_a_named_one() {
        let text = schema("event E = { from: Server, type: Reliable, data: (value2: u8, u16) }");
        assert!(text.contains("(value2: u8, value2_: u16)"), "{text}");
    }

    #[test]
    fn references_follow_renamed_declarations() {
        let text = schema("namespace in = { type event = u8 }\ntype A = in.event[5]");
        assert!(text.contains("namespace in_ {"), "{text}");
        assert!(text.contains("type event_ = u8"), "{text}");
        assert!(text.contains("type A = {in_.event_}(5)"), "{text}");
    }

    #[test]
    fn bounds_are_kept_and_unbounded_lengths_capped() {
        let text = schema("type A = string.utf8(1..)\ntype B = u8[2..]\ntype C = buffer(..)");
        assert!(text.contains("type A = string(1..65535)"), "{text}");
        assert!(text.contains("type B = {u8}(2..65535)"), "{text}");
        assert!(text.contains("type C = buffer(..65535)"), "{text}");
    }
}
