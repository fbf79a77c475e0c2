//! The progress bar: drawn on stderr when it is a terminal (run under `script`, which gives
//! the command a pseudo-terminal), never into a pipe, with --quiet or in CI. The delay before
//! it appears is set to 0 here (`CANDOR_PROGRESS_DELAY_MS`) so the test does not depend on
//! how long the run takes.

use std::process::Command;

fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..150 {
        std::fs::write(
            dir.path().join(format!("reply{i}.md")),
            format!("Thank you for reaching out. Your refund {i} went out today.\n"),
        )
        .unwrap();
    }
    dir
}

/// Runs candor on `dir` with its stderr on a terminal (stdout to /dev/null); what the
/// terminal showed. `None` when `script` is not available.
fn on_a_terminal(dir: &std::path::Path, extra: &str, ci: bool) -> Option<String> {
    let probe = Command::new("script").arg("--version").output().ok()?;
    if !probe.status.success() {
        return None;
    }
    let command = format!(
        "'{}' check . --no-config --format line {extra} > /dev/null",
        env!("CARGO_BIN_EXE_candor")
    );
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .env("CANDOR_PROGRESS_DELAY_MS", "0");
    if ci {
        cmd.env("CI", "true");
    } else {
        cmd.env_remove("CI");
    }
    let out = cmd.output().unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn a_bar_is_drawn_on_a_terminal_only() {
    let dir = tree();
    let Some(shown) = on_a_terminal(dir.path(), "", false) else {
        eprintln!("skipped: `script` is not available");
        return;
    };
    assert!(shown.contains("/150 files"), "{shown:?}");
    let quiet = on_a_terminal(dir.path(), "--quiet", false).unwrap();
    assert!(!quiet.contains("files ("), "{quiet:?}");
    let ci = on_a_terminal(dir.path(), "", true).unwrap();
    assert!(!ci.contains("files ("), "{ci:?}");

    // Into a pipe: only the usual summary and notes, never a bar.
    let out = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["check", ".", "--no-config", "--format", "line"])
        .current_dir(dir.path())
        .env("CANDOR_PROGRESS_DELAY_MS", "0")
        .env_remove("CI")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("files ("), "{stderr:?}");
}
