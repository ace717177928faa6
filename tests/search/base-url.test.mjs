// A site built under base_url = "/xxgk/": engine.js fetches under /xxgk/search/
// and its hits link under /xxgk/.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildFixture, fileFetch, loadEngine, readFixture } from "./fixture.mjs";

const { createSearch } = await loadEngine();
const fixture = readFixture();

let built;
before(() => (built = buildFixture({ baseUrl: "/xxgk/" })));
after(() => built?.cleanup());

test("search under /xxgk/: fetch paths and hit urls carry the prefix", async () => {
  const net = fileFetch(built.output, "/xxgk/");
  const engine = createSearch({ base: "/xxgk/search/", fetch: net.fetch });
  const policy = fixture.docs.find((d) => d.doc_no === "某环发〔2024〕3号");
  const byNumber = await engine.search("〔2024〕3号", { limit: 5 });
  assert.ok(byNumber.hits.some((h) => h.exact && h.index_no === policy.index_no));
  const result = await engine.search("排污许可", { limit: 100, filters: { category: "政策文件" } });
  assert.ok(result.total > 0);
  for (const hit of [...byNumber.hits, ...result.hits]) assert.match(hit.url, /^\/xxgk\/docs\//);
  assert.ok(net.log.length > 3);
  for (const r of net.log) {
    assert.ok(r.path.startsWith("/xxgk/search/"), r.path);
    assert.equal(r.status, 200, r.path);
  }
});

test("an absolute base URL works too, with or without its trailing slash", async () => {
  const net = fileFetch(built.output, "/xxgk/");
  for (const base of ["http://fixture.test/xxgk/search/", "http://fixture.test/xxgk/search"]) {
    const engine = createSearch({ base, fetch: net.fetch });
    const result = await engine.search("境局", { limit: 3 });
    assert.ok(result.total > 3);
  }
});
