"""Time per benign request with and without IronRASP: FastAPI, Starlette (AsgiRASP), aiohttp.

Usage: python bench/overhead_asgi.py [--requests N]

Each function returns an ``alternate.Overhead`` (seconds per request without and with, and the
ratio). Both apps are identical but for the adapter; requests alternate between them in short
rounds (see bench/alternate.py). The benign request is a GET with 10 query
parameters and ordinary browser headers (the same as bench/flask_overhead.py).

FastAPI and Starlette are driven in-process by httpx's ASGITransport (no sockets, so the
framework's own cost is as small as it gets and the adapter's share shows); aiohttp by its
test client over a loopback socket (client and server in this one process).

Time is this process's CPU time (all threads): everything measured runs in this process.
"""

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from alternate import Overhead, alternate_async
from benign_request import QUERY, headers

CONFIG: dict[str, Any] = {"log": {"console": "off", "banner": False}, "flood": {"enabled": False}}

Get = Callable[[], Awaitable[int]]


def _asgi_get(app: Any) -> tuple[Any, Get]:
    import httpx

    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("192.0.2.1", 1)),
        base_url="http://shop.example.com",
    )

    async def get() -> int:
        return (await client.get("/search?" + QUERY, headers=headers())).status_code

    return client, get


def _asgi_bench(make: Callable[[bool], Any], n: int) -> Overhead:
    async def run() -> Overhead:
        plain_client, plain = _asgi_get(make(False))
        rasp_client, rasp = _asgi_get(make(True))
        async with plain_client, rasp_client:
            return await alternate_async(plain, rasp, n)

    return asyncio.run(run())


def bench_fastapi(n: int) -> Overhead:
    from fastapi import FastAPI, Request

    from ironrasp import FastApiRASP

    def make(protected: bool) -> Any:
        app = FastAPI()

        @app.get("/search")
        def search(request: Request) -> dict:
            return {"n": len(request.query_params)}

        if protected:
            FastApiRASP(app, config=CONFIG)
        return app

    return _asgi_bench(make, n)


def bench_starlette(n: int) -> Overhead:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from ironrasp import AsgiRASP

    async def search(request: Request) -> JSONResponse:
        return JSONResponse({"n": len(request.query_params)})

    def make(protected: bool) -> Any:
        app = Starlette(routes=[Route("/search", search)])
        return AsgiRASP(app, config=CONFIG) if protected else app

    return _asgi_bench(make, n)


def bench_aiohttp(n: int) -> Overhead:
    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    from ironrasp import AiohttpRASP

    async def search(request: web.Request) -> web.Response:
        return web.json_response({"n": len(request.query)})

    def make(protected: bool) -> web.Application:
        app = web.Application()
        app.router.add_get("/search", search)
        if protected:
            AiohttpRASP(app, config=CONFIG)
        return app

    async def run() -> Overhead:
        async with (
            TestClient(TestServer(make(False))) as plain_c,
            TestClient(TestServer(make(True))) as rasp_c,
        ):

            def getter(c: TestClient) -> Get:
                async def get() -> int:
                    async with c.get("/search?" + QUERY, headers=headers()) as r:
                        await r.read()
                        return r.status

                return get

            return await alternate_async(getter(plain_c), getter(rasp_c), n)

    return asyncio.run(run())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=5000)
    a = ap.parse_args()
    for name, fn in [
        ("fastapi", bench_fastapi),
        ("starlette", bench_starlette),
        ("aiohttp", bench_aiohttp),
    ]:
        base, prot, ratio = fn(a.requests)
        print(
            f"{name:10s} without {base * 1e6:8.1f} us  with {prot * 1e6:8.1f} us  "
            f"added {(prot - base) * 1e6:7.1f} us  ratio {ratio:6.3f}"
        )


if __name__ == "__main__":
    main()
