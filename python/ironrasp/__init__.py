"""IronRASP: runtime application self-protection for Python web applications.

One line protects a Flask app::

    from ironrasp import FlaskRASP
    FlaskRASP(app)                       # or FlaskRASP(app, config="ironrasp.toml") / config={...}

All inspection happens in the Rust engine (``ironrasp._engine``); this package only adapts
frameworks to it.
"""

from ironrasp._engine import ConfigError, EngineError, __version__
from ironrasp.adapters.flask import FlaskRASP
from ironrasp.adapters.wsgi import WsgiRASP
from ironrasp.engine import Engine, make_access_token

__all__ = [
    "ConfigError",
    "Engine",
    "EngineError",
    "FlaskRASP",
    "WsgiRASP",
    "__version__",
    "make_access_token",
]
