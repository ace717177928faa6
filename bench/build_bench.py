#!/usr/bin/env python3
"""Build benchmark: gongkai against Hugo on the same generated corpus.

Run from anywhere:

    python3 bench/build_bench.py                 # sizes 10000 100000, 3 runs each
    python3 bench/build_bench.py --sizes 1000 --runs 1 --no-results   # quick smoke test

For each size the script generates the same N documents twice with
../shared/bench/gen_corpus.py (once as a gongkai site, once as a Hugo site) into
a temporary folder outside the repository, then times

    gongkai build --root <gongkai corpus>                        (output on disk)
    gongkai build --root <gongkai corpus> --output /dev/shm/...  (output on tmpfs)
    gongkai check --root <gongkai corpus>                        (load + validate only)
    hugo --quiet --source <hugo corpus> --destination <dir> --cacheDir <temp>
                                                                 (if hugo is on PATH)

Every timed run is preceded by removing the previous output folder from the
output path and by `sync` (neither is timed), so each run writes a complete
fresh output. On disk the old folder is moved aside and deleted at the end
(see --rm-between-runs for why). Wall time
is time.perf_counter() around subprocess.run; peak RSS comes from
/usr/bin/time -f %M (Debian package `time`). The figures go to stdout and to
bench/RESULTS.md (overwritten, except the save-to-served section that
bench/serve_bench.py maintains and the search section of bench/search_bench.py).
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

REPO = Path(__file__).resolve().parent.parent
GEN = (REPO / ".." / "shared" / "bench" / "gen_corpus.py").resolve()
GONGKAI = REPO / "target" / "release" / "gongkai"
GNU_TIME = Path("/usr/bin/time")

# Targets (see the task / README).
TARGET_10K_SECONDS = 2.0
TARGET_100K_RSS_BYTES = 2 * 1024**3
TARGET_SCALING = 1.3

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


def measure(series: Series, runs: int, output: Path, trash: Path | None = None) -> Series:
    """`runs` timed runs, each after removal of the previous output (untimed) and sync."""
    for i in range(runs):
        clear(output, trash)
        sync()
        try:
            r = timed(series.command)
        except RuntimeError as e:
            series.error = str(e)
            print(f"    {series.label}: FAILED\n{e}", file=sys.stderr)
            return series
        series.runs.append(r)
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


def fmt_us(x: float | None) -> str:
    return "—" if x is None else f"{x * 1e6:.1f} µs"


def runs_list(s: Series) -> str:
    return ", ".join(f"{r.wall:.3f}" for r in s.runs) if s.runs else "—"


def per_doc(s: Series | None, n: int) -> float | None:
    return s.median / n if s and s.median is not None else None


def verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**MISSED**")


def report(args, info, results, hugo_note, commit, hugo_version, gen_times) -> str:
    sizes = sorted(results)
    out = []
    w = out.append
    w("# gongkai build benchmark — results\n")
    w("Generated by `python3 bench/build_bench.py"
      + (f" --sizes {' '.join(map(str, args.sizes))}" if args.sizes != [10000, 100000] else "")
      + (f" --runs {args.runs}" if args.runs != 3 else "")
      + (" --rm-between-runs" if args.rm_between_runs else "") + "` (overwritten on every run, except the "
      "save-to-served and search sections at the end, which `bench/serve_bench.py --write-results` and "
      "`bench/search_bench.py` maintain).\n")
    w(f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}")
    w(f"- Machine: {info['nproc']} cores ({info['cpu']}), {info['memory']} RAM, kernel {info['kernel']}, "
      f"disk {info['disk']}")
    w(f"- gongkai commit: `{commit}` (release build, `cargo build --release`)")
    w(f"- Hugo: {hugo_version}")
    w(f"- Corpus sizes: {', '.join(f'{n:,}' for n in sizes)} documents, "
      f"`gen_corpus.py --seed 1`, same documents in both flavors"
      + "; generation took " + ", ".join(f"{gen_times[n]:.0f} s" for n in sizes) + " (not part of any timing)")
    w(f"- Runs per tool: {args.runs}; wall time is the **median** (all runs listed), peak RSS the **max** over runs")
    w("")
    if args.rm_between_runs:
        removal = ("deletes the previous output folder and runs `sync` (neither is timed), so every run writes a "
                   "complete, fresh output. Caution: on this VM's ext4 without a journal, deleting ~10^4–10^5 files "
                   "right before a run makes the next run's file creation slower (see README)")
    else:
        removal = ("removes the previous output folder from the output path and runs `sync` (neither is timed), "
                   "so every run writes a complete, fresh output into a folder that does not exist yet. On disk "
                   "the old folder is moved aside (a rename) and deleted together with the corpora at the end, "
                   "because on ext4 without a journal (this VM) deleting 10^4–10^5 files right before a run "
                   "slows the next run's file creation for minutes: the kernel skips recently deleted inodes one "
                   "by one (`recently_deleted()` in `fs/ext4/ialloc.c`); on tmpfs the old output is deleted")
    w("Method:\n")
    w("- Before every timed run the script " + removal + ".")
    w("- The corpus stays in the page cache (warm reads). Before each run the script waits (up to 2 min) for "
      "other CPU load to drop below 15 %.")
    w("- Wall time is `time.perf_counter()` around `subprocess.run`; peak RSS and CPU time (user + system) are "
      + ("`/usr/bin/time -f '%M %U %S'` of the child." if GNU_TIME.exists()
         else "`getrusage(RUSAGE_CHILDREN)` (peak RSS is an upper bound: /usr/bin/time was missing; "
              "install Debian's `time` package for exact per-run figures)."))
    w("- \"gongkai (disk)\" is `gongkai build --root <corpus>` with its default output `<root>/public` on the "
      "VM disk; \"gongkai (tmpfs)\" adds `--output /dev/shm/...`, which takes the disk out of the figure; "
      "\"gongkai check\" is `gongkai check --root <corpus>` (load + validate, no rendering or writing); "
      "\"hugo\" is `hugo --quiet --source <hugo corpus> --destination <dir> --cacheDir <temp>`.")
    w("")
    if hugo_note:
        w(f"**Hugo:** {hugo_note}\n")

    w("## Figures\n")
    w("| Documents | Tool | Median wall | All runs (s) | CPU user+sys (of which sys) | Peak RSS | Pages written "
      "| Files | Per document |")
    w("|---:|---|---:|---|---:|---:|---:|---:|---:|")
    for n in sizes:
        r = results[n]
        for key in ("gongkai", "gongkai_tmpfs", "check", "hugo"):
            s = r.get(key)
            if s is None:
                continue
            if s.error:
                w(f"| {n:,} | {s.label} | failed | — | — | — | — | — | — |")
                continue
            cpu = "—" if s.cpu is None else f"{s.cpu:.2f} s ({s.sys:.2f} s)"
            mark = " ¹" if s.disturbed else ""
            pages = "—" if s.pages is None else f"{s.pages:,}"
            files = "—" if s.files is None else f"{s.files:,}"
            w(f"| {n:,} | {s.label}{mark} | {fmt_s(s.median)} | {runs_list(s)} | {cpu} | {fmt_mib(s.peak_rss)} | "
              f"{pages} | {files} | {fmt_us(per_doc(s, n))} |")
    w("")
    if any(s.disturbed for r in results.values() for s in r.values() if s):
        w("¹ At least one run of this row started while other work kept the machine more than 15 % busy "
          "(the 2-minute wait ran out); its figures may be inflated.\n")
    w("CPU is the median over runs of the child's user + system CPU time (both cores count, so it can exceed "
      "the wall time).\n")
    w("Pages written: gongkai's own count from its summary line (`gongkai: N documents, P pages, F files`); "
      "for Hugo, the `.html` files in its destination. Both tools render the same documents, but the sites "
      "are not page-for-page identical: gongkai renders its full disclosure theme (category listings, "
      "directory, guide, …), the Hugo flavor of the corpus has minimal layouts (single, list with 50-per-page "
      "pagination, home).\n")

    w("### Ratios\n")
    w("| Documents | Hugo / gongkai (disk) | Hugo / gongkai (tmpfs) | gongkai disk / tmpfs | gongkai check / build |")
    w("|---:|---:|---:|---:|---:|")
    for n in sizes:
        r = results[n]
        g, t, c, h = (r.get(k) for k in ("gongkai", "gongkai_tmpfs", "check", "hugo"))

        def ratio(a, b):
            return f"{a.median / b.median:.2f}×" if a and b and a.median and b.median else "—"
        w(f"| {n:,} | {ratio(h, g)} | {ratio(h, t)} | {ratio(g, t)} | {ratio(c, g)} |")
    w("")

    # Where the time goes: load + validate (check) against render + write (build - check).
    w("### Where the time goes (per document)\n")
    w("| Documents | load + validate (`check`) | render + write, tmpfs (build − check) | render + write, disk "
      "| user CPU, tmpfs | system CPU, tmpfs | system CPU, disk |")
    w("|---:|---:|---:|---:|---:|---:|---:|")
    phase: dict[int, list[float | None]] = {}
    for n in sizes:
        r = results[n]
        g, t, c = r.get("gongkai"), r.get("gongkai_tmpfs"), r.get("check")
        ok = lambda x: x is not None and x.median is not None and not x.error
        row = [
            c.median / n if ok(c) else None,
            (t.median - c.median) / n if ok(t) and ok(c) else None,
            (g.median - c.median) / n if ok(g) and ok(c) else None,
            (t.cpu - t.sys) / n if ok(t) and t.cpu is not None else None,
            t.sys / n if ok(t) and t.sys is not None else None,
            g.sys / n if ok(g) and g.sys is not None else None,
        ]
        phase[n] = row
        w(f"| {n:,} | " + " | ".join(fmt_us(x) for x in row) + " |")
    if len(sizes) >= 2:
        a_, b_ = phase[sizes[0]], phase[sizes[-1]]
        w(f"| {sizes[-1]:,} / {sizes[0]:,} | " + " | ".join(
            f"{y / x:.2f}×" if x and y else "—" for x, y in zip(a_, b_)) + " |")
    w("")

    # Targets
    w("## Targets\n")
    w("| Target | Measured | Verdict |")
    w("|---|---|---|")
    small, large = 10000, 100000
    if small in results:
        g = results[small]["gongkai"]
        t = results[small].get("gongkai_tmpfs")
        h = results[small].get("hugo")
        ok = None if g.median is None else g.median < TARGET_10K_SECONDS
        extra = f" (tmpfs output: {fmt_s(t.median)})" if t and t.median else ""
        w(f"| 10,000 documents in under {TARGET_10K_SECONDS:g} s on {info['nproc']} cores | "
          f"{fmt_s(g.median)}{extra} | {verdict(ok)} |")
        if h and h.median and g.median:
            w(f"| 10,000 documents faster than Hugo | gongkai {fmt_s(g.median)} vs Hugo {fmt_s(h.median)} "
              f"({h.median / g.median:.2f}×) | {verdict(g.median < h.median)} |")
        else:
            w(f"| 10,000 documents faster than Hugo | Hugo not measured | not measured |")
    else:
        w("| 10,000 documents in under 2 s; faster than Hugo | size not run | not measured |")
    if large in results:
        g = results[large]["gongkai"]
        ok = None if g.peak_rss is None else g.peak_rss < TARGET_100K_RSS_BYTES
        w(f"| 100,000 documents with peak memory under 2 GiB | {fmt_mib(g.peak_rss)} | {verdict(ok)} |")
        if small in results and results[small]["gongkai"].median and g.median:
            a, b = per_doc(results[small]["gongkai"], small), per_doc(g, large)
            sc = b / a
            t_s, t_l = results[small].get("gongkai_tmpfs"), results[large].get("gongkai_tmpfs")
            extra = ""
            if t_s and t_l and t_s.median and t_l.median:
                extra = f"; tmpfs: {per_doc(t_l, large) / per_doc(t_s, small):.2f}×"
            # Spread: the ratio if the runs had fallen at the two ends of their ranges.
            small_runs = [r.wall / small for r in results[small]["gongkai"].runs]
            large_runs = [r.wall / large for r in g.runs]
            lo, hi = min(large_runs) / max(small_runs), max(large_runs) / min(small_runs)
            spread = f" (run-to-run range {lo:.2f}–{hi:.2f}×)"
            v = verdict(sc <= TARGET_SCALING)
            if lo <= TARGET_SCALING < hi:
                v += ", borderline: the run-to-run range straddles the target"
            w(f"| 100k per-document cost ≤ {TARGET_SCALING}× the 10k run | {fmt_us(b)} vs {fmt_us(a)} per document "
              f"= {sc:.2f}×{spread}{extra} | {v} |")
        else:
            w(f"| 100k per-document cost ≤ {TARGET_SCALING}× the 10k run | needs both sizes | not measured |")
    else:
        w("| 100,000 documents: peak memory under 2 GiB; per-document cost ≤ 1.3× the 10k run "
          "| size not run | not measured |")
    w("")
    w("Targets are judged on gongkai's default build (output on disk); the tmpfs figures are given beside them "
      "because this VM's disk timing is noisy.\n")

    loads = [run.load for r in results.values() for s in r.values() if s for run in s.runs]
    others = [run.other for r in results.values() for s in r.values() if s for run in s.runs]
    if loads:
        w(f"Other CPU load in the second before each timed run: {min(loads):.0%}–{max(loads):.0%} of "
          f"{info['nproc']} cores; during the runs (all CPU time not spent by the measured process, including the "
          f"kernel's own writeback threads): {min(others):.0%}–{max(others):.0%}"
          + (" — other work was running during some runs; treat the rows marked ¹ with care."
             if max(loads) > BUSY_THRESHOLD else ".") + "\n")
    return "\n".join(out)


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


def print_table(results) -> None:
    print()
    print(f"{'docs':>8}  {'tool':<16} {'median':>9} {'CPU':>9} {'peak RSS':>10} {'pages':>8} {'per doc':>10}  runs")
    for n in sorted(results):
        for key in ("gongkai", "gongkai_tmpfs", "check", "hugo"):
            s = results[n].get(key)
            if s is None:
                continue
            if s.error:
                print(f"{n:>8}  {s.label:<16} {'failed':>9}")
                continue
            print(f"{n:>8}  {s.label:<16} {fmt_s(s.median):>9} {fmt_s(s.cpu):>9} {fmt_mib(s.peak_rss):>10} "
                  f"{'' if s.pages is None else s.pages:>8} {fmt_us(per_doc(s, n)):>10}  {runs_list(s)}")
    print()


# ---------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000], help="corpus sizes (documents)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per tool and size (default 3)")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where to put the temporary corpora (default: system temp dir); must be outside the repo")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpora")
    ap.add_argument("--no-hugo", action="store_true", help="do not run Hugo even if it is on PATH")
    ap.add_argument("--no-tmpfs", action="store_true", help="skip the gongkai run with output on /dev/shm")
    ap.add_argument("--no-check", action="store_true", help="skip timing `gongkai check`")
    ap.add_argument("--no-cargo", action="store_true", help="use the existing target/release/gongkai")
    ap.add_argument("--no-results", action="store_true", help="print only; do not write bench/RESULTS.md")
    ap.add_argument("--rm-between-runs", action="store_true",
                    help="delete each previous on-disk output right before the next run instead of moving it "
                         "aside and deleting it at the end (on ext4 without a journal this makes the next run "
                         "pay for the kernel's recently-deleted-inode scan; see README)")
    args = ap.parse_args()

    if not GEN.exists():
        sys.exit(f"corpus generator not found: {GEN}")
    if not GNU_TIME.exists():
        print("note: /usr/bin/time is missing, so peak RSS falls back to getrusage(RUSAGE_CHILDREN), an upper "
              "bound. For exact per-run figures install Debian's `time` package: apt-get install -y time",
              file=sys.stderr)

    # 1. release binary
    if not args.no_cargo:
        print("building: cargo build --release", flush=True)
        subprocess.run(["cargo", "build", "--release"], cwd=REPO, check=True)
    if not GONGKAI.exists():
        sys.exit(f"{GONGKAI} not found")
    commit = sh(["git", "rev-parse", "--short", "HEAD"], REPO)
    dirty = sh(["git", "status", "--porcelain", "--untracked-files=no", "--", "src", "themes", "Cargo.toml",
                "Cargo.lock"], REPO)
    if dirty and dirty != "unknown":
        files = ", ".join(l[3:] for l in dirty.splitlines())
        commit += f" + uncommitted changes in {files}"

    # Hugo
    hugo = None if args.no_hugo else shutil.which("hugo")
    hugo_note = ""
    hugo_version = "not measured"
    if args.no_hugo:
        hugo_note = "not measured (`--no-hugo`)."
    elif hugo is None:
        hugo_note = ("not measured: no `hugo` binary on PATH (install with `apt-get install -y hugo`; "
                     "if that failed, see its output).")
    else:
        hugo_version = sh([hugo, "version"])

    # 2. corpora outside the repository
    base = args.workdir.resolve() if args.workdir else Path(tempfile.gettempdir())
    if base == REPO or REPO in base.parents:
        sys.exit(f"--workdir {base} is inside the repository; corpora must stay outside it")
    base.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-bench-", dir=base))
    shm = None
    if not args.no_tmpfs:
        if Path("/dev/shm").is_dir():
            shm = Path(tempfile.mkdtemp(prefix="gongkai-bench-", dir="/dev/shm"))
        else:
            print("note: /dev/shm not available; skipping the tmpfs run", file=sys.stderr)
    print(f"corpora in {workdir}" + (f", tmpfs output in {shm}" if shm else ""), flush=True)
    # Previous on-disk outputs are moved here (untimed) and deleted only at the end: deleting
    # 10^5 files just before a run makes ext4 without a journal skip "recently deleted" inodes
    # one by one for minutes afterwards, which would be charged to the next run.
    trash = None if args.rm_between_runs else workdir / "trash"

    info = machine()
    results: dict[int, dict[str, Series]] = {}
    gen_times: dict[int, float] = {}
    try:
        for n in args.sizes:
            print(f"\n== {n:,} documents ==", flush=True)
            gk, hg, gen_times[n] = generate(workdir, n)
            print(f"  generated both flavors in {gen_times[n]:.0f} s", flush=True)
            r: dict[str, Series] = {}

            # gongkai, output on disk (default <root>/public)
            out = gk / "public"
            s = measure(Series("gongkai (disk)", [str(GONGKAI), "build", "--root", str(gk)]), args.runs, out, trash)
            if s.runs:
                m = SUMMARY_RE.search(s.runs[-1].stderr)
                if m:
                    s.documents, s.pages = int(m[1]), int(m[2])
                    if s.documents != n:
                        print(f"  WARNING: gongkai reports {s.documents} documents, expected {n}", file=sys.stderr)
                else:
                    print(f"  WARNING: no summary line in gongkai's output:\n{s.runs[-1].stderr[-1000:]}",
                          file=sys.stderr)
                s.files = count_files(out)[0]
            r["gongkai"] = s
            clear(out, trash)

            if shm:
                tout = shm / f"public-{n}"
                t = measure(Series("gongkai (tmpfs)", [str(GONGKAI), "build", "--root", str(gk), "--output", str(tout)]),
                            args.runs, tout)
                if t.runs:
                    m = SUMMARY_RE.search(t.runs[-1].stderr)
                    if m:
                        t.documents, t.pages = int(m[1]), int(m[2])
                    t.files = count_files(tout)[0]
                r["gongkai_tmpfs"] = t
                rmtree(tout)

            if not args.no_check:
                c = measure(Series("gongkai check", [str(GONGKAI), "check", "--root", str(gk)]), args.runs,
                            gk / "public")
                if c.runs:
                    m = CHECK_RE.search(c.runs[-1].stderr)
                    if m and int(m[1]) != n:
                        print(f"  WARNING: gongkai check reports {m[1]} documents, expected {n}", file=sys.stderr)
                r["check"] = c

            if hugo:
                hout = workdir / f"hugo-public-{n}"
                h = measure(Series("hugo", [hugo, "--quiet", "--source", str(hg), "--destination", str(hout),
                                            "--cacheDir", str(workdir / "hugo_cache")]),
                            args.runs, hout, trash)
                if h.runs:
                    h.files, h.pages = count_files(hout)
                elif h.error:
                    hugo_note += f" Hugo failed at {n:,} documents: {h.error.splitlines()[-1][:300]}"
                r["hugo"] = h
                clear(hout, trash)

            results[n] = r
            # Corpora are deleted only at the end, for the same reason as the trash.
        print_table(results)
        text = report(args, info, results, hugo_note.strip(), commit, hugo_version, gen_times)
        if not args.no_results:
            path = REPO / "bench" / "RESULTS.md"
            path.write_text(text + "\n" + kept_sections(path), encoding="utf-8")
            print(f"wrote {path}")
        else:
            print(text)
    finally:
        print("cleaning up (deleting corpora and old outputs; this takes a while at 100k)", flush=True)
        if shm:
            rmtree(shm)
        if not args.keep:
            rmtree(workdir)
        else:
            rmtree(workdir / "trash")
            print(f"corpora kept in {workdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
