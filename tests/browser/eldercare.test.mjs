// The 2021 适老化 additions to the 无障碍 toolbar, in a real Chromium: the
// extra-large cursor (特大鼠标), remembered like the other preferences, and
// reading the main text aloud (语音阅读) with the browser's speech synthesis,
// stubbed here (see speech-stub.mjs) to see what the page asks it to read.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, serveExample, withContext, withPage } from "./harness.mjs";
import { VOICES, speechStub } from "./speech-stub.mjs";

const DOCUMENT = "bm/sthjj/docs/2022/gfxwj-2022-009-jubao-jiangli/";
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

const url = (path) => new URL(path, server.url).href;

/** The computed cursor of the first element `selector` finds. */
function cursorOf(page, selector) {
  return page.locator(selector).first().evaluate((e) => getComputedStyle(e).cursor);
}

async function openToolbar(page) {
  await page.locator("#a11y-toggle").click();
  assert.equal(await page.locator("#a11y-toolbar").isVisible(), true);
}

describe("特大鼠标 (extra-large cursor)", () => {
  test("the switch gives the page, links and text fields large cursors, follows the visitor to the next page, and 全部重置 turns it off", () =>
    withPage(browser, DESKTOP, async (page) => {
      await page.goto(url(DOCUMENT));
      const big = page.locator("[data-a11y=cursor]");
      assert.equal(await big.getAttribute("aria-pressed"), "false");
      assert.doesNotMatch(await cursorOf(page, "body"), /cursors\//, "off by default in the normal mode");

      await openToolbar(page);
      await big.click();
      assert.equal(await big.getAttribute("aria-pressed"), "true");
      assert.match(await cursorOf(page, ".doc-body p"), /cursors\/arrow\.svg"?\) 3 3, default/);
      assert.match(await cursorOf(page, ".site-nav a"), /cursors\/hand\.svg"?\) 21 2, pointer/);
      assert.match(await cursorOf(page, "#a11y-toggle"), /cursors\/hand\.svg/);
      assert.match(await cursorOf(page, "#header-q"), /cursors\/text\.svg"?\) 24 24, text/);
      // The images the cursors name are served, as SVG.
      const served = await page.evaluate(async () => {
        const names = ["arrow", "hand", "text"];
        return Promise.all(names.map(async (name) => (await fetch(new URL(`../cursors/${name}.svg`, document.querySelector("link[rel=stylesheet]").href))).headers.get("content-type")));
      });
      assert.deepEqual(served.map((type) => type?.split(";")[0]), ["image/svg+xml", "image/svg+xml", "image/svg+xml"]);

      await page.locator(".site-nav a", { hasText: "信息公开目录" }).click();
      await page.waitForURL(/directory\//);
      assert.match(await cursorOf(page, "h1"), /cursors\/arrow\.svg/, "kept after navigation");
      assert.equal(await page.locator("[data-a11y=cursor]").getAttribute("aria-pressed"), "true");

      await openToolbar(page);
      await page.locator("[data-a11y=reset]").click();
      assert.equal(await page.locator("[data-a11y=cursor]").getAttribute("aria-pressed"), "false");
      assert.doesNotMatch(await cursorOf(page, "h1"), /cursors\//, "off after 全部重置");
    }));

  test("the elderly-friendly mode brings it, and a visitor who switched it off keeps it off", () =>
    withPage(browser, DESKTOP, async (page) => {
      await page.goto(url(`${DOCUMENT}?mode=elderly`));
      const big = page.locator("[data-a11y=cursor]");
      assert.equal(await big.getAttribute("aria-pressed"), "true");
      assert.match(await cursorOf(page, "h1"), /cursors\/arrow\.svg/);
      await openToolbar(page);
      await big.click();
      assert.doesNotMatch(await cursorOf(page, "h1"), /cursors\//);
      await page.reload();
      assert.equal(await page.locator("[data-a11y=cursor]").getAttribute("aria-pressed"), "false", "the choice is remembered");
      await page.locator("#elderly-toggle").click();
      await page.locator("#elderly-toggle").click();
      assert.equal(await page.evaluate(() => document.documentElement.hasAttribute("data-elderly")), true);
      assert.doesNotMatch(await cursorOf(page, "h1"), /cursors\//, "switching the mode does not override the choice");
    }));
});

/** Runs `fn(page)` on a desktop page whose speech synthesis is the stub. */
function withSpeech(options, fn) {
  return withContext(browser, DESKTOP, async (context) => {
    await context.addInitScript(speechStub, options);
    return fn(await context.newPage());
  });
}

const speechLog = (page) => page.evaluate(() => window.speechLog());
const squeeze = (text) => text.replace(/\s+/g, "");

describe("语音阅读 (read-aloud)", () => {
  test("reads the main text in a zh-CN voice, sentence by sentence; pauses, resumes, and stops on a second press", () =>
    withSpeech({ voices: VOICES.chinese }, async (page) => {
      await page.goto(url(DOCUMENT));
      await openToolbar(page);
      const read = page.locator("[data-a11y=speak]");
      const pause = page.locator("[data-a11y=pause]");
      const status = page.locator("#a11y-speech-status");
      assert.equal(await read.isVisible(), true);
      assert.equal(await read.getAttribute("aria-pressed"), "false");
      assert.equal(await pause.isVisible(), false);

      await read.click();
      const spoken = (await speechLog(page)).filter((entry) => entry.call === "speak");
      const main = await page.locator("main").evaluate((e) => e.innerText);
      assert.ok(spoken.length > 5, `the text is read in sentences, not at once (${spoken.length})`);
      assert.equal(squeeze(spoken.map((entry) => entry.text).join("")), squeeze(main), "every utterance together is the main text, in order");
      assert.ok(spoken.every((entry) => entry.lang === "zh-CN" && entry.voice === "Ting-Ting"), "zh-CN, in the mainland voice");
      assert.ok(spoken.every((entry) => [...entry.text].length <= 100), "no utterance is long enough for Chrome to cut it off");
      assert.doesNotMatch(spoken.map((entry) => entry.text).join(""), /无障碍工具|特大鼠标|跳到主要内容/, "nothing from outside <main>");
      assert.equal(await read.getAttribute("aria-pressed"), "true");
      assert.equal(await status.textContent(), "正在朗读");
      assert.equal(await status.getAttribute("role"), "status");

      await pause.click();
      assert.equal((await speechLog(page)).at(-1).call, "pause");
      assert.equal(await pause.textContent(), "继续朗读");
      assert.equal(await status.textContent(), "已暂停");
      await pause.click();
      assert.equal((await speechLog(page)).at(-1).call, "resume");
      assert.equal(await pause.textContent(), "暂停朗读");
      assert.equal(await status.textContent(), "正在朗读");

      await read.click();
      assert.equal((await speechLog(page)).at(-1).call, "cancel", "a second press stops");
      assert.equal(await read.getAttribute("aria-pressed"), "false");
      assert.equal(await status.textContent(), "已停止");
      assert.equal(await pause.isVisible(), false);
      assert.equal(await page.locator("[data-a11y=stop]").isVisible(), false);
    }));

  test("says when it has read to the end, and stops when the visitor leaves the page", () =>
    withSpeech({ voices: VOICES.chinese }, async (page) => {
      await page.goto(url(DOCUMENT));
      await openToolbar(page);
      const read = page.locator("[data-a11y=speak]");
      await read.click();
      await page.evaluate(() => window.speechSynthesis.finish());
      assert.equal(await page.locator("#a11y-speech-status").textContent(), "朗读完毕");
      assert.equal(await read.getAttribute("aria-pressed"), "false");

      await read.click();
      const before = (await speechLog(page)).length;
      await page.locator(".site-nav a", { hasText: "信息公开目录" }).click();
      await page.waitForURL(/directory\//);
      const calls = (await speechLog(page)).slice(before).map((entry) => entry.call);
      assert.deepEqual(calls, ["cancel"], "leaving the page cancels the reading");
    }));

  test("the controls work by keyboard: Tab reaches them, Space and Enter press them, and focus stays in the toolbar", () =>
    withSpeech({ voices: VOICES.chinese }, async (page) => {
      await page.goto(url(DOCUMENT));
      await page.locator("#a11y-toggle").focus();
      await page.keyboard.press("Enter");
      const active = () => page.evaluate(() => document.activeElement.dataset.a11y ?? document.activeElement.id);
      await page.locator("[data-a11y=guide]").focus();
      await page.keyboard.press("Tab");
      assert.equal(await active(), "cursor");
      await page.keyboard.press("Space");
      assert.equal(await page.locator("[data-a11y=cursor]").getAttribute("aria-pressed"), "true");
      await page.keyboard.press("Tab");
      assert.equal(await active(), "speak");
      await page.keyboard.press("Space");
      assert.equal(await page.locator("#a11y-speech-status").textContent(), "正在朗读");
      await page.keyboard.press("Tab");
      assert.equal(await active(), "pause");
      await page.keyboard.press("Enter");
      assert.equal(await page.locator("#a11y-speech-status").textContent(), "已暂停");
      await page.keyboard.press("Tab");
      assert.equal(await active(), "stop");
      await page.keyboard.press("Enter");
      assert.equal(await page.locator("#a11y-speech-status").textContent(), "已停止");
      assert.equal(await active(), "speak", "the hidden stop button hands the focus to the read button");
      assert.deepEqual(
        (await speechLog(page)).map((entry) => entry.call).filter((call) => call !== "speak"),
        ["cancel", "pause", "cancel", "resume"],
      );
    }));

  test("offered once Chinese voices arrive, and hidden without them or without speech synthesis", async () => {
    const shown = (page) => page.locator("#a11y-speech").isVisible();
    await withSpeech({ voices: VOICES.chinese, late: true }, async (page) => {
      await page.goto(url(DOCUMENT));
      await openToolbar(page);
      assert.equal(await shown(page), false, "no voices yet");
      await page.evaluate(() => window.speechSynthesis.addVoices());
      assert.equal(await shown(page), true, "shown on voiceschanged");
    });
    await withSpeech({ voices: VOICES.english, late: true }, async (page) => {
      await page.goto(url(DOCUMENT));
      await openToolbar(page);
      await page.evaluate(() => window.speechSynthesis.addVoices());
      assert.equal(await shown(page), false, "no Chinese voice");
      assert.equal(await page.locator("[data-a11y=cursor]").isVisible(), true, "the rest of the toolbar is there");
    });
    await withSpeech({ voices: null }, async (page) => {
      await page.goto(url(DOCUMENT));
      await openToolbar(page);
      assert.equal(await shown(page), false, "no speech synthesis");
    });
  });
});
