//! The one catalog of rules. Checks refer to a rule by its constant; the
//! CLI's `rules` and `explain`, the SARIF rule metadata and the docs are all
//! produced from this table.

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A policy error accepted on purpose with `@allow`: shown and counted,
    /// never a failure.
    Note,
    /// Fails a run only under `--deny warnings`; `@allow` can silence it.
    Warning,
    /// Fails the run.
    Error,
}

impl Severity {
    /// The lowercase name: `error`, `warning` or `note`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// Which family a rule belongs to; used to group `tether rules`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Names, structure and syntax of the schema itself.
    Structure,
    /// Roblox's documented argument limitations and network behaviour.
    Roblox,
}

/// One entry of the rule catalog.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The stable kebab-case name (`mixed-table`).
    pub name: &'static str,
    /// The stable code (`T101`).
    pub code: &'static str,
    /// The default severity of its diagnostics.
    pub severity: Severity,
    /// The family it is listed under.
    pub family: Family,
    /// Whether it also fires as a warning, for a milder case of its error
    /// (`unreliable-too-large`: a payload that may exceed the limit).
    pub also_warning: bool,
    /// Whether its errors state Tether's policy rather than a limitation of
    /// Roblox (`unchecked-client-value`): a game may accept them on purpose,
    /// with `@allow` on the declaration or a level in `tether.toml`.
    pub policy: bool,
    /// Whether `@allow(name)` may be written and a level set for it: rules
    /// that fire as warnings, and policy errors. A limitation's errors stay
    /// errors whatever is set; only its warnings are silenced or lowered.
    pub allowable: bool,
    /// What it fires on, in one line.
    pub summary: &'static str,
    /// The long explanation that `tether explain` prints.
    pub explanation: &'static str,
}

macro_rules! rules {
    ($($ident:ident = $name:literal, $code:literal, $sev:ident $(/ $also:ident)?, $fam:ident $(+ $policy:ident)?, $summary:literal, $explanation:literal;)*) => {
        $(
            #[doc = concat!("`", $name, "` (", $code, "): ", $summary, ".")]
            pub static $ident: Rule = Rule {
                name: $name,
                code: $code,
                severity: Severity::$sev,
                family: Family::$fam,
                also_warning: false $(|| matches!(Severity::$also, Severity::Warning))?,
                policy: false $(|| marker(stringify!($policy)))?,
                allowable: matches!(Severity::$sev, Severity::Warning)
                    $(|| matches!(Severity::$also, Severity::Warning))?
                    $(|| marker(stringify!($policy)))?,
                summary: $summary,
                explanation: $explanation,
            };
        )*
        /// Every rule, in code order.
        pub static ALL: &[&Rule] = &[$(&$ident),*];
    };
}

/// The one marker a catalog entry may carry after its family (`Roblox +
/// policy`); any other word fails to compile.
const fn marker(word: &str) -> bool {
    assert!(
        matches!(word.as_bytes(), b"policy"),
        "the only marker is `policy`"
    );
    true
}

/// Finds a rule by its name (`mixed-table`) or code (`T101`, case-insensitive).
pub fn find(name_or_code: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.name == name_or_code || r.code.eq_ignore_ascii_case(name_or_code))
}

rules! {
SYNTAX = "syntax", "T001", Error, Structure,
    "text that does not parse",
    "The file does not follow the grammar of the Tether schema language. The message says \
what was expected at the point where reading stopped. One syntax error stops only the file \
that holds it: other files are still checked, and nothing from the broken file is resolved, \
so no follow-on errors appear.";

UNKNOWN_TYPE = "unknown-type", "T002", Error, Structure,
    "a name that is not declared",
    "A type was named that is neither a built-in type, a Roblox datatype, a Roblox class, nor \
a `type` or `enum` declared in this file, an enclosing namespace, or an imported file. Names \
inside a namespace are written `Namespace.Name` from outside it. The diagnostic suggests the \
closest known name when there is one.";

DUPLICATE_NAME = "duplicate-name", "T003", Error, Structure,
    "two declarations, fields, params or variants with one name",
    "Within one scope every declaration (type, enum, namespace, remote, bindable) needs its own \
name, as does every field of a record, parameter of a remote and variant of an enum. Generated \
code maps each name to one item; two items with one name would silently shadow each other. \
Namespaces may be reopened, but their members still share one scope.";

UNKNOWN_ATTRIBUTE = "unknown-attribute", "T004", Error, Structure,
    "an attribute that does not exist",
    "Attributes are `@unreliable`, `@ordered`, `@rate(N/s)`, `@timeout(5s)`, \
`@deprecated(\"why\")`, `@allow(rule-name)`, `@native` and `@packed`; the one file option is \
`option encoding = packed` or `native`. A misspelt attribute or option would otherwise be \
ignored and the protection it was meant to give would be missing.";

INVALID_ATTRIBUTE = "invalid-attribute", "T005", Error, Structure,
    "an attribute with bad arguments, repeated, or in the wrong place",
    "Each attribute applies to some declarations only: `@unreliable` to remote events, \
`@ordered` to `@unreliable` events, `@rate` to anything a client sends, `@timeout` to functions, \
`@allow` to warning-level rules, `@native` and `@packed` (one of them) to remotes. Its arguments \
must have the documented form, for example `@rate(20/s)`, `@rate(600/min)` or `@rate(20/s, burst 5)`, `@timeout(250ms)`. \
`option encoding` is written at most once per file, as `packed` or `native`.";

INVALID_RANGE = "invalid-range", "T006", Error, Structure,
    "a range whose bounds are reversed, outside the type, or of the wrong kind",
    "A refinement such as `u8(1..100)`, `string(..64)` or `{T}(1..8)` bounds the values a \
receiver accepts. Its minimum must not exceed its maximum, both bounds must fit the type \
(`u8(0..300)` cannot hold 300), integer types take integer bounds, lengths and counts are \
whole numbers that are not negative, and a refinement only applies to numbers, strings, \
buffers, arrays and maps.";

UNKNOWN_CLASS = "unknown-class", "T007", Error, Structure,
    "an instance class that Roblox does not have",
    "Instance types name a class from the Roblox reflection database (`Part`, `Model`, \
`Player`, `Tool`, ...). The name is checked so that a typo does not become a reference the \
runtime can never satisfy.";

UNKNOWN_ENUM = "unknown-enum", "T008", Error, Structure,
    "a Roblox enum that does not exist",
    "`Enum.Name` refers to a Roblox enum (`Enum.Material`, `Enum.KeyCode`, ...) and is checked \
against the Roblox reflection database.";

UNKNOWN_SERVICE = "unknown-service", "T009", Error, Structure,
    "an instance location that is not a known service",
    "`Class in Service` says where an instance lives, which decides whether the receiver can \
see it. The location must be a known service (Workspace, ReplicatedStorage, ServerStorage, \
...) or `client` for instances a client created.";

UNBOUNDED_RECURSION = "unbounded-recursion", "T010", Error, Structure,
    "a type that contains itself with nothing optional in between",
    "A value of a type that contains itself directly, with no optional, array or map on the \
way back to itself, would be infinitely large: no value of it can ever be built or sent. \
Make the recursive reference optional (`Node?`) or put it in an array (`{Node}`).";

IMPORT_NOT_FOUND = "import-not-found", "T011", Error, Structure,
    "an import whose file cannot be read",
    "`import \"path.tether\"` is resolved relative to the file that holds it. The file must \
exist and be readable.";

IMPORT_CYCLE = "import-cycle", "T012", Error, Structure,
    "files that import each other",
    "Imports must form a tree (or a graph without cycles): a file may not import itself, \
directly or through other files. Move the shared declarations into a file that both import.";

DOUBLE_OPTIONAL = "double-optional", "T013", Error, Structure,
    "an optional of an optional (`T??`)",
    "Luau has a single `nil`: `T??` cannot mean anything that `T?` does not. Write `T?`.";

INVALID_DECLARATION = "invalid-declaration", "T014", Error, Structure,
    "a remote or bindable whose shape does not fit its kind",
    "A remote travels one way or both (`client -> server`, `server -> client`, `client <-> \
server`); a bindable lives on one side (`server` or `client`). A remote function goes one way \
only: its reply is the other way. Functions are written with `-> returns` (`-> ()` for none); \
events have no returns.";

NAME_COLLISION = "name-collision", "T015", Error, Structure,
    "two names that become one name in the generated Rust or Luau",
    "Generated Rust writes fields, parameters and modules in snake_case and types, variants and \
handles in PascalCase, and takes a raw identifier or a trailing underscore for a keyword (`type` \
is `r#type`, `self` and `Self` are `self_`); generated Luau names a namespaced type by joining \
its namespaces with `_` (`Combat.Hit` is `Combat_Hit`). Two schema names that differ only in \
case or underscores (`Id` and `ID`, `roll_item` and `RollItem`), or a name the generator gives \
its own item (`Server`, `Client`, `PROTOCOL` at the root), would become one name in one scope, \
and the generated code would not compile. Every such pair is reported, with both places; rename \
one of each.";

INVALID_KEY = "invalid-key", "T016", Error, Structure,
    "a dictionary keyed by something that is not its own value on the other side",
    "A remote's values travel in Tether's wire format, which writes a key as its type, so a \
string, an integer type, a boolean, a unit enum, a Roblox enum or an instance arrives as sent \
(an entry whose key instance the receiver cannot see is left out, and `instance-may-be-nil` \
warns where that can happen). Some keys still cannot work in any encoding: a float (NaN equals nothing; generated Rust keys \
a `HashMap`, which needs exact equality), a datatype (compared by its floats), a table or a \
tagged enum (tables are copied in transfer, so the receiver's copy is never the key it looks \
up), an optional (nil cannot be a key) and `any`. Key the dictionary by one of the kinds \
above, or send an array of records.";

AMBIGUOUS_UNION = "ambiguous-union", "T017", Error, Structure,
    "a union with two arms whose values the encoder could not tell apart",
    "A union `(A | B)` travels as the index of the arm its value is of, then the value. The \
encoder finds the arm by what the Luau value is: its `type` (`boolean`, `number`, `string`, \
`buffer`, `table`) or, for Roblox's values, its `typeof` (`Vector3`, `CFrame`, `EnumItem`, \
`Instance`). Two arms of one kind (`u8 | u16`, two records, a string and a unit enum, which \
travels as its name) could not be told apart, and an arm that may be nil, `any`, or a union \
has no one kind. Merge such arms into one type (a wider number, a tagged enum), or make the \
union optional instead of an arm (`(A | B)?`).";

MIXED_TABLE = "mixed-table", "T101", Error, Roblox,
    "a table with both an array part and named fields or an indexer",
    "Roblox documents that a table passed to a remote or bindable must be either entirely an \
array (numeric indices) or entirely a dictionary: \"do not pass a mixed table of numeric and \
string keys. Doing so can result in removed elements during the transfer.\" A table type with \
an array part and named fields, an array part and a string indexer, or two indexers, describes \
such a mixed table. Split it: put the list in a field of a record (`{ Items: {T}, Name: string }`).

Where it applies: wherever the table is written, in any encoding. Roblox's serializer drops \
elements of a mixed table it copies (a bindable's values); in a remote, the table is a Luau \
table again on the receiving side, and a Rust or Luau value of the generated code cannot hold \
both parts.";

NON_STRING_KEY = "non-string-key", "T102", Error, Roblox,
    "a dictionary keyed by anything but strings, where Roblox copies the table",
    "Roblox documents that \"if any indices of a passed table are non-string types, such as an \
Instance, userdata, or function, Roblox automatically converts those indices to strings\". Keys \
that are instances, numbers used as sparse keys, booleans, Roblox enums or datatypes arrive as \
strings and no longer match. Key the dictionary by `string` (or a refinement of it, or a unit \
`enum`, which travels as its name), or send an array of records instead.

Where it applies: to what Roblox itself copies: a `@native` remote's values (or every remote's \
in a file with `option encoding = native`), and a bindable's arguments and returns (Roblox \
copies a BindableEvent's or BindableFunction's tables with the same rules). A packed remote's \
values travel in Tether's wire format, which writes each key as its type: there a `u8`, a \
boolean or an instance key arrives as sent, and only the keys no encoding can carry are errors \
(`invalid-key`).";

NIL_IN_TABLE = "nil-in-table", "T103", Error, Roblox,
    "an array with optional elements or a dictionary with optional values",
    "Roblox documents: \"whether passing a dictionary table or a numerically indexed table, \
avoid nil values for any index.\" A nil inside an array cuts it short at the first hole, and a \
nil dictionary value is the same as a missing key. Make the element non-optional, or wrap it \
in a record with an optional field (`{ { Value: T? } }`).

Where it applies: in any encoding. Roblox cuts an array it copies at the first nil (a \
bindable's values); in a remote, the wire could carry the holes, but the receiving Luau \
table's `#` and `ipairs` stop at the first nil all the same.";

FUNCTION_VALUE = "function-value", "T104", Error, Roblox,
    "a function type in a remote's params or returns",
    "Roblox documents that \"functions included as arguments for a RemoteEvent or \
RemoteFunction will not be replicated across the client-server boundary ... the resulting \
argument on the receiving side will be nil.\" Only bindables, which stay on one side, may carry \
functions. Send data that names the action (an enum) instead.

Where it applies: remotes, in any encoding; a bindable's functions stay on one side and are \
passed as they are.";

METATABLE_LOST = "metatable-lost", "T105", Error, Roblox,
    "a table with a metatable in a remote or bindable",
    "Roblox documents that \"if a table has a metatable, all of the metatable information is \
lost in the transfer\": the receiver gets the plain table, without the methods or the fields \
that came from `__index`. Send the plain data and rebuild the object with `setmetatable` on \
the receiving side.

Where it applies: in any encoding: Roblox's serializer drops the metatable of a table it \
copies, and the wire carries the plain data only.";

SERVER_ONLY_INSTANCE = "server-only-instance", "T106", Error, Roblox,
    "an instance that lives where clients cannot see it, sent to a client",
    "Roblox documents that a value \"only visible to the sender\" is not replicated: \"if a \
Script passes a descendant of ServerStorage, the client listening to the event will receive a \
nil value because that object isn't replicable for the client.\" ServerStorage and \
ServerScriptService never replicate. Send data that describes the instance, or move it to \
ReplicatedStorage.

Where it applies: remotes from the server, in any encoding: an instance travels as a \
reference that the receiver resolves, and a client has none for an instance it cannot see.";

CLIENT_ONLY_INSTANCE = "client-only-instance", "T107", Error, Roblox,
    "an instance a client created, sent to the server",
    "Roblox documents: \"if you create a part in a LocalScript and try to pass it to a Script, \
the server will see nil because the part isn't replicable for the server.\" Send the data the \
server needs to create or find the instance itself.

Where it applies: remotes from a client, in any encoding, for the same reason.";

INSTANCE_MAY_BE_NIL = "instance-may-be-nil", "T108", Warning, Roblox,
    "a non-optional instance sent from the server to a client",
    "An instance the server sends may not exist on the client yet: with streaming enabled, \
parts far from the player's character are not streamed in, and even persistent models \
replicate with a delay (RemoteFunction reference, \"Streaming Precautions\"). The client then \
receives nil. Declare the type optional (`Part?`) so the client handles nil; an array element or \
a dictionary value cannot be nil without cutting the table (`nil-in-table`), so there the element \
becomes a record with an optional field (`{ { Value: Part? } }`). A dictionary's key or a set's \
element cannot be nil either: an entry whose key instance the client cannot see is left out, so \
key the table by an id where every entry must arrive. `Player` is exempt: Players are always \
replicated.

Where it applies: remotes from the server, in any encoding.";

UNCHECKED_CLIENT_VALUE = "unchecked-client-value", "T109", Error, Roblox + policy,
    "`any` in something a client sends",
    "Clients can send anything (\"never trust the client\"): a server that accepts `any` from a \
client cannot validate what reaches its handler. Declare the shape the server expects, so the \
runtime rejects everything else before the handler runs. This is Tether's policy, not a limit of \
Roblox: a remote that really means to take any value (a debug console, a relay to another \
service) says so with `@allow(unchecked-client-value)`, and each such place is shown as a note.

Where it applies: what a client sends, in any encoding.";

UNRELIABLE_TOO_LARGE = "unreliable-too-large", "T110", Error / Warning, Roblox,
    "an @unreliable payload that exceeds (or may exceed) 1000 bytes",
    "Unreliable remote events are dropped when their payload exceeds 1000 bytes \
(UnreliableRemoteEvent). The checker computes the smallest and largest encoded size of the \
payload in Tether's wire format: when even the smallest exceeds 1000 bytes the event can never \
be delivered (error); when the largest may exceed it, some sends will be dropped (warning). \
Bound the strings and arrays (`string(..64)`, `{T}(..16)`), or make the event reliable.

Where it applies: `@unreliable` remote events. A packed event's sizes are those of Tether's \
wire format, exactly. A native event's size is what Roblox's serializer makes of its values, \
which Roblox does not document: the checker knows only a floor measured per value (a number 9 \
bytes, a string its length plus 2, a boolean 2, a table 2 plus its entries), so it reports a \
native event whose smallest payload is over the limit, and never warns that one may be.";

UNBOUNDED_CLIENT_INPUT = "unbounded-client-input", "T111", Warning, Roblox,
    "a client-sent string, buffer, array or map with no upper bound",
    "A client can send a string or table as large as the network allows, and the server pays \
to receive, decode and store it. Give every client-sent string, buffer, array and map an upper \
bound (`string(..64)`, `{T}(..100)`); the server rejects anything longer before it is \
allocated.

Where it applies: what a client sends, in any encoding.";

SERVER_INVOKES_CLIENT = "server-invokes-client", "T112", Warning, Roblox,
    "a remote function the server invokes on a client",
    "The RemoteFunction reference lists the risks of InvokeClient: \"if the client throws an \
error, the server throws the error too; if the client disconnects while it's being invoked, \
InvokeClient() throws an error; if the client doesn't return a value, the server yields \
forever.\" Prefer a `server -> client` remote event, with a `client -> server` event for the \
answer. If you keep it, give it a `@timeout` and handle every error.

Where it applies: remote functions from the server to a client.";

SHARED_IDENTITY = "shared-identity", "T113", Error, Roblox,
    "a shared reference (`Rc`, `Arc`, `&`, a cell) in a remote or bindable",
    "Roblox documents that \"tables passed as arguments to remote events/callbacks are copied, \
meaning they will not be exactly equivalent to those provided when firing the event or invoking \
the callback\", and the same of bindables. A value shared through `Rc`, `Arc`, a reference or \
a `Cell`/`RefCell` arrives as an unshared copy: writes through one holder are no longer seen by \
the other, and two references to one value become two values. Only the Rust macros can write \
such a type. Send the value itself (`T`), and share it again on the receiving side if it must \
be shared.

Where it applies: remotes and bindables alike, in any encoding: both copy what they carry.";
}

/// The rules reference page (docs/rules.md), generated from this catalog.
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "# Rules\n\n\
Generated from the rule catalog by `tether rules --format markdown`; do not edit by hand.\n\
Warning-level rules can be silenced on one declaration with `@allow(name)`; a policy error\n\
(`policy` below) can be accepted there on purpose, and is then shown as a note. `tether.toml`\n\
sets a level (`allow`, `warn`, `deny`) for these rules across a project (docs/configuration.md).\n\n\
| code | name | severity | fires on |\n|---|---|---|---|\n",
    );
    for rule in ALL {
        out.push_str(&format!(
            "| {} | [`{}`](#{}) | {} | {} |\n",
            rule.code,
            rule.name,
            rule.name,
            rule.severity_text(),
            rule.summary
        ));
    }
    for rule in ALL {
        out.push_str(&format!(
            "\n## {}\n\n`{}` · {} · {}\n\n{}\n",
            rule.name,
            rule.code,
            rule.severity_text(),
            match (rule.family, rule.policy) {
                (Family::Structure, _) => "structure",
                (Family::Roblox, false) => "Roblox limitation",
                (Family::Roblox, true) => "policy",
            },
            rule.explanation
        ));
    }
    out
}

impl Rule {
    /// The severities a rule fires with: `error/warning` for one that can be both.
    pub fn severity_text(&self) -> &'static str {
        match (self.severity, self.also_warning) {
            (Severity::Error, true) => "error/warning",
            (severity, _) => severity.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes_are_unique_and_well_formed() {
        let mut names: Vec<_> = ALL.iter().map(|r| r.name).collect();
        let mut codes: Vec<_> = ALL.iter().map(|r| r.code).collect();
        names.sort_unstable();
        codes.sort_unstable();
        names.dedup();
        codes.dedup();
        assert_eq!(names.len(), ALL.len());
        assert_eq!(codes.len(), ALL.len());
        for rule in ALL {
            assert!(rule
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'));
            assert!(rule.code.starts_with('T') && rule.code.len() == 4);
        }
    }

    #[test]
    fn find_accepts_name_or_code() {
        assert_eq!(find("mixed-table"), Some(&MIXED_TABLE));
        assert_eq!(find("t101"), Some(&MIXED_TABLE));
        assert_eq!(find("nope"), None);
    }
}
