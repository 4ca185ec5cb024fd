"""OWASP Core Rule Set regression tests replayed as requests against a Flask app under IronRASP.

Usage (from the repository root, venv active):
    python bench/crs.py [--crs ../shared/crs-tests] [--limit N] [--write]

Every stage of every REQUEST-* test file becomes one request, built the way a WSGI server would
hand it to the application: the query string raw in QUERY_STRING, the path percent-decoded in
PATH_INFO (as latin-1 text of the bytes, PEP 3333), headers as HTTP_* keys, the body in
wsgi.input. ``encoded_request`` stages (a base64 raw HTTP request) are parsed here: request
line, headers, body (chunked bodies are de-chunked, as a server does). The environ is sent with
Werkzeug's test client to a Flask app whose routes accept every path and every method used by
the tests, protected by FlaskRASP (flood, brute force and validation off; a fresh client address
per stage, so no blacklist carries over).

A stage is *refused* when the response status is the configured block status (403). A stage
whose output expects rule ids (``expect_ids``) is an attack and should be refused; one with only
``no_expect_ids`` is benign and should pass. Stages with other expectations (a status code, a
log regex) are counted apart. A request a WSGI server would reject before any application sees
it (no valid method token, a URI with whitespace, an invalid HTTP version, a broken body) is
*not run*, with its reason.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import datetime
import io
import itertools
import logging
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote_plus, unquote_plus, unquote_to_bytes

import yaml
from flask import Flask
from werkzeug.test import Client
from werkzeug.wrappers import Request

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "crs.md"
BLOCK_STATUS = 403
CONFIG: dict[str, Any] = {
    "flood": {"enabled": False},
    "brute_force": {"enabled": False},
    "validation": {"enabled": False},
    "log": {"console": "off", "banner": False},
}
ATTACK_FILES = range(930, 945)
POLICY_FILES = (911, 920, 921, 922)

_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_VERSION = re.compile(r"^HTTP/\d\.\d$")
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")


@dataclass
class Stage:
    file: str  # REQUEST-9xx-NAME
    rule: str
    test: str
    kind: str  # attack | benign | other
    method: str = "GET"
    uri: str = "/"
    version: str = "HTTP/1.1"
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    autocomplete: bool = True
    raw: bool = False  # built from encoded_request
    error: str = ""  # why it cannot be expressed, if so


def classify(output: dict[str, Any]) -> str:
    log = output.get("log") or {}
    if log.get("expect_ids"):
        return "attack"
    if log.get("no_expect_ids"):
        return "benign"
    return "other"


def parse_raw(stage: Stage, raw: bytes) -> None:
    """Fills ``stage`` from a raw HTTP request (request line, headers, blank line, body)."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = raw.partition(b"\n\n")
    lines = re.split(rb"\r?\n", head)
    parts = lines[0].decode("latin-1").split(" ")
    if len(parts) != 3:
        stage.error = "request line is not 'METHOD URI VERSION'"
        return
    stage.method, stage.uri, stage.version = parts
    for line in lines[1:]:
        name, colon, value = line.decode("latin-1").partition(":")
        if not colon:
            stage.error = "header line without a colon"
            return
        stage.headers.append((name, value.strip()))
    stage.body = body
    stage.autocomplete = False
    stage.raw = True


def _already_escaped(data: str) -> bool:
    """True when form data looks encoded already: unescaping changes it or fails."""
    if re.search(r"%(?![0-9A-Fa-f]{2})", data):
        return True
    return unquote_plus(data) != data


def complete(st: Stage) -> None:
    """Completes a structured stage the way the CRS test runner (go-ftw) puts it on the wire.

    With a body and autocompletion on: Content-Type defaults to form encoding, and form data that
    is not percent-encoded yet gets each key and value encoded (the tests write them plain);
    multipart bodies get CRLF line ends; Content-Length is set for a body or a body method.
    """
    names = {n.lower() for n, _ in st.headers}
    if st.body and st.autocomplete:
        if "content-type" not in names:
            st.headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            names.add("content-type")
        ctype = next(v for n, v in st.headers if n.lower() == "content-type")
        text = st.body.decode("utf-8")
        if ctype == "application/x-www-form-urlencoded" and not _already_escaped(text):
            pairs = []
            for token in text.split("&"):
                key, eq, value = token.partition("=")
                pairs.append(
                    quote_plus(key, safe="") + (("=" + quote_plus(value, safe="")) if eq else "")
                )
            st.body = "&".join(pairs).encode("ascii")
    ctype = next((v for n, v in st.headers if n.lower() == "content-type"), "")
    if ctype.startswith("multipart/form-data;"):
        st.body = st.body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    if (
        st.autocomplete
        and "content-length" not in names
        and (st.body or st.method in ("POST", "PUT", "PATCH", "DELETE"))
    ):
        st.headers.append(("Content-Length", str(len(st.body))))


def load_stages(crs: Path) -> list[Stage]:
    stages: list[Stage] = []
    for path in sorted(list(crs.glob("REQUEST-*/*.yaml")) + list(crs.glob("REQUEST-*/*.yml"))):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(doc, dict):  # an empty test file: no tests to run
            continue
        rule = str(doc.get("rule_id", path.stem))
        for test in doc.get("tests") or []:
            for n, entry in enumerate(test.get("stages") or []):
                entry = entry.get("stage", entry)  # older files nest each stage under "stage"
                inp = entry.get("input") or {}
                st = Stage(
                    file=path.parent.name,
                    rule=rule,
                    test=f"{test.get('test_id')}.{n}",
                    kind=classify(entry.get("output") or {}),
                )
                if "encoded_request" in inp:
                    try:
                        parse_raw(st, base64.b64decode(inp["encoded_request"], validate=False))
                    except (binascii.Error, ValueError) as e:
                        st.error = f"encoded_request is not base64: {e}"
                else:
                    st.method = str(inp.get("method") if inp.get("method") is not None else "GET")
                    st.uri = str(inp.get("uri") if inp.get("uri") is not None else "/")
                    st.version = str(
                        inp.get("version") if inp.get("version") is not None else "HTTP/1.1"
                    )
                    st.headers = [(str(k), str(v)) for k, v in (inp.get("headers") or {}).items()]
                    data = inp.get("data")
                    st.body = b"" if data is None else str(data).encode("utf-8")
                    st.autocomplete = inp.get("autocomplete_headers", True) is not False
                    complete(st)
                stages.append(st)
    return stages


def dechunk(body: bytes) -> bytes | None:
    """The payload of a chunked body, or None when it is malformed."""
    out, rest = bytearray(), body
    for _ in range(100_000):  # bounded: each round consumes at least one line
        line, sep, rest = rest.partition(b"\r\n")
        if not sep:
            return None
        try:
            size = int(line.split(b";")[0].strip(), 16)
        except ValueError:
            return None
        if size == 0:
            return bytes(out)
        if len(rest) < size + 2 or rest[size : size + 2] != b"\r\n":
            return None
        out += rest[:size]
        rest = rest[size + 2 :]
    return None


_addresses = itertools.count(1)


def fresh_address() -> str:
    n = next(_addresses)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def environ_for(st: Stage) -> tuple[dict[str, Any] | None, str]:
    """The WSGI environ a server would build, or (None, reason) when a server would refuse."""
    if st.error:
        return None, st.error
    if not _TOKEN.match(st.method):
        return None, "method is not an HTTP token (a server answers 400)"
    if not _VERSION.match(st.version):
        return None, f"HTTP version {st.version!r} is not HTTP/x.y (a server answers 400)"
    try:
        raw_uri = st.uri.encode("utf-8")
    except UnicodeEncodeError:
        return None, "URI is not encodable"
    if re.search(rb"[\x00-\x20\x7f]", raw_uri):
        return None, "URI contains whitespace or control bytes (not a valid request line)"
    target = raw_uri.decode("latin-1")
    m = _ABSOLUTE.match(target)
    if m:  # absolute form: the server routes on the path part
        target = target[m.end() :] or "/"
    path, _, query = target.partition("?")
    path = path.partition("#")[0]
    query = query.partition("#")[0]
    path_info = unquote_to_bytes(path).decode("latin-1") if path else "/"

    env: dict[str, Any] = {
        "REQUEST_METHOD": st.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "RAW_URI": raw_uri.decode("latin-1"),
        "REQUEST_URI": raw_uri.decode("latin-1"),
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": st.version,
        "REMOTE_ADDR": fresh_address(),
        "REMOTE_PORT": "40000",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in st.headers:
        if not _TOKEN.match(name):
            return None, f"header name {name!r} is not a token (a server answers 400)"
        key = name.upper().replace("-", "_")
        key = key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key
        env[key] = env[key] + "," + value if key in env else value

    body = st.body
    chunked = env.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked"
    if chunked:
        env.pop("CONTENT_LENGTH", None)
        if body:
            decoded = dechunk(body)
            if decoded is None:
                return None, "malformed chunked body (a server answers 400)"
            body = decoded
        env["wsgi.input_terminated"] = True
    elif "CONTENT_LENGTH" in env:
        try:
            length = int(env["CONTENT_LENGTH"])
        except ValueError:
            return None, "Content-Length is not a number (a server answers 400)"
        body = body[: max(length, 0)]  # a server reads exactly Content-Length bytes
    elif body and st.autocomplete:
        env["CONTENT_LENGTH"] = str(len(body))  # the test runner completes it
    elif body:
        body = b""  # no length, not chunked: a server reads no body
    env["wsgi.input"] = io.BytesIO(body)
    return env, ""


def make_app(methods: set[str]) -> Flask:
    app = Flask("crs")
    app.url_map.strict_slashes = False
    app.url_map.merge_slashes = False
    allowed = sorted(methods | {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"})

    def ok(p: str = "") -> tuple[str, int]:
        return "ok", 200

    app.add_url_rule("/", "root", ok, methods=allowed)
    app.add_url_rule("/<path:p>", "any", ok, methods=allowed)
    from ironrasp import FlaskRASP

    FlaskRASP(app, config=CONFIG)
    return app


class ErrorCounter(logging.Handler):
    """Counts errors the adapter logs (an inspection that raised is not a detection)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class Tally:
    attack: int = 0
    attack_refused: int = 0
    benign: int = 0
    benign_passed: int = 0
    other: int = 0
    other_refused: int = 0
    not_run: int = 0
    errors: int = 0

    def add(self, o: Tally) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(o, k))


def share(k: int, n: int) -> str:
    return f"{k} / {n} = {100 * k / n:.1f}%" if n else "-"


def row(name: str, t: Tally) -> str:
    other = f"{t.other_refused} / {t.other} refused" if t.other else "-"
    return (
        f"| {name} | {share(t.attack_refused, t.attack)} | {share(t.benign_passed, t.benign)} "
        f"| {other} | {t.not_run} | {t.errors} |"
    )


def mark(ok: bool) -> str:
    return "x" if ok else " "


def now() -> str:
    return datetime.datetime.now().strftime("%Y-%m-%d %H:%M")


def number(file: str) -> int:
    return int(file.split("-")[1])


def git_commit() -> str:
    def run(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()

    commit = run("rev-parse", "--short", "HEAD") or "unknown"
    dirty = run("status", "--porcelain", "--untracked-files=no")
    return commit + (" + uncommitted changes in the working tree" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--crs", default=str(ROOT.parent / "shared" / "crs-tests"))
    ap.add_argument(
        "--limit", type=int, default=None, help="at most N stages per rule file (quick runs)"
    )
    ap.add_argument(
        "--write", action="store_true", help=f"write the report to {RESULTS.relative_to(ROOT)}"
    )
    ap.add_argument(
        "--failures",
        action="store_true",
        help="list the stages that went the wrong way (rule, test id, kind) on stderr",
    )
    a = ap.parse_args(argv)

    stages = load_stages(Path(a.crs))
    if a.limit is not None:
        per_file: Counter[str] = Counter()
        kept = []
        for st in stages:
            if per_file[st.file] < a.limit:
                per_file[st.file] += 1
                kept.append(st)
        stages = kept

    app = make_app({st.method for st in stages if _TOKEN.match(st.method)})
    # No cookie jar: with an empty jar Werkzeug's client deletes the stage's own Cookie header.
    client = Client(app, use_cookies=False)
    errors = ErrorCounter()
    logging.getLogger("ironrasp").addHandler(errors)

    tallies: dict[str, Tally] = defaultdict(Tally)
    reasons: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    wrong: list[str] = []
    for st in stages:
        t = tallies[st.file]
        env, reason = environ_for(st)
        if env is None:
            t.not_run += 1
            reasons[reason] += 1
            continue
        before = errors.count
        resp = client.open(Request(env))
        refused = resp.status_code == BLOCK_STATUS
        resp.close()
        statuses[resp.status_code] += 1
        if errors.count != before:
            t.errors += 1
        if st.kind == "attack":
            t.attack += 1
            t.attack_refused += refused
            if not refused:
                wrong.append(f"{st.rule} test {st.test}: attack passed")
        elif st.kind == "benign":
            t.benign += 1
            t.benign_passed += not refused
            if refused:
                wrong.append(f"{st.rule} test {st.test}: benign refused")
        else:
            t.other += 1
            t.other_refused += refused

    header = (
        "| rule file | attack stages refused | benign stages passed | other expectations "
        "| not run | inspection errors |\n| --- | ---: | ---: | ---: | ---: | ---: |"
    )
    groups = [
        ("Attack rule files 930-944", [f for f in sorted(tallies) if number(f) in ATTACK_FILES]),
        (
            "Protocol and policy rule files 911, 920, 921, 922",
            [f for f in sorted(tallies) if number(f) in POLICY_FILES],
        ),
        (
            "Other rule files (913 scanner detection, 949 blocking evaluation, 999 exceptions)",
            [
                f
                for f in sorted(tallies)
                if number(f) not in ATTACK_FILES and number(f) not in POLICY_FILES
            ],
        ),
    ]
    out = [
        f"{len(stages)} stages from `{a.crs}`"
        + (f" (at most {a.limit} per rule file)" if a.limit else "")
        + "."
    ]
    overall = Tally()
    totals: dict[str, Tally] = {}
    for title, files in groups:
        total = Tally()
        lines = []
        for f in files:
            total.add(tallies[f])
            lines.append(row(f, tallies[f]))
        overall.add(total)
        totals[title] = total
        out += [
            "",
            f"## {title}",
            "",
            header,
            *lines,
            row(f"**total {title.split(' (')[0].lower()}**", total),
        ]
    attack_total = totals[groups[0][0]]
    no943 = Tally()
    for f in groups[0][1]:
        if number(f) != 943:
            no943.add(tallies[f])
    out += [
        "",
        "## Overall",
        "",
        header,
        row("930-944 without 943 (session fixation)", no943),
        row("**all rule files**", overall),
    ]

    ar = attack_total.attack_refused / attack_total.attack if attack_total.attack else 0.0
    bp = attack_total.benign_passed / attack_total.benign if attack_total.benign else 0.0
    out += [
        "",
        "## Targets",
        "",
        f"- [{mark(ar >= 0.95)}] attack stages refused in 930-944 >= 95% (is {100 * ar:.1f}%)",
        f"- [{mark(bp >= 0.98)}] benign stages passed in 930-944 >= 98% (is {100 * bp:.1f}%)",
    ]
    out += ["", "## Not run", ""]
    out += [f"- {n} stage(s): {r}" for r, n in reasons.most_common()] or ["- none"]
    out += [
        "",
        "Response statuses of the stages run: "
        + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
        + ".",
    ]
    out += [
        "",
        """\
Definitions: a stage is *refused* iff the response status is 403, IronRASP's block status (the
app itself answers 200 on every path and method; 404/405/400 can only come from Flask/Werkzeug
and count as passed). *Attack* = the stage's `output.log` has `expect_ids`; *benign* = only
`no_expect_ids`; *other* = a status or log-regex expectation without rule ids (mostly 920 protocol
checks), reported as refused/total without a verdict. *Inspection errors* = stages where the
adapter logged an error (then the configured fail-open/fail-closed decides). Each stage comes from
a fresh client address. 943 (session fixation) is inside the 930-944 range of the target and is
counted there; 913 (scanner user agents) is a policy choice, reported with the other files.""",
    ]

    body = "\n".join(out)
    print(body)
    if a.failures:
        print("\n".join(wrong), file=sys.stderr)
    if a.write:
        cmd = "python bench/crs.py " + " ".join(argv if argv is not None else sys.argv[1:])
        head = [
            "# OWASP CRS regression tests against Flask + IronRASP (bench/crs.py)",
            "",
            f"- Measured on commit {git_commit()}, {now()}",
            f"- Command: `{cmd.strip()}`",
            f"- Configuration: `{CONFIG}` (everything else default)",
            f"- Python {sys.version.split()[0]}",
            "",
        ]
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text("\n".join(head) + "\n" + body + "\n", encoding="utf-8")
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
