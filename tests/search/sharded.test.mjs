// A bigger site, so that the index has several token shards and phrase checks meet
// their budget: the fixture plus generated documents of random text, some of them
// with 空气质量监测 exactly and some with its bigrams scattered.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { buildFixture, containsPhrase, fieldsText, fileFetch, loadEngine, readFixture } from "./fixture.mjs";

const { createSearch, normalize, tokenize, fnv1a32 } = await loadEngine();
const GENERATED = 480;
const PHRASE = "空气质量监测";

/** Deterministic pseudo-random numbers (a 32-bit LCG), so every run builds the same site. */
function random(seed) {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

/** Random text from U+4E00–U+55FF, which holds none of the fixture's query characters. */
function noise(next, length) {
  let out = "";
  for (let i = 0; i < length; i++) out += i % 17 === 16 ? "，" : String.fromCodePoint(0x4e00 + next(0x800));
  return out;
}

function generate(root) {
  const next = random(2024);
  const dir = join(root, "content", "docs", "gen");
  mkdirSync(dir, { recursive: true });
  const leaves = ["gfxwj", "qtwj", "xzxk", "xzcf", "kqzl", "szzl"];
  const publishers = ["某市生态环境局", "某市环境监测站", "某市生态环境局东区分局"];
  for (let i = 0; i < GENERATED; i++) {
    const month = String(1 + (i % 12)).padStart(2, "0");
    const day = String(1 + (i % 28)).padStart(2, "0");
    const year = 2019 + (i % 3);
    const kind = i % 5; // 0, 1: the phrase; 2: its bigrams scattered; else neither
    const parts = [noise(next, 120)];
    if (kind < 2) parts.push(PHRASE);
    if (kind === 2) parts.push("空气", noise(next, 5), "气质", noise(next, 5), "质量", noise(next, 5), "量监", noise(next, 5), "监测");
    parts.push(noise(next, 120));
    const front = [
      `title = "${noise(next, 12).replace(/，/g, "")}"`,
      `index_no = "11111111-1-/${year}-${String(i).padStart(7, "0")}"`,
      `publisher = "${publishers[i % 3]}"`,
      `category = "${leaves[next(leaves.length)]}"`,
      `date = ${year}-${month}-${day}`,
    ];
    writeFileSync(join(dir, `g${i}.md`), `+++\n${front.join("\n")}\n+++\n\n${parts.join("")}\n`);
  }
}

let built;
let docs;
let manifest;
before(async () => {
  built = buildFixture({ prepare: generate });
  docs = readFixture(built.root).docs;
  manifest = await createSearch({ base: "/search/", fetch: fileFetch(built.output, "/").fetch }).manifest();
});
after(() => built?.cleanup());

const containing = (phrase) => docs.filter((d) => containsPhrase(normalize(fieldsText(d)), normalize(phrase))).map((d) => d.index_no).sort();

test("the generated site has several token shards", () => {
  assert.equal(manifest.docs, docs.length);
  assert.ok(manifest.shards >= 3, `${manifest.shards} shards`);
});

for (const query of ["排污许可", "境局", "噪声污染", "12369", PHRASE]) {
  test(`“${query}” fetches only the shards of its tokens`, async (t) => {
    const net = fileFetch(built.output, "/");
    const engine = createSearch({ base: "/search/", fetch: net.fetch });
    await engine.manifest();
    net.reset();
    const result = await engine.search(query, { limit: 10, facets: false });
    const shards = new Set(tokenize(query).map((tok) => `/search/t/${fnv1a32(tok) % manifest.shards}.bin`));
    assert.deepEqual(new Set(net.paths().filter((p) => /\/t\/\d+\.bin$/.test(p))), shards);
    assert.ok(result.total >= containing(query).length);
    t.diagnostic(`${net.bytes()} bytes in ${net.log.length} requests (index.json cached), ${result.total} results`);
  });
}

test("the first page of a common phrase holds only documents with the exact phrase", async (t) => {
  const net = fileFetch(built.output, "/");
  const engine = createSearch({ base: "/search/", fetch: net.fetch });
  const exact = containing(PHRASE);
  assert.ok(exact.length >= 10);
  const result = await engine.search(PHRASE, { limit: 10 });
  for (const hit of result.hits) assert.ok(exact.includes(hit.index_no), hit.title);
  assert.ok(result.total > exact.length, "the scattered ones are results too");
  t.diagnostic(`first query with facets: ${net.bytes()} bytes in ${net.log.length} requests`);
});

test("a quoted common phrase: exact when checked through, estimated beyond the budget", async (t) => {
  const exact = containing(PHRASE);
  const engine = createSearch({ base: "/search/", fetch: fileFetch(built.output, "/").fetch, maxVerifyChunks: 5 });
  const first = await engine.search(`"${PHRASE}"`, { limit: 10 });
  assert.equal(first.approximate, true);
  assert.equal(first.hits.length, 10);
  for (const hit of first.hits) assert.ok(exact.includes(hit.index_no));
  assert.ok(first.total > exact.length / 2 && first.total < exact.length * 2, `estimate ${first.total} of ${exact.length}`);
  const years = first.facets.year.reduce((sum, y) => sum + y.count, 0);
  assert.ok(Math.abs(years - first.total) <= first.facets.year.length, "facet counts are estimated alike");
  t.diagnostic(`estimated ${first.total}, true ${exact.length}`);

  // Pages from a fresh engine agree with one long page; all of them make it exact.
  const fresh = createSearch({ base: "/search/", fetch: fileFetch(built.output, "/").fetch, maxVerifyChunks: 5 });
  const pages = [];
  for (let offset = 0; offset < 40; offset += 4) pages.push(...(await fresh.search(`"${PHRASE}"`, { offset, limit: 4 })).hits);
  const long = await engine.search(`"${PHRASE}"`, { limit: 40 });
  assert.deepEqual(pages.map((h) => h.index_no), long.hits.map((h) => h.index_no));
  const all = await engine.search(`"${PHRASE}"`, { limit: 1000 });
  assert.equal(all.approximate, false);
  assert.deepEqual(all.hits.map((h) => h.index_no).sort(), exact);
  assert.equal(all.total, exact.length);
});

test("soft phrase pages agree with one long page, also past the check budget", async () => {
  const engine = createSearch({ base: "/search/", fetch: fileFetch(built.output, "/").fetch, maxVerifyChunks: 6 });
  const whole = await engine.search(PHRASE, { limit: 1000 });
  const fresh = createSearch({ base: "/search/", fetch: fileFetch(built.output, "/").fetch, maxVerifyChunks: 6 });
  const pages = [];
  for (let offset = 0; offset < whole.total; offset += 7) pages.push(...(await fresh.search(PHRASE, { offset, limit: 7 })).hits);
  assert.deepEqual(pages.map((h) => h.index_no), whole.hits.map((h) => h.index_no));
  assert.equal(new Set(pages.map((h) => h.index_no)).size, whole.total);
});
