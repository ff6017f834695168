//! The rule levels of a run: those `tether.toml` sets, then the command
//! line's `--allow`, `--warn` and `--deny`, in that order, so that a flag
//! wins over the file and `--deny` over the other flags.

use super::args::{LevelArgs, WARNINGS};
use super::CliError;
use tether_compiler::diag::levels::{Level, Levels};
use tether_compiler::project::Project;

pub fn for_run(project: Option<&Project>, args: &LevelArgs) -> Result<Levels, CliError> {
    let mut levels = project.map(|p| p.levels().clone()).unwrap_or_default();
    let flags = [
        ("allow", Level::Allow, &args.allow),
        ("warn", Level::Warn, &args.warn),
        ("deny", Level::Deny, &args.deny),
    ];
    for (flag, level, rules) in flags {
        for rule in rules {
            if level == Level::Deny && rule == WARNINGS {
                continue;
            }
            levels.set(rule, level).map_err(|source| CliError::Level {
                flag,
                rule: rule.clone(),
                source,
            })?;
        }
    }
    Ok(levels)
}
