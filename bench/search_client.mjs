#!/usr/bin/env node
// The search page in a real headless Chromium: bytes fetched from search/ and time
// to results for a first query on a cold cache.
//
//   node bench/search_client.mjs <site URL> [--runs N] [--json FILE] [--query Q ...]
//
// <site URL> is where a built site is served, e.g. http://127.0.0.1:8000/ (its
// base_url included); bench/search_bench.py serves the public folder with Python's
// http.server and runs this script. Alone:
//
//   python3 -m http.server --bind 127.0.0.1 --directory <public dir> 8000 &
//   node bench/search_client.mjs http://127.0.0.1:8000/
//
// Debian's /usr/bin/chromium (CHROMIUM=… overrides) driven by playwright-core from
// the repository's node_modules, launched headless with --no-sandbox --disable-gpu
// --no-first-run --disable-background-networking --disable-component-update
// --disable-sync (playwright adds --headless and a fresh temporary profile). Every
// measurement uses a new browser context, whose HTTP cache is empty (cold), in two ways:
//
// - navigate: open <site>/search/?q=<query> (a shared or bookmarked search); the time
//   is from the navigation's start to the first result (`#search-hits li`) in the
//   DOM, read in the page with a MutationObserver (performance.now(), whose origin is
//   the navigation start).
// - submit: open <site>/search/, wait until the network is idle, type the query into
//   `#search-q` and submit `#search-form` (requestSubmit); the time is from the
//   submit to the first result in the DOM.
//
// Bytes come from the Resource Timing API: transferSize (headers + body as they
// came over the wire) and encodedBodySize of every request whose path is under
// <site>/search/, the page itself included (navigate), or made after the submit
// (submit), until the network has been idle for 500 ms after the results showed.
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(repo, "package.json"));
const { chromium } = require("playwright-core");

export const QUERIES = [
  { q: "排污许可", kind: "term (first query)" },
  { q: "环境影响评价", kind: "term" },
  { q: "境局", kind: "crosses words" },
  { q: "公开", kind: "common bigram" },
  { q: "2019年", kind: "number + CJK" },
  { q: "〔2021〕5号", kind: "文号 part" },
  { q: "某环发〔2019〕12号", kind: "文号" },
  { q: "2019-0504037", kind: "索引号 part" },
  { q: "78169183-5-/2019-0504037", kind: "索引号" },
];

export const FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync"];

const INIT = () => {
  performance.setResourceTimingBufferSize(100000);
  window.__bench = { shown: null, status: null, hits: 0 };
  const check = () => {
    const li = document.querySelector("#search-hits li");
    if (li && window.__bench.shown === null) {
      window.__bench.shown = performance.now();
      window.__bench.status = document.getElementById("search-status")?.textContent ?? null;
      window.__bench.hits = document.querySelectorAll("#search-hits li").length;
      window.__bench.first = li.querySelector("a")?.textContent ?? null;
    }
    const status = document.getElementById("search-status")?.textContent ?? "";
    if (window.__bench.shown === null && /没有找到|无法使用/.test(status)) {
      window.__bench.shown = performance.now();
      window.__bench.status = status;
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
};

function summarize(entries, searchPrefix, since = -1) {
  const mine = entries.filter((e) => e.name.startsWith(searchPrefix) && e.startTime >= since);
  const by = (pred) => mine.filter(pred).reduce((a, e) => ({ transfer: a.transfer + e.transferSize, encoded: a.encoded + e.encodedBodySize, n: a.n + 1 }), { transfer: 0, encoded: 0, n: 0 });
  const path = (e) => new URL(e.name).pathname.slice(new URL(searchPrefix).pathname.length);
  const index = by((e) => /\.(bin|json)$/.test(path(e)));
  const engine = by((e) => path(e) === "engine.js");
  const all = by(() => true);
  const files = mine.map((e) => ({ path: path(e), transfer: e.transferSize, encoded: e.encodedBodySize, start: e.startTime, end: e.responseEnd }));
  return { index, engine, all, files };
}

async function measure(browser, site, query, mode) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(INIT);
    const searchUrl = new URL("search/", site).href;
    let t0 = 0;
    if (mode === "navigate") {
      await page.goto(`${searchUrl}?q=${encodeURIComponent(query)}`, { waitUntil: "commit" });
    } else {
      await page.goto(searchUrl, { waitUntil: "load" });
      await page.waitForLoadState("networkidle");
      t0 = await page.evaluate((q) => {
        document.getElementById("search-q").value = q;
        const t = performance.now();
        document.getElementById("search-form").requestSubmit();
        return t;
      }, query);
    }
    await page.waitForFunction(() => window.__bench?.shown !== null, null, { timeout: 120000, polling: 50 });
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(500);
    const { bench, entries, nav } = await page.evaluate(() => ({
      bench: window.__bench,
      entries: performance.getEntriesByType("resource").map((e) => ({ name: e.name, startTime: e.startTime, responseEnd: e.responseEnd, transferSize: e.transferSize, encodedBodySize: e.encodedBodySize })),
      nav: performance.getEntriesByType("navigation").map((e) => ({ name: e.name, startTime: 0, responseEnd: e.responseEnd, transferSize: e.transferSize, encodedBodySize: e.encodedBodySize })),
    }));
    const all = mode === "navigate" ? nav.concat(entries) : entries;
    const bytes = summarize(all, searchUrl, mode === "navigate" ? -1 : t0);
    return { query, mode, ms: bench.shown - t0, status: bench.status, hits: bench.hits, first: bench.first, ...bytes };
  } finally {
    await context.close();
  }
}

export async function run({ site, queries, runs }) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true, args: FLAGS });
  const version = browser.version();
  const results = [];
  try {
    // One warm-up page load (not recorded): the first launch of a browser process pays
    // for its own start-up (fonts, caches of the binary), which no visitor's query does.
    await measure(browser, site, queries[0].q, "navigate");
    for (const { q, kind } of queries) {
      for (const mode of ["navigate", "submit"]) {
        const list = [];
        for (let i = 0; i < runs; i++) list.push(await measure(browser, site, q, mode));
        const ms = list.map((r) => r.ms).sort((a, b) => a - b);
        results.push({ query: q, kind, mode, runs: list, median_ms: ms[Math.floor(ms.length / 2)], min_ms: ms[0], max_ms: ms[ms.length - 1] });
        const r = list[list.length - 1];
        console.log(`${mode.padEnd(8)} ${q}: ${list.map((x) => x.ms.toFixed(0)).join(", ")} ms; search/ ${r.all.n} requests ${(r.all.transfer / 1024).toFixed(1)} KB (index ${(r.index.transfer / 1024).toFixed(1)} KB in ${r.index.n}, engine.js ${(r.engine.transfer / 1024).toFixed(1)} KB); ${r.hits} hits shown; ${r.status}`);
      }
    }
  } finally {
    await browser.close();
  }
  return { chromium: version, results };
}

async function main() {
  const args = process.argv.slice(2);
  let json = null;
  let runs = 3;
  const only = [];
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--json") json = args[++i];
    else if (args[i] === "--runs") runs = Number(args[++i]);
    else if (args[i] === "--query") only.push(args[++i]);
    else positional.push(args[i]);
  }
  if (positional.length !== 1 || !(runs >= 1)) {
    console.error("usage: node bench/search_client.mjs <site URL> [--runs N] [--json FILE] [--query Q ...]");
    process.exit(2);
  }
  const site = positional[0].replace(/\/?$/, "/");
  const queries = only.length ? only.map((q) => ({ q, kind: "given" })) : QUERIES;
  const result = await run({ site, queries, runs });
  console.log(`Chromium ${result.chromium}`);
  if (json) writeFileSync(json, JSON.stringify(result, null, 1));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e);
    process.exit(2);
  });
}
