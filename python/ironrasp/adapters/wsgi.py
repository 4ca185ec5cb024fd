"""WSGI middleware: any WSGI application, and the base of the Flask adapter.

The request body is read up to ``limits.max_body`` and handed back to the application
unchanged (wsgi.input is re-fed), so the app reads the same bytes it would have read.
"""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable, Iterable
from typing import Any

from ironrasp.adapters.bottle_routes import bottle_routes
from ironrasp.engine import ConfigArg, EngineHolder, _native

log = logging.getLogger("ironrasp")

_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    406: "Not Acceptable",
    429: "Too Many Requests",
    503: "Service Unavailable",
}


class _Refeed(io.RawIOBase):
    """wsgi.input that first returns the bytes already read, then the rest of the stream."""

    def __init__(self, head: bytes, rest: Any) -> None:
        self._head = io.BytesIO(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._head.read(size if size is not None and size >= 0 else -1)
        if size is None or size < 0:
            return data + (self._rest.read() if self._rest is not None else b"")
        if len(data) < size and self._rest is not None:
            data += self._rest.read(size - len(data))
        return data

    def readinto(self, b: Any) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def readline(self, size: int = -1) -> bytes:
        line = self._head.readline(size)
        if (not line.endswith(b"\n")) and self._rest is not None and (size < 0 or len(line) < size):
            line += self._rest.readline(-1 if size < 0 else size - len(line))
        return line


_NO_BODY = (b"", False)


def read_body(environ: dict[str, Any], limit: int) -> tuple[bytes, bool]:
    """Reads at most ``limit`` body bytes and re-feeds wsgi.input. Returns (body, truncated).

    wsgi.input is only replaced when bytes were actually read: an empty read leaves the stream
    as it was, so a request without a body keeps the server's own stream.
    """
    length_text = environ.get("CONTENT_LENGTH")
    chunked = environ.get("wsgi.input_terminated") or (
        environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked"
    )
    if not length_text and not chunked:  # the common GET: no body, nothing to look at
        return _NO_BODY
    stream = environ.get("wsgi.input")
    if stream is None:
        return _NO_BODY
    try:
        length = int(length_text or 0)
    except ValueError:
        length = 0
    if length <= 0 and not chunked:
        return _NO_BODY
    want = min(length, limit) if length > 0 else limit + 1
    head = stream.read(want) if want > 0 else b""
    if not head:
        return _NO_BODY
    truncated = (length > limit) if length > 0 else len(head) > limit
    environ["wsgi.input"] = _Refeed(head, stream)
    return head[:limit], truncated


class WsgiRASP(EngineHolder):
    """Wraps any WSGI application: ``app = WsgiRASP(app, config=...)``."""

    def __init__(
        self, app: Callable[..., Iterable[bytes]], config: ConfigArg = None, engine: Any = None
    ) -> None:
        self.app = app
        self.engine = engine if engine is not None else _native(config)
        self._routes_loaded = False

    # Called on the first request. A Bottle app's routes are read from it; adapters of other
    # frameworks override this to hand over theirs.
    def load_routes(self) -> None:
        routes = bottle_routes(self.app)
        if routes is not None:
            self.engine.set_routes(routes)

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        if not self._routes_loaded:
            self._routes_loaded = True
            try:
                self.load_routes()
            except Exception:  # routes are an aid; never break the app over them
                log.exception("ironrasp: could not collect routes")
        engine = self._engine
        try:
            # Only these keys can announce a body (see read_body); a GET has none of them.
            if (
                "CONTENT_LENGTH" in environ
                or "wsgi.input_terminated" in environ
                or "HTTP_TRANSFER_ENCODING" in environ
            ):
                body, truncated = read_body(environ, self._max_body)
                verdict = engine.inspect_wsgi(environ, body, truncated, start_response)
            else:
                verdict = engine.inspect_wsgi(environ, b"", False, start_response)
        except Exception:
            log.exception("ironrasp: inspection failed")
            if engine.fail_closed:
                return self._refuse(
                    start_response,
                    engine.block_status,
                    engine.block_body,
                    engine.block_content_type,
                )
            return self.app(environ, start_response)
        if verdict.blocked:
            return self._refuse(start_response, verdict.status, verdict.body, verdict.content_type)
        # The engine put the client address in environ["ironrasp.client"]; its start_response
        # hands the statuses the response checks act on to the engine, then calls the server's.
        return self.app(environ, verdict.start_response)

    @staticmethod
    def _refuse(
        start_response: Callable[..., Any], status: int, body: str, content_type: str
    ) -> list[bytes]:
        data = body.encode("utf-8")
        start_response(
            f"{status} {_REASONS.get(status, 'Forbidden')}",
            [("Content-Type", content_type), ("Content-Length", str(len(data)))],
            sys.exc_info() if sys.exc_info()[0] else None,
        )
        return [data]
