//! Rule levels a project or a command line sets (`allow`, `warn`, `deny`),
//! and what they do to the diagnostics of a run.
//!
//! A level moves a rule's diagnostics between severities: `deny` makes
//! them errors, `warn` warnings, `allow` drops them. It lowers only what may
//! be lowered: the warnings of any rule, and the errors of a policy rule
//! (`unchecked-client-value`). An error that reports a limitation of Roblox
//! stays an error whatever is set, so no level can let through a schema
//! that loses data. A note (a policy error accepted with `@allow` on its
//! declaration) stays a note: the declaration's word wins, as `#[allow]`
//! does over a crate-wide level in Rust.

use super::rules::{self, Rule};
use super::{Diagnostic, Severity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A level for a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning: fails a run only under `--deny warnings`.
    Warn,
    /// Reported as an error: fails the run.
    Deny,
}

impl Level {
    /// `allow`, `warn` or `deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    /// The level a rule has when nothing sets one.
    pub fn default_of(rule: &Rule) -> Level {
        match rule.severity {
            Severity::Error => Level::Deny,
            Severity::Warning | Severity::Note => Level::Warn,
        }
    }
}

/// Why a level cannot be set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LevelError {
    /// No rule has this name or code.
    #[error("there is no rule `{name}`")]
    UnknownRule {
        /// The name as written.
        name: String,
        /// The closest rule name, if one is close.
        suggestion: Option<&'static str>,
    },
    /// A rule whose errors report a limitation of Roblox cannot be allowed
    /// or lowered to a warning.
    #[error("`{rule}` reports a limitation of Roblox: it can be denied, not allowed or warned")]
    Fixed {
        /// The rule's name.
        rule: &'static str,
    },
}

impl LevelError {
    /// A line that says what to write instead.
    pub fn help(&self) -> String {
        match self {
            LevelError::UnknownRule {
                suggestion: Some(name),
                ..
            } => format!("did you mean `{name}`?"),
            LevelError::UnknownRule {
                suggestion: None, ..
            } => "run `tether rules` for the list of rules".to_string(),
            LevelError::Fixed { .. } => {
                "only warnings and policy errors have a level; fix the schema instead".to_string()
            }
        }
    }
}

/// The levels set for a run, by rule; a rule not set keeps its default.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Levels {
    set: BTreeMap<&'static str, Level>,
}

impl Levels {
    /// No level set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `rule` (a name or a code) to `level`; a later setting of the
    /// same rule replaces an earlier one.
    pub fn set(&mut self, rule: &str, level: Level) -> Result<(), LevelError> {
        let Some(found) = rules::find(rule) else {
            return Err(LevelError::UnknownRule {
                name: rule.to_string(),
                suggestion: crate::did_you_mean(rule, rules::ALL.iter().map(|r| r.name)),
            });
        };
        if level != Level::Deny && !found.allowable {
            return Err(LevelError::Fixed { rule: found.name });
        }
        self.set.insert(found.name, level);
        Ok(())
    }

    /// Applies `other` over these levels: what it sets wins.
    pub fn extend(&mut self, other: &Levels) {
        self.set.extend(other.set.iter().map(|(k, v)| (*k, *v)));
    }

    /// The level set for `rule`, if any.
    pub fn get(&self, rule: &Rule) -> Option<Level> {
        self.set.get(rule.name).copied()
    }

    /// The level `rule` has in this run: the one set, or its default.
    pub fn effective(&self, rule: &Rule) -> Level {
        self.get(rule).unwrap_or_else(|| Level::default_of(rule))
    }

    /// Whether no level is set.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    /// Applies the levels to a run's diagnostics: each of a rule with a
    /// level set is kept, made a warning or an error, or dropped, as far
    /// as its rule may be moved (see the module's documentation).
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.set.is_empty() {
            return;
        }
        diagnostics.retain_mut(|diagnostic| {
            let Some(level) = self.get(diagnostic.rule) else {
                return true;
            };
            let movable = match diagnostic.severity {
                Severity::Note => return true,
                Severity::Warning => true,
                Severity::Error => diagnostic.rule.policy,
            };
            match level {
                Level::Deny => diagnostic.severity = Severity::Error,
                Level::Warn if movable => diagnostic.severity = Severity::Warning,
                Level::Allow if movable => return false,
                Level::Warn | Level::Allow => {}
            }
            true
        });
    }
}
