//! `tether import zap`: every Zap config in tests/zap is converted, its
//! schema and diagnostics are snapshotted, and the schema must pass Tether's
//! checker without errors. Syntax errors and hostile input are tested too.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tether_compiler::diag::render::human;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `tether import zap` from the crate's directory, so that the paths
/// in diagnostics are the same everywhere.
fn import(file: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tether"))
        .args(["--color", "never", "import", "zap"])
        .arg(file)
        .current_dir(manifest_dir())
        .output()
        .expect("the tether binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("output is UTF-8")
}

fn zap_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(manifest_dir().join("tests/zap"))
        .expect("tests/zap exists")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "zap"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_zap_file_converts_to_a_schema_that_checks() {
    let files = zap_files();
    assert!(files.len() >= 20, "tests/zap holds one file per construct");
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots/zap");
    settings.bind(|| {
        for file in &files {
            let stem = file
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("a file name")
                .to_string();
            let relative = Path::new("tests/zap").join(format!("{stem}.zap"));
            let output = import(&relative);
            let stdout = text(&output.stdout);
            let stderr = text(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(0),
                "{stem}.zap did not convert:\n{stderr}"
            );
            insta::assert_snapshot!(format!("{stem}.tether"), stdout);
            insta::assert_snapshot!(format!("{stem}.diagnostics"), stderr);

            let compilation = tether_compiler::compile_str("imported.tether", &stdout);
            assert!(
                !compilation.has_errors(),
                "{stem}.zap converted to a schema with errors:\n{stdout}\n{}",
                human::render_to_string(&compilation.sources, &compilation.diagnostics)
            );
        }
    });
}

fn temp_file(name: &str, contents: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(name);
    fs::write(&path, contents).expect("the file is written");
    (dir, path)
}

#[test]
fn a_syntax_error_fails_with_its_line() {
    let (_dir, path) = temp_file(
        "bad.zap",
        b"type A = u8\n\nevent B = {\n\tfrom: Sever,\n\ttype: Reliable,\n}\n",
    );
    let output = import(&path);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(output.stdout.is_empty(), "no schema on a syntax error");
    assert!(
        stderr.contains("error: `from` is `Server` or `Client`, not `Sever`"),
        "{stderr}"
    );
    assert!(stderr.contains("bad.zap:4:8"), "{stderr}");
}

#[test]
fn an_unterminated_declaration_names_the_end() {
    let (_dir, path) = temp_file("cut.zap", b"type A = struct {\n\ta: u8,\n");
    let output = import(&path);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("found the end of the file"), "{stderr}");
    assert!(stderr.contains("cut.zap:3:1"), "{stderr}");
}

#[test]
fn a_missing_file_cannot_run() {
    let output = import(Path::new("tests/zap/no-such-file.zap"));
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("no such file"));
}

#[test]
fn output_goes_to_the_named_file() {
    let (dir, path) = temp_file("a.zap", b"type A = u8(1..2)\n");
    let out = dir.path().join("a.tether");
    let output = Command::new(env!("CARGO_BIN_EXE_tether"))
        .args(["import", "zap"])
        .arg(&path)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("the tether binary runs");
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());
    let written = fs::read_to_string(&out).expect("the schema is written");
    assert!(written.contains("type A = u8(1..2)"), "{written}");
}

#[test]
fn hostile_input_does_not_panic() {
    let deep_parens = format!("type A = {}u8{}", "(".repeat(100_000), ")".repeat(100_000));
    let deep_arrays = format!("type A = u8{}", "[]".repeat(100_000));
    let deep_structs = format!(
        "type A = {}u8{}",
        "struct { a: ".repeat(50_000),
        "}".repeat(50_000)
    );
    let deep_namespaces = format!(
        "{}type A = u8{}",
        "namespace N = {".repeat(50_000),
        "}".repeat(50_000)
    );
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut random = Vec::new();
    let mut zap_like = Vec::new();
    let alphabet =
        b"{}[]()?:,|.=;\"' \n\t-0123456789 type event funct struct map set enum opt u8 string";
    for _ in 0..20_000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let [_, _, byte, _, index, ..] = state.to_le_bytes();
        random.push(byte);
        zap_like.push(alphabet[usize::from(index) % alphabet.len()]);
    }
    let mut cases: Vec<Vec<u8>> = vec![
        deep_parens.into_bytes(),
        deep_arrays.into_bytes(),
        deep_structs.into_bytes(),
        deep_namespaces.into_bytes(),
        random,
        zap_like,
        b"--[[ never closed".to_vec(),
        b"type A = \"never closed".to_vec(),
        "type \u{1F600} = u8".as_bytes().to_vec(),
    ];
    cases.push(b"event E = { from: Server, type: Reliable, data: (a: u8 | b) }".to_vec());
    for (index, case) in cases.iter().enumerate() {
        let (_dir, path) = temp_file("hostile.zap", case);
        let output = import(&path);
        let stderr = text(&output.stderr);
        assert!(
            matches!(output.status.code(), Some(1 | 2)),
            "case {index} ended with {:?}:\n{stderr}",
            output.status
        );
        assert!(!stderr.contains("panicked"), "case {index}:\n{stderr}");
    }
}

/// A union whose arms Tether cannot tell apart is written as it is, and
/// Tether's checker says why: the import fails, the schema is still written.
#[test]
fn an_ambiguous_union_is_tethers_error_to_report() {
    let (dir, path) = temp_file(
        "ambiguous.zap",
        b"type U = (string(..8) | enum { \"hello\", \"world\" })\n",
    );
    let out = dir.path().join("ambiguous.tether");
    let output = Command::new(env!("CARGO_BIN_EXE_tether"))
        .args(["import", "zap"])
        .arg(&path)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("the tether binary runs");
    assert_eq!(output.status.code(), Some(1));
    let err = text(&output.stderr);
    assert!(err.contains("ambiguous-union"), "{err}");
    assert!(std::fs::read_to_string(&out)
        .expect("written")
        .contains("type U = (string(..8) | enum { hello, world })"));
}
