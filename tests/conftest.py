"""Shared fixtures: a real Flask app protected by FlaskRASP, driven by Werkzeug's test client."""

from __future__ import annotations

import base64
import io
import itertools
import json
from typing import Any

import pytest
from flask import Flask, jsonify, request

from ironrasp import FlaskRASP

_addr = itertools.count(1)


def fresh_ip() -> str:
    """A new client address per test, so counters and blacklists of one test never leak."""
    n = next(_addr)
    return f"198.51.{n // 250}.{n % 250 + 1}"


def make_app(
    config: dict[str, Any] | None = None, extra_routes: bool = False, events: Any = None
) -> Flask:
    app = Flask("shop")

    @app.route("/")
    def index():
        return "home"

    @app.route("/search")
    def search():
        return jsonify(q=request.args.getlist("q"), tags=request.args.getlist("tags"))

    @app.route("/submit", methods=["POST"])
    def submit():
        files = {
            k: (f.filename, f.read().decode("utf-8", "replace")) for k, f in request.files.items()
        }
        return jsonify(
            form=request.form.to_dict(flat=False), files=files, json=request.get_json(silent=True)
        )

    @app.route("/upload", methods=["POST"])
    def upload():
        return jsonify(size=len(request.get_data()))

    @app.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "POST":
            return "no", 401
        return "login form"

    @app.route("/files/<path:name>")
    def files(name):
        return jsonify(name=name)

    if extra_routes:

        @app.route("/wp-admin/")
        def real_wp_admin():
            return "this app really serves /wp-admin"

    cfg: dict[str, Any] = dict(config or {})
    if events is not None:
        cfg["log"] = {**cfg.get("log", {}), "json_file": str(events)}
        app.config["IRONRASP_EVENTS"] = str(events)
    FlaskRASP(app, config=cfg)
    return app


class Client:
    """Test client bound to one client address."""

    def __init__(self, app: Flask, ip: str | None = None) -> None:
        self.app = app
        self.ip = ip or fresh_ip()
        self.c = app.test_client()

    def __getattr__(self, method: str):
        def call(*args, **kwargs):
            env = kwargs.pop("environ_base", {})
            env.setdefault("REMOTE_ADDR", self.ip)
            return getattr(self.c, method)(*args, environ_base=env, **kwargs)

        return call

    @property
    def rasp(self) -> FlaskRASP:
        return self.app.extensions["ironrasp"]

    def events(self) -> list[dict]:
        """Events so far, read back from the JSON-lines file when one is configured."""
        import json

        self.rasp.engine.flush()
        path = self.app.config.get("IRONRASP_EVENTS")
        if not path:
            return []
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]


@pytest.fixture
def app(tmp_path) -> Flask:
    return make_app(events=tmp_path / "events.jsonl")


@pytest.fixture
def client(app: Flask) -> Client:
    return Client(app)


def b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


def jwt_with(claim: str) -> str:
    def part(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'sub': claim})}.c2lnbmF0dXJl"


def send(client: Client, where: str, payload: str):
    """Sends `payload` in one request location; returns the response."""
    if where == "query":
        return client.get("/search", query_string={"q": payload})
    if where == "form":
        return client.post("/submit", data={"comment": payload})
    if where == "multipart":
        return client.post(
            "/submit",
            data={"comment": payload, "f": (io.BytesIO(b"x"), "a.txt")},
            content_type="multipart/form-data",
        )
    if where == "multipart_file":
        return client.post(
            "/submit",
            data={"f": (io.BytesIO(payload.encode()), "a.txt")},
            content_type="multipart/form-data",
        )
    if where == "json":
        return client.post(
            "/submit", json={"order": {"items": [{"name": "pen"}, {"name": payload}]}}
        )
    if where == "header":
        return client.get("/search", headers={"X-Note": payload})
    if where == "cookie":
        client.c.set_cookie("pref", payload)
        try:
            return client.get("/search")
        finally:
            client.c.delete_cookie("pref")
    if where == "base64_json":
        return client.post("/submit", json={"blob": b64(json.dumps({"cmd": payload}))})
    if where == "jwt_header":
        return client.get("/search", headers={"Authorization": "Bearer " + jwt_with(payload)})
    raise AssertionError(where)
