//! `candor serve` end to end: the binary's HTTP API spoken to over a plain TCP socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

struct Served {
    child: Child,
    /// `127.0.0.1:PORT`
    addr: String,
    _dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve() -> Served {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["serve", "--port", "0"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("candor serve: http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    Served {
        child,
        addr: url.trim_end_matches('/').to_string(),
        _dir: dir,
    }
}

/// Sends one request; returns the status and the body.
fn http(addr: &str, host: &str, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    // A server that answers before reading everything may close early: that is its right.
    let _ = s.write_all(body);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_string();
    (status, body)
}

fn post(served: &Served, body: &[u8]) -> (u16, String) {
    http(&served.addr, &served.addr, "POST", "/api/check", body)
}

#[test]
fn the_api_answers_with_the_json_report_and_its_question_map() {
    let served = serve();
    let request = json!({
        "inbound": "Hi, can I get a refund for my order? And how do I reset my password?",
        "draft": "Hi Sam,\n\nTo reset your password, open Settings and choose Reset password. \
                  We apologize for any inconvenience this may have caused.\n",
    });
    let (status, body) = post(&served, request.to_string().as_bytes());
    assert_eq!(status, 200, "{body}");
    let report: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(report["version"], 1);
    let file = &report["files"][0];
    assert_eq!(file["path"], "draft.txt");
    let questions = file["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 2, "{questions:#?}");
    let open: Vec<&Value> = questions
        .iter()
        .filter(|q| q["addressed"] == false)
        .collect();
    assert_eq!(open.len(), 1, "{questions:#?}");
    assert!(open[0]["text"].as_str().unwrap().contains("refund"));
    let rules: Vec<&Value> = file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["rule"])
        .collect();
    assert!(rules.contains(&&json!("Candor.CannedFiller")), "{rules:?}");
    assert!(
        rules.contains(&&json!("Candor.IgnoredQuestion")),
        "{rules:?}"
    );

    let (status, page) = http(&served.addr, &served.addr, "GET", "/", b"");
    assert_eq!(status, 200);
    assert!(page.contains("<textarea id=\"draft\""), "{page}");
}

#[test]
fn bad_requests_get_errors_and_the_server_keeps_serving() {
    let served = serve();
    let huge = vec![b'a'; 2 * 1024 * 1024];
    assert_eq!(post(&served, &huge).0, 413);
    let (status, body) = post(&served, b"{\"draft\": \"\xff\xfe\"}");
    assert_eq!(status, 400);
    assert!(body.contains("UTF-8"), "{body}");
    assert_eq!(post(&served, b"{\"draft\": ").0, 400);
    assert_eq!(post(&served, b"{\"text\": \"hello\"}").0, 400);
    assert_eq!(
        http(&served.addr, &served.addr, "GET", "/api/check", b"").0,
        405
    );
    assert_eq!(
        http(&served.addr, &served.addr, "GET", "/nothing", b"").0,
        404
    );
    // A page elsewhere that renamed itself to this address (DNS rebinding) is turned away.
    let (status, _) = http(
        &served.addr,
        "evil.example:80",
        "POST",
        "/api/check",
        b"{\"draft\": \"hello\"}",
    );
    assert_eq!(status, 403);
    let (status, body) = post(
        &served,
        json!({"draft": "Please see the form."})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(status, 200, "{body}");
}

#[test]
fn a_non_loopback_address_is_refused_without_allow_remote() {
    let out = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["serve", "--host", "0.0.0.0", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--allow-remote"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_rewrite_with_a_stand_in_is_a_suggestion_not_a_fix() {
    let served = serve();
    let request = json!({"draft": "Dear valued customer,\n\nYour order shipped on Monday.\n"});
    let (status, body) = post(&served, request.to_string().as_bytes());
    assert_eq!(status, 200, "{body}");
    let report: Value = serde_json::from_str(&body).unwrap();
    let greeting = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "Candor.GenericGreeting")
        .unwrap_or_else(|| panic!("{body}"))
        .clone();
    assert!(greeting["suggestions"][0]
        .as_str()
        .unwrap()
        .contains("customer's name"));
    assert!(greeting.get("fix").is_none(), "{greeting}");
}
