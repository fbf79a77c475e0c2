//! `extends: metric` — a formula over counts of the file (words, sentences, syllables,
//! headings, ...) that crosses a limit: readability scores and document shape.
//!
//! What it catches: an article whose Flesch–Kincaid grade is too high, or a topic with more
//! than one H1.
//! Why it matters: help articles are read by customers in a hurry; long sentences and long
//! words lose them.
//! Example:
//! ```yaml
//! extends: metric
//! message: "Try to keep the Flesch–Kincaid grade level (%s) below 8."
//! formula: |
//!   (0.39 * (words / sentences)) + (11.8 * (syllables / words)) - 15.59
//! condition: "> 8"
//! ```
//! Variables, as Vale names them: `words`, `sentences`, `characters` (letters and digits of
//! words), `syllables` (a vowel-group count), `complex_words` and `polysyllabic_words` (three
//! syllables or more), `long_words` (more than six letters), `paragraphs`, `list` (list
//! items), `blockquote`, `pre` (code blocks) and `heading.h1` to `heading.h6`. Prose of
//! headings is not counted in the word-based variables. The finding is at the file's start,
//! with the value (two decimals) as `%s`; a formula that divides by zero reports nothing.
//! Besides `+ - * /` and parentheses, a formula may take `sqrt(...)`.

use std::collections::HashMap;

use crate::check::{CheckContext, Findings};
use crate::document::{BlockKind, Document};
use crate::error::ConfigError;
use crate::rules::{Rule, RuleMeta, RuleSource};

#[derive(Debug)]
pub struct Metric {
    meta: RuleMeta,
    formula: Expr,
    /// `>`, `>=`, `<`, `<=`, `==`, `!=` and the limit.
    comparison: String,
    limit: f64,
}

#[derive(Debug, Clone)]
enum Expr {
    Number(f64),
    Variable(String),
    Binary(Box<Expr>, char, Box<Expr>),
    Negate(Box<Expr>),
    /// `sqrt(...)`, the one function Vale's packs use (SMOG).
    Sqrt(Box<Expr>),
}

impl Expr {
    fn eval(&self, vars: &HashMap<&str, f64>) -> Option<f64> {
        Some(match self {
            Expr::Number(n) => *n,
            Expr::Variable(v) => *vars.get(v.as_str())?,
            Expr::Negate(e) => -e.eval(vars)?,
            Expr::Sqrt(e) => e.eval(vars)?.sqrt(),
            Expr::Binary(a, op, b) => {
                let (a, b) = (a.eval(vars)?, b.eval(vars)?);
                match op {
                    '+' => a + b,
                    '-' => a - b,
                    '*' => a * b,
                    _ if b == 0.0 => return None,
                    _ => a / b,
                }
            }
        })
    }
}

/// A recursive-descent reader of `+ - * /`, parentheses, numbers and variable names.
struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.text.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.text.get(self.at).copied()
    }

    fn sum(&mut self) -> Result<Expr, String> {
        let mut left = self.product()?;
        while let Some(op @ (b'+' | b'-')) = self.peek() {
            self.at += 1;
            left = Expr::Binary(Box::new(left), op as char, Box::new(self.product()?));
        }
        Ok(left)
    }

    fn product(&mut self) -> Result<Expr, String> {
        let mut left = self.factor()?;
        while let Some(op @ (b'*' | b'/')) = self.peek() {
            self.at += 1;
            left = Expr::Binary(Box::new(left), op as char, Box::new(self.factor()?));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Expr, String> {
        match self.peek() {
            Some(b'(') => {
                self.at += 1;
                let inner = self.sum()?;
                if self.peek() != Some(b')') {
                    return Err(format!("expected `)` at byte {}", self.at));
                }
                self.at += 1;
                Ok(inner)
            }
            Some(b'-') => {
                self.at += 1;
                Ok(Expr::Negate(Box::new(self.factor()?)))
            }
            Some(c) if c.is_ascii_digit() || c == b'.' => {
                let start = self.at;
                while self
                    .text
                    .get(self.at)
                    .is_some_and(|c| c.is_ascii_digit() || *c == b'.')
                {
                    self.at += 1;
                }
                let s = std::str::from_utf8(&self.text[start..self.at]).unwrap_or("");
                s.parse()
                    .map(Expr::Number)
                    .map_err(|_| format!("`{s}` is not a number"))
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let start = self.at;
                while self
                    .text
                    .get(self.at)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.')
                {
                    self.at += 1;
                }
                let name = std::str::from_utf8(&self.text[start..self.at]).unwrap_or("");
                if name == "sqrt" && self.peek() == Some(b'(') {
                    return Ok(Expr::Sqrt(Box::new(self.factor()?)));
                }
                Ok(Expr::Variable(name.to_string()))
            }
            Some(c) => Err(format!("unexpected `{}` at byte {}", c as char, self.at)),
            None => Err("the formula ends too soon".to_string()),
        }
    }
}

fn parse_formula(text: &str) -> Result<Expr, String> {
    let mut p = Parser {
        text: text.as_bytes(),
        at: 0,
    };
    let e = p.sum()?;
    match p.peek() {
        None => Ok(e),
        Some(c) => Err(format!("unexpected `{}` at byte {}", c as char, p.at)),
    }
}

impl Metric {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let spec = &src.spec;
        let meta = src.meta("The metric is %s.")?;
        let formula = spec
            .formula
            .as_deref()
            .ok_or_else(|| src.missing("formula"))?;
        let formula = parse_formula(formula)
            .map_err(|e| src.error_at("formula", format!("`formula` cannot be read: {e}")))?;
        let condition = spec
            .condition
            .as_deref()
            .ok_or_else(|| src.missing("condition"))?
            .trim();
        let split = condition
            .find(|c: char| !matches!(c, '<' | '>' | '=' | '!'))
            .unwrap_or(condition.len());
        let (comparison, limit) = condition.split_at(split);
        let limit: f64 = limit.trim().parse().map_err(|_| {
            src.error_at(
                "condition",
                format!("`condition: {condition}` is not a comparison with a number (`> 8`)"),
            )
        })?;
        if !matches!(comparison, ">" | ">=" | "<" | "<=" | "==" | "!=") {
            return Err(src.error_at(
                "condition",
                format!("`condition: {condition}` needs one of >, >=, <, <=, ==, !="),
            ));
        }
        Ok(Metric {
            meta,
            formula,
            comparison: comparison.to_string(),
            limit,
        })
    }

    fn crosses(&self, value: f64) -> bool {
        match self.comparison.as_str() {
            ">" => value > self.limit,
            ">=" => value >= self.limit,
            "<" => value < self.limit,
            "<=" => value <= self.limit,
            "==" => value == self.limit,
            _ => value != self.limit,
        }
    }
}

/// Vowel groups, less a silent final `e`; at least one per word.
fn syllables(word: &str) -> usize {
    let lower = word.to_ascii_lowercase();
    let mut count = 0;
    let mut in_vowels = false;
    for c in lower.chars() {
        let vowel = matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
        if vowel && !in_vowels {
            count += 1;
        }
        in_vowels = vowel;
    }
    if lower.ends_with('e') && !lower.ends_with("le") && count > 1 {
        count -= 1;
    }
    count.max(1)
}

/// The counts a formula may name.
pub fn variables(doc: &Document) -> HashMap<&'static str, f64> {
    let mut v: HashMap<&'static str, f64> = HashMap::new();
    let mut add = |k: &'static str, n: usize| *v.entry(k).or_insert(0.0) += n as f64;
    for name in [
        "words",
        "sentences",
        "characters",
        "syllables",
        "complex_words",
        "polysyllabic_words",
        "long_words",
        "paragraphs",
        "list",
        "blockquote",
        "pre",
    ] {
        add(name, 0);
    }
    for block in &doc.blocks {
        if let BlockKind::Heading(level) = block.kind {
            const NAMES: [&str; 6] = [
                "heading.h1",
                "heading.h2",
                "heading.h3",
                "heading.h4",
                "heading.h5",
                "heading.h6",
            ];
            if let Some(name) = NAMES.get(usize::from(level).saturating_sub(1)) {
                add(name, 1);
            }
            continue;
        }
        if block.in_list {
            add("list", 1);
        }
        if block.quoted {
            add("blockquote", 1);
        }
        if block.kind == BlockKind::Paragraph && !block.in_list {
            add("paragraphs", 1);
        }
        add("sentences", block.sentences().len());
        for word in block.prose.split_whitespace() {
            let letters = word.chars().filter(|c| c.is_alphanumeric()).count();
            if letters == 0 {
                continue;
            }
            let s = syllables(word);
            add("words", 1);
            add("characters", letters);
            add("syllables", s);
            if s >= 3 {
                add("complex_words", 1);
                add("polysyllabic_words", 1);
            }
            if letters > 6 {
                add("long_words", 1);
            }
        }
    }
    if let Some(markup) = &doc.markup {
        add("pre", markup.fenced_code.len() + markup.indented_code.len());
    }
    v
}

impl Rule for Metric {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        let vars = variables(cx.doc);
        let Some(value) = self.formula.eval(&vars) else {
            return;
        };
        if value.is_finite() && self.crosses(value) {
            let shown = format!("{value:.2}");
            out.push(self.meta.diagnostic(0..0, self.meta.format(&[&shown])));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_follow_precedence_and_name_variables() {
        let e = parse_formula("(0.39 * (words / sentences)) + 2 * heading.h1 - 1").unwrap();
        let vars = HashMap::from([("words", 20.0), ("sentences", 2.0), ("heading.h1", 3.0)]);
        assert!((e.eval(&vars).unwrap() - (3.9 + 6.0 - 1.0)).abs() < 1e-9);
        assert!(e.eval(&HashMap::new()).is_none());
        assert!(parse_formula("words /").is_err());
        let smog = parse_formula("sqrt(words * 4) + 1").unwrap();
        assert!((smog.eval(&vars).unwrap() - (80f64.sqrt() + 1.0)).abs() < 1e-9);
        assert_eq!(syllables("readability"), 5);
        assert_eq!(syllables("the"), 1);
    }
}
