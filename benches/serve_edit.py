#!/usr/bin/env python3
"""How long `banso serve` takes to show a one-report edit on a large site.

It generates synthetic content (benches/generate.py; SYNTHETIC teams and reports over the real
municipalities), starts `banso serve` on it, waits for the first build, then edits one report
`--edits` times (a different report each time) and prints, for each edit, the rebuild time the
server reports and the time from saving the file to the edited page being served with the change.
Between edits it waits for the background search index, as a person's next edit usually would.

    cargo build --release
    benches/serve_edit.py --reports 10000 --edits 5
"""
from __future__ import annotations

import argparse
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

REBUILT = re.compile(r"再構築しました（(\d+) ファイル、([\d.]+) 秒）")
INDEXED = re.compile(r"検索の索引を作りました（(\d+) ファイル、([\d.]+) 秒）")


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8")
    except OSError:
        return ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--banso", default=str(REPO / "target/release/banso"))
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="banso-serve-"))
    try:
        content = work / "content"
        generate.generate(a.reports, 3, content, None)
        reports = sorted(content.glob("cohorts/*/reports/*.md"))
        started = time.perf_counter()
        server = subprocess.Popen([a.banso, "serve", "--content", str(content), "--port", "0", "--as-of", "2030-01-01"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        base = server.stdout.readline().strip().rstrip("/")
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(l) for l in server.stderr], daemon=True).start()

        def wait_for(pattern: re.Pattern[str]) -> tuple[int, float]:
            while True:
                m = pattern.search(lines.get(timeout=300))
                if m:
                    return int(m.group(1)), float(m.group(2))

        files, first = wait_for(REBUILT)
        up = time.perf_counter() - started
        _, indexed = wait_for(INDEXED)
        print(f"{a.reports} synthetic reports, {files} files in memory; first build {first:.2f} s "
              f"(serving after {up:.2f} s), then the search index in the "
              f"background {indexed:.2f} s")
        rebuilds, visible = [], []
        for i in range(a.edits):
            report = reports[(i * 7919) % len(reports)]
            cohort, stem = report.parts[-3], report.stem
            marker = f"編集の確認{i}"
            saved = time.perf_counter()
            report.write_text(report.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
            _, seconds = wait_for(REBUILT)
            while marker not in fetch(f"{base}/reports/{cohort}/{stem}/"):
                time.sleep(0.02)
            rebuilds.append(seconds)
            visible.append(time.perf_counter() - saved)
            _, indexed = wait_for(INDEXED)  # as between a person's edits: the next one finds the indexer idle
            print(f"edit {i + 1}: rebuild {seconds:.2f} s, saved to served {visible[-1]:.2f} s, "
                  f"index remade {indexed:.2f} s", flush=True)
        print(f"median: rebuild {statistics.median(rebuilds):.2f} s, saved to served {statistics.median(visible):.2f} s "
              f"(first build {first:.2f} s)")
        server.terminate()
        server.wait(timeout=30)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
