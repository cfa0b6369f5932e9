"""Liveness without HTTP: the worker touches a heartbeat file after every unit of work, and
the image's HEALTHCHECK fails once it is stale. The check is
`python -m {{ cookiecutter.package_name }} health`."""

import time

from {{ cookiecutter.package_name }}.config import Settings


def beat(settings: Settings) -> None:
    """Record that the worker has just finished a unit of work."""
    settings.heartbeat_file.touch()


def check(settings: Settings) -> tuple[bool, str]:
    """Whether the heartbeat is fresh, and a line saying why."""
    try:
        age = time.time() - settings.heartbeat_file.stat().st_mtime
    except FileNotFoundError:
        return False, (
            f"no heartbeat at {settings.heartbeat_file}: the worker is not running, "
            "or has not finished a unit of work yet"
        )
    if age > settings.heartbeat_timeout_seconds:
        return False, (
            f"the heartbeat is {age:.0f}s old, older than HEARTBEAT_TIMEOUT_SECONDS "
            f"({settings.heartbeat_timeout_seconds:g}): the worker is stuck"
        )
    return True, f"the heartbeat is {age:.0f}s old"
