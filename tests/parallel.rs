//! Files are linted in parallel; the output must not depend on how many threads there are, on
//! which thread finishes first, or on the order paths are given in.

use std::path::Path;
use std::process::Command;

/// Replies of different lengths (so threads finish out of order), some with findings, plus a
/// file that cannot be decoded and a nested folder.
fn write_tree(dir: &Path) {
    let phrases = [
        "Thanks for reaching out!",
        "We apologize for any inconvenience this may have caused.",
        "Your refund of $40 went out today.",
        "Please don't hesitate to contact us.",
        "The export runs every night at 02:00 UTC.",
        "Dear valued customer,",
    ];
    for i in 0..60 {
        let mut text = String::new();
        for j in 0..(1 + (i * 7) % 23) {
            text.push_str(phrases[(i + j) % phrases.len()]);
            text.push(if j % 4 == 3 { '\n' } else { ' ' });
            if j % 9 == 8 {
                text.push_str("\n\n> Where is my order?\n\n");
            }
        }
        let sub = if i % 3 == 0 { "nested/" } else { "" };
        let ext = if i % 2 == 0 { "md" } else { "txt" };
        let path = dir.join(format!("{sub}reply-{i:02}.{ext}"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::write(dir.join("broken.md"), b"caf\xe9 latte\n").unwrap();
}

fn run(dir: &Path, threads: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_candor"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env("RAYON_NUM_THREADS", threads)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn output_is_the_same_for_any_thread_count_and_path_order() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path());
    for format in ["json", "human", "line"] {
        let one = run(dir.path(), "1", &["--format", format, "."]);
        // The run found things and met the bad file, so the comparison is not of empty output.
        assert_eq!(one.0, Some(2), "{format}: {}", one.2);
        assert!(one.1.contains("Candor.CannedFiller"), "{format}: {}", one.1);
        assert!(one.2.contains("broken.md"), "{}", one.2);
        for threads in ["2", "4", "7"] {
            let many = run(dir.path(), threads, &["--format", format, "."]);
            assert_eq!(one, many, "{format} with {threads} threads");
        }
        // The same files named in another order, folders and files mixed.
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names.reverse();
        let mut args = vec!["--format", format];
        args.extend(names.iter().map(String::as_str));
        let reordered = run(dir.path(), "4", &args);
        assert_eq!(one.0, reordered.0);
        assert_eq!(
            one.1.replace("./", ""),
            reordered.1.replace("./", ""),
            "{format}, paths reversed"
        );
    }
}

#[test]
fn files_are_reported_in_sorted_path_order() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(dir.path());
    let (_, json, _) = run(dir.path(), "4", &["--format", "json", "."]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 60);
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}

/// A run of many files compiles the phrase catalogues whole at once (`LARGE_RUN_FILES`); each
/// file must still get exactly what it gets alone, where they are searched pattern by pattern.
#[test]
fn a_large_run_finds_in_each_file_what_the_file_alone_gives() {
    let dir = tempfile::tempdir().unwrap();
    let phrases = [
        "Thanks for reaching out! :)",
        "We apologize for any inconvenience this may have caused.",
        "Per our policy, our award-winning team cannot refund it.",
        "Vielen Dank für Ihre Nachricht.",
        "Let us know if you have any questions <3",
        "Your refund of $40 went out today.",
        "Hi Sam,\n\nThe export runs every night. Take care!",
    ];
    let files = candor::run::LARGE_RUN_FILES + 6;
    for i in 0..files {
        let text: Vec<&str> = (0..1 + i % 5)
            .map(|j| phrases[(i * 3 + j) % phrases.len()])
            .collect();
        std::fs::write(dir.path().join(format!("r{i:03}.md")), text.join(" ")).unwrap();
    }
    let (_, together, err) = run(dir.path(), "2", &["--format", "json", "."]);
    let together: serde_json::Value = serde_json::from_str(&together).expect(&err);
    let together = together["files"].as_array().unwrap();
    assert_eq!(together.len(), files);
    let mut findings = 0;
    for file in together {
        let path = file["path"].as_str().unwrap();
        let (_, alone, err) = run(dir.path(), "1", &["--format", "json", path]);
        let alone: serde_json::Value = serde_json::from_str(&alone).expect(&err);
        assert_eq!(&alone["files"][0], file, "{path}");
        findings += file["diagnostics"].as_array().unwrap().len();
    }
    assert!(findings > files, "{findings}");
}
