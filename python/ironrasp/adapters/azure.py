"""Azure Functions: ``rasp = AzureRASP()`` once per worker, ``@rasp.register`` on HTTP functions
(``func.HttpRequest -> func.HttpResponse``, sync or async).

With the v2 programming model put ``@rasp.register`` below ``@app.route(...)``, next to the
function, so that the app registers the protected function; the signature (binding names and
annotations) is kept.

Client address: a function never sees the TCP connection. The Azure front end appends the
address it saw (``ip:port``) to X-Forwarded-For; the rightmost entry is taken as the peer.
Entries left of it were sent by the client and count only through ``trusted_proxies`` (e.g.
Front Door or Application Gateway addresses in front of the function app). Without the header
(``func start`` locally) there is no client address: per-address checks (flood, brute force,
blacklist) then do not apply, value checks still do.

Azure joins repeated query parameters with commas in ``req.params``; the engine is given the
raw query string from ``req.url`` (every repeat), and inspects the comma-joined view as well.

The request's pieces (method, URL, headers and params mappings, body bytes) go to the engine in
one call (``inspect_azure``) and are read in Rust, then inspected with the GIL released; the
response's status and headers mapping go in one more call. No Python loop over the request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import azure.functions as func

from ironrasp.adapters.serverless import Admitted, Refusal, ServerlessRASP, is_async


def _find_request(args: tuple[Any, ...], kwargs: dict[str, Any]) -> func.HttpRequest | None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, func.HttpRequest):
            return value
    return None


def refusal_response(refusal: Refusal) -> func.HttpResponse:
    mime, charset = refusal.mime_and_charset()
    return func.HttpResponse(
        refusal.body,
        status_code=refusal.status,
        headers={"Content-Type": refusal.content_type},
        mimetype=mime or None,
        charset=charset,
    )


class AzureRASP(ServerlessRASP):
    """``rasp = AzureRASP(config=None)``; ``@rasp.register`` on an HTTP-triggered function."""

    def _before(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Refusal | Admitted | None:
        req = _find_request(args, kwargs)
        if req is None:
            return None
        try:
            verdict = self.engine.inspect_azure(
                req.method, req.url, req.headers, req.params, req.get_body()
            )
        except Exception:
            return self._failed()
        return self.outcome(verdict)

    def _after(self, admitted: Refusal | Admitted | None, result: Any) -> None:
        if not isinstance(admitted, Admitted):
            return
        if isinstance(result, func.HttpResponse):
            self.record_response(admitted, result.status_code, result.headers)
        elif isinstance(result, (str, bytes)):
            self.record_response(admitted, 200, [])  # the host sends a plain result as a 200

    def register(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        if is_async(fn):

            @functools.wraps(fn)
            async def protected_async(*args: Any, **kwargs: Any) -> Any:
                outcome = self._before(args, kwargs)
                if isinstance(outcome, Refusal):
                    return refusal_response(outcome)
                result = await fn(*args, **kwargs)
                self._after(outcome, result)
                return result

            protected_async.ironrasp = self  # type: ignore[attr-defined]
            return protected_async

        @functools.wraps(fn)
        def protected(*args: Any, **kwargs: Any) -> Any:
            outcome = self._before(args, kwargs)
            if isinstance(outcome, Refusal):
                return refusal_response(outcome)
            result = fn(*args, **kwargs)
            self._after(outcome, result)
            return result

        protected.ironrasp = self  # type: ignore[attr-defined]
        return protected
