// A site built from hostile input (tests/fixtures/hostile: markup, scripts, event
// handlers, javascript: links and off-site addresses in every field a page shows,
// plus attachments with odd names added below) served on 127.0.0.1: no script
// from the content runs, no dialog opens, and no request leaves 127.0.0.1, on every
// page type, the search page with hostile hits and with a hostile query included.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser, serveFixture, withContext } from "./harness.mjs";

// File names a shell, a URL or HTML would each read differently.
const ODD_NAMES = [`"><svg onload=__pwned('attachment')>.pdf`, "javascript:__pwned('attachment link').pdf", "空 格#井号?问号%25&amp.pdf", "'单引号'.docx"];
const HOSTILE_QUERY = `<script>__pwned('query')</script>"><img src=x onerror=__pwned('query-attr')>`;

const PAGES = {
  home: "",
  document: "docs/hostile/",
  "document with odd attachments": "docs/attachments/",
  catalogue: "catalogue/",
  "category listing": "catalogue/gfxwj/",
  directory: "directory/",
  guide: "guide/",
  "not found": "no-such-page/",
  "search finding the hostile documents": "search/?q=" + encodeURIComponent("标题"),
  "search with a hostile query": "search/?q=" + encodeURIComponent(HOSTILE_QUERY),
};

let server, browser;
before(async () => {
  server = await serveFixture("hostile", addOddAttachments);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** A second document whose attachments have the odd names (kept out of git: some
 * of them are not valid file names on every system). */
function addOddAttachments(root) {
  mkdirSync(join(root, "content", "files", "2023"), { recursive: true });
  for (const name of ODD_NAMES) writeFileSync(join(root, "content", "files", "2023", name), "%PDF-1.4\n");
  const doc = readFileSync(join(root, "content", "docs", "hostile.md"), "utf8")
    .replace("2023-0301001", "2023-0301002")
    .replace(/^keywords = .*$/m, `attachments = [${ODD_NAMES.map((n) => JSON.stringify(`files/2023/${n}`)).join(", ")}]`);
  writeFileSync(join(root, "content", "docs", "attachments.md"), doc);
}

/** Loads `path` in a fresh context that records what the page does: requests (those
 * off 127.0.0.1 are recorded and stopped), dialogs, new windows, uncaught errors,
 * console lines, and calls of `__pwned`, the function every script in the content
 * would call. */
async function visit(path) {
  return withContext(browser, { viewport: { width: 1280, height: 900 } }, async (context) => {
    const seen = { offsite: [], dialogs: [], popups: [], errors: [], console: [] };
    context.on("request", (request) => {
      const url = new URL(request.url());
      if (url.hostname !== "127.0.0.1") seen.offsite.push(request.url());
    });
    await context.route(
      (url) => url.hostname !== "127.0.0.1",
      (route) => route.abort(),
    );
    await context.addInitScript(() => {
      const record = (what) => {
        let top = window;
        try {
          top = window.top.__pwnedBy ? window.top : window;
        } catch {}
        (top.__pwnedBy ??= []).push(String(what));
      };
      window.__pwnedBy = [];
      window.__pwned = record;
      for (const name of ["alert", "confirm", "prompt", "print", "open"]) window[name] = (...args) => record(`${name}(${args.join(", ")})`);
    });
    const page = await context.newPage();
    page.on("dialog", (dialog) => {
      seen.dialogs.push(dialog.message());
      dialog.dismiss().catch(() => {});
    });
    context.on("page", (popup) => popup !== page && seen.popups.push(popup.url()));
    page.on("pageerror", (error) => seen.errors.push(String(error)));
    page.on("console", (message) => /pwned/i.test(message.text()) && seen.console.push(message.text()));

    const response = await page.goto(new URL(path, server.url).href, { waitUntil: "load" });
    assert.ok(response, `no response for ${path}`);
    if (path.startsWith("search/")) {
      await page.waitForFunction(() => {
        const text = document.getElementById("search-status")?.textContent ?? "";
        return text && !text.includes("正在搜索");
      });
    }
    // Give images that fail, frames and timers their turn.
    await page.waitForTimeout(300);
    seen.pwned = await page.evaluate(() => window.__pwnedBy);
    seen.markup = await page.evaluate(dangerousMarkup);
    seen.text = await page.locator("main").innerText();
    return seen;
  });
}

/** What the served page holds that could run a script or fetch: event handler
 * attributes, script URLs, scripts other than the theme's and the dev server's own,
 * frames, plugins, base and refresh elements, styles in the body, links to other
 * hosts. Runs in the page. */
function dangerousMarkup() {
  const found = [];
  const ownScript = /^\/(js|__gongkai)\//;
  for (const e of document.querySelectorAll("*")) {
    const tag = e.tagName.toLowerCase();
    for (const a of e.attributes) {
      if (/^on/i.test(a.name)) found.push(`${tag} ${a.name}=${a.value}`);
      if (/^\s*(javascript|vbscript|data):/i.test(a.value) && /^(href|src|action|formaction|xlink:href|data|poster|background)$/i.test(a.name)) found.push(`${tag} ${a.name}=${a.value}`);
    }
    if (tag === "script" && !(e.src && ownScript.test(new URL(e.src).pathname))) found.push(`script ${e.src || e.textContent.slice(0, 60)}`);
    if (["iframe", "frame", "object", "embed", "base"].includes(tag)) found.push(e.outerHTML.slice(0, 80));
    if (tag === "link" && new URL(e.href).host !== location.host) found.push(e.outerHTML.slice(0, 80));
    if (tag === "meta" && e.httpEquiv) found.push(e.outerHTML.slice(0, 80));
    if (tag === "style" && e.closest("body")) found.push(e.outerHTML.slice(0, 80));
  }
  return found;
}

describe("a site built from hostile input", () => {
  for (const [name, path] of Object.entries(PAGES)) {
    test(`${name}: runs no script from the content and requests nothing off 127.0.0.1`, async () => {
      const seen = await visit(path);
      assert.deepEqual(seen.pwned, [], "scripts from the content ran");
      assert.deepEqual(seen.dialogs, [], "dialogs opened");
      assert.deepEqual(seen.popups, [], "windows opened");
      assert.deepEqual(seen.console, [], "console lines from the content");
      assert.deepEqual(seen.errors, [], "uncaught errors");
      assert.deepEqual(seen.offsite, [], "requests off 127.0.0.1");
      assert.deepEqual(seen.markup, [], "markup that could run or fetch");
    });
  }

  test("the hostile text is shown as text", async () => {
    const seen = await visit(PAGES.document);
    assert.match(seen.text, /标题<script>__pwned\('title'\)<\/script>/);
    assert.match(seen.text, /环发〔2023〕<img src=\/\/evil\.example\/no\.png onerror=__pwned\('doc_no'\)>号/);
    assert.match(seen.text, /\{\{ 7\*7 \}\}/, "template syntax in content is not evaluated");
    const hits = await visit(PAGES["search with a hostile query"]);
    assert.ok(hits.text.includes(HOSTILE_QUERY), `the query is echoed as text: ${hits.text.slice(0, 200)}`);
  });
});
