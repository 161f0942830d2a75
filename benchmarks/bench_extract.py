"""Extraction speed: milliseconds per 1,000-word article on one core.

Two kinds of 1,000-word article are timed with `analyze_article`:
- "news": the three real seed stories run together (about 15 figures per 1,000 words);
- "dense": labelled corpus passages run together (about 60 figures per 1,000 words), a worst
  case where nearly every sentence carries figures.
Then one very long entry (the dense text in one paragraph, 1× and 4× as long): the time per
character of the longer should stay near the shorter's (linear, not quadratic; a 400 KB entry once
took 70 s).

    .venv/bin/python benchmarks/bench_extract.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from laborwatch.parsers.analyze import analyze_article  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "extraction_corpus" / "corpus.jsonl"
SEEDS = ROOT / "data" / "samples" / "articles"


def _chunks(passages: list[str]) -> list[str]:
    words = "\n\n".join(passages).split(" ")
    return [" ".join(words[i : i + 1000]) for i in range(0, len(words) - 999, 1000)]


def thousand_word_articles() -> list[str]:
    """Dense articles: labelled corpus passages joined into 1,000-word articles."""
    return _chunks(
        [
            item["text"]
            for item in map(json.loads, CORPUS.read_text(encoding="utf-8").splitlines())
            if item["labor_relevant"]
        ]
    )


def news_articles() -> list[str]:
    """Typical articles: the real seed stories joined into 1,000-word articles."""
    return _chunks([path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))])


def measure(name: str, articles: list[str], rounds: int) -> None:
    wall: list[float] = []
    cpu: list[float] = []
    figures = 0
    for round_number in range(rounds):
        for index, article in enumerate(articles):
            # A new string every run, as in production: no per-text cache can serve a repeat.
            text = f"{article}\n\nEdition {round_number}-{index}."
            started, started_cpu = time.perf_counter(), time.process_time()
            analysis = analyze_article("", text)
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
            figures += len(analysis.figures)
    # CPU time is what one core spends; wall time also counts waiting on a busy machine.
    print(
        f"{name}: {len(articles)} x {rounds} runs of 1,000 words, per article: "
        f"CPU median {statistics.median(cpu):.2f} ms (mean {statistics.mean(cpu):.2f}); "
        f"wall median {statistics.median(wall):.2f} ms, "
        f"p95 {sorted(wall)[int(len(wall) * 0.95)]:.2f} ms; "
        f"{figures / len(wall):.1f} figures per article"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    analyze_article("warm-up", news_articles()[0])  # compile the regexes once, as a run would
    measure("news", news_articles(), args.rounds)
    measure("dense", thousand_word_articles(), args.rounds)
    scaling(" ".join(thousand_word_articles()).replace("\n", " "))


def scaling(dense: str) -> None:
    seconds = []
    for size in (100_000, 400_000):
        text = (dense * (size // len(dense) + 1))[:size]
        started = time.process_time()
        analyze_article("", text)
        seconds.append(time.process_time() - started)
    ratio = (seconds[1] / 400) / (seconds[0] / 100)
    print(
        f"one long paragraph: 100 KB {seconds[0]:.2f} s, 400 KB {seconds[1]:.2f} s CPU; "
        f"time per character 400 KB / 100 KB = {ratio:.2f} (1.0 is linear)"
    )


if __name__ == "__main__":
    main()
