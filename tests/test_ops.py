"""Docker tier: what operations sees of each framework's production image: its log lines (readable by
default, one JSON object each with LOG_FORMAT=json), the access line of a request with its request id and
latency, probes kept out of the info log, and a missing or wrong setting stopping the start with one line.

One image per framework, the package managers rotating along them so that each is built at least once
(conda's through the stand-in, as in test_docker.py).
"""

import contextlib
import json
import re
import time
import urllib.error
import urllib.request
import uuid

import pytest
from conftest import CHOICES, WITHIN, combo_id, inspect, logs, run, wait_until_healthy
from facts import framework_facts, framework_suite
from standin import buildable
from test_docker import DEFAULT

pytestmark = pytest.mark.docker

MANAGERS = CHOICES["package_manager"]
BUILDS = [
    buildable({"framework": framework, "package_manager": MANAGERS[index % len(MANAGERS)]}, DEFAULT)
    for index, framework in enumerate(CHOICES["framework"])
]
REQUEST_ID = "suite-request-0042"
# A line starting with its time, as the readable format writes it.
TEXT_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ \S+: ")


class Image:
    def __init__(self, docker, project, answers, tag):
        self.docker, self.project, self.tag = docker, project, tag
        # What the suite knows of the framework: the page it requests, the settings production refuses.
        self.facts = framework_suite(answers)
        # The paths an orchestrator probes, which must not log at info.
        self.probes = set(framework_facts(answers).probes.values())

    def start(self, **env: str | None) -> str:
        """A production container as test_docker runs it, its environment changed by `env`."""
        settings = {key: value for key, value in (self.facts.start_env | env).items() if value is not None}
        name = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"
        publish = ["--publish", "127.0.0.1::8000"] if self.facts.page else []
        run(self.docker, "run", "--detach", "--name", name, "--read-only", "--tmpfs", "/tmp", *publish,
            *[f"--env={key}={value}" for key, value in settings.items()], self.tag)  # fmt: skip
        return name


@pytest.fixture(scope="module", params=BUILDS, ids=combo_id)
def image(request, production_images):
    built = production_images(request.param)
    return Image(built.docker, built.project, built.answers, built.tag)


def served_and_stopped(image: Image, **env: str) -> list[str]:
    """The lines a container logs from its start to its stop, having served one request with REQUEST_ID,
    answered its health check (Docker probes every second while it starts) and each of its probes."""
    name = image.start(**env)
    try:
        assert wait_until_healthy(image.docker, name) == "healthy", logs(image.docker, name)
        if image.facts.page:
            port = run(image.docker, "port", name, "8000/tcp").stdout.split(":")[-1].strip()
            # localhost: the name Django's production settings allow here (its start_env).
            request = urllib.request.Request(f"http://localhost:{port}{image.facts.page}")
            request.add_header("X-Request-ID", REQUEST_ID)
            # As from the TLS-terminating proxy Django's production settings expect (no HTTPS redirect).
            request.add_header("X-Forwarded-Proto", "https")
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    headers = response.headers
            except urllib.error.HTTPError as error:
                headers = error.headers
            assert headers["X-Request-ID"] == REQUEST_ID
            for probe in image.probes:  # as an orchestrator would, whatever they answer
                with contextlib.suppress(urllib.error.HTTPError):
                    urllib.request.urlopen(f"http://localhost:{port}{probe}", timeout=5).close()
        run(image.docker, "stop", name)
        return logs(image.docker, name).splitlines()
    finally:
        run(image.docker, "rm", "--force", name, check=False)


def test_json_logs_are_one_object_per_line_and_the_access_line_has_the_request_id(image):
    lines = served_and_stopped(image, LOG_FORMAT="json")
    records = [json.loads(line) for line in lines]
    assert records and all(isinstance(record, dict) and record["timestamp"] for record in records), lines
    if image.facts.page:
        [access] = [record for record in records if record.get("request_id") == REQUEST_ID]
        assert access["path"] == image.facts.page.split("?")[0]
        assert isinstance(access["duration_ms"], float)
        assert not [record for record in records if record.get("path") in image.probes], "a probe logged at info"


def test_text_logs_are_readable_lines_with_a_time(image):
    lines = served_and_stopped(image)
    assert lines and all(TEXT_LINE.match(line) for line in lines), lines
    if image.facts.page:
        [access] = [line for line in lines if f"request_id={REQUEST_ID}" in line]
        assert re.search(r" \d{3} [\d.]+ms ", access)
        assert not [line for line in lines for probe in image.probes if f" {probe} " in line], "a probe logged at info"


def test_a_missing_or_wrong_setting_stops_the_start_with_one_line_naming_it(image):
    example = dict(re.findall(r"^(\w+)=(.*)$", (image.project / ".env.example").read_text(), re.MULTILINE))
    bad = image.facts.bad_settings | {name: example[name] for name in image.facts.refuses_example}
    refused = {}
    for name, value in bad.items():
        container = image.start(**{name: value})
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
