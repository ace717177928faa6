// A platform (集约化) in a real Chromium: the basic fixture as the owner with a
// department and a town added, and the page types a platform adds (a department's
// home and document, the department index, the 年报 overview) pass axe-core's WCAG 2.1
// A/AA rules in both display modes, on a desktop and on a 360 px phone, without
// scrolling sideways.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { launchBrowser, repo, serveFixture, withContext } from "./harness.mjs";

const AXE = join(repo, "node_modules", "axe-core", "axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const GUIDE = '+++\ntitle = "政府信息公开指南"\nversion = "2023"\neffective = 2023-01-01\n+++\n\n## 依申请公开\n\n向本机关申请。\n';

/** The department and the town the Rust tests' platform has (tests/departments.rs). */
const FILES = {
  "content/departments/jyj/department.toml": 'name = "测试县教育局"\norg_code = "22222222-2"\norder = 2\n',
  "content/departments/jyj/guide/2023.md": GUIDE,
  "content/departments/jyj/docs/2023/notice.md":
    '+++\ntitle = "教育局关于招生的通知"\nindex_no = "22222222-2-/2023-0401001"\ncategory = "gfxwj"\ndate = 2023-04-01\n+++\n\n招生。\n',
  "content/departments/jyj/reports/2023.md":
    '+++\ntitle = "测试县教育局2023年政府信息公开工作年度报告"\nindex_no = "22222222-2-/2024-0120001"\ndate = 2024-01-20\nyear = 2023\n+++\n\n总体情况。\n',
  "content/departments/town-a/department.toml": 'name = "测试镇人民政府"\norg_code = "33333333-3"\nkind = "乡镇"\norder = 1\n',
  "content/departments/town-a/guide/2023.md": GUIDE,
};

const PAGES = {
  "department home": "bm/jyj/",
  "department document": "bm/jyj/docs/2023/notice/",
  "department catalogue": "bm/jyj/catalogue/",
  "department index": "bm/",
  "annual report overview": "ndbg/2023/",
  "platform home": "",
};
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 360, height: 740 } };

let server, browser;
before(async () => {
  server = await serveFixture("basic", (root) => {
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

for (const elderly of [false, true]) {
  for (const [widthName, viewport] of Object.entries(WIDTHS)) {
    describe(`platform pages, ${elderly ? "elderly" : "normal"} mode, ${widthName}`, () => {
      for (const [name, path] of Object.entries(PAGES)) {
        test(name, () =>
          withContext(browser, { viewport, locale: "zh-CN" }, async (context) => {
            await context.addInitScript((on) => localStorage.setItem("gongkai-a11y", JSON.stringify({ elderly: on })), elderly);
            const page = await context.newPage();
            const response = await page.goto(new URL(path, server.url).href, { waitUntil: "load" });
            assert.equal(response?.status(), 200, `${path}: ${server.log()}`);
            await page.addScriptTag({ path: AXE });
            const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
            const found = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
            assert.deepEqual(found, [], path);
            const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
            assert.ok(sideways <= 0, `${path} scrolls sideways by ${sideways}px at ${viewport.width}px`);
          }),
        );
      }
    });
  }
}
