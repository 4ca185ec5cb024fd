"""aiohttp: ``AiohttpRASP(app)`` installs a middleware in front of every other one.

The body is read from ``request.content`` only up to ``limits.max_body`` (plus one byte to know
there is more), then put back at the head of the stream, so handlers read the whole body as
they would have (``read()``, ``post()``, ``multipart()``, ``content`` alike) and a huge body is
never held here whole. Routes come from ``app.router`` on the first request.
"""

from __future__ import annotations

import logging
import re
import warnings
from typing import Any

from aiohttp import web

from ironrasp.engine import ConfigArg, EngineHolder, _native

log = logging.getLogger("ironrasp")

# Typed keys: aiohttp warns about plain string keys. RequestKey is recent (3.12).
CLIENT_KEY: Any = (
    web.RequestKey("ironrasp.client", str) if hasattr(web, "RequestKey") else "ironrasp.client"
)

_GROUP = re.compile(r"\(\?P<([A-Za-z_][A-Za-z0-9_]*)>")
_MAX_SUBAPP_DEPTH = 16


def _group_regex(pattern: str, start: int) -> str:
    """The text of the regex group whose body starts at ``start`` (parentheses balanced)."""
    depth, i, n = 1, start, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a character class: parentheses inside do not count
            i += 2 if pattern.startswith("[]", i) or pattern.startswith("[^]", i) else 1
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return pattern[start:i]
        i += 1
    return pattern[start:]


def _crosses_slash(regex: str) -> bool:
    try:
        return re.fullmatch(regex, "a/b") is not None
    except re.error:
        return False


def dynamic_template(formatter: str, pattern: str) -> str:
    """``/user/{id}`` + its regex -> ``/user/{id}``; a parameter whose regex matches '/'
    (``{tail:.*}``) -> ``{tail:path}``."""
    path_params = {
        m.group(1)
        for m in _GROUP.finditer(pattern)
        if _crosses_slash(_group_regex(pattern, m.end()))
    }
    return re.sub(
        r"\{([A-Za-z_][A-Za-z0-9_]*)\}",
        lambda m: "{" + m.group(1) + (":path" if m.group(1) in path_params else "") + "}",
        formatter,
    )


def aiohttp_routes(app: web.Application, depth: int = 0) -> list[tuple[str, list[str]]]:
    """(template, methods) of every resource of an aiohttp app, sub-apps followed.

    A sub-app's resources already carry its prefix (aiohttp adds it when mounting).
    """
    out: list[tuple[str, list[str]]] = []
    if depth > _MAX_SUBAPP_DEPTH:
        return out
    for resource in app.router.resources():
        info = resource.get_info()
        sub = info.get("app")
        if isinstance(sub, web.Application):  # add_subapp (prefix) or add_domain (no prefix)
            out.extend(aiohttp_routes(sub, depth + 1))
            continue
        if "path" in info:
            template = info["path"]
        elif "formatter" in info:
            template = dynamic_template(info["formatter"], info["pattern"].pattern)
        elif "prefix" in info:  # static files
            template = info["prefix"].rstrip("/") + "/{filename:path}"
        else:
            continue
        methods = {route.method.upper() for route in resource}
        out.append((template, [] if "*" in methods else sorted(methods)))
    return out


async def read_head(request: web.Request, limit: int) -> tuple[bytes, bool]:
    """Reads at most ``limit`` + 1 body bytes and puts them back. Returns (body, truncated)."""
    if not request.body_exists:
        return b"", False
    stream = request.content
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = await stream.read(limit + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    head = b"".join(chunks)
    if head:
        # unread_data is deprecated but it is how aiohttp's own multipart reader pushes bytes
        # back; there is no other way to peek at a request stream without consuming it.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            stream.unread_data(head)
    truncated = size > limit
    return (head[:limit] if truncated else head), truncated


def _refusal(status: int, body: str, content_type: str) -> web.Response:
    # Content-Type as a header: web.Response(content_type=) refuses one carrying a charset.
    return web.Response(
        status=status, body=body.encode("utf-8"), headers={"Content-Type": content_type}
    )


class AiohttpRASP(EngineHolder):
    """Protects an aiohttp app in one line: ``AiohttpRASP(app)`` (or ``config=``).

    Call it before the app starts (aiohttp freezes its middleware list then). The middleware is
    put first, so every request passes here before any other middleware or handler.
    """

    def __init__(self, app: web.Application, config: ConfigArg = None) -> None:
        self.aiohttp_app = app
        self.engine = _native(config)
        self._routes_loaded = False
        app.middlewares.insert(0, self.middleware)
        app[RASP_KEY] = self

    def load_routes(self) -> None:
        self.engine.set_routes(aiohttp_routes(self.aiohttp_app))

    @web.middleware
    async def middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not self._routes_loaded:
            self._routes_loaded = True
            try:
                self.load_routes()
            except Exception:  # routes are an aid; never break the app over them
                log.exception("ironrasp: could not collect routes")
        engine = self._engine
        if request.body_exists:
            body, truncated = await read_head(request, self._max_body)
        else:
            body, truncated = b"", False
        try:
            # The request-target and header bytes as the client sent them, split and decoded
            # in Rust: no parsed URL or header mapping is built here for the engine.
            verdict = engine.inspect_target(
                request.method,
                request.raw_path,
                request.raw_headers,
                body,
                request.remote or "",
                truncated,
            )
        except Exception:
            log.exception("ironrasp: inspection failed")
            if engine.fail_closed:
                return _refusal(engine.block_status, engine.block_body, engine.block_content_type)
            return await handler(request)
        if verdict.blocked:
            return _refusal(verdict.status, verdict.body, verdict.content_type)
        request[CLIENT_KEY] = verdict.client
        statuses = self._statuses
        if statuses is not None and not statuses:  # no response check is on
            return await handler(request)
        try:
            response = await handler(request)
        except web.HTTPException as e:  # 404, 405 and handlers' raised statuses
            if statuses is None or e.status in statuses:
                _inspect_response(engine, verdict, e.status, e.headers)
            raise
        except Exception:
            if statuses is None or 500 in statuses:
                _inspect_response(engine, verdict, 500, ())
            raise
        status = response.status
        if statuses is None or status in statuses:
            _inspect_response(engine, verdict, status, response.headers)
        return response


def _inspect_response(engine: Any, verdict: Any, status: int, headers: Any) -> None:
    """The response call (headers, any mapping or pairs, are read in Rust); never raises."""
    try:
        engine.inspect_response(
            verdict.client, verdict.method, verdict.path, status, headers, verdict.error_counted
        )
    except Exception:
        log.exception("ironrasp: response inspection failed")


RASP_KEY = web.AppKey("ironrasp", AiohttpRASP)
"""``app[RASP_KEY]`` is the app's AiohttpRASP (its ``.engine`` for stats, flush, blacklist)."""
