/*!
What a build of the index leaves for the next one, in the output folder beside the
record ([`FILE`]): a stamp of each document as the index read it, the postings
gathered from them before their impacts ([`Inverted::save`]), and the stamp and size
of each `d/` chunk, and for each other file a stamp of its bytes before compression.
The next build analyzes only the documents whose stamp is new, renumbers and merges
the rest from here, keeps the chunks whose documents are all the same, at the same
numbers, and keeps every other file whose bytes come out the same, without
compressing them again: after an edit, one document is analyzed and one chunk
written, where the whole site was.

The file is one of the index's files in the record, so gongkai treats it as its own
(removed with the index when search is turned off). It is only read when the record
says gongkai wrote those very bytes, and only used whole: a file that is missing,
changed, damaged or from another build of gongkai means a full index, never a
wrong one.
*/

use std::collections::HashMap;

use super::postings::{Inverted, put_varint, read_varint};

/// The file, under the output root: beside the record, not under `search/`, whose
/// files are the index the client reads; not named `.gongkai-…`, the prefix of
/// gongkai's temporary files.
pub const FILE: &str = ".gongkai.search-cache.bin";
const HEADER: &[u8] = b"gongkai search cache 2\n";

/// A `d/` chunk as written: the stamp of its bytes and their size.
pub type ChunkFile = (u64, u64);

/// What the last build of the index left.
pub struct Cache {
    /// Each document's [`super::document_stamp`], by number.
    pub documents: Vec<u64>,
    /// By chunk number.
    pub chunks: Vec<ChunkFile>,
    /// The other compressed files by path: the stamp of their bytes before
    /// compression, and the file as written.
    pub packed: HashMap<String, (u64, ChunkFile)>,
    pub inverted: Inverted,
}

impl Cache {
    /// The cache in `bytes`, if this program wrote it and it reads whole.
    pub fn read(bytes: &[u8]) -> Option<Cache> {
        let rest = bytes.strip_prefix(HEADER)?;
        let (program, rest) = rest.split_first_chunk::<8>()?;
        if u64::from_le_bytes(*program) != program_stamp() {
            return None;
        }
        let mut pos = 0;
        let documents = fixed_list(rest, &mut pos, 8)?.into_iter().map(|s| s[0]).collect::<Vec<u64>>();
        let chunks = fixed_list(rest, &mut pos, 16)?.into_iter().map(|s| (s[0], s[1])).collect::<Vec<ChunkFile>>();
        let packed = packed_list(rest, &mut pos)?;
        let inverted = Inverted::read(rest, &mut pos)?;
        let whole = pos == rest.len() && inverted.documents() == documents.len() && chunks.len() == documents.len().div_ceil(super::CHUNK);
        whole.then_some(Cache { documents, chunks, packed, inverted })
    }

    /// The bytes of the cache of an index of documents stamped `documents`; `inverted`
    /// is [`Inverted::save`]d already.
    pub fn write(documents: &[u64], chunks: &[ChunkFile], packed: &[(String, u64, ChunkFile)], inverted: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER.len() + 8 + documents.len() * 24 + packed.len() * 40 + inverted.len());
        out.extend_from_slice(HEADER);
        out.extend_from_slice(&program_stamp().to_le_bytes());
        put_varint(&mut out, documents.len() as u64);
        documents.iter().for_each(|s| out.extend_from_slice(&s.to_le_bytes()));
        put_varint(&mut out, chunks.len() as u64);
        for (stamp, size) in chunks {
            out.extend_from_slice(&stamp.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
        }
        put_varint(&mut out, packed.len() as u64);
        for (rel, raw, (stamp, size)) in packed {
            put_varint(&mut out, rel.len() as u64);
            out.extend_from_slice(rel.as_bytes());
            [raw, stamp, size].iter().for_each(|n| out.extend_from_slice(&n.to_le_bytes()));
        }
        out.extend_from_slice(inverted);
        out
    }
}

/// The list [`Cache::write`] makes of the compressed files.
fn packed_list(bytes: &[u8], pos: &mut usize) -> Option<HashMap<String, (u64, ChunkFile)>> {
    let count = usize::try_from(read_varint(bytes, pos)?).ok()?;
    let mut out = HashMap::with_capacity(count.min(bytes.len()));
    for _ in 0..count {
        let len = usize::try_from(read_varint(bytes, pos)?).ok()?;
        let rel = std::str::from_utf8(bytes.get(*pos..pos.checked_add(len)?)?).ok()?.to_string();
        *pos += len;
        let numbers = bytes.get(*pos..pos.checked_add(24)?)?;
        *pos += 24;
        let n = |i: usize| u64::from_le_bytes(numbers[i * 8..i * 8 + 8].try_into().unwrap_or_default());
        out.insert(rel, (n(0), (n(1), n(2))));
    }
    Some(out)
}

/// A list of a varint count of items of `width` bytes, each read as `u64`s.
fn fixed_list(bytes: &[u8], pos: &mut usize, width: usize) -> Option<Vec<Vec<u64>>> {
    let count = usize::try_from(read_varint(bytes, pos)?).ok()?;
    let all = bytes.get(*pos..pos.checked_add(count.checked_mul(width)?)?)?;
    *pos += all.len();
    Some(all.chunks_exact(width).map(|item| item.chunks_exact(8).map(|w| u64::from_le_bytes(w.try_into().unwrap_or_default())).collect()).collect())
}


/// A stamp of this program: another build of gongkai may analyze and write otherwise.
fn program_stamp() -> u64 {
    xxhash_rust::xxh3::xxh3_64(format!("{} {} {:?}", super::FORMAT, super::CHUNK, crate::stamp::program()).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_reads_back_only_whole() {
        let mut inverted = Vec::new();
        Inverted::default().save(&mut inverted);
        let packed = [("t/0.bin".to_string(), 1, (2, 3)), ("k/0.bin".to_string(), 4, (5, 6))];
        let bytes = Cache::write(&[], &[], &packed, &inverted);
        let back = Cache::read(&bytes).expect("reads back");
        assert!(back.documents.is_empty() && back.chunks.is_empty() && back.inverted.documents() == 0);
        assert_eq!(back.packed.len(), 2);
        assert_eq!(back.packed["k/0.bin"], (4, (5, 6)));
        assert!(Cache::read(&bytes[..bytes.len() - 1]).is_none(), "cut short");
        assert!(Cache::read(&[bytes.as_slice(), &[0]].concat()).is_none(), "a byte too many");
        let mut other = bytes.clone();
        other[HEADER.len()] ^= 1;
        assert!(Cache::read(&other).is_none(), "written by another program");
    }
}
