"""WsgiRASP around a plain WSGI framework (Bottle), driven by WebTest."""

from __future__ import annotations

import io
import json
import warnings

import bottle
import pytest

with warnings.catch_warnings():
    # WebOb (under WebTest) still imports the stdlib `cgi` module, deprecated since 3.11.
    warnings.simplefilter("ignore", DeprecationWarning)
    import webtest

from conftest import fresh_ip
from ironrasp import WsgiRASP

CMDI = "1; cat /etc/passwd"
TRAVERSAL = "../../../../etc/passwd"
SQLI = "1' OR '1'='1' --"
XSS = "<script>alert(1)</script>"
ATTACKS = [("cmdi", CMDI), ("path_traversal", TRAVERSAL), ("sqli", SQLI), ("xss", XSS)]


def make_app() -> bottle.Bottle:
    app = bottle.Bottle()

    @app.get("/")
    def index():
        bottle.response.set_header("X-App", "shop")
        return "home"

    @app.get("/search")
    def search():
        return {"q": bottle.request.query.getall("q"), "tags": bottle.request.query.getall("tags")}

    @app.post("/submit")
    def submit():
        files = {k: [f.filename, f.file.read().decode()] for k, f in bottle.request.files.items()}
        return {
            "form": {
                k: bottle.request.forms.getall(k)
                for k in bottle.request.forms.keys()
                if k not in files
            },
            "files": files,
            "json": bottle.request.json,
            "length": bottle.request.content_length,
        }

    @app.post("/login")
    def login():
        bottle.response.status = 401
        return "no"

    return app


class Web:
    def __init__(self, tmp_path, config: dict | None = None, ip: str | None = None) -> None:
        self.events_file = tmp_path / "events.jsonl"
        cfg = {"log": {"console": "off", "banner": False, "json_file": str(self.events_file)}}
        cfg.update(config or {})
        self.rasp = WsgiRASP(make_app(), config=cfg)
        self.ip = ip or fresh_ip()
        self.t = webtest.TestApp(self.rasp, extra_environ={"REMOTE_ADDR": self.ip})

    def events(self) -> list[dict]:
        self.rasp.engine.flush()
        if not self.events_file.exists():
            return []
        return [json.loads(line) for line in self.events_file.read_text().splitlines() if line]


def send(w: Web, where: str, payload: str):
    if where == "query":
        return w.t.get("/search", {"q": payload}, expect_errors=True)
    if where == "form":
        return w.t.post("/submit", {"comment": payload}, expect_errors=True)
    if where == "multipart":
        return w.t.post(
            "/submit", {"comment": payload}, upload_files=[("f", "a.txt", b"x")], expect_errors=True
        )
    if where == "json":
        return w.t.post_json(
            "/submit", {"order": {"items": [{"name": payload}]}}, expect_errors=True
        )
    if where == "header":
        return w.t.get("/search", headers={"X-Note": payload}, expect_errors=True)
    if where == "cookie":
        w.t.set_cookie("pref", payload)
        return w.t.get("/search", expect_errors=True)
    raise AssertionError(where)


EXPECTED_KIND = {
    "query": "qs_values",
    "form": "form_values",
    "multipart": "multipart_values",
    "json": "json_values",
    "header": "headers_values",
    "cookie": "cookies_values",
}


@pytest.mark.parametrize("where", list(EXPECTED_KIND))
@pytest.mark.parametrize("check,payload", ATTACKS)
def test_attack_is_refused(tmp_path, where, check, payload):
    w = Web(tmp_path)
    r = send(w, where, payload)
    assert r.status_int == 403, r.body
    assert r.body == b"Forbidden"
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    ev = [e for e in w.events() if e["type"] == check]
    assert ev, w.events()
    assert ev[0]["location"]["kind"] == EXPECTED_KIND[where]
    assert ev[0]["client"] == w.ip


def test_benign_requests_pass_unchanged(tmp_path):
    w = Web(tmp_path)
    r = w.t.get("/")
    assert (r.status_int, r.body, r.headers["X-App"]) == (200, b"home", "shop")
    r = w.t.get("/search", [("q", "O'Brien & co"), ("tags", "red"), ("tags", "blue")])
    assert r.json == {"q": ["O'Brien & co"], "tags": ["red", "blue"]}
    order = {"city": "Lyon", "note": "Tom & Jerry", "items": [{"sku": "A-1407"}]}
    assert w.t.post_json("/submit", order).json["json"] == order
    r = w.t.post("/submit", {"a": "1"}, upload_files=[("f", "n.txt", b"file-bytes")])
    assert r.json["files"] == {"f": ["n.txt", "file-bytes"]} and r.json["form"] == {"a": ["1"]}
    assert w.events() == []


def test_body_over_the_limit_reaches_the_app_whole(tmp_path):
    w = Web(tmp_path, {"limits": {"max_body": 32}})
    fields = {f"k{i}": "v" * 20 for i in range(10)}
    r = w.t.post("/submit", fields)
    assert r.json["form"] == {k: [v] for k, v in fields.items()}
    assert "limit_exceeded" in [e["type"] for e in w.events()]


def test_client_address_with_and_without_a_trusted_proxy(tmp_path):
    w = Web(tmp_path)
    w.t.get("/.env", headers={"X-Forwarded-For": "203.0.113.66"}, expect_errors=True)
    assert [e["client"] for e in w.events()] == [w.ip]
    attacker = fresh_ip()
    (tmp_path / "proxy").mkdir()
    p = Web(tmp_path / "proxy", {"trusted_proxies": ["10.0.0.0/8"]}, ip="10.9.8.7")
    p.t.get("/.env", headers={"X-Forwarded-For": f"203.0.113.66, {attacker}"}, expect_errors=True)
    assert [ip for ip, _ in p.rasp.engine.blacklist()] == [attacker]


def test_brute_force_from_error_responses(tmp_path):
    w = Web(tmp_path, {"brute_force": {"max_errors": 2, "window": 60}})
    codes = [w.t.post("/login", {"p": str(i)}, expect_errors=True).status_int for i in range(4)]
    assert codes == [401, 401, 401, 403]
    assert "brute_force" in [e["type"] for e in w.events()]


def _recording_app(seen: list, status: str = "200 OK"):
    """A WSGI app that records the start_response it was handed."""

    def app(environ, start_response):
        seen.append(start_response)
        start_response(status, [("Content-Type", "text/plain")])
        return [b"ok"]

    return app


def _env(ip: str, path: str = "/") -> dict:
    return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "REMOTE_ADDR": ip}


def test_response_checks_see_only_the_statuses_they_act_on(tmp_path):
    w = Web(tmp_path, {"brute_force": {"max_errors": 1, "window": 60}})
    for _ in range(5):  # 200s are no brute-force status: never counted
        assert w.t.get("/search", {"q": "shoes"}).status_int == 200
    assert "brute_force" not in [e["type"] for e in w.events()]
    assert w.t.post("/login", {"p": "x"}, expect_errors=True).status_int == 401
    assert w.t.post("/login", {"p": "y"}, expect_errors=True).status_int == 401
    assert w.t.get("/", expect_errors=True).status_int == 403, "the 401s were counted"
    assert "brute_force" in [e["type"] for e in w.events()]


def test_start_response_is_watched_only_while_a_response_check_is_on():
    server_calls = []

    def server_start_response(status, headers, exc_info=None):
        server_calls.append((status, headers, exc_info))
        return "write"

    cfg = {"log": {"console": "off", "banner": False}}
    seen: list = []
    off = WsgiRASP(_recording_app(seen), config={**cfg, "brute_force": {"enabled": False}})
    assert list(off(_env(fresh_ip()), server_start_response)) == [b"ok"]
    assert seen[-1] is server_start_response, "nothing to watch: the server's own is handed on"

    on = WsgiRASP(_recording_app(seen), config=cfg)
    assert list(on(_env(fresh_ip()), server_start_response)) == [b"ok"]
    watch = seen[-1]
    assert watch is not server_start_response
    # It forwards status, headers and exc_info unchanged, and returns the server's write.
    err = (ValueError, ValueError("x"), None)
    assert watch("500 Oops", [("X-A", "1")], err) == "write"
    assert server_calls[-1] == ("500 Oops", [("X-A", "1")], err)
    assert watch("200 OK", []) == "write"
    assert server_calls[-1] == ("200 OK", [], None)
    # A status line that is not one still reaches the server (the server judges it).
    assert watch("OK", []) == "write"
    assert server_calls[-1][0] == "OK"


def test_a_start_response_kept_in_a_cycle_is_collected():
    import gc
    import weakref

    class Handler:  # a server's handler, whose bound method is the start_response
        def start_response(self, status, headers, exc_info=None):
            return None

    seen: list = []
    rasp = WsgiRASP(_recording_app(seen), config={"log": {"console": "off", "banner": False}})
    handler = Handler()
    list(rasp(_env(fresh_ip()), handler.start_response))
    handler.kept = seen.pop()  # handler -> watch -> bound method -> handler
    gone = weakref.ref(handler)
    del handler
    gc.collect()
    assert gone() is None


def test_the_response_check_counts_errors_per_client(tmp_path):
    cfg = {
        "log": {"console": "off", "banner": False},
        "brute_force": {"max_errors": 2, "window": 60},
    }
    seen: list = []
    rasp = WsgiRASP(_recording_app(seen, "404 Not Found"), config=cfg)
    one, other = fresh_ip(), fresh_ip()
    statuses: list[str] = []
    for _ in range(3):
        list(rasp(_env(one, "/missing"), lambda s, h, e=None: statuses.append(s)))
    assert [s[:3] for s in statuses] == ["404", "404", "404"]
    refused = []
    list(rasp(_env(one), lambda s, h, e=None: refused.append(s)))
    assert refused[0].startswith("403"), "three 404s from one client blacklist it"
    passed = []
    list(rasp(_env(other), lambda s, h, e=None: passed.append(s)))
    assert passed[0].startswith("404"), "another client is not affected"
    assert [ip for ip, _ in rasp.engine.blacklist()] == [one]


def test_a_failing_response_check_is_logged_and_the_response_still_goes_out(caplog):
    seen: list = []
    cfg = {"log": {"console": "off", "banner": False}}
    rasp = WsgiRASP(_recording_app(seen, "401 Unauthorized"), config=cfg)
    out = []
    body = rasp(_env(fresh_ip()), lambda s, h, e=None: out.append(s))
    assert out == ["401 Unauthorized"] and list(body) == [b"ok"]
    # Headers that are not (name, value) pairs make the response check fail, not the response.
    with caplog.at_level("ERROR", logger="ironrasp"):
        assert seen[-1]("401 Unauthorized", [("X-Ok", "1"), 42]) is None
    assert out[-1] == "401 Unauthorized"
    assert "response inspection failed" in caplog.text


def test_a_request_without_a_body_keeps_its_input_stream(tmp_path):
    import io

    seen = []

    def app(environ, start_response):
        seen.append(environ["wsgi.input"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [environ["wsgi.input"].read()]

    rasp = WsgiRASP(app, config={"log": {"console": "off", "banner": False}})
    for terminated in (False, True):  # gunicorn marks every input terminated
        stream = io.BytesIO(b"")
        env = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/",
            "QUERY_STRING": "q=1",
            "REMOTE_ADDR": fresh_ip(),
            "wsgi.input": stream,
            "wsgi.input_terminated": terminated,
        }
        assert list(rasp(env, lambda s, h, e=None: None)) == [b""]
        assert seen[-1] is stream
    body = b"q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"
    env = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "QUERY_STRING": "",
        "REMOTE_ADDR": fresh_ip(),
        "wsgi.input": io.BytesIO(body),
        "wsgi.input_terminated": True,
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
    }
    statuses = []
    out = rasp(env, lambda s, h, e=None: statuses.append(s))
    assert statuses[0].startswith("403"), "a terminated body without a length is still read"
    assert b"".join(out) == b"Forbidden"


def test_a_repeated_request_is_remembered_whole_and_still_meets_the_clients_checks(tmp_path):
    w = Web(tmp_path, {"flood": {"max_requests": 4, "window": 60}})
    for _ in range(4):
        assert w.t.get("/search", {"q": "running shoes"}).json == {
            "q": ["running shoes"],
            "tags": [],
        }
    assert w.rasp.engine.stats()["remembered"] == 3
    # The fifth repeat is one request too many for this client, remembered or not.
    assert w.t.get("/search", {"q": "running shoes"}, expect_errors=True).status_int == 403
    assert [e["type"] for e in w.events()] == ["flood"]
    # An attack is never remembered: refused and reported every time.
    other = webtest.TestApp(w.rasp, extra_environ={"REMOTE_ADDR": fresh_ip()})
    for _ in range(2):
        assert other.get("/search", {"q": SQLI}, expect_errors=True).status_int == 403
    assert [e["type"] for e in w.events()].count("sqli") == 2


def test_a_remembered_request_keeps_its_client_path_and_response_checks(tmp_path):
    """A request seen whole and clean is answered from the few environ entries its client
    checks read: the client behind a trusted proxy, the mounted path (SCRIPT_NAME) its
    responses are counted under, and an untrusted peer sending the same request."""
    events = tmp_path / "events.jsonl"
    seen: list[str] = []

    def app(environ, start_response):
        seen.append(environ["ironrasp.client"])
        start_response("401 Unauthorized", [("Content-Type", "text/plain")])
        return [b"no"]

    rasp = WsgiRASP(
        app,
        config={
            "log": {"console": "off", "banner": False, "json_file": str(events)},
            "trusted_proxies": ["10.0.0.0/8"],
            "brute_force": {"max_errors": 2, "window": 60},
        },
    )
    client, proxy, direct = fresh_ip(), "10.1.2.3", fresh_ip()

    def call(peer: str) -> str:
        env = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "/shop",
            "PATH_INFO": "/account",
            "QUERY_STRING": "tab=orders",
            "REMOTE_ADDR": peer,
            "HTTP_HOST": "shop.example",
            "HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0",
            "HTTP_X_FORWARDED_FOR": client,
            "wsgi.input": io.BytesIO(b""),
        }
        statuses: list[str] = []
        b"".join(rasp(env, lambda s, h, e=None: statuses.append(s)))
        return statuses[0][:3]

    assert [call(proxy) for _ in range(3)] == ["401", "401", "401"]
    assert rasp.engine.stats()["remembered"] == 2
    assert seen == [client] * 3, "resolved through the trusted proxy on every request"
    # The same request from a peer that is no proxy of ours: the peer is the client.
    assert call(direct) == "401"
    assert seen[-1] == direct
    assert rasp.engine.stats()["remembered"] == 3
    # The proxied client's three 401s (over max_errors) were counted under the mounted path:
    # now refused.
    assert call(proxy) == "403"
    rasp.engine.flush()
    logged = [json.loads(line) for line in events.read_text().splitlines()]
    brute = [e for e in logged if e["type"] == "brute_force"]
    assert [(e["client"], e["path"]) for e in brute] == [(client, "/shop/account")]


def test_a_request_remembered_but_for_its_trace_id_still_inspects_the_id(tmp_path):
    """Platforms and proxies give every request a new trace id (X-Request-Id, traceparent):
    the request is remembered but for that value, which is inspected every time."""
    w = Web(tmp_path)

    def get(request_id: str):
        return w.t.get(
            "/search",
            {"q": "running shoes"},
            headers={"X-Request-Id": request_id},
            expect_errors=True,
        )

    for i in range(4):
        assert get(f"{(i + 1) * 0x9E3779B97F4A7C15 & (2**64 - 1):016x}").status_int == 200
    assert w.rasp.engine.stats()["remembered"] == 3
    assert get(SQLI).status_int == 403
    assert get(XSS).status_int == 403
    assert [(e["type"], e["location"]["kind"]) for e in w.events()] == [
        ("sqli", "headers_values"),
        ("xss", "headers_values"),
    ]
    assert get("0af7651916cd43dd8448eb211c80319c").status_int == 200
    assert w.rasp.engine.stats()["remembered"] == 6


def test_a_bottle_apps_routes_are_collected(tmp_path):
    app = make_app()

    @app.get("/items/<item_id:int>")
    def item(item_id):
        return {"id": item_id}

    @app.get("/pages/<name>.html")
    def page(name):
        return name

    @app.route("/files/<filepath:path>", method="ANY")
    def files(filepath):
        return filepath

    child = bottle.Bottle()

    @child.get("/status")
    def status():
        return "ok"

    app.mount("/admin/", child)
    w = Web.__new__(Web)
    w.events_file = tmp_path / "events.jsonl"
    w.rasp = WsgiRASP(
        app,
        config={"log": {"console": "off", "banner": False, "json_file": str(w.events_file)}},
    )
    w.t = webtest.TestApp(w.rasp, extra_environ={"REMOTE_ADDR": fresh_ip()})
    for path in ["/", "/items/12", "/pages/about.html", "/files/a/b/c.txt", "/admin/status"]:
        assert w.t.get(path).status_int == 200, path
    assert w.t.delete("/files/x").status_int == 200
    assert w.rasp.engine.route_count() == 8
    assert [e for e in w.events() if e["type"] in ("unrouted_path", "method_not_allowed")] == []
    assert w.t.get("/no-such-page", expect_errors=True).status_int == 404
    assert w.t.delete("/search", expect_errors=True).status_int == 405
    assert {e["type"] for e in w.events()} == {"unrouted_path", "method_not_allowed"}


def test_bottle_rules_become_templates():
    from ironrasp.adapters.bottle_routes import bottle_routes, bottle_rule_to_template

    cases = {
        "/hello/<name>": "/hello/{name}",
        "/o/<id:int>/<x:float>": "/o/{id}/{x}",
        "/s/<p:path>": "/s/{p:path}",
        "/r/<x:re:[a-z/]+>": "/r/{x:path}",
        "/m/<:re:.*>": "/m/{_1:path}",
        "/old/:name": "/old/{name}",
        "/old/:n#[0-9]+#": "/old/{n:path}",
        "/esc/\\<name>": "/esc/<name>",
    }
    for rule, template in cases.items():
        assert bottle_rule_to_template(rule) == template, rule
    assert bottle_routes(object()) is None
    assert bottle_routes(lambda environ, start_response: []) is None
