//! `candor lsp`: a Language Server over standard input and output.
//!
//! What it does: checks Markdown and plain-text documents as they are opened, edited (after a
//! pause in typing: [`DEBOUNCE`]) and saved, with the configuration `candor check` would use
//! for the same file (the nearest `.candor.yaml`, read again after each save). Each finding is
//! an LSP diagnostic with the rule id as its `code`, its level, its message and, for an ignored
//! question, the question in the customer's message as related information. Code actions offer
//! the unambiguous rewrites `--fix` applies (one per finding, and all of them at once), never a
//! suggestion that needs a writer's judgement; hover shows the rule's description.
//! The customer's message is the reply's quoted `>` text, or the file named by `inbound:` in its
//! front matter (see [`super::draft`]).
//! Why it matters: writers see what Candor says while they write, not after CI fails.
//! Example: `candor lsp` started by Neovim's `vim.lsp.start({ cmd = { "candor", "lsp" } })`.

use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use lsp_server::{Message, Notification, Request, Response};
use lsp_types as lsp;
use serde_json::Value;

use super::draft::{self, Checked, Drafts};
use super::positions::{Lines, Unit};
use super::transport::{self, Incoming};
use crate::check::Inbound;
use crate::config::{ConfigChoice, Effective};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;

/// How long typing must pause before a changed document is checked again.
pub const DEBOUNCE: Duration = Duration::from_millis(120);

/// The largest customer's message read from disk for a reply.
const MAX_INBOUND_FILE: u64 = 16 * 1024 * 1024;

const METHOD_NOT_FOUND: i32 = -32601;
const INVALID_PARAMS: i32 = -32602;
const SERVER_NOT_INITIALIZED: i32 = -32002;

/// Serves one client on standard input and output until it says `exit` or closes the stream.
/// Returns the process exit code (0 after `shutdown` then `exit`, 1 otherwise, as the protocol
/// asks).
pub fn run_stdio(choice: ConfigChoice, max_body: usize) -> u8 {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        read_loop(&mut input, max_body, &tx);
    });
    let stdout = io::stdout();
    let mut out = stdout.lock();
    match Server::new(choice) {
        Ok(mut server) => server.serve(&rx, &mut out),
        Err(e) => {
            eprintln!("candor lsp: {e}");
            2
        }
    }
}

/// Reads framed messages into `tx` until the stream ends or the server stops listening.
pub fn read_loop(input: &mut impl BufRead, max_body: usize, tx: &mpsc::Sender<Incoming>) {
    loop {
        match transport::read(input, max_body) {
            Ok(Some(m)) => {
                if tx.send(m).is_err() {
                    return;
                }
            }
            Ok(None) | Err(_) => return,
        }
    }
}

/// One open document.
struct Open {
    uri: lsp::Uri,
    /// The file it is (a made-up name in the current folder for an unsaved buffer).
    path: PathBuf,
    language: String,
    version: i32,
    text: String,
    /// What the last check found, for hover and code actions; `None` when it is out of date.
    checked: Option<Linted>,
}

struct Linted {
    /// The text as checked, parsed.
    doc: Document,
    diagnostics: Vec<Diagnostic>,
    rules: Option<Arc<Effective>>,
    /// The inbound file the reply named, if any, to check again when it changes.
    inbound: Option<PathBuf>,
}

/// The server's state between messages.
pub struct Server {
    drafts: Drafts,
    unit: Unit,
    docs: HashMap<String, Open>,
    /// Documents changed and waiting for typing to pause, with when to check them.
    due: HashMap<String, Instant>,
    initialized: bool,
    shut_down: bool,
}

impl Server {
    pub fn new(choice: ConfigChoice) -> Result<Server, crate::error::ConfigError> {
        Ok(Server {
            drafts: Drafts::new(choice)?,
            unit: Unit::Utf16,
            docs: HashMap::new(),
            due: HashMap::new(),
            initialized: false,
            shut_down: false,
        })
    }

    /// Handles messages until `exit` or the end of input; returns the exit code.
    pub fn serve(&mut self, rx: &mpsc::Receiver<Incoming>, out: &mut impl Write) -> u8 {
        loop {
            let next = match self.due.values().min() {
                Some(&at) => {
                    let wait = at.saturating_duration_since(Instant::now());
                    match rx.recv_timeout(wait) {
                        Ok(m) => Some(m),
                        Err(mpsc::RecvTimeoutError::Timeout) => None,
                        Err(mpsc::RecvTimeoutError::Disconnected) => return 1,
                    }
                }
                None => match rx.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return 1,
                },
            };
            let result = match next {
                Some(Incoming::Message(Message::Notification(n))) if n.method == "exit" => {
                    return if self.shut_down { 0 } else { 1 };
                }
                Some(Incoming::Message(m)) => self.handle(m, out),
                Some(Incoming::Invalid { id, code, message }) => {
                    transport::write_invalid(out, id, code, &message)
                }
                None => self.check_due(out),
            };
            if result.is_err() {
                // The client is gone.
                return 1;
            }
        }
    }

    /// Handles one message, writing responses and notifications to `out`. Changed documents
    /// are only marked due: [`Server::check_pending`] (or the pause in typing) checks them.
    pub fn handle(&mut self, message: Message, out: &mut impl Write) -> io::Result<()> {
        match message {
            Message::Request(req) => {
                let id = req.id.clone();
                let response = match self.request(req, out) {
                    Ok(result) => Response::new_ok(id, result),
                    Err((code, message)) => Response::new_err(id, code, message),
                };
                transport::write(out, &Message::Response(response))
            }
            Message::Notification(n) => self.notification(n, out),
            // The server sends no requests, so a response answers nothing.
            Message::Response(_) => Ok(()),
        }
    }

    fn request(&mut self, req: Request, out: &mut impl Write) -> Result<Value, (i32, String)> {
        if req.method == "initialize" {
            let params: lsp::InitializeParams = params(req.params)?;
            self.initialized = true;
            return Ok(self.initialize(&params));
        }
        if !self.initialized {
            return Err((SERVER_NOT_INITIALIZED, "initialize first".to_string()));
        }
        match req.method.as_str() {
            "shutdown" => {
                self.shut_down = true;
                Ok(Value::Null)
            }
            "textDocument/hover" => {
                let p: lsp::HoverParams = params(req.params)?;
                let pos = p.text_document_position_params;
                self.ensure_checked(&pos.text_document.uri, out);
                Ok(
                    serde_json::to_value(self.hover(&pos.text_document.uri, pos.position))
                        .unwrap_or(Value::Null),
                )
            }
            "textDocument/codeAction" => {
                let p: lsp::CodeActionParams = params(req.params)?;
                self.ensure_checked(&p.text_document.uri, out);
                Ok(serde_json::to_value(self.code_actions(&p)).unwrap_or(Value::Null))
            }
            _ => Err((
                METHOD_NOT_FOUND,
                format!("candor lsp does not handle {}", req.method),
            )),
        }
    }

    fn initialize(&mut self, params: &lsp::InitializeParams) -> Value {
        let utf8 = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref())
            .is_some_and(|e| e.contains(&lsp::PositionEncodingKind::UTF8));
        self.unit = if utf8 { Unit::Utf8 } else { Unit::Utf16 };
        let capabilities = lsp::ServerCapabilities {
            position_encoding: Some(if utf8 {
                lsp::PositionEncodingKind::UTF8
            } else {
                lsp::PositionEncodingKind::UTF16
            }),
            text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                lsp::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(lsp::TextDocumentSyncKind::FULL),
                    save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                },
            )),
            hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
            code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                lsp::CodeActionOptions {
                    code_action_kinds: Some(vec![
                        lsp::CodeActionKind::QUICKFIX,
                        lsp::CodeActionKind::SOURCE_FIX_ALL,
                    ]),
                    ..Default::default()
                },
            )),
            ..Default::default()
        };
        serde_json::to_value(lsp::InitializeResult {
            capabilities,
            server_info: Some(lsp::ServerInfo {
                name: "candor".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
        })
        .unwrap_or(Value::Null)
    }

    fn notification(&mut self, n: Notification, out: &mut impl Write) -> io::Result<()> {
        if !self.initialized {
            return Ok(());
        }
        match n.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(p) = params::<lsp::DidOpenTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let item = p.text_document;
                let key = item.uri.as_str().to_string();
                let path = path_of(&item.uri);
                self.docs.insert(
                    key.clone(),
                    Open {
                        uri: item.uri,
                        path,
                        language: item.language_id,
                        version: item.version,
                        text: item.text,
                        checked: None,
                    },
                );
                self.check_now(&key, out)?;
                self.touch_replies_of(&key);
            }
            "textDocument/didChange" => {
                let Ok(p) = params::<lsp::DidChangeTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let key = p.text_document.uri.as_str().to_string();
                let unit = self.unit;
                let Some(doc) = self.docs.get_mut(&key) else {
                    return Ok(());
                };
                for change in p.content_changes {
                    match change.range {
                        None => doc.text = change.text,
                        Some(range) => {
                            let lines = Lines::new(&doc.text, unit);
                            let (start, end) = (lines.offset(range.start), lines.offset(range.end));
                            if start <= end {
                                doc.text.replace_range(start..end, &change.text);
                            }
                        }
                    }
                }
                doc.version = p.text_document.version;
                doc.checked = None;
                self.due.insert(key.clone(), Instant::now() + DEBOUNCE);
                self.touch_replies_of(&key);
            }
            "textDocument/didSave" => {
                let Ok(p) = params::<lsp::DidSaveTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                // A configuration may have changed on disk: read them all again.
                if let Err(e) = self.drafts.reload() {
                    return self.show_error(out, &e.to_string());
                }
                let key = p.text_document.uri.as_str().to_string();
                if let (Some(text), Some(doc)) = (p.text, self.docs.get_mut(&key)) {
                    doc.text = text;
                }
                let keys: Vec<String> = self.docs.keys().cloned().collect();
                for k in keys {
                    if k == key {
                        self.check_now(&k, out)?;
                    } else {
                        self.due.insert(k, Instant::now() + DEBOUNCE);
                    }
                }
            }
            "textDocument/didClose" => {
                let Ok(p) = params::<lsp::DidCloseTextDocumentParams>(n.params) else {
                    return Ok(());
                };
                let key = p.text_document.uri.as_str().to_string();
                self.due.remove(&key);
                if let Some(doc) = self.docs.remove(&key) {
                    publish(out, doc.uri, Vec::new(), None)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn show_error(&self, out: &mut impl Write, message: &str) -> io::Result<()> {
        let n = Notification::new(
            "window/showMessage".to_string(),
            lsp::ShowMessageParams {
                typ: lsp::MessageType::ERROR,
                message: format!("candor: {message}"),
            },
        );
        transport::write(out, &Message::Notification(n))
    }

    /// Replies open in the editor whose `inbound:` file is `key`: checked again soon.
    fn touch_replies_of(&mut self, key: &str) {
        let Some(path) = self.docs.get(key).map(|d| d.path.clone()) else {
            return;
        };
        let replies: Vec<String> = self
            .docs
            .iter()
            .filter(|(k, d)| {
                k.as_str() != key
                    && d.checked
                        .as_ref()
                        .and_then(|c| c.inbound.as_ref())
                        .is_some_and(|p| *p == path)
            })
            .map(|(k, _)| k.clone())
            .collect();
        for k in replies {
            self.due.insert(k, Instant::now() + DEBOUNCE);
        }
    }

    /// Checks every changed document now, without waiting for the pause in typing.
    pub fn check_pending(&mut self, out: &mut impl Write) -> io::Result<()> {
        let keys: Vec<String> = self.due.keys().cloned().collect();
        for key in keys {
            self.check_now(&key, out)?;
        }
        Ok(())
    }

    fn check_due(&mut self, out: &mut impl Write) -> io::Result<()> {
        let now = Instant::now();
        let ready: Vec<String> = self
            .due
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(k, _)| k.clone())
            .collect();
        for key in ready {
            self.check_now(&key, out)?;
        }
        Ok(())
    }

    /// Checks a document now if its findings are out of date (a hover or a code action cannot
    /// wait for the pause in typing).
    fn ensure_checked(&mut self, uri: &lsp::Uri, out: &mut impl Write) {
        let key = uri.as_str();
        if self.docs.get(key).is_some_and(|d| d.checked.is_none()) {
            let _ = self.check_now(key, out);
        }
    }

    /// Checks one document and publishes its diagnostics.
    fn check_now(&mut self, key: &str, out: &mut impl Write) -> io::Result<()> {
        self.due.remove(key);
        // Out of the map while it is checked: the check may read the other open documents.
        let Some(mut doc) = self.docs.remove(key) else {
            return Ok(());
        };
        // A bug in a rule must not take the editor's server down with it: the document gets
        // one diagnostic saying so, and the others go on being checked.
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.lint(&doc)));
        let (diagnostics, linted) = checked.unwrap_or_else(|_| {
            let failed = lsp::Diagnostic {
                severity: Some(lsp::DiagnosticSeverity::ERROR),
                source: Some("candor".to_string()),
                message: "candor failed while checking this document (a bug: please report it)"
                    .to_string(),
                ..Default::default()
            };
            let linted = Linted {
                doc: Document::parse(String::new(), crate::document::Format::Text),
                diagnostics: Vec::new(),
                rules: None,
                inbound: None,
            };
            (vec![failed], linted)
        });
        doc.checked = Some(linted);
        let (uri, version) = (doc.uri.clone(), doc.version);
        self.docs.insert(key.to_string(), doc);
        publish(out, uri, diagnostics, Some(version))
    }

    /// The LSP diagnostics for `doc`, and what hover and code actions need.
    fn lint(&mut self, doc: &Open) -> (Vec<lsp::Diagnostic>, Linted) {
        let lines = Lines::new(&doc.text, self.unit);
        let format = draft::format_of(&doc.path, Some(&doc.language));
        let shown: Arc<str> = Arc::from(doc.path.to_string_lossy().as_ref());
        let mut extra = Vec::new();
        let mut inbound: Vec<Inbound> = Vec::new();
        let mut inbound_file = None;
        let mut inbound_uri = None;
        if let Some((named, at)) = draft::front_matter_inbound(&doc.text) {
            let path = draft::inbound_path(&doc.path, &named);
            match self.inbound_text(&path) {
                Ok(text) => {
                    let shown_inbound = path.to_string_lossy().into_owned();
                    inbound_uri = Some((shown_inbound.clone(), uri_of(&path), text.clone()));
                    inbound.push(draft::inbound(&shown_inbound, text));
                }
                Err(why) => extra.push(lsp::Diagnostic {
                    range: lines.range(&at),
                    severity: Some(lsp::DiagnosticSeverity::WARNING),
                    source: Some("candor".to_string()),
                    message: format!("cannot read the customer's message {named}: {why}"),
                    ..Default::default()
                }),
            }
            inbound_file = Some(path);
        }
        let parsed = Document::parse(doc.text.clone(), format);
        let (diagnostics, rules) = match self.drafts.check(&doc.path, &shown, &parsed, &inbound) {
            Ok(Checked::Linted { findings, rules }) => (findings.diagnostics, Some(rules)),
            Ok(Checked::Ignored) => (Vec::new(), None),
            Err(e) => {
                extra.push(lsp::Diagnostic {
                    range: lsp::Range::default(),
                    severity: Some(lsp::DiagnosticSeverity::ERROR),
                    source: Some("candor".to_string()),
                    message: format!("configuration error: {e}"),
                    ..Default::default()
                });
                (Vec::new(), None)
            }
        };
        let mut out: Vec<lsp::Diagnostic> = diagnostics
            .iter()
            .map(|d| to_lsp(d, &doc.uri, &shown, &lines, inbound_uri.as_ref(), self.unit))
            .collect();
        out.extend(extra);
        let linted = Linted {
            doc: parsed,
            diagnostics,
            rules,
            inbound: inbound_file,
        };
        (out, linted)
    }

    /// The customer's message at `path`: the editor's copy when it is open, else the file.
    fn inbound_text(&self, path: &Path) -> Result<String, String> {
        if let Some(open) = self.docs.values().find(|d| d.path == path) {
            return Ok(open.text.clone());
        }
        let bytes = crate::source::read::read_regular_up_to(path, MAX_INBOUND_FILE)
            .map_err(|p| p.to_string())?;
        String::from_utf8(bytes).map_err(|_| "it is not UTF-8".to_string())
    }

    fn hover(&self, uri: &lsp::Uri, position: lsp::Position) -> Option<lsp::Hover> {
        let doc = self.docs.get(uri.as_str())?;
        let checked = doc.checked.as_ref()?;
        let lines = Lines::new(&doc.text, self.unit);
        let at = lines.offset(position);
        let here: Vec<&Diagnostic> = checked
            .diagnostics
            .iter()
            .filter(|d| d.span.start <= at && at <= d.span.end)
            .collect();
        let first = here.first()?;
        let mut parts = Vec::new();
        for d in &here {
            let mut part = format!("**{}** ({})", d.rule, d.severity);
            if let Some(meta) = checked
                .rules
                .as_deref()
                .and_then(|r| draft::rule_meta(r, &d.rule))
            {
                if !meta.description.is_empty() {
                    part.push_str(&format!("\n\n{}", meta.description));
                }
            }
            part.push_str(&format!("\n\n{}", d.message));
            if !d.suggestions.is_empty() {
                part.push_str(&format!("\n\nSuggestion: {}", d.suggestions.join("; ")));
            }
            if let Some(link) = &d.link {
                part.push_str(&format!("\n\n[More about this rule]({link})"));
            }
            parts.push(part);
        }
        Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: parts.join("\n\n---\n\n"),
            }),
            range: Some(lines.range(&first.span)),
        })
    }

    fn code_actions(&self, p: &lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
        let Some(doc) = self.docs.get(p.text_document.uri.as_str()) else {
            return Vec::new();
        };
        let Some(checked) = &doc.checked else {
            return Vec::new();
        };
        let wants = |kind: &lsp::CodeActionKind| {
            p.context
                .only
                .as_ref()
                .is_none_or(|only| only.iter().any(|o| kind.as_str().starts_with(o.as_str())))
        };
        let lines = Lines::new(&doc.text, self.unit);
        let (start, end) = (lines.offset(p.range.start), lines.offset(p.range.end));
        let mut actions = Vec::new();
        if wants(&lsp::CodeActionKind::QUICKFIX) {
            for d in &checked.diagnostics {
                let Some(fix) = &d.fix else { continue };
                if d.span.end < start || d.span.start > end {
                    continue;
                }
                let Some(old) = doc.text.get(fix.span.clone()) else {
                    continue;
                };
                let edit = lsp::TextEdit::new(lines.range(&fix.span), fix.replacement.clone());
                actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: format!("Replace “{old}” with “{}” ({})", fix.replacement, d.rule),
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![to_lsp(d, &doc.uri, "", &lines, None, self.unit)]),
                    edit: Some(workspace_edit(&doc.uri, vec![edit])),
                    is_preferred: Some(true),
                    ..Default::default()
                }));
            }
        }
        if wants(&lsp::CodeActionKind::SOURCE_FIX_ALL) {
            let edits = crate::fix::choose_edits(&checked.diagnostics, &checked.doc, false);
            if !edits.is_empty() {
                let edits = edits
                    .iter()
                    .map(|e| lsp::TextEdit::new(lines.range(&e.span), e.replacement.clone()))
                    .collect();
                actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: "Apply every unambiguous Candor fix".to_string(),
                    kind: Some(lsp::CodeActionKind::SOURCE_FIX_ALL),
                    edit: Some(workspace_edit(&doc.uri, edits)),
                    ..Default::default()
                }));
            }
        }
        actions
    }
}

fn workspace_edit(uri: &lsp::Uri, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    #[allow(clippy::mutable_key_type)]
    let changes = HashMap::from([(uri.clone(), edits)]);
    lsp::WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    }
}

fn params<P: serde::de::DeserializeOwned>(value: Value) -> Result<P, (i32, String)> {
    serde_json::from_value(value).map_err(|e| (INVALID_PARAMS, format!("bad params: {e}")))
}

fn publish(
    out: &mut impl Write,
    uri: lsp::Uri,
    diagnostics: Vec<lsp::Diagnostic>,
    version: Option<i32>,
) -> io::Result<()> {
    let n = Notification::new(
        "textDocument/publishDiagnostics".to_string(),
        lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    );
    transport::write(out, &Message::Notification(n))
}

/// One finding as an LSP diagnostic. Related spans in the reply itself (its quoted text) point
/// into the document; those in the inbound file point into that file.
fn to_lsp(
    d: &Diagnostic,
    uri: &lsp::Uri,
    shown: &str,
    lines: &Lines<'_>,
    inbound: Option<&(String, lsp::Uri, String)>,
    unit: Unit,
) -> lsp::Diagnostic {
    let severity = match d.severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Suggestion => lsp::DiagnosticSeverity::INFORMATION,
    };
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            let location = if &*r.path == shown {
                lsp::Location::new(uri.clone(), lines.range(&r.span))
            } else {
                let (_, inbound_uri, text) = inbound.filter(|(p, ..)| *p == *r.path)?;
                lsp::Location::new(inbound_uri.clone(), Lines::new(text, unit).range(&r.span))
            };
            Some(lsp::DiagnosticRelatedInformation {
                location,
                message: r.message.clone(),
            })
        })
        .collect();
    let mut message = d.message.to_string();
    if !d.suggestions.is_empty() && d.fix.is_none() {
        message.push_str(&format!(" (suggestion: {})", d.suggestions.join("; ")));
    }
    lsp::Diagnostic {
        range: lines.range(&d.span),
        severity: Some(severity),
        code: Some(lsp::NumberOrString::String(d.rule.to_string())),
        code_description: d
            .link
            .as_deref()
            .and_then(|l| lsp::Uri::from_str(l).ok())
            .map(|href| lsp::CodeDescription { href }),
        source: Some("candor".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

/// The file a `file:` URI names; for any other URI (an unsaved buffer), a file of that name in
/// the current folder, so the folder's configuration applies.
pub fn path_of(uri: &lsp::Uri) -> PathBuf {
    let s = uri.as_str();
    if let Some(rest) = s.strip_prefix("file://") {
        // An authority (`localhost`) may come before the path.
        let path = match rest.find('/') {
            Some(i) => &rest[i..],
            None => rest,
        };
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        return PathBuf::from(decoded.as_ref());
    }
    let name = s.rsplit(['/', ':']).next().unwrap_or("untitled");
    std::env::current_dir()
        .unwrap_or_default()
        .join(if name.is_empty() { "untitled" } else { name })
}

/// The `file:` URI of an absolute path.
pub fn uri_of(path: &Path) -> lsp::Uri {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let encoded = percent_encoding::utf8_percent_encode(&path.to_string_lossy(), KEEP).to_string();
    let text = if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        format!("file:///{encoded}")
    };
    lsp::Uri::from_str(&text).unwrap_or_else(|_| lsp::Uri::from_str("file:///").expect("valid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip_with_spaces_and_accents() {
        let path = Path::new("/tmp/my replies/réponse.md");
        let uri = uri_of(path);
        assert_eq!(uri.as_str(), "file:///tmp/my%20replies/r%C3%A9ponse.md");
        assert_eq!(path_of(&uri), path);
    }
}
