// Shared by the search tests: builds a fixture site with the real gongkai binary,
// serves its output to engine.js through a counting fetch, and reads the fixture's
// sources so that expectations come from the documents themselves.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const fixtureRoot = join(repo, "tests", "fixtures", "search");
const binary = process.env.GONGKAI_BIN ?? join(repo, "target", "debug", "gongkai");

export const engineModule = join(repo, "themes", "default", "static", "search", "engine.js");

/**
 * Builds a copy of tests/fixtures/search (with `base_url` replaced when given, and
 * `prepare(root)` called on the copy) into a fresh temporary folder; returns the
 * copy, the output folder and a function removing both.
 */
export function buildFixture({ baseUrl, prepare } = {}) {
  const work = mkdtempSync(join(tmpdir(), "gongkai-search-"));
  const root = join(work, "site");
  const output = join(work, "public");
  cpSync(fixtureRoot, root, { recursive: true });
  if (baseUrl) {
    const site = join(root, "content", "site.toml");
    writeFileSync(site, readFileSync(site, "utf8").replace(/^base_url = .*$/m, `base_url = "${baseUrl}"`));
  }
  prepare?.(root);
  if (!existsSync(binary)) throw new Error(`no gongkai binary at ${binary}: run cargo build or set GONGKAI_BIN`);
  execFileSync(binary, ["build", "--root", root, "--output", output], { stdio: ["ignore", "ignore", "pipe"] });
  return { root, output, cleanup: () => rmSync(work, { recursive: true, force: true }) };
}

/**
 * A fetch that answers URLs under `prefix` (the site's base_url, e.g. "/xxgk/")
 * with the files of `output`, and records every request and its bytes.
 */
export function fileFetch(output, prefix = "/") {
  const log = [];
  async function fetch(input) {
    const url = new URL(String(input), "http://fixture.test");
    if (!url.pathname.startsWith(prefix)) {
      log.push({ path: url.pathname, bytes: 0, status: 404 });
      return new Response("outside the site", { status: 404 });
    }
    const file = join(output, decodeURIComponent(url.pathname.slice(prefix.length)));
    if (!existsSync(file) || !statSync(file).isFile()) {
      log.push({ path: url.pathname, bytes: 0, status: 404 });
      return new Response("not found", { status: 404 });
    }
    const body = readFileSync(file);
    log.push({ path: url.pathname, search: url.search, bytes: body.length, status: 200 });
    return new Response(body, { status: 200 });
  }
  return {
    fetch,
    log,
    bytes: () => log.reduce((sum, r) => sum + r.bytes, 0),
    paths: () => log.map((r) => r.path),
    reset: () => log.splice(0),
  };
}

// ---------------------------------------------------------------------------
// The fixture's sources

/** The few TOML forms the fixture uses: strings, dates, numbers, arrays, [[tables]]. */
export function parseToml(text) {
  const root = {};
  let table = root;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const header = line.match(/^\[\[(.+)\]\]$/);
    if (header) {
      // [[a]] appends to root.a; [[a.b]] appends to the last a's b.
      const names = header[1].split(".");
      let parent = root;
      for (const name of names.slice(0, -1)) {
        const list = parent[name];
        parent = list[list.length - 1];
      }
      const last = names[names.length - 1];
      parent[last] ??= [];
      table = {};
      parent[last].push(table);
      continue;
    }
    const m = line.match(/^([A-Za-z_]+)\s*=\s*(.+)$/);
    if (!m) throw new Error(`fixture TOML: cannot read ${line}`);
    const value = m[2].trim();
    table[m[1]] = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : value === "true" || value === "false" ? value === "true" : JSON.parse(value);
  }
  return root;
}

function splitFrontMatter(text) {
  const m = text.match(/^\+\+\+\n([\s\S]*?)\n\+\+\+\n?([\s\S]*)$/);
  if (!m) throw new Error("fixture: no front matter");
  return { meta: parseToml(m[1]), body: m[2] };
}

/**
 * The plain text of the fixture's simple Markdown: headings without their #,
 * code spans without backticks, blocks on their own lines.
 */
export function plainText(markdown) {
  return markdown
    .split(/\n\s*\n/)
    .map((block) => block.replace(/^#+\s+/gm, "").replace(/`/g, "").replace(/\s*\n\s*/g, "").trim())
    .filter(Boolean)
    .join("\n");
}

function markdownFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith(".md") && statSync(f).isFile());
}

/** The bodies of a platform as the index lists them: the owner, departments, towns. */
const KINDS = { owner: 0, department: 1, town: 2 };

/**
 * Site settings, the current directory's categories, the bodies (a platform's, as
 * docs/search.md lists them; none on a single body's site) and every searchable
 * document, with `department` its department's code (null for the owner's).
 */
export function readFixture(root = fixtureRoot) {
  const content = join(root, "content");
  const site = parseToml(readFileSync(join(content, "site.toml"), "utf8"));
  const directories = markdownFiles(join(content, "directory")).map((f) => splitFrontMatter(readFileSync(f, "utf8")).meta);
  directories.sort((a, b) => String(a.effective).localeCompare(String(b.effective)));
  const categories = [];
  const walk = (list, parent) => {
    for (const c of list ?? []) {
      categories.push({ code: c.code, name: c.name, parent });
      walk(c.children, c.code);
    }
  };
  walk(directories[directories.length - 1].categories, null);
  const departments = readDepartments(content);
  const docs = [null, ...departments].flatMap((dept) =>
    readDocuments(dept ? join(content, "departments", dept.code) : content, site, dept),
  );
  const owner = { code: null, name: site.organization, kind: "owner", order: 0 };
  const withDocs = (b) => docs.some((d) => d.department === b.code);
  const bodies = departments.length ? [owner, ...departments].filter(withDocs).sort((a, b) => KINDS[a.kind] - KINDS[b.kind] || a.order - b.order || a.code.localeCompare(b.code)) : [];
  return { site, categories, bodies, docs };
}

/** content/departments/<code>/department.toml, each as { code, name, kind, order }. */
function readDepartments(content) {
  const dir = join(content, "departments");
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((code) => {
    const toml = parseToml(readFileSync(join(dir, code, "department.toml"), "utf8"));
    return { code, name: toml.name, kind: toml.kind === "乡镇" ? "town" : "department", order: toml.order ?? Infinity };
  });
}

/** The documents, plans and reports of one body (`dept` null: the owner's). */
function readDocuments(folder, site, dept) {
  const docs = [];
  for (const [dir, fallback] of [["docs", null], ["plans", site.plan_category], ["reports", site.report_category]]) {
    for (const file of markdownFiles(join(folder, dir))) {
      const { meta, body } = splitFrontMatter(readFileSync(file, "utf8"));
      docs.push({
        source: relative(folder, file),
        department: dept?.code ?? null,
        title: meta.title,
        index_no: meta.index_no,
        publisher: meta.publisher ?? dept?.name,
        category: meta.category ?? fallback,
        date: meta.date,
        doc_no: meta.doc_no ?? null,
        reg_no: meta.reg_no ?? null,
        keywords: meta.keywords ?? [],
        validity: meta.validity ?? "effective",
        body: plainText(body),
      });
    }
  }
  return docs;
}

/** The documents of `docs` that have every token of `query` somewhere in their fields. */
export function withTokens(docs, tokenize, query) {
  const want = tokenize(query);
  return docs.filter((d) => {
    const have = new Set(tokenize(fieldsText(d)));
    return want.every((t) => have.has(t));
  });
}

/** The owner's value in the department filter and facet (docs/search.md §4). */
export const OWNER = "本级";

/**
 * Filters and disjunctive facet counts as docs/search.md §4 defines them, computed
 * from a fixture's sources: `passes(d, filters, except)` and
 * `assertFacets(facets, matching, filters, label)`, which compares the engine's
 * counts with the documents that pass every filter but the facet's own.
 */
export function facetModel(fixture) {
  const yearOf = (d) => Number(d.date.slice(0, 4));
  const bodyOf = (v) => fixture.bodies.find((b) => (b.code ?? OWNER) === v || b.name === v);
  const checks = {
    category: (d, v) => {
      const c = fixture.categories.find((c) => c.code === v || c.name === v);
      return !!c && subtree(fixture.categories, c.code).has(d.category);
    },
    publisher: (d, v) => d.publisher === v,
    year: (d, v) => yearOf(d) === Number(v),
    validity: (d, v) => d.validity === v || { 已废止: "repealed", 已失效: "expired", 已修改: "amended", 有效: "effective" }[v] === d.validity,
    department: (d, v) => !!bodyOf(v) && bodyOf(v).code === d.department,
  };
  const passes = (d, filters, except) => Object.entries(filters).every(([name, v]) => name === except || checks[name](d, v));
  const ancestors = (code) => {
    const chain = [];
    for (let c = fixture.categories.find((x) => x.code === code); c; c = fixture.categories.find((x) => x.code === c.parent)) chain.push(c.code);
    return chain;
  };
  const keys = {
    category: (d) => ancestors(d.category),
    publisher: (d) => d.publisher,
    year: yearOf,
    validity: (d) => d.validity,
    // A single body's index has no department facet.
    department: (d) => (fixture.bodies.length ? [d.department ?? OWNER] : []),
  };
  /** Each facet's counts by value, from the sources. */
  function expectedFacets(matching, filters) {
    const count = (name) => {
      const out = new Map();
      for (const d of matching.filter((d) => passes(d, filters, name))) {
        for (const key of [keys[name](d)].flat()) out.set(key, (out.get(key) ?? 0) + 1);
      }
      return out;
    };
    return Object.fromEntries(Object.keys(keys).map((name) => [name, count(name)]));
  }
  function assertFacets(facets, matching, filters, label) {
    const expected = expectedFacets(matching, filters);
    for (const name of Object.keys(expected)) {
      const got = new Map(facets[name].filter((f) => f.count > 0).map((f) => [f.value, f.count]));
      assert.deepEqual(got, expected[name], `${label}: facet ${name}`);
    }
  }
  return { yearOf, passes, assertFacets };
}

/** The descendants of a category code, itself included. */
export function subtree(categories, code) {
  const out = new Set([code]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of categories) {
      if (c.parent && out.has(c.parent) && !out.has(c.code)) {
        out.add(c.code);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * Imports engine.js. The theme's static files have no package.json saying they
 * are ES modules, so Node would warn on every import of the .js file; a copy
 * named .mjs is the same code without the noise.
 */
export async function loadEngine() {
  const dir = mkdtempSync(join(tmpdir(), "gongkai-engine-"));
  const copy = join(dir, "engine.mjs");
  cpSync(engineModule, copy);
  try {
    return await import(pathToFileURL(copy).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The fields a phrase is looked for in, joined as docs/search.md §4 says. */
export function fieldsText(doc) {
  return [doc.title, doc.doc_no, doc.reg_no, doc.index_no, ...doc.keywords, doc.publisher, doc.body].filter((x) => x != null).join("\n");
}

// A letter or digit outside the CJK ranges of docs/search.md §1.
const WORD = "(?:(?![\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u3040-\\u30ff\\uac00-\\ud7a3\\u3005\\u3007\\u{20000}-\\u{2fa1f}])[\\p{Alphabetic}\\p{N}])";

/**
 * Whether normalized `text` contains normalized `phrase` as docs/search.md §4
 * defines it: literally, with a word boundary where the phrase begins or ends with
 * a letter or digit (`3号` is not in `13号`).
 */
export function containsPhrase(text, phrase) {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const before = new RegExp(`^${WORD}`, "u").test(phrase) ? `(?<!${WORD})` : "";
  const after = new RegExp(`${WORD}$`, "u").test(phrase) ? `(?!${WORD})` : "";
  return new RegExp(before + escaped + after, "u").test(text);
}
