"""DjangoRASP through a real Django project (tests/django_project) and Django's test client."""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any
from urllib.parse import urlencode

import django
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import fresh_ip

# Settings are read once, here; the variable is not left behind for other test modules.
_previous = os.environ.get("DJANGO_SETTINGS_MODULE")
os.environ["DJANGO_SETTINGS_MODULE"] = "django_project.settings"
django.setup()
if _previous is None:
    del os.environ["DJANGO_SETTINGS_MODULE"]
else:
    os.environ["DJANGO_SETTINGS_MODULE"] = _previous

from django.test import Client, override_settings  # noqa: E402

from ironrasp.adapters.django import django_routes, regex_to_template  # noqa: E402

CMDI = "1; cat /etc/passwd"
TRAVERSAL = "../../../../etc/passwd"
SQLI = "1' OR '1'='1' --"
XSS = "<script>alert(1)</script>"
ATTACKS = [("cmdi", CMDI), ("path_traversal", TRAVERSAL), ("sqli", SQLI), ("xss", XSS)]


class DjClient:
    """Django's test client bound to one address, with the middleware built under `config`."""

    def __init__(self, tmp_path, config: dict[str, Any] | None = None, ip: str | None = None):
        self.ip = ip or fresh_ip()
        self.events_file = tmp_path / f"events-{self.ip}.jsonl"
        cfg = {"log": {"console": "off", "banner": False, "json_file": str(self.events_file)}}
        for key, value in (config or {}).items():
            cfg[key] = {**cfg.get(key, {}), **value} if isinstance(value, dict) else value
        self.c = Client(REMOTE_ADDR=self.ip)
        with override_settings(IRONRASP=cfg):
            self.c.handler.load_middleware()  # the engine is built now, with this config
        self.rasp = None

    def request(self, method: str, path: str, **kwargs):
        r = getattr(self.c, method)(path, **kwargs)
        self.rasp = r.wsgi_request.ironrasp
        return r

    def get(self, path: str, **kwargs):
        return self.request("get", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.request("post", path, **kwargs)

    def events(self) -> list[dict]:
        assert self.rasp is not None, "no request went through the middleware"
        self.rasp.engine.flush()
        if not self.events_file.exists():
            return []
        with open(self.events_file, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]

    def types(self) -> list[str]:
        return [e["type"] for e in self.events()]


def send(c: DjClient, where: str, payload: str):
    if where == "query":
        return c.get("/search", query_params={"q": payload})
    if where == "form":
        return c.post(
            "/submit",
            data=urlencode({"comment": payload}),
            content_type="application/x-www-form-urlencoded",
        )
    if where == "multipart":
        return c.post("/submit", data={"comment": payload})
    if where == "json":
        return c.post(
            "/submit",
            data=json.dumps({"order": {"items": [{"name": "pen"}, {"name": payload}]}}),
            content_type="application/json",
        )
    if where == "header":
        return c.get("/search", headers={"X-Note": payload})
    if where == "cookie":
        c.c.cookies["pref"] = payload
        try:
            return c.get("/search")
        finally:
            del c.c.cookies["pref"]
    raise AssertionError(where)


LOCATIONS = ["query", "form", "multipart", "json", "header", "cookie"]
EXPECTED_KIND = {
    "query": "qs_values",
    "form": "form_values",
    "multipart": "multipart_values",
    "json": "json_values",
    "header": "headers_values",
    "cookie": "cookies_values",
}


@pytest.mark.parametrize("where", LOCATIONS)
@pytest.mark.parametrize("check,payload", ATTACKS)
def test_attack_is_refused_in_every_location(tmp_path, where, check, payload):
    c = DjClient(tmp_path)
    r = send(c, where, payload)
    assert r.status_code == 403, (where, check, r.content)
    assert r.content == b"Forbidden"
    assert r["Content-Type"] == "text/plain; charset=utf-8"
    ev = [e for e in c.events() if e["type"] == check]
    assert ev, c.events()
    assert ev[0]["location"]["kind"] == EXPECTED_KIND[where]
    assert ev[0]["client"] == c.ip
    assert ev[0]["action"] == "block"


def test_attack_in_the_path_is_refused(tmp_path):
    c = DjClient(tmp_path)
    assert c.get("/files/..%2f..%2f..%2fetc%2fpasswd").status_code == 403
    assert "path_traversal" in c.types()


def test_benign_request_passes_unchanged(tmp_path):
    c = DjClient(tmp_path)
    r = c.get("/")
    assert (r.status_code, r.content, r["X-App"]) == (200, b"home", "shop")
    r = c.get("/search", query_params={"q": ["O'Brien", "Tom & Jerry"], "tags": "red"})
    assert r.json() == {"q": ["O'Brien", "Tom & Jerry"], "tags": ["red"]}
    order = {"city": "Lyon", "items": [{"sku": "A-1407", "qty": 2}], "note": "copy & paste"}
    r = c.post("/submit", data=json.dumps(order), content_type="application/json")
    assert r.json()["json"] == order
    assert [e for e in c.events() if e["type"] != "limit_exceeded"] == []


def test_body_reaches_the_view_whole(tmp_path):
    c = DjClient(tmp_path)
    r = c.post(
        "/submit",
        data=urlencode({"a": "1", "b": "two words"}),
        content_type="application/x-www-form-urlencoded",
    )
    assert r.json()["form"] == {"a": ["1"], "b": ["two words"]}
    up = c.post("/submit", data={"note": "hi", "f": SimpleUploadedFile("n.txt", b"file-bytes")})
    assert up.json()["files"] == {"f": ["n.txt", "file-bytes"]}
    assert up.json()["form"] == {"note": ["hi"]}


def test_body_longer_than_max_body_is_refed_and_reported(tmp_path):
    c = DjClient(tmp_path, {"limits": {"max_body": 64}})
    fields = {f"k{i}": "v" * 20 for i in range(10)}
    r = c.post("/submit", data=urlencode(fields), content_type="application/x-www-form-urlencoded")
    assert r.status_code == 200
    assert r.json()["form"] == {k: [v] for k, v in fields.items()}
    assert r.json()["length"] == len(urlencode(fields))
    assert "limit_exceeded" in c.types()
    # The inspected head still counts: an attack in the first bytes is refused.
    r = c.post(
        "/submit",
        data=urlencode({"q": XSS, "pad": "x" * 500}),
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code == 403


def test_client_address_without_trusted_proxies(tmp_path):
    c = DjClient(tmp_path)
    r = c.get("/.env", headers={"X-Forwarded-For": "203.0.113.9"})
    assert r.status_code == 403
    assert [e["client"] for e in c.events()] == [c.ip], "a client cannot choose its address"


def test_client_address_through_a_trusted_proxy(tmp_path):
    attacker, innocent = fresh_ip(), fresh_ip()
    c = DjClient(tmp_path, {"trusted_proxies": ["10.0.0.0/8"]}, ip="10.1.2.3")
    r = c.get("/.env", headers={"X-Forwarded-For": f"{innocent}, {attacker}"})
    assert r.status_code == 403
    assert [e["client"] for e in c.events()] == [attacker]
    assert [ip for ip, _ in c.rasp.engine.blacklist()] == [attacker]
    r = c.get("/", headers={"X-Forwarded-For": innocent})
    assert r.wsgi_request.META["ironrasp.client"] == innocent


def test_routes_come_from_the_resolver():
    routes = dict(django_routes())
    assert routes["/"] == []
    assert routes["/article/{pk}"] == []
    assert routes["/files/{name:path}"] == []
    assert routes["/items/{slug}"] == ["GET", "HEAD", "OPTIONS"]
    assert routes["/shop/cart"] == []
    # The regex path is converted; the inexpressible one becomes a catch-all under its prefix.
    assert "/archive/{_r0}" in routes
    assert "/shop/{_rest:path}" in routes and "/shop" not in routes
    assert dict(django_routes(prefix="/app/"))["/app/article/{pk}"] == []


@pytest.mark.parametrize(
    "regex,template",
    [
        (r"^archive/(?P<year>[0-9]{4})/$", "archive/{_r0}/"),
        (r"^static/(?P<path>.+)$", "static/{_r0:path}"),
        (r"^static/(?P<path>.*)$", "static/\x00"),  # may be empty: "/static" itself too
        (r"^files/(?P<p>[^/]+)/?$", "files/{_r0}"),
        (r"^(?P<app>auth|shop)/$", "{_r0}/"),
        (r"^page-(\d+)\.html$", "page-{_r0}.html"),
        (r"^legacy(?:/(?P<page>\d+))?/$", "legacy\x00"),
        (r"^tag/(?P<t>[\w-]*)/$", "tag/\x00"),
        (r"^a/(?i)b$", "a/\x00"),
    ],
)
def test_regex_conversion(regex, template):
    assert regex_to_template(regex) == template


def test_unrouted_path_is_logged_and_routed_paths_are_not(tmp_path):
    c = DjClient(tmp_path)
    for path in [
        "/files/a/b/c.txt",
        "/article/5/",
        "/archive/2024/",
        "/items/red-pen/",
        "/shop/cart/",
        "/shop/legacy/",
        "/shop/legacy/3/",
    ]:
        assert c.get(path).status_code == 200, path
    assert c.types() == []
    assert c.get("/no-such-page").status_code == 404
    ev = [e for e in c.events() if e["type"] == "unrouted_path"]
    assert ev and ev[0]["path"] == "/no-such-page" and ev[0]["action"] == "log"
    assert c.request("delete", "/items/red-pen/").status_code == 405
    assert "method_not_allowed" in c.types()


def test_brute_force_from_error_responses(tmp_path):
    c = DjClient(tmp_path, {"brute_force": {"max_errors": 2, "window": 60}})
    codes = [c.post("/login", data={"user": "a", "password": str(i)}).status_code for i in range(4)]
    assert codes == [401, 401, 401, 403]
    assert "brute_force" in c.types()
    assert DjClient(tmp_path).get("/").status_code == 200, "other clients are not affected"


def test_decoy_blacklists_the_scanner(tmp_path):
    c = DjClient(tmp_path)
    assert c.get("/.env").status_code == 403
    assert c.get("/").status_code == 403
    assert [ip for ip, _ in c.rasp.engine.blacklist()] == [c.ip]


def test_asgi_requests_are_inspected_too(tmp_path):
    from django.test import AsyncClient

    ip = "127.0.0.1"  # AsyncClient's ASGI scope client; it has no way to set another
    c = AsyncClient()

    async def run():
        ok = await c.get("/search", query_params={"q": "café"})
        bad = await c.get("/search", query_params={"q": XSS})
        return ok, bad

    with override_settings(
        IRONRASP={
            "log": {"console": "off", "banner": False, "json_file": str(tmp_path / "a.jsonl")}
        }
    ):
        ok, bad = asyncio.run(run())
    assert ok.status_code == 200 and ok.json()["q"] == ["café"]
    assert bad.status_code == 403 and bad.content == b"Forbidden"
    bad.asgi_request.ironrasp.engine.flush()
    ev = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert [(e["type"], e["client"], e["path"]) for e in ev] == [("xss", ip, "/search")]
