"""The worker: one unit of work every INTERVAL_SECONDS until SIGTERM (`docker stop`) or Ctrl+C."""

import logging
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

from {{ cookiecutter.package_name }} import health
from {{ cookiecutter.package_name }}.config import Settings

log = logging.getLogger(__name__)


def work_once() -> None:
    """One unit of work: replace the body with the job (poll a queue, sync a table, ...)."""
    log.info("Did one unit of work")


def loop(settings: Settings, stop: threading.Event) -> None:
    """Work, beat and wait until `stop` is set; a unit of work under way always finishes."""
    log.info("Worker started: one unit of work every %gs", settings.interval_seconds)
    try:
        while not stop.is_set():
            work_once()
            health.beat(settings)
            stop.wait(settings.interval_seconds)
    finally:
        settings.heartbeat_file.unlink(missing_ok=True)
    log.info("Worker stopped")


def run(settings: Settings) -> None:
    """Run the loop until SIGTERM or SIGINT, and return once its current unit of work is done."""
    stop = threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        name = signal.Signals(signum).name
        log.info("%s received: stopping after the current unit of work", name)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    # Python runs signal handlers in the main thread, between its own steps. The loop runs in
    # another thread and the main thread only waits for it, so the handler can never interrupt
    # the loop halfway through stop.wait() (which would deadlock on the event's lock).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="worker") as pool:
        pool.submit(loop, settings, stop).result()
