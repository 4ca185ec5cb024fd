"""Detection quality of IronRASP on the shared labeled datasets, libinjection and pyrasp beside it.

Usage (from the repository root, venv active):
    python bench/quality.py [--split dev|train|all] [--limit N] [--no-peers] [--write]

Values are scanned with ``Engine.scan_values`` (the engine's own decoding, as a query-string
value), in batches. Definitions are printed with the tables; see DEFINITIONS below.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "training"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import peers as peer_mod  # noqa: E402
from split import is_dev  # noqa: E402  (training/split.py: the fixed dev split rule)

BATCH = 512
RESULTS = ROOT / "bench" / "results" / "quality.md"
EXTRA_BENIGN = ROOT / "training" / "data" / "extra_benign.jsonl"
LOOKALIKE_BENIGN = ROOT / "bench" / "data" / "lookalike_benign.jsonl"
CORE = ("sqli", "xss", "path_traversal", "cmdi")
PEER_CLASSES = ("sqli", "xss")

DEFINITIONS = """\
Definitions (applied identically to IronRASP and the peers):
- Values are distinct texts per attack class and per benign kind, in the chosen split
  (`training/split.py`: dev iff sha256(text)[0] % 5 == 0). A text listed under two labels is
  scored under each.
- A value is *flagged* if the tool reports anything at all (IronRASP: any finding of any class;
  a peer: any of its detectors). IronRASP gets the text as stored and decodes it itself; each peer
  gets the text as stored and once URL-decoded (`unquote_plus`) and counts as flagged if either is.
- *Recall* of class C = flagged values of C / values of C. *Same-class recall* = values of C
  flagged with a finding of class C itself (n/a when the tool has no detector named C).
- *Precision* of class C = flagged values of C / (flagged values of C + flagged benign values),
  benign = `benign.jsonl` in the same split: every benign false positive counts against the
  precision of every class, because a refused benign request is wrong whatever the class.
  F1 = 2PR / (P + R).
- *FP rate* = flagged benign values / benign values, overall (distinct texts of `benign.jsonl`)
  and per benign kind. `training/data/extra_benign.jsonl` kinds are listed apart as `extra:<kind>`;
  the SQLi/XSS models were trained on its train split, so with `--split all` or `train` its
  numbers are optimistic (the dev split was held out).
- `bench/data/lookalike_benign.jsonl` (benign text written to resemble attack syntax: templates,
  docs, code, markdown; see bench/data/README.md) is never trained on: all of it is scored in
  every split, listed as `lookalike:<kind>`. It is a check for false positives beside the
  datasets, not part of the targets."""


def datasets_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    env = os.environ.get("IRONRASP_DATASETS")
    return Path(env) if env else ROOT.parent / "shared" / "datasets"


def in_split(text: str, split: str) -> bool:
    return split == "all" or (is_dev(text) == (split == "dev"))


def read_jsonl(path: Path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def load(ddir: Path, split: str, limit: int | None):
    """Returns (attacks: class -> [text], benign: kind -> [text], extra: kind -> [text],
    file_sizes: class -> distinct texts in the whole file, lookalike: kind -> [text])."""
    attacks: dict[str, list[str]] = {}
    benign: dict[str, list[str]] = defaultdict(list)
    sizes: dict[str, int] = {}
    for path in sorted(ddir.glob("*.jsonl")):
        if path.stem == "benign":
            continue
        seen: set[str] = set()
        chosen: list[str] = []
        for rec in read_jsonl(path):
            text = rec["text"]
            if text in seen:
                continue
            seen.add(text)
            if in_split(text, split) and (limit is None or len(chosen) < limit):
                chosen.append(text)
        attacks[path.stem] = chosen
        sizes[path.stem] = len(seen)

    def grouped(path: Path, prefix: str, split: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        seen: set[tuple[str, str]] = set()
        for rec in read_jsonl(path):
            kind, text = prefix + rec.get("kind", "unknown"), rec["text"]
            if (kind, text) in seen:
                continue
            seen.add((kind, text))
            if in_split(text, split) and (limit is None or len(out[kind]) < limit):
                out[kind].append(text)
        return dict(sorted(out.items()))

    benign = grouped(ddir / "benign.jsonl", "", split)
    extra = grouped(EXTRA_BENIGN, "extra:", split) if EXTRA_BENIGN.exists() else {}
    # Never trained on: all of it in every split.
    lookalike = grouped(LOOKALIKE_BENIGN, "lookalike:", "all") if LOOKALIKE_BENIGN.exists() else {}
    return attacks, benign, extra, sizes, lookalike


def scan_groups(
    engine,
    groups: dict[str, list[str]],
    cache: dict[str, set[str]],
    timing: dict[str, tuple[int, float]],
) -> None:
    """Scans each group's texts not yet in ``cache`` (text -> classes found), batch by batch."""
    for name, texts in groups.items():
        todo = list(dict.fromkeys(t for t in texts if t not in cache))
        start = time.perf_counter()
        for i in range(0, len(todo), BATCH):
            batch = todo[i : i + BATCH]
            for text, findings in zip(batch, engine.scan_values(batch), strict=True):
                cache[text] = {f["class"] for f in findings}
        timing[name] = (len(todo), time.perf_counter() - start)


def prf(tp: int, n: int, fp: int) -> tuple[float, float, float]:
    recall = tp / n if n else 0.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pct(k: int, n: int) -> str:
    return f"{k} / {n} = {100 * k / n:.2f}%" if n else "0 / 0"


def f4(x: float) -> str:
    return f"{x:.4f}"


def table(header: list[str], rows: list[list[str]]) -> str:
    aligns = ["---"] + ["---:"] * (len(header) - 1)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def evaluate(flags: dict[str, set[str]], attacks, benign, detectors: set[str]):
    """Per-class metrics for one tool. ``flags``: text -> set of classes the tool reported."""
    benign_texts = set(t for texts in benign.values() for t in texts)
    fp = sum(1 for t in benign_texts if flags[t])
    out = {}
    for cls, texts in attacks.items():
        n = len(texts)
        tp = sum(1 for t in texts if flags[t])
        same = sum(1 for t in texts if cls in flags[t]) if cls in detectors else None
        p, r, f = prf(tp, n, fp)
        out[cls] = {"n": n, "tp": tp, "same": same, "p": p, "r": r, "f1": f}
    return out, fp, len(benign_texts)


def git_commit() -> str:
    def run(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    commit = run("rev-parse", "--short", "HEAD") or "unknown"
    dirty = run("status", "--porcelain", "--untracked-files=no")
    return commit + (" + uncommitted changes in the working tree" if dirty else "")


def native_note() -> str:
    from ironrasp import _engine

    so = Path(_engine.__file__)
    size = so.stat().st_size / 1e6
    mtime = datetime.datetime.fromtimestamp(so.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    return (
        f"native module `{so.name}` {size:.0f} MB built {mtime}"
        f" ({'a debug build by its size: timing is pessimistic' if size > 15 else 'optimized'})"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--split", choices=("dev", "train", "all"), default="dev")
    ap.add_argument(
        "--limit",
        type=int,
        default=None,
        help="at most N distinct values per attack class and per benign kind (quick runs)",
    )
    ap.add_argument(
        "--datasets", default=None, help="default: $IRONRASP_DATASETS or ../shared/datasets"
    )
    ap.add_argument("--no-peers", action="store_true", help="score IronRASP only")
    ap.add_argument(
        "--pyrasp-python",
        default=None,
        help="python of the pyrasp venv (default: $IRONRASP_BENCH_PYRASP_PYTHON or "
        "../peers/pyrasp-venv/bin/python)",
    )
    ap.add_argument(
        "--write", action="store_true", help=f"write the report to {RESULTS.relative_to(ROOT)}"
    )
    ap.add_argument(
        "--dump-fp",
        action="store_true",
        help="write IronRASP's benign false positives to bench/results/quality_fp.tmp "
        "(gitignored; for debugging the method, never for tuning to samples)",
    )
    a = ap.parse_args(argv)

    from ironrasp import Engine

    ddir = datasets_dir(a.datasets)
    attacks, benign, extra, sizes, lookalike = load(ddir, a.split, a.limit)
    engine = Engine({"log": {"console": "off", "banner": False}})
    detectors = set(engine.config) & set(attacks)

    cache: dict[str, set[str]] = {}
    timing: dict[str, tuple[int, float]] = {}
    wall = time.perf_counter()
    scan_groups(engine, attacks, cache, timing)
    scan_groups(engine, benign, cache, timing)
    scan_groups(engine, extra, cache, timing)
    scan_groups(engine, lookalike, cache, timing)
    wall = time.perf_counter() - wall
    detectors |= {c for found in cache.values() for c in found} & set(attacks)

    ours, fp, n_benign = evaluate(cache, attacks, benign, detectors)

    out: list[str] = []
    cmd = "python bench/quality.py " + " ".join(argv if argv is not None else sys.argv[1:])
    out.append(
        f"Split: **{a.split}**"
        + (f", at most {a.limit} values per class/kind" if a.limit else "")
        + f"; datasets: `{ddir}`; {len(cache)} distinct texts scanned in {wall:.1f} s."
    )
    out.append("")
    out.append("## IronRASP per attack class\n")
    rows = []
    for cls, m in sorted(ours.items(), key=lambda kv: -kv[1]["n"]):
        if not m["n"]:
            continue
        cnt, secs = timing[cls]
        same = f4(m["same"] / m["n"]) if m["same"] is not None else "n/a"
        rows.append(
            [
                cls,
                str(m["n"]),
                str(m["tp"]),
                f4(m["r"]),
                same,
                f4(m["p"]),
                f4(m["f1"]),
                f"{cnt / secs:,.0f}" if secs > 0 and cnt else "-",
            ]
        )
    out.append(
        table(
            [
                "class",
                "values",
                "flagged",
                "recall",
                "same-class recall",
                "precision",
                "F1",
                "values/s",
            ],
            rows,
        )
    )
    out.append("")
    out.append("## IronRASP on benign values\n")
    rows = [["**all of benign.jsonl**", str(n_benign), pct(fp, n_benign), ""]]
    for group in (benign, extra, lookalike):
        for kind, texts in group.items():
            k = sum(1 for t in texts if cache[t])
            cnt, secs = timing[kind]
            rows.append(
                [
                    kind,
                    str(len(texts)),
                    pct(k, len(texts)),
                    f"{cnt / secs:,.0f}" if secs > 0 and cnt else "-",
                ]
            )
    for name, group in (("extra_benign.jsonl", extra), ("lookalike_benign.jsonl", lookalike)):
        texts = set(t for ts in group.values() for t in ts)
        if texts:
            k = sum(1 for t in texts if cache[t])
            rows.append([f"**all of {name}**", str(len(texts)), pct(k, len(texts)), ""])
    out.append(table(["benign kind", "values", "false positives", "values/s"], rows))
    by_class = Counter(c for texts in benign.values() for t in set(texts) for c in cache[t])
    out.append("")
    out.append(
        "False positives on benign.jsonl by reporting detector (a value may count under two): "
        + (", ".join(f"{c} {k}" for c, k in by_class.most_common()) or "none")
        + "."
    )

    # Peers: same values, same definitions, for the classes they cover.
    peer_rows: list[tuple[str, dict, int, int, dict[str, set[str]], str]] = []
    notes: list[str] = []
    if not a.no_peers:
        pool = list(
            dict.fromkeys(
                [t for c in PEER_CLASSES for t in attacks.get(c, [])]
                + [t for texts in benign.values() for t in texts]
                + [t for texts in extra.values() for t in texts]
                + [t for texts in lookalike.values() for t in texts]
            )
        )
        for peer in peer_mod.load_peers(a.pyrasp_python):
            if not peer.available:
                notes.append(f"- {peer.name}: not scored: {peer.reason}")
                continue
            start = time.perf_counter()
            flags = dict(zip(pool, peer.flags(pool), strict=True))
            secs = time.perf_counter() - start
            metrics, pfp, pn = evaluate(
                flags, {c: attacks.get(c, []) for c in PEER_CLASSES}, benign, set(PEER_CLASSES)
            )
            notes.append(
                f"- {peer.name}: {peer.version}; {len(pool)} values (x2 views) in {secs:.1f} s"
            )
            peer_rows.append((peer.name, metrics, pfp, pn, flags, peer.version))

    ours_peer = {c: ours[c] for c in PEER_CLASSES if c in ours}
    tools = [("IronRASP", ours_peer, fp, n_benign, cache)] + [
        (n, m, f, b, fl) for n, m, f, b, fl, _ in peer_rows
    ]
    out.append("")
    out.append("## Side by side: " + ", ".join(t[0] for t in tools) + "\n")
    if notes:
        out.append("\n".join(notes))
        out.append("")
    header = ["class"]
    for name, *_ in tools:
        header += [f"{name} P", f"{name} R", f"{name} F1"]
    rows = []
    for cls in PEER_CLASSES:
        if cls not in ours_peer or not ours_peer[cls]["n"]:
            continue
        row = [f"{cls} ({ours_peer[cls]['n']})"]
        for _, metrics, *_ in tools:
            m = metrics[cls]
            row += [f4(m["p"]), f4(m["r"]), f4(m["f1"])]
        rows.append(row)
    out.append(table(header, rows))
    out.append("")
    header = ["benign", "values"] + [f"{name} FP" for name, *_ in tools]
    rows = [["**all of benign.jsonl**", str(n_benign)] + [pct(f, b) for _, _, f, b, _ in tools]]
    for group in (benign, extra, lookalike):
        for kind, texts in group.items():
            rows.append(
                [kind, str(len(texts))] + [str(sum(1 for t in texts if fl[t])) for *_, fl in tools]
            )
    out.append(table(header, rows))
    out.append("")
    header = ["class"] + [f"{name} same-class recall" for name, *_ in tools]
    rows = []
    for cls in PEER_CLASSES:
        if cls in ours_peer and ours_peer[cls]["n"]:
            rows.append([cls] + [f4((m[cls]["same"] or 0) / m[cls]["n"]) for _, m, *_ in tools])
    out.append(table(header, rows))

    # Targets of issue 3.
    out.append("")
    out.append("## Targets\n")
    checks: list[tuple[str, bool]] = []
    for cls, m in sorted(ours.items()):
        if not m["n"]:
            continue
        if cls in CORE:
            checks.append((f"recall {cls} >= 0.99 (is {f4(m['r'])})", m["r"] >= 0.99))
        elif sizes.get(cls, 0) > 100:
            checks.append((f"recall {cls} >= 0.95 (is {f4(m['r'])})", m["r"] >= 0.95))
    rate = fp / n_benign if n_benign else 0.0
    checks.append((f"FP rate on benign.jsonl <= 0.1% (is {100 * rate:.3f}%)", rate <= 0.001))
    for kind, texts in benign.items():
        k = sum(1 for t in texts if cache[t])
        r = k / len(texts) if texts else 0.0
        checks.append((f"FP rate on {kind} <= 1% (is {100 * r:.2f}%)", r <= 0.01))
    for cls in PEER_CLASSES:
        if cls in ours_peer and ours_peer[cls]["n"]:
            for name, metrics, *_ in tools[1:]:
                ok = ours_peer[cls]["f1"] > metrics[cls]["f1"]
                checks.append(
                    (
                        f"F1 {cls} higher than {name} ({f4(ours_peer[cls]['f1'])} vs "
                        f"{f4(metrics[cls]['f1'])})",
                        ok,
                    )
                )
    if len(tools) < 3:
        checks.append(("F1 compared with both peers (a peer was not scored)", False))
    out.append("\n".join(f"- [{'x' if ok else ' '}] {text}" for text, ok in checks))
    out.append("")
    out.append(f"{sum(ok for _, ok in checks)} of {len(checks)} targets met.")
    out.append("")
    out.append(DEFINITIONS)

    body = "\n".join(out)
    print(body)

    if a.dump_fp:
        dump = ROOT / "bench" / "results" / "quality_fp.tmp"
        with open(dump, "w", encoding="utf-8") as f:
            for kind, texts in list(benign.items()) + list(extra.items()) + list(lookalike.items()):
                for t in texts:
                    if cache[t]:
                        f.write(
                            json.dumps(
                                {"kind": kind, "classes": sorted(cache[t]), "text": t},
                                ensure_ascii=False,
                            )
                            + "\n"
                        )
        print(f"\nfalse positives written to {dump.relative_to(ROOT)}", file=sys.stderr)

    if a.write:
        now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
        head = [
            "# Detection quality (bench/quality.py)",
            "",
            f"- Measured on commit {git_commit()}, {now}",
            f"- Command: `{cmd.strip()}`",
            f"- {native_note()}",
            f"- Python {sys.version.split()[0]}",
            "",
        ]
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text("\n".join(head) + "\n" + body + "\n", encoding="utf-8")
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
