"""Events on the console and in JSON lines, the banner, configuration by file, dict and
environment, and clear errors for bad configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from flask import Flask

import ironrasp
from conftest import Client, make_app
from ironrasp import ConfigError, Engine, FlaskRASP


def test_banner_and_console_lines(capfd, tmp_path):
    app = make_app({"app_name": "shop-api"})
    c = Client(app)
    c.get("/search", query_string={"q": "1;cat /etc/passwd"})
    c.rasp.engine.flush()
    out = capfd.readouterr().out
    assert "IronRASP" in out and "'shop-api'" in out and "mode: protect" in out
    line = next(x for x in out.splitlines() if x.startswith("[!] COMMAND INJECTION"))
    assert "qs_values 'q' -> 1;cat /etc/passwd" in line
    assert c.ip in line and "action=block" in line


def test_json_event_has_every_field(app):
    c = Client(app)
    c.get("/search?q=%3Bcat%20%2Fetc%2Fpasswd%0A%1b[31m", headers={"User-Agent": "t"})
    e = next(e for e in c.events() if e["type"] == "cmdi")
    for key in [
        "time",
        "app",
        "type",
        "client",
        "method",
        "path",
        "location",
        "payload",
        "decoders",
        "score",
        "evidence",
        "codes",
        "action",
    ]:
        assert key in e, key
    assert e["time"].endswith("Z") and e["method"] == "GET" and e["path"] == "/search"
    assert e["codes"] == {"mitre": "T1059.004", "ironrasp": "IR-2001"}
    assert "\x1b" not in e["payload"] and "\\u{1b}" in e["payload"], "payload made printable"
    assert 0.5 <= e["score"] <= 1.0


def test_payload_is_truncated(tmp_path):
    app = make_app({"log": {"max_payload": 20}}, events=tmp_path / "e.jsonl")
    c = Client(app)
    c.get("/search", query_string={"q": "; cat /etc/passwd " + "A" * 500})
    e = next(e for e in c.events() if e["type"] == "cmdi")
    assert len(e["payload"]) <= 21


def test_config_from_toml_file(tmp_path):
    cfg = tmp_path / "ironrasp.toml"
    cfg.write_text('app_name = "from-file"\nmode = "monitor"\n[flood]\nmax_requests = 2\n')
    app = Flask("x")
    rasp = FlaskRASP(app, config=str(cfg))
    conf = json.loads(rasp.engine.config_json())
    assert conf["app_name"] == "from-file" and conf["mode"] == "monitor"
    assert conf["flood"]["max_requests"] == 2 and conf["flood"]["window"] == 10.0


def test_config_from_environment(monkeypatch, tmp_path):
    cfg = tmp_path / "c.json"
    cfg.write_text(json.dumps({"app_name": "env-file"}))
    monkeypatch.setenv("IRONRASP_CONFIG", str(cfg))
    monkeypatch.setenv("IRONRASP_MODE", "monitor")
    monkeypatch.setenv("IRONRASP_FLOOD_MAX_REQUESTS", "9")
    conf = Engine().config
    assert conf["app_name"] == "env-file" and conf["mode"] == "monitor"
    assert conf["flood"]["max_requests"] == 9
    # Environment beats the file or dict given in code, key by key.
    assert Engine({"mode": "protect", "app_name": "d"}).config["mode"] == "monitor"


@pytest.mark.parametrize(
    "config,key",
    [
        ({"mode": "loud"}, "mode"),
        ({"modes": "monitor"}, "modes"),
        ({"flood": {"max": 3}}, "flood.max"),
        ({"whitelist": ["10.0.0.1", "not-an-ip"]}, "whitelist[1]"),
        ({"blacklist_ttl": -1}, "blacklist_ttl"),
        ({"ztaa": {"enabled": True}}, "ztaa.secret"),
        ({"limits": {"max_body": 0}}, "limits.max_body"),
    ],
)
def test_bad_configuration_names_the_key(config, key):
    with pytest.raises(ConfigError) as e:
        FlaskRASP(Flask("x"), config=config)
    assert f"`{key}`" in str(e.value)
    assert e.value.key == key


def test_bad_environment_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("IRONRASP_BLACKLIST_TTL", "tomorrow")
    with pytest.raises(ConfigError, match="IRONRASP_BLACKLIST_TTL"):
        Engine()


def test_unknown_environment_key_is_an_error(monkeypatch):
    monkeypatch.setenv("IRONRASP_BLACKLIST_TIME", "5")
    with pytest.raises(ConfigError, match="IRONRASP_BLACKLIST_TIME.*unknown"):
        Engine()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        Engine(str(tmp_path / "nope.toml"))


def test_scan_value_api():
    e = Engine({"log": {"banner": False}})
    f = e.scan_value("; cat /etc/passwd")
    assert {x["class"] for x in f} >= {"cmdi"}
    assert all(0.0 <= x["score"] <= 1.0 for x in f)
    assert e.scan_value("hello world") == []
    nested = e.scan_value("eyJhIjogIjsgY2F0IC9ldGMvcGFzc3dkIn0=")  # base64 of a JSON
    assert nested and nested[0]["decoders"][0] == "base64"


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, IRONRASP_LOG_BANNER="false")
    return subprocess.run(
        [sys.executable, "-m", "ironrasp.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_cli_scan_reads_json_lines_and_plain_lines():
    stdin = '{"text": "; cat /etc/passwd", "id": 1}\nhello\n../../../etc/shadow\n'
    r = _cli("scan", stdin=stdin)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(rows) == 3
    assert rows[0]["id"] == 1 and rows[0]["findings"][0]["class"] == "cmdi"
    assert rows[1]["findings"] == []
    assert rows[2]["findings"][0]["class"] == "path_traversal"
    assert isinstance(rows[2]["findings"][0]["score"], float)


def test_cli_scan_file_and_exit_code(tmp_path):
    p = tmp_path / "values.txt"
    p.write_text("benign\n")
    assert _cli("scan", str(p), "--fail-on-finding").returncode == 0
    p.write_text("benign\n;id\n")
    assert _cli("scan", str(p), "--fail-on-finding").returncode == 1


def test_cli_check_config(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('mode = "monitor"\n')
    r = _cli("check-config", str(good))
    assert r.returncode == 0 and "ok" in r.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text("[flood]\nmax_requests = 'many'\n")
    r = _cli("check-config", str(bad))
    assert r.returncode == 2 and "flood.max_requests" in r.stderr


def test_cli_defaults_lists_every_section():
    r = _cli("defaults")
    assert r.returncode == 0
    for section in ["mode", "blacklist_ttl", "[flood]", "[brute_force]", "[limits]", "[ztaa]"]:
        assert section in r.stdout


def test_documentation_lists_every_key():
    """docs/configuration.md documents every key the engine accepts."""
    from pathlib import Path

    import tomllib

    from ironrasp import _engine

    doc = (Path(__file__).parent.parent / "docs" / "configuration.md").read_text(encoding="utf-8")
    defaults = tomllib.loads(_engine.default_config_toml())
    missing = []
    for key, value in defaults.items():
        if isinstance(value, dict):
            missing += [f"{key}.{k}" for k in value if f"`{key}.{k}`" not in doc]
        elif f"`{key}`" not in doc:
            missing.append(key)
    assert not missing, missing


def test_version():
    assert ironrasp.__version__.count(".") == 2
