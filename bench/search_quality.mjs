#!/usr/bin/env node
// Search quality on a built site: recall and precision of the static index, through
// the real client `search/engine.js`, against the documents that contain each query
// literally, computed from the Markdown sources.
//
//   node bench/search_quality.mjs <site root> <public dir> [--json FILE] [--query Q ...]
//
// <site root> holds content/ (content/site.toml, content/docs/**/*.md, as
// ../shared/bench/gen_corpus.py writes them); <public dir> is what `gongkai build`
// wrote (public/search/engine.js, index.json, t/, d/, k/, attrs.bin). Run by
// bench/search_bench.py, or alone. Exits 1 when a query's recall is below 1, 2 on
// a usage or setup error. Node ≥ 20, no dependencies.
//
// Method (printed with the table, and in bench/RESULTS.md):
// - The reference set of a query is computed from the sources, independently of the
//   index: each document's title, doc_no, index_no, publisher, each keyword and the
//   body's plain text, each NFKC + lower-cased, each searched on its own for the
//   NFKC + lower-cased query. The body's plain text is made from the Markdown by a
//   small stripper written for gen_corpus.py's Markdown (ATX headings, ordered and
//   bullet list markers, also nested ones like "1. 2. …", GFM table rows as one line
//   per non-empty cell, blocks one per line). It is checked against the text the
//   index stores in d/*.bin for every document, and differences are reported.
// - Containment is literal, except that a query starting (ending) with a letter or
//   digit must start (end) at a word boundary there: 2019 is not in 120190, 3号 is not
//   in 13号. Where plain substring search would give more documents, the table says so.
// - Each query runs through engine.js (imported from <public dir>/search/engine.js,
//   with a fetch that reads the files of <public dir>): once as the search page asks
//   (offset 0, limit 10, facets on) for the first-page check, and once with a limit
//   above the total to get every hit. recall = |hits ∩ reference| / |reference|,
//   precision = |hits ∩ reference| / |hits| (results that hold the query's tokens but
//   not the exact text lower it; they rank after the exact ones by design).
// - Top 10: whether each of the first 10 results contains the exact query, when at
//   least 10 documents do (otherwise whether all of them come first).
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { inflateRawSync } from "node:zlib";

// ---------------------------------------------------------------- queries

// Main list: 2 to 8 characters, each found in gen_corpus.py documents (seed 1).
export const QUERIES = [
  // terms
  { q: "排污许可", kind: "term" },
  { q: "环评审批", kind: "term" },
  { q: "危险废物", kind: "term" },
  { q: "大气污染防治", kind: "term" },
  { q: "环境影响评价", kind: "term" },
  { q: "行政处罚", kind: "term" },
  { q: "监测站", kind: "term" },
  { q: "家喻户晓", kind: "term" },
  { q: "专项检查", kind: "term" },
  { q: "公开", kind: "common bigram" },
  // strings that cross a word boundary
  { q: "境局", kind: "crosses words" },
  { q: "染防", kind: "crosses words" },
  { q: "许可管", kind: "crosses words" },
  { q: "开条例", kind: "crosses words" },
  { q: "一窗口", kind: "crosses words" },
  // numbers
  { q: "12369", kind: "number" },
  { q: "2019", kind: "number" },
  { q: "1354", kind: "number" },
  { q: "0412001", kind: "number" },
  { q: "hr", kind: "Latin" },
  // numbers with a Chinese character next to them
  { q: "2019年", kind: "number + CJK" },
  { q: "第3季度", kind: "number + CJK" },
  { q: "8家", kind: "number + CJK" },
  { q: "x月x日", kind: "Latin + CJK" },
  // 文号
  { q: "〔2021〕5号", kind: "文号 part" },
  { q: "[2010]3号", kind: "文号 part" },
  { q: "3号", kind: "文号 part" },
];

// Extra queries outside the 2–8 character list: full 索引号 and 文号, half- and
// full-width forms (matched through the look-up normalization of docs/search.md §3),
// and quoted phrases (hard: only literal matches may be returned).
export const EXTRA = [
  { q: "某环发〔2019〕12号", kind: "文号, full" },
  { q: "某环发[2019]12号", kind: "文号, half-width", lookup: true },
  { q: "〔２０２１〕５号", kind: "文号 part, full-width", lookup: true },
  { q: "78169183-5-/2019-0504037", kind: "索引号, full" },
  { q: "2019-0504037", kind: "索引号 part" },
  { q: "\"排污许可\"", kind: "quoted", phrase: "排污许可" },
  { q: "\"环境影响评价\"", kind: "quoted", phrase: "环境影响评价" },
  { q: "“许可管”", kind: "quoted", phrase: "许可管" },
];

// ---------------------------------------------------------------- text

export const normalize = (s) => String(s ?? "").normalize("NFKC").toLowerCase();

const OPENING = /[(（[［〔【〖]/gu;
const CLOSING = /[)）\]］〕】〗]/gu;
/** Look-up normalization (docs/search.md §3): brackets of every kind as [ ], no whitespace. */
const lookupForm = (s) => normalize(s).replace(/\s+/gu, "").replace(OPENING, "[").replace(CLOSING, "]");

const WORD = /[\p{Alphabetic}\p{N}]/u;
const isCjk = (cp) =>
  (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff) ||
  (cp >= 0x20000 && cp <= 0x2fa1f) || (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0xac00 && cp <= 0xd7a3) ||
  cp === 0x3005 || cp === 0x3007;
const isWordChar = (ch) => ch !== undefined && !isCjk(ch.codePointAt(0)) && WORD.test(ch);

/** Whether `text` contains `phrase`: literally, with word boundaries at a word character at either end. */
export function contains(text, phrase, { boundaries = true } = {}) {
  if (!boundaries) return text.includes(phrase);
  const chars = [...phrase];
  const wordStart = isWordChar(chars[0]);
  const wordEnd = isWordChar(chars[chars.length - 1]);
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
    if (wordStart && at > 0 && isWordChar(String.fromCodePoint(text.codePointAt(at - 1 - (isLow(text, at - 1) ? 1 : 0))))) continue;
    const end = at + phrase.length;
    if (wordEnd && end < text.length && isWordChar(String.fromCodePoint(text.codePointAt(end)))) continue;
    return true;
  }
  return false;
}
const isLow = (s, i) => i >= 0 && s.charCodeAt(i) >= 0xdc00 && s.charCodeAt(i) <= 0xdfff;

/**
 * Plain text of gen_corpus.py's Markdown, as a reader sees it, one block per line:
 * headings without `#`, list items without their markers (nested ones too), table
 * rows as one line per non-empty cell (the delimiter row dropped), paragraphs as
 * they are. Inline Markdown (`**`, `[t](u)`, `` ` ``) does not occur in the corpus;
 * the comparison with d/*.bin below catches it if it ever does.
 */
export function plainText(markdown) {
  const out = [];
  for (const raw of markdown.split("\n")) {
    let line = raw.trim();
    if (!line) continue;
    if (line.startsWith("|")) {
      if (/^\|(\s*:?-+:?\s*\|)+$/.test(line)) continue;
      for (const cell of line.replace(/^\|/, "").replace(/\|$/, "").split("|")) {
        if (cell.trim()) out.push(cell.trim());
      }
      continue;
    }
    line = line.replace(/^#{1,6}\s+/, "");
    while (/^(\d{1,9}[.)]|[-*+])\s+/.test(line)) line = line.replace(/^(\d{1,9}[.)]|[-*+])\s+/, "");
    if (line) out.push(line);
  }
  return out.join("\n");
}

// ---------------------------------------------------------------- sources

/** Values of the `+++` TOML front matter as gen_corpus.py writes it: strings, dates, string arrays. */
function frontMatter(text) {
  const m = /^\+\+\+\n([\s\S]*?)\n\+\+\+\n?/.exec(text);
  if (!m) return [null, text];
  const fm = {};
  const str = (s) => JSON.parse(s.replace(/\\U([0-9a-fA-F]{8})/g, (_, h) => String.fromCodePoint(parseInt(h, 16))));
  for (const line of m[1].split("\n")) {
    const kv = /^([A-Za-z_]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    const [, key, value] = kv;
    if (value.startsWith('"')) fm[key] = str(value);
    else if (value.startsWith("[")) fm[key] = [...value.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((x) => str(`"${x[1]}"`));
    else fm[key] = value.trim();
  }
  return [fm, text.slice(m[0].length)];
}

function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.name.endsWith(".md")) yield p;
  }
}

/**
 * The source documents: URL and normalized fields. `check(url, plain)` sees each
 * body's plain text once (it is not kept: at 100,000 documents the texts take
 * hundreds of MB).
 */
function loadSources(siteRoot, baseUrl, check) {
  const docsDir = join(siteRoot, "content", "docs");
  const docs = [];
  for (const file of walk(docsDir)) {
    const [fm, body] = frontMatter(readFileSync(file, "utf8"));
    if (!fm) continue;
    const rel = relative(docsDir, file).split(sep).join("/").replace(/\.md$/, "");
    const url = `${baseUrl}docs/${rel}/`;
    const plain = plainText(body);
    check(url, plain);
    const fields = [fm.title, fm.doc_no, fm.index_no, fm.publisher, ...(fm.keywords ?? []), plain]
      .filter((x) => x !== undefined && x !== null && x !== "")
      .map(normalize);
    docs.push({ url, fields });
  }
  return docs;
}

/** Every document the index stores (d/*.bin): URL → plain text. */
function loadIndexTexts(searchDir, manifest) {
  const out = new Map();
  const chunks = Math.ceil(manifest.docs / manifest.chunk);
  for (let c = 0; c < chunks; c++) {
    const docs = JSON.parse(inflateRawSync(readFileSync(join(searchDir, "d", `${c}.bin`))).toString("utf8"));
    for (const d of docs) out.set(d.url, d.text);
  }
  return out;
}

// ---------------------------------------------------------------- engine

function fileFetch(publicDir, baseUrl) {
  return async (url) => {
    const path = decodeURIComponent(new URL(url).pathname);
    const rel = path.startsWith(baseUrl) ? path.slice(baseUrl.length) : path.replace(/^\/+/, "");
    try {
      return new Response(await readFile(join(publicDir, rel)), { status: 200 });
    } catch {
      return new Response("not found", { status: 404 });
    }
  };
}

// ---------------------------------------------------------------- main

function fmtRatio(x) {
  return x === null ? "—" : x.toFixed(2);
}

export async function run({ siteRoot, publicDir, queries, extra }) {
  const siteToml = readFileSync(join(siteRoot, "content", "site.toml"), "utf8");
  const baseUrl = (/^base_url\s*=\s*"([^"]*)"/m.exec(siteToml)?.[1] ?? "/").replace(/\/?$/, "/");
  const searchDir = join(publicDir, "search");
  const manifest = JSON.parse(readFileSync(join(searchDir, "index.json"), "utf8"));
  const t0 = performance.now();
  const notes = [];

  // The plain text the index holds against the stripper's, document by document.
  const indexTexts = loadIndexTexts(searchDir, manifest);
  const indexedCount = indexTexts.size;
  let textDiffs = 0;
  let unindexed = 0;
  const diffExamples = [];
  const sources = loadSources(siteRoot, baseUrl, (url, plain) => {
    if (!indexTexts.has(url)) {
      unindexed++;
      return;
    }
    const text = indexTexts.get(url);
    indexTexts.delete(url);
    if (plain !== text) {
      textDiffs++;
      if (diffExamples.length < 3) {
        let i = 0;
        while (i < plain.length && plain[i] === text[i]) i++;
        diffExamples.push(`${url} at ${i}: sources ${JSON.stringify(plain.slice(Math.max(0, i - 10), i + 30))} vs index ${JSON.stringify(text.slice(Math.max(0, i - 10), i + 30))}`);
      }
    }
  });
  const missing = indexTexts.size;
  indexTexts.clear();
  if (manifest.docs !== sources.length) notes.push(`the index has ${manifest.docs} documents, the sources ${sources.length}`);
  if (missing) notes.push(`${missing} indexed documents have no source under content/docs/ (by URL)`);
  if (unindexed) notes.push(`${unindexed} source documents are not in the index (by URL)`);
  notes.push(textDiffs
    ? `plain text of the body differs between the stripper and the index for ${textDiffs} of ${indexedCount} documents, e.g. ${diffExamples.join("; ")}`
    : `the body's plain text from the stripper equals the text stored in d/*.bin for all ${indexedCount} documents`);

  const { createSearch } = await import(pathToFileURL(resolve(searchDir, "engine.js")).href);
  const engine = createSearch({ base: `http://bench.invalid${baseUrl}search/`, fetch: fileFetch(publicDir, baseUrl) });
  const rows = [];
  for (const item of [...queries.map((x) => ({ ...x, main: true })), ...extra.map((x) => ({ ...x, main: false }))]) {
    const phrase = normalize(item.phrase ?? item.q);
    const test = item.lookup
      ? (d) => d.fields.some((f) => contains(lookupForm(f), lookupForm(item.q)))
      : (d) => d.fields.some((f) => contains(f, phrase));
    const reference = new Set(sources.filter(test).map((d) => d.url));
    const substring = item.lookup ? reference.size : sources.filter((d) => d.fields.some((f) => f.includes(phrase))).length;
    const q0 = performance.now();
    const first = await engine.search(item.q, { offset: 0, limit: 10 });
    const all = first.total > first.hits.length
      ? await engine.search(item.q, { offset: 0, limit: first.total + 10, facets: false })
      : first;
    const ms = performance.now() - q0;
    const hits = all.hits.map((h) => h.url);
    const found = hits.filter((u) => reference.has(u)).length;
    const recall = reference.size ? found / reference.size : null;
    const precision = hits.length ? found / hits.length : null;
    const top = first.hits.slice(0, 10).map((h) => reference.has(h.url));
    let top10;
    if (reference.size >= 10) top10 = { ok: top.length === 10 && top.every(Boolean), text: `${top.filter(Boolean).length}/10` };
    else {
      const lead = top.slice(0, reference.size).filter(Boolean).length;
      top10 = { ok: lead === reference.size, text: `${lead}/${reference.size} first` };
    }
    const hitSet = new Set(hits);
    const missed = [...reference].filter((u) => !hitSet.has(u));
    rows.push({
      query: item.q,
      kind: item.kind,
      main: item.main,
      chars: [...item.q].length,
      expected: reference.size,
      substring,
      total: all.total,
      hits: hits.length,
      found,
      recall,
      precision,
      top10: top10.text,
      top10_ok: top10.ok,
      approximate: Boolean(first.approximate || all.approximate),
      exact_hits: first.hits.filter((h) => h.exact).length,
      missed_examples: missed.slice(0, 3),
      ms,
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  return { docs: manifest.docs, sources: sources.length, textDiffs, notes, rows, seconds, baseUrl };
}

export function table(rows) {
  const lines = [
    "| Query | Kind | Chars | Reference docs | Results (total) | Recall | Precision | First 10 contain it | Notes |",
    "|---|---|---:|---:|---:|---:|---:|---|---|",
  ];
  for (const r of rows) {
    const notes = [];
    if (r.substring !== r.expected) notes.push(`${r.substring} by plain substring`);
    if (r.approximate) notes.push("engine says approximate");
    if (r.exact_hits) notes.push(`${r.exact_hits} exact look-up hit(s) on page 1`);
    if (r.total !== r.hits) notes.push(`total ${r.total} ≠ ${r.hits} hits listed`);
    if (r.recall !== null && r.recall < 1) notes.push(`missed e.g. ${r.missed_examples.map((u) => "`" + u + "`").join(", ")}`);
    const recall = r.recall === null ? "—" : r.recall < 1 ? `**${fmtRatio(r.recall)}**` : fmtRatio(r.recall);
    const top = r.top10_ok ? `yes (${r.top10})` : `**no** (${r.top10})`;
    lines.push(`| \`${r.query}\` | ${r.kind} | ${r.chars} | ${r.expected.toLocaleString("en")} | ${r.total.toLocaleString("en")} | ${recall} | ${fmtRatio(r.precision)} | ${top} | ${notes.join("; ")} |`);
  }
  return lines.join("\n");
}

async function main() {
  const args = process.argv.slice(2);
  let json = null;
  const only = [];
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--json") json = args[++i];
    else if (args[i] === "--query") only.push(args[++i]);
    else positional.push(args[i]);
  }
  if (positional.length !== 2) {
    console.error("usage: node bench/search_quality.mjs <site root> <public dir> [--json FILE] [--query Q ...]");
    process.exit(2);
  }
  const [siteRoot, publicDir] = positional;
  const queries = only.length ? only.map((q) => ({ q, kind: "given" })) : QUERIES;
  const extra = only.length ? [] : EXTRA;
  const result = await run({ siteRoot, publicDir, queries, extra });
  console.log(`${result.docs.toLocaleString("en")} documents in the index, ${result.sources.toLocaleString("en")} sources; ${result.seconds.toFixed(1)} s`);
  for (const n of result.notes) console.log(`- ${n}`);
  console.log("\nMain list (2–8 characters):\n");
  console.log(table(result.rows.filter((r) => r.main)));
  if (result.rows.some((r) => !r.main)) {
    console.log("\nExtra (full 索引号 / 文号, other bracket widths, quoted phrases):\n");
    console.log(table(result.rows.filter((r) => !r.main)));
  }
  result.table_main = table(result.rows.filter((r) => r.main));
  result.table_extra = result.rows.some((r) => !r.main) ? table(result.rows.filter((r) => !r.main)) : "";
  if (json) writeFileSync(json, JSON.stringify(result, null, 1));
  const failed = result.rows.filter((r) => r.recall !== null && r.recall < 1);
  if (failed.length) {
    console.log(`\nrecall below 1 for ${failed.length} quer${failed.length === 1 ? "y" : "ies"}: ${failed.map((r) => r.query).join(", ")}`);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e);
    process.exit(2);
  });
}
