//! Benchmarks of the hot paths, in-library (no process start): loading the built-in pack,
//! parsing Markdown, checking (with the built-in pack, and with 1,000 extra phrase rules), and
//! rendering reports. `cargo bench --bench hot_paths`.
//!
//! The `corpus` group reads a deterministic ~2 MB sample of the evaluation corpus
//! (`$CANDOR_CORPUS`, else the first `shared/corpus` found beside the project or one of its
//! parent folders); when there is none it is skipped with a note. The `draft` and `report`
//! groups use the project's own bench/draft.md and text written here.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use candor::check::check_document;
use candor::document::{Document, Format};
use candor::report::{self, FileReport, Report, RuleDescriptor};
use candor::rules::RuleSet;
use divan::counter::BytesCount;
use divan::{black_box, Bencher, Divan};

/// How much of the corpus the `corpus` group uses: enough to average over many kinds of page,
/// small enough that a sample takes milliseconds.
const SAMPLE_BYTES: usize = 2_000_000;

fn main() {
    let divan = Divan::from_args();
    if CORPUS.is_empty() {
        eprintln!(
            "note: no corpus (set CANDOR_CORPUS or put it at ../shared/corpus): corpus benches skipped"
        );
        divan.skip_regex("corpus").main();
    } else {
        divan.main();
    }
}

fn corpus_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CANDOR_CORPUS") {
        return Some(PathBuf::from(dir)).filter(|d| d.is_dir());
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/corpus"))
        .find(|d| d.is_dir())
}

/// Markdown files of the corpus in sorted path order, up to [`SAMPLE_BYTES`].
static CORPUS: LazyLock<Vec<(Arc<str>, String)>> = LazyLock::new(|| {
    let Some(dir) = corpus_dir() else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                paths.push(p);
            }
        }
    }
    paths.sort();
    let mut out = Vec::new();
    let mut total = 0;
    for p in paths {
        if total >= SAMPLE_BYTES {
            break;
        }
        if let Ok(text) = std::fs::read_to_string(&p) {
            total += text.len();
            out.push((Arc::from(p.to_string_lossy().as_ref()), text));
        }
    }
    out
});

static DOCS: LazyLock<Vec<(Arc<str>, Document)>> = LazyLock::new(|| {
    CORPUS
        .iter()
        .map(|(p, t)| (p.clone(), Document::parse(t.clone(), Format::Markdown)))
        .collect()
});

fn corpus_bytes() -> BytesCount {
    BytesCount::new(CORPUS.iter().map(|(_, t)| t.len()).sum::<usize>())
}

static BUILTIN: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::builtin().unwrap());

/// The built-in pack plus 1,000 phrase rules (as bench/stress-pack.sh writes them, in spirit:
/// made-up phrases, some of which occur in prose).
static STRESS: LazyLock<RuleSet> = LazyLock::new(|| {
    let mut set = RuleSet::builtin().unwrap();
    let heads = [
        "in order",
        "at this",
        "due to",
        "with regard",
        "as a matter",
        "for the purpose",
        "by means",
        "on a daily",
        "in the event",
        "at the end",
        "very",
        "really",
        "quite",
        "simply",
        "just",
        "basically",
        "actually",
        "totally",
        "literally",
        "absolutely",
        "completely",
        "highly",
        "extremely",
        "truly",
        "deeply",
        "utterly",
        "fully",
        "greatly",
        "strongly",
        "clearly",
        "obviously",
        "easily",
        "quickly",
        "rapidly",
        "surely",
        "kind of",
        "it is",
        "there are",
        "we would",
        "please kindly",
    ];
    let tails = [
        "to",
        "of",
        "the day",
        "point in time",
        "fact",
        "purpose",
        "basis",
        "event",
        "important",
        "unique",
        "seamless",
        "robust",
        "powerful",
        "simple",
        "easy",
        "intuitive",
        "leverage",
        "utilize",
        "synergy",
        "paradigm",
        "holistic",
        "every",
        "foremost",
        "best",
        "new",
    ];
    let mut n = 0;
    for h in heads {
        for t in tails {
            let text = if n % 5 < 3 {
                format!(
                    "extends: existence\nmessage: \"Avoid %s.\"\nlevel: suggestion\nignorecase: true\ntokens:\n  - {h} {t}\n"
                )
            } else {
                format!(
                    "extends: substitution\nmessage: \"Use %s instead of %s.\"\nlevel: suggestion\nignorecase: true\nswap:\n  {h} {t}: {t}\n"
                )
            };
            set.add_file("Stress", &format!("P{n:04}.yml"), "P.yml", &text)
                .unwrap();
            n += 1;
        }
    }
    assert_eq!(n, 1000);
    set
});

const DRAFT: &str = include_str!("draft.md");

/// A reply with something for most built-in rules to say, written for this bench.
const NOISY: &str = "Dear valued customer,\n\nThank you for reaching out! We apologize for any \
inconvenience. Our industry-leading platform is trusted by thousands of teams, and we pride \
ourselves on our award-winning support. Hi {{first_name}}, as per our policy we are unable to \
refund orders after 30 days.\n\nFeel free to reach out if you have any other questions.\n\n\
Kind regards,\nThe Support Team\n";

mod load {
    use super::*;

    /// Every process start pays this: the embedded pack parsed and checked.
    #[divan::bench]
    fn builtin_pack() -> RuleSet {
        RuleSet::builtin().unwrap()
    }
}

mod draft {
    use super::*;

    /// Parse and check one short reply with rules already loaded.
    #[divan::bench]
    fn parse_and_check(bencher: Bencher) {
        let rules = &*BUILTIN;
        let path: Arc<str> = Arc::from("draft.md");
        bencher.counter(BytesCount::new(DRAFT.len())).bench(|| {
            let doc = Document::parse(black_box(DRAFT).to_string(), Format::Markdown);
            check_document(rules, &path, &doc, &[])
        });
    }
}

mod corpus {
    use super::*;

    #[divan::bench]
    fn parse_markdown(bencher: Bencher) {
        bencher.counter(corpus_bytes()).bench(|| {
            for (_, text) in CORPUS.iter() {
                black_box(Document::parse(text.clone(), Format::Markdown));
            }
        });
    }

    #[divan::bench]
    fn check_builtin_pack(bencher: Bencher) {
        let rules = &*BUILTIN;
        bencher.counter(corpus_bytes()).bench(|| {
            for (path, doc) in DOCS.iter() {
                black_box(check_document(rules, path, doc, &[]));
            }
        });
    }

    #[divan::bench]
    fn check_with_1000_phrase_rules(bencher: Bencher) {
        let rules = &*STRESS;
        bencher.counter(corpus_bytes()).bench(|| {
            for (path, doc) in DOCS.iter() {
                black_box(check_document(rules, path, doc, &[]));
            }
        });
    }
}

mod render {
    use super::*;

    /// 200 copies of a reply full of findings, checked once.
    fn noisy_report() -> Report {
        let rules = &*BUILTIN;
        let files = (0..200)
            .map(|i| {
                let path: Arc<str> = Arc::from(format!("replies/{i:03}.md"));
                let doc = Document::parse(NOISY.to_string(), Format::Markdown);
                let found = check_document(rules, &path, &doc, &[]);
                FileReport {
                    path,
                    text: Arc::from(NOISY),
                    diagnostics: found.diagnostics,
                    questions: found.questions,
                    positions: None,
                    human: None,
                }
            })
            .collect();
        Report {
            files,
            related_sources: Vec::new(),
            rules: RuleDescriptor::all(rules),
        }
    }

    static NOISY_REPORT: LazyLock<Report> = LazyLock::new(noisy_report);

    #[divan::bench]
    fn human(bencher: Bencher) {
        let r = &*NOISY_REPORT;
        bencher.bench(|| report::human::render(r, false));
    }

    #[divan::bench]
    fn json(bencher: Bencher) {
        let r = &*NOISY_REPORT;
        bencher.bench(|| report::json::render(r));
    }

    #[divan::bench]
    fn sarif(bencher: Bencher) {
        let r = &*NOISY_REPORT;
        bencher.bench(|| report::sarif::render(r));
    }
}

mod questions {
    use super::*;
    use candor::check::Inbound;

    /// A customer's message of `n` questions and a reply of `n` sentences, each on its own
    /// topic: every question is scored against every sentence.
    fn exchange(n: usize) -> (Document, Vec<Inbound>) {
        const TOPICS: &[&str] = &[
            "booking", "invoice", "router", "parcel", "seat", "licence", "refund", "password",
        ];
        let asked: String = (0..n)
            .map(|i| {
                let t = TOPICS[i % TOPICS.len()];
                format!("Can you move my {t} number {i} to the Friday slot?\n\n")
            })
            .collect();
        let reply: String = (0..n)
            .map(|i| {
                let t = TOPICS[(i * 3) % TOPICS.len()];
                format!("Your {t} reference {i} stays on the Monday list for now. ")
            })
            .collect();
        let inbound = Inbound {
            path: Arc::from("inbound.md"),
            doc: Document::parse(asked, Format::Markdown),
        };
        (Document::parse(reply, Format::Markdown), vec![inbound])
    }

    /// Questions x reply sentences: should grow with the product, not worse.
    #[divan::bench(args = [50, 200, 800])]
    fn questions_by_sentences(bencher: Bencher, n: usize) {
        let (reply, inbound) = exchange(n);
        let path: Arc<str> = Arc::from("reply.md");
        bencher.bench(|| candor::questions::analyse(&path, &reply, &inbound));
    }

    /// The question check alone over the corpus sample (mostly documents with no question).
    #[divan::bench]
    fn analyse_corpus(bencher: Bencher) {
        bencher.counter(corpus_bytes()).bench(|| {
            for (path, doc) in DOCS.iter() {
                black_box(candor::questions::analyse(path, doc, &[]));
            }
        });
    }
}
