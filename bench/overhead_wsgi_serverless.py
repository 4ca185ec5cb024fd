"""Time per benign request with and without IronRASP, in one run, for Django (test client),
Bottle (WebTest), AWS Lambda (direct call, API Gateway REST v1 event), Azure Functions (direct
call with an HttpRequest) and Google Cloud Functions (functions-framework test client).

Usage: python bench/overhead_wsgi_serverless.py [--requests N]

Each bench_* function builds both variants (identical but for IronRASP), alternates them in
short rounds (see bench/alternate.py) and returns an ``alternate.Overhead``: seconds per
request without and with, and the ratio. The request is a GET with 10 query parameters and
ordinary browser headers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from alternate import Overhead, alternate
from benign_request import HEADERS, QUERY, headers

CONFIG: dict[str, Any] = {"log": {"console": "off", "banner": False}, "flood": {"enabled": False}}


def bench_django(n: int) -> Overhead:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            SECRET_KEY="bench",
            DEBUG=False,
            ALLOWED_HOSTS=["testserver"],
            ROOT_URLCONF=__name__,
            INSTALLED_APPS=[],
            DATABASES={},
            USE_TZ=True,
            MIDDLEWARE=[],
            IRONRASP=CONFIG,
        )
        django.setup()
    from django.http import JsonResponse
    from django.test import Client, override_settings
    from django.urls import path

    def search(request):
        return JsonResponse({"n": len(request.GET)})

    global urlpatterns
    urlpatterns = [path("search", search)]

    plain = Client(REMOTE_ADDR="192.0.2.1")
    with override_settings(MIDDLEWARE=["ironrasp.DjangoRASP"]):
        prot = Client(REMOTE_ADDR="192.0.2.1")
        prot.handler.load_middleware()

    def run(c: Any) -> Callable[[], None]:
        def f() -> None:
            lower = {k.lower(): v for k, v in headers().items()}
            r = c.get("/search?" + QUERY, headers=lower)
            assert r.status_code == 200, (r.status_code, r.data[:300])

        return f

    return alternate(run(plain), run(prot), n)


urlpatterns: list[Any] = []


def bench_bottle(n: int) -> Overhead:
    import bottle

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import webtest

    from ironrasp import WsgiRASP

    def make() -> bottle.Bottle:
        app = bottle.Bottle()

        @app.get("/search")
        def search():
            return {"n": len(bottle.request.query)}

        return app

    plain = webtest.TestApp(make(), extra_environ={"REMOTE_ADDR": "192.0.2.1"})
    prot = webtest.TestApp(
        WsgiRASP(make(), config=CONFIG), extra_environ={"REMOTE_ADDR": "192.0.2.1"}
    )

    def run(t: Any) -> Callable[[], None]:
        return lambda: t.get("/search?" + QUERY, headers=headers())

    return alternate(run(plain), run(prot), n)


def bench_lambda(n: int) -> Overhead:
    from ironrasp import LambdaRASP

    event = json.loads(
        (
            Path(__file__).parent.parent / "tests" / "fixtures" / "lambda" / "apigw_rest_v1.json"
        ).read_text()
    )
    pairs = parse_qsl(QUERY)
    event["queryStringParameters"] = dict(pairs)
    event["multiValueQueryStringParameters"] = {k: [v] for k, v in pairs}
    event["headers"].update(HEADERS)
    event["multiValueHeaders"].update({k: [v] for k, v in HEADERS.items()})

    def handler(event, context):
        return {
            "statusCode": 200,
            "headers": {"Content-Type": "application/json"},
            "body": json.dumps({"n": len(event["queryStringParameters"])}),
        }

    protected = LambdaRASP(config=CONFIG).register(handler)

    def call(fn: Callable[..., Any]) -> Callable[[], Any]:
        def f() -> Any:
            h = headers()
            if h is HEADERS:
                return fn(event, None)
            # A new id: the event as the platform would deliver it, in both variants.
            multi = {k: [v] for k, v in h.items()}
            return fn(
                {
                    **event,
                    "headers": {**event["headers"], **h},
                    "multiValueHeaders": {**event["multiValueHeaders"], **multi},
                },
                None,
            )

        return f

    return alternate(call(handler), call(protected), n)


def bench_azure(n: int) -> Overhead:
    import azure.functions as func

    from ironrasp import AzureRASP

    def main(req: func.HttpRequest) -> func.HttpResponse:
        return func.HttpResponse(json.dumps({"n": len(req.params)}), mimetype="application/json")

    protected = AzureRASP(config=CONFIG).register(main)

    def request() -> func.HttpRequest:
        return func.HttpRequest(
            "GET",
            "https://shop.azurewebsites.net/api/search?" + QUERY,
            headers={**headers(), "X-Forwarded-For": "192.0.2.1:50000"},
            params=dict(parse_qsl(QUERY)),
            body=b"",
        )

    # The request object is built in both variants, as the host builds one per invocation.
    return alternate(lambda: main(request()), lambda: protected(request()), n)


def bench_gcp(n: int) -> Overhead:
    import functions_framework

    source = (
        "import flask\n"
        "from ironrasp import GcpRASP\n"
        f"rasp = GcpRASP(config={CONFIG!r})\n"
        "def plain(request):\n"
        "    return flask.jsonify(n=len(request.args))\n"
        "protected = rasp.register(plain)\n"
    )
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "bench_gcp_main.py")
        Path(src).write_text(source)
        saved = sys.path[:]
        plain = functions_framework.create_app(target="plain", source=src).test_client()
        prot = functions_framework.create_app(target="protected", source=src).test_client()
        sys.path[:] = saved

    def run(c: Any) -> Callable[[], None]:
        def f() -> None:
            h = {**headers(), "X-Forwarded-For": "192.0.2.1"}
            r = c.get("/search?" + QUERY, headers=h)
            assert r.status_code == 200, (r.status_code, r.data[:300])

        return f

    return alternate(run(plain), run(prot), n)


BENCHES = {
    "Django (test client)": bench_django,
    "Bottle (WebTest)": bench_bottle,
    "AWS Lambda (v1 event, direct call)": bench_lambda,
    "Azure Functions (direct call)": bench_azure,
    "GCP functions-framework (test client)": bench_gcp,
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=5000)
    a = ap.parse_args()
    print(f"{'framework':40} {'without':>12} {'with':>12} {'added':>12} {'ratio':>7}")
    for name, bench in BENCHES.items():
        without, with_, ratio = bench(a.requests)
        print(
            f"{name:40} {without * 1e6:10.1f}us {with_ * 1e6:10.1f}us "
            f"{(with_ - without) * 1e6:10.1f}us {ratio:6.3f}x"
        )


if __name__ == "__main__":
    main()
