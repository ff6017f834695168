//! Encodings: `@native`, `@packed` and `option encoding`, and the rules
//! that depend on how an endpoint's values travel.

use tether_compiler::{compile_str, Compilation};

fn check(src: &str) -> Compilation {
    compile_str("schema.tether", src)
}

/// `(rule, text under the primary span)` of each diagnostic, in order.
fn found(c: &Compilation) -> Vec<(&'static str, String)> {
    c.diagnostics
        .iter()
        .map(|d| (d.rule.name, c.sources.snippet(d.span).to_string()))
        .collect()
}

#[track_caller]
fn expect(src: &str, expected: &[(&str, &str)]) -> Compilation {
    let c = check(src);
    let want: Vec<(&str, String)> = expected.iter().map(|(r, t)| (*r, t.to_string())).collect();
    assert_eq!(found(&c), want, "{src}");
    c
}

const KEYED: &str = "(byLevel: {[u8]: string(..8)}(..4), byFlag: {[boolean]: u8}(..2))";

#[test]
fn roblox_stringifies_the_keys_of_a_native_remote_only() {
    // Packed: the wire writes each key as its type.
    expect(&format!("remote event E: server -> client {KEYED}"), &[]);
    expect(
        &format!("@packed remote event E: server -> client {KEYED}"),
        &[],
    );
    // Native: Roblox's serializer turns them into strings.
    expect(
        &format!("@native remote event E: server -> client {KEYED}"),
        &[("non-string-key", "u8"), ("non-string-key", "boolean")],
    );
    expect(
        &format!("option encoding = native\nremote event E: server -> client {KEYED}"),
        &[("non-string-key", "u8"), ("non-string-key", "boolean")],
    );
    // A declaration's own attribute outweighs its file's option.
    expect(
        &format!("option encoding = native\n@packed remote event E: server -> client {KEYED}"),
        &[],
    );
}

#[test]
fn a_float_key_is_refused_in_either_encoding_by_the_rule_that_fits() {
    let src = |attr: &str| {
        format!("{attr} remote event E: server -> client (byRatio: {{[f32]: u8}}(..4))")
    };
    // Packed: no encoding can key by a float. Native: Roblox makes it a
    // string first; one diagnostic, the one that names what happens.
    expect(&src("@packed"), &[("invalid-key", "f32")]);
    expect(&src("@native"), &[("non-string-key", "f32")]);
}

#[test]
fn encoding_attributes_apply_to_remotes_once() {
    expect(
        "@native bindable event B: server (n: u8)",
        &[("invalid-attribute", "@native")],
    );
    let c = expect(
        "@native @packed remote event E: client -> server (n: u8)",
        &[("invalid-attribute", "@packed")],
    );
    assert!(c.diagnostics[0].message.contains("contradicts `@native`"));
    expect(
        "@native(fast) remote event E: client -> server (n: u8)",
        &[("invalid-attribute", "(fast)")],
    );
    // Roblox's unreliable remote keeps no order.
    expect(
        "@native @unreliable @ordered remote event E: server -> client (n: u8)",
        &[("invalid-attribute", "@ordered")],
    );
    expect(
        "@native @unreliable remote event E: server -> client (n: u8)",
        &[],
    );
}

#[test]
fn file_options_are_checked() {
    expect(
        "option encoding = compact\nremote event E: server -> client (n: u8)",
        &[("invalid-attribute", "compact")],
    );
    let c = expect(
        "option encodng = native\nremote event E: server -> client (n: u8)",
        &[("unknown-attribute", "encodng")],
    );
    assert_eq!(
        c.diagnostics[0].help.as_deref(),
        Some("did you mean `encoding`?")
    );
    expect(
        "option encoding = native\noption encoding = packed\nremote event E: server -> client (n: u8)",
        &[("invalid-attribute", "option encoding = packed")],
    );
    // `option` is not reserved: it names types and fields as before.
    expect(
        "type option = { option: u8 }\nremote event E: server -> client (o: option)",
        &[],
    );
}

#[test]
fn native_remotes_have_no_message_ids_and_no_rust_handles() {
    let src = "@native remote event Native: client -> server (n: u8)\n\
               remote event Packed: client -> server (n: u8)";
    let c = check(src);
    assert!(c.diagnostics.is_empty());
    let rust =
        tether_compiler::gen::rust::generate(&c.schema, &Default::default()).expect("generates");
    assert!(rust.contains("Packed"), "{rust}");
    assert!(!rust.contains("Native"), "{rust}");
    let luau =
        tether_compiler::gen::luau::generate(&c.schema, &Default::default()).expect("generates");
    let server = &luau.server;
    assert!(server.contains(r#"N:native("Native", "event", 0, function(a1: any): boolean return gint(a1, 0, 255) end)"#), "{server}");
    // The packed remote is message 0: the native one takes no id.
    assert!(server.contains("Packed = N:event(0,"), "{server}");
}

#[test]
fn a_native_unreliable_event_is_refused_only_when_its_floor_is_over_the_limit() {
    let rules = |src: &str| {
        found(&check(src))
            .into_iter()
            .map(|(r, _)| r)
            .collect::<Vec<_>>()
    };
    let sizes = |src: &str| {
        check(src)
            .diagnostics
            .iter()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
    };
    // Packed: the size is known both ways, so an unbounded string warns.
    let packed = rules("@unreliable remote event E: server -> client (blob: string(..4000))");
    assert_eq!(packed, ["unreliable-too-large"]);
    // Native: only the floor is known. A string of at least 2,000 bytes is
    // its type byte, a two-byte length and its bytes: 2,003 bytes at least.
    let messages =
        sizes("@native @unreliable remote event E: server -> client (blob: string(2000..4000))");
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("at least 2003 bytes"), "{messages:?}");
    // A native event that may fit is not warned about: its ceiling is unknown.
    assert!(
        rules("@native @unreliable remote event E: server -> client (blob: string(..4000))")
            .is_empty()
    );
    // Each record's required field counts its key; an optional param and an
    // optional field may be left out and count nothing.
    let record = "@native @unreliable remote event E: server -> client \
                  (a: { name: string(990), note: string(500)? }, b: string(900)?)";
    let messages = sizes(record);
    // table 2 + key "name" 1 + 4 + string 1 + 2 + 990 = 1000: not over.
    assert!(messages.is_empty(), "{messages:?}");
    let over = record.replace("string(990)", "string(991)");
    assert!(
        sizes(&over)[0].contains("at least 1001 bytes"),
        "{:?}",
        sizes(&over)
    );
}

#[test]
fn a_projects_encoding_is_the_default_its_files_and_declarations_override() {
    let project = tether_compiler::project::Project::parse(
        std::path::Path::new("tether.toml"),
        "[schema]\nencoding = \"native\"\n",
    )
    .expect("parses");
    let encoding = project.encoding().expect("set");
    let rules = |src: &str| {
        let loader = tether_compiler::MemoryLoader::new([("s.tether", src)]);
        let c =
            tether_compiler::compile_with(&loader, &["s.tether".into()], encoding).expect("loads");
        found(&c).into_iter().map(|(r, _)| r).collect::<Vec<_>>()
    };
    let keyed = format!("remote event E: server -> client {KEYED}");
    assert_eq!(rules(&keyed), ["non-string-key", "non-string-key"]);
    assert!(rules(&format!("option encoding = packed\n{keyed}")).is_empty());
    assert!(rules(&format!("@packed {keyed}")).is_empty());
    let bad = tether_compiler::project::Project::parse(
        std::path::Path::new("tether.toml"),
        "[schema]\nencoding = \"compact\"\n",
    );
    assert!(bad.is_err());
}

/// Each rule of Roblox's limitations, on one remote written packed and
/// native: where the rule's "Where it applies" says it fires, it fires, and
/// nowhere else.
#[test]
fn each_rule_fires_in_the_encodings_it_applies_to() {
    // (rule, remote after its attributes, fires packed, fires native)
    let cases: &[(&str, &str, bool, bool)] = &[
        (
            "mixed-table",
            "remote event E: server -> client (t: { string, Owner: string(..8) })",
            true,
            true,
        ),
        (
            "non-string-key",
            "remote event E: server -> client (m: {[u8]: u8}(..4))",
            false,
            true,
        ),
        // Natively the key is reported once, by `non-string-key`: Roblox
        // makes it a string before anything else goes wrong.
        (
            "invalid-key",
            "remote event E: server -> client (m: {[{ x: u8 }]: u8}(..4))",
            true,
            false,
        ),
        (
            "nil-in-table",
            "remote event E: server -> client (a: {u8?}(..4))",
            true,
            true,
        ),
        (
            "function-value",
            "remote event E: server -> client (f: () -> ())",
            true,
            true,
        ),
        (
            "metatable-lost",
            "remote event E: client -> server (c: setmetatable<{ n: u8 }, { k: u8 }>)",
            true,
            true,
        ),
        (
            "server-only-instance",
            "remote event E: server -> client (p: Part in ServerStorage?)",
            true,
            true,
        ),
        (
            "client-only-instance",
            "remote event E: client -> server (p: Part in client?)",
            true,
            true,
        ),
        (
            "instance-may-be-nil",
            "remote event E: server -> client (p: Part)",
            true,
            true,
        ),
        (
            "unchecked-client-value",
            "remote event E: client -> server (v: any)",
            true,
            true,
        ),
        (
            "unbounded-client-input",
            "remote event E: client -> server (s: string)",
            true,
            true,
        ),
        (
            "server-invokes-client",
            "remote function F: server -> client (n: u8) -> u8",
            true,
            true,
        ),
        (
            "ambiguous-union",
            "remote event E: server -> client (u: (u8 | u16))",
            true,
            true,
        ),
        // Over the limit in both: 4,000 bytes packed, a floor of 4,003 native.
        (
            "unreliable-too-large",
            "@unreliable remote event E: server -> client (s: string(4000))",
            true,
            true,
        ),
        // May exceed it: a warning where the ceiling is known, packed only.
        (
            "unreliable-too-large",
            "@unreliable remote event E: server -> client (s: string(..4000))",
            true,
            false,
        ),
    ];
    for &(rule, remote, packed, native) in cases {
        for (attr, expected) in [("@packed", packed), ("@native", native)] {
            let src = format!("{attr} {remote}");
            let c = check(&src);
            let fired = c.diagnostics.iter().any(|d| d.rule.name == rule);
            assert_eq!(fired, expected, "{rule} in `{src}`: {:?}", found(&c));
        }
    }
}
