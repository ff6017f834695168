//! Rule levels and `tether.toml`, as the compiler applies and reads them.

use std::path::Path;
use tether_compiler::diag::levels::{Level, LevelError, Levels};
use tether_compiler::diag::{rules, Severity};
use tether_compiler::project::{Project, ProjectError};
use tether_compiler::{compile_str, Compilation};

fn severities(c: &Compilation) -> Vec<(&'static str, Severity)> {
    c.diagnostics
        .iter()
        .map(|d| (d.rule.name, d.severity))
        .collect()
}

const SCHEMA: &str = "remote event Say: client -> server (s: string)\n\
                      remote event Relay: client -> server (v: any)\n\
                      @allow(unchecked-client-value) remote event Tool: client -> server (v: any)\n\
                      remote event Call: client -> server (f: () -> ())\n";

#[test]
fn levels_move_what_may_move_and_nothing_else() {
    let defaults = compile_str("t.tether", SCHEMA);
    assert_eq!(
        severities(&defaults),
        [
            ("unbounded-client-input", Severity::Warning),
            ("unchecked-client-value", Severity::Error),
            ("unchecked-client-value", Severity::Note),
            ("function-value", Severity::Error),
        ]
    );

    let mut levels = Levels::new();
    levels.set("unbounded-client-input", Level::Deny).unwrap();
    levels.set("T109", Level::Warn).unwrap();
    levels.set("function-value", Level::Deny).unwrap();
    let mut c = compile_str("t.tether", SCHEMA);
    levels.apply(&mut c.diagnostics);
    assert_eq!(
        severities(&c),
        [
            ("unbounded-client-input", Severity::Error),
            ("unchecked-client-value", Severity::Warning),
            // The declaration's `@allow` wins over the project's level.
            ("unchecked-client-value", Severity::Note),
            ("function-value", Severity::Error),
        ]
    );

    let mut levels = Levels::new();
    levels.set("unbounded-client-input", Level::Allow).unwrap();
    levels.set("unchecked-client-value", Level::Allow).unwrap();
    let mut c = compile_str("t.tether", SCHEMA);
    levels.apply(&mut c.diagnostics);
    assert_eq!(
        severities(&c),
        [
            ("unchecked-client-value", Severity::Note),
            ("function-value", Severity::Error),
        ]
    );
}

#[test]
fn a_limitation_has_no_level_but_deny() {
    let mut levels = Levels::new();
    for level in [Level::Allow, Level::Warn] {
        assert_eq!(
            levels.set("function-value", level),
            Err(LevelError::Fixed {
                rule: "function-value"
            })
        );
    }
    assert_eq!(levels.set("function-value", Level::Deny), Ok(()));
    // A rule that is an error or a warning by case: its warnings move, its
    // errors stay.
    assert_eq!(levels.set("unreliable-too-large", Level::Allow), Ok(()));
    match levels.set("mixed-tabel", Level::Deny) {
        Err(error @ LevelError::UnknownRule { .. }) => {
            assert_eq!(error.help(), "did you mean `mixed-table`?");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn effective_levels_are_the_set_ones_or_the_defaults() {
    let mut levels = Levels::new();
    assert_eq!(levels.effective(&rules::SYNTAX), Level::Deny);
    assert_eq!(levels.effective(&rules::INSTANCE_MAY_BE_NIL), Level::Warn);
    levels.set("instance-may-be-nil", Level::Allow).unwrap();
    assert_eq!(levels.effective(&rules::INSTANCE_MAY_BE_NIL), Level::Allow);
    let mut over = Levels::new();
    over.set("instance-may-be-nil", Level::Deny).unwrap();
    levels.extend(&over);
    assert_eq!(levels.effective(&rules::INSTANCE_MAY_BE_NIL), Level::Deny);
}

#[test]
fn project_files_parse_or_say_what_is_wrong() {
    let path = Path::new("/game/tether.toml");
    let project = Project::parse(
        path,
        "[lints]\nserver-invokes-client = \"allow\"\n\n[check]\nexclude = [\"old/**\", \"*.draft.tether\"]\n",
    )
    .unwrap();
    assert_eq!(
        project.levels().get(&rules::SERVER_INVOKES_CLIENT),
        Some(Level::Allow)
    );
    assert!(project.excludes(Path::new("/game/old/a/b.tether")));
    assert!(project.excludes(Path::new("/game/x.draft.tether")));
    // `*` stays in its directory; paths outside the project are never excluded.
    assert!(!project.excludes(Path::new("/game/sub/x.draft.tether")));
    assert!(!project.excludes(Path::new("/elsewhere/old/b.tether")));
    assert!(!project.excludes(Path::new("/game")));

    let syntax = Project::parse(path, "[lints]\nserver-invokes-client = \n").unwrap_err();
    assert!(matches!(syntax, ProjectError::Syntax { .. }), "{syntax:?}");
    assert!(syntax.to_string().contains("line 2"), "{syntax}");
    let fixed = Project::parse(path, "[lints]\nmixed-table = \"allow\"\n").unwrap_err();
    assert!(
        matches!(
            fixed,
            ProjectError::Level {
                source: LevelError::Fixed {
                    rule: "mixed-table"
                },
                ..
            }
        ),
        "{fixed:?}"
    );
}

#[test]
fn the_nearest_project_file_is_found_by_walking_up() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a/b/c");
    std::fs::create_dir_all(&nested).unwrap();
    assert!(Project::find(&nested).unwrap().is_none());
    std::fs::write(dir.path().join("tether.toml"), "").unwrap();
    std::fs::write(
        dir.path().join("a/tether.toml"),
        "[lints]\nT111 = \"deny\"\n",
    )
    .unwrap();
    let found = Project::find(&nested.join("game.tether")).unwrap().unwrap();
    assert_eq!(found.path(), dir.path().join("a/tether.toml"));
    assert_eq!(
        found.levels().get(&rules::UNBOUNDED_CLIENT_INPUT),
        Some(Level::Deny)
    );
}
