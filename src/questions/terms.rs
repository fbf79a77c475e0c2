//! Key terms of a sentence: lower-cased words without stop words, folded through a small synonym
//! table and stemmed (Snowball English, `rust-stemmers`), so "refunded" in a question meets
//! "refund" in a reply and "parcel" meets "package".

use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::document::sentences::words;

static STEMMER: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

/// Words that carry no topic: function words, and the vocabulary every support exchange uses
/// whatever it is about ("help", "issue", "please", "dm").
const STOP: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "anyone",
    "anything",
    "are",
    "aren't",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "can't",
    "cannot",
    "could",
    "couldn't",
    "did",
    "didn't",
    "do",
    "does",
    "doesn't",
    "doing",
    "don't",
    "down",
    "during",
    "each",
    "else",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "getting",
    "got",
    "had",
    "hadn't",
    "has",
    "hasn't",
    "have",
    "haven't",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "if",
    "im",
    "in",
    "into",
    "is",
    "isn't",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "let",
    "let's",
    "like",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "ought",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "really",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "still",
    "such",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "there's",
    "these",
    "they",
    "they're",
    "this",
    "those",
    "through",
    "to",
    "too",
    "u",
    "under",
    "until",
    "up",
    "us",
    "very",
    "was",
    "wasn't",
    "we",
    "we'd",
    "we'll",
    "we're",
    "we've",
    "were",
    "weren't",
    "what",
    "what's",
    "whats",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "won't",
    "would",
    "wouldn't",
    "yet",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "ur",
    "ya",
    "yes",
    "yeah",
    "ok",
    "okay",
    "thanks",
    "thank",
    "thx",
    "pls",
    "please",
    "hi",
    "hello",
    "hey",
    "dear",
    "regards",
    "cheers",
    "hii",
    "heyy",
    "lol",
    "oh",
    "wow",
    "well",
    "sure",
    "know",
    "want",
    "wanted",
    "wondering",
    "wonder",
    "tell",
    "ask",
    "asking",
    "question",
    "questions",
    "need",
    "needs",
    "needed",
    "go",
    "going",
    "make",
    "made",
    "way",
    "thing",
    "things",
    "something",
    "someone",
    "one",
    "see",
    "look",
    "looking",
    "take",
    "try",
    "trying",
    "tried",
    "help",
    "helping",
    "helped",
    "assist",
    "assistance",
    "support",
    "issue",
    "issues",
    "problem",
    "problems",
    "dm",
    "dms",
    "message",
    "messages",
    "contact",
    "reach",
    "team",
    "happy",
    "glad",
    "sorry",
    "apologies",
    "apologize",
    "apologise",
    "hear",
    "able",
    "guys",
    "folks",
    "anyway",
    "though",
    "already",
    "currently",
    "right",
    "good",
    "great",
    "new",
    "use",
    "using",
    "used",
    "work",
    "working",
    "works",
    "time",
    "today",
    "day",
    "days",
    "would",
    "sent",
    "info",
    "information",
    "details",
    "detail",
    "more",
    "send",
    "follow",
    "link",
    "note",
    "kindly",
    "appreciate",
    "feel",
    "free",
    "hope",
    "via",
    "etc",
    "lot",
    "bit",
    "maybe",
    "possible",
    "possibly",
    "since",
    "says",
    "said",
    "say",
    "think",
    "thought",
    "yep",
    "nope",
    "gonna",
    "wanna",
    "got",
    "idea",
    "tips",
    "anybody",
    "everyone",
    "everything",
    "back",
    "currently",
    "whether",
    "actually",
    "seems",
    "seem",
    "keep",
    "keeps",
    "came",
    "come",
];

/// Words folded onto one term before stemming: different words customers and agents use for
/// the same thing.
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "price",
        &[
            "price",
            "prices",
            "cost",
            "costs",
            "fee",
            "fees",
            "charge",
            "charged",
            "charges",
            "charging",
            "pay",
            "paid",
            "paying",
            "payment",
            "pricing",
            "expensive",
            "cheaper",
            "dollars",
        ],
    ),
    (
        "deliver",
        &[
            "deliver",
            "delivered",
            "delivery",
            "deliveries",
            "ship",
            "shipped",
            "shipping",
            "shipment",
            "package",
            "packages",
            "parcel",
            "parcels",
            "arrive",
            "arrived",
            "arrival",
            "tracking",
            "track",
            "courier",
            "carrier",
            "received",
            "receive",
        ],
    ),
    (
        "refund",
        &[
            "refund",
            "refunded",
            "refunds",
            "reimburse",
            "reimbursed",
            "reimbursement",
            "money",
            "credit",
            "credits",
            "compensation",
            "voucher",
            "vouchers",
        ],
    ),
    (
        "cancel",
        &[
            "cancel",
            "cancelled",
            "canceled",
            "cancellation",
            "cancelling",
        ],
    ),
    (
        "licens",
        &[
            "license",
            "licence",
            "licensing",
            "licensed",
            "licenses",
            "mit",
            "gpl",
            "lgpl",
            "apache",
            "bsd",
            "copyright",
        ],
    ),
    (
        "commerci",
        &["commercial", "proprietary", "closed-source", "business"],
    ),
    (
        "login",
        &[
            "login",
            "log-in",
            "signin",
            "sign-in",
            "password",
            "passwords",
            "logged",
        ],
    ),
    (
        "internet",
        &[
            "internet",
            "wifi",
            "wi-fi",
            "connection",
            "connectivity",
            "broadband",
            "outage",
            "online",
            "offline",
        ],
    ),
    (
        "releas",
        &[
            "release",
            "released",
            "releases",
            "launch",
            "launched",
            "available",
            "availability",
            "out",
            "eta",
        ],
    ),
    (
        "updat",
        &[
            "update", "updated", "updates", "upgrade", "upgraded", "version", "versions", "ios",
            "firmware",
        ],
    ),
    ("delay", &["delay", "delayed", "delays", "late", "running"]),
    (
        "flight",
        &[
            "flight",
            "flights",
            "plane",
            "flying",
            "fly",
            "aircraft",
            "depart",
            "departure",
            "boarding",
        ],
    ),
    (
        "bag",
        &["bag", "bags", "luggage", "baggage", "suitcase", "carry-on"],
    ),
    (
        "phone",
        &[
            "phone",
            "iphone",
            "mobile",
            "cell",
            "smartphone",
            "handset",
            "device",
            "devices",
        ],
    ),
    (
        "subscript",
        &[
            "subscription",
            "subscriptions",
            "subscribe",
            "subscribed",
            "membership",
            "plan",
            "plans",
            "premium",
        ],
    ),
    (
        "maintain",
        &[
            "maintain",
            "maintained",
            "maintaining",
            "maintenance",
            "dead",
            "abandoned",
            "active",
            "actively",
        ],
    ),
    (
        "error",
        &[
            "error", "errors", "glitch", "bug", "bugs", "broken", "crash", "crashes", "fails",
            "failing",
        ],
    ),
    ("open", &["open", "opened", "opening", "closed", "hours"]),
    (
        "store",
        &[
            "store",
            "stores",
            "shop",
            "branch",
            "location",
            "restaurant",
        ],
    ),
    (
        "replac",
        &["replace", "replaced", "replacement", "exchange", "swap"],
    ),
    ("return", &["return", "returns", "returned", "returning"]),
    (
        "order",
        &[
            "order",
            "ordered",
            "orders",
            "purchase",
            "purchased",
            "bought",
            "buy",
            "buying",
        ],
    ),
];

static STOP_SET: LazyLock<HashSet<&'static str>> = LazyLock::new(|| STOP.iter().copied().collect());

fn synonym(word: &str) -> Option<&'static str> {
    SYNONYMS
        .iter()
        .find(|(_, words)| words.contains(&word))
        .map(|(canon, _)| *canon)
}

/// Whether `word` (lower case) carries no topic.
pub fn is_stop(word: &str) -> bool {
    STOP_SET.contains(word)
}

/// Normalises one word: lower case, curly apostrophes straightened, possessive dropped.
pub fn normalise(word: &str) -> String {
    let w = word.to_lowercase().replace(['’', '‘'], "'");
    w.strip_suffix("'s").map(str::to_string).unwrap_or(w)
}

/// The key term of one word, or `None` for a stop word, a number or a one-letter word.
pub fn term(word: &str) -> Option<String> {
    let w = normalise(word);
    if is_stop(&w) || w.chars().count() < 2 || w.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if let Some(canon) = synonym(&w) {
        return Some(canon.to_string());
    }
    let stem = STEMMER.stem(&w).into_owned();
    // "seeing" and "helped" are as empty as "see" and "help".
    (!is_stop(&stem)).then_some(stem)
}

/// How many words each thread's [`term`] memo holds before it starts afresh: enough for the
/// vocabulary of a large document, small enough to stay a few hundred KB.
const MEMO_LIMIT: usize = 1 << 14;

thread_local! {
    /// Word (as written) -> its key term. Stemming and the synonym table dominate the cost of
    /// [`terms`], and prose repeats its words: each distinct word is looked up once.
    static TERM_OF: RefCell<Memo> = RefCell::new(Memo::default());
}

/// Words already looked up, and their key terms.
type Memo = foldhash::HashMap<Box<str>, Option<Box<str>>>;

/// Key terms of `text`, in order, duplicates removed.
pub fn terms(text: &str) -> Vec<String> {
    // Most sentences have a handful of terms: a linear scan beats hashing until there are many.
    const SCAN_LIMIT: usize = 24;
    TERM_OF.with(|memo| {
        let memo = &mut *memo.borrow_mut();
        let mut seen: foldhash::HashSet<String> = foldhash::HashSet::default();
        let mut out: Vec<String> = Vec::new();
        for (_, w) in words(text) {
            // "@handles" and "#tags" still name things ("#ps4"): keep the word inside.
            let w = w.trim_start_matches(['@', '#']);
            // [`term`], looked up once per distinct word; borrowed from the memo, so a repeated
            // term costs no allocation. One hash lookup for a word seen before (`entry` would
            // want the word owned).
            let known = match memo.get(w) {
                Some(known) => known,
                None => {
                    let found = term(w);
                    if memo.len() >= MEMO_LIMIT {
                        memo.clear();
                    }
                    memo.entry(w.into()).or_insert(found.map(Box::from))
                }
            };
            let Some(t) = known.as_deref() else {
                continue;
            };
            let new = if out.len() < SCAN_LIMIT {
                !out.iter().any(|o| o == t)
            } else {
                if seen.is_empty() {
                    seen.extend(out.iter().cloned());
                }
                seen.insert(t.to_string())
            };
            if new {
                out.push(t.to_string());
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_drop_and_inflections_meet() {
        assert_eq!(
            terms("Can you help me with my refunded order?"),
            ["refund", "order"]
        );
        assert_eq!(
            terms("Where is the parcel I was promised?"),
            ["deliver", "promis"]
        );
        assert_eq!(terms("promise"), ["promis"]);
    }

    #[test]
    fn possessives_and_curly_apostrophes_are_normalised() {
        assert_eq!(terms("the app’s settings"), terms("app settings"));
    }
}
