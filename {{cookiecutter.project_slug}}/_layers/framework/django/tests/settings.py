"""The tests run the production settings with a throwaway key, on the Postgres at DATABASE_URL."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")

from {{ cookiecutter.package_name }}.settings import *  # noqa: F403

# The tests render pages without building the bundle or running collectstatic first.
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The tests talk plain HTTP to the test client.
SECURE_SSL_REDIRECT = False
