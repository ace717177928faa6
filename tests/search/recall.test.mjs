// Recall on the fixture: for each phrase, a quoted search returns exactly the
// documents whose normalized text contains it, and an unquoted one returns them
// all, first. Computed from the fixture's sources, not from the index.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildFixture, containsPhrase, fieldsText, fileFetch, loadEngine, readFixture } from "./fixture.mjs";

const { createSearch, normalize } = await loadEngine();
const fixture = readFixture();

// Terms, phrases crossing word boundaries, numbers, Latin, 文号 parts, 2 to 8 characters.
const PHRASES = [
  "排污许可", "境局", "噪声污染", "环评审批", "12369", "PM2.5", "大气污染", "行政处罚",
  "跨站脚本", "政务公开", "环境影响报告", "举报热线", "水源地", "生态环境", "许可证",
  "治污", "局关于", "某环发", "2024年", "3号", "〔2024〕3号", "水质", "《排污许可管理办法》",
];

let built;
let engine;
before(() => {
  built = buildFixture();
  engine = createSearch({ base: "/search/", fetch: fileFetch(built.output, "/").fetch });
});
after(() => built?.cleanup());

const containing = (phrase) =>
  fixture.docs.filter((d) => containsPhrase(normalize(fieldsText(d)), normalize(phrase))).map((d) => d.index_no).sort();

for (const phrase of PHRASES) {
  test(`recall of ${phrase}`, async () => {
    const expected = containing(phrase);
    assert.ok(expected.length > 0, `the fixture contains ${phrase}`);
    const quoted = await engine.search(`"${phrase}"`, { limit: 1000 });
    assert.deepEqual(quoted.hits.map((h) => h.index_no).sort(), expected, "quoted: exactly the documents with it");
    assert.equal(quoted.total, expected.length);
    const plain = await engine.search(phrase, { limit: 1000 });
    const got = plain.hits.filter((h) => !h.exact).map((h) => h.index_no);
    const exact = plain.hits.filter((h) => h.exact).map((h) => h.index_no);
    const rest = expected.filter((id) => !exact.includes(id));
    assert.deepEqual(got.slice(0, rest.length).sort(), rest, "unquoted: all of them, first");
  });
}
