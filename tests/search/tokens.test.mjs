// engine.js's pure parts: the tokenizer (against the vectors the Rust side passes
// too), look-up normalization, query parsing and excerpts. No index needed.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadEngine, repo } from "./fixture.mjs";

const { tokenize, lookupKey, parseQuery, makeExcerpt, findPhrase, fnv1a32 } = await loadEngine();

test("the shared token vectors (tests/search/tokens.json) give the same tokens in JS", () => {
  const vectors = JSON.parse(readFileSync(join(repo, "tests", "search", "tokens.json"), "utf8"));
  assert.ok(vectors.length >= 30, "at least 30 vectors");
  const failures = vectors
    .filter((v) => JSON.stringify(tokenize(v.text)) !== JSON.stringify(v.tokens))
    .map((v) => `${JSON.stringify(v.text)}: expected ${JSON.stringify(v.tokens)}, got ${JSON.stringify(tokenize(v.text))}`);
  assert.deepEqual(failures, []);
});

test("tokens: bigrams, unigrams, words, widths, brackets (docs/search.md §1)", () => {
  assert.deepEqual(tokenize("排污许可"), ["排污", "污许", "许可"]);
  assert.deepEqual(tokenize("号"), ["号"]);
  assert.deepEqual(tokenize("2024年"), ["2024", "年"]);
  assert.deepEqual(tokenize("某环发〔2024〕3号"), ["某环", "环发", "2024", "3", "号"]);
  assert.deepEqual(tokenize("ＰＭ２．５"), ["pm2", "5"]);
  assert.deepEqual(tokenize("XXGK-2024"), ["xxgk", "2024"]);
  assert.deepEqual(tokenize("a".repeat(40)), ["a".repeat(32)]);
  assert.deepEqual(tokenize("𠀀𠀁"), ["𠀀𠀁"], "supplementary ideographs are CJK");
  assert.deepEqual(tokenize("々〇"), ["々〇"]);
  assert.deepEqual(tokenize("，。 ！"), []);
  assert.deepEqual(tokenize(""), []);
});

test("look-up keys: brackets, widths, case and spaces meet", () => {
  for (const text of ["某环发〔2024〕3号", "某环发[２０２４]３号", "某环发（2024） 3 号", "某环发【2024】3号", "某环发〖2024〗3号", "某环发［2024］3号"]) {
    assert.equal(lookupKey(text), "某环发[2024]3号", text);
  }
  assert.equal(lookupKey(" XXGK-2024\u3000"), "xxgk-2024");
  assert.equal(lookupKey("\ufeff11111111-1-/2024-0301001"), "11111111-1-/2024-0301001");
});

test("fnv1a32 is the 32-bit FNV-1a of the UTF-8 bytes", () => {
  assert.equal(fnv1a32(""), 2166136261);
  assert.equal(fnv1a32("a"), 0xe40c292c);
  assert.equal(fnv1a32("foobar"), 0xbf9cf968);
});

test("queries: quoted phrases are hard, other parts of two or more tokens soft", () => {
  assert.deepEqual(parseQuery("排污许可"), { terms: ["排污", "污许", "许可"], hard: [], soft: ["排污许可"], key: "排污许可" });
  const q = parseQuery('“环评审批” 排污 2024年 "PM2.5" 《管理办法》');
  assert.deepEqual(q.hard, ["环评审批", "pm2.5"]);
  assert.deepEqual(q.soft, ["2024年", "管理办法"], "trimmed of separators; a lone token is no phrase");
  assert.deepEqual(q.terms, ["环评", "评审", "审批", "pm2", "5", "排污", "2024", "年", "管理", "理办", "办法"]);
  assert.deepEqual(parseQuery("「境局」").hard, [], "a phrase that is one token needs no check");
  assert.deepEqual(parseQuery('"排污许可').hard, ["排污许可"], "an unclosed quote runs to the end");
  assert.equal(parseQuery('"某环发〔2024〕3号"').key, "某环发[2024]3号", "quotes are not part of the look-up key");
});

test("excerpts: marks in escaped text, a window around the first phrase match", () => {
  const plan = parseQuery("排污许可");
  assert.equal(makeExcerpt("规范<排污许可>管理 & \"其他\"", plan), "规范&lt;<mark>排污许可</mark>&gt;管理 &amp; &quot;其他&quot;");
  const long = "甲".repeat(200) + "。排污单位应当取得排污许可证。" + "乙".repeat(200);
  const excerpt = makeExcerpt(long, plan);
  assert.match(excerpt, /^…<mark>排污<\/mark>单位应当取得<mark>排污许可<\/mark>证。乙+…$/, "starts at the sentence, anchored on the phrase");
  assert.ok([...excerpt.replace(/<\/?mark>/g, "")].length <= 120);
  assert.match(makeExcerpt("许可在前，后面才是排污许可。", plan), /^<mark>许可<\/mark>在前/);
  assert.equal(makeExcerpt("", plan), "");
  assert.equal(makeExcerpt("没有匹配。", plan), "没有匹配。");
  assert.equal(makeExcerpt("编号2024年和12024", parseQuery("2024")), "编号<mark>2024</mark>年和12024", "words are marked whole");
  assert.equal(makeExcerpt("全市ＰＭ２．５浓度", parseQuery("PM2.5")), "全市<mark>ＰＭ２．５</mark>浓度");
  assert.equal(makeExcerpt("𠀀𠀁𠀂", parseQuery("𠀁")), "𠀀<mark>𠀁</mark>𠀂", "supplementary characters are not split");
  assert.equal(
    makeExcerpt("文号〔2024〕13号和〔2024〕3号", parseQuery("〔2024〕3号")),
    "文<mark>号</mark>〔<mark>2024</mark>〕13<mark>号</mark>和〔<mark>2024〕3号</mark>",
    "the phrase without its outer brackets; 3 not inside 13",
  );
});

test("phrases match literally, at word boundaries where they begin or end with a letter or digit", () => {
  assert.equal(findPhrase("某环发〔2024〕13号", "3号"), -1);
  assert.equal(findPhrase("某环发〔2024〕3号", "3号"), 9);
  assert.equal(findPhrase("12024年", "2024年"), -1);
  assert.equal(findPhrase("pm2.5浓度", "pm2.5"), 0);
  assert.equal(findPhrase("生态环境局", "境局"), 3);
  assert.equal(findPhrase("ab 3号 3号", "3号", 4), 6);
});
