"""The dev loop as a team lives it: edit code under the running dev server and see it served; edit a
dependency and see the documented flow rebuild; two projects' test databases side by side; the dev
database kept across `make down`.

The dev servers are found in the template itself: a framework's `make` target whose help says it
reloads, run by compose (compose.dev.yaml) or on the host. Every package manager runs one of them:
the managers the suite builds with a stand-in (conda) take the compose frameworks, which need no
host environment, and the others follow in cookiecutter.json's order.
"""

import contextlib
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import time
import urllib.error
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from conftest import CHOICES, COMBINATIONS, HOST_PYTHON, bake, combo_id, compose_env, fetch, run
from facts import ROOT, framework_facts, manager_facts
from standin import Environments, buildable, uses_standin

# Bound for a server to come up or a change to show; waits end as soon as they see it.
PATIENCE = 300


def compose_framework(framework: str) -> bool:
    return framework_facts({"framework": framework}).postgres


def dev_target(framework: str) -> str | None:
    """The make target that serves the framework with reload, from the help texts of the Makefile parts its
    project includes (its own, and compose's where it runs on Postgres)."""
    parts = [ROOT / "templates" / "framework" / framework / "Makefile"]
    if compose_framework(framework):
        parts.append(ROOT / "templates" / "make" / "compose.mk")
    text = "".join(part.read_text() for part in parts if part.exists())
    return next(iter(re.findall(r"^([a-z-]+):.*## .*\breload", text, re.MULTILINE)), None)


def rotation() -> list[dict[str, str]]:
    """One project per framework with a dev server; the package managers in turn, the stand-in's first
    (on the compose frameworks, listed first), so every manager meets a dev server."""
    frameworks = sorted((f for f in CHOICES["framework"] if dev_target(f)), key=lambda f: not compose_framework(f))
    managers = sorted(CHOICES["package_manager"], key=lambda m: not uses_standin({"package_manager": m}))
    chosen = [{"framework": f, "package_manager": managers[i % len(managers)]} for i, f in enumerate(frameworks)]
    return [
        buildable(pair, CHOICES["python_version"][0]) if compose_framework(pair["framework"])
        else pair | {"python_version": HOST_PYTHON}
        for pair in chosen
    ]  # fmt: skip


ROTATION = rotation()
COMPOSE_PAIRS = [pair for pair in ROTATION if compose_framework(pair["framework"])]
HOST_PAIRS = [pair for pair in ROTATION if not compose_framework(pair["framework"])]


def test_every_manager_meets_a_dev_server_and_host_servers_run_on_the_host():
    assert sorted({pair["package_manager"] for pair in ROTATION}) == sorted(CHOICES["package_manager"])
    assert HOST_PAIRS and not any(uses_standin(pair) for pair in HOST_PAIRS)


@pytest.mark.parametrize("combo", [c for c in COMBINATIONS if compose_framework(c["framework"])], ids=combo_id)
def test_compose_services_have_overridable_resource_limits(baked, combo):
    project = baked[combo_id(combo)]
    services = yaml.safe_load((project / "compose.yaml").read_text())["services"]
    for name in ("db", "migrate", "app"):
        limits = services[name]["deploy"]["resources"]["limits"]
        assert re.fullmatch(r"\$\{[A-Z_]+:-\d+(\.\d+)?\}", str(limits["cpus"])), (name, limits)
        assert re.fullmatch(r"\$\{[A-Z_]+:-\d+[MG]\}", str(limits["memory"])), (name, limits)


def edit_health(project: Path, current: str = "ok") -> str:
    """Edit the package file behind GET /health, now answering `current`, to answer a new status; that status."""
    [package] = [path.parent for path in project.glob("*/__init__.py") if path.parent.name != "tests"]
    answer = f'{{"status": "{current}"}}'
    [source] = [path for path in package.rglob("*.py") if answer in path.read_text()]
    status = f"edited-{secrets.token_hex(4)}"
    source.write_text(source.read_text().replace(answer, f'{{"status": "{status}"}}'))
    return status


def watch_lines(log: Path) -> str:
    """What compose's watch and the dev server said about changes, for a failure's message."""
    words = ("watch", "sync", "rebuild", "reload", "changed")
    return "\n".join(line for line in log.read_text().splitlines() if any(word in line.lower() for word in words))


def wait_for_body(url: Callable[[], str | None], wanted: str, within: float = PATIENCE) -> str:
    """GET url() until its body holds `wanted` or `within` seconds pass; the last body seen."""
    deadline, body = time.monotonic() + within, ""
    while time.monotonic() < deadline:
        with contextlib.suppress(urllib.error.URLError, ConnectionError, OSError):
            address = url()
            body = fetch(address)[2].decode(errors="replace") if address else body
            if wanted in body:
                break
        time.sleep(1)
    return body


def wait_for_watch(log: Path) -> bool:
    """Whether compose, writing to `log`, says its watch is on within PATIENCE seconds: an edit made
    before that is never synced (seen once on a loaded machine: the app served old code for good)."""
    deadline = time.monotonic() + PATIENCE
    while "watch enabled" not in log.read_text().lower():
        if time.monotonic() > deadline:
            return False
        time.sleep(1)
    return True


@contextlib.contextmanager
def background(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """A long-running command in its own process group, stopped with it afterwards."""
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **env}, start_new_session=True,
                                   stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
        try:
            yield process
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)


def assert_each_request_logged_once(log: Path, url: Callable[[], str | None], service: str | None = None) -> None:
    """Issue 24, item 13: a request to the dev server is one line (the app's access line: the server's own
    would be a second), and what the server prints holds no terminal colour codes and no warning about an
    option it ignores. With compose, the lines are the service's, without compose's own prefix (`app-1  | `,
    after an erase-line code of compose's)."""
    path = f"/no-such-page-{secrets.token_hex(4)}"
    address = url()
    assert address and fetch(address.rsplit("/", 1)[0] + path)[0] == 404
    deadline = time.monotonic() + 30
    while path not in log.read_text() and time.monotonic() < deadline:
        time.sleep(1)
    time.sleep(2)  # a second line for the request would come right after the first
    printed = log.read_text().splitlines()
    if service:
        printed = [found[1] for line in printed if (found := re.match(rf"(?:\x1b\[2K)?{service}-1 +\| (.*)", line))]
    assert len([line for line in printed if path in line]) == 1, "\n".join(printed[-20:])
    assert not [line for line in printed if "\x1b[" in line or "is ignored" in line], "\n".join(printed[-20:])


class DevStack:
    """A compose project run as `make run` runs it, named for the suite (project, images)."""

    def __init__(self, docker: str, project: Path, answers: dict[str, str]):
        self.docker, self.project, self.answers = docker, project, answers
        name = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"
        self.env = compose_env(project) | {"COMPOSE_PROJECT_NAME": name, "IMAGE": name, "APP_PORT": "127.0.0.1:0"}
        self.environments = Environments(docker, project) if uses_standin(answers) else None
        # `make run`'s own command; the stand-in's environments join as one more file.
        self.command = shlex.split(run("make", "-n", "run", cwd=project, env=self.env).stdout.strip())
        self.files = [word for before, word in zip(self.command, self.command[1:], strict=False) if before == "--file"]
        if self.environments:
            self.files.append(str(self.environments.compose_override()))
            last = len(self.command) - self.command[::-1].index("--file") + 1
            self.command[last:last] = ["--file", self.files[-1]]
        self.images: set[str] = set()

    def compose(self, *args: str, check: bool = True):
        files = [part for path in self.files for part in ("--file", path)]
        return run(self.docker, "compose", *files, *args, cwd=self.project, env=self.env, check=check)

    def url(self, path: str) -> Callable[[], str | None]:
        """The app's URL for path, on whatever port its current container has (None while there is none)."""

        def current() -> str | None:
            published = self.compose("port", "app", "8000", check=False).stdout.strip()
            return f"http://{published}{path}" if published else None

        return current

    def app(self) -> tuple[str, str]:
        """The app's container and image ids (empty while there is none, as during a rebuild)."""
        container = self.compose("ps", "--quiet", "app").stdout.strip()
        inspected = run(self.docker, "inspect", "--format", "{{.Image}}", container or "none", check=False)
        image = inspected.stdout.strip() if inspected.returncode == 0 else ""
        self.images |= {image} - {""}
        return (container, image) if image else ("", "")

    def psql(self, sql: str) -> str:
        """Run SQL in the dev database, once it takes connections (a fresh one restarts after its set-up)."""
        deadline, command = time.monotonic() + PATIENCE, ["psql", "-U", "app", "-d", "app", "-tAc", sql]
        while (ran := self.compose("exec", "-T", "db", *command, check=False)).returncode:
            assert time.monotonic() < deadline, ran.stderr
            time.sleep(1)
        return ran.stdout.strip()

    def remove(self) -> None:
        """Everything the stack made; not `down --rmi all`, which would take Postgres' image too."""
        self.compose("--profile", "test", "down", "--volumes", "--remove-orphans", check=False)
        # Compose labels what it builds with the project's name: the images of every rebuild, tagged or not.
        label = f"label=com.docker.compose.project={self.env['COMPOSE_PROJECT_NAME']}"
        built = run(self.docker, "image", "ls", "--all", "--quiet", "--filter", label).stdout.split()
        run(self.docker, "image", "rm", "--force", *set(built) | self.images, check=False)
        if self.environments:
            self.environments.remove()


@pytest.fixture(params=COMPOSE_PAIRS, ids=combo_id)
def dev_stack(request, docker_engine, cookies) -> Iterator[DevStack]:
    stack = DevStack(docker_engine, bake(cookies, **request.param), request.param)
    try:
        yield stack
    finally:
        stack.remove()


def wait_for_new_app(stack: DevStack, before: str) -> tuple[str, str]:
    deadline, now = time.monotonic() + PATIENCE, (before, "")
    while time.monotonic() < deadline and now[0] in {before, ""}:
        time.sleep(1)
        now = stack.app()
    return now


@pytest.mark.docker
def test_make_run_serves_edits_rebuilds_on_dependencies_and_make_down_keeps_the_data(dev_stack, tmp_path):
    stack = dev_stack
    stack.compose("build")  # the slow part, outside the wait for the server
    log = tmp_path / "make-run.log"
    with background(stack.command, stack.project, stack.env, log):
        assert '"ok"' in wait_for_body(stack.url("/health"), '"ok"'), log.read_text()[-3000:]
        assert wait_for_watch(log), log.read_text()[-3000:]
        assert_each_request_logged_once(log, stack.url("/health"), service="app")
        # Code: compose syncs the edit and the dev server reloads.
        status = edit_health(stack.project)
        if status not in wait_for_body(stack.url("/health"), status, within=60):
            # Seen once in a whole run on the loaded machine: compose said its watch was on, and that first
            # edit was never served. A second edit must be, or the dev loop is broken.
            status = edit_health(stack.project, status)
        assert status in wait_for_body(stack.url("/health"), status), watch_lines(log)
        if stack.answers["framework"] == "django":
            # The front-end bundle is served, and an edit to its sources is built and served.
            for asset in ("/static/main.css", "/static/main.js"):
                assert fetch(stack.url(asset)())[0] == 200, asset
            rule = f".edited-{secrets.token_hex(4)}{{color:red}}"
            with (stack.project / "frontend" / "src" / "main.css").open("a") as css:
                css.write(f"\n{rule}\n")
            assert rule in wait_for_body(stack.url("/static/main.css"), rule), log.read_text()[-3000:]
        stack.psql("CREATE TABLE kept_by_make_down (id int)")
        # A dependency input: the documented flow (compose watch's rebuild) builds a new image and app.
        container, image = stack.app()
        with (stack.project / manager_facts(stack.answers).env_inputs[-1]).open("a") as inputs:
            inputs.write("\n# touched by the suite\n")
        new_container, new_image = wait_for_new_app(stack, container)
        assert new_container not in {container, ""}, log.read_text()[-3000:]
        assert new_image != image
        assert status in wait_for_body(stack.url("/health"), status), log.read_text()[-3000:]
    run("make", "down", cwd=stack.project, env=stack.env)
    stack.compose("up", "--detach", "--wait", "db")
    assert stack.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'kept_by_make_down'") == "1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ThrowawayDatabase:
    """A baked Postgres project, as far as its throwaway test database goes."""

    def __init__(self, docker: str, project: Path, **env: str):
        self.docker, self.project = docker, project
        name = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"
        self.env = compose_env(project) | {"COMPOSE_PROJECT_NAME": name, "IMAGE": name} | env

    def make(self, *args: str):
        return run("make", *args, cwd=self.project, env=self.env)

    def psql(self, sql: str) -> None:
        run(self.docker, "compose", "--profile", "test", "exec", "-T", "test-db", "psql", "-U", "app", "-d",
            "app_test", "-c", sql, cwd=self.project, env=self.env)  # fmt: skip


@pytest.mark.docker
def test_two_projects_test_databases_side_by_side(docker_engine, tmp_path, cookies):
    """Each project's `make test` points at its own test database; an explicit TEST_DB_PORT is the one used."""
    chosen = free_port()
    projects = [bake(cookies, **answers) for answers in COMPOSE_PAIRS]
    databases = [ThrowawayDatabase(docker_engine, projects[0], TEST_DB_PORT=f"127.0.0.1:{chosen}")]
    databases += [ThrowawayDatabase(docker_engine, project) for project in projects[1:]]
    # What `make test` hands pytest, through a stand-in for the project's pytest (no venv needed).
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "pytest").write_text('#!/bin/sh\necho "DATABASE_URL=$DATABASE_URL"\n')
    (fake / "pytest").chmod(0o755)
    try:
        for database in databases:
            database.make("db")
        urls = []
        for index, database in enumerate(databases):
            database.psql(f"CREATE TABLE marker_{index} (id int)")
            tested = database.make("--assume-old=install", "test", f"BIN={fake}").stdout
            urls.append(re.search(r"^DATABASE_URL=(\S+)$", tested, re.MULTILINE).group(1))
        assert f"@127.0.0.1:{chosen}/" in urls[0]
        for index, url in enumerate(urls):
            seen = run(docker_engine, "run", "--rm", "--name", f"stagecraft-suite-{uuid.uuid4().hex[:12]}",
                       "--network", "host", "postgres:18", "psql", url, "-tAc",
                       "SELECT string_agg(tablename, ',') FROM pg_tables WHERE tablename LIKE 'marker%'")  # fmt: skip
            assert seen.stdout.strip() == f"marker_{index}", url
    finally:
        for database in databases:
            run("make", "db-reset", cwd=database.project, env=database.env, check=False)


@pytest.mark.project
@pytest.mark.parametrize("answers", HOST_PAIRS, ids=combo_id)
def test_host_dev_server_serves_edits(tmp_path, answers, cookies):
    project = bake(cookies, **answers)
    run("make", "install", cwd=project)
    port, log = free_port(), tmp_path / "server.log"
    url = f"http://127.0.0.1:{port}/health".format
    with background(["make", dev_target(answers["framework"]), f"PORT={port}"], project, {}, log):
        assert '"ok"' in wait_for_body(url, '"ok"'), log.read_text()[-3000:]
        assert_each_request_logged_once(log, url)
        status = edit_health(project)
        assert status in wait_for_body(url, status), log.read_text()[-3000:]
