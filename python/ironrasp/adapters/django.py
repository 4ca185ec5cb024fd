"""Django: ``MIDDLEWARE = ["ironrasp.DjangoRASP", ...]`` (first, so it sees every request).

Configuration: ``settings.IRONRASP`` (a dict, or the path of a TOML/JSON file); without it
``IRONRASP_CONFIG`` / the defaults, and ``IRONRASP_*`` environment variables in every case.

Routes come from the URL resolver on the first request. ``path()`` converters become
``{name}`` (``path:`` ones ``{name:path}``); ``re_path()`` regexes are converted segment by
segment where the regex says plainly what it matches. Where it does not (alternatives or
optional parts spanning ``/``, lookarounds, inline flags...), the literal prefix before that
point is declared with a catch-all below it: the engine then never reports a path the
application may serve as unrouted, at the price of not validating paths under that prefix.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

from ironrasp.adapters.wsgi import _Refeed
from ironrasp.engine import EngineHolder, _native

log = logging.getLogger("ironrasp")

# Converters whose values never contain "/" (Django's own, bar `path`).
_SEGMENT_CONVERTERS = {"int", "str", "slug", "uuid"}
_STOP = "\x00"  # marks "what follows cannot be expressed"


# --- re_path() regexes -------------------------------------------------------------------------


def _class_end(rx: str, i: int) -> int:
    """Index just past the character class that starts at rx[i] == "["."""
    j = i + 1
    if j < len(rx) and rx[j] == "^":
        j += 1
    if j < len(rx) and rx[j] == "]":
        j += 1
    while j < len(rx) and rx[j] != "]":
        j += 2 if rx[j] == "\\" else 1
    return j + 1


def _class_may_match_slash(cls: str) -> bool:
    """Whether a character class like ``[^/]``, ``[\\w-]`` or ``[a-z.]`` can match "/"."""
    negated = cls.startswith("[^")
    inner = cls[2:-1] if negated else cls[1:-1]
    if negated:
        return "/" not in inner and "\\/" not in inner
    if "/" in inner or any(e in inner for e in ("\\W", "\\D", "\\S")):
        return True
    # A range such as "!-~" spans "/" (0x2f).
    k = 0
    while k + 2 < len(inner):
        if inner[k + 1] == "-" and inner[k] != "\\" and inner[k] <= "/" <= inner[k + 2]:
            return True
        k += 1
    return False


def _group_end(rx: str, i: int) -> int:
    """Index just past the group that starts at rx[i] == "("; -1 if unbalanced."""
    depth, j = 0, i
    while j < len(rx):
        c = rx[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class_end(rx, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return -1


def _quantifier(rx: str, i: int) -> tuple[int, bool]:
    """Length of the quantifier at rx[i] (0 if none) and whether it allows zero repeats."""
    if i >= len(rx):
        return 0, False
    c = rx[i]
    if c in "?*+":
        n = 1 + (i + 1 < len(rx) and rx[i + 1] in "?+")
        return n, c != "+"
    if c == "{":
        end = rx.find("}", i)
        body = rx[i + 1 : end] if end > 0 else ""
        if body and all(ch.isdigit() or ch == "," for ch in body):
            return end - i + 1, body.split(",")[0] in ("", "0")
    return 0, False


def _may_be_empty(group: str) -> bool:
    """Whether a group's content is one atom that may repeat zero times (``(?P<t>[\\w-]*)``)."""
    if group.startswith("?P<"):
        group = group[group.find(">") + 1 :]
    elif group.startswith("?:"):
        group = group[2:]
    if not group:
        return True
    if group[0] == "[":
        k = _class_end(group, 0)
    elif group[0] == "\\":
        k = 2
    else:
        k = 1
    qlen, optional = _quantifier(group, k)
    return optional and k + qlen == len(group)


def regex_to_template(rx: str) -> str:
    """A ``re_path`` regex as template text: literal parts kept, single-segment parts as
    ``{name}``, parts that may contain "/" as ``{name:path}``; ``_STOP`` where the regex
    cannot be expressed (everything after it is then unknown)."""
    if rx.startswith("^"):
        rx = rx[1:]
    for end in ("\\Z", "$"):
        if rx.endswith(end) and not rx.endswith("\\" + end):
            rx = rx[: -len(end)]
    if rx.endswith("/?"):
        rx = rx[:-2]  # an optional trailing slash: the engine ignores trailing slashes
    out: list[str] = []
    n = 0
    i = 0
    while i < len(rx):
        c = rx[i]
        group_optional = False
        if c == "\\" and i + 1 < len(rx):
            e = rx[i + 1]
            if e.isalnum():
                if e in "dws":
                    atom, wide = None, False
                elif e in "DWS":
                    atom, wide = None, True
                else:  # \A, \b, \1 ...: anchors and backreferences
                    return "".join(out) + _STOP
            else:
                atom, wide = e, False
            j = i + 2
        elif c == "[":
            j = _class_end(rx, i)
            if j > len(rx):
                return "".join(out) + _STOP
            atom, wide = None, _class_may_match_slash(rx[i:j])
        elif c == "(":
            j = _group_end(rx, i)
            if j < 0 or rx.startswith(("(?=", "(?!", "(?<=", "(?<!", "(?#"), i):
                return "".join(out) + _STOP
            if rx[i + 1 : i + 2] == "?" and rx[i + 2 : i + 3] not in (":", "P"):
                return "".join(out) + _STOP  # inline flags such as (?i) change what literals mean
            inner = rx[i + 1 : j - 1]
            group_optional = _may_be_empty(inner)
            if "/" in inner.replace("[^/]", ""):
                return "".join(out) + _STOP  # a group spanning segments
            atom = None
            wide = (
                "." in inner.replace("\\.", "")
                or any(e in inner for e in ("\\W", "\\D", "\\S"))
                or any(
                    _class_may_match_slash(inner[k : _class_end(inner, k)])
                    for k in range(len(inner))
                    if inner[k] == "[" and (k == 0 or inner[k - 1] != "\\")
                )
            )
        elif c == ".":
            atom, wide, j = None, True, i + 1
        elif c == "|" or c in "^$":
            return "".join(out) + _STOP
        else:
            atom, wide, j = c, False, i + 1
        qlen, optional = _quantifier(rx, j)
        optional = optional or (c == "(" and group_optional)
        if atom is not None and qlen == 0:
            out.append(atom)  # a literal character, "/" included
        elif atom == "/":
            return "".join(out) + _STOP  # "/+", "/?" in the middle: segments come and go
        elif atom is not None:
            out.append(f"{{_r{n}}}")  # a repeated literal character ("posts?", "a+")
            n += 1
        elif optional and (not out or out[-1] == "/") and rx[j + qlen : j + qlen + 1] in ("/", ""):
            return "".join(out) + _STOP  # a segment that may be empty, hence absent
        else:
            out.append(f"{{_r{n}:path}}" if wide else f"{{_r{n}}}")
            n += 1
        i = j + qlen
    return "".join(out)


# --- the resolver ------------------------------------------------------------------------------


def _route_text(route: str, converters: dict[str, Any]) -> str:
    """``articles/<int:year>/`` -> ``articles/{year}/``; ``<path:p>`` -> ``{p:path}``."""
    out: list[str] = []
    i = 0
    while i < len(route):
        start = route.find("<", i)
        end = route.find(">", start) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append(route[i:])
            break
        out.append(route[i:start])
        conv, _, name = route[start + 1 : end].rpartition(":")
        if conv == "path":
            out.append(f"{{{name}:path}}")
        elif conv in _SEGMENT_CONVERTERS or not conv:
            out.append(f"{{{name}}}")
        else:
            regex = getattr(converters.get(name), "regex", ".+")
            inner = regex_to_template(regex)
            out.append(f"{{{name}:path}}" if ":path}" in inner or _STOP in inner else f"{{{name}}}")
        i = end + 1
    return "".join(out)


def _pattern_texts(pattern: Any) -> list[str]:
    """Template text(s) of one URL pattern (several for a language prefix)."""
    if isinstance(pattern, LocalePrefixPattern):
        # Any language prefix, and none (prefix_default_language=False).
        return ["{_lang}/", ""]
    if isinstance(pattern, RoutePattern):
        return [_route_text(str(pattern), getattr(pattern, "converters", {}))]
    if isinstance(pattern, RegexPattern):
        return [regex_to_template(str(pattern))]
    return [_STOP]


def _methods(callback: Any) -> list[str]:
    """Methods a class-based view dispatches (empty = any, for function views)."""
    actions = getattr(callback, "actions", None)  # Django REST framework viewsets
    if isinstance(actions, dict) and actions:
        return sorted({m.upper() for m in actions} | {"OPTIONS"})
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return []
    dispatch = getattr(getattr(view_class, "dispatch", None), "__qualname__", "")
    if dispatch not in ("View.dispatch", "APIView.dispatch"):
        return []  # a custom dispatch may accept any method
    names = getattr(view_class, "http_method_names", [])
    methods = {m.upper() for m in names if hasattr(view_class, m)}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods | {"OPTIONS"})


def _template(text: str, catch_all: bool) -> list[str]:
    """Normalizes joined template text into engine templates, one parameter per segment."""
    segments: list[str] = []
    parts = text.split("/")
    base_served = True
    for k, seg in enumerate(parts):
        last = k == len(parts) - 1
        if _STOP in seg:
            catch_all = True
            # "legacy<unknown>": at least this segment follows the base, so the base alone is
            # not served; "tag/<unknown>" may be empty, so "/tag" may be.
            base_served = seg.index(_STOP) == 0
            break
        if catch_all and last and seg:
            break  # the text before the stop ends inside a segment
        if "{" not in seg:
            if seg:
                segments.append(seg)
            continue
        if ":path}" in seg:
            segments.append("{" + seg[seg.index("{") + 1 : seg.index(":path}")] + ":path}")
            catch_all = False
            break
        if seg.startswith("{") and seg.endswith("}") and seg.count("{") == 1:
            segments.append(seg)
        else:
            segments.append(f"{{_seg{k}}}")  # e.g. "page-{n}": the whole segment varies
    base = "/" + "/".join(segments)
    if catch_all:
        rest = base.rstrip("/") + "/{_rest:path}"
        return [base, rest] if base_served else [rest]
    return [base]


def django_routes(resolver: Any = None, prefix: str = "/") -> list[tuple[str, list[str]]]:
    """The routes of a URL resolver (default: the project's ROOT_URLCONF), as
    ``(template, methods)``; ``prefix`` is the script prefix (SCRIPT_NAME) they sit under."""
    resolver = resolver if resolver is not None else get_resolver()
    out: dict[str, set[str] | None] = {}

    def add(text: str, methods: list[str], catch_all: bool = False) -> None:
        for t in _template(prefix.rstrip("/") + "/" + text, catch_all):
            if t in out and out[t] is None:
                continue  # some route there accepts any method already
            out[t] = (out.get(t) or set()) | set(methods) if methods else None

    def walk(patterns: Any, base: str, depth: int) -> None:
        for p in patterns:
            for text in _pattern_texts(p.pattern):
                joined = base + text
                if _STOP in joined or depth > 32:
                    add(joined, [], catch_all=True)
                elif isinstance(p, URLResolver):
                    try:
                        children = p.url_patterns
                    except Exception:
                        add(joined, [], catch_all=True)
                        continue
                    walk(children, joined, depth + 1)
                elif isinstance(p, URLPattern):
                    add(joined, _methods(p.callback))

    walk(resolver.url_patterns, "", 0)
    return [(t, sorted(m) if m else []) for t, m in sorted(out.items())]


# --- the middleware ----------------------------------------------------------------------------


def _config() -> Any:
    cfg = getattr(settings, "IRONRASP", None)
    return cfg if cfg else None


def _read_body(request: HttpRequest, limit: int) -> tuple[bytes, bool]:
    """At most ``limit`` body bytes, without disturbing request.body / POST / FILES."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    cached = getattr(request, "_body", None)
    if cached is not None:  # another middleware read request.body already
        return cached[:limit], len(cached) > limit
    if length <= 0:
        return b"", False  # Django itself reads no body without a length
    stream = getattr(request, "_stream", None)
    if stream is None or getattr(request, "_read_started", False):
        return b"", True  # the stream was consumed before us: say it was not inspected
    head = stream.read(min(length, limit))
    # Re-fed where Django reads from, so request.body, POST and FILES see every byte.
    request._stream = _Refeed(head, stream)
    return head, length > limit


class DjangoRASP(EngineHolder):
    """Django middleware. Sync; Django adapts it under ASGI."""

    sync_capable = True
    async_capable = False

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.engine = _native(_config())
        self._routes_loaded = False

    def load_routes(self, request: HttpRequest) -> None:
        self.engine.set_routes(django_routes(prefix=request.META.get("SCRIPT_NAME") or "/"))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._routes_loaded:
            self._routes_loaded = True
            try:
                self.load_routes(request)
            except Exception:  # routes are an aid; never break the app over them
                log.exception("ironrasp: could not collect routes")
        request.ironrasp = self  # type: ignore[attr-defined]
        engine = self._engine
        try:
            body, truncated = _read_body(request, self._max_body)
            if isinstance(request, WSGIRequest):
                verdict = engine.inspect_wsgi(request.META, body, truncated)
            else:  # ASGI: META holds decoded text, not WSGI strings
                meta = request.META
                headers = [(k, v) for k, v in request.headers.items()]
                verdict = engine.inspect_request(
                    request.method or "GET",
                    request.path,
                    meta.get("QUERY_STRING", ""),
                    headers,
                    body,
                    meta.get("REMOTE_ADDR", ""),
                    truncated,
                )
                meta["ironrasp.client"] = verdict.client  # inspect_wsgi sets it itself
        except Exception:
            log.exception("ironrasp: inspection failed")
            if engine.fail_closed:
                return HttpResponse(
                    engine.block_body,
                    status=engine.block_status,
                    content_type=engine.block_content_type,
                )
            return self.get_response(request)
        if verdict.blocked:
            return HttpResponse(
                verdict.body, status=verdict.status, content_type=verdict.content_type
            )
        response = self.get_response(request)
        if not self._watches(response.status_code):  # no response check acts on this status
            return response
        try:
            headers = [(str(k), str(v)) for k, v in response.items()]
            headers += [
                ("set-cookie", c.output(header="").strip()) for c in response.cookies.values()
            ]
            engine.inspect_response(
                verdict.client,
                request.method or "",
                request.path,
                response.status_code,
                headers,
                verdict.error_counted,
            )
        except Exception:
            log.exception("ironrasp: response inspection failed")
        return response
