//! Rules that depend on which way a value travels: `function-value`,
//! `server-only-instance`, `client-only-instance`, `instance-may-be-nil`,
//! `unchecked-client-value` and `unbounded-client-input`. A remote
//! function's returns travel opposite to its params; `client <-> server`
//! events are checked both ways; bindables stay on one side.

use super::Sink;
use crate::diag::diagnostic::{Fix, Suggestion};
use crate::diag::{rules, Diagnostic};
use crate::ir::{DeclId, DeclKind, Endpoint, Flow, Location, Schema, Ty, TyKind};
use crate::roblox::{self, Replication};

pub(super) fn check(schema: &Schema, sink: &mut Sink) {
    // A declaration's findings along one flow do not depend on the endpoint
    // that reaches it, so endpoints without `@allow` share one record of
    // what has been walked; the others, whose findings may be silenced,
    // walk on their own.
    let mut shared = Walked::new(schema);
    for endpoint in &schema.endpoints {
        let mut own;
        let walked = if endpoint.attrs.allow.is_empty() {
            &mut shared
        } else {
            own = Walked::new(schema);
            &mut own
        };
        let params: Vec<&Ty> = endpoint.params.iter().map(|p| &p.ty).collect();
        let returns: Vec<&Ty> = endpoint.returns.iter().flatten().collect();
        for &flow in endpoint.param_flows() {
            walk(schema, endpoint, flow, &params, "params", walked, sink);
        }
        for &flow in endpoint.return_flows() {
            walk(schema, endpoint, flow, &returns, "returns", walked, sink);
        }
    }
}

/// Which declarations were walked along which flow, and whether as optional.
struct Walked(Vec<u8>);

impl Walked {
    fn new(schema: &Schema) -> Self {
        Walked(vec![0; schema.decls.len()])
    }

    /// Records a visit; false when it was already made.
    fn first_visit(&mut self, decl: DeclId, flow: Flow, optional: bool) -> bool {
        let bit = 1 << (usize::from(flow == Flow::ServerToClient) * 2 + usize::from(optional));
        let Some(flags) = self.0.get_mut(decl.0 as usize) else {
            return false;
        };
        let first = *flags & bit == 0;
        *flags |= bit;
        first
    }
}

/// Visits every type reachable from `roots`, through named declarations,
/// knowing whether each is inside an optional.
fn walk(
    schema: &Schema,
    endpoint: &Endpoint,
    flow: Flow,
    roots: &[&Ty],
    part: &str,
    walked: &mut Walked,
    sink: &mut Sink,
) {
    if flow == Flow::Local {
        return;
    }
    let note = format!(
        "in the {part} of `{}`, sent {}",
        endpoint.name,
        flow_words(flow)
    );
    let mut stack: Vec<(&Ty, bool, Slot)> =
        roots.iter().map(|&t| (t, false, Slot::Value)).collect();
    while let Some((ty, optional, slot)) = stack.pop() {
        if let Some(diagnostic) = finding(schema, ty, flow, optional, slot) {
            sink.push_for(endpoint, diagnostic, &note);
        }
        match &ty.kind {
            TyKind::Named { decl } => {
                if !walked.first_visit(*decl, flow, optional) {
                    continue;
                }
                match &schema.decl(*decl).kind {
                    // An alias is the same value, so it stays optional and
                    // in its slot.
                    DeclKind::Alias { ty } => stack.push((ty, optional, slot)),
                    DeclKind::Enum { variants } => stack.extend(
                        variants
                            .iter()
                            .flat_map(|v| v.fields.iter().flatten())
                            .map(|f| (&f.ty, false, Slot::Value)),
                    ),
                }
            }
            TyKind::Optional { inner } => stack.push((inner, true, slot)),
            // A function's own params and returns are not sent; the function
            // itself is the finding.
            TyKind::Function { .. } => {}
            TyKind::Array { elem, .. } => stack.push((elem, false, Slot::Element)),
            TyKind::Map { key, value, .. } => {
                stack.push((key, false, Slot::Key));
                stack.push((value, false, Slot::Element));
            }
            TyKind::Set { elem, .. } => stack.push((elem, false, Slot::Key)),
            // A field of an optional table is itself required.
            _ => stack.extend(ty.children().into_iter().map(|c| (c, false, Slot::Value))),
        }
    }
}

/// Where a value sits: on its own (a parameter, a field), as an array's
/// element or a dictionary's value, where a nil leaves a hole in the table
/// (`nil-in-table`), or as a key or a set's element, where a nil leaves the
/// entry out; so the fix for a value that may be nil depends on the slot.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Value,
    Element,
    Key,
}

fn flow_words(flow: Flow) -> &'static str {
    match flow {
        Flow::ClientToServer => "from client to server",
        Flow::ServerToClient => "from server to client",
        Flow::Local => "within one side",
    }
}

/// What one type node breaks when it travels along `flow`.
fn finding(schema: &Schema, ty: &Ty, flow: Flow, optional: bool, slot: Slot) -> Option<Diagnostic> {
    let client_sends = flow == Flow::ClientToServer;
    Some(match &ty.kind {
        TyKind::Function { .. } => Diagnostic::new(
            &rules::FUNCTION_VALUE,
            ty.span,
            "a function cannot be sent through a remote",
        )
        .with_label("arrives as nil on the other side")
        .with_help("send data that names the action (an enum) and look the function up on arrival; only bindables carry functions"),
        TyKind::Any if client_sends => Diagnostic::new(
            &rules::UNCHECKED_CLIENT_VALUE,
            ty.span,
            "the server cannot validate `any` sent by a client",
        )
        .with_label("a client can put anything here")
        .with_suggestion(
            Suggestion::new()
                .text("declare the shape the server expects, so the runtime rejects everything else; if any value is meant, write ")
                .code(Fix::Allow(rules::UNCHECKED_CLIENT_VALUE.name))
                .text(" on the remote"),
        ),
        TyKind::Instance {
            class,
            location: Some(Location::Service(service)),
        } if flow == Flow::ServerToClient && is_server_only(service) => Diagnostic::new(
            &rules::SERVER_ONLY_INSTANCE,
            ty.span,
            format!("clients cannot see a `{class}` in {service}"),
        )
        .with_label("arrives as nil on the client")
        .with_help("send data that describes the instance, or keep it in ReplicatedStorage or Workspace"),
        TyKind::Instance {
            class,
            location: Some(Location::Client),
        } if client_sends => Diagnostic::new(
            &rules::CLIENT_ONLY_INSTANCE,
            ty.span,
            format!("the server cannot see a `{class}` that a client created"),
        )
        .with_label("arrives as nil on the server")
        .with_help("send the data the server needs to create or find the instance itself"),
        TyKind::Instance { class, location }
            if flow == Flow::ServerToClient
                && !optional
                && class != "Player"
                && location != &Some(Location::Client) =>
        {
            Diagnostic::new(
                &rules::INSTANCE_MAY_BE_NIL,
                ty.span,
                format!("a `{class}` sent to a client may arrive as nil"),
            )
            .with_label("streaming or replication delay can deliver nil")
            .with_suggestion(match slot {
                Slot::Value => Suggestion::new()
                    .text(format!("declare it optional (`{class}?`) and handle nil on the client")),
                // `{Model?}` would leave nil holes in the table.
                Slot::Element => Suggestion::new()
                    .text("make each element ")
                    .code(Fix::OptionalField)
                    .text(", and handle nil on the client"),
                // A key cannot be optional; its entry is what goes missing.
                Slot::Key => Suggestion::new().text(
                    "an entry whose key the client cannot see is left out; key the table by \
                     an id (a string or an integer) if every entry must arrive",
                ),
            })
        }
        TyKind::String { len } | TyKind::Buffer { len } | TyKind::Binary { len }
            if client_sends && len.max.is_none() =>
        {
            unbounded(ty, "string or buffer", 64)
        }
        TyKind::Array { len, .. } if client_sends && len.max.is_none() => {
            unbounded(ty, "table", 100)
        }
        TyKind::Map { key, len, .. } | TyKind::Set { elem: key, len }
            if client_sends && len.max.is_none() && !has_finite_keys(schema, key) =>
        {
            unbounded(ty, "table", 100)
        }
        _ => return None,
    })
}

/// A map keyed by a unit enum holds at most one entry per variant.
fn has_finite_keys(schema: &Schema, key: &Ty) -> bool {
    match schema.unalias(key).kind {
        TyKind::Named { decl } => matches!(
            &schema.decl(decl).kind,
            DeclKind::Enum { variants } if variants.iter().all(|v| v.fields.is_none())
        ),
        _ => false,
    }
}

fn unbounded(ty: &Ty, what: &str, example: u32) -> Diagnostic {
    Diagnostic::new(
        &rules::UNBOUNDED_CLIENT_INPUT,
        ty.span,
        format!("a client can send a {what} of any size here"),
    )
    .with_label("no upper bound")
    .with_suggestion(
        Suggestion::new()
            .text("give it an upper bound, such as ")
            .code(Fix::MaxLen {
                max: example,
                on: None,
            })
            .text(", so the server rejects anything larger"),
    )
}

fn is_server_only(service: &str) -> bool {
    roblox::service(service).is_some_and(|s| s.replication == Replication::ServerOnly)
}
