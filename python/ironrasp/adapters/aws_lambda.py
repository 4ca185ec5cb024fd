"""AWS Lambda: ``rasp = LambdaRASP()`` once per cold start, ``@rasp.register`` on the handler.

HTTP events of API Gateway REST APIs (payload 1.0, also HTTP APIs set to 1.0), HTTP APIs
(payload 2.0), Lambda function URLs (2.0 shape) and Application Load Balancers are inspected;
every other event (SQS, S3, EventBridge...) goes to the handler untouched.

The event dict itself is handed to the engine (``inspect_lambda``): headers and their
multi-value repeats, query parameters, v2 cookies, base64 bodies and the client address are
read in Rust, and inspected with the GIL released. The handler's result goes the same way
(``inspect_lambda_response``). One native call each; no Python loop over the request.

Client address: API Gateway and function URLs state the address of the connection in the
event (``requestContext.identity.sourceIp`` / ``requestContext.http.sourceIp``); that is the
peer. An ALB event has no such field: the ALB appends the address it saw to X-Forwarded-For,
so the rightmost entry is the peer (anything left of it was sent by the client and is only
believed through ``trusted_proxies``, e.g. a CloudFront in front of the ALB).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from ironrasp.adapters.serverless import Admitted, Refusal, ServerlessRASP, log

_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    406: "Not Acceptable",
    429: "Too Many Requests",
    503: "Service Unavailable",
}


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


def refusal_response(event: Mapping[str, Any], kind: str, refusal: Refusal) -> dict[str, Any]:
    """The proxy-integration response for a refused request, in the event's own shape."""
    resp: dict[str, Any] = {"statusCode": refusal.status}
    if kind == "alb":
        resp["statusDescription"] = f"{refusal.status} {_REASONS.get(refusal.status, 'Forbidden')}"
        if event.get("multiValueHeaders") is not None:
            # With multi-value headers on, the ALB reads only multiValueHeaders.
            resp["multiValueHeaders"] = {"Content-Type": [refusal.content_type]}
        else:
            resp["headers"] = {"Content-Type": refusal.content_type}
    else:
        resp["headers"] = {"Content-Type": refusal.content_type}
    resp["body"] = refusal.body
    resp["isBase64Encoded"] = False
    return resp


class LambdaRASP(ServerlessRASP):
    """``rasp = LambdaRASP(config=None)``; ``@rasp.register`` on ``handler(event, context)``."""

    def inspect_event(self, event: Mapping[str, Any], kind: str) -> Refusal | Admitted | None:
        """One engine call on the raw event. None when the engine failed and fails open."""
        try:
            verdict = self.engine.inspect_lambda(event, kind)
        except Exception:
            return self._failed()
        return self.outcome(verdict)

    def record_result(self, admitted: Admitted, kind: str, result: Any) -> None:
        """Hands the handler's result (read in Rust) to the engine."""
        try:
            self.engine.inspect_lambda_response(
                admitted.client,
                admitted.method,
                admitted.path,
                kind,
                result,
                admitted.error_counted,
            )
        except Exception:
            log.exception("ironrasp: response inspection failed")

    def register(self, handler: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        @functools.wraps(handler)
        def protected(event: Any, context: Any = None) -> Any:
            kind = event_kind(event)
            if kind is None:
                return handler(event, context)
            outcome = self.inspect_event(event, kind)
            if isinstance(outcome, Refusal):
                return refusal_response(event, kind, outcome)
            result = handler(event, context)
            if isinstance(outcome, Admitted):
                self.record_result(outcome, kind, result)
            return result

        protected.ironrasp = self  # type: ignore[attr-defined]
        return protected
