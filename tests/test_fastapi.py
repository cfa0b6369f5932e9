"""Docker tier, FastAPI variant: the compose stack against a real Postgres, as a user drives it.

One stack (default Python) goes through the steps in order: items survive an app restart, bad
input is 422, and `docker compose down -v` leaves nothing behind. A database outage, under load,
is test_database_faults.py's.
"""

import pytest
from conftest import CHOICES, run, running_stack

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def stack(production_images):
    built = production_images({"framework": "fastapi", "python_version": CHOICES["python_version"][0]})
    with running_stack(built) as stack:
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


def test_down_leaves_nothing_running(stack):
    stack.compose("down", "--volumes", "--remove-orphans")
    label = f"label=com.docker.compose.project={stack.env['COMPOSE_PROJECT_NAME']}"
    assert run(stack.docker, "ps", "--all", "--quiet", "--filter", label).stdout.strip() == ""
    assert run(stack.docker, "volume", "ls", "--quiet", "--filter", label).stdout.strip() == ""
