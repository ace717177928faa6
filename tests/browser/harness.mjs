// Shared by the browser tests: a copy of a fixture site served by the real
// `gongkai serve`, and Debian's Chromium driven headless by playwright-core.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const binary = process.env.GONGKAI_BIN ?? join(repo, "target", "debug", "gongkai");

/** Copies tests/fixtures/<name> to a temporary folder and serves it. */
export async function serveFixture(name) {
  const root = mkdtempSync(join(tmpdir(), "gongkai-browser-"));
  cpSync(join(repo, "tests", "fixtures", name), root, { recursive: true });
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
