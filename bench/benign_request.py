"""The benign request every overhead benchmark sends: a GET with 10 query parameters and the
headers a browser sends."""

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
