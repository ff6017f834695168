//! The parser: every construct of the language into the AST, the spans of
//! its nodes, syntax errors in words at the right place, and deep nesting.

use tether_compiler::diag::{Diagnostic, FileId, SourceFile, Span};
use tether_compiler::syntax::ast::*;
use tether_compiler::syntax::{parse, MAX_NESTING};

const FILE: FileId = FileId(7);

fn ok(src: &str) -> File {
    match parse(FILE, src) {
        Ok(file) => file,
        Err(d) => panic!("{src:?} should parse, got: {} (at {:?})", d.message, d.span),
    }
}

fn err(src: &str) -> Box<Diagnostic> {
    match parse(FILE, src) {
        Ok(file) => panic!("{src:?} should not parse, got {file:#?}"),
        Err(d) => d,
    }
}

/// The message and 1-based line and column of the syntax error in `src`.
fn error_at(src: &str) -> (String, usize, usize) {
    let d = err(src);
    assert_eq!(d.rule.name, "syntax");
    assert_eq!(d.span.file, FILE);
    let (line, col) = SourceFile::new("t.tether", None, src).line_col(d.span.start as usize);
    (d.message.clone(), line, col)
}

fn slice(src: &str, span: Span) -> &str {
    assert_eq!(span.file, FILE);
    &src[span.range()]
}

/// The type of `type T = <ty>`.
fn ty(src_ty: &str) -> TypeExpr {
    let src = format!("type T = {src_ty}");
    let file = ok(&src);
    match file.decls.into_iter().next() {
        Some(Decl::Type(alias)) => {
            assert_eq!(
                slice(&src, alias.ty.span),
                src_ty.trim(),
                "span of {src_ty:?}"
            );
            alias.ty
        }
        other => panic!("not a type alias: {other:?}"),
    }
}

fn endpoint(src: &str) -> Endpoint {
    match ok(src).decls.into_iter().next() {
        Some(Decl::Endpoint(e)) => e,
        other => panic!("not an endpoint: {other:?}"),
    }
}

fn path_names(t: &TypeExpr) -> Vec<&str> {
    match &t.kind {
        TypeExprKind::Path(idents) => idents.iter().map(|i| i.name.as_str()).collect(),
        other => panic!("not a path: {other:?}"),
    }
}

fn is_path(t: &TypeExpr, name: &str) -> bool {
    matches!(&t.kind, TypeExprKind::Path(p) if p.len() == 1 && p[0].name == name)
}

fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("the parser must not overflow a 2 MiB stack")
}

// ---- files, imports, declarations ------------------------------------------

#[test]
fn empty_and_blank_files_parse() {
    for src in [
        "",
        "   \n\t\r\n",
        "-- only a comment",
        "--[[ only\n a block ]]",
    ] {
        let file = ok(src);
        assert!(file.imports.is_empty() && file.decls.is_empty());
    }
}

#[test]
fn imports_come_first_and_keep_their_spans() {
    let src = "import \"shared/types.tether\"\nimport \"a\\\"b\\\\c\"\n\ntype A = u8\n";
    let file = ok(src);
    assert_eq!(file.imports.len(), 2);
    let first = &file.imports[0];
    assert_eq!(first.path, "shared/types.tether");
    assert_eq!(slice(src, first.path_span), "\"shared/types.tether\"");
    assert_eq!(slice(src, first.span), "import \"shared/types.tether\"");
    assert_eq!(file.imports[1].path, "a\"b\\c");
    assert_eq!(file.decls.len(), 1);
}

#[test]
fn type_alias() {
    let src = "type Health = u8(0..100)";
    let file = ok(src);
    let Decl::Type(alias) = &file.decls[0] else {
        panic!()
    };
    assert_eq!(alias.name.name, "Health");
    assert_eq!(slice(src, alias.name.span), "Health");
    assert_eq!(slice(src, alias.span), src);
    assert_eq!(slice(src, file.decls[0].span()), src);
    assert_eq!(file.decls[0].name().name, "Health");
}

#[test]
fn enums_unit_and_tagged() {
    let src = "enum Shape {\n  Circle { radius: f32 },\n  Rect { w: f32, h: f32, },\n  Empty {},\n  Point,\n}";
    let file = ok(src);
    let Decl::Enum(e) = &file.decls[0] else {
        panic!()
    };
    assert_eq!(e.name.name, "Shape");
    assert_eq!(slice(src, e.span), src);
    let names: Vec<_> = e.variants.iter().map(|v| v.name.name.as_str()).collect();
    assert_eq!(names, ["Circle", "Rect", "Empty", "Point"]);
    let circle = e.variants[0].fields.as_ref().unwrap();
    assert_eq!(circle.len(), 1);
    assert_eq!(circle[0].name.name, "radius");
    assert!(is_path(&circle[0].ty, "f32"));
    assert_eq!(slice(src, circle[0].span), "radius: f32");
    assert_eq!(slice(src, e.variants[0].span), "Circle { radius: f32 }");
    assert_eq!(e.variants[1].fields.as_ref().unwrap().len(), 2);
    assert_eq!(e.variants[2].fields, Some(vec![]));
    assert_eq!(e.variants[3].fields, None);
    assert_eq!(slice(src, e.variants[3].span), "Point");

    let unit = ok("enum Team { Red, Blue }");
    let Decl::Enum(e) = &unit.decls[0] else {
        panic!()
    };
    assert_eq!(e.variants.len(), 2);
    assert!(e.variants.iter().all(|v| v.fields.is_none()));
    let empty = ok("enum Nothing {}");
    let Decl::Enum(e) = &empty.decls[0] else {
        panic!()
    };
    assert!(e.variants.is_empty());
}

#[test]
fn namespaces_nest() {
    let src = "namespace Combat {\n  type Damage = f32\n  namespace Inner { enum Kind { A } }\n  remote event Hit: client -> server (target: Player)\n}\nnamespace Empty {}";
    let file = ok(src);
    assert_eq!(file.decls.len(), 2);
    let Decl::Namespace(ns) = &file.decls[0] else {
        panic!()
    };
    assert_eq!(ns.name.name, "Combat");
    assert_eq!(ns.decls.len(), 3);
    assert!(matches!(ns.decls[0], Decl::Type(_)));
    let Decl::Namespace(inner) = &ns.decls[1] else {
        panic!()
    };
    assert_eq!(inner.name.name, "Inner");
    assert_eq!(
        slice(src, inner.span),
        "namespace Inner { enum Kind { A } }"
    );
    assert!(matches!(inner.decls[0], Decl::Enum(_)));
    assert!(matches!(ns.decls[2], Decl::Endpoint(_)));
    let Decl::Namespace(empty) = &file.decls[1] else {
        panic!()
    };
    assert!(empty.decls.is_empty());
}

// ---- endpoints --------------------------------------------------------------

#[test]
fn every_route() {
    let cases = [
        ("client -> server", Route::ClientToServer),
        ("server -> client", Route::ServerToClient),
        ("client <-> server", Route::Both),
        ("server <-> client", Route::Both),
        ("server", Route::Server),
        ("client", Route::Client),
    ];
    for (route, expected) in cases {
        for keyword in ["remote event", "bindable event"] {
            let src = format!("{keyword} E: {route} ()");
            let e = endpoint(&src);
            assert_eq!(e.route, expected, "{src}");
            assert_eq!(slice(&src, e.route_span), route);
        }
    }
}

#[test]
fn transports_and_calls() {
    let cases = [
        ("remote event", Transport::Remote, Call::Event),
        ("remote function", Transport::Remote, Call::Function),
        ("bindable event", Transport::Bindable, Call::Event),
        ("bindable function", Transport::Bindable, Call::Function),
    ];
    for (keywords, transport, call) in cases {
        let src = format!("{keywords} Thing: server ()");
        let e = endpoint(&src);
        assert_eq!((e.transport, e.call), (transport, call));
        assert_eq!(slice(&src, e.keyword_span), keywords);
        assert_eq!(e.name.name, "Thing");
        assert!(e.returns.is_none());
        assert!(e.attrs.is_empty());
        assert_eq!(slice(&src, e.span), src);
    }
    // The keywords may be split over lines; the span covers both.
    let src = "remote\n  event E: client ()";
    assert_eq!(slice(src, endpoint(src).keyword_span), "remote\n  event");
}

#[test]
fn params() {
    let src = "remote event Hit: client -> server (target: Player, damage: f32(0..100), )";
    let e = endpoint(src);
    assert_eq!(e.params.len(), 2);
    assert_eq!(e.params[0].name.name, "target");
    assert!(is_path(&e.params[0].ty, "Player"));
    assert_eq!(slice(src, e.params[1].span), "damage: f32(0..100)");
    assert_eq!(slice(src, e.params[1].ty.span), "f32(0..100)");
    assert_eq!(
        slice(src, e.params_span),
        "(target: Player, damage: f32(0..100), )"
    );

    let src = "remote event Ping: client -> server ( )";
    let e = endpoint(src);
    assert!(e.params.is_empty());
    assert_eq!(slice(src, e.params_span), "( )");
}

#[test]
fn returns_single_tuple_unit_and_function() {
    let ret = |r: &str| {
        let src = format!("remote function F: client -> server () -> {r}");
        let returns = endpoint(&src).returns.expect("returns");
        assert_eq!(slice(&src, returns.span), r);
        returns
    };

    let single = ret("u8");
    assert!(!single.parenthesized);
    assert_eq!(single.types.len(), 1);
    assert!(is_path(&single.types[0], "u8"));

    let unit = ret("()");
    assert!(unit.parenthesized);
    assert!(unit.types.is_empty());

    let one = ret("(u8)");
    assert!(one.parenthesized);
    assert!(is_path(&one.types[0], "u8"));

    let tuple = ret("(boolean, string(..64),)");
    assert!(tuple.parenthesized);
    assert_eq!(tuple.types.len(), 2);

    // A function type is tried first.
    let function = ret("(u8) -> ()");
    assert!(!function.parenthesized);
    let TypeExprKind::Function { params, returns } = &function.types[0].kind else {
        panic!("{function:?}")
    };
    assert_eq!(params.len(), 1);
    assert!(returns.parenthesized && returns.types.is_empty());

    let unit_fn = ret("() -> u8");
    assert!(matches!(
        unit_fn.types[0].kind,
        TypeExprKind::Function { .. }
    ));

    // A grouped type with a postfix is one type, not a tuple.
    let optional = ret("(Part)?");
    assert!(!optional.parenthesized);
    let TypeExprKind::Optional(inner) = &optional.types[0].kind else {
        panic!()
    };
    assert!(is_path(inner, "Part"));

    let optional_single = ret("Part?");
    assert!(matches!(
        optional_single.types[0].kind,
        TypeExprKind::Optional(_)
    ));
}

#[test]
fn attributes_and_every_argument_form() {
    let src = "@unreliable\n@ordered()\n@rate(20/s, 600 / min,)\n@timeout(5s, 250ms, 2min, 1.5s)\n@deprecated(\"use \\\"Fire\\\"\\n\\tnow\\\\\")\n@allow(mixed-table, unbounded_client_input)\n@misc(-5, 0.25, 3)\nremote event E: client -> server ()";
    let e = endpoint(src);
    let names: Vec<_> = e.attrs.iter().map(|a| a.name.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "unreliable",
            "ordered",
            "rate",
            "timeout",
            "deprecated",
            "allow",
            "misc"
        ]
    );
    assert_eq!(slice(src, e.span), src);
    assert_eq!(slice(src, e.attrs[0].span), "@unreliable");
    assert_eq!(slice(src, e.attrs[0].name.span), "unreliable");
    assert_eq!(e.attrs[0].args_span, None);
    assert!(e.attrs[1].args.is_empty());
    assert_eq!(slice(src, e.attrs[1].args_span.unwrap()), "()");

    let rate = &e.attrs[2];
    assert_eq!(slice(src, rate.args_span.unwrap()), "(20/s, 600 / min,)");
    match &rate.args[0].kind {
        AttrArgKind::Rate { count, per } => {
            assert_eq!((count.value, *per), (20.0, RateUnit::Second));
            assert_eq!(count.text, "20");
            assert_eq!(slice(src, count.span), "20");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(slice(src, rate.args[0].span), "20/s");
    match &rate.args[1].kind {
        AttrArgKind::Rate { count, per } => {
            assert_eq!((count.value, *per), (600.0, RateUnit::Minute))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(slice(src, rate.args[1].span), "600 / min");

    let durations: Vec<_> = e.attrs[3]
        .args
        .iter()
        .map(|a| match a.kind {
            AttrArgKind::Duration(ms) => ms,
            ref other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(durations, [5_000.0, 250.0, 120_000.0, 1_500.0]);
    assert_eq!(slice(src, e.attrs[3].args[1].span), "250ms");

    assert_eq!(
        e.attrs[4].args[0].kind,
        AttrArgKind::String("use \"Fire\"\n\tnow\\".to_string())
    );
    assert_eq!(
        e.attrs[5].args[0].kind,
        AttrArgKind::Word("mixed-table".to_string())
    );
    assert_eq!(slice(src, e.attrs[5].args[0].span), "mixed-table");
    assert_eq!(
        e.attrs[5].args[1].kind,
        AttrArgKind::Word("unbounded_client_input".to_string())
    );

    let numbers: Vec<_> = e.attrs[6]
        .args
        .iter()
        .map(|a| match &a.kind {
            AttrArgKind::Number(n) => (n.text.as_str(), n.value, n.is_integer),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        numbers,
        [("-5", -5.0, true), ("0.25", 0.25, false), ("3", 3.0, true)]
    );
}

// ---- types ------------------------------------------------------------------

#[test]
fn paths() {
    assert_eq!(path_names(&ty("u8")), ["u8"]);
    assert_eq!(path_names(&ty("Enum.Material")), ["Enum", "Material"]);
    assert_eq!(path_names(&ty("a.b.c")), ["a", "b", "c"]);
    // Keywords may start an identifier.
    assert_eq!(path_names(&ty("types")), ["types"]);
    assert_eq!(path_names(&ty("clientId")), ["clientId"]);
    assert_eq!(path_names(&ty("inner.anyThing")), ["inner", "anyThing"]);
    assert_eq!(path_names(&ty("_private9")), ["_private9"]);
    let src = "type T = Combat.Hit";
    let file = ok(src);
    let Decl::Type(alias) = &file.decls[0] else {
        panic!()
    };
    let TypeExprKind::Path(p) = &alias.ty.kind else {
        panic!()
    };
    assert_eq!(slice(src, p[1].span), "Hit");
}

#[test]
fn any_and_metatable() {
    assert_eq!(ty("any").kind, TypeExprKind::Any);
    let t = ty("setmetatable<{ Name: string }, Car>");
    let TypeExprKind::Metatable { table, meta } = &t.kind else {
        panic!("{t:?}")
    };
    assert!(matches!(table.kind, TypeExprKind::Table(_)));
    assert!(is_path(meta, "Car"));
    assert!(matches!(
        ty("setmetatable<{}, Car,>").kind,
        TypeExprKind::Metatable { .. }
    ));
}

fn range_of(t: &TypeExpr) -> (Option<&str>, Option<&str>) {
    let TypeExprKind::Refined { refinement, .. } = &t.kind else {
        panic!("not refined: {t:?}")
    };
    match &refinement.kind {
        RefinementKind::Range { min, max } => (
            min.as_ref().map(|n| n.text.as_str()),
            max.as_ref().map(|n| n.text.as_str()),
        ),
        other => panic!("not a range: {other:?}"),
    }
}

#[test]
fn refinements() {
    assert_eq!(range_of(&ty("u8(1..100)")), (Some("1"), Some("100")));
    assert_eq!(range_of(&ty("string(..64)")), (None, Some("64")));
    assert_eq!(range_of(&ty("i16(-5..)")), (Some("-5"), None));
    assert_eq!(range_of(&ty("i16(-5..5)")), (Some("-5"), Some("5")));
    assert_eq!(
        range_of(&ty("number(0.25 .. 0.75)")),
        (Some("0.25"), Some("0.75"))
    );
    assert_eq!(range_of(&ty("f32(..)")), (None, None));

    let t = ty("u8(1..100)");
    let TypeExprKind::Refined { base, refinement } = &t.kind else {
        panic!()
    };
    assert!(is_path(base, "u8"));
    let RefinementKind::Range {
        min: Some(min),
        max: Some(max),
    } = &refinement.kind
    else {
        panic!()
    };
    assert_eq!((min.value, min.is_integer), (1.0, true));
    assert_eq!(max.value, 100.0);
    let src = "type T = u8(1..100)";
    let file = ok(src);
    let Decl::Type(alias) = &file.decls[0] else {
        panic!()
    };
    let TypeExprKind::Refined { refinement, .. } = &alias.ty.kind else {
        panic!()
    };
    assert_eq!(slice(src, refinement.span), "(1..100)");
    let RefinementKind::Range {
        min: Some(min),
        max: Some(max),
    } = &refinement.kind
    else {
        panic!()
    };
    assert_eq!(slice(src, min.span), "1");
    assert_eq!(slice(src, max.span), "100");

    let exact = ty("string(8)");
    let TypeExprKind::Refined { refinement, .. } = &exact.kind else {
        panic!()
    };
    let RefinementKind::Exact(n) = &refinement.kind else {
        panic!()
    };
    assert_eq!((n.text.as_str(), n.value, n.is_integer), ("8", 8.0, true));

    let nonfinite = ty("f64(nonfinite)");
    let TypeExprKind::Refined { refinement, .. } = &nonfinite.kind else {
        panic!()
    };
    assert_eq!(refinement.kind, RefinementKind::NonFinite);
}

#[test]
fn postfixes_apply_left_to_right() {
    // `Part in Workspace?` is Optional(Located(Part)).
    let src = "type T = Part in Workspace?";
    let file = ok(src);
    let Decl::Type(alias) = &file.decls[0] else {
        panic!()
    };
    let TypeExprKind::Optional(located) = &alias.ty.kind else {
        panic!("{:?}", alias.ty)
    };
    assert_eq!(slice(src, alias.ty.span), "Part in Workspace?");
    assert_eq!(slice(src, located.span), "Part in Workspace");
    let TypeExprKind::Located { ty: part, location } = &located.kind else {
        panic!()
    };
    assert!(is_path(part, "Part"));
    assert_eq!(location.name, "Workspace");
    assert_eq!(slice(src, location.span), "Workspace");

    // `client` is a keyword, but a valid location.
    let t = ty("Tool in client");
    let TypeExprKind::Located { location, .. } = &t.kind else {
        panic!()
    };
    assert_eq!(location.name, "client");

    // `{T}(..8)?` is Optional(Refined(Table)).
    let t = ty("{T}(..8)?");
    let TypeExprKind::Optional(refined) = &t.kind else {
        panic!()
    };
    let TypeExprKind::Refined { base, .. } = &refined.kind else {
        panic!()
    };
    assert!(matches!(base.kind, TypeExprKind::Table(_)));

    // `T??` is kept for the resolver to report.
    let t = ty("T??");
    let TypeExprKind::Optional(inner) = &t.kind else {
        panic!()
    };
    assert!(matches!(inner.kind, TypeExprKind::Optional(_)));

    // Grouping: `(u8)` is the inner type, and a postfix covers the parentheses.
    let src = "type T = ( u8 )";
    let file = ok(src);
    let Decl::Type(alias) = &file.decls[0] else {
        panic!()
    };
    assert!(is_path(&alias.ty, "u8"));
    assert_eq!(slice(src, alias.ty.span), "u8");
    let src = "type T = (Part)?";
    let file = ok(src);
    let Decl::Type(alias) = &file.decls[0] else {
        panic!()
    };
    assert_eq!(slice(src, alias.ty.span), "(Part)?");
    let TypeExprKind::Optional(inner) = &alias.ty.kind else {
        panic!()
    };
    assert_eq!(slice(src, inner.span), "Part");
    let t = ty("((x: u8) -> ())?");
    let TypeExprKind::Optional(inner) = &t.kind else {
        panic!()
    };
    assert!(matches!(inner.kind, TypeExprKind::Function { .. }));
}

#[test]
fn tables() {
    let t = ty("{ Player }");
    let TypeExprKind::Table(entries) = &t.kind else {
        panic!()
    };
    assert!(matches!(&entries[..], [TableEntry::Positional(p)] if is_path(p, "Player")));

    let src = "type T = { [string]: u8; Name: string, Level: u16?; Enum.Material, }";
    let file = ok(src);
    let Decl::Type(alias) = &file.decls[0] else {
        panic!()
    };
    let TypeExprKind::Table(entries) = &alias.ty.kind else {
        panic!()
    };
    assert_eq!(entries.len(), 4);
    let TableEntry::Indexer { key, value, span } = &entries[0] else {
        panic!()
    };
    assert!(is_path(key, "string") && is_path(value, "u8"));
    assert_eq!(slice(src, *span), "[string]: u8");
    let TableEntry::Field(field) = &entries[1] else {
        panic!()
    };
    assert_eq!(field.name.name, "Name");
    assert_eq!(slice(src, entries[2].span()), "Level: u16?");
    let TableEntry::Positional(p) = &entries[3] else {
        panic!()
    };
    assert_eq!(path_names(p), ["Enum", "Material"]);
    assert_eq!(slice(src, entries[3].span()), "Enum.Material");

    let TypeExprKind::Table(empty) = ty("{}").kind else {
        panic!()
    };
    assert!(empty.is_empty());
    let TypeExprKind::Table(nested) = ty("{{u8}}").kind else {
        panic!()
    };
    assert!(
        matches!(&nested[0], TableEntry::Positional(t) if matches!(t.kind, TypeExprKind::Table(_)))
    );
}

#[test]
fn function_types() {
    let src = "type T = (x: number, Vector3,) -> (boolean, string)";
    let file = ok(src);
    let Decl::Type(alias) = &file.decls[0] else {
        panic!()
    };
    assert_eq!(
        slice(src, alias.ty.span),
        "(x: number, Vector3,) -> (boolean, string)"
    );
    let TypeExprKind::Function { params, returns } = &alias.ty.kind else {
        panic!()
    };
    assert_eq!(params.len(), 2);
    assert_eq!(params[0].name.as_ref().map(|n| n.name.as_str()), Some("x"));
    assert_eq!(slice(src, params[0].span), "x: number");
    assert!(params[1].name.is_none());
    assert_eq!(slice(src, params[1].span), "Vector3");
    assert!(returns.parenthesized);
    assert_eq!(returns.types.len(), 2);
    assert_eq!(slice(src, returns.span), "(boolean, string)");

    let t = ty("() -> ()");
    let TypeExprKind::Function { params, returns } = &t.kind else {
        panic!()
    };
    assert!(params.is_empty() && returns.types.is_empty() && returns.parenthesized);

    let t = ty("(T, U) -> R");
    let TypeExprKind::Function { params, returns } = &t.kind else {
        panic!()
    };
    assert_eq!(params.len(), 2);
    assert!(!returns.parenthesized && is_path(&returns.types[0], "R"));

    // `->` is right-associative, and a return type takes its postfixes.
    let t = ty("(A) -> (B) -> C?");
    let TypeExprKind::Function { returns, .. } = &t.kind else {
        panic!()
    };
    let TypeExprKind::Function { returns: inner, .. } = &returns.types[0].kind else {
        panic!()
    };
    assert!(matches!(inner.types[0].kind, TypeExprKind::Optional(_)));

    // A callback parameter.
    let e = endpoint(
        "bindable function Ask: server (prompt: string, done: (ok: boolean) -> ()) -> any",
    );
    assert!(matches!(e.params[1].ty.kind, TypeExprKind::Function { .. }));
    assert_eq!(e.returns.unwrap().types[0].kind, TypeExprKind::Any);
}

#[test]
fn numbers_and_ranges_lex_apart() {
    let t = ty("u8(1..100)");
    assert_eq!(range_of(&t), (Some("1"), Some("100")));
    let t = ty("number(-0.5..0.5)");
    let TypeExprKind::Refined { refinement, .. } = &t.kind else {
        panic!()
    };
    let RefinementKind::Range {
        min: Some(min),
        max: Some(max),
    } = &refinement.kind
    else {
        panic!()
    };
    assert_eq!((min.value, min.is_integer), (-0.5, false));
    assert_eq!((max.value, max.is_integer), (0.5, false));
}

// ---- comments, whitespace, trailing commas ---------------------------------

#[test]
fn comments_of_both_kinds() {
    let src = "-- a line comment\n--[[ a block\n   over lines ]] type --[[inline]] A -- after\n= --[[ x ]] { -- inside\n a: u8, --[[ between ]] b: u8 } --[[ end ]]\n-- last, no newline";
    let file = ok(src);
    let Decl::Type(alias) = &file.decls[0] else {
        panic!()
    };
    assert_eq!(alias.name.name, "A");
    // The span starts at `type` and stops at `}`: comments are not part of it.
    assert!(slice(src, alias.span).starts_with("type --[[inline]] A"));
    assert!(slice(src, alias.span).ends_with("b: u8 }"));
    assert_eq!(
        slice(src, alias.ty.span),
        "{ -- inside\n a: u8, --[[ between ]] b: u8 }"
    );
    // `--` inside a string is not a comment.
    let src = "@deprecated(\"use -- this\") remote event E: server ()";
    let e = endpoint(src);
    assert_eq!(
        e.attrs[0].args[0].kind,
        AttrArgKind::String("use -- this".into())
    );
}

#[test]
fn trailing_commas_everywhere() {
    ok("enum E { A, B, }");
    ok("enum E { A { x: u8, }, }");
    ok("remote event E: client -> server (a: u8, b: u8,)");
    ok("remote function F: client -> server () -> (u8, u8,)");
    ok("type T = { u8, }");
    ok("type T = { a: u8; b: u8; }");
    ok("type T = (u8, u8,) -> ()");
    ok("type T = setmetatable<{}, M,>");
    ok("@rate(20/s,) remote event E: client -> server ()");
}

#[test]
fn a_realistic_schema() {
    let src = r#"
import "shared.tether"

-- Combat remotes
namespace Combat {
    type Damage = f32(0..1000)
    enum Hit { Miss, Landed { damage: Damage, crit: boolean } }

    @unreliable @ordered
    remote event Aim: client -> server (direction: Vector3, at: Part in Workspace?)

    @rate(10/s) @timeout(2s)
    remote function Swing: client -> server (weapon: Tool in client) -> Hit

    remote event Sync: client <-> server (state: { [string]: u8 }(..32))
}

bindable function Lookup: server (id: u64) -> (Player?, setmetatable<{ Name: string }, Car>)
"#;
    let file = ok(src);
    assert_eq!(file.imports.len(), 1);
    assert_eq!(file.decls.len(), 2);
    let Decl::Namespace(ns) = &file.decls[0] else {
        panic!()
    };
    assert_eq!(ns.decls.len(), 5);
    let Decl::Endpoint(aim) = &ns.decls[2] else {
        panic!()
    };
    assert_eq!(aim.attrs.len(), 2);
    assert!(slice(src, aim.span).starts_with("@unreliable @ordered\n    remote event Aim"));
    assert!(slice(src, aim.span).ends_with("Workspace?)"));
}

// ---- syntax errors ----------------------------------------------------------

#[test]
fn errors_say_what_was_expected_in_words() {
    let cases: &[(&str, &str, usize, usize)] = &[
        ("type A = ", "expected a type after `=`", 1, 9),
        ("type A = $", "expected a type after `=`", 1, 10),
        ("type A u8", "expected `=` after `A`", 1, 8),
        ("type A:\n  u8", "expected `=` after `A`", 1, 7),
        ("type type = u8", "expected a name after `type`", 1, 6),
        (
            "remote event",
            "expected a name after `remote event`",
            1,
            13,
        ),
        (
            "remote event (x: u8)",
            "expected a name after `remote event`",
            1,
            14,
        ),
        ("remote event E client", "expected `:` after `E`", 1, 16),
        (
            "remote event E: up",
            "expected `client` or `server` after `:`",
            1,
            17,
        ),
        (
            "remote event E: client $",
            "expected `->`, `<->` or a parameter list after `client`",
            1,
            24,
        ),
        (
            "remote event E: client -> ()",
            "expected `server` after `->`",
            1,
            27,
        ),
        (
            "remote event E: server <-> server ()",
            "expected `client` after `<->`",
            1,
            28,
        ),
        (
            "remote event E: server -> client",
            "expected a parameter list after `client`",
            1,
            33,
        ),
        (
            "remote event E: client -> server (x: u8\ntype B = u8",
            "expected `)` to close the parameter list",
            2,
            1,
        ),
        (
            "remote event E: client -> server (x: u8",
            "expected `)` to close the parameter list",
            1,
            40,
        ),
        (
            "remote event E: client -> server (x: u8 y: u8)",
            "expected `,` or `)` after `u8`",
            1,
            41,
        ),
        (
            "remote event E: client -> server (x u8)",
            "expected `:` after `x`",
            1,
            37,
        ),
        (
            "remote event E: client -> server (x: )",
            "expected a type after `:`",
            1,
            38,
        ),
        (
            "remote event E: client -> server (,)",
            "expected a parameter or `)` after `(`",
            1,
            35,
        ),
        (
            "remote function F: client -> server () ->",
            "expected a return type after `->`",
            1,
            42,
        ),
        (
            "type A = {u8",
            "expected `}` to close the table type",
            1,
            13,
        ),
        (
            "type A = {a: u8 b: u8}",
            "expected `,` or `}` after `u8`",
            1,
            17,
        ),
        (
            "type A = {[string: u8}",
            "expected `]` to close the indexer",
            1,
            18,
        ),
        (
            "type A = u8(1..",
            "expected a number or `)` after `..`",
            1,
            16,
        ),
        (
            "type A = u8(big)",
            "expected a range such as `1..10`, a number or `nonfinite` after `(`",
            1,
            13,
        ),
        ("type A = (A, B)", "expected `->` after `)`", 1, 16),
        (
            "type A = Part in",
            "expected a service name or `client` after `in`",
            1,
            17,
        ),
        ("type A = Enum.", "expected a name after `.`", 1, 15),
        (
            "type A = setmetatable<{}, B",
            "expected `>` to close the type arguments of `setmetatable`",
            1,
            28,
        ),
        ("enum E { A B }", "expected `,` or `}` after `A`", 1, 12),
        (
            "enum E {\n  A,\n",
            "expected a variant or `}` after `,`",
            2,
            5,
        ),
        (
            "namespace N {\n  type A = u8\n",
            "expected `}` to close the namespace",
            2,
            14,
        ),
        (
            "@rate(20/h) remote event E: client ()",
            "expected `s` or `min` after `/`",
            1,
            10,
        ),
        (
            "@timeout(5 s) remote function F: client ()",
            "expected `,` or `)` after `5`",
            1,
            12,
        ),
        (
            "@rate(20/s) type A = u8",
            "expected an attribute, `remote` or `bindable` after `)`",
            1,
            13,
        ),
        ("@allow(", "expected an argument or `)` after `(`", 1, 8),
        ("type A = u8 }", "expected a declaration after `u8`", 1, 13),
        ("} ", "expected `import` or a declaration", 1, 1),
        (
            "type A = u8\n\n  €",
            "expected a declaration after `u8`",
            3,
            3,
        ),
    ];
    for &(src, message, line, column) in cases {
        assert_eq!(
            error_at(src),
            (message.to_string(), line, column),
            "for {src:?}"
        );
    }
}

#[test]
fn errors_never_name_grammar_rules() {
    let sources = [
        "type A = ",
        "remote event E: client -> server (x: u8",
        "type A = {u8",
        "@rate(",
        "type A = u8(x)",
        "enum E { A B }",
        "type A = (A, B)",
        "remote function F: client -> server () -> (A, B)?",
    ];
    let rule_names = [
        "type_expr",
        "params_close",
        "table_close",
        "attr_arg",
        "refinement_body",
        "EOI",
        "paren_close",
        "ident",
        "kw_",
        "entry_sep",
        "func_arrow",
    ];
    for src in sources {
        let d = err(src);
        let text = format!("{} {} {:?} {:?}", d.message, d.label, d.help, d.labels);
        for rule in rule_names {
            assert!(!text.contains(rule), "{src:?}: {text}");
        }
        assert!(!d.label.is_empty(), "{src:?} has no label");
    }
}

#[test]
fn error_spans_labels_and_help() {
    // The primary span is the offending token.
    let src = "type A = {a: u8 b: u8}";
    let d = err(src);
    assert_eq!(slice(src, d.span), "b");
    assert_eq!(d.label, "unexpected `b`");
    assert_eq!(d.help.as_deref(), Some("put `,` between entries"));

    // At the end of the file, a zero-width span just after the last token.
    let src = "type A =\n\n";
    let d = err(src);
    assert_eq!((d.span.start, d.span.end), (8, 8));
    assert_eq!(d.label, "expected a type");

    // An unclosed list points back at its opening bracket.
    let src = "remote event E: client -> server (x: u8\n";
    let d = err(src);
    assert_eq!(d.labels.len(), 1);
    assert_eq!(slice(src, d.labels[0].span), "(");
    assert_eq!(d.labels[0].message, "unclosed `(`");

    // A keyword where a name goes: a field or parameter may be one, a
    // declaration may not.
    let src = "type type = string";
    let d = err(src);
    assert_eq!(slice(src, d.span), "type");
    assert_eq!(d.label, "`type` is a keyword");
    assert!(d.help.unwrap().contains("cannot be used as a name"));

    // An attribute before something that cannot carry one.
    let d = err("@unreliable type A = u8");
    assert!(d.help.unwrap().contains("before `remote` and `bindable`"));

    // A duration written with a space.
    let d = err("@timeout(5 s) remote function F: server ()");
    assert_eq!(
        d.help.as_deref(),
        Some("write a duration without a space, such as `5s`")
    );

    // A route that is not one.
    let d = err("remote event E: both ()");
    assert!(d.help.unwrap().contains("client -> server"));
}

#[test]
fn imports_after_declarations_are_an_error() {
    let src = "import \"a.tether\"\ntype A = u8\nimport \"b.tether\"\n";
    let d = err(src);
    assert_eq!(d.message, "imports must come first, before any declaration");
    assert_eq!(slice(src, d.span), "import");
    assert_eq!(
        SourceFile::new("t", None, src).line_col(d.span.start as usize),
        (3, 1)
    );
    assert!(d.help.is_some());
    // Also inside a namespace.
    let (message, line, col) = error_at("namespace N {\n  import \"x\"\n}");
    assert_eq!(
        (message.as_str(), line, col),
        ("imports must come first, before any declaration", 2, 3)
    );
}

#[test]
fn lexical_errors() {
    let src = "import \"a\"\nimport \"b\ntype A = u8";
    let d = err(src);
    assert_eq!(d.message, "unterminated string");
    assert_eq!(slice(src, d.span), "\"b");
    assert_eq!(error_at(src), ("unterminated string".to_string(), 2, 8));

    let src = "type A = u8 --[[ never\nclosed";
    let d = err(src);
    assert_eq!(d.message, "unterminated block comment");
    assert_eq!(slice(src, d.span), "--[[");
    assert_eq!(error_at(src).1..=error_at(src).2, 1..=13);

    let src = "@deprecated(\"a\\qb\") remote event E: server ()";
    let d = err(src);
    assert_eq!(d.message, "unknown escape `\\q` in a string");
    assert_eq!(slice(src, d.span), "\\q");

    // An earlier syntax error wins over a later lexical one.
    let (message, line, _) = error_at("type A = \ntype B = \"open");
    assert_eq!((message.as_str(), line), ("expected a type after `=`", 2));
    let (message, ..) = error_at("type A = u8 u8 --[[");
    assert_eq!(message, "expected a declaration after `u8`");
}

#[test]
fn named_return_values_are_an_error() {
    let src = "remote function F: client -> server () -> (ok: boolean, u8)";
    let (message, line, col) = error_at(src);
    assert_eq!(
        (message.as_str(), line, col),
        ("expected `->` after `)`", 1, 60)
    );
    let src = "remote function F: client -> server () -> (boolean, why: string)";
    let d = err(src);
    assert_eq!(d.message, "return values cannot be named");
    assert_eq!(slice(src, d.span), "why");
}

// ---- nesting ----------------------------------------------------------------

#[test]
fn deep_nesting_is_a_diagnostic_not_a_stack_overflow() {
    for (open, close) in [
        ("{", "}"),
        ("(", ")"),
        ("{[", "]: u8}"),
        ("setmetatable<", ", M>"),
    ] {
        let src = format!("type A = {}u8{}", open.repeat(10_000), close.repeat(10_000));
        let d = on_small_stack(move || parse(FILE, &src).map(|_| ()).unwrap_err());
        assert_eq!(
            d.message,
            format!("nesting deeper than {MAX_NESTING} levels"),
            "{open}"
        );
        assert_eq!(d.rule.name, "syntax");
        assert_eq!(d.span.end - d.span.start, 1, "one bracket");
    }
    // Unclosed, too.
    let src = format!("type A = {}", "{".repeat(10_000));
    let d = on_small_stack(move || parse(FILE, &src).map(|_| ()).unwrap_err());
    assert_eq!(d.message, "nesting deeper than 64 levels");
    // The span is the bracket where the limit was passed.
    assert_eq!(d.span.start as usize, "type A = ".len() + MAX_NESTING);
}

#[test]
fn nesting_without_brackets_is_bounded_too() {
    let long_chains = [
        format!("type A = u8{}", "?".repeat(10_000)),
        format!("type A = {}u8", "() -> ".repeat(10_000)),
        format!("type A = u8{}", "(1)".repeat(10_000)),
        format!("type A = Part{}", " in Workspace".repeat(10_000)),
        format!(
            "remote event E: client -> server (x: {}u8{})",
            "{ (a: u8) -> ".repeat(5_000),
            " }".repeat(5_000)
        ),
    ];
    for src in long_chains {
        let head: String = src.chars().take(40).collect();
        let d = on_small_stack(move || parse(FILE, &src).map(|_| ()).unwrap_err());
        assert_eq!(d.message, "nesting deeper than 64 levels", "{head}");
    }
}

#[test]
fn nesting_up_to_the_limit_parses_on_a_small_stack() {
    let n = MAX_NESTING;
    let sources = [
        format!("type A = {}u8{}", "{".repeat(n), "}".repeat(n)),
        format!("type A = {}u8{}", "(".repeat(n), ")".repeat(n)),
        format!(
            "type A = {}u8{}",
            "{[".repeat(n / 2),
            "]: u8}".repeat(n / 2)
        ),
        format!(
            "type A = {}u8{}",
            "(x: {".repeat(n / 2),
            "}) -> ()".repeat(n / 2)
        ),
        format!(
            "namespace A {{ {}type T = u8{} }}",
            "namespace B { ".repeat(n - 1),
            " }".repeat(n - 1)
        ),
    ];
    for src in sources {
        on_small_stack(move || {
            ok(&src);
        });
    }
    // Brackets inside strings and comments do not count.
    let src = format!(
        "-- {}\n--[[ {} ]]\n@deprecated(\"{}\") remote event E: server ()",
        "{".repeat(10_000),
        "(".repeat(10_000),
        "[".repeat(10_000)
    );
    on_small_stack(move || {
        ok(&src);
    });
}

// ---- robustness ---------------------------------------------------------------

#[test]
fn truncations_of_a_valid_schema_never_panic() {
    let src = "import \"x\"\n@rate(20/s) @timeout(5s) @deprecated(\"a\\\"b\") @allow(mixed-table)\nremote function F: client -> server (a: u8(1..2)?, b: { [string]: Part in client }, c: setmetatable<{ x: u8 }, M>, d: (x: u8) -> (), e: any) -> (u8, f64(nonfinite))\nenum E { A, B { x: u8 } } --[[ c ]] namespace N { type T = Enum.Material? }";
    for end in (0..=src.len()).filter(|&i| src.is_char_boundary(i)) {
        let _ = parse(FILE, &src[..end]);
        let _ = parse(FILE, &src[end..]);
    }
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
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
        "setmetatable",
        "nonfinite",
        "A",
        "u8",
        "x",
        "5",
        "-1.5",
        "20",
        "s",
        "ms",
        "min",
        "\"s\"",
        "\"",
        "\\",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        "<",
        ">",
        ",",
        ";",
        ":",
        "=",
        "?",
        ".",
        "..",
        "->",
        "<->",
        "@",
        "/",
        "-",
        "--",
        "--[[",
        "]]",
        "\n",
        " ",
        "€",
        "\t",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn token_soup_never_panics(pieces in proptest::collection::vec(0..PIECES.len(), 0..60)) {
            let src: String = pieces.iter().map(|&i| PIECES[i]).collect::<Vec<_>>().join(" ");
            if let Err(d) = parse(FILE, &src) {
                prop_assert!(d.span.end as usize <= src.len());
                prop_assert!(src.is_char_boundary(d.span.start as usize));
                prop_assert!(src.is_char_boundary(d.span.end as usize));
                prop_assert!(!d.message.is_empty());
            }
        }

        #[test]
        fn any_text_never_panics(src in "\\PC{0,80}") {
            let _ = parse(FILE, &src);
        }
    }
}

// ---- every span is tight ------------------------------------------------------

/// Collects the span of every node in a file.
fn all_spans(file: &File) -> Vec<Span> {
    fn ident(out: &mut Vec<Span>, i: &Ident) {
        out.push(i.span);
    }
    fn number(out: &mut Vec<Span>, n: &NumberLit) {
        out.push(n.span);
    }
    fn field(out: &mut Vec<Span>, f: &Field) {
        out.push(f.span);
        ident(out, &f.name);
        ty(out, &f.ty);
    }
    fn returns(out: &mut Vec<Span>, r: &Returns) {
        out.push(r.span);
        r.types.iter().for_each(|t| ty(out, t));
    }
    fn ty(out: &mut Vec<Span>, t: &TypeExpr) {
        out.push(t.span);
        match &t.kind {
            TypeExprKind::Path(p) => p.iter().for_each(|i| ident(out, i)),
            TypeExprKind::Refined { base, refinement } => {
                ty(out, base);
                out.push(refinement.span);
                match &refinement.kind {
                    RefinementKind::Range { min, max } => {
                        min.iter().chain(max.iter()).for_each(|n| number(out, n))
                    }
                    RefinementKind::Exact(n) => number(out, n),
                    RefinementKind::NonFinite => {}
                }
            }
            TypeExprKind::Optional(inner) => ty(out, inner),
            TypeExprKind::Table(entries) => {
                for e in entries {
                    out.push(e.span());
                    match e {
                        TableEntry::Positional(t) => ty(out, t),
                        TableEntry::Indexer { key, value, .. } => {
                            ty(out, key);
                            ty(out, value);
                        }
                        TableEntry::Field(f) => field(out, f),
                    }
                }
            }
            TypeExprKind::Located {
                ty: inner,
                location,
            } => {
                ty(out, inner);
                ident(out, location);
            }
            TypeExprKind::Function { params, returns: r } => {
                for p in params {
                    out.push(p.span);
                    p.name.iter().for_each(|n| ident(out, n));
                    ty(out, &p.ty);
                }
                returns(out, r);
            }
            TypeExprKind::Metatable { table, meta } => {
                ty(out, table);
                ty(out, meta);
            }
            // Only the macros write these; the parser never does.
            TypeExprKind::Shared { inner, .. } => ty(out, inner),
            TypeExprKind::Extern(_) => {}
            TypeExprKind::Any | TypeExprKind::True => {}
            TypeExprKind::Union(arms) => arms.iter().for_each(|arm| ty(out, arm)),
            TypeExprKind::Enum { variants, .. } => {
                for v in variants {
                    out.push(v.span);
                    ident(out, &v.name);
                    v.fields.iter().flatten().for_each(|f| field(out, f));
                }
            }
        }
    }
    fn decl(out: &mut Vec<Span>, d: &Decl) {
        out.push(d.span());
        ident(out, d.name());
        match d {
            Decl::Type(a) => ty(out, &a.ty),
            Decl::Enum(e) => {
                for v in &e.variants {
                    out.push(v.span);
                    ident(out, &v.name);
                    v.fields.iter().flatten().for_each(|f| field(out, f));
                }
            }
            Decl::Namespace(n) => n.decls.iter().for_each(|d| decl(out, d)),
            Decl::Endpoint(e) => {
                for a in &e.attrs {
                    out.push(a.span);
                    ident(out, &a.name);
                    out.extend(a.args_span);
                    for arg in &a.args {
                        out.push(arg.span);
                        match &arg.kind {
                            AttrArgKind::Number(n) | AttrArgKind::Rate { count: n, .. } => {
                                number(out, n)
                            }
                            _ => {}
                        }
                    }
                }
                out.push(e.keyword_span);
                out.push(e.route_span);
                out.push(e.params_span);
                e.params.iter().for_each(|f| field(out, f));
                e.returns.iter().for_each(|r| returns(out, r));
            }
        }
    }
    let mut out = Vec::new();
    for i in &file.imports {
        out.push(i.span);
        out.push(i.path_span);
    }
    file.decls.iter().for_each(|d| decl(&mut out, d));
    out
}

#[test]
fn every_span_is_tight() {
    let src = r#"import "a.tether" -- trailing comment
--[[ block ]] import  "b.tether"

namespace Combat -- c
{
    type Damage = f32 ( 0 .. 1000 ) -- c
    type Opt = Part in Workspace ? --[[ c ]]
    enum Hit { Miss , Landed { damage : Damage , crit : boolean } -- c
    , Other { } , }

    @unreliable -- c
    @rate ( 20 / s ) --[[ c ]]
    remote event Aim : client -> server ( direction : Vector3 , at : Part in Workspace ? , ) -- c

    remote function Swing : client -> server ( ) -> ( u8 , string ) -- c
    remote function Ret : client -> server ( ) -> ( Part ) ? -- c
    remote function Cb : client -> server ( ) -> ( x : u8 ) -> ( ) -- c
    bindable event Sig : server ( cb : ( T , y : U , ) -> R ? , m : setmetatable < { } , M , > ) -- c
    type Tab = { [ string ] : u8 ; a : b , c . d , } ( .. 8 ) ? -- c
}
"#;
    let file = ok(src);
    let spans = all_spans(&file);
    assert!(spans.len() > 100, "{}", spans.len());
    for span in spans {
        let text = slice(src, span);
        assert!(!text.is_empty(), "empty span at {span:?}");
        assert_eq!(text, text.trim(), "span {span:?} has whitespace around it");
        assert!(
            !text.ends_with("]]") && !text.ends_with("-- c") && !text.starts_with("--"),
            "span {span:?} takes in a comment: {text:?}"
        );
    }
}
