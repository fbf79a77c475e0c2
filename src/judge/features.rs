//! What a sentence model sees: the words of a sentence, a few word classes, its shape and its
//! place in the reply, as hashed sparse features.
//!
//! Features (all binary):
//! - every word and every pair of adjacent words (lower-cased, apostrophes folded, numbers as
//!   `<num>`, emoji and symbols as `<sym>`), with sentence start and end marks. A word the
//!   training corpus did not hold at least twice is `<rare>`: names of products, places and
//!   problems are what make a sentence specific, and the model learns that from the corpus's own
//!   rare words rather than giving unknown words no weight at all;
//! - the same sequence with words of a class replaced by it: the organisation (`we`, `our`,
//!   `the team`), the customer (`you`), the agent (`I`), numbers and capitalised names inside the
//!   sentence; pairs and triples that start with a class ("ORG are committed") are the subject and
//!   predicate cues;
//! - shape: length, rare words, names and numbers counted, the closing mark, where it stands in
//!   the reply; a question's first two words ("Have YOU ...?" asks about the case, "Have a
//!   great day!" does not).
//!
//! Features are hashed into [`BUCKETS`] slots, so the model is a fixed-size table with no
//! feature list to ship; the same walk can name its features, to explain a verdict.

use super::normalize::fold_char;

/// Number of hashed feature slots.
pub const BUCKETS: usize = 1 << 17;
/// Bits in the set of known words.
pub const VOCABULARY_BITS: usize = 1 << 20;

/// Where a sentence stands in the reply it belongs to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    pub first: bool,
    pub last: bool,
}

/// The words the training corpus holds often enough to have learned weights: a bit set over
/// word hashes (a few false "known" in a thousand, from collisions).
#[derive(Debug, Clone, Copy)]
pub struct Vocabulary<'a> {
    pub bits: &'a [u8],
}

impl Vocabulary<'_> {
    pub fn knows(&self, word_hash: u64) -> bool {
        let bit = (word_hash % VOCABULARY_BITS as u64) as usize;
        self.bits[bit / 8] & (1 << (bit % 8)) != 0
    }

    /// Marks a word as known, in a set being built.
    pub fn learn(bits: &mut [u8], word_hash: u64) {
        let bit = (word_hash % VOCABULARY_BITS as u64) as usize;
        bits[bit / 8] |= 1 << (bit % 8);
    }
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

/// The organisation speaking of itself: its pronouns and the few nouns any organisation names
/// itself by.
#[rustfmt::skip]
const ORG_WORDS: &[&str] = &[
    "we", "our", "us", "ours", "ourselves", "we're", "we've", "we'll", "we'd", "team", "company",
    "staff", "store", "business", "organisation", "organization", "brand",
];
#[rustfmt::skip]
const CUSTOMER_WORDS: &[&str] = &[
    "you", "your", "yours", "yourself", "you're", "you've", "you'll", "you'd", "u", "ur",
];
#[rustfmt::skip]
const AGENT_WORDS: &[&str] = &[
    "i", "me", "my", "mine", "myself", "i'm", "i've", "i'll", "i'd",
];

/// One token: where its lower-cased text is in [`Tokens::text`], its hash and class.
#[derive(Debug, Clone)]
struct Token {
    text: std::ops::Range<usize>,
    hash: u64,
    class: Class,
    /// In the vocabulary (or a mark such as `<num>`, `!`).
    known: bool,
}

/// The tokens of a sentence: words (letters, digits, inner apostrophes and hyphens), `!` and
/// `?`, and emoji or other symbols.
#[derive(Debug, Default)]
pub struct Tokens {
    text: String,
    toks: Vec<Token>,
}

/// The length of an emoji shortcode (":wave:", ":sparkling_heart:", ":+1:") at the start of
/// `text`, as GitHub, Slack and Discord write them.
fn shortcode_len(text: &str) -> Option<usize> {
    let rest = text.strip_prefix(':')?;
    let name = rest
        .bytes()
        .take_while(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'+' | b'-')
        })
        .count();
    ((1..=40).contains(&name) && rest[name..].starts_with(':')).then_some(name + 2)
}

/// FNV-1a over a part's bytes: the hash of a word or mark.
pub fn part_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The slot of a feature made of a kind and parts' hashes.
fn slot(kind: u64, parts: &[u64]) -> u32 {
    let mut h = kind;
    for &p in parts {
        h = (h.rotate_left(23) ^ p).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    h ^= h >> 31;
    h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^= h >> 29;
    (h % BUCKETS as u64) as u32
}

impl Tokens {
    /// Splits `text` into tokens; words outside `vocabulary` (when given) become `<rare>`.
    pub fn new(text: &str) -> Tokens {
        let mut t = Tokens {
            text: String::with_capacity(text.len() + 8),
            toks: Vec::with_capacity(text.len() / 4 + 2),
        };
        let mut start = 0;
        let mut number = true;
        let mut capital = false;
        let mut skip_to = 0;
        for (i, c) in text.char_indices() {
            if i < skip_to {
                continue;
            }
            let c = fold_char(c).unwrap_or(c);
            let in_word = t.text.len() > start;
            if c == ':' && !in_word {
                if let Some(len) = shortcode_len(&text[i..]) {
                    // ":wave:" is an emoji written as its name: a symbol, not the word "wave".
                    t.mark("<sym>");
                    start = t.text.len();
                    skip_to = i + len;
                    continue;
                }
            }
            if c.is_alphanumeric() || (in_word && (c == '\'' || c == '-')) {
                if !in_word {
                    number = true;
                    capital = c.is_uppercase();
                }
                if c.is_alphabetic() {
                    number = false;
                }
                if c.is_ascii() {
                    t.text.push(c.to_ascii_lowercase());
                } else {
                    t.text.extend(c.to_lowercase());
                }
                continue;
            }
            if in_word && number && matches!(c, '.' | ',' | '/' | ':') {
                // "4.50", "24/7", "10,000" stay one number.
                t.text.push(c);
                continue;
            }
            t.end_word(start, number, capital);
            match c {
                '!' | '?' => t.mark(if c == '!' { "!" } else { "?" }),
                c if is_symbol(c) => t.mark("<sym>"),
                _ => {}
            }
            start = t.text.len();
        }
        t.end_word(start, number, capital);
        t
    }

    fn end_word(&mut self, start: usize, number: bool, capital: bool) {
        let word = self.text[start..].trim_end_matches(['\'', '-', '.', ',', '/', ':']);
        if word.is_empty() {
            self.text.truncate(start);
            return;
        }
        self.text.truncate(start + word.len());
        let word = &self.text[start..];
        let class = if number {
            Class::Number
        } else if ORG_WORDS.contains(&word) {
            Class::Org
        } else if CUSTOMER_WORDS.contains(&word) {
            Class::Customer
        } else if AGENT_WORDS.contains(&word) {
            Class::Agent
        } else if capital && !self.toks.iter().all(|t| t.class == Class::Number) {
            Class::Name
        } else {
            Class::Word
        };
        if number {
            self.text.truncate(start);
            self.text.push_str("<num>");
        }
        let text = start..self.text.len();
        let hash = part_hash(&self.text[text.clone()]);
        self.toks.push(Token {
            text,
            hash,
            class,
            known: number,
        });
        self.text.push(' ');
    }

    fn mark(&mut self, mark: &str) {
        if self
            .toks
            .last()
            .is_some_and(|t| self.text[t.text.clone()] == *mark)
        {
            return;
        }
        let start = self.text.len();
        self.text.push_str(mark);
        let text = start..self.text.len();
        self.text.push(' ');
        self.toks.push(Token {
            text,
            hash: part_hash(mark),
            class: Class::Word,
            known: true,
        });
    }

    /// The hash of every word (for building a vocabulary).
    pub fn word_hashes(&self) -> impl Iterator<Item = u64> + '_ {
        self.toks.iter().map(|t| t.hash)
    }

    /// Whether the sentence holds a word with a letter: a line of only emoji, numbers or
    /// punctuation is not for the model to judge.
    pub fn has_words(&self) -> bool {
        self.toks.iter().any(|t| {
            t.class != Class::Number && self.text[t.text.clone()].chars().any(char::is_alphabetic)
        })
    }
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

/// Receives features: a slot, and how to name it (asked only by sinks that keep names).
pub trait Sink {
    fn feature(&mut self, slot: u32, name: impl FnOnce() -> String);
}

/// Collects hashed feature slots.
#[derive(Debug, Default)]
pub struct Hashed(pub Vec<u32>);

impl Sink for Hashed {
    #[inline]
    fn feature(&mut self, slot: u32, _name: impl FnOnce() -> String) {
        self.0.push(slot);
    }
}

/// Collects readable feature names with their slots (for explanations and tests).
#[derive(Debug, Default)]
pub struct Named(pub Vec<(String, u32)>);

impl Sink for Named {
    fn feature(&mut self, slot: u32, name: impl FnOnce() -> String) {
        self.0.push((name(), slot));
    }
}

/// What the features say about a sentence besides themselves.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    /// The organisation is named in it (we, our, us, the team, the company...).
    pub names_org: bool,
}

/// Feeds every feature of one sentence to `sink`.
pub fn features(
    text: &str,
    place: Place,
    vocabulary: Vocabulary<'_>,
    sink: &mut impl Sink,
) -> Summary {
    let mut tokens = Tokens::new(text);
    for t in &mut tokens.toks {
        if !t.known && t.class != Class::Name {
            t.known = vocabulary.knows(t.hash);
        }
    }
    walk(&tokens, text, place, sink);
    Summary {
        names_org: tokens.toks.iter().any(|t| t.class == Class::Org),
    }
}

const RARE: &str = "<rare>";

fn walk(tokens: &Tokens, text: &str, place: Place, sink: &mut impl Sink) {
    // Each token as the model sees it: its text, or `<rare>`, and a class mark.
    let seen: Vec<(&str, u64)> = tokens
        .toks
        .iter()
        .map(|t| {
            if t.known || t.class == Class::Name {
                (&tokens.text[t.text.clone()], t.hash)
            } else {
                (RARE, part_hash(RARE))
            }
        })
        .collect();
    let mapped: Vec<(&str, u64)> = tokens
        .toks
        .iter()
        .zip(&seen)
        .map(|(t, &s)| match t.class {
            Class::Word => s,
            c => (c.mark(), part_hash(c.mark())),
        })
        .collect();
    let kind = |k: &str| part_hash(k);
    let mut simple = |k: &'static str, v: &'static str| {
        sink.feature(slot(kind(k), &[part_hash(v)]), || format!("{k} {v}"));
    };
    let words = tokens
        .toks
        .iter()
        .filter(|t| !matches!(&tokens.text[t.text.clone()], "!" | "?" | "<sym>"))
        .count();
    simple("bias", "");
    simple("len", bucket(words));
    let count = |f: &dyn Fn(&Token, &str) -> bool| {
        tokens
            .toks
            .iter()
            .zip(&seen)
            .filter(|(t, s)| f(t, s.0))
            .count()
    };
    simple("rare", bucket(count(&|_, s| s == RARE)));
    simple("names", bucket(count(&|t, _| t.class == Class::Name)));
    simple("numbers", bucket(count(&|t, _| t.class == Class::Number)));
    let end = match text.trim_end().chars().next_back() {
        Some('!') => "!",
        Some('?') => "?",
        Some('.') => ".",
        Some(',') => ",",
        Some(':') => ":",
        Some(c) if is_symbol(c) => "<sym>",
        _ => "none",
    };
    simple("end", end);
    if place.first {
        simple("place", "first");
    }
    if place.last {
        simple("place", "last");
    }
    if words <= 3 {
        simple("short-end", end);
    }
    let (w, b) = (kind("w"), kind("b"));
    let start = ("<s>", part_hash("<s>"));
    let mut prev = start;
    for &cur in &seen {
        sink.feature(slot(w, &[cur.1]), || format!("w {}", cur.0));
        sink.feature(slot(b, &[prev.1, cur.1]), || {
            format!("b {} {}", prev.0, cur.0)
        });
        prev = cur;
    }
    let end_mark = ("</s>", part_hash("</s>"));
    sink.feature(slot(b, &[prev.1, end_mark.1]), || {
        format!("b {} </s>", prev.0)
    });
    // The class-mapped sequence: pairs and triples that start with a class.
    let (c, k2, k3, opens) = (kind("c"), kind("k2"), kind("k3"), kind("opens"));
    for (i, t) in tokens.toks.iter().enumerate() {
        if t.class == Class::Word {
            continue;
        }
        let m = mapped[i];
        sink.feature(slot(c, &[m.1]), || format!("c {}", m.0));
        if let Some(&next) = mapped.get(i + 1) {
            sink.feature(slot(k2, &[m.1, next.1]), || {
                format!("k2 {} {}", m.0, next.0)
            });
            if let Some(&third) = mapped.get(i + 2) {
                sink.feature(slot(k3, &[m.1, next.1, third.1]), || {
                    format!("k3 {} {} {}", m.0, next.0, third.0)
                });
            }
        }
        if i == 0 {
            sink.feature(slot(opens, &[m.1]), || format!("opens {}", m.0));
        }
    }
    if let Some(&first) = mapped.first() {
        sink.feature(slot(kind("first"), &[first.1]), || {
            format!("first {}", first.0)
        });
        // A question's opening apart from a statement's: "Have you tried a restart?" asks about
        // the case, "Have a great day!" is stock.
        if end == "?" {
            let second = mapped.get(1).copied().unwrap_or(end_mark);
            sink.feature(slot(kind("asks"), &[first.1, second.1]), || {
                format!("asks {} {}", first.0, second.0)
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        let everything = vec![0xffu8; VOCABULARY_BITS / 8];
        let mut sink = Named::default();
        features(
            text,
            Place::default(),
            Vocabulary { bits: &everything },
            &mut sink,
        );
        sink.0.into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn an_emoji_shortcode_reads_like_the_emoji_it_names() {
        assert_eq!(
            names(":wave: Thanks for the report!"),
            names("👋 Thanks for the report!")
        );
        // "Note:" and times are not shortcodes.
        assert_eq!(shortcode_len(": wave:"), None);
        assert_eq!(shortcode_len(":Note:"), None);
        assert!(names("Open at 10:30: come by")
            .iter()
            .any(|n| n.contains("<num>")));
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

    #[test]
    fn words_outside_the_vocabulary_are_rare() {
        let none = vec![0u8; VOCABULARY_BITS / 8];
        let mut sink = Named::default();
        features(
            "Restart the cmdlet.",
            Place::default(),
            Vocabulary { bits: &none },
            &mut sink,
        );
        let f: Vec<String> = sink.0.into_iter().map(|(n, _)| n).collect();
        assert!(f.contains(&"rare 3-4".to_string()), "{f:?}");
        assert!(f.contains(&"w <rare>".to_string()), "{f:?}");
    }

    #[test]
    fn named_and_hashed_walks_agree() {
        let everything = vec![0xffu8; VOCABULARY_BITS / 8];
        let v = Vocabulary { bits: &everything };
        let text = "We’re sorry, Dana: your 2 parcels are late!";
        let mut named = Named::default();
        let mut hashed = Hashed::default();
        features(text, Place::default(), v, &mut named);
        features(text, Place::default(), v, &mut hashed);
        let slots: Vec<u32> = named.0.iter().map(|(_, s)| *s).collect();
        assert_eq!(slots, hashed.0);
    }
}
