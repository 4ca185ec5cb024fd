"""ASGI middleware: any ASGI application, and FastAPI / Starlette in one line.

``app = AsgiRASP(app)`` wraps any ASGI 3 application; ``FastApiRASP(app)`` installs itself
around a FastAPI or Starlette app's whole middleware stack. Only ``http`` scopes are inspected:
websockets and lifespan pass through untouched.

The body is read from ``receive`` only until ``limits.max_body`` bytes are in hand (or the body
ends); those messages are then replayed to the application, followed by the rest of the
original ``receive``, so the application gets the whole body and nothing past the limit is
buffered here.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from ironrasp.engine import ConfigArg, EngineHolder, _native

log = logging.getLogger("ironrasp")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_CONVERTER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z_][A-Za-z0-9_]*))?\}")
# Wrapped apps form a chain through `.app`; real stacks are a handful deep.
_MAX_WRAPPERS = 32
_MAX_MOUNT_DEPTH = 16


def starlette_path_to_template(path: str) -> str:
    """``/user/{id:int}`` -> ``/user/{id}``; ``/files/{p:path}`` stays as it is."""

    def repl(m: re.Match[str]) -> str:
        name, conv = m.group(1), m.group(2)
        return "{" + name + (":path" if conv == "path" else "") + "}"

    return _CONVERTER.sub(repl, path)


def starlette_routes(routes: Any, prefix: str = "", depth: int = 0) -> list[tuple[str, list[str]]]:
    """(template, methods) of a Starlette/FastAPI route list, Mounts and Hosts followed.

    Duck-typed, so Starlette need not be installed for plain ASGI apps. Websocket routes are
    left out: they are not inspected.
    """
    out: list[tuple[str, list[str]]] = []
    if depth > _MAX_MOUNT_DEPTH:
        return out
    for route in routes or ():
        path = getattr(route, "path", None)
        sub = getattr(route, "routes", None)
        if sub is not None and (path is not None or hasattr(route, "host")):
            # Mount (path prefix) or Host (same paths): follow the routes it serves.
            here = prefix + starlette_path_to_template(path or "")
            if sub:
                out.extend(starlette_routes(sub, here, depth + 1))
            else:  # a mounted app that exposes no routes (StaticFiles, another framework)
                out.append((here.rstrip("/") + "/{path:path}", []))
            continue
        if path is None or not hasattr(route, "methods"):
            continue  # websocket routes and unknown objects
        methods = route.methods
        out.append(
            (
                prefix + starlette_path_to_template(path),
                sorted(m.upper() for m in methods) if methods else [],
            )
        )
    return out


def find_routes(app: Any) -> Any:
    """The route list of a Starlette/FastAPI app, a Router, or an app wrapped around one."""
    for _ in range(_MAX_WRAPPERS):
        if app is None:
            return None
        routes = getattr(app, "routes", None)
        if isinstance(routes, list):
            return routes
        router = getattr(app, "router", None)
        routes = getattr(router, "routes", None)
        if isinstance(routes, list):
            return routes
        app = getattr(app, "app", None)
    return None


async def read_head(receive: Receive, limit: int) -> tuple[list[Message], bytes, bool]:
    """Receives body messages until more than ``limit`` bytes or the end of the body.

    Returns (messages received, body up to ``limit``, truncated). At most one message past the
    limit is held, so a huge or endless body is never buffered whole.
    """
    messages: list[Message] = []
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message.get("type") != "http.request":
            break  # http.disconnect: the app sees it too
        chunk = message.get("body") or b""
        if chunk:
            chunks.append(chunk)
            size += len(chunk)
        if not message.get("more_body", False) or size > limit:
            break
    body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    truncated = size > limit
    return messages, (body[:limit] if truncated else body), truncated


class AsgiRASP(EngineHolder):
    """Wraps any ASGI application: ``app = AsgiRASP(app, config=...)``."""

    def __init__(self, app: AsgiApp, config: ConfigArg = None, engine: Any = None) -> None:
        self.app = app
        self.engine = engine if engine is not None else _native(config)
        self._routes_loaded = False

    def route_source(self) -> Any:
        """The object whose routes are collected; adapters for one framework override it."""
        return self.app

    def load_routes(self, scope: Scope) -> None:
        routes = find_routes(self.route_source())
        if routes is None:
            return
        # The engine sees full paths; routes are relative to where the app is mounted.
        root = (scope.get("root_path") or "").rstrip("/")
        self.engine.set_routes([(root + t, m) for t, m in starlette_routes(routes)])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # websocket, lifespan: untouched
            await self.app(scope, receive, send)
            return
        if not self._routes_loaded:
            self._routes_loaded = True
            try:
                self.load_routes(scope)
            except Exception:  # routes are an aid; never break the app over them
                log.exception("ironrasp: could not collect routes")
        engine = self._engine
        messages, body, truncated = await read_head(receive, self._max_body)
        pending = deque(messages)

        async def replay() -> Message:
            if pending:
                return pending.popleft()
            return await receive()

        path = scope.get("path", "")
        root = scope.get("root_path")
        if root and not path.startswith(root):
            path = root + path
        client = scope.get("client")
        try:
            # Raw query bytes and raw header pairs are decoded in Rust. The native call
            # releases the GIL; measured faster inline than in a worker thread (see
            # bench/overhead_asgi.py), so it runs on the loop thread.
            verdict = engine.inspect_request(
                scope.get("method", "GET"),
                path,
                scope.get("query_string") or b"",
                scope.get("headers") or (),
                body,
                client[0] if client else "",
                truncated,
            )
        except Exception:
            log.exception("ironrasp: inspection failed")
            if engine.fail_closed:
                await refuse(
                    send, engine.block_status, engine.block_body, engine.block_content_type
                )
                return
            await self.app(scope, replay, send)
            return
        if verdict.blocked:
            await refuse(send, verdict.status, verdict.body, verdict.content_type)
            return
        scope["ironrasp.client"] = verdict.client
        if self._watches_nothing():
            await self.app(scope, replay, send)
            return
        started = False

        def inspect_response(status: int, headers: Any) -> None:
            try:
                engine.inspect_response(
                    verdict.client,
                    verdict.method,
                    verdict.path,
                    status,
                    headers,  # raw (bytes, bytes) pairs, read in Rust
                    verdict.error_counted,
                )
            except Exception:
                log.exception("ironrasp: response inspection failed")

        async def recording_send(message: Message) -> None:
            nonlocal started
            if not started and message["type"] == "http.response.start":
                started = True
                status = int(message["status"])
                if self._watches(status):
                    inspect_response(status, message.get("headers") or ())
            await send(message)

        try:
            await self.app(scope, replay, recording_send)
        except Exception:
            if not started and self._watches(500):
                inspect_response(500, ())  # the server answers 500; count it like one
            raise


async def refuse(send: Send, status: int, body: str, content_type: str) -> None:
    """Sends a complete refusal response; the application is never called."""
    data = body.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type.encode("latin-1")),
                (b"content-length", str(len(data)).encode("ascii")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": data, "more_body": False})


class FastApiRASP(AsgiRASP):
    """Protects a FastAPI (or Starlette) app in one line: ``FastApiRASP(app)``.

    Wraps the app's whole middleware stack, outside its error handler, so every request passes
    here first and every response status (500s included) is seen. Works before or after routes
    and middleware are declared, and on an app already serving. Routes are collected from
    ``app.routes`` on the first request.
    """

    def __init__(self, app: Any, config: ConfigArg = None) -> None:
        super().__init__(app.middleware_stack, config=config)
        self.framework_app = app
        build = app.build_middleware_stack

        def build_with_rasp() -> AsgiApp:
            self.app = build()
            return self

        # Starlette builds the stack on the first call (and again if it is reset).
        app.build_middleware_stack = build_with_rasp
        if app.middleware_stack is not None:  # already serving: wrap the built stack now
            app.middleware_stack = self
        app.state.ironrasp = self

    def route_source(self) -> Any:
        return self.framework_app
