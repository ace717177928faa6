#!/usr/bin/env python3
"""Build benchmark: gongkai beside Hugo in the four situations users build in.

    python3 bench/build_bench.py                        # sizes 10000 100000, 5 runs each
    python3 bench/build_bench.py --sizes 1000 --runs 1 --no-results   # quick smoke test

For each size the script generates the same N documents twice with
../shared/bench/gen_corpus.py --seed 1 (a gongkai site and a Hugo site) into a
temporary folder outside the repository, then measures each tool, on disk, in:

  cold      a build into a missing output folder (CI on a fresh checkout);
  nochange  a build again with the output in place and nothing changed (an
            editor's or a cached CI's rebuild);
  edit      a build after one document's text was edited, output in place;
  template  a build after a template change that changes every page, output in place.

gongkai runs `gongkai build --root <corpus>` (search index on, the default; output
<corpus>/public); Hugo runs `hugo --quiet --source <corpus> --destination <corpus>/public
--cacheDir <temp>` (its default: files overwritten in place, stale files kept). Only the
cold runs take the earlier output away first: it is moved aside (a rename, untimed) and
deleted with the corpora at the end, as a fresh checkout has no recently deleted files
(see bench/README.md on ext4). Wall time is perf_counter around subprocess.run; peak RSS
and user/system CPU from /usr/bin/time. Results go to stdout and bench/RESULTS.md.
Standard library only.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
GEN = (REPO / ".." / "shared" / "bench" / "gen_corpus.py").resolve()
GONGKAI = REPO / "target" / "release" / "gongkai"
GNU_TIME = Path("/usr/bin/time")


SUMMARY_RE = re.compile(r"gongkai: (\d+) documents, (\d+) pages, (\d+) files in ([\d.]+) s")
CHECK_RE = re.compile(r"gongkai: (\d+) documents, no errors")


# ---------------------------------------------------------------- measuring

@dataclass
class Run:
    wall: float          # seconds, perf_counter around subprocess.run
    rss: int | None      # peak RSS of the child in bytes
    cpu: float | None    # user + system CPU seconds of the child
    sys: float | None    # system (kernel) CPU seconds of the child
    stderr: str
    load: float          # fraction of all CPUs busy with other work in the second before the run
    other: float         # fraction of all CPUs busy with anything but the child during the run


@dataclass
class Series:
    label: str
    command: list[str]
    runs: list[Run] = field(default_factory=list)
    error: str | None = None
    pages: int | None = None       # pages the tool reports (gongkai) or HTML files counted (hugo)
    files: int | None = None       # files in the output folder
    documents: int | None = None   # documents gongkai reports

    @property
    def median(self) -> float | None:
        return statistics.median(r.wall for r in self.runs) if self.runs else None

    @property
    def cpu(self) -> float | None:
        vals = [r.cpu for r in self.runs if r.cpu is not None]
        return statistics.median(vals) if vals else None

    @property
    def sys(self) -> float | None:
        vals = [r.sys for r in self.runs if r.sys is not None]
        return statistics.median(vals) if vals else None

    @property
    def disturbed(self) -> bool:
        """Some run started while other work kept the machine busy."""
        return any(r.load > BUSY_THRESHOLD for r in self.runs)

    @property
    def peak_rss(self) -> int | None:
        vals = [r.rss for r in self.runs if r.rss is not None]
        return max(vals) if vals else None


def cpu_times() -> tuple[int, int]:
    """(idle, total) jiffies over all CPUs from /proc/stat."""
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return f[3] + f[4], sum(f[:8])


def busy(window: float = 1.0) -> float:
    """Fraction of all CPUs busy (with other work) during the next `window` seconds."""
    try:
        i0, t0 = cpu_times()
        time.sleep(window)
        i1, t1 = cpu_times()
        return 1 - (i1 - i0) / max(t1 - t0, 1)
    except (OSError, ValueError, IndexError):
        return float("nan")


SETTLE_SECONDS = 120.0
BUSY_THRESHOLD = 0.15
CLK_TCK = os.sysconf("SC_CLK_TCK")


def settle() -> float:
    """Wait (up to SETTLE_SECONDS) until the machine is mostly idle; return the busy fraction seen last."""
    deadline = time.monotonic() + SETTLE_SECONDS
    b = busy()
    while b > BUSY_THRESHOLD and time.monotonic() < deadline:
        b = busy()
    return b


def busy_seconds() -> float:
    try:
        idle, total = cpu_times()
        return (total - idle) / CLK_TCK
    except (OSError, ValueError, IndexError):
        return float("nan")


def timed(cmd: list[str], cwd: Path | None = None) -> Run:
    """Run cmd once; wall time around subprocess.run, peak RSS and CPU time of the child."""
    load = settle()
    ncpu = os.cpu_count() or 1
    if GNU_TIME.exists():
        with tempfile.NamedTemporaryFile("r", prefix="bench-rss-", suffix=".txt") as f:
            wrapped = [str(GNU_TIME), "-f", "%M %U %S", "-o", f.name, *cmd]
            b0 = busy_seconds()
            t0 = time.perf_counter()
            p = subprocess.run(wrapped, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            wall = time.perf_counter() - t0
            b1 = busy_seconds()
            lines = [l for l in Path(f.name).read_text().splitlines() if l.strip()]
        # With a failing child, GNU time writes "Command exited with non-zero status N" first.
        try:
            kb, user, system = lines[-1].split()
            rss, cpu, sys_ = int(kb) * 1024, float(user) + float(system), float(system)
        except (IndexError, ValueError):
            rss = cpu = sys_ = None
    else:
        # ru_maxrss of RUSAGE_CHILDREN is the maximum over all children reaped so
        # far, so this is exact only while each run peaks higher than the previous
        # ones; it is an upper bound otherwise. CPU times are exact deltas.
        u0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        b0 = busy_seconds()
        t0 = time.perf_counter()
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        b1 = busy_seconds()
        u1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        rss = u1.ru_maxrss * 1024
        sys_ = u1.ru_stime - u0.ru_stime
        cpu = u1.ru_utime - u0.ru_utime + sys_
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited with {p.returncode}:\n{p.stderr[-2000:]}")
    other = max(0.0, (b1 - b0 - (cpu or 0.0)) / (wall * ncpu)) if wall > 0 else 0.0
    return Run(wall, rss, cpu, sys_, p.stderr, load, other)


def sync() -> None:
    subprocess.run(["sync"], check=True)


def rmtree(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)


def count_files(path: Path) -> tuple[int, int]:
    """(all files, .html files) below path."""
    total = html = 0
    for _, _, names in os.walk(path):
        total += len(names)
        html += sum(1 for n in names if n.endswith(".html"))
    return total, html


def clear(output: Path, trash: Path | None) -> None:
    """Take the previous output away (untimed): move it into `trash` (deleted at the end), or delete it."""
    if not output.exists():
        return
    if trash is None:
        shutil.rmtree(output)
    else:
        trash.mkdir(parents=True, exist_ok=True)
        output.rename(Path(tempfile.mkdtemp(prefix=output.name + "-", dir=trash)) / output.name)


def measure(series: Series, runs: int, output: Path, trash: Path | None = None,
            prepare: Callable[[int], None] | None = None) -> Series:
    """`runs` timed runs, each after `prepare(i)` (untimed; by default the removal of the
    previous output) and sync."""
    for i in range(runs):
        if prepare is None:
            clear(output, trash)
        else:
            prepare(i)
        sync()
        try:
            r = timed(series.command)
        except RuntimeError as e:
            series.error = str(e)
            print(f"    {series.label}: FAILED\n{e}", file=sys.stderr)
            return series
        series.runs.append(r)
        m = SUMMARY_RE.search(r.stderr)
        if m:
            series.documents, series.pages = int(m.group(1)), int(m.group(2))
        rss = f"{r.rss / 2**20:.0f} MiB" if r.rss else "?"
        cpu = f"{r.cpu:.2f} s (sys {r.sys:.2f} s)" if r.cpu is not None else "?"
        print(f"    {series.label} run {i + 1}/{runs}: {r.wall:.3f} s, CPU {cpu}, peak RSS {rss}, "
              f"other load before/during: {r.load:.0%}/{r.other:.0%}", flush=True)
    return series


# ---------------------------------------------------------------- machine info

def sh(cmd: list[str], cwd: Path | None = None) -> str:
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict[str, str]:
    info = {"nproc": sh(["nproc"]), "kernel": platform.release()}
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info["cpu"] = cpu
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines()
                      if l.startswith("MemTotal")).split()[1])
        info["memory"] = f"{kb / 2**20:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        info["memory"] = "unknown"
    info["disk"] = disk_type(Path(tempfile.gettempdir()))
    return info


def disk_type(path: Path) -> str:
    """Best effort: the block device holding path, its driver and rotational flag."""
    try:
        dev = os.stat(path).st_dev
        name = Path(f"/sys/dev/block/{os.major(dev)}:{os.minor(dev)}").resolve().name
        base = Path("/sys/block") / re.sub(r"p?\d+$", "", name) if not Path(f"/sys/block/{name}").exists() \
            else Path(f"/sys/block/{name}")
        rot = (base / "queue" / "rotational").read_text().strip()
        vendor = (base / "device" / "vendor").read_text().strip() if (base / "device" / "vendor").exists() else ""
        kind = "virtio-blk" if name.startswith("vd") or vendor == "0x1af4" else name
        return (f"{kind} (/dev/{name}, rotational={rot}"
                + (", as virtio reports by default; backing storage unknown" if kind == "virtio-blk" else "")
                + ")")
    except (OSError, ValueError):
        return "unknown"


# ---------------------------------------------------------------- corpus

def generate(workdir: Path, n: int) -> tuple[Path, Path, float]:
    """Both flavors of the n-document corpus, generated concurrently (not timed as part of builds)."""
    gk, hg = workdir / f"gongkai-{n}", workdir / f"hugo-{n}"
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, str(GEN), "--out", str(out), "--docs", str(n),
                               "--seed", "1", "--flavor", flavor])
             for out, flavor in ((gk, "gongkai"), (hg, "hugo"))]
    for p in procs:
        if p.wait() != 0:
            raise SystemExit(f"gen_corpus.py failed with {p.returncode}")
    return gk, hg, time.perf_counter() - t0


# ---------------------------------------------------------------- report

def fmt_s(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f} s"


def fmt_mib(x: int | None) -> str:
    return "—" if x is None else f"{x / 2**20:.0f} MiB"


def runs_list(s: Series) -> str:
    return ", ".join(f"{r.wall:.3f}" for r in s.runs) if s.runs else "—"


def verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**MISSED**")



SCENARIOS = ("cold", "nochange", "edit", "template")
SCENARIO_TEXT = {
    "cold": "cold build into a missing output",
    "nochange": "rebuild, nothing changed",
    "edit": "rebuild after one document's text was edited",
    "template": "rebuild after a template change (every page changes)",
}
# Targets of issue 13 (judged on disk).
TARGET_10K_RATIO = 0.25
TARGET_SPREAD = 1.5
TARGET_100K_RSS = 2 * 1024**3
TARGET_100K_NOCHANGE = 0.3


class Tool:
    """One tool on one corpus: how to build, edit a document, and change a template."""

    def __init__(self, name: str, root: Path, command: list[str], doc: Path, templates: list[tuple[Path, str]]):
        self.name, self.root, self.command, self.doc, self.templates = name, root, command, doc, templates
        self.output = root / "public"

    def edit_document(self, i: int) -> None:
        with self.doc.open("a", encoding="utf-8") as f:
            f.write(f"\n\n本段为第{i}次编辑时补充的说明。\n")

    def change_templates(self, i: int) -> None:
        for path, original in self.templates:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(original.replace("</body>", f"<!-- 模板修改 {i} --></body>", 1), encoding="utf-8")


def gongkai_tool(root: Path) -> Tool:
    doc = sorted((root / "content" / "docs").rglob("*.md"))[len(SCENARIOS) * 7]
    base = (REPO / "themes" / "default" / "templates" / "base.html").read_text(encoding="utf-8")
    # The site's own copy of the theme's base template: every page extends it.
    override = root / "themes" / "default" / "templates" / "base.html"
    return Tool("gongkai", root, [str(GONGKAI), "build", "--root", str(root)], doc, [(override, base)])


def hugo_tool(root: Path, gongkai_doc: Path, hugo: str, cache: Path) -> Tool:
    """The Hugo flavor of the same corpus; the edited document is the one with the same 索引号."""
    index_no = re.search(r'^index_no\s*=\s*"([^"]+)"', gongkai_doc.read_text(encoding="utf-8"), re.M).group(1)
    doc = next(p for p in (root / "content").rglob("*.md") if index_no in p.read_text(encoding="utf-8"))
    layouts = [p for p in (root / "layouts").rglob("*.html")]
    templates = [(p, p.read_text(encoding="utf-8")) for p in layouts]
    command = [hugo, "--quiet", "--source", str(root), "--destination", str(root / "public"), "--cacheDir", str(cache)]
    return Tool("hugo", root, command, doc, templates)


def run_scenario(tool: Tool, scenario: str, runs: int, trash: Path) -> Series:
    if scenario != "cold" and not tool.output.exists():
        timed(tool.command)  # the output the rebuilds start from (untimed)
    prepare = {
        "cold": lambda i: clear(tool.output, trash),
        "nochange": lambda i: None,
        "edit": tool.edit_document,
        "template": tool.change_templates,
    }[scenario]
    series = measure(Series(f"{tool.name} {scenario}", tool.command), runs, tool.output, trash, prepare)
    series.files = count_files(tool.output)[0]
    return series


def spread(s: Series) -> float | None:
    walls = [r.wall for r in s.runs]
    return max(walls) / min(walls) if walls and min(walls) > 0 else None


def min_max(s: Series) -> str:
    walls = [r.wall for r in s.runs]
    return f"{min(walls):.2f}–{max(walls):.2f}" if walls else "—"


def sys_median(s: Series) -> str:
    return "—" if s.sys is None else f"{s.sys:.2f} s"


def report(args, info, results, commit, hugo_version, gen_times) -> str:
    out: list[str] = []
    w = out.append
    w("# gongkai build benchmark — results\n")
    w("Generated by `python3 bench/build_bench.py"
      + (f" --sizes {' '.join(map(str, args.sizes))}" if args.sizes != [10000, 100000] else "")
      + (f" --runs {args.runs}" if args.runs != 5 else "") + "` (overwritten on every run, except the "
      "save-to-served and search sections at the end, which `bench/serve_bench.py --write-results` and "
      "`bench/search_bench.py` maintain).\n")
    w(f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}")
    w(f"- Machine: {info['nproc']} cores ({info['cpu']}), {info['memory']} RAM, kernel {info['kernel']}, "
      f"disk {info['disk']}, ext4 without a journal")
    w(f"- gongkai commit: `{commit}` (release build), search index on (the default)")
    w(f"- Hugo: {hugo_version}")
    w(f"- Corpora: {', '.join(f'{n:,}' for n in sorted(results))} documents, `gen_corpus.py --seed 1`, the same "
      "documents in both flavors; generation took " + ", ".join(f"{gen_times[n]:.0f} s" for n in sorted(results))
      + " (not timed)")
    w(f"- {args.runs} runs per tool, scenario and size; the median, the fastest and slowest run, the highest "
      "peak RSS and the median system CPU\n")
    w("Method: both tools build on disk, each into `<corpus>/public`, one after the other, never at the same "
      "time. **cold**: the earlier output is moved aside first (a rename, untimed; deleted at the end, so "
      "that no recently deleted files slow the next build as they would not on a fresh checkout). "
      "**nochange**: the output of the previous build is left in place. **edit**: before each run a "
      "paragraph is appended to one document (the same document in both flavors, found by its 索引号). "
      "**template**: before each run a comment before `</body>` changes in gongkai's base template (the "
      "site's own copy in `themes/default/templates/base.html`) and in each of the Hugo flavor's "
      "layouts, so that every page changes. Outputs are never moved aside between rebuilds: what is "
      "measured is what an editor waits for. Before each run the script waits (up to 2 min) for other CPU "
      "load to drop below 15 %; `sync` before each run (untimed).\n")
    for n in sorted(results):
        r = results[n]
        w(f"## {n:,} documents\n")
        w("| Scenario | gongkai median (min–max) | gongkai peak RSS | gongkai sys CPU | Hugo median (min–max) "
          "| Hugo peak RSS | Hugo sys CPU | gongkai / Hugo |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|")
        for sc in SCENARIOS:
            g, h = r.get("gongkai", {}).get(sc), r.get("hugo", {}).get(sc)
            gcell = "failed" if not g or g.error else f"{g.median:.2f} s ({min_max(g)})"
            hcell = "—" if not h else ("failed" if h.error else f"{h.median:.2f} s ({min_max(h)})")
            ratio = f"{g.median / h.median:.2f}×" if g and h and g.median and h.median else "—"
            w(f"| {SCENARIO_TEXT[sc]} | {gcell} | {fmt_mib(g.peak_rss if g else None)} | "
              f"{sys_median(g) if g else '—'} | {hcell} | {fmt_mib(h.peak_rss if h else None)} | "
              f"{sys_median(h) if h else '—'} | {ratio} |")
        w("")
        w("All runs (s): " + "; ".join(f"{s.label}: {runs_list(s)}" for s in
                                      [*r.get("gongkai", {}).values(), *r.get("hugo", {}).values()]) + "\n")
        if any(s.disturbed for d in r.values() for s in d.values()):
            w("Some run started while other work kept the machine more than 15 % busy; its figures may be "
              "inflated.\n")
    w("## Targets\n")
    for line in targets(results):
        w(f"- {line}")
    w("")
    return "\n".join(out) + "\n"


def targets(results) -> list[str]:
    lines = []
    small, big = results.get(10000), results.get(100000)
    if small:
        for sc in SCENARIOS:
            g, h = small.get("gongkai", {}).get(sc), small.get("hugo", {}).get(sc)
            if g and h and g.median and h.median:
                ratio = g.median / h.median
                lines.append(f"10,000, {sc}: gongkai / Hugo = {ratio:.2f} (target ≤ {TARGET_10K_RATIO}): "
                             + verdict(ratio <= TARGET_10K_RATIO))
            if g and spread(g):
                lines.append(f"10,000, {sc}: slowest / fastest run = {spread(g):.2f} (target ≤ {TARGET_SPREAD}): "
                             + verdict(spread(g) <= TARGET_SPREAD))
    if big:
        g = big.get("gongkai", {})
        for sc in SCENARIOS:
            if sc in g and g[sc].peak_rss:
                lines.append(f"100,000, {sc}: peak RSS {fmt_mib(g[sc].peak_rss)} (target ≤ 2 GiB): "
                             + verdict(g[sc].peak_rss <= TARGET_100K_RSS))
        if g.get("cold") and g.get("nochange") and g["cold"].median and g["nochange"].median:
            ratio = g["nochange"].median / g["cold"].median
            lines.append(f"100,000: nothing changed / cold = {ratio:.2f} (target ≤ {TARGET_100K_NOCHANGE}): "
                         + verdict(ratio <= TARGET_100K_NOCHANGE))
    return lines


# Sections of RESULTS.md that other scripts maintain (bench/serve_bench.py --write-results,
# bench/search_bench.py); this script rewrites everything else and keeps these as they are, at the end.
KEPT_SECTIONS = ("## Save-to-served latency (gongkai serve vs hugo server)",
                 "## Search (index size, build time, quality, client)")


def replace_section(path: Path, heading: str, text: str) -> None:
    """Replace the section `heading` (up to the next `## ` heading) in the file at `path` by
    `text`, or append it; every other section stays as it is. serve_bench.py and
    search_bench.py each own one section of RESULTS.md."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    m = re.search("^" + re.escape(heading) + "[ \t]*$", old, re.M)
    if m:
        nxt = re.search(r"^## ", old[m.end():], re.M)
        head = old[:m.start()].rstrip("\n")
        tail = old[m.end() + nxt.start():] if nxt else ""
    else:
        head, tail = old.rstrip("\n"), ""
    new = (head + "\n\n" if head else "") + text.strip("\n") + "\n" + ("\n" + tail if tail else "")
    path.write_text(new, encoding="utf-8")


def kept_sections(path: Path) -> str:
    """The KEPT_SECTIONS found in the current file (each up to the next `## ` heading), or ''."""
    if not path.exists():
        return ""
    old = path.read_text(encoding="utf-8")
    kept = []
    for heading in KEPT_SECTIONS:
        m = re.search("^" + re.escape(heading) + r"[ \t]*$", old, re.M)
        if m:
            nxt = re.search(r"^## ", old[m.end():], re.M)
            kept.append(old[m.start():m.end() + nxt.start() if nxt else len(old)].strip("\n"))
    return "".join("\n" + k + "\n" for k in kept)



def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000], help="corpus sizes (documents)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool, scenario and size (default 5)")
    ap.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=SCENARIOS)
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where to put the temporary corpora (default: system temp dir); must be outside the repo")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpora")
    ap.add_argument("--no-hugo", action="store_true", help="do not run Hugo even if it is on PATH")
    ap.add_argument("--no-gongkai", action="store_true", help="measure Hugo only")
    ap.add_argument("--no-cargo", action="store_true", help="use the existing target/release/gongkai")
    ap.add_argument("--no-results", action="store_true", help="print only; do not write bench/RESULTS.md")
    args = ap.parse_args()
    if not args.no_cargo:
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=REPO, check=True)
    hugo = None if args.no_hugo else shutil.which("hugo")
    hugo_version = sh([hugo, "version"]) if hugo else "not measured"
    commit = sh(["git", "rev-parse", "--short", "HEAD"], REPO)
    info = machine()
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-bench-", dir=args.workdir))
    trash = workdir / "trash"
    results, gen_times = {}, {}
    try:
        for n in sorted(args.sizes):
            print(f"== {n:,} documents", flush=True)
            gk, hg, gen_times[n] = generate(workdir, n)
            gongkai = gongkai_tool(gk)
            tools = [] if args.no_gongkai else [gongkai]
            if hugo:
                tools.append(hugo_tool(hg, gongkai.doc, hugo, workdir / "hugo-cache"))
            results[n] = {}
            for tool in tools:
                results[n][tool.name] = {sc: run_scenario(tool, sc, args.runs, trash) for sc in args.scenarios}
        text = report(args, info, results, commit, hugo_version, gen_times)
        print(text)
        if not args.no_results:
            path = REPO / "bench" / "RESULTS.md"
            path.write_text(text + kept_sections(path), encoding="utf-8")
    finally:
        if not args.keep:
            rmtree(workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
