//! Masks a parsed document before rules read it: text a configuration says no rule should see
//! (a `.vale.ini`'s `TokenIgnores`, `BlockIgnores` / `IgnorePatterns` and `SkippedScopes`).
//!
//! What it does: a token pattern's matches in each block's prose become
//! [`CODE_MASK`](super::markdown::CODE_MASK) characters, byte for byte, so spans still map to
//! the source and words on either side never meet; a block whose source starts inside a match
//! of a block pattern (run over the whole source, as Vale does) is left out; `blockquote` in
//! `SkippedScopes` leaves quotes out; `strong` in `IgnoredScopes` masks bold text, and a class
//! in `IgnoredClasses` (or one of Vale's own: `code`, `pre`, `problematic`) what inline HTML
//! elements of that class hold.
//! Why it matters: docs hold math (`$x$`), shortcodes and file excerpts that are not prose;
//! Vale users mark them once in `.vale.ini` and expect every rule to skip them.
//! Example: `TokenIgnores = (\$+[^\n$]+\$+)` keeps "$ACT test$" from every rule.

use std::ops::Range;

use super::markdown::CODE_MASK;
use super::{Block, Document};
use crate::rules::pattern::Ready;

/// What to hide from rules, compiled.
#[derive(Debug, Default)]
pub struct Masks<'a> {
    pub tokens: Vec<Ready<'a>>,
    pub blocks: Vec<Ready<'a>>,
    pub skip_quotes: bool,
    /// Hide strong emphasis (`IgnoredScopes = strong`).
    pub skip_strong: bool,
    /// Hide what inline HTML elements of these classes hold (`IgnoredClasses`).
    pub skip_classes: &'a [String],
}

impl Masks<'_> {
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
            && self.blocks.is_empty()
            && !self.skip_quotes
            && !self.skip_strong
            && self.skip_classes.is_empty()
    }

    /// Source ranges of inline text to hide: strong emphasis and elements of skipped classes.
    fn inline_ranges(&self, doc: &Document) -> Vec<Range<usize>> {
        let Some(m) = &doc.markup else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if self.skip_strong {
            out.extend(m.strong.iter().cloned());
        }
        if !self.skip_classes.is_empty() {
            out.extend(
                m.classed
                    .iter()
                    .filter(|(_, class)| {
                        class
                            .split_whitespace()
                            .any(|c| self.skip_classes.iter().any(|s| s == c))
                    })
                    .map(|(r, _)| r.clone()),
            );
        }
        out
    }

    /// `doc` with the masks applied; `None` when they change nothing.
    pub fn apply(&self, doc: &Document) -> Option<Document> {
        if self.is_empty() {
            return None;
        }
        let inline = self.inline_ranges(doc);
        if self.tokens.is_empty()
            && self.blocks.is_empty()
            && !self.skip_quotes
            && inline.is_empty()
        {
            return None;
        }
        let hidden: Vec<Range<usize>> = self
            .blocks
            .iter()
            .flat_map(|p| p.find_ranges(&doc.source))
            .collect();
        let mut changed = false;
        let mut blocks = Vec::with_capacity(doc.blocks.len());
        for block in &doc.blocks {
            let start = block.to_source(0..0).start;
            if (self.skip_quotes && block.quoted) || hidden.iter().any(|r| r.contains(&start)) {
                changed = true;
                continue;
            }
            let mut prose = block.prose.clone();
            if !inline.is_empty() {
                // Each prose byte whose source lies in hidden inline text (delimiters aside).
                let bytes: Vec<usize> = (0..prose.len())
                    .filter(|&i| {
                        let at = block.to_source(i..i + 1).start;
                        inline.iter().any(|r| r.contains(&at))
                    })
                    .collect();
                if !bytes.is_empty() {
                    let mut raw = std::mem::take(&mut prose).into_bytes();
                    for i in bytes {
                        raw[i] = CODE_MASK as u8;
                    }
                    // Masking whole characters' bytes keeps UTF-8: a character's bytes share
                    // one source position, so they are all masked or none.
                    prose = String::from_utf8(raw).unwrap_or_else(|_| block.prose.clone());
                    changed = true;
                }
            }
            for pattern in &self.tokens {
                for r in pattern.find_ranges(&block.prose) {
                    // Every byte of the match becomes one ASCII mask byte: same length, still
                    // UTF-8 (the match starts and ends on character boundaries).
                    let masked: String = std::iter::repeat_n(CODE_MASK, r.len()).collect();
                    prose.replace_range(r, &masked);
                    changed = true;
                }
            }
            let mut masked = Block::new(
                block.kind,
                block.quoted,
                block.in_list,
                prose,
                block.map.clone(),
            );
            masked.from_html = block.from_html;
            blocks.push(masked);
        }
        changed.then(|| Document {
            format: doc.format,
            source: doc.source.clone(),
            blocks,
            origin: doc.origin,
            part_extents: doc.part_extents.clone(),
            markup: doc.markup.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Format;

    #[test]
    fn tokens_are_masked_in_place_and_blocks_left_out() {
        let doc = Document::parse(
            "Say $ACT test$ here.\n\n{{< x >}}\nACT test\n{{< /x >}}\n\n> quoted\n".to_string(),
            Format::Markdown,
        );
        let token = regex::Regex::new(r"\$[^$]+\$").unwrap();
        let block = regex::Regex::new(r"(?s)\{\{< x >\}\}.*?\{\{< /x >\}\}").unwrap();
        let masks = Masks {
            tokens: vec![Ready::Plain(&token)],
            blocks: vec![Ready::Plain(&block)],
            skip_quotes: true,
            skip_strong: false,
            skip_classes: &[],
        };
        let masked = masks.apply(&doc).unwrap();
        let prose: Vec<&str> = masked.blocks.iter().map(|b| b.prose.as_str()).collect();
        assert_eq!(prose, ["Say ********** here."]);
        assert_eq!(masked.blocks[0].to_source(15..19), 15..19);
    }
}
