//! `extends: capitalization` — text (usually a heading) that is not in the expected case.
//!
//! What it catches: headings in Title Case where the style wants sentence case, or the other
//! way round; text that must be all lower or upper case, or match a pattern.
//! Why it matters: docs and help-centre articles read as one voice when their headings agree.
//! Example:
//! ```yaml
//! extends: capitalization
//! message: "'%s' should be sentence-cased"
//! scope: heading
//! match: $sentence          # $title, $sentence, $lower, $upper, or a pattern
//! exceptions: [Zendesk, API]
//! indicators: [":"]         # a capital is fine after these
//! threshold: 0.8            # share of words that must be right ($sentence, $title)
//! ```
//! Without `scope`, headings are judged (as Vale does). Words of `exceptions` (also several
//! words long) always count as right. For `$sentence`, the first word (and one after an
//! indicator) must start with a capital and any other must be lower case (acronyms too count
//! against: a style lists those it allows in `exceptions`). For `$title`, every word but the small ones (`a`,
//! `of`, `the`, ...; first and last word aside) must start with a capital; `style` (AP or
//! Chicago) picks no other list. `prefix` is a pattern left off the start before judging.

use regex::Regex;

use crate::check::{CheckContext, Findings};
use crate::document::markdown::CODE_MASK;
use crate::error::ConfigError;
use crate::rules::pattern::Matcher;
use crate::rules::{compiled, units, Rule, RuleMeta, RuleSource};

#[derive(Debug)]
enum Case {
    Title,
    Sentence,
    Lower,
    Upper,
    Pattern(Matcher),
}

#[derive(Debug)]
pub struct Capitalization {
    meta: RuleMeta,
    case: Case,
    exceptions: Vec<String>,
    threshold: f64,
    indicators: Vec<String>,
    prefix: Option<Regex>,
}

/// Words a title leaves in lower case (unless first or last).
const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "en", "for", "from", "if", "in", "into", "nor",
    "of", "on", "or", "per", "so", "the", "to", "up", "via", "vs", "vs.", "with", "yet",
];

impl Capitalization {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let spec = &src.spec;
        let mut meta = src.meta("'%s' should be in %s case.")?;
        if spec.scope.is_none() {
            // Vale judges headings unless told otherwise.
            meta.scope = crate::rules::ScopeSet::parse(&["heading".to_string()])
                .expect("`heading` is a scope");
        }
        let wanted = spec.match_.clone().ok_or_else(|| src.missing("match"))?;
        let case = match wanted.as_str() {
            "$title" => Case::Title,
            "$sentence" => Case::Sentence,
            "$lower" => Case::Lower,
            "$upper" => Case::Upper,
            pattern => Case::Pattern(Matcher::new(format!("^(?:{pattern})$")).map_err(|e| {
                src.error_at("match", format!("`match: {pattern}` does not compile: {e}"))
            })?),
        };
        let prefix = match &spec.prefix {
            Some(p) => Some(src.regex(&format!("^(?:{})", p.trim_start_matches('^')), p)?),
            None => None,
        };
        let threshold = spec.threshold.unwrap_or(match case {
            Case::Title => 1.0,
            _ => 0.8,
        });
        Ok(Capitalization {
            meta,
            case,
            exceptions: spec.exceptions.clone().unwrap_or_default(),
            threshold,
            indicators: spec.indicators.clone().unwrap_or_default(),
            prefix,
        })
    }

    /// Words of `text` and whether each is an exception (the words of a multi-word exception
    /// found in the text count as exceptions).
    fn words<'t>(&self, text: &'t str) -> Vec<(&'t str, bool)> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut excepted = vec![false; words.len()];
        for exc in &self.exceptions {
            let parts: Vec<&str> = exc.split_whitespace().collect();
            if parts.is_empty() || parts.len() > words.len() {
                continue;
            }
            for start in 0..=words.len() - parts.len() {
                let hit = parts
                    .iter()
                    .zip(&words[start..])
                    .all(|(p, w)| trim_punct(w) == *p || *w == *p);
                if hit {
                    excepted[start..start + parts.len()].fill(true);
                }
            }
        }
        words.into_iter().zip(excepted).collect()
    }

    /// Whether `text` is in the wanted case, and the text as it should be (for the message).
    fn judge(&self, text: &str) -> (bool, String) {
        match &self.case {
            Case::Lower => (text == text.to_lowercase(), text.to_lowercase()),
            Case::Upper => (text == text.to_uppercase(), text.to_uppercase()),
            Case::Pattern(m) => (
                m.get().is_ok_and(|r| r.is_match(text)),
                self.meta.message.clone(),
            ),
            Case::Sentence | Case::Title => {
                let words = self.words(text);
                let last = words.len().saturating_sub(1);
                let mut right = 0usize;
                let mut counted = 0usize;
                let mut fixed = Vec::with_capacity(words.len());
                let mut after_indicator = false;
                let title = matches!(self.case, Case::Title);
                for (i, (word, excepted)) in words.iter().enumerate() {
                    // A hyphenated word is judged by its first part ("High-Def": "High"); a
                    // title leaves it as written.
                    let bare = trim_punct(word.split('-').next().unwrap_or(word));
                    let starts_capital = counted == 0 || after_indicator;
                    after_indicator = self
                        .indicators
                        .iter()
                        .any(|ind| word.ends_with(ind.as_str()));
                    if !word.is_empty() && word.chars().all(|c| c == CODE_MASK) {
                        // Inline code: a word as it should be, wherever it stands.
                        counted += 1;
                        right += 1;
                        after_indicator = false;
                        fixed.push(word.to_string());
                        continue;
                    }
                    let first = bare.chars().next().filter(|c| c.is_alphabetic());
                    let Some(first) = first.filter(|_| !(title && word.contains('-'))) else {
                        fixed.push(word.to_string());
                        continue;
                    };
                    counted += 1;
                    let lower = bare == bare.to_lowercase();
                    let (ok, want) = if *excepted {
                        (true, word.to_string())
                    } else if !title {
                        // Any capital after the first word counts against, acronyms too: a
                        // style lists the ones it allows in `exceptions`.
                        if starts_capital {
                            (first.is_uppercase(), capitalised(word))
                        } else {
                            (lower, word.to_lowercase())
                        }
                    } else if !starts_capital
                        && i != last
                        && SMALL_WORDS.contains(&bare.to_lowercase().as_str())
                    {
                        (lower, word.to_lowercase())
                    } else {
                        (first.is_uppercase(), capitalised(word))
                    };
                    right += usize::from(ok);
                    fixed.push(want);
                }
                let share = if counted == 0 {
                    1.0
                } else {
                    right as f64 / counted as f64
                };
                let ok = if self.threshold >= 1.0 {
                    right == counted
                } else {
                    share > self.threshold
                };
                (ok, fixed.join(" "))
            }
        }
    }
}

fn trim_punct(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric())
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Rule for Capitalization {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        if let Case::Pattern(m) = &self.case {
            if compiled(m.get(), &self.meta, out).is_none() {
                return;
            }
        }
        for unit in units(cx.doc, &self.meta.scope) {
            let trimmed = unit.text.trim();
            if trimmed.is_empty() {
                continue;
            }
            let start = unit.text.len() - unit.text.trim_start().len();
            let judged = match &self.prefix {
                Some(p) => match p.find(trimmed) {
                    Some(m) => &trimmed[m.end()..],
                    None => trimmed,
                },
                None => trimmed,
            };
            let (ok, want) = self.judge(judged);
            if ok {
                continue;
            }
            let span = unit.to_source(start..start + trimmed.len());
            out.push(
                self.meta
                    .diagnostic(span, self.meta.format(&[trimmed, &want])),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::spec::RuleSpec;

    fn rule(yaml: &str) -> Capitalization {
        let spec: RuleSpec = serde_norway::from_str(yaml).unwrap();
        let src = RuleSource {
            pack: "T",
            name: "Cap",
            path: "Cap.yml",
            text: yaml,
            spec,
            vale: true,
        };
        Capitalization::compile(&src).unwrap()
    }

    #[test]
    fn sentence_case_wants_one_capital_and_allows_acronyms_and_exceptions() {
        let r = rule("extends: capitalization\nmatch: $sentence\nexceptions: [Axon Server]\nindicators: [':']\n");
        assert!(r.judge("Set up the new API for it").0);
        assert!(!r.judge("Accepting a JSON response").0);
        assert!(r.judge("8. Do step eight").0);
        assert!(r.judge("Run Axon Server here").0);
        assert!(r.judge("Step one: Install it").0);
        assert!(!r.judge("this isn't in sentence case").0);
        assert!(!r.judge("This Does Not Comply").0);
    }

    #[test]
    fn title_case_keeps_small_words_low() {
        let r = rule("extends: capitalization\nmatch: $title\n");
        assert!(r.judge("The Art of War").0);
        let (ok, want) = r.judge("The art of war");
        assert!(!ok);
        assert_eq!(want, "The Art of War");
    }
}
