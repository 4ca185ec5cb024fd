"""Other detectors scored beside IronRASP in bench/quality.py (benchmark only, never a dependency).

- libinjection (PyPI ``libinjection-python``): ``is_sql_injection`` and ``is_xss``, in process.
- pyrasp 0.10.2: its SQLi and XSS models need CPython 3.12, so they run in a subprocess of a
  separate virtual environment (see bench/README.md). The worker loads the model files pyrasp ships
  and applies pyrasp's own steps: lower-case the value, ``predict_proba``, flag above the
  thresholds of pyrasp's default configuration (``SQLI_PROBA``, ``XSS_PROBA``).

Every peer sees each value twice, as stored and once URL-decoded (``unquote_plus``, the way a
query-string value reaches an application); a value is flagged by a detector if either view is.
``flags(texts)`` returns, per text, the set of classes ("sqli", "xss") that fired.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from abc import ABC, abstractmethod
from pathlib import Path
from urllib.parse import unquote_plus

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PYRASP_PYTHON = ROOT.parent / "peers" / "pyrasp-venv" / "bin" / "python"


def clean(text: str) -> str:
    """Lone surrogates (possible after JSON decoding) become U+FFFD, as the engine sees them."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def views(text: str) -> list[str]:
    """The value as stored, and once URL-decoded when that differs."""
    text = clean(text)
    decoded = clean(unquote_plus(text))
    return [text] if decoded == text else [text, decoded]


class Peer(ABC):
    """A peer protector scored beside IronRASP; subclasses say which values it flags."""

    name = "peer"
    classes: tuple[str, ...] = ("sqli", "xss")

    def __init__(self) -> None:
        self.available = False
        self.reason = ""
        self.version = ""

    @abstractmethod
    def flags(self, texts: list[str]) -> list[set[str]]:
        """The classes flagged for each text."""


class Libinjection(Peer):
    name = "libinjection"

    def __init__(self) -> None:
        super().__init__()
        try:
            from importlib.metadata import version

            import libinjection  # noqa: F401

            self._lib = libinjection
            self.version = "libinjection-python " + version("libinjection-python")
            self.available = True
        except Exception as e:  # absent or broken: reported, never fatal
            self.reason = (
                f"not installed ({type(e).__name__}: {e}); pip install libinjection-python"
            )

    def _one(self, view: str) -> set[str]:
        out: set[str] = set()
        try:
            if self._lib.is_sql_injection(view)["is_sqli"]:
                out.add("sqli")
        except Exception:  # a value the binding cannot take counts as not flagged
            pass
        try:
            if self._lib.is_xss(view)["is_xss"]:
                out.add("xss")
        except Exception:
            pass
        return out

    def flags(self, texts: list[str]) -> list[set[str]]:
        result = []
        for text in texts:
            found: set[str] = set()
            for view in views(text):
                found |= self._one(view)
            result.append(found)
        return result


# Runs inside the pyrasp virtual environment: reads a JSON list of texts on stdin, writes a
# JSON list of [sqli, xss] booleans. Only pyrasp's public model files and defaults are used.
_PYRASP_WORKER = r"""
import json, sys
from importlib import resources
from importlib.metadata import version
import cloudpickle
from pyrasp import pyrasp_data as d

base = resources.files("pyrasp") / "data"
with open(base / ("sqli_model-" + d.SQLI_MODEL_VERSION), "rb") as f:
    sqli = cloudpickle.load(f)
with open(base / ("xss_model-" + d.XSS_MODEL_VERSION), "rb") as f:
    xss = cloudpickle.load(f)
t_sqli = float(d.DEFAULT_CONFIG["SQLI_PROBA"])
t_xss = float(d.DEFAULT_CONFIG["XSS_PROBA"])
texts = [t.lower() for t in json.load(sys.stdin)]
out = []
for start in range(0, len(texts), 1024):
    batch = texts[start:start + 1024]
    ps = sqli.predict_proba(batch)[:, 1] if batch else []
    px = xss.predict_proba(batch)[:, 1] if batch else []
    out.extend([bool(a > t_sqli), bool(b > t_xss)] for a, b in zip(ps, px))
json.dump({"version": "pyrasp " + version("pyrasp") + " (sqli model " + d.SQLI_MODEL_VERSION
           + " > " + str(t_sqli) + ", xss model " + d.XSS_MODEL_VERSION + " > " + str(t_xss) + ")",
           "flags": out}, sys.stdout)
"""


class Pyrasp(Peer):
    name = "pyrasp"

    def __init__(self, python: str | None = None) -> None:
        super().__init__()
        exe = python or os.environ.get("IRONRASP_BENCH_PYRASP_PYTHON") or str(DEFAULT_PYRASP_PYTHON)
        self.python = exe
        if not Path(exe).exists():
            self.reason = (
                f"no pyrasp interpreter at {exe} (needs CPython 3.12; see bench/README.md,"
                " or pass --pyrasp-python)"
            )
            return
        probe = subprocess.run(
            [exe, "-c", "import pyrasp.pyrasp_data, cloudpickle, sklearn"],
            capture_output=True,
            text=True,
        )
        if probe.returncode != 0:
            last = (probe.stderr.strip().splitlines() or ["?"])[-1]
            self.reason = f"pyrasp not importable with {exe}: {last}"
            return
        self.available = True

    def flags(self, texts: list[str]) -> list[set[str]]:
        # Each text contributes its views; the answers are folded back per text.
        owner: list[int] = []
        flat: list[str] = []
        for i, text in enumerate(texts):
            for view in views(text):
                owner.append(i)
                flat.append(view)
        proc = subprocess.run(
            [self.python, "-c", _PYRASP_WORKER],
            input=json.dumps(flat),
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-2000:])
            raise RuntimeError(f"pyrasp worker failed with exit code {proc.returncode}")
        answer = json.loads(proc.stdout)
        self.version = answer["version"]
        result: list[set[str]] = [set() for _ in texts]
        for i, (is_sqli, is_xss) in zip(owner, answer["flags"], strict=True):
            if is_sqli:
                result[i].add("sqli")
            if is_xss:
                result[i].add("xss")
        return result


def load_peers(
    pyrasp_python: str | None = None, wanted: tuple[str, ...] = ("libinjection", "pyrasp")
) -> list[Peer]:
    peers: list[Peer] = []
    if "libinjection" in wanted:
        peers.append(Libinjection())
    if "pyrasp" in wanted:
        peers.append(Pyrasp(pyrasp_python))
    return peers
