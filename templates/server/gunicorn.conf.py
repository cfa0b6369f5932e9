"""gunicorn settings for production; each can be overridden from the environment.

gunicorn reads this file in its master process, before any worker starts: a setting that cannot
work stops the start here, with one line naming it, rather than with a traceback per worker.
"""

{% block imports %}
import os
{% endblock %}


def whole_number(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip() or str(default)
    if not raw.isdigit() or int(raw) < minimum:
        raise SystemExit(f"error: {name}={raw!r} must be a whole number from {minimum} up")
    return int(raw)


def address(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip() or default
    if not value.startswith("unix:") and not value.rpartition(":")[2].isdigit():
        raise SystemExit(f"error: {name}={value!r} must be host:port (a number) or unix:path")
    return value


{% block app %}{% endblock %}
# All interfaces: inside a container the port is only reachable where it is published.
bind = address("BIND", "0.0.0.0:8000")
# Size it to the CPUs the container may use; two keeps one worker serving while another restarts.
workers = whole_number("WEB_CONCURRENCY", 2)
timeout = whole_number("GUNICORN_TIMEOUT", 30)
# Seconds in-flight requests get after SIGTERM; below Docker's default 10 s stop timeout.
graceful_timeout = whole_number("GUNICORN_GRACEFUL_TIMEOUT", 8)
# Longer than a load balancer's idle timeout would be wasted; shorter causes 502s behind one.
keepalive = whole_number("GUNICORN_KEEPALIVE", 5)
loglevel = logs.level()
formatter = logs.formatter()
# Every line in LOG_FORMAT (logs.py): gunicorn's error log and, through it, the workers'. Its access
# log stays off: the app writes the access lines, with the request id and latency (access.py).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"default": {"()": lambda: formatter}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "default",
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"level": loglevel, "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}
# Worker heartbeats go to memory, not to a disk that may be read-only or slow.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# The control socket (gunicornc) needs a writable home; containers are managed from outside.
control_socket_disable = True
