"""AzureRASP with real azure.functions HttpRequest / HttpResponse objects."""

from __future__ import annotations

import asyncio
import inspect
import json
from urllib.parse import quote, urlencode

import azure.functions as func
import pytest

from ironrasp import AzureRASP

BASE = "https://shop-fn.azurewebsites.net"
FRONT_END_SAW = "192.0.2.60"
CMDI = "1; cat /etc/passwd"
TRAVERSAL = "../../../../etc/passwd"
SQLI = "1' OR '1'='1' --"
XSS = "<script>alert(1)</script>"
ATTACKS = [("cmdi", CMDI), ("path_traversal", TRAVERSAL), ("sqli", SQLI), ("xss", XSS)]


def request(
    method: str = "GET",
    path: str = "/api/search",
    query: list | None = None,
    headers: dict | None = None,
    body: bytes = b"",
    xff: str | None = f"{FRONT_END_SAW}:51234",
) -> func.HttpRequest:
    """An HttpRequest as the Functions host builds it: full URL with the raw query, params
    with repeated names comma-joined, X-Forwarded-For appended by the front end."""
    query = query or []
    params: dict[str, str] = {}
    for k, v in query:
        params[k] = f"{params[k]},{v}" if k in params else v
    url = BASE + path + ("?" + urlencode(query, quote_via=quote) if query else "")
    h = {"Host": "shop-fn.azurewebsites.net", "User-Agent": "curl/8.4.0", **(headers or {})}
    if xff is not None:
        h["X-Forwarded-For"] = xff
    return func.HttpRequest(method=method, url=url, headers=h, params=params, body=body)


class Rasp:
    def __init__(self, tmp_path, config: dict | None = None, use_async: bool = False) -> None:
        self.events_file = tmp_path / "events.jsonl"
        cfg = {"log": {"console": "off", "banner": False, "json_file": str(self.events_file)}}
        cfg.update(config or {})
        self.rasp = AzureRASP(config=cfg)
        self.seen: list[func.HttpRequest] = []

        def respond(req: func.HttpRequest) -> func.HttpResponse:
            self.seen.append(req)
            if req.url.split("?")[0].endswith("/login"):
                return func.HttpResponse("no", status_code=401)
            return func.HttpResponse(
                json.dumps({"q": req.params.get("q")}),
                status_code=200,
                mimetype="application/json",
                headers={"X-App": "shop"},
            )

        if use_async:

            async def main(req: func.HttpRequest) -> func.HttpResponse:
                await asyncio.sleep(0)
                return respond(req)
        else:

            def main(req: func.HttpRequest) -> func.HttpResponse:
                return respond(req)

        self.original = main
        self.main = self.rasp.register(main)
        self.use_async = use_async

    def __call__(self, req: func.HttpRequest) -> func.HttpResponse:
        if self.use_async:
            return asyncio.run(self.main(req))
        return self.main(req)

    def events(self) -> list[dict]:
        self.rasp.engine.flush()
        if not self.events_file.exists():
            return []
        return [json.loads(line) for line in self.events_file.read_text().splitlines() if line]


def assert_refused(resp: func.HttpResponse) -> None:
    assert isinstance(resp, func.HttpResponse)
    assert resp.status_code == 403
    assert resp.get_body() == b"Forbidden"
    assert resp.mimetype == "text/plain" and resp.charset == "utf-8"
    assert resp.headers["Content-Type"] == "text/plain; charset=utf-8"


def send(r: Rasp, where: str, payload: str) -> func.HttpResponse:
    if where == "query":
        return r(request(query=[("q", payload)]))
    if where == "json":
        return r(
            request(
                "POST",
                "/api/submit",
                headers={"Content-Type": "application/json"},
                body=json.dumps({"order": {"items": [{"name": payload}]}}).encode(),
            )
        )
    if where == "form":
        return r(
            request(
                "POST",
                "/api/submit",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                body=urlencode({"comment": payload}).encode(),
            )
        )
    if where == "header":
        return r(request(headers={"X-Note": payload}))
    raise AssertionError(where)


@pytest.mark.parametrize("use_async", [False, True])
def test_benign_request_passes_unchanged(tmp_path, use_async):
    r = Rasp(tmp_path, use_async=use_async)
    req = request(query=[("q", "O'Brien & co"), ("tags", "red")])
    resp = r(req)
    assert resp.status_code == 200
    assert json.loads(resp.get_body()) == {"q": "O'Brien & co"}
    assert resp.headers["X-App"] == "shop" and resp.mimetype == "application/json"
    assert r.seen == [req]
    assert r.events() == []


@pytest.mark.parametrize("use_async", [False, True])
@pytest.mark.parametrize("where", ["query", "json", "form", "header"])
@pytest.mark.parametrize("check,payload", ATTACKS)
def test_attack_is_refused(tmp_path, use_async, where, check, payload):
    r = Rasp(tmp_path, use_async=use_async)
    assert_refused(send(r, where, payload))
    assert r.seen == []
    ev = [e for e in r.events() if e["type"] == check]
    assert ev, r.events()
    assert ev[0]["client"] == FRONT_END_SAW


def test_repeated_parameters_are_inspected_as_sent_and_comma_joined(tmp_path):
    r = Rasp(tmp_path)
    assert_refused(r(request(query=[("tags", "red"), ("tags", XSS), ("tags", "blue")])))
    # Joined, as the function reads them, two harmless halves can form an attack.
    ok = r(request(query=[("tags", "red"), ("tags", "blue")]))
    assert ok.status_code == 200


def test_params_without_a_query_in_the_url_are_inspected(tmp_path):
    r = Rasp(tmp_path)
    req = func.HttpRequest(
        method="GET",
        url=BASE + "/api/search",
        params={"q": XSS},
        headers={"X-Forwarded-For": FRONT_END_SAW},
        body=b"",
    )
    assert_refused(r(req))


def test_client_is_the_address_the_front_end_appended(tmp_path):
    r = Rasp(tmp_path)
    assert_refused(r(request(path="/.env", xff=f"203.0.113.66, {FRONT_END_SAW}:51234")))
    assert [ip for ip, _ in r.rasp.engine.blacklist()] == [FRONT_END_SAW]
    # The address the client put in the header is not blacklisted...
    assert r(request(xff="203.0.113.66:4000")).status_code == 200
    # ...and the blacklisted client stays blocked whatever it claims.
    assert_refused(r(request(xff=f"203.0.113.66, {FRONT_END_SAW}:6000")))


def test_client_behind_a_trusted_front_door(tmp_path):
    r = Rasp(tmp_path, {"trusted_proxies": ["147.243.0.0/16"]})
    assert_refused(r(request(path="/.env", xff="198.51.100.23, 147.243.10.20:443")))
    assert [e["client"] for e in r.events()] == ["198.51.100.23"]


def test_without_forwarding_there_is_no_client_address(tmp_path):
    r = Rasp(tmp_path, {"brute_force": {"max_errors": 1, "window": 60}})
    codes = [r(request("POST", "/api/login", xff=None)).status_code for _ in range(3)]
    assert codes == [401, 401, 401], "no address: nothing to count or blacklist"
    assert_refused(r(request(query=[("q", XSS)], xff=None)))


@pytest.mark.parametrize("use_async", [False, True])
def test_brute_force_from_function_responses(tmp_path, use_async):
    r = Rasp(tmp_path, {"brute_force": {"max_errors": 2, "window": 60}}, use_async=use_async)
    codes = [r(request("POST", "/api/login")).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 403]
    assert "brute_force" in [e["type"] for e in r.events()]


def test_signature_is_kept_for_the_functions_host(tmp_path):
    sync, async_ = Rasp(tmp_path), Rasp(tmp_path, use_async=True)
    assert inspect.signature(sync.main) == inspect.signature(sync.original)
    assert not inspect.iscoroutinefunction(sync.main)
    assert inspect.iscoroutinefunction(async_.main)
    # The v2 programming model registers the protected function with its binding.
    app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
    app.route(route="search")(sync.main)
    (fn,) = app.get_functions()
    assert fn.get_user_function() is sync.main
    assert [b.name for b in fn.get_bindings()][0] == "req"


def test_body_over_the_limit_is_reported_and_inspected_up_to_it(tmp_path):
    r = Rasp(tmp_path, {"limits": {"max_body": 64}})
    body = json.dumps({"note": XSS, "pad": "x" * 200}).encode()
    assert_refused(
        r(request("POST", "/api/submit", headers={"Content-Type": "application/json"}, body=body))
    )
    assert {"xss", "limit_exceeded"} <= {e["type"] for e in r.events()}


def test_native_call_reads_the_request_pieces(tmp_path):
    engine = Rasp(tmp_path).rasp.engine
    req = request("patch", "/api/caf%C3%A9", query=[("q", "shoes")])
    verdict = engine.inspect_azure(req.method, req.url, req.headers, req.params, req.get_body())
    assert not verdict.blocked
    assert (verdict.method, verdict.path, verdict.client) == ("PATCH", "/api/café", FRONT_END_SAW)
    # Plain dicts do as well, and an explicit peer wins over X-Forwarded-For.
    verdict = engine.inspect_azure(
        "GET", "/api/x?q=1#frag", {"x-forwarded-for": "203.0.113.9"}, {}, None, "192.0.2.77"
    )
    assert (verdict.path, verdict.client) == ("/api/x", "192.0.2.77")
    blocked = engine.inspect_azure("GET", "/api/x", {}, {"q": XSS}, b"")
    assert blocked.blocked, "params are encoded back when the URL has no query"
