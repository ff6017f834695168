//! pest's expected rules in words: each rule the grammar may report is
//! mapped to what a user would call it ("a type", "`)`"), with a role that
//! decides whether it is worth mentioning next to the others.

use super::grammar::Rule;

/// A bracketed list, named for the words of its errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct List {
    pub open: &'static str,
    pub close: &'static str,
    /// "to close the ..." completes "expected `)`".
    pub name: &'static str,
    /// What goes in the list, for "expected a parameter or `)`".
    pub item: &'static [&'static str],
    /// The items, for "put `,` between parameters".
    pub items: &'static str,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    /// Something a list holds; renamed after the list when a closer is expected.
    Item,
    /// A name: dropped when a type is also expected (a name is a type).
    Name,
    /// A type.
    Type,
    /// A fixed token (`:`, `=`, `..`) or a construct that is not a list item.
    Token,
    /// `,` or `;` between the items of a list.
    Separator,
    /// A closing bracket.
    Closer(List),
    /// A token that may continue what came before (`?`, `.`, `in`, `->`):
    /// mentioned only when nothing else is expected.
    Continuation,
    /// End of file: mentioned only when nothing else is expected.
    End,
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Want {
    /// One or more alternatives, joined with the others into "a, b or c".
    pub words: &'static [&'static str],
    pub role: Role,
}

const fn list(
    open: &'static str,
    close: &'static str,
    name: &'static str,
    item: &'static [&'static str],
    items: &'static str,
) -> List {
    List {
        open,
        close,
        name,
        item,
        items,
    }
}

fn want(rule: Rule) -> Option<Want> {
    use Role::*;
    let (words, role): (&'static [&'static str], Role) = match rule {
        Rule::file => (&["`import`", "a declaration"], Item),
        Rule::kw_option | Rule::option => (&["`option`"], Token),
        Rule::kw_burst | Rule::burst => (&["`burst`"], Token),
        Rule::decl => (&["a declaration"], Item),
        Rule::kw_import | Rule::import => (&["`import`"], Token),
        Rule::ident | Rule::member | Rule::path => (&["a name"], Name),
        Rule::location_name => (&["a service name", "`client`"], Name),
        Rule::type_expr
        | Rule::paren_type
        | Rule::table
        | Rule::any_type
        | Rule::kw_any
        | Rule::metatable
        | Rule::kw_setmetatable => (&["a type"], Type),
        Rule::returns | Rule::paren_returns => (&["a return type"], Type),
        Rule::table_entry => (&["a field", "a type"], Item),
        Rule::indexer => (&["an indexer `[key]: value`"], Item),
        Rule::set_member | Rule::kw_true => (&["`true`"], Token),
        Rule::field | Rule::named_param => (&["a field"], Item),
        Rule::func_param => (&["a parameter"], Item),
        Rule::variant => (&["a variant"], Item),
        Rule::union_bar => (&["`|`"], Token),
        Rule::inline_enum => (&["a type"], Type),
        Rule::attribute => (&["an attribute"], Item),
        Rule::attr_arg | Rule::rate | Rule::duration | Rule::word => (&["an argument"], Item),
        Rule::number => (&["a number"], Item),
        Rule::string => (&["a string"], Item),
        Rule::transport | Rule::endpoint => (&["`remote`", "`bindable`"], Token),
        Rule::kw_remote => (&["`remote`"], Token),
        Rule::kw_bindable => (&["`bindable`"], Token),
        Rule::kw_type | Rule::type_alias => (&["`type`"], Token),
        Rule::kw_enum | Rule::enum_decl => (&["`enum`"], Token),
        Rule::kw_namespace | Rule::namespace => (&["`namespace`"], Token),
        Rule::call => (&["`event`", "`function`"], Token),
        Rule::kw_event => (&["`event`"], Token),
        Rule::kw_function => (&["`function`"], Token),
        Rule::route => (&["`client`", "`server`"], Token),
        Rule::kw_server => (&["`server`"], Token),
        Rule::kw_client => (&["`client`"], Token),
        Rule::params => (&["a parameter list"], Token),
        Rule::refinement_body => (
            &["a range such as `1..10`", "a number", "`nonfinite`"],
            Token,
        ),
        Rule::range => (&["a range such as `1..10`"], Token),
        Rule::kw_nonfinite => (&["`nonfinite`"], Token),
        Rule::rate_unit => (&["`s`", "`min`"], Token),
        Rule::eq => (&["`=`"], Token),
        Rule::dotdot => (&["`..`"], Token),
        Rule::route_arrow => (&["`->`"], Token),
        Rule::both_arrow => (&["`<->`"], Token),
        Rule::enum_open | Rule::ns_open => (&["`{`"], Token),
        Rule::angle_open => (&["`<`"], Token),
        Rule::comma | Rule::entry_sep => (&["`,`"], Separator),
        // `:` may follow a name that could also be a type (`{ u8 }`), so it
        // is only mentioned when it is the one thing expected.
        Rule::colon => (&["`:`"], Continuation),
        Rule::dot => (&["`.`"], Continuation),
        Rule::func_arrow | Rule::returns_arrow => (&["`->`"], Continuation),
        Rule::optional => (&["`?`"], Continuation),
        Rule::refinement | Rule::attr_args => (&["`(`"], Continuation),
        Rule::location | Rule::kw_in => (&["`in`"], Continuation),
        Rule::variant_fields => (&["`{`"], Continuation),
        Rule::EOI => (&["end of file"], End),
        _ => return closer(rule),
    };
    Some(Want { words, role })
}

/// The closing brackets, each with the list it closes.
fn closer(rule: Rule) -> Option<Want> {
    let list = match rule {
        Rule::enum_close => list("{", "}", "enum", &["a variant"], "variants"),
        Rule::fields_close => list("{", "}", "variant's fields", &["a field"], "fields"),
        Rule::ns_close => list("{", "}", "namespace", &["a declaration"], "declarations"),
        Rule::table_close => list("{", "}", "table type", &["a field", "a type"], "entries"),
        Rule::params_close => list("(", ")", "parameter list", &["a parameter"], "parameters"),
        Rule::paren_close => list("(", ")", "parentheses", &["a type"], "types"),
        Rule::refine_close => list("(", ")", "refinement", &["a number"], "bounds"),
        Rule::args_close => list(
            "(",
            ")",
            "attribute's arguments",
            &["an argument"],
            "arguments",
        ),
        Rule::index_close => list("[", "]", "indexer", &["a type"], "types"),
        Rule::angle_close => list(
            "<",
            ">",
            "type arguments of `setmetatable`",
            &["a type"],
            "types",
        ),
        _ => return None,
    };
    Some(Want {
        words: list.close_words(),
        role: Role::Closer(list),
    })
}

impl List {
    /// The closing bracket, quoted.
    fn close_words(&self) -> &'static [&'static str] {
        match self.close {
            ")" => &["`)`"],
            "}" => &["`}`"],
            "]" => &["`]`"],
            _ => &["`>`"],
        }
    }

    pub fn close_quoted(&self) -> &'static str {
        self.close_words().first().copied().unwrap_or("`)`")
    }
}

/// Order in a message: things first, then punctuation, closers, end of file.
fn rank(role: Role) -> u8 {
    match role {
        Role::Item | Role::Name | Role::Type => 0,
        Role::Token => 1,
        Role::Continuation => 2,
        Role::Separator => 3,
        Role::Closer(_) => 4,
        Role::End => 5,
    }
}

/// "a", "a or b", "a, b or c".
pub(super) fn join(words: &[&'static str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// pest's expected rules as words: what may only continue the text
/// before is dropped when something else is expected, and so is the end
/// of the file; inside a list, things are named after what the list holds.
pub(super) fn expected(positives: &[Rule]) -> Vec<Want> {
    let mut wants: Vec<Want> = positives.iter().copied().filter_map(want).collect();
    if wants.iter().any(|w| w.role != Role::Continuation) {
        wants.retain(|w| w.role != Role::Continuation);
    }
    if wants.iter().any(|w| w.role != Role::End) {
        wants.retain(|w| w.role != Role::End);
    }
    let list = wants.iter().find_map(|w| match w.role {
        Role::Closer(list) => Some(list),
        _ => None,
    });
    if let Some(list) = list {
        for w in &mut wants {
            if matches!(w.role, Role::Item | Role::Name | Role::Type) {
                w.words = list.item;
                w.role = Role::Item;
            }
        }
    }
    if wants.iter().any(|w| w.role == Role::Type) {
        wants.retain(|w| w.role != Role::Name);
    }
    wants.sort_by_key(|w| rank(w.role));
    wants
}
