//! `extends: readability` — the average grade level of chosen readability tests, over the
//! whole file, above a limit.
//!
//! What it catches: an article that reads at a college level when its readers skim it.
//! Why it matters: help articles are read by customers in a hurry; long sentences and long
//! words lose them.
//! Example:
//! ```yaml
//! extends: readability
//! message: "Grade level (%s) too high!"
//! grade: 8
//! metrics:
//!   - Flesch-Kincaid
//!   - Gunning Fog
//! ```
//! The tests are Vale's: `Flesch-Kincaid`, `Gunning Fog`, `Coleman-Liau`, `SMOG` and
//! `Automated Readability`, each the usual formula over the counts [`metric`](super::metric)
//! takes from the file (words, sentences, syllables, ...). The finding is at the file's start,
//! with the average (two decimals) as `%s`, as in Vale.

use std::collections::HashMap;

use crate::check::{CheckContext, Findings};
use crate::error::ConfigError;
use crate::rules::types::metric::variables;
use crate::rules::{Rule, RuleMeta, RuleSource};

/// One readability test.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Test {
    FleschKincaid,
    GunningFog,
    ColemanLiau,
    Smog,
    AutomatedReadability,
}

impl Test {
    fn parse(name: &str) -> Option<Test> {
        Some(match name.trim() {
            "Flesch-Kincaid" => Test::FleschKincaid,
            "Gunning Fog" => Test::GunningFog,
            "Coleman-Liau" => Test::ColemanLiau,
            "SMOG" => Test::Smog,
            "Automated Readability" => Test::AutomatedReadability,
            _ => return None,
        })
    }

    /// The grade level, or `None` when the file has no words or sentences to divide by.
    fn grade(self, v: &HashMap<&str, f64>) -> Option<f64> {
        let get = |k: &str| v.get(k).copied().unwrap_or(0.0);
        let (words, sentences) = (get("words"), get("sentences"));
        if words == 0.0 || sentences == 0.0 {
            return None;
        }
        Some(match self {
            Test::FleschKincaid => {
                0.39 * (words / sentences) + 11.8 * (get("syllables") / words) - 15.59
            }
            Test::GunningFog => {
                0.4 * ((words / sentences) + 100.0 * (get("complex_words") / words))
            }
            Test::ColemanLiau => {
                0.0588 * (get("characters") / words * 100.0)
                    - 0.296 * (sentences / words * 100.0)
                    - 15.8
            }
            Test::Smog => 1.0430 * (get("polysyllabic_words") * 30.0 / sentences).sqrt() + 3.1291,
            Test::AutomatedReadability => {
                4.71 * (get("characters") / words) + 0.5 * (words / sentences) - 21.43
            }
        })
    }
}

#[derive(Debug)]
pub struct Readability {
    meta: RuleMeta,
    tests: Vec<Test>,
    grade: f64,
}

impl Readability {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let spec = &src.spec;
        let meta = src.meta("Grade level (%s) too high!")?;
        let grade = spec.grade.ok_or_else(|| src.missing("grade"))?;
        let names = spec
            .metrics
            .clone()
            .filter(|m| !m.is_empty())
            .ok_or_else(|| src.missing("metrics"))?;
        let tests = names
            .iter()
            .map(|n| {
                Test::parse(n).ok_or_else(|| {
                    src.error_at(
                        n,
                        format!("`{n}` is not a readability test (Flesch-Kincaid, Gunning Fog, Coleman-Liau, SMOG, Automated Readability)"),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Readability { meta, tests, grade })
    }
}

impl Rule for Readability {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        let vars = variables(cx.doc);
        let grades: Option<Vec<f64>> = self.tests.iter().map(|t| t.grade(&vars)).collect();
        let Some(grades) = grades else {
            return;
        };
        let average = grades.iter().sum::<f64>() / grades.len() as f64;
        if average.is_finite() && average > self.grade {
            let shown = format!("{average:.2}");
            out.push(self.meta.diagnostic(0..0, self.meta.format(&[&shown])));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_test_is_its_usual_formula() {
        let v = HashMap::from([
            ("words", 100.0),
            ("sentences", 5.0),
            ("syllables", 150.0),
            ("complex_words", 10.0),
            ("polysyllabic_words", 10.0),
            ("characters", 450.0),
        ]);
        let close = |t: Test, want: f64| (t.grade(&v).unwrap() - want).abs() < 1e-9;
        assert!(close(Test::FleschKincaid, 0.39 * 20.0 + 11.8 * 1.5 - 15.59));
        assert!(close(Test::GunningFog, 0.4 * (20.0 + 10.0)));
        assert!(close(
            Test::ColemanLiau,
            0.0588 * 450.0 - 0.296 * 5.0 - 15.8
        ));
        assert!(close(Test::Smog, 1.0430 * 60f64.sqrt() + 3.1291));
        assert!(close(
            Test::AutomatedReadability,
            4.71 * 4.5 + 0.5 * 20.0 - 21.43
        ));
        assert_eq!(Test::FleschKincaid.grade(&HashMap::new()), None);
        assert_eq!(Test::parse("SMOG"), Some(Test::Smog));
        assert_eq!(Test::parse("Lix"), None);
    }
}
