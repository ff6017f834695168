//! `name-collision`: schema names that the generators would turn into one
//! name. The generators' own naming decides it (case conversion, keyword
//! escapes, the names they reserve), walked without writing code, so that
//! `tether check` refuses what `tether gen` would, every pair in one run.

use super::Sink;
use crate::diag::{rules, Diagnostic};
use crate::gen::{luau, rust};
use crate::ir::{DeclKind, Schema};
use crate::resolve::Visibility;
use std::collections::HashSet;

pub(super) fn check(schema: &Schema, visibility: &Visibility, sink: &mut Sink) {
    // The same two names meet in several scopes (a remote's handle and its
    // accessor, on both sides): one report per pair.
    let mut reported = HashSet::new();
    for collision in rust::name_collisions(schema) {
        let rust::GenError::Collision(collision) = collision else {
            continue;
        };
        let rust::NameCollision {
            scope,
            first,
            first_span,
            second,
            second_span,
            rust,
            ..
        } = *collision;
        // One name written twice is `duplicate-name`'s (an enum written in
        // place has a name no one wrote); names in files that no file sees
        // together are never generated together.
        let written = |span| {
            !schema
                .decls
                .iter()
                .any(|d| d.in_place && d.name_span == span)
        };
        let apart = first_span.is_some_and(|first_span| {
            (first == second && written(first_span) && written(second_span))
                || !visibility.co_visible(first_span.file, second_span.file)
        });
        if apart || !reported.insert((first_span, second_span)) {
            continue;
        }
        let diagnostic = match first_span {
            Some(first_span) => Diagnostic::new(
                &rules::NAME_COLLISION,
                second_span,
                format!("{second} and {first} would both be `{rust}` in the generated Rust"),
            )
            .with_label(format!("`{rust}` among the {scope}"))
            .with_secondary(first_span, format!("{first} is `{rust}` too"))
            .with_help("rename one of them"),
            None => Diagnostic::new(
                &rules::NAME_COLLISION,
                second_span,
                format!(
                    "{second} would be `{rust}` in the generated Rust, where the generator \
                     already writes a `{rust}`"
                ),
            )
            .with_label(format!("`{rust}` among the {scope}"))
            .with_help("rename it"),
        };
        sink.push(diagnostic);
    }
    // A tagged enum's Luau value is a table whose tag field holds its
    // variant: no field of a variant may be that field.
    for decl in &schema.decls {
        let DeclKind::Enum { variants } = &decl.kind else {
            continue;
        };
        let tag = decl.tag_field();
        let tagged = variants.iter().any(|v| v.fields.is_some());
        for variant in variants.iter().filter(|_| tagged) {
            for field in variant.fields.iter().flatten().filter(|f| f.name == tag) {
                sink.push(
                    Diagnostic::new(
                        &rules::NAME_COLLISION,
                        field.name_span,
                        format!(
                            "the field `{tag}` of `{}` would be the tag field of `{}`'s Luau value",
                            variant.name, decl.name
                        ),
                    )
                    .with_label(format!("`{tag}` holds the variant's name in Luau"))
                    .with_help(format!(
                        "rename the field, or give the enum another tag field: \
                         `type {} = enum \"kind\" {{ .. }}`",
                        decl.name.item()
                    )),
                );
            }
        }
    }
    for (first, second, name) in luau::type_name_collisions(schema) {
        let (first, second) = (&schema.decls[first], &schema.decls[second]);
        if (first.name == second.name && !first.in_place && !second.in_place)
            || !visibility.co_visible(first.name_span.file, second.name_span.file)
        {
            continue;
        }
        sink.push(
            Diagnostic::new(
                &rules::NAME_COLLISION,
                second.name_span,
                format!(
                    "`{}` and `{}` would both be the type `{name}` in the generated Luau",
                    second.name, first.name
                ),
            )
            .with_label(format!("`{name}` in types.luau"))
            .with_secondary(first.name_span, format!("`{}` is `{name}` too", first.name))
            .with_help("rename one of them"),
        );
    }
}
