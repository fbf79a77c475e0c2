//! Replays every input the fuzzers ever broke Candor with (`tests/regressions/<target>/*`)
//! through the same checks the fuzz target makes (`tests/regressions/harness.rs`), so a fixed
//! bug stays fixed without running the fuzzers.

#[path = "regressions/harness.rs"]
mod harness;

use std::path::Path;

fn replay(folder: &str, target: &str, run: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(folder)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in &paths {
        let data = std::fs::read(path).unwrap();
        // A panic names the input, so a failure says which saved crash came back.
        eprintln!("replaying {}", path.display());
        run(&data);
    }
    paths.len()
}

#[test]
fn markdown_inputs_that_once_broke_candor_lint_cleanly() {
    replay("tests/regressions", "markdown", harness::markdown);
}

#[test]
fn macro_exports_that_once_broke_candor_read_cleanly() {
    replay("tests/regressions", "macros", harness::macros);
}

#[test]
fn reply_and_inbound_pairs_that_once_broke_candor_lint_cleanly() {
    replay("tests/regressions", "inbound", harness::inbound);
}

#[test]
fn rule_files_that_once_broke_candor_load_or_fail_cleanly() {
    replay("tests/regressions", "rule_yaml", harness::rule_yaml);
}

/// The seed corpora pass the fuzz checks too (a fuzz run starts from them).
#[test]
fn fuzz_seed_corpora_pass_the_fuzz_checks() {
    for (target, run) in [
        ("markdown", harness::markdown as fn(&[u8])),
        ("rule_yaml", harness::rule_yaml),
        ("macros", harness::macros),
        ("inbound", harness::inbound),
        ("repeats", |data| harness::repeats(data, false)),
    ] {
        let n = replay("fuzz/corpus", target, run);
        assert!(n > 0, "fuzz/corpus/{target}/ has no seeds");
    }
}

#[test]
fn every_regression_folder_has_a_replayer() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    for entry in std::fs::read_dir(root).unwrap().flatten() {
        if entry.path().is_dir() {
            let name = entry.file_name().to_string_lossy().into_owned();
            assert!(
                ["markdown", "rule_yaml", "macros", "inbound"].contains(&name.as_str()),
                "tests/regressions/{name}/ has no replay test in tests/regressions.rs"
            );
        }
    }
}
