"""IronRASP demo: an AWS Lambda handler behind API Gateway, an ALB or a function URL.

Deploy with handler `lambda_handler.handler`; configure with IRONRASP_* environment variables
(e.g. IRONRASP_MODE=monitor, IRONRASP_LOG__CONSOLE=stdout) or
IRONRASP_CONFIG=/var/task/ironrasp.toml.
Try locally:  python examples/lambda_handler.py
"""

import json

from ironrasp import LambdaRASP

# Built once per cold start, not per invocation.
rasp = LambdaRASP()
rasp.set_routes([("/search", ["GET"]), ("/api/order", ["POST"])])  # optional: route validation


@rasp.register
def handler(event, context):
    params = event.get("queryStringParameters") or {}
    q = params.get("q", "")
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"query": q, "results": [f"{q} (red)"] if q else []}),
        "isBase64Encoded": False,
    }


if __name__ == "__main__":

    def http_api_event(query: str) -> dict:
        return {
            "version": "2.0",
            "routeKey": "$default",
            "rawPath": "/search",
            "rawQueryString": query,
            "headers": {"host": "example.execute-api.amazonaws.com"},
            "queryStringParameters": dict(p.split("=", 1) for p in query.split("&") if "=" in p),
            "requestContext": {
                "http": {
                    "method": "GET",
                    "path": "/search",
                    "protocol": "HTTP/1.1",
                    "sourceIp": "192.0.2.1",
                    "userAgent": "demo",
                },
                "domainName": "example.execute-api.amazonaws.com",
            },
            "isBase64Encoded": False,
        }

    print(handler(http_api_event("q=shoes"), None))
    print(handler(http_api_event("q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"), None))
    print(handler({"Records": [{"eventSource": "aws:sqs", "body": "not HTTP"}]}, None))
