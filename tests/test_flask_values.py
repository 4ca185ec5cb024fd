"""Value-level checks through a real Flask app: every location, every decoder, benign traffic."""

from __future__ import annotations

import io

import pytest

from conftest import Client, b64, send

CMDI = "1; cat /etc/passwd"
TRAVERSAL = "../../../../etc/passwd"


LOCATIONS = ["query", "form", "multipart", "json", "header", "cookie", "base64_json", "jwt_header"]
EXPECTED_KIND = {
    "query": "qs_values",
    "form": "form_values",
    "multipart": "multipart_values",
    "json": "json_values",
    "header": "headers_values",
    "cookie": "cookies_values",
    "base64_json": "json_values",
    "jwt_header": "headers_values",
}


@pytest.mark.parametrize("where", LOCATIONS)
@pytest.mark.parametrize("check,payload", [("cmdi", CMDI), ("path_traversal", TRAVERSAL)])
def test_attack_is_refused_in_every_location(app, where, check, payload):
    client = Client(app)
    r = send(client, where, payload)
    assert r.status_code == 403, (where, check, r.data)
    assert r.data == b"Forbidden"
    ev = [e for e in client.events() if e["type"] == check]
    assert ev, client.events()
    e = ev[0]
    assert e["location"]["kind"] == EXPECTED_KIND[where]
    assert e["action"] == "block"
    assert e["client"] == client.ip
    assert e["codes"]["ironrasp"].startswith("IR-2")
    if where == "base64_json":
        assert e["decoders"][0] == "base64", e
        assert e["location"]["name"] == "$.blob"
    if where == "jwt_header":
        assert e["decoders"][0] == "jwt", e
        assert e["location"]["name"] == "authorization"
    if where == "json":
        assert e["location"]["name"] == "$.order.items[1].name"


def test_attack_in_multipart_file_content_and_path(app):
    client = Client(app)
    assert send(client, "multipart_file", "x\n" + TRAVERSAL).status_code == 403
    assert client.get("/files/..%2f..%2f..%2fetc%2fpasswd").status_code == 403
    kinds = {e["location"]["kind"] for e in client.events() if e.get("location")}
    assert {"files", "path"} <= kinds


@pytest.mark.parametrize(
    "encoded,check",
    [
        ("1%253B%2520whoami", "cmdi"),  # double percent-encoded
        ("%25252e%25252e%25252f%25252e%25252e%25252fetc%25252fpasswd", "path_traversal"),  # triple
        ("..%c0%af..%c0%af..%c0%afetc%c0%afpasswd", "path_traversal"),  # overlong UTF-8
        ("%u002e%u002e%u002f%u002e%u002e%u002fetc%u002fpasswd", "path_traversal"),  # %u
        ("JTNDc2NyaXB0JTNFYWxlcnQlMjgxJTI5JTNDL3NjcmlwdCUzRQ%3D%3D", "xss"),  # base64, percent
    ],
)
def test_encoded_payloads_are_decoded(app, encoded, check):
    client = Client(app)
    r = client.get("/search?q=" + encoded)
    assert r.status_code == 403, encoded
    ev = [e for e in client.events() if e["type"] == check]
    assert ev, client.events()


def soap(body: str) -> str:
    """A SOAP 1.1 request around `body`, as a client library writes it."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
        f"<soap:Body>{body}</soap:Body></soap:Envelope>"
    )


def saml_response(name_id: str, display_name: str) -> str:
    """A SAML 2.0 response (unsigned) as an identity provider posts it, base64-encoded."""
    return b64(
        '<?xml version="1.0"?><samlp:Response '
        'xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_8e8dc5f69a98cc4c1ff3427e5ce346" '
        'Version="2.0"><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">'
        f"<saml:Subject><saml:NameID>{name_id}</saml:NameID></saml:Subject>"
        '<saml:AttributeStatement><saml:Attribute Name="displayName">'
        f"<saml:AttributeValue>{display_name}</saml:AttributeValue></saml:Attribute>"
        "</saml:AttributeStatement></saml:Assertion></samlp:Response>"
    )


@pytest.mark.parametrize(
    "request_with,decoders",
    [
        (lambda c, doc: c.post("/submit", data={"envelope": doc}), ["xml"]),
        (lambda c, doc: c.post("/submit", json={"envelope": doc}), ["xml"]),
        (lambda c, doc: c.post("/submit", data={"SAMLResponse": b64(doc)}), ["base64", "xml"]),
    ],
)
def test_xml_documents_in_values_are_read_node_by_node(app, request_with, decoders):
    # The attribute alone is SQL injection; inside the whole document it reads as markup.
    client = Client(app)
    r = request_with(client, soap('<getOrder id="1 OR 1=1"/>'))
    assert r.status_code == 403
    ev = [e for e in client.events() if e["type"] == "sqli"]
    assert ev, client.events()
    assert ev[0]["decoders"] == decoders, ev[0]
    assert ev[0]["location"]["inner_path"] == "/soap:Envelope/soap:Body/getOrder/@id", ev[0]
    # The same documents with ordinary content pass.
    client = Client(app)
    ok = soap('<getOrder id="7" note="Leave it with O&apos;Brien &amp; co. (door 2)"/>')
    assert request_with(client, ok).status_code == 200
    saml = saml_response("ann@example.com", "Siobhán O'Brien")
    assert client.post("/submit", data={"SAMLResponse": saml}).status_code == 200
    assert not [e for e in client.events() if e["client"] == client.ip]


@pytest.mark.parametrize(
    "text",
    [
        "shoes",
        "O'Brien",
        "copy & paste",
        "Tom & Jerry",
        "time | date",
        "rock & roll",
        "Lyon",
        "1407",
        "1/26/11",
        "wait...",
        "images/logo.png",
        "https://example.com/a/b?x=1",
        "Can you drop the table booking for tonight?",
        "select a size",
        "<p>Hello <strong>world</strong></p>",
        "#074024",
    ],
)
def test_benign_values_pass_everywhere(app, text):
    for where in LOCATIONS:
        client = Client(app)
        r = send(client, where, text)
        assert r.status_code == 200, (where, text, r.data)
    assert not [e for e in Client(app).events() if e["type"] != "limit_exceeded"]


def test_benign_json_order_passes_unchanged(app):
    client = Client(app)
    order = {
        "city": "Lyon",
        "zip": "69001",
        "items": [{"sku": "A-1407", "qty": 2}],
        "note": "Leave it with O'Brien & co. at the door",
    }
    r = client.post("/submit", json=order)
    assert r.status_code == 200
    assert r.get_json()["json"] == order


def test_repeated_parameters_are_legitimate(app):
    client = Client(app)
    r = client.get("/search?tags=red&tags=blue&tags=green")
    assert r.status_code == 200
    assert r.get_json()["tags"] == ["red", "blue", "green"]


def test_injection_split_across_repeats_is_caught(app):
    client = Client(app)
    # Neither half is an attack alone; concatenated (as some platforms join them) it is.
    r = client.get("/search", query_string=[("q", "1; wh"), ("q", "oami")])
    assert r.status_code == 403
    ev = [e for e in client.events() if e["type"] == "cmdi"]
    assert ev and ev[0]["decoders"][0] in ("hpp:concat", "hpp:comma")


def test_body_passes_to_the_app_unchanged(app):
    client = Client(app)
    r = client.post("/submit", data={"a": "1", "b": "two words"})
    assert r.get_json()["form"] == {"a": ["1"], "b": ["two words"]}
    up = client.post(
        "/submit",
        data={"f": (io.BytesIO(b"file-bytes"), "n.txt")},
        content_type="multipart/form-data",
    )
    assert up.get_json()["files"] == {"f": ["n.txt", "file-bytes"]}


@pytest.mark.parametrize(
    "send_it",
    [
        lambda c: c.post("/submit", json={"__proto__": {"isAdmin": True}}),
        lambda c: c.post("/submit", json={"constructor": {"prototype": {"isAdmin": True}}}),
        lambda c: c.post("/submit", json={"__class__": {"__init__": {"__globals__": {"k": 1}}}}),
        lambda c: c.get("/search", query_string="__proto__.isAdmin=1"),
        lambda c: c.post("/submit", data={"rO0ABXNyABFqYXZhLnV0aWwuSGFzaE1hcA": "x"}),
    ],
    ids=[
        "json_proto",
        "json_constructor_prototype",
        "json_class_globals",
        "query_name",
        "form_name",
    ],
)
def test_payloads_written_as_names_and_key_paths_are_refused(app, send_it):
    client = Client(app)
    assert send_it(client).status_code == 403
    assert any(e["type"] == "code_injection" for e in client.events())


def test_ordinary_dunder_and_lookup_names_pass(app):
    client = Client(app)
    # GraphQL's __typename, Mongoose's __v, Django lookups and a product field "prototype".
    body = {"data": {"__typename": "User", "__v": 0, "prototype": True}}
    assert client.post("/submit", json=body).status_code == 200
    assert (
        client.get("/search", query_string="price__gte=10&author__name__icontains=ann").status_code
        == 200
    )
    assert not client.events()
