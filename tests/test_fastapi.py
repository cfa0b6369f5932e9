"""Docker tier, FastAPI variant: the compose stack against a real Postgres, as a user drives it.

One stack (default Python) goes through the steps in order: items survive an app restart, a
database outage turns /ready to 503 and back without restarting the app, bad input is 422,
and `docker compose down -v` leaves nothing behind.
"""

import json
import time
import urllib.error
import urllib.request
import uuid

import pytest
from conftest import CHOICES, bake, run

pytestmark = pytest.mark.docker

# Bounds for waiting on state changes; the steps poll and move on as soon as they see them.
WITHIN = 60


class Stack:
    def __init__(self, docker: str, project, name: str):
        self.docker, self.project, self.env = docker, project, {"COMPOSE_PROJECT_NAME": name, "APP_PORT": "127.0.0.1:0"}

    def compose(self, *args: str, check: bool = True):
        return run(self.docker, "compose", *args, cwd=self.project, env=self.env, check=check)

    def url(self, path: str) -> str:
        return f"http://{self.compose('port', 'app', '8000').stdout.strip()}{path}"

    def request(self, method: str, path: str, body: object = None) -> tuple[int, object]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url(path), data=data, method=method)
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or "null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or "null")

    def container(self, service: str) -> str:
        return self.compose("ps", "--all", "--quiet", service).stdout.strip()

    def inspect(self, service: str, template: str) -> str:
        return run(self.docker, "inspect", "--format", template, self.container(service)).stdout.strip()

    def wait_for(self, path: str, status: int) -> int:
        deadline, seen = time.monotonic() + WITHIN, None
        while time.monotonic() < deadline:
            try:
                seen = self.request("GET", path)[0]
            except (urllib.error.URLError, ConnectionError):
                seen = None
            if seen == status:
                break
            time.sleep(0.5)
        return seen


@pytest.fixture(scope="module")
def stack(docker_engine, tmp_path_factory):
    answers = {"framework": "fastapi", "python_version": CHOICES["python_version"][0]}
    stack = Stack(docker_engine, bake(tmp_path_factory.mktemp("fastapi"), **answers), f"suite-{uuid.uuid4().hex[:8]}")
    stack.compose("up", "--build", "--wait")
    yield stack
    stack.compose("down", "--volumes", "--remove-orphans", check=False)


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
    assert stack.request("GET", "/health") == (200, {"status": "ok"})
    stack.compose("start", "db")
    assert stack.wait_for("/ready", 200) == 200
    assert stack.inspect("app", "{{.State.StartedAt}} {{.RestartCount}}") == f"{started} 0"


def test_down_leaves_nothing_running(stack):
    stack.compose("down", "--volumes", "--remove-orphans")
    label = f"label=com.docker.compose.project={stack.env['COMPOSE_PROJECT_NAME']}"
    assert run(stack.docker, "ps", "--all", "--quiet", "--filter", label).stdout.strip() == ""
    assert run(stack.docker, "volume", "ls", "--quiet", "--filter", label).stdout.strip() == ""
