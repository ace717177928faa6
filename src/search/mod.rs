/*!
Stage 4, index: the site's static search index under `search/`, in the format of
docs/search.md (the contract with the browser client `engine.js`).

Documents are numbered newest first and read in that order in batches: each batch
is analyzed in parallel (plain text, tokens, look-up keys, and its `d/` chunks
written at once, so that no more than a batch of plain texts is ever held), then
appended to the postings in number order. The postings, the look-up keys, the
attributes and last the manifest, whose `build` is a hash of everything else, are
written at the end. The same site always gives the same bytes.

A build reuses what the last one left ([`cache`]): documents it analyzed as they are
now are not analyzed again, and `d/` chunks whose documents are all the same are
kept as they are. The bytes are those of an index made from scratch.
*/

pub mod cache;
pub mod deflate;
pub mod lookup;
pub mod postings;
pub mod shards;
pub mod terms;
pub mod text;
pub mod tokens;

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::render::context::{category_name, url};
use crate::site::{BodyId, Category, Document, Site, Validity};
use deflate::{Pack, Packing, deflate};
use cache::{Cache, ChunkFile};
use postings::{Bm25, Inverted, fnv1a32};
use shards::write_shards;
use terms::{Analyzer, DocTerms};

pub const FORMAT: u32 = 1;
/// Documents per `d/` chunk: a page of results fetches a few chunks, and a site of
/// 100,000 documents gets 12,500 of them.
pub const CHUNK: usize = 8;
/// Uncompressed bytes a token shard aims at: a query fetches a whole shard for
/// each of its tokens, most of it other tokens' entries (compressed about 13 KB;
/// the largest, with a few entries near the external limit, about twice that).
const SHARD_BYTES: usize = 16 * 1024;
/// Uncompressed bytes a look-up shard aims at (JSON compresses to about 40%).
const KEY_SHARD_BYTES: usize = 64 * 1024;
/// Documents analyzed between two merges into the postings (a multiple of CHUNK).
const BATCH: usize = 256 * CHUNK;
/// The manifest's `validity` list, in this order (`amended` last, so that the index
/// of the others in `attrs.bin` stays what it was).
const VALIDITY: [Validity; 4] = [Validity::Effective, Validity::Repealed, Validity::Expired, Validity::Amended];

/// The folder of the index under the output root.
pub const DIR: &str = "search/";

/// What [`index`] wrote.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    /// Each file's path under the output root (`search/t/0.bin`) and a hash of its
    /// bytes, sorted by path.
    pub files: Vec<(String, u64)>,
    /// The manifest's `build`.
    pub build: String,
    /// Bytes of all files together.
    pub bytes: u64,
}

/// A stamp of everything the index is made from: the documents, the bodies and
/// their current directories, the settings, and the gongkai program itself (another
/// build of gongkai may index differently). Equal stamps mean an equal index.
pub fn input_stamp(site: &Site) -> u64 {
    use std::fmt::Write;
    let mut h = crate::stamp::Stamper::new();
    let program = crate::stamp::program();
    // Debug output is fine for these few values; the documents' text is fed as bytes
    // (Debug escapes every character, which costs more than the index saves).
    let _ = write!(h, "{FORMAT} {program:?} {:?}", site.config);
    // The 部门 facet names the bodies; the category facet names their categories.
    for b in &site.bodies {
        let _ = write!(h, "{:?} {:?} {:?} {:?}", b.kind, b.code, b.name, b.directory.current());
    }
    let none = String::new();
    for d in &site.documents {
        let _ = write!(h, "{:?} {} {} {:?} {}", d.kind, d.validity.key(), d.date, d.written, d.source.display());
        let texts = [&d.path, &d.title, &d.index_no, &d.publisher, &d.category, d.doc_no.as_ref().unwrap_or(&none), d.reg_no.as_ref().unwrap_or(&none), &d.body];
        let lists = [&d.keywords, &d.related, &d.attachments];
        for text in texts.into_iter().chain(lists.into_iter().flatten()) {
            h.text(text);
        }
    }
    h.finish()
}

/// The output folder as the index sees it, used from several threads at once.
pub trait Store: Sync {
    /// Writes the file `rel` (under the output root).
    fn put(&self, rel: &str, bytes: Vec<u8>) -> Result<()>;
    /// Keeps the file `rel` as the last build wrote it, if it still holds the bytes
    /// stamped `stamp` (see [`crate::write::stamp`]); returns whether it did.
    fn keep(&self, rel: &str, stamp: u64) -> Result<bool>;
    /// The bytes of the file `rel` as the last build wrote it, if it still holds them.
    fn last(&self, rel: &str) -> Option<Vec<u8>>;
}

/// Writes the index of `site` into `store`, reusing what the last build left there.
pub fn index(site: &Site, store: &dyn Store) -> Result<Summary> {
    let mut last = store.last(cache::FILE).and_then(|bytes| Cache::read(&bytes));
    let last_packed = last.as_mut().map(|cache| std::mem::take(&mut cache.packed)).unwrap_or_default();
    let out = Writer { store, written: Mutex::new(Vec::new()), last_packed, packed: Mutex::new(Vec::new()) };
    let order = numbering(site);
    let facets = Facets::new(site, &order);
    let stamps: Vec<u64> = order.par_iter().map(|&i| document_stamp(site, &site.documents[i])).collect();
    let (inverted, chunks) = analyze(site, &order, &stamps, last, &out)?;
    let emit = |rel, pack| out.emit_pack(rel, pack);
    emit("attrs.bin".into(), Pack::Raw(facets.attrs(), Packing::Data))?;
    let mut postings = Vec::new();
    inverted.save(&mut postings);
    let shards = write_shards(inverted.finish(), SHARD_BYTES, &emit)?;
    let keys = write_keys(lookup_keys(site, &order), &emit)?;
    let saved = Cache::write(&stamps, &chunks, &out.packed(), &postings);
    let manifest = Manifest {
        format: FORMAT,
        build: String::new(),
        docs: order.len(),
        shards,
        keys,
        chunk: CHUNK,
        k1: Bm25::K1,
        b: Bm25::B,
        categories: &facets.categories,
        publishers: &facets.publishers,
        bodies: facets.bodies.as_ref().map(|b| b.entries.as_slice()),
        publisher_bodies: facets.bodies.as_ref().map(|b| b.publisher_bodies.as_slice()),
        validity: VALIDITY.iter().map(|v| ValidityEntry { code: v.key(), name: v.label() }).collect(),
        years: facets.years,
    };
    let mut summary = out.finish(manifest)?;
    // Not part of the index the client reads, nor of its `build`.
    summary.files.insert(0, (cache::FILE.to_string(), crate::write::stamp(&saved)));
    store.put(cache::FILE, saved)?;
    Ok(summary)
}

/// Passes the files on to the store and keeps their hashes for the manifest.
struct Writer<'a> {
    store: &'a dyn Store,
    /// Path, hash and size of each file written.
    written: Mutex<Vec<(String, u64, u64)>>,
    /// The last build's compressed files (see [`Cache::packed`]).
    last_packed: HashMap<String, (u64, ChunkFile)>,
    /// This build's, for the next.
    packed: Mutex<Vec<(String, u64, ChunkFile)>>,
}

impl Writer<'_> {
    /// Writes `rel` (under `search/`), compressed; a file whose bytes before
    /// compression are the last build's is kept as that build wrote it.
    fn emit_pack(&self, rel: String, pack: Pack) -> Result<()> {
        let Pack::Raw(bytes, packing) = pack else {
            return self.emit(rel, pack.packed()?);
        };
        let raw = crate::write::stamp(&bytes);
        let last = self.last_packed.get(&rel).filter(|(was, _)| *was == raw).map(|(_, file)| *file);
        let file = match last {
            Some(file) if self.keep(rel.clone(), file)? => file,
            _ => self.emit_file(rel.clone(), deflate(&bytes, packing)?)?,
        };
        self.packed.lock().unwrap_or_else(|e| e.into_inner()).push((rel, raw, file));
        Ok(())
    }

    /// The compressed files, in path order, for the cache.
    fn packed(&self) -> Vec<(String, u64, ChunkFile)> {
        let mut packed = self.packed.lock().unwrap_or_else(|e| e.into_inner()).clone();
        packed.sort();
        packed
    }

    /// Writes `rel` (under `search/`).
    fn emit(&self, rel: String, bytes: Vec<u8>) -> Result<()> {
        self.emit_file(rel, bytes).map(drop)
    }

    /// Writes `rel` (under `search/`); returns the stamp and size of its bytes.
    fn emit_file(&self, rel: String, bytes: Vec<u8>) -> Result<ChunkFile> {
        let path = format!("{DIR}{rel}");
        let file = (crate::write::stamp(&bytes), bytes.len() as u64);
        self.note(path.clone(), file);
        self.store.put(&path, bytes)?;
        Ok(file)
    }

    /// Keeps `rel` (under `search/`) as the last build wrote it, if it is still as
    /// written, `file` its stamp and size; returns whether it did.
    fn keep(&self, rel: String, file: ChunkFile) -> Result<bool> {
        let path = format!("{DIR}{rel}");
        let kept = self.store.keep(&path, file.0)?;
        if kept {
            self.note(path, file);
        }
        Ok(kept)
    }

    fn note(&self, path: String, (stamp, size): ChunkFile) {
        self.written.lock().unwrap_or_else(|e| e.into_inner()).push((path, stamp, size));
    }

    /// Writes the manifest, last: its `build` is a hash of every other file.
    fn finish(self, mut manifest: Manifest) -> Result<Summary> {
        let mut files = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort();
        manifest.build = build_id(&files, &serde_json::to_vec(&manifest).unwrap_or_default());
        // Escaped like catalogue.json: it holds category and publisher names as written.
        let json = crate::render::safe_json(&manifest);
        let path = format!("{DIR}index.json");
        files.push((path.clone(), crate::write::stamp(&json), json.len() as u64));
        self.store.put(&path, json)?;
        files.sort();
        Ok(Summary {
            bytes: files.iter().map(|f| f.2).sum(),
            files: files.into_iter().map(|(p, h, _)| (p, h)).collect(),
            build: manifest.build,
        })
    }
}

/// Reads the documents in number order, a batch at a time, writing their `d/`
/// chunks (or keeping those of the `last` build that are the same); returns the
/// postings and each chunk's file. `stamps`: each document's stamp, by number.
fn analyze(site: &Site, order: &[usize], stamps: &[u64], last: Option<Cache>, out: &Writer) -> Result<(Inverted, Vec<ChunkFile>)> {
    let last = last.and_then(|cache| Reuse::new(cache, stamps));
    let mut fresh = Inverted::default();
    let mut numbers = Vec::new();
    let mut chunks = Vec::with_capacity(order.len().div_ceil(CHUNK));
    for (b, batch) in order.chunks(BATCH).enumerate() {
        let analyzed: Vec<(ChunkFile, Vec<(u32, DocTerms)>)> = batch
            .par_chunks(CHUNK)
            .enumerate()
            .map_init(Analyzer::default, |analyzer, (j, chunk)| {
                let number = b * BATCH / CHUNK + j;
                let rel = format!("d/{number}.bin");
                if let Some(file) = last.as_ref().and_then(|l| l.same_chunk(number, chunk.len())) {
                    if out.keep(rel.clone(), file)? {
                        return Ok((file, Vec::new()));
                    }
                }
                let docs = chunk.iter().enumerate().map(|(k, &i)| {
                    let n = number * CHUNK + k;
                    (n as u32, &site.documents[i], last.as_ref().is_none_or(|l| l.previous[n].is_none()))
                });
                analyze_chunk(site, docs, analyzer, |bytes| out.emit_file(rel, bytes))
            })
            .collect::<Result<_>>()?;
        let mut terms = Vec::new();
        for (file, docs) in analyzed {
            chunks.push(file);
            for (number, doc) in docs {
                numbers.push(Some(number));
                terms.push(doc);
            }
        }
        fresh.add(&terms);
    }
    Ok(match last {
        // Every document was analyzed, in number order.
        None => (fresh, chunks),
        Some(last) => (last.postings(order.len()).merge(fresh.remap(&numbers, order.len())), chunks),
    })
}

/// What this build takes from the last one's cache.
struct Reuse {
    cache: Cache,
    /// By number: the document's number in the last build when it analyzed the
    /// document as it is now.
    previous: Vec<Option<u32>>,
}

impl Reuse {
    /// `None` when nothing can be reused.
    fn new(cache: Cache, stamps: &[u64]) -> Option<Reuse> {
        let mut at: HashMap<u64, u32> = cache.documents.iter().enumerate().map(|(n, &s)| (s, n as u32)).collect();
        let previous: Vec<Option<u32>> = stamps.iter().map(|s| at.remove(s)).collect();
        // Documents the same keep their date and 索引号, so their order: renumbering
        // them keeps each posting sorted. Anything else is not trusted.
        let kept: Vec<u32> = previous.iter().flatten().copied().collect();
        let ordered = kept.windows(2).all(|w| w[0] < w[1]);
        (ordered && !kept.is_empty()).then_some(Reuse { cache, previous })
    }

    /// The last build's file of chunk `number` when it held the same documents as
    /// this one's, `len` of them.
    fn same_chunk(&self, number: usize, len: usize) -> Option<ChunkFile> {
        let first = number * CHUNK;
        let was = self.cache.documents.len().saturating_sub(first).min(CHUNK);
        let same = was == len && (first..first + len).all(|n| self.previous[n] == Some(n as u32));
        same.then(|| self.cache.chunks[number])
    }

    /// The last build's postings of the documents this one reuses, renumbered.
    fn postings(self, documents: usize) -> Inverted {
        let mut map = vec![None; self.cache.documents.len()];
        for (new, old) in self.previous.iter().enumerate() {
            if let Some(old) = old {
                map[*old as usize] = Some(new as u32);
            }
        }
        self.cache.inverted.remap(&map, documents)
    }
}

/// Each look-up key with the numbers of its documents.
fn lookup_keys(site: &Site, order: &[usize]) -> HashMap<String, Vec<u32>> {
    let keys: Vec<Vec<String>> = order.par_iter().map(|&i| lookup::keys(&site.documents[i].index_no, site.documents[i].doc_no.as_deref(), site.documents[i].reg_no.as_deref())).collect();
    let mut lookup: HashMap<String, Vec<u32>> = HashMap::new();
    for (number, keys) in keys.into_iter().enumerate() {
        for key in keys {
            lookup.entry(key).or_default().push(number as u32);
        }
    }
    lookup
}

/// Document numbers: newest first, then by 索引号, so that number order is date
/// order and a year is a range. Returns the positions in `site.documents` by number.
pub fn numbering(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.documents.len()).collect();
    let docs = &site.documents;
    order.sort_by(|&a, &b| docs[b].date.cmp(&docs[a].date).then_with(|| docs[a].index_no.cmp(&docs[b].index_no)));
    order
}

/// Writes one `d/` chunk, its documents given with their numbers and whether they
/// are to be analyzed; returns its file and the terms of those analyzed.
fn analyze_chunk<'a>(
    site: &Site,
    docs: impl Iterator<Item = (u32, &'a Document, bool)>,
    analyzer: &mut Analyzer,
    write: impl FnOnce(Vec<u8>) -> Result<ChunkFile>,
) -> Result<(ChunkFile, Vec<(u32, DocTerms)>)> {
    let mut entries = Vec::with_capacity(CHUNK);
    let mut out = Vec::with_capacity(CHUNK);
    for (number, doc, analyze) in docs {
        let text = text::plain_text(&doc.body);
        if analyze {
            out.push((number, analyzer.document(doc, &text)));
        }
        entries.push(DocEntry::new(site, doc, text));
    }
    // Sized for the texts and their fields, so the buffer does not grow (and copy) eight times.
    let mut json = Vec::with_capacity(entries.iter().map(|e| e.text.len() + 512).sum());
    serde_json::to_writer(&mut json, &entries).map_err(|e| Error::Output(format!("search index documents: {e}")))?;
    Ok((write(deflate(&json, Packing::Text)?)?, out))
}

/// A document as `d/` chunks hold it, for showing a result and its excerpt.
#[derive(Serialize)]
struct DocEntry<'a> {
    url: String,
    title: &'a str,
    index_no: &'a str,
    doc_no: Option<&'a str>,
    /// Only when the document has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    reg_no: Option<&'a str>,
    publisher: &'a str,
    date: String,
    category: &'a str,
    validity: &'static str,
    keywords: &'a [String],
    text: String,
}

/// A stamp of what the index takes from a document: equal stamps, the same terms
/// and the same entry in its `d/` chunk. The analyzer reads only fields the entry
/// shows, and the text, which is stamped as written rather than made plain first.
fn document_stamp(site: &Site, d: &Document) -> u64 {
    let mut s = crate::stamp::Stamper::new();
    s.value(&DocEntry::new(site, d, String::new()));
    s.text(&d.body);
    s.finish()
}

impl<'a> DocEntry<'a> {
    fn new(site: &Site, d: &'a Document, text: String) -> DocEntry<'a> {
        DocEntry {
            url: url(site, &d.path),
            title: &d.title,
            index_no: &d.index_no,
            doc_no: d.doc_no.as_deref(),
            reg_no: d.reg_no.as_deref(),
            publisher: &d.publisher,
            date: d.date.to_string(),
            category: &d.category,
            validity: d.validity.key(),
            keywords: &d.keywords,
            text,
        }
    }
}

/// Writes `k/<shard>.bin`; returns the number of shards.
fn write_keys(lookup: HashMap<String, Vec<u32>>, emit: &(dyn Fn(String, Pack) -> Result<()> + Sync)) -> Result<u32> {
    let size: usize = lookup.iter().map(|(k, docs)| k.len() + 6 + docs.len() * 7).sum();
    let shards = size.div_ceil(KEY_SHARD_BYTES).max(1) as u32;
    let mut by_shard: Vec<BTreeMap<String, Vec<u32>>> = vec![BTreeMap::new(); shards as usize];
    for (key, docs) in lookup {
        by_shard[(fnv1a32(key.as_bytes()) % shards) as usize].insert(key, docs);
    }
    by_shard.par_iter().enumerate().try_for_each(|(shard, keys)| {
        let json = serde_json::to_vec(keys).map_err(|e| Error::Output(format!("search index keys: {e}")))?;
        emit(format!("k/{shard}.bin"), Pack::Raw(json, Packing::Data))
    })?;
    Ok(shards)
}

#[derive(Serialize)]
struct Manifest<'a> {
    format: u32,
    build: String,
    docs: usize,
    shards: u32,
    keys: u32,
    chunk: usize,
    k1: f64,
    b: f64,
    categories: &'a [CategoryEntry],
    publishers: &'a [String],
    /// On a platform only, like the body array of `attrs.bin`.
    #[serde(skip_serializing_if = "Option::is_none")]
    bodies: Option<&'a [BodyEntry]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher_bodies: Option<&'a [usize]>,
    validity: Vec<ValidityEntry>,
    years: Vec<YearRange>,
}

#[derive(Serialize, Debug, Clone, PartialEq)]
struct CategoryEntry {
    code: String,
    name: String,
    parent: Option<String>,
}

#[derive(Serialize)]
struct ValidityEntry {
    code: &'static str,
    name: &'static str,
}

#[derive(Serialize, Debug, PartialEq)]
struct YearRange {
    year: i32,
    start: usize,
    end: usize,
}

/// What the filters and facet counts are made of: the manifest's lists and, per
/// document, where it sits in them (`attrs.bin`).
struct Facets {
    categories: Vec<CategoryEntry>,
    publishers: Vec<String>,
    years: Vec<YearRange>,
    /// The 部门 facet, on a platform only: a single body's index stays as it was.
    bodies: Option<BodyFacet>,
    /// Per document by number.
    attrs: Vec<DocAttrs>,
}

/// Where a document sits in each list of the manifest, by index.
struct DocAttrs {
    category: usize,
    publisher: usize,
    validity: usize,
    /// In the bodies with documents (whether or not the index lists them).
    body: usize,
}

impl Facets {
    fn new(site: &Site, order: &[usize]) -> Facets {
        let mut categories = Vec::new();
        if let Some(directory) = site.owner().directory.current() {
            flatten(&directory.categories, None, &mut categories);
        }
        let mut category_at: HashMap<String, usize> = categories.iter().enumerate().map(|(i, c)| (c.code.clone(), i)).collect();
        let publishers = publishers_by_count(site);
        let publisher_at: HashMap<&str, usize> = publishers.iter().enumerate().map(|(i, p)| (p.as_str(), i)).collect();
        let listed = bodies_with_documents(site);
        let body_at: HashMap<BodyId, usize> = listed.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        let mut years: Vec<YearRange> = Vec::new();
        let mut attrs = Vec::with_capacity(order.len());
        for (number, &i) in order.iter().enumerate() {
            let d = &site.documents[i];
            let category = *category_at.entry(d.category.clone()).or_insert_with(|| {
                // A category of a department's own directory, which the owner's lacks.
                categories.push(CategoryEntry { code: d.category.clone(), name: category_name(site.body_of(d), &d.category), parent: None });
                categories.len() - 1
            });
            let validity = VALIDITY.iter().position(|v| *v == d.validity).unwrap_or(0);
            attrs.push(DocAttrs { category, publisher: publisher_at[d.publisher.as_str()], validity, body: body_at[&d.body_id] });
            match years.last_mut() {
                Some(y) if y.year == d.date.year() => y.end = number + 1,
                _ => years.push(YearRange { year: d.date.year(), start: number, end: number + 1 }),
            }
        }
        let bodies = (site.bodies.len() > 1).then(|| BodyFacet::new(site, &listed, &attrs, publishers.len()));
        Facets { categories, publishers, years, bodies, attrs }
    }

    /// `attrs.bin`: categories, publishers, validity and, on a platform, bodies, one
    /// array each.
    fn attrs(&self) -> Vec<u8> {
        let width = |list: usize| if list <= 255 { 1 } else { 2 };
        let mut out = Vec::with_capacity(self.attrs.len() * 7);
        let mut column = |w: usize, value: &dyn Fn(&DocAttrs) -> usize| {
            self.attrs.iter().for_each(|a| out.extend_from_slice(&(value(a) as u16).to_le_bytes()[..w]));
        };
        column(width(self.categories.len()), &|a| a.category);
        column(width(self.publishers.len()), &|a| a.publisher);
        column(1, &|a| a.validity);
        if let Some(bodies) = &self.bodies {
            // One value more than the list: 0 stands for the publisher's body.
            column(width(bodies.entries.len() + 1), &|a| bodies.stored(a));
        }
        out
    }
}

/// Every 发布机构, the main ones first, as a facet lists them.
fn publishers_by_count(site: &Site) -> Vec<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for d in &site.documents {
        *counts.entry(&d.publisher).or_default() += 1;
    }
    let mut publishers: Vec<(&str, usize)> = counts.into_iter().collect();
    publishers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    publishers.into_iter().map(|(p, _)| p.to_string()).collect()
}

/// The bodies that have documents, as the department index lists them: the owner,
/// the departments, then the towns, each in their order.
fn bodies_with_documents(site: &Site) -> Vec<BodyId> {
    let mut listed: Vec<BodyId> = site.body_ids().filter(|(_, b)| !b.documents().is_empty()).map(|(id, _)| id).collect();
    listed.sort_by_key(|&id| site.body(id).kind);
    listed
}

/// The 部门 facet of a platform: the bodies with documents, and for each publisher
/// the body most of its documents belong to. `attrs.bin` stores a document's body
/// against its publisher's, because a publisher almost always belongs to one body (a
/// department's defaults to its name): the array is then all zeros and costs
/// nothing to fetch, where the bodies themselves would cost a first query at 100,000
/// documents over 60 departments some 70 KB of its 500.
struct BodyFacet {
    entries: Vec<BodyEntry>,
    /// By publisher index: the index in `entries` of its main body.
    publisher_bodies: Vec<usize>,
}

#[derive(Serialize)]
struct BodyEntry {
    /// None for the owner.
    code: Option<String>,
    name: String,
    kind: &'static str,
}

impl BodyFacet {
    fn new(site: &Site, listed: &[BodyId], attrs: &[DocAttrs], publishers: usize) -> BodyFacet {
        let mut counts: Vec<HashMap<usize, usize>> = vec![HashMap::new(); publishers];
        for a in attrs {
            *counts[a.publisher].entry(a.body).or_default() += 1;
        }
        // The most documents, then the first in the site's order.
        let main = |bodies: &HashMap<usize, usize>| bodies.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map_or(0, |(&body, _)| body);
        let entries = listed
            .iter()
            .map(|&id| site.body(id))
            .map(|b| BodyEntry { code: b.code.clone(), name: b.name.clone(), kind: b.kind.key() })
            .collect();
        BodyFacet { entries, publisher_bodies: counts.iter().map(main).collect() }
    }

    /// A document's body as `attrs.bin` stores it: 0 when it is its publisher's main
    /// body, else 1 + its index.
    fn stored(&self, a: &DocAttrs) -> usize {
        if self.publisher_bodies[a.publisher] == a.body { 0 } else { a.body + 1 }
    }
}

/// The directory tree in pre-order, parents before their children.
fn flatten(nodes: &[Category], parent: Option<&str>, out: &mut Vec<CategoryEntry>) {
    for c in nodes {
        out.push(CategoryEntry { code: c.code.clone(), name: c.name.clone(), parent: parent.map(str::to_string) });
        flatten(&c.children, Some(&c.code), out);
    }
}

/// The manifest's `build`: every file's path and hash, and the manifest itself.
fn build_id(files: &[(String, u64, u64)], manifest: &[u8]) -> String {
    let mut all = Vec::with_capacity(files.len() * 40 + manifest.len());
    for (path, hash, _) in files {
        all.extend_from_slice(path.as_bytes());
        all.extend_from_slice(&hash.to_le_bytes());
    }
    all.extend_from_slice(manifest);
    format!("{:016x}", crate::write::stamp(&all))
}

