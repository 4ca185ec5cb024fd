"""Settings of the Django project the tests drive (no database, no templates)."""

SECRET_KEY = "ironrasp-tests-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
ROOT_URLCONF = "django_project.urls"
INSTALLED_APPS: list[str] = []
DATABASES: dict[str, dict] = {}
MIDDLEWARE = ["ironrasp.DjangoRASP"]
USE_TZ = True
# Each test overrides this with its own event file and limits.
IRONRASP = {"log": {"console": "off", "banner": False}}
