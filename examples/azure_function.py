"""IronRASP demo: an Azure Functions app (Python v2 programming model), function_app.py.

Configure with application settings IRONRASP_* (e.g. IRONRASP_MODE=monitor) or IRONRASP_CONFIG.
Put @rasp.register below @app.route, next to the function.
"""

import json

import azure.functions as func

from ironrasp import AzureRASP

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
rasp = AzureRASP()  # once per worker process


@app.route(route="search", methods=["GET"])
@rasp.register
def search(req: func.HttpRequest) -> func.HttpResponse:
    q = req.params.get("q", "")
    return func.HttpResponse(json.dumps({"query": q}), mimetype="application/json")


@app.route(route="order", methods=["POST"])
@rasp.register
async def order(req: func.HttpRequest) -> func.HttpResponse:
    try:
        data = req.get_json()
    except ValueError:
        return func.HttpResponse("bad json", status_code=400)
    return func.HttpResponse(
        json.dumps({"ok": True, "items": len(data.get("items", []))}), mimetype="application/json"
    )
