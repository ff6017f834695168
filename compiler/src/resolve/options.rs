//! Reads each file's `option name = value` lines: the settings its
//! declarations start from.

use std::collections::HashMap;

use crate::diag::{rules, Diagnostic, FileId};
use crate::ir::Encoding;
use crate::load::ParsedFile;
use crate::suggest::did_you_mean;

const KNOWN: &[&str] = &["encoding"];

/// The `option encoding` of each file that writes one.
pub fn file_encodings(
    files: &[ParsedFile],
    diagnostics: &mut Vec<Diagnostic>,
) -> HashMap<FileId, Encoding> {
    let mut encodings = HashMap::new();
    for file in files {
        let mut first = None;
        for option in &file.ast.options {
            let name = option.name.name.as_str();
            if name != "encoding" {
                // Options are written in schemas only, never by the macros.
                let help = match did_you_mean(name, KNOWN.iter().copied()) {
                    Some(known) => format!("did you mean `{known}`?"),
                    None => "the one option is `option encoding = packed` or `native`".to_string(),
                };
                diagnostics.push(
                    Diagnostic::new(
                        &rules::UNKNOWN_ATTRIBUTE,
                        option.name.span,
                        format!("unknown option `{name}`"),
                    )
                    .with_label("not an option Tether knows")
                    .with_help(help),
                );
                continue;
            }
            if let Some(first) = first {
                diagnostics.push(
                    Diagnostic::new(
                        &rules::INVALID_ATTRIBUTE,
                        option.span,
                        "`option encoding` is written twice".to_string(),
                    )
                    .with_secondary(first, "first written here")
                    .with_help("remove one of them"),
                );
                continue;
            }
            first = Some(option.span);
            match Encoding::from_name(&option.value.name) {
                Some(encoding) => {
                    encodings.insert(file.id, encoding);
                }
                None => diagnostics.push(
                    Diagnostic::new(
                        &rules::INVALID_ATTRIBUTE,
                        option.value.span,
                        format!("`{}` is not an encoding", option.value.name),
                    )
                    .with_label("expected `packed` or `native`")
                    .with_help(
                        "`packed` writes values in Tether's wire format; `native` passes them to \
                         Roblox as Luau values",
                    ),
                ),
            }
        }
    }
    encodings
}
