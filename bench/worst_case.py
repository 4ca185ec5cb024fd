"""Worst cases per byte: every short dataset text repeated into one long value, timed.

Usage (from the repository root, venv active):
    python bench/worst_case.py [--datasets DIR] [--size BYTES] [--every N] [--top N] [--write]

Detectors read a value in passes that should each be linear in its length. A reading that
restarts at every occurrence of some byte (a tag at every `<`, a command at every `|`) and
runs to the end of the value from there is not, and shows only on long values built from a
short pattern. This script builds such values from every distinct text of 3 to 120 characters
in the datasets (and that text followed by a space or a `<`), repeats each to `--size` bytes,
times `Engine.scan_value` on it and prints the median and the worst times per byte (the
slowest timed again, best of 3). The worst units are then timed at an eighth of the size and
at twice it: a linear reading takes about 16 times as long at the larger size; a reading that
grows faster shows a larger ratio.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import ROOT, datasets_dir, git_commit, read_jsonl  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "worst_case.md"
EXTRA_FILES = (
    ROOT / "training" / "data" / "extra_benign.jsonl",
    ROOT / "bench" / "data" / "lookalike_benign.jsonl",
)
TAILS = ("", " ", "<")


def units(ddir: Path, every: int) -> list[str]:
    """Distinct short texts of every dataset file, each alone and with each tail."""
    files = sorted(ddir.glob("*.jsonl")) + [p for p in EXTRA_FILES if p.exists()]
    if not any(ddir.glob("*.jsonl")):
        raise SystemExit(f"no *.jsonl datasets in {ddir}")
    seen: set[str] = set()
    texts: list[str] = []
    for path in files:
        for rec in read_jsonl(path):
            t = rec["text"]
            if 3 <= len(t) <= 120 and t not in seen:
                seen.add(t)
                texts.append(t)
    return [t + tail for t in texts[::every] for tail in TAILS]


def repeated(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit.encode("utf-8")))


def time_ns(engine, text: str, rounds: int = 1) -> int:
    best = None
    for _ in range(rounds):
        t0 = time.perf_counter_ns()
        engine.scan_value(text)
        took = time.perf_counter_ns() - t0
        best = took if best is None else min(best, took)
    return best


def ns_per_byte(engine, unit: str, size: int, rounds: int = 1) -> float:
    text = repeated(unit, size)
    return time_ns(engine, text, rounds) / len(text.encode("utf-8"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--datasets", help="directory of *.jsonl (default ../shared/datasets)")
    ap.add_argument("--size", type=int, default=32768, help="bytes per value (default 32768)")
    ap.add_argument("--every", type=int, default=1, help="take every Nth text (quick runs)")
    ap.add_argument("--top", type=int, default=15, help="worst units listed")
    ap.add_argument("--write", action="store_true", help=f"write {RESULTS.relative_to(ROOT)}")
    args = ap.parse_args()

    from ironrasp import Engine

    # No memo of clean values: a value timed again is inspected again.
    engine = Engine({"log": {"console": "off", "banner": False}, "limits": {"clean_cache": 0}})
    engine.scan_value("warm-up <b>x</b> ' OR 1=1 -- ; cat ../etc http://127.0.0.1 ${x}")
    started = time.time()
    rows: list[tuple[float, str]] = []
    for unit in units(datasets_dir(args.datasets), max(1, args.every)):
        rows.append((ns_per_byte(engine, unit, args.size), unit))
    rows.sort(reverse=True)
    # One timing can catch a pause of the machine: the slowest are timed again (best of 3).
    again = [(ns_per_byte(engine, u, args.size, 3), u) for _, u in rows[: 10 * args.top]]
    rows = sorted(again + rows[10 * args.top :], reverse=True)
    per_byte = [r[0] for r in rows]

    worst = []
    for ns, unit in rows[: args.top]:
        # Re-timed (best of 3) at an eighth and at twice the size: the growth ratio.
        small, large = repeated(unit, args.size // 8), repeated(unit, args.size * 2)
        t_small, t_large = time_ns(engine, small, 3), time_ns(engine, large, 3)
        worst.append((ns, unit, t_large / 1e6, t_large / max(1, t_small)))

    lines = [
        "# Worst cases per byte (bench/worst_case.py)",
        "",
        f"- Measured on commit {git_commit()}, {datetime.datetime.now():%Y-%m-%d %H:%M}",
        f"- Command: `python bench/worst_case.py --size {args.size} --every {args.every}`",
        f"- {len(rows)} values of {args.size} bytes, each a dataset text of 3-120 characters "
        "(alone, + space, + `<`) repeated; `Engine.scan_value` on each, "
        f"{time.time() - started:.0f} s in all",
        "",
        "| ns per byte | median | p99 | p99.9 | worst |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| all values | {statistics.median(per_byte):.1f} | "
        f"{per_byte[len(per_byte) // 100]:.1f} | {per_byte[len(per_byte) // 1000]:.1f} | "
        f"{per_byte[0]:.1f} |",
        "",
        f"The {len(worst)} slowest units, re-timed at {args.size // 8} and {args.size * 2} bytes "
        "(best of 3): the growth is the time at the larger size over the time at the smaller, "
        "16 for a linear reading.",
        "",
        f"| ns per byte | unit (repr) | ms at {args.size * 2} bytes | growth x16 size |",
        "| ---: | --- | ---: | ---: |",
    ]
    for ns, unit, ms, growth in worst:
        shown = repr(unit)[:70].replace("|", "\\|")
        lines.append(f"| {ns:.1f} | `{shown}` | {ms:.2f} | {growth:.1f} |")
    out = "\n".join(lines) + "\n"
    print(out)
    if args.write:
        RESULTS.write_text(out, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
