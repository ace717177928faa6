#!/usr/bin/env python3
"""Search benchmark (issue 8, "Performance and quality"): index size, build time, quality, client.

Run from anywhere (after `CARGO_TARGET_DIR=/work/target-bench cargo build --release`):

    python3 bench/search_bench.py --gongkai /work/target-bench/release/gongkai
    python3 bench/search_bench.py --sizes 500 --runs 1 --no-results      # quick smoke test

For each size the script generates the same N documents twice with
../shared/bench/gen_corpus.py --seed 1 (a gongkai site and a Hugo site) into a
temporary folder outside the repository, then:

1. Build: times `--runs` runs each of
       gongkai build --root <corpus> --output <dir>          (search index on: the default)
       gongkai build --root <corpus> --output <dir>          ([search] enabled = false appended to
                                                              content/site.toml, removed afterwards)
       hugo --quiet --source <hugo corpus> --destination <dir> --cacheDir <temp>      (if on PATH)
       pagefind_extended --site <hugo output>                 (Pagefind's CLI from npm, what
                                                              `npx pagefind` runs; up to
                                                              --pagefind-max-docs documents)
   with build_bench.py's method (timed(), measure(): untimed removal of the previous
   output and sync before each run, a wait for a quiet machine, wall time, CPU, peak
   RSS), and measures the index: bytes and files under search/, and the largest file
   of each kind a query can fetch; the same for Pagefind's pagefind/ folder.
2. Quality: node bench/search_quality.mjs <corpus> <output>  (recall, precision, first 10,
   through the built search/engine.js; see that file).
3. Client (largest size only, or --client-sizes): the output is served on 127.0.0.1 by
   http.server in a thread, and node bench/search_client.mjs measures the search page in
   headless Chromium (bytes from search/ and time to results on a cold cache).

The figures go to stdout and into bench/RESULTS.md as the section
"## Search (index size, build time, quality, client)" (replaced, or appended; every
other section is kept as it is; build_bench.py keeps this one). Standard library only.
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import (  # noqa: E402  (same folder)
    BUSY_THRESHOLD, DEFAULT_GONGKAI, GEN, REPO, SUMMARY_RE, Series, clear, count_files, describe_gongkai,
    fmt_mib, fmt_s, generate, machine, measure, replace_section, rmtree, runs_list, settle, sh, verdict,
)

SECTION = "## Search (index size, build time, quality, client)"
RESULTS = REPO / "bench" / "RESULTS.md"
QUALITY = REPO / "bench" / "search_quality.mjs"
CLIENT = REPO / "bench" / "search_client.mjs"

# Targets of issue 8.
TARGET_ADDED = 0.30                 # search adds at most 30 % to the build
TARGET_10K_SECONDS = 3.0            # 10,000 documents with search
TARGET_100K_RSS = 2 * 1024**3       # 100,000 documents with search
TARGET_LINEAR = 12.0                # 100k time / 10k time, "~linear"
TARGET_CLIENT_BYTES = 500 * 1000    # first query, bytes from search/ (500 KB)
TARGET_CLIENT_MS = 300.0            # first query, time to results

SEARCH_OFF = "\n[search]\nenabled = false\n"


# ---------------------------------------------------------------- index statistics

def largest(files: list[Path]) -> tuple[int, str]:
    if not files:
        return 0, "—"
    f = max(files, key=lambda p: p.stat().st_size)
    return f.stat().st_size, f.name


def index_stats(search: Path) -> dict:
    """Bytes and files of gongkai's search/ folder and the largest file of each kind."""
    files = [p for p in search.rglob("*") if p.is_file()]
    t = list((search / "t").glob("*.bin"))
    shards = [p for p in t if not p.name.startswith("x")]
    external = [p for p in t if p.name.startswith("x")]
    d = list((search / "d").glob("*.bin"))
    k = list((search / "k").glob("*.bin"))
    size = lambda p: p.stat().st_size if p.exists() else 0  # noqa: E731
    shard_sizes = sorted(p.stat().st_size for p in shards)
    return {
        "bytes": sum(p.stat().st_size for p in files),
        "files": len(files),
        "data_bytes": sum(p.stat().st_size for p in files if p.name not in ("index.html", "engine.js")),
        "shards": len(shards), "external": len(external), "chunks": len(d), "keys": len(k),
        "t": largest(shards), "t_median": shard_sizes[len(shard_sizes) // 2] if shard_sizes else 0,
        "x": largest(external), "d": largest(d), "k": largest(k),
        "attrs": size(search / "attrs.bin"), "index_json": size(search / "index.json"),
        "engine": size(search / "engine.js"), "page": size(search / "index.html"),
        "t_bytes": sum(p.stat().st_size for p in t), "d_bytes": sum(p.stat().st_size for p in d),
        "k_bytes": sum(p.stat().st_size for p in k),
    }


def pagefind_stats(folder: Path) -> dict:
    files = [p for p in folder.rglob("*") if p.is_file()]
    by = lambda pat: [p for p in files if p.match(pat)]  # noqa: E731
    entry = folder / "pagefind-entry.json"
    return {
        "bytes": sum(p.stat().st_size for p in files), "files": len(files),
        "index": largest(by("*.pf_index")), "index_n": len(by("*.pf_index")),
        "fragment": largest(by("*.pf_fragment")), "fragment_n": len(by("*.pf_fragment")),
        "meta": largest(by("*.pf_meta")), "filter": largest(by("*.pf_filter")),
        "wasm": largest(by("*.pagefind")), "js": (folder / "pagefind.js").stat().st_size if (folder / "pagefind.js").exists() else 0,
        "entry": entry.stat().st_size if entry.exists() else 0,
    }


# ---------------------------------------------------------------- helpers

def kb(x: int | float | None) -> str:
    if x is None:
        return "—"
    return f"{x / 1000:,.1f} KB" if x < 10**6 else f"{x / 10**6:,.1f} MB"


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x:+.0%}"


def install_pagefind(workdir: Path) -> tuple[Path | None, str]:
    """npm install pagefind@1 into a temporary folder; the native binary its `pagefind` command runs."""
    folder = workdir / "pagefind-npm"
    folder.mkdir(parents=True, exist_ok=True)
    p = subprocess.run(["npm", "install", "pagefind@1", "--no-audit", "--no-fund", "--loglevel=error",
                        "--prefix", str(folder)], capture_output=True, text=True)
    if p.returncode != 0:
        return None, f"not measured: `npm install pagefind@1` failed: {p.stderr.strip()[-300:]}"
    for name in ("pagefind_extended", "pagefind"):
        hits = list((folder / "node_modules" / "@pagefind").glob(f"*/bin/{name}"))
        if hits:
            return hits[0], sh([str(hits[0]), "--version"])
    return None, "not measured: no pagefind binary found in the npm package"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002
        pass


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def run_node(cmd: list[str], label: str) -> tuple[int, str]:
    print(f"  {label}: {' '.join(cmd)}", flush=True)
    p = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    out = p.stdout + (("\n" + p.stderr) if p.stderr.strip() else "")
    print("\n".join("    " + l for l in out.rstrip().splitlines()), flush=True)
    return p.returncode, out


# ---------------------------------------------------------------- report

def build_table(results: dict[int, dict]) -> list[str]:
    out = ["| Documents | Build | Median wall | All runs (s) | CPU user+sys | Peak RSS | Files written |",
           "|---:|---|---:|---|---:|---:|---:|"]
    for n, r in sorted(results.items()):
        for key in ("search", "nosearch", "hugo", "pagefind"):
            s: Series | None = r.get(key)
            if s is None:
                continue
            if s.error:
                out.append(f"| {n:,} | {s.label} | failed | — | — | — | — |")
                continue
            mark = " ¹" if s.disturbed else ""
            cpu = "—" if s.cpu is None else f"{s.cpu:.2f} s"
            files = "—" if s.files is None else f"{s.files:,}"
            out.append(f"| {n:,} | {s.label}{mark} | {fmt_s(s.median)} | {runs_list(s)} | {cpu} | "
                       f"{fmt_mib(s.peak_rss)} | {files} |")
    return out


def added(r: dict) -> float | None:
    s, o = r.get("search"), r.get("nosearch")
    if s and o and s.median and o.median:
        return s.median / o.median - 1
    return None


def report(args, info, results, gk_version, hugo_version, pf_version, notes, loads) -> str:
    out: list[str] = []
    w = out.append
    sizes = sorted(results)
    w(SECTION + "\n")
    cmd = "python3 bench/search_bench.py" + (f" --gongkai {args.gongkai}" if args.gongkai != DEFAULT_GONGKAI else "")
    if args.sizes != [10000, 100000]:
        cmd += " --sizes " + " ".join(map(str, args.sizes))
    if args.runs != 3:
        cmd += f" --runs {args.runs}"
    w(f"Generated by `{cmd}` (this section is replaced on each run; `build_bench.py` and `serve_bench.py` "
      "keep it). Issue 8's \"Performance and quality\" targets.\n")
    w(f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}")
    w(f"- Machine: {info['nproc']} cores ({info['cpu']}), {info['memory']} RAM, kernel {info['kernel']}, "
      f"disk {info['disk']}")
    w(f"- gongkai: {gk_version}")
    w(f"- Hugo: {hugo_version}")
    w(f"- Pagefind: {pf_version}")
    w(f"- Node {sh(['node', '--version'])}; Chromium: {notes.get('chromium', 'not measured')}")
    w(f"- Corpus: {', '.join(f'{n:,}' for n in sizes)} documents, `gen_corpus.py --seed 1`, the same documents "
      "in the gongkai and Hugo flavors (generation not timed)")
    w(f"- Runs: {args.runs} per build; wall time is the **median** (all runs listed), peak RSS the **max**")
    w("")
    w("Method:\n")
    w("- Builds are timed as in the build benchmark above (`build_bench.py`'s `timed()`/`measure()`): before "
      "every run the previous output folder is moved aside (deleted at the end) and `sync` runs (neither "
      "timed); the script waits up to 2 min for other CPU load to drop below 15 %; wall time is "
      "`time.perf_counter()` around the child, peak RSS and CPU time come from `/usr/bin/time -f '%M %U %S'`.")
    w("- \"gongkai, search on\" is `gongkai build --root <corpus> --output <dir>` (the index is on by default); "
      "\"gongkai, search off\" is the same after appending `[search] enabled = false` to the corpus's "
      "`content/site.toml`. Both write to the same disk as the corpus. \"search adds\" = on / off − 1.")
    w("- \"hugo\" is `hugo --quiet --source <hugo corpus> --destination <dir> --cacheDir <temp>` (the Hugo "
      "flavor's minimal layouts, no search). \"pagefind\" is Pagefind's CLI from npm (`npm install pagefind@1` "
      "into a temporary folder; its `pagefind` command runs the bundled `pagefind_extended`, which the script "
      "calls directly) on Hugo's output: `pagefind_extended --site <hugo output>`, writing `<hugo output>/pagefind/`"
      "; its time is in addition to Hugo's.")
    w("- Index bytes: every file under the output's `search/` (including the page `search/index.html` and "
      "`engine.js`; \"data\" leaves those two out). Sizes are on-disk file sizes: `.bin` files are deflate-"
      "compressed by gongkai; `index.json` and `engine.js` are sent as they are by a server that does not "
      "compress (as in the client test below).")
    w("")

    # Build
    w("### Build\n")
    out.extend(build_table(results))
    w("")
    if any(s.disturbed for r in results.values() for s in r.values() if isinstance(s, Series)):
        w("¹ At least one run of this row started while other work kept the machine more than 15 % busy.\n")
    w("| Documents | gongkai search off | search on | search adds | on, per document | Hugo alone | "
      "Hugo + Pagefind |")
    w("|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        r = results[n]
        s, o, h, p = (r.get(k) for k in ("search", "nosearch", "hugo", "pagefind"))
        med = lambda x: x.median if x and x.median else None  # noqa: E731
        hp = fmt_s(med(h) + med(p)) if med(h) and med(p) else "—"
        per = f"{med(s) / n * 1e6:.1f} µs" if med(s) else "—"
        w(f"| {n:,} | {fmt_s(med(o))} | {fmt_s(med(s))} | {pct(added(r))} | {per} | {fmt_s(med(h))} | {hp} |")
    w("")

    # Index
    w("### Index size\n")
    w("| Documents | search/ bytes (data) | files | token shards `t/N.bin` (largest / median) | "
      "external postings `t/xN.bin` (largest) | `attrs.bin` | `index.json` | documents `d/N.bin` (largest) | "
      "look-up `k/N.bin` (largest) | bytes per document |")
    w("|---:|---:|---:|---|---|---:|---:|---|---|---:|")
    for n in sizes:
        st = results[n].get("index")
        if not st:
            continue
        w(f"| {n:,} | {kb(st['bytes'])} ({kb(st['data_bytes'])}) | {st['files']:,} | "
          f"{st['shards']:,} files, {kb(st['t'][0])} / {kb(st['t_median'])} | {st['external']:,} files, {kb(st['x'][0])} | "
          f"{kb(st['attrs'])} | {kb(st['index_json'])} | {st['chunks']:,} files, {kb(st['d'][0])} | "
          f"{st['keys']:,} files, {kb(st['k'][0])} | {st['bytes'] / n:,.0f} B |")
    w("")
    w("Largest single file a query can fetch: " + "; ".join(
        f"{n:,} documents: {kb(max(results[n]['index'][k][0] for k in ('t', 'x', 'd', 'k')))}"
        + f" (`index.json` {kb(results[n]['index']['index_json'])}, `attrs.bin` {kb(results[n]['index']['attrs'])})"
        for n in sizes if results[n].get("index")) + ".\n")
    if any(results[n].get("pagefind_index") for n in sizes):
        w("Pagefind's `pagefind/` folder on the same documents (Hugo's pages):\n")
        w("| Documents | pagefind/ bytes | files | index chunks `*.pf_index` (largest) | fragments `*.pf_fragment` "
          "(largest) | `*.pf_meta` | largest `*.pf_filter` | wasm | `pagefind.js` | bytes per document |")
        w("|---:|---:|---:|---|---|---:|---:|---:|---:|---:|")
        for n in sizes:
            st = results[n].get("pagefind_index")
            if not st:
                continue
            w(f"| {n:,} | {kb(st['bytes'])} | {st['files']:,} | {st['index_n']:,}, {kb(st['index'][0])} | "
              f"{st['fragment_n']:,}, {kb(st['fragment'][0])} | {kb(st['meta'][0])} | {kb(st['filter'][0])} | "
              f"{kb(st['wasm'][0])} | {kb(st['js'])} | {st['bytes'] / n:,.0f} B |")
        w("")

    # Quality
    w("### Quality (recall and precision through engine.js)\n")
    w("`node bench/search_quality.mjs <corpus> <output>`: each query runs through the built `search/engine.js` "
      "in Node (a `fetch` reading the output folder), once as the search page asks (limit 10, facets) and once "
      "with a limit above its total. The reference set is computed from the sources, not from the index: the "
      "documents whose title, 文号, 索引号, 发布机构, a 主题词 or body text (each NFKC + lower-cased, each on its "
      "own) contains the NFKC + lower-cased query literally; a query starting or ending with a letter or digit "
      "must start or end there at a word boundary (`3号` is not in `13号`, as in engine.js's phrase check; the "
      "notes give the plain-substring count where it differs). The body's plain text comes from a small Markdown "
      "stripper written for gen_corpus.py's Markdown (headings, list markers, table cells one per line); the "
      "script compares it with the text the index stores in `d/*.bin` for every document. Recall = reference "
      "documents returned / reference documents; precision = reference documents returned / results (results "
      "that hold every token but not the exact text lower it). \"First 10\": whether each of the first 10 "
      "results contains the exact query, when at least 10 documents do (otherwise whether all of them come "
      "first). Look-up queries (other bracket widths) use docs/search.md's look-up normalization for the "
      "reference.\n")
    for n in sizes:
        q = results[n].get("quality")
        if not q:
            continue
        if q.get("error"):
            w(f"**{n:,} documents:** the quality script failed: {q['error']}\n")
            continue
        main = [r for r in q["rows"] if r["main"]]
        bad = [r for r in main if r["recall"] is not None and r["recall"] < 1]
        top_bad = [r for r in main if not r["top10_ok"]]
        w(f"#### {n:,} documents\n")
        for note in q["notes"]:
            w(f"- {note}")
        w(f"- Main list: {len(main)} queries of 2–8 characters; recall 1.00 for {len(main) - len(bad)} of them"
          + (f", **below 1 for {len(bad)}**: " + ", ".join(f"`{r['query']}` {r['recall']:.2f}" for r in bad) if bad else "")
          + f"; first 10 all exact for {len(main) - len(top_bad)}"
          + (f", **not for {len(top_bad)}**: " + ", ".join(f"`{r['query']}` ({r['top10']})" for r in top_bad) if top_bad else "")
          + f". The script took {q['seconds']:.0f} s.")
        w("")
        w(q["table_main"])
        w("")
        if q.get("table_extra"):
            w("Extra queries (longer than 8 characters, other bracket widths, quoted phrases):\n")
            w(q["table_extra"])
            w("")

    # Client
    w("### Client: the search page in headless Chromium\n")
    w("`node bench/search_client.mjs <URL>`: the output folder is served on 127.0.0.1 by Python's `http.server` "
      "(HTTP/1.1, no compression, in a thread of this script); Debian's `/usr/bin/chromium` is driven by "
      "playwright-core, headless, with `--no-sandbox --disable-gpu --no-first-run --disable-background-networking "
      "--disable-component-update --disable-sync` and a fresh temporary profile. Every measurement is a new "
      "browser context with an empty cache (cold). **navigate**: open `/search/?q=<query>` (a shared link); "
      "time from the navigation's start to the first result (`#search-hits li`) in the DOM, which includes "
      "loading the page, its CSS and scripts. **submit**: open `/search/`, wait for the network to go idle, "
      "type the query into `#search-q` and submit `#search-form`; time from the submit to the first result in "
      "the DOM. Bytes: Resource Timing `transferSize` (headers + body) of every request under `/search/` "
      "(navigate: the page itself and `engine.js` included; submit: requests made after the submit), until the "
      "network is idle. A warm-up page load before the first measurement is not recorded. Median of "
      f"{args.client_runs} runs (all listed).\n")
    for n in sizes:
        c = results[n].get("client")
        if not c:
            continue
        if c.get("error"):
            w(f"**{n:,} documents:** the client script failed: {c['error']}\n")
            continue
        w(f"#### {n:,} documents\n")
        w("| Query | Kind | Mode | Time to results, median | All runs (ms) | Bytes from search/ | of which index "
          "files | requests | largest file | Results shown / status |")
        w("|---|---|---|---:|---|---:|---:|---:|---|---|")
        for r in c["results"]:
            last = r["runs"][-1]
            big = max(last["files"], key=lambda f: f["transfer"], default=None)
            bigs = f"`{big['path'].split('?')[0]}` {kb(big['transfer'])}" if big else "—"
            runs = ", ".join(f"{x['ms']:.0f}" for x in r["runs"])
            b = max(x["all"]["transfer"] for x in r["runs"])
            w(f"| `{r['query']}` | {r['kind']} | {r['mode']} | {r['median_ms']:.0f} ms | {runs} | {kb(b)} | "
              f"{kb(last['index']['transfer'])} | {last['all']['n']} | {bigs} | {last['hits']}: {last['status']} |")
        w("")

    # Targets
    w("### Targets\n")
    w("| Target | Measured | Verdict |")
    w("|---|---|---|")
    for n in sizes:
        a = added(results[n])
        s, o = results[n].get("search"), results[n].get("nosearch")
        w(f"| {n:,} documents: search adds at most 30 % to the build | "
          + (f"{fmt_s(s.median)} vs {fmt_s(o.median)} without: {pct(a)}" if a is not None else "not measured")
          + f" | {verdict(None if a is None else a <= TARGET_ADDED)} |")
    small, large = 10000, 100000
    if small in results and results[small]["search"].median:
        m = results[small]["search"].median
        w(f"| 10,000 documents with search in under 3 s on {info['nproc']} cores | {fmt_s(m)} | "
          f"{verdict(m < TARGET_10K_SECONDS)} |")
    else:
        w("| 10,000 documents with search in under 3 s | size not run | not measured |")
    if large in results and results[large]["search"].peak_rss:
        rss = results[large]["search"].peak_rss
        w(f"| 100,000 documents with search under 2 GiB peak memory | {fmt_mib(rss)} | {verdict(rss < TARGET_100K_RSS)} |")
        if small in results and results[small]["search"].median and results[large]["search"].median:
            ratio = results[large]["search"].median / results[small]["search"].median
            wl = [r.wall for r in results[large]["search"].runs]
            ws = [r.wall for r in results[small]["search"].runs]
            w(f"| 100,000 documents with search grow ~linearly (100k / 10k time ≤ ~{TARGET_LINEAR:g}) | "
              f"{fmt_s(results[large]['search'].median)} / {fmt_s(results[small]['search'].median)} = {ratio:.1f}× "
              f"(run-to-run range {min(wl) / max(ws):.1f}–{max(wl) / min(ws):.1f}×) | {verdict(ratio <= TARGET_LINEAR)} |")
    else:
        w("| 100,000 documents: under 2 GiB, ~linear | size not run | not measured |")
    for n in sizes:
        q = results[n].get("quality")
        if not q or q.get("error"):
            continue
        main = [r for r in q["rows"] if r["main"]]
        bad = [r for r in main if r["recall"] is not None and r["recall"] < 1]
        w(f"| {n:,} documents: recall 1.00 for every query of the list ({len(main)} queries of 2–8 characters) | "
          + (f"{len(bad)} below 1: " + ", ".join(f"`{r['query']}` {r['recall']:.2f}" for r in bad) if bad else "all 1.00")
          + f" | {verdict(not bad)} |")
        top_bad = [r for r in main if r["expected"] >= 10 and not r["top10_ok"]]
        eligible = [r for r in main if r["expected"] >= 10]
        w(f"| {n:,} documents: each of the first 10 results contains the exact query when ≥ 10 documents do "
          f"({len(eligible)} queries) | "
          + (f"{len(top_bad)} not: " + ", ".join(f"`{r['query']}` {r['top10']}" for r in top_bad) if top_bad else "all")
          + f" | {verdict(not top_bad)} |")
    for n in sizes:
        c = results[n].get("client")
        if not c or c.get("error") or not c["results"]:
            continue
        first = [r for r in c["results"] if r["query"] == c["results"][0]["query"]]
        for r in first:
            b = max(x["all"]["transfer"] for x in r["runs"])
            w(f"| {n:,} documents, first query `{r['query']}` ({r['mode']}): under 500 KB from search/ | {kb(b)} | "
              f"{verdict(b < TARGET_CLIENT_BYTES)} |")
            w(f"| {n:,} documents, first query `{r['query']}` ({r['mode']}): results in under 300 ms | "
              f"{r['median_ms']:.0f} ms (runs {', '.join(format(x['ms'], '.0f') for x in r['runs'])}) | "
              f"{verdict(r['median_ms'] < TARGET_CLIENT_MS)} |")
        others = [r for r in c["results"] if r["query"] != c["results"][0]["query"]]
        if others:
            worst_b = max(others, key=lambda r: max(x["all"]["transfer"] for x in r["runs"]))
            worst_t = max(others, key=lambda r: r["median_ms"])
            wb = max(x["all"]["transfer"] for x in worst_b["runs"])
            w(f"| {n:,} documents, the other queries: under 500 KB and 300 ms | largest {kb(wb)} (`{worst_b['query']}`, "
              f"{worst_b['mode']}); slowest {worst_t['median_ms']:.0f} ms (`{worst_t['query']}`, {worst_t['mode']}) | "
              f"{verdict(wb < TARGET_CLIENT_BYTES and worst_t['median_ms'] < TARGET_CLIENT_MS)} |")
    w("")
    if loads:
        w(f"Other CPU load in the second before each timed build: {min(loads[0]):.0%}–{max(loads[0]):.0%} of "
          f"{info['nproc']} cores; during the builds: {min(loads[1]):.0%}–{max(loads[1]):.0%}"
          + (" — other work was running during some runs (rows marked ¹)." if max(loads[0]) > BUSY_THRESHOLD else ".")
          + (f" Before the quality and client runs: {', '.join(notes.get('load_other', []))}."
             if notes.get("load_other") else "") + "\n")
    for extra in notes.get("free", []):
        w(f"- {extra}")
    if notes.get("free"):
        w("")
    return "\n".join(out)


def write_results(text: str) -> None:
    replace_section(RESULTS, SECTION, text)


# ---------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000], help="corpus sizes (documents)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per build (default 3)")
    ap.add_argument("--gongkai", type=Path, default=DEFAULT_GONGKAI,
                    help=f"the gongkai binary (default {DEFAULT_GONGKAI}; build it with cargo build --release)")
    ap.add_argument("--no-hugo", action="store_true", help="no Hugo (and so no Pagefind)")
    ap.add_argument("--no-pagefind", action="store_true", help="no Pagefind")
    ap.add_argument("--pagefind-max-docs", type=int, default=10000,
                    help="run Pagefind only up to this many documents (default 10000: Pagefind with Chinese "
                         "segmentation needs ~0.7 MB per document, more than this machine has at 100,000)")
    ap.add_argument("--pagefind-runs", type=int, default=None, help="runs of Pagefind (default: --runs)")
    ap.add_argument("--no-quality", action="store_true", help="skip bench/search_quality.mjs")
    ap.add_argument("--no-client", action="store_true", help="skip bench/search_client.mjs")
    ap.add_argument("--client-sizes", type=int, nargs="*", default=None,
                    help="sizes for the Chromium client test (default: the largest of --sizes)")
    ap.add_argument("--client-runs", type=int, default=3, help="runs per query and mode in Chromium (default 3)")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where to put the temporary corpora (default: system temp dir); must be outside the repo")
    ap.add_argument("--keep", action="store_true", help="keep the corpora and outputs")
    ap.add_argument("--no-results", action="store_true", help="print only; do not write bench/RESULTS.md")
    args = ap.parse_args()

    if not GEN.exists():
        sys.exit(f"corpus generator not found: {GEN}")
    gongkai = args.gongkai.resolve()
    if not os.access(gongkai, os.X_OK):
        sys.exit(f"{gongkai} not found; build it with `cargo build --release` or pass --gongkai PATH")
    client_sizes = set(args.client_sizes if args.client_sizes is not None else [max(args.sizes)])
    if args.no_client:
        client_sizes = set()

    gk_version = describe_gongkai(gongkai)

    hugo = None if args.no_hugo else shutil.which("hugo")
    hugo_version = sh([hugo, "version"]) if hugo else ("not measured (`--no-hugo`)" if args.no_hugo
                                                        else "not measured: no `hugo` on PATH")

    base = args.workdir.resolve() if args.workdir else Path(tempfile.gettempdir())
    if base == REPO or REPO in base.parents:
        sys.exit(f"--workdir {base} is inside the repository; corpora must stay outside it")
    base.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-search-bench-", dir=base))
    trash = workdir / "trash"
    print(f"corpora in {workdir}", flush=True)

    pagefind, pf_version = None, "not measured"
    if args.no_pagefind or not hugo:
        pf_version = "not measured (`--no-pagefind`)" if args.no_pagefind else "not measured (needs Hugo's output)"
    elif not shutil.which("npm"):
        pf_version = "not measured: no `npm`"
    else:
        pagefind, pf_version = install_pagefind(workdir)
        if pagefind:
            pf_version = (f"{pf_version} (npm `pagefind@1`, binary `{pagefind.name}`), run up to "
                          f"{args.pagefind_max_docs:,} documents")
    print(f"gongkai: {gk_version}\nhugo: {hugo_version}\npagefind: {pf_version}", flush=True)

    info = machine()
    results: dict[int, dict] = {}
    notes: dict = {"free": [], "load_other": []}
    failed = False
    try:
        for n in args.sizes:
            print(f"\n== {n:,} documents ==", flush=True)
            gk, hg, gen_time = generate(workdir, n)
            print(f"  generated both flavors in {gen_time:.0f} s", flush=True)
            r: dict = {}
            site_toml = gk / "content" / "site.toml"
            original = site_toml.read_text(encoding="utf-8")

            # 1. builds: search on, search off
            on = workdir / f"out-search-{n}"
            s = measure(Series("gongkai, search on", [str(gongkai), "build", "--root", str(gk), "--output", str(on)]),
                        args.runs, on, trash)
            if s.runs:
                m = SUMMARY_RE.search(s.runs[-1].stderr)
                if m and int(m[1]) != n:
                    print(f"  WARNING: gongkai reports {m[1]} documents, expected {n}", file=sys.stderr)
                s.files = count_files(on)[0]
                r["index"] = index_stats(on / "search")
            r["search"] = s
            off = workdir / f"out-nosearch-{n}"
            site_toml.write_text(original + SEARCH_OFF, encoding="utf-8")
            try:
                o = measure(Series("gongkai, search off", [str(gongkai), "build", "--root", str(gk), "--output", str(off)]),
                            args.runs, off, trash)
            finally:
                site_toml.write_text(original, encoding="utf-8")
            if o.runs:
                o.files = count_files(off)[0]
                if (off / "search" / "index.json").exists():
                    notes["free"].append(f"{n:,} documents: `[search] enabled = false` still wrote search/index.json")
            r["nosearch"] = o
            clear(off, trash)

            # Hugo, then Pagefind on its output
            if hugo:
                hout = workdir / f"hugo-public-{n}"
                h = measure(Series("hugo (no search)", [hugo, "--quiet", "--source", str(hg), "--destination", str(hout),
                                                        "--cacheDir", str(workdir / "hugo_cache")]),
                            args.runs, hout, trash)
                if h.runs:
                    h.files = count_files(hout)[0]
                r["hugo"] = h
                if pagefind and h.runs and n <= args.pagefind_max_docs:
                    pf_out = hout / "pagefind"
                    p = measure(Series("pagefind (on Hugo's output)", [str(pagefind), "--site", str(hout)]),
                                args.pagefind_runs or args.runs, pf_out, trash)
                    if p.runs:
                        p.files = count_files(pf_out)[0]
                        r["pagefind_index"] = pagefind_stats(pf_out)
                    r["pagefind"] = p
                elif pagefind and n > args.pagefind_max_docs:
                    notes["free"].append(f"Pagefind not run at {n:,} documents (`--pagefind-max-docs "
                                         f"{args.pagefind_max_docs}`).")
                clear(hout, trash)

            # 2. quality
            if not args.no_quality and s.runs:
                load = settle()
                notes["load_other"].append(f"{load:.0%} before quality at {n:,}")
                jpath = workdir / f"quality-{n}.json"
                code, text = run_node(["node", "--max-old-space-size=8192", str(QUALITY), str(gk), str(on), "--json", str(jpath)], "quality")
                if jpath.exists():
                    q = json.loads(jpath.read_text(encoding="utf-8"))
                    r["quality"] = q
                    failed |= code == 1
                else:
                    r["quality"] = {"error": f"exit status {code}: {text.strip()[-500:]}"}
                    failed = True

            # 3. client
            if n in client_sizes and s.runs:
                server, url = serve(on)
                try:
                    load = settle()
                    notes["load_other"].append(f"{load:.0%} before the client test at {n:,}")
                    jpath = workdir / f"client-{n}.json"
                    code, text = run_node(["node", str(CLIENT), url, "--runs", str(args.client_runs), "--json",
                                           str(jpath)], "client")
                    if jpath.exists():
                        c = json.loads(jpath.read_text(encoding="utf-8"))
                        notes["chromium"] = c.get("chromium", "?")
                        r["client"] = c
                    else:
                        r["client"] = {"error": f"exit status {code}: {text.strip()[-500:]}"}
                        failed = True
                finally:
                    server.shutdown()
            results[n] = r

        loads = None
        runs = [run for r in results.values() for k in ("search", "nosearch", "hugo", "pagefind")
                if isinstance(r.get(k), Series) for run in r[k].runs]
        if runs:
            loads = ([x.load for x in runs], [x.other for x in runs])
        print()
        for line in build_table(results):
            print(line)
        text = report(args, info, results, gk_version, hugo_version, pf_version, notes, loads)
        if args.no_results:
            print("\n" + text)
        else:
            write_results(text)
            print(f"\nwrote the section to {RESULTS}")
    finally:
        print("cleaning up (deleting corpora and outputs; this takes a while at 100k)", flush=True)
        if args.keep:
            rmtree(trash)
            print(f"corpora and outputs kept in {workdir}")
        else:
            rmtree(workdir)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
