"""IronRASP demo: a Google Cloud Function (functions-framework), main.py.

Run locally:  functions-framework --source examples/gcp_main.py --target search --port 8081
Try:  curl -i 'http://127.0.0.1:8081/?q=shoes'                              -> 200
      curl -i "http://127.0.0.1:8081/?q=1'%20OR%20'1'='1'%20--"               -> 403
Configure with IRONRASP_* environment variables or IRONRASP_CONFIG.
"""

import flask
import functions_framework

from ironrasp import GcpRASP

rasp = GcpRASP()  # once per instance


@functions_framework.http
@rasp.register
def search(request: flask.Request):
    q = request.args.get("q", "")
    return flask.jsonify(query=q, results=[f"{q} (red)"] if q else [])
