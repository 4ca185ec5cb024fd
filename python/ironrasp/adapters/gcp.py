"""Google Cloud Functions (functions-framework HTTP functions): ``rasp = GcpRASP()`` once per
instance, ``@rasp.register`` on the function (put it below ``@functions_framework.http``).

The function receives a ``flask.Request``; its WSGI environ is read in Rust (one call) and the
body is read up to ``limits.max_body`` and re-fed, so the function reads the same bytes.

Client address: a deployed function sits behind Google's front end, so ``REMOTE_ADDR`` is a
Google-internal hop, not the client. The front end appends the address it saw to
X-Forwarded-For; with ``platform_forwarded=True`` (the default) the rightmost entry is taken as
the peer, and entries left of it count only through ``trusted_proxies`` (e.g. an external
load balancer in front of the function appends its own address). Without X-Forwarded-For
(running locally) ``REMOTE_ADDR`` is the peer. ``platform_forwarded=False`` always uses
``REMOTE_ADDR`` (then list Google's hop in ``trusted_proxies`` yourself).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import flask

from ironrasp.adapters.serverless import Admitted, Refusal, ServerlessRASP, rightmost_forwarded
from ironrasp.adapters.wsgi import _Refeed, read_body
from ironrasp.engine import ConfigArg


def _body(request: flask.Request, limit: int) -> tuple[bytes, bool]:
    if "stream" not in request.__dict__ and "_cached_data" not in request.__dict__:
        # Werkzeug has not touched the body yet: bounded read of wsgi.input, re-fed.
        return read_body(request.environ, limit)
    # Someone read or wrapped it before us: take it from Werkzeug, again bounded and re-fed.
    cached = request.__dict__.get("_cached_data")
    if cached is not None:
        return cached[:limit], len(cached) > limit
    head = request.stream.read(limit + 1)
    request.stream = _Refeed(head, request.stream)  # type: ignore[misc]
    return head[:limit], len(head) > limit


class GcpRASP(ServerlessRASP):
    """``rasp = GcpRASP(config=None, platform_forwarded=True)``; ``@rasp.register``."""

    def __init__(
        self, config: ConfigArg = None, engine: Any = None, platform_forwarded: bool = True
    ) -> None:
        super().__init__(config, engine)
        self.platform_forwarded = platform_forwarded

    def _before(self, request: flask.Request) -> Refusal | Admitted | None:
        try:
            environ = request.environ
            body, truncated = _body(request, self._max_body)
            forwarded = self.platform_forwarded and environ.get("HTTP_X_FORWARDED_FOR")
            # The function keeps its own REMOTE_ADDR: the platform's hop goes to the engine alone.
            peer = (rightmost_forwarded([forwarded]) or None) if forwarded else None
            verdict = self._engine.inspect_wsgi(environ, body, truncated, None, peer)
        except Exception:
            return self._failed()
        return self.outcome(verdict)

    def register(self, fn: Callable[[flask.Request], Any]) -> Callable[[flask.Request], Any]:
        @functools.wraps(fn)
        def protected(request: flask.Request) -> Any:
            outcome = self._before(request)
            if isinstance(outcome, Refusal):
                return flask.Response(
                    outcome.body, status=outcome.status, content_type=outcome.content_type
                )
            result = fn(request)
            if not isinstance(outcome, Admitted):
                return result
            # Made into a Response here (as Flask would do next) to read its status; a
            # Response (what jsonify and make_response give) is already one.
            response = result if isinstance(result, flask.Response) else flask.make_response(result)
            if self._watches(response.status_code):
                self.record_response(outcome, response.status_code, response.headers)
            return response

        protected.ironrasp = self  # type: ignore[attr-defined]
        return protected
