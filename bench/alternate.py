"""Paired timing of a plain and a protected app, shared by every overhead script.

Requests alternate between the two apps in many short rounds (A B, then B A, so neither always
runs second), each round timed in this process's CPU time (all threads): on a shared VM another
process's load then hardly disturbs the result, and both apps of a pair see the same machine.
The ratio reported is the median of the per-pair ratios, which a burst of noise in a few rounds
cannot move; the per-request times are the medians of the rounds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Awaitable, Callable
from typing import NamedTuple

# Requests per app per round: short enough that machine noise rarely spans a whole pair.
PER_ROUND = 20


class Overhead(NamedTuple):
    base: float  # seconds per request without IronRASP (median of rounds)
    prot: float  # seconds per request with IronRASP (median of rounds)
    ratio: float  # median of the per-round ratios with / without


def _summary(base: list[float], prot: list[float]) -> Overhead:
    return Overhead(
        statistics.median(base),
        statistics.median(prot),
        statistics.median(p / b for b, p in zip(base, prot, strict=True)),
    )


def alternate(plain: Callable[[], object], rasp: Callable[[], object], n: int) -> Overhead:
    """About ``n`` requests per app after a warm-up, in alternating rounds."""

    def per_request(f: Callable[[], object], k: int) -> float:
        t = time.process_time()
        for _ in range(k):
            f()
        return (time.process_time() - t) / k

    per_request(plain, 100)  # warm-up: imports, route tables, first-request work
    per_request(rasp, 100)
    base: list[float] = []
    prot: list[float] = []
    for r in range(max(2, n // PER_ROUND)):
        if r % 2 == 0:
            base.append(per_request(plain, PER_ROUND))
            prot.append(per_request(rasp, PER_ROUND))
        else:
            prot.append(per_request(rasp, PER_ROUND))
            base.append(per_request(plain, PER_ROUND))
    return _summary(base, prot)


async def alternate_async(
    plain: Callable[[], Awaitable[object]], rasp: Callable[[], Awaitable[object]], n: int
) -> Overhead:
    """The same for coroutine functions (one request each), inside a running event loop."""

    async def per_request(f: Callable[[], Awaitable[object]], k: int) -> float:
        t = time.process_time()
        for _ in range(k):
            await f()
        return (time.process_time() - t) / k

    await per_request(plain, 100)
    await per_request(rasp, 100)
    base: list[float] = []
    prot: list[float] = []
    for r in range(max(2, n // PER_ROUND)):
        if r % 2 == 0:
            base.append(await per_request(plain, PER_ROUND))
            prot.append(await per_request(rasp, PER_ROUND))
        else:
            prot.append(await per_request(rasp, PER_ROUND))
            base.append(await per_request(plain, PER_ROUND))
    return _summary(base, prot)
