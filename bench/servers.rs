//! What typing costs in the servers: re-checking a 20 KB draft after a one-character change,
//! through `candor lsp`'s own message handling (didChange, check, diagnostics serialised as the
//! client receives them) and through the draft page's check. `cargo bench --bench servers`.
//! The goal is under 10 ms a keystroke (issue 24).

use candor::config::ConfigChoice;
use candor::server::draft::Drafts;
use candor::server::lsp::Server;
use candor::server::page;
use candor::server::transport::Incoming;
use divan::{black_box, Bencher};
use lsp_server::{Message, Notification, Request};
use serde_json::json;

fn main() {
    divan::main();
}

/// About 20 KB of reply-like Markdown: a quoted customer message, then varied paragraphs (some
/// with findings), with a heading every few paragraphs.
fn draft_20kb() -> String {
    let paragraphs = [
        "Thanks for reaching out! Your refund of $40 went out today; it should reach your card by Friday.",
        "We apologize for any inconvenience this may have caused. Please utilize the form on the billing page.",
        "To change the delivery address, open the order, choose Change address and save. Orders that have shipped cannot be changed.",
        "Our team is always happy to help, and we value you as a customer. Let us know if there is anything else.",
        "The export runs every night at 02:00 UTC; files older than 30 days are removed from the archive.",
    ];
    let mut text = String::from(
        "> Hi, can I get a refund for my order? And how do I change the delivery address?\n\nHi Priya,\n\n",
    );
    let mut i = 0;
    while text.len() < 20_000 {
        if i % 6 == 5 {
            text.push_str(&format!("## Section {}\n\n", i / 6 + 1));
        }
        text.push_str(&format!(
            "{} (note {i})\n\n",
            paragraphs[i % paragraphs.len()]
        ));
        i += 1;
    }
    text
}

fn notification(method: &str, params: serde_json::Value) -> Message {
    Message::Notification(Notification::new(method.to_string(), params))
}

/// `candor lsp`: didChange with the whole text (one character differs from the last version),
/// then the check and the published diagnostics.
#[divan::bench]
fn lsp_relint_after_one_character(bencher: Bencher) {
    let text = draft_20kb();
    let uri = "file:///tmp/candor-bench/reply.md";
    let mut server = Server::new(ConfigChoice::Disabled).unwrap();
    let mut sink = Vec::new();
    let init = Request::new(
        1.into(),
        "initialize".to_string(),
        json!({"capabilities": {}}),
    );
    server.handle(Message::Request(init), &mut sink).unwrap();
    let open = notification(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    server.handle(open, &mut sink).unwrap();
    // Two versions a keystroke apart, alternated so every change is a real one.
    let middle = text.len() / 2;
    let versions = [
        text.clone(),
        format!("{}x{}", &text[..middle], &text[middle + 1..]),
    ];
    let mut version = 1;
    bencher.bench_local(|| {
        version += 1;
        let change = notification(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"text": versions[version as usize % 2]}]}),
        );
        sink.clear();
        server.handle(change, &mut sink).unwrap();
        server.check_pending(&mut sink).unwrap();
        black_box(sink.len())
    });
}

/// `candor lsp`: the framing and parsing of that didChange message as it arrives on stdin.
#[divan::bench]
fn lsp_read_one_change_message(bencher: Bencher) {
    let body = json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
        "params": {"textDocument": {"uri": "file:///tmp/r.md", "version": 2},
                   "contentChanges": [{"text": draft_20kb()}]}})
    .to_string();
    let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes();
    bencher.bench_local(|| {
        let mut r = std::io::Cursor::new(&framed);
        let m = candor::server::transport::read(&mut r, usize::MAX).unwrap();
        black_box(matches!(m, Some(Incoming::Message(_))))
    });
}

/// The draft page: one `POST /api/check` worth of work (check and JSON report) on the same draft.
#[divan::bench]
fn page_check_20kb(bencher: Bencher) {
    let text = draft_20kb();
    let mut drafts = Drafts::new(ConfigChoice::Disabled).unwrap();
    let folder = std::env::temp_dir();
    let inbound = "Hi, can I get a refund for my order? And how do I change the delivery address?";
    bencher.bench_local(|| {
        let report = page::check(&mut drafts, &folder, inbound.to_string(), text.clone()).unwrap();
        black_box(candor::report::json::render(&report).len())
    });
}
