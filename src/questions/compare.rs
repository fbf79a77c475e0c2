//! Comparison questions and the two things they compare.
//!
//! What it catches: a reply to "Which suits a team of five better, Basic or Pro?" or "How does
//! your plan compare with Acme's?" that talks about one side only.
//! Why it matters: a customer who asks for a comparison is choosing; a reply that praises one
//! option and never names the other leaves the choice unmade (the complaint that started this
//! check: "I asked them to contrast their product with a competitor's; the reply ignored it").
//! Example: "What's the difference between the Starter and Growth plans?" is answered only by a
//! reply that names both `starter` and `growth`.

use std::sync::LazyLock;

use regex::Regex;

use super::patterns;
use super::terms::term;
use crate::engine::prebuilt::BuiltInRegex;

/// One word of an option: letters, digits and the marks product names carry ("Node.js", "C++").
const WORD: &str = r"[\w][\w.+'’\-]*";

static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    let article = r"(?:(?:the|a|an|your|this|their|its|our|my)\s+)?";
    [
        format!(r"(?i)\bbetween\s+{article}({WORD})(?:\s+\w+)?\s+and\s+{article}({WORD})"),
        format!(
            r"(?i)\bcompar\w*\s+{article}({WORD})(?:\s+\w+)?\s+(?:with|to|and|against)\s+{article}({WORD})"
        ),
        format!(r"(?i)\b({WORD})\s+compar\w*\s+(?:with|to|against)\s+{article}({WORD})"),
        format!(r"(?i)\b({WORD})\s+(?:vs\.?|versus)\s+{article}({WORD})"),
        format!(r"(?i)\b({WORD})(?:\s+\w+)?\s+or\s+{article}({WORD})"),
    ]
    .iter()
    .map(|p| Regex::new(p).expect("valid comparison regex"))
    .collect()
});

/// Words that make "X or Y" a choice to weigh rather than a yes/no ("Can I pay by card or
/// PayPal?").
static WEIGHS: BuiltInRegex = BuiltInRegex::new(patterns::WEIGHS);

/// The key terms of the two options a comparison question names, if it names two.
pub fn options(question: &str) -> Option<(String, String)> {
    if !WEIGHS.is_match(question) {
        return None;
    }
    PATTERNS.iter().find_map(|re| {
        re.captures_iter(question).find_map(|c| {
            let side = |i: usize| {
                let w = c.get(i)?.as_str().trim_end_matches(['.', '\'', '’', '-']);
                term(w.strip_suffix("'s").or(w.strip_suffix("’s")).unwrap_or(w))
            };
            let (a, b) = (side(1)?, side(2)?);
            // "MIT or similar", "this or something else": one option and a shrug.
            const NOT_AN_OPTION: &[&str] =
                &["similar", "someth", "other", "equival", "whatev", "els"];
            (a != b && !NOT_AN_OPTION.contains(&b.as_str())).then_some((a, b))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(q: &str) -> Option<(String, String)> {
        options(q)
    }

    #[test]
    fn the_two_sides_are_found() {
        assert_eq!(
            named("What's the difference between the Starter and Growth plans?"),
            Some(("starter".into(), "growth".into()))
        );
        assert_eq!(
            named("How does your router compare with Acme's?"),
            Some(("router".into(), "acm".into()))
        );
        assert_eq!(
            named("Which should I pick, Basic or Pro?"),
            Some(("basic".into(), "pro".into()))
        );
        assert_eq!(
            named("Is Postgres vs. MySQL better for this?"),
            Some(("postgr".into(), "mysql".into()))
        );
    }

    #[test]
    fn no_two_sides_no_options() {
        assert_eq!(named("Which plan includes phone support?"), None);
        assert_eq!(named("Which is it, this or that?"), None);
        assert_eq!(named("Can I pay by card or PayPal?"), None);
        assert_eq!(named("Which licence, MIT or similar?"), None);
    }
}
