//! The matching engine: how Candor finds patterns in text fast. It knows about patterns, literal
//! strings and automata, not about rules.
//!
//! - Catalogues: [`phrases`] (a rule's list of case-insensitive patterns, searched candidate by
//!   candidate in a draft and as one alternation in a large run) and [`ascii_alternation`] (that
//!   alternation for ASCII text).
//! - Literals: [`literals`] (the strings every match of a pattern holds, and the wrapping that
//!   turns a phrase into its pattern), [`literal_scan`] (which of many strings occur in a text)
//!   and [`prefilter`] (one scan per file that tells which rules of a set can match at all).
//! - Gates: [`gate_pattern`] (a catalogue's gate, one small pattern that matches wherever any
//!   of its patterns does) and [`catalogue_gate`] (the built-in gates as one DFA: one scan of a
//!   block says which catalogues need to search it).
//! - Automata: [`prebuilt`] (the DFAs and literals `build.rs` worked out for the built-in
//!   patterns) and [`lazy`] (regexes compiled the first time a text needs them, and their size
//!   limits).
//!
//! `build.rs` includes [`literals`] and [`gate_pattern`] as well, so those two use only
//! `regex-syntax` and `regex-automata`.
//!
//! The rules ([`crate::rules`]) use the engine; the engine never uses the rules or
//! [`crate::check`]. What it needs of a rule it asks through a trait of its own
//! ([`prefilter::HasLiterals`]) or is handed as plain values; rule-level work such as reporting
//! a bad pattern at its line stays with the rules.

pub mod ascii_alternation;
pub mod catalogue_gate;
pub mod gate_pattern;
pub mod lazy;
pub mod literal_scan;
pub mod literals;
pub mod phrases;
pub mod prebuilt;
pub mod prefilter;
pub mod shared_pass;
