// The 统一登记号 (reg_no) of a 规范性文件 is a look-up key like the 索引号 and 文号
// (docs/search.md §3): typed whole, in any case or width, it leads straight to the document.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { buildFixture, fileFetch, loadEngine, readFixture } from "./fixture.mjs";

const { createSearch } = await loadEngine();
const fixture = readFixture();
const policy = fixture.docs.find((d) => d.doc_no === "某环发〔2024〕3号");
const REG_NO = "ZJSP01-2024-0001";

let built;
before(() => {
  built = buildFixture({
    prepare: (root) => {
      const file = join(root, "content", policy.source);
      writeFileSync(file, readFileSync(file, "utf8").replace(/^index_no = .*$/m, (line) => `${line}\nreg_no = "${REG_NO}"`));
    },
  });
});
after(() => built?.cleanup());

test("a whole 统一登记号, in any case or width, leads straight to its document", async () => {
  assert.ok(policy, "the fixture has 某环发〔2024〕3号");
  const engine = createSearch({ base: "/search/", fetch: fileFetch(built.output, "/").fetch });
  for (const query of [REG_NO, REG_NO.toLowerCase(), " ＺＪＳＰ０１－２０２４－０００１ "]) {
    const result = await engine.search(query, { limit: 5 });
    assert.equal(result.hits[0]?.index_no, policy.index_no, query);
    assert.equal(result.hits[0].exact, true, query);
    assert.equal(result.hits.filter((h) => h.exact).length, 1, query);
    assert.equal(result.hits[0].reg_no, REG_NO, "the hit carries it");
  }
});

test("a document without a 统一登记号 has reg_no null in its hit", async () => {
  const engine = createSearch({ base: "/search/", fetch: fileFetch(built.output, "/").fetch });
  const result = await engine.search("", { limit: 20 });
  assert.ok(result.hits.length > 1);
  for (const hit of result.hits.filter((h) => h.index_no !== policy.index_no)) assert.equal(hit.reg_no, null, hit.index_no);
});
