//! Luau's own type checker (strict mode, new solver) on the generated Luau:
//! each side's module with the types module and the runtime it requires,
//! and game scripts that use them. The good scripts must check clean and
//! each misuse must be an error where it is written, so the generic types
//! the remotes are cast to (`T.ServerReceiver<(string, Types.Team)>`, ...)
//! are shown to constrain game code, not just to parse.
//!
//! See `luau_check` for how modules that `require` each other are checked
//! as one chunk, and `tests/luau/roblox.d.luau` for the Roblox API.

mod luau_check;

use luau_analyze::Checker;
use luau_check::{check, checker, Finding, BUNDLE};
use std::collections::BTreeSet;
use std::path::Path;
use tether_compiler::gen::luau::LuauFiles;

/// The example game's schema, which the game scripts use.
const GAME: &str = "../schemas/game.tether";

/// Every schema the repository keeps as a root (relative to `tests/`): the
/// `.tether` files directly in `schemas/`, `tests/schemas/` and
/// `bench/schemas/`. Subfolders hold files that are not roots:
/// `schemas/invalid/` must fail to compile and `schemas/shared/` is imported.
fn schemas() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for dir in ["../schemas", "schemas", "../bench/schemas"] {
        let entries = std::fs::read_dir(root.join(dir))
            .unwrap_or_else(|error| panic!("cannot list {dir}: {error}"));
        for entry in entries {
            let name = entry.expect("a directory entry").file_name();
            let name = name.to_string_lossy();
            if name.ends_with(".tether") {
                found.push(format!("{dir}/{name}"));
            }
        }
    }
    found.sort();
    assert!(found.len() >= 5, "schemas went missing: {found:?}");
    found
}

fn generate(schema: &str) -> LuauFiles {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    tether_compiler::build::generate_luau(root.join(schema))
        .unwrap_or_else(|error| panic!("{schema} does not generate Luau: {error}"))
}

/// A side's module as game code sees it: with `types` and `tether`, which
/// it requires, bundled before it.
fn check_side(checker: &mut Checker, files: &LuauFiles, side: &str) -> Vec<Finding> {
    let entry = if side == "server" {
        &files.server
    } else {
        &files.client
    };
    check(
        checker,
        &[("tether", &files.tether), ("types", &files.types)],
        (side, entry),
    )
}

/// A game script (named `script`) that requires a side's module.
fn check_script(
    checker: &mut Checker,
    files: &LuauFiles,
    side: &str,
    script: &str,
) -> Vec<Finding> {
    let module = if side == "server" {
        &files.server
    } else {
        &files.client
    };
    check(
        checker,
        &[
            ("tether", &files.tether),
            ("types", &files.types),
            (side, module),
        ],
        ("script", script),
    )
}

fn errors(findings: &[Finding]) -> Vec<&Finding> {
    findings.iter().filter(|f| f.error).collect()
}

fn listing<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> String {
    findings.into_iter().map(|f| format!("  {f}\n")).collect()
}

fn script(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("luau/scripts")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// The definitions load, and they are types, not `any`: a wrong argument to
/// a Roblox constructor or a missing member is an error.
#[test]
fn roblox_definitions_constrain_code() {
    let mut checker = checker();
    let good = r#"
local Players = game:GetService("Players")
local folder = Instance.new("Folder")
folder.Name = "Tether"
local remote = Instance.new("RemoteEvent")
remote.Parent = folder
remote.OnServerEvent:Connect(function(player: Player, ...: any)
    remote:FireClient(player, Vector3.new(1, 2, 3), CFrame.new(), Enum.KeyCode.E)
end)
local key: EnumKeyCode = Enum.Material.Neon.Name == "Neon" and Enum.KeyCode.Q or Enum.KeyCode.E
print(Players.LocalPlayer.UserId, key.Value, DateTime.now().UnixTimestampMillis)
task.spawn(function(n: number) print(n) end, 1)
"#;
    let found = check(&mut checker, &[], ("script", good));
    assert!(errors(&found).is_empty(), "{}", listing(&found));

    for (bad, fragment) in [
        ("local v = Vector3.new(\"1\")", "string"),
        ("local n: number = Vector3.zero", "Vector3"),
        (
            "local s = game:GetService(\"Players\").LocalPlayer.Nmae",
            "Nmae",
        ),
        (
            "local r = Instance.new(\"RemoteEvent\"); r:FireClient(\"me\")",
            "Player",
        ),
        ("local k: EnumKeyCode = Enum.Material.Neon", "EnumMaterial"),
        ("local k = Enum.KeyCode.NoSuchKey", "NoSuchKey"),
    ] {
        let found = check(&mut checker, &[], ("script", bad));
        assert!(
            found
                .iter()
                .any(|f| f.error && f.message.contains(fragment)),
            "`{bad}` is not an error mentioning `{fragment}`:\n{}",
            listing(&found)
        );
    }
}

/// The bundle keeps what Studio sees: a module's exported types (generic
/// packs included) reach the module that requires it, and each diagnostic
/// names the file and line it was written on.
#[test]
fn bundling_places_errors_in_their_files() {
    let lib = "--!strict
local M = {}
export type Pair<A...> = { call: (A...) -> () }
type Local = number
export type Named = { value: Local }
function M.make(): Named
    return { value = \"not a number\" }
end
return M
";
    let user = "local ReplicatedStorage = game:GetService(\"ReplicatedStorage\")
local Lib = require(ReplicatedStorage.Shared.lib)
local pair: Lib.Pair<(string, number)> = { call = function(_s: string, _n: number) end }
pair.call(\"a\", 1)
pair.call(1, \"a\")
local n: Lib.Named = Lib.make()
local s: string = n.value
";
    let found = check(&mut checker(), &[("lib", lib)], ("user", user));
    // Line 5 has two errors, one per swapped argument.
    let lines: BTreeSet<(&str, usize)> = errors(&found)
        .iter()
        .map(|f| (f.file.as_str(), f.line))
        .collect();
    let expected = BTreeSet::from([("lib", 7), ("user", 5), ("user", 7)]);
    assert_eq!(lines, expected, "{}", listing(&found));
}

/// The runtime alone: its own code against the Roblox API.
#[test]
fn runtime_type_checks() {
    let files = generate(GAME);
    let found = check(&mut checker(), &[], ("tether", &files.tether));
    assert!(
        errors(&found).is_empty(),
        "tether.luau:\n{}",
        listing(errors(&found))
    );
}

/// Each side's module of every schema, with the modules it requires.
/// Errors in the runtime are left to `runtime_type_checks`. Lint warnings
/// (unused locals, imprecise literals) are printed, not failed on.
#[test]
fn generated_modules_type_check() {
    let mut checker = checker();
    let (mut errors, mut warnings) = (BTreeSet::new(), BTreeSet::new());
    for schema in schemas() {
        let files = generate(&schema);
        for side in ["server", "client"] {
            for f in check_side(&mut checker, &files, side) {
                if !f.error {
                    warnings.insert(format!("{schema}: {f}"));
                } else if f.file != "tether" {
                    errors.insert(format!("{schema}: {f}"));
                }
            }
        }
    }
    for warning in &warnings {
        eprintln!("{warning}");
    }
    assert!(
        errors.is_empty(),
        "{}",
        errors.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// The game scripts of `tests/luau/scripts/` use the `game` protocol's every
/// kind of remote correctly: no error in them.
#[test]
fn game_scripts_type_check() {
    let mut checker = checker();
    let files = generate(GAME);
    for (side, name) in [("server", "server.luau"), ("client", "client.luau")] {
        let found = check_script(&mut checker, &files, side, &script(name));
        let in_script: Vec<_> = found.iter().filter(|f| f.file == "script").collect();
        for warning in in_script.iter().filter(|f| !f.error) {
            eprintln!("{name}: {warning}");
        }
        assert!(
            in_script.iter().all(|f| !f.error),
            "{name}:\n{}",
            listing(in_script.iter().copied())
        );
    }
}

/// Each misuse of the generated API is an error on its own line.
#[test]
fn misuse_is_a_type_error() {
    let mut checker = checker();
    let files = generate(GAME);
    let cases = [
        // A wrong argument type: the message must be a string.
        ("client", "Net.Chat:FireServer(42, \"Red\")", "number"),
        // A value outside a declared enum.
        ("client", "Net.Chat:FireServer(\"hi\", \"Purple\")", "Purple"),
        // Too few arguments.
        ("client", "Net.Combat.Aim:FireServer(Vector3.zero)", "argument"),
        // A server method on the client's module.
        ("client", "Net.Announce:FireClient(game:GetService(\"Players\").LocalPlayer, \"hi\")", "FireClient"),
        // A client method on the server's module.
        ("server", "Net.Chat:FireServer(\"hi\", \"Red\")", "FireServer"),
        // A handler that takes the message as a number.
        ("server", "Net.Chat.OnServerEvent:Connect(function(player: Player, message: number) end)", "number"),
        // A handler that forgets the player comes first.
        ("server", "Net.Chat.OnServerEvent:Connect(function(message: string, channel: string) end)", "Player"),
        // An invocation handler that takes the wrong type.
        ("server", "Net.Shop.Buy.OnServerInvoke = function(_p: Player, item: string, n: number): (boolean, string?) return true, nil end", "string"),
        // An invocation handler that returns the wrong type.
        ("server", "Net.Shop.Buy.OnServerInvoke = function(_p, _item, _n) return \"yes\", nil end", "boolean"),
        // The result of an invocation used as the wrong type.
        ("client", "local n: number = Net.Shop.Buy:InvokeServer(7, 3)", "number"),
        // A misspelt remote.
        ("client", "Net.Chta:FireServer(\"hi\", \"Red\")", "Chta"),
        // A misspelt namespace member.
        ("server", "Net.Shop.Bye.OnServerInvoke = nil", "Bye"),
        // A Roblox enum item of the wrong enum.
        ("client", "Net.Equip:FireServer({ Primary = { Id = 1, Name = \"S\", Rarity = \"Common\", Stack = 1 }, Perks = {} }, Enum.Material.Neon)", "EnumMaterial"),
    ];
    let mut missed = Vec::new();
    for (side, line, fragment) in cases {
        let source = format!(
            "local ReplicatedStorage = game:GetService(\"ReplicatedStorage\")\n\
             local Net = require(ReplicatedStorage.Net.{side})\n\
             {line}\n"
        );
        let found = check_script(&mut checker, &files, side, &source);
        let hit = found
            .iter()
            .any(|f| f.error && f.file == "script" && f.line == 3 && f.message.contains(fragment));
        if !hit {
            let in_script = found
                .iter()
                .filter(|f| f.file == "script" || f.file == BUNDLE);
            missed.push(format!(
                "{side}: `{line}` is not an error mentioning `{fragment}` on its line:\n{}",
                listing(in_script)
            ));
        }
    }
    assert!(missed.is_empty(), "{}", missed.join("\n"));
}
