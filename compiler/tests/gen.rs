//! The Rust generator, the build-script API and `tether gen`: the generated
//! code for a small schema (snapshot), that every schema in `schemas/`
//! generates code that parses, name mapping and collisions, the header,
//! determinism and the fingerprint.
//!
//! Compiling the generated code against the runtime is the end-to-end
//! crate's job (`tests/`).

use std::path::{Path, PathBuf};
use tether_compiler::build::{self, BuildError, Config};
use tether_compiler::gen::fingerprint;
use tether_compiler::gen::rust::names::{escape, pascal_case, snake_case};
use tether_compiler::gen::rust::{generate, GenError, RustOptions};
use tether_compiler::{compile, compile_str, FsLoader};

/// A small schema with one of each kind of thing.
const SMALL: &str = r#"-- A small schema for the snapshot.
type Name = string(1..16)
type Stats = { Level: u8(1..100), Score: f32?, Tags: {Name}(..4) }
enum Mode { Solo, Squad { size: u8(2..4) } }
enum Color { Red, Green, Blue }

namespace Lobby {
    @rate(2/s)
    remote event Join: client -> server (name: Name, mode: Mode)
    remote event Joined: server -> client (who: Player, stats: Stats, colors: {[Color]: u16}(..3))
}

@timeout(3s)
remote function Ready: client -> server (ready: boolean) -> (boolean, string(..32)?)

@unreliable @ordered @rate(30/s)
remote event Look: client <-> server (dir: Vector3)

@deprecated("use Ready")
remote function Ping: client -> server () -> ()

bindable event Tick: server (dt: number)
bindable function Pick: client (options: {string}, score: (text: string) -> u8) -> u8
"#;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the compiler sits in the workspace")
        .to_path_buf()
}

/// Generates Rust for a schema held in memory, which must check clean.
fn gen(src: &str) -> Result<String, GenError> {
    let compilation = compile_str("test.tether", src);
    let errors: Vec<_> = compilation
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.rule.name, d.message))
        .collect();
    assert!(errors.is_empty(), "the schema has errors: {errors:#?}");
    generate(&compilation.schema, &RustOptions::default())
}

fn gen_ok(src: &str) -> String {
    gen(src).unwrap_or_else(|e| panic!("generation failed: {e}"))
}

/// The code without its header line.
fn body(code: &str) -> &str {
    code.split_once('\n').map_or(code, |(_, rest)| rest)
}

fn fingerprint_of(src: &str) -> u64 {
    let compilation = compile_str("test.tether", src);
    assert!(!compilation.has_errors());
    fingerprint(&compilation.schema)
}

// ---- generated code ------------------------------------------------------------

#[test]
fn small_schema_snapshot() {
    let code = gen_ok(SMALL);
    syn::parse_file(&code).expect("the generated code parses");
    insta::assert_snapshot!("small", body(&code));
}

#[test]
fn every_valid_schema_generates_code_that_parses() {
    let path = root().join("schemas/game.tether");
    let code = build::generate_to_string(&path).expect("game.tether generates");
    let file = syn::parse_file(&code).expect("the generated code parses");
    let names: Vec<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            syn::Item::Static(s) => Some(s.ident.to_string()),
            syn::Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect();
    for expected in [
        "Loadout",
        "PROTOCOL",
        "Server",
        "Client",
        "ServerBindables",
        "ClientBindables",
        "combat",
        "server",
        "client",
        "roblox_enums",
        "__tether",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "`{expected}` is missing from {names:?}"
        );
    }
    for (needle, why) in [
        (
            "pub fn fire_server(",
            "a client fires client -> server events",
        ),
        (
            "pub fn fire_all_clients(",
            "the server fires server -> client events",
        ),
        ("pub fn invoke_server(", "a client invokes Shop.Buy"),
        (
            "pub fn invoke_client(",
            "the server invokes ConfirmTeleport",
        ),
        (
            "#[deprecated(note = \"use Chat\")]",
            "LegacyChat is deprecated",
        ),
        (
            "::core::time::Duration::from_millis(5000u64)",
            "Shop.Buy has @timeout(5s)",
        ),
        (
            "::tether_runtime::DEFAULT_TIMEOUT",
            "Shop.Prices has no @timeout",
        ),
        ("pub enum KeyCode", "Enum.KeyCode is used"),
        ("pub enum Material", "Enum.Material is used"),
        ("Vec<Dialogue>", "a recursive array needs no box"),
    ] {
        assert!(code.contains(needle), "{why}: `{needle}` not found");
    }
    // Both directions of `client <-> server` have their own message.
    assert_eq!(code.matches("name: \"Combat.Aim\"").count(), 2);
}

#[test]
fn every_schema_in_the_shared_folder_generates() {
    for entry in std::fs::read_dir(root().join("schemas/shared")).unwrap() {
        let path = entry.unwrap().path();
        let code =
            build::generate_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        syn::parse_file(&code).expect("the generated code parses");
    }
}

#[test]
fn header_says_generated_and_names_the_source() {
    let code = gen_ok(SMALL);
    let header = code.lines().next().unwrap();
    assert!(header.starts_with("// @generated by tether "), "{header}");
    assert!(header.contains("from test.tether"), "{header}");
    let options = RustOptions {
        source: Some("schemas/x.tether".into()),
        protocol_name: Some("arena".into()),
        ..RustOptions::default()
    };
    let compilation = compile_str("test.tether", SMALL);
    let code = generate(&compilation.schema, &options).unwrap();
    assert!(code
        .lines()
        .next()
        .unwrap()
        .contains("from schemas/x.tether"));
    assert!(code.contains("name: \"arena\""));
}

#[test]
fn generation_is_deterministic() {
    let path = root().join("schemas/game.tether");
    let first = build::generate_to_string(&path).unwrap();
    for _ in 0..3 {
        assert_eq!(build::generate_to_string(&path).unwrap(), first);
    }
    assert_eq!(gen_ok(SMALL), gen_ok(SMALL));
}

#[test]
fn recursive_types_are_boxed_only_where_needed() {
    let code = gen_ok(
        "type Node = { value: u8, next: Node?, kids: {Node}(..4) }\n\
         enum Expr { Lit { v: i32 }, Neg { inner: Expr } }\n\
         type Tree = {Tree}(..4)\n\
         type Maybe = Maybe?\n\
         remote event E: server -> client (n: Node, e: Expr, t: Tree, m: Maybe)\n",
    );
    let compact: String = code.split_whitespace().collect();
    assert!(compact.contains("pubnext:::core::option::Option<::std::boxed::Box<Node>>"));
    assert!(compact.contains("pubkids:::std::vec::Vec<Node>"));
    assert!(compact.contains("inner:::std::boxed::Box<Expr>"));
    // Aliases that reach themselves become newtypes (Rust has no recursive aliases).
    assert!(compact.contains("pubstructTree(pub::std::vec::Vec<Tree>);"));
    assert!(
        compact.contains("pubstructMaybe(pub::core::option::Option<::std::boxed::Box<Maybe>>);")
    );
}

#[test]
fn refinements_are_checked_both_ways() {
    let code = gen_ok(
        "type Level = u8(1..100)\n\
         remote event E: client -> server (level: Level, ratio: f32(0..1), name: string(3..20), free: f64(nonfinite), plain: f32)\n",
    );
    let compact: String = code.split_whitespace().collect();
    // Encoder and decoder each check the alias's range where it is used:
    // the encoder the value, the decoder the bit field against the span (a
    // 7-bit field holds up to 127, more than the range).
    assert_eq!(compact.matches("check_int(").count(), 1);
    assert!(compact.contains(
        "check_int(*__a0asi128,::core::option::Option::Some(1i128),::core::option::Option::Some(100i128)"
    ));
    assert!(compact.contains(
        "if__raw>99u64{return::core::result::Result::Err(::tether_runtime::wire::packed_out_of_range(__raw,1i128,100i128),);}"
    ));
    // u8(1..100) travels as `level - 1` in 7 bits (span 99).
    assert!(compact.contains(
        "__w.bits64((*__a0as::core::primitive::i128-1i128)as::core::primitive::u64,7,);"
    ));
    assert!(compact.contains("__r.bits64(7)?;"));
    assert!(compact.contains("(__rawas::core::primitive::u8).wrapping_add(1u8)"));
    assert!(compact
        .contains("::core::option::Option::Some(0f64),::core::option::Option::Some(1f64),false"));
    assert!(compact.contains("LenRange::new(3,::core::option::Option::Some(20))"));
    // `f32` with no range still rejects NaN and infinities; `nonfinite` skips the check.
    assert_eq!(compact.matches("check_float(").count(), 4);
}

#[test]
fn ranged_integers_pack_into_the_bits_of_their_span() {
    let code = gen_ok(
        "remote event P: client -> server (a: u8(0..100), b: u16(1..999), c: i32(-5..5), \
         d: u8(1..), e: u32(1..), f: u8(0..255), g: i8(-3..), h: i64(0..1), x: f32(0..1))\n",
    );
    let compact: String = code.split_whitespace().collect();
    let u64 = "::core::primitive::u64";
    let i128 = "::core::primitive::i128";
    // `value - min` in k bits, k the bit length of the span.
    for (write, read) in [
        // 0..100, span 100: 7 bits, no offset.
        (
            format!("__w.bits64(<{u64}as::core::convert::From<::core::primitive::u8,>>::from(*__a0),7,);"),
            "__r.bits64(7)?;if__raw>100u64".to_owned(),
        ),
        // 1..999, span 998: 10 bits.
        (
            format!("__w.bits64((*__a1as{i128}-1i128)as{u64},10,);"),
            "__r.bits64(10)?;if__raw>998u64".to_owned(),
        ),
        // -5..5, span 10: 4 bits holding `value + 5`.
        (
            format!("__w.bits64((*__a2as{i128}+5i128)as{u64},4,);"),
            "__r.bits64(4)?;if__raw>10u64".to_owned(),
        ),
        // 0..1 in an i64: 1 bit.
        (
            format!("__w.bits64(*__a7as{u64},1);"),
            // A 1-bit field holds exactly the span: nothing to check.
            "__r.bits64(1)?;__rawas::core::primitive::i64".to_owned(),
        ),
    ] {
        assert!(compact.contains(&write), "{write} in {code}");
        assert!(compact.contains(&read), "{read}");
    }
    // The decoder narrows the checked field back to the kind and adds `min`
    // there: the sum cannot overflow, since the field is at most the span.
    assert!(compact.contains("__rawas::core::primitive::u8}"));
    assert!(compact.contains("(__rawas::core::primitive::u16).wrapping_add(1u16)"));
    assert!(compact.contains("(__rawas::core::primitive::i32).wrapping_add(-5i32)"));
    // Spans that need the whole width stay whole bytes: u8(1..) and
    // u8(0..255) (8 bits), u32(1..) (32 bits), i8(-3..) (span 130).
    assert!(compact.contains("__w.u8(*__a3);"));
    assert!(compact.contains("__w.u32(*__a4);"));
    assert!(compact.contains("__w.u8(*__a5);"));
    assert!(compact.contains("__w.i8(*__a6);"));
    assert_eq!(compact.matches("__r.u8()?").count(), 2);
    assert_eq!(compact.matches("__r.u32()?").count(), 1);
    assert_eq!(compact.matches("__r.i8()?").count(), 1);
    // Floats never pack.
    assert!(compact.contains("__w.f32(*__a8);"));
    assert_eq!(compact.matches("__w.bits64(").count(), 4);
    assert_eq!(compact.matches("__r.bits64(").count(), 4);
}

#[test]
fn enum_tags_use_ceil_log2_bits() {
    let code = gen_ok(
        "enum One { A }\nenum Two { A, B }\nenum Five { A, B, C, D, E }\n\
         remote event E: client -> server (a: One, b: Two, c: Five)\n",
    );
    let compact: String = code.split_whitespace().collect();
    assert!(compact.contains("__w.bits(1,1);"));
    assert!(compact.contains("__w.bits(4,3);"));
    assert!(compact.contains("__r.bits(3)?"));
    assert!(
        !compact.contains("__w.bits(0,0)"),
        "one variant takes no bits"
    );
}

#[test]
fn roblox_enums_hold_the_database_items_in_value_order() {
    let code = gen_ok("remote event E: client -> server (order: Enum.SortOrder)\n");
    let items = tether_compiler::roblox::enum_items("SortOrder").expect("SortOrder exists");
    let compact: String = code.split_whitespace().collect();
    let all = items
        .iter()
        .map(|i| format!("Self::{i}"))
        .collect::<Vec<_>>()
        .join(",");
    assert!(compact.contains(&format!("pubconstALL:[Self;{}]=[{all}]", items.len())));
    assert!(
        !code.contains("pub enum Material"),
        "only enums in use are generated"
    );
}

#[test]
fn remote_names_that_meet_generated_names_still_work() {
    let code = gen_ok(
        "remote event Fire: client -> server ()\n\
         remote event Server: server -> client (player: string(..10))\n\
         remote event Player: client -> server (x: u8)\n\
         remote event Poll: server -> client ()\n\
         remote event New: client -> server ()\n\
         remote event Deref: server -> client ()\n",
    );
    let compact: String = code.split_whitespace().collect();
    assert!(
        compact.contains("pubfnnew()->Self"),
        "the constructor stays"
    );
    assert!(compact.contains("pubfnnew_(&self)->server::New"));
    assert!(compact.contains("pubfnfire(&self)->server::Fire"));
    assert!(compact.contains("pubfnpoll(&self)->server::Poll"));
    assert!(compact.contains("pubfnderef(&self)->client::Deref"));
    // A param called `player` pushes the runtime's player argument aside.
    assert!(
        compact.contains("player_:&::tether_runtime::Player"),
        "{code}"
    );
}

#[test]
fn generated_code_uses_absolute_paths_only() {
    let code = gen_ok(SMALL);
    let words = [
        "Option<",
        "Vec<",
        "HashMap<",
        "Result<",
        "Box<",
        "String,",
        "String>",
        "String)",
        "Ok(",
        "Err(",
        "Some(",
        "None",
        "Clone",
        "Debug",
        "PartialEq",
        "Send",
        "FnMut(",
        "Fn(",
        "Deref",
    ];
    for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
        for word in words {
            for (at, _) in line.match_indices(word) {
                let before = &line[..at];
                let is_name_part = before.ends_with(|c: char| c.is_alphanumeric() || c == '_');
                assert!(
                    before.ends_with("::") || is_name_part || before.ends_with("Self::"),
                    "`{word}` without an absolute path in: {line}"
                );
            }
        }
    }
}

// ---- names -------------------------------------------------------------------

#[test]
fn name_mapping() {
    assert_eq!(escape("type"), "r#type");
    assert_eq!(escape("match"), "r#match");
    assert_eq!(escape("Self"), "Self_");
    assert_eq!(escape("self"), "self_");
    assert_eq!(escape("crate"), "crate_");
    assert_eq!(escape("Player"), "Player");
    assert_eq!(snake_case("RecentNames"), "recent_names");
    assert_eq!(snake_case("onEnd"), "on_end");
    assert_eq!(snake_case("HTTPServer"), "http_server");
    assert_eq!(snake_case("Vector3Value"), "vector3_value");
    assert_eq!(pascal_case("hit_confirmed"), "HitConfirmed");
    assert_eq!(pascal_case("Combat"), "Combat");
}

#[test]
fn keywords_become_raw_identifiers() {
    let code = gen_ok(
        "type Kw = { fn: u8, match: u8, self: boolean }\nenum Who { Self, Super }\n\
         remote event E: client -> server (loop: Kw, w: Who)\n",
    );
    assert!(code.contains("pub r#fn: u8"));
    assert!(code.contains("pub r#match: u8"));
    assert!(code.contains("pub self_: bool"));
    assert!(code.contains("Self_,"));
    assert!(code.contains("r#loop: super::Kw") || code.contains("r#loop: Kw"));
}

#[test]
fn names_that_collide_after_case_conversion_are_errors() {
    let cases = [
        ("type PlayerInfo = { a: u8 }\ntype player_info = { b: u8 }\n", "PlayerInfo"),
        ("type T = { userId: u8, user_id: u8 }\n", "user_id"),
        ("enum E { red, Red }\n", "Red"),
        ("remote event Go: client -> server (aB: u8, a_b: u8)\n", "a_b"),
        ("namespace Server { type X = u8 }\n", "server"),
        ("type Client = { a: u8 }\n", "Client"),
        ("remote event combat: client -> server ()\nnamespace Combat { remote event X: client -> server () }\n", "Combat"),
        // An anonymous record named from its context meets a declared type.
        ("type T = { Inner: { a: u8 } }\ntype TInner = u8\n", "TInner"),
    ];
    for (src, rust) in cases {
        match gen(src) {
            Err(GenError::Collision { rust: got, .. }) => assert_eq!(got, rust, "{src}"),
            other => panic!("expected a collision on `{rust}` for {src:?}, got {other:?}"),
        }
    }
    let message = gen("type T = { userId: u8, user_id: u8 }\n")
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("`userId`") && message.contains("`user_id`"),
        "{message}"
    );
}

#[test]
fn an_ir_the_checker_rejects_is_an_error_not_a_panic() {
    for src in [
        "type T = { string, Name: string }\nremote event E: client -> server (t: T)\n",
        "type T = Nope\nremote event E: client -> server (t: T)\n",
        "remote event E: client -> server (f: (x: u8) -> ())\n",
    ] {
        let compilation = compile_str("test.tether", src);
        assert!(compilation.has_errors(), "{src}");
        match generate(&compilation.schema, &RustOptions::default()) {
            Err(GenError::Unsupported { .. }) => {}
            other => panic!("expected Unsupported for {src:?}, got {other:?}"),
        }
    }
}

// ---- fingerprint ---------------------------------------------------------------

#[test]
fn fingerprint_ignores_comments_and_whitespace() {
    let a = "type A = { x: u8 }\nremote event E: client -> server (a: A)\n";
    let b = "-- a comment\n\n  type   A = {\n  x: u8, -- trailing\n}\n--[[ block ]]\nremote event E: client -> server ( a : A )\n";
    assert_eq!(fingerprint_of(a), fingerprint_of(b));
}

#[test]
fn fingerprint_changes_with_the_protocol() {
    let base = fingerprint_of("type A = { x: u8 }\nremote event E: client -> server (a: A)\n");
    for changed in [
        "type A = { x: u16 }\nremote event E: client -> server (a: A)\n",
        "type A = { y: u8 }\nremote event E: client -> server (a: A)\n",
        "type A = { x: u8(..9) }\nremote event E: client -> server (a: A)\n",
        "type A = { x: u8 }\nremote event E: server -> client (a: A)\n",
        "type A = { x: u8 }\n@unreliable remote event E: client -> server (a: A)\n",
        "type A = { x: u8 }\nremote event F: client -> server (a: A)\n",
    ] {
        assert_ne!(fingerprint_of(changed), base, "{changed}");
    }
}

#[test]
fn fingerprint_is_in_the_protocol_table() {
    let compilation = compile_str("test.tether", SMALL);
    let code = generate(&compilation.schema, &RustOptions::default()).unwrap();
    let expected = format!("fingerprint: {}u64", fingerprint(&compilation.schema));
    assert!(code.contains(&expected));
}

// ---- build API -----------------------------------------------------------------

#[test]
fn build_config_writes_the_module_once() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("arena.tether");
    std::fs::write(&schema, SMALL).unwrap();
    let out = dir.path().join("out");
    Config::new()
        .out_dir(&out)
        .cargo_output(false)
        .compile(&[&schema])
        .unwrap();
    let file = out.join("arena.rs");
    let first = std::fs::read_to_string(&file).unwrap();
    assert!(first.starts_with("// @generated"));
    assert!(first.contains("name: \"arena\""));
    // Unchanged content is not rewritten (cargo would rebuild what includes it).
    let before = std::fs::metadata(&file).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    Config::new()
        .out_dir(&out)
        .cargo_output(false)
        .compile(&[&schema])
        .unwrap();
    assert_eq!(
        std::fs::metadata(&file).unwrap().modified().unwrap(),
        before
    );
}

#[test]
fn build_reports_schema_errors_readably() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("bad.tether");
    std::fs::write(&schema, "-- bad\ntype T = { string, Name: string }\n").unwrap();
    let error = Config::new()
        .out_dir(dir.path())
        .cargo_output(false)
        .compile(&[&schema])
        .unwrap_err();
    let BuildError::Schema {
        errors, rendered, ..
    } = &error
    else {
        panic!("expected a schema error, got {error:?}");
    };
    assert_eq!(*errors, 1);
    assert!(
        rendered.contains("bad.tether:2:10: error[mixed-table]:"),
        "{rendered}"
    );
    assert!(
        rendered.contains("  2 | type T = { string, Name: string }"),
        "{rendered}"
    );
    assert!(rendered.contains("= help:"), "{rendered}");
    assert!(!dir.path().join("bad.rs").exists());
    assert!(error.to_string().contains("mixed-table"));
}

#[test]
fn build_follows_imports() {
    let path = root().join("schemas/game.tether");
    let compilation = compile(&FsLoader, &[path]).unwrap();
    assert!(
        compilation.sources.len() >= 2,
        "game.tether imports shared/types.tether"
    );
    let code = build::generate_to_string(root().join("schemas/game.tether")).unwrap();
    assert!(
        code.contains("pub struct Item"),
        "types from the import are generated"
    );
}

#[test]
fn build_without_out_dir_is_an_error() {
    if std::env::var_os("OUT_DIR").is_some() {
        return;
    }
    let error = build::compile(&["does-not-matter.tether"]).unwrap_err();
    assert!(matches!(error, BuildError::NoOutDir));
}

#[test]
fn build_missing_schema_is_a_load_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = Config::new()
        .out_dir(dir.path())
        .cargo_output(false)
        .compile(&[dir.path().join("missing.tether")])
        .unwrap_err();
    assert!(matches!(error, BuildError::Load(_)), "{error:?}");
}

// ---- the command ---------------------------------------------------------------

#[cfg(feature = "cli")]
mod cli {
    use super::SMALL;
    use std::process::Command;

    fn tether(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_tether"))
            .args(args)
            .current_dir(dir)
            .output()
            .expect("the tether binary runs")
    }

    #[test]
    fn gen_rust_to_stdout_and_to_a_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("small.tether"), SMALL).unwrap();
        let out = tether(dir.path(), &["gen", "rust", "small.tether"]);
        assert_eq!(out.status.code(), Some(0));
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.starts_with("// @generated by tether"));
        assert!(stdout.contains("from small.tether"));

        let out = tether(
            dir.path(),
            &["gen", "rust", "small.tether", "-o", "gen/small.rs"],
        );
        assert_eq!(out.status.code(), Some(0));
        assert!(out.stdout.is_empty());
        let written = std::fs::read_to_string(dir.path().join("gen/small.rs")).unwrap();
        assert_eq!(written, stdout);
    }

    #[test]
    fn gen_exit_codes() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.tether"), "type A = Strng\n").unwrap();
        let out = tether(dir.path(), &["gen", "rust", "bad.tether", "-o", "bad.rs"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8(out.stderr)
            .unwrap()
            .contains("unknown-type"));
        assert!(!dir.path().join("bad.rs").exists());

        let out = tether(dir.path(), &["gen", "rust", "missing.tether"]);
        assert_eq!(out.status.code(), Some(2));

        std::fs::write(
            dir.path().join("clash.tether"),
            "type T = { aB: u8, a_b: u8 }\n",
        )
        .unwrap();
        let out = tether(dir.path(), &["gen", "rust", "clash.tether"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8(out.stderr).unwrap().contains("a_b"));
    }
}

#[test]
fn cargo_is_told_to_watch_every_import_and_shown_every_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("shared")).unwrap();
    std::fs::write(
        dir.path().join("shared/names.tether"),
        "type Name = string\n",
    )
    .unwrap();
    let root = dir.path().join("game.tether");
    std::fs::write(
        &root,
        "import \"shared/names.tether\"\nremote event Rename: client -> server (name: Name)\n",
    )
    .unwrap();
    let compilation = compile(&FsLoader, &[root]).unwrap();
    let directives = build::cargo_directives(&compilation);
    assert!(
        directives
            .iter()
            .any(|d| d.starts_with("cargo:rerun-if-changed=") && d.ends_with("names.tether")),
        "{directives:#?}"
    );
    assert!(
        directives
            .iter()
            .any(|d| d.starts_with("cargo:warning=") && d.contains("unbounded-client-input")),
        "{directives:#?}"
    );
}

#[test]
fn options_for_the_macros_rename_the_runtime_and_leave_user_types_alone() {
    let compilation = compile_str(
        "m.tether",
        "type Unit = { Hp: u8(0..100), Name: string }\n\
         enum Team { Red, Blue }\n\
         remote event Spawn: server -> client (unit: Unit, team: Team)\n",
    );
    let tokens = |options: RustOptions| {
        tether_compiler::gen::rust::generate_tokens(&compilation.schema, &options)
            .unwrap()
            .to_string()
    };
    let default = tokens(RustOptions::default());
    assert!(default.contains(":: tether_runtime :: wire"));
    assert!(default.contains("pub struct Unit"));
    assert!(default.contains("pub enum Team"));

    let macros = tokens(RustOptions {
        runtime_crate: Some("tether".into()),
        user_types: true,
        ..RustOptions::default()
    });
    // Every absolute path now goes through `::tether`, and nothing else
    // named `tether_runtime` is touched (there is nothing else).
    assert!(!macros.contains("tether_runtime"), "{macros}");
    assert!(macros.contains(":: tether :: wire :: Encode for Unit"));
    // The user wrote the types: only their codecs are generated.
    assert!(!macros.contains("pub struct Unit"));
    assert!(!macros.contains("pub enum Team"));
    assert!(macros.contains("Decode for Team"));
    assert!(macros.contains("pub struct Server"));

    let types_only = tokens(RustOptions {
        user_types: true,
        types_only: true,
        ..RustOptions::default()
    });
    assert!(types_only.contains("Encode for Unit"));
    assert!(!types_only.contains("PROTOCOL"));
    assert!(!types_only.contains("Server"));
}
