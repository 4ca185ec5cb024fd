"""Overhead of IronRASP per framework, in one run: time per benign request (a GET with 10 query
parameters and ordinary browser headers) without and with the adapter, and the ratio.

Usage: python bench/overhead.py [--requests N] [--trace-ids] [--write bench/results/overhead.md]

With --trace-ids every request also carries an X-Request-Id never sent before, as requests do
behind most proxies and platforms: no request repeats the one before it, so the memo of whole
requests answers only "all but the trace id" and the id itself is inspected every time.

Each framework is driven by its own in-process test machinery (see the per-family scripts
flask_overhead.py, overhead_asgi.py, overhead_wsgi_serverless.py for how). Requests alternate
between the plain and the protected app in short rounds timed in CPU time (bench/alternate.py);
times are medians of rounds, the ratio is the median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benign_request  # noqa: E402
import flask_overhead  # noqa: E402
import overhead_asgi  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import overhead_wsgi_serverless  # noqa: E402

BENCHES = [
    ("Flask (Werkzeug test client)", flask_overhead.bench_flask),
    ("Django (test client)", overhead_wsgi_serverless.bench_django),
    ("Bottle via WsgiRASP (WebTest)", overhead_wsgi_serverless.bench_bottle),
    ("FastAPI (httpx ASGITransport)", overhead_asgi.bench_fastapi),
    ("Starlette via AsgiRASP", overhead_asgi.bench_starlette),
    ("aiohttp (test client, loopback)", overhead_asgi.bench_aiohttp),
    ("AWS Lambda (handler, API GW v1 event)", overhead_wsgi_serverless.bench_lambda),
    ("Azure Functions (handler, HttpRequest)", overhead_wsgi_serverless.bench_azure),
    ("Google Cloud Functions (test client)", overhead_wsgi_serverless.bench_gcp),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=4000, help="requests per app per framework")
    ap.add_argument("--write", default=None, help="write the table to this markdown file")
    ap.add_argument(
        "--trace-ids",
        action="store_true",
        help="give every request a new X-Request-Id, as proxies and platforms do",
    )
    a = ap.parse_args()
    benign_request.use_trace_ids(a.trace_ids)
    rows = [
        "| framework | without (µs) | with (µs) | added (µs) | ratio |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    t0 = time.time()
    for name, fn in BENCHES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            base, prot, ratio = fn(a.requests)
        rows.append(
            f"| {name} | {base * 1e6:.1f} | {prot * 1e6:.1f} | "
            f"{(prot - base) * 1e6:.1f} | {ratio:.3f} |"
        )
        print(rows[-1], flush=True)
    table = "\n".join(rows)
    print()
    print(table)
    if a.write:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        Path(a.write).write_text(
            "# Overhead per framework (benign GET, 10 query parameters"
            + (", a new X-Request-Id each)" if a.trace_ids else ")")
            + "\n\n"
            f"Measured on commit {commit} with `python bench/overhead.py --requests "
            f"{a.requests}` ({time.time() - t0:.0f} s), {platform.python_implementation()} "
            f"{platform.python_version()}, {platform.machine()}, release build "
            "(`pip install .`). CPU time per request, medians of short alternating rounds; "
            "ratio = median of the per-round ratios with / without.\n\n" + table + "\n"
        )


if __name__ == "__main__":
    main()
