/*!
Shards (docs/search.md §3, `t/`): the postings written into files by a hash of
their token, each shard about a target size; a posting too large for a shard gets a
file of its own.
*/

use rayon::prelude::*;

use super::deflate::{Pack, Packing, deflate};
use super::postings::{EXTERNAL, EXTERNAL_BYTES, Posting, fnv1a32, put_varint, varint_len};
use crate::error::Result;

/// A token's entry in its shard.
struct Entry {
    key: Vec<u8>,
    df: u32,
    stored: Stored,
}

enum Stored {
    /// `u8 kind`, body, impacts, in the shard itself.
    Inline(Vec<u8>),
    /// In `t/x<file>.bin`.
    External(u32),
}

/// Writes the postings as `t/<shard>.bin` and `t/x<file>.bin` through `emit`
/// (path under `search/`, compressed bytes); returns the number of shards, chosen so
/// that a shard holds about `target` bytes before compression.
pub fn write_shards(postings: Vec<Posting>, target: usize, emit: &(dyn Fn(String, Pack) -> Result<()> + Sync)) -> Result<u32> {
    let (entries, externals) = place(postings)?;
    externals.into_par_iter().enumerate().try_for_each(|(file, packed)| emit(format!("t/x{file}.bin"), Pack::Packed(packed)))?;
    let shards = shard_count(&entries, target);
    let by_shard = group_by_shard(&entries, shards);
    by_shard.into_par_iter().enumerate().try_for_each(|(shard, members)| {
        let mut out = Vec::new();
        for entry in members {
            put_entry(&mut out, entry);
        }
        emit(format!("t/{shard}.bin"), Pack::Raw(out, Packing::Postings))
    })?;
    Ok(shards)
}

/// Moves the postings larger than [`EXTERNAL_BYTES`] compressed to files of their
/// own, numbered in the byte order of their keys; returns every entry, in that
/// order, and the external files' compressed bytes.
fn place(postings: Vec<Posting>) -> Result<(Vec<Entry>, Vec<Vec<u8>>)> {
    let mut placed: Vec<(Posting, Option<Vec<u8>>)> = postings
        .into_par_iter()
        .map(|p| {
            // Compression never shrinks a posting this small below the limit.
            if p.bytes.len() + 16 <= EXTERNAL_BYTES {
                return Ok((p, None));
            }
            let packed = deflate(&p.bytes, Packing::Postings)?;
            Ok(if packed.len() > EXTERNAL_BYTES { (p, Some(packed)) } else { (p, None) })
        })
        .collect::<Result<_>>()?;
    placed.sort_unstable_by(|a, b| a.0.key.cmp(&b.0.key));
    let mut externals = Vec::new();
    let entries = placed
        .into_iter()
        .map(|(p, packed)| {
            let stored = match packed {
                Some(packed) => {
                    externals.push(packed);
                    Stored::External(externals.len() as u32 - 1)
                }
                None => Stored::Inline(p.bytes),
            };
            Entry { key: p.key, df: p.df, stored }
        })
        .collect();
    Ok((entries, externals))
}

/// Enough shards for about `target` bytes each.
fn shard_count(entries: &[Entry], target: usize) -> u32 {
    let inline: usize = entries.iter().map(|e| match &e.stored {
        Stored::Inline(bytes) => varint_len(e.key.len() as u64) + e.key.len() + varint_len(u64::from(e.df)) + bytes.len(),
        Stored::External(_) => 0,
    }).sum();
    inline.div_ceil(target.max(1)).max(1) as u32
}

/// The entries of each shard, in the byte order of their keys.
fn group_by_shard(entries: &[Entry], shards: u32) -> Vec<Vec<&Entry>> {
    let mut by_shard: Vec<Vec<&Entry>> = (0..shards).map(|_| Vec::new()).collect();
    for entry in entries {
        by_shard[(fnv1a32(&entry.key) % shards) as usize].push(entry);
    }
    by_shard
}

fn put_entry(out: &mut Vec<u8>, entry: &Entry) {
    put_varint(out, entry.key.len() as u64);
    out.extend_from_slice(&entry.key);
    put_varint(out, u64::from(entry.df));
    match &entry.stored {
        Stored::Inline(bytes) => out.extend_from_slice(bytes),
        Stored::External(file) => {
            out.push(EXTERNAL);
            put_varint(out, u64::from(*file));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::deflate::inflate;
    use crate::search::postings::{decode, encode, read_varint};

    #[test]
    fn large_postings_get_files_of_their_own() {
        // Pseudo-random documents: a posting that does not compress.
        let mut seed = 7u64;
        let mut docs: Vec<u32> = (0..20_000)
            .map(|_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (seed >> 40) as u32
            })
            .collect();
        docs.sort();
        docs.dedup();
        let impacts: Vec<u8> = docs.iter().map(|d| (d % 15 + 1) as u8).collect();
        let posting = |key: &str, docs: &[u32], impacts: &[u8]| {
            let mut bytes = Vec::new();
            encode(docs, impacts, &mut bytes);
            Posting { key: key.as_bytes().to_vec(), df: docs.len() as u32, bytes }
        };
        let big = posting("公开", &docs, &impacts);
        let big_bytes = big.bytes.clone();
        let postings = vec![posting("zz", &docs, &impacts), big, posting("排污", &[1, 5], &[3, 4]), posting("a", &[0], &[15])];
        let files = std::sync::Mutex::new(std::collections::BTreeMap::new());
        let shards = write_shards(postings, 64, &|path, pack: Pack| {
            files.lock().unwrap().insert(path, pack.packed()?);
            Ok(())
        })
        .unwrap();
        let files = files.into_inner().unwrap();
        assert_eq!(shards, 1, "the two small entries and two references fit the 64 bytes aimed at");
        assert_eq!(files.keys().collect::<Vec<_>>(), ["t/0.bin", "t/x0.bin", "t/x1.bin"]);
        // External files are numbered in the byte order of their keys: zz (7A) before 公开 (E5 85 AC).
        assert_eq!(inflate(&files["t/x1.bin"]), big_bytes);
        let shard = inflate(&files["t/0.bin"]);
        let mut pos = 0;
        let mut keys = Vec::new();
        while pos < shard.len() {
            let len = read_varint(&shard, &mut pos).unwrap() as usize;
            let key = String::from_utf8(shard[pos..pos + len].to_vec()).unwrap();
            pos += len;
            let df = read_varint(&shard, &mut pos).unwrap() as usize;
            if shard[pos] == EXTERNAL {
                pos += 1;
                keys.push(format!("{key}→x{}", read_varint(&shard, &mut pos).unwrap()));
            } else {
                let (numbers, _) = decode(&shard[pos..], df).unwrap();
                let mut skip = Vec::new();
                encode(&numbers, &vec![1; df], &mut skip);
                pos += skip.len();
                keys.push(key);
            }
        }
        assert_eq!(keys, ["a", "zz→x0", "公开→x1", "排污"], "entries in byte order of their keys");
    }
}
