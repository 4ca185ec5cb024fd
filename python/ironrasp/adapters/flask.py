"""Flask: ``FlaskRASP(app)`` wraps ``app.wsgi_app`` and collects routes from ``app.url_map``."""

from __future__ import annotations

import re
from typing import Any

from ironrasp.adapters.wsgi import WsgiRASP
from ironrasp.engine import ConfigArg

_PARAM = re.compile(r"<(?:([a-zA-Z_][a-zA-Z0-9_]*)(?:\([^)]*\))?:)?([a-zA-Z_][a-zA-Z0-9_]*)>")


def flask_rule_to_template(rule: str) -> str:
    """``/user/<int:id>`` -> ``/user/{id}``; ``/files/<path:p>`` -> ``/files/{p:path}``."""

    def repl(m: re.Match[str]) -> str:
        conv, name = m.group(1), m.group(2)
        return "{" + name + (":path" if conv == "path" else "") + "}"

    return _PARAM.sub(repl, rule)


class FlaskRASP(WsgiRASP):
    """Protects a Flask app in one line: ``FlaskRASP(app)`` (or ``config=`` a path or a dict)."""

    def __init__(self, app: Any, config: ConfigArg = None) -> None:
        self.flask_app = app
        super().__init__(app.wsgi_app, config=config)
        app.wsgi_app = self
        app.extensions["ironrasp"] = self

    def load_routes(self) -> None:
        routes = [
            (flask_rule_to_template(rule.rule), sorted(rule.methods or []))
            for rule in self.flask_app.url_map.iter_rules()
        ]
        self.engine.set_routes(routes)
