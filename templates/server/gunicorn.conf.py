"""gunicorn settings for production; each can be overridden from the environment.

gunicorn reads this file in its master process, before any worker starts: a setting that cannot
work stops the start here, with one line naming it, rather than with a traceback per worker.
"""

{% block imports %}
import os
import signal
from pathlib import Path
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


def cpu_quota(cgroup: Path) -> int | None:
    """The CPUs the cgroup's quota allows, a fraction rounded up (docker run --cpus 1.5: 2), or
    None when it sets none: cgroup v2's cpu.max ("150000 100000"; "max 100000" is no quota), else
    cgroup v1's cpu.cfs_quota_us and cpu.cfs_period_us (-1 is no quota). Unreadable: None."""
    try:
        if (cgroup / "cpu.max").exists():
            fields = (cgroup / "cpu.max").read_text().split()
        else:
            names = ("cpu.cfs_quota_us", "cpu.cfs_period_us")
            fields = [(cgroup / "cpu" / name).read_text().strip() for name in names]
    except OSError:
        return None
    if len(fields) != 2 or not all(field.isdigit() for field in fields):
        return None
    quota_us, period_us = (int(field) for field in fields)
    if not quota_us or not period_us:
        return None
    return -(-quota_us // period_us)


def usable_cpus(cgroup: Path = Path("/sys/fs/cgroup")) -> int:
    """The CPUs this process may use: those it may run on (docker run --cpuset-cpus narrows them),
    fewer where the container's CPU quota (--cpus, a Kubernetes CPU limit) allows fewer."""
    if hasattr(os, "sched_getaffinity"):
        available = len(os.sched_getaffinity(0))
    else:  # macOS, where no container sets a quota either
        available = os.cpu_count() or 1
    return min(available, cpu_quota(cgroup) or available)


{% block app %}{% endblock %}
# All interfaces: inside a container the port is only reachable where it is published.
bind = address("BIND", "0.0.0.0:8000")
# workers_per_cpu for each CPU the container may use: under a CPU quota, never the host's count.
workers = whole_number("WEB_CONCURRENCY", workers_per_cpu * usable_cpus())
timeout = whole_number("GUNICORN_TIMEOUT", 30)
# Seconds between SIGTERM and the graceful stop, while /ready answers 503 and requests are still
# served: a load balancer sends new requests elsewhere before this one stops listening (0: none).
drain_seconds = whole_number("GUNICORN_DRAIN_SECONDS", 3, minimum=0)
# Seconds in-flight requests then get to finish; with the drain, below Docker's 10 s stop timeout.
graceful_timeout = whole_number("GUNICORN_GRACEFUL_TIMEOUT", 6)
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
# The file that tells the workers a drain has begun (draining.py): the master creates it, and the
# workers it forks inherit its name.
draining = Path(worker_tmp_dir or "/tmp", f"gunicorn-draining-{os.getpid()}")  # noqa: S108
os.environ["GUNICORN_DRAINING_FILE"] = str(draining)


def when_ready(server) -> None:
    """SIGTERM starts the drain; when it ends, the master sends itself a second SIGTERM, which runs
    gunicorn's own graceful stop, as a second SIGTERM from outside does at once. SIGINT and SIGQUIT
    stop quickly, as always."""
    # A container's /dev/shm outlives a restart, where gunicorn is PID 1 again: no drain left over.
    draining.unlink(missing_ok=True)
    graceful_stop = server.handle_term

    def drain_then_stop() -> None:
        if draining.exists() or not drain_seconds:
            graceful_stop()
        draining.touch()
        server.log.info("Draining for %d s: not ready, still serving requests", drain_seconds)
        signal.signal(signal.SIGALRM, lambda *_: os.kill(os.getpid(), signal.SIGTERM))
        signal.alarm(drain_seconds)

    server.handle_term = drain_then_stop


def on_exit(server) -> None:
    draining.unlink(missing_ok=True)
