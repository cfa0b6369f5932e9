"""Docker tier, FastAPI variant: the compose stack against a real Postgres, as a user drives it.

One stack (default Python) goes through the steps in order: items survive an app restart, a
database outage turns /ready to 503 and back without restarting the app, bad input is 422,
and `docker compose down -v` leaves nothing behind.
"""

import pytest
from conftest import logs, run, running_stack

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def stack(docker_engine, cookies_session):
    with running_stack(docker_engine, cookies_session, framework="fastapi") as stack:
        yield stack


def test_migrations_ran_as_their_own_step(stack):
    assert stack.inspect("migrate", "{{.State.Status}} {{.State.ExitCode}}") == "exited 0"
    assert "Running upgrade  -> 0001" in stack.compose("logs", "migrate").stdout


def test_items_are_created_and_read_back(stack):
    status, item = stack.request("POST", "/items", {"name": "lamp", "description": "desk"})
    assert status == 201
    assert stack.request("GET", f"/items/{item['id']}") == (200, item)
    assert item in stack.request("GET", "/items")[1]


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "x" * 101}, {"name": ["lamp"]}, {"name": "a", "x": 1}])
def test_invalid_payloads_are_422_never_500(stack, body):
    assert stack.request("POST", "/items", body)[0] == 422


def test_data_survives_recreating_the_app(stack):
    _, item = stack.request("POST", "/items", {"name": "kept"})
    before = stack.container("app")
    stack.compose("up", "--detach", "--wait", "--force-recreate", "--no-deps", "app")
    assert stack.container("app") != before
    assert stack.request("GET", f"/items/{item['id']}") == (200, item)


def test_database_outage_fails_ready_but_not_health_and_recovers(stack):
    started = stack.inspect("app", "{{.State.StartedAt}}")
    stack.compose("stop", "db")
    assert stack.wait_for("/ready", 503) == 503
    assert [stack.request("GET", "/ready")[0] for _ in range(6)] == [503] * 6
    assert stack.request("GET", "/health") == (200, {"status": "ok"})
    stack.compose("start", "db")
    assert stack.wait_for("/ready", 200) == 200
    assert stack.inspect("app", "{{.State.StartedAt}} {{.RestartCount}}") == f"{started} 0"
    # Logged once per change and worker (WEB_CONCURRENCY=2 in compose), not once per probe.
    lines = logs(stack.docker, stack.container("app"))
    not_ready, ready_again = lines.count("Not ready: database unavailable"), lines.count("Ready again")
    assert 1 <= not_ready <= 2 and 1 <= ready_again <= not_ready, lines


def test_down_leaves_nothing_running(stack):
    stack.compose("down", "--volumes", "--remove-orphans")
    label = f"label=com.docker.compose.project={stack.env['COMPOSE_PROJECT_NAME']}"
    assert run(stack.docker, "ps", "--all", "--quiet", "--filter", label).stdout.strip() == ""
    assert run(stack.docker, "volume", "ls", "--quiet", "--filter", label).stdout.strip() == ""
