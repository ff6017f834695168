//! Realistic schemas of any size, deterministic mixes of records, enums,
//! aliases, namespaces, remote events and functions: [`schema`] (R remotes,
//! bindables among them, and R/5 types) for the checker benchmark and for
//! timing rustc on generated code; [`protocol`] (E events, E/10 functions,
//! E/5 types) for the Luau generator's size table and benchmark.

use std::fmt::Write;

/// A small deterministic generator (xorshift), so every run sees the same text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Field types that are bounded, so a client may send them.
const SCALARS: &[&str] = &[
    "boolean",
    "u8",
    "u16",
    "u32(1..)",
    "i16(-100..100)",
    "i32",
    "f32",
    "f64",
    "number(0..1)",
    "string(..32)",
    "string(1..64)",
    "string(8)",
    "buffer(..256)",
    "Vector3",
    "Vector2",
    "CFrame",
    "Color3",
    "UDim2",
    "DateTime",
    "Enum.Material",
    "Enum.KeyCode",
];

/// Small fixed-size types for unreliable payloads.
const SMALL: &[&str] = &["u8", "u16", "f32", "boolean", "Vector3", "i16(-5..5)"];

const FIELD_NAMES: &[&str] = &[
    "Id", "Name", "Level", "Score", "Position", "Rotation", "Tint", "Owner", "Count", "Flags",
    "Health", "Speed", "Target", "Label", "Created", "Items", "Extra", "Kind",
];

/// A declared type: its name as written from the top level, and whether it
/// is a unit enum (which may key a map).
struct Declared {
    name: String,
    unit_enum: bool,
}

/// A field type: a scalar, or something built from an earlier type.
fn field_type(rng: &mut Rng, types: &[Declared]) -> String {
    let base = if types.is_empty() || rng.chance(50) {
        rng.pick(SCALARS).to_string()
    } else {
        types[types.len() - 1 - rng.below(types.len().min(30))]
            .name
            .clone()
    };
    match rng.below(10) {
        0 | 1 => format!("{base}?"),
        2 => format!("{{{base}}}(..{})", 1 + rng.below(16)),
        3 => {
            let keys: Vec<&Declared> = types.iter().filter(|t| t.unit_enum).collect();
            if keys.is_empty() || rng.chance(50) {
                format!("{{[string(..16)]: {base}}}(..8)")
            } else {
                format!("{{[{}]: {base}}}(..8)", rng.pick(&keys).name)
            }
        }
        _ => base,
    }
}

/// Declares `count` types (records, enums, aliases; every tenth opens or
/// closes a namespace) into `out`.
fn declare_types(rng: &mut Rng, out: &mut String, count: usize) -> Vec<Declared> {
    let mut types: Vec<Declared> = Vec::new();
    let mut namespace: Option<String> = None;
    for i in 0..count {
        // Every tenth type opens or closes a namespace.
        if i % 10 == 0 {
            if namespace.take().is_some() {
                out.push_str("}\n\n");
            }
            if rng.chance(50) {
                let ns = format!("Area{i}");
                let _ = writeln!(out, "namespace {ns} {{");
                namespace = Some(ns);
            }
        }
        let prefix = namespace
            .as_ref()
            .map_or(String::new(), |ns| format!("{ns}."));
        let indent = if namespace.is_some() { "    " } else { "" };
        match rng.below(10) {
            // A unit enum.
            0 => {
                let name = format!("Kind{i}");
                let variants: Vec<String> =
                    (0..2 + rng.below(5)).map(|v| format!("V{v}")).collect();
                let _ = writeln!(out, "{indent}enum {name} {{ {} }}\n", variants.join(", "));
                types.push(Declared {
                    name: format!("{prefix}{name}"),
                    unit_enum: true,
                });
            }
            // A tagged enum.
            1 => {
                let name = format!("Shape{i}");
                let _ = writeln!(out, "{indent}enum {name} {{");
                for v in 0..2 + rng.below(3) {
                    if rng.chance(30) {
                        let _ = writeln!(out, "{indent}    Empty{v},");
                    } else {
                        let a = field_type(rng, &types);
                        let b = rng.pick(SCALARS);
                        let _ = writeln!(out, "{indent}    Variant{v} {{ a: {a}, b: {b} }},");
                    }
                }
                let _ = writeln!(out, "{indent}}}\n");
                types.push(Declared {
                    name: format!("{prefix}{name}"),
                    unit_enum: false,
                });
            }
            // A refined alias.
            2 => {
                let name = format!("Alias{i}");
                let base = rng.pick(&["u16(1..500)", "string(3..20)", "f32(0..1)", "u32(1..)"]);
                let _ = writeln!(out, "{indent}type {name} = {base}\n");
                types.push(Declared {
                    name: format!("{prefix}{name}"),
                    unit_enum: false,
                });
            }
            // A record of 4 to 8 fields.
            _ => {
                let name = format!("Record{i}");
                let _ = writeln!(out, "{indent}type {name} = {{");
                let count = 4 + rng.below(5);
                let start = rng.below(FIELD_NAMES.len());
                for f in 0..count {
                    let field = FIELD_NAMES[(start + f) % FIELD_NAMES.len()];
                    let ty = field_type(rng, &types);
                    let _ = writeln!(out, "{indent}    {field}: {ty},");
                }
                let _ = writeln!(out, "{indent}}}\n");
                types.push(Declared {
                    name: format!("{prefix}{name}"),
                    unit_enum: false,
                });
            }
        }
    }
    if namespace.is_some() {
        out.push_str("}\n\n");
    }

    types
}

/// Up to `max` parameters: declared types or scalars.
fn params(rng: &mut Rng, types: &[Declared], max: usize) -> String {
    (0..rng.below(max + 1))
        .map(|p| {
            let ty = if rng.chance(60) {
                rng.pick(types).name.clone()
            } else {
                rng.pick(SCALARS).to_string()
            };
            format!("p{p}: {ty}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `remote event Send<i>: client -> server`, rate-limited.
fn send_event(out: &mut String, rng: &mut Rng, types: &[Declared], indent: &str, i: usize) {
    let _ = writeln!(out, "{indent}@rate({}/s)", 1 + rng.below(30));
    let p = params(rng, types, 4);
    let _ = writeln!(out, "{indent}remote event Send{i}: client -> server ({p})");
}

/// `remote event Notify<i>: server -> client`.
fn notify_event(out: &mut String, rng: &mut Rng, types: &[Declared], indent: &str, i: usize) {
    let p = params(rng, types, 4);
    let _ = writeln!(
        out,
        "{indent}remote event Notify{i}: server -> client ({p})"
    );
}

/// `remote event Stream<i>`: an unreliable event of a small payload, one
/// way or both.
fn stream_event(out: &mut String, rng: &mut Rng, indent: &str, i: usize) {
    let both = rng.chance(50);
    let route = if both {
        "client <-> server"
    } else {
        "server -> client"
    };
    let ordered = if rng.chance(50) { " @ordered" } else { "" };
    let rate = if both { " @rate(60/s)" } else { "" };
    let p: Vec<String> = (0..1 + rng.below(3))
        .map(|p| format!("p{p}: {}", rng.pick(SMALL)))
        .collect();
    let _ = writeln!(out, "{indent}@unreliable{ordered}{rate}");
    let _ = writeln!(
        out,
        "{indent}remote event Stream{i}: {route} ({})",
        p.join(", ")
    );
}

/// `remote function Ask<i>: client -> server`.
fn ask_function(out: &mut String, rng: &mut Rng, types: &[Declared], indent: &str, i: usize) {
    let _ = writeln!(
        out,
        "{indent}@rate({}/min) @timeout({}s)",
        10 + rng.below(600),
        1 + rng.below(10)
    );
    let p = params(rng, types, 3);
    let returns = match rng.below(3) {
        0 => "()".to_string(),
        1 => rng.pick(types).name.clone(),
        _ => format!("(boolean, {}?)", rng.pick(SCALARS)),
    };
    let _ = writeln!(
        out,
        "{indent}remote function Ask{i}: client -> server ({p}) -> {returns}"
    );
}

/// `remote function Confirm<i>: server -> client`.
fn confirm_function(out: &mut String, rng: &mut Rng, types: &[Declared], indent: &str, i: usize) {
    let _ = writeln!(out, "{indent}@timeout(2s) @allow(server-invokes-client)");
    let p = params(rng, types, 2);
    let _ = writeln!(
        out,
        "{indent}remote function Confirm{i}: server -> client ({p}) -> boolean"
    );
}

/// A schema of `remotes` endpoints and `remotes / 5` types.
pub fn schema(remotes: usize) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ remotes as u64);
    let mut out = String::from("-- Generated for the check benchmark.\n\n");
    let types = declare_types(&mut rng, &mut out, (remotes / 5).max(5));

    for i in 0..remotes {
        let in_namespace = i % 50 >= 40;
        if i % 50 == 40 {
            let _ = writeln!(out, "namespace Remotes{i} {{");
        }
        let indent = if in_namespace { "    " } else { "" };
        match rng.below(20) {
            // Remote events, client -> server.
            0..=4 => send_event(&mut out, &mut rng, &types, indent, i),
            // Remote events, server -> client.
            5..=8 => {
                if rng.chance(20) {
                    let _ = writeln!(out, "{indent}@deprecated(\"use Send{}\")", i + 1);
                }
                notify_event(&mut out, &mut rng, &types, indent, i);
            }
            // Unreliable events, small payloads.
            9 | 10 => stream_event(&mut out, &mut rng, indent, i),
            // Remote functions, client -> server.
            11..=14 => ask_function(&mut out, &mut rng, &types, indent, i),
            // Remote functions, server -> client.
            15 => confirm_function(&mut out, &mut rng, &types, indent, i),
            // Bindable events: may carry functions and instances.
            16 | 17 => {
                let side = rng.pick(&["server", "client"]);
                let p = params(&mut rng, &types, 2);
                let extra = match rng.below(3) {
                    0 => ", done: () -> ()",
                    1 => ", model: Model in Workspace",
                    _ => "",
                };
                let p = if p.is_empty() {
                    extra.trim_start_matches(", ").to_string()
                } else {
                    format!("{p}{extra}")
                };
                let _ = writeln!(out, "{indent}bindable event Signal{i}: {side} ({p})");
            }
            // Bindable functions.
            _ => {
                let side = rng.pick(&["server", "client"]);
                let p = params(&mut rng, &types, 3);
                let ret = rng.pick(&types).name.clone();
                let _ = writeln!(
                    out,
                    "{indent}bindable function Query{i}: {side} ({p}) -> {ret}?"
                );
            }
        }
        out.push('\n');
        if i % 50 == 49 || (in_namespace && i + 1 == remotes) {
            out.push_str("}\n\n");
        }
    }
    out
}

/// A network protocol for the Luau generator's benchmarks: `events` remote
/// events (reliable both ways and unreliable), `events / 5` types and
/// `events / 10` remote functions, and no bindables (they generate no wire
/// code). A function follows every tenth event.
pub fn protocol(events: usize) -> String {
    let mut rng = Rng(0x51A7_E5EE_D000_0000 ^ events as u64);
    let mut out = String::from("-- Generated for the Luau generator's benchmarks.\n\n");
    let types = declare_types(&mut rng, &mut out, (events / 5).max(5));
    let functions = events / 10;
    let remotes = events + functions;
    let mut function = 0;
    for i in 0..remotes {
        let in_namespace = i % 50 >= 40;
        if i % 50 == 40 {
            let _ = writeln!(out, "namespace Remotes{i} {{");
        }
        let indent = if in_namespace { "    " } else { "" };
        if i % 11 == 10 && function < functions {
            function += 1;
            if rng.chance(80) {
                ask_function(&mut out, &mut rng, &types, indent, i);
            } else {
                confirm_function(&mut out, &mut rng, &types, indent, i);
            }
        } else {
            match rng.below(11) {
                0..=4 => send_event(&mut out, &mut rng, &types, indent, i),
                5..=8 => notify_event(&mut out, &mut rng, &types, indent, i),
                _ => stream_event(&mut out, &mut rng, indent, i),
            }
        }
        out.push('\n');
        if i % 50 == 49 || (in_namespace && i + 1 == remotes) {
            out.push_str("}\n\n");
        }
    }
    out
}
