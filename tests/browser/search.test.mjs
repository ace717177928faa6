// The search page in a real Chromium, against the example site served by
// `gongkai serve`: Chinese phrases, words inside longer phrases, filters with
// counts, look-up by 索引号 and 文号, the URL as the state of a search, the
// header search box, paging, a site under /xxgk/, and every reference document
// found by a phrase of its body, its 索引号 and its 文号.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser, repo, serveExample, withPage } from "./harness.mjs";

const JUBAO = "bm/sthjj/docs/2022/gfxwj-2022-009-jubao-jiangli/";

const DESKTOP = { viewport: { width: 1280, height: 900 } };

let server, browser;
before(async () => {
  server = await serveExample();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Runs `fn(page)` on a new desktop page that nothing else shares. */
function onPage(fn) {
  return withPage(browser, DESKTOP, fn);
}

/** Opens the search page for `query` (and more URL parameters) in `page` and waits for its answer. */
async function search(page, query, params = {}) {
  const url = new URL("search/", server.url);
  url.searchParams.set("q", query);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  await page.goto(url.href);
  await settled(page);
  return page;
}

/** Waits until the status line reports a finished search. */
async function settled(page) {
  await page.waitForFunction(() => {
    const text = document.getElementById("search-status")?.textContent ?? "";
    return text && !text.includes("正在搜索");
  });
}

async function hits(page) {
  return page.locator("#search-hits > li h3 a").evaluateAll((links) => links.map((a) => new URL(a.href).pathname));
}

async function total(page) {
  const text = await page.locator("#search-status").textContent();
  const m = text.match(/共找到约? (\d+) 条/);
  return m ? Number(m[1]) : 0;
}

describe("search page", () => {
  test("a Chinese phrase lists the document that has it in its title first", () =>
    onPage(async (page) => {
      await search(page, "排污许可证核发");
      assert.equal((await hits(page))[0], "/bm/sthjj/docs/2023/pwxk-2023-q3-hefa/");
      assert.match(await page.locator("#search-hits > li").first().innerHTML(), /<mark>/);
    }));

  test("a string that crosses a word boundary (境违: 环境|违法) is found", () =>
    onPage(async (page) => {
      await search(page, "境违");
      const found = await hits(page);
      assert.ok(found.includes(`/${JUBAO}`), found.join("\n"));
      // Every document whose source has the string, nothing else (the example site is small).
      const expected = ["departments/sthjj/docs/2019/gfxwj-2019-015-youjiang-jubao", "departments/sthjj/docs/2022/gfxwj-2022-009-jubao-jiangli", "departments/sthjj/docs/2022/zcjd-2022-jubao-jiangli-jiedu"];
      for (const doc of expected) assert.ok(readFileSync(join(repo, "content", `${doc}.md`), "utf8").includes("境违"));
      assert.ok((await total(page)) >= expected.length);
    }));

  test("the result count is announced to screen readers", () =>
    onPage(async (page) => {
      await search(page, "排污许可");
      const status = page.locator("#search-status");
      assert.equal(await status.getAttribute("aria-live"), "polite");
      assert.equal(await status.getAttribute("role"), "status");
      assert.ok((await total(page)) > 0);
    }));

  test("a category filter narrows the results to its count; reload and back keep the state", () =>
    onPage(async (page) => {
      await search(page, "环境影响");
      const before = await total(page);
      const facet = page.locator("#search-facet-groups a", { hasText: /^环评审批/ });
      const count = Number((await facet.textContent()).match(/\((\d+)\)/)[1]);
      assert.ok(count > 0 && count < before, `facet ${count} of ${before}`);
      await facet.click();
      await page.waitForURL(/category=/);
      await settled(page);
      assert.equal(await total(page), count, "the total equals the facet's count");
      const found = await hits(page);
      assert.ok(found.length > 0 && found.every((u) => /\/hpsp-/.test(u)), found.join("\n"));
      const url = new URL(page.url());
      assert.equal(url.searchParams.get("q"), "环境影响");
      assert.equal(url.searchParams.get("category"), "环评审批");

      await page.reload();
      await settled(page);
      assert.equal(await total(page), count, "reload keeps query and filter");
      assert.equal(await page.inputValue("#search-q"), "环境影响");
      assert.equal(await page.locator("#search-facet-groups a[aria-current]").count(), 1);

      await page.goBack();
      await page.waitForURL((u) => !u.searchParams.has("category"));
      await settled(page);
      assert.equal(await total(page), before, "back returns to the unfiltered results");
    }));

  test("sorting by date lists the newest first", () =>
    onPage(async (page) => {
      await search(page, "环境影响", { sort: "date" });
      assert.equal(await page.inputValue("#search-sort"), "date");
      const dates = await page.locator("#search-hits .hit-meta").evaluateAll((metas) =>
        metas.map((m) => [...m.querySelectorAll("div")].find((d) => d.querySelector("dt").textContent === "发布日期").querySelector("dd").textContent),
      );
      assert.ok(dates.length > 1);
      assert.deepEqual(dates, [...dates].sort().reverse());
    }));

  test("索引号 and 文号, in full or in part, half- or full-width, lead to their document", () =>
    onPage(async (page) => {
      for (const query of ["78169183-5-/2022-0520003", "2022-0520003", "某环发〔2022〕9号", "〔2022〕9号", "[2022]9号", "［２０２２］９号"]) {
        await search(page, query);
        assert.equal((await hits(page))[0], `/${JUBAO}`, query);
        assert.equal(await page.locator("#search-hits > li").first().locator(".exact-mark").count(), 1, `${query} is marked as an exact match`);
      }
    }));

  test("more results come on demand and focus moves to the first new one", () =>
    onPage(async (page) => {
      await search(page, "环境");
      const all = await total(page);
      assert.ok(all > 10, `${all} results`);
      assert.equal(await page.locator("#search-hits > li").count(), 10);
      await page.click("#search-more");
      await page.waitForFunction(() => document.querySelectorAll("#search-hits > li").length > 10);
      assert.equal(await page.locator("#search-hits > li").count(), Math.min(20, all));
      const focused = await page.evaluate(() => document.activeElement.closest("li") === document.querySelectorAll("#search-hits > li")[10]);
      assert.ok(focused);
    }));

  test("the search box in every page's header leads to the results", () =>
    onPage(async (page) => {
      await page.goto(new URL(JUBAO, server.url).href);
      await page.fill("#header-q", "排污许可证核发");
      await page.press("#header-q", "Enter");
      await page.waitForURL(/\/search\/\?q=/);
      await settled(page);
      assert.equal((await hits(page))[0], "/bm/sthjj/docs/2023/pwxk-2023-q3-hefa/");
    }));

  test("without JavaScript the page says so and offers the catalogue", () =>
    withPage(browser, { javaScriptEnabled: false }, async (page) => {
      await page.goto(new URL("search/?q=排污许可", server.url).href);
      const text = await page.locator("main").innerText();
      assert.match(text, /需要浏览器启用 JavaScript/);
      assert.ok(await page.locator("main noscript, main a[href$='catalogue/']").count());
    }));
});

describe("reference documents", () => {
  // The example site's documents taken from shared/reference/.
  const REFERENCES = {
    "departments/sthjj/docs/2023/sheng-huanbaoju-2023-shangbannian-zwgk-zongjie.md": "bm/sthjj/docs/2023/sheng-huanbaoju-2023-shangbannian-zwgk-zongjie/",
    "departments/sthjj/docs/2012/chaoyang-2011-zwgk-zongjie.md": "bm/sthjj/docs/2012/chaoyang-2011-zwgk-zongjie/",
    "departments/sthjj/docs/2019/jinshui-2019-shangbannian-zwgk-zongjie.md": "bm/sthjj/docs/2019/jinshui-2019-shangbannian-zwgk-zongjie/",
    "departments/sthjj/plans/2022.md": "bm/sthjj/plans/2022/",
    "departments/sthjj/docs/2017/qiandongnan-2016-xxgk-baogao.md": "bm/sthjj/docs/2017/qiandongnan-2016-xxgk-baogao/",
  };
  for (const [source, path] of Object.entries(REFERENCES)) {
    test(`${source}: by a phrase of its body, its 索引号 and its 文号`, () =>
      onPage(async (page) => {
        const text = readFileSync(join(repo, "content", source), "utf8");
        const field = (name) => text.match(new RegExp(`^${name} = "([^"]+)"`, "m"))[1];
        const body = text.split(/^\+\+\+$/m)[2];
        // A run of Chinese text from the middle of the first long paragraph.
        const paragraph = body.split("\n").find((l) => !l.startsWith("#") && /[\u4e00-\u9fff]{16}/.test(l));
        const phrase = paragraph.match(/[\u4e00-\u9fff]{16,}/)[0].slice(3, 13);
        for (const query of [phrase, field("index_no"), field("doc_no")]) {
          await search(page, query);
          assert.equal((await hits(page))[0], `/${path}`, `${query} → ${path}`);
        }
      }));
  }
});

describe("a site under /xxgk/", () => {
  let sub;
  before(async () => (sub = await serveExample({ baseUrl: "/xxgk/" })));
  after(async () => sub?.close());

  test("searches its own index and links under the prefix", () =>
    onPage(async (home) => {
      await home.goto(sub.url);
      assert.equal(await home.locator("form.header-search").getAttribute("action"), "/xxgk/search/");
      await home.fill("#header-q", "排污许可证核发");
      await home.press("#header-q", "Enter");
      await home.waitForURL(/\/xxgk\/search\/\?q=/);
      await settled(home);
      assert.equal((await hits(home))[0], "/xxgk/bm/sthjj/docs/2023/pwxk-2023-q3-hefa/");
      const fetched = await home.evaluate(() => performance.getEntriesByType("resource").map((r) => new URL(r.name).pathname).filter((p) => p.includes("/search/")));
      assert.ok(fetched.length > 0 && fetched.every((p) => p.startsWith("/xxgk/search/")), fetched.join("\n"));
    }));
});
