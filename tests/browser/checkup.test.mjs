// The 体检报告 (`gongkai check --format html`) in a real Chromium: axe-core finds no
// WCAG 2.1 A/AA violation (nor a best-practice one, such as headings out of order) on
// a desktop, on a 360 px phone and at 200 % zoom, and the page never scrolls sideways.
// The report is made by the real binary from a copy of the basic fixture made a
// platform with findings under several headings.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { launchBrowser, repo, withPage } from "./harness.mjs";

const AXE = join(repo, "node_modules", "axe-core", "axe.min.js");
const SCREENSHOTS = join(repo, "target", "screenshots");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
const binary = process.env.GONGKAI_BIN ?? join(repo, "target", "debug", "gongkai");
// A 1280 px window at 200 % zoom lays the page out in 640 CSS pixels.
const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 900 } },
  phone: { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2 },
  "200% zoom": { viewport: { width: 640, height: 450 }, deviceScaleFactor: 2 },
};
const GUIDE = '+++\ntitle = "政府信息公开指南"\nversion = "2023"\neffective = 2023-01-01\n+++\n\n## 依申请公开\n\n向本机关申请。\n';

let root, report, browser;
before(async () => {
  root = mkdtempSync(join(tmpdir(), "gongkai-checkup-"));
  cpSync(join(repo, "tests", "fixtures", "basic"), root, { recursive: true });
  const write = (rel, text) => {
    mkdirSync(join(root, rel, ".."), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  write("content/departments/jyj/department.toml", 'name = "测试县教育局"\norg_code = "22222222-2"\norder = 1\n');
  write("content/departments/jyj/guide/2023.md", GUIDE);
  write("content/departments/wsj/department.toml", 'name = "测试县卫生健康局"\norg_code = "44444444-4"\norder = 2\n');
  const policy = join(root, "content", "docs", "policy.md");
  writeFileSync(policy, readFileSync(policy, "utf8").replace("# 总则\n", "# 总则\n\n见[旧页面](/no-such-page/)和[另一页](/docs/gone/#第一条)。\n"));
  report = join(root, "report.html");
  const run = spawnSync(binary, ["check", "--root", root, "--format", "html", "--output", report, "--today", "2025-06-01"], { encoding: "utf8" });
  assert.equal(run.status, 1, `the dead links are errors, and the report is written even so:\n${run.stderr}`);
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

function describeViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.split("\n").join(" ")}`).join("\n")}`)
    .join("\n");
}

describe("the 体检报告", () => {
  for (const [name, options] of Object.entries(VIEWPORTS)) {
    test(`has no axe violation and does not scroll sideways: ${name}`, () =>
      withPage(browser, { ...options, locale: "zh-CN" }, async (page) => {
        await page.goto(pathToFileURL(report).href, { waitUntil: "load" });
        assert.equal(await page.evaluate(() => document.documentElement.lang), "zh-CN");
        await page.addScriptTag({ path: AXE });
        const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
        assert.equal(result.violations.length, 0, describeViolations(result.violations));
        const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(sideways <= 0, `the report scrolls sideways by ${sideways}px at ${options.viewport.width}px`);
        await page.screenshot({ path: join(SCREENSHOTS, `checkup-${name.replace(/\W+/g, "-")}.png`) });
      }),
    );
  }

  // The picture in the README (docs/img/checkup.png is this file, made smaller).
  test("a screenshot of the report's first screen for the README", () =>
    withPage(browser, { viewport: { width: 900, height: 1250 }, locale: "zh-CN" }, async (page) => {
      await page.goto(pathToFileURL(report).href);
      await page.screenshot({ path: join(SCREENSHOTS, "checkup-readme.png") });
    }),
  );

  test("headings go from h1 to h3 without a gap, and every table has a caption and column headers", () =>
    withPage(browser, VIEWPORTS.desktop, async (page) => {
      await page.goto(pathToFileURL(report).href);
      const levels = await page.evaluate(() => [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => Number(h.tagName[1])));
      assert.equal(levels[0], 1);
      levels.reduce((prev, level) => (assert.ok(level <= prev + 1, `h${level} after h${prev}`), level));
      const tables = await page.evaluate(() =>
        [...document.querySelectorAll("table")].map((t) => ({ caption: !!t.querySelector("caption"), headers: t.querySelectorAll("thead th[scope=col]").length })),
      );
      assert.ok(tables.length >= 4, `${tables.length} tables`);
      assert.ok(tables.every((t) => t.caption && t.headers >= 3), JSON.stringify(tables));
      // Each department under its name (escaping is tested in src/checkup.rs).
      assert.ok((await page.textContent("body")).includes("测试县卫生健康局"));
    }),
  );
});
