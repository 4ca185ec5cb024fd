"""Hostile inputs through a real Flask app: each is answered, and what could not be inspected
is reported as limit_exceeded, never passed silently. How long they take is measured by the
criterion bench (crates/ironrasp-core/benches/inspect.rs, hostile/*), not asserted here."""

from __future__ import annotations

import base64
import json

from conftest import Client


def test_ten_megabyte_value(app):
    c = Client(app)
    big = "A" * (10 * 1024 * 1024)
    r = c.post("/submit", data={"v": big})
    assert r.status_code in (200, 403)
    assert "limit_exceeded" in [e["type"] for e in c.events()]


def test_ten_thousand_deep_json(app):
    c = Client(app)
    body = "[" * 10_000 + "]" * 10_000
    # /upload reads the raw body (Python's own json module would recurse too deep).
    r = c.post("/upload", data=body, content_type="application/json")
    assert r.status_code == 200
    assert r.get_json()["size"] == 20_000
    ev = [e for e in c.events() if e["type"] == "limit_exceeded"]
    assert ev and "max_json_depth" in ev[0]["evidence"]


def test_base64_nested_fifty_times(app):
    c = Client(app)
    v = "; cat /etc/passwd"
    for _ in range(50):
        v = base64.b64encode(v.encode()).decode()
    r = c.get("/search", query_string={"q": v[:60000]})
    assert r.status_code in (200, 403)
    assert "limit_exceeded" in [e["type"] for e in c.events()]


def test_invalid_utf8_everywhere(app):
    c = Client(app)
    r = c.post(
        "/submit?q=%ff%fe%c0",
        data=b"\xff\xfe\x00\xc0\xaf=\xff",
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code in (200, 403)
    r = c.post("/submit", data=b'{"a": "\xff\xfe"}', content_type="application/json")
    assert r.status_code in (200, 403)


def test_hundred_thousand_parameters(app):
    c = Client(app)
    qs = "&".join(f"p{i}=v" for i in range(100_000))
    r = c.get("/search?" + qs)
    assert r.status_code == 200
    ev = [e for e in c.events() if e["type"] == "limit_exceeded"]
    assert ev and "max_params" in ev[0]["evidence"]


def test_payload_past_the_parameter_limit_is_reported(app):
    c = Client(app)
    qs = "&".join(f"p{i}=v" for i in range(2000)) + "&q=;cat%20/etc/passwd"
    c.get("/search?" + qs)
    assert "limit_exceeded" in [e["type"] for e in c.events()]


def test_body_larger_than_max_body_still_reaches_the_app(tmp_path):
    from conftest import make_app

    app = make_app({"limits": {"max_body": 1024}}, events=tmp_path / "e.jsonl")
    c = Client(app)
    payload = {"text": "x" * 5000}
    r = c.post("/submit", json=payload)
    assert r.status_code == 200
    assert r.get_json()["json"] == payload, "the app reads the whole body, re-fed"
    ev = [e for e in c.events() if e["type"] == "limit_exceeded"]
    assert ev and "max_body" in ev[0]["evidence"]


def test_many_events_per_request_are_bounded(app):
    c = Client(app)
    qs = "&".join(f"p{i}=;cat%20/etc/passwd" for i in range(100))
    assert c.get("/search?" + qs).status_code == 403
    assert len(c.events()) <= 16
    assert c.rasp.engine.stats()["events_suppressed"] > 0


def test_deeply_nested_json_inside_base64(app):
    c = Client(app)
    inner = json.dumps({"a": [[[[[[[{"b": "; cat /etc/passwd"}]]]]]]]})
    r = c.post("/submit", json={"x": base64.b64encode(inner.encode()).decode()})
    assert r.status_code == 403
