"""The benign request every overhead benchmark sends: a GET with 10 query parameters and the
headers a browser sends."""

import itertools

QUERY = (
    "q=running+shoes&size=42&color=blue&brand=O%27Neill&sort=price&page=2"
    "&min=10&max=120&lang=en-GB&ref=newsletter"
)
HEADERS = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en-GB,en;q=0.9",
    "Cookie": "session=3f9a1c2e7b; theme=dark",
    "Referer": "https://shop.example.com/",
}

# With trace ids on, every request also carries an X-Request-Id never sent before, as requests
# do behind most proxies, load balancers and platforms (traceparent, X-Amzn-Trace-Id, ...):
# then no request is the same as the one before it.
_trace_ids = False
_next_id = itertools.count(1)


def use_trace_ids(on: bool) -> None:
    global _trace_ids
    _trace_ids = on


def headers() -> dict[str, str]:
    """The headers of one request: HEADERS, plus a new X-Request-Id when trace ids are on."""
    if not _trace_ids:
        return HEADERS
    n = next(_next_id) * 0x9E3779B97F4A7C15 % 2**64
    return {**HEADERS, "X-Request-Id": f"{n:016x}"}
