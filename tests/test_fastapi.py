"""FastAPI through FastApiRASP, driven by Starlette's TestClient and httpx's ASGITransport."""

from __future__ import annotations

import hashlib
import json
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, WebSocket
from fastapi.responses import PlainTextResponse
from starlette.testclient import TestClient

from conftest import fresh_ip
from ironrasp import EngineError, FastApiRASP

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


def make_app(
    config: dict[str, Any] | None = None, events: Path | None = None, protect: bool = True
) -> FastAPI:
    started: list[str] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        started.append("startup")
        yield

    app = FastAPI(lifespan=lifespan)
    app.state.started = started

    @app.get("/")
    def index() -> PlainTextResponse:
        return PlainTextResponse("home", headers={"X-Shop": "yes"})

    @app.get("/search")
    def search(request: Request) -> dict:
        return {
            "q": request.query_params.getlist("q"),
            "client": request.scope.get("ironrasp.client"),
        }

    @app.post("/submit")
    async def submit(request: Request) -> dict:
        if request.headers.get("content-type", "").startswith("application/json"):
            return {"json": await request.json()}
        form = await request.form()
        return {"form": {k: form.getlist(k) for k in form}}

    @app.post("/login")
    def login() -> PlainTextResponse:
        return PlainTextResponse("no", status_code=401)

    @app.get("/items/{item_id:int}")
    def item(item_id: int) -> dict:
        return {"id": item_id}

    @app.get("/files/{name:path}")
    def files(name: str) -> dict:
        return {"name": name}

    @app.post("/upload")
    async def upload(request: Request) -> dict:
        digest, size = hashlib.sha256(), 0
        async for chunk in request.stream():
            digest.update(chunk)
            size += len(chunk)
        return {"size": size, "sha256": digest.hexdigest()}

    @app.websocket("/ws")
    async def ws(websocket: WebSocket) -> None:
        await websocket.accept()
        text = await websocket.receive_text()
        await websocket.send_text("echo " + text)
        await websocket.close()

    if protect:
        cfg: dict[str, Any] = {"log": {"console": "off"}, **(config or {})}
        if events is not None:
            cfg["log"] = {**cfg["log"], "json_file": str(events)}
        FastApiRASP(app, config=cfg)
    return app


def client(app: FastAPI, ip: str | None = None) -> TestClient:
    return TestClient(app, client=(ip or fresh_ip(), 50000))


def events(app: FastAPI, path: Path) -> list[dict]:
    app.state.ironrasp.engine.flush()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture
def ev_path(tmp_path: Path) -> Path:
    return tmp_path / "events.jsonl"


@pytest.fixture
def app(ev_path: Path) -> FastAPI:
    return make_app(events=ev_path)


def send(c: TestClient, where: str, payload: str) -> httpx.Response:
    if where == "query":
        return c.get("/search", params={"q": payload})
    if where == "json":
        return c.post("/submit", json={"order": {"items": [{"name": "pen"}, {"name": payload}]}})
    if where == "form":
        return c.post("/submit", data={"comment": payload})
    if where == "header":
        return c.get("/search", headers={"X-Note": payload})
    raise AssertionError(where)


def test_benign_requests_pass_unchanged(app):
    plain = TestClient(make_app(protect=False))
    c = client(app)
    for path in ["/", "/search?q=O%27Brien&q=copy+%26+paste", "/items/7", "/files/a/b.txt"]:
        a, b = c.get(path), plain.get(path)
        assert a.status_code == b.status_code == 200, path
        assert a.content == b.content or path.startswith("/search"), path
        assert a.headers == b.headers or path.startswith("/search"), path
    r = c.get("/", headers={"Accept": "text/html"})
    assert r.text == "home" and r.headers["x-shop"] == "yes"
    order = {"city": "Lyon", "note": "Leave it with O'Brien & co.", "items": [{"sku": "A-1"}]}
    assert c.post("/submit", json=order).json() == {"json": order}
    assert c.post("/submit", data={"a": "1", "b": "two words"}).json() == {
        "form": {"a": ["1"], "b": ["two words"]}
    }


@pytest.mark.parametrize("where", list(EXPECTED_KIND))
@pytest.mark.parametrize("check", list(ATTACKS))
def test_attack_is_refused_in_every_location(app, ev_path, where, check):
    ip = fresh_ip()
    r = send(client(app, ip), where, ATTACKS[check])
    assert r.status_code == 403, (where, check, r.text)
    assert r.content == b"Forbidden"
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.headers["content-length"] == "9"
    found = [e for e in events(app, ev_path) if e["type"] == check]
    assert found, events(app, ev_path)
    assert found[0]["location"]["kind"] == EXPECTED_KIND[where]
    assert found[0]["client"] == ip
    assert found[0]["action"] == "block"


def test_refusal_uses_the_configured_block_response(ev_path):
    app = make_app(
        {"block": {"status": 406, "body": "Nope", "content_type": "text/html"}}, events=ev_path
    )
    r = client(app).get("/search", params={"q": ATTACKS["xss"]})
    assert (r.status_code, r.text, r.headers["content-type"]) == (406, "Nope", "text/html")


def test_client_address_is_the_peer_and_forwarded_headers_need_a_trusted_proxy(app):
    ip = fresh_ip()
    assert client(app, ip).get("/search").json()["client"] == ip
    attacker = client(app)
    assert attacker.get("/.env").status_code == 403
    spoofed = attacker.get("/", headers={"X-Forwarded-For": "203.0.113.50"})
    assert spoofed.status_code == 403, "claiming another address does not escape the blacklist"
    victim = fresh_ip()
    client(app).get("/.env", headers={"X-Forwarded-For": victim})
    assert client(app, victim).get("/").status_code == 200, "a third party cannot be framed"


def test_trusted_proxy_gives_the_real_client(ev_path):
    app = make_app({"trusted_proxies": ["10.0.0.0/8"]}, events=ev_path)
    via = client(app, "10.9.8.7")
    real, spoofed = fresh_ip(), fresh_ip()
    r = via.get("/search", headers={"X-Forwarded-For": f"{spoofed}, {real}"})
    assert r.json()["client"] == real
    assert via.get("/.env", headers={"X-Forwarded-For": real}).status_code == 403
    assert [ip for ip, _ in app.state.ironrasp.engine.blacklist()] == [real]
    assert via.get("/", headers={"X-Forwarded-For": spoofed}).status_code == 200
    assert via.get("/").status_code == 200, "the proxy itself is not blacklisted"


def test_routes_are_collected(app, ev_path):
    c = client(app)
    assert c.get("/items/12").status_code == 200
    assert c.get("/files/a/b/c.txt").status_code == 200
    assert [e for e in events(app, ev_path) if e["type"] == "unrouted_path"] == []
    assert c.get("/no-such-page").status_code == 404
    assert c.delete("/search").status_code == 405
    types = [e["type"] for e in events(app, ev_path)]
    assert "unrouted_path" in types and "method_not_allowed" in types
    # /docs and /openapi.json are routes of FastAPI itself
    assert app.state.ironrasp.engine.route_count() >= 8


def test_routes_declared_after_the_adapter_are_known(ev_path):
    app = make_app(events=ev_path)

    @app.get("/late/{slug}")
    def late(slug: str) -> dict:
        return {"slug": slug}

    assert client(app).get("/late/x").json() == {"slug": "x"}
    assert [e for e in events(app, ev_path) if e["type"] == "unrouted_path"] == []


def test_adapter_added_to_an_app_already_serving():
    app = make_app(protect=False)
    c = client(app)
    assert c.get("/search", params={"q": ATTACKS["sqli"]}).status_code == 200
    FastApiRASP(app, config={"log": {"console": "off"}})
    assert c.get("/search", params={"q": ATTACKS["sqli"]}).status_code == 403
    assert c.get("/search", params={"q": "shoes"}).status_code == 200


def test_brute_force_from_error_responses(ev_path):
    app = make_app({"brute_force": {"max_errors": 2, "window": 60}}, events=ev_path)
    ip = fresh_ip()
    c = client(app, ip)
    codes = [c.post("/login", data={"user": "a", "password": str(i)}).status_code for i in range(4)]
    assert codes == [401, 401, 401, 403]
    assert c.get("/").status_code == 403, "blacklisted"
    assert ip in [a for a, _ in app.state.ironrasp.engine.blacklist()]
    assert "brute_force" in [e["type"] for e in events(app, ev_path)]
    assert client(app).get("/").status_code == 200


def test_lifespan_and_websockets_pass_through(app):
    with client(app) as c:
        assert app.state.started == ["startup"]
        with c.websocket_connect("/ws?q=" + ATTACKS["cmdi"]) as ws:
            ws.send_text("hi")
            assert ws.receive_text() == "echo hi"


def test_engine_errors_fail_open_or_closed(app):
    rasp = app.state.ironrasp
    real = rasp.engine

    class Broken:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def inspect_request(self, *args: Any) -> Any:
            raise EngineError("boom")

    rasp.engine = Broken()
    assert client(app).get("/search", params={"q": "x"}).status_code == 200
    Broken.fail_closed = True
    r = client(app).get("/search", params={"q": "x"})
    assert (r.status_code, r.text) == (403, "Forbidden")


@pytest.mark.asyncio
async def test_httpx_async_client(ev_path):
    app = make_app({"limits": {"max_body": 4096}}, events=ev_path)
    ip = fresh_ip()
    transport = httpx.ASGITransport(app=app, client=(ip, 4321))
    async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as c:
        r = await c.get("/search", params={"q": "shoes"})
        assert r.json() == {"q": ["shoes"], "client": ip}
        r = await c.post("/submit", json={"q": ATTACKS["xss"]})
        assert (r.status_code, r.text) == (403, "Forbidden")

        # A streamed body far larger than max_body reaches the app whole.
        chunk = bytes(range(256)) * 4

        async def body():
            for _ in range(300):
                yield chunk

        r = await c.post("/upload", content=body())
        assert r.status_code == 200
        assert r.json() == {
            "size": 300 * len(chunk),
            "sha256": hashlib.sha256(chunk * 300).hexdigest(),
        }
    found = [e for e in events(app, ev_path) if e["type"] == "xss"]
    assert found and found[0]["client"] == ip


def test_middleware_added_later_and_root_path(ev_path):
    app = FastAPI()

    @app.get("/hello")
    def hello(request: Request) -> dict:
        return {"tagged": request.headers.get("x-tag")}

    FastApiRASP(app, config={"log": {"console": "off", "json_file": str(ev_path)}})

    @app.middleware("http")
    async def tag(request: Request, call_next):
        response = await call_next(request)
        response.headers["X-Tagged"] = "1"
        return response

    # As behind `uvicorn --root-path /shop`: the path includes the root path.
    c = TestClient(app, root_path="/shop", client=(fresh_ip(), 1))
    r = c.get("/shop/hello")
    assert (r.status_code, r.headers["x-tagged"]) == (200, "1")
    r = c.get("/shop/hello", params={"q": ATTACKS["xss"]})
    assert (r.status_code, r.text) == (403, "Forbidden")
    assert "x-tagged" not in r.headers, "refused before any app middleware runs"
    assert [e for e in events(app, ev_path) if e["type"] == "unrouted_path"] == []
    assert c.get("/shop/nowhere").status_code == 404
    unrouted = [e for e in events(app, ev_path) if e["type"] == "unrouted_path"]
    assert len(unrouted) == 1
