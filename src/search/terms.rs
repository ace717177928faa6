/*!
What one document contributes to the index: each distinct token with its weighted
term frequency (docs/search.md §2), and its length in tokens.

A document has about as many tokens as characters, so tokens are counted as
numbers: a CJK unigram or bigram, or a word of up to 7 bytes, packs into a `u64`
([`pack`]); only longer words are kept as strings.
*/

use std::collections::HashMap;

use super::tokens::{Token, each_index_token};
use crate::site::Document;

/// Field weights of docs/search.md §2.
pub const TITLE: u32 = 5;
pub const DOC_NO: u32 = 5;
pub const INDEX_NO: u32 = 3;
pub const KEYWORDS: u32 = 3;
pub const PUBLISHER: u32 = 2;
pub const BODY: u32 = 1;

/// Set on packed words; CJK keys never reach it (two 21-bit code points).
const WORD: u64 = 1 << 63;
const WORD_MAX_BYTES: usize = 7;

/// The token as a number, or `None` for a word too long to pack.
pub fn pack(token: Token) -> Option<u64> {
    match token {
        Token::Unigram(a) | Token::Edge(a) => Some(u64::from(a) << 21),
        Token::Bigram(a, b) => Some(u64::from(a) << 21 | u64::from(b)),
        Token::Word(w) if w.len() <= WORD_MAX_BYTES => {
            let mut bytes = [0u8; 8];
            bytes[..w.len()].copy_from_slice(w.as_bytes());
            Some(WORD | (w.len() as u64) << 56 | u64::from_le_bytes(bytes))
        }
        Token::Word(_) => None,
    }
}

/// Appends the UTF-8 text of a packed token.
pub fn unpack(key: u64, out: &mut Vec<u8>) {
    if key & WORD != 0 {
        let len = ((key >> 56) & 0x7f) as usize;
        out.extend_from_slice(&key.to_le_bytes()[..len]);
        return;
    }
    let mut buf = [0u8; 4];
    for code in [key >> 21, key & 0x1f_ffff] {
        if let Some(c) = char::from_u32(code as u32).filter(|_| code != 0) {
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
}

/// The index gathers postings in this many independent parts, by a hash of the
/// token: each part's tables are small enough to stay in a core's cache, and the
/// parts fill in parallel.
pub const PARTS: usize = 8;

/// The part of a packed token (another multiplier than [`KeyMap`]'s, so that the
/// keys of one part still spread over its table).
pub fn part_of(key: u64) -> usize {
    (key.wrapping_mul(0xff51_afd7_ed55_8ccd) >> (64 - PARTS.trailing_zeros())) as usize
}

/// A document's distinct tokens with their weighted frequencies.
#[derive(Debug, Clone, Default)]
pub struct DocTerms {
    /// Tokens in all fields, repeats included (BM25's document length).
    pub len: u32,
    /// Packed tokens, grouped by part: part `p` is `packed[starts[p]..starts[p + 1]]`.
    pub packed: Vec<(u64, u32)>,
    pub starts: [u32; PARTS + 1],
    pub long: Vec<(Box<str>, u32)>,
}

impl DocTerms {
    pub fn part(&self, p: usize) -> &[(u64, u32)] {
        &self.packed[self.starts[p] as usize..self.starts[p + 1] as usize]
    }
}

/// Counts tokens field by field, reusing its buffers from one document to the next.
#[derive(Default)]
pub struct Analyzer {
    word: String,
    counts: KeyMap<u32>,
    long: HashMap<Box<str>, u32>,
    len: u32,
}

impl Analyzer {
    /// The terms of `doc`, whose body reads as `body_text`.
    pub fn document(&mut self, doc: &Document, body_text: &str) -> DocTerms {
        self.field(&doc.title, TITLE);
        if let Some(no) = &doc.doc_no {
            self.field(no, DOC_NO);
        }
        // The 统一登记号 is a number like the 文号, and weighs as much.
        if let Some(no) = &doc.reg_no {
            self.field(no, DOC_NO);
        }
        self.field(&doc.index_no, INDEX_NO);
        // A separator between keywords, so that no token spans two of them.
        self.field(&doc.keywords.join("\n"), KEYWORDS);
        self.field(&doc.publisher, PUBLISHER);
        self.field(body_text, BODY);
        self.finish()
    }

    fn field(&mut self, text: &str, weight: u32) {
        let Analyzer { word, counts, long, len } = self;
        each_index_token(text, word, |token| {
            // The length is that of the text in §1 tokens; edges only add weight.
            *len += u32::from(!matches!(token, Token::Edge(_)));
            match pack(token) {
                Some(key) => *counts.get_or_insert_with(key, || 0) += weight,
                None => *long.entry(token.to_string().into_boxed_str()).or_default() += weight,
            }
        });
    }

    fn finish(&mut self) -> DocTerms {
        let mut starts = [0u32; PARTS + 1];
        for (key, _) in self.counts.iter() {
            starts[part_of(key) + 1] += 1;
        }
        for p in 0..PARTS {
            starts[p + 1] += starts[p];
        }
        let mut packed = vec![(0, 0); self.counts.len()];
        let mut next = starts;
        for (key, weight) in self.counts.drain() {
            let at = &mut next[part_of(key)];
            packed[*at as usize] = (key, weight);
            *at += 1;
        }
        DocTerms { len: std::mem::take(&mut self.len), packed, starts, long: self.long.drain().collect() }
    }
}

/// A hash table from packed tokens to values, for the two hot loops of the index
/// (counting a document's tokens, finding a token's posting): open addressing over
/// the token itself (0 is never a packed token, so it marks a free slot), and a
/// list of the slots in use, so that emptying it for the next document costs only
/// what that document filled.
#[derive(Debug, Clone)]
pub struct KeyMap<V> {
    /// Key and value side by side: a look-up touches one cache line.
    slots: Vec<(u64, V)>,
    used: Vec<u32>,
    shift: u32,
}

impl<V: Copy + Default> Default for KeyMap<V> {
    fn default() -> Self {
        KeyMap::with_bits(10)
    }
}

impl<V: Copy + Default> KeyMap<V> {
    fn with_bits(bits: u32) -> Self {
        KeyMap { slots: vec![(0, V::default()); 1 << bits], used: Vec::new(), shift: 64 - bits }
    }

    pub fn len(&self) -> usize {
        self.used.len()
    }

    pub fn is_empty(&self) -> bool {
        self.used.is_empty()
    }

    /// The value of `key`, inserted with `insert()` when it is absent.
    #[inline]
    pub fn get_or_insert_with(&mut self, key: u64, insert: impl FnOnce() -> V) -> &mut V {
        debug_assert_ne!(key, 0);
        if (self.used.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        // Fibonacci hashing: the top bits of the product depend on every bit of the key.
        let mut slot = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize;
        loop {
            match self.slots[slot].0 {
                k if k == key => return &mut self.slots[slot].1,
                0 => {
                    self.slots[slot] = (key, insert());
                    self.used.push(slot as u32);
                    return &mut self.slots[slot].1;
                }
                _ => slot = (slot + 1) & mask,
            }
        }
    }

    #[cold]
    fn grow(&mut self) {
        let bits = 64 - self.shift + 1;
        let old = std::mem::replace(self, KeyMap::with_bits(bits));
        for &slot in &old.used {
            let (key, value) = old.slots[slot as usize];
            *self.get_or_insert_with(key, || value) = value;
        }
    }

    /// Every entry, in the order they were inserted.
    pub fn iter(&self) -> impl Iterator<Item = (u64, V)> + '_ {
        self.used.iter().map(|&slot| self.slots[slot as usize])
    }

    /// Every entry, in the order they were inserted; the map is left empty.
    pub fn drain(&mut self) -> impl Iterator<Item = (u64, V)> + '_ {
        let KeyMap { slots, used, .. } = self;
        used.drain(..).map(|slot| {
            let entry = &mut slots[slot as usize];
            (std::mem::take(&mut entry.0), entry.1)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(key: u64) -> String {
        let mut out = Vec::new();
        unpack(key, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn packed_tokens_read_back() {
        for token in [Token::Unigram('号'), Token::Bigram('排', '污'), Token::Bigram('𠀀', '々'), Token::Word("2024"), Token::Word("abcdefg")] {
            assert_eq!(text_of(pack(token).unwrap()), token.to_string());
        }
        assert_eq!(pack(Token::Word("78169183")), None, "8 bytes do not pack");
        assert_ne!(pack(Token::Word("a")), pack(Token::Unigram('a')));
    }

    #[test]
    fn key_map_grows_and_drains_in_insertion_order() {
        let mut map = KeyMap::<u32>::default();
        for key in 1..=5000u64 {
            *map.get_or_insert_with(key * 7919, || 0) += 1;
        }
        *map.get_or_insert_with(7919, || 0) += 1;
        assert_eq!(map.len(), 5000);
        let drained: Vec<(u64, u32)> = map.drain().collect();
        assert_eq!(drained[0], (7919, 2));
        assert_eq!(drained[4999], (5000 * 7919, 1));
        assert!(map.is_empty() && map.slots.iter().all(|s| s.0 == 0), "drained means empty");
    }

    #[test]
    fn a_document_counts_weighted_tokens() {
        let doc = Document {
            source: "content/docs/a.md".into(),
            body_id: crate::site::BodyId::OWNER,
            kind: crate::site::DocKind::Doc,
            path: "docs/a/".into(),
            title: "排污许可".into(),
            index_no: "78169183-5-/2024-0301001".into(),
            publisher: "某局".into(),
            category: "xzxk".into(),
            date: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
            written: None,
            doc_no: Some("某环发〔2024〕3号".into()),
            keywords: vec!["排污".into(), "许可".into()],
            validity: Default::default(),
            related: vec![],
            attachments: vec![],
            body: String::new(),
            report: None,
            policy: Default::default(),
            lines: Default::default(),
            reg_no: None,
        };
        let terms = Analyzer::default().document(&doc, "排污");
        let count = |t: &str| {
            let mut key = None;
            crate::search::tokens::each_token(t, &mut String::new(), |tok| key = pack(tok));
            terms.packed.iter().find(|(k, _)| Some(*k) == key).map(|(_, n)| *n)
        };
        // title 5 + keyword 3 + body 1
        assert_eq!(count("排污"), Some(TITLE + KEYWORDS + BODY));
        assert_eq!(count("污许"), Some(TITLE), "keywords are separate runs");
        // 2024 in the 文号 and in the 索引号
        assert_eq!(count("2024"), Some(DOC_NO + INDEX_NO));
        assert_eq!(terms.long, vec![("78169183".into(), INDEX_NO)]);
        // 排 starts the runs of the title, a keyword and the body.
        assert_eq!(count("排"), Some(TITLE + KEYWORDS + BODY));
        // title 3 + 文号 5 + 索引号 4 + keywords 2 + publisher 1 + body 1
        assert_eq!(terms.len, 16);
    }
}
