/*!
Postings (docs/search.md §3, `t/`): for each token, the numbers of the documents
that contain it and a 4-bit impact per document, gathered in document order.

Documents arrive in number order ([`Inverted::add`]), so each token's document
numbers are appended as gaps, already sorted; the impacts need the average
document length, known only at the end, so the weighted frequencies are kept until
then ([`Inverted::finish`]). [`super::shards`] writes the finished postings.

What is gathered before the impacts can be saved ([`Inverted::save`]) and read back
by the next build ([`Inverted::read`]), which renumbers it ([`Inverted::remap`]),
leaving out the documents that changed, and merges in those analyzed again
([`Inverted::merge`]): an edit then costs the analysis of one document, not of all.
*/

use std::collections::HashMap;

use rayon::prelude::*;

use super::terms::{DocTerms, KeyMap, PARTS, unpack};

pub const LIST: u8 = 0;
pub const BITMAP: u8 = 1;
pub const EXTERNAL: u8 = 2;

/// A posting larger than this, compressed, gets a file of its own. A few thousand
/// tokens (the common bigrams of a site) hold nearly all posting bytes; kept in the
/// shards, they would make every shard that holds one large, and every query that
/// needs any token of that shard pay for it (at 16 KB, shards of 100,000
/// documents reached 180 KB).
pub const EXTERNAL_BYTES: usize = 4 * 1024;

/// FNV-1a, 32 bits: the shard of a token or a look-up key.
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(2_166_136_261u32, |h, &b| (h ^ u32::from(b)).wrapping_mul(16_777_619))
}

/// Unsigned LEB128.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub fn read_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

pub fn varint_len(v: u64) -> usize {
    (64 - v.max(1).leading_zeros() as usize).div_ceil(7)
}

/// BM25F of docs/search.md §3, quantized to the 4-bit impacts.
#[derive(Debug, Clone, Copy)]
pub struct Bm25 {
    pub k1: f64,
    pub b: f64,
    pub avglen: f64,
}

impl Bm25 {
    pub const K1: f64 = 1.2;
    pub const B: f64 = 0.75;

    /// `wtf`: the token's weighted frequency in the document; `len`: the document's
    /// length in tokens.
    pub fn impact(&self, wtf: u32, len: u32) -> u8 {
        let norm = if self.avglen > 0.0 { 1.0 - self.b + self.b * f64::from(len) / self.avglen } else { 1.0 };
        let wtf = f64::from(wtf);
        let impact = wtf * (self.k1 + 1.0) / (wtf + self.k1 * norm);
        (impact / (self.k1 + 1.0) * 15.0).round().clamp(1.0, 15.0) as u8
    }
}

/// Appends a token's posting, `u8 kind`, its body and its impacts: a gap list or a
/// bitmap, whichever is smaller (a token in most documents costs a bit each).
pub fn encode(docs: &[u32], impacts: &[u8], out: &mut Vec<u8>) {
    let (Some(&first), Some(&last)) = (docs.first(), docs.last()) else { return };
    let list: usize = varint_len(u64::from(first)) + docs.windows(2).map(|w| varint_len(u64::from(w[1] - w[0]))).sum::<usize>();
    let span = (last - first) as usize + 1;
    let bitmap_bytes = span.div_ceil(8);
    let bitmap = varint_len(u64::from(first)) + varint_len(bitmap_bytes as u64) + bitmap_bytes;
    if bitmap < list {
        out.push(BITMAP);
        put_varint(out, u64::from(first));
        put_varint(out, bitmap_bytes as u64);
        let at = out.len();
        out.resize(at + bitmap_bytes, 0);
        for &d in docs {
            let i = (d - first) as usize;
            out[at + i / 8] |= 1 << (i % 8);
        }
    } else {
        out.push(LIST);
        let mut prev = 0;
        for (n, &d) in docs.iter().enumerate() {
            put_varint(out, u64::from(if n == 0 { d } else { d - prev }));
            prev = d;
        }
    }
    for pair in impacts.chunks(2) {
        out.push(pair[0] | pair.get(1).map_or(0, |hi| hi << 4));
    }
}

/// Reads back a posting of `df` documents written by [`encode`] (kinds 0 and 1).
pub fn decode(bytes: &[u8], df: usize) -> Option<(Vec<u32>, Vec<u8>)> {
    let (&kind, rest) = bytes.split_first()?;
    let mut pos = 0;
    let mut docs = Vec::with_capacity(df);
    match kind {
        LIST => {
            let mut doc = 0u64;
            for n in 0..df {
                let v = read_varint(rest, &mut pos)?;
                doc = if n == 0 { v } else { doc + v };
                docs.push(u32::try_from(doc).ok()?);
            }
        }
        BITMAP => {
            let first = read_varint(rest, &mut pos)?;
            let len = read_varint(rest, &mut pos)? as usize;
            let bitmap = rest.get(pos..pos + len)?;
            pos += len;
            for i in (0..len * 8).filter(|i| bitmap[i / 8] & (1 << (i % 8)) != 0) {
                docs.push(u32::try_from(first + i as u64).ok()?);
            }
        }
        _ => return None,
    }
    let nibbles = rest.get(pos..pos + df.div_ceil(2))?;
    let impacts = (0..df).map(|i| (nibbles[i / 2] >> (4 * (i % 2))) & 0x0f).collect();
    (docs.len() == df).then_some((docs, impacts))
}

/// A token as the index keeps it while documents are added.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum TermKey {
    Packed(u64),
    Long(Box<str>),
}

/// One token's documents so far, as varints: the gap to the document shifted left
/// by two, with the weighted frequency in the low bits when it is 1 to 3 (nearly
/// always: once or twice in the body), or 0 and the frequency in a varint after.
#[derive(Default)]
struct Accumulated {
    df: u32,
    last: u32,
    bytes: Vec<u8>,
}

impl Accumulated {
    /// Each document number with the token's weighted frequency in it.
    fn entries(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let (mut pos, mut doc) = (0, 0u64);
        std::iter::from_fn(move || {
            let v = read_varint(&self.bytes, &mut pos)?;
            let wtf = match v & 3 {
                0 => read_varint(&self.bytes, &mut pos).unwrap_or(1),
                small => small,
            };
            doc += v >> 2;
            Some((doc as u32, wtf as u32))
        })
    }

    /// Whether its bytes hold `df` documents under `documents`, in increasing order,
    /// the last one `last`, each with a frequency.
    fn is_sound(&self, documents: usize) -> bool {
        let mut previous: Option<u32> = None;
        let mut df = 0;
        for (n, wtf) in self.entries() {
            if previous.is_some_and(|p| n <= p) || n as usize >= documents || wtf == 0 {
                return false;
            }
            previous = Some(n);
            df += 1;
        }
        df == self.df && previous.unwrap_or(0) == self.last && df > 0
    }

    fn from_entries(entries: impl Iterator<Item = (u32, u32)>) -> Accumulated {
        let mut term = Accumulated::default();
        entries.for_each(|(number, wtf)| push(&mut term, number, wtf));
        term
    }
}

/// Postings being gathered, document by document, in number order.
pub struct Inverted {
    parts: Vec<Part>,
    /// Length in tokens of each document, by number.
    lens: Vec<u32>,
}

/// The tokens of one part (see [`PARTS`]).
#[derive(Default)]
struct Part {
    packed: KeyMap<u32>,
    long: HashMap<Box<str>, u32>,
    /// By term id; the keys apart, since the merge only touches the postings.
    terms: Vec<Accumulated>,
    keys: Vec<TermKey>,
}

impl Default for Inverted {
    fn default() -> Self {
        Inverted { parts: (0..PARTS).map(|_| Part::default()).collect(), lens: Vec::new() }
    }
}

/// One token's finished posting.
pub struct Posting {
    /// The token, UTF-8.
    pub key: Vec<u8>,
    pub df: u32,
    /// `u8 kind`, body, impacts (uncompressed).
    pub bytes: Vec<u8>,
}

impl Inverted {
    /// Adds the next documents (numbered on from the last).
    pub fn add(&mut self, docs: &[DocTerms]) {
        let first = self.lens.len() as u32;
        self.lens.extend(docs.iter().map(|d| d.len));
        self.parts.par_iter_mut().enumerate().for_each(|(p, part)| {
            for (i, doc) in docs.iter().enumerate() {
                let number = first + i as u32;
                part.add_packed(number, doc.part(p));
                // Long words are rare: the first part takes them all.
                if p == 0 {
                    part.add_long(number, &doc.long);
                }
            }
        });
    }

    pub fn documents(&self) -> usize {
        self.lens.len()
    }

    /// Every token's posting with its impacts, in no particular order.
    pub fn finish(self) -> Vec<Posting> {
        let total: u64 = self.lens.iter().map(|&l| u64::from(l)).sum();
        let bm25 = Bm25 { k1: Bm25::K1, b: Bm25::B, avglen: total as f64 / self.lens.len().max(1) as f64 };
        let impacts = Impacts::new(&self.lens, bm25);
        self.parts
            .into_par_iter()
            .flat_map(|part| {
                // A token whose documents were all left out by a remap is gone.
                part.terms.into_par_iter().zip(part.keys).filter(|(term, _)| term.df > 0).map(|(term, key)| finish_term(term, key, &impacts))
            })
            .collect()
    }

    /// The same postings for `documents` documents renumbered: `map[n]` is the new
    /// number of document `n`, or `None` to leave it out. The new numbers must keep
    /// the order of the old ones.
    pub fn remap(mut self, map: &[Option<u32>], documents: usize) -> Inverted {
        let mut lens = vec![0; documents];
        for (old, &len) in self.lens.iter().enumerate() {
            if let Some(new) = map.get(old).copied().flatten() {
                lens[new as usize] = len;
            }
        }
        let moved = |n: u32| map.get(n as usize).copied().flatten();
        self.parts.par_iter_mut().for_each(|part| {
            for term in &mut part.terms {
                // Most tokens of an edit's index are in none of the documents that
                // changed or moved: their bytes stay as they are.
                if term.entries().all(|(n, _)| moved(n) == Some(n)) {
                    continue;
                }
                let kept = Accumulated::from_entries(term.entries().filter_map(|(n, wtf)| Some((moved(n)?, wtf))));
                *term = kept;
            }
        });
        self.lens = lens;
        self
    }

    /// Both sets of postings, over the same numbers, each document in one of them.
    pub fn merge(mut self, other: Inverted) -> Inverted {
        for (len, &more) in self.lens.iter_mut().zip(&other.lens) {
            *len += more;
        }
        self.parts.par_iter_mut().zip(other.parts).for_each(|(part, more)| {
            for (term, key) in more.terms.into_iter().zip(more.keys) {
                let id = part.id(key);
                let into = &mut part.terms[id as usize];
                *into = if into.df == 0 { term } else { merged(into, &term) };
            }
        });
        self
    }

    /// Appends what [`Inverted::read`] reads back: the same site gives the same
    /// bytes, however its postings were gathered (tokens in the order of their keys).
    pub fn save(&self, out: &mut Vec<u8>) {
        put_varint(out, self.lens.len() as u64);
        self.lens.iter().for_each(|&len| put_varint(out, u64::from(len)));
        for part in &self.parts {
            let mut ids: Vec<usize> = (0..part.terms.len()).filter(|&id| part.terms[id].df > 0).collect();
            ids.sort_unstable_by(|&a, &b| part.keys[a].cmp(&part.keys[b]));
            put_varint(out, ids.len() as u64);
            for id in ids {
                // 0 and the packed token, or 1 + the length of a long one and its bytes.
                match &part.keys[id] {
                    TermKey::Packed(key) => {
                        put_varint(out, 0);
                        put_varint(out, *key);
                    }
                    TermKey::Long(word) => {
                        put_varint(out, word.len() as u64 + 1);
                        out.extend_from_slice(word.as_bytes());
                    }
                }
                let term = &part.terms[id];
                put_varint(out, u64::from(term.df));
                put_varint(out, u64::from(term.last));
                put_varint(out, term.bytes.len() as u64);
                out.extend_from_slice(&term.bytes);
            }
        }
    }

    /// Reads back what [`Inverted::save`] wrote, from `pos`; `None` for anything else.
    pub fn read(bytes: &[u8], pos: &mut usize) -> Option<Inverted> {
        let mut next = || read_varint(bytes, pos);
        let documents = usize::try_from(next()?).ok().filter(|&n| n <= bytes.len())?;
        let lens = (0..documents).map(|_| next().and_then(|l| u32::try_from(l).ok())).collect::<Option<Vec<u32>>>()?;
        let mut inverted = Inverted { parts: Vec::with_capacity(PARTS), lens };
        for _ in 0..PARTS {
            let mut part = Part::default();
            for _ in 0..read_varint(bytes, pos)? {
                let key = match read_varint(bytes, pos)? {
                    0 => TermKey::Packed(read_varint(bytes, pos)?),
                    len => {
                        let word = bytes.get(*pos..pos.checked_add(usize::try_from(len - 1).ok()?)?)?;
                        *pos += word.len();
                        TermKey::Long(std::str::from_utf8(word).ok()?.into())
                    }
                };
                let df = u32::try_from(read_varint(bytes, pos)?).ok()?;
                let last = u32::try_from(read_varint(bytes, pos)?).ok()?;
                let len = usize::try_from(read_varint(bytes, pos)?).ok()?;
                let term = Accumulated { df, last, bytes: bytes.get(*pos..pos.checked_add(len)?)?.to_vec() };
                *pos += len;
                if !term.is_sound(documents) || matches!(key, TermKey::Packed(0)) {
                    return None;
                }
                let id = part.id(key) as usize;
                if part.terms[id].df > 0 {
                    return None;
                }
                part.terms[id] = term;
            }
            inverted.parts.push(part);
        }
        Some(inverted)
    }
}

/// The postings of one token in two sets of documents, as one.
fn merged(a: &Accumulated, b: &Accumulated) -> Accumulated {
    let (mut a, mut b) = (a.entries().peekable(), b.entries().peekable());
    Accumulated::from_entries(std::iter::from_fn(move || match (a.peek(), b.peek()) {
        (Some(x), Some(y)) if y.0 < x.0 => b.next(),
        (Some(_), _) => a.next(),
        (None, _) => b.next(),
    }))
}

impl Part {
    /// The id of the token `key`, a new one without documents if it has none yet.
    fn id(&mut self, key: TermKey) -> u32 {
        let Part { packed, long, terms, keys } = self;
        match key {
            TermKey::Packed(k) => *packed.get_or_insert_with(k, || new_term(terms, keys, TermKey::Packed(k))),
            TermKey::Long(word) => match long.get(&word) {
                Some(&id) => id,
                None => {
                    let id = new_term(terms, keys, TermKey::Long(word.clone()));
                    long.insert(word, id);
                    id
                }
            },
        }
    }

    fn add_packed(&mut self, number: u32, terms: &[(u64, u32)]) {
        let Part { packed, terms: all, keys, .. } = self;
        for &(key, wtf) in terms {
            let id = *packed.get_or_insert_with(key, || new_term(all, keys, TermKey::Packed(key)));
            push(&mut all[id as usize], number, wtf);
        }
    }

    fn add_long(&mut self, number: u32, words: &[(Box<str>, u32)]) {
        for (word, wtf) in words {
            let id = match self.long.get(word) {
                Some(&id) => id,
                None => self.id(TermKey::Long(word.clone())),
            };
            push(&mut self.terms[id as usize], number, *wtf);
        }
    }
}

fn new_term(terms: &mut Vec<Accumulated>, keys: &mut Vec<TermKey>, key: TermKey) -> u32 {
    terms.push(Accumulated::default());
    keys.push(key);
    (terms.len() - 1) as u32
}

fn push(term: &mut Accumulated, number: u32, wtf: u32) {
    let gap = u64::from(number - term.last) << 2;
    if wtf <= 3 {
        put_varint(&mut term.bytes, gap | u64::from(wtf));
    } else {
        put_varint(&mut term.bytes, gap);
        put_varint(&mut term.bytes, u64::from(wtf));
    }
    term.df += 1;
    term.last = number;
}

/// The impacts of each document, worked out once for the small frequencies that
/// nearly every posting has (a token once or twice in the body).
struct Impacts<'a> {
    lens: &'a [u32],
    bm25: Bm25,
    small: Vec<[u8; Impacts::SMALL]>,
}

impl<'a> Impacts<'a> {
    const SMALL: usize = 4;

    fn new(lens: &'a [u32], bm25: Bm25) -> Self {
        let small = lens.iter().map(|&len| std::array::from_fn(|i| bm25.impact(i as u32 + 1, len))).collect();
        Impacts { lens, bm25, small }
    }

    fn get(&self, wtf: u32, doc: usize) -> u8 {
        match self.small[doc].get((wtf as usize).wrapping_sub(1)) {
            Some(&impact) => impact,
            None => self.bm25.impact(wtf, self.lens[doc]),
        }
    }
}

fn finish_term(term: Accumulated, key: TermKey, impact: &Impacts) -> Posting {
    let mut docs = Vec::with_capacity(term.df as usize);
    let mut impacts = Vec::with_capacity(term.df as usize);
    for (doc, wtf) in term.entries() {
        docs.push(doc);
        impacts.push(impact.get(wtf, doc as usize));
    }
    let mut bytes = Vec::with_capacity(term.bytes.len());
    encode(&docs, &impacts, &mut bytes);
    let key = match key {
        TermKey::Packed(k) => {
            let mut key = Vec::with_capacity(8);
            unpack(k, &mut key);
            key
        }
        TermKey::Long(w) => w.into_boxed_bytes().into_vec(),
    };
    Posting { key, df: term.df, bytes }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a32_known_values() {
        assert_eq!(fnv1a32(b""), 0x811c9dc5);
        assert_eq!(fnv1a32(b"a"), 0xe40c292c);
        assert_eq!(fnv1a32(b"foobar"), 0xbf9cf968);
        // The shard of 排污 in an index of 64 shards, for the client's tests to repeat.
        assert_eq!(fnv1a32("排污".as_bytes()), 0xd9a8_b93b);
        assert_eq!(fnv1a32("排污".as_bytes()) % 64, 59);
    }

    #[test]
    fn varints_round_trip() {
        let values = [0u64, 1, 127, 128, 300, 16_383, 16_384, u32::MAX as u64, u64::MAX];
        let mut out = Vec::new();
        for &v in &values {
            let before = out.len();
            put_varint(&mut out, v);
            assert_eq!(out.len() - before, varint_len(v), "{v}");
        }
        assert_eq!(&out[..4], &[0, 1, 0x7f, 0x80]);
        let mut pos = 0;
        let back: Vec<u64> = values.iter().map(|_| read_varint(&out, &mut pos).unwrap()).collect();
        assert_eq!(back, values);
        assert_eq!(read_varint(&[0x80], &mut 0), None, "a truncated varint");
    }

    #[test]
    fn sparse_postings_are_gap_lists() {
        let mut out = Vec::new();
        encode(&[3, 130, 1000], &[15, 1, 7], &mut out);
        assert_eq!(out, [LIST, 3, 127, 0xe6, 0x06, 0x1f, 0x07]);
        assert_eq!(decode(&out, 3), Some((vec![3, 130, 1000], vec![15, 1, 7])));
    }

    #[test]
    fn dense_postings_are_bitmaps() {
        let docs: Vec<u32> = (10..40).filter(|d| d % 3 != 0).collect();
        let impacts: Vec<u8> = docs.iter().map(|d| (d % 15 + 1) as u8).collect();
        let mut out = Vec::new();
        encode(&docs, &impacts, &mut out);
        assert_eq!(&out[..4], &[BITMAP, 10, 4, 0b1101_1011]);
        assert_eq!(decode(&out, docs.len()), Some((docs, impacts)));
    }

    #[test]
    fn inverted_postings_keep_documents_and_frequencies() {
        let mut inverted = Inverted::default();
        let frequencies = [1u32, 3, 4, 100, 2];
        let key = crate::search::terms::pack(crate::search::tokens::Token::Word("a")).unwrap();
        let part = crate::search::terms::part_of(key);
        let docs: Vec<DocTerms> = frequencies
            .iter()
            .enumerate()
            .map(|(n, &wtf)| {
                let packed = if n == 1 { vec![] } else { vec![(key, wtf)] };
                let mut starts = [0; PARTS + 1];
                starts[part + 1..].fill(packed.len() as u32);
                DocTerms { len: 10, packed, starts, long: vec![("abcdefghij".into(), 1)] }
            })
            .collect();
        inverted.add(&docs[..2]);
        inverted.add(&docs[2..]);
        let postings = inverted.finish();
        let a = postings.iter().find(|p| p.key == b"a").unwrap();
        let bm25 = Bm25 { k1: Bm25::K1, b: Bm25::B, avglen: 10.0 };
        let expected: Vec<u8> = [1, 4, 100, 2].iter().map(|&w| bm25.impact(w, 10)).collect();
        assert_eq!(decode(&a.bytes, a.df as usize), Some((vec![0, 2, 3, 4], expected)));
        let long = postings.iter().find(|p| p.key == b"abcdefghij").unwrap();
        assert_eq!(decode(&long.bytes, long.df as usize).unwrap().0, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn impacts_grow_with_frequency_and_shrink_with_length() {
        let bm25 = Bm25 { k1: 1.2, b: 0.75, avglen: 100.0 };
        assert_eq!(bm25.impact(1, 100), 7, "1 × 2.2 / 2.2 / 2.2 × 15 = 6.8");
        assert_eq!(bm25.impact(5, 100), 12);
        assert_eq!(bm25.impact(1000, 100), 15);
        assert!(bm25.impact(1, 1000) < bm25.impact(1, 10));
        assert_eq!(bm25.impact(1, 1_000_000), 1, "never 0");
    }
}
