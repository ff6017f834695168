//! Reads the `@attributes` written before an endpoint into IR attributes,
//! checking each one's arguments and whether it applies there.

use crate::diag::diagnostic::{Fix, Suggestion};
use crate::diag::{rules, Diagnostic, Span};
use crate::ir::{Allow, Attrs, Call, Deprecation, Direction, Encoding, Rate, Route, Timeout};
use crate::suggest::{did_you_mean, help_line};
use crate::syntax::ast::{self, AttrArgKind, RateUnit};

const KNOWN: &[&str] = &[
    "unreliable",
    "ordered",
    "rate",
    "timeout",
    "deprecated",
    "allow",
    "native",
    "packed",
];

/// Reads `attrs` for an endpoint of the given call and route.
pub fn lower_attrs(
    attrs: &[ast::Attribute],
    call: Call,
    route: Route,
    diagnostics: &mut Vec<Diagnostic>,
) -> Attrs {
    let mut out = Attrs::default();
    let mut seen: Vec<(&str, Span)> = Vec::new();
    for attr in attrs {
        let name = attr.name.name.as_str();
        if !KNOWN.contains(&name) {
            let mut diagnostic = Diagnostic::new(
                &rules::UNKNOWN_ATTRIBUTE,
                attr.name.span,
                format!("unknown attribute `@{name}`"),
            )
            .with_label("not an attribute Tether knows");
            let help = match did_you_mean(name, KNOWN.iter().copied()) {
                Some(known) => Suggestion::new()
                    .text("did you mean ")
                    .code(Fix::AttributeName(known))
                    .text("?"),
                None => KNOWN.iter().enumerate().fold(
                    Suggestion::new().text("attributes are "),
                    |help, (i, known)| match i {
                        0 => help.code(Fix::AttributeName(known)),
                        _ => help.text(", ").code(Fix::AttributeName(known)),
                    },
                ),
            };
            diagnostic = diagnostic.with_suggestion(help);
            diagnostics.push(diagnostic);
            continue;
        }
        if name != "allow" {
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                diagnostics.push(
                    invalid(
                        attr.span,
                        format!("`@{name}` is written twice"),
                        "remove one of them",
                    )
                    .with_secondary(*first, "first written here"),
                );
                continue;
            }
        }
        seen.push((name, attr.span));
        let mut reader = Reader { attr, diagnostics };
        match name {
            "unreliable" => {
                if reader.no_args() && reader.applies(is_remote_event(call, route), "remote events")
                {
                    out.unreliable = Some(attr.span);
                }
            }
            "ordered" => {
                if reader.no_args()
                    && reader.applies(is_remote_event(call, route), "`@unreliable` remote events")
                {
                    out.ordered = Some(attr.span);
                }
            }
            "rate" => {
                if let Some(rate) = reader.rate() {
                    if reader.applies(
                        client_sends(call, route),
                        "remotes a client sends (`client -> server` or `client <-> server`)",
                    ) {
                        out.rate = Some(rate);
                    }
                }
            }
            "timeout" => {
                if let Some(timeout) = reader.timeout() {
                    if reader.applies(call == Call::Function, "functions") {
                        out.timeout = Some(timeout);
                    }
                }
            }
            "deprecated" => {
                if let Some(note) = reader.optional_string() {
                    out.deprecated = Some(Deprecation {
                        note,
                        span: attr.span,
                    });
                }
            }
            "native" | "packed" => {
                let encoding = Encoding::from_name(name).unwrap_or(Encoding::Packed);
                if let Some((other, first)) = out.encoding {
                    reader.diagnostics.push(
                        invalid(
                            attr.span,
                            format!("`@{name}` contradicts `@{}`", other.name()),
                            "a remote has one encoding; remove one of them",
                        )
                        .with_secondary(first, "written here"),
                    );
                } else if reader.no_args()
                    && reader.applies(
                        matches!(route, Route::Remote(_)),
                        "remotes (a bindable's values always go through Roblox's serializer)",
                    )
                {
                    out.encoding = Some((encoding, attr.span));
                }
            }
            _ => out.allow.extend(reader.allow()),
        }
    }
    if let (Some(ordered), None) = (out.ordered, out.unreliable) {
        diagnostics.push(invalid(
            ordered,
            "`@ordered` needs `@unreliable`".to_string(),
            "reliable events are always delivered in order; add `@unreliable` or remove `@ordered`",
        ));
        out.ordered = None;
    }
    out
}

fn is_remote_event(call: Call, route: Route) -> bool {
    call == Call::Event && matches!(route, Route::Remote(_))
}

fn client_sends(call: Call, route: Route) -> bool {
    match route {
        Route::Remote(Direction::ClientToServer) => true,
        Route::Remote(Direction::Both) => call == Call::Event,
        _ => false,
    }
}

/// A whole count of messages that fits a `u32`, at least 1.
fn whole_count(n: &ast::NumberLit) -> bool {
    n.is_integer && n.value >= 1.0 && n.value <= f64::from(u32::MAX)
}

fn invalid(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::new(&rules::INVALID_ATTRIBUTE, span, message).with_help(help)
}

struct Reader<'a, 'd> {
    attr: &'a ast::Attribute,
    diagnostics: &'d mut Vec<Diagnostic>,
}

impl<'a> Reader<'a, '_> {
    fn name(&self) -> &str {
        &self.attr.name.name
    }

    fn fail(&mut self, span: Span, message: String, help: &str) {
        self.diagnostics.push(invalid(span, message, help));
    }

    fn args_span(&self) -> Span {
        self.attr.args_span.unwrap_or(self.attr.span)
    }

    fn applies(&mut self, ok: bool, where_: &str) -> bool {
        if !ok {
            let message = format!("`@{}` applies only to {where_}", self.name());
            self.fail(
                self.attr.span,
                message,
                "remove it, or move it to a declaration it applies to",
            );
        }
        ok
    }

    fn no_args(&mut self) -> bool {
        if self.attr.args_span.is_some() {
            let message = format!("`@{}` takes no arguments", self.name());
            let help = format!("write `@{}`", self.name());
            self.fail(self.args_span(), message, &help);
            return false;
        }
        true
    }

    fn single(&mut self, expected: &str, example: &str) -> Option<&'a ast::AttrArg> {
        let attr: &'a ast::Attribute = self.attr;
        match attr.args.as_slice() {
            [arg] => Some(arg),
            _ => {
                let message = format!("`@{}` takes one argument: {expected}", self.name());
                self.fail(self.args_span(), message, example);
                None
            }
        }
    }

    fn rate(&mut self) -> Option<Rate> {
        let help = "write a count per second or per minute, and how many may come at once if \
                    not that count, such as `@rate(20/s)`, `@rate(600/min)` or `@rate(20/s, burst 5)`";
        let attr: &'a ast::Attribute = self.attr;
        let (arg, burst) = match attr.args.as_slice() {
            [arg] => (arg, None),
            [arg, burst] => (arg, Some(burst)),
            _ => {
                let message = "`@rate` takes a rate and, optionally, a burst".to_string();
                self.fail(self.args_span(), message, help);
                return None;
            }
        };
        let span = arg.span;
        let (count, per_seconds) = match &arg.kind {
            AttrArgKind::Rate { count, per } if whole_count(count) => (
                count.value as u32,
                match per {
                    RateUnit::Second => 1,
                    RateUnit::Minute => 60,
                },
            ),
            AttrArgKind::Rate { count, .. } => {
                self.fail(
                    span,
                    format!(
                        "a rate needs a whole number of messages of at least 1, not `{}`",
                        count.text
                    ),
                    help,
                );
                return None;
            }
            _ => {
                self.fail(span, "expected a rate such as `20/s`".to_string(), help);
                return None;
            }
        };
        let burst = match burst.map(|b| (&b.kind, b.span)) {
            None => tether_facts::policy::default_burst(count),
            Some((AttrArgKind::Burst(n), _)) if whole_count(n) => n.value as u32,
            Some((AttrArgKind::Burst(n), span)) => {
                let message = format!(
                    "a burst needs a whole number of messages of at least 1, not `{}`",
                    n.text
                );
                self.fail(span, message, help);
                return None;
            }
            Some((_, span)) => {
                self.fail(span, "expected a burst such as `burst 5`".to_string(), help);
                return None;
            }
        };
        Some(Rate {
            count,
            per_seconds,
            burst,
            span: self.attr.span,
        })
    }

    fn timeout(&mut self) -> Option<Timeout> {
        let help = "write a duration such as `@timeout(5s)`, `@timeout(250ms)` or `@timeout(2min)`";
        let arg = self.single("a duration", help)?;
        let span = arg.span;
        match arg.kind {
            AttrArgKind::Duration(ms) if (1.0..=24.0 * 3600.0 * 1000.0).contains(&ms) => {
                Some(Timeout {
                    millis: ms.round() as u64,
                    span: self.attr.span,
                })
            }
            AttrArgKind::Duration(_) => {
                self.fail(
                    span,
                    "a timeout must be between 1ms and 24 hours".to_string(),
                    help,
                );
                None
            }
            _ => {
                self.fail(
                    span,
                    "expected a duration with a unit (`ms`, `s` or `min`)".to_string(),
                    help,
                );
                None
            }
        }
    }

    fn optional_string(&mut self) -> Option<String> {
        match self.attr.args.as_slice() {
            [] => Some(String::new()),
            [ast::AttrArg {
                kind: AttrArgKind::String(s),
                ..
            }] => Some(s.clone()),
            _ => {
                self.fail(
                    self.args_span(),
                    "`@deprecated` takes at most one string".to_string(),
                    "write `@deprecated(\"use NewName instead\")`",
                );
                None
            }
        }
    }

    fn allow(&mut self) -> Vec<Allow> {
        if self.attr.args.is_empty() {
            self.fail(
                self.args_span(),
                "`@allow` needs the name of a rule".to_string(),
                "write `@allow(rule-name)`, such as `@allow(unbounded-client-input)`",
            );
            return Vec::new();
        }
        let mut out = Vec::new();
        for arg in &self.attr.args {
            let name = match &arg.kind {
                AttrArgKind::Word(w) | AttrArgKind::String(w) => w.as_str(),
                _ => {
                    self.fail(
                        arg.span,
                        "expected a rule name".to_string(),
                        "write `@allow(rule-name)`",
                    );
                    continue;
                }
            };
            match rules::find(name) {
                Some(rule) if rule.allowable => out.push(Allow {
                    rule: rule.name.to_string(),
                    span: arg.span,
                }),
                Some(rule) => self.fail(
                    arg.span,
                    format!(
                        "`{}` reports a limitation of Roblox and cannot be allowed",
                        rule.name
                    ),
                    "only warnings and policy errors can be allowed; fix the declaration instead",
                ),
                None => {
                    let help = help_line(
                        did_you_mean(name, rules::ALL.iter().map(|r| r.name)).map(str::to_string),
                        "run `tether rules` for the list of rules",
                    );
                    self.fail(arg.span, format!("there is no rule `{name}`"), &help);
                }
            }
        }
        out
    }
}
