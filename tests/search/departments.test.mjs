// engine.js on a platform's index (集约化): tests/fixtures/search as the owner, with the
// departments of platform.mjs. The 部门 facet and the `department` filter, alone and
// with the query and the other filters, against the documents of the sources.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { OWNER, buildFixture, facetModel, fileFetch, loadEngine, readFixture, withTokens } from "./fixture.mjs";
import { DEPARTMENTS, writeFiles } from "./platform.mjs";

const { createSearch, tokenize, OWNER: ENGINE_OWNER } = await loadEngine();

let built, fixture, model;
before(() => {
  built = buildFixture({ prepare: (root) => writeFiles(root, DEPARTMENTS) });
  fixture = readFixture(built.root);
  model = facetModel(fixture);
});
after(() => built?.cleanup());

function fresh() {
  const net = fileFetch(built.output, "/");
  return { net, engine: createSearch({ base: "/search/", fetch: net.fetch }) };
}

const all = { offset: 0, limit: 1000 };
const ids = (hits) => hits.map((h) => h.index_no).sort();
const idsOf = (docs) => docs.map((d) => d.index_no).sort();
const JOINT = "22222222-2-/2024-0201001";

describe("the department facet", () => {
  test("lists the owner, the departments, then the towns, by name and kind; a body without documents is left out", async () => {
    const { engine } = fresh();
    const { facets, total } = await engine.search("", all);
    const count = (code) => fixture.docs.filter((d) => d.department === code).length;
    assert.deepEqual(facets.department, [
      { value: OWNER, label: "某市生态环境局", kind: "owner", count: count(null) },
      { value: "wjw", label: "某县卫生健康委员会", kind: "department", count: 1 },
      { value: "jyj", label: "某县教育局", kind: "department", count: 3 },
      { value: "town-b", label: "某镇人民政府", kind: "town", count: 1 },
    ]);
    assert.equal(ENGINE_OWNER, OWNER);
    assert.equal(total, fixture.docs.length);
  });

  test("a document published in another body's name counts in its own body", async () => {
    const { engine } = fresh();
    const byOwner = await engine.search("", { filters: { department: OWNER }, ...all });
    const byJyj = await engine.search("", { filters: { department: "jyj" }, ...all });
    assert.ok(ids(byJyj.hits).includes(JOINT) && !ids(byOwner.hits).includes(JOINT));
    const { hits } = await engine.search("", { filters: { publisher: "某市生态环境局" }, ...all });
    assert.ok(ids(hits).includes(JOINT), "its publisher is still the owner's name");
  });

  test("a selected department stays listed with no matches; one that does not exist matches nothing", async () => {
    const { engine } = fresh();
    const result = await engine.search("招生", { filters: { department: "town-b" } });
    assert.equal(result.total, 0);
    assert.deepEqual(
      result.facets.department.map((d) => [d.value, d.count]),
      [["jyj", 1], ["town-b", 0]],
      "counts ignore the department filter; the selected one is kept",
    );
    for (const value of ["nosuch", "sfj", "某县司法局", ""]) {
      const { total } = await engine.search("", { filters: { department: value }, ...all });
      assert.equal(total, value ? 0 : fixture.docs.length, `department ${JSON.stringify(value)}`);
    }
  });

  test("the filter needs attrs.bin even without facets; a query without filters or facets does not fetch it", async () => {
    const { engine, net } = fresh();
    const filtered = await engine.search("排污", { filters: { department: "jyj" }, facets: false, ...all });
    assert.ok(net.paths().includes("/search/attrs.bin"));
    assert.deepEqual(ids(filtered.hits), idsOf(withTokens(fixture.docs, tokenize, "排污").filter((d) => d.department === "jyj")));
    const other = fresh();
    await other.engine.search("排污", { facets: false });
    assert.ok(!other.net.paths().includes("/search/attrs.bin"));
  });
});

describe("the department filter with the query and the other filters", () => {
  const cases = [
    ["", {}],
    ["", { department: "jyj" }],
    ["", { department: "某县教育局" }],
    ["", { department: OWNER }],
    ["", { department: "某市生态环境局" }],
    ["排污", { department: "jyj" }],
    ["排污", { department: "jyj", year: 2024 }],
    ["排污", { department: OWNER, category: "xzzf" }],
    ["排污许可", { department: "town-b", category: "xzxk" }],
    ["污染", { department: "wjw", validity: "effective" }],
    ["排污", { publisher: "某市生态环境局" }],
    ["排污", { year: "2024", category: "行政执法" }],
  ];
  for (const [query, filters] of cases) {
    test(`“${query}” with ${JSON.stringify(filters)}: results narrowed, facet counts disjunctive`, async () => {
      const { engine } = fresh();
      const matching = query ? withTokens(fixture.docs, tokenize, query) : fixture.docs;
      const result = await engine.search(query, { filters, ...all });
      const expected = matching.filter((d) => model.passes(d, filters));
      assert.deepEqual(ids(result.hits), idsOf(expected));
      assert.equal(result.total, expected.length);
      model.assertFacets(result.facets, matching, filters, `${query} ${JSON.stringify(filters)}`);
    });
  }

  test("the cases mean something: each department filter leaves some documents and drops others", async () => {
    const { engine } = fresh();
    for (const [query, filters] of cases.filter(([, f]) => f.department)) {
      const narrowed = (await engine.search(query, { filters, ...all })).total;
      const { department, ...rest } = filters;
      const wider = (await engine.search(query, { filters: rest, ...all })).total;
      assert.ok(narrowed > 0 && narrowed < wider, `${query} ${JSON.stringify(filters)}: ${narrowed} of ${wider} (${department})`);
    }
  });
});

describe("a single body's index", () => {
  let single;
  before(() => (single = buildFixture()));
  after(() => single?.cleanup());

  test("has no department facet, and the department filter matches nothing", async () => {
    const net = fileFetch(single.output, "/");
    const engine = createSearch({ base: "/search/", fetch: net.fetch });
    const { facets, total } = await engine.search("", all);
    assert.ok(total > 0);
    assert.deepEqual(facets.department, []);
    assert.equal((await engine.search("", { filters: { department: OWNER } })).total, 0);
  });
});
