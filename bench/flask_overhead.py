"""Time per benign request in the Flask test client, with and without IronRASP, in one run.

Usage: python bench/flask_overhead.py [--requests N] [--write bench/results/overhead.md]

Both apps are identical but for FlaskRASP; requests alternate between them in rounds so that
machine noise hits both alike. The benign request is a GET with 10 query parameters and
ordinary browser headers. The result is the median per-request time and the ratio.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import time
from pathlib import Path

from flask import Flask, jsonify, request

from benign_request import HEADERS, QUERY
from ironrasp import FlaskRASP


def make_app(protected: bool) -> Flask:
    app = Flask("bench")

    @app.get("/search")
    def search():
        return jsonify(n=len(request.args))

    if protected:
        FlaskRASP(app, config={"log": {"console": "off"}, "flood": {"enabled": False}})
    return app


def per_request(client, n: int) -> float:
    t = time.perf_counter()
    for _ in range(n):
        r = client.get("/search?" + QUERY, headers=HEADERS)
        assert r.status_code == 200
    return (time.perf_counter() - t) / n


def bench_flask(n: int, rounds: int = 10) -> tuple[float, float]:
    """(seconds per request without, with) for Flask, alternating rounds, medians."""
    plain, rasp = make_app(False).test_client(), make_app(True).test_client()
    per_request(plain, 100)
    per_request(rasp, 100)
    base, prot = [], []
    for _ in range(rounds):
        base.append(per_request(plain, max(1, n // rounds)))
        prot.append(per_request(rasp, max(1, n // rounds)))
    return statistics.median(base), statistics.median(prot)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--write", default=None)
    a = ap.parse_args()
    plain, rasp = make_app(False).test_client(), make_app(True).test_client()
    per_request(plain, 200)
    per_request(rasp, 200)
    n = a.requests // a.rounds
    base, prot = [], []
    for _ in range(a.rounds):
        base.append(per_request(plain, n))
        prot.append(per_request(rasp, n))
    b, p = statistics.median(base), statistics.median(prot)
    lines = [
        f"requests per app: {n * a.rounds} in {a.rounds} alternating rounds",
        f"without IronRASP: {b * 1e6:8.1f} us/request (median of rounds)",
        f"with IronRASP:    {p * 1e6:8.1f} us/request",
        f"added:            {(p - b) * 1e6:8.1f} us/request",
        f"ratio:            {p / b:8.3f}",
    ]
    print("\n".join(lines))
    if a.write:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        text = (
            f"# Flask overhead (benign GET, 10 query parameters, Werkzeug test client)\n\n"
            f"Measured on commit {commit}, {platform.python_implementation()} "
            f"{platform.python_version()}, {platform.machine()}, with "
            f"`python bench/flask_overhead.py`.\n\n```\n" + "\n".join(lines) + "\n```\n"
        )
        Path(a.write).write_text(text)


if __name__ == "__main__":
    main()
