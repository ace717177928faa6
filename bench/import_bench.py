#!/usr/bin/env python3
"""Import benchmark (issue 17): pages that gongkai built, imported into an empty site.

    python3 bench/import_bench.py                              # 10,000 documents, 3 runs
    python3 bench/import_bench.py --docs 500 --runs 1 --no-results --gongkai target/debug/gongkai   # smoke test

The script generates N documents with ../shared/bench/gen_corpus.py --seed 1 (a
single body's site) in a temporary folder outside the repository, builds it once with
gongkai (untimed), then for each run makes an empty site with the corpus's settings,
directory and guide (content/ without docs/, plans/ and reports/) and times

    gongkai import html <corpus>/public/docs --root <empty site>

with /usr/bin/time for wall time and peak RSS. Each run must import every document
page (none skipped) and the result must pass `gongkai check`. The target is under
10 s and 500 MB on the 2-core machine. Results go to stdout and, unless
--no-results, to the "Import" section of bench/RESULTS.md. Standard library only.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GEN = (REPO / ".." / "shared" / "bench" / "gen_corpus.py").resolve()
DEFAULT_GONGKAI = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target") / "release" / "gongkai"
GNU_TIME = Path("/usr/bin/time")
TARGET_SECONDS, TARGET_MB = 10.0, 500.0


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-3000:]}")
    return p


def timed(cmd: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds, peak RSS in MB, and the process (stdout is the command's own)."""
    with tempfile.NamedTemporaryFile(mode="r", suffix=".time") as report:
        t0 = time.perf_counter()
        p = run([str(GNU_TIME), "-f", "%M", "-o", report.name, *cmd])
        wall = time.perf_counter() - t0
        rss_kb = int(report.read().strip().splitlines()[-1])
    return wall, rss_kb / 1024, p


def empty_site(corpus: Path, to: Path) -> None:
    """The corpus's site without its documents: settings, directory, guide, files."""
    skip = {"docs", "plans", "reports"}
    for path in (corpus / "content").rglob("*"):
        rel = path.relative_to(corpus / "content")
        if path.is_file() and not skip & set(rel.parts):
            (to / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, to / "content" / rel)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--gongkai", type=Path, default=DEFAULT_GONGKAI, help="the binary (a release build for figures)")
    ap.add_argument("--no-results", action="store_true", help="do not write bench/RESULTS.md")
    args = ap.parse_args()
    gongkai = args.gongkai.resolve()
    if not gongkai.exists():
        raise SystemExit(f"{gongkai} does not exist: cargo build --release, or give --gongkai")
    if not GNU_TIME.exists():
        raise SystemExit("/usr/bin/time is missing: apt-get install time")

    with tempfile.TemporaryDirectory(prefix="gongkai-import-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        run([sys.executable, str(GEN), "--out", str(corpus), "--docs", str(args.docs), "--seed", "1", "--flavor", "gongkai"])
        run([str(gongkai), "build", "--root", str(corpus)])
        pages = sum(1 for _ in (corpus / "public" / "docs").rglob("index.html"))
        walls, rsss = [], []
        for i in range(args.runs):
            site = work / f"site-{i}"
            empty_site(corpus, site)
            wall, rss, p = timed([str(gongkai), "import", "html", str(corpus / "public" / "docs"),
                                  "--root", str(site), "--format", "json"])
            summary = json.loads(p.stdout)
            imported, skipped = len(summary["imported"]), summary["skipped"]
            if skipped or imported != pages:
                raise SystemExit(f"run {i + 1}: {imported} of {pages} pages imported; skipped: {skipped[:5]}")
            check = run([str(gongkai), "check", "--root", str(site)])
            if not re.search(r"no errors", check.stderr):
                raise SystemExit(f"run {i + 1}: check failed:\n{check.stderr[-2000:]}")
            print(f"run {i + 1}: {imported} pages imported in {wall:.2f} s, peak RSS {rss:.0f} MB", flush=True)
            walls.append(wall)
            rsss.append(rss)
            shutil.rmtree(site)

    median, peak = statistics.median(walls), max(rsss)
    verdict = "meets" if median < TARGET_SECONDS and peak < TARGET_MB else "MISSES"
    line = (f"| {args.docs:,} | {pages:,} | {median:.2f} s | {peak:.0f} MB | {args.runs} | {verdict} the target "
            f"(< {TARGET_SECONDS:.0f} s, < {TARGET_MB:.0f} MB) |")
    print(line)
    if not args.no_results:
        write_results(line, gongkai)


def write_results(line: str, gongkai: Path) -> None:
    results = REPO / "bench" / "RESULTS.md"
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    head = "## Import (gongkai import html)"
    table = ("| documents | pages imported | median wall | peak RSS | runs | |\n"
             "|---:|---:|---:|---:|---:|---|\n")
    section = (f"{head}\n\nPages that gongkai built from a gen_corpus.py corpus (--seed 1) imported into an "
               f"empty site with `python3 bench/import_bench.py` ({gongkai.name}, {os.cpu_count()} cores, "
               f"{time.strftime('%Y-%m-%d')}).\n\n{table}{line}\n")
    if head in text:
        start = text.index(head)
        end = text.find("\n## ", start + len(head))
        text = text[:start] + section + (text[end:] if end != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    results.write_text(text, encoding="utf-8")
    print(f"written to {results}")


if __name__ == "__main__":
    main()
