//! Behaviour of the resolver and the checker: which rule fires, where (the
//! exact text its span covers), with which secondary labels, and that no
//! other diagnostic comes with it. Contract: shared/spec/schema-language.md.

use std::path::PathBuf;
use tether_compiler::diag::{Diagnostic, Severity};
use tether_compiler::ir::{DeclKind, LenRange, Location, NumKind, NumRange, Schema, Ty, TyKind};
use tether_compiler::{compile, compile_str, Compilation, MemoryLoader};

// ---- helpers ----------------------------------------------------------------

const FILE: &str = "test.tether";

fn check(src: &str) -> Compilation {
    compile_str(FILE, src)
}

/// Every diagnostic as `(rule name, text under its primary span)`, in the
/// order the compiler reports them.
fn found(c: &Compilation) -> Vec<(&'static str, String)> {
    c.diagnostics
        .iter()
        .map(|d| (d.rule.name, c.sources.snippet(d.span).to_string()))
        .collect()
}

fn rules_fired(src: &str) -> Vec<(&'static str, String)> {
    found(&check(src))
}

/// A readable dump of the diagnostics, for assertion messages.
fn dump(c: &Compilation) -> String {
    c.diagnostics
        .iter()
        .map(|d| {
            format!(
                "  {} [{:?}] {:?} at {:?} in {}: {}; labels {:?}; help {:?}",
                d.rule.name,
                d.severity,
                c.sources.snippet(d.span),
                d.span.start,
                c.sources.get(d.span.file).name,
                d.message,
                labels(c, d),
                d.help
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asserts that `src` produces exactly `expected`, in order, and nothing else.
#[track_caller]
fn expect(src: &str, expected: &[(&str, &str)]) -> Compilation {
    let c = check(src);
    expect_in(&c, expected);
    c
}

#[track_caller]
fn expect_in(c: &Compilation, expected: &[(&str, &str)]) {
    let want: Vec<(&str, String)> = expected
        .iter()
        .map(|(rule, text)| (*rule, (*text).to_string()))
        .collect();
    assert_eq!(found(c), want, "diagnostics were:\n{}", dump(c));
}

#[track_caller]
fn clean(src: &str) -> Compilation {
    expect(src, &[])
}

/// The one diagnostic `src` produces, which must be of `rule` at `text`.
#[track_caller]
fn single(src: &str, rule: &str, text: &str) -> (Compilation, Diagnostic) {
    let c = expect(src, &[(rule, text)]);
    let d = c.diagnostics[0].clone();
    (c, d)
}

/// Secondary labels as `(text under the span, message)`.
fn labels(c: &Compilation, d: &Diagnostic) -> Vec<(String, String)> {
    d.labels
        .iter()
        .map(|l| (c.sources.snippet(l.span).to_string(), l.message.clone()))
        .collect()
}

fn label_texts(c: &Compilation, d: &Diagnostic) -> Vec<String> {
    labels(c, d).into_iter().map(|(text, _)| text).collect()
}

/// Byte offset of the `n`th (0-based) occurrence of `needle` in `src`.
fn offset(src: &str, needle: &str, n: usize) -> u32 {
    let at = src
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle:?} occurs fewer than {} times", n + 1))
        .0;
    at as u32
}

fn help(d: &Diagnostic) -> &str {
    d.help.as_deref().unwrap_or("")
}

fn multi(files: &[(&str, &str)], roots: &[&str]) -> Compilation {
    let loader = MemoryLoader::new(files.iter().copied());
    let roots: Vec<PathBuf> = roots.iter().map(PathBuf::from).collect();
    compile(&loader, &roots).expect("roots are in the loader")
}

/// `(file name, rule, text)` of every diagnostic of a multi-file compilation.
fn found_in_files(c: &Compilation) -> Vec<(String, &'static str, String)> {
    c.diagnostics
        .iter()
        .map(|d| {
            (
                c.sources.get(d.span.file).name.replace('\\', "/"),
                d.rule.name,
                c.sources.snippet(d.span).to_string(),
            )
        })
        .collect()
}

#[track_caller]
fn expect_files(c: &Compilation, expected: &[(&str, &str, &str)]) {
    let want: Vec<(String, &str, String)> = expected
        .iter()
        .map(|(f, r, t)| ((*f).to_string(), *r, (*t).to_string()))
        .collect();
    assert_eq!(found_in_files(c), want, "diagnostics were:\n{}", dump(c));
}

/// The declared type or enum with the dotted name `name`.
fn decl<'s>(schema: &'s Schema, name: &str) -> &'s tether_compiler::ir::TypeDecl {
    schema
        .decls
        .iter()
        .find(|d| d.name.to_string() == name)
        .unwrap_or_else(|| panic!("no declaration `{name}`"))
}

/// The type of `type <name> = ...`.
fn alias<'s>(schema: &'s Schema, name: &str) -> &'s Ty {
    match &decl(schema, name).kind {
        DeclKind::Alias { ty } => ty,
        other => panic!("`{name}` is not an alias: {other:?}"),
    }
}

/// The dotted name of the declaration a `Named` type points at.
fn target(schema: &Schema, ty: &Ty) -> String {
    match &ty.kind {
        TyKind::Named { decl } => schema.decl(*decl).name.to_string(),
        other => panic!("not a named type: {other:?}"),
    }
}

/// The type of field `field` of the record `ty`.
fn field<'t>(ty: &'t Ty, field: &str) -> &'t Ty {
    match &ty.kind {
        TyKind::Record { fields } => {
            &fields
                .iter()
                .find(|f| f.name == field)
                .unwrap_or_else(|| panic!("no field `{field}`"))
                .ty
        }
        other => panic!("not a record: {other:?}"),
    }
}

// ---- direction --------------------------------------------------------------

#[test]
fn function_returns_travel_opposite_to_params_server_only_instance() {
    // The server answers a client's invoke, so the return goes to the client.
    expect(
        "remote function F: client -> server () -> Part in ServerStorage?",
        &[("server-only-instance", "Part in ServerStorage")],
    );
    // The same type as a param of that function travels to the server: fine.
    clean("remote function F: client -> server (p: Part in ServerStorage?) -> ()");
}

#[test]
fn server_to_client_function_return_any_is_unchecked_client_value() {
    // The client answers the server's invoke: its return is client input.
    expect(
        "@allow(server-invokes-client)\nremote function F: server -> client () -> any",
        &[("unchecked-client-value", "any")],
    );
    // A client -> server function's return is sent by the server.
    clean("remote function F: client -> server () -> any");
}

#[test]
fn server_to_client_function_unbounded_return_is_client_input() {
    expect(
        "@allow(server-invokes-client)\nremote function F: server -> client () -> string",
        &[("unbounded-client-input", "string")],
    );
    clean("remote function F: client -> server () -> string");
    // ...while its params are client input.
    expect(
        "remote function F: client -> server (s: string) -> ()",
        &[("unbounded-client-input", "string")],
    );
}

#[test]
fn server_to_client_function_params_go_to_the_client() {
    expect(
        "@allow(server-invokes-client)\nremote function F: server -> client (p: Part in ServerStorage?, a: any, s: string) -> ()",
        &[("server-only-instance", "Part in ServerStorage")],
    );
}

#[test]
fn both_way_event_any_is_unchecked_once() {
    expect(
        "remote event E: client <-> server (a: any)",
        &[("unchecked-client-value", "any")],
    );
}

#[test]
fn both_way_event_server_only_instance() {
    expect(
        "remote event E: client <-> server (p: Part in ServerStorage?)",
        &[("server-only-instance", "Part in ServerStorage")],
    );
    // Non-optional: one finding for the place, not a may-be-nil on top.
    expect(
        "remote event E: client <-> server (p: Part in ServerStorage)",
        &[("server-only-instance", "Part in ServerStorage")],
    );
}

#[test]
fn both_way_event_client_only_instance() {
    expect(
        "remote event E: client <-> server (p: Part in client)",
        &[("client-only-instance", "Part in client")],
    );
    // One way only: client -> server fires, server -> client does not.
    expect(
        "remote event E: client -> server (p: Part in client)",
        &[("client-only-instance", "Part in client")],
    );
    clean("remote event E: server -> client (p: Part in client)");
}

#[test]
fn both_way_event_checks_each_direction() {
    // Unbounded input (client sends) and may-be-nil (server sends) together.
    expect(
        "remote event E: client <-> server (s: string, p: Part)",
        &[
            ("unbounded-client-input", "string"),
            ("instance-may-be-nil", "Part"),
        ],
    );
}

#[test]
fn bindables_are_exempt_from_boundary_rules() {
    clean(
        "bindable event B: server (a: any, f: (number) -> (), p: Part in ServerStorage, c: Part in client, s: string, l: {u8}, q: Part)\n\
         bindable function G: client (cb: () -> ()) -> (any, string, Part in ServerStorage)",
    );
}

#[test]
fn bindables_still_get_table_shape_rules() {
    expect(
        "type Car = { Speed: number }\n\
         bindable event B: server (m: {u8, Name: string}, k: {[boolean]: u8}, n: {u8?}, t: setmetatable<{ Name: string }, Car>)",
        &[
            ("mixed-table", "{u8, Name: string}"),
            ("non-string-key", "boolean"),
            ("nil-in-table", "u8?"),
            ("metatable-lost", "setmetatable<{ Name: string }, Car>"),
        ],
    );
}

#[test]
fn metatable_lost_labels_the_metatable() {
    let (c, d) = single(
        "type Car = { Speed: number }\nremote event E: server -> client (c: setmetatable<{ Name: string }, Car>)",
        "metatable-lost",
        "setmetatable<{ Name: string }, Car>",
    );
    assert_eq!(label_texts(&c, &d), ["Car"]);
}

// ---- function-value ---------------------------------------------------------

#[test]
fn function_value_in_a_nested_record() {
    expect(
        "remote event E: server -> client (a: { Inner: { Cb: (number) -> () } })",
        &[("function-value", "(number) -> ()")],
    );
}

#[test]
fn function_value_in_an_array_and_an_optional() {
    expect(
        "remote event E: server -> client (a: {(x: number) -> boolean}, b: (() -> ())?)",
        &[
            ("function-value", "(x: number) -> boolean"),
            ("function-value", "() -> ()"),
        ],
    );
}

#[test]
fn function_value_in_a_function_return_and_client_params() {
    expect(
        "remote function F: client -> server (cb: () -> ()) -> (u8, (string) -> ())",
        &[
            ("function-value", "() -> ()"),
            ("function-value", "(string) -> ()"),
        ],
    );
}

#[test]
fn function_value_through_an_alias_points_at_the_alias_and_the_use() {
    let src = "type Handler = (number) -> ()\nremote event E: server -> client (h: Handler)";
    let (c, d) = single(src, "function-value", "(number) -> ()");
    assert_eq!(label_texts(&c, &d), ["E"]);
    assert_eq!(d.labels[0].span.start, offset(src, "E:", 0));
}

#[test]
fn function_value_in_an_alias_used_twice_is_reported_once() {
    expect(
        "type Handler = { On: (number) -> () }\n\
         remote event A: server -> client (h: Handler)\n\
         remote event B: client -> server (h: Handler)",
        &[("function-value", "(number) -> ()")],
    );
}

#[test]
fn function_value_in_a_tagged_enum_variant() {
    expect(
        "enum Action { Run { Then: () -> () }, Stop }\nremote event E: server -> client (a: Action)",
        &[("function-value", "() -> ()")],
    );
}

#[test]
fn function_type_alone_is_fine() {
    clean("type Handler = (number) -> ()");
}

// ---- instance-may-be-nil ----------------------------------------------------

#[test]
fn instance_may_be_nil_on_non_optional_server_to_client() {
    let (_, d) = single(
        "remote event E: server -> client (p: Part)",
        "instance-may-be-nil",
        "Part",
    );
    assert_eq!(d.severity, Severity::Warning);
    assert!(help(&d).contains("Part?"), "{:?}", d.help);
}

#[test]
fn instance_may_be_nil_not_for_optional_player_or_client_sent() {
    clean("remote event E: server -> client (p: Part?, q: Player, m: Model in Workspace?)");
    clean("remote event E: client -> server (p: Part, m: Model in Workspace)");
}

#[test]
fn instance_may_be_nil_inside_an_array_element() {
    expect(
        "remote event E: server -> client (ps: {Part})",
        &[("instance-may-be-nil", "Part")],
    );
}

/// In an array or a dictionary's values, `Part?` would leave nil holes
/// (`nil-in-table`): the help proposes a record with an optional field,
/// and that form checks clean.
#[test]
fn instance_may_be_nil_in_a_table_slot_proposes_a_record_not_an_optional() {
    for src in [
        "remote event E: server -> client (ps: {Part})",
        "remote event E: server -> client (ps: {[string]: Part})",
        "type P = Part\nremote event E: server -> client (ps: {P})",
    ] {
        let (_, d) = single(src, "instance-may-be-nil", "Part");
        assert!(!help(&d).contains("Part?"), "{src}: {:?}", d.help);
        assert!(help(&d).contains("{ Value: T? }"), "{src}: {:?}", d.help);
    }
    clean("remote event E: server -> client (ps: {{ Value: Part? }}, qs: {[string]: { Value: Part? }})");
}

#[test]
fn instance_may_be_nil_inside_an_optional_record() {
    // The record may be nil; when it is present its field is a plain `Part`,
    // which streaming can still deliver as nil.
    expect(
        "remote event E: server -> client (r: { Target: Part }?)",
        &[("instance-may-be-nil", "Part")],
    );
}

#[test]
fn instance_may_be_nil_through_an_alias() {
    let src = "type Target = Model\nremote event E: server -> client (t: Target)";
    let (c, d) = single(src, "instance-may-be-nil", "Model");
    assert_eq!(label_texts(&c, &d), ["E"]);
}

#[test]
fn instance_may_be_nil_silenced_by_allow() {
    clean("@allow(instance-may-be-nil)\nremote event E: server -> client (p: Part)");
}

// ---- unbounded-client-input -------------------------------------------------

#[test]
fn unbounded_client_input_on_each_kind() {
    let c = expect(
        "remote event E: client -> server (s: string, b: buffer, a: {u8}, m: {[string(..8)]: u8})",
        &[
            ("unbounded-client-input", "string"),
            ("unbounded-client-input", "buffer"),
            ("unbounded-client-input", "{u8}"),
            ("unbounded-client-input", "{[string(..8)]: u8}"),
        ],
    );
    assert!(c
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Warning));
}

#[test]
fn bounded_client_input_is_fine() {
    clean(
        "remote event E: client -> server (s: string(..8), b: buffer(4), a: {u8}(..8), m: {[string(..8)]: u8}(1..4), n: number)",
    );
}

#[test]
fn unbounded_client_input_nested_and_map_key() {
    expect(
        "remote event E: client -> server (r: { Tags: {string(..8)}(..4), Note: string? }, m: {[string]: u8}(..4))",
        &[
            ("unbounded-client-input", "string"),
            ("unbounded-client-input", "string"),
        ],
    );
}

#[test]
fn allow_unbounded_client_input_only_on_its_endpoint() {
    let src = "type Name = string\n\
               @allow(unbounded-client-input)\n\
               remote event A: client -> server (n: Name)\n\
               remote event B: client -> server (n: Name)";
    let (c, d) = single(src, "unbounded-client-input", "string");
    assert_eq!(label_texts(&c, &d), ["B"]);
    assert_eq!(d.labels[0].span.start, offset(src, "B:", 0));
}

#[test]
fn allow_on_one_endpoint_when_it_comes_second() {
    let src = "type Name = string\n\
               remote event B: client -> server (n: Name)\n\
               @allow(unbounded-client-input)\n\
               remote event A: client -> server (n: Name)";
    let (c, d) = single(src, "unbounded-client-input", "string");
    assert_eq!(label_texts(&c, &d), ["B"]);
}

#[test]
fn allow_on_both_endpoints_silences_the_alias() {
    clean(
        "type Name = string\n\
         @allow(unbounded-client-input) remote event A: client -> server (n: Name)\n\
         @allow(unbounded-client-input) remote event B: client -> server (n: Name)",
    );
}

// ---- attributes ---------------------------------------------------------------

#[test]
fn allow_of_an_error_rule_is_invalid() {
    let (_, d) = single(
        "@allow(mixed-table)\nremote event E: client -> server ()",
        "invalid-attribute",
        "mixed-table",
    );
    assert!(d.message.contains("mixed-table"), "{}", d.message);
}

#[test]
fn allow_by_code_is_accepted() {
    clean("@allow(T111)\nremote event E: client -> server (s: string)");
}

#[test]
fn allow_of_a_policy_error_makes_it_a_note_at_the_attribute() {
    let (c, d) = single(
        "@allow(unchecked-client-value)\nremote event E: client -> server (a: any)",
        "unchecked-client-value",
        "any",
    );
    assert_eq!(d.severity, Severity::Note);
    assert_eq!(
        labels(&c, &d),
        [(
            "unchecked-client-value".to_string(),
            "accepted here on purpose".to_string()
        )]
    );
    assert_eq!(
        help(&d),
        "remove `@allow(unchecked-client-value)` to make this an error again"
    );
    assert!(!c.has_errors(), "{}", dump(&c));
}

#[test]
fn a_policy_error_allowed_on_one_endpoint_stays_an_error_for_another() {
    // The finding is in the alias both remotes use: reported once, where it
    // is written, at the severity of the use that does not allow it.
    for src in [
        "type Blob = any\n\
         @allow(unchecked-client-value) remote event A: client -> server (b: Blob)\n\
         remote event B: client -> server (b: Blob)",
        "type Blob = any\n\
         remote event B: client -> server (b: Blob)\n\
         @allow(unchecked-client-value) remote event A: client -> server (b: Blob)",
    ] {
        let (c, d) = single(src, "unchecked-client-value", "any");
        assert_eq!(d.severity, Severity::Error, "{}", dump(&c));
    }
}

#[test]
fn allow_of_a_limitation_is_invalid_and_it_stays_an_error() {
    let c = expect(
        "@allow(function-value)\nremote event E: client -> server (f: (number) -> ())",
        &[
            ("invalid-attribute", "function-value"),
            ("function-value", "(number) -> ()"),
        ],
    );
    assert!(c.diagnostics[0].message.contains("limitation"));
    assert_eq!(c.diagnostics[1].severity, Severity::Error);
}

#[test]
fn allow_of_an_unknown_rule_is_invalid() {
    let (_, d) = single(
        "@allow(nope)\nremote event E: client -> server ()",
        "invalid-attribute",
        "nope",
    );
    assert!(d.message.contains("nope"), "{}", d.message);
    let (_, d) = single(
        "@allow(unbounded-client-inptu)\nremote event E: client -> server ()",
        "invalid-attribute",
        "unbounded-client-inptu",
    );
    assert_eq!(help(&d), "did you mean `unbounded-client-input`?");
}

#[test]
fn allow_with_no_rule_is_invalid() {
    single(
        "@allow()\nremote event E: client -> server ()",
        "invalid-attribute",
        "()",
    );
}

#[test]
fn unknown_attribute_suggests_the_close_one() {
    let (_, d) = single(
        "@unrelaible\nremote event E: server -> client ()",
        "unknown-attribute",
        "unrelaible",
    );
    assert!(help(&d).contains("@unreliable"), "{:?}", d.help);
}

#[test]
fn unknown_attribute_far_from_all_lists_them() {
    let (_, d) = single(
        "@zzzzzzzz\nremote event E: server -> client ()",
        "unknown-attribute",
        "zzzzzzzz",
    );
    assert!(help(&d).contains("@rate"), "{:?}", d.help);
}

#[test]
fn unreliable_on_a_function_is_invalid() {
    single(
        "@unreliable\nremote function F: client -> server () -> ()",
        "invalid-attribute",
        "@unreliable",
    );
}

#[test]
fn unreliable_on_a_bindable_is_invalid() {
    single(
        "@unreliable\nbindable event B: server ()",
        "invalid-attribute",
        "@unreliable",
    );
}

#[test]
fn ordered_without_unreliable_is_invalid() {
    single(
        "@ordered\nremote event E: server -> client ()",
        "invalid-attribute",
        "@ordered",
    );
    clean("@unreliable @ordered\nremote event E: server -> client (x: u8)");
    clean("@ordered @unreliable\nremote event E: server -> client (x: u8)");
}

#[test]
fn rate_on_a_server_to_client_event_is_invalid() {
    single(
        "@rate(10/s)\nremote event E: server -> client ()",
        "invalid-attribute",
        "@rate(10/s)",
    );
    clean("@rate(10/s)\nremote event E: client -> server ()");
    clean("@rate(600/min)\nremote event E: client <-> server ()");
    clean("@rate(5/s)\nremote function F: client -> server () -> ()");
}

#[test]
fn timeout_on_an_event_is_invalid() {
    single(
        "@timeout(5s)\nremote event E: client -> server ()",
        "invalid-attribute",
        "@timeout(5s)",
    );
    clean("@timeout(250ms)\nremote function F: client -> server () -> ()");
}

#[test]
fn a_rate_may_say_its_burst() {
    let c = clean("@rate(20/s, burst 5)\nremote event E: client -> server ()");
    let rate = c.schema.endpoints[0].attrs.rate.as_ref().expect("a rate");
    assert_eq!((rate.count, rate.per_seconds, rate.burst), (20, 1, 5));
    // Without one, the burst is one period's count.
    let c = clean("@rate(600/min)\nremote event E: client -> server ()");
    assert_eq!(
        c.schema.endpoints[0].attrs.rate.as_ref().map(|r| r.burst),
        Some(600)
    );
    single(
        "@rate(20/s, burst 0)\nremote event E: client -> server ()",
        "invalid-attribute",
        "burst 0",
    );
    single(
        "@rate(5/s, 3)\nremote event E: client -> server ()",
        "invalid-attribute",
        "3",
    );
    single(
        "@rate(5/s, burst 2, burst 3)\nremote event E: client -> server ()",
        "invalid-attribute",
        "(5/s, burst 2, burst 3)",
    );
}

#[test]
fn zero_rate_is_invalid() {
    single(
        "@rate(0/s)\nremote event E: client -> server ()",
        "invalid-attribute",
        "0/s",
    );
}

#[test]
fn bad_attribute_arguments_are_invalid() {
    expect(
        "@rate(10)\n@timeout(5)\n@unreliable(1)\nremote event E: client -> server ()",
        &[
            ("invalid-attribute", "10"),
            ("invalid-attribute", "5"),
            ("invalid-attribute", "(1)"),
        ],
    );
}

#[test]
fn repeated_attribute_is_invalid_with_the_first_labelled() {
    let src = "@rate(1/s)\n@rate(2/s)\nremote event E: client -> server ()";
    let (c, d) = single(src, "invalid-attribute", "@rate(2/s)");
    assert_eq!(
        labels(&c, &d),
        [("@rate(1/s)".to_string(), "first written here".to_string())]
    );
}

#[test]
fn repeated_allow_is_fine() {
    clean(
        "@allow(unbounded-client-input)\n@allow(unbounded-client-input)\nremote event E: client -> server (s: string)",
    );
}

#[test]
fn attributes_are_recorded_in_the_ir() {
    let c = clean(
        "@rate(600/min) @timeout(2s) @deprecated(\"use G\") @allow(unbounded-client-input)\n\
         remote function F: client -> server (s: string) -> ()",
    );
    let attrs = &c.schema.endpoints[0].attrs;
    let rate = attrs.rate.as_ref().expect("rate");
    assert_eq!((rate.count, rate.per_seconds), (600, 60));
    assert_eq!(attrs.timeout.as_ref().expect("timeout").millis, 2000);
    assert_eq!(attrs.deprecated.as_ref().expect("deprecated").note, "use G");
    assert!(attrs.allows("unbounded-client-input"));
}

// ---- non-string-key -----------------------------------------------------------

#[test]
fn string_and_unit_enum_keys_are_fine() {
    clean(
        "enum Color { Red, Green }\n\
         type Key = Color\n\
         type A = {[string(..8)]: u8}\n\
         type B = {[string]: u8}\n\
         type C = {[Color]: u8}\n\
         type D = {[Key]: u8}\n\
         type S = string(1..4)\n\
         type E = {[S]: u8}",
    );
}

#[test]
fn keys_roblox_stringifies_are_errors_where_roblox_copies_the_table() {
    // A bindable's values go through Roblox's serializer.
    let c = expect(
        "enum Shape { Circle { Radius: f32 }, Empty }\n\
         enum Kind { A, B }\n\
         bindable event B: server (\
             a: {[Shape]: u8}, b: {[u8]: u8}, c: {[number(0..10)]: u8}, d: {[boolean]: u8}, \
             e: {[Enum.KeyCode]: u8}, f: {[Vector3]: u8}, g: {[Part]: u8}, \
             h: {[Player]: u8}, i: {[string]: u8}, j: {[Kind]: u8})",
        &[
            ("non-string-key", "Shape"),
            ("non-string-key", "u8"),
            ("non-string-key", "number(0..10)"),
            ("non-string-key", "boolean"),
            ("non-string-key", "Enum.KeyCode"),
            ("non-string-key", "Vector3"),
            ("non-string-key", "Part"),
            ("non-string-key", "Player"),
        ],
    );
    assert!(c.diagnostics.iter().all(Diagnostic::is_error));
    assert!(c.diagnostics[0]
        .message
        .contains("where Roblox copies the table"));
}

#[test]
fn keys_the_wire_carries_as_themselves_are_fine_in_a_remote() {
    // A remote's values travel in Tether's wire format; so do those of a
    // declaration no endpoint uses.
    let src = "enum Shape { Circle { Radius: f32 }, Empty }\n\
               enum Kind { A, B }\n\
               type A = {[Shape]: u8}\n\
               type C = {[number(0..10)]: u8}\n\
               type F = {[Vector3]: u8}\n\
               type G = {[Part]: u8}\n\
               type H = {[u8?]: u8}\n\
               type R = {[{ x: u8 }]: u8}\n\
               remote event E: server -> client (\
                   b: {[u8]: u8}(..4), d: {[boolean]: u8}(..2), e: {[Enum.KeyCode]: u8}(..4), \
                   h: {[Player]: u8}(..4), k: {[Kind]: u8}(..2), i: {[i64(-5..5)]: u8}(..4))";
    let c = expect(
        src,
        &[
            ("invalid-key", "Shape"),
            ("invalid-key", "number(0..10)"),
            ("invalid-key", "Vector3"),
            ("invalid-key", "u8?"),
            ("invalid-key", "{ x: u8 }"),
        ],
    );
    let messages: Vec<_> = c.diagnostics.iter().map(|d| d.label.as_str()).collect();
    assert!(messages[1].contains("NaN"), "{messages:?}");
    assert!(messages[3].contains("nil cannot be a key"), "{messages:?}");
}

#[test]
fn an_instance_key_a_client_may_not_see_warns_that_its_entry_is_left_out() {
    // The wire carries an instance key as itself; one the client cannot
    // see reads as nil, and its entry is dropped rather than keyed by nil.
    let c = expect(
        "remote event Owners: server -> client (byPart: {[Part]: u8}(..8), seen: {[Model]: true}(..8))
         remote event Report: client -> server (votes: {[Player]: u8}(..8))",
        &[
            ("instance-may-be-nil", "Part"),
            ("instance-may-be-nil", "Model"),
        ],
    );
    for d in &c.diagnostics {
        let help = d.help.as_deref().unwrap_or_default();
        assert!(help.contains("left out"), "{help}");
        assert!(!help.contains('?'), "a key cannot be optional: {help}");
    }
}

#[test]
fn a_type_used_by_a_remote_and_a_bindable_is_checked_for_each() {
    let src = "type Counts = {[u8]: u8}\n\
               remote event R: server -> client (c: Counts)\n\
               bindable event B: server (c: Counts)";
    let (c, d) = single(src, "non-string-key", "u8");
    assert_eq!(label_texts(&c, &d), ["B"]);
}

#[test]
fn invalid_key_through_an_alias_labels_the_definition() {
    let (c, d) = single("type K = Vector3\ntype M = {[K]: u8}", "invalid-key", "K");
    assert_eq!(label_texts(&c, &d), ["Vector3"]);
}

#[test]
fn non_string_key_in_an_endpoint_is_reported_once() {
    expect(
        "bindable event E: server (m: {[boolean]: u8}, n: {[boolean]: u8})",
        &[("non-string-key", "boolean"), ("non-string-key", "boolean")],
    );
    clean("remote event E: client <-> server (m: {[boolean]: u8}(..4))");
}

#[test]
fn number_indexer_is_an_array() {
    let c = clean("type A = {[number]: u8}");
    match &alias(&c.schema, "A").kind {
        TyKind::Array { elem, len } => {
            assert!(matches!(
                elem.kind,
                TyKind::Number {
                    kind: NumKind::U8,
                    ..
                }
            ));
            assert_eq!(*len, LenRange::UNBOUNDED);
        }
        other => panic!("not an array: {other:?}"),
    }
}

// ---- nil-in-table ---------------------------------------------------------------

#[test]
fn optional_array_element_is_nil_in_table() {
    single("type A = {u8?}", "nil-in-table", "u8?");
    single("type A = {[number]: u8?}", "nil-in-table", "u8?");
}

#[test]
fn optional_dictionary_value_is_nil_in_table() {
    single("type M = {[string]: u8?}", "nil-in-table", "u8?");
}

#[test]
fn nil_in_table_through_an_alias_labels_the_alias_type() {
    let (c, d) = single(
        "type Maybe = u8?\ntype A = {Maybe}",
        "nil-in-table",
        "Maybe",
    );
    assert_eq!(label_texts(&c, &d), ["u8?"]);
}

#[test]
fn optional_record_fields_are_fine() {
    clean(
        "type R = { Value: u8? }\ntype A = {{ Value: u8? }}\ntype M = {[string]: { Value: u8? }}",
    );
}

#[test]
fn optional_array_itself_is_fine() {
    clean("type A = {u8}?\ntype R = { Items: {u8}? }");
}

// ---- mixed-table ----------------------------------------------------------------

#[test]
fn positional_and_field_is_mixed() {
    let (c, d) = single(
        "type T = {u8, Name: string}",
        "mixed-table",
        "{u8, Name: string}",
    );
    assert_eq!(
        labels(&c, &d),
        [
            ("u8".to_string(), "this is the array part".to_string()),
            (
                "Name: string".to_string(),
                "this field makes the table a dictionary".to_string()
            ),
        ]
    );
}

#[test]
fn positional_and_string_indexer_is_mixed() {
    let (c, d) = single(
        "type T = {u8, [string]: u8}",
        "mixed-table",
        "{u8, [string]: u8}",
    );
    assert_eq!(
        labels(&c, &d),
        [
            ("u8".to_string(), "this is the array part".to_string()),
            (
                "[string]: u8".to_string(),
                "this indexer makes the table a dictionary".to_string()
            ),
        ]
    );
}

#[test]
fn two_indexers_are_mixed() {
    let (c, d) = single(
        "type T = {[string]: u8, [number]: u8}",
        "mixed-table",
        "{[string]: u8, [number]: u8}",
    );
    assert_eq!(label_texts(&c, &d), ["[string]: u8", "[number]: u8"]);
    assert_eq!(
        d.message,
        "a dictionary has one key type; this one has several"
    );
    assert_eq!(
        labels(&c, &d),
        [
            ("[string]: u8".to_string(), "keys of one type".to_string()),
            (
                "[number]: u8".to_string(),
                "keys of another type".to_string()
            ),
        ]
    );
}

/// Each way a table mixes has its own headline and help, and only the
/// mixes Roblox's serializer cuts say that it does.
#[test]
fn each_way_a_table_mixes_is_described_as_itself() {
    let cases = [
        (
            "{u8, Name: string}",
            "both an array and a dictionary",
            true,
            "{ Items: {T}, Name: string }",
        ),
        (
            "{u8, string}",
            "several array parts",
            false,
            "{ First: T, Second: U }",
        ),
        ("{[string]: u8, [Team]: u8}", "one key type", true, "ByTeam"),
        (
            "{Name: string, [string]: u8}",
            "both a record and a dictionary",
            false,
            "Scores",
        ),
    ];
    for (table, headline, dropped, example) in cases {
        let src = format!("enum Team {{ Red, Blue }}\ntype T = {table}");
        let (_, d) = single(&src, "mixed-table", table);
        assert!(d.message.contains(headline), "{table}: {}", d.message);
        assert_eq!(
            d.label.contains("Roblox drops"),
            dropped,
            "{table}: {}",
            d.label
        );
        assert!(help(&d).contains(example), "{table}: {:?}", d.help);
    }
}

#[test]
fn a_record_with_an_indexer_is_labelled_as_a_record_and_a_dictionary() {
    let (c, d) = single(
        "type T = {Name: string, [string]: u8}",
        "mixed-table",
        "{Name: string, [string]: u8}",
    );
    assert_eq!(
        labels(&c, &d),
        [
            (
                "Name: string".to_string(),
                "this field makes the table a record".to_string()
            ),
            (
                "[string]: u8".to_string(),
                "this indexer makes the table a dictionary".to_string()
            ),
        ]
    );
}

#[test]
fn two_positional_parts_are_mixed() {
    let (c, d) = single("type T = {u8, string}", "mixed-table", "{u8, string}");
    assert_eq!(
        labels(&c, &d),
        [
            ("u8".to_string(), "this is the array part".to_string()),
            ("string".to_string(), "a second array part".to_string()),
        ]
    );
}

#[test]
fn mixed_table_in_an_endpoint_is_reported_once() {
    expect(
        "remote event E: client <-> server (t: {u8, Name: string(..4)})",
        &[("mixed-table", "{u8, Name: string(..4)}")],
    );
}

#[test]
fn mixed_table_duplicate_fields_are_reported() {
    expect(
        "type T = {u8, Name: string, Name: u8}",
        &[
            ("mixed-table", "{u8, Name: string, Name: u8}"),
            ("duplicate-name", "Name"),
        ],
    );
}

// ---- unbounded-recursion --------------------------------------------------------

#[test]
fn direct_recursion_is_reported_once() {
    let src = "type Node = { Next: Node }";
    let (c, d) = single(src, "unbounded-recursion", "Node");
    assert_eq!(d.span.start, offset(src, "Node", 0));
    assert_eq!(label_texts(&c, &d), ["Node"]);
    assert_eq!(d.labels[0].span.start, offset(src, "Node", 1));
}

#[test]
fn recursion_through_optional_array_map_or_base_case_is_fine() {
    clean(
        "type A = { Next: A? }\n\
         type B = { Children: {B} }\n\
         type C = { Children: {[string]: C} }\n\
         type D = { Children: {D}(..4) }\n\
         enum Tree { Leaf, Branch { Left: Tree, Right: Tree } }\n\
         enum List { Nil, Cons { Head: u8, Tail: List } }",
    );
}

#[test]
fn tagged_enum_without_a_base_case_recurses() {
    single(
        "enum Loop { More { Next: Loop } }",
        "unbounded-recursion",
        "Loop",
    );
}

#[test]
fn mutual_recursion_is_reported_once() {
    let src = "type A = { B: B }\ntype B = { A: A }";
    let (c, d) = single(src, "unbounded-recursion", "A");
    assert_eq!(d.span.start, offset(src, "A", 0));
    let mut starts: Vec<u32> = d.labels.iter().map(|l| l.span.start).collect();
    starts.sort_unstable();
    assert_eq!(starts, [offset(src, "B }", 0), offset(src, "A }", 0)]);
    assert_eq!(label_texts(&c, &d).len(), 2);
}

#[test]
fn three_way_recursion_is_reported_once() {
    expect(
        "type A = { B: B }\ntype B = { C: C }\ntype C = { A: A }",
        &[("unbounded-recursion", "A")],
    );
}

#[test]
fn alias_cycle_is_reported_once() {
    expect("type A = B\ntype B = A", &[("unbounded-recursion", "A")]);
    expect("type A = A", &[("unbounded-recursion", "A")]);
}

#[test]
fn a_type_containing_a_bad_recursive_type_is_not_reported_itself() {
    let src = "type Node = { Next: Node }\ntype Holder = { N: Node }\nremote event E: server -> client (h: Holder)";
    let (_, d) = single(src, "unbounded-recursion", "Node");
    assert_eq!(d.span.start, offset(src, "Node", 0));
}

#[test]
fn non_empty_array_does_not_break_recursion() {
    single(
        "type Node = { Children: {Node}(1..) }",
        "unbounded-recursion",
        "Node",
    );
    single(
        "type Node = { Children: {[string]: Node}(1..) }",
        "unbounded-recursion",
        "Node",
    );
}

#[test]
fn recursive_types_in_endpoints_do_not_hang_the_checks() {
    // Only the unreliable event whose payload has no largest size warns.
    expect(
        "type Node = { Value: u8, Next: Node? }\n\
         enum Tree { Leaf, Branch { Kids: {Tree}(..4) } }\n\
         @unreliable remote event A: server -> client (n: Node?)\n\
         remote event B: client -> server (t: Tree)\n\
         @allow(unreliable-too-large) @unreliable remote event C: server -> client (t: Tree)",
        &[("unreliable-too-large", "A")],
    );
}

// ---- unreliable-too-large ---------------------------------------------------------

#[test]
fn unreliable_smallest_payload_over_the_limit_is_an_error() {
    let src = "@unreliable\nremote event E: server -> client (a: {u8}(1001..))";
    let (c, d) = single(src, "unreliable-too-large", "E");
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(label_texts(&c, &d), ["@unreliable"]);
}

#[test]
fn unreliable_unbounded_payload_is_a_warning() {
    let (c, d) = single(
        "@unreliable\nremote event E: server -> client (s: string)",
        "unreliable-too-large",
        "E",
    );
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(label_texts(&c, &d), ["@unreliable"]);
}

#[test]
fn unreliable_bounded_payload_under_the_limit_is_fine() {
    clean("@unreliable\nremote event E: server -> client (s: string(..900))");
    clean("@unreliable\nremote event E: client -> server (s: string(..900), v: Vector3)");
    clean("@unreliable @ordered\nremote event E: server -> client (a: {u8}(..900))");
}

#[test]
fn unreliable_bounded_payload_over_the_limit_is_a_warning() {
    let (_, d) = single(
        "@unreliable\nremote event E: server -> client (a: string(..2000))",
        "unreliable-too-large",
        "E",
    );
    assert_eq!(d.severity, Severity::Warning);
}

#[test]
fn allow_unreliable_too_large_silences_only_the_warning() {
    clean("@allow(unreliable-too-large) @unreliable\nremote event E: server -> client (s: string)");
    let (_, d) = single(
        "@allow(unreliable-too-large) @unreliable\nremote event E: server -> client (a: {u8}(1001..))",
        "unreliable-too-large",
        "E",
    );
    assert_eq!(d.severity, Severity::Error);
}

// ---- server-invokes-client --------------------------------------------------------

#[test]
fn server_invokes_client_warns() {
    let (_, d) = single(
        "remote function Ask: server -> client () -> ()",
        "server-invokes-client",
        "Ask",
    );
    assert_eq!(d.severity, Severity::Warning);
    clean("@allow(server-invokes-client)\nremote function Ask: server -> client () -> ()");
    clean("remote function Ask: client -> server () -> ()");
    clean("bindable function Ask: client () -> ()");
}

// ---- names ------------------------------------------------------------------------

#[test]
fn namespaces_resolve_inner_first_then_outward() {
    let c = clean(
        "type T = boolean\n\
         type Top = u8\n\
         namespace Outer {\n\
           type T = u8\n\
           namespace Inner {\n\
             type T = string\n\
             type U = { X: T, Y: Top }\n\
           }\n\
           type V = { X: T }\n\
         }\n\
         type W = { X: T }",
    );
    let s = &c.schema;
    let u = alias(s, "Outer.Inner.U");
    assert_eq!(target(s, field(u, "X")), "Outer.Inner.T");
    assert_eq!(target(s, field(u, "Y")), "Top");
    assert_eq!(target(s, field(alias(s, "Outer.V"), "X")), "Outer.T");
    assert_eq!(target(s, field(alias(s, "W"), "X")), "T");
}

#[test]
fn qualified_names_from_outside_and_from_a_sibling() {
    let c = clean(
        "namespace Ns { type T = u8  namespace Deep { type D = string } }\n\
         namespace Other { type Uses = { A: Ns.T, B: Ns.Deep.D } }\n\
         type U = Ns.T",
    );
    let s = &c.schema;
    assert_eq!(target(s, alias(s, "U")), "Ns.T");
    let uses = alias(s, "Other.Uses");
    assert_eq!(target(s, field(uses, "A")), "Ns.T");
    assert_eq!(target(s, field(uses, "B")), "Ns.Deep.D");
}

#[test]
fn inner_names_are_not_visible_unqualified_from_outside() {
    expect(
        "namespace Ns { type T = u8 }\ntype U = T",
        &[("unknown-type", "T")],
    );
}

#[test]
fn reopening_a_namespace_merges() {
    let c = clean("namespace Ns { type A = u8 }\nnamespace Ns { type B = A }\ntype C = Ns.A");
    assert_eq!(target(&c.schema, alias(&c.schema, "Ns.B")), "Ns.A");
}

#[test]
fn reopened_namespace_members_share_one_scope() {
    let src = "namespace Ns { type A = u8 }\nnamespace Ns { type A = string }";
    let (c, d) = single(src, "duplicate-name", "A");
    assert_eq!(d.span.start, offset(src, "A", 1));
    assert_eq!(
        labels(&c, &d),
        [("A".to_string(), "first declared here".to_string())]
    );
    assert_eq!(d.labels[0].span.start, offset(src, "A", 0));
}

#[test]
fn duplicate_types_in_one_scope() {
    let src = "type A = u8\ntype A = string";
    let (c, d) = single(src, "duplicate-name", "A");
    assert_eq!(d.span.start, offset(src, "A", 1));
    assert_eq!(
        labels(&c, &d),
        [("A".to_string(), "first declared here".to_string())]
    );
    assert_eq!(d.labels[0].span.start, offset(src, "A", 0));
}

#[test]
fn a_type_and_an_endpoint_share_names() {
    expect(
        "type A = u8\nremote event A: client -> server ()",
        &[("duplicate-name", "A")],
    );
    expect("enum A { X }\nnamespace A { }", &[("duplicate-name", "A")]);
}

#[test]
fn same_name_in_different_namespaces_is_fine() {
    clean("type A = u8\nnamespace N { type A = string }\nnamespace M { type A = boolean }");
}

#[test]
fn duplicate_fields_params_and_variants() {
    let src = "type R = { X: u8, X: string }\n\
               remote event E: client -> server (a: u8, a: u8)\n\
               enum V { One, One }\n\
               enum W { P { Q: u8, Q: u8 } }";
    let c = expect(
        src,
        &[
            ("duplicate-name", "X"),
            ("duplicate-name", "a"),
            ("duplicate-name", "One"),
            ("duplicate-name", "Q"),
        ],
    );
    let expected_first = [
        offset(src, "X", 0),
        offset(src, "a:", 0),
        offset(src, "One", 0),
        offset(src, "Q", 0),
    ];
    for (d, first) in c.diagnostics.iter().zip(expected_first) {
        assert_eq!(d.labels.len(), 1, "{}", dump(&c));
        assert_eq!(d.labels[0].message, "first declared here");
        assert_eq!(d.labels[0].span.start, first, "{}", dump(&c));
    }
}

#[test]
fn unknown_type_suggests_a_builtin_datatype() {
    let (_, d) = single("type A = Vectr3", "unknown-type", "Vectr3");
    assert_eq!(help(&d), "did you mean `Vector3`?");
}

#[test]
fn unknown_type_suggests_a_declared_type() {
    let (_, d) = single(
        "type PlayerData = { Level: u8 }\ntype A = PlayerDta",
        "unknown-type",
        "PlayerDta",
    );
    assert_eq!(help(&d), "did you mean `PlayerData`?");
}

#[test]
fn unknown_type_suggests_a_namespaced_type_as_written_from_here() {
    let (_, d) = single(
        "namespace Ns { type Inventory = u8 }\ntype A = Ns.Inventroy",
        "unknown-type",
        "Ns.Inventroy",
    );
    assert_eq!(help(&d), "did you mean `Ns.Inventory`?");
}

#[test]
fn unknown_type_suggests_a_class() {
    let (_, d) = single("type A = Prat", "unknown-type", "Prat");
    assert_eq!(help(&d), "did you mean `Part`?");
}

#[test]
fn unknown_type_far_from_everything_says_how_to_declare() {
    let (_, d) = single("type A = Qwxzzkj", "unknown-type", "Qwxzzkj");
    assert!(!help(&d).contains("did you mean"), "{:?}", d.help);
}

#[test]
fn unknown_roblox_enum_suggests() {
    let (_, d) = single("type A = Enum.Matrial", "unknown-enum", "Enum.Matrial");
    assert_eq!(help(&d), "did you mean `Enum.Material`?");
}

#[test]
fn unknown_service_suggests() {
    let (_, d) = single("type A = Part in Workspce", "unknown-service", "Workspce");
    assert_eq!(help(&d), "did you mean `Workspace`?");
}

#[test]
fn location_on_a_non_class_is_unknown_class() {
    single("type A = string in Workspace", "unknown-class", "string");
    single(
        "type R = { X: u8 }\ntype A = R in Workspace",
        "unknown-class",
        "R",
    );
}

#[test]
fn location_on_an_unknown_name_is_one_unknown_class() {
    // Before `in` only a class makes sense, so a misspelt name is a class.
    let (_, d) = single("type A = Prat in Workspace", "unknown-class", "Prat");
    assert_eq!(help(&d), "did you mean `Part`?");
}

#[test]
fn a_namespace_or_endpoint_used_as_a_type_is_unknown_type() {
    let src = "namespace Ns { type T = u8 }\ntype U = Ns";
    let (c, d) = single(src, "unknown-type", "Ns");
    assert_eq!(d.span.start, offset(src, "Ns", 1));
    assert_eq!(label_texts(&c, &d), ["Ns"]);
    assert_eq!(d.labels[0].span.start, offset(src, "Ns", 0));
    single(
        "remote event Hit: client -> server ()\ntype U = { H: Hit }",
        "unknown-type",
        "Hit",
    );
}

#[test]
fn unknown_type_in_three_places_gives_three_diagnostics() {
    expect(
        "type A = Missing\n\
         type B = { X: {Missing}(..4) }\n\
         remote event E: client -> server (m: Missing)",
        &[
            ("unknown-type", "Missing"),
            ("unknown-type", "Missing"),
            ("unknown-type", "Missing"),
        ],
    );
}

#[test]
fn unresolved_types_do_not_cascade_into_checks() {
    // `Missing` would otherwise be a key, a refined base, a located class
    // sent from the server...
    expect(
        "type A = {[Missing]: u8}\n\
         type C = Missing(..8)\n\
         type D = Missing in ServerStorage\n\
         remote event E: server -> client (d: D, m: {Missing})",
        &[
            ("unknown-type", "Missing"),
            ("unknown-type", "Missing"),
            ("unknown-class", "Missing"),
            ("unknown-type", "Missing"),
        ],
    );
}

#[test]
fn an_optional_element_is_a_nil_hole_whatever_its_type() {
    // Not a cascade: `{X?}` leaves holes whatever `X` turns out to be.
    expect(
        "type B = {Missing?}",
        &[("unknown-type", "Missing"), ("nil-in-table", "Missing?")],
    );
}

#[test]
fn roblox_names_resolve() {
    let c = clean(
        "type A = { M: Enum.Material, P: Part in Workspace?, C: CFrame, I: Instance?, T: Tool in ReplicatedStorage? }",
    );
    let a = alias(&c.schema, "A");
    assert!(matches!(&field(a, "M").kind, TyKind::RobloxEnum { name } if name == "Material"));
    match &field(a, "P").kind {
        TyKind::Optional { inner } => assert_eq!(
            inner.kind,
            TyKind::Instance {
                class: "Part".into(),
                location: Some(Location::Service("Workspace".into()))
            }
        ),
        other => panic!("not optional: {other:?}"),
    }
}

#[test]
fn a_declared_type_shadows_a_class() {
    let c = clean("type Part = { Size: Vector3 }\ntype A = Part");
    assert_eq!(target(&c.schema, alias(&c.schema, "A")), "Part");
}

// ---- refinements ----------------------------------------------------------------

#[test]
fn reversed_range_is_invalid() {
    let (_, d) = single("type A = u8(100..1)", "invalid-range", "100..1");
    assert!(help(&d).contains("1..100"), "{:?}", d.help);
}

#[test]
fn bounds_outside_the_type_are_invalid() {
    single("type A = u8(0..300)", "invalid-range", "300");
    single("type A = i8(-129..)", "invalid-range", "-129");
    single("type A = u8(-1..)", "invalid-range", "-1");
    clean("type A = i8(-128..127)\ntype B = u64(..18446744073709551615)");
}

#[test]
fn decimal_bound_on_an_integer_is_invalid() {
    single("type A = u16(0.5..10)", "invalid-range", "0.5");
}

#[test]
fn lengths_must_be_whole_and_non_negative() {
    single("type A = string(-1..5)", "invalid-range", "-1");
    single("type A = string(1.5)", "invalid-range", "1.5");
    single("type A = buffer(10..2)", "invalid-range", "10..2");
}

#[test]
fn nonfinite_applies_to_floats_only() {
    let c = clean("type A = number(nonfinite)\ntype B = f32(nonfinite)");
    assert_eq!(
        alias(&c.schema, "A").kind,
        TyKind::Number {
            kind: NumKind::Number,
            range: None,
            nonfinite: true
        }
    );
    single("type A = u8(nonfinite)", "invalid-range", "(nonfinite)");
    single("type A = string(nonfinite)", "invalid-range", "(nonfinite)");
}

#[test]
fn refining_an_alias_or_a_non_refinable_type_is_invalid() {
    single(
        "type Name = string\ntype A = Name(..8)",
        "invalid-range",
        "(..8)",
    );
    single("type A = boolean(..8)", "invalid-range", "(..8)");
    single("type A = Vector3(1..2)", "invalid-range", "(1..2)");
}

#[test]
fn refining_twice_is_invalid() {
    single("type A = string(..8)(..4)", "invalid-range", "(..4)");
    single("type A = u8(1..5)(2..3)", "invalid-range", "(2..3)");
}

#[test]
fn invalid_range_does_not_cascade() {
    // The bad refinement leaves no type behind to be "unbounded".
    expect(
        "remote event E: client -> server (s: string(5..1), a: {u8}(-1..))",
        &[("invalid-range", "5..1"), ("invalid-range", "-1")],
    );
}

#[test]
fn ranges_are_recorded_in_the_ir() {
    let c = clean(
        "type A = u8(1..100)\n\
         type B = f32(..10)\n\
         type C = i16(-5..)\n\
         type D = string(8)\n\
         type E = {u8}(..8)\n\
         type F = {[string]: u8}(1..8)\n\
         type G = buffer(..1024)\n\
         type H = number(0..0.5)",
    );
    let s = &c.schema;
    let num = |name: &str| match &alias(s, name).kind {
        TyKind::Number { kind, range, .. } => (*kind, *range),
        other => panic!("{name} is not a number: {other:?}"),
    };
    assert_eq!(
        num("A"),
        (
            NumKind::U8,
            Some(NumRange::Int {
                min: Some(1),
                max: Some(100)
            })
        )
    );
    assert_eq!(
        num("B"),
        (
            NumKind::F32,
            Some(NumRange::Float {
                min: None,
                max: Some(10.0)
            })
        )
    );
    assert_eq!(
        num("C"),
        (
            NumKind::I16,
            Some(NumRange::Int {
                min: Some(-5),
                max: None
            })
        )
    );
    assert_eq!(
        num("H"),
        (
            NumKind::Number,
            Some(NumRange::Float {
                min: Some(0.0),
                max: Some(0.5)
            })
        )
    );
    assert_eq!(
        alias(s, "D").kind,
        TyKind::String {
            len: LenRange {
                min: 8,
                max: Some(8)
            }
        }
    );
    assert!(matches!(
        alias(s, "E").kind,
        TyKind::Array {
            len: LenRange {
                min: 0,
                max: Some(8)
            },
            ..
        }
    ));
    assert!(matches!(
        alias(s, "F").kind,
        TyKind::Map {
            len: LenRange {
                min: 1,
                max: Some(8)
            },
            ..
        }
    ));
    assert_eq!(
        alias(s, "G").kind,
        TyKind::Buffer {
            len: LenRange {
                min: 0,
                max: Some(1024)
            }
        }
    );
}

#[test]
fn optional_binds_to_the_whole_refined_or_located_type() {
    let c = clean("type A = {u8}(..8)?\ntype B = Part in Workspace?");
    let s = &c.schema;
    match &alias(s, "A").kind {
        TyKind::Optional { inner } => assert!(matches!(
            inner.kind,
            TyKind::Array {
                len: LenRange {
                    min: 0,
                    max: Some(8)
                },
                ..
            }
        )),
        other => panic!("not optional: {other:?}"),
    }
    assert!(matches!(alias(s, "B").kind, TyKind::Optional { .. }));
}

// ---- double-optional and invalid-declaration ----------------------------------------

#[test]
fn double_optional_is_reported_once() {
    single("type A = string??", "double-optional", "string??");
    single(
        "remote event E: server -> client (s: string??)",
        "double-optional",
        "string??",
    );
}

#[test]
fn remote_with_a_side_is_invalid() {
    single(
        "remote event E: server (a: any)",
        "invalid-declaration",
        "server",
    );
}

#[test]
fn bindable_with_a_direction_is_invalid() {
    single(
        "bindable event B: client -> server ()",
        "invalid-declaration",
        "client -> server",
    );
}

#[test]
fn bidirectional_function_is_invalid() {
    single(
        "remote function F: client <-> server () -> ()",
        "invalid-declaration",
        "client <-> server",
    );
}

#[test]
fn event_with_returns_is_invalid() {
    single(
        "remote event E: client -> server () -> u8",
        "invalid-declaration",
        "u8",
    );
}

#[test]
fn function_without_returns_is_invalid() {
    single(
        "remote function F: client -> server (a: u8)",
        "invalid-declaration",
        "(a: u8)",
    );
}

#[test]
fn empty_enum_is_invalid() {
    single("enum E {}", "invalid-declaration", "E");
}

// ---- imports ------------------------------------------------------------------------

#[test]
fn names_are_visible_through_transitive_imports() {
    let c = multi(
        &[
            ("a.tether", "import \"b.tether\"\ntype A = { B: B, C: C }"),
            ("b.tether", "import \"c.tether\"\ntype B = C"),
            ("c.tether", "type C = u8"),
        ],
        &["a.tether"],
    );
    expect_files(&c, &[]);
    assert_eq!(c.sources.len(), 3);
}

#[test]
fn imports_resolve_relative_to_the_importing_file() {
    let c = multi(
        &[
            ("a.tether", "import \"dir/b.tether\"\ntype A = C"),
            ("dir/b.tether", "import \"../c.tether\"\ntype B = u8"),
            ("c.tether", "type C = u8"),
        ],
        &["a.tether"],
    );
    expect_files(&c, &[]);
}

#[test]
fn a_file_does_not_see_the_file_that_imports_it() {
    let c = multi(
        &[
            ("a.tether", "import \"b.tether\"\ntype A = u8"),
            ("b.tether", "type B = A"),
        ],
        &["a.tether"],
    );
    expect_files(&c, &[("b.tether", "unknown-type", "A")]);
}

#[test]
fn missing_import_is_reported_at_the_path() {
    let c = multi(
        &[("a.tether", "import \"missing.tether\"\ntype A = u8")],
        &["a.tether"],
    );
    expect_files(
        &c,
        &[("a.tether", "import-not-found", "\"missing.tether\"")],
    );
}

#[test]
fn import_cycle_is_reported_once() {
    let c = multi(
        &[
            ("a.tether", "import \"b.tether\"\ntype A = B"),
            ("b.tether", "import \"a.tether\"\ntype B = u8"),
        ],
        &["a.tether"],
    );
    expect_files(&c, &[("b.tether", "import-cycle", "\"a.tether\"")]);
}

#[test]
fn self_import_is_a_cycle() {
    let c = multi(
        &[("a.tether", "import \"a.tether\"\ntype A = u8")],
        &["a.tether"],
    );
    expect_files(&c, &[("a.tether", "import-cycle", "\"a.tether\"")]);
}

#[test]
fn same_name_in_files_that_never_see_each_other_is_not_a_duplicate() {
    let c = multi(
        &[
            ("a.tether", "type Foo = u8"),
            ("b.tether", "type Foo = string"),
        ],
        &["a.tether", "b.tether"],
    );
    expect_files(&c, &[]);
}

#[test]
fn same_name_in_an_import_is_a_duplicate() {
    let c = multi(
        &[
            ("a.tether", "import \"b.tether\"\ntype Foo = u8"),
            ("b.tether", "type Foo = string"),
        ],
        &["a.tether"],
    );
    let names = found_in_files(&c);
    assert_eq!(names.len(), 1, "{}", dump(&c));
    assert_eq!(names[0].1, "duplicate-name");
    assert_eq!(names[0].2, "Foo");
}

#[test]
fn one_file_seeing_two_declarations_of_a_name_is_a_duplicate() {
    // `root` sees both `Foo`s; its use of `Foo` must not silently pick one.
    let c = multi(
        &[
            (
                "root.tether",
                "import \"a.tether\"\nimport \"b.tether\"\ntype R = Foo",
            ),
            ("a.tether", "type Foo = u8"),
            ("b.tether", "type Foo = string"),
        ],
        &["root.tether"],
    );
    assert!(
        c.diagnostics
            .iter()
            .any(|d| d.rule.name == "duplicate-name"),
        "expected duplicate-name, got:\n{}",
        dump(&c)
    );
}

#[test]
fn a_file_imported_from_two_roots_is_parsed_once() {
    let c = multi(
        &[
            ("a.tether", "import \"shared.tether\"\ntype A = S"),
            ("dir/b.tether", "import \"../shared.tether\"\ntype B = S"),
            ("shared.tether", "type S = Missing"),
        ],
        &["a.tether", "dir/b.tether"],
    );
    expect_files(&c, &[("shared.tether", "unknown-type", "Missing")]);
    assert_eq!(c.sources.len(), 3);
    assert_eq!(
        c.schema
            .decls
            .iter()
            .filter(|d| d.name.to_string() == "S")
            .count(),
        1
    );
}

#[test]
fn a_root_also_imported_by_another_root_is_parsed_once() {
    let c = multi(
        &[
            ("a.tether", "import \"b.tether\"\ntype A = B"),
            ("b.tether", "type B = Missing"),
        ],
        &["a.tether", "b.tether"],
    );
    expect_files(&c, &[("b.tether", "unknown-type", "Missing")]);
    assert_eq!(c.sources.len(), 2);
}

// ---- phases -------------------------------------------------------------------------

#[test]
fn syntax_error_in_an_import_does_not_stop_the_root() {
    let c = multi(
        &[
            ("a.tether", "import \"broken.tether\"\ntype A = {u8?}"),
            ("broken.tether", "type B = \ntype C = u8"),
        ],
        &["a.tether"],
    );
    // Unknown names are not reported next to a broken import (they may be
    // declared in it), but every other check of the root still runs.
    let got = found_in_files(&c);
    assert_eq!(got.len(), 2, "{}", dump(&c));
    assert_eq!(got[0].0, "a.tether");
    assert_eq!((got[0].1, got[0].2.as_str()), ("nil-in-table", "u8?"));
    assert_eq!(got[1].0, "broken.tether");
    assert_eq!(got[1].1, "syntax");
}

#[test]
fn names_from_a_broken_import_cause_no_follow_on_errors() {
    // rules.rs, `syntax`: "nothing from the broken file is resolved, so no
    // follow-on errors appear".
    let c = multi(
        &[
            ("a.tether", "import \"broken.tether\"\ntype A = B"),
            ("broken.tether", "type B = u8\ntype C = "),
        ],
        &["a.tether"],
    );
    let got = found_in_files(&c);
    assert_eq!(
        got.iter().map(|(_, r, _)| *r).collect::<Vec<_>>(),
        ["syntax"],
        "{}",
        dump(&c)
    );
}

#[test]
fn syntax_error_in_the_root_stops_only_the_root() {
    let c = multi(
        &[
            ("a.tether", "import \"b.tether\"\ntype A = {"),
            ("b.tether", "type B = Missing"),
        ],
        &["a.tether", "b.tether"],
    );
    let rules: Vec<_> = found_in_files(&c)
        .into_iter()
        .map(|(f, r, _)| (f, r))
        .collect();
    assert_eq!(
        rules,
        [
            ("a.tether".to_string(), "syntax"),
            ("b.tether".to_string(), "unknown-type")
        ],
        "{}",
        dump(&c)
    );
}

#[test]
fn diagnostics_are_sorted_by_file_and_position() {
    let c = multi(
        &[
            (
                "a.tether",
                "import \"b.tether\"\n\
                 remote event E: client -> server (s: string, a: any)\n\
                 type X = Nope\n\
                 type A = {u8?}",
            ),
            ("b.tether", "type B = {[boolean]: u8}\ntype C = Missing"),
        ],
        &["a.tether"],
    );
    let keys: Vec<_> = c
        .diagnostics
        .iter()
        .map(|d| (d.span.file, d.span.start))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "{}", dump(&c));
    expect_files(
        &c,
        &[
            ("a.tether", "unbounded-client-input", "string"),
            ("a.tether", "unchecked-client-value", "any"),
            ("a.tether", "unknown-type", "Nope"),
            ("a.tether", "nil-in-table", "u8?"),
            ("b.tether", "unknown-type", "Missing"),
        ],
    );
}

#[test]
fn every_diagnostic_has_a_help_line() {
    let c = check(
        "type A = {u8, X: u8}\ntype B = {[boolean]: u8?}\ntype N = { N: N }\ntype U = Nope\n\
         @unrelaible @rate(0/s) remote function F: server -> client (a: Part, f: () -> ()) -> any\n\
         remote event G: client -> server (s: string, c: Part in client)\n\
         type D = string??\ntype R = u8(3..1)\nenum Z {}\n\
         namespace Ns { type T = u8 }\ntype UsesNs = Ns",
    );
    assert!(c.diagnostics.len() >= 12, "{}", dump(&c));
    for d in &c.diagnostics {
        assert!(
            d.help.as_deref().is_some_and(|h| !h.is_empty()),
            "{} has no help: {}",
            d.rule.name,
            dump(&c)
        );
    }
}

#[test]
fn rules_fired_helper_reports_in_order() {
    assert_eq!(
        rules_fired("type A = {u8?}\ntype B = Nope"),
        [
            ("nil-in-table", "u8?".to_string()),
            ("unknown-type", "Nope".to_string())
        ]
    );
}

// ---- probes -------------------------------------------------------------------------

#[test]
fn client_to_server_function_returning_an_instance_may_be_nil() {
    expect(
        "remote function F: client -> server () -> Part",
        &[("instance-may-be-nil", "Part")],
    );
}

#[test]
fn rate_on_a_bindable_is_invalid() {
    single(
        "@rate(1/s)\nbindable event B: server ()",
        "invalid-attribute",
        "@rate(1/s)",
    );
}

#[test]
fn three_file_import_cycle_is_reported_once() {
    let c = multi(
        &[
            ("a.tether", "import \"b.tether\"\ntype A = u8"),
            ("b.tether", "import \"c.tether\"\ntype B = u8"),
            ("c.tether", "import \"a.tether\"\ntype C = u8"),
        ],
        &["a.tether"],
    );
    expect_files(&c, &[("c.tether", "import-cycle", "\"a.tether\"")]);
}

#[test]
fn figure_eight_recursion_is_one_finding() {
    // Two cycles through `A`: one strongly connected group, fixed by one change.
    let c = check("type A = { B: B, C: C }\ntype B = { A: A }\ntype C = { A: A }");
    assert_eq!(
        c.diagnostics.len(),
        1,
        "one group of mutually recursive types:\n{}",
        dump(&c)
    );
}

#[test]
fn table_shapes_inside_a_function_signature_are_not_sent() {
    // A bindable passes the function itself; what the function takes and
    // returns is never serialized, as flows.rs already assumes.
    clean(
        "bindable event B: server (cb: (items: {u8?}, t: {u8, Name: string}) -> {[boolean]: u8})",
    );
}

#[test]
fn a_map_keyed_by_a_unit_enum_is_bounded_by_its_variants() {
    clean("enum Slot { Head, Body }\nremote event E: client -> server (gear: {[Slot]: u8})");
    expect(
        "enum Shape { Circle { r: u8 }, Point }\nremote event E: client -> server (m: {[string(..4)]: u8})",
        &[("unbounded-client-input", "{[string(..4)]: u8}")],
    );
}

#[test]
fn a_long_recursive_cycle_is_one_finding_with_a_few_labels() {
    let n = 200;
    let src: String = (0..n)
        .map(|i| format!("type A{i} = {{ Next: A{} }}\n", (i + 1) % n))
        .collect();
    let c = check(&src);
    let found = found(&c);
    assert_eq!(
        found,
        [("unbounded-recursion", "A0".to_string())],
        "{}",
        dump(&c)
    );
    let labels = &c.diagnostics[0].labels;
    assert!(labels.len() <= 9, "{} labels", labels.len());
    assert!(labels.last().is_some_and(|l| l.message.contains("more")));
}

/// Parses `src` and wraps the type of every record field named `Shared` in
/// `wrapper`, as the Rust front end lowers `Rc<T>`: the parser itself has no
/// syntax for it.
fn compile_with_shared(src: &str, wrapper: &str) -> Compilation {
    use tether_compiler::diag::FileId;
    use tether_compiler::syntax::ast::{Decl, TableEntry, TypeExpr, TypeExprKind};
    fn wrap(ty: &mut TypeExpr, wrapper: &str) {
        match &mut ty.kind {
            TypeExprKind::Table(entries) => {
                for entry in entries {
                    if let TableEntry::Field(field) = entry {
                        if field.name.name == "Shared" {
                            let inner = field.ty.clone();
                            field.ty.kind = TypeExprKind::Shared {
                                inner: Box::new(inner),
                                wrapper: wrapper.to_owned(),
                            };
                        }
                    }
                }
            }
            TypeExprKind::Optional(inner) => wrap(inner, wrapper),
            _ => {}
        }
    }
    let mut ast = tether_compiler::syntax::parse(FileId(0), src).expect("parses");
    for decl in &mut ast.decls {
        if let Decl::Type(alias) = decl {
            wrap(&mut alias.ty, wrapper);
        }
    }
    tether_compiler::compile_ast("lib.rs", ast)
}

#[test]
fn shared_references_are_rejected_wherever_values_are_copied() {
    let src = "type Owner = { Name: string, Shared: { Hp: u8 } }\n\
               remote event Sync: server -> client (owner: Owner)\n\
               bindable event Local: server (owner: Owner)\n";
    let compilation = compile_with_shared(src, "Rc");
    let fired: Vec<_> = compilation
        .diagnostics
        .iter()
        .map(|d| (d.rule.name, d.rule.code, d.message.as_str()))
        .collect();
    // Reported once, where the type is written, whatever uses it.
    assert_eq!(
        fired,
        [(
            "shared-identity",
            "T113",
            "a value shared through `Rc` does not stay shared across a remote or bindable"
        )]
    );
    let help = compilation.diagnostics[0].help.as_deref().unwrap_or("");
    assert!(help.contains("send the value itself"), "{help}");
    // Without the wrapper the same schema is clean.
    assert!(found(&compile_str("x.tether", src)).is_empty());
}

// ---- names the generators would merge ------------------------------------------

#[test]
fn names_that_meet_in_generated_code_are_all_reported_in_one_run() {
    let src = "type Item = { Id: number, ID: string, self: boolean, Self: boolean }\n\
               enum Kind { red, Red }\n\
               remote event roll_item: client -> server (n: u8)\n\
               remote event RollItem: client -> server (n: u8)\n\
               type Server = { x: number }\n\
               namespace Combat { type Hit = { a: number } }\n\
               type Combat_Hit = { b: number }";
    let c = expect(
        src,
        &[
            ("name-collision", "ID"),
            ("name-collision", "Self"),
            ("name-collision", "Red"),
            ("name-collision", "RollItem"),
            ("name-collision", "Server"),
            ("name-collision", "Combat_Hit"),
        ],
    );
    let d = &c.diagnostics[0];
    assert_eq!(
        d.message,
        "`ID` and `Id` would both be `id` in the generated Rust"
    );
    assert_eq!(
        labels(&c, d),
        [("Id".to_string(), "`Id` is `id` too".to_string())]
    );
    let d = &c.diagnostics[3];
    assert_eq!(label_texts(&c, d), ["roll_item"]);
    assert!(c.diagnostics[4]
        .message
        .contains("already writes a `Server`"));
    assert!(c.diagnostics[5].message.contains("generated Luau"));
}

#[test]
fn names_that_stay_apart_do_not_collide() {
    clean(
        "type A = { Id: number, Ids: number, Self_: boolean }\n\
         type B = { Id: number }\n\
         enum Kind { Red, Reddish }\n\
         namespace Shop { remote event Buy: client -> server (n: u8) }\n\
         remote event Buy: client -> server (n: u8)\n\
         type Serverless = { x: boolean }",
    );
}

#[test]
fn parameters_of_a_wide_remote_collide_as_the_generator_names_them() {
    let params: Vec<String> = (0..12).map(|i| format!("p{i}: u8")).collect();
    let src = format!(
        "remote event Wide: client -> server (Count: u8, count: u8, {})",
        params.join(", ")
    );
    expect(&src, &[("name-collision", "count")]);
}

#[test]
fn names_collide_across_files_only_where_one_file_sees_both() {
    let files = [
        ("a.tether", "import \"b.tether\"\ntype PlayerData = u8"),
        ("b.tether", "type Player_Data = string"),
        ("c.tether", "type player_data = boolean"),
    ];
    let c = multi(&files, &["a.tether", "c.tether"]);
    // `a` sees `b`: both types would be `PlayerData`. `c` sees neither.
    let names = found_in_files(&c);
    assert_eq!(names.len(), 1, "{}", dump(&c));
    assert_eq!(names[0].1, "name-collision");
    let d = &c.diagnostics[0];
    let mut places = vec![
        c.sources.get(d.span.file).name.clone(),
        c.sources.get(d.labels[0].span.file).name.clone(),
    ];
    places.sort();
    assert_eq!(places, ["a.tether", "b.tether"]);
}

// ---- sets ------------------------------------------------------------------------

#[test]
fn a_set_is_an_indexer_whose_value_is_true() {
    let c = clean("type Tags = {[string(..8)]: true}(..4)");
    match &alias(&c.schema, "Tags").kind {
        TyKind::Set { elem, len } => {
            assert!(matches!(elem.kind, TyKind::String { .. }));
            assert_eq!((len.min, len.max), (0, Some(4)));
        }
        other => panic!("not a set: {other:?}"),
    }
}

#[test]
fn a_sets_elements_are_checked_as_keys_and_its_count_as_input() {
    expect(
        "remote event R: client -> server (a: {[f32]: true}(..2), b: {[u16]: true})\n\
         bindable event B: server (c: {[u16]: true})",
        &[
            ("invalid-key", "f32"),
            ("unbounded-client-input", "{[u16]: true}"),
            ("non-string-key", "u16"),
        ],
    );
    // `true` is a set's value only: beside other entries it is a boolean
    // in a mixed table.
    expect(
        "type M = {[string]: true, Name: string}",
        &[("mixed-table", "{[string]: true, Name: string}")],
    );
}

// ---- enums written in place --------------------------------------------------------

#[test]
fn an_enum_written_in_place_is_declared_under_the_name_of_its_place() {
    let c = clean(
        "namespace Shop { type Offer = { tier: enum { Low, High }, bonus: enum { None, Coins { n: u8 } }? } }\n\
         remote event Spawn: client -> server (spawn_mode: enum { Normal, Rare })\n\
         remote function Pick: client -> server () -> (enum { Left, Right }, u8)",
    );
    let names: Vec<String> = c.schema.decls.iter().map(|d| d.name.to_string()).collect();
    assert_eq!(
        names,
        [
            "Shop.Offer",
            "Shop.OfferTier",
            "Shop.OfferBonus",
            "SpawnSpawnMode",
            "PickReturn0"
        ]
    );
    assert!(matches!(
        decl(&c.schema, "Shop.OfferBonus").kind,
        DeclKind::Enum { ref variants } if variants.len() == 2 && variants[1].fields.is_some()
    ));
}

#[test]
fn an_enum_written_in_place_is_checked_as_a_declared_one() {
    expect(
        "remote event E: client -> server (a: enum { X, X }, b: enum {}, c: enum { F { f: () -> () } })",
        &[
            ("duplicate-name", "X"),
            ("invalid-declaration", "enum {}"),
            ("function-value", "() -> ()"),
        ],
    );
    // A place whose name is another declaration's is a name collision.
    expect(
        "type ItemKind = u8\ntype Item = { kind: enum { A, B } }",
        &[("name-collision", "enum { A, B }")],
    );
}

#[test]
fn a_type_that_is_an_enum_written_in_place_is_that_enum() {
    let c = clean(
        "type Shape = enum { Circle { r: f32 }, Point }\nremote event E: server -> client (s: Shape)",
    );
    assert_eq!(c.schema.decls.len(), 1);
    assert!(matches!(
        decl(&c.schema, "Shape").kind,
        DeclKind::Enum { ref variants } if variants.len() == 2
    ));
    let (_, d) = single("type None = enum {}", "invalid-declaration", "None");
    assert!(d.message.contains("no variants"));
}

#[test]
fn a_variant_field_may_not_be_its_enums_tag_field() {
    let (_, d) = single(
        "enum Shape { Box { type: u8 }, Ball }",
        "name-collision",
        "type",
    );
    assert!(d.message.contains("tag field"), "{}", d.message);
    // Named otherwise, the tag leaves `type` to the field.
    let c = clean("type Shape = enum \"kind\" { Box { type: u8, kind_of: u8 }, Ball }");
    assert_eq!(decl(&c.schema, "Shape").tag_field(), "kind");
    single(
        "type Shape = enum \"kind\" { Box { kind: u8 }, Ball }",
        "name-collision",
        "kind",
    );
    // A unit enum has no tag field.
    clean("enum Mode { Kind, Other }");
}

// ---- unions ----------------------------------------------------------------------

#[test]
fn a_unions_arms_are_told_apart_by_what_their_luau_values_are() {
    clean(
        "type Pair = { A: u8 }\n\
         enum Shape { Circle { r: f32 }, Point }\n\
         remote event E: server -> client (a: (string | u16), b: (boolean | Vector3 | Pair | Enum.Material | Player)?, c: (buffer | CFrame | Shape))",
    );
    let c = expect(
        "enum Team { Red, Blue }\n\
         type R = { x: u8 }\n\
         remote event E: server -> client (a: (u8 | f64), b: (string | Team), c: ({u8} | R), d: (u8? | boolean), e: (any | u8))",
        &[
            ("ambiguous-union", "f64"),
            ("ambiguous-union", "Team"),
            ("ambiguous-union", "R"),
            ("ambiguous-union", "u8?"),
            ("ambiguous-union", "any"),
        ],
    );
    assert_eq!(label_texts(&c, &c.diagnostics[0]), ["u8"]);
    assert!(c.diagnostics[0].message.contains("`number`"));
}

#[test]
fn a_union_is_no_dictionary_key() {
    single(
        "remote event E: server -> client (m: {[(string | u8)]: u8}(..4))",
        "invalid-key",
        "(string | u8)",
    );
}
