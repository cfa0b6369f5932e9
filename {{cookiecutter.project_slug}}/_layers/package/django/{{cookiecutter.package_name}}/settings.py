"""Settings from environment variables, safe by default: production unless DJANGO_DEBUG=true.

Production refuses to start without DJANGO_SECRET_KEY (or with .env.example's placeholder) and
DJANGO_ALLOWED_HOSTS, and every process without DATABASE_URL, rather than fail on the first
request. `.env.example` lists every variable.
"""

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production (DJANGO_DEBUG=true: develop)")
    return value


def database(name: str, connect_timeout: int) -> dict:
    """A postgresql:// URL as Django's database settings.

    Each worker thread keeps one connection, checked before reuse: the pool is sized to the workers.
    A new connection gets connect_timeout seconds, and one whose packets go unanswered (the server's
    host or network gone) fails after as long, not after the kernel's retries (some 15 minutes):
    database.py then answers 503.
    """
    url = os.environ.get(name, "").strip()
    if urlsplit(url).scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(f"{name} must be a postgresql://user:password@host/dbname URL")
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid URL: {error}") from None
    timeouts = {"connect_timeout": connect_timeout, "tcp_user_timeout": connect_timeout * 1000}
    # Options in the URL's query string (?sslmode=require) come on top.
    config["OPTIONS"] = timeouts | config.get("OPTIONS", {})
    return config


def seconds(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip() or str(default)
    if not raw.isdigit() or int(raw) < 1:
        raise ImproperlyConfigured(f"{name}={raw!r} must be a whole number of seconds from 1 up")
    return int(raw)


DEBUG = env_bool("DJANGO_DEBUG", default=False)
if DEBUG:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-development-only")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
else:
    SECRET_KEY = required("DJANGO_SECRET_KEY")
    if SECRET_KEY.startswith("replace-with-"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is the placeholder from .env.example: set a secret of your own"
        )
    ALLOWED_HOSTS = [host.strip() for host in required("DJANGO_ALLOWED_HOSTS").split(",")]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "{{ cookiecutter.package_name }}.notes",
]

MIDDLEWARE = [
    # First, so probes get an answer whatever the Host header and the HTTPS redirect say.
    "{{ cookiecutter.package_name }}.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that cannot reach the database answers 503, not 500.
    "{{ cookiecutter.package_name }}.database.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "{{ cookiecutter.package_name }}.urls"
WSGI_APPLICATION = "{{ cookiecutter.package_name }}.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "{{ cookiecutter.package_name }}" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database("DATABASE_URL", seconds("DATABASE_CONNECT_TIMEOUT", 3))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# The front-end bundle (npm run build) joins the apps' static files; collectstatic hashes and
# compresses them all into STATIC_ROOT, and whitenoise serves them with far-future caching.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Production holds only the collected files, not frontend/dist, so it is listed only where built.
STATICFILES_DIRS = [path for path in [BASE_DIR / "frontend" / "dist"] if path.is_dir()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
# Start HSTS short and raise it (e.g. to 31536000) once HTTPS is proven everywhere.
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "60"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)

# logs.py sets up logging (LOG_LEVEL, LOG_FORMAT), called by gunicorn.conf.py under gunicorn and
# by manage.py otherwise; Django's own set-up would replace it.
LOGGING_CONFIG = None
# access.py writes one line per request, with its id and latency; Django's own would repeat it:
# runserver's request line, a warning for every 4xx, an error for every 503 that database.py
# or /ready answers. An uncaught exception keeps Django's line, which holds the traceback.
logging.getLogger("django.server").addFilter(lambda record: not hasattr(record, "status_code"))
logging.getLogger("django.request").addFilter(lambda record: record.exc_info is not None)
