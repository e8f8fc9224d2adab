#!/usr/bin/env python3
"""Two banso binaries side by side in `serve`: the same edits saved to each, taking turns.

This machine class's speed drifts by ±20% within minutes, so two runs of serve_edit.py, one per
binary, do not compare them. Here both servers run at once, each on its own copy of the same
synthetic content (benches/generate.py; SYNTHETIC teams and reports over the real
municipalities); each edit is saved to one server, then to the other (the order swapping every
edit), and each waits for its search index before the next edit, so a rebuild never shares the
machine with the other server's work. Per case it prints each binary's median rebuild (as the
server reports it) and saved-to-served time, and the ratio NEW / OLD.

    benches/serve_ab.py --reports 10000 --edits 8 OLD NEW
    benches/serve_ab.py --cases roster OLD NEW
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from serve_edit import INDEXED, REBUILT, URL, Edit, Server, generate, report_edits, roster_edits, seconds

CASES = {"report": report_edits, "roster": roster_edits}


def start(banso: str, content: Path) -> tuple[Server, str]:
    """`banso serve` on `content`, once its first build and search index are made."""
    server = Server([banso, "serve", "--content", str(content), "--port", "0", "--as-of", "2030-01-01"])
    m = server.wait_for(URL)
    if not m or not server.wait_for(REBUILT) or not server.wait_for(INDEXED):
        sys.exit(f"{banso} serve did not start")
    return server, m.group(1)


def save(server: Server, base: str, e: Edit) -> tuple[float, float]:
    """Save `e`; (the rebuild the server reports, saved to served), once the index is remade."""
    saved = time.perf_counter()
    e.file.write_text(e.text, encoding="utf-8")
    visible = server.served(base + e.path, e.marker) - saved
    m = server.wait_for(REBUILT, timeout=60)
    if not m or not server.wait_for(INDEXED):
        sys.exit("a server did not report its rebuild and index")
    return seconds(m), visible


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog="\n".join(__doc__.splitlines()[2:]),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--reports", type=int, default=10000, help="synthetic reports (default 10000)")
    ap.add_argument("--edits", type=int, default=8, help="edits per case (default 8)")
    ap.add_argument("--cases", default="report,roster", help="comma-separated, of report,roster (default both)")
    a = ap.parse_args()
    cases = [c for c in a.cases.split(",") if c]
    if set(cases) - set(CASES):
        sys.exit(f"choose cases among {','.join(CASES)}")
    for b in (a.old, a.new):
        if not Path(b).exists():
            sys.exit(f"{b} not found")
    work = Path(tempfile.mkdtemp(prefix="banso-serve-ab-"))
    try:
        generate.generate(a.reports, 3, work / "made", None)
        for case in cases:
            runs: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
            servers, edits = {}, {}
            for name, banso in (("old", a.old), ("new", a.new)):
                content = work / f"{case}-{name}"
                shutil.copytree(work / "made", content)
                servers[name] = start(banso, content)
                edits[name] = CASES[case](content, a.edits)
            try:
                for i in range(a.edits):
                    for name in (("old", "new") if i % 2 == 0 else ("new", "old")):
                        server, base = servers[name]
                        runs[name].append(save(server, base, edits[name][i]))
            finally:
                for server, _ in servers.values():
                    server.stop()
            print(f"{case} edit at {a.reports} reports, median of {a.edits} (taking turns):")
            med = {n: (statistics.median(r for r, _ in v), statistics.median(s for _, s in v)) for n, v in runs.items()}
            for n in ("old", "new"):
                print(f"  {n}: rebuild {med[n][0]:.3f} s, saved to served {med[n][1]:.3f} s")
            print(f"  new / old: rebuild {med['new'][0] / med['old'][0]:.2f}, "
                  f"saved to served {med['new'][1] / med['old'][1]:.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
