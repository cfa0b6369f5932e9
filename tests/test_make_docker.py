"""Docker tier: the Makefile's targets that run images and the tests' database, run as a user runs them.

`make docker-run` hands the app the settings .env.example lists (from .env and make's command line), publishes
it on PORT and names its container after the project; it builds the image once, leaves no <none> image behind
(a code change later either), and `make clean` removes the images built here. `make test`'s Postgres is gone
once the tests end, pass or fail, unless `make db` started it. One project per framework, on the first package
manager and Python, whose production image the other Docker tests build too (the build cache serves them all).
"""

import json
import re
import secrets
import subprocess
import time
import urllib.error
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from conftest import CHOICES, bake, compose_down, compose_env, fetch, inspect, logs, run, wait_until_healthy
from facts import framework_facts, framework_suite
from test_devloop import PATIENCE, background, free_port

pytestmark = pytest.mark.docker

FRAMEWORKS = [
    pytest.param(framework, marks=pytest.mark.xdist_group(f"make-docker-{framework}"))
    for framework in CHOICES["framework"]
]
POSTGRES = [framework for framework in CHOICES["framework"] if framework_facts({"framework": framework}).postgres]
# The setting every framework logs by, changed on make's command line over .env's value.
COMMAND_LINE = {"LOG_FORMAT": "json"}


def answers(framework: str) -> dict[str, str]:
    return {
        "framework": framework,
        "package_manager": CHOICES["package_manager"][0],
        "python_version": CHOICES["python_version"][0],
    }


def settings(path: Path) -> dict[str, str]:
    return dict(re.findall(r"^([A-Za-z_]\w*)=(.*)$", path.read_text(), re.MULTILINE))


def app_settings(project: Path) -> set[str]:
    """The .env.example names the app is to be given: every one for a single image; under compose, those its
    app service takes from the environment (no value, or the variable itself), the others being compose's own."""
    example = settings(project / ".env.example")
    if not (project / "compose.yaml").exists():
        return set(example)
    environment = yaml.safe_load((project / "compose.yaml").read_text())["services"]["app"]["environment"]
    passed = {name for name, value in environment.items() if value is None or str(value).startswith(f"${{{name}")}
    return set(example) & passed


class Run:
    """A baked project whose `make docker-run` the tests drive, every Docker object named for the suite."""

    def __init__(self, docker: str, project: Path, framework: str):
        self.docker, self.project, self.framework = docker, project, framework
        self.compose = (project / "compose.yaml").exists()
        name = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"
        self.image, self.port = name, free_port()
        self.env = (compose_env(project) if self.compose else {}) | {
            "COMPOSE_PROJECT_NAME": name, "IMAGE": name, "CONTAINER": name}  # fmt: skip
        # .env as the README says to make it, with a value for each setting whose example production refuses.
        refused = framework_suite(answers(framework)).refuses_example
        dotenv = settings(project / ".env.example") | {name: secrets.token_urlsafe(50) for name in refused}
        (project / ".env").write_text("".join(f"{name}={value}\n" for name, value in dotenv.items()))
        self.dotenv = dotenv
        self.outputs: list[str] = []
        # The images the app ran on, to remove whatever the targets leave.
        self.seen: set[str] = set()

    def make(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return run("make", *args, cwd=self.project, env=self.env, check=check)

    def app(self) -> str:
        """The running app's container id ("" while there is none)."""
        if self.compose:
            return run(self.docker, "compose", "ps", "--quiet", "app", cwd=self.project, env=self.env).stdout.strip()
        ancestor = f"ancestor={self.image}:dev"
        return run(self.docker, "ps", "--quiet", "--filter", ancestor).stdout.strip()

    def images(self) -> set[str]:
        """Every image built here, tagged or not: those carrying the Makefile's label, compose's project label
        or the suite's image name."""
        found = set()
        for label in (f"local-build={self.image}", f"com.docker.compose.project={self.image}"):
            listed = run(self.docker, "image", "ls", "--all", "--quiet", "--filter", f"label={label}")
            found |= set(listed.stdout.split())
        tags = run(self.docker, "image", "ls", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}").stdout.splitlines()
        return found | {line.split()[1] for line in tags if line.startswith((f"{self.image}:", f"{self.image}-"))}

    def docker_run(self, check: Callable[[str], None] | None = None) -> str:
        """`make docker-run PORT=<port> LOG_FORMAT=json` until the app is healthy, then stopped; check(container)
        runs while it is up. Its output."""
        log = self.project.parent / f"docker-run-{len(self.outputs)}.log"
        args = ["docker-run", f"PORT={self.port}", *(f"{name}={value}" for name, value in COMMAND_LINE.items())]
        with background(["make", *args], self.project, self.env, log) as process:
            deadline, container = time.monotonic() + PATIENCE, ""
            while not container and process.poll() is None and time.monotonic() < deadline:
                time.sleep(1)
                container = self.app()
            assert container, log.read_text()[-3000:]
            assert wait_until_healthy(self.docker, container) == "healthy", log.read_text()[-3000:]
            if check:
                check(container)
        self.outputs.append(log.read_text())
        return self.outputs[-1]

    def remove(self) -> None:
        if self.compose:
            compose_down(self.docker, self.project, self.env)
        else:
            run(self.docker, "rm", "--force", self.env["CONTAINER"], check=False)
        if left := self.images() | self.seen:
            run(self.docker, "image", "rm", "--force", *left, check=False)


@pytest.fixture(scope="module", params=FRAMEWORKS)
def first_run(request, docker_engine, cookies_session) -> Iterator[tuple[Run, dict[str, str]]]:
    """Each framework's project after one `make docker-run`, and what its app was given and answered then."""
    framework = request.param
    made = Run(docker_engine, bake(cookies_session, **answers(framework)), framework)
    seen = {}

    def look(container: str) -> None:
        seen["name"] = inspect(docker_engine, container, "{{.Name}}").lstrip("/")
        seen["env"] = inspect(docker_engine, container, "{{json .Config.Env}}")
        seen["published"] = run(docker_engine, "port", container, "8000/tcp", check=False).stdout.strip()
        if probes := framework_facts(answers(framework)).probes:
            try:
                seen["served"] = str(fetch(f"http://127.0.0.1:{made.port}{probes['liveness']}")[0])
            except (urllib.error.URLError, ConnectionError) as error:
                seen["served"] = str(error)
        seen["first line"] = logs(docker_engine, container).splitlines()[0]
        seen["image"] = inspect(docker_engine, container, "{{.Image}}")
        made.seen.add(seen["image"])

    try:
        made.docker_run(look)
        yield made, seen
    finally:
        made.remove()


def test_docker_run_passes_the_settings_publishes_on_port_and_names_its_container(first_run):
    """Issue 24, item 4: PORT was ignored (always 8000), the container had a random name, and neither
    LOG_FORMAT=json on make's command line nor .env's settings reached the app."""
    made, seen = first_run
    # A name alone is a variable compose passes on that the environment does not set: the app gets none.
    env = dict(line.split("=", 1) for line in json.loads(seen["env"]) if "=" in line)
    wanted = {name: made.dotenv[name] for name in app_settings(made.project)} | COMMAND_LINE
    assert {name: env.get(name) for name in wanted} == wanted
    assert seen["first line"].startswith("{") and json.loads(seen["first line"])["level"], seen["first line"]
    if made.compose:
        # Every other .env.example setting is compose's own: the Postgres it runs, the port, the database URL.
        compose = (made.project / "compose.yaml").read_text()
        app = yaml.safe_load(compose)["services"]["app"]["environment"]
        own = {name for name in settings(made.project / ".env.example") if "${" + name in compose or app.get(name)}
        assert set(settings(made.project / ".env.example")) <= own | set(wanted)
    else:
        assert seen["name"] == made.env["CONTAINER"]
        slug = made.project.name
        assert f" --name {slug} " in run("make", "-n", "docker-run", cwd=made.project).stdout
    if framework_facts(answers(made.framework)).probes:
        assert (seen["published"], seen["served"]) == (f"127.0.0.1:{made.port}", "200")


def naming(output: str) -> list[str]:
    """The images a build output says it named: BuildKit's "naming to <image> done", one per image built (a slow
    naming also prints a line while in progress)."""
    return re.findall(r"naming to (\S+)(?: [\d.]+s)? done$", output, re.MULTILINE)


def test_docker_run_builds_once_leaves_no_none_image_and_make_clean_removes_the_images(first_run):
    """Issue 24, item 7: compose built production twice (migrate's and the app's `build: .`) and left a <none>
    image each run, more after a code change; nothing removed the project's images."""
    made, seen = first_run
    [package] = [path.parent.name for path in made.project.glob("*/__init__.py") if path.parent.name != "tests"]
    source = made.project / framework_suite(answers(made.framework)).code_change.format(pkg=package)
    source.write_text(source.read_text() + "# changed by the suite\n")
    made.docker_run()
    assert [len(naming(output)) for output in made.outputs] == [1, 1], [naming(output) for output in made.outputs]
    current = run(made.docker, "image", "inspect", "--format", "{{.Id}}", f"{made.image}:dev").stdout.strip()
    assert current != seen["image"], "the code change built no new image"
    gone = run(made.docker, "image", "inspect", seen["image"], check=False)
    assert gone.returncode != 0, f"the image the code change superseded is still there (<none>): {seen['image']}"
    assert made.images() == {current.removeprefix("sha256:")[:12]}
    made.make("clean")
    assert made.images() == set()
    assert not (made.project / ".venv").exists()


def compose_containers(project: Path, env: dict[str, str]) -> list[str]:
    return run("docker", "ps", "--all", "--format", "{{.Names}}", "--filter",
               f"label=com.docker.compose.project={env['COMPOSE_PROJECT_NAME']}").stdout.split()  # fmt: skip


@pytest.mark.parametrize("framework", POSTGRES)
def test_make_test_removes_its_throwaway_database_pass_or_fail(docker_engine, cookies, tmp_path, framework):
    """Issue 24, item 12: `make test`'s Postgres kept running until `make down`."""
    project = bake(cookies, **answers(framework))
    name = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"
    env = compose_env(project) | {"COMPOSE_PROJECT_NAME": name, "IMAGE": name}
    # What `make test` hands pytest, through a stand-in for the project's pytest that passes or fails.
    (tmp_path / "pytest").write_text('#!/bin/sh\necho "DATABASE_URL=$DATABASE_URL"\nexit "${OUTCOME:-0}"\n')
    (tmp_path / "pytest").chmod(0o755)

    def make_test(*args: str, outcome: int = 0) -> subprocess.CompletedProcess:
        return run("make", "test", f"BIN={tmp_path}", "INSTALL=", *args, cwd=project, check=False,
                   env=env | {"OUTCOME": str(outcome)})  # fmt: skip

    try:
        for outcome in (0, 1):
            tested = make_test(outcome=outcome)
            assert (tested.returncode == 0) == (outcome == 0), tested.stdout + tested.stderr
            assert re.search(r"^DATABASE_URL=postgresql://app:app@127\.0\.0\.1:\d+/app_test$", tested.stdout,
                             re.MULTILINE), tested.stdout  # fmt: skip
            assert compose_containers(project, env) == [], outcome
        # The one `make db` started is the user's: `make test` uses it and leaves it to `make down`.
        run("make", "db", cwd=project, env=env)
        assert make_test().returncode == 0
        assert compose_containers(project, env) == [f"{name}-test-db-1"]
        run("make", "down", cwd=project, env=env)
        # The devcontainer brings its own database and has no Docker: none is started.
        tested = make_test("TEST_DB=", "TEST_DATABASE_URL=postgresql://app:app@elsewhere:5432/app_test")
        assert tested.returncode == 0 and "DATABASE_URL=postgresql://app:app@elsewhere:5432/app_test" in tested.stdout
        assert compose_containers(project, env) == []
    finally:
        compose_down(docker_engine, project, env)
