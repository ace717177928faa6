// Live reload in a real browser: an open page follows a save by itself, shows a
// broken save's errors over the last good page, and clears them on the fix.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser, serveFixture, withPage } from "./harness.mjs";

let server, browser;
before(async () => {
  server = await serveFixture("basic");
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

function edit(rel, from, to) {
  const path = join(server.root, rel);
  const text = readFileSync(path, "utf8");
  assert.ok(text.includes(from), `${rel} has ${from}`);
  writeFileSync(path, text.replace(from, to));
}

test("an open page reloads after a save, and shows then clears a broken save's errors", () =>
  withPage(browser, {}, async (page) => {
    await page.goto(new URL("docs/policy/", server.url).href);
    // Mark this load of the page: a reload starts a new document without the mark.
    await page.evaluate(() => (window.__loadedBefore = true));
    await page.waitForSelector("html[data-gongkai-live=connected]", { timeout: 5000 });

    edit("content/docs/policy.md", "为规范排污许可管理,制定本规定。", "为规范排污许可管理,现制定本规定。");
    await page.waitForFunction(() => document.body.innerText.includes("现制定本规定"), null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => window.__loadedBefore), undefined, "the page was reloaded, not patched");

    edit("content/docs/policy.md", "date = 2023-03-01", "date = 2023-13-45");
    const overlay = page.locator("#gongkai-build-errors");
    await overlay.waitFor({ state: "visible", timeout: 10000 });
    const text = await overlay.innerText();
    assert.match(text, /content\/docs\/policy\.md:6: /, `the overlay names file and line: ${text}`);
    assert.equal(await overlay.getAttribute("role"), "alert");
    assert.ok((await page.locator("main").innerText()).includes("现制定本规定"), "the last good page stays under the overlay");

    edit("content/docs/policy.md", "date = 2023-13-45", "date = 2023-03-01");
    await overlay.waitFor({ state: "detached", timeout: 10000 });
  }));
