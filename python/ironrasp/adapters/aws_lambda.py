"""AWS Lambda: ``rasp = LambdaRASP()`` once per cold start, ``@rasp.register`` on the handler.

HTTP events of API Gateway REST APIs (payload 1.0, also HTTP APIs set to 1.0), HTTP APIs
(payload 2.0), Lambda function URLs (2.0 shape) and Application Load Balancers are inspected;
every other event (SQS, S3, EventBridge...) goes to the handler untouched.

Client address: API Gateway and function URLs state the address of the connection in the
event (``requestContext.identity.sourceIp`` / ``requestContext.http.sourceIp``); that is the
peer. An ALB event has no such field: the ALB appends the address it saw to X-Forwarded-For,
so the rightmost entry is the peer (anything left of it was sent by the client and is only
believed through ``trusted_proxies``, e.g. a CloudFront in front of the ALB).
"""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Mapping
from typing import Any, Callable
from urllib.parse import quote, unquote, urlencode

from ironrasp.adapters.serverless import Admitted, Refusal, ServerlessRASP, rightmost_forwarded

_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    406: "Not Acceptable",
    429: "Too Many Requests",
    503: "Service Unavailable",
}


class HttpEvent:
    """The request pieces of one HTTP event, and how to answer it."""

    __slots__ = (
        "kind",
        "method",
        "path",
        "query",
        "headers",
        "body",
        "truncated",
        "peer",
        "multi_value",
    )

    def __init__(
        self,
        kind: str,
        method: str,
        path: str,
        query: str,
        headers: list[tuple[str, str]],
        body: bytes,
        truncated: bool,
        peer: str,
        multi_value: bool,
    ) -> None:
        self.kind = kind  # "v1", "v2" or "alb"
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.truncated = truncated
        self.peer = peer
        self.multi_value = multi_value


def event_kind(event: Any) -> str | None:
    """ "v1", "v2", "alb", or None for events that are not HTTP requests."""
    if not isinstance(event, Mapping):
        return None
    ctx = event.get("requestContext")
    if not isinstance(ctx, Mapping):
        return None
    if "elb" in ctx and "httpMethod" in event:
        return "alb"
    if event.get("version") == "2.0" and isinstance(ctx.get("http"), Mapping):
        return "v2"
    if "httpMethod" in event:
        return "v1"
    return None


def _pairs(single: Any, multi: Any) -> list[tuple[str, str]]:
    """Name/value pairs from the multi-value map when present (every repeat), else the
    single-value map."""
    out: list[tuple[str, str]] = []
    if isinstance(multi, Mapping) and multi:
        for name, values in multi.items():
            if isinstance(values, (list, tuple)):
                out.extend((str(name), "" if v is None else str(v)) for v in values)
            elif values is not None:
                out.append((str(name), str(values)))
        return out
    if isinstance(single, Mapping):
        out.extend((str(k), "" if v is None else str(v)) for k, v in single.items())
    return out


def _body(event: Mapping[str, Any], limit: int) -> tuple[bytes, bool]:
    raw = event.get("body")
    if raw is None or raw == "":
        return b"", False
    if not isinstance(raw, str):
        raw = str(raw)
    if event.get("isBase64Encoded"):
        # Decode only what is inspected: 4 characters carry 3 bytes.
        chars = (limit // 3 + 1) * 4
        try:
            data = base64.b64decode(raw[:chars])
        except (binascii.Error, ValueError):
            data = raw[:limit].encode("utf-8", "replace")
        truncated = len(raw) > chars or len(data) > limit
        return data[:limit], truncated
    data = raw.encode("utf-8", "replace")
    return data[:limit], len(data) > limit


def parse_event(event: Mapping[str, Any], kind: str, limit: int) -> HttpEvent:
    """Reads the request pieces of an HTTP event of the given kind."""
    ctx = event.get("requestContext") or {}
    body, truncated = _body(event, limit)
    if kind == "v2":
        http = ctx.get("http") or {}
        headers = _pairs(event.get("headers"), None)
        cookies = event.get("cookies")
        if cookies:
            # HTTP APIs move the Cookie header into this list.
            headers.append(("cookie", "; ".join(str(c) for c in cookies)))
        path = str(event.get("rawPath") or http.get("path") or "/")
        if ".lambda-url." in str(ctx.get("domainName", "")):
            path = unquote(path)  # function URLs keep the path percent-encoded; HTTP APIs decode it
        return HttpEvent(
            "v2",
            str(http.get("method") or "GET").upper(),
            path,
            str(event.get("rawQueryString") or ""),
            headers,
            body,
            truncated,
            str(http.get("sourceIp") or ""),
            False,
        )
    multi = "multiValueHeaders" in event and event.get("multiValueHeaders") is not None
    headers = _pairs(event.get("headers"), event.get("multiValueHeaders"))
    params = _pairs(
        event.get("queryStringParameters"), event.get("multiValueQueryStringParameters")
    )
    method = str(event.get("httpMethod") or "GET").upper()
    path = str(event.get("path") or "/")
    if kind == "alb":
        # The ALB passes the query as received (still percent-encoded): rebuild it verbatim.
        query = "&".join(f"{k}={v}" if v != "" else k for k, v in params)
        xff = [v for k, v in headers if k.lower() == "x-forwarded-for"]
        return HttpEvent(
            "alb",
            method,
            unquote(path),
            query,
            headers,
            body,
            truncated,
            rightmost_forwarded(xff),
            multi,
        )
    # API Gateway decodes the parameters: encode them back into one query string.
    query = urlencode(params, quote_via=quote)
    peer = str(((ctx.get("identity") or {}).get("sourceIp")) or "")
    if event.get("version") != "1.0":
        path = unquote(path)  # REST APIs keep the path percent-encoded; HTTP APIs decode it
    return HttpEvent("v1", method, path, query, headers, body, truncated, peer, multi)


def refusal_response(req: HttpEvent, refusal: Refusal) -> dict[str, Any]:
    """The proxy-integration response for a refused request, in the event's own shape."""
    resp: dict[str, Any] = {"statusCode": refusal.status}
    if req.kind == "alb":
        resp["statusDescription"] = f"{refusal.status} {_REASONS.get(refusal.status, 'Forbidden')}"
        if req.multi_value:
            # With multi-value headers on, the ALB reads only multiValueHeaders.
            resp["multiValueHeaders"] = {"Content-Type": [refusal.content_type]}
        else:
            resp["headers"] = {"Content-Type": refusal.content_type}
    else:
        resp["headers"] = {"Content-Type": refusal.content_type}
    resp["body"] = refusal.body
    resp["isBase64Encoded"] = False
    return resp


def response_status(kind: str, result: Any) -> tuple[int | None, list[tuple[str, str]]]:
    """Status and headers of the handler's result, as the platform will read it."""
    if isinstance(result, Mapping) and "statusCode" in result:
        try:
            status = int(result["statusCode"])
        except (TypeError, ValueError):
            return None, []
        headers = _pairs(result.get("headers"), None)
        headers += _pairs(None, result.get("multiValueHeaders"))
        headers += [("set-cookie", str(c)) for c in result.get("cookies") or []]
        return status, headers
    if kind == "v2":
        # Payload 2.0: a result without statusCode is sent as a 200 with the result as body.
        return 200, []
    return None, []


class LambdaRASP(ServerlessRASP):
    """``rasp = LambdaRASP(config=None)``; ``@rasp.register`` on ``handler(event, context)``."""

    def register(self, handler: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        @functools.wraps(handler)
        def protected(event: Any, context: Any = None) -> Any:
            kind = event_kind(event)
            if kind is None:
                return handler(event, context)
            try:
                req = parse_event(event, kind, self.engine.max_body)
            except Exception:
                refusal = self._failed()
                if refusal is None:
                    return handler(event, context)
                return {
                    "statusCode": refusal.status,
                    "headers": {"Content-Type": refusal.content_type},
                    "body": refusal.body,
                    "isBase64Encoded": False,
                }
            outcome = self.inspect(
                req.method, req.path, req.query, req.headers, req.body, req.peer, req.truncated
            )
            if isinstance(outcome, Refusal):
                return refusal_response(req, outcome)
            result = handler(event, context)
            if isinstance(outcome, Admitted):
                status, headers = response_status(kind, result)
                if status is not None:
                    self.record_response(outcome, status, headers)
            return result

        protected.ironrasp = self  # type: ignore[attr-defined]
        return protected
