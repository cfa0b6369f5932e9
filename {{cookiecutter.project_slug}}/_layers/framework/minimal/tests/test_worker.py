import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }} import health
from {{ cookiecutter.package_name }}.config import Settings
from {{ cookiecutter.package_name }}.worker import loop

PROJECT = Path(__file__).resolve().parents[1]


def wait_for(condition: Callable[[], bool], within: float = 10) -> bool:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_the_loop_beats_until_stopped_then_removes_its_heartbeat(settings: Settings) -> None:
    stop = threading.Event()
    worker = threading.Thread(target=loop, args=(settings, stop))
    worker.start()
    assert wait_for(settings.heartbeat_file.exists)
    assert health.check(settings)[0]
    stop.set()
    worker.join(timeout=5)
    assert not worker.is_alive()
    assert not settings.heartbeat_file.exists()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_a_signal_stops_the_worker_mid_wait(settings: Settings, signum: int) -> None:
    env = {
        **os.environ,
        "INTERVAL_SECONDS": str(settings.interval_seconds),
        "HEARTBEAT_TIMEOUT_SECONDS": str(settings.heartbeat_timeout_seconds),
        "HEARTBEAT_FILE": str(settings.heartbeat_file),
    }
    command = [sys.executable, "-m", "{{ cookiecutter.package_name }}", "run"]
    worker = subprocess.Popen(  # noqa: S603 (this interpreter, running this project)
        command, cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        # The heartbeat appears after the first unit of work; the worker then waits 60 s.
        wait_for(lambda: settings.heartbeat_file.exists() or worker.poll() is not None)
        worker.send_signal(signum)
        # Exiting within a few seconds proves the signal cut the wait short.
        output = worker.communicate(timeout=5)[0]
    finally:
        worker.kill()
    assert worker.returncode == 0, output
    assert "Worker stopped" in output
