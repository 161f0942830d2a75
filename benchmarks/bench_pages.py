"""Page text: quality and milliseconds per page on one core, in process.

Runs `extract_article_text` (what the pipeline reads from every fetched page) on the real pages
of ../shared/pages: F1/precision/recall with the benchmark's metric (parsers/page_scoring) and
the median and 90th percentile of the CPU time per page on one core (bytes in, text out:
decoding, parsing and extraction; each page's best of --rounds runs, so other load on the
machine counts as little as it can).
With --trafilatura PYTHON, trafilatura.extract runs the same way in that Python for comparison.

    .venv/bin/python benchmarks/bench_pages.py [--rounds 5] [--trafilatura /tmp/trafvenv/bin/python]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from laborwatch.parsers.page_scoring import page_files, shingle_counts, summarise  # noqa: E402

PAGES = ROOT.parent / "shared" / "pages"

# Run in the other Python: times trafilatura on the same pages the same way, prints JSON.
_TRAFILATURA = r"""
import gzip, json, os, sys, time, trafilatura
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
out = {}
for path in sys.argv[2:]:
    data = gzip.open(path).read()
    best, text = float("inf"), ""
    for _ in range(int(sys.argv[1])):
        started = time.process_time()
        text = trafilatura.extract(data.decode("utf-8", "replace")) or ""
        best = min(best, (time.process_time() - started) * 1000)
    out[os.path.basename(path).split(".")[0]] = [text, best]
print(json.dumps({"version": trafilatura.__version__, "pages": out}))
"""


def _ours(paths: list[Path], rounds: int) -> dict[str, tuple[str, float]]:
    from laborwatch.parsers.html_text import extract_article_text

    out: dict[str, tuple[str, float]] = {}
    for path in paths:
        data = gzip.decompress(path.read_bytes())
        best, text = float("inf"), ""
        for _ in range(rounds):
            started = time.process_time()
            _, text = extract_article_text(data)
            best = min(best, (time.process_time() - started) * 1000)
        out[path.name.split(".")[0]] = (text, best)
    return out


def _trafilatura(python: str, paths: list[Path], rounds: int) -> dict[str, tuple[str, float]]:
    args = [python, "-c", _TRAFILATURA, str(rounds), *map(str, paths)]
    result = subprocess.run(args, capture_output=True, text=True, check=True)
    pages = json.loads(result.stdout)["pages"]
    return {key: (text, ms) for key, (text, ms) in pages.items()}


def _report(
    name: str, results: dict[str, tuple[str, float]], truth: dict[str, dict[str, str]]
) -> None:
    score = summarise(
        {
            key: shingle_counts(truth[key].get("articleBody", ""), text)
            for key, (text, _) in results.items()
        }
    )
    times = sorted(ms for _, ms in results.values())
    p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
    print(
        f"{name:<12} pages={score.pages} F1={score.f1:.3f} P={score.precision:.3f} "
        f"R={score.recall:.3f}  median={statistics.median(times):.1f} ms/page  p90={p90:.1f} ms"
        f"  mean={statistics.mean(times):.1f} ms"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--trafilatura", metavar="PYTHON", help="a Python with trafilatura")
    args = parser.parse_args(argv)
    if not (args.pages / "ground-truth.json").is_file():
        sys.exit(f"no page benchmark at {args.pages}")
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    truth = json.loads((args.pages / "ground-truth.json").read_text(encoding="utf-8"))
    paths = page_files(args.pages)
    runs: list[tuple[str, Callable[[], dict[str, tuple[str, float]]]]] = [
        ("laborwatch", lambda: _ours(paths, args.rounds))
    ]
    if args.trafilatura:
        runs.append(("trafilatura", lambda: _trafilatura(args.trafilatura, paths, args.rounds)))
    for name, run in runs:
        _report(name, run(), truth)


if __name__ == "__main__":
    main()
