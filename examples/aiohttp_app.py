"""IronRASP demo: a small aiohttp shop protected in one line.

Run:  python examples/aiohttp_app.py  (listens on http://127.0.0.1:8080)
Try:  curl -i 'http://127.0.0.1:8080/search?q=shoes'              -> 200
      curl -i 'http://127.0.0.1:8080/search?q=1;cat%20/etc/passwd'  -> 403, and a log line
      curl -i 'http://127.0.0.1:8080/.env'                          -> 403, address blacklisted
"""

import os

from aiohttp import web

from ironrasp import AiohttpRASP

routes = web.RouteTableDef()


@routes.get("/")
async def index(request: web.Request) -> web.Response:
    return web.Response(text="IronRASP demo shop. Try /search?q=shoes or POST /api/order.\n")


@routes.get("/search")
async def search(request: web.Request) -> web.Response:
    q = request.query.get("q", "")
    return web.json_response({"query": q, "results": [f"{q} (red)", f"{q} (blue)"] if q else []})


@routes.post("/api/order")
async def order(request: web.Request) -> web.Response:
    data = await request.json()
    return web.json_response(
        {"ok": True, "items": len(data.get("items", [])), "city": data.get("city")}
    )


@routes.post("/login")
async def login(request: web.Request) -> web.Response:
    return web.Response(text="Bad credentials\n", status=401)


@routes.get("/files/{name:.*}")
async def files(request: web.Request) -> web.Response:
    return web.json_response({"file": request.match_info["name"]})


def make_app() -> web.Application:
    app = web.Application()
    app.add_routes(routes)
    # The one line (before the app starts). Configuration: a dict, a file path or IRONRASP_*.
    AiohttpRASP(app, config={"app_name": "demo-shop", "blacklist_ttl": 60})
    return app


if __name__ == "__main__":
    web.run_app(make_app(), host="127.0.0.1", port=int(os.environ.get("PORT", "8080")))
