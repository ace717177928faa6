// gongkai's search client: reads the static index `gongkai build` writes under
// search/ (format: docs/search.md) and answers queries. A plain ES module with no
// dependencies; it runs in browsers and in Node ≥ 20 (fetch, DecompressionStream).
//
//   import { createSearch } from "/search/engine.js";
//   const engine = createSearch({ base: "/search/" });
//   const { total, hits, facets } = await engine.search("排污许可", { limit: 10 });
//
// Everything it fetches is cached per instance, and it fetches only what a query
// needs: the shards of the query's tokens, the document chunks of the hits shown
// (and of the documents whose exact phrase it must check), attrs.bin only for
// facets and filters.

// ---------------------------------------------------------------------------
// Tokens (docs/search.md §1). The Rust writer implements the same definition;
// tests/search/tokens.json holds vectors both must pass.

const MAX_WORD = 32;
const SEPARATOR = 0;
const CJK = 1;
const WORD = 2;
const WORD_CHAR = /^[\p{Alphabetic}\p{N}]$/u;

/** NFKC, then full lower-casing: the form every comparison works on. */
export function normalize(text) {
  return String(text ?? "").normalize("NFKC").toLowerCase();
}

/** The class of one code point (`ch` is the same character as a string). */
function classOf(cp, ch) {
  if (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x20000 && cp <= 0x2fa1f) ||
    (cp >= 0x3040 && cp <= 0x30ff) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    cp === 0x3005 ||
    cp === 0x3007
  ) {
    return CJK;
  }
  // ASCII needs no regular expression; it is most of the non-CJK text.
  if (cp < 0x80) return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) ? WORD : SEPARATOR;
  return WORD_CHAR.test(ch) ? WORD : SEPARATOR;
}

/** Maximal runs of CJK or word characters of already normalized text, in order. */
function runsOf(norm) {
  const runs = [];
  let kind = SEPARATOR;
  let chars = [];
  for (const ch of norm) {
    const k = classOf(ch.codePointAt(0), ch);
    if (k !== kind && chars.length) {
      runs.push({ kind, chars });
      chars = [];
    }
    kind = k;
    if (k !== SEPARATOR) chars.push(ch);
  }
  if (chars.length) runs.push({ kind, chars });
  return runs;
}

/** The tokens of one run: CJK bigrams (a lone character is a unigram), or one word. */
function runTokens({ kind, chars }, out) {
  if (kind === WORD) {
    out.push(chars.slice(0, MAX_WORD).join(""));
  } else if (chars.length === 1) {
    out.push(chars[0]);
  } else {
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  }
  return out;
}

/** The tokens of `text`, in order, as the index counts them (docs/search.md §1). */
export function tokenize(text) {
  const out = [];
  for (const run of runsOf(normalize(text))) runTokens(run, out);
  return out;
}

const OPENING = /[(（[［〔【〖]/gu;
const CLOSING = /[)）\]］〕】〗]/gu;

/**
 * Look-up normalization for 索引号 and 文号 keys (docs/search.md §3): NFKC,
 * lower-case, no whitespace, every kind of bracket as `[` `]`, so that
 * `某环发〔２０２４〕３号` and `某环发[2024]3号` are the same key.
 */
export function lookupKey(text) {
  return normalize(text).replace(/[\p{White_Space}\uFEFF]+/gu, "").replace(OPENING, "[").replace(CLOSING, "]");
}

/** FNV-1a 32-bit of the UTF-8 bytes: picks a token's or a key's shard. */
export function fnv1a32(text) {
  let hash = 2166136261;
  for (const byte of new TextEncoder().encode(text)) {
    hash = Math.imul(hash ^ byte, 16777619) >>> 0;
  }
  return hash;
}

// ---------------------------------------------------------------------------
// Queries (docs/search.md §4)

const QUOTE_PAIRS = { '"': '"', "“": "”", "「": "」", "『": "』" };

/**
 * Splits a query into its parts:
 * - `terms`: every token, each once (all required: AND);
 * - `hard`: quoted phrases, which must occur literally;
 * - `soft`: the space-separated parts of the rest (`排污许可`, `2024年`, `PM2.5`):
 *   documents containing them literally rank first;
 * - `key`: the look-up key of the whole query without its quote marks.
 * Phrases are normalized and trimmed of separators at both ends (`《排污许可管理条例》`
 * is looked for without its book-title marks). A phrase that is its only token
 * needs no check, since the token already proves it, and is left out.
 */
export function parseQuery(query) {
  const norm = normalize(query);
  const terms = new Set();
  const hard = new Set();
  const soft = new Set();
  const add = (text, phrases) => {
    const phrase = trimSeparators(text);
    const tokens = tokenize(phrase);
    tokens.forEach((t) => terms.add(t));
    if (tokens.length > 1 || (tokens.length === 1 && tokens[0] !== phrase)) phrases.add(phrase);
  };
  let rest = "";
  let unquoted = "";
  for (let i = 0; i < norm.length; ) {
    const close = QUOTE_PAIRS[norm[i]];
    if (close === undefined) {
      rest += norm[i];
      unquoted += norm[i++];
      continue;
    }
    // An unclosed quote runs to the end: people type the opening one first.
    let end = norm.indexOf(close, i + 1);
    if (end < 0) end = norm.length;
    add(norm.slice(i + 1, end), hard);
    rest += " ";
    unquoted += norm.slice(i + 1, end);
    i = end + 1;
  }
  for (const part of rest.split(/\p{White_Space}+/u)) add(part, soft);
  return { terms: [...terms], hard: [...hard], soft: [...soft], key: lookupKey(unquoted) };
}

function trimSeparators(text) {
  const chars = [...text];
  const keep = (ch) => classOf(ch.codePointAt(0), ch) !== SEPARATOR;
  const first = chars.findIndex(keep);
  if (first < 0) return "";
  let last = chars.length - 1;
  while (!keep(chars[last])) last--;
  return chars.slice(first, last + 1).join("");
}

/**
 * Where `phrase` occurs in `text` (both normalized) at or after `from`, or -1.
 * Literal, except that a phrase starting or ending with a letter or digit must
 * start or end there at a word boundary, as tokens do: `3号` is not in `13号`,
 * `2024` not in `12024`.
 */
export function findPhrase(text, phrase, from = 0) {
  if (!phrase) return -1;
  const first = phrase.codePointAt(0);
  const last = phrase.codePointAt(phrase.length - (isLowSurrogate(phrase, phrase.length - 1) ? 2 : 1));
  const wordStart = classOf(first, String.fromCodePoint(first)) === WORD;
  const wordEnd = classOf(last, String.fromCodePoint(last)) === WORD;
  for (let at = text.indexOf(phrase, from); at >= 0; at = text.indexOf(phrase, at + 1)) {
    if (wordStart && isWordBefore(text, at)) continue;
    if (wordEnd && isWordAt(text, at + phrase.length)) continue;
    return at;
  }
  return -1;
}

/** Whether the character just before UTF-16 index `i` is a word character. */
function isWordBefore(text, i) {
  if (i <= 0) return false;
  return isWordAt(text, isLowSurrogate(text, i - 1) && i >= 2 ? i - 2 : i - 1);
}

/** Whether the character starting at UTF-16 index `i` is a word character. */
function isWordAt(text, i) {
  if (i < 0 || i >= text.length) return false;
  const cp = text.codePointAt(i);
  return classOf(cp, String.fromCodePoint(cp)) === WORD;
}

function isLowSurrogate(text, i) {
  const c = text.charCodeAt(i);
  return c >= 0xdc00 && c <= 0xdfff;
}

// ---------------------------------------------------------------------------
// Reading the index files

function readVarint(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at.i++];
    if (byte === undefined) throw new Error("search index: truncated varint");
    // Multiplication instead of << keeps values above 2^31 exact.
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return value;
    shift += 7;
  }
}

/** The entries of a token shard: token → { df, kind, at } (the posting is decoded on use). */
function parseShard(bytes) {
  const decoder = new TextDecoder();
  const entries = new Map();
  const at = { i: 0 };
  while (at.i < bytes.length) {
    const keyLen = readVarint(bytes, at);
    const key = decoder.decode(bytes.subarray(at.i, at.i + keyLen));
    at.i += keyLen;
    const df = readVarint(bytes, at);
    const kind = bytes[at.i++];
    entries.set(key, { df, kind, at: at.i });
    if (kind === 2) readVarint(bytes, at);
    else skipPosting(bytes, at, kind, df);
  }
  return entries;
}

function skipPosting(bytes, at, kind, df) {
  if (kind === 0) {
    for (let n = 0; n < df; n++) readVarint(bytes, at);
  } else if (kind === 1) {
    readVarint(bytes, at);
    const len = readVarint(bytes, at);
    at.i += len;
  } else {
    throw new Error(`search index: unknown posting kind ${kind}`);
  }
  at.i += Math.ceil(df / 2);
}

/** Decodes a list or bitmap posting at `at` into document numbers and impacts. */
function decodePosting(bytes, start, kind, df) {
  const at = { i: start };
  const docs = new Uint32Array(df);
  if (kind === 0) {
    let doc = 0;
    for (let n = 0; n < df; n++) {
      doc = n === 0 ? readVarint(bytes, at) : doc + readVarint(bytes, at);
      docs[n] = doc;
    }
  } else if (kind === 1) {
    const first = readVarint(bytes, at);
    const len = readVarint(bytes, at);
    let n = 0;
    for (let b = 0; b < len && n < df; b++) {
      const byte = bytes[at.i + b];
      if (!byte) continue;
      for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) docs[n++] = first + b * 8 + bit;
    }
    if (n !== df) throw new Error("search index: bitmap does not match its df");
    at.i += len;
  } else {
    throw new Error(`search index: unknown posting kind ${kind}`);
  }
  const impacts = new Uint8Array(df);
  for (let n = 0; n < df; n++) {
    const byte = bytes[at.i + (n >> 1)];
    impacts[n] = n & 1 ? byte >> 4 : byte & 15;
  }
  return { docs, impacts };
}

/** Reads little-endian unsigned values of `width` bytes. */
function readArray(bytes, offset, count, width) {
  if (width === 1) return bytes.subarray(offset, offset + count);
  const out = new Uint16Array(count);
  for (let i = 0; i < count; i++) out[i] = bytes[offset + 2 * i] | (bytes[offset + 2 * i + 1] << 8);
  return out;
}

async function inflate(response) {
  const packed = await response.arrayBuffer();
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// ---------------------------------------------------------------------------
// Ranking helpers

function idf(n, df) {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** Documents in both sorted lists, with the scores of `a` plus `weight × impact` of `b`. */
function intersect(a, b, weight) {
  const docs = [];
  const scores = [];
  let i = 0;
  let j = 0;
  while (i < a.docs.length && j < b.docs.length) {
    const x = a.docs[i];
    const y = b.docs[j];
    if (x === y) {
      docs.push(x);
      scores.push(a.scores[i] + weight * b.impacts[j]);
      i++;
      j++;
    } else if (x < y) {
      i++;
    } else {
      j++;
    }
  }
  return { docs: Uint32Array.from(docs), scores: Float64Array.from(scores) };
}

// ---------------------------------------------------------------------------
// Excerpts

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const EXCERPT_BEFORE = 30;
const EXCERPT_LENGTH = 110;
const SENTENCE_END = /[。！？；!?;\n]/u;
const CLAUSE_END = /[，、：,:\s]/u;

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * The normalized form of `text` with, for each of its UTF-16 units, the range of
 * the original text it came from: character by character, so a match found in
 * normalized text can be marked in the original.
 */
function normalizedWithMap(text) {
  let norm = "";
  const from = [];
  const to = [];
  let i = 0;
  for (const ch of text) {
    const n = normalize(ch);
    for (let k = 0; k < n.length; k++) {
      from.push(i);
      to.push(i + ch.length);
    }
    norm += n;
    i += ch.length;
  }
  return { norm, from, to };
}

/**
 * Ranges [start, end) of `norm` that match the query's phrases or tokens (as
 * findPhrase finds them), merged where they touch; `anchor` is the first phrase
 * match, else the first match of all.
 */
function matchRanges(norm, { hard = [], soft = [], terms = [] }) {
  const phrases = [...hard, ...soft];
  const ranges = [];
  let anchor = null;
  for (const [i, mark] of [...phrases, ...terms].entries()) {
    for (let at = findPhrase(norm, mark); at >= 0; at = findPhrase(norm, mark, at + 1)) {
      ranges.push([at, at + mark.length]);
      if (i < phrases.length && (anchor === null || at < anchor)) anchor = at;
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  if (anchor === null && merged.length) anchor = merged[0][0];
  return { ranges: merged, anchor };
}

/**
 * About 110 characters of `body` around its first match, as HTML: the matches of
 * the query's phrases and tokens (`plan` from parseQuery) in <mark>, all else
 * escaped. The first phrase match wins over a scattered token; without any match
 * (a title-only hit) the excerpt is the body's start.
 */
export function makeExcerpt(body, plan) {
  const text = String(body ?? "");
  if (!text) return "";
  const { norm, from, to } = normalizedWithMap(text);
  const { ranges, anchor } = matchRanges(norm, plan);
  const spans = ranges.map(([s, e]) => [from[s], to[e - 1]]);
  let start = 0;
  if (anchor !== null) {
    const at = from[anchor];
    start = Math.max(0, at - EXCERPT_BEFORE);
    // Begin at the start of the match's sentence when it is close, else at the
    // first clause break in reach, rather than in the middle of a word.
    const before = text.slice(start, at);
    const sentence = Math.max(...[...before.matchAll(new RegExp(SENTENCE_END, "gu"))].map((m) => m.index));
    const clause = before.search(CLAUSE_END);
    if (sentence >= 0) start += sentence + 1;
    else if (start > 0 && clause >= 0) start += clause + 1;
  }
  let end = Math.min(text.length, start + EXCERPT_LENGTH);
  if (end === text.length) start = Math.max(0, Math.min(start, end - EXCERPT_LENGTH));
  // Never cut a mark or a surrogate pair in two.
  for (const [s, e] of spans) {
    if (s < start && e > start) start = s;
    if (s < end && e > end) end = e;
  }
  if (start > 0 && isLowSurrogate(text, start)) start--;
  if (end < text.length && isLowSurrogate(text, end)) end++;
  let html = start > 0 ? "…" : "";
  let at = start;
  for (const [s, e] of spans) {
    if (e <= start || s >= end) continue;
    html += clean(text.slice(at, s)) + "<mark>" + clean(text.slice(s, e)) + "</mark>";
    at = e;
  }
  html += clean(text.slice(at, end));
  if (end < text.length) html += "…";
  return html;
}

/** Escaped, with line breaks and runs of white space as single spaces. */
function clean(text) {
  return escapeHtml(text.replace(/\s+/gu, " "));
}

// ---------------------------------------------------------------------------
// The engine

/** Phrase checks stop after this many distinct document chunks per query (see docs/search.md §4). */
export const DEFAULT_VERIFY_CHUNKS = 16;
const FACETS = ["category", "publisher", "year", "validity", "department"];
/** The owner's value in the department filter and facet: no department's code, which is ASCII. */
export const OWNER = "本级";

/**
 * `base`: URL of the search/ folder holding index.json (default: the folder this
 * module was loaded from). `fetch`: the fetch function to use (default: the global
 * one). `maxVerifyChunks`: budget of document chunks for phrase checks.
 */
export function createSearch({ base, fetch: fetchFn, maxVerifyChunks = DEFAULT_VERIFY_CHUNKS } = {}) {
  const folder = String(base ?? new URL(".", import.meta.url).href).replace(/\/?$/, "/");
  const doFetch = fetchFn ?? ((url) => globalThis.fetch(url));
  const files = new Map();
  const matches = new Map();
  let manifestPromise = null;

  /** Fetches a file once; a failure is forgotten so that a later query retries. */
  function cached(path, read) {
    if (!files.has(path)) {
      const promise = (async () => {
        const response = await doFetch(folder + path);
        if (!response.ok) throw new Error(`search: ${folder + path}: HTTP ${response.status}`);
        return read(response);
      })();
      promise.catch(() => files.delete(path));
      files.set(path, promise);
    }
    return files.get(path);
  }

  function manifest() {
    manifestPromise ??= (async () => {
      const response = await doFetch(folder + "index.json");
      if (!response.ok) throw new Error(`search: ${folder}index.json: HTTP ${response.status}`);
      return prepareManifest(await response.json());
    })();
    manifestPromise.catch(() => (manifestPromise = null));
    return manifestPromise;
  }

  async function binary(m, path) {
    return cached(`${path}?v=${m.build}`, inflate);
  }

  /** A token shard: its bytes and where each of its tokens starts. */
  async function shard(m, n) {
    return cached(`t/${n}.bin?v=${m.build}`, async (r) => {
      const bytes = await inflate(r);
      return { bytes, entries: parseShard(bytes) };
    });
  }

  /** The posting of a token, or null when the index does not have it. */
  async function posting(m, token) {
    const { bytes: shardBytes, entries } = await shard(m, fnv1a32(token) % m.shards);
    const entry = entries.get(token);
    if (!entry) return null;
    if (entry.kind !== 2) return { df: entry.df, ...decodePosting(shardBytes, entry.at, entry.kind, entry.df) };
    const file = readVarint(shardBytes, { i: entry.at });
    const bytes = await binary(m, `t/x${file}.bin`);
    return { df: entry.df, ...decodePosting(bytes, 1, bytes[0], entry.df) };
  }

  /** Documents of one chunk, each with its normalized text for phrase checks. */
  async function chunk(m, n) {
    return cached(`d/${n}.bin?v=${m.build}`, async (r) => {
      const docs = JSON.parse(new TextDecoder().decode(await inflate(r)));
      return docs.map((doc) => ({ ...doc, norm: null }));
    });
  }

  async function document(m, number) {
    const docs = await chunk(m, Math.floor(number / m.chunk));
    return docs[number % m.chunk];
  }

  async function attrs(m) {
    return cached(`attrs.bin?v=${m.build}`, async (r) => {
      const bytes = await inflate(r);
      const n = m.docs;
      const wc = m.categories.length > 255 ? 2 : 1;
      const wp = m.publishers.length > 255 ? 2 : 1;
      const wb = m.bodies.length > 254 ? 2 : 1;
      const publisher = readArray(bytes, n * wc, n, wp);
      return {
        category: readArray(bytes, 0, n, wc),
        publisher,
        validity: readArray(bytes, n * (wc + wp), n, 1),
        body: m.bodies.length ? bodiesOf(readArray(bytes, n * (wc + wp + 1), n, wb), publisher, m.publisherBodies) : null,
      };
    });
  }

  async function lookup(m, key) {
    if (!key || !m.keys) return [];
    const table = await cached(`k/${fnv1a32(key) % m.keys}.bin?v=${m.build}`, async (r) =>
      JSON.parse(new TextDecoder().decode(await inflate(r))),
    );
    return Object.hasOwn(table, key) ? table[key] : [];
  }

  /**
   * Documents with every term (AND), plus the look-up hits: `docs` ascending,
   * `score` by document number, `exact` the look-up hits. Cached per query so that
   * paging does not redo it.
   */
  function match(m, plan) {
    const id = JSON.stringify([plan.terms, plan.key]);
    if (!matches.has(id)) {
      const promise = (async () => {
        const [byTerms, exact] = await Promise.all([termMatches(m, plan.terms), lookup(m, plan.key)]);
        const score = new Float64Array(m.docs);
        byTerms.docs.forEach((doc, i) => (score[doc] = byTerms.scores[i]));
        const extra = exact.filter((d) => d < m.docs && score[d] === 0 && !byTerms.docs.includes(d));
        const docs = extra.length ? Uint32Array.from([...byTerms.docs, ...extra]).sort() : byTerms.docs;
        return { docs, score, exact: new Set(exact) };
      })();
      promise.catch(() => matches.delete(id));
      matches.set(id, promise);
      // Keep the few latest queries: enough for paging and going back.
      if (matches.size > 16) matches.delete(matches.keys().next().value);
    }
    return matches.get(id);
  }

  async function termMatches(m, terms) {
    if (!terms.length) return { docs: new Uint32Array(0), scores: new Float64Array(0) };
    const postings = await Promise.all(terms.map((t) => posting(m, t)));
    if (postings.some((p) => !p)) return { docs: new Uint32Array(0), scores: new Float64Array(0) };
    // Rarest first keeps the intermediate lists short.
    postings.sort((a, b) => a.df - b.df);
    const [first, ...others] = postings;
    const w = idf(m.docs, first.df);
    let acc = { docs: first.docs, scores: Float64Array.from(first.impacts, (x) => w * x) };
    for (const p of others) acc = intersect(acc, p, idf(m.docs, p.df));
    return acc;
  }

  /** Whether a document's normalized fields contain every phrase. */
  function contains(doc, phrases) {
    doc.norm ??= normalize([doc.title, doc.doc_no, doc.reg_no, doc.index_no, ...(doc.keywords ?? []), doc.publisher, doc.text].filter((x) => x != null).join("\n"));
    return phrases.every((p) => findPhrase(doc.norm, p) >= 0);
  }

  /** How many of `docs` (in order) fit in `budget` distinct chunks. */
  function budgetPrefix(m, docs, budget = maxVerifyChunks) {
    const seen = new Set();
    for (let i = 0; i < docs.length; i++) {
      const c = Math.floor(docs[i] / m.chunk);
      if (!seen.has(c)) {
        if (seen.size >= budget) return i;
        seen.add(c);
      }
    }
    return docs.length;
  }

  /**
   * Checks `docs` in order for `phrases`: at least the first `min`, then on until
   * `enough` have passed, never past `max`. The chunks of each batch are fetched
   * together; a batch is no larger than what could still be needed, so the first
   * page of results fetches little beyond the chunks it shows anyway.
   */
  async function walk(m, docs, phrases, { enough, min = 0, max = docs.length }) {
    const passed = [];
    let i = 0;
    while (i < max && (i < min || passed.length < enough)) {
      const size = i < min ? min - i : enough - passed.length;
      const batch = docs.slice(i, Math.min(max, i + size));
      await Promise.all([...new Set(batch.map((d) => Math.floor(d / m.chunk)))].map((c) => chunk(m, c)));
      for (const d of batch) if (contains(await document(m, d), phrases)) passed.push(d);
      i += batch.length;
    }
    return { passed, checked: i };
  }

  async function search(query, { filters = {}, sort = "relevance", offset = 0, limit = 10, facets: wantFacets = true } = {}) {
    const m = await manifest();
    const plan = parseQuery(query ?? "");
    const browsing = !String(query ?? "").trim();
    const found = browsing ? everything(m) : await match(m, plan);
    const active = resolveFilters(m, filters);
    const table = (wantFacets || active.some((f) => f.attr)) && m.docs ? await attrs(m) : null;
    const order = sort === "date" ? (a, b) => a - b : (a, b) => found.score[b] - found.score[a] || a - b;
    const start = Math.max(0, offset | 0);
    const want = start + Math.max(0, limit | 0);

    // The filters each document fails (a bit per facet): the results fail none, and
    // a document failing just one still counts in that facet.
    const mask = new Uint8Array(m.docs);
    let counted = Array.from(found.docs);
    if (active.length) {
      counted = counted.filter((d) => {
        let bits = 0;
        for (const f of active) if (!f.test(d, table)) bits |= f.bit;
        mask[d] = bits;
        return bits === 0 || (wantFacets && (bits & (bits - 1)) === 0);
      });
    }
    let results = active.length ? counted.filter((d) => mask[d] === 0) : counted.slice();
    let weight = () => 1;
    let total;
    let approximate = false;

    if (plan.hard.length) {
      // Quoted phrases: check the results in the order asked for, at least within the
      // budget and on as far as the page needs; estimate what lies beyond.
      const exact = results.filter((d) => found.exact.has(d));
      const rest = results.filter((d) => !found.exact.has(d)).sort(order);
      const full = await walk(m, rest, plan.hard, { enough: want - exact.length, min: budgetPrefix(m, rest) });
      let partial = { passed: [], checked: 0 };
      const others = wantFacets && active.length ? counted.filter((d) => mask[d] !== 0 && !found.exact.has(d)).sort(order) : [];
      if (full.checked === rest.length && others.length) {
        const used = new Set(rest.map((d) => Math.floor(d / m.chunk))).size;
        const room = budgetPrefix(m, others, maxVerifyChunks - used);
        partial = await walk(m, others, plan.hard, { enough: 0, min: room });
      }
      const checked = full.checked + partial.checked;
      const rate = checked ? (full.passed.length + partial.passed.length) / checked : 0;
      const yes = new Set([...full.passed, ...partial.passed]);
      const seen = new Set([...rest.slice(0, full.checked), ...others.slice(0, partial.checked)]);
      weight = (d) => (found.exact.has(d) || yes.has(d) ? 1 : seen.has(d) ? 0 : rate);
      approximate = full.checked < rest.length || partial.checked < others.length;
      total = exact.length + full.passed.length + Math.round((rest.length - full.checked) * rate);
      results = exact.concat(full.passed);
    }
    total ??= results.length;

    const ranked = sort === "date" ? results.sort(order) : await rankRelevance(m, results, found, plan, want, order);
    const page = ranked.slice(start, want);
    const hits = await Promise.all(page.map(async (d) => hit(m, d, await document(m, d), plan, found)));
    return {
      total,
      hits,
      facets: wantFacets ? facetCounts(m, table, counted, mask, weight, active) : null,
      approximate,
    };
  }

  /**
   * Relevance order: look-up hits, then documents with every soft phrase, then the
   * rest, each by score. Phrases are checked in score order only until the page is
   * full, and never beyond the budget prefix, which depends on the query alone: so
   * pages of one query never disagree.
   */
  async function rankRelevance(m, results, found, plan, want, order) {
    const exact = results.filter((d) => found.exact.has(d)).sort(order);
    const others = results.filter((d) => !found.exact.has(d)).sort(order);
    if (!plan.soft.length || exact.length >= want) return exact.concat(others);
    const { passed } = await walk(m, others, plan.soft, { enough: want - exact.length, max: budgetPrefix(m, others) });
    if (exact.length + passed.length >= want) return exact.concat(passed);
    // The page reaches past the phrase documents: the checked prefix is complete.
    const good = new Set(passed);
    return exact.concat(passed, others.filter((d) => !good.has(d)));
  }

  async function hit(m, number, doc, plan, found) {
    const category = m.categoryByCode.get(doc.category);
    const validity = m.validityByCode.get(doc.validity);
    return {
      url: doc.url,
      title: doc.title,
      index_no: doc.index_no,
      doc_no: doc.doc_no ?? null,
      reg_no: doc.reg_no ?? null,
      publisher: doc.publisher,
      date: doc.date,
      category: doc.category,
      category_name: category?.name ?? doc.category,
      validity: doc.validity,
      validity_name: validity?.name ?? doc.validity,
      excerpt: makeExcerpt(doc.text, plan),
      exact: found.exact.has(number),
      score: found.score[number] ?? 0,
      number,
    };
  }

  return { search, manifest };
}

/** Every document, score 0: an empty query (with or without filters) browses. */
function everything(m) {
  m.everything ??= { docs: Uint32Array.from({ length: m.docs }, (_, i) => i), score: new Float64Array(m.docs), exact: new Set() };
  return m.everything;
}

/**
 * Each document's index in the manifest's `bodies`, from the stored array: 0 for
 * its publisher's body, else 1 + the index (docs/search.md §3, attrs.bin).
 */
function bodiesOf(stored, publisher, publisherBodies) {
  const out = new Uint16Array(stored.length);
  for (let d = 0; d < stored.length; d++) out[d] = stored[d] === 0 ? publisherBodies[publisher[d]] : stored[d] - 1;
  return out;
}

/** Adds the look-up tables the engine needs to the manifest. */
function prepareManifest(m) {
  if (m.format !== 1) throw new Error(`search: index format ${m.format} is not supported (expected 1)`);
  const categories = m.categories ?? [];
  const byCode = new Map(categories.map((c, i) => [c.code, { ...c, index: i }]));
  // Ancestors by category index (itself first), so a document counts in its parents.
  const ancestors = categories.map((c) => {
    const chain = [];
    for (let code = c.code; code != null && chain.length <= categories.length; code = byCode.get(code)?.parent) {
      const node = byCode.get(code);
      if (!node) break;
      chain.push(node.index);
    }
    return chain;
  });
  // Each document's year, and its index in `years` (255: none).
  const yearOf = new Uint16Array(m.docs);
  const yearIndex = new Uint8Array(m.docs).fill(255);
  (m.years ?? []).forEach((y, i) => {
    yearOf.fill(y.year, y.start, y.end);
    yearIndex.fill(Math.min(i, 254), y.start, y.end);
  });
  return {
    ...m,
    categories,
    publishers: m.publishers ?? [],
    validity: m.validity ?? [],
    // Only a platform's index has bodies; a single body's has no department facet.
    bodies: m.bodies ?? [],
    publisherBodies: m.publisher_bodies ?? [],
    categoryByCode: byCode,
    validityByCode: new Map((m.validity ?? []).map((v, i) => [v.code, { ...v, index: i }])),
    ancestors,
    yearOf,
    yearIndex,
  };
}

/**
 * The active filters, each as { name, bit, attr, test(doc, attrs) }. A value
 * matches by code or by label; one that matches nothing lets no document through.
 */
function resolveFilters(m, filters) {
  const out = [];
  FACETS.forEach((name, i) => {
    const raw = filters?.[name];
    if (raw === undefined || raw === null || raw === "") return;
    const value = String(raw).trim();
    const bit = 1 << i;
    const base = { name, bit, value };
    if (name === "category") {
      const index = m.categories.findIndex((c) => c.code === value || c.name === value);
      out.push({ ...base, attr: true, test: (d, a) => index >= 0 && m.ancestors[a.category[d]]?.includes(index) });
    } else if (name === "publisher") {
      const index = m.publishers.indexOf(value);
      out.push({ ...base, attr: true, test: (d, a) => a.publisher[d] === index });
    } else if (name === "validity") {
      const index = m.validity.findIndex((v) => v.code === value || v.name === value);
      out.push({ ...base, attr: true, test: (d, a) => a.validity[d] === index });
    } else if (name === "department") {
      const index = m.bodies.findIndex((b) => (b.code ?? OWNER) === value || b.name === value);
      out.push({ ...base, attr: true, test: (d, a) => index >= 0 && a.body[d] === index });
    } else {
      const year = Number.parseInt(value, 10);
      out.push({ ...base, attr: false, test: (d) => m.yearOf[d] === year });
    }
  });
  return out;
}

/**
 * Disjunctive facet counts: each facet counts the documents that pass the query and
 * every filter but its own. `mask` holds the filters each document fails;
 * `weight(d)` is 1 for a match, 0 for none, and between for a document whose
 * quoted phrase was not checked (an estimate).
 */
function facetCounts(m, table, docs, mask, weight, active) {
  const category = new Float64Array(m.categories.length);
  const publisher = new Float64Array(m.publishers.length);
  const validity = new Float64Array(m.validity.length);
  const department = new Float64Array(m.bodies.length);
  const year = new Float64Array(256);
  const bit = Object.fromEntries(FACETS.map((name, i) => [name, 1 << i]));
  for (const d of docs) {
    const w = weight(d);
    if (!w) continue;
    const bits = mask[d];
    if (table && (bits === 0 || bits === bit.category)) for (const c of m.ancestors[table.category[d]] ?? []) category[c] += w;
    if (table && (bits === 0 || bits === bit.publisher)) publisher[table.publisher[d]] += w;
    if (table && (bits === 0 || bits === bit.validity)) validity[table.validity[d]] += w;
    if (table?.body && (bits === 0 || bits === bit.department)) department[table.body[d]] += w;
    if (bits === 0 || bits === bit.year) year[m.yearIndex[d]] += w;
  }
  const selected = Object.fromEntries(active.map((f) => [f.name, f]));
  const keep = (name, entry) => entry.count > 0 || isSelected(selected[name], entry);
  return {
    category: categoryOrder(m)
      .map((i) => ({ value: m.categories[i].code, label: m.categories[i].name, parent: m.categories[i].parent ?? null, count: Math.round(category[i]) }))
      .filter((e) => keep("category", e)),
    publisher: m.publishers
      .map((p, i) => ({ value: p, label: p, count: Math.round(publisher[i]) }))
      .filter((e) => keep("publisher", e))
      .sort((a, b) => b.count - a.count),
    year: (m.years ?? [])
      .map((y, i) => ({ value: y.year, label: String(y.year), count: Math.round(year[Math.min(i, 254)]) }))
      .filter((e) => keep("year", e))
      .sort((a, b) => b.value - a.value),
    validity: m.validity.map((v, i) => ({ value: v.code, label: v.name, count: Math.round(validity[i]) })).filter((e) => keep("validity", e)),
    department: m.bodies
      .map((b, i) => ({ value: b.code ?? OWNER, label: b.name, kind: b.kind, count: Math.round(department[i]) }))
      .filter((e) => keep("department", e)),
  };
}

function isSelected(filter, entry) {
  return !!filter && (String(entry.value) === filter.value || entry.label === filter.value);
}

/** Categories in tree order (parents before their children, siblings as listed). */
function categoryOrder(m) {
  const children = new Map();
  m.categories.forEach((c, i) => {
    const key = c.parent ?? null;
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(i);
  });
  const out = [];
  const visit = (code) => {
    for (const i of children.get(code) ?? []) {
      out.push(i);
      visit(m.categories[i].code);
    }
  };
  visit(null);
  // Categories whose parent is unknown still appear, at the end.
  m.categories.forEach((_, i) => out.includes(i) || out.push(i));
  return out;
}
