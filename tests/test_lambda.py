"""LambdaRASP with events in the documented shapes of each HTTP trigger (tests/fixtures/lambda)."""

from __future__ import annotations

import base64
import copy
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

from ironrasp import LambdaRASP

FIXTURES = Path(__file__).parent / "fixtures" / "lambda"
KINDS = ["apigw_rest_v1", "apigw_http_v2", "function_url", "alb", "alb_multi_value"]
SOURCE_IP = {
    "apigw_rest_v1": "192.0.2.10",
    "apigw_http_v2": "192.0.2.20",
    "function_url": "192.0.2.30",
    "alb": "192.0.2.40",
    "alb_multi_value": "192.0.2.50",
}
CMDI = "1; cat /etc/passwd"
TRAVERSAL = "../../../../etc/passwd"
SQLI = "1' OR '1'='1' --"
XSS = "<script>alert(1)</script>"
ATTACKS = [("cmdi", CMDI), ("path_traversal", TRAVERSAL), ("sqli", SQLI), ("xss", XSS)]


def load(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


# --- editing events in their own shape ---------------------------------------------------------


def is_v2(e: dict) -> bool:
    return e.get("version") == "2.0"


def is_alb(e: dict) -> bool:
    return "elb" in e["requestContext"]


def set_query(e: dict, pairs: list[tuple[str, str]]) -> None:
    if is_v2(e):
        e["rawQueryString"] = urlencode(pairs, quote_via=quote)
        joined: dict[str, list[str]] = {}
        for k, v in pairs:
            joined.setdefault(k, []).append(v)
        e["queryStringParameters"] = {k: ",".join(vs) for k, vs in joined.items()}
        return
    # An ALB passes values still encoded; API Gateway decodes them.
    enc = (lambda s: quote(s, safe="")) if is_alb(e) else (lambda s: s)
    multi: dict[str, list[str]] = {}
    for k, v in pairs:
        multi.setdefault(enc(k), []).append(enc(v))
    if "multiValueQueryStringParameters" in e:
        e["multiValueQueryStringParameters"] = multi
    if "queryStringParameters" in e or not is_alb(e):
        e["queryStringParameters"] = {k: vs[-1] for k, vs in multi.items()}


def set_header(e: dict, name: str, value: str) -> None:
    if is_v2(e) or is_alb(e):
        name = name.lower()
    if "headers" in e:
        e["headers"][name] = value
    if "multiValueHeaders" in e:
        e["multiValueHeaders"].setdefault(name, []).append(value)


def set_method(e: dict, method: str) -> None:
    if is_v2(e):
        e["requestContext"]["http"]["method"] = method
    else:
        e["httpMethod"] = method
        if "httpMethod" in e["requestContext"]:
            e["requestContext"]["httpMethod"] = method


def set_path(e: dict, path: str) -> None:
    if is_v2(e):
        e["rawPath"] = e["requestContext"]["http"]["path"] = path
    else:
        e["path"] = path


def set_body(e: dict, data: bytes, content_type: str, b64: bool = False) -> None:
    set_method(e, "POST")
    set_header(e, "Content-Type", content_type)
    e["body"] = base64.b64encode(data).decode() if b64 else data.decode()
    e["isBase64Encoded"] = b64


def event(kind: str, where: str | None = None, payload: str = "") -> dict[str, Any]:
    e = load(kind)
    if where == "query":
        set_query(e, [("q", payload), ("tags", "red")])
    elif where == "json":
        set_body(
            e, json.dumps({"order": {"items": [{"name": payload}]}}).encode(), "application/json"
        )
    elif where == "json_base64":
        set_body(e, json.dumps({"note": payload}).encode(), "application/json", b64=True)
    elif where == "form":
        set_body(e, urlencode({"comment": payload}).encode(), "application/x-www-form-urlencoded")
    elif where == "header":
        set_header(e, "X-Note", payload)
    return e


# --- a handler and its protection ---------------------------------------------------------------


class Rasp:
    def __init__(self, tmp_path, config: dict | None = None) -> None:
        self.events_file = tmp_path / "events.jsonl"
        cfg = {"log": {"console": "off", "banner": False, "json_file": str(self.events_file)}}
        cfg.update(config or {})
        self.rasp = LambdaRASP(config=cfg)
        self.calls: list[dict] = []

        @self.rasp.register
        def handler(event, context):
            self.calls.append(event)
            path = event.get("rawPath") or event.get("path")
            if path == "/login":
                return {
                    "statusCode": 401,
                    "headers": {"Content-Type": "text/plain"},
                    "body": "no",
                    "isBase64Encoded": False,
                }
            return {
                "statusCode": 200,
                "headers": {"Content-Type": "application/json", "X-App": "shop"},
                "body": json.dumps({"ok": True}),
                "isBase64Encoded": False,
            }

        self.handler = handler

    def __call__(self, e: dict) -> Any:
        return self.handler(e, None)

    def events(self) -> list[dict]:
        self.rasp.engine.flush()
        if not self.events_file.exists():
            return []
        return [json.loads(line) for line in self.events_file.read_text().splitlines() if line]


def assert_refused(kind: str, resp: dict) -> None:
    assert resp["statusCode"] == 403
    assert resp["body"] == "Forbidden"
    assert resp["isBase64Encoded"] is False
    if kind == "alb_multi_value":
        assert set(resp) == {
            "statusCode",
            "statusDescription",
            "multiValueHeaders",
            "body",
            "isBase64Encoded",
        }
        assert resp["multiValueHeaders"] == {"Content-Type": ["text/plain; charset=utf-8"]}
    else:
        assert resp["headers"] == {"Content-Type": "text/plain; charset=utf-8"}
    if kind.startswith("alb"):
        assert resp["statusDescription"] == "403 Forbidden"
    else:
        assert set(resp) == {"statusCode", "headers", "body", "isBase64Encoded"}


@pytest.mark.parametrize("kind", KINDS)
def test_benign_event_passes_unchanged(tmp_path, kind):
    r = Rasp(tmp_path)
    e = event(kind, "query", "O'Brien & co")
    sent = copy.deepcopy(e)
    resp = r(e)
    assert resp == {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json", "X-App": "shop"},
        "body": '{"ok": true}',
        "isBase64Encoded": False,
    }
    assert r.calls == [sent], "the handler sees the event exactly as sent"
    e = event(kind, "json", "Leave it with O'Brien at the door")
    assert r(e)["statusCode"] == 200
    assert [x for x in r.events() if x["type"] != "limit_exceeded"] == []


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("where", ["query", "json", "json_base64", "form", "header"])
@pytest.mark.parametrize("check,payload", ATTACKS)
def test_attack_is_refused_in_the_event_shape(tmp_path, kind, where, check, payload):
    r = Rasp(tmp_path)
    resp = r(event(kind, where, payload))
    assert_refused(kind, resp)
    assert r.calls == [], "the handler is not called"
    ev = [x for x in r.events() if x["type"] == check]
    assert ev, r.events()
    assert ev[0]["client"] == SOURCE_IP[kind]


@pytest.mark.parametrize("kind", ["apigw_rest_v1", "alb_multi_value"])
def test_every_value_of_a_multi_value_header_is_inspected(tmp_path, kind):
    r = Rasp(tmp_path)
    e = load(kind)
    e["multiValueHeaders"]["x-note"] = ["harmless", XSS]
    e.get("headers", {})["x-note"] = "harmless"  # REST keeps only one value here
    assert_refused(kind, r(e))


@pytest.mark.parametrize("kind", ["apigw_rest_v1", "alb_multi_value", "apigw_http_v2"])
def test_repeated_query_parameters_are_all_inspected(tmp_path, kind):
    r = Rasp(tmp_path)
    e = load(kind)
    set_query(e, [("tags", "red"), ("tags", XSS), ("tags", "blue")])
    if "queryStringParameters" in e and not is_v2(e):
        e["queryStringParameters"]["tags"] = "blue"  # the single-value map keeps the last one
    assert_refused(kind, r(e))


@pytest.mark.parametrize("kind", ["apigw_http_v2", "function_url"])
def test_v2_cookies_list_is_inspected(tmp_path, kind):
    r = Rasp(tmp_path)
    e = load(kind)
    e["cookies"] = ["session=abc", "pref=" + quote(XSS)]
    assert_refused(kind, r(e))
    assert [x["location"]["kind"] for x in r.events() if x["type"] == "xss"] == ["cookies_values"]


def test_alb_client_is_the_address_the_alb_appended(tmp_path):
    r = Rasp(tmp_path)
    e = load("alb")
    e["headers"]["x-forwarded-for"] = "203.0.113.66, 192.0.2.40"  # client-sent, then ALB's
    set_path(e, "/.env")
    assert_refused("alb", r(e))
    assert [ip for ip, _ in r.rasp.engine.blacklist()] == ["192.0.2.40"]


def test_alb_behind_a_trusted_proxy_gives_the_client_before_it(tmp_path):
    # CloudFront (a trusted proxy) in front of the ALB: the ALB appends CloudFront's address.
    r = Rasp(tmp_path, {"trusted_proxies": ["130.176.0.0/16"]})
    e = load("alb_multi_value")
    e["multiValueHeaders"]["x-forwarded-for"] = ["198.51.100.23, 130.176.1.2"]
    set_path(e, "/.env")
    assert_refused("alb_multi_value", r(e))
    assert [x["client"] for x in r.events()] == ["198.51.100.23"]


@pytest.mark.parametrize("kind", ["apigw_rest_v1", "apigw_http_v2"])
def test_api_gateway_client_is_the_source_ip_not_the_headers(tmp_path, kind):
    r = Rasp(tmp_path)
    e = load(kind)
    set_header(e, "X-Forwarded-For", "203.0.113.66")
    set_path(e, "/.env")
    assert_refused(kind, r(e))
    assert [x["client"] for x in r.events()] == [SOURCE_IP[kind]]


@pytest.mark.parametrize("kind", KINDS)
def test_brute_force_from_handler_responses(tmp_path, kind):
    r = Rasp(tmp_path, {"brute_force": {"max_errors": 2, "window": 60}})
    codes = []
    for _ in range(4):
        e = load(kind)
        set_path(e, "/login")
        codes.append(r(e)["statusCode"])
    assert codes == [401, 401, 401, 403]
    assert "brute_force" in [x["type"] for x in r.events()]


@pytest.mark.parametrize("name", ["sqs", "s3"])
def test_non_http_events_pass_straight_through(tmp_path, name):
    r = Rasp(tmp_path)
    e = load(name)  # their contents would be attacks in an HTTP request
    sent = copy.deepcopy(e)
    assert r(e)["statusCode"] == 200
    assert r.calls == [sent]
    assert r.events() == []


def test_declared_routes_turn_on_validation(tmp_path):
    r = Rasp(tmp_path)
    r.rasp.set_routes([("/search", ["get"]), ("/login", [])])
    assert r(load("apigw_http_v2"))["statusCode"] == 200
    e = load("apigw_http_v2")
    set_path(e, "/nope")
    assert r(e)["statusCode"] == 200
    assert [x["type"] for x in r.events()] == ["unrouted_path"]


def test_body_over_the_limit_is_reported_and_inspected_up_to_it(tmp_path):
    r = Rasp(tmp_path, {"limits": {"max_body": 32}})
    e = load("apigw_rest_v1")
    set_body(e, b'{"pad": "' + b"x" * 200 + b'"}', "application/json", b64=True)
    assert r(e)["statusCode"] == 200
    assert "limit_exceeded" in [x["type"] for x in r.events()]


def test_the_engine_is_built_once_per_cold_start(tmp_path):
    r = Rasp(tmp_path)
    engine = r.rasp.engine
    e = load("apigw_rest_v1")
    set_path(e, "/.env")
    assert_refused("apigw_rest_v1", r(e))
    # The next invocation in the same instance remembers the blacklisted address.
    assert_refused("apigw_rest_v1", r(load("apigw_rest_v1")))
    assert r.rasp.engine is engine and r.handler.ironrasp is r.rasp


# --- the native reading of events (engine.inspect_lambda) ---------------------------------------


def test_base64_body_with_line_breaks_and_no_padding_is_decoded(tmp_path):
    r = Rasp(tmp_path)
    e = load("apigw_rest_v1")
    set_body(e, json.dumps({"note": XSS + "!"}).encode(), "application/json", b64=True)
    text = e["body"].rstrip("=")
    e["body"] = "\n".join(text[i : i + 16] for i in range(0, len(text), 16))
    assert_refused("apigw_rest_v1", r(e))
    assert [x["type"] for x in r.events() if x["type"] == "xss"] == ["xss"]


def test_body_flagged_base64_that_is_not_base64_is_inspected_as_sent(tmp_path):
    r = Rasp(tmp_path)
    e = load("apigw_http_v2")
    set_body(e, json.dumps({"note": XSS}).encode(), "application/json")
    e["isBase64Encoded"] = True  # wrong flag: the text is not base64 at all
    assert_refused("apigw_http_v2", r(e))


@pytest.mark.parametrize(
    "kind,method_path",
    [
        ("apigw_rest_v1", ("POST", "/caf\u00e9 au lait")),  # REST keeps the path encoded
        ("function_url", ("POST", "/caf\u00e9 au lait")),  # so do function URLs
        ("apigw_http_v2", ("POST", "/caf%C3%A9%20au%20lait")),  # HTTP APIs decoded it already
        ("alb", ("POST", "/caf\u00e9 au lait")),
    ],
)
def test_verdict_carries_method_and_path_as_read(tmp_path, kind, method_path):
    r = Rasp(tmp_path)
    e = load(kind)
    set_method(e, "post")
    set_path(e, "/caf%C3%A9%20au%20lait")
    verdict = r.rasp.engine.inspect_lambda(e, "v2" if is_v2(e) else "alb" if is_alb(e) else "v1")
    assert not verdict.blocked
    assert (verdict.method, verdict.path) == method_path
    assert verdict.client == SOURCE_IP[kind]


def test_http_api_payload_1_0_path_is_not_decoded_again(tmp_path):
    r = Rasp(tmp_path)
    e = load("apigw_rest_v1")
    e["version"] = "1.0"  # an HTTP API set to payload 1.0: the path arrives decoded
    set_path(e, "/100%25 cotton")
    assert r.rasp.engine.inspect_lambda(e, "v1").path == "/100%25 cotton"


@pytest.mark.parametrize("kind", KINDS)
def test_odd_event_shapes_pass_without_crashing(tmp_path, kind):
    r = Rasp(tmp_path)
    e = load(kind)
    e["headers"] = ["not", "a", "mapping"]
    e["multiValueHeaders"] = None
    e["queryStringParameters"] = "q=1"
    e["multiValueQueryStringParameters"] = {"n": 7, "none": None, "list": [1, None, "x"]}
    e["cookies"] = "single=cookie"
    e["body"] = {"already": "parsed"}
    e["requestContext"]["identity"] = None
    e["requestContext"]["http"] = {"method": None, "sourceIp": 12}
    e["rawPath"] = None
    sent = copy.deepcopy(e)
    assert r(e)["statusCode"] == 200
    assert r.calls == [sent]


@pytest.mark.parametrize("event_", [None, "GET /", ["httpMethod"], 42, {"requestContext": None}])
def test_events_that_are_not_http_requests_pass_straight_through(event_):
    calls = []
    handler = LambdaRASP(config={"log": {"console": "off", "banner": False}}).register(
        lambda e, c: calls.append(e) or "done"
    )
    assert handler(event_, None) == "done"
    assert calls == [event_]


def test_native_call_rejects_bad_arguments_clearly(tmp_path):
    engine = Rasp(tmp_path).rasp.engine
    with pytest.raises(ValueError, match='unknown Lambda event kind "v3"'):
        engine.inspect_lambda(load("apigw_rest_v1"), "v3")
    with pytest.raises(ValueError, match="must be a dict"):
        engine.inspect_lambda(["not", "an", "event"], "v1")


class _BrokenEngine:
    """An engine whose inspection fails: the adapter must fail open, or closed by config."""

    max_body = 1024
    block_status = 403
    block_body = "Forbidden"
    block_content_type = "text/plain; charset=utf-8"

    def __init__(self, fail_closed: bool) -> None:
        self.fail_closed = fail_closed

    def inspect_lambda(self, event, kind):
        raise RuntimeError("engine broke")


@pytest.mark.parametrize("kind", ["apigw_rest_v1", "alb_multi_value"])
def test_engine_failure_fails_open_or_closed_in_the_event_shape(kind):
    calls = []
    opened = LambdaRASP(engine=_BrokenEngine(fail_closed=False)).register(
        lambda e, c: calls.append(e) or {"statusCode": 200}
    )
    assert opened(load(kind), None) == {"statusCode": 200} and len(calls) == 1
    closed = LambdaRASP(engine=_BrokenEngine(fail_closed=True)).register(
        lambda e, c: calls.append(e) or {"statusCode": 200}
    )
    assert_refused(kind, closed(load(kind), None))
    assert len(calls) == 1


def test_handler_results_are_read_as_the_platform_reads_them(tmp_path):
    r = Rasp(tmp_path, {"brute_force": {"max_errors": 2, "window": 60}})
    engine = r.rasp.engine
    args = ("192.0.2.99", "POST", "/login")
    for result in (
        {"statusCode": "401", "multiValueHeaders": {"X-A": ["1", "2"]}, "cookies": ["a=b"]},
        {"statusCode": 401.0, "headers": None},
        {"statusCode": 401},
    ):
        assert engine.inspect_lambda_response(*args, "v1", result) is not None
    assert "brute_force" in [x["type"] for x in r.events()]
    # No status to count: a bad statusCode, or a bare result outside payload 2.0.
    assert engine.inspect_lambda_response(*args, "v1", {"statusCode": "teapot"}) is None
    assert engine.inspect_lambda_response(*args, "alb", "plain text") is None
    assert engine.inspect_lambda_response(*args, "v2", "plain text") is not None  # sent as 200
