//! Where in a document a rule looks (`scope:`), in Vale's vocabulary.
//!
//! `text` is every block the writer wrote; block quotes are left out of it because in a reply
//! they hold the customer's words. `blockquote` selects them explicitly. `~name` excludes.
//! The text of HTML blocks inside Markdown (`<table>`, `<p>`) is selected only for Vale-type
//! rules, as Vale lints it; `table.caption` selects an HTML table's `<caption>`.

use crate::document::{Block, BlockKind};

/// One named part of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Text,
    Paragraph,
    Sentence,
    Heading(Option<u8>),
    List,
    Table,
    TableHeader,
    TableCell,
    /// The caption of an HTML table in Markdown.
    TableCaption,
    Blockquote,
    Alt,
    /// The whole source file, markup and all.
    Raw,
    /// A scope of Vale's that Candor's document model has no blocks for (`code`, `link`,
    /// `table.caption`, ...): it selects nothing.
    Unmodelled,
}

/// Vale scopes Candor accepts but has no blocks for.
const UNMODELLED_VALE_SCOPES: &[&str] = &[
    "code",
    "comment",
    "comment.line",
    "comment.block",
    "link",
    "strong",
    "emphasis",
    "title",
    "attr",
    "markup",
    "string",
];

impl Scope {
    pub fn parse(name: &str) -> Option<Scope> {
        Some(match name {
            "text" | "summary" => Scope::Text,
            "paragraph" => Scope::Paragraph,
            "sentence" => Scope::Sentence,
            "heading" => Scope::Heading(None),
            "list" => Scope::List,
            "table" => Scope::Table,
            "table.header" => Scope::TableHeader,
            "table.cell" => Scope::TableCell,
            "table.caption" => Scope::TableCaption,
            "blockquote" => Scope::Blockquote,
            "alt" => Scope::Alt,
            "raw" => Scope::Raw,
            other if UNMODELLED_VALE_SCOPES.contains(&other) => Scope::Unmodelled,
            _ => {
                let level = name.strip_prefix("heading.h")?.parse::<u8>().ok()?;
                if !(1..=6).contains(&level) {
                    return None;
                }
                Scope::Heading(Some(level))
            }
        })
    }

    fn selects(self, block: &Block, vale: bool) -> bool {
        match self {
            Scope::Text => !block.quoted || vale,
            // Vale's sentences are those of paragraphs, lists and cells, not of headings.
            Scope::Sentence => {
                (!block.quoted || vale) && !(vale && matches!(block.kind, BlockKind::Heading(_)))
            }
            Scope::Paragraph => {
                block.kind == BlockKind::Paragraph && !block.in_list && !block.quoted
            }
            Scope::Heading(None) => matches!(block.kind, BlockKind::Heading(_)),
            Scope::Heading(Some(l)) => block.kind == BlockKind::Heading(l),
            Scope::List => block.in_list && !block.quoted,
            Scope::Table => matches!(
                block.kind,
                BlockKind::TableCell | BlockKind::TableHeader | BlockKind::TableCaption
            ),
            Scope::TableHeader => block.kind == BlockKind::TableHeader,
            Scope::TableCell => block.kind == BlockKind::TableCell,
            Scope::TableCaption => block.kind == BlockKind::TableCaption,
            Scope::Blockquote => block.quoted,
            Scope::Alt => block.kind == BlockKind::Alt,
            Scope::Raw | Scope::Unmodelled => false,
        }
    }
}

/// A rule's `scope:` list: blocks selected by any included scope and by no excluded one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeSet {
    include: Vec<Scope>,
    exclude: Vec<Scope>,
    /// Vale's reading (rules of packs other than Candor's own): `text` and `sentence` take in
    /// block quotes too (Candor reads a quote as the customer's words), and `sentence` leaves
    /// headings out.
    pub vale: bool,
}

impl Default for ScopeSet {
    fn default() -> Self {
        ScopeSet {
            include: vec![Scope::Text],
            exclude: Vec::new(),
            vale: false,
        }
    }
}

impl ScopeSet {
    /// Parses scope names; the error is the name that is not a scope.
    pub fn parse(names: &[String]) -> Result<ScopeSet, String> {
        let mut set = ScopeSet {
            include: Vec::new(),
            exclude: Vec::new(),
            vale: false,
        };
        // Vale joins scopes with `&` in one entry (`heading & ~heading.h1`).
        for name in names.iter().flat_map(|n| n.split('&')) {
            let (negated, bare) = match name.trim().strip_prefix('~') {
                Some(rest) => (true, rest),
                None => (false, name.trim()),
            };
            let scope = Scope::parse(bare).ok_or_else(|| name.trim().to_string())?;
            if negated {
                set.exclude.push(scope);
            } else {
                set.include.push(scope);
            }
        }
        if set.include.is_empty() {
            set.include.push(Scope::Text);
        }
        Ok(set)
    }

    pub fn selects(&self, block: &Block) -> bool {
        // The text of HTML blocks in Markdown is Vale's to lint; Candor's own checks read HTML
        // as markup.
        if block.from_html && !self.vale {
            return false;
        }
        let quotes = self.vale;
        self.include.iter().any(|s| s.selects(block, quotes))
            && !self.exclude.iter().any(|s| s.selects(block, quotes))
    }

    /// Whether matches are made sentence by sentence.
    pub fn by_sentence(&self) -> bool {
        self.include.contains(&Scope::Sentence)
    }

    /// Whether the rule reads the raw source instead of prose blocks.
    pub fn is_raw(&self) -> bool {
        self.include.contains(&Scope::Raw)
    }

    /// Whether the rule reads each selected block whole: neither the raw source nor sentence
    /// by sentence (what a [`Gate`](crate::engine::catalogue_gate::Gate) needs).
    pub fn reads_whole_blocks(&self) -> bool {
        !self.is_raw() && !self.by_sentence()
    }

    /// The unit an occurrence rule counts in.
    pub fn includes(&self, scope: Scope) -> bool {
        self.include.contains(&scope)
    }
}
