import os
import time

from {{ cookiecutter.package_name }} import health
from {{ cookiecutter.package_name }}.config import Settings


def test_no_heartbeat_is_unhealthy(settings: Settings) -> None:
    healthy, reason = health.check(settings)
    assert not healthy
    assert "no heartbeat" in reason


def test_a_fresh_heartbeat_is_healthy(settings: Settings) -> None:
    health.beat(settings)
    assert health.check(settings) == (True, "the heartbeat is 0s old")


def test_a_stale_heartbeat_is_unhealthy(settings: Settings) -> None:
    health.beat(settings)
    stale = time.time() - settings.heartbeat_timeout_seconds - 5
    os.utime(settings.heartbeat_file, (stale, stale))
    healthy, reason = health.check(settings)
    assert not healthy
    assert "stuck" in reason
