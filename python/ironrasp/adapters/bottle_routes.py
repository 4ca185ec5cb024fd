"""The routes of a Bottle application, for ``WsgiRASP(bottle_app)``: read from ``app.routes``
(duck-typed: Bottle is not imported), rules turned into the engine's templates."""

from __future__ import annotations

import re
from typing import Any

# Bottle's wildcards: `<name>`, `<name:filter>`, `<name:filter:config>`, `<:filter:config>`
# (anonymous), and the old `:name` and `:name#regex#`. A backslash escapes one.
_WILDCARD = re.compile(
    r"(\\*)(?:<([a-zA-Z_][a-zA-Z_0-9]*)?(?::([a-zA-Z_]*)(?::((?:\\.|[^\\>])+)?)?)?>"
    r"|:([a-zA-Z_][a-zA-Z_0-9]*)(?:#(.*?)#)?)"
)

# Filters that match within one path segment; any other (path, re, a custom one) may match a
# `/`, so its wildcard becomes a path template, which accepts at least as much.
_ONE_SEGMENT = {"", "default", "int", "float"}


def bottle_rule_to_template(rule: str) -> str:
    """``/user/<id:int>`` -> ``/user/{id}``; ``/static/<p:path>`` -> ``/static/{p:path}``."""
    anonymous = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal anonymous
        slashes = m.group(1)
        if len(slashes) % 2:  # escaped: the text itself, one backslash fewer
            return slashes[1:] + m.group(0)[len(slashes) :]
        if m.group(5) is not None:  # old syntax
            name, one_segment = m.group(5), m.group(6) is None
        else:
            name, one_segment = m.group(2), (m.group(3) or "") in _ONE_SEGMENT
        if not name:
            anonymous += 1
            name = f"_{anonymous}"
        return slashes + "{" + name + ("" if one_segment else ":path") + "}"

    return _WILDCARD.sub(repl, rule)


def bottle_routes(app: Any) -> list[tuple[str, list[str]]] | None:
    """(template, methods) of every route of a Bottle app, or None for another application.
    Bottle apps mounted with ``mount()`` are already among the parent's routes; a plain WSGI app
    mounted there answers any method under its prefix."""
    routes = getattr(app, "routes", None)
    if not isinstance(routes, list) or not all(
        isinstance(getattr(r, "rule", None), str) and isinstance(getattr(r, "method", None), str)
        for r in routes
    ):
        return None
    methods: dict[str, set[str]] = {}
    for r in routes:
        template = bottle_rule_to_template(r.rule)
        method = r.method.upper()
        # ANY (every method) and PROXY (a mounted WSGI app) accept whatever comes.
        methods.setdefault(template, set()).add("*" if method in ("ANY", "PROXY") else method)
    return [(t, [] if "*" in ms else sorted(ms)) for t, ms in methods.items()]
