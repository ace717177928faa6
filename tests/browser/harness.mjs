// Shared by the browser tests: a copy of a fixture site served by the real
// `gongkai serve`, and Debian's Chromium driven headless by playwright-core.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const binary = process.env.GONGKAI_BIN ?? join(repo, "target", "debug", "gongkai");

/** Copies tests/fixtures/<name> to a temporary folder and serves it; `prepare(root)`
 * may add to the copy first. */
export async function serveFixture(name, prepare) {
  return serveCopy([join(repo, "tests", "fixtures", name)], prepare);
}

/** Serves a copy of the example site (the repository's content/ and themes/),
 * under another base_url when `baseUrl` is given. */
export async function serveExample({ baseUrl } = {}) {
  return serveCopy([join(repo, "content"), join(repo, "themes")], (root) => {
    if (!baseUrl) return;
    const config = join(root, "content", "site.toml");
    writeFileSync(config, readFileSync(config, "utf8").replace(/^base_url = .*$/m, `base_url = "${baseUrl}"`));
  });
}

/** Copies each folder (or a fixture's whole tree) into a fresh site root and serves it. */
async function serveCopy(sources, prepare = () => {}) {
  const root = mkdtempSync(join(tmpdir(), "gongkai-browser-"));
  for (const source of sources) {
    const single = sources.length === 1;
    cpSync(source, single ? root : join(root, basename(source)), { recursive: true });
  }
  prepare(root);
  const child = spawn(binary, ["serve", "--root", root, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stderr.on("data", (chunk) => (log += chunk));
  const url = await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`gongkai serve exited with ${code}:\n${log}`)));
    createInterface({ input: child.stdout }).once("line", resolve);
  });
  return {
    root,
    url,
    log: () => log,
    async close() {
      child.kill();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium with the flags a closed network needs. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** How long one navigation or action may take before its test fails. */
export const STEP_TIMEOUT = 20000;

/** Runs `fn(context)` in a new browser context and closes it whatever happens, so
 * that a failing case leaves nothing open for the next one. (Chromium opens at most
 * six connections to a host per context, and every page `gongkai serve` serves
 * keeps one open for live reload: pages a failed case left open made the next
 * cases' page loads wait until they timed out.) */
export async function withContext(browser, options, fn) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  try {
    return await fn(context);
  } finally {
    await context.close();
  }
}

/** Runs `fn(page)` on a new page in a context of its own (see `withContext`). */
export async function withPage(browser, options, fn) {
  return withContext(browser, options, async (context) => fn(await context.newPage()));
}
