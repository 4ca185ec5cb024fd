"""Settings of the demo shop: no database, IronRASP first in MIDDLEWARE."""

import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "demo-only-not-a-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
INSTALLED_APPS: list[str] = []
DATABASES: dict = {}
USE_TZ = True

MIDDLEWARE = [
    "ironrasp.DjangoRASP",  # first, so it sees every request
    "django.middleware.common.CommonMiddleware",
]

# A dict, or the path of a TOML/JSON file; IRONRASP_* environment variables override keys.
IRONRASP = {
    "app_name": "django-shop",
    "brute_force": {"max_errors": 10, "window": 60},
}
