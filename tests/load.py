"""Sustained HTTP load for the Docker tier's fault tests: threads that send requests back to back and keep
every request's start, end and outcome, so a test can ask which requests that started before a moment (a
signal, a database stop) failed. Throughput and latency figures come from benchmarks/, never from here.

Each request opens its own connection, as a client behind no pool would: a request refused because the
server stopped listening shows up as an error here, not as a silently retried keep-alive request.
"""

import http.client
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

# What a thread sends on its n-th request: method, path and a body (None: no body; bytes as they are, with
# the Content-Type Load's headers give; anything else as JSON).
Plan = Callable[[int], tuple[str, str, object]]


@dataclass(frozen=True)
class Outcome:
    started: float  # time.monotonic() just before the connection was opened
    ended: float
    method: str
    path: str
    status: int | None  # None: no HTTP answer (refused, reset, timed out)
    body: object  # the decoded JSON answer, or the error's text when status is None
    location: str | None = None  # a redirect's Location header

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400


class Load:
    """`with Load(host, port, plan, threads=8) as load: ...` sends requests until the block ends (or
    until stop()); `load.outcomes` holds them all, in the order they ended. `headers` go with every request
    (a session's cookie, say)."""

    def __init__(
        self, host: str, port: int, plan: Plan, threads: int = 8, timeout: float = 30, headers: dict | None = None
    ):
        self.host, self.port, self.plan, self.timeout = host, port, plan, timeout
        self.headers = {"Connection": "close"} | (headers or {})
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._loop, daemon=True) for _ in range(threads)]

    def __enter__(self) -> "Load":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

    def _loop(self) -> None:
        n = 0
        while not self._stop.is_set():
            method, path, body = self.plan(n)
            n += 1
            outcome = self.send(method, path, body)
            with self._lock:
                self.outcomes.append(outcome)
            if outcome.status is None:
                time.sleep(0.05)  # a stopped server refuses at once: don't spin

    def send(self, method: str, path: str, body: object = None) -> Outcome:
        started = time.monotonic()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            if body is None or isinstance(body, bytes):
                payload, content = body, {}
            else:
                payload, content = json.dumps(body).encode(), {"Content-Type": "application/json"}
            connection.request(method, path, body=payload, headers=self.headers | content)
            response = connection.getresponse()
            raw = response.read()
            try:
                answer = json.loads(raw) if raw else None
            except ValueError:
                answer = raw.decode(errors="replace")[:200]
            location = response.getheader("Location")
            return Outcome(started, time.monotonic(), method, path, response.status, answer, location)
        except (OSError, http.client.HTTPException) as error:
            return Outcome(started, time.monotonic(), method, path, None, f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    def snapshot(self) -> list[Outcome]:
        with self._lock:
            return list(self.outcomes)

    def wait_for(self, count: int, within: float = 60) -> None:
        """Block until `count` requests have ended (the load is really under way)."""
        deadline = time.monotonic() + within
        while len(self.snapshot()) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"only {len(self.snapshot())} of {count} requests ended within {within} s")
            time.sleep(0.05)


def summary(outcomes: list[Outcome]) -> dict[str, int]:
    """Count of outcomes by status ('error' for no answer), for assertion messages."""
    counts: dict[str, int] = {}
    for outcome in outcomes:
        key = str(outcome.status) if outcome.status is not None else "error"
        counts[key] = counts.get(key, 0) + 1
    return counts
