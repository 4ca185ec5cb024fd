"""GcpRASP through functions-framework's own app and test client."""

from __future__ import annotations

import io
import json
import sys
import textwrap

import functions_framework
import pytest

CMDI = "1; cat /etc/passwd"
TRAVERSAL = "../../../../etc/passwd"
SQLI = "1' OR '1'='1' --"
XSS = "<script>alert(1)</script>"
ATTACKS = [("cmdi", CMDI), ("path_traversal", TRAVERSAL), ("sqli", SQLI), ("xss", XSS)]
GOOGLE_HOP = "169.254.1.1"

SOURCE = textwrap.dedent("""
    import json

    import flask
    import functions_framework

    from ironrasp import GcpRASP

    rasp = GcpRASP(platform_forwarded=PLATFORM_FORWARDED)


    @functions_framework.http
    @rasp.register
    def main(request: flask.Request):
        if request.path == "/login":
            return "no", 401
        files = {k: [f.filename, f.read().decode()] for k, f in request.files.items()}
        return flask.jsonify(q=request.args.getlist("q"), form=request.form.to_dict(flat=False),
                             files=files, json=request.get_json(silent=True),
                             length=len(request.get_data()) if not files else None,
                             client=request.environ.get("ironrasp.client"),
                             remote=request.remote_addr), 200, {"X-App": "shop"}
""")


class Fn:
    """A deployed-like function: its source file, its app, a client from Google's front end."""

    def __init__(
        self, tmp_path, monkeypatch, env: dict | None = None, platform_forwarded: bool = True
    ) -> None:
        self.events_file = tmp_path / "events.jsonl"
        # Serverless configuration through the environment, as on the platform.
        monkeypatch.setenv("IRONRASP_LOG__CONSOLE", "off")
        monkeypatch.setenv("IRONRASP_LOG__BANNER", "false")
        monkeypatch.setenv("IRONRASP_LOG__JSON_FILE", str(self.events_file))
        for k, v in (env or {}).items():
            monkeypatch.setenv(k, v)
        src = tmp_path / "main.py"
        src.write_text(SOURCE.replace("PLATFORM_FORWARDED", repr(platform_forwarded)))
        # functions-framework adds the module to sys.modules and its folder to sys.path:
        # both are put back after the test.
        monkeypatch.setattr(sys, "path", sys.path[:])
        monkeypatch.setitem(sys.modules, "main", None)
        self.app = functions_framework.create_app(target="main", source=str(src))
        self.rasp = sys.modules["main"].rasp
        self.c = self.app.test_client()

    def call(self, method: str, path: str = "/", xff: str | None = "192.0.2.70", **kw):
        headers = dict(kw.pop("headers", {}))
        if xff is not None:
            headers["X-Forwarded-For"] = xff
        return self.c.open(
            path, method=method, headers=headers, environ_base={"REMOTE_ADDR": GOOGLE_HOP}, **kw
        )

    def events(self) -> list[dict]:
        self.rasp.engine.flush()
        if not self.events_file.exists():
            return []
        return [json.loads(line) for line in self.events_file.read_text().splitlines() if line]


@pytest.fixture
def fn(tmp_path, monkeypatch):
    return Fn(tmp_path, monkeypatch)


def send(fn: Fn, where: str, payload: str):
    if where == "query":
        return fn.call("GET", "/", query_string={"q": payload})
    if where == "json":
        return fn.call("POST", "/", json={"order": {"items": [{"name": payload}]}})
    if where == "form":
        return fn.call("POST", "/", data={"comment": payload})
    if where == "multipart":
        return fn.call(
            "POST",
            "/",
            data={"comment": payload, "f": (io.BytesIO(b"x"), "a.txt")},
            content_type="multipart/form-data",
        )
    if where == "header":
        return fn.call("GET", "/", headers={"X-Note": payload})
    raise AssertionError(where)


def test_benign_request_passes_unchanged(fn):
    r = fn.call("GET", "/", query_string=[("q", "O'Brien & co"), ("q", "Tom & Jerry")])
    assert r.status_code == 200 and r.headers["X-App"] == "shop"
    body = r.get_json()
    assert body["q"] == ["O'Brien & co", "Tom & Jerry"]
    assert body["remote"] == GOOGLE_HOP, "the function keeps its own REMOTE_ADDR"
    assert body["client"] == "192.0.2.70"
    assert fn.events() == []


def test_body_reaches_the_function_whole(fn):
    r = fn.call("POST", "/", data={"a": "1", "b": "two words"})
    assert r.get_json()["form"] == {"a": ["1"], "b": ["two words"]}
    r = fn.call(
        "POST",
        "/",
        data={"f": (io.BytesIO(b"file-bytes"), "n.txt")},
        content_type="multipart/form-data",
    )
    assert r.get_json()["files"] == {"f": ["n.txt", "file-bytes"]}


def test_body_over_the_limit_is_refed_and_reported(tmp_path, monkeypatch):
    fn = Fn(tmp_path, monkeypatch, {"IRONRASP_LIMITS__MAX_BODY": "32"})
    data = json.dumps({"pad": "x" * 300})
    r = fn.call("POST", "/", data=data, content_type="application/json")
    assert r.status_code == 200 and r.get_json()["length"] == len(data)
    assert "limit_exceeded" in [e["type"] for e in fn.events()]


@pytest.mark.parametrize("where", ["query", "json", "form", "multipart", "header"])
@pytest.mark.parametrize("check,payload", ATTACKS)
def test_attack_is_refused(fn, where, check, payload):
    r = send(fn, where, payload)
    assert r.status_code == 403, r.data
    assert r.data == b"Forbidden"
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    ev = [e for e in fn.events() if e["type"] == check]
    assert ev, fn.events()
    assert ev[0]["client"] == "192.0.2.70"


def test_client_is_the_address_google_appended(fn):
    assert fn.call("GET", "/.env", xff="203.0.113.66, 192.0.2.70").status_code == 403
    assert [ip for ip, _ in fn.rasp.engine.blacklist()] == ["192.0.2.70"]
    assert fn.call("GET", "/", xff="192.0.2.71").status_code == 200
    assert fn.call("GET", "/", xff="192.0.2.70").status_code == 403


def test_client_behind_a_trusted_load_balancer(tmp_path, monkeypatch):
    fn = Fn(tmp_path, monkeypatch, {"IRONRASP_TRUSTED_PROXIES": "34.120.0.0/16"})
    assert fn.call("GET", "/.env", xff="198.51.100.23, 34.120.5.6").status_code == 403
    assert [e["client"] for e in fn.events()] == ["198.51.100.23"]


def test_without_forwarding_the_tcp_peer_is_used(tmp_path, monkeypatch):
    fn = Fn(tmp_path, monkeypatch)
    fn.call("GET", "/.env", xff=None)
    assert [e["client"] for e in fn.events()] == [GOOGLE_HOP]
    (tmp_path / "off").mkdir()
    fn2 = Fn(tmp_path / "off", monkeypatch, platform_forwarded=False)
    fn2.call("GET", "/.env", xff="192.0.2.70")
    assert [e["client"] for e in fn2.events()] == [GOOGLE_HOP]


def test_brute_force_from_function_responses(tmp_path, monkeypatch):
    fn = Fn(tmp_path, monkeypatch, {"IRONRASP_BRUTE_FORCE__MAX_ERRORS": "2"})
    codes = [fn.call("POST", "/login").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 403]
    assert "brute_force" in [e["type"] for e in fn.events()]
