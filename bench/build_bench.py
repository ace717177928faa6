#!/usr/bin/env python3
"""Build benchmark: gongkai beside Hugo in the four situations users build in.

    python3 bench/build_bench.py                        # sizes 10000 100000, 5 runs each
    python3 bench/build_bench.py --sizes 1000 --runs 1 --no-results   # quick smoke test
    python3 bench/build_bench.py --sizes 100000 --departments 60 --with-single   # a platform (issue 16)

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

--departments N measures a platform instead (gen_corpus.py --departments N, both flavors;
the edited document is a department's) and writes its own section of bench/RESULTS.md,
"Build times on a platform (N departments)"; --with-single also builds the single-body
corpus of each size cold, for the ratio platform / single body. Standard library only.
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
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
GEN = (REPO / ".." / "shared" / "bench" / "gen_corpus.py").resolve()
DEFAULT_GONGKAI = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target") / "release" / "gongkai"
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


def run_once(series: Series, i: int, runs: int) -> bool:
    """sync, then timed run i (of `runs`) of series.command, added to the series; False when it failed
    (series.error says why)."""
    sync()
    try:
        r = timed(series.command)
    except RuntimeError as e:
        series.error = str(e)
        print(f"    {series.label}: FAILED\n{e}", file=sys.stderr)
        return False
    series.runs.append(r)
    m = SUMMARY_RE.search(r.stderr)
    if m:
        series.documents, series.pages = int(m.group(1)), int(m.group(2))
    rss = f"{r.rss / 2**20:.0f} MiB" if r.rss else "?"
    cpu = f"{r.cpu:.2f} s (sys {r.sys:.2f} s)" if r.cpu is not None else "?"
    print(f"    {series.label} run {i + 1}/{runs}: {r.wall:.3f} s, CPU {cpu}, peak RSS {rss}, "
          f"other load before/during: {r.load:.0%}/{r.other:.0%}", flush=True)
    return True


def measure(series: Series, runs: int, output: Path, trash: Path | None = None,
            prepare: Callable[[int], None] | None = None) -> Series:
    """`runs` timed runs, each after `prepare(i)` (untimed; by default the removal of the
    previous output) and sync."""
    for i in range(runs):
        if prepare is None:
            clear(output, trash)
        else:
            prepare(i)
        if not run_once(series, i, runs):
            break
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


def describe_gongkai(binary: Path) -> str:
    """The binary's version, path and build time, and the repository's HEAD (with uncommitted
    changes under src/, themes/, Cargo.*), warning on stderr when sources changed after the build."""
    commit = sh(["git", "rev-parse", "--short", "HEAD"], REPO)
    dirty = sh(["git", "status", "--porcelain", "--", "src", "themes", "Cargo.toml", "Cargo.lock"], REPO)
    if dirty and dirty != "unknown":
        commit += f" + uncommitted changes in {len(dirty.splitlines())} paths under src/, themes/, Cargo.*"
    mtime = binary.stat().st_mtime
    built = dt.datetime.fromtimestamp(mtime).astimezone().strftime("%Y-%m-%d %H:%M %Z")
    text = f"{sh([str(binary), '--version'])} (release build, binary `{binary}`, built {built})"
    newer = [str(f.relative_to(REPO)) for d in ("src", "themes") for f in (REPO / d).rglob("*")
             if f.is_file() and f.stat().st_mtime > mtime]
    newer += [n for n in ("Cargo.toml", "Cargo.lock") if (REPO / n).stat().st_mtime > mtime]
    if newer:
        print(f"warning: {len(newer)} source file(s) changed after {binary} was built (e.g. {newer[0]}); "
              "the figures are for the older binary", file=sys.stderr)
        text += f"; **{len(newer)} source file(s) changed after it was built**, e.g. `{newer[0]}`"
    return f"{text}; repository HEAD at run time `{commit}`"


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

def generate(workdir: Path, n: int, departments: int = 0, hugo: bool = True) -> tuple[Path, Path, float]:
    """The n-document corpus as a gongkai site and (with `hugo`) as a Hugo site, generated
    concurrently and not timed as part of builds; with `departments`, a platform of that many
    departments (gen_corpus.py --departments). Returns both roots and the seconds it took."""
    tail = f"-{departments}dept" if departments else ""
    gk, hg = workdir / f"gongkai-{n}{tail}", workdir / f"hugo-{n}{tail}"
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, str(GEN), "--out", str(out), "--docs", str(n), "--seed", "1",
                               "--flavor", flavor, "--departments", str(departments)])
             for out, flavor in ((gk, "gongkai"), (hg, "hugo")) if hugo or flavor == "gongkai"]
    for p in procs:
        if p.wait() != 0:
            raise SystemExit(f"gen_corpus.py failed with {p.returncode}")
    return gk, hg, time.perf_counter() - t0


# gen_corpus.py's layouts (and gongkai's default departments_path, which it does not change):
#   gongkai  content/docs/<year>/<code>-<n>.md                      served at docs/<year>/<code>-<n>/
#            content/departments/<dept>/docs/<year>/<code>-<n>.md   served at bm/<dept>/docs/<year>/<code>-<n>/
#   hugo     content/<code>/<year>-<code>-<n>.md                    served at /<code>/<year>-<code>-<n>/
#            content/<dept>-<code>/<year>-<code>-<n>.md             served at /<dept>-<code>/<year>-<code>-<n>/
DEPARTMENTS_PATH = "bm"


def gongkai_documents(root: Path, departments_only: bool = False) -> list[Path]:
    """The documents of a gongkai-flavor corpus, in path order: the owner's and, on a platform,
    each department's (only those with `departments_only`)."""
    content = root / "content"
    owner = [] if departments_only else list((content / "docs").rglob("*.md"))
    return sorted([*owner, *(content / "departments").glob("*/docs/**/*.md")])


def front_matter(path: Path) -> dict:
    """The TOML front matter of a generated document (between its `+++` lines)."""
    text = path.read_text(encoding="utf-8")
    return tomllib.loads(text.removeprefix("+++\n").split("\n+++\n", 1)[0])


@dataclass
class Doc:
    """One generated document, in both flavors of the corpus."""
    rel: str         # <year>/<code>-<n>, or <dept>/<year>/<code>-<n> for a department's document
    dept: str        # the department's code; "" for the owner's document
    title: str
    index_no: str
    gk_file: Path
    gk_url: str      # below gongkai's base_url, e.g. docs/2019/zcjd-000042/, bm/jyj/docs/2019/zcjd-000042/
    hg_file: Path
    hg_url: str      # e.g. /zcjd/2019-zcjd-000042/, /jyj-zcjd/2019-zcjd-000042/


def counterpart(gk: Path, hg: Path, gk_file: Path) -> Doc:
    """The document at `gk_file` of the gongkai corpus `gk` and its copy in the Hugo corpus `hg`; exits
    unless that copy exists and holds the same title, 索引号 and date."""
    rel = gk_file.relative_to(gk / "content").with_suffix("").as_posix()
    dept, path = rel.removeprefix("departments/").split("/docs/", 1) if rel.startswith("departments/") \
        else ("", rel.removeprefix("docs/"))
    code = path.rsplit("/", 1)[-1].split("-", 1)[0]
    section = f"{dept}-{code}" if dept else code
    name = path.replace("/", "-")
    hg_file = hg / "content" / section / f"{name}.md"
    if not hg_file.exists():
        raise SystemExit(f"no Hugo counterpart of {gk_file}: expected {hg_file} (gen_corpus.py layout changed?)")
    fm, copy = front_matter(gk_file), front_matter(hg_file)
    if any(fm.get(k) != copy.get(k) for k in ("title", "index_no", "date")):
        raise SystemExit(f"{gk_file} and {hg_file} do not hold the same document")
    return Doc(f"{dept}/{path}" if dept else path, dept, fm["title"], fm["index_no"],
               gk_file, (f"{DEPARTMENTS_PATH}/{dept}/" if dept else "") + f"docs/{path}/",
               hg_file, f"/{section}/{name}/")


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
IN_PLACE = ("nochange", "edit", "template")
SCENARIO_TEXT = {
    "cold": "cold build into a missing output",
    "nochange": "rebuild, nothing changed",
    "edit": "rebuild after one document's text was edited",
    "template": "rebuild after a template change (every page changes)",
}
# Targets of issue 13 (a single body, judged on disk).
TARGET_10K_RATIO = 0.25
TARGET_SPREAD = 1.5
TARGET_100K_RSS = 2 * 1024**3
TARGET_100K_NOCHANGE = 0.3
# Targets of issue 16 (a platform: 100,000 documents over 60 departments, 10,000 over 30).
TARGET_PLATFORM_COLD = 1.2       # 100,000: cold build / the single-body corpus's cold build
TARGET_PLATFORM_IN_PLACE = 0.25  # 10,000: each in-place rebuild / Hugo's on the same documents
# The edit scenario edits this document in path order (any fixed one would do): on a platform, a
# department's.
EDITED = 28


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


def edited_document(root: Path, departments: int = 0) -> Path:
    """The document the edit scenario edits in the gongkai corpus at `root`: a department's on a platform."""
    docs = gongkai_documents(root, departments_only=departments > 0)
    return docs[min(EDITED, len(docs) - 1)]


def gongkai_tool(binary: Path, root: Path, doc: Path, name: str = "gongkai") -> Tool:
    base = (REPO / "themes" / "default" / "templates" / "base.html").read_text(encoding="utf-8")
    # The site's own copy of the theme's base template: every page extends it.
    override = root / "themes" / "default" / "templates" / "base.html"
    return Tool(name, root, [str(binary), "build", "--root", str(root)], doc, [(override, base)])


def hugo_tool(root: Path, doc: Path, hugo: str, cache: Path) -> Tool:
    """The Hugo flavor of the corpus; `doc` is the edited document's copy there (see counterpart())."""
    templates = [(p, p.read_text(encoding="utf-8")) for p in (root / "layouts").rglob("*.html")]
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


def alternate_cold(tools: list[Tool], runs: int, trash: Path) -> list[Series]:
    """Cold builds of several corpora, alternating run by run (a, b, a, b, …), so that a drift of the
    machine or of the file system (see bench/README.md on ext4) weighs on each alike."""
    series = [Series(f"{t.name} cold", t.command) for t in tools]
    for i in range(runs):
        for t, s in zip(tools, series):
            if not s.error:
                clear(t.output, trash)
                run_once(s, i, runs)
    for t, s in zip(tools, series):
        s.files = count_files(t.output)[0]
    return series


@dataclass
class SizeResult:
    """What one corpus size gave."""
    edited: str = ""                       # the edited document, in each flavor (for the report)
    tools: dict[str, dict[str, Series]] = field(default_factory=dict)   # tool -> scenario -> runs
    single: Series | None = None           # gongkai's cold builds of the single-body corpus (--with-single)
    gen_time: float = 0.0                  # seconds generating the corpora (not timed)

    def get(self, tool: str, scenario: str) -> Series | None:
        s = self.tools.get(tool, {}).get(scenario)
        return s if s and s.median else None

    def all_series(self) -> list[Series]:
        return [*([self.single] if self.single else []), *(s for d in self.tools.values() for s in d.values())]


def spread(s: Series) -> float | None:
    walls = [r.wall for r in s.runs]
    return max(walls) / min(walls) if walls and min(walls) > 0 else None


def min_max(s: Series) -> str:
    walls = [r.wall for r in s.runs]
    return f"{min(walls):.2f}–{max(walls):.2f}" if walls else "—"


def sys_median(s: Series | None) -> str:
    return "—" if s is None or s.sys is None else f"{s.sys:.2f} s"


def wall_cell(s: Series | None) -> str:
    return "—" if s is None else ("failed" if s.error or not s.runs else f"{s.median:.2f} s ({min_max(s)})")


def invocation(args) -> str:
    """The command that gave these results: the options that differ from the defaults."""
    cmd = ["python3 bench/build_bench.py"]
    if args.sizes != [10000, 100000]:
        cmd.append("--sizes " + " ".join(map(str, args.sizes)))
    if args.departments:
        cmd.append(f"--departments {args.departments}")
    if args.with_single:
        cmd.append("--with-single")
    if args.runs != 5:
        cmd.append(f"--runs {args.runs}")
    if args.scenarios != list(SCENARIOS):
        cmd.append("--scenarios " + " ".join(args.scenarios))
    cmd += [flag for flag, on in (("--no-hugo", args.no_hugo), ("--no-gongkai", args.no_gongkai)) if on]
    return " ".join(cmd)


def platform_heading(departments: int) -> str:
    return f"## Build times on a platform ({departments} departments)"


def report(args, info, results: dict[int, SizeResult], gongkai_version: str, hugo_version: str) -> str:
    """The single-body results (the top of RESULTS.md), or with --departments the platform's section."""
    platform = args.departments > 0
    sub = "###" if platform else "##"   # a platform's tables are subsections of its section
    over = f" over {args.departments} departments" if platform else ""
    sizes = sorted(results)
    out: list[str] = []
    w = out.append
    if platform:
        w(platform_heading(args.departments) + "\n")
        w(f"Generated by `{invocation(args)}` (this section is replaced by each run with `--departments "
          f"{args.departments}`; the other runs of this script and the other scripts keep it). Issue 16's "
          "platform targets.\n")
    else:
        w("# gongkai build benchmark — results\n")
        w(f"Generated by `{invocation(args)}` (overwritten on every run, except the sections other runs "
          "maintain: the platform sections, which `--departments N` writes, and the save-to-served and search "
          "sections, which `bench/serve_bench.py --write-results` and `bench/search_bench.py` write).\n")
    w(f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}")
    w(f"- Machine: {info['nproc']} cores ({info['cpu']}), {info['memory']} RAM, kernel {info['kernel']}, "
      f"disk {info['disk']}, ext4 without a journal")
    w(f"- gongkai: {gongkai_version}; search index on (the default)")
    w(f"- Hugo: {hugo_version}")
    generated = "generation took " + ", ".join(f"{results[n].gen_time:.0f} s" for n in sizes) + " (not timed)"
    if platform:
        w(f"- Corpora: {', '.join(f'{n:,}' for n in sizes)} documents{over} and towns "
          f"(`gen_corpus.py --seed 1 --departments {args.departments}`): the county government as owner keeps "
          "about 10 % of the documents, each department or town has its own guide, half of them their own "
          "directory, two thirds a 2023 report; the same documents in both flavors (in Hugo's, a section per "
          f"department and category); {generated}")
        if args.with_single:
            w("- `--with-single`: also the single-body corpus of each size (`gen_corpus.py --seed 1`, the same "
              "number of documents), built cold by gongkai in the same run, its runs alternating with the "
              "platform's cold runs, for the ratio platform / single body")
    else:
        w(f"- Corpora: {', '.join(f'{n:,}' for n in sizes)} documents, `gen_corpus.py --seed 1`, the same "
          f"documents in both flavors; {generated}")
    w(f"- {args.runs} runs per tool, scenario and size; the median, the fastest and slowest run, the highest "
      "peak RSS and the median system CPU\n")
    w("Method: both tools build on disk, each into `<corpus>/public`, one after the other, never at the same "
      "time. **cold**: the earlier output is moved aside first (a rename, untimed; deleted at the end, so "
      "that no recently deleted files slow the next build as they would not on a fresh checkout). "
      "**nochange**: the output of the previous build is left in place. **edit**: before each run a "
      "paragraph is appended to one document (the same document in both flavors, checked by its title, "
      "索引号 and date" + ("; a department's document" if platform else "") + "). "
      "**template**: before each run a comment before `</body>` changes in gongkai's base template (the "
      "site's own copy in `themes/default/templates/base.html`) and in each of the Hugo flavor's "
      "layouts, so that every page changes. Outputs are never moved aside between rebuilds: what is "
      "measured is what an editor waits for. Before each run the script waits (up to 2 min) for other CPU "
      "load to drop below 15 %; `sync` before each run (untimed).\n")
    for n in sizes:
        r = results[n]
        w(f"{sub} {n:,} documents{over}\n")
        g = next(iter(r.tools.get("gongkai", {}).values()), None)
        h = next(iter(r.tools.get("hugo", {}).values()), None)
        made = ([f"gongkai {g.documents:,} documents, {g.pages:,} pages, {g.files:,} files"] if g and g.pages else []) \
            + ([f"Hugo {h.files:,} files"] if h and h.files else [])
        w(f"Edited document: {r.edited}." + (f" Output: {'; '.join(made)}." if made else "") + "\n")
        w("| Scenario | gongkai median (min–max) | gongkai peak RSS | gongkai sys CPU | Hugo median (min–max) "
          "| Hugo peak RSS | Hugo sys CPU | gongkai / Hugo |")
        w("|---|---:|---:|---:|---:|---:|---:|---:|")
        for sc in SCENARIOS:
            g, h = r.tools.get("gongkai", {}).get(sc), r.tools.get("hugo", {}).get(sc)
            if not g and not h:
                continue
            ratio = f"{g.median / h.median:.2f}×" if g and h and g.median and h.median else "—"
            w(f"| {SCENARIO_TEXT[sc]} | {wall_cell(g)} | {fmt_mib(g and g.peak_rss)} | {sys_median(g)} | "
              f"{wall_cell(h)} | {fmt_mib(h and h.peak_rss)} | {sys_median(h)} | {ratio} |")
        if r.single:
            w(f"| the single-body corpus of {n:,} documents, cold build (`--with-single`) | {wall_cell(r.single)} | "
              f"{fmt_mib(r.single.peak_rss)} | {sys_median(r.single)} | — | — | — | — |")
        w("")
        cold = r.get("gongkai", "cold")
        if r.single and r.single.median and cold:
            w(f"Cold build on the platform / cold build of the single-body corpus: {cold.median:.2f} s / "
              f"{r.single.median:.2f} s = **{cold.median / r.single.median:.2f}×**; peak RSS "
              f"{fmt_mib(cold.peak_rss)} / {fmt_mib(r.single.peak_rss)}.\n")
        w("All runs (s): " + "; ".join(f"{s.label}: {runs_list(s)}" for s in r.all_series()) + "\n")
        if any(s.disturbed for s in r.all_series()):
            w("Some run started while other work kept the machine more than 15 % busy; its figures may be "
              "inflated.\n")
    w(f"{sub} Targets\n")
    lines = targets(results, args.departments)
    for line in lines or ["none at these sizes (the targets are set for 10,000 and 100,000 documents)"]:
        w(f"- {line}")
    w("")
    return "\n".join(out) + "\n"


def targets(results: dict[int, SizeResult], departments: int = 0) -> list[str]:
    """Issue 13's targets for a single body; issue 16's for a platform."""
    lines = []
    over = f" over {departments} departments" if departments else ""
    small, big = results.get(10000), results.get(100000)
    if small:
        limit = TARGET_PLATFORM_IN_PLACE if departments else TARGET_10K_RATIO
        for sc in (IN_PLACE if departments else SCENARIOS):
            g, h = small.get("gongkai", sc), small.get("hugo", sc)
            if g and h:
                ratio = g.median / h.median
                lines.append(f"10,000{over}, {sc}: gongkai / Hugo = {ratio:.2f} (target ≤ {limit}): "
                             + verdict(ratio <= limit))
            if g and spread(g) and not departments:
                lines.append(f"10,000, {sc}: slowest / fastest run = {spread(g):.2f} (target ≤ {TARGET_SPREAD}): "
                             + verdict(spread(g) <= TARGET_SPREAD))
    if big:
        for sc in SCENARIOS:
            g = big.get("gongkai", sc)
            if g and g.peak_rss:
                lines.append(f"100,000{over}, {sc}: peak RSS {fmt_mib(g.peak_rss)} (target ≤ 2 GiB): "
                             + verdict(g.peak_rss <= TARGET_100K_RSS))
        cold = big.get("gongkai", "cold")
        if departments and cold:
            single = big.single.median if big.single else None
            lines.append(f"100,000{over}, cold: platform / single body = "
                         + (f"{cold.median:.2f} s / {single:.2f} s = {cold.median / single:.2f} "
                            if single else "? (run with `--with-single`) ")
                         + f"(target ≤ {TARGET_PLATFORM_COLD}): "
                         + verdict(cold.median / single <= TARGET_PLATFORM_COLD if single else None))
        nochange = big.get("gongkai", "nochange")
        if not departments and cold and nochange:
            ratio = nochange.median / cold.median
            lines.append(f"100,000: nothing changed / cold = {ratio:.2f} (target ≤ {TARGET_100K_NOCHANGE}): "
                         + verdict(ratio <= TARGET_100K_NOCHANGE))
    return lines


# Sections of RESULTS.md that other runs maintain, by the start of their heading: the platform
# sections (this script with --departments N), bench/serve_bench.py --write-results (a single body
# and platforms), bench/search_bench.py. A single-body run rewrites everything else and keeps these
# as they are, at the end.
PLATFORM_BUILD_SECTIONS = "## Build times on a platform ("
SERVE_SECTIONS = "## Save-to-served latency"
SEARCH_SECTION = "## Search ("
KEPT_SECTIONS = (PLATFORM_BUILD_SECTIONS, SERVE_SECTIONS, SEARCH_SECTION)


def sections(text: str) -> list[tuple[str, int, int]]:
    """(heading, start, end) of each `## ` section of a Markdown text, in order; a section runs up to
    the next `## ` heading."""
    starts = [m.start() for m in re.finditer(r"^## ", text, re.M)]
    return [(text[a:].split("\n", 1)[0].rstrip(), a, b) for a, b in zip(starts, [*starts[1:], len(text)])]


def replace_section(path: Path, heading: str, text: str, before: tuple[str, ...] = ()) -> None:
    """Replace the section `heading` in the file at `path` by `text`; without one, insert it before the
    first section whose heading starts with one of `before`, or append it. Every other section stays
    as it is: each script and mode owns its sections of RESULTS.md."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    found = [(a, b) for h, a, b in sections(old) if h == heading]
    if found:
        a, b = found[0]
    else:
        a = b = next((a for h, a, _ in sections(old) if before and h.startswith(before)), len(old))
    head, tail = old[:a].rstrip("\n"), old[b:]
    new = (head + "\n\n" if head else "") + text.strip("\n") + "\n" + ("\n" + tail if tail else "")
    path.write_text(new, encoding="utf-8")


def kept_sections(path: Path) -> str:
    """The KEPT_SECTIONS found in the current file, in their order there, or ''."""
    if not path.exists():
        return ""
    old = path.read_text(encoding="utf-8")
    return "".join("\n" + old[a:b].strip("\n") + "\n" for h, a, b in sections(old) if h.startswith(KEPT_SECTIONS))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000], help="corpus sizes (documents)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool, scenario and size (default 5)")
    ap.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=SCENARIOS)
    ap.add_argument("--departments", type=int, default=0, metavar="N",
                    help="measure a platform of N departments and towns (gen_corpus.py --departments N; the "
                         "edited document is a department's); results go to the section \"Build times on a "
                         "platform (N departments)\" of bench/RESULTS.md, the rest of the file stays")
    ap.add_argument("--with-single", action="store_true",
                    help="with --departments: also build the single-body corpus of each size cold (gongkai, "
                         "--runs runs, alternating with the platform's cold runs) and report the platform's cold "
                         "build against it (issue 16: at most 1.2x)")
    ap.add_argument("--gongkai", type=Path, default=None,
                    help=f"the gongkai binary to measure, as it is (no cargo build); default: cargo build "
                         f"--release --locked, then {DEFAULT_GONGKAI}")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where to put the temporary corpora (default: system temp dir); must be outside the repo")
    ap.add_argument("--keep", action="store_true", help="keep the generated corpora")
    ap.add_argument("--no-hugo", action="store_true", help="do not run Hugo even if it is on PATH")
    ap.add_argument("--no-gongkai", action="store_true", help="measure Hugo only")
    ap.add_argument("--no-cargo", action="store_true", help=f"use the existing {DEFAULT_GONGKAI}")
    ap.add_argument("--no-results", action="store_true", help="print only; do not write bench/RESULTS.md")
    args = ap.parse_args()
    if args.with_single and not args.departments:
        ap.error("--with-single compares a platform with a single body: give --departments N too")
    if args.with_single and ("cold" not in args.scenarios or args.no_gongkai):
        ap.error("--with-single compares gongkai's cold builds: keep the cold scenario and gongkai")
    gongkai = args.gongkai.resolve() if args.gongkai else DEFAULT_GONGKAI
    if not args.gongkai and not args.no_cargo and not args.no_gongkai:
        subprocess.run(["cargo", "build", "--release", "--locked"], cwd=REPO, check=True)
    if not args.no_gongkai and not os.access(gongkai, os.X_OK):
        sys.exit(f"{gongkai} not found; build it with `cargo build --release` or pass --gongkai PATH")
    hugo = None if args.no_hugo else shutil.which("hugo")
    hugo_version = sh([hugo, "version"]) if hugo else "not measured"
    gongkai_version = "not measured" if args.no_gongkai else describe_gongkai(gongkai)
    info = machine()
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-bench-", dir=args.workdir))
    trash = workdir / "trash"
    results: dict[int, SizeResult] = {}
    over = f" over {args.departments} departments" if args.departments else ""
    try:
        for n in sorted(args.sizes):
            print(f"== {n:,} documents{over}", flush=True)
            r = results[n] = SizeResult()
            gk, hg, r.gen_time = generate(workdir, n, args.departments, hugo=bool(hugo))
            doc = edited_document(gk, args.departments)
            r.edited = f"`{doc.relative_to(gk)}`"
            tools = [] if args.no_gongkai else [gongkai_tool(gongkai, gk, doc)]
            if hugo:
                copy = counterpart(gk, hg, doc)
                r.edited += f" (Hugo: `{copy.hg_file.relative_to(hg)}`)"
                tools.append(hugo_tool(hg, copy.hg_file, hugo, workdir / "hugo-cache"))
            for tool in tools:
                done: dict[str, Series] = {}
                if args.with_single and tool.name == "gongkai":
                    single, _, secs = generate(workdir, n, hugo=False)
                    r.gen_time += secs
                    print("  cold builds, alternating with the single-body corpus's", flush=True)
                    r.single, done["cold"] = alternate_cold(
                        [gongkai_tool(gongkai, single, edited_document(single), "gongkai single-body"), tool],
                        args.runs, trash)
                r.tools[tool.name] = {sc: done[sc] if sc in done else run_scenario(tool, sc, args.runs, trash)
                                      for sc in args.scenarios}
        text = report(args, info, results, gongkai_version, hugo_version)
        print(text)
        if not args.no_results:
            path = REPO / "bench" / "RESULTS.md"
            if args.departments:
                replace_section(path, platform_heading(args.departments), text,
                                before=(SERVE_SECTIONS, SEARCH_SECTION))
            else:
                path.write_text(text + kept_sections(path), encoding="utf-8")
    finally:
        if not args.keep:
            rmtree(workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
