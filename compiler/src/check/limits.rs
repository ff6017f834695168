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
        if let Some(attr) = endpoint.attrs.unreliable {
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
                    .with_help("send less per event, or remove `@unreliable` to send it reliably"),
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
                            .with_suggestion(Suggestion {
                                before: "bound the strings and arrays it carries (".to_string(),
                                fixes: vec![
                                    Fix::MaxLen { max: 64, on: Some(Bounded::String) },
                                    Fix::MaxLen { max: 16, on: Some(Bounded::Array) },
                                ],
                                after: ") so it always fits".to_string(),
                            }),
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
            .with_help("prefer a `server -> client` event answered by a `client -> server` event; if you keep it, add `@timeout` and handle errors, or `@allow(server-invokes-client)`");
            sink.push_for(endpoint, diagnostic, "");
        }
    }
}
