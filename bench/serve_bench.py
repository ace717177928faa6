#!/usr/bin/env python3
"""Save-to-served latency: `gongkai serve` against `hugo server` on the same generated corpus.

Run from anywhere:

    python3 bench/serve_bench.py                          # 10,000 documents, 10 edits, print only
    python3 bench/serve_bench.py --write-results          # ... and update bench/RESULTS.md
    python3 bench/serve_bench.py --docs 500 --max-load 0  # quick smoke test, no waiting for a quiet machine
    python3 bench/serve_bench.py --docs 100000 --departments 60 --no-hugo --write-results   # a platform

The script generates the same N documents twice with ../shared/bench/gen_corpus.py
(a gongkai site and a Hugo site) into a temporary folder outside the repository,
then, one server at a time:

    gongkai serve --root <gongkai corpus> --port <free port>
    hugo server --source <hugo corpus> --port <free port> --bind 127.0.0.1
                --disableLiveReload --cacheDir <temp>        (if hugo is found)

It waits until the server answers GET / with 200, fetches each of the --edits
pages it will edit once (they must answer 200 and show the document's title),
then edits them one after the other: it appends a paragraph holding a unique
marker to the document's Markdown body, writes the whole file in one write()
(as an editor's save does), takes time.perf_counter() right after the file is
closed, and polls the page over HTTP (keep-alive connection, one GET every
--poll-ms) until the body contains the marker. That time, save -> first
response holding the marker, is the figure. Once the page is served, the
script waits until the server's CPU use is quiet (at most 2 clock ticks in
0.25 s: Hugo goes on rebuilding after it serves the page), then pauses --pause
plus a random 0..--jitter seconds (0.5-1.0 s; a fixed pause would lock the
saves to one phase of Hugo's 500 ms watcher tick, see bench/README.md). Everything the server prints is recorded with its arrival time, so the
report also gives gongkai's `rebuilt in N ms` lines and Hugo's `Total in N ms`
lines for each edit.

The same edits (same documents, same text) are made on both sites. With
--departments N the corpus is a platform (gen_corpus.py --departments N) and the
edited documents are drawn from all of them, the owner's and the departments'.
Servers are stopped with SIGINT (then SIGTERM, SIGKILL) at the end, also on
Ctrl+C or an error. The figures go to stdout; --write-results also replaces (or
adds) the section "Save-to-served latency (gongkai serve vs hugo server)" of
bench/RESULTS.md, or with --departments N the section "Save-to-served latency on
a platform (N departments)", and leaves the rest of that file as it is. Standard
library only.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import http.client
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import (  # noqa: E402  (same folder)
    DEFAULT_GONGKAI, GEN, REPO, SEARCH_SECTION, Doc, busy, counterpart, describe_gongkai, generate,
    gongkai_documents, machine, replace_section, sh,
)

RESULTS = REPO / "bench" / "RESULTS.md"
# Issue 16: on the 100,000-document platform, the median of 10 edits is at most 150 ms.
TARGET_PLATFORM_MEDIAN = 0.150

GONGKAI_REBUILT_RE = re.compile(r"gongkai: rebuilt in (\d+) ms: (\d+) page\(s\) rendered, (\d+) file\(s\) changed")
HUGO_TOTAL_RE = re.compile(r"Total in (\d+) ms")
# After a save, once the page is served: the search index brought up to date.
GONGKAI_INDEX_RE = re.compile(r"gongkai: search index updated in (\d+) ms")
# `<file>: warning: …`: what gongkai says about the content (gen_corpus.py's corpora draw a few warnings).
CONTENT_WARNING_RE = re.compile(r"^\S+: warning: ")


class Misbehaviour(Exception):
    """The server did something a working server does not do (the run stops and says what)."""


# ---------------------------------------------------------------- servers

@dataclass
class Line:
    t: float        # time.perf_counter() when the line arrived on the pipe
    stream: str     # "out" or "err"
    text: str


class Server:
    """A server process whose stdout and stderr are read line by line, each line timestamped."""

    def __init__(self, name: str, cmd: list[str], log: Path, cwd: Path | None = None):
        self.name = name
        self.cmd = cmd
        self.lines: list[Line] = []
        self.lock = threading.Lock()
        self.log = log.open("w", encoding="utf-8")
        self.t0 = time.perf_counter()
        # Own session: a Ctrl+C in the terminal reaches only this script, which then stops
        # the server itself (SIGINT, like a Ctrl+C would) in its `finally`.
        self.proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, start_new_session=True)
        self.threads = [threading.Thread(target=self._read, args=(s, n), daemon=True)
                        for s, n in ((self.proc.stdout, "out"), (self.proc.stderr, "err"))]
        for th in self.threads:
            th.start()

    def _read(self, pipe, stream: str) -> None:
        for raw in iter(pipe.readline, b""):
            t = time.perf_counter()
            text = raw.decode("utf-8", "replace").rstrip("\n")
            with self.lock:
                self.lines.append(Line(t, stream, text))
                self.log.write(f"{t - self.t0:10.3f} {stream} {text}\n")
                self.log.flush()

    def snapshot(self) -> list[Line]:
        with self.lock:
            return list(self.lines)

    def between(self, t0: float, t1: float) -> list[Line]:
        return [l for l in self.snapshot() if t0 <= l.t < t1]

    def tail(self, n: int = 30) -> str:
        return "\n".join(f"  [{l.stream}] {l.text}" for l in self.snapshot()[-n:])

    def alive(self) -> bool:
        return self.proc.poll() is None

    def rss(self) -> tuple[int | None, int | None]:
        """(current RSS, peak RSS) in bytes, from /proc (the server process itself)."""
        vals: dict[str, int] = {}
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith(("VmRSS:", "VmHWM:")):
                    k, v = line.split(":", 1)
                    vals[k] = int(v.split()[0]) * 1024
        except (OSError, ValueError):
            pass
        return vals.get("VmRSS"), vals.get("VmHWM")

    def cpu_ticks(self) -> int | None:
        """User + system CPU time of the server process so far, in clock ticks."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            return None

    def wait_idle(self, window: float = 0.25, max_ticks: int = 2, limit: float = 60.0) -> float:
        """Wait until the server used at most `max_ticks` clock ticks of CPU in `window` seconds
        (at most `limit` seconds); return the seconds waited (including the quiet window)."""
        t0 = time.perf_counter()
        before = self.cpu_ticks()
        while before is not None and time.perf_counter() - t0 < limit:
            time.sleep(window)
            after = self.cpu_ticks()
            if after is None or after - before <= max_ticks:
                break
            before = after
        return time.perf_counter() - t0

    def stop(self) -> int | None:
        """SIGINT (a Ctrl+C), then SIGTERM, then SIGKILL, to the server's process group."""
        if self.proc.poll() is None:
            for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    print(f"  {self.name} did not stop on {sig.name}", file=sys.stderr)
        for th in self.threads:
            th.join(2)
        with self.lock:
            self.log.close()
        return self.proc.returncode


def free_port() -> int:
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """GETs over one kept-alive HTTP/1.1 connection, reconnecting when the server closes it."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.conn: http.client.HTTPConnection | None = None
        self.reconnects = 0

    def get(self, path: str) -> tuple[int, bytes]:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
                self.reconnects += 1
            try:
                self.conn.request("GET", path, headers={"Cache-Control": "no-cache"})
                r = self.conn.getresponse()
                body = r.read()
                if r.will_close:
                    self.close()
                return r.status, body
            except (OSError, http.client.HTTPException):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def wait_ready(server: Server, client: Client, path: str, timeout: float) -> float:
    """Poll GET <path> until it answers 200; return the seconds since the server was started."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.alive():
            raise Misbehaviour(f"{server.name} exited with {server.proc.returncode} before serving:\n{server.tail()}")
        try:
            status, _ = client.get(path)
            if status == 200:
                return time.perf_counter() - server.t0
        except OSError:
            pass
        time.sleep(0.05)
    raise Misbehaviour(f"{server.name} did not answer GET {path} with 200 within {timeout:.0f} s:\n{server.tail()}")


# ---------------------------------------------------------------- edits

@dataclass
class Edit:
    target: Doc
    marker: str
    saved: float                       # perf_counter right after the file was closed
    latency: float | None = None       # seconds, save -> first response holding the marker
    polls: int = 0
    statuses: dict[int, int] = field(default_factory=dict)   # HTTP status -> count while polling
    errors: int = 0                    # requests that failed (connection refused/reset)
    lines: list[Line] = field(default_factory=list)          # server output between this save and the next


@dataclass
class Result:
    name: str
    command: list[str]
    edits: list[Edit] = field(default_factory=list)
    base: str = "/"                     # the site's base path on the server
    ready: float | None = None          # seconds from start to GET <base> = 200
    busy_before: float | None = None    # CPU busy fraction in the second before the first edit
    loadavg_before: str = ""
    rss: tuple[int | None, int | None] = (None, None)
    error: str | None = None
    exit_code: int | None = None
    stray: list[str] = field(default_factory=list)    # stderr lines that are neither rebuild reports nor expected
    warnings: tuple[int, int] = (0, 0)  # content warnings printed before the first save, and after it

    @property
    def latencies(self) -> list[float]:
        return [e.latency for e in self.edits if e.latency is not None]


def section_heading(departments: int) -> str:
    """The section of RESULTS.md this run writes: one for a single body, one per platform size."""
    return (f"## Save-to-served latency on a platform ({departments} departments)" if departments
            else "## Save-to-served latency (gongkai serve vs hugo server)")


def pick_targets(gk: Path, hg: Path, n: int, seed: int) -> list[Doc]:
    """n different documents, drawn from all of the corpus's (on a platform: the owner's and every
    department's), each with its gongkai and Hugo file and URL (build_bench.counterpart(): the Hugo
    copy must hold the same title, 索引号 and date)."""
    docs = gongkai_documents(gk)
    if len(docs) < n:
        raise SystemExit(f"the corpus has {len(docs)} documents, fewer than --edits {n}")
    return [counterpart(gk, hg, f) for f in random.Random(seed).sample(docs, n)]


def verify_page(client: Client, path: str, title: str, marker_prefix: str, who: str) -> None:
    status, body = client.get(path)
    text = html.unescape(body.decode("utf-8", "replace"))
    if status != 200:
        raise Misbehaviour(f"{who}: GET {path} before editing answered {status}, expected 200")
    if title not in text:
        raise Misbehaviour(f"{who}: GET {path} answered 200 but the page does not show the title {title!r}")
    if marker_prefix in text:
        raise Misbehaviour(f"{who}: GET {path} already holds a marker before editing")


def save(path: Path, marker: str) -> float:
    """Append a paragraph with the marker to the Markdown body, writing the whole file in one
    write() as an editor does; return perf_counter() right after the file is closed."""
    data = path.read_bytes().rstrip(b"\n") + f"\n\n本段为保存到可见延迟测试标记 {marker}。\n".encode()
    with open(path, "wb", buffering=0) as f:   # O_WRONLY|O_CREAT|O_TRUNC, then one write(2)
        n = f.write(data)
    t = time.perf_counter()
    if n != len(data):
        raise OSError(f"short write to {path}: {n} of {len(data)} bytes")
    return t


def edit_loop(server: Server, client: Client, pages: list[tuple[Doc, Path, str]], run_id: str,
              args) -> list[Edit]:
    """One edit per page: save, then poll until the page holds the marker."""
    edits: list[Edit] = []
    interval = args.poll_ms / 1000
    # Pauses drawn from [pause, pause + jitter): the same sequence for every server.
    pauses = random.Random(args.seed).uniform
    for k, (target, file, url) in enumerate(pages):
        marker = f"servebench{run_id}x{k:02d}"
        m = marker.encode()
        e = Edit(target, marker, save(file, marker))
        edits.append(e)
        tick = e.saved
        while True:
            try:
                status, body = client.get(url)
            except OSError:
                e.errors += 1
                status, body = 0, b""
            now = time.perf_counter()
            e.polls += 1
            e.statuses[status] = e.statuses.get(status, 0) + 1
            if status == 200 and m in body:
                e.latency = now - e.saved
                break
            if now - e.saved > args.timeout:
                break
            if not server.alive():
                break
            tick += interval
            delay = tick - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            else:
                tick = time.perf_counter()
        shown = f"{e.latency * 1000:8.1f} ms" if e.latency is not None else "  NOT SERVED"
        print(f"    edit {k + 1:2}/{len(pages)} {target.rel:<32} {shown}  ({e.polls} polls"
              + (f", statuses {e.statuses}" if set(e.statuses) != {200} else "")
              + (f", {e.errors} failed requests" if e.errors else "") + ")", flush=True)
        if e.latency is None:
            time.sleep(1)   # let late output arrive before it is attributed
            why = (f"{server.name} exited with {server.proc.returncode}" if not server.alive()
                   else f"the marker did not appear within {args.timeout:.0f} s")
            e.lines = server.between(e.saved, float("inf"))
            raise Misbehaviour(f"{server.name}: edit {k + 1} ({file}): {why}; last HTTP status "
                               f"{status}, {e.polls} polls, statuses {e.statuses}.\nServer output since "
                               f"the save:\n" + "\n".join(f"  [{l.stream}] +{(l.t - e.saved) * 1000:.0f} ms "
                                                          f"{l.text}" for l in e.lines)
                               + f"\nLast lines:\n{server.tail()}")
        # The next save waits until this rebuild is over (Hugo keeps rebuilding after it already
        # serves the page), then pauses.
        server.wait_idle()
        time.sleep(pauses(args.pause, args.pause + args.jitter))
    # Attribute the server's output to the edit it followed (after the pause, so late lines count).
    time.sleep(0.2)
    for e, nxt in zip(edits, edits[1:] + [None]):
        e.lines = server.between(e.saved, nxt.saved if nxt else float("inf"))
    return edits


def served_url(server: Server, port: int, timeout: float) -> str:
    """The URL the server printed as the first line of its stdout (gongkai serve does)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        first = next((l.text.strip() for l in server.snapshot() if l.stream == "out"), None)
        if first is not None:
            m = re.fullmatch(r"http://(127\.0\.0\.1|localhost|\[::1\]):(\d+)(/\S*)", first)
            if not m or int(m[2]) != port:
                raise Misbehaviour(f"{server.name}: the first line of stdout is {first!r}, expected "
                                   f"http://127.0.0.1:{port}/… (the URL being served)")
            return m[3]
        if not server.alive():
            raise Misbehaviour(f"{server.name} exited with {server.proc.returncode} before printing its URL:\n"
                               f"{server.tail()}")
        time.sleep(0.05)
    raise Misbehaviour(f"{server.name} printed no URL on stdout within {timeout:.0f} s:\n{server.tail()}")


def run_server(name: str, cmd: list[str], host: str, port: int, pages: list[tuple[Doc, Path, str]],
               run_id: str, log: Path, args, url_on_stdout: bool) -> Result:
    """Start the server, wait for its first build, make the edits, stop it. Page URLs in `pages` are
    relative to the site's base path (gongkai: what it printed on stdout; Hugo: /)."""
    res = Result(name, cmd)
    print(f"\n== {name} ==\n  $ {' '.join(cmd)}", flush=True)
    server = Server(name, cmd, log)
    client = Client(host, port)
    try:
        base = served_url(server, port, args.start_timeout) if url_on_stdout else "/"
        res.base = base
        res.ready = wait_ready(server, client, base, args.start_timeout)
        print(f"  serving after {res.ready:.1f} s" + (f" at http://{host}:{port}{base}" if url_on_stdout else ""),
              flush=True)
        pages = [(t, f, base + u) for t, f, u in pages]
        for target, _, url in pages:
            verify_page(client, url, target.title, "servebench", name)
        # Let the server finish whatever it does after its first build before the first edit.
        res.busy_before = busy(1.0)
        deadline = time.monotonic() + 30
        while res.busy_before > 0.15 and time.monotonic() < deadline:
            res.busy_before = busy(1.0)
        res.loadavg_before = Path("/proc/loadavg").read_text().split(" ", 3)[:3]
        res.loadavg_before = " ".join(res.loadavg_before)
        print(f"  pages verified; CPU busy {res.busy_before:.0%} in the last second, load average "
              f"{res.loadavg_before}; editing", flush=True)
        res.edits = edit_loop(server, client, pages, run_id, args)
        res.rss = server.rss()
    except Misbehaviour as e:
        res.error = str(e)
        print(f"  {name} FAILED: {e}", file=sys.stderr, flush=True)
    finally:
        client.close()
        res.exit_code = server.stop()
    # Lines that are not the server's usual chatter: errors, panics, warnings. gongkai's warnings about
    # the generated content are counted apart (`gongkai build` prints them too).
    first_save = res.edits[0].saved if res.edits else float("inf")
    before = after = 0
    for l in server.snapshot():
        if l.stream == "err" and name.startswith("gongkai") and not (
                GONGKAI_REBUILT_RE.search(l.text) or GONGKAI_INDEX_RE.search(l.text)
                or l.text.startswith("gongkai: serving ")):
            if CONTENT_WARNING_RE.match(l.text):
                before, after = (before + 1, after) if l.t < first_save else (before, after + 1)
            else:
                res.stray.append(l.text)
        if name.startswith("hugo") and re.search(r"\b(ERROR|WARN|panic)\b", l.text):
            res.stray.append(l.text)
    res.warnings = (before, after)
    if before or after:
        print(f"  {name} printed {before} warning(s) about the generated content before the first save, "
              f"{after} after it")
    if res.stray:
        print(f"  {name} printed {len(res.stray)} unexpected line(s), e.g.:\n    "
              + "\n    ".join(res.stray[:10]), file=sys.stderr)
    return res


# ---------------------------------------------------------------- report

def ms(x: float | None) -> str:
    return "—" if x is None else f"{x * 1000:.1f} ms"


def mib(x: int | None) -> str:
    return "—" if x is None else f"{x / 2**20:.0f} MiB"


def summary(r: Result) -> tuple[str, str, str]:
    v = r.latencies
    if not v:
        return "—", "—", "—"
    return ms(statistics.median(v)), ms(min(v)), ms(max(v))


def rebuild_lines(r: Result, e: Edit) -> list[str]:
    """What the server printed about its work after the save: gongkai's rebuild and search-index lines,
    Hugo's `Total in` lines."""
    rxs = (GONGKAI_REBUILT_RE, GONGKAI_INDEX_RE) if r.name.startswith("gongkai") else (HUGO_TOTAL_RE,)
    return [f"+{(l.t - e.saved) * 1000:.0f} ms: {l.text.strip()}" for l in e.lines
            if any(rx.search(l.text) for rx in rxs)]


def reported_ms(r: Result) -> list[int]:
    """The server's own rebuild times for the edits: the first rebuild line after each save."""
    rx = GONGKAI_REBUILT_RE if r.name.startswith("gongkai") else HUGO_TOTAL_RE
    out = []
    for e in r.edits:
        m = next((rx.search(l.text) for l in e.lines if rx.search(l.text)), None)
        if m:
            out.append(int(m[1]))
    return out


def line_after_save(r: Result) -> list[float]:
    """Seconds from each save to the arrival of the server's first rebuild line."""
    rx = GONGKAI_REBUILT_RE if r.name.startswith("gongkai") else HUGO_TOTAL_RE
    out = []
    for e in r.edits:
        l = next((l for l in e.lines if rx.search(l.text)), None)
        if l:
            out.append(l.t - e.saved)
    return out


def print_table(results: list[Result], n: int) -> None:
    print(f"\n{n:,} documents, {max(len(r.edits) for r in results)} edits each\n")
    print(f"{'server':<16} {'median':>10} {'min':>10} {'max':>10}  {'own rebuild (median)':>20}  "
          f"{'save→rebuild line':>17}  all edits (ms)")
    for r in results:
        if r.error and not r.latencies:
            print(f"{r.name:<16} {'failed':>10}")
            continue
        med, lo, hi = summary(r)
        own = reported_ms(r)
        after = line_after_save(r)
        print(f"{r.name:<16} {med:>10} {lo:>10} {hi:>10}  "
              f"{(f'{statistics.median(own)} ms' if own else '—'):>20}  "
              f"{(ms(statistics.median(after)) if after else '—'):>17}  "
              + ", ".join(f"{x * 1000:.0f}" for x in r.latencies))
    print()
    for r in results:
        print(f"{r.name}: rebuild lines after each save")
        for k, e in enumerate(r.edits, 1):
            lines = rebuild_lines(r, e)
            print(f"  {k:2} {e.target.rel:<32} {ms(e.latency):>10}  " + ("; ".join(lines) if lines else "(none)"))
    print()


def invocation(args) -> str:
    """The command that writes this section: the options that differ from the defaults."""
    return ("python3 bench/serve_bench.py" + (f" --docs {args.docs}" if args.docs != 10000 else "")
            + (f" --departments {args.departments}" if args.departments else "")
            + (f" --edits {args.edits}" if args.edits != 10 else "")
            + (" --no-hugo" if args.no_hugo else "") + (" --no-gongkai" if args.no_gongkai else "")
            + " --write-results")


def report(args, info, results: list[Result], n: int, hugo_version: str, gongkai_version: str,
           quiet: str, gen_time: float, targets: list[Doc]) -> str:
    out: list[str] = []
    w = out.append
    by = {r.name: r for r in results}
    gk, hg = by.get("gongkai serve"), by.get("hugo server")
    edits = max((len(r.edits) for r in results), default=0)
    w(section_heading(args.departments) + "\n")
    w(f"Generated by `{invocation(args)}` (this section is replaced on each such run"
      + (f" with `--departments {args.departments}`" if args.departments else " without `--departments`")
      + "; `build_bench.py` keeps it)." + (" Issue 16's serve target." if args.departments else "") + "\n")
    w(f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}")
    w(f"- Machine: {info['nproc']} cores ({info['cpu']}), {info['memory']} RAM, kernel {info['kernel']}; "
      f"corpus and gongkai's output on {info['disk']}")
    w(f"- Load before starting: {quiet}")
    w(f"- gongkai: {gongkai_version}")
    w(f"- Hugo: {hugo_version}")
    in_depts = sum(1 for t in targets if t.dept)
    if args.departments:
        w(f"- Corpus: a platform of {n:,} documents over {args.departments} departments and towns, "
          f"`gen_corpus.py --seed 1 --departments {args.departments}` (about 10 % of the documents are the "
          f"county government's own), same documents in both flavors (generated in {gen_time:.0f} s, not timed); "
          f"{edits} edits per server, the same {edits} documents (`--seed {args.seed}`, drawn from all documents: "
          f"{in_depts} of them a department's) and the same appended text for both")
    else:
        w(f"- Corpus: {n:,} documents, `gen_corpus.py --seed 1`, same documents in both flavors (generated in "
          f"{gen_time:.0f} s, not timed); {edits} edits per server, the same {edits} documents "
          f"(`--seed {args.seed}`) and the same appended text for both")
    if not hg:
        w("- Hugo was not measured (`--no-hugo`): this section has gongkai's figures only; the Hugo flavor of "
          "the corpus was generated to check that the edited documents are the same in both")
    if not gk:
        w("- gongkai was not measured (`--no-gongkai`)")
    w("")
    w("What is measured: the time from saving one document (the whole file written in one `write()`, the clock "
      "read right after `close()`) to the first HTTP response for that document's page that holds the new text. "
      f"The page is polled with GET over a kept-alive HTTP/1.1 connection every {args.poll_ms:g} ms; the servers "
      f"run one at a time. After an edit is served the script waits until the server's own CPU use is quiet "
      f"(Hugo goes on rebuilding after it serves the page), then pauses {args.pause:g}–"
      f"{args.pause + args.jitter:g} s (random, the same sequence for both servers) before the next save, so no "
      "save falls into the previous rebuild. Each edit appends a paragraph with a unique marker "
      "to the body of a different document (the title, date and category are unchanged).\n")
    w("- gongkai: `gongkai serve --root <corpus> --port <free port>`; it writes its output to `<corpus>/public` "
      "on disk and serves the files from there. A document `content/docs/<year>/<code>-<n>.md` is served at "
      "`docs/<year>/<code>-<n>/` below the printed URL, a department's `content/departments/<dept>/docs/…` at "
      "`bm/<dept>/docs/…/`.")
    w("- Hugo: `hugo server --source <corpus> --port <free port> --bind 127.0.0.1 --disableLiveReload "
      "--cacheDir <temp>`, otherwise defaults: it renders to memory (its default; `--renderToDisk` would change "
      "that) and uses fast render mode (re-renders the changed page and recently visited ones). The same "
      "document is `content/<code>/<year>-<code>-<n>.md` there, served at `/<code>/<year>-<code>-<n>/`; a "
      "department's is `content/<dept>-<code>/…`, served at `/<dept>-<code>/…/`.\n")
    w("| Server | Median | Min | Max | All edits (ms) | Server's own rebuild time, median | Save → rebuild line printed, median | Serving after start | RSS after the edits (peak) |")
    w("|---|---:|---:|---:|---|---:|---:|---:|---:|")
    for r in results:
        med, lo, hi = summary(r)
        own = reported_ms(r)
        after = line_after_save(r)
        cur, peak = r.rss
        w(f"| {r.name} | {'**' + med + '**' if med != '—' else 'failed'} | {lo} | {hi} | "
          f"{', '.join(f'{x * 1000:.0f}' for x in r.latencies) or '—'} | "
          f"{f'{statistics.median(own)} ms' if own else '—'} | {ms(statistics.median(after)) if after else '—'} | "
          f"{f'{r.ready:.1f} s' if r.ready is not None else '—'} | {mib(cur)} ({mib(peak)}) |")
    w("")
    if gk and hg and gk.latencies and hg.latencies:
        a, b = statistics.median(gk.latencies), statistics.median(hg.latencies)
        w(f"Median save-to-served: gongkai {ms(a)}, Hugo {ms(b)} "
          + (f"(Hugo / gongkai = {b / a:.2f}×).\n" if a > 0 else ".\n"))
    if args.departments and gk and gk.latencies:
        med = statistics.median(gk.latencies)
        w(f"Target (issue 16): on the 100,000-document platform, gongkai's median save-to-served over 10 edits at "
          f"most {TARGET_PLATFORM_MEDIAN * 1000:.0f} ms. Measured: {ms(med)} over {len(gk.latencies)} edits at "
          f"{n:,} documents over {args.departments} departments: "
          + (("**met**" if med <= TARGET_PLATFORM_MEDIAN else "**MISSED**") if n == 100000
             else "not judged (it is set for 100,000 documents)") + ".\n")
    w("\"Server's own rebuild time\" is what the server prints: gongkai's `gongkai: rebuilt in N ms: …` line, "
      "Hugo's `Total in N ms`. \"Save → rebuild line printed\" is when that line reached this script's pipe, "
      "measured from the save: it includes the watcher's debounce and the rebuild, but not the serving.\n")
    w("### Per edit\n")
    w("| # | Document | gongkai | gongkai's rebuild and search-index lines, time after the save | Hugo "
      "| Hugo's `Total in` line(s) |")
    w("|---:|---|---:|---|---:|---|")
    for k in range(edits):
        def cell(r: Result | None) -> tuple[str, str]:
            if r is None or k >= len(r.edits):
                return "—", "—"
            e = r.edits[k]
            return ms(e.latency), "<br>".join(rebuild_lines(r, e)).replace("|", "\\|") or "(none)"
        ge, gl = cell(gk)
        he, hl = cell(hg)
        src = (gk or hg).edits[k].target.rel
        w(f"| {k + 1} | `{src}` | {ge} | {gl} | {he} | {hl} |")
    w("")
    notes = []
    for r in results:
        if r.error:
            notes.append(f"**{r.name} failed:** " + r.error.splitlines()[0])
        if any(r.warnings):
            notes.append(f"{r.name} printed {r.warnings[0]} warning(s) about the generated content while loading "
                         "it, as `gongkai build` does (gen_corpus.py writes no apply.md, no [identity], not "
                         f"every annual report), and {r.warnings[1]} after the saves")
        if r.stray:
            notes.append(f"{r.name} printed {len(r.stray)} unexpected line(s), first: `{r.stray[0][:200]}`")
        if r.busy_before is not None:
            notes.append(f"{r.name}: CPU busy {r.busy_before:.0%} of all cores in the second before the first "
                         f"edit (server idle), load average {r.loadavg_before}")
    for note in notes:
        w(f"- {note}")
    if notes:
        w("")
    w("Caveats: the figure includes each server's file-watch delay. gongkai hands a save to its rebuild loop once "
      "the file has had no events for 30 ms, checked every 7.5 ms (notify-debouncer-full, tick = timeout / 4), so "
      "30–38 ms of each gongkai figure is that wait. Hugo collects file events and hands them over on a "
      "free-running 500 ms tick (`watcher.New(500*time.Millisecond, …)` in its server command), so a save waits "
      "0–500 ms for the next tick depending on when it falls; the random pause spreads the saves over that tick. "
      "The figures are quantised by the polling: a page that became ready just after a poll is seen up to one "
      f"interval ({args.poll_ms:g} ms) plus one request later. The poller itself uses CPU on the same cores. "
      "gongkai serves files it wrote to disk; Hugo serves from memory. Hugo prints `Total in N ms` after the page "
      "is already served, so its \"save → rebuild line\" can exceed its save-to-served time.\n")
    return "\n".join(out)


def write_results(text: str, departments: int) -> None:
    replace_section(RESULTS, section_heading(departments), text, before=(SEARCH_SECTION,))


# ---------------------------------------------------------------- main

def wait_quiet(max_load: float, every: float, limit: float) -> str:
    """Wait until the 1-minute load average is below max_load (checked every `every` s, for at most
    `limit` s); return a description of what was seen."""
    def load() -> float:
        return float(Path("/proc/loadavg").read_text().split()[0])
    t0 = time.monotonic()
    seen = [load()]
    while seen[-1] >= max_load and time.monotonic() - t0 < limit:
        print(f"  load average {seen[-1]:.2f} ≥ {max_load}; waiting (checked every {every:.0f} s, "
              f"for up to {limit / 60:.0f} min)", flush=True)
        time.sleep(every)
        seen.append(load())
    waited = time.monotonic() - t0
    if seen[-1] < max_load:
        return (f"1-minute load average {seen[-1]:.2f} (below {max_load}"
                + (f", after waiting {waited:.0f} s; first seen {seen[0]:.2f}" if len(seen) > 1 else "") + ")")
    return (f"1-minute load average {seen[-1]:.2f}, still ≥ {max_load} after waiting {waited:.0f} s "
            f"(first seen {seen[0]:.2f}): other work was running")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10000, help="corpus size in documents (default 10000)")
    ap.add_argument("--edits", type=int, default=10, help="edits per server, each on a different document (default 10)")
    ap.add_argument("--seed", type=int, default=1, help="which documents are edited (default 1)")
    ap.add_argument("--departments", type=int, default=0, metavar="N",
                    help="a platform of N departments and towns (gen_corpus.py --departments N); the edited "
                         "documents are drawn from all, the owner's and the departments'; --write-results writes "
                         "the section \"Save-to-served latency on a platform (N departments)\"")
    ap.add_argument("--gongkai", type=Path, default=DEFAULT_GONGKAI,
                    help=f"the gongkai binary (default {DEFAULT_GONGKAI}; build it with cargo build --release)")
    ap.add_argument("--hugo", default=None, help="the hugo binary (default: `hugo` on PATH)")
    ap.add_argument("--no-hugo", action="store_true", help="measure gongkai only")
    ap.add_argument("--no-gongkai", action="store_true", help="measure Hugo only")
    ap.add_argument("--poll-ms", type=float, default=2.0, help="polling interval in ms (default 2)")
    ap.add_argument("--pause", type=float, default=0.5,
                    help="seconds between an edit being served and the next save, at least (default 0.5)")
    ap.add_argument("--jitter", type=float, default=0.5,
                    help="plus a random 0..JITTER seconds (default 0.5), so that saves do not fall at the same "
                         "phase of a server's periodic watcher tick (Hugo batches file events every 500 ms)")
    ap.add_argument("--timeout", type=float, default=30.0,
                    help="seconds an edit may take to be served before the run counts it as failed (default 30)")
    ap.add_argument("--start-timeout", type=float, default=600.0,
                    help="seconds a server may take to serve its first build (default 600)")
    ap.add_argument("--max-load", type=float, default=0.8,
                    help="wait until the 1-minute load average is below this (checked every 30 s for up to "
                         "10 min) before starting; 0 does not wait (default 0.8)")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where to put the temporary corpora (default: system temp dir); must be outside the repo")
    ap.add_argument("--keep", action="store_true", help="keep the corpora and the server logs")
    ap.add_argument("--write-results", action="store_true",
                    help="replace (or add) this run's save-to-served section of bench/RESULTS.md")
    args = ap.parse_args()

    if not GEN.exists():
        sys.exit(f"corpus generator not found: {GEN}")
    gongkai = None if args.no_gongkai else args.gongkai.resolve()
    if gongkai and not os.access(gongkai, os.X_OK):
        sys.exit(f"{gongkai} not found; build it with `cargo build --release` or pass --gongkai PATH")
    hugo = None if args.no_hugo else (args.hugo or shutil.which("hugo"))
    if not args.no_hugo and not hugo:
        sys.exit("no `hugo` on PATH (apt-get install -y hugo), or pass --hugo PATH or --no-hugo")
    if args.edits < 1:
        sys.exit("--edits must be at least 1")

    base = args.workdir.resolve() if args.workdir else Path(tempfile.gettempdir())
    if base == REPO or REPO in base.parents:
        sys.exit(f"--workdir {base} is inside the repository; corpora must stay outside it")

    # A SIGTERM (e.g. from `timeout`) stops the servers and cleans up like a Ctrl+C.
    def on_sigterm(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_sigterm)

    info = machine()
    hugo_version = sh([hugo, "version"]) if hugo else "not measured"
    gongkai_version = describe_gongkai(gongkai) if gongkai else "not measured"

    quiet = "not waited for (`--max-load 0`)"
    if args.max_load > 0:
        quiet = wait_quiet(args.max_load, 30, 600)
        print(f"  {quiet}", flush=True)

    base.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="gongkai-serve-bench-", dir=base))
    print(f"corpora in {workdir}", flush=True)
    results: list[Result] = []
    try:
        # Both flavors even with --no-hugo: the Hugo copy checks that the edited documents are the ones meant.
        gk, hg, gen_time = generate(workdir, args.docs, args.departments)
        over = f" over {args.departments} departments" if args.departments else ""
        print(f"generated {args.docs:,} documents{over} in both flavors in {gen_time:.1f} s", flush=True)
        targets = pick_targets(gk, hg, args.edits, args.seed)
        run_id = f"{random.Random().getrandbits(32):08x}"

        if gongkai:
            port = free_port()
            cmd = [str(gongkai), "serve", "--root", str(gk), "--port", str(port)]
            results.append(run_server("gongkai serve", cmd, "127.0.0.1", port,
                                      [(t, t.gk_file, t.gk_url) for t in targets], run_id,
                                      workdir / "gongkai-serve.log", args, url_on_stdout=True))
        if hugo:
            port = free_port()
            cmd = [hugo, "server", "--source", str(hg), "--port", str(port), "--bind", "127.0.0.1",
                   "--disableLiveReload", "--cacheDir", str(workdir / "hugo_cache")]
            results.append(run_server("hugo server", cmd, "127.0.0.1", port,
                                      [(t, t.hg_file, t.hg_url.lstrip("/")) for t in targets], run_id,
                                      workdir / "hugo-server.log", args, url_on_stdout=False))

        print_table(results, args.docs)
        text = report(args, info, results, args.docs, hugo_version, gongkai_version, quiet, gen_time, targets)
        if args.write_results:
            write_results(text, args.departments)
            print(f"wrote the section to {RESULTS}")
        else:
            print(text)
        for r in results:
            if r.exit_code not in (0, None, -signal.SIGINT, 130):
                print(f"note: {r.name} exited with {r.exit_code} when stopped with SIGINT", file=sys.stderr)
        return 1 if any(r.error for r in results) else 0
    finally:
        if args.keep:
            print(f"corpora and server logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
