"""A browser's Referer/Origin naming the app's own host (a developer on localhost, an intranet
app on a private address) is the page the user is on, not an SSRF target."""

from flask import Flask

from ironrasp import FlaskRASP

CONFIG = {"log": {"console": "off", "banner": False}}


def make_client():
    app = Flask("own_origin")

    @app.route("/")
    def index():
        return "ok"

    FlaskRASP(app, config=CONFIG)
    return app.test_client()


def test_own_host_referer_and_origin_pass():
    c = make_client()
    for base, headers in [
        ("http://localhost:5000", {"Referer": "http://localhost:5000/cart"}),
        ("http://localhost:5000", {"Origin": "http://localhost:3000"}),
        ("http://10.0.0.5", {"Referer": "http://10.0.0.5/reports?y=2026"}),
    ]:
        r = c.get("/", headers=headers, base_url=base)
        assert r.status_code == 200, (base, headers)


def test_internal_referer_of_another_host_is_refused():
    c = make_client()
    for headers in [
        {"Referer": "http://169.254.169.254/latest/meta-data/"},
        {"Referer": "http://localhost@169.254.169.254/"},
    ]:
        r = c.get("/", headers=headers, base_url="http://shop.example.com")
        assert r.status_code == 403, headers
