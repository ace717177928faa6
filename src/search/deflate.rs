/*!
Raw deflate (RFC 1951), as the browser's `DecompressionStream("deflate-raw")` reads
it, with settings chosen per kind of file by measurement on 10,000 generated
documents (zlib-rs, one core):

| data | setting | ratio | speed |
|---|---|---:|---:|
| documents' text (`d/`) | level 1: LZ77, static codes | 0.46 | 280 MB/s |
| | level 2: LZ77, dynamic codes | 0.35 | 158 MB/s |
| postings (`t/`) | level 1 | 0.97 | 150 MB/s |
| | level 2 | 0.81 | 70 MB/s |
| | Huffman codes only | 0.84 | 150 MB/s |

The text is most of what the index compresses, so it takes the fast setting;
postings (gaps, bitmaps, 4-bit impacts) hardly repeat, but their bytes are far from
uniform, which Huffman codes alone capture at half the cost of level 2.
*/

use zlib_rs::{DeflateConfig, Method, ReturnCode, Strategy, compress_bound, compress_slice};

use crate::error::{Error, Result};

/// What is being compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packing {
    /// The JSON of `d/` chunks: mostly the documents' text.
    Text,
    /// Token shards and external postings.
    Postings,
    /// The small files (look-up keys, attributes): compressed well, costing little.
    Data,
}

/// A file of the index on its way out: its bytes to be compressed, or compressed
/// already (an external posting, whose size decided where it goes).
pub enum Pack {
    Raw(Vec<u8>, Packing),
    Packed(Vec<u8>),
}

impl Pack {
    /// The file's compressed bytes.
    pub fn packed(self) -> Result<Vec<u8>> {
        match self {
            Pack::Raw(bytes, packing) => deflate(&bytes, packing),
            Pack::Packed(bytes) => Ok(bytes),
        }
    }
}

pub fn deflate(bytes: &[u8], packing: Packing) -> Result<Vec<u8>> {
    let (level, strategy) = match packing {
        Packing::Text => (1, Strategy::Default),
        Packing::Postings => (1, Strategy::HuffmanOnly),
        Packing::Data => (6, Strategy::Default),
    };
    // Negative window bits: raw deflate, no zlib header or checksum.
    let config = DeflateConfig { level, method: Method::Deflated, window_bits: -15, mem_level: 8, strategy };
    let mut out = vec![0; compress_bound(bytes.len())];
    let (packed, code) = compress_slice(&mut out, bytes, config);
    if code != ReturnCode::Ok {
        return Err(Error::Output(format!("cannot compress the search index ({code:?})")));
    }
    let len = packed.len();
    out.truncate(len);
    Ok(out)
}

/// The bytes `packed` holds, for tests that read what was written.
#[cfg(test)]
pub fn inflate(packed: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::DeflateDecoder::new(packed), &mut out).unwrap();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_packing_is_raw_deflate_and_reads_back() {
        let text = "排污许可".repeat(100);
        for packing in [Packing::Text, Packing::Postings, Packing::Data] {
            let packed = deflate(text.as_bytes(), packing).unwrap();
            assert!(packed.len() < text.len(), "{packing:?}");
            assert_eq!(inflate(&packed), text.as_bytes(), "{packing:?}");
        }
        assert_eq!(inflate(&deflate(b"", Packing::Text).unwrap()), b"");
    }
}
