//! `server.luau` and `client.luau`: each side's remotes and bindables, as a
//! table shaped like the schema's namespaces, over the shared runtime.

use super::code::Code;
use super::codec::{Codec, EnumRef};
use super::names::{key, string};
use super::types::Types;
use super::{GenError, Protocol};
use crate::ir::messages::{MessageKind, Way};
use crate::ir::{Call, DeclKind, Direction, Endpoint, Route, Side, Ty};
use std::collections::BTreeSet;

/// The module of one side.
pub fn module(protocol: &Protocol<'_>, side: Side) -> Result<String, GenError> {
    let schema = protocol.schema;
    let codec = Codec::new(schema);
    let types = Types {
        schema,
        prefix: "Types.",
    };
    let (out_way, constructor, role) = match side {
        Side::Server => (
            Way::ToClient,
            "server",
            "the server: require it from a server Script",
        ),
        Side::Client => (
            Way::ToServer,
            "client",
            "a client: require it from a LocalScript",
        ),
    };
    let in_way = out_way.reversed();

    // What this side writes and reads decides which codecs it carries.
    let mut sent: Vec<&Ty> = Vec::new();
    let mut received: Vec<&Ty> = Vec::new();
    for (way, list) in [(out_way, &mut sent), (in_way, &mut received)] {
        for message in protocol.messages.list(way) {
            let endpoint = &schema.endpoints[message.endpoint];
            match message.kind {
                MessageKind::Event | MessageKind::Request => {
                    list.extend(endpoint.params.iter().map(|p| &p.ty))
                }
                MessageKind::Response => list.extend(endpoint.returns.iter().flatten()),
            }
        }
    }

    // What the server receives through native remotes, which it guards.
    let guarded: Vec<&Ty> = match side {
        Side::Server => schema
            .endpoints
            .iter()
            .filter(|e| e.is_native_remote())
            .flat_map(server_receives)
            .collect(),
        Side::Client => Vec::new(),
    };

    // The table of remotes and bindables, written first: it decides which
    // runtime functions and codecs the module needs.
    let mut net = Code::new();
    net.open("local Net = {");
    let mut tree = Tree::default();
    for (index, endpoint) in schema.endpoints.iter().enumerate() {
        match endpoint.route {
            Route::Bindable(s) if s != side => continue,
            _ => {}
        }
        tree.insert(endpoint.name.namespace(), index);
    }
    write_tree(&tree, protocol, &codec, &types, side, &mut net)?;
    net.close("}");

    let mut codecs = Code::new();
    let writers = codec.reached(sent.iter().copied());
    let readers = codec.reached(received.iter().copied());
    for decl in all(&writers, &readers) {
        if writers.contains(&decl) && !is_unit_enum(protocol, decl) {
            codec.writer(decl, &mut codecs)?;
        }
        if readers.contains(&decl) && !is_unit_enum(protocol, decl) {
            codec.reader(decl, &mut codecs)?;
        }
    }

    for decl in codec.reached(guarded.iter().copied()) {
        codec.guard_decl(decl, &mut codecs)?;
    }

    let mut code = Code::new();
    code.line("--!strict");
    code.line("--!optimize 2");
    code.line(&protocol.header);
    code.line(format!("-- The `{}` protocol on {role}.", protocol.name));
    code.line("");
    // Only what the module uses, so that it reads clean in a linter.
    code.line("local T = require(script.Parent.tether)");
    let net = net.into_string();
    if net.contains("Types.") {
        code.line("local Types = require(script.Parent.types)");
    }
    let used = codec.used();
    if !used.is_empty() {
        let values: Vec<String> = used.iter().map(|name| format!("T.{name}")).collect();
        code.line(format!("local {} = {}", used.join(", "), values.join(", ")));
    }
    let codecs = codecs.into_string();
    if net.contains("S.p = ") {
        code.line("local S = T.state");
    }
    let tables: Vec<&str> = [
        ("W", codecs.contains("W.") || net.contains("W.")),
        ("R", codecs.contains("R.") || net.contains("R.")),
        ("E", !codec.enums().is_empty()),
        ("G", codecs.contains("G.") || net.contains("G.")),
    ]
    .into_iter()
    .filter_map(|(name, used)| used.then_some(name))
    .collect();
    if !tables.is_empty() {
        let typed: Vec<String> = tables.iter().map(|t| format!("{t}: any")).collect();
        let empty = vec!["{}"; tables.len()];
        code.line(format!("local {} = {}", typed.join(", "), empty.join(", ")));
    }
    code.line("");
    for reference in codec.enums() {
        match reference {
            EnumRef::Declared(decl) => {
                let d = schema.decl(decl);
                if let DeclKind::Enum { variants } = &d.kind {
                    let names: Vec<String> = variants.iter().map(|v| string(&v.name)).collect();
                    let tag = match &d.tag_field {
                        Some(tag) => format!(", {}", string(tag)),
                        None => String::new(),
                    };
                    code.line(format!(
                        "E.{} = T.enum({{ {} }}{tag})",
                        codec.function_name(decl),
                        names.join(", ")
                    ));
                }
            }
            EnumRef::Roblox(name) => {
                let items = crate::roblox::enum_items(&name).unwrap_or_default();
                code.line(format!(
                    "E.{name} = T.robloxEnum(Enum.{name}, {})",
                    string(&items.join(","))
                ));
            }
        }
    }
    if !codecs.is_empty() {
        code.line("");
        code.text(&codecs);
    }
    code.line("");
    code.line(format!(
        "local N = T.{constructor}({}, {}, {}, {})",
        string(&protocol.name),
        string(&protocol.fingerprint),
        protocol.messages.list(in_way).len(),
        protocol.messages.list(out_way).len()
    ));
    code.text(&net);
    code.line("N:start(Net)");
    code.line("return Net");
    Ok(code.into_string())
}

fn all(
    a: &BTreeSet<crate::ir::DeclId>,
    b: &BTreeSet<crate::ir::DeclId>,
) -> BTreeSet<crate::ir::DeclId> {
    a.union(b).copied().collect()
}

fn is_unit_enum(protocol: &Protocol<'_>, decl: crate::ir::DeclId) -> bool {
    matches!(&protocol.schema.decl(decl).kind, DeclKind::Enum { variants } if variants.iter().all(|v| v.fields.is_none()))
}

/// Namespaces as nested tables, in the order they first appear.
#[derive(Default)]
struct Tree {
    entries: Vec<Entry>,
}

enum Entry {
    Endpoint(usize),
    Namespace(String, Tree),
}

impl Tree {
    fn insert(&mut self, namespace: &[String], endpoint: usize) {
        let Some((first, rest)) = namespace.split_first() else {
            self.entries.push(Entry::Endpoint(endpoint));
            return;
        };
        let existing = self.entries.iter_mut().find_map(|e| match e {
            Entry::Namespace(name, tree) if name == first => Some(tree),
            _ => None,
        });
        match existing {
            Some(tree) => tree.insert(rest, endpoint),
            None => {
                let mut tree = Tree::default();
                tree.insert(rest, endpoint);
                self.entries.push(Entry::Namespace(first.clone(), tree));
            }
        }
    }
}

fn write_tree(
    tree: &Tree,
    protocol: &Protocol<'_>,
    codec: &Codec<'_>,
    types: &Types<'_>,
    side: Side,
    out: &mut Code,
) -> Result<(), GenError> {
    for entry in &tree.entries {
        match entry {
            Entry::Namespace(name, inner) => {
                out.open(format!("{}{{", key(name)));
                write_tree(inner, protocol, codec, types, side, out)?;
                out.close("},");
            }
            Entry::Endpoint(index) => {
                let endpoint = &protocol.schema.endpoints[*index];
                if let Some(note) = &endpoint.attrs.deprecated {
                    let note = if note.note.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", note.note)
                    };
                    out.line(format!("-- Deprecated{note}"));
                }
                let value = endpoint_value(protocol, codec, types, side, *index)?;
                out.text(&format!("{}{value},", key(endpoint.name.item())));
            }
        }
    }
    Ok(())
}

/// The expression that makes one endpoint's object, cast to its type.
fn endpoint_value(
    protocol: &Protocol<'_>,
    codec: &Codec<'_>,
    types: &Types<'_>,
    side: Side,
    index: usize,
) -> Result<String, GenError> {
    let endpoint = &protocol.schema.endpoints[index];
    let origin = endpoint.name.to_string();
    let params = types.pack(endpoint.params.iter().map(|p| &p.ty), &origin)?;
    let returns = types.pack(endpoint.returns.iter().flatten(), &origin)?;
    let timeout = endpoint.attrs.timeout.as_ref().map(|t| seconds(t.millis));
    let direction = match endpoint.route {
        Route::Bindable(_) => {
            return Ok(match endpoint.call {
                Call::Event => format!("T.bindableEvent() :: T.BindableEvent<{params}>"),
                Call::Function => {
                    let mut args = vec![string(&origin)];
                    args.extend(timeout);
                    format!(
                        "T.bindableFunction({}) :: T.BindableFunction<{params}, {returns}>",
                        args.join(", ")
                    )
                }
            })
        }
        Route::Remote(direction) => direction,
    };
    let (out_way, prefix) = match side {
        Side::Server => (Way::ToClient, "Server"),
        Side::Client => (Way::ToServer, "Client"),
    };
    let in_way = out_way.reversed();
    let rate = match (&endpoint.attrs.rate, side) {
        (Some(rate), Side::Server) => Some((rate.count, rate.per_seconds, rate.burst)),
        _ => None,
    };
    if endpoint.is_native_remote() {
        let native = Native {
            direction,
            side,
            prefix,
            rate,
        };
        return native_value(codec, endpoint, native, (&params, &returns));
    }
    let ids = protocol.messages.ids[index];
    match endpoint.call {
        Call::Event => {
            let in_id = ids.get(in_way);
            let out_id = ids.get(out_way);
            let mut args = vec![opt(in_id), opt(out_id)];
            let mut kinds = Vec::new();
            if in_id.is_some() {
                args.push(decoder(codec, &endpoint_params(endpoint), &origin)?);
                kinds.push(format!("T.{prefix}Receiver<{params}>"));
            } else {
                args.push("nil".into());
            }
            if out_id.is_some() {
                args.push(encoder(codec, endpoint, &origin)?);
                args.push(names(endpoint));
                kinds.push(format!("T.{prefix}Sender<{params}>"));
            } else {
                args.extend(["nil".to_string(), "nil".to_string()]);
            }
            let mode = match (&endpoint.attrs.unreliable, &endpoint.attrs.ordered) {
                (Some(_), Some(_)) => 2,
                (Some(_), None) => 1,
                _ => 0,
            };
            args.push(mode.to_string());
            if let (Some((count, per, burst)), true) = (rate, in_id.is_some()) {
                args.extend([count.to_string(), per.to_string(), burst.to_string()]);
            }
            trim(&mut args);
            Ok(format!(
                "N:event({}) :: {}",
                args.join(", "),
                kinds.join(" & ")
            ))
        }
        Call::Function => {
            // The side that answers: the server for client -> server.
            let answers = matches!(
                (direction, side),
                (Direction::ServerToClient, Side::Client)
                    | (Direction::ClientToServer | Direction::Both, Side::Server)
            );
            let request_id = ids.get(if answers { in_way } else { out_way });
            let response_id = ids.get(if answers { out_way } else { in_way });
            let (Some(request_id), Some(response_id)) = (request_id, response_id) else {
                return Err(super::types::unsupported("a function without ids", &origin));
            };
            let returns_tys: Vec<&Ty> = endpoint.returns.iter().flatten().collect();
            if answers {
                let mut args = vec![
                    request_id.to_string(),
                    response_id.to_string(),
                    decoder(codec, &endpoint_params(endpoint), &origin)?,
                    returns_encoder(codec, &returns_tys, &origin)?,
                ];
                if let Some((count, per, burst)) = rate {
                    args.extend([count.to_string(), per.to_string(), burst.to_string()]);
                }
                Ok(format!(
                    "N:serve({}) :: T.{prefix}Handler<{params}, {returns}>",
                    args.join(", ")
                ))
            } else {
                let mut args = vec![
                    request_id.to_string(),
                    response_id.to_string(),
                    encoder(codec, endpoint, &origin)?,
                    decoder(codec, &returns_tys, &origin)?,
                    names(endpoint),
                ];
                args.extend(timeout);
                let invoker = match side {
                    Side::Server => "ServerInvoker",
                    Side::Client => "ClientInvoker",
                };
                Ok(format!(
                    "N:call({}) :: T.{invoker}<{params}, {returns}>",
                    args.join(", ")
                ))
            }
        }
    }
}

/// What `endpoint_value` knows of a native remote before making it.
struct Native {
    direction: Direction,
    side: Side,
    /// `Server` or `Client`, of the runtime's handle types.
    prefix: &'static str,
    /// `@rate` on the server: the count, the seconds it is per, the burst.
    rate: Option<(u32, u32, u32)>,
}

/// A native remote's object: Roblox's remote under the same types as a
/// packed one, with a guard on what the server receives.
fn native_value(
    codec: &Codec<'_>,
    endpoint: &Endpoint,
    Native {
        direction,
        side,
        prefix,
        rate,
    }: Native,
    (params, returns): (&str, &str),
) -> Result<String, GenError> {
    let origin = endpoint.name.to_string();
    let (receives, sends) = match (direction, side) {
        (Direction::Both, _) => (true, true),
        (Direction::ClientToServer, Side::Server) | (Direction::ServerToClient, Side::Client) => {
            (true, false)
        }
        _ => (false, true),
    };
    let guarded = match side {
        Side::Server => server_receives(endpoint),
        Side::Client => Vec::new(),
    };
    let guard = match guarded.is_empty() {
        true => "nil".to_string(),
        false => {
            let args: Vec<String> = (1..=guarded.len()).map(|i| format!("a{i}")).collect();
            let checks = guarded
                .iter()
                .zip(&args)
                .map(|(ty, a)| codec.guard(ty, a, &origin))
                .collect::<Result<Vec<_>, _>>()?;
            let params: Vec<String> = args.iter().map(|a| format!("{a}: any")).collect();
            format!(
                "function({}): boolean return {} end",
                params.join(", "),
                checks.join(" and ")
            )
        }
    };
    let (kind, mode, timeout, cast) = match endpoint.call {
        Call::Event => {
            let mut kinds = Vec::new();
            if receives {
                kinds.push(format!("T.{prefix}Receiver<{params}>"));
            }
            if sends {
                kinds.push(format!("T.{prefix}Sender<{params}>"));
            }
            let mode = u8::from(endpoint.attrs.unreliable.is_some());
            ("event", mode, None, kinds.join(" & "))
        }
        Call::Function => {
            let timeout = endpoint.attrs.timeout.as_ref().map(|t| seconds(t.millis));
            let cast = match (receives, side) {
                (true, _) => format!("T.{prefix}Handler<{params}, {returns}>"),
                (false, Side::Server) => format!("T.ServerInvoker<{params}, {returns}>"),
                (false, Side::Client) => format!("T.ClientInvoker<{params}, {returns}>"),
            };
            ("function", 0, timeout.filter(|_| !receives), cast)
        }
    };
    let mut args = vec![
        string(&origin),
        string(kind),
        mode.to_string(),
        guard,
        timeout.unwrap_or_else(|| "nil".to_string()),
    ];
    if let Some((count, per, burst)) = rate.filter(|_| receives) {
        args.extend([count.to_string(), per.to_string(), burst.to_string()]);
    }
    trim(&mut args);
    Ok(format!("N:native({}) :: {cast}", args.join(", ")))
}

/// What the server receives from a client through `endpoint`: the params of
/// what a client sends, or the returns of a function the server invokes.
fn server_receives(endpoint: &Endpoint) -> Vec<&Ty> {
    match (endpoint.call, endpoint.route) {
        (_, Route::Remote(Direction::ClientToServer | Direction::Both)) => {
            endpoint_params(endpoint)
        }
        (Call::Function, Route::Remote(Direction::ServerToClient)) => {
            endpoint.returns.iter().flatten().collect()
        }
        _ => Vec::new(),
    }
}

fn endpoint_params(endpoint: &Endpoint) -> Vec<&Ty> {
    endpoint.params.iter().map(|p| &p.ty).collect()
}

/// `function(o, n) .. end`: reads a message body's values into `o` after
/// index `n` and returns the index of the last (the runtime decodes a whole
/// frame into one array before any handler runs).
fn decoder(codec: &Codec<'_>, tys: &[&Ty], origin: &str) -> Result<String, GenError> {
    if tys.is_empty() {
        return Ok("function(_: { any }, n: number): number return n end".into());
    }
    let mut body = Code::new();
    let values = codec.read_all(tys, &mut body, origin)?;
    let mut stores: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, value)| format!("o[n + {}] = {value}", i + 1))
        .collect();
    stores.push(format!("return n + {}", values.len()));
    if body.is_empty() && values.len() <= 2 {
        return Ok(format!(
            "function(o: {{ any }}, n: number): number {} end",
            stores.join(" ")
        ));
    }
    let mut code = Code::new();
    code.open("function(o: { any }, n: number): number");
    code.append(body);
    for store in stores {
        code.line(store);
    }
    code.close("end");
    Ok(block(code))
}

/// `function(a1, ..) .. end`: writes an event's or request's arguments,
/// noting which argument is being written for errors.
fn encoder(codec: &Codec<'_>, endpoint: &Endpoint, origin: &str) -> Result<String, GenError> {
    let tys = endpoint_params(endpoint);
    values_encoder(codec, &tys, origin)
}

fn returns_encoder(codec: &Codec<'_>, tys: &[&Ty], origin: &str) -> Result<String, GenError> {
    values_encoder(codec, tys, origin)
}

fn values_encoder(codec: &Codec<'_>, tys: &[&Ty], origin: &str) -> Result<String, GenError> {
    if tys.is_empty() {
        return Ok("function() end".into());
    }
    let args: Vec<String> = (1..=tys.len()).map(|i| format!("a{i}")).collect();
    // `any`: the remote's type, cast where it is made, is what callers see;
    // inferring these from their use would only trip the type checker.
    let params: Vec<String> = args.iter().map(|a| format!("{a}: any")).collect();
    let mut code = Code::new();
    code.open(format!("function({})", params.join(", ")));
    for (i, ty) in tys.iter().enumerate() {
        if tys.len() > 1 {
            code.line(format!("S.p = {}", i + 1));
        }
        codec.write(ty, &args[i], &mut code, origin)?;
    }
    code.close("end");
    Ok(block(code))
}

/// A multi-line function as an argument: its lines after the first are
/// indented by the caller's `Code::append`.
fn block(code: Code) -> String {
    code.into_string().trim_end().to_string()
}

fn names(endpoint: &Endpoint) -> String {
    let names: Vec<String> = endpoint.params.iter().map(|p| string(&p.name)).collect();
    if names.is_empty() {
        return "{}".to_string();
    }
    format!("{{ {} }}", names.join(", "))
}

fn opt(id: Option<u16>) -> String {
    id.map_or_else(|| "nil".to_string(), |id| id.to_string())
}

fn trim(args: &mut Vec<String>) {
    while args.last().is_some_and(|a| a == "nil") {
        args.pop();
    }
}

fn seconds(millis: u64) -> String {
    if millis.is_multiple_of(1000) {
        (millis / 1000).to_string()
    } else {
        format!("{:?}", millis as f64 / 1000.0)
    }
}
