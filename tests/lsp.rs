//! `candor lsp` end to end: the binary spoken to over stdio in JSON-RPC, as an editor does.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(cwd: &Path, extra: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
            .arg("lsp")
            .args(extra)
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        length = Some(v.parse::<usize>().unwrap());
                    }
                }
                let mut body = vec![0; length.expect("Content-Length")];
                r.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            rx,
            next_id: 1,
        };
        let id = client.request("initialize", json!({"capabilities": {}, "rootUri": null}));
        let init = client.response(id);
        assert_eq!(
            init["result"]["capabilities"]["textDocumentSync"]["change"], 1,
            "{init}"
        );
        client.notify("initialized", json!({}));
        client
    }

    fn send_raw(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.send_raw(framed.as_bytes());
    }

    fn request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message that `wanted` accepts; others are skipped.
    fn wait_for(&self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(m) if wanted(&m) => return m,
                Ok(_) => continue,
                Err(_) => panic!("no {what} within {WAIT:?}"),
            }
        }
    }

    fn response(&self, id: i64) -> Value {
        self.wait_for(&format!("response {id}"), |m| m["id"] == id)
    }

    fn diagnostics(&self, uri: &str) -> Vec<Value> {
        let m = self.wait_for("publishDiagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
    }

    fn stop(mut self) -> i32 {
        let id = self.request("shutdown", Value::Null);
        self.response(id);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        status.code().unwrap_or(-1)
    }
}

/// The text a diagnostic's range covers (UTF-16 positions; these texts are ASCII).
fn covered(text: &str, range: &Value) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let character = p["character"].as_u64().unwrap() as usize;
        text.split_inclusive('\n')
            .take(line)
            .map(str::len)
            .sum::<usize>()
            + character
    };
    text[offset(&range["start"])..offset(&range["end"])].to_string()
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

const REPLY: &str = "> Can I get a refund for my order? And how do I reset my password?\n\n\
Hi Sam,\n\nTo reset your password, open Settings and choose Reset password. \
We apologize for any inconvenience this may have caused. Please utilize the form.\n";

/// A folder with a `.candor.yaml` that adds a pack with one substitution rule.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("styles/Acme");
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(
        pack.join("Utilize.yml"),
        "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\n\
         description: Plain words read faster.\nlevel: error\nignorecase: true\n\
         swap:\n  utilize: use\n",
    )
    .unwrap();
    std::fs::write(dir.path().join(".candor.yaml"), "packs: [styles/Acme]\n").unwrap();
    dir
}

#[test]
fn opening_a_reply_publishes_its_findings_with_rule_codes_and_the_question() {
    let dir = project();
    let path = dir.path().join("reply.md");
    let uri = file_uri(&path);
    let mut client = Client::start(dir.path(), &[]);
    client.open(&uri, REPLY);
    let diags = client.diagnostics(&uri);
    let by_code = |code: &str| {
        diags
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("no {code} in {diags:#?}"))
    };
    let filler = by_code("Candor.CannedFiller");
    assert!(
        covered(REPLY, &filler["range"]).contains("apologize for any inconvenience"),
        "{filler}"
    );
    assert_eq!(filler["source"], "candor");
    // The project's configuration applies: its pack's rule fires, at error level.
    let utilize = by_code("Acme.Utilize");
    assert_eq!(covered(REPLY, &utilize["range"]), "utilize");
    assert_eq!(utilize["severity"], 1);
    // The unanswered question points at the customer's words in the quoted text.
    let ignored = by_code("Candor.IgnoredQuestion");
    let related = &ignored["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], uri.as_str());
    assert_eq!(
        covered(REPLY, &related["location"]["range"]),
        "Can I get a refund for my order?"
    );
    assert_eq!(client.stop(), 0);
}

#[test]
fn code_actions_offer_the_unambiguous_fix_and_hover_explains_the_rule() {
    let dir = project();
    let uri = file_uri(&dir.path().join("reply.md"));
    let mut client = Client::start(dir.path(), &[]);
    client.open(&uri, REPLY);
    let diags = client.diagnostics(&uri);
    let utilize = diags.iter().find(|d| d["code"] == "Acme.Utilize").unwrap();
    let id = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": utilize["range"],
               "context": {"diagnostics": [utilize]}}),
    );
    let actions = client.response(id)["result"].as_array().unwrap().clone();
    let quickfix = actions
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .expect("a quick fix");
    let edits = &quickfix["edit"]["changes"][uri.as_str()];
    assert_eq!(edits[0]["newText"], "use");
    assert_eq!(covered(REPLY, &edits[0]["range"]), "utilize");
    // The filler has advice only: no action puts text in for it.
    let filler = diags
        .iter()
        .find(|d| d["code"] == "Candor.CannedFiller")
        .unwrap();
    let id = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": filler["range"],
               "context": {"diagnostics": [filler], "only": ["quickfix"]}}),
    );
    assert_eq!(client.response(id)["result"], json!([]));

    let id = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": utilize["range"]["start"]}),
    );
    let hover = client.response(id);
    let text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(text.contains("Acme.Utilize"), "{text}");
    assert!(text.contains("Plain words read faster."), "{text}");
    assert_eq!(client.stop(), 0);
}

#[test]
fn edits_are_checked_again_and_the_inbound_file_comes_from_front_matter() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("customer.txt"),
        "Hello, can I change the delivery address on my order?\n",
    )
    .unwrap();
    let uri = file_uri(&dir.path().join("reply.md"));
    let mut client = Client::start(dir.path(), &["--no-config"]);
    let text = "---\ninbound: customer.txt\n---\nHi Ana,\n\nOur team is here for you.\n";
    client.open(&uri, text);
    let diags = client.diagnostics(&uri);
    let ignored = diags
        .iter()
        .find(|d| d["code"] == "Candor.IgnoredQuestion")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    let related = &ignored["relatedInformation"][0]["location"];
    assert_eq!(
        related["uri"],
        file_uri(&dir.path().join("customer.txt")).as_str()
    );
    assert_eq!(related["range"]["start"]["line"], 0);

    // The draft now answers: the question is no longer reported.
    let answered = "---\ninbound: customer.txt\n---\nHi Ana,\n\nYes, you can change the \
                    delivery address on your order until it ships: open the order and choose \
                    Change address.\n";
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"text": answered}]}),
    );
    let m = client.wait_for("diagnostics of version 2", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == 2
    });
    let codes: Vec<&Value> = m["params"]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["code"])
        .collect();
    assert!(
        !codes.contains(&&json!("Candor.IgnoredQuestion")),
        "{codes:?}"
    );
    assert_eq!(client.stop(), 0);
}

#[test]
fn malformed_input_gets_error_responses_and_the_server_keeps_serving() {
    let dir = project();
    let mut client = Client::start(dir.path(), &["--max-message-size", "4KiB"]);
    // Not JSON.
    client.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    let e = client.wait_for("parse error", |m| m.get("error").is_some());
    assert_eq!(e["error"]["code"], -32700);
    assert_eq!(e["id"], Value::Null);
    // Not UTF-8.
    client.send_raw(b"Content-Length: 4\r\n\r\n\xff\xfe{}");
    let e = client.wait_for("parse error", |m| m.get("error").is_some());
    assert_eq!(e["error"]["code"], -32700);
    assert!(e["error"]["message"].as_str().unwrap().contains("UTF-8"));
    // JSON, but no JSON-RPC message: the id is echoed.
    client.send(json!({"id": 77, "what": "no method"}));
    let e = client.response(77);
    assert_eq!(e["error"]["code"], -32600);
    // Larger than the limit: skipped unread.
    let huge = format!(
        "{{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"x\",\"params\":\"{}\"}}",
        "a".repeat(20_000)
    );
    client.send_raw(format!("Content-Length: {}\r\n\r\n{huge}", huge.len()).as_bytes());
    let e = client.wait_for("size error", |m| m.get("error").is_some());
    assert_eq!(e["error"]["code"], -32600);
    assert!(e["error"]["message"].as_str().unwrap().contains("limit"));
    // No Content-Length at all.
    client.send_raw(b"Content-Type: x\r\n\r\n");
    let e = client.wait_for("header error", |m| m.get("error").is_some());
    assert_eq!(e["error"]["code"], -32700);
    // Bad params for a known method, and an unknown method.
    let id = client.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(client.response(id)["error"]["code"], -32602);
    let id = client.request("candor/unknown", json!({}));
    assert_eq!(client.response(id)["error"]["code"], -32601);
    // Still serving.
    let uri = file_uri(&dir.path().join("after.md"));
    client.open(&uri, "Please utilize the form.\n");
    let diags = client.diagnostics(&uri);
    assert!(
        diags.iter().any(|d| d["code"] == "Acme.Utilize"),
        "{diags:?}"
    );
    assert_eq!(client.stop(), 0);
}

#[test]
fn a_saved_configuration_change_applies_to_open_documents() {
    let dir = project();
    let uri = file_uri(&dir.path().join("reply.md"));
    let mut client = Client::start(dir.path(), &[]);
    client.open(&uri, "Please utilize the form.\n");
    let diags = client.diagnostics(&uri);
    assert!(
        diags.iter().any(|d| d["code"] == "Acme.Utilize"),
        "{diags:?}"
    );
    // The project turns the rule off; the editor saves the reply.
    std::fs::write(
        dir.path().join(".candor.yaml"),
        "packs: [styles/Acme]\nrules:\n  Acme.Utilize: off\n",
    )
    .unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let diags = client.diagnostics(&uri);
    assert!(
        !diags.iter().any(|d| d["code"] == "Acme.Utilize"),
        "{diags:?}"
    );
    assert_eq!(client.stop(), 0);
}
