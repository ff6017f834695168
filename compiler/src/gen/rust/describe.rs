//! Types written back in schema syntax, for the doc comments of generated
//! code: a Rust type says `u8`, the doc says `u8(1..10)`.

use crate::ir::{
    Call, Direction, Endpoint, LenRange, Location, NumRange, Route, Schema, Side, Ty, TyKind,
};

/// `ty` as it would be written in a schema.
pub fn describe(schema: &Schema, ty: &Ty) -> String {
    let mut out = String::new();
    write(schema, ty, &mut out);
    out
}

fn write(schema: &Schema, ty: &Ty, out: &mut String) {
    match &ty.kind {
        TyKind::Boolean => out.push_str("boolean"),
        TyKind::Number {
            kind,
            range,
            nonfinite,
        } => {
            out.push_str(kind.name());
            match range {
                Some(NumRange::Int { min, max }) => bounds(out, *min, *max),
                Some(NumRange::Float { min, max }) => bounds(out, *min, *max),
                None if *nonfinite => out.push_str("(nonfinite)"),
                None => {}
            }
        }
        TyKind::String { len } => {
            out.push_str("string");
            length(out, *len);
        }
        TyKind::Buffer { len } => {
            out.push_str("buffer");
            length(out, *len);
        }
        TyKind::Binary { len } => {
            out.push_str("binary");
            length(out, *len);
        }
        TyKind::Optional { inner } => {
            write(schema, inner, out);
            out.push('?');
        }
        TyKind::Array { elem, len } => {
            out.push('{');
            write(schema, elem, out);
            out.push('}');
            length(out, *len);
        }
        TyKind::Map { key, value, len } => {
            out.push_str("{[");
            write(schema, key, out);
            out.push_str("]: ");
            write(schema, value, out);
            out.push('}');
            length(out, *len);
        }
        TyKind::Union { arms } => {
            out.push('(');
            for (i, arm) in arms.iter().enumerate() {
                if i > 0 {
                    out.push_str(" | ");
                }
                write(schema, arm, out);
            }
            out.push(')');
        }
        TyKind::Set { elem, len } => {
            out.push_str("{[");
            write(schema, elem, out);
            out.push_str("]: true}");
            length(out, *len);
        }
        TyKind::Record { fields } => {
            out.push_str("{ ");
            for (i, field) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&field.name);
                out.push_str(": ");
                write(schema, &field.ty, out);
            }
            out.push_str(" }");
        }
        TyKind::MixedTable { .. } => out.push_str("{ ... }"),
        TyKind::Named { decl } => match schema.decls.get(decl.0 as usize) {
            Some(d) => out.push_str(&d.name.to_string()),
            None => out.push('?'),
        },
        TyKind::Datatype { datatype } => out.push_str(datatype.name()),
        TyKind::RobloxEnum { name } => {
            out.push_str("Enum.");
            out.push_str(name);
        }
        TyKind::Instance { class, location } => {
            out.push_str(class);
            match location {
                Some(Location::Service(service)) => {
                    out.push_str(" in ");
                    out.push_str(service);
                }
                Some(Location::Client) => out.push_str(" in client"),
                None => {}
            }
        }
        TyKind::Function { params, returns } => {
            out.push('(');
            list(schema, params, out);
            out.push_str(") -> ");
            if returns.len() == 1 {
                write(schema, &returns[0], out);
            } else {
                out.push('(');
                list(schema, returns, out);
                out.push(')');
            }
        }
        TyKind::Metatable { table, meta } => {
            out.push_str("setmetatable<");
            write(schema, table, out);
            out.push_str(", ");
            write(schema, meta, out);
            out.push('>');
        }
        TyKind::Any => out.push_str("any"),
        TyKind::Extern { path, .. } => out.push_str(path),
        TyKind::Shared { inner, wrapper } => {
            out.push_str(wrapper);
            out.push('<');
            write(schema, inner, out);
            out.push('>');
        }
        TyKind::Error => out.push('?'),
    }
}

fn list(schema: &Schema, tys: &[Ty], out: &mut String) {
    for (i, ty) in tys.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write(schema, ty, out);
    }
}

fn bounds<T: std::fmt::Display + PartialEq>(out: &mut String, min: Option<T>, max: Option<T>) {
    match (min, max) {
        (Some(min), Some(max)) if min == max => out.push_str(&format!("({min})")),
        (min, max) => {
            out.push('(');
            if let Some(min) = min {
                out.push_str(&min.to_string());
            }
            out.push_str("..");
            if let Some(max) = max {
                out.push_str(&max.to_string());
            }
            out.push(')');
        }
    }
}

fn length(out: &mut String, len: LenRange) {
    if len != LenRange::UNBOUNDED {
        bounds(
            out,
            (len.min > 0 || len.max.is_none()).then_some(len.min),
            len.max,
        );
    }
}

/// A description of a list of types, as params or returns are written:
/// `(boolean, string(..64)?)`, `()`, or a lone type.
pub fn describe_returns(schema: &Schema, tys: &[Ty]) -> String {
    let mut out = String::new();
    if tys.len() == 1 {
        write(schema, &tys[0], &mut out);
    } else {
        out.push('(');
        list(schema, tys, &mut out);
        out.push(')');
    }
    out
}

/// The endpoint as declared: `@rate(5/s) remote event Chat: client -> server (message: string(1..200))`.
pub fn signature(schema: &Schema, endpoint: &Endpoint) -> String {
    let mut out = String::from("`");
    let attrs = &endpoint.attrs;
    if attrs.unreliable.is_some() {
        out.push_str("@unreliable ");
    }
    if attrs.ordered.is_some() {
        out.push_str("@ordered ");
    }
    if let Some(rate) = &attrs.rate {
        let unit = match rate.per_seconds {
            1 => "s".to_string(),
            60 => "min".to_string(),
            n => format!("{n}s"),
        };
        let burst = match rate.burst == tether_facts::policy::default_burst(rate.count) {
            true => String::new(),
            false => format!(", burst {}", rate.burst),
        };
        out.push_str(&format!("@rate({}/{unit}{burst}) ", rate.count));
    }
    if let Some(timeout) = &attrs.timeout {
        let ms = timeout.millis;
        let duration = match ms {
            ms if ms % 60_000 == 0 => format!("{}min", ms / 60_000),
            ms if ms % 1000 == 0 => format!("{}s", ms / 1000),
            ms => format!("{ms}ms"),
        };
        out.push_str(&format!("@timeout({duration}) "));
    }
    if attrs.deprecated.is_some() {
        out.push_str("@deprecated ");
    }
    let (transport, way) = match endpoint.route {
        Route::Remote(Direction::ClientToServer) => ("remote", "client -> server"),
        Route::Remote(Direction::ServerToClient) => ("remote", "server -> client"),
        Route::Remote(Direction::Both) => ("remote", "client <-> server"),
        Route::Bindable(Side::Server) => ("bindable", "server"),
        Route::Bindable(Side::Client) => ("bindable", "client"),
    };
    let call = match endpoint.call {
        Call::Event => "event",
        Call::Function => "function",
    };
    let params: Vec<String> = endpoint
        .params
        .iter()
        .map(|p| format!("{}: {}", p.name, describe(schema, &p.ty)))
        .collect();
    out.push_str(&format!(
        "{transport} {call} {}: {way} ({})",
        endpoint.name,
        params.join(", ")
    ));
    if let Some(returns) = &endpoint.returns {
        out.push_str(&format!(" -> {}", describe_returns(schema, returns)));
    }
    out.push('`');
    out
}
