"""The ``ironrasp`` command: scan values, check a configuration, mint access tokens."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import TextIO

from ironrasp import _engine
from ironrasp.engine import Engine

BATCH = 512


def _records(stream: TextIO) -> Iterator[tuple[str, dict]]:
    """Yields (text, original record) from JSON lines with a "text" field or plain lines."""
    for line in stream:
        line = line.rstrip("\n")
        if not line.strip():
            continue
        if line.lstrip().startswith("{"):
            try:
                rec = json.loads(line)
            except ValueError:
                rec = None
            if isinstance(rec, dict) and isinstance(rec.get("text"), str):
                yield rec["text"], rec
                continue
        yield line, {"text": line}


def cmd_scan(args: argparse.Namespace) -> int:
    engine = Engine(args.config)
    stream = open(args.file, encoding="utf-8", errors="replace") if args.file != "-" else sys.stdin
    out = sys.stdout
    flagged = 0
    try:
        batch: list[tuple[str, dict]] = []

        def flush() -> None:
            nonlocal flagged
            results = engine.scan_values([t for t, _ in batch])
            for (_, rec), findings in zip(batch, results, strict=True):
                rec = dict(rec)
                rec["findings"] = [
                    {
                        "class": f["class"],
                        "score": round(f["score"], 4),
                        "evidence": f["evidence"],
                        "decoders": f["decoders"],
                    }
                    for f in findings
                ]
                flagged += bool(findings)
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            batch.clear()

        for item in _records(stream):
            batch.append(item)
            if len(batch) >= BATCH:
                flush()
        if batch:
            flush()
    finally:
        if stream is not sys.stdin:
            stream.close()
    return 1 if args.fail_on_finding and flagged else 0


def cmd_check_config(args: argparse.Namespace) -> int:
    try:
        engine = Engine(args.file)
    except _engine.ConfigError as e:
        print(str(e), file=sys.stderr)
        return 2
    print(f"ok: {args.file}")
    print(engine.banner())
    return 0


def cmd_defaults(_: argparse.Namespace) -> int:
    print(_engine.default_config_toml(), end="")
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    print(_engine.make_access_token(args.secret, args.ttl))
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="ironrasp", description="IronRASP command-line tool")
    p.add_argument("--version", action="version", version=f"ironrasp {_engine.__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("scan", help="scan values (JSON lines with a 'text' field, or plain lines)")
    s.add_argument("file", nargs="?", default="-", help="input file (default: standard input)")
    s.add_argument("--config", default=None, help="configuration file")
    s.add_argument("--fail-on-finding", action="store_true", help="exit 1 if anything was found")
    s.set_defaults(func=cmd_scan)

    c = sub.add_parser("check-config", help="validate a configuration file")
    c.add_argument("file")
    c.set_defaults(func=cmd_check_config)

    d = sub.add_parser("defaults", help="print every configuration key with its default (TOML)")
    d.set_defaults(func=cmd_defaults)

    t = sub.add_parser("token", help="mint a zero-trust access token")
    t.add_argument("secret")
    t.add_argument("--ttl", type=int, default=300, help="validity in seconds (default 300)")
    t.set_defaults(func=cmd_token)

    args = p.parse_args(argv)
    try:
        return args.func(args)
    except _engine.ConfigError as e:
        print(str(e), file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
