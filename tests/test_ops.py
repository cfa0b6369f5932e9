"""Docker tier: what operations sees of each framework's production image: its log lines (readable by
default, one JSON object each with LOG_FORMAT=json), the access line of a request with its request id and
latency, probes kept out of the info log, and a missing or wrong setting stopping the start with one line.

One image per framework, the package managers rotating along them so that each is built at least once
(conda's through the stand-in, as in test_docker.py).
"""

import json
import re
import time
import urllib.error
import urllib.request
import uuid

import pytest
from conftest import CHOICES, WITHIN, bake, combo_id, inspect, logs, run, wait_until_healthy
from standin import Environments, buildable, uses_standin
from test_docker import DEFAULT, START_ENV

pytestmark = pytest.mark.docker

MANAGERS = CHOICES["package_manager"]
BUILDS = [
    buildable({"framework": framework, "package_manager": MANAGERS[index % len(MANAGERS)]}, DEFAULT)
    for index, framework in enumerate(CHOICES["framework"])
]
REQUEST_ID = "suite-request-0042"
# A request to each framework that is not a probe (so it is logged at info) and needs no database.
PAGE = {
    "flask": "/api/greeting?name=suite",
    "fastapi": "/openapi.json",
    "django": "/no-such-page",
    "datascience": "/metadata",
    "minimal": None,
}
# Stands for the DJANGO_SECRET_KEY line of the project's .env.example.
EXAMPLE = object()
# A line starting with its time, as the readable format writes it.
TEXT_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ \S+: ")
# Settings each framework's production image must refuse at start: None drops the variable.
BAD_SETTINGS = {
    "flask": {"FLASK_MAX_NAME_LENGTH": '"many"', "GUNICORN_TIMEOUT": "soon", "BIND": "0.0.0.0:http"},
    "fastapi": {"DATABASE_URL": None, "DATABASE_POOL_SIZE": "five", "GUNICORN_KEEPALIVE": "x"},
    "django": {"DATABASE_URL": None, "DJANGO_SECRET_KEY": EXAMPLE, "GUNICORN_TIMEOUT": "soon"},
    "datascience": {"BIND": "0.0.0.0:http", "LOG_LEVEL": "loud"},
    "minimal": {"INTERVAL_SECONDS": "soon", "LOG_FORMAT": "xml"},
}


class Image:
    def __init__(self, docker, project, framework, tag):
        self.docker, self.project, self.framework, self.tag = docker, project, framework, tag

    def start(self, **env: str | None) -> str:
        """A production container as test_docker runs it, its environment changed by `env`."""
        settings = {key: value for key, value in (START_ENV.get(self.framework, {}) | env).items() if value is not None}
        name = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"
        publish = ["--publish", "127.0.0.1::8000"] if PAGE[self.framework] else []
        run(self.docker, "run", "--detach", "--name", name, "--read-only", "--tmpfs", "/tmp", *publish,
            *[f"--env={key}={value}" for key, value in settings.items()], self.tag)  # fmt: skip
        return name


@pytest.fixture(scope="module", params=BUILDS, ids=combo_id)
def image(request, docker_engine, cookies_session):
    project = bake(cookies_session, **request.param)
    environments = Environments(docker_engine, project) if uses_standin(request.param) else None
    tag = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"
    try:
        run(docker_engine, "buildx", "build", "--quiet", "--load", "--tag", tag,
            *(environments.build_args() if environments else []), ".", cwd=project)  # fmt: skip
        yield Image(docker_engine, project, request.param["framework"], tag)
    finally:
        run(docker_engine, "image", "rm", "--force", tag, check=False)
        if environments:
            environments.remove()


def served_and_stopped(image: Image, **env: str) -> list[str]:
    """The lines a container logs from its start to its stop, having served one request with REQUEST_ID
    and answered its health check (Docker probes every second while it starts)."""
    name = image.start(**env)
    try:
        assert wait_until_healthy(image.docker, name) == "healthy", logs(image.docker, name)
        if PAGE[image.framework]:
            port = run(image.docker, "port", name, "8000/tcp").stdout.split(":")[-1].strip()
            # localhost: the name Django's production settings allow here (START_ENV).
            request = urllib.request.Request(f"http://localhost:{port}{PAGE[image.framework]}")
            request.add_header("X-Request-ID", REQUEST_ID)
            # As from the TLS-terminating proxy Django's production settings expect (no HTTPS redirect).
            request.add_header("X-Forwarded-Proto", "https")
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    headers = response.headers
            except urllib.error.HTTPError as error:
                headers = error.headers
            assert headers["X-Request-ID"] == REQUEST_ID
        run(image.docker, "stop", name)
        return logs(image.docker, name).splitlines()
    finally:
        run(image.docker, "rm", "--force", name, check=False)


def test_json_logs_are_one_object_per_line_and_the_access_line_has_the_request_id(image):
    lines = served_and_stopped(image, LOG_FORMAT="json")
    records = [json.loads(line) for line in lines]
    assert records and all(isinstance(record, dict) and record["timestamp"] for record in records), lines
    if PAGE[image.framework]:
        [access] = [record for record in records if record.get("request_id") == REQUEST_ID]
        assert access["path"] == PAGE[image.framework].split("?")[0]
        assert isinstance(access["duration_ms"], float)
        assert not [record for record in records if record.get("path") == "/health"], "a probe logged at info"


def test_text_logs_are_readable_lines_with_a_time(image):
    lines = served_and_stopped(image)
    assert lines and all(TEXT_LINE.match(line) for line in lines), lines
    if PAGE[image.framework]:
        [access] = [line for line in lines if f"request_id={REQUEST_ID}" in line]
        assert re.search(r" \d{3} [\d.]+ms ", access)
        assert not [line for line in lines if " /health " in line], "a probe logged at info"


def test_a_missing_or_wrong_setting_stops_the_start_with_one_line_naming_it(image):
    example = re.search(r"^DJANGO_SECRET_KEY=(.*)$", (image.project / ".env.example").read_text(), re.MULTILINE)
    refused = {}
    for name, value in BAD_SETTINGS[image.framework].items():
        container = image.start(**{name: example.group(1) if value is EXAMPLE else value})
        try:
            refused[name] = exit_code(image.docker, container), logs(image.docker, container).splitlines()
        finally:
            run(image.docker, "rm", "--force", container, check=False)
    assert {name: result for name, result in refused.items() if not one_line_naming(name, *result)} == {}


def exit_code(docker: str, container: str) -> str:
    """The container's exit code once it stops; "running" when it starts and stays up instead."""
    deadline = time.monotonic() + WITHIN
    state = "running"
    while state == "running" and time.monotonic() < deadline:
        time.sleep(0.5)
        state = inspect(docker, container, "{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}")
        if state.endswith(" healthy"):
            return "running"
        state = state.split()[0]
    return inspect(docker, container, "{{.State.ExitCode}}") if state == "exited" else "running"


def one_line_naming(name: str, exited: str, lines: list[str]) -> bool:
    return exited != "0" and len(lines) == 1 and lines[0].startswith("error: ") and name in lines[0]
