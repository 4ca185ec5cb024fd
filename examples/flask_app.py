"""IronRASP demo: a small Flask shop protected in one line.

Run:  python examples/flask_app.py  (listens on http://127.0.0.1:5000)
Try:  curl -i 'http://127.0.0.1:5000/search?q=shoes'              -> 200
      curl -i 'http://127.0.0.1:5000/search?q=1;cat%20/etc/passwd'  -> 403, and a log line
      curl -i 'http://127.0.0.1:5000/.env'                          -> 403, address blacklisted
"""

import os

from flask import Flask, jsonify, request

from ironrasp import FlaskRASP

app = Flask(__name__)


@app.get("/")
def index():
    return "IronRASP demo shop. Try /search?q=shoes or POST /api/order.\n"


@app.get("/search")
def search():
    q = request.args.get("q", "")
    return jsonify(query=q, results=[f"{q} (red)", f"{q} (blue)"] if q else [])


@app.post("/api/order")
def order():
    data = request.get_json(silent=True) or {}
    return jsonify(ok=True, items=len(data.get("items", [])), city=data.get("city"))


@app.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        return ("Bad credentials\n", 401)
    return "<form method=post><input name=user><input name=password type=password></form>\n"


@app.get("/files/<path:name>")
def files(name):
    return jsonify(file=name)


# The one line. Configuration: a dict here; a file path or IRONRASP_* variables work too.
FlaskRASP(app, config={"app_name": "demo-shop", "blacklist_ttl": 60})

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "5000")))
