"""gunicorn settings for production; each can be overridden from the environment."""

import os

{% block app %}{% endblock %}
# All interfaces: inside a container the port is only reachable where it is published.
bind = os.environ.get("BIND", "0.0.0.0:8000")
# Size it to the CPUs the container may use; two keeps one worker serving while another restarts.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Seconds in-flight requests get after SIGTERM; below Docker's default 10 s stop timeout.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "8"))
# Longer than a load balancer's idle timeout would be wasted; shorter causes 502s behind one.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
loglevel = os.environ.get("LOG_LEVEL", "info")
accesslog = "-"
errorlog = "-"
# Worker heartbeats go to memory, not to a disk that may be read-only or slow.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# The control socket (gunicornc) needs a writable home; containers are managed from outside.
control_socket_disable = True
