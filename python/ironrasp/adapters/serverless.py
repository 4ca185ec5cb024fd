"""What the serverless adapters (AWS Lambda, Azure Functions, Google Cloud Functions) share.

Each platform hands the function one request object; the adapter passes it (or its raw pieces)
to one native call that reads it in Rust (``inspect_lambda``, ``inspect_azure``,
``inspect_wsgi``), turns a refusal into the platform's response, and hands the function's
response to one more native call. The engine is built once, when
the adapter object is created (once per cold start), never per invocation.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ironrasp.engine import ConfigArg, EngineHolder, _native

log = logging.getLogger("ironrasp")


@dataclass(frozen=True)
class Refusal:
    """The response to send instead of calling the function."""

    status: int
    body: str
    content_type: str

    def mime_and_charset(self) -> tuple[str, str | None]:
        """``text/plain; charset=utf-8`` -> (``text/plain``, ``utf-8``)."""
        mime, _, params = self.content_type.partition(";")
        charset = None
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip('"')
        return mime.strip(), charset


class Admitted:
    """A request the engine let through: what ``inspect_response`` needs afterwards, read from
    the engine's verdict when asked (a frozen dataclass cost microseconds per request to build;
    most responses are never handed over)."""

    __slots__ = ("_verdict",)

    def __init__(self, verdict: Any) -> None:
        self._verdict = verdict

    @property
    def client(self) -> str:
        return self._verdict.client

    @property
    def error_counted(self) -> bool:
        return self._verdict.error_counted

    @property
    def method(self) -> str:
        return self._verdict.method

    @property
    def path(self) -> str:
        return self._verdict.path


def rightmost_forwarded(values: Iterable[str]) -> str:
    """The last entry of X-Forwarded-For (all header lines in order): the address that the
    platform's own front end appended, i.e. the one hop the platform vouches for. Empty if none.
    """
    last = ""
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part:
                last = part
    return last


class ServerlessRASP(EngineHolder):
    """Base of the serverless adapters: owns the engine, inspects, records responses."""

    def __init__(self, config: ConfigArg = None, engine: Any = None) -> None:
        self.engine = engine if engine is not None else _native(config)

    def set_routes(self, routes: list[tuple[str, list[str]]]) -> None:
        """Declares the routes the function serves (``[("/user/{id}", ["GET"])]``), which turns
        on route validation; without them every path is accepted."""
        self.engine.set_routes([(t, [m.upper() for m in ms]) for t, ms in routes])

    def inspect(
        self,
        method: str,
        path: str,
        query: str,
        headers: list[tuple[str, str]],
        body: bytes,
        peer: str,
        truncated: bool,
    ) -> Refusal | Admitted | None:
        """One engine call. Returns a Refusal, an Admitted request, or None when the engine
        failed and fails open (the function runs, nothing is recorded)."""
        engine = self._engine
        try:
            verdict = engine.inspect_request(method, path, query, headers, body, peer, truncated)
        except Exception:
            return self._failed()
        return self.outcome(verdict)

    @staticmethod
    def outcome(verdict: Any) -> Refusal | Admitted:
        """A Refusal for a blocked verdict, else the Admitted request (method and path as the
        engine read them)."""
        if verdict.blocked:
            return Refusal(verdict.status, verdict.body, verdict.content_type)
        return Admitted(verdict)

    def _failed(self) -> Refusal | None:
        log.exception("ironrasp: inspection failed")
        engine = self.engine
        if engine.fail_closed:
            return Refusal(engine.block_status, engine.block_body, engine.block_content_type)
        return None

    def record_response(
        self,
        admitted: Admitted | None,
        status: int,
        headers: Iterable[tuple[str, str]] | Mapping[str, str],
    ) -> None:
        """Hands the function's response to the engine (error counting for brute force).
        ``headers``: (name, value) pairs or a mapping, read in Rust."""
        if admitted is None:
            return
        if not self._watches(int(status)):
            return
        try:
            self.engine.inspect_response(
                admitted.client,
                admitted.method,
                admitted.path,
                int(status),
                headers,
                admitted.error_counted,
            )
        except Exception:
            log.exception("ironrasp: response inspection failed")


def is_async(fn: Any) -> bool:
    # A callable object with an async __call__ counts too.
    call = getattr(fn, "__call__", None)  # noqa: B004
    return inspect.iscoroutinefunction(fn) or inspect.iscoroutinefunction(call)
