"""aiohttp through AiohttpRASP, driven by pytest-aiohttp's real test server and client.

Each test client connects from its own loopback address (127.x.y.z all reach the loopback
interface on Linux), so the engine sees a real, distinct TCP peer per test.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from yarl import URL

from ironrasp import AiohttpRASP, EngineError
from ironrasp.adapters.aiohttp import (
    CLIENT_KEY,
    RASP_KEY,
    aiohttp_routes,
    dynamic_template,
    read_head,
)

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
STARTED = web.AppKey("started", list)

_addr = itertools.count(1)


def loopback_ip() -> str:
    n = next(_addr)
    return f"127.{100 + n // 62500}.{n // 250 % 250}.{n % 250 + 1}"


async def search(request: web.Request) -> web.Response:
    return web.json_response(
        {"q": request.query.getall("q", []), "client": request.get(CLIENT_KEY)}
    )


async def submit(request: web.Request) -> web.Response:
    if request.content_type == "application/json":
        return web.json_response({"json": await request.json()})
    form = await request.post()
    out: dict[str, list[str]] = {}
    for k, v in form.items():
        out.setdefault(k, []).append(v if isinstance(v, str) else v.file.read().decode())
    return web.json_response({"form": out})


async def login(request: web.Request) -> web.Response:
    raise web.HTTPUnauthorized(text="no")


async def upload(request: web.Request) -> web.Response:
    digest, size = hashlib.sha256(), 0
    async for chunk in request.content.iter_chunked(65536):
        digest.update(chunk)
        size += len(chunk)
    return web.json_response({"size": size, "sha256": digest.hexdigest()})


async def upload_read(request: web.Request) -> web.Response:
    body = await request.read()
    return web.json_response({"size": len(body), "sha256": hashlib.sha256(body).hexdigest()})


async def ws_echo(request: web.Request) -> web.WebSocketResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    msg = await ws.receive()
    await ws.send_str("echo " + msg.data)
    await ws.close()
    return ws


async def params(request: web.Request) -> web.Response:
    return web.json_response(dict(request.match_info))


async def index(request: web.Request) -> web.Response:
    return web.Response(text="home", headers={"X-Shop": "yes"})


def make_app(
    config: dict[str, Any] | None = None, events: Path | None = None, protect: bool = True
) -> web.Application:
    app = web.Application(client_max_size=4 * 1024 * 1024)
    app[STARTED] = []

    async def on_startup(app: web.Application) -> None:
        app[STARTED].append("startup")

    app.on_startup.append(on_startup)
    app.router.add_get("/", index)
    app.router.add_get("/search", search)
    app.router.add_post("/submit", submit)
    app.router.add_post("/login", login)
    app.router.add_post("/upload", upload)
    app.router.add_post("/upload-read", upload_read)
    app.router.add_get(r"/items/{id:\d+}", params)
    app.router.add_get("/files/{tail:.*}", params)
    app.router.add_get("/ws", ws_echo)
    sub = web.Application()
    sub.router.add_get("/status/{name}", params)
    app.add_subapp("/admin", sub)
    if protect:
        cfg: dict[str, Any] = {"log": {"console": "off"}, **(config or {})}
        if events is not None:
            cfg["log"] = {**cfg["log"], "json_file": str(events)}
        AiohttpRASP(app, config=cfg)
    return app


@pytest.fixture
def ev_path(tmp_path: Path) -> Path:
    return tmp_path / "events.jsonl"


@pytest.fixture
def connect(aiohttp_client):
    """connect(app, ip=None): a test client whose TCP peer address is `ip` (fresh by default)."""

    async def go(app: web.Application, ip: str | None = None):
        ip = ip or loopback_ip()
        c = await aiohttp_client(app, connector=aiohttp.TCPConnector(local_addr=(ip, 0)))
        c.ip = ip
        return c

    return go


def events(app: web.Application, path: Path) -> list[dict]:
    app[RASP_KEY].engine.flush()
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


@pytest.mark.asyncio
async def test_benign_requests_pass_unchanged(connect, ev_path):
    c = await connect(make_app(events=ev_path))
    plain = await connect(make_app(protect=False))
    for path in ["/", "/files/a/b.txt?x=1"]:
        a, b = await c.get(path), await plain.get(path)
        assert a.status == b.status == 200
        assert await a.read() == await b.read()
        drop = {"Date"}
        assert {k: v for k, v in a.headers.items() if k not in drop} == {
            k: v for k, v in b.headers.items() if k not in drop
        }
    r = await c.get("/search", params=[("q", "O'Brien"), ("q", "copy & paste")])
    assert await r.json() == {"q": ["O'Brien", "copy & paste"], "client": c.ip}
    order = {"city": "Lyon", "note": "Leave it with O'Brien & co.", "items": [{"sku": "A-1"}]}
    assert await (await c.post("/submit", json=order)).json() == {"json": order}
    r = await c.post("/submit", data={"a": "1", "b": "two words"})
    assert await r.json() == {"form": {"a": ["1"], "b": ["two words"]}}
    assert [e["type"] for e in events(c.server.app, ev_path)] == []


@pytest.mark.asyncio
@pytest.mark.parametrize("where", list(EXPECTED_KIND))
@pytest.mark.parametrize("check", list(ATTACKS))
async def test_attack_is_refused_in_every_location(connect, ev_path, where, check):
    app = make_app(events=ev_path)
    c = await connect(app)
    payload = ATTACKS[check]
    if where == "query":
        r = await c.get("/search", params={"q": payload})
    elif where == "json":
        r = await c.post("/submit", json={"order": {"items": [{"name": payload}]}})
    elif where == "form":
        r = await c.post("/submit", data={"comment": payload})
    else:
        r = await c.get("/search", headers={"X-Note": payload})
    assert (r.status, await r.read()) == (403, b"Forbidden"), (where, check)
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    found = [e for e in events(app, ev_path) if e["type"] == check]
    assert found, events(app, ev_path)
    assert found[0]["location"]["kind"] == EXPECTED_KIND[where]
    assert found[0]["client"] == c.ip


@pytest.mark.asyncio
async def test_request_target_is_read_as_sent(connect, ev_path):
    """The engine gets aiohttp's raw request-target: the path is decoded as the router decodes
    it (routes still match), and escapes that do not spell UTF-8 reach the engine as sent."""
    app = make_app(events=ev_path)
    c = await connect(app)
    r = await c.get(URL("/files/caf%C3%A9%20menu.txt?x=a%3Fb", encoded=True))
    assert (r.status, (await r.json())["tail"]) == (200, "café menu.txt")
    r = await c.get(URL("/files/..%2F..%2F..%2Fetc%2Fpasswd", encoded=True))
    assert r.status == 403
    r = await c.get(URL("/files/..%c0%af..%c0%af..%c0%afetc%c0%afpasswd", encoded=True))
    assert r.status == 403
    kinds = {e["type"] for e in events(app, ev_path)}
    assert kinds == {"path_traversal"}, kinds


@pytest.mark.asyncio
async def test_attack_in_a_multipart_body_past_the_inspected_head_still_parses(connect, ev_path):
    app = make_app({"limits": {"max_body": 2000}}, events=ev_path)
    c = await connect(app)
    form = aiohttp.FormData()
    form.add_field("note", "x" * 5000)
    form.add_field("f", b"file-bytes", filename="n.txt")
    r = await c.post("/submit", data=form)
    assert await r.json() == {"form": {"note": ["x" * 5000], "f": ["file-bytes"]}}
    form = aiohttp.FormData()
    form.add_field("comment", ATTACKS["xss"])
    form.add_field("f", b"x" * 100, filename="n.txt")
    assert (await c.post("/submit", data=form)).status == 403


@pytest.mark.asyncio
async def test_client_address_and_forwarded_headers(connect, ev_path):
    app = make_app(events=ev_path)
    c = await connect(app)
    r = await c.get("/search", headers={"X-Forwarded-For": "203.0.113.9"})
    assert (await r.json())["client"] == c.ip, "an untrusted peer's X-Forwarded-For is ignored"
    assert (await c.get("/.env")).status == 403
    assert (await c.get("/", headers={"X-Forwarded-For": "203.0.113.50"})).status == 403
    victim = loopback_ip()
    framer = await connect(app)
    await framer.get("/.env", headers={"X-Forwarded-For": victim})
    assert (await (await connect(app, victim)).get("/")).status == 200


@pytest.mark.asyncio
async def test_trusted_proxy_gives_the_real_client(connect, ev_path):
    app = make_app({"trusted_proxies": ["127.99.0.0/16"]}, events=ev_path)
    via = await connect(app, "127.99.0.7")
    real, spoofed = "198.51.100.23", "198.51.100.24"
    r = await via.get("/search", headers={"X-Forwarded-For": f"{spoofed}, {real}"})
    assert (await r.json())["client"] == real
    assert (await via.get("/.env", headers={"X-Forwarded-For": real})).status == 403
    assert [ip for ip, _ in app[RASP_KEY].engine.blacklist()] == [real]
    assert (await via.get("/", headers={"X-Forwarded-For": spoofed})).status == 200
    assert (await via.get("/")).status == 200, "the proxy itself is not blacklisted"


@pytest.mark.asyncio
async def test_routes_are_collected(connect, ev_path):
    app = make_app(events=ev_path)
    c = await connect(app)
    for path in ["/items/12", "/files/a/b/c.txt", "/admin/status/db"]:
        assert (await c.get(path)).status == 200, path
    assert [e for e in events(app, ev_path) if e["type"] == "unrouted_path"] == []
    assert (await c.get("/no-such-page")).status == 404
    assert (await c.delete("/search")).status == 405
    types = [e["type"] for e in events(app, ev_path)]
    assert "unrouted_path" in types and "method_not_allowed" in types


def test_route_templates():
    routes = dict(aiohttp_routes(make_app(protect=False)))
    assert routes["/items/{id}"] == ["GET", "HEAD"]
    assert routes["/files/{tail:path}"] == ["GET", "HEAD"]
    assert routes["/admin/status/{name}"] == ["GET", "HEAD"]
    assert routes["/submit"] == ["POST"]
    assert dynamic_template("/a/{x}/{y}", r"/a/(?P<x>[^{}/]+)/(?P<y>(x|.)*)") == "/a/{x}/{y:path}"
    assert dynamic_template("/v/{n}", r"/v/(?P<n>[(/)]x)") == "/v/{n}"


@pytest.mark.asyncio
async def test_brute_force_from_error_responses(connect, ev_path):
    app = make_app({"brute_force": {"max_errors": 2, "window": 60}}, events=ev_path)
    c = await connect(app)
    codes = [(await c.post("/login", data={"password": str(i)})).status for i in range(4)]
    assert codes == [401, 401, 401, 403]
    assert (await c.get("/")).status == 403
    assert c.ip in [a for a, _ in app[RASP_KEY].engine.blacklist()]
    assert "brute_force" in [e["type"] for e in events(app, ev_path)]
    assert (await (await connect(app)).get("/")).status == 200


@pytest.mark.asyncio
async def test_startup_and_websocket_pass_through(connect):
    app = make_app()
    c = await connect(app)
    assert app[STARTED] == ["startup"]
    async with c.ws_connect("/ws") as ws:
        await ws.send_str("hi")
        assert (await ws.receive()).data == "echo hi"


@pytest.mark.asyncio
@pytest.mark.parametrize("route", ["/upload", "/upload-read"])
async def test_big_streamed_body_reaches_the_app_whole(connect, route):
    app = make_app({"limits": {"max_body": 10_000}})
    c = await connect(app)
    data = bytes(range(256)) * 8000  # 2 MB

    async def chunks():
        for i in range(0, len(data), 16384):
            yield data[i : i + 16384]

    r = await c.post(route, data=chunks())
    assert await r.json() == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


@pytest.mark.asyncio
async def test_only_the_head_of_a_body_is_read():
    """read_head returns once limit + 1 bytes are in, without waiting for the rest."""
    loop = asyncio.get_running_loop()
    protocol = aiohttp.base_protocol.BaseProtocol(loop)
    stream = aiohttp.StreamReader(protocol, 2**16, loop=loop)
    request = make_mocked_request("POST", "/upload", payload=stream)
    stream.feed_data(b"a" * 3000)  # the body goes on: no EOF yet
    body, truncated = await asyncio.wait_for(read_head(request, 1000), 5)
    assert (len(body), truncated) == (1000, True)
    stream.feed_data(b"b" * 10)
    stream.feed_eof()
    assert await stream.read() == b"a" * 3000 + b"b" * 10, "the handler still gets every byte"


@pytest.mark.asyncio
async def test_engine_errors_fail_open_or_closed(connect):
    app = make_app()
    rasp = app[RASP_KEY]
    real = rasp.engine

    class Broken:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def inspect_target(self, *args: Any) -> Any:
            raise EngineError("boom")

    rasp.engine = Broken()
    c = await connect(app)
    assert (await c.get("/search", params={"q": "x"})).status == 200
    Broken.fail_closed = True
    r = await c.get("/search", params={"q": "x"})
    assert (r.status, await r.text()) == (403, "Forbidden")


@pytest.mark.asyncio
async def test_response_call_only_for_statuses_the_engine_acts_on(connect, ev_path):
    app = make_app({"brute_force": {"max_errors": 1, "window": 60}}, events=ev_path)
    rasp = app[RASP_KEY]
    real = rasp.engine
    statuses: list[int] = []

    class Spy:
        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

        def inspect_response(self, *args: Any) -> Any:
            statuses.append(args[3])
            return real.inspect_response(*args)

    rasp.engine = Spy()
    c = await connect(app)
    assert (await c.get("/search", params={"q": "shoes"})).status == 200
    assert statuses == [], "a 200 is no brute-force status: no response call"
    assert (await c.get("/nowhere")).status == 404  # raised by the router as HTTPException
    assert (await c.post("/login", data={"password": "x"})).status == 401
    assert statuses == [404, 401]
    assert (await c.get("/")).status == 403, "the errors were counted"
    assert "brute_force" in [e["type"] for e in events(app, ev_path)]
