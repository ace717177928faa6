// Search on a platform (集约化) in a real Chromium: tests/fixtures/search as the owner
// with the departments of tests/search/platform.mjs. The search page's 部门 facet
// with counts, filtering by it, the filter in force shown and removable, the URL as
// its state; a department's header box that searches it alone, with a switch to
// search the whole site; and axe-core's WCAG 2.1 A/AA rules on the page with the
// facet and a filter in force, in both display modes, on a desktop and a phone.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { DEPARTMENTS, writeFiles } from "../search/platform.mjs";
import { launchBrowser, repo, serveFixture, withContext, withPage } from "./harness.mjs";

const AXE = join(repo, "node_modules", "axe-core", "axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const WIDTHS = { desktop: DESKTOP.viewport, phone: { width: 360, height: 740 } };

let server, browser;
before(async () => {
  server = await serveFixture("search", (root) => writeFiles(root, DEPARTMENTS));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const onPage = (fn) => withPage(browser, DESKTOP, fn);

/** Waits until the status line reports a finished search. */
async function settled(page) {
  await page.waitForFunction(() => {
    const text = document.getElementById("search-status")?.textContent ?? "";
    return text && !text.includes("正在搜索");
  });
}

async function openSearch(page, params) {
  await page.goto(new URL(`search/?${new URLSearchParams(params)}`, server.url).href);
  await settled(page);
}

async function hits(page) {
  return page.locator("#search-hits > li h3 a").evaluateAll((links) => links.map((a) => new URL(a.href).pathname));
}

async function total(page) {
  const m = (await page.locator("#search-status").textContent()).match(/共找到约? (\d+) 条/);
  return m ? Number(m[1]) : 0;
}

/** The links of the 部门 facet. */
const DEPARTMENT_LINKS = "#search-facet-groups ul[aria-labelledby=facet-department] a";

/** The 部门 facet's entries as [name, count]. */
async function departmentFacet(page) {
  return (await page.locator(DEPARTMENT_LINKS).allTextContents()).map((t) => t.match(/^(.*?)(?: \((\d+)\))?$/)).map((m) => [m[1], m[2] === undefined ? null : Number(m[2])]);
}

const activeFilters = (page) => page.locator("#search-active li > span").allTextContents();

describe("the 部门 facet", () => {
  test("lists every body with documents and its count, first among the facets", () =>
    onPage(async (page) => {
      await openSearch(page, { q: "排污" });
      assert.equal(await page.locator("#search-facet-groups h3").first().textContent(), "部门");
      const facet = await departmentFacet(page);
      // The owner, the departments, then the town; the department without documents is not there.
      assert.deepEqual(facet.map((f) => f[0]), ["某市生态环境局", "某县卫生健康委员会", "某县教育局", "某镇人民政府"]);
      assert.equal(facet.reduce((sum, f) => sum + f[1], 0), await total(page), "every result in one body");
      assert.deepEqual(await activeFilters(page), []);
      assert.equal(await page.locator("#search-active").isHidden(), true);
    }));

  test("a click filters to the department; the filter is shown and removable; reload and back keep the state", () =>
    onPage(async (page) => {
      await openSearch(page, { q: "排污" });
      const before = await total(page);
      const [, count] = (await departmentFacet(page)).find((f) => f[0] === "某县教育局");
      assert.ok(count > 0 && count < before, `${count} of ${before}`);
      await page.locator(DEPARTMENT_LINKS, { hasText: /^某县教育局/ }).click();
      await page.waitForURL((u) => u.searchParams.get("department") === "某县教育局");
      await settled(page);
      assert.equal(await total(page), count);
      const found = await hits(page);
      assert.ok(found.length === count && found.every((u) => u.startsWith("/bm/jyj/")), found.join("\n"));
      assert.deepEqual(await activeFilters(page), ["部门:某县教育局"]);

      await page.reload();
      await settled(page);
      assert.equal(await total(page), count, "reload keeps the filter");
      assert.equal(await page.locator(`${DEPARTMENT_LINKS}[aria-current]`).textContent(), `某县教育局 (${count})`);

      await page.goBack();
      await page.waitForURL((u) => !u.searchParams.has("department"));
      await settled(page);
      assert.equal(await total(page), before, "back returns to every body");
      await page.goForward();
      await page.waitForURL((u) => u.searchParams.has("department"));
      await settled(page);
      assert.equal(await total(page), count, "forward filters again");

      // Dropping it by keyboard from the list of filters in force.
      await page.locator("#search-active a", { hasText: "取消" }).focus();
      await page.keyboard.press("Enter");
      await page.waitForURL((u) => !u.searchParams.has("department") && u.searchParams.get("q") === "排污");
      await settled(page);
      assert.equal(await total(page), before);
      assert.deepEqual(await activeFilters(page), []);
    }));
});

describe("the header's search box", () => {
  test("on a department's page searches that department, and says so on the search page", () =>
    onPage(async (page) => {
      await page.goto(new URL("bm/jyj/", server.url).href);
      const scope = page.getByLabel("仅搜索某县教育局");
      assert.equal(await scope.isChecked(), true);
      await page.fill("#header-q", "排污");
      await page.press("#header-q", "Enter");
      await page.waitForURL(/\/search\/\?/);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get("department"), "jyj");
      assert.equal(url.searchParams.get("q"), "排污");
      await settled(page);
      const found = await hits(page);
      assert.ok(found.length > 0 && found.every((u) => u.startsWith("/bm/jyj/")), found.join("\n"));
      assert.deepEqual(await activeFilters(page), ["部门:某县教育局"]);
      assert.equal(await page.locator(`${DEPARTMENT_LINKS}[aria-current]`).textContent(), "某县教育局 (2)");
    }));

  test("with the switch turned off by keyboard, searches the whole site", () =>
    onPage(async (page) => {
      await page.goto(new URL("bm/jyj/docs/2023/zhaosheng/", server.url).href);
      await page.fill("#header-q", "排污");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.name), "department", "the switch comes after the button");
      await page.keyboard.press("Space");
      assert.equal(await page.getByLabel("仅搜索某县教育局").isChecked(), false);
      await page.click(".header-search button");
      await page.waitForURL(/\/search\/\?/);
      assert.equal(new URL(page.url()).searchParams.has("department"), false);
      await settled(page);
      const found = await hits(page);
      assert.ok(found.some((u) => !u.startsWith("/bm/jyj/")), found.join("\n"));
      assert.deepEqual(await activeFilters(page), []);
    }));

  test("on the owner's pages searches the whole site, with no switch", () =>
    onPage(async (page) => {
      await page.goto(server.url);
      assert.equal(await page.locator(".header-search input[type=checkbox]").count(), 0);
    }));
});

for (const elderly of [false, true]) {
  for (const [widthName, viewport] of Object.entries(WIDTHS)) {
    test(`axe: the search page with the 部门 facet and a department filter, ${elderly ? "elderly" : "normal"} mode, ${widthName}`, () =>
      withContext(browser, { viewport, locale: "zh-CN" }, async (context) => {
        await context.addInitScript((on) => localStorage.setItem("gongkai-a11y", JSON.stringify({ elderly: on })), elderly);
        const page = await context.newPage();
        await openSearch(page, { q: "排污", department: "jyj" });
        assert.equal(await page.locator("#search-facet-groups ul[aria-labelledby=facet-department]").count(), 1);
        await page.addScriptTag({ path: AXE });
        const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
        const found = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
        assert.deepEqual(found, []);
        const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(sideways <= 0, `scrolls sideways by ${sideways}px at ${viewport.width}px`);
      }));
  }
}
