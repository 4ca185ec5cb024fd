"""The GIL while the engine inspects: given up for real work, so other threads run meanwhile;
kept for a request the memos answer (handing it over and back costs more than such a request)."""

from __future__ import annotations

import json
import threading
import time

from ironrasp.engine import _native

CONFIG = {
    "log": {"console": "off", "banner": False},
    "flood": {"enabled": False},
    "limits": {"deadline_us": 10_000_000, "max_params": 100_000, "max_body": 8 << 20},
}


def test_other_threads_run_while_a_request_is_inspected():
    engine = _native(CONFIG)
    # Thousands of distinct values: none is in the memo, every one goes through the detectors.
    body = json.dumps(
        {
            f"f{i}": f"Can you drop the table booking {i} for tonight? https://shop.example/p/{i}"
            for i in range(20_000)
        }
    ).encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/notes",
        "REMOTE_ADDR": "192.0.2.9",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_HOST": "shop.example",
    }
    ticks = 0
    stop = threading.Event()

    def tick():
        # Wakes every 0.2 ms and needs the GIL for one step: it can only count while the
        # main thread does not hold the GIL.
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.0002)

    t = threading.Thread(target=tick)
    t.start()
    try:
        time.sleep(0.01)
        before = ticks
        t0 = time.perf_counter()
        verdict = engine.inspect_wsgi(dict(environ), body, False, None)
        took = time.perf_counter() - t0
        during = ticks - before
    finally:
        stop.set()
        t.join()
    assert not verdict.blocked, verdict.events
    assert took > 0.02, f"inspection too short to tell ({took * 1e3:.1f} ms)"
    # Holding the GIL throughout would allow at most a step at each end.
    assert during >= 10, f"{during} steps of another thread in {took * 1e3:.1f} ms"
