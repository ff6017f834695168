//! Every type form crosses: each server → client event of
//! `tests/schemas/types.tether` is sent by some test of this directory.

use std::path::Path;

use tether_tests::types as t;

#[test]
fn every_event_of_the_types_schema_has_a_cross_test() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/luau_cross");
    let mut sources = String::new();
    for entry in std::fs::read_dir(&dir).expect("the test directory") {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            sources.push_str(&std::fs::read_to_string(&path).expect("a test file"));
        }
    }
    let missing: Vec<&str> = t::PROTOCOL
        .to_client
        .iter()
        .map(|m| m.name)
        .filter(|event| {
            let decl = event.strip_prefix("Send").expect("every event is SendX");
            ![
                format!("boxed!({decl}, "),
                format!("nominal!({decl})"),
                format!("\"{event}\""),
            ]
            .iter()
            .any(|use_| sources.contains(use_.as_str()))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "events without a cross test: {missing:?}"
    );
}
