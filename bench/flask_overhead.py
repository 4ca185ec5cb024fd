"""Time per benign request in the Flask test client, with and without IronRASP, in one run.

Usage: python bench/flask_overhead.py [--requests N] [--write bench/results/overhead.md]

Both apps are identical but for FlaskRASP; requests alternate between them in short rounds
(see bench/alternate.py). The benign request is a GET with 10 query parameters and
ordinary browser headers. The result is the median per-request time and the median per-round ratio.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
from collections.abc import Callable
from pathlib import Path

from flask import Flask, jsonify, request

from alternate import PER_ROUND, Overhead, alternate
from benign_request import QUERY, headers
from ironrasp import FlaskRASP


def make_app(protected: bool) -> Flask:
    app = Flask("bench")

    @app.get("/search")
    def search():
        return jsonify(n=len(request.args))

    if protected:
        FlaskRASP(app, config={"log": {"console": "off"}, "flood": {"enabled": False}})
    return app


def bench_flask(n: int) -> Overhead:
    """Per-request times without and with FlaskRASP, and the ratio (bench/alternate.py)."""
    plain, rasp = make_app(False).test_client(), make_app(True).test_client()

    def get(client) -> Callable[[], None]:
        def f() -> None:
            assert client.get("/search?" + QUERY, headers=headers()).status_code == 200

        return f

    return alternate(get(plain), get(rasp), n)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--write", default=None)
    a = ap.parse_args()
    b, p, ratio = bench_flask(a.requests)
    lines = [
        f"requests per app: {a.requests} in alternating rounds of {PER_ROUND}",
        f"without IronRASP: {b * 1e6:8.1f} us/request (median of rounds, CPU time)",
        f"with IronRASP:    {p * 1e6:8.1f} us/request",
        f"added:            {(p - b) * 1e6:8.1f} us/request",
        f"ratio:            {ratio:8.3f} (median of per-round ratios)",
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
