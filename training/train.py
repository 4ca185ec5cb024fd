"""Trains the sqli and xss models and writes everything the Rust core embeds or tests against.

    python training/train.py            # from the repository root

Reads ../shared/datasets (or $IRONRASP_DATASETS) and training/data/*.jsonl; writes
crates/ironrasp-core/models/{sqli,xss}.irm, the parity fixture
crates/ironrasp-core/tests/fixtures/model_parity.jsonl and training/metrics.json.
Deterministic: fixed split (split.py), fixed seeds, fixed hyperparameters.
"""

import glob
import json
import os
import random
import struct
import sys
import time
from urllib.parse import unquote_plus

import numpy as np
from sklearn.linear_model import LogisticRegression

import features as F
from split import is_dev

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATASETS = os.environ.get("IRONRASP_DATASETS", os.path.join(ROOT, "..", "shared", "datasets"))
MODELS_DIR = os.path.join(ROOT, "crates", "ironrasp-core", "models")
FIXTURE = os.path.join(ROOT, "crates", "ironrasp-core", "tests", "fixtures", "model_parity.jsonl")
METRICS = os.path.join(HERE, "metrics.json")

SEED = 1337
BITS = 18  # 2^18 buckets, one i8 weight each: 256 KiB per model
C = 8.0  # inverse L2 regularization strength
MAGIC = b"IRML"
VERSION = 1
MODELS = ("sqli", "xss")
FIXTURE_ROWS_PER_MODEL = 650


def load_rows():
    rows = []
    for path in sorted(glob.glob(os.path.join(DATASETS, "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                rows.append(
                    {
                        "text": r["text"],
                        "class": r["class"],
                        "kind": r.get("kind", r["class"]),
                        "extra": False,
                    }
                )
    for path in sorted(glob.glob(os.path.join(HERE, "data", "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                rows.append(
                    {
                        "text": r["text"],
                        "class": "benign",
                        "kind": "extra:" + r["kind"],
                        "extra": True,
                    }
                )
    for r in rows:
        r["dev"] = is_dev(r["text"])
    return rows


def training_set(rows, cls):
    """(texts, labels) for one model from the train split; adds once-decoded variants."""
    benign_texts = {r["text"] for r in rows if r["class"] == "benign"}
    label_of = {}
    for r in rows:
        if r["dev"]:
            continue
        pos = r["class"] == cls
        variants = [r["text"]]
        dec = unquote_plus(r["text"])
        if dec != r["text"] and not is_dev(dec):
            variants.append(dec)
        for t in variants:
            if pos and t in benign_texts:
                continue  # listed as both benign and attack: ambiguous, left out
            label_of[t] = label_of.get(t, 0) | int(pos)
    texts = sorted(label_of)
    return texts, np.array([label_of[t] for t in texts], dtype=np.int64)


def quantize(w):
    scale = float(np.float32(np.abs(w).max() / 127.0))
    q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
    return q, scale


def quantized_scores(q, scale, bias, texts):
    """Scores exactly as the Rust side computes them (integer dot product, f64 math, f32 out)."""
    x, distinct = F.vectorize(texts, BITS)
    x.data[:] = 1.0  # binary matrix: integer sums of the i8 weights
    dots = x @ q.astype(np.float64)
    z = float(np.float32(bias)) + float(np.float32(scale)) * dots / np.sqrt(
        distinct.astype(np.float64)
    )
    return (1.0 / (1.0 + np.exp(-z))).astype(np.float32)


def write_model(path, q, scale, bias):
    header = MAGIC + struct.pack(
        "<HBBBBHff", VERSION, BITS, F.CHAR_N_MIN, F.CHAR_N_MAX, 0, F.MAX_CHARS, scale, bias
    )
    with open(path, "wb") as f:
        f.write(header + q.tobytes())


def prf(scores, labels, thr):
    pred = scores >= thr
    tp = int(np.sum(pred & (labels == 1)))
    fp = int(np.sum(pred & (labels == 0)))
    fn = int(np.sum(~pred & (labels == 1)))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def evaluate(cls, q, scale, bias, rows):
    dev = {}
    for r in rows:  # distinct dev texts; a text's label is positive if any of its rows is
        if r["dev"]:
            d = dev.setdefault(
                r["text"], {"pos": False, "benign": False, "extra": False, "kinds": set()}
            )
            d["pos"] |= r["class"] == cls
            d["benign"] |= r["class"] == "benign"
            d["extra"] |= r["extra"]
            d["kinds"].add(r["kind"])
    texts = sorted(dev)
    s = quantized_scores(q, scale, bias, texts)
    dec = quantized_scores(q, scale, bias, [unquote_plus(t) for t in texts])
    s_view = np.maximum(s, dec)  # the engine scores every decoded view of a value
    labels = np.array([int(dev[t]["pos"] and not dev[t]["benign"]) for t in texts])
    shared = np.array([not dev[t]["extra"] for t in texts])
    out = {"dev_texts": len(texts), "positives": int(labels.sum())}
    for thr in (0.5, 0.9):
        key = f"t{thr:.1f}"
        out[key] = {
            "shared_datasets": prf(s[shared], labels[shared], thr),
            "shared_datasets_with_decoded_view": prf(s_view[shared], labels[shared], thr),
        }
        fpr = {}
        for name, sel in (
            ("benign.jsonl", lambda d: d["benign"] and not d["extra"] and not d["pos"]),
            ("extra_benign", lambda d: d["extra"] and not d["pos"]),
            ("other_attacks", lambda d: not d["benign"] and not d["pos"]),
        ):
            idx = np.array([sel(dev[t]) for t in texts])
            fpr[name] = {
                "n": int(idx.sum()),
                "fp": int((s[idx] >= thr).sum()),
                "fp_rate": round(float((s[idx] >= thr).mean()), 5),
            }
        kinds = {}
        for i, t in enumerate(texts):
            if dev[t]["benign"] and not dev[t]["pos"]:
                for k in dev[t]["kinds"]:
                    e = kinds.setdefault(k, [0, 0])
                    e[0] += 1
                    e[1] += int(s[i] >= thr)
        fpr["benign_by_kind"] = {k: {"n": v[0], "fp": v[1]} for k, v in sorted(kinds.items())}
        out[key]["false_positives"] = fpr
    return out, texts, s, dev


def fixture_rows(cls, texts, s, dev, rng):
    groups = {"pos": [], "benign": [], "extra": [], "other": [], "long": []}
    for i, t in enumerate(texts):
        d = dev[t]
        if len(t) > 600:
            groups["long"].append(i)
        elif d["pos"]:
            groups["pos"].append(i)
        elif d["extra"]:
            groups["extra"].append(i)
        elif d["benign"]:
            groups["benign"].append(i)
        else:
            groups["other"].append(i)
    want = {"pos": 260, "benign": 200, "extra": 110, "other": 70, "long": 10}
    picked = []
    for g, n in want.items():
        picked += rng.sample(groups[g], min(n, len(groups[g])))
    # Also the longest dev texts, so truncation at MAX_CHARS is exercised.
    picked += sorted(range(len(texts)), key=lambda i: -len(texts[i]))[:5]
    seen = set()
    return [
        {"kind": cls, "text": texts[i], "score": float(s[i])}
        for i in picked
        if not (i in seen or seen.add(i))
    ]


def check_fast_path(texts):
    x, distinct = F.vectorize(texts, BITS)
    for i, t in enumerate(texts):
        ref = F.bucket_set(t, BITS)
        assert set(x[i].indices.tolist()) == ref and distinct[i] == len(ref), t


def main():
    t0 = time.time()
    rng = random.Random(SEED)
    rows = load_rows()
    check_fast_path(rng.sample([r["text"] for r in rows], 300))
    os.makedirs(MODELS_DIR, exist_ok=True)
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    metrics = {
        "seed": SEED,
        "bits": BITS,
        "C": C,
        "features": "char 1-4 grams + token uni/bigrams, binary, L2",
        "models": {},
    }
    fixture = []
    for cls in MODELS:
        texts, labels = training_set(rows, cls)
        x, _ = F.vectorize(texts, BITS)
        clf = LogisticRegression(C=C, solver="lbfgs", max_iter=2000, random_state=SEED)
        clf.fit(x, labels)
        q, scale = quantize(clf.coef_[0])
        bias = float(np.float32(clf.intercept_[0]))
        path = os.path.join(MODELS_DIR, cls + ".irm")
        write_model(path, q, scale, bias)
        ev, dtexts, s, dev = evaluate(cls, q, scale, bias, rows)
        ev["train_texts"] = len(texts)
        ev["train_positives"] = int(labels.sum())
        ev["model_bytes"] = os.path.getsize(path)
        ev["nonzero_weights"] = int(np.count_nonzero(q))
        metrics["models"][cls] = ev
        fixture += fixture_rows(cls, dtexts, s, dev, rng)
        print(
            cls,
            json.dumps(
                {k: ev[k] for k in ("train_texts", "train_positives", "dev_texts", "positives")}
            ),
            file=sys.stderr,
        )
        for thr in ("t0.5", "t0.9"):
            print(
                "  ",
                thr,
                json.dumps(ev[thr]["shared_datasets"]),
                {k: v["fp_rate"] for k, v in ev[thr]["false_positives"].items() if "fp_rate" in v},
                file=sys.stderr,
            )
    with open(FIXTURE, "w", encoding="utf-8") as f:
        for r in fixture:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    metrics["fixture_rows"] = len(fixture)
    metrics["train_seconds"] = round(time.time() - t0, 1)
    with open(METRICS, "w", encoding="utf-8") as f:
        json.dump(metrics, f, indent=1, sort_keys=True)
        f.write("\n")
    print("done in %.1fs; fixture rows %d" % (time.time() - t0, len(fixture)), file=sys.stderr)


if __name__ == "__main__":
    main()
