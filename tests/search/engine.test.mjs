// engine.js against the index gongkai builds from tests/fixtures/search: matching,
// phrase ranking, exact look-ups, filters and facet counts, excerpts, paging, and
// what it fetches. Expectations come from the fixture's sources where practical.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { buildFixture, containsPhrase, facetModel, fieldsText, fileFetch, loadEngine, readFixture, withTokens as withTokensOf } from "./fixture.mjs";

const { createSearch, normalize, tokenize, fnv1a32 } = await loadEngine();
const fixture = readFixture();
const byIndexNo = new Map(fixture.docs.map((d) => [d.index_no, d]));

let built;
before(() => (built = buildFixture()));
after(() => built?.cleanup());

/** A fresh engine (empty caches) over the built site, with its request log. */
function fresh(options = {}) {
  const net = fileFetch(built.output, "/");
  return { net, engine: createSearch({ base: "/search/", fetch: net.fetch, ...options }) };
}

const all = { offset: 0, limit: 1000 };
const ids = (hits) => hits.map((h) => h.index_no);
const sorted = (list) => [...list].sort();
const normText = (d) => normalize(fieldsText(d));
/** Fixture documents whose normalized fields contain `phrase` literally. */
const containing = (phrase) => fixture.docs.filter((d) => containsPhrase(normText(d), normalize(phrase))).map((d) => d.index_no);
/** Fixture documents that have every token of `query` somewhere in their fields. */
const withTokens = (query) => withTokensOf(fixture.docs, tokenize, query).map((d) => d.index_no);
/** Newest first, then 索引号: the document numbering of docs/search.md §2. */
const numberOrder = (a, b) => byIndexNo.get(b).date.localeCompare(byIndexNo.get(a).date) || a.localeCompare(b);

describe("matching", () => {
  test("every token is required (AND), and every document with all of them is found", async () => {
    const { engine } = fresh();
    for (const query of ["排污 行政处罚", "监测 空气", "12369 举报", "许可 2024"]) {
      const result = await engine.search(query, all);
      assert.deepEqual(sorted(ids(result.hits)), sorted(withTokens(query)), query);
      assert.equal(result.total, result.hits.length, query);
    }
  });

  test("an empty query lists every document, newest first; punctuation alone finds nothing", async () => {
    const { engine } = fresh();
    const everything = await engine.search("  ", all);
    assert.equal(everything.total, fixture.docs.length);
    assert.deepEqual(ids(everything.hits), fixture.docs.map((d) => d.index_no).sort(numberOrder));
    assert.equal((await engine.search("，。", all)).total, 0);
  });

  test("a token the index lacks means no match", async () => {
    const { engine } = fresh();
    const result = await engine.search("排污 龘龘", all);
    assert.equal(result.total, 0);
    assert.deepEqual(result.hits, []);
  });

  test("a word found only inside a longer phrase (境局 in 生态环境局) is found, and only there", async () => {
    const { engine } = fresh();
    const expected = containing("境局");
    assert.ok(expected.length > 5 && expected.length < fixture.docs.length, "the fixture has documents with and without 境局");
    const result = await engine.search("境局", all);
    assert.deepEqual(sorted(ids(result.hits)), sorted(expected));
    assert.equal(result.total, expected.length);
  });

  test("Latin and digits: PM2.5 in half- and full-width, 12369", async () => {
    const { engine } = fresh();
    for (const query of ["PM2.5", "ＰＭ２．５", "pm2.5", "12369"]) {
      const result = await engine.search(query, all);
      assert.deepEqual(sorted(ids(result.hits)), sorted(containing(query)), query);
    }
    assert.equal(containing("pm2.5").length, 2, "the fixture has PM2.5 once in each width");
  });
});

describe("phrases and ranking", () => {
  const phrase = "排污许可";

  test("documents with the exact phrase rank before those with its bigrams scattered", async () => {
    const { engine } = fresh();
    const exact = containing(phrase);
    const scattered = withTokens(phrase).filter((id) => !exact.includes(id));
    assert.ok(exact.length >= 3 && scattered.length >= 2, "the fixture has both kinds");
    const result = await engine.search(phrase, all);
    const got = ids(result.hits);
    assert.equal(result.total, exact.length + scattered.length);
    assert.deepEqual(sorted(got.slice(0, exact.length)), sorted(exact), "exact ones first");
    assert.deepEqual(sorted(got.slice(exact.length)), sorted(scattered), "scattered ones after");
    // The test means something only when a scattered document outscores an exact one.
    const score = new Map(result.hits.map((h) => [h.index_no, h.score]));
    const best = Math.max(...scattered.map((id) => score.get(id)));
    assert.ok(exact.some((id) => score.get(id) < best), "a scattered document has a higher score than an exact one");
    // Within each group: score descending.
    for (const group of [result.hits.slice(0, exact.length), result.hits.slice(exact.length)]) {
      for (let i = 1; i < group.length; i++) assert.ok(group[i - 1].score >= group[i].score);
    }
  });

  test("a quoted phrase excludes the scattered documents", async () => {
    for (const query of [`"${phrase}"`, `“${phrase}”`, `「${phrase}」`]) {
      const { engine } = fresh();
      const result = await engine.search(query, all);
      assert.deepEqual(sorted(ids(result.hits)), sorted(containing(phrase)), query);
      assert.equal(result.total, containing(phrase).length);
      assert.equal(result.approximate, false);
    }
  });

  test("a quoted phrase: checked within the budget and as far as the page needs, estimated beyond", async () => {
    const expected = containing(phrase);
    const { engine } = fresh({ maxVerifyChunks: 1 });
    const first = await engine.search(`"${phrase}"`, { limit: 1 });
    assert.equal(first.approximate, true);
    assert.equal(first.hits.length, 1);
    assert.ok(expected.includes(first.hits[0].index_no));
    assert.ok(first.total >= 1 && first.total <= withTokens(phrase).length, "an estimate among the candidates");
    // Asking for more checks on; asking for everything makes it exact.
    const whole = await engine.search(`"${phrase}"`, { limit: 1000 });
    assert.equal(whole.approximate, false);
    assert.deepEqual(sorted(ids(whole.hits)), sorted(expected));
    assert.equal(whole.total, expected.length);
  });

  test("a hit in the title outranks a hit in the body", async () => {
    const { engine } = fresh();
    const query = "噪声污染";
    const inTitle = fixture.docs.filter((d) => d.title.includes(query)).map((d) => d.index_no);
    const inBody = fixture.docs.filter((d) => !d.title.includes(query) && d.body.includes(query)).map((d) => d.index_no);
    assert.ok(inTitle.length && inBody.length);
    const got = ids((await engine.search(query, all)).hits);
    assert.deepEqual(sorted(got.slice(0, inTitle.length)), sorted(inTitle));
    assert.ok(inBody.every((id) => got.includes(id)));
  });

  test("sort by date lists newest first, then by 索引号", async () => {
    const { engine } = fresh();
    const query = "污染";
    const result = await engine.search(query, { ...all, sort: "date" });
    assert.deepEqual(ids(result.hits), withTokens(query).sort(numberOrder));
    const dates = result.hits.map((h) => h.date);
    assert.deepEqual(dates, [...dates].sort().reverse());
  });

  test("offset and limit page through one order, total stays the same", async () => {
    const { engine } = fresh();
    for (const [query, sort] of [["境局", "relevance"], ["排污许可", "relevance"], ["境局", "date"]]) {
      const whole = await engine.search(query, { ...all, sort });
      const pages = [];
      for (let offset = 0; offset < whole.total + 3; offset += 3) {
        const page = await engine.search(query, { offset, limit: 3, sort });
        assert.equal(page.total, whole.total);
        assert.ok(page.hits.length <= 3);
        pages.push(...ids(page.hits));
      }
      assert.deepEqual(pages, ids(whole.hits), `${query} ${sort}`);
    }
    // Paging from a fresh engine (nothing checked yet) gives the same pages.
    const first = ids((await fresh().engine.search("排污许可", { offset: 3, limit: 3 })).hits);
    assert.deepEqual(first, ids((await engine.search("排污许可", all)).hits).slice(3, 6));
  });
});

describe("exact look-up by 索引号 and 文号", () => {
  const policy = fixture.docs.find((d) => d.doc_no === "某环发〔2024〕3号");
  const sameNumber = fixture.docs.filter((d) => d.doc_no && normalize(d.doc_no).replace(/〔/g, "[").replace(/〕/g, "]").endsWith("[2024]3号"));

  test("the fixture has what these tests need", () => {
    assert.ok(policy);
    assert.equal(sameNumber.length, 2, "two 文号 end in 〔2024〕3号");
    assert.ok(fixture.docs.some((d) => d.doc_no === "某环发〔2024〕13号"), "and one in 〔2024〕13号");
  });

  test("a whole 文号 or 索引号, in any width or bracket, leads straight to its document", async () => {
    const { engine } = fresh();
    const queries = [
      policy.doc_no,
      "某环发[2024]3号",
      "某环发〔２０２４〕３号",
      "某环发［2024］3号",
      "某环发（2024）3号",
      " 某环发 〔2024〕 3号 ",
      policy.index_no,
      "１１１１１１１１－１－／２０２４－０３０１００１",
      policy.index_no.split("/").pop(),
    ];
    for (const query of queries) {
      const result = await engine.search(query, { limit: 5 });
      assert.equal(result.hits[0]?.index_no, policy.index_no, query);
      assert.equal(result.hits[0].exact, true, query);
      assert.deepEqual(result.hits.filter((h) => h.exact).length, 1, query);
    }
  });

  test("the distinctive part of a 文号 lists the few documents that have it", async () => {
    const { engine } = fresh();
    for (const query of ["〔2024〕3号", "[2024]3号", "（２０２４）３号", "【2024】3号"]) {
      const result = await engine.search(query, { limit: 10 });
      const exact = result.hits.filter((h) => h.exact);
      assert.deepEqual(sorted(ids(exact)), sorted(sameNumber.map((d) => d.index_no)), query);
      assert.deepEqual(ids(result.hits.slice(0, exact.length)), ids(exact), "look-up hits come first");
    }
    const thirteen = await engine.search("〔2024〕13号", { limit: 10 });
    assert.deepEqual(ids(thirteen.hits.filter((h) => h.exact)), [fixture.docs.find((d) => d.doc_no === "某环发〔2024〕13号").index_no]);
  });

  test("quotes around a 文号 still look it up", async () => {
    const { engine } = fresh();
    const result = await engine.search(`"${policy.doc_no}"`, { limit: 5 });
    assert.equal(result.hits[0].index_no, policy.index_no);
    assert.equal(result.hits[0].exact, true);
  });
});

describe("filters and facets", () => {
  const { yearOf, passes, assertFacets } = facetModel(fixture);

  const cases = [
    ["排污", {}],
    ["排污", { category: "zcwj" }],
    ["排污", { category: "行政执法" }],
    ["排污", { category: "xzxk" }],
    ["境局", { publisher: "某市生态环境局" }],
    ["境局", { year: "2023" }],
    ["境局", { year: 2024, category: "zcwj" }],
    ["境局", { validity: "repealed" }],
    ["境局", { validity: "已失效" }],
    ["境局", { validity: "amended" }],
    ["", { validity: "已修改" }],
    ["污染", { category: "hjzl", year: 2023 }],
    ["污染", { publisher: "某市环境监测站", validity: "effective", year: 2022 }],
    ["", { category: "xzzf" }],
    ["", {}],
  ];

  for (const [query, filters] of cases) {
    test(`“${query}” with ${JSON.stringify(filters)}: results narrowed, facet counts disjunctive`, async () => {
      const { engine } = fresh();
      const matching = query ? withTokens(query).map((id) => byIndexNo.get(id)) : fixture.docs;
      const result = await engine.search(query, { filters, ...all });
      const expected = matching.filter((d) => passes(d, filters)).map((d) => d.index_no);
      assert.deepEqual(sorted(ids(result.hits)), sorted(expected));
      assert.equal(result.total, expected.length);
      assertFacets(result.facets, matching, filters, `${query} ${JSON.stringify(filters)}`);
    });
  }

  test("the fixture covers parents, publishers, years and validity", () => {
    const parents = fixture.categories.filter((c) => fixture.categories.filter((x) => x.parent === c.code).length >= 2);
    assert.ok(parents.length >= 2, "two parents with two children each");
    assert.ok(new Set(fixture.docs.map((d) => d.publisher)).size >= 3);
    assert.ok(new Set(fixture.docs.map(yearOf)).size >= 3);
    assert.ok(fixture.docs.some((d) => d.validity === "repealed") && fixture.docs.some((d) => d.validity === "expired"));
    assert.ok(fixture.docs.some((d) => d.validity === "amended"));
  });

  test("facet entries carry labels and the category tree", async () => {
    const { engine } = fresh();
    const { facets } = await engine.search("境局", { filters: { category: "xzxk" } });
    const child = facets.category.find((c) => c.value === "xzxk");
    assert.deepEqual(child, { value: "xzxk", label: "行政许可", parent: "xzzf", count: child.count });
    const parentAt = facets.category.findIndex((c) => c.value === "xzzf");
    assert.ok(parentAt >= 0 && parentAt < facets.category.indexOf(child), "parents come before their children");
    assert.ok(facets.validity.some((v) => v.value === "effective" && v.label === "有效"));
    assert.deepEqual(facets.year.map((y) => y.value), [...facets.year.map((y) => y.value)].sort().reverse());
    assert.ok(facets.year.every((y) => y.label === String(y.value)));
  });

  test("a filter value nothing has gives no results", async () => {
    const { engine } = fresh();
    assert.equal((await engine.search("境局", { filters: { category: "nope" } })).total, 0);
    assert.equal((await engine.search("境局", { filters: { year: 1999 } })).total, 0);
  });

  test("hits carry the document's metadata", async () => {
    const { engine } = fresh();
    const { hits } = await engine.search("某环发〔2022〕8号", { limit: 1 });
    const d = fixture.docs.find((d) => d.doc_no === "某环发〔2022〕8号");
    const { url, title, index_no, doc_no, publisher, date, category, validity, category_name, validity_name } = hits[0];
    assert.deepEqual(
      { title, index_no, doc_no, publisher, date, category, validity, category_name, validity_name },
      { title: d.title, index_no: d.index_no, doc_no: d.doc_no, publisher: d.publisher, date: d.date, category: d.category, validity: "repealed", category_name: "行政规范性文件", validity_name: "已废止" },
    );
    assert.match(url, /^\/docs\/.+\/$/);
  });

  test("an amended (已修改) document is found by the validity filter, by code or label, and its hit says 已修改", async () => {
    const { engine } = fresh();
    const amended = fixture.docs.filter((d) => d.validity === "amended").map((d) => d.index_no);
    for (const validity of ["amended", "已修改"]) {
      const { hits, facets } = await engine.search("", { filters: { validity }, limit: 100 });
      assert.deepEqual(sorted(ids(hits)), sorted(amended));
      assert.deepEqual(facets.validity.find((v) => v.value === "amended"), { value: "amended", label: "已修改", count: amended.length });
      assert.ok(hits.every((h) => h.validity === "amended" && h.validity_name === "已修改"));
    }
  });
});

describe("excerpts", () => {
  const text = (html) => html.replace(/<\/?mark>/g, "").replace(/&(lt|gt|amp|quot|#39);/g, "x");

  test("matches are marked and the rest escaped, <script> included", async () => {
    const { engine } = fresh();
    const { hits } = await engine.search("跨站脚本", { limit: 1 });
    const { excerpt } = hits[0];
    assert.match(excerpt, /<mark>跨站脚本<\/mark>/);
    assert.match(excerpt, /&lt;script&gt;alert\(&quot;<mark>/);
    assert.doesNotMatch(excerpt.replace(/<\/?mark>/g, ""), /[<>"']/);
    assert.doesNotMatch(excerpt, /&(?!(lt|gt|amp|quot|#39);)/, "every & starts an entity");
    const second = (await engine.search("转义", { limit: 1 })).hits[0].excerpt;
    assert.match(second, /A&amp;B/);
    assert.match(second, /&#39;单引号&#39;/);
    assert.match(second, /&quot;双引号&quot;/);
    assert.match(second, /<mark>转义<\/mark>/);
  });

  test("every match of the query's phrases and tokens is marked; scattered tokens each", async () => {
    const { engine } = fresh();
    const { hits } = await engine.search("排污许可", all);
    for (const hit of hits) {
      const doc = byIndexNo.get(hit.index_no);
      if (doc.body.includes("排污许可")) assert.match(hit.excerpt, /<mark>排污许可<\/mark>/, hit.title);
    }
    const scattered = hits.find((h) => !normText(byIndexNo.get(h.index_no)).includes("排污许可"));
    assert.match(scattered.excerpt, /<mark>排污<\/mark>/);
    assert.match(scattered.excerpt, /<mark>(污许|许可)<\/mark>/);
    const pm = (await engine.search("PM2.5", all)).hits.map((h) => h.excerpt);
    assert.ok(pm.some((e) => e.includes("<mark>PM2.5</mark>")));
    assert.ok(pm.some((e) => e.includes("<mark>ＰＭ２．５</mark>")), "the original full-width text is what is marked");
  });

  test("about 80–120 characters around the first match of a long body", async () => {
    const { engine } = fresh();
    const { hits } = await engine.search("饮用水水源保护区", { limit: 1 });
    const { excerpt } = hits[0];
    assert.match(excerpt, /^…/);
    assert.match(excerpt, /<mark>饮用水水源保护区<\/mark>/);
    const length = [...text(excerpt)].length;
    assert.ok(length >= 60 && length <= 140, `excerpt of ${length} characters`);
  });

  test("a title-only hit shows the start of the body, unmarked", async () => {
    const { engine } = fresh();
    const { hits } = await engine.search("噪声污染", all);
    const titleOnly = hits.find((h) => !byIndexNo.get(h.index_no).body.includes("噪声"));
    assert.ok(titleOnly);
    assert.ok(byIndexNo.get(titleOnly.index_no).body.startsWith(titleOnly.excerpt.replace(/…$/, "").slice(0, 10)));
    assert.doesNotMatch(titleOnly.excerpt, /<mark>/);
  });
});

describe("what the engine fetches", () => {
  test("only the shards of the query's tokens, one look-up shard, the chunks shown", async (t) => {
    const { net, engine } = fresh();
    const manifest = await engine.manifest();
    net.reset();
    const query = "大气污染";
    const result = await engine.search(query, { limit: 2, facets: false });
    const paths = net.paths();
    const shards = new Set(tokenize(query).map((tok) => `/search/t/${fnv1a32(tok) % manifest.shards}.bin`));
    assert.deepEqual(new Set(paths.filter((p) => p.startsWith("/search/t/") && !p.includes("/t/x"))), shards);
    assert.equal(paths.filter((p) => p.startsWith("/search/k/")).length, 1);
    assert.ok(!paths.includes("/search/attrs.bin"), "no attrs.bin without facets or filters");
    // Chunks: those of the hits shown, and at most those of the other candidates (phrase checks).
    const numbers = fixture.docs.map((d) => d.index_no).sort(numberOrder);
    const chunkOf = (id) => `/search/d/${Math.floor(numbers.indexOf(id) / manifest.chunk)}.bin`;
    const fetched = new Set(paths.filter((p) => p.startsWith("/search/d/")));
    for (const hit of result.hits) assert.ok(fetched.has(chunkOf(hit.index_no)));
    const candidates = new Set(withTokens(query).map(chunkOf));
    for (const p of fetched) assert.ok(candidates.has(p), `${p} holds a candidate`);
    assert.ok(fetched.size < Math.ceil(manifest.docs / manifest.chunk), "not every chunk");
    assert.ok(net.log.every((r) => r.path.endsWith("index.json") || r.search === `?v=${manifest.build}`), "every file but index.json carries ?v=<build>");
    assert.equal(new Set(paths).size, paths.length, "nothing fetched twice");
    t.diagnostic(`"${query}", 2 hits, no facets: ${net.bytes()} bytes in ${paths.length} requests`);
  });

  test("a single-token query fetches exactly its shard, one look-up shard and the chunk of its hit", async () => {
    const { net, engine } = fresh();
    const manifest = await engine.manifest();
    net.reset();
    const result = await engine.search("境局", { limit: 1, facets: false });
    const hitChunk = `/search/d/${Math.floor(result.hits[0].number / manifest.chunk)}.bin`;
    assert.deepEqual(sorted(net.paths()), sorted([`/search/t/${fnv1a32("境局") % manifest.shards}.bin`, `/search/k/${fnv1a32("境局") % manifest.keys}.bin`, hitChunk]));
  });

  test("facets and filters fetch attrs.bin once; files are cached per instance", async (t) => {
    const { net, engine } = fresh();
    await engine.search("排污许可", { limit: 10 });
    t.diagnostic(`first query "排污许可" with facets, 10 hits: ${net.bytes()} bytes in ${net.log.length} requests`);
    assert.equal(net.paths().filter((p) => p === "/search/attrs.bin").length, 1);
    assert.equal(net.paths().filter((p) => p === "/search/index.json").length, 1);
    net.reset();
    await engine.search("排污许可", { limit: 10, filters: { year: 2024 } });
    await engine.search("排污许可", { offset: 10, limit: 10 });
    assert.deepEqual(net.paths(), [], "the same query again fetches nothing");
  });

  test("a missing file rejects the search instead of giving wrong results", async () => {
    const net = fileFetch(built.output, "/");
    const broken = async (url) => (String(url).includes("/t/") ? new Response("gone", { status: 404 }) : net.fetch(url));
    const engine = createSearch({ base: "/search/", fetch: broken });
    await assert.rejects(engine.search("排污许可"), /HTTP 404/);
  });
});
