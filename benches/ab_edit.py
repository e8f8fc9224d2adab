#!/usr/bin/env python3
"""Two banso binaries, one build after an edit each, interleaved: which is faster on this machine now.

This machine's speed drifts by ±20% within minutes, so figures of two binaries from separate runs
of bench.py are not a comparison. This script generates the **synthetic** content once
(benches/generate.py), builds it cold with each binary into an output and a build cache of its
own, then `--runs` times: appends a line to one report (a different one each time), builds with
the first binary, then with the second (the order swapping every run), each into its own output
again, so both take back what their last build left. It checks that each build shows the edit and
prints each binary's times, their medians and the ratio B / A.

    benches/ab_edit.py --reports 10000 --runs 8 OLD_BINARY NEW_BINARY
    benches/ab_edit.py --reports 10000 --runs 8 --no-search OLD NEW
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402
from bench import default_work, fresh_cache  # noqa: E402

# After every synthetic release (bench.py builds at the same instant): a build of a later
# instant than now keeps nothing for the next one.
AS_OF = "2026-01-01"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", help="the first banso binary (the one before)")
    ap.add_argument("b", help="the second banso binary (the one after)")
    ap.add_argument("--reports", type=int, default=10000, help="synthetic reports (default 10000)")
    ap.add_argument("--runs", type=int, default=8, help="edits, each built by both (default 8)")
    ap.add_argument("--no-search", action="store_true", help="build with --no-search")
    ap.add_argument("--work", type=Path, default=None, help="work folder (default: /dev/shm if it has room)")
    args = ap.parse_args()

    root = (args.work or default_work()) / "ab-edit"
    shutil.rmtree(root, ignore_errors=True)
    content = root / "content"
    generate.generate(args.reports, 3, content, None)
    extra = ["--no-search"] if args.no_search else []
    binaries = {"A": str(Path(args.a).resolve()), "B": str(Path(args.b).resolve())}
    envs = {name: fresh_cache(root / f"cache-{name}") for name in binaries}

    def build(name: str) -> float:
        cmd = [binaries[name], "build", "--content", str(content), "--as-of", AS_OF,
               "--output", str(root / f"out-{name}"), "--quiet", *extra]
        started = time.perf_counter()
        subprocess.run(cmd, check=True, env=envs[name])
        return time.perf_counter() - started

    for name in binaries:
        print(f"{name}: cold build {build(name):.2f} s ({binaries[name]})")
    times: dict[str, list[float]] = {name: [] for name in binaries}
    for i in range(args.runs):
        report, page = generate.report_file(content, i)
        marker = f"編集の確認{i}"
        with report.open("a", encoding="utf-8") as f:
            f.write(f"\n{marker}\n")
        for name in (["A", "B"] if i % 2 == 0 else ["B", "A"]):
            times[name].append(build(name))
            shown = (root / f"out-{name}" / page.strip("/") / "index.html").read_text(encoding="utf-8")
            if marker not in shown:
                sys.exit(f"{name}: the build after editing {report} does not show the edit")
        print(f"edit {i + 1}: A {times['A'][-1]:.2f} s, B {times['B'][-1]:.2f} s")
    med = {name: statistics.median(t) for name, t in times.items()}
    for name, t in times.items():
        print(f"{name}: {min(t):.2f}–{max(t):.2f} s, median {med[name]:.2f} s")
    print(f"ratio B / A (medians): {med['B'] / med['A']:.2f}")
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
