//! `candor serve`: the draft page, a local web page with two boxes (the customer's message and
//! the draft) that shows Candor's findings in place as an agent types, which of the customer's
//! questions the draft answers, and a button for each unambiguous rewrite.
//!
//! What it serves: the page itself (HTML, CSS and script compiled into the binary: no CDN, works
//! offline) and one JSON endpoint, `POST /api/check` with `{"inbound": "...", "draft": "..."}`,
//! which answers with the same report as `candor check --format json` (the draft is the file
//! `draft.txt`; the customer's message is the related file `inbound.txt`).
//! Why it is built this way: agents draft in a browser, beside the customer's message; the page
//! never writes a file and listens on the loopback interface unless told otherwise.
//! Limits: a body over [`MAX_BODY`] gets 413; one that is not UTF-8 or not the expected JSON gets
//! 400; a request naming another host gets 403 (a web page elsewhere cannot reach the server by
//! renaming itself to 127.0.0.1).

use std::io::{self, Read};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;
use tiny_http::{Header, Method, Request, Response, Server};

use super::draft::{self, Checked, Drafts};
use crate::config::ConfigChoice;
use crate::document::{Document, Format};
use crate::report::{self, FileReport, RelatedSource, Report};

/// The largest request body read.
pub const MAX_BODY: usize = 1024 * 1024;

/// How much of a too-large body is read and dropped before answering, so the client sees the
/// answer instead of a reset connection.
const DRAIN: u64 = 8 * 1024 * 1024;

const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const STYLE_CSS: &str = include_str!("page/style.css");

/// Name the draft and the customer's message have in the report.
pub const DRAFT_NAME: &str = "draft.txt";
pub const INBOUND_NAME: &str = "inbound.txt";

/// Where to listen and what configuration to use.
#[derive(Debug, Clone)]
pub struct Options {
    pub host: IpAddr,
    /// 0: any free port.
    pub port: u16,
    /// Listen on an address other hosts can reach.
    pub allow_remote: bool,
    pub config: ConfigChoice,
}

/// A bound draft page server.
pub struct Page {
    server: Server,
    addr: SocketAddr,
    drafts: Drafts,
    allow_remote: bool,
    /// The configuration applies as to a draft in this folder.
    folder: PathBuf,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRequest {
    #[serde(default)]
    inbound: String,
    draft: String,
}

impl Page {
    /// Binds the listening socket. A non-loopback address is refused unless `allow_remote`.
    pub fn bind(opts: &Options) -> Result<Page, String> {
        if !opts.host.is_loopback() && !opts.allow_remote {
            return Err(format!(
                "refusing to listen on {}: it is not a loopback address, so other machines could \
                 reach the page (pass --allow-remote to do it anyway)",
                opts.host
            ));
        }
        let drafts = Drafts::new(opts.config.clone()).map_err(|e| e.to_string())?;
        let server = Server::http(SocketAddr::new(opts.host, opts.port))
            .map_err(|e| format!("cannot listen on {}:{}: {e}", opts.host, opts.port))?;
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| "the server has no IP address".to_string())?;
        Ok(Page {
            server,
            addr,
            drafts,
            allow_remote: opts.allow_remote,
            folder: std::env::current_dir().unwrap_or_default(),
        })
    }

    /// The page's address, e.g. `http://127.0.0.1:4173/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Answers requests, one at a time, until the process ends.
    pub fn serve(mut self) {
        loop {
            match self.server.recv() {
                Ok(request) => self.answer(request),
                Err(_) => return,
            }
        }
    }

    fn answer(&mut self, mut request: Request) {
        if !self.allow_remote && !self.host_is_ours(&request) {
            return reply(
                request,
                error(403, "this page answers only to its own loopback address"),
            );
        }
        let response = match (request.method(), request.url()) {
            (Method::Get | Method::Head, "/" | "/index.html") => {
                asset(INDEX_HTML, "text/html; charset=utf-8")
            }
            (Method::Get | Method::Head, "/app.js") => {
                asset(APP_JS, "text/javascript; charset=utf-8")
            }
            (Method::Get | Method::Head, "/style.css") => {
                asset(STYLE_CSS, "text/css; charset=utf-8")
            }
            (Method::Post, "/api/check") => self.api_check(&mut request),
            (_, "/" | "/index.html" | "/app.js" | "/style.css" | "/api/check") => {
                error(405, "method not allowed")
            }
            _ => error(404, "not found"),
        };
        reply(request, response)
    }

    /// Whether the request's `Host` is this server's own loopback address.
    fn host_is_ours(&self, request: &Request) -> bool {
        let port = self.addr.port();
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .is_some_and(|h| {
                let host = h.value.as_str();
                [
                    format!("127.0.0.1:{port}"),
                    format!("localhost:{port}"),
                    format!("[::1]:{port}"),
                    format!("{}", self.addr),
                ]
                .iter()
                .any(|ok| host.eq_ignore_ascii_case(ok))
            })
    }

    fn api_check(&mut self, request: &mut Request) -> Response<io::Cursor<Vec<u8>>> {
        let declared = request.body_length().unwrap_or(0);
        if declared > MAX_BODY {
            let _ = io::copy(&mut request.as_reader().take(DRAIN), &mut io::sink());
            return error(413, &format!("the body is larger than {MAX_BODY} bytes"));
        }
        let mut body = Vec::new();
        if let Err(e) = request
            .as_reader()
            .take(MAX_BODY as u64 + 1)
            .read_to_end(&mut body)
        {
            return error(400, &format!("cannot read the body: {e}"));
        }
        if body.len() > MAX_BODY {
            let _ = io::copy(&mut request.as_reader().take(DRAIN), &mut io::sink());
            return error(413, &format!("the body is larger than {MAX_BODY} bytes"));
        }
        let Ok(text) = std::str::from_utf8(&body) else {
            return error(400, "the body is not UTF-8");
        };
        let parsed: CheckRequest = match serde_json::from_str(text) {
            Ok(p) => p,
            Err(e) => {
                return error(
                    400,
                    &format!("expected {{\"inbound\": \"...\", \"draft\": \"...\"}}: {e}"),
                )
            }
        };
        // A bug in a rule answers this request with 500; the page goes on serving.
        let (drafts, folder) = (&mut self.drafts, &self.folder);
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            check(drafts, folder, parsed.inbound, parsed.draft)
        }));
        match checked {
            Ok(Ok(report)) => json(200, report::json::render(&report)),
            Ok(Err(e)) => error(500, &e),
            Err(_) => error(
                500,
                "candor failed while checking this draft (a bug: please report it)",
            ),
        }
    }
}

/// Checks a draft against a customer's message as the page does: the report `candor check
/// --format json --inbound inbound.txt draft.txt` would give, with the configuration of `folder`.
pub fn check(
    drafts: &mut Drafts,
    folder: &std::path::Path,
    inbound: String,
    draft_text: String,
) -> Result<Report, String> {
    let shown: Arc<str> = Arc::from(DRAFT_NAME);
    let doc = Document::parse(draft_text, Format::Text);
    let inbound: Vec<_> = if inbound.trim().is_empty() {
        Vec::new()
    } else {
        vec![draft::inbound(INBOUND_NAME, inbound)]
    };
    let (diagnostics, questions, rules) =
        match drafts.check(&folder.join(DRAFT_NAME), &shown, &doc, &inbound) {
            Ok(Checked::Linted { findings, rules }) => (
                findings.diagnostics,
                findings.questions,
                report::RuleDescriptor::all(&rules.rules),
            ),
            Ok(Checked::Ignored) => (Vec::new(), Vec::new(), Vec::new()),
            Err(e) => return Err(e.to_string()),
        };
    Ok(Report {
        files: vec![FileReport {
            path: shown,
            text: Arc::from(doc.source),
            diagnostics,
            questions,
            positions: None,
            human: None,
        }],
        related_sources: inbound
            .into_iter()
            .map(|i| RelatedSource {
                path: i.path,
                text: Arc::from(i.doc.source),
            })
            .collect(),
        rules,
    })
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

fn with_safety_headers(response: Response<io::Cursor<Vec<u8>>>) -> Response<io::Cursor<Vec<u8>>> {
    response
        .with_header(header(
            "Content-Security-Policy",
            "default-src 'self'; connect-src 'self'; style-src 'self'; script-src 'self'; \
             img-src 'self' data:; frame-ancestors 'none'; form-action 'none'",
        ))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Referrer-Policy", "no-referrer"))
        .with_header(header("Cache-Control", "no-store"))
}

fn asset(body: &str, content_type: &str) -> Response<io::Cursor<Vec<u8>>> {
    with_safety_headers(
        Response::from_string(body).with_header(header("Content-Type", content_type)),
    )
}

fn json(status: u16, body: String) -> Response<io::Cursor<Vec<u8>>> {
    with_safety_headers(
        Response::from_string(body)
            .with_status_code(status)
            .with_header(header("Content-Type", "application/json")),
    )
}

fn error(status: u16, message: &str) -> Response<io::Cursor<Vec<u8>>> {
    json(status, serde_json::json!({ "error": message }).to_string())
}

fn reply(request: Request, response: Response<io::Cursor<Vec<u8>>>) {
    // A client that went away gets nothing; the server goes on.
    let _ = request.respond(response);
}
