// Accessibility of the default theme, in a real Chromium: every page type of the
// example site passes axe-core's WCAG 2.1 A/AA rules in the normal and the
// elderly-friendly (适老化) mode, on a desktop and on a 360 px phone; the mode
// changes what a visitor sees and follows them from page to page; the page
// reflows at 320 px (400% zoom) and prints without navigation.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser, repo, serveExample, withContext, withPage } from "./harness.mjs";
import { VOICES, speechStub } from "./speech-stub.mjs";

const AXE = join(repo, "node_modules", "axe-core", "axe.min.js");
const SCREENSHOTS = join(repo, "target", "screenshots");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

// One page of each type the default theme renders. The example is a platform: the
// former single body's section lies under bm/sthjj/, beside the owner's and the
// platform's own pages (the department index, a year's 年报 overview).
const PAGES = {
  home: "",
  document: "bm/sthjj/docs/2022/gfxwj-2022-009-jubao-jiangli/",
  "repealed document": "bm/sthjj/docs/2019/gfxwj-2019-015-youjiang-jubao/",
  catalogue: "bm/sthjj/catalogue/",
  "category listing, page 2": "bm/sthjj/catalogue/hpsp/page/2/",
  directory: "bm/sthjj/directory/",
  "directory changes": "bm/sthjj/directory/2023/changes/",
  guide: "bm/sthjj/guide/",
  "guide, earlier version": "bm/sthjj/guide/2019/",
  "guide changes": "bm/sthjj/guide/2025/changes/",
  plans: "bm/sthjj/plans/",
  "plan of a year": "bm/sthjj/plans/2022/",
  reports: "bm/sthjj/reports/",
  "annual report": "bm/sthjj/reports/2023/",
  search: "search/",
  "search with results": "search/?q=排污许可",
  "依申请公开": "bm/sthjj/ysqgk/",
  "site map": "sitemap/",
  "not found": "no-such-page/",
  "department index": "bm/",
  "年报 overview, with a missing report": "ndbg/2025/",
  "department home": "bm/jyj/",
  "town home": "bm/cdz/",
};
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 360, height: 740 } };
const MODES = { normal: false, elderly: true };

let server, browser;
before(async () => {
  server = await serveExample();
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Runs `fn(context)` in a fresh browser context whose stored preferences say `elderly`. */
async function inMode(elderly, viewport, fn) {
  return withContext(browser, { viewport, locale: "zh-CN" }, async (context) => {
    await context.addInitScript((on) => {
      if (!sessionStorage.getItem("gongkai-test-init")) {
        localStorage.setItem("gongkai-a11y", JSON.stringify({ elderly: on }));
        sessionStorage.setItem("gongkai-test-init", "1");
      }
    }, elderly);
    return fn(context);
  });
}

async function open(context, path) {
  const page = await context.newPage();
  const response = await page.goto(new URL(path, server.url).href, { waitUntil: "load" });
  assert.ok(response, `no response for ${path}`);
  // The search page fills itself in after its first query.
  if (path.startsWith("search/?")) await page.waitForSelector("#search-hits li", { timeout: 10000 });
  return page;
}

/** How far the page scrolls sideways (wide data tables scroll in their own box). */
function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

function describeViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.split("\n").join(" ")}`).join("\n")}`)
    .join("\n");
}

for (const [modeName, elderly] of Object.entries(MODES)) {
  for (const [widthName, viewport] of Object.entries(WIDTHS)) {
    describe(`axe WCAG 2.1 AA, ${modeName} mode, ${widthName}`, () => {
      for (const [name, path] of Object.entries(PAGES)) {
        test(name, () =>
          inMode(elderly, viewport, async (context) => {
            const page = await open(context, path);
            assert.equal(await page.evaluate(() => document.documentElement.hasAttribute("data-elderly")), elderly, "mode applied");
            await page.addScriptTag({ path: AXE });
            const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
            assert.equal(result.violations.length, 0, `${path}:\n${describeViolations(result.violations)}`);
            const sideways = await overflow(page);
            assert.ok(sideways <= 0, `${path} scrolls sideways by ${sideways}px at ${viewport.width}px`);
            if (name === "document") await page.screenshot({ path: join(SCREENSHOTS, `document-${modeName}-${widthName}.png`), fullPage: true });
          }),
        );
      }
    });
  }
}

describe("elderly-friendly mode", () => {
  test("the header button enlarges text and targets, and the mode follows the visitor to the next page", () =>
    withPage(browser, { viewport: WIDTHS.desktop }, async (page) => {
      await page.goto(new URL(PAGES.document, server.url).href);
      const sizes = () =>
        page.evaluate(() => ({
          body: parseFloat(getComputedStyle(document.body).fontSize),
          h1: parseFloat(getComputedStyle(document.querySelector("h1")).fontSize),
          lineHeight: parseFloat(getComputedStyle(document.body).lineHeight) / parseFloat(getComputedStyle(document.body).fontSize),
        }));
      const normal = await sizes();
      const toggle = page.locator("#elderly-toggle");
      assert.equal(await toggle.getAttribute("aria-pressed"), "false");
      await toggle.click();
      assert.equal(await toggle.getAttribute("aria-pressed"), "true");
      const elderly = await sizes();
      assert.ok(elderly.body >= 18, `body text ${elderly.body}px in the elderly mode`);
      assert.ok(elderly.body > normal.body && elderly.h1 > normal.h1, `text grows: ${JSON.stringify({ normal, elderly })}`);
      assert.ok(elderly.lineHeight >= 1.8, `line spacing ${elderly.lineHeight}`);
      const small = await page.evaluate(() =>
        [...document.querySelectorAll("button:not([hidden]), input, select, .site-nav a, .pagination a, .tool-button")]
          .filter((e) => e.offsetParent !== null)
          .map((e) => ({ what: e.outerHTML.slice(0, 60), box: e.getBoundingClientRect() }))
          .filter(({ box }) => box.width < 44 || box.height < 44)
          .map(({ what, box }) => `${what} ${box.width}×${box.height}`),
      );
      assert.deepEqual(small, [], "every control is at least 44×44 px");

      await page.locator(".site-nav a", { hasText: "信息公开目录" }).click();
      await page.waitForURL(/directory\//);
      assert.ok(await page.evaluate(() => document.documentElement.hasAttribute("data-elderly")), "mode kept after navigation");
      assert.ok((await sizes()).body >= 18);
      await page.locator("#elderly-toggle").click();
      assert.equal((await sizes()).body, normal.body, "switching off restores the normal size");
    }));

  test("a link with ?mode=elderly opens the site in the elderly mode, and #elderly works without scripts", async () => {
    await withPage(browser, { viewport: WIDTHS.phone }, async (page) => {
      await page.goto(new URL(`${PAGES.catalogue}?mode=elderly`, server.url).href);
      assert.ok(await page.evaluate(() => document.documentElement.hasAttribute("data-elderly")));
      await page.goto(new URL(PAGES.home, server.url).href);
      assert.ok(await page.evaluate(() => document.documentElement.hasAttribute("data-elderly")), "remembered");
    });
    await withPage(browser, { viewport: WIDTHS.phone, javaScriptEnabled: false }, async (plain) => {
      await plain.goto(new URL(`${PAGES.document}#elderly`, server.url).href);
      const size = await plain.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      assert.ok(size >= 18, `body text ${size}px with #elderly and no scripts`);
    });
  });
});

describe("无障碍 toolbar", () => {
  test("text size steps, high contrast, reading guide and reset, all by keyboard", () =>
    withPage(browser, { viewport: WIDTHS.desktop }, async (page) => {
      await page.goto(new URL(PAGES.document, server.url).href);
      const bodySize = () => page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      const start = await bodySize();
      const open = page.locator("#a11y-toggle");
      await open.focus();
      await page.keyboard.press("Enter");
      assert.equal(await open.getAttribute("aria-expanded"), "true");
      await page.locator("[data-a11y=larger]").focus();
      await page.keyboard.press("Enter");
      await page.keyboard.press("Enter");
      assert.ok((await bodySize()) > start * 1.2, "two steps larger");
      await page.locator("[data-a11y=contrast]").press("Enter");
      assert.equal(await page.locator("[data-a11y=contrast]").getAttribute("aria-pressed"), "true");
      const colours = await page.evaluate(() => [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]);
      assert.deepEqual(colours, ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]);
      await page.locator("[data-a11y=guide]").press("Enter");
      assert.equal(await page.locator(".reading-guide").count(), 1);
      await page.mouse.move(200, 321);
      assert.equal(await page.locator(".reading-guide").evaluate((e) => e.style.top), "321px");
      // Preferences stay on the next page.
      await page.goto(new URL(PAGES.home, server.url).href);
      assert.ok((await bodySize()) > start * 1.2);
      assert.equal(await page.locator(".reading-guide").count(), 1);
      await page.locator("#a11y-toggle").click();
      await page.locator("[data-a11y=reset]").click();
      assert.equal(await bodySize(), start);
      assert.equal(await page.locator(".reading-guide").count(), 0);
      assert.equal(await page.evaluate(() => document.documentElement.hasAttribute("data-contrast")), false);
    }));
});

// The toolbar opened with every control it can show: the read-aloud controls
// (with a stubbed Chinese voice, reading under way), the extra-large cursor on,
// and the text at its largest step, 200%.
describe("无障碍 toolbar, opened in full", () => {
  for (const [modeName, elderly] of Object.entries(MODES)) {
    for (const [widthName, viewport] of Object.entries(WIDTHS)) {
      test(`${modeName} mode, ${widthName}: no axe violation, and every control fits the line at 200% text`, () =>
        inMode(elderly, viewport, async (context) => {
          await context.addInitScript(speechStub, { voices: VOICES.chinese });
          const page = await open(context, PAGES.document);
          await page.locator("#a11y-toggle").click();
          const larger = page.locator("[data-a11y=larger]");
          while (await larger.isEnabled()) await larger.click();
          assert.equal(await page.locator("#a11y-size").textContent(), "文字 200%");
          const cursor = page.locator("[data-a11y=cursor]");
          if ((await cursor.getAttribute("aria-pressed")) === "false") await cursor.click();
          await page.locator("[data-a11y=speak]").click();
          assert.equal(await page.locator("[data-a11y=stop]").isVisible(), true, "reading, with pause and stop shown");
          await page.addScriptTag({ path: AXE });
          const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
          assert.equal(result.violations.length, 0, describeViolations(result.violations));
          const outside = await page.evaluate(() =>
            [...document.querySelectorAll("#a11y-toolbar button, #a11y-toolbar output, #a11y-speech-status")]
              .filter((e) => e.offsetParent !== null)
              .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
              .map((e) => e.textContent),
          );
          assert.deepEqual(outside, [], "toolbar controls past the right edge");
          const sideways = await overflow(page);
          assert.ok(sideways <= 0, `scrolls sideways by ${sideways}px`);
          if (widthName === "phone") await page.screenshot({ path: join(SCREENSHOTS, `toolbar-${modeName}-phone.png`) });
        }),
      );
    }
  }
});

describe("keyboard and print", () => {
  test("the first Tab reaches the skip link, which moves focus to the main content", () =>
    withPage(browser, {}, async (page) => {
      await page.goto(new URL(PAGES.document, server.url).href);
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
      await page.keyboard.press("Enter");
      assert.equal(await page.evaluate(() => document.activeElement.id), "main");
    }));

  test("printing keeps the metadata table and drops navigation", () =>
    withPage(browser, {}, async (page) => {
      await page.goto(new URL(PAGES.document, server.url).href);
      await page.emulateMedia({ media: "print" });
      const shown = (selector) => page.locator(selector).first().evaluate((e) => getComputedStyle(e).display !== "none");
      assert.equal(await shown(".site-header"), false);
      assert.equal(await shown(".breadcrumbs"), false);
      assert.equal(await shown(".site-footer"), false);
      assert.equal(await shown("table.meta"), true);
      assert.equal(await shown(".doc-body"), true);
    }));

  test("at 320 px (a 1280 px screen at 400% zoom) no page scrolls sideways", () =>
    withContext(browser, { viewport: { width: 320, height: 640 } }, async (context) => {
      const sideways = [];
      for (const path of Object.values(PAGES)) {
        const page = await open(context, path);
        const by = await overflow(page);
        if (by > 0) sideways.push(`${path} by ${by}px`);
        await page.close();
      }
      assert.deepEqual(sideways, [], "pages that scroll sideways");
    }));
});

// The theme was drawn with the usual Chinese fonts; a phone without them (or a
// visitor's own font) draws text wider. Forcing a monospace font with extra letter
// and word spacing on every element stands for any such font: the header, the
// opened 无障碍 toolbar, navigation and search box must wrap, not overflow.
const WIDE_FONT = "*, *::before, *::after { font-family: 'DejaVu Sans Mono', monospace !important; letter-spacing: 0.3em !important; word-spacing: 0.5em !important; }";
// One page of each layout: home, document, listing, versioned page, report, search.
const LAYOUTS = ["home", "document", "category listing, page 2", "directory", "guide changes", "annual report", "search with results", "not found"];

describe("reflow with a wider font than the theme's", () => {
  for (const [modeName, elderly] of Object.entries(MODES)) {
    for (const width of [320, 360]) {
      test(`${modeName} mode, ${width} px: nothing scrolls sideways`, () =>
        inMode(elderly, { width, height: 740 }, async (context) => {
          const sideways = [];
          for (const name of LAYOUTS) {
            const page = await open(context, PAGES[name]);
            await page.addStyleTag({ content: WIDE_FONT });
            await page.locator("#a11y-toggle").click();
            const by = await overflow(page);
            if (by > 0) sideways.push(`${name} (${PAGES[name]}) by ${by}px: ${await widest(page)}`);
            await page.close();
          }
          assert.deepEqual(sideways, [], `pages that scroll sideways at ${width} px`);
        }));
    }
  }
});

/** The elements that reach past the right edge, for the failure message. */
function widest(page) {
  return page.evaluate(() => {
    const edge = document.documentElement.clientWidth;
    return [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > edge + 0.5)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.className ? "." + e.className : ""}`)
      .join(", ");
  });
}
