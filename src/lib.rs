//! Candor: a fast linter for customer-facing writing.
//!
//! The pipeline, one module per step:
//! [`source`] (files, stdin) → [`document`] (prose blocks with byte offsets) → [`rules`]
//! (YAML rule packs, compiled once) → [`check`] (run the rules) → [`diagnostic`] (findings in
//! byte offsets) → [`report`] (one reporter per output format). [`run`] drives one run over
//! many files; [`cli`] is the binary's edge, and [`server`] (`candor lsp`, `candor serve`) sits
//! on the library the same way. Around the check: [`config`] (`.candor.yaml`: which
//! rules, levels and options apply to each file), [`suppress`] (inline comments that turn rules
//! off) and [`fix`] (`--fix`, `--diff`). Under the rules: [`engine`] (phrase catalogues, gates,
//! literal prefilters and the automata they search with), which the rules use and which never
//! uses them.
//!
//! ```
//! use std::sync::Arc;
//! use candor::{check::check_document, document::{Document, Format}, rules::RuleSet};
//!
//! let rules = RuleSet::builtin().unwrap();
//! let text = "We apologize for any inconvenience this may have caused.";
//! let doc = Document::parse(text.to_string(), Format::Text);
//! let path: Arc<str> = Arc::from("reply.txt");
//! let findings = check_document(&rules, &path, &doc, &[]);
//! let filler = findings.diagnostics.iter().find(|d| &*d.rule == "Candor.CannedFiller").unwrap();
//! assert!(text[filler.span.clone()].contains("apologize for any inconvenience"));
//! ```

pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod engine;
pub mod error;
pub mod fix;
pub mod judge;
pub mod questions;
pub mod report;
pub mod rules;
pub mod run;
pub mod selection;
pub mod server;
pub mod source;
pub mod suppress;
