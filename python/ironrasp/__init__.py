"""IronRASP: runtime application self-protection for Python web applications.

One line protects a Flask app::

    from ironrasp import FlaskRASP
    FlaskRASP(app)                       # or FlaskRASP(app, config="ironrasp.toml") / config={...}

All inspection happens in the Rust engine (``ironrasp._engine``); this package only adapts
frameworks to it. Adapters for other frameworks are imported on first use, so importing
``ironrasp`` never imports a framework the application does not use.
"""

from __future__ import annotations

import importlib
from typing import Any

from ironrasp._engine import ConfigError, EngineError, __version__
from ironrasp.engine import Engine, make_access_token

_ADAPTERS = {
    "FlaskRASP": "ironrasp.adapters.flask",
    "WsgiRASP": "ironrasp.adapters.wsgi",
    "DjangoRASP": "ironrasp.adapters.django",
    "FastApiRASP": "ironrasp.adapters.asgi",
    "AsgiRASP": "ironrasp.adapters.asgi",
    "AiohttpRASP": "ironrasp.adapters.aiohttp",
    "LambdaRASP": "ironrasp.adapters.aws_lambda",
    "AzureRASP": "ironrasp.adapters.azure",
    "GcpRASP": "ironrasp.adapters.gcp",
}

__all__ = ["ConfigError", "Engine", "EngineError", "__version__", "make_access_token", *_ADAPTERS]


def __getattr__(name: str) -> Any:
    module = _ADAPTERS.get(name)
    if module is None:
        raise AttributeError(f"module 'ironrasp' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
