//! What a sentence model sees: the words of a sentence, a few word classes, its shape and its
//! place in the reply, as hashed sparse features.
//!
//! Features (all binary):
//! - every word and every pair of adjacent words (lower-cased, apostrophes folded, numbers as
//!   `<num>`, emoji and symbols as `<sym>`), with sentence start and end marks;
//! - the same sequence with words of a class replaced by it: the organisation (`we`, `our`,
//!   `the team`), the customer (`you`), the agent (`I`), numbers and capitalised names inside the
//!   sentence; pairs and triples that start with a class ("ORG are committed") are the subject and
//!   predicate cues;
//! - shape: length, names and numbers counted, the closing mark, where it stands in the reply.
//!
//! Hashing (FNV-1a into [`BUCKETS`] slots) keeps the model a fixed-size table with no vocabulary
//! to ship. The same walk can name its features instead, to explain a verdict.

use super::normalize::fold_char;

/// Number of hashed feature slots.
pub const BUCKETS: usize = 1 << 17;

/// Where a sentence stands in the reply it belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    pub first: bool,
    pub last: bool,
}

/// A word's class, for the class-mapped sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Org,
    Customer,
    Agent,
    Number,
    Name,
    Word,
}

impl Class {
    fn mark(self) -> &'static str {
        match self {
            Class::Org => "ORG",
            Class::Customer => "YOU",
            Class::Agent => "I",
            Class::Number => "<num>",
            Class::Name => "NAME",
            Class::Word => "",
        }
    }
}

/// The organisation speaking of itself.
const ORG_WORDS: &[&str] = &[
    "we",
    "our",
    "us",
    "ours",
    "ourselves",
    "we're",
    "we've",
    "we'll",
    "we'd",
    "team",
    "company",
    "staff",
    "management",
    "store",
    "business",
    "organisation",
    "organization",
    "brand",
];
const CUSTOMER_WORDS: &[&str] = &[
    "you", "your", "yours", "yourself", "you're", "you've", "you'll", "you'd", "u", "ur",
];
const AGENT_WORDS: &[&str] = &[
    "i", "me", "my", "mine", "myself", "i'm", "i've", "i'll", "i'd",
];

/// One token of a sentence.
#[derive(Debug, Clone)]
struct Token {
    /// Lower-cased, folded text (`<num>`, `<sym>`, `!`, `?` for those).
    text: String,
    class: Class,
}

/// Receives features as a sequence of parts (a kind prefix, then words).
pub trait Sink {
    fn feature(&mut self, parts: &[&str]);
}

/// Collects hashed feature slots, deduplicated.
#[derive(Debug, Default)]
pub struct Hashed(pub Vec<u32>);

impl Sink for Hashed {
    fn feature(&mut self, parts: &[&str]) {
        self.0.push(slot(parts));
    }
}

/// Collects readable feature names with their slots (for explanations and tests).
#[derive(Debug, Default)]
pub struct Named(pub Vec<(String, u32)>);

impl Sink for Named {
    fn feature(&mut self, parts: &[&str]) {
        self.0.push((parts.join(" "), slot(parts)));
    }
}

/// The slot of a feature: FNV-1a over its parts, separated by a byte no word holds.
pub fn slot(parts: &[&str]) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for &b in p.as_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % BUCKETS as u64) as u32
}

/// The tokens of `text`: words (letters, digits, inner apostrophes and hyphens), `!` and `?`,
/// and emoji or other symbols.
fn tokens(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut word = String::new();
    let mut word_is_number = true;
    let mut word_capital = false;
    let mut sentence_start = true;
    let flush =
        |word: &mut String, number: bool, capital: bool, start: &mut bool, out: &mut Vec<Token>| {
            if word.is_empty() {
                return;
            }
            let w = word.trim_end_matches(['\'', '-']).to_string();
            word.clear();
            if w.is_empty() {
                return;
            }
            let class = if number {
                Class::Number
            } else if ORG_WORDS.contains(&w.as_str()) {
                Class::Org
            } else if CUSTOMER_WORDS.contains(&w.as_str()) {
                Class::Customer
            } else if AGENT_WORDS.contains(&w.as_str()) {
                Class::Agent
            } else if capital && !*start {
                Class::Name
            } else {
                Class::Word
            };
            *start = false;
            let text = if number { "<num>".to_string() } else { w };
            out.push(Token { text, class });
        };
    for c in text.chars() {
        let c = fold_char(c).unwrap_or(c);
        if c.is_alphanumeric() || (!word.is_empty() && (c == '\'' || c == '-')) {
            if word.is_empty() {
                word_is_number = true;
                word_capital = c.is_uppercase();
            }
            if c.is_alphabetic() {
                word_is_number = false;
            }
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() && (c == '.' || c == ',' || c == '/' || c == ':') && word_is_number {
            // "4.50", "24/7", "10,000" stay one number.
            word.push(c);
            continue;
        }
        flush(
            &mut word,
            word_is_number,
            word_capital,
            &mut sentence_start,
            &mut out,
        );
        match c {
            '!' | '?' => {
                if out.last().is_none_or(|t| t.text != c.to_string()) {
                    out.push(Token {
                        text: c.to_string(),
                        class: Class::Word,
                    });
                }
            }
            c if c.is_whitespace() || c.is_ascii_punctuation() => {}
            c if is_symbol(c) => {
                if out.last().is_none_or(|t| t.text != "<sym>") {
                    out.push(Token {
                        text: "<sym>".to_string(),
                        class: Class::Word,
                    });
                }
            }
            _ => {}
        }
    }
    flush(
        &mut word,
        word_is_number,
        word_capital,
        &mut sentence_start,
        &mut out,
    );
    out
}

/// Emoji, dingbats and other pictographs: a sentence's tone, not its content.
fn is_symbol(c: char) -> bool {
    matches!(c as u32, 0x2600..=0x27BF | 0x1F000..=0x1FAFF | 0x2190..=0x21FF | 0x2B00..=0x2BFF)
}

fn bucket(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2 => "2",
        3..=4 => "3-4",
        5..=8 => "5-8",
        9..=15 => "9-15",
        16..=25 => "16-25",
        _ => "26+",
    }
}

/// Feeds every feature of one sentence to `sink`.
pub fn features(text: &str, place: Place, sink: &mut impl Sink) {
    let toks = tokens(text);
    let words = toks
        .iter()
        .filter(|t| t.text != "!" && t.text != "?")
        .count();
    sink.feature(&["bias"]);
    sink.feature(&["len", bucket(words)]);
    let names = toks.iter().filter(|t| t.class == Class::Name).count();
    let numbers = toks.iter().filter(|t| t.class == Class::Number).count();
    sink.feature(&["names", bucket(names)]);
    sink.feature(&["numbers", bucket(numbers)]);
    let trimmed = text.trim_end();
    let end = match trimmed.chars().next_back() {
        Some('!') => "!",
        Some('?') => "?",
        Some('.') => ".",
        Some(',') => ",",
        Some(':') => ":",
        Some(c) if is_symbol(c) => "<sym>",
        _ => "none",
    };
    sink.feature(&["end", end]);
    if place.first {
        sink.feature(&["place", "first"]);
    }
    if place.last {
        sink.feature(&["place", "last"]);
    }
    if place.first && place.last {
        sink.feature(&["place", "only"]);
    }
    if words <= 3 {
        sink.feature(&["short-end", end]);
    }
    let mut prev = "<s>";
    for t in &toks {
        sink.feature(&["w", &t.text]);
        sink.feature(&["b", prev, &t.text]);
        prev = &t.text;
    }
    sink.feature(&["b", prev, "</s>"]);
    // The class-mapped sequence: pairs and triples that start with a class.
    let mapped: Vec<&str> = toks
        .iter()
        .map(|t| match t.class {
            Class::Word => t.text.as_str(),
            c => c.mark(),
        })
        .collect();
    for (i, t) in toks.iter().enumerate() {
        if t.class == Class::Word {
            continue;
        }
        let mark = t.class.mark();
        sink.feature(&["c", mark]);
        if let Some(next) = mapped.get(i + 1) {
            sink.feature(&["k2", mark, next]);
            if let Some(third) = mapped.get(i + 2) {
                sink.feature(&["k3", mark, next, third]);
            }
        }
        if i == 0 {
            sink.feature(&["opens", mark]);
        }
    }
    if let Some(first) = mapped.first() {
        sink.feature(&["first", first]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        let mut sink = Named::default();
        features(text, Place::default(), &mut sink);
        sink.0.into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn typographic_and_straight_apostrophes_give_the_same_features() {
        assert_eq!(
            names("Don’t hesitate to ask!"),
            names("Don't hesitate to ask!")
        );
    }

    #[test]
    fn classes_stand_in_for_the_organisation_and_names() {
        let f = names("Our chefs bake everything fresh for Maria.");
        assert!(f.contains(&"k2 ORG chefs".to_string()), "{f:?}");
        assert!(f.contains(&"k3 ORG chefs bake".to_string()), "{f:?}");
        assert!(f.contains(&"c NAME".to_string()), "{f:?}");
        assert!(f.contains(&"w our".to_string()), "{f:?}");
    }

    #[test]
    fn numbers_are_one_class() {
        let f = names("Your refund of $42.10 went out on 3/4.");
        assert!(f.contains(&"numbers 2".to_string()), "{f:?}");
        assert!(f.contains(&"b of <num>".to_string()), "{f:?}");
    }
}
