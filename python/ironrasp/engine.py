"""The Python face of the Rust engine: configuration loading and the calls adapters make."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Union

from ironrasp import _engine

ConfigArg = Union[None, str, "os.PathLike[str]", Mapping[str, Any]]


def _native(config: ConfigArg) -> _engine.NativeEngine:
    """Builds the native engine from a path, a dict, or nothing (then IRONRASP_CONFIG / defaults).

    IRONRASP_<KEY> environment variables override single keys in every case.
    """
    env = [(k, v) for k, v in os.environ.items() if k.startswith("IRONRASP_")]
    if config is None:
        return _engine.NativeEngine("defaults", None, env)
    if isinstance(config, Mapping):
        try:
            text = json.dumps(config)
        except (TypeError, ValueError) as e:
            raise _engine.ConfigError(f"ironrasp configuration: not serializable: {e}") from None
        return _engine.NativeEngine("json", text, env)
    if isinstance(config, (str, os.PathLike)):
        return _engine.NativeEngine("file", str(Path(config)), env)
    raise TypeError(f"config must be a path, a dict or None, not {type(config).__name__}")


class EngineHolder:
    """Base of the adapters: holds the native engine and what every request needs from its
    configuration, read once when the engine is set, never per request."""

    _engine: Any
    _max_body: int
    # The statuses the engine's response checks act on; None for an engine object that does
    # not say (then every response is handed over).
    _statuses: Any

    @property
    def engine(self) -> Any:
        return self._engine

    @engine.setter
    def engine(self, engine: Any) -> None:
        self._engine = engine
        self._max_body = getattr(engine, "max_body", 0)
        self._statuses = getattr(engine, "response_statuses", None)

    def _watches_nothing(self) -> bool:
        """No response check is on: responses need not be watched at all."""
        return self._statuses is not None and not self._statuses

    def _watches(self, status: int) -> bool:
        """Whether a response with this status goes to the engine."""
        return self._statuses is None or status in self._statuses


class Engine:
    """The inspection engine.

    ``Engine(config=None).scan_value(text)`` returns the findings for one value, scanned as a
    query-string value would be: through every decoder.
    """

    def __init__(self, config: ConfigArg = None) -> None:
        self.native = _native(config)

    def scan_value(self, text: str) -> list[dict[str, Any]]:
        return self.native.scan_value(text)

    def scan_values(self, texts: list[str]) -> list[list[dict[str, Any]]]:
        return self.native.scan_values(list(texts))

    def banner(self) -> str:
        return self.native.banner()

    def stats(self) -> dict[str, int]:
        return self.native.stats()

    def flush(self) -> None:
        self.native.flush()

    def blacklist(self) -> list[tuple[str, float]]:
        return self.native.blacklist()

    def unblacklist(self, address: str) -> bool:
        return self.native.unblacklist(address)

    @property
    def config(self) -> dict[str, Any]:
        return json.loads(self.native.config_json())


def make_access_token(secret: str, ttl: int = 300) -> str:
    """A zero-trust access token for the configured ``ztaa.header``, valid ``ttl`` seconds."""
    return _engine.make_access_token(secret, ttl)
