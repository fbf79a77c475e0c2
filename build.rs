//! Embeds every rule file under `rules/` in the binary, so `candor` works with no files around,
//! and works out the built-in phrase catalogues' prefilter literals here rather than at every
//! start (a one-draft run would otherwise spend milliseconds parsing a hundred patterns), and
//! turns each rule file into JSON, which loads faster than YAML.
use std::{env, fs, path::Path};

#[allow(dead_code)]
#[path = "src/engine/literals.rs"]
mod literals;

#[path = "src/engine/gate_pattern.rs"]
mod gate_pattern;

#[path = "src/questions/patterns.rs"]
mod question_patterns;

fn main() {
    embeddings();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed={}", root.display());
    println!("cargo:rerun-if-changed=src/engine/literals.rs");
    println!("cargo:rerun-if-changed=src/questions/patterns.rs");
    println!("cargo:rerun-if-changed=src/engine/gate_pattern.rs");
    let mut entries = Vec::new();
    if let Ok(packs) = fs::read_dir(&root) {
        for pack in packs.flatten().filter(|e| e.path().is_dir()) {
            println!("cargo:rerun-if-changed={}", pack.path().display());
            for file in fs::read_dir(pack.path()).into_iter().flatten().flatten() {
                let path = file.path();
                if matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("yml" | "yaml")
                ) {
                    let rel = path
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    entries.push((rel, path));
                }
            }
        }
    }
    entries.sort();
    let out_dir = env::var("OUT_DIR").unwrap();
    let mut out = String::from("/// (path under rules/, file text, the file as JSON) of each built-in rule.\n#[allow(clippy::type_complexity)]\npub static EMBEDDED: &[(&str, &str, Option<&str>)] = &[\n");
    let mut phrases = Vec::new();
    let mut catalogues = Vec::new();
    let mut token_rules = Vec::new();
    for (rel, abs) in &entries {
        let text = fs::read_to_string(abs).unwrap_or_default();
        // A file that does not parse is left to report its error at start.
        let doc = serde_norway::from_str::<serde_norway::Value>(&text).ok();
        out.push_str(&format!(
            "    ({rel:?}, include_str!({:?}), {:?}),\n",
            abs.display().to_string(),
            doc.as_ref().and_then(as_json)
        ));
        if let Some(doc) = &doc {
            let catalogue = catalogue_phrases(doc);
            phrases.extend(catalogue.iter().cloned());
            catalogues.push(catalogue);
            token_rules.extend(token_rule(doc));
        }
    }
    out.push_str("];\n");
    fs::write(Path::new(&out_dir).join("embedded_rules.rs"), out).unwrap();
    // Each catalogue pattern as searched and as matched whole, case-insensitive like the
    // catalogues; the question checks' patterns as written (their flags are inline).
    let keys = phrases
        .iter()
        .flat_map(|p| [p.clone(), format!("^{p}$")])
        .collect();
    let (table, blob) = dfa_table(
        keys,
        literals::ascii_syntax(),
        "PHRASE_DFAS",
        MAX_PREBUILT_BYTES,
    );
    fs::write(Path::new(&out_dir).join("phrase_dfas.rs"), table).unwrap();
    fs::write(Path::new(&out_dir).join("phrase_dfas.bin"), blob).unwrap();
    let fixed = question_patterns::ALL
        .iter()
        .map(|p| p.to_string())
        .collect();
    let ascii = regex_automata::util::syntax::Config::new()
        .unicode(false)
        .utf8(false);
    let (table, blob) = dfa_table(fixed, ascii, "FIXED_DFAS", MAX_FIXED_BYTES);
    fs::write(Path::new(&out_dir).join("fixed_dfas.rs"), table).unwrap();
    fs::write(Path::new(&out_dir).join("fixed_dfas.bin"), blob).unwrap();
    // A built-in Vale-type rule's pattern is gated too: then no rule of the default pack needs
    // the prefilter's pass.
    catalogues.extend(token_rules.iter().map(|(tokens, nonword, ignorecase)| {
        vec![literals::token_pattern(tokens, *ignorecase, *nonword)]
    }));
    let (table, blob) = gate_table(catalogues);
    fs::write(Path::new(&out_dir).join("catalogue_gates.rs"), table).unwrap();
    fs::write(Path::new(&out_dir).join("catalogue_gates.bin"), blob).unwrap();
    fs::write(
        Path::new(&out_dir).join("token_literals.rs"),
        token_literal_table(&token_rules),
    )
    .unwrap();
    fs::write(
        Path::new(&out_dir).join("phrase_literals.rs"),
        literal_table(phrases),
    )
    .unwrap();
}

/// Serialized forward and reverse DFAs larger than this are not stored: the pattern then
/// compiles at start, when a text needs it.
const MAX_PREBUILT_BYTES: usize = 128 << 10;
/// The same for the question checks' fixed patterns: fewer, and each one a draft with a question
/// would otherwise compile.
const MAX_FIXED_BYTES: usize = 512 << 10;

/// A table named `name` and the bytes it points into: for each of `keys` (patterns parsed with
/// `syntax`), the ASCII-mode sparse DFAs of a `regex_automata::dfa` regex, forward then reverse,
/// in the target's byte order. Patterns whose DFAs are large or fail to build are left out:
/// they compile at start, when a text needs them.
fn dfa_table(
    mut keys: Vec<String>,
    syntax: regex_automata::util::syntax::Config,
    name: &str,
    max_bytes: usize,
) -> (String, Vec<u8>) {
    use regex_automata::dfa::{dense, regex::Regex};
    let big_endian = env::var("CARGO_CFG_TARGET_ENDIAN").as_deref() == Ok("big");
    keys.sort();
    keys.dedup();
    let mut blob = Vec::new();
    let mut out = format!(
        "/// (pattern, byte offsets of its forward DFA, reverse DFA and end) for each pattern with\n/// a prebuilt DFA, sorted by pattern.\npub static {name}: &[(&str, [usize; 3])] = &[\n",
    );
    for key in keys {
        let limits = dense::Config::new()
            .minimize(false)
            .dfa_size_limit(Some(4 * max_bytes))
            .determinize_size_limit(Some(16 * max_bytes));
        let Ok(regex) = Regex::builder().syntax(syntax).dense(limits).build(&key) else {
            continue;
        };
        let (Ok(forward), Ok(reverse)) = (regex.forward().to_sparse(), regex.reverse().to_sparse())
        else {
            continue;
        };
        let bytes = |dfa: &regex_automata::dfa::sparse::DFA<Vec<u8>>| {
            if big_endian {
                dfa.to_bytes_big_endian()
            } else {
                dfa.to_bytes_little_endian()
            }
        };
        let (forward, reverse) = (bytes(&forward), bytes(&reverse));
        if forward.len() + reverse.len() > max_bytes {
            continue;
        }
        let start = blob.len();
        blob.extend_from_slice(&forward);
        let middle = blob.len();
        blob.extend_from_slice(&reverse);
        out.push_str(&format!(
            "    ({key:?}, [{start}, {middle}, {}]),\n",
            blob.len()
        ));
    }
    out.push_str("];\n");
    (out, blob)
}

/// A gates DFA larger than this is not stored: the catalogues are then searched without.
const MAX_GATE_BYTES: usize = 32 << 20;

/// `CATALOGUE_GATES`: each built-in catalogue (its wrapped patterns joined with `|`; a Vale-type
/// rule's one pattern) in the order of its pattern in the gates' dense DFA (see
/// `src/engine/gate_pattern.rs`), and the DFA's bytes. Empty when the DFA cannot be built.
fn gate_table(catalogues: Vec<Vec<String>>) -> (String, Vec<u8>) {
    let big_endian = env::var("CARGO_CFG_TARGET_ENDIAN").as_deref() == Ok("big");
    let catalogues: Vec<Vec<String>> = catalogues.into_iter().filter(|c| !c.is_empty()).collect();
    let gates = catalogues
        .iter()
        .map(|patterns| gate_pattern::gate(patterns))
        .collect::<Result<Vec<_>, _>>();
    let dfa = gates.and_then(|gates| gate_pattern::gate_dfa(&gates, MAX_GATE_BYTES));
    let mut out = String::from(
        "/// Each catalogue (its patterns joined with `|`), in the order of its gate in the DFA.\npub static CATALOGUE_GATES: &[&str] = &[\n",
    );
    let Ok(dfa) = dfa else {
        out.push_str("];\n");
        return (out, Vec::new());
    };
    for patterns in &catalogues {
        out.push_str(&format!("    {:?},\n", patterns.join("|")));
    }
    out.push_str("];\n");
    let (bytes, padding) = if big_endian {
        dfa.to_bytes_big_endian()
    } else {
        dfa.to_bytes_little_endian()
    };
    (out, bytes[padding..].to_vec())
}

/// A rule file's YAML as JSON, which loads several times faster at start (the built-in pack's
/// YAML took a tenth of a one-draft run). `None` when it cannot be written as JSON: the YAML is
/// then parsed at start.
fn as_json(doc: &serde_norway::Value) -> Option<String> {
    serde_json::to_string(doc).ok()
}

/// The wrapped patterns of a rule file's catalogue (`extends: filler` and `buried_answer`
/// phrases, `extends: framing` cues). A file this does not understand gives none: its
/// patterns are then parsed at start, as a user's would be.
fn catalogue_phrases(doc: &serde_norway::Value) -> Vec<String> {
    let (key, can_be_nonword) = match doc.get("extends").and_then(|e| e.as_str()) {
        Some("filler" | "buried_answer") => ("phrases", true),
        Some("framing") => ("cues", false),
        _ => return Vec::new(),
    };
    let Some(list) = doc
        .get("options")
        .and_then(|o| o.get(key))
        .and_then(|l| l.as_sequence())
    else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|entry| {
            let phrase = entry.get("match")?.as_str()?;
            // As at start: a phrase that does not parse alone is left to report its error.
            regex_syntax::ast::parse::Parser::new().parse(phrase).ok()?;
            let nonword = can_be_nonword
                && entry
                    .get("nonword")
                    .and_then(|n| n.as_bool())
                    .unwrap_or(false);
            Some(literals::wrap_phrase(phrase, nonword))
        })
        .collect()
}

/// `PHRASE_LITERALS`: (wrapped pattern, can match empty text, required literal sets, its
/// [`literals::AsciiStart`] as (ASCII mode, first bytes, can be empty)), sorted by pattern, for
/// each pattern that parses (and whose phrase parses alone).
fn literal_table(mut patterns: Vec<String>) -> String {
    patterns.sort();
    patterns.dedup();
    let mut out = String::from(
        "/// (wrapped pattern, can match empty text, required literal sets, ASCII start) of each\n/// built-in catalogue pattern, sorted by pattern.\n#[allow(clippy::type_complexity)]\npub static PHRASE_LITERALS: &[(&str, bool, &[&[&[u8]]], Option<(bool, &[u8], bool)>)] = &[\n",
    );
    for wrapped in patterns {
        let Ok(hir) = regex_syntax::Parser::new().parse(&wrapped) else {
            continue;
        };
        let sets = literals::required_literal_sets(&hir)
            .iter()
            .map(|set| {
                let strings: Vec<String> = set.iter().map(|s| format!("&{s:?}")).collect();
                format!("&[{}]", strings.join(", "))
            })
            .collect::<Vec<_>>()
            .join(", ");
        let lits = format!("&[{sets}]");
        let start = match literals::ascii_start(&wrapped) {
            Some(s) => format!("Some(({}, &{:?}, {}))", s.ascii_mode, s.bytes, s.empty),
            None => "None".to_string(),
        };
        out.push_str(&format!(
            "    ({wrapped:?}, {}, {lits}, {start}),\n",
            literals::matches_empty(&hir)
        ));
    }
    out.push_str("];\n");
    out
}

/// A built-in `existence` (tokens only) or `substitution` rule: (tokens or swap keys in the
/// order the rule joins them, nonword, ignorecase). `None` for other files, and for one whose
/// tokens do not each parse alone (it reports its error at start).
fn token_rule(doc: &serde_norway::Value) -> Option<(Vec<String>, bool, bool)> {
    let flag = |key: &str| doc.get(key).and_then(|v| v.as_bool()).unwrap_or(false);
    let tokens: Vec<String> = match doc.get("extends")?.as_str()? {
        "existence" if doc.get("raw").is_none() => doc
            .get("tokens")?
            .as_sequence()?
            .iter()
            .map(|t| t.as_str().map(str::to_string))
            .collect::<Option<_>>()?,
        "substitution" => {
            // As the rule reads them: a sorted map.
            let swap = doc.get("swap")?.as_mapping()?;
            let mut keys: Vec<String> = swap
                .keys()
                .map(|k| k.as_str().map(str::to_string))
                .collect::<Option<_>>()?;
            keys.sort();
            keys
        }
        _ => return None,
    };
    let parses = |p: &str| regex_syntax::Parser::new().parse(p).is_ok();
    if tokens.is_empty() || tokens.iter().any(|t| t.is_empty() || !parses(t)) {
        return None;
    }
    Some((tokens, flag("nonword"), flag("ignorecase")))
}

/// `TOKEN_LITERALS`: for each built-in token rule whose pattern parses, (tokens, nonword,
/// ignorecase, its prefilter literals).
fn token_literal_table(rules: &[(Vec<String>, bool, bool)]) -> String {
    let mut out = String::from(
        "/// (tokens, nonword, ignorecase, prefilter literals) of each built-in `existence` and\n/// `substitution` rule whose tokens parse.\n#[allow(clippy::type_complexity)]\npub static TOKEN_LITERALS: &[(&[&str], bool, bool, Option<&[&[u8]]>)] = &[\n",
    );
    for (tokens, nonword, ignorecase) in rules {
        let pattern = literals::token_pattern(tokens, false, *nonword);
        let Ok(hir) = regex_syntax::Parser::new().parse(&pattern) else {
            continue;
        };
        let strings = match literals::rule_literals(&hir, *ignorecase) {
            Some(set) => {
                let set: Vec<String> = set.iter().map(|s| format!("&{s:?}")).collect();
                format!("Some(&[{}])", set.join(", "))
            }
            None => "None".to_string(),
        };
        out.push_str(&format!(
            "    (&{tokens:?}, {nonword}, {ignorecase}, {strings}),\n"
        ));
    }
    out.push_str("];\n");
    out
}

/// The vendored static embeddings (models/potion-base-2M) in the form `src/judge/embed.rs` reads
/// in place: the word-piece vocabulary sorted by text (count, then offsets, ids and the text,
/// then an open-addressing table of FNV-1a hashes: its size, then each slot's piece index + 1),
/// and each piece's vector quantised to `i8` with its scale (`f32`), so the binary carries 2 MB
/// instead of 7.6 and nothing is parsed at run time.
fn embeddings() {
    let dir = Path::new("models/potion-base-2M");
    println!("cargo:rerun-if-changed={}", dir.display());
    let tokenizer: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("tokenizer.json")).unwrap()).unwrap();
    let vocab = tokenizer["model"]["vocab"].as_object().unwrap();
    let mut pieces: Vec<(&str, u32)> = vocab
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_u64().unwrap() as u32))
        .collect();
    pieces.sort();
    let mut out = Vec::new();
    out.extend_from_slice(&(pieces.len() as u32).to_le_bytes());
    let mut at = 0u32;
    for (text, _) in &pieces {
        out.extend_from_slice(&at.to_le_bytes());
        at += text.len() as u32;
    }
    out.extend_from_slice(&at.to_le_bytes());
    for (_, id) in &pieces {
        out.extend_from_slice(&id.to_le_bytes());
    }
    for (text, _) in &pieces {
        out.extend_from_slice(text.as_bytes());
    }
    let size = (pieces.len() * 2).next_power_of_two();
    let mut slots = vec![0u32; size];
    for (i, (text, _)) in pieces.iter().enumerate() {
        let mut at = fnv1a(text.as_bytes()) as usize & (size - 1);
        while slots[at] != 0 {
            at = (at + 1) & (size - 1);
        }
        slots[at] = i as u32 + 1;
    }
    out.extend_from_slice(&(size as u32).to_le_bytes());
    for slot in slots {
        out.extend_from_slice(&slot.to_le_bytes());
    }
    let model = fs::read(dir.join("model.safetensors")).unwrap();
    let header_len = u64::from_le_bytes(model[..8].try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(&model[8..8 + header_len]).unwrap();
    let shape = &header["embeddings"]["shape"];
    let (rows, dims) = (
        shape[0].as_u64().unwrap() as usize,
        shape[1].as_u64().unwrap() as usize,
    );
    assert_eq!(header["embeddings"]["dtype"], "F32");
    let data = &model[8 + header_len..];
    let mut vectors = Vec::with_capacity(rows * (dims + 4) + 8);
    vectors.extend_from_slice(&(rows as u32).to_le_bytes());
    vectors.extend_from_slice(&(dims as u32).to_le_bytes());
    for r in 0..rows {
        let row: Vec<f32> = (0..dims)
            .map(|d| {
                let at = (r * dims + d) * 4;
                f32::from_le_bytes(data[at..at + 4].try_into().unwrap())
            })
            .collect();
        let scale = row.iter().fold(0f32, |m, x| m.max(x.abs())) / 127.0;
        vectors.extend_from_slice(&scale.to_le_bytes());
        for x in row {
            let q = if scale > 0.0 {
                (x / scale).round()
            } else {
                0.0
            };
            vectors.push(q as i8 as u8);
        }
    }
    let out_dir = env::var("OUT_DIR").unwrap();
    fs::write(Path::new(&out_dir).join("potion_vocab.bin"), out).unwrap();
    fs::write(Path::new(&out_dir).join("potion_vectors.bin"), vectors).unwrap();
}

/// FNV-1a, as `src/judge/embed.rs` hashes a piece to find its slot.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
