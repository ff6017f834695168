//! Why the tool could not run (exit status 2), as data.

use std::io;
use std::path::PathBuf;
use tether_compiler::diag::levels::LevelError;
use tether_compiler::project::ProjectError;
use tether_compiler::LoadError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{}: no such file or directory", .0.display())]
    NotFound(PathBuf),

    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("{} is not UTF-8 text", .0.display())]
    NotUtf8(PathBuf),

    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },

    #[error("no `.tether` files found in {}", .0.display())]
    NoSchemas(PathBuf),

    #[error("{} is a directory; `tether {command}` takes one schema file", .path.display())]
    NotAFile {
        path: PathBuf,
        command: &'static str,
    },

    #[error(transparent)]
    Load(#[from] LoadError),

    #[error("unknown rule `{name}`")]
    UnknownRule {
        name: String,
        suggestion: Option<&'static str>,
    },

    #[error("cannot serialize the IR: {0}")]
    Serialize(#[from] serde_json::Error),

    #[error("cannot write output: {0}")]
    Output(#[from] io::Error),

    #[error("`tether gen luau` writes four modules; name their directory with `-o DIR`")]
    NoOutputDir,

    #[error(transparent)]
    Project(#[from] ProjectError),

    #[error("--{flag} {rule}: {source}")]
    Level {
        flag: &'static str,
        rule: String,
        source: LevelError,
    },
}

impl CliError {
    /// A line of advice to print after the error, if there is one.
    pub fn help(&self) -> Option<String> {
        match self {
            CliError::NoSchemas(_) => Some(
                "name schema files explicitly, or check what `.tetherignore` files and the \
                 `exclude` of `tether.toml` skip"
                    .to_string(),
            ),
            CliError::UnknownRule {
                suggestion: Some(name),
                ..
            } => Some(format!("did you mean `{name}`?")),
            CliError::UnknownRule {
                suggestion: None, ..
            } => Some("run `tether rules` to list every rule".to_string()),
            CliError::Project(error) => error.help(),
            CliError::Level { source, .. } => Some(source.help()),
            _ => None,
        }
    }

    /// Whether the error is a closed output pipe (`tether rules | head`),
    /// which is not worth a message.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}
