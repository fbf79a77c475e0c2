//! Choosing fields by path: `--field actions.*.value` (and, later, the config file's field
//! lists). A plain value and a plain function, so any caller can use them.
//!
//! A path is dot-separated steps: a key (`body`), an array index (`0`), `*` for any one step, or
//! `**` for any number of steps. A value that is itself an object or array selects every string
//! inside it, so `actions.*.value` also finds the text in `"value": ["channel:all", "Hi"]`.

use std::fmt;

use crate::source::json_strings::Step;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
    AnyOne,
    AnyDepth,
}

/// A parsed field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    text: String,
    segments: Vec<Segment>,
}

impl FieldPath {
    /// Parses `actions.*.value`; an error says what is wrong with the path.
    pub fn parse(text: &str) -> Result<FieldPath, String> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err("a field path cannot be empty".to_string());
        }
        let mut segments = Vec::new();
        for part in trimmed.split('.') {
            segments.push(match part {
                "" => {
                    return Err(format!(
                        "field path `{text}` has an empty step (two dots, or a dot at an end)"
                    ))
                }
                "*" => Segment::AnyOne,
                "**" => Segment::AnyDepth,
                _ if part.bytes().all(|b| b.is_ascii_digit()) => match part.parse() {
                    Ok(i) => Segment::Index(i),
                    Err(_) => {
                        return Err(format!("field path `{text}`: index `{part}` is too large"))
                    }
                },
                _ => Segment::Key(part.to_string()),
            });
        }
        Ok(FieldPath {
            text: trimmed.to_string(),
            segments,
        })
    }

    /// Whether the value at `path` is selected: the pattern matches `path` or one of its
    /// leading parts (a selected object or array selects what is inside it).
    ///
    /// One pass over `path` with the set of pattern positions reached so far (an NFA), so
    /// `**.**.**.x` costs O(segments x steps) rather than a recursion per way to split the path.
    pub fn selects(&self, path: &[Step]) -> bool {
        let segs = &self.segments;
        let n = segs.len();
        // `at[i]`: `segs[..i]` matches the steps read so far.
        let mut at = vec![false; n + 1];
        let mut next = vec![false; n + 1];
        at[0] = true;
        close_over_any_depth(segs, &mut at);
        for step in path {
            if at[n] {
                return true;
            }
            next.iter_mut().for_each(|x| *x = false);
            for i in 0..n {
                if !at[i] {
                    continue;
                }
                match &segs[i] {
                    // `**` takes the step and may take more.
                    Segment::AnyDepth => next[i] = true,
                    seg if step_matches(seg, step) => next[i + 1] = true,
                    _ => {}
                }
            }
            close_over_any_depth(segs, &mut next);
            std::mem::swap(&mut at, &mut next);
        }
        at[n]
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for FieldPath {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FieldPath::parse(s)
    }
}

/// `**` may match no step: a position before one also reaches the position after it.
fn close_over_any_depth(segs: &[Segment], at: &mut [bool]) {
    for i in 0..segs.len() {
        if at[i] && segs[i] == Segment::AnyDepth {
            at[i + 1] = true;
        }
    }
}

/// Whether one segment (not `**`) matches one step.
fn step_matches(seg: &Segment, step: &Step) -> bool {
    match (seg, step) {
        (Segment::AnyOne, _) => true,
        (Segment::Key(k), Step::Key(s)) => k == s,
        (Segment::Index(i), Step::Index(s)) => i == s,
        // `0` may name a key spelled with digits.
        (Segment::Index(i), Step::Key(s)) => s == &i.to_string(),
        _ => false,
    }
}

/// Whether `segments` match all of `path` (the plain recursion: the reference the tests hold
/// [`FieldPath::selects`] to).
#[cfg(test)]
fn matches(segments: &[Segment], path: &[Step]) -> bool {
    match segments.split_first() {
        None => path.is_empty(),
        Some((Segment::AnyDepth, rest)) => (0..=path.len()).any(|n| matches(rest, &path[n..])),
        Some((seg, rest)) => {
            let Some((step, path_rest)) = path.split_first() else {
                return false;
            };
            step_matches(seg, step) && matches(rest, path_rest)
        }
    }
}

/// Whether any of `fields` selects `path`.
pub fn any_selects(fields: &[FieldPath], path: &[Step]) -> bool {
    fields.iter().any(|f| f.selects(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> Vec<Step> {
        s.split('.')
            .map(|p| match p.parse() {
                Ok(i) => Step::Index(i),
                Err(_) => Step::Key(p.to_string()),
            })
            .collect()
    }

    proptest::proptest! {
        /// The one-pass match says what the recursion says, on every prefix of the path.
        #[test]
        fn one_pass_agrees_with_the_recursion(
            pattern in proptest::collection::vec(
                proptest::sample::select(vec!["*", "**", "a", "b", "0", "1"]), 1..6),
            steps in proptest::collection::vec(
                proptest::sample::select(vec!["a", "b", "0", "1", "c"]), 0..7),
        ) {
            let field = FieldPath::parse(&pattern.join(".")).unwrap();
            let p = path(&steps.join("."));
            let p = if steps.is_empty() { Vec::new() } else { p };
            let expected = (0..=p.len()).any(|n| matches(&field.segments, &p[..n]));
            proptest::prop_assert_eq!(field.selects(&p), expected);
        }
    }

    #[test]
    fn many_any_depth_steps_stay_fast() {
        let field = FieldPath::parse("**.**.**.**.**.**.**.**.x").unwrap();
        let deep: Vec<Step> = (0..200).map(|i| Step::Index(i % 3)).collect();
        let started = std::time::Instant::now();
        assert!(!field.selects(&deep));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn wildcards_and_prefixes() {
        let f = FieldPath::parse("actions.*.value").unwrap();
        assert!(f.selects(&path("actions.0.value")));
        assert!(f.selects(&path("actions.3.value.1")));
        assert!(!f.selects(&path("actions.0.field")));
        assert!(!f.selects(&path("macros.0.actions.0.value")));
        let deep = FieldPath::parse("**.body").unwrap();
        assert!(deep.selects(&path("body")));
        assert!(deep.selects(&path("replies.2.body")));
        assert!(!deep.selects(&path("replies.2.title")));
        let idx = FieldPath::parse("replies.1.text").unwrap();
        assert!(idx.selects(&path("replies.1.text")));
        assert!(!idx.selects(&path("replies.0.text")));
    }

    #[test]
    fn bad_paths_say_why() {
        assert!(FieldPath::parse("").unwrap_err().contains("empty"));
        assert!(FieldPath::parse("a..b").unwrap_err().contains("empty step"));
        assert_eq!(FieldPath::parse(" a.b ").unwrap().to_string(), "a.b");
    }
}
