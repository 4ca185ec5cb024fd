"""Session fixation through a real Flask app: a framework's session-id name planted as a
parameter of a request that comes from no page of the site (no Referer, or another site's) is
refused; the same from the site's own page, or as a cookie, passes, and so do the everyday
`session` words of payment and login providers."""

from __future__ import annotations

import pytest

from conftest import Client

OWN_PAGE = {"Referer": "http://localhost/account"}
MAIL = {"Referer": "https://mail.example.net/inbox/42"}


def fixation_events(client: Client) -> list[dict]:
    return [e for e in client.events() if e["type"] == "session_fixation"]


@pytest.mark.parametrize("name", ["PHPSESSID", "JSESSIONID", "phpsessid"])
@pytest.mark.parametrize("headers", [{}, MAIL], ids=["no-referer", "foreign-referer"])
def test_session_id_in_the_query_is_refused(client: Client, name: str, headers: dict) -> None:
    r = client.get("/search", query_string={name: "1234abcd", "q": "shoes"}, headers=headers)
    assert r.status_code == 403
    events = fixation_events(client)
    assert events, client.events()
    assert events[0]["location"] == {"kind": "qs_values", "name": name}
    assert events[0]["payload"] == "1234abcd"
    assert events[0]["codes"] == {"mitre": "T1185", "ironrasp": "IR-1009"}


def test_session_id_in_a_form_body_is_refused(client: Client) -> None:
    r = client.post("/submit", data={"user": "ann", "PHPSESSID": "1234abcd"}, headers=MAIL)
    assert r.status_code == 403
    assert fixation_events(client)[0]["location"] == {"kind": "form_values", "name": "PHPSESSID"}


def test_session_id_from_the_sites_own_page_passes(client: Client) -> None:
    r = client.get("/search", query_string={"PHPSESSID": "1234abcd"}, headers=OWN_PAGE)
    assert r.status_code == 200
    r = client.post("/submit", data={"JSESSIONID": "1234abcd"}, headers=OWN_PAGE)
    assert r.status_code == 200
    assert r.get_json()["form"] == {"JSESSIONID": ["1234abcd"]}
    assert fixation_events(client) == []


def test_session_id_as_a_cookie_passes(client: Client) -> None:
    cookies = {"Cookie": "PHPSESSID=1234abcd; JSESSIONID=5678efgh"}
    assert client.get("/search", query_string={"q": "shoes"}, headers=cookies).status_code == 200
    assert client.get("/search", headers={**cookies, **MAIL}).status_code == 200
    assert client.events() == []


def test_stripe_checkout_return_passes(client: Client) -> None:
    # Stripe sends the customer back from its own site with the Checkout Session id.
    r = client.get(
        "/search",
        query_string={"session_id": "cs_test_a1b2c3d4e5f6"},
        headers={"Referer": "https://checkout.stripe.com/"},
    )
    assert r.status_code == 200
    assert client.events() == []


def test_openid_connect_session_state_passes(client: Client) -> None:
    r = client.get(
        "/search",
        query_string={
            "code": "SplxlOBeZQQYbYS6WxSbIA",
            "state": "af0ifjsldkj",
            "session_state": "5f8c1f.8e9b2c",
        },
        headers={"Referer": "https://login.idp.example/"},
    )
    assert r.status_code == 200
    assert client.get("/search", query_string={"sid": "08a5019c-17e1-4977"}).status_code == 200
    assert client.events() == []


def test_spa_session_field_without_referer_passes(client: Client) -> None:
    r = client.post("/submit", json={"session": "abc", "sessionId": "42"})
    assert r.status_code == 200
    assert client.events() == []
