"""IronRASP demo: a small FastAPI shop protected in one line.

Run:  python examples/fastapi_app.py  (uvicorn on http://127.0.0.1:8000; pip install uvicorn)
  or: uvicorn examples.fastapi_app:app --host 127.0.0.1 --port 8000
Try:  curl -i 'http://127.0.0.1:8000/search?q=shoes'              -> 200
      curl -i 'http://127.0.0.1:8000/search?q=1;cat%20/etc/passwd'  -> 403, and a log line
      curl -i 'http://127.0.0.1:8000/.env'                          -> 403, address blacklisted
"""

import os

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse

from ironrasp import FastApiRASP

app = FastAPI(title="IronRASP demo shop")


@app.get("/", response_class=PlainTextResponse)
def index() -> str:
    return "IronRASP demo shop. Try /search?q=shoes or POST /api/order.\n"


@app.get("/search")
def search(q: str = "") -> dict:
    return {"query": q, "results": [f"{q} (red)", f"{q} (blue)"] if q else []}


@app.post("/api/order")
async def order(request: Request) -> dict:
    data = await request.json()
    return {"ok": True, "items": len(data.get("items", [])), "city": data.get("city")}


@app.post("/login", response_class=PlainTextResponse, status_code=401)
def login() -> str:
    return "Bad credentials\n"


@app.get("/files/{name:path}")
def files(name: str) -> dict:
    return {"file": name}


# The one line. Configuration: a dict here; a file path or IRONRASP_* variables work too.
FastApiRASP(app, config={"app_name": "demo-shop", "blacklist_ttl": 60})

if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PORT", "8000")))
