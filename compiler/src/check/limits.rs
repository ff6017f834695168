//! Limits of the transport itself: `unreliable-too-large` and
//! `server-invokes-client`.

use super::Sink;
use crate::diag::diagnostic::{Bounded, Fix, Suggestion};
use crate::diag::{rules, Diagnostic, Severity, Span};
use crate::ir::size::{native_params_min, SizeModel, UNRELIABLE_LIMIT};
use crate::ir::{Call, Direction, Endpoint, Route, Schema};

pub(super) fn check(schema: &Schema, sink: &mut Sink) {
    let mut sizes = SizeModel::new(schema);
    for endpoint in &schema.endpoints {
        if let Some(attr) = endpoint.attrs.unreliable {
            let diagnostic = match endpoint.is_native_remote() {
                true => native_unreliable(schema, endpoint, attr),
                false => packed_unreliable(&mut sizes, endpoint, attr),
            };
            if let Some(diagnostic) = diagnostic {
                sink.push_for(endpoint, diagnostic, "");
            }
        }
        if endpoint.call == Call::Function
            && endpoint.route == Route::Remote(Direction::ServerToClient)
        {
            let diagnostic = Diagnostic::new(
                &rules::SERVER_INVOKES_CLIENT,
                endpoint.name_span,
                format!("the server invokes `{}` on a client", endpoint.name),
            )
            .with_label("a client can error, disconnect or never answer")
            .with_suggestion(
                Suggestion::new()
                    .text("prefer a `server -> client` event answered by a `client -> server` event; if you keep it, add ")
                    .code(Fix::Attribute { name: "timeout", args: true })
                    .text(" and handle errors, or ")
                    .code(Fix::Attribute { name: "allow(server-invokes-client)", args: false }),
            );
            sink.push_for(endpoint, diagnostic, "");
        }
    }
}

/// The error for an unreliable event whose smallest payload is `min` bytes,
/// over the limit.
fn never_fits(endpoint: &Endpoint, attr: Span, min: u64, label: &str) -> Diagnostic {
    Diagnostic::new(
        &rules::UNRELIABLE_TOO_LARGE,
        endpoint.name_span,
        format!(
            "`{}` is at least {min} bytes, over the {UNRELIABLE_LIMIT}-byte limit of unreliable events",
            endpoint.name
        ),
    )
    .with_label(label)
    .with_secondary(attr, "sent unreliably because of this")
    .with_suggestion(
        Suggestion::new()
            .text("send less per event, or remove ")
            .code(Fix::Attribute { name: "unreliable", args: false })
            .text(" to send it reliably"),
    )
}

/// A packed event's size in Tether's wire format, known exactly: an error
/// when it never fits, a warning when it may not.
fn packed_unreliable(sizes: &mut SizeModel, endpoint: &Endpoint, attr: Span) -> Option<Diagnostic> {
    let size = sizes.unreliable_event(endpoint);
    let min = size.min_bytes();
    if min > UNRELIABLE_LIMIT {
        Some(never_fits(
            endpoint,
            attr,
            min,
            "never deliverable unreliably",
        ))
    } else {
        match size.max_bytes() {
            Some(max) if max <= UNRELIABLE_LIMIT => None,
            max => {
                let largest = max.map_or("has no upper bound".to_string(), |m| {
                    format!("can reach {m} bytes")
                });
                Some(
                    Diagnostic::new(
                        &rules::UNRELIABLE_TOO_LARGE,
                        endpoint.name_span,
                        format!("`{}` {largest}; unreliable events over {UNRELIABLE_LIMIT} bytes are dropped", endpoint.name),
                    )
                    .with_severity(Severity::Warning)
                    .with_label(format!("smallest encoding is {min} bytes"))
                    .with_secondary(attr, "sent unreliably because of this")
                    .with_suggestion(
                        Suggestion::new()
                            .text("bound the strings and arrays it carries (")
                            .code(Fix::MaxLen { max: 64, on: Some(Bounded::String) })
                            .text(", ")
                            .code(Fix::MaxLen { max: 16, on: Some(Bounded::Array) })
                            .text(") so it always fits"),
                    ),
                )
            }
        }
    }
}

/// Roblox's serializer is measured, not documented: a native event's size
/// is known only from below, enough to prove it never fits and never enough
/// to warn that it may not.
fn native_unreliable(schema: &Schema, endpoint: &Endpoint, attr: Span) -> Option<Diagnostic> {
    let min = native_params_min(schema, endpoint);
    (min > UNRELIABLE_LIMIT).then(|| {
        never_fits(
            endpoint,
            attr,
            min,
            "never deliverable unreliably, by the smallest payload Roblox's serializer makes",
        )
    })
}
