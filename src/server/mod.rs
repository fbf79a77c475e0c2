//! Servers over the library, the way the command line sits on it: `candor lsp` (a Language
//! Server for editors, [`lsp`]) and `candor serve` (the draft page for support agents,
//! [`page`]). Both check text held in memory through [`draft`], which runs the same steps as
//! `candor check` (configuration, rules, suppressions, accepted terms), so an editor, the page
//! and CI agree on every finding.

pub mod draft;
pub mod lsp;
pub mod page;
pub mod positions;
pub mod transport;
