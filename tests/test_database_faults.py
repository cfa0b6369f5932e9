"""Docker tier: Postgres stopped and started again under sustained load, for each framework with a database
(issue 25). Every answer during the whole run is a success or a 503 (no 500, no dropped connection, no hang),
liveness never follows the database, the app recovers without a restart, each worker logs the outage's start
and end rather than a line per request, and every write the app acknowledged is still there afterwards.

How long recovery took is printed (pytest -s shows it), not asserted: times are benchmarks/' business.
"""

import http.client
import re
import secrets
import time
import urllib.parse
from dataclasses import dataclass

import pytest
from conftest import CHOICES, WITHIN, logs, running_stack
from facts import framework_facts
from load import Load, Outcome, summary

pytestmark = pytest.mark.docker

DATABASE_FRAMEWORKS = [name for name in CHOICES["framework"] if framework_facts({"framework": name}).postgres]
# Longer than any answer the outage may cost (a wait for a pooled connection, then a new connection, at
# DATABASE_CONNECT_TIMEOUT's default 3 s each): a request unanswered after it is a hang, and counts as an error.
HANG = 15
THREADS = 6
ERROR_LINE = re.compile(r"\d (ERROR|CRITICAL) |Traceback")


def exchange(address: str, method: str, path: str, body: bytes | None = None, **headers: str):
    """One request without following redirects: status, headers (a Set-Cookie per cookie) and body."""
    connection = http.client.HTTPConnection(*address.split(":"), timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def cookies(headers) -> dict[str, str]:
    return {name: value.split(";")[0] for name, _, value in (c.partition("=") for c in headers.get_all("Set-Cookie"))}


class Items:
    """FastAPI's example resource, written and read as JSON, between the orchestrator's probes."""

    def __init__(self, stack, address: str):
        self.stack, self.headers = stack, {}

    def plan(self, n: int) -> tuple[str, str, object]:
        return [("POST", "/items", {"name": f"load {n}"}), ("GET", "/items?limit=5", None),
                ("GET", "/ready", None), ("GET", "/health", None)][n % 4]  # fmt: skip

    def acknowledged(self, outcome: Outcome) -> object:
        """The item a write stored (None: not acknowledged)."""
        return outcome.body if outcome.status == 201 else None

    def stored(self, item: dict) -> bool:
        return self.stack.request("GET", f"/items/{item['id']}") == (200, item)


class Notes:
    """Django's notes, added in the admin (the example app's way to add one) by a signed-in user, between
    reads of the page that lists them and the liveness probe."""

    ADDED = re.compile(r"/admin/notes/note/(\d+)/change/")

    def __init__(self, stack, address: str):
        self.address, password = address, secrets.token_urlsafe(16)
        stack.compose("exec", "-T", "--env", f"DJANGO_SUPERUSER_PASSWORD={password}", "app", "python", "manage.py",
                      "createsuperuser", "--noinput", "--username", "load", "--email", "load@example.com")  # fmt: skip
        # Signed in as a browser would be: the login form's CSRF cookie, then the form (which rotates it).
        _, headers, _ = exchange(address, "GET", "/admin/login/")
        csrf = cookies(headers)["csrftoken"]
        form = {"username": "load", "password": password, "csrfmiddlewaretoken": csrf, "next": "/admin/"}
        status, headers, _ = self.post("/admin/login/", form, f"csrftoken={csrf}")
        assert status == 302, "signing in to the admin failed"
        session = cookies(headers)
        self.csrf = session["csrftoken"]
        self.cookie = f"csrftoken={self.csrf}; sessionid={session['sessionid']}"
        self.headers = {"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"}

    def post(self, path: str, form: dict[str, str], cookie: str):
        body = urllib.parse.urlencode(form).encode()
        return exchange(self.address, "POST", path, body, Cookie=cookie,
                        **{"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip

    def plan(self, n: int) -> tuple[str, str, object]:
        # _continue: the answer redirects to the new note's page, which names its id.
        add = {"title": f"load {n}", "body": "", "_continue": "1", "csrfmiddlewaretoken": self.csrf}
        return [("POST", "/admin/notes/note/add/", urllib.parse.urlencode(add).encode()), ("GET", "/", None),
                ("GET", "/ready", None), ("GET", "/health", None)][n % 4]  # fmt: skip

    def acknowledged(self, outcome: Outcome) -> object:
        """The id of the note a write added (None: not acknowledged)."""
        added = outcome.status == 302 and self.ADDED.fullmatch(outcome.location or "")
        return int(added.group(1)) if added else None

    def stored(self, note: int) -> bool:
        status, _, page = exchange(self.address, "GET", f"/admin/notes/note/{note}/change/", Cookie=self.cookie)
        return status == 200 and b'value="load ' in page


CLIENTS = {"fastapi": Items, "django": Notes}


@dataclass
class Run:
    client: object
    outcomes: list[Outcome]
    stopped: float  # time.monotonic() once `compose stop db` returned
    restarting: float  # just before `compose start db`
    healthy: float  # once Postgres reported healthy again
    recovered: float  # the end of the first write the app acknowledged after the outage began
    app_before: str  # the app container's StartedAt and RestartCount before the run
    app_after: str
    log: str

    def writes(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.method == "POST"]


def wait(condition, what: str):
    deadline = time.monotonic() + WITHIN
    while not (found := condition()):
        assert time.monotonic() < deadline, f"no {what} within {WITHIN} s"
        time.sleep(0.1)
    return found


@pytest.fixture(scope="module", params=DATABASE_FRAMEWORKS)
def run(request, production_images) -> Run:
    framework = request.param
    built = production_images({"framework": framework, "python_version": CHOICES["python_version"][0]})
    with running_stack(built) as stack:
        address = stack.compose("port", "app", "8000").stdout.strip()
        client = CLIENTS[framework](stack, address)
        state = "{{.State.StartedAt}} {{.RestartCount}}"
        app_before = stack.inspect("app", state)
        host, port = address.split(":")
        with Load(host, int(port), client.plan, threads=THREADS, timeout=HANG, headers=client.headers) as load:
            load.wait_for(5 * THREADS)
            stack.compose("stop", "db")
            stopped = time.monotonic()
            wait(lambda: sum(o.status == 503 and o.started > stopped for o in load.snapshot()) >= 2 * THREADS,
                 "503 answers while Postgres is stopped")  # fmt: skip
            restarting = time.monotonic()
            stack.compose("start", "db")
            started = time.monotonic()
            wait(lambda: stack.inspect("db", "{{.State.Health.Status}}") == "healthy", "healthy Postgres")
            healthy = time.monotonic()

            def first_write_after_the_outage() -> float | None:
                ends = [o.ended for o in load.snapshot() if o.started > stopped and client.acknowledged(o)]
                return min(ends, default=None)

            recovered = wait(first_write_after_the_outage, "acknowledged write after the outage")
            load.wait_for(len(load.snapshot()) + 5 * THREADS)
        outcomes = load.outcomes
        app_after = stack.inspect("app", state)
        log = logs(stack.docker, stack.container("app"))
        print(
            f"\n{framework}: {len(outcomes)} requests {summary(outcomes)}; Postgres healthy {healthy - started:.1f} s"
            f" after it started again; first write acknowledged {recovered - healthy:+.1f} s from then;"
            f" after it: {summary([o for o in outcomes if o.started > recovered])};"
            f" slowest answers {sorted((round(o.ended - o.started, 2), o.path, o.status) for o in outcomes)[-3:]}"
        )
        yield Run(client, outcomes, stopped, restarting, healthy, recovered, app_before, app_after, log)


def test_every_answer_is_a_success_or_a_503(run):
    """No 500, no dropped or refused connection, no request left hanging: a 503 is the only failure."""
    failed = [o for o in run.outcomes if not o.ok and o.status != 503]
    assert not failed, f"{summary(run.outcomes)}; first: {failed[:3]}"


def test_every_write_is_acknowledged_or_a_503(run):
    unacknowledged = [o for o in run.writes() if o.status != 503 and run.client.acknowledged(o) is None]
    assert not unacknowledged, unacknowledged[:3]


def test_readiness_follows_the_database_and_liveness_does_not(run):
    """While Postgres is stopped the requests that need it answer 503, readiness too; liveness answers 200
    throughout, so an orchestrator takes the app out of rotation rather than restarting it."""
    down = [o for o in run.outcomes if run.stopped < o.started and o.ended < run.restarting]
    assert any(o.status == 503 for o in down), summary(down)
    assert {o.status for o in down if o.path == "/ready"} == {503}, summary(down)
    assert {o.status for o in run.outcomes if o.path == "/health"} == {200}


def test_the_app_recovers_without_restarting(run):
    """From the first write acknowledged after the outage on, every request succeeds, on the same container."""
    after = [o for o in run.outcomes if o.started > run.recovered]
    assert after and all(o.ok for o in after), summary(after)
    assert run.app_after == run.app_before, "the app container was restarted"


def test_every_acknowledged_write_is_still_there(run):
    acknowledged = [run.client.acknowledged(o) for o in run.writes() if run.client.acknowledged(o)]
    before = [o for o in run.writes() if o.ended < run.stopped and run.client.acknowledged(o)]
    assert before and len(acknowledged) > len(before), "writes acknowledged before and after the outage"
    assert [ack for ack in acknowledged if not run.client.stored(ack)] == []


def test_each_worker_logs_each_change_once_without_a_traceback(run):
    """A warning with the reason when a worker finds the database gone, a line when it connects again, and
    nothing per request: each worker's lines alternate, so the warnings outnumber the "available again" lines
    by the workers at most. (A request that failed just as its worker reconnected makes one more pair.)"""
    workers = run.log.count("Booting worker with pid")
    down, up = run.log.count("Database unavailable, answering 503: "), run.log.count("Database available again")
    assert 1 <= up <= down <= up + workers, run.log
    assert [line for line in run.log.splitlines() if ERROR_LINE.search(line)] == []
