//! Limits of the transport itself: `unreliable-too-large` and
//! `server-invokes-client`.

use super::Sink;
use crate::diag::diagnostic::{Bounded, Fix, Suggestion};
use crate::diag::{rules, Diagnostic, Severity};
use crate::ir::size::{SizeModel, UNRELIABLE_LIMIT};
use crate::ir::{Call, Direction, Route, Schema};

pub(super) fn check(schema: &Schema, sink: &mut Sink) {
    let mut sizes = SizeModel::new(schema);
    for endpoint in &schema.endpoints {
        // Sizes are those of Tether's wire format; what Roblox's own
        // serializer makes of a native remote's values is not modelled, and a
        // guess would be a false alarm or a false assurance.
        let packed = endpoint.encoding == crate::ir::Encoding::Packed;
        if let Some(attr) = endpoint.attrs.unreliable.filter(|_| packed) {
            let size = sizes.unreliable_event(endpoint);
            let min = size.min_bytes();
            let diagnostic = if min > UNRELIABLE_LIMIT {
                Some(
                    Diagnostic::new(
                        &rules::UNRELIABLE_TOO_LARGE,
                        endpoint.name_span,
                        format!("`{}` is at least {min} bytes, over the {UNRELIABLE_LIMIT}-byte limit of unreliable events", endpoint.name),
                    )
                    .with_label("never deliverable unreliably")
                    .with_secondary(attr, "sent unreliably because of this")
                    .with_suggestion(
                        Suggestion::new()
                            .text("send less per event, or remove ")
                            .code(Fix::Attribute { name: "unreliable", args: false })
                            .text(" to send it reliably"),
                    ),
                )
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
