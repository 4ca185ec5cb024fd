"""A plain Starlette app, and raw ASGI apps, wrapped in AsgiRASP (``app = AsgiRASP(app)``)."""

from __future__ import annotations

import asyncio
import hashlib
import json
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Mount, Route, Router, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket

from conftest import fresh_ip
from ironrasp import AsgiRASP
from ironrasp.adapters.asgi import read_head, starlette_path_to_template, starlette_routes

ATTACKS = {
    "cmdi": "1; cat /etc/passwd",
    "path_traversal": "../../../../etc/passwd",
    "sqli": "1' OR '1'='1' --",
    "xss": "<script>alert(1)</script>",
}
EXPECTED_KIND = {
    "query": "qs_values",
    "json": "json_values",
    "form": "form_values",
    "header": "headers_values",
}


async def search(request: Request) -> JSONResponse:
    return JSONResponse(
        {"q": request.query_params.getlist("q"), "client": request.scope.get("ironrasp.client")}
    )


async def submit(request: Request) -> JSONResponse:
    if request.headers.get("content-type", "").startswith("application/json"):
        return JSONResponse({"json": await request.json()})
    form = await request.form()
    return JSONResponse({"form": {k: form.getlist(k) for k in form}})


async def login(request: Request) -> PlainTextResponse:
    return PlainTextResponse("no", status_code=401)


async def upload(request: Request) -> JSONResponse:
    digest, size = hashlib.sha256(), 0
    async for chunk in request.stream():
        digest.update(chunk)
        size += len(chunk)
    return JSONResponse({"size": size, "sha256": digest.hexdigest()})


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.send_text("echo " + await websocket.receive_text())
    await websocket.close()


async def user(request: Request) -> JSONResponse:
    return JSONResponse({"id": request.path_params["uid"]})


async def files(request: Request) -> JSONResponse:
    return JSONResponse({"p": request.path_params["p"]})


def make_starlette() -> Starlette:
    started: list[str] = []

    @asynccontextmanager
    async def lifespan(app: Starlette):
        started.append("startup")
        yield

    api = Router([Route("/users/{uid:int}", user), Route("/files/{p:path}", files)])
    app = Starlette(
        lifespan=lifespan,
        routes=[
            Route("/", lambda r: PlainTextResponse("home", headers={"X-Shop": "yes"})),
            Route("/search", search),
            Route("/submit", submit, methods=["POST"]),
            Route("/login", login, methods=["POST"]),
            Route("/upload", upload, methods=["POST"]),
            Mount("/api/v1", routes=api.routes),
            WebSocketRoute("/ws", echo),
        ],
    )
    app.state.started = started
    return app


class Site:
    """A Starlette app wrapped in AsgiRASP, with its events file."""

    def __init__(self, tmp_path: Path, config: dict[str, Any] | None = None) -> None:
        self.events_path = tmp_path / "events.jsonl"
        self.inner = make_starlette()
        cfg = {"log": {"console": "off", "json_file": str(self.events_path)}, **(config or {})}
        self.app = AsgiRASP(self.inner, config=cfg)

    def client(self, ip: str | None = None) -> TestClient:
        return TestClient(self.app, client=(ip or fresh_ip(), 40000))

    def events(self) -> list[dict]:
        self.app.engine.flush()
        if not self.events_path.exists():
            return []
        return [json.loads(x) for x in self.events_path.read_text().splitlines() if x.strip()]


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)


def test_benign_requests_pass_unchanged(site):
    plain = TestClient(make_starlette())
    c = site.client()
    for path in ["/", "/api/v1/users/3", "/api/v1/files/a/b"]:
        a, b = c.get(path), plain.get(path)
        assert (a.status_code, a.content, a.headers) == (b.status_code, b.content, b.headers)
    assert c.get("/").headers["x-shop"] == "yes"
    form = {"a": ["1"], "b": ["Tom & Jerry"]}
    assert c.post("/submit", data={"a": "1", "b": "Tom & Jerry"}).json() == {"form": form}


@pytest.mark.parametrize("where", list(EXPECTED_KIND))
@pytest.mark.parametrize("check", list(ATTACKS))
def test_attack_is_refused_in_every_location(site, where, check):
    ip = fresh_ip()
    c, payload = site.client(ip), ATTACKS[check]
    if where == "query":
        r = c.get("/search", params={"q": payload})
    elif where == "json":
        r = c.post("/submit", json={"items": [{"name": payload}]})
    elif where == "form":
        r = c.post("/submit", data={"comment": payload})
    else:
        r = c.get("/search", headers={"X-Note": payload})
    assert (r.status_code, r.content) == (403, b"Forbidden"), (where, check, r.text)
    found = [e for e in site.events() if e["type"] == check]
    assert found, site.events()
    assert found[0]["location"]["kind"] == EXPECTED_KIND[where]
    assert found[0]["client"] == ip


def test_client_address_and_forwarded_headers(tmp_path):
    site = Site(tmp_path)
    ip = fresh_ip()
    assert site.client(ip).get("/search").json()["client"] == ip
    r = site.client(ip).get("/search", headers={"X-Forwarded-For": "203.0.113.9"})
    assert r.json()["client"] == ip, "an untrusted peer's X-Forwarded-For is ignored"
    (tmp_path / "p").mkdir()
    proxied = Site(tmp_path / "p", {"trusted_proxies": ["10.0.0.0/8"]})
    r = proxied.client("10.0.0.2").get("/search", headers={"X-Forwarded-For": ip})
    assert r.json()["client"] == ip


def test_routes_are_collected_through_mounts(site):
    c = site.client()
    assert c.get("/api/v1/users/5").json() == {"id": 5}
    assert c.get("/api/v1/files/x/y.txt").status_code == 200
    assert [e for e in site.events() if e["type"] == "unrouted_path"] == []
    assert c.get("/api/v2/users/5").status_code == 404
    assert [e["type"] for e in site.events()].count("unrouted_path") == 1


def test_route_templates():
    assert starlette_path_to_template("/u/{id:int}/f/{p:path}") == "/u/{id}/f/{p:path}"
    routes = starlette_routes(make_starlette().routes)
    assert ("/api/v1/users/{uid}", ["GET", "HEAD"]) in routes
    assert ("/submit", ["POST"]) in routes
    assert not [t for t, _ in routes if t == "/ws"], "websocket routes are not http routes"


def test_brute_force_from_error_responses(tmp_path):
    site = Site(tmp_path, {"brute_force": {"max_errors": 2, "window": 60}})
    ip = fresh_ip()
    c = site.client(ip)
    assert [c.post("/login").status_code for _ in range(4)] == [401, 401, 401, 403]
    assert c.get("/").status_code == 403
    assert ip in [a for a, _ in site.app.engine.blacklist()]
    assert "brute_force" in [e["type"] for e in site.events()]


def test_lifespan_and_websocket_pass_through(site):
    with site.client() as c:
        assert site.inner.state.started == ["startup"]
        with c.websocket_connect("/ws") as ws:
            ws.send_text(ATTACKS["xss"])
            assert ws.receive_text() == "echo " + ATTACKS["xss"]


def test_big_streamed_body_reaches_the_app_whole(tmp_path):
    site = Site(tmp_path, {"limits": {"max_body": 10_000}})
    data = bytes(range(256)) * 4000  # ~1 MB, far past max_body

    def chunks():
        for i in range(0, len(data), 8192):
            yield data[i : i + 8192]

    r = site.client().post("/upload", content=chunks())
    assert r.json() == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_only_the_head_of_a_body_is_read_before_the_app_runs(tmp_path):
    """Raw ASGI: count what AsgiRASP takes from receive before the app asks for anything."""
    received: list[int] = []
    seen_by_app: list[bytes] = []
    n_chunks, size = 500, 1000

    async def receive() -> dict:
        i = len(received)
        received.append(i)
        return {"type": "http.request", "body": b"z" * size, "more_body": i + 1 < n_chunks}

    taken_before_app: list[int] = []

    async def app(scope, receive, send) -> None:
        taken_before_app.append(len(received))
        more = True
        while more:
            message = await receive()
            seen_by_app.append(message["body"])
            more = message["more_body"]
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    rasp = AsgiRASP(app, config={"log": {"console": "off"}, "limits": {"max_body": 4500}})
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/upload",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"content-type", b"application/octet-stream")],
        "client": (fresh_ip(), 1),
    }
    asyncio.run(rasp(scope, receive, send))
    assert taken_before_app == [5], "4500 bytes need 5 messages of 1000; nothing more"
    assert b"".join(seen_by_app) == b"z" * (size * n_chunks)
    assert sent[0]["status"] == 200


def test_read_head_reports_truncation():
    async def run(sizes: list[int], limit: int):
        msgs = [
            {"type": "http.request", "body": b"a" * s, "more_body": i + 1 < len(sizes)}
            for i, s in enumerate(sizes)
        ]
        it = iter(msgs)

        async def receive() -> dict:
            return next(it)

        return await read_head(receive, limit)

    _, body, truncated = asyncio.run(run([3, 3], 6))
    assert (body, truncated) == (b"aaaaaa", False)
    taken, body, truncated = asyncio.run(run([3, 3, 3], 4))
    assert (body, truncated, len(taken)) == (b"aaaa", True, 2)
    _, body, truncated = asyncio.run(run([0], 10))
    assert (body, truncated) == (b"", False)


def test_a_raw_asgi_app_without_routes_and_a_disconnect():
    async def app(scope, receive, send) -> None:
        message = await receive()
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"x-kind", message["type"].encode())],
            }
        )
        await send({"type": "http.response.body", "body": b"raw"})

    rasp = AsgiRASP(app, config={"log": {"console": "off"}})
    r = TestClient(rasp, client=(fresh_ip(), 1)).get("/anything", params={"q": "shoes"})
    assert (r.status_code, r.text, r.headers["x-kind"]) == (200, "raw", "http.request")

    sent: list[dict] = []

    async def disconnected() -> dict:
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/x",
        "query_string": b"",
        "headers": [],
        "client": None,
    }
    asyncio.run(rasp(scope, disconnected, send))
    assert sent[0]["headers"] == [(b"x-kind", b"http.disconnect")], "the app sees the disconnect"


def test_headers_as_lists_are_read_in_requests_and_responses():
    # ASGI allows [name, value] lists as well as tuples; some servers and middlewares send them.
    async def app(scope, receive, send) -> None:
        await receive()
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [[b"content-type", b"text/plain"]],
            }
        )
        await send({"type": "http.response.body", "body": b"no"})

    rasp = AsgiRASP(
        app,
        config={
            "log": {"console": "off"},
            "fail_closed": True,
            "brute_force": {"max_errors": 1, "window": 60},
        },
    )
    ip = fresh_ip()

    async def call(headers: list) -> list[dict]:
        sent: list[dict] = []
        messages = [{"type": "http.request", "body": b"", "more_body": False}]

        async def receive() -> dict:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "method": "GET",
            "path": "/login",
            "query_string": b"",
            "headers": headers,
            "client": (ip, 1),
        }
        await rasp(scope, receive, send)
        return sent

    # A list-form attack header is read (fail_closed would refuse an unreadable one too, so a
    # benign list-form header must pass first).
    benign = asyncio.run(call([[b"host", b"shop.example.com"], [b"x-note", b"hello"]]))
    assert benign[0]["status"] == 401
    attack = asyncio.run(call([[b"x-note", b"<script>alert(1)</script>"]]))
    assert attack[0]["status"] == 403
    # A second 401 with list-form response headers goes past max_errors: the client is then
    # blacklisted, so its next request is refused.
    second = asyncio.run(call([[b"x-note", b"hello"]]))
    assert second[0]["status"] == 401
    again = asyncio.run(call([[b"x-note", b"hello"]]))
    assert again[0]["status"] == 403
