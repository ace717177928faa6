// The search page (/search/): reads the query and filters from the URL, asks
// search/engine.js, and shows results, facet filters with counts and paging.
// The URL is the state (`?q=排污许可&category=行政许可&sort=date`), so a search can
// be bookmarked and shared and the back button walks through earlier searches. On a
// platform a department's pages send `department=<code>` from their header box; the
// filters in force are listed above the results, each with a link that drops it.
import { createSearch } from "../search/engine.js";

const PAGE = 10;
const FILTERS = [
  ["department", "部门"],
  ["category", "公开目录"],
  ["year", "发布年份"],
  ["publisher", "发布机构"],
  ["validity", "有效性"],
];
const VALIDITY_MARK = { repealed: "已废止", expired: "已失效", amended: "已修改" };

const app = document.getElementById("search-app");
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const sortSelect = document.getElementById("search-sort");
const status = document.getElementById("search-status");
const activeList = document.getElementById("search-active");
const hitsList = document.getElementById("search-hits");
const facetGroups = document.getElementById("search-facet-groups");
const moreButton = document.getElementById("search-more");
const engine = createSearch({ base: new URL("search/", new URL(app.dataset.base, location.href)).href });

const pageTitle = document.title;
let shown = 0;
let generation = 0;

/** The search the URL describes. */
function stateFromUrl() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const [name] of FILTERS) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  return { q: (params.get("q") || "").trim(), sort: params.get("sort") === "date" ? "date" : "relevance", filters };
}

function urlFor(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const [name] of FILTERS) if (state.filters[name]) params.set(name, state.filters[name]);
  if (state.sort === "date") params.set("sort", "date");
  const query = params.toString();
  return query ? `?${query}` : location.pathname;
}

function go(state) {
  history.pushState(null, "", urlFor(state));
  run();
}

async function run() {
  const state = stateFromUrl();
  input.value = state.q;
  sortSelect.value = state.sort;
  document.title = state.q ? `“${state.q}”的搜索结果 - ${pageTitle}` : pageTitle;
  const mine = ++generation;
  shown = 0;
  hitsList.replaceChildren();
  facetGroups.replaceChildren();
  showActive(state, null);
  moreButton.hidden = true;
  if (!state.q && !Object.keys(state.filters).length) {
    status.textContent = "请输入要查找的词句、文号或索引号。";
    return;
  }
  status.textContent = "正在搜索…";
  try {
    const result = await engine.search(state.q, { filters: state.filters, sort: state.sort, offset: 0, limit: PAGE });
    if (mine !== generation) return;
    showFacets(state, result.facets);
    showActive(state, result.facets);
    showHits(result.hits);
    showStatus(state, result);
    shown = result.hits.length;
    moreButton.hidden = shown >= result.total;
  } catch (error) {
    if (mine !== generation) return;
    status.textContent = "搜索暂时无法使用,请稍后再试,或按目录浏览。";
    console.error(error);
  }
}

async function more() {
  const state = stateFromUrl();
  const mine = generation;
  moreButton.disabled = true;
  const result = await engine.search(state.q, { filters: state.filters, sort: state.sort, offset: shown, limit: PAGE });
  moreButton.disabled = false;
  if (mine !== generation) return;
  const first = showHits(result.hits);
  shown += result.hits.length;
  moreButton.hidden = shown >= result.total;
  status.textContent = `共找到 ${result.total} 条信息,已显示 ${shown} 条。`;
  // Keyboard and screen-reader users continue where the new results start.
  first?.querySelector("a")?.focus();
}

function showStatus(state, result) {
  const what = state.q ? `与“${state.q}”相关的` : "";
  if (!result.total) {
    status.textContent = `没有找到${what}信息。可以换一个词、去掉筛选条件,或按目录浏览。`;
    return;
  }
  const exact = result.hits.filter((h) => h.exact).length;
  const lead = exact ? `按文号或索引号找到 ${exact} 条完全匹配的信息;` : "";
  const approx = result.approximate ? "约" : "";
  status.textContent = `${lead}共找到${approx} ${result.total} 条${what}信息。`;
}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function showHits(hits) {
  let first = null;
  for (const hit of hits) {
    const title = el("h3", {}, el("a", { href: hit.url, textContent: hit.title }));
    if (hit.exact) title.append(" ", el("span", { className: "exact-mark", textContent: "完全匹配" }));
    if (VALIDITY_MARK[hit.validity]) title.append(" ", el("span", { className: "validity", textContent: VALIDITY_MARK[hit.validity] }));
    const excerpt = el("p", { className: "hit-excerpt" });
    // engine.js escapes the document text and adds only <mark> elements.
    excerpt.innerHTML = hit.excerpt;
    const meta = el("dl", { className: "hit-meta" });
    for (const [label, value] of [["索引号", hit.index_no], ["文号", hit.doc_no], ["统一登记号", hit.reg_no], ["发布机构", hit.publisher], ["发布日期", hit.date]]) {
      if (value) meta.append(el("div", {}, el("dt", { textContent: label }), el("dd", { textContent: value })));
    }
    const item = el("li", { className: "hit" }, title, hit.excerpt ? excerpt : null, meta);
    hitsList.append(item);
    first ??= item;
  }
  return first;
}

function showFacets(state, facets) {
  for (const [name, label] of FILTERS) {
    const values = (facets?.[name] || []).filter((v) => v.count > 0 || state.filters[name] === v.value || state.filters[name] === v.label);
    if (!values.length) continue;
    const id = `facet-${name}`;
    const list = el("ul");
    const selected = state.filters[name];
    if (selected) list.append(el("li", {}, facetLink(without(state, name), `不限${label}`, false)));
    for (const v of values) {
      const on = selected === v.value || selected === v.label;
      const next = { ...state, filters: { ...state.filters, [name]: v.label ?? v.value } };
      const link = facetLink(next, v.label ?? v.value, on);
      link.append(" ", el("span", { className: "count", textContent: `(${v.count})` }));
      list.append(el("li", { className: v.parent && name === "category" ? "child" : "" }, link));
    }
    facetGroups.append(el("h3", { id, textContent: label }), list);
    list.setAttribute("aria-labelledby", id);
  }
}

/** The filters in force, named as their facets name them, each with a link without it. */
function showActive(state, facets) {
  activeList.replaceChildren();
  for (const [name, label] of FILTERS) {
    const selected = state.filters[name];
    if (!selected) continue;
    const entry = facets?.[name]?.find((v) => String(v.value) === selected || v.label === selected);
    const text = `${label}:${entry?.label ?? selected}`;
    const link = facetLink(without(state, name), "取消", false);
    link.append(el("span", { className: "visually-hidden", textContent: `“${text}”` }));
    activeList.append(el("li", {}, el("span", { textContent: text }), " ", link));
  }
  activeList.hidden = !activeList.children.length;
}

/** `state` without the filter `name`. */
function without(state, name) {
  const filters = { ...state.filters };
  delete filters[name];
  return { ...state, filters };
}

function facetLink(state, text, current) {
  const link = el("a", { href: urlFor(state), textContent: text });
  if (current) link.setAttribute("aria-current", "true");
  link.addEventListener("click", (event) => {
    event.preventDefault();
    go(state);
  });
  return link;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  go({ ...stateFromUrl(), q: input.value.trim() });
});
sortSelect.addEventListener("change", () => go({ ...stateFromUrl(), sort: sortSelect.value }));
moreButton.addEventListener("click", more);
addEventListener("popstate", run);
app.hidden = false;
run();
