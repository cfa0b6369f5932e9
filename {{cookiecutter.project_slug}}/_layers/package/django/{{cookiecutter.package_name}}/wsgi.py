"""The WSGI application gunicorn serves (see gunicorn.conf.py), with its access lines."""

import os

from django.core.wsgi import get_wsgi_application

from {{ cookiecutter.package_name }}.access import AccessLog

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "{{ cookiecutter.package_name }}.settings")
application = AccessLog(get_wsgi_application())
