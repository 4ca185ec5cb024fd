"""IronRASP demo: a minimal Django project protected by one MIDDLEWARE line.

Run:  cd examples/django_app && python manage.py runserver 127.0.0.1:8000
Try:  curl -i 'http://127.0.0.1:8000/search?q=shoes'                 -> 200
      curl -i "http://127.0.0.1:8000/search?q=1'%20OR%20'1'='1'%20--"   -> 403, and a log line
      curl -i 'http://127.0.0.1:8000/.env'                             -> 403, address blacklisted
"""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
