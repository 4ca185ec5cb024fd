"""Feature extraction shared by the trainer; mirrored exactly by
crates/ironrasp-core/src/model/features.rs (see README.md, "Feature spec").

Two implementations live here: `bucket_set` (plain Python, the readable reference) and
`vectorize` (numpy, fast, for training). train.py checks that they agree.
"""

import re

import numpy as np
import scipy.sparse as sp

from split import utf8

MAX_CHARS = 2000
CHAR_N_MIN = 1
CHAR_N_MAX = 4
FRAME = b"\x01"

FNV_OFFSET = 0x811C9DC5
FNV_PRIME = 0x01000193
MASK32 = 0xFFFFFFFF

PREFIX_CHAR = ord("c")
PREFIX_WORD = ord("w")
PREFIX_BIGRAM = ord("b")

_DIGITS = re.compile(rb"[0-9]+")
_SPACES = re.compile(rb"[\t\n\x0b\x0c\r ]+")
_TOKEN = re.compile(rb"[a-z_\x80-\xff]+|[0-9]+|[^a-z_\x80-\xff0-9 ]")


def normalize(text: str) -> bytes:
    """First 2,000 chars; UTF-8; ASCII lowercase; digit runs -> '0'; ASCII space runs -> ' '."""
    b = utf8(text[:MAX_CHARS]).lower()  # bytes.lower() maps only A-Z
    b = _DIGITS.sub(b"0", b)
    return _SPACES.sub(b" ", b)


def tokens(norm: bytes) -> list:
    """Runs of letters (a-z, '_', bytes >= 0x80), runs of digits, single other bytes.

    Spaces split tokens.
    """
    return _TOKEN.findall(norm)


def fnv1a(data: bytes, h: int = FNV_OFFSET) -> int:
    for byte in data:
        h = ((h ^ byte) * FNV_PRIME) & MASK32
    return h


def fmix32(h: int) -> int:
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & MASK32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & MASK32
    h ^= h >> 16
    return h


def bucket_set(text: str, bits: int) -> set:
    """Reference implementation: the set of feature buckets present in `text`."""
    mask = (1 << bits) - 1
    norm = normalize(text)
    framed = FRAME + norm + FRAME
    out = set()
    for n in range(CHAR_N_MIN, CHAR_N_MAX + 1):
        for i in range(len(framed) - n + 1):
            out.add(fmix32(fnv1a(bytes([PREFIX_CHAR]) + framed[i : i + n])) & mask)
    toks = tokens(norm)
    for i, t in enumerate(toks):
        out.add(fmix32(fnv1a(bytes([PREFIX_WORD]) + t)) & mask)
        if i > 0:
            out.add(fmix32(fnv1a(bytes([PREFIX_BIGRAM]) + toks[i - 1] + b" " + t)) & mask)
    return out


def _fmix32_np(h):
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def vectorize(texts, bits: int):
    """Binary bucket features, each row L2-normalized (value 1/sqrt(distinct buckets)).

    Returns (csr_matrix float64, list of per-row distinct bucket counts).
    """
    mask = np.uint32((1 << bits) - 1)
    framed = [FRAME + normalize(t) + FRAME for t in texts]
    lens = np.fromiter((len(f) for f in framed), dtype=np.int64, count=len(framed))
    starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
    ends = starts + lens
    buf = np.frombuffer(b"".join(framed), dtype=np.uint8).astype(np.uint32)
    doc_of_pos = np.repeat(np.arange(len(framed), dtype=np.int64), lens)
    total = len(buf)
    rows, cols = [], []
    with np.errstate(over="ignore"):
        h = np.full(total, fnv1a(bytes([PREFIX_CHAR])), dtype=np.uint32)
        for n in range(1, CHAR_N_MAX + 1):
            # h[i] covers bytes i .. i+n-1 (positions past the end of buf are never valid).
            nxt = np.zeros(total, dtype=np.uint32)
            nxt[: total - (n - 1)] = buf[n - 1 :]
            h = (h ^ nxt) * np.uint32(FNV_PRIME)
            if n >= CHAR_N_MIN:
                valid = np.arange(total) + n <= ends[doc_of_pos]
                rows.append(doc_of_pos[valid])
                cols.append((_fmix32_np(h[valid]) & mask).astype(np.int64))
    # Token features: plain Python with caches (tokens repeat a lot).
    uni_cache, bi_cache = {}, {}
    tr, tc = [], []
    m = int(mask)
    for d, f in enumerate(framed):
        toks = tokens(f[1:-1])
        prev = None
        for t in toks:
            u = uni_cache.get(t)
            if u is None:
                u = uni_cache[t] = fmix32(fnv1a(bytes([PREFIX_WORD]) + t)) & m
            tr.append(d)
            tc.append(u)
            if prev is not None:
                key = (prev, t)
                b = bi_cache.get(key)
                if b is None:
                    b = bi_cache[key] = fmix32(fnv1a(bytes([PREFIX_BIGRAM]) + prev + b" " + t)) & m
                tr.append(d)
                tc.append(b)
            prev = t
    rows.append(np.array(tr, dtype=np.int64))
    cols.append(np.array(tc, dtype=np.int64))
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    key = np.unique(r * (1 << bits) + c)
    r = key >> bits
    c = key & ((1 << bits) - 1)
    distinct = np.bincount(r, minlength=len(texts))
    vals = 1.0 / np.sqrt(distinct[r].astype(np.float64))
    x = sp.csr_matrix((vals, (r, c)), shape=(len(texts), 1 << bits))
    return x, distinct
