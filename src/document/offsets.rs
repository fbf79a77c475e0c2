//! Maps byte offsets in a block's prose back to byte offsets in the source file.
//!
//! A block's prose is the concatenation of the pieces of source text a rule should read. Most
//! pieces are copied verbatim; a few (entity references, backslash escapes) differ from their
//! source bytes, so positions inside them map to the edges of the source range they came from.
//! Either way a mapped span stays inside the file and on character boundaries.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    prose_start: usize,
    prose_len: usize,
    source: Range<usize>,
    verbatim: bool,
}

/// Byte-offset map from prose to source, built piece by piece in prose order.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    pieces: Pieces,
    prose_len: usize,
}

impl PartialEq for OffsetMap {
    fn eq(&self, other: &Self) -> bool {
        self.prose_len == other.prose_len && self.pieces.as_slice() == other.pieces.as_slice()
    }
}

impl Eq for OffsetMap {}

/// A map's pieces. Most blocks are one verbatim run of the source, so up to one piece is kept
/// inline and a block's map then needs no allocation of its own.
#[derive(Debug, Clone)]
enum Pieces {
    Inline(Option<Piece>),
    Heap(Vec<Piece>),
}

impl Default for Pieces {
    fn default() -> Self {
        Pieces::Inline(None)
    }
}

impl Pieces {
    #[inline]
    fn as_slice(&self) -> &[Piece] {
        match self {
            Pieces::Inline(None) => &[],
            Pieces::Inline(Some(piece)) => std::slice::from_ref(piece),
            Pieces::Heap(pieces) => pieces,
        }
    }

    #[inline]
    fn last_mut(&mut self) -> Option<&mut Piece> {
        match self {
            Pieces::Inline(piece) => piece.as_mut(),
            Pieces::Heap(pieces) => pieces.last_mut(),
        }
    }

    #[inline]
    fn push(&mut self, piece: Piece) {
        match self {
            Pieces::Inline(None) => *self = Pieces::Inline(Some(piece)),
            Pieces::Inline(Some(first)) => *self = Pieces::Heap(vec![first.clone(), piece]),
            Pieces::Heap(pieces) => pieces.push(piece),
        }
    }

    /// Empties the pieces, keeping a heap allocation for reuse.
    fn clear(&mut self) {
        match self {
            Pieces::Inline(piece) => *piece = None,
            Pieces::Heap(pieces) => pieces.clear(),
        }
    }

    /// A copy that allocates only for two pieces or more, and then exactly as many.
    fn compact(&self) -> Pieces {
        match self.as_slice() {
            [] => Pieces::Inline(None),
            [one] => Pieces::Inline(Some(one.clone())),
            many => Pieces::Heap(many.to_vec()),
        }
    }
}

impl OffsetMap {
    /// Records `len` prose bytes that were copied unchanged from `source_start`.
    pub fn push_verbatim(&mut self, source_start: usize, len: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.pieces.last_mut() {
            if last.verbatim
                && last.source.end == source_start
                && last.prose_start + last.prose_len == self.prose_len
            {
                last.prose_len += len;
                last.source.end += len;
                self.prose_len += len;
                return;
            }
        }
        self.pieces.push(Piece {
            prose_start: self.prose_len,
            prose_len: len,
            source: source_start..source_start + len,
            verbatim: true,
        });
        self.prose_len += len;
    }

    /// Records `len` prose bytes that stand for the source bytes `source` without being a copy.
    pub fn push_replaced(&mut self, source: Range<usize>, len: usize) {
        if len == 0 {
            return;
        }
        self.pieces.push(Piece {
            prose_start: self.prose_len,
            prose_len: len,
            source,
            verbatim: false,
        });
        self.prose_len += len;
    }

    /// Empties the map, keeping its allocation.
    pub fn clear(&mut self) {
        self.pieces.clear();
        self.prose_len = 0;
    }

    /// A copy of the map in the least memory: no allocation when it has one piece.
    pub fn compact(&self) -> OffsetMap {
        OffsetMap {
            pieces: self.pieces.compact(),
            prose_len: self.prose_len,
        }
    }

    pub fn prose_len(&self) -> usize {
        self.prose_len
    }

    fn piece_at(&self, prose_offset: usize) -> Option<&Piece> {
        let pieces = self.pieces.as_slice();
        let i = pieces.partition_point(|p| p.prose_start + p.prose_len <= prose_offset);
        pieces.get(i)
    }

    /// Source offset of the prose byte at `prose_offset` (start of a span).
    pub fn start_to_source(&self, prose_offset: usize) -> usize {
        match self.piece_at(prose_offset) {
            Some(p) if p.verbatim => p.source.start + (prose_offset - p.prose_start),
            Some(p) => p.source.start,
            None => self.pieces.as_slice().last().map_or(0, |p| p.source.end),
        }
    }

    /// Source offset just past the prose byte before `prose_end` (end of a span, exclusive).
    pub fn end_to_source(&self, prose_end: usize) -> usize {
        if prose_end == 0 {
            return self.pieces.as_slice().first().map_or(0, |p| p.source.start);
        }
        match self.piece_at(prose_end - 1) {
            Some(p) if p.verbatim => p.source.start + (prose_end - p.prose_start),
            Some(p) => p.source.end,
            None => self.pieces.as_slice().last().map_or(0, |p| p.source.end),
        }
    }

    /// Source range of a prose range. An empty prose range maps to an empty source range.
    pub fn to_source(&self, prose: Range<usize>) -> Range<usize> {
        let start = self.start_to_source(prose.start);
        if prose.is_empty() {
            return start..start;
        }
        let end = self.end_to_source(prose.end).max(start);
        start..end
    }

    /// The whole source range this block covers.
    pub fn source_extent(&self) -> Range<usize> {
        match (
            self.pieces.as_slice().first(),
            self.pieces.as_slice().last(),
        ) {
            (Some(a), Some(b)) => a.source.start..b.source.end,
            _ => 0..0,
        }
    }
}

impl OffsetMap {
    /// The map for text that was derived twice: `self` maps prose to an intermediate text
    /// (say, a decoded JSON string) and `outer` maps that text to the file. The result maps
    /// prose straight to the file.
    pub fn compose(&self, outer: &OffsetMap) -> OffsetMap {
        let mut out = OffsetMap::default();
        for p in self.pieces.as_slice() {
            if !p.verbatim {
                out.push_replaced(outer.to_source(p.source.clone()), p.prose_len);
                continue;
            }
            // A verbatim run of the intermediate text may cross several outer pieces.
            let (mut at, end) = (p.source.start, p.source.end);
            while at < end {
                let Some(o) = outer.piece_at(at) else {
                    // Past the outer map: pin the rest to its end.
                    let tail = outer.source_extent().end;
                    out.push_replaced(tail..tail, end - at);
                    break;
                };
                let o_end = o.prose_start + o.prose_len;
                let take = end.min(o_end) - at;
                if o.verbatim {
                    out.push_verbatim(o.source.start + (at - o.prose_start), take);
                } else {
                    out.push_replaced(o.source.clone(), take);
                }
                at += take;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_pieces_map_one_to_one_and_replaced_ones_to_their_edges() {
        // source: "a &amp; b" ; prose: "a & b"
        let mut m = OffsetMap::default();
        m.push_verbatim(0, 2); // "a "
        m.push_replaced(2..7, 1); // "&"
        m.push_verbatim(7, 2); // " b"
        assert_eq!(m.to_source(0..1), 0..1);
        assert_eq!(m.to_source(2..3), 2..7);
        assert_eq!(m.to_source(0..5), 0..9);
        assert_eq!(m.to_source(4..5), 8..9);
        assert_eq!(m.to_source(5..5), 9..9);
    }

    #[test]
    fn composed_maps_reach_the_file() {
        // file: `"a\nbc"` at offset 10; decoded: "a\nbc"; prose: "bc" (second line).
        let mut decoded_to_file = OffsetMap::default();
        decoded_to_file.push_verbatim(11, 1); // a
        decoded_to_file.push_replaced(12..14, 1); // \n
        decoded_to_file.push_verbatim(14, 2); // bc
        let mut prose_to_decoded = OffsetMap::default();
        prose_to_decoded.push_verbatim(0, 4); // "a\nbc" whole
        let m = prose_to_decoded.compose(&decoded_to_file);
        assert_eq!(m.to_source(2..4), 14..16);
        assert_eq!(m.to_source(0..2), 11..14);
        assert_eq!(m.prose_len(), 4);
    }

    proptest::proptest! {
        /// A compact copy (one piece inline) maps every prose range as the map it copies, also
        /// after the original is cleared and refilled.
        #[test]
        fn compact_copies_map_alike(
            pushes in proptest::collection::vec((proptest::bool::ANY, 0usize..4, 0usize..4), 0..6),
        ) {
            let mut m = OffsetMap::default();
            m.push_verbatim(50, 2);
            m.clear();
            let mut source_at = 0;
            for (verbatim, gap, len) in pushes {
                source_at += gap;
                if verbatim {
                    m.push_verbatim(source_at, len);
                } else {
                    m.push_replaced(source_at..source_at + gap, len);
                }
                source_at += len;
            }
            let c = m.compact();
            proptest::prop_assert_eq!(&c, &m);
            proptest::prop_assert_eq!(c.prose_len(), m.prose_len());
            proptest::prop_assert_eq!(c.source_extent(), m.source_extent());
            for start in 0..=m.prose_len() {
                for end in start..=m.prose_len() {
                    proptest::prop_assert_eq!(c.to_source(start..end), m.to_source(start..end));
                }
            }
        }
    }

    #[test]
    fn adjacent_verbatim_pieces_merge() {
        let mut m = OffsetMap::default();
        m.push_verbatim(10, 3);
        m.push_verbatim(13, 3);
        assert_eq!(m.pieces.as_slice().len(), 1);
        m.push_verbatim(20, 1);
        assert_eq!(m.pieces.as_slice().len(), 2);
        assert_eq!(m.to_source(5..7), 15..21);
    }
}
