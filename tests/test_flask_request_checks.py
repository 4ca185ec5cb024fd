"""Request-level checks through a real Flask app: blacklist, decoys, host, flood, brute force,
route validation, zero-trust access, client address, whitelist, modes."""

from __future__ import annotations

import pytest

from conftest import Client, fresh_ip, make_app
from ironrasp import make_access_token


def types(client: Client) -> list[str]:
    return [e["type"] for e in client.events()]


def test_block_is_a_neutral_403(tmp_path):
    app = make_app({"block": {"status": 406, "body": "Nope"}}, events=tmp_path / "e.jsonl")
    r = Client(app).get("/search?q=;cat /etc/passwd")
    assert r.status_code == 406
    assert r.data == b"Nope"
    assert b"cmdi" not in r.data and b"Traceback" not in r.data


def test_decoy_blacklists_the_address_and_only_that_address(app):
    attacker, other = Client(app), Client(app)
    assert attacker.get("/.env").status_code == 403
    assert attacker.get("/").status_code == 403, "blacklisted: refused before any other check"
    assert other.get("/").status_code == 200
    assert types(attacker)[:2] == ["decoy", "blacklist"]
    assert attacker.rasp.engine.blacklist()[0][0] == attacker.ip


def test_blacklist_ttl_zero_blocks_without_blacklisting(tmp_path):
    app = make_app({"blacklist_ttl": 0}, events=tmp_path / "e.jsonl")
    c = Client(app)
    assert c.get("/wp-login.php").status_code == 403
    assert c.get("/").status_code == 200


def test_blacklist_expires(tmp_path):
    app = make_app({"blacklist_ttl": 1}, events=tmp_path / "e.jsonl")
    c = Client(app)
    assert c.get("/.git/config").status_code == 403
    assert c.get("/").status_code == 403
    import time

    time.sleep(1.1)
    assert c.get("/").status_code == 200


def test_a_routed_path_is_never_a_decoy(tmp_path):
    app = make_app(extra_routes=True, events=tmp_path / "e.jsonl")
    c = Client(app)
    assert c.get("/wp-admin/").status_code == 200
    assert c.get("/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/.aws/credentials",
        "/phpmyadmin/",
        "/xmlrpc.php",
        "/actuator/env",
        "/cgi-bin/x.cgi",
        "/server-status",
        "/.DS_Store",
        "/.ssh/id_rsa",
    ],
)
def test_scanner_paths_are_decoys(app, path):
    assert Client(app).get(path).status_code == 403


def test_extra_decoys_from_configuration(tmp_path):
    app = make_app({"decoy": {"paths": ["/old-admin"]}}, events=tmp_path / "e.jsonl")
    assert Client(app).get("/old-admin/x").status_code == 403


def test_host_spoofing(tmp_path):
    app = make_app({"allowed_hosts": ["shop.example", ".cdn.example"]}, events=tmp_path / "e.jsonl")
    c = Client(app)
    assert c.get("/", headers={"Host": "shop.example"}).status_code == 200
    assert c.get("/", headers={"Host": "img.cdn.example:8443"}).status_code == 200
    assert c.get("/", headers={"Host": "evil.example"}).status_code == 403
    assert types(c) == ["spoofing"]


def test_no_allowed_hosts_means_no_host_check(app):
    assert Client(app).get("/", headers={"Host": "anything.example"}).status_code == 200


def test_flood(tmp_path):
    app = make_app({"flood": {"max_requests": 5, "window": 60}}, events=tmp_path / "e.jsonl")
    c, other = Client(app), Client(app)
    codes = [c.get("/").status_code for _ in range(7)]
    assert codes == [200] * 5 + [403] * 2
    assert other.get("/").status_code == 200
    assert "flood" in types(c)


def test_brute_force_blacklists_after_error_responses(tmp_path):
    app = make_app({"brute_force": {"max_errors": 3, "window": 60}}, events=tmp_path / "e.jsonl")
    c = Client(app)
    codes = [c.post("/login", data={"user": "a", "password": str(i)}).status_code for i in range(5)]
    assert codes == [401, 401, 401, 401, 403]
    assert "brute_force" in types(c)
    assert Client(app).get("/").status_code == 200


def test_route_validation_logs_and_counts(tmp_path):
    app = make_app({"brute_force": {"max_errors": 2, "window": 60}}, events=tmp_path / "e.jsonl")
    c = Client(app)
    assert c.get("/no-such-page").status_code == 404
    assert c.delete("/search").status_code == 405
    t = types(c)
    assert "unrouted_path" in t and "method_not_allowed" in t
    ev = [e for e in c.events() if e["type"] == "unrouted_path"][0]
    assert ev["action"] == "log" and ev["codes"]["mitre"].startswith("T1595")
    # Two errors counted once each (not again for the 404 response): the third one trips
    # brute force, is refused, and the address is blacklisted.
    assert c.get("/nope-again").status_code == 403
    assert c.get("/").status_code == 403
    assert "brute_force" in types(c)


def test_route_templates_cover_converters(app):
    c = Client(app)
    assert c.get("/files/a/b/c.txt").status_code == 200
    assert "unrouted_path" not in types(c)


def test_zero_trust_access(tmp_path):
    app = make_app(
        {"ztaa": {"enabled": True, "secret": "s3cret", "header": "X-Access"}},
        events=tmp_path / "e.jsonl",
    )
    c = Client(app)
    assert c.get("/").status_code == 403
    assert c.get("/", headers={"X-Access": "wrong"}).status_code == 403
    assert c.get("/", headers={"X-Access": "s3cret"}).status_code == 200
    assert c.get("/", headers={"X-Access": make_access_token("s3cret", 60)}).status_code == 200
    assert c.get("/", headers={"X-Access": make_access_token("other", 60)}).status_code == 403
    expired = "1000." + make_access_token("s3cret", 60).split(".", 1)[1]
    assert c.get("/", headers={"X-Access": expired}).status_code == 403
    assert types(c).count("ztaa") == 4


def test_forwarded_headers_from_untrusted_peers_are_ignored(app):
    attacker = Client(app)
    assert attacker.get("/.env").status_code == 403
    # Claiming another address does not escape the blacklist...
    r = attacker.get("/", headers={"X-Forwarded-For": "203.0.113.50", "X-Real-IP": "203.0.113.51"})
    assert r.status_code == 403
    # ...and cannot get a third party blacklisted.
    framer = Client(app)
    victim = "203.0.113.77"
    framer.get("/.env", headers={"X-Forwarded-For": victim})
    assert Client(app, ip=victim).get("/").status_code == 200


def test_trusted_proxy_chain_gives_the_real_client(tmp_path):
    app = make_app({"trusted_proxies": ["10.0.0.0/8"]}, events=tmp_path / "e.jsonl")
    proxy = "10.1.2.3"
    attacker_ip, innocent_ip = fresh_ip(), fresh_ip()
    via = Client(app, ip=proxy)
    # The client spoofs an address on the left; the proxy appends the real one on the right.
    r = via.get("/.env", headers={"X-Forwarded-For": f"{innocent_ip}, {attacker_ip}"})
    assert r.status_code == 403
    blacklisted = [ip for ip, _ in via.rasp.engine.blacklist()]
    assert blacklisted == [attacker_ip]
    assert via.get("/", headers={"X-Forwarded-For": innocent_ip}).status_code == 200
    assert via.get("/", headers={"X-Forwarded-For": attacker_ip}).status_code == 403
    assert Client(app, ip=proxy).get("/").status_code == 200, "the proxy itself is not blacklisted"


def test_whitelist_is_never_blocked_and_matches_as_addresses(tmp_path):
    app = make_app({"whitelist": ["192.0.2.10", "192.0.2.128/25"]}, events=tmp_path / "e.jsonl")
    assert Client(app, ip="192.0.2.10").get("/.env").status_code == 404
    assert Client(app, ip="192.0.2.200").get("/search?q=;cat /etc/passwd").status_code == 200
    assert Client(app, ip="192.0.2.100").get("/.env").status_code == 403, "no prefix matching"
    ev = Client(app).events()
    assert ev[0]["action"] == "monitor"


def test_a_whitelisted_address_cannot_be_claimed(tmp_path):
    app = make_app({"whitelist": ["192.0.2.10"]}, events=tmp_path / "e.jsonl")
    r = Client(app).get("/.env", headers={"X-Forwarded-For": "192.0.2.10"})
    assert r.status_code == 403


def test_monitor_mode_only_logs(tmp_path):
    app = make_app({"mode": "monitor"}, events=tmp_path / "e.jsonl")
    c = Client(app)
    assert c.get("/search?q=;cat /etc/passwd").status_code == 200
    assert c.get("/.env").status_code == 404
    assert c.get("/").status_code == 200
    actions = {e["type"]: e["action"] for e in c.events()}
    assert actions["cmdi"] == actions["decoy"] == "monitor"
    assert actions["unrouted_path"] == "log"


def test_checks_can_be_switched_off(tmp_path):
    app = make_app(
        {"cmdi": {"enabled": False}, "decoy": {"enabled": False}}, events=tmp_path / "e.jsonl"
    )
    c = Client(app)
    assert c.get("/search?q=;cat /etc/hostname").status_code == 200
    assert c.get("/.env").status_code == 404


def test_action_log_only_logs(tmp_path):
    app = make_app(
        {"path_traversal": {"enabled": True, "action": "log", "threshold": 0.5}},
        events=tmp_path / "e.jsonl",
    )
    c = Client(app)
    assert c.get("/search", query_string={"q": "../../../etc/passwd"}).status_code == 200
    assert [e["action"] for e in c.events() if e["type"] == "path_traversal"] == ["log"]
