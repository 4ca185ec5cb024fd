"""IronRASP demo: a Bottle app (any WSGI app works the same way) wrapped by WsgiRASP.

Run:  python examples/bottle_app.py  (listens on http://127.0.0.1:8080)
Try:  curl -i 'http://127.0.0.1:8080/search?q=shoes'                          -> 200
      curl -i 'http://127.0.0.1:8080/search?q=%3Cscript%3Ealert(1)%3C/script%3E' -> 403
      curl -i 'http://127.0.0.1:8080/.env'                                    -> 403, blacklisted
"""

import os

import bottle

from ironrasp import WsgiRASP

app = bottle.Bottle()


@app.get("/")
def index():
    return "IronRASP demo shop (Bottle). Try /search?q=shoes\n"


@app.get("/search")
def search():
    q = bottle.request.query.q
    return {"query": q, "results": [f"{q} (red)", f"{q} (blue)"] if q else []}


@app.post("/api/order")
def order():
    data = bottle.request.json or {}
    return {"ok": True, "items": len(data.get("items", []))}


# One line: the config is a path, a dict, or nothing (IRONRASP_CONFIG / IRONRASP_* variables).
application = WsgiRASP(
    app, config=os.environ.get("IRONRASP_CONFIG_FILE") or {"app_name": "bottle-shop"}
)

if __name__ == "__main__":
    bottle.run(application, host="127.0.0.1", port=8080)
