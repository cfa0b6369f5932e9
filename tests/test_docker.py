"""Docker tier: the generated images build, test themselves and run as production should.

Runs on a real engine; without one it skips with the reason, or fails when REQUIRE_DOCKER=1.
Python 3.12 images cannot be built on this project's machines (no base image), so the
matrix takes the default and the oldest supported Python (see BUILDS).
"""

import json
import re
import shlex
import time
import tomllib
import urllib.request
import uuid
from pathlib import Path

import pytest
import yaml
from conftest import CHOICES, bake, combo_id, compose_down, compose_env, inspect, logs, pairs, run, wait_until_healthy
from facts import manager_facts
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from standin import Environments, buildable, uses_standin

pytestmark = pytest.mark.docker

# Every framework x manager pair on the default Python (conda: on the stand-in's), and every framework on
# the oldest Python with the first manager: each answer is built at least once and a full run stays well
# inside CI's time.
DEFAULT, OLDEST = CHOICES["python_version"][0], CHOICES["python_version"][-1]
BUILDS = [buildable(pair, DEFAULT) for pair in pairs()] + [
    pair | {"python_version": OLDEST} for pair in pairs() if pair["package_manager"] == CHOICES["package_manager"][0]
]
# What a framework's production container needs in its environment to start on its own.
UNREACHABLE_DB = "postgresql://nobody:nothing@127.0.0.1:1/none"
START_ENV = {
    "fastapi": {"DATABASE_URL": UNREACHABLE_DB},
    "django": {"DATABASE_URL": UNREACHABLE_DB, "DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "localhost"},
}
# A request the production container answers on port 8000 without any other service, and its JSON;
# None for a container that serves no HTTP (its health check is then the whole proof of life).
SMOKE = {
    "flask": ("/api/greeting?name=suite", {"message": "Hello, suite!"}),
    "fastapi": ("/health", {"status": "ok"}),
    "django": ("/health", {"status": "ok"}),
    "datascience": ("/health", {"status": "ok"}),
    "minimal": None,
}
# What the production container logs when it has finished cleanly after SIGTERM.
STOPPED = {
    "flask": "Shutting down: Master",
    "fastapi": "Shutting down: Master",
    "django": "Shutting down: Master",
    "datascience": "Shutting down: Master",
    "minimal": "Worker stopped",
}


class Image:
    def __init__(self, docker: str, project: Path, answers: dict[str, str], tag: str, test_output: str,
                 environments: Environments | None):  # fmt: skip
        self.docker, self.project, self.tag, self.test_output = docker, project, tag, test_output
        self.environments = environments
        self.answers, self.framework, self.python_version = answers, answers["framework"], answers["python_version"]

    def python(self, code: str, check: bool = True):
        """Run Python code in a throwaway production container."""
        return run(self.docker, "run", "--rm", "--entrypoint", "python", self.tag, "-c", code, check=check)


def run_test_stage(docker: str, project: Path, environments: Environments | None) -> str:
    """The test stage's output: from the build, or, where the tests need compose's services, from its run.
    `environments`: the stand-in's, for the pixi stages."""
    compose = project / "compose.yaml"
    if compose.exists() and "tests" in yaml.safe_load(compose.read_text())["services"]:
        files = ["--file", "compose.yaml"]
        if environments:
            files += ["--file", str(environments.compose_override())]
        env = compose_env(project)
        try:
            ran = run(docker, "compose", *files, "--profile", "test", "run", "--rm", "--build", "tests",
                      cwd=project, env=env)  # fmt: skip
            return ran.stdout + ran.stderr
        finally:
            compose_down(docker, project, env, *files)
    # --no-cache-filter: the test stage runs every time, so its output is there to read.
    built = run(docker, "buildx", "build", "--progress=plain", "--no-cache-filter", "test", "--target", "test",
                *(environments.build_args() if environments else []), ".", cwd=project)  # fmt: skip
    return built.stderr


@pytest.fixture(scope="module", params=BUILDS, ids=combo_id)
def image(request, docker_engine, cookies_session):
    project = bake(cookies_session, **request.param)
    environments = Environments(docker_engine, project) if uses_standin(request.param) else None
    tag = f"stagecraft-suite/{combo_id(request.param)}:{uuid.uuid4().hex[:8]}"
    try:
        tested = run_test_stage(docker_engine, project, environments)
        run(docker_engine, "buildx", "build", "--quiet", "--load", "--tag", tag,
            *(environments.build_args() if environments else []), ".", cwd=project)  # fmt: skip
        yield Image(docker_engine, project, request.param, tag, tested, environments)
    finally:
        run(docker_engine, "image", "rm", "--force", tag, check=False)
        if environments:
            environments.remove()


@pytest.fixture(scope="module")
def container(image):
    """The production image running as deployed: read-only root, tmpfs /tmp, port published if it serves."""
    name = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"
    env = [f"--env={key}={value}" for key, value in START_ENV.get(image.framework, {}).items()]
    publish = ["--publish", "127.0.0.1::8000"] if SMOKE[image.framework] else []
    run(image.docker, "run", "--detach", "--name", name, "--read-only", "--tmpfs", "/tmp",
        *publish, *env, image.tag)  # fmt: skip
    yield name
    run(image.docker, "rm", "--force", name, check=False)


def test_test_stage_runs_the_projects_own_tests(image):
    summary = re.search(r"=+ (\d+) passed.* in [\d.]+s =+", image.test_output)
    assert summary and int(summary.group(1)) > 0, image.test_output[-3000:]
    assert not re.search(r"\d+ (failed|errors?)\b", image.test_output)


def test_production_is_healthy_and_serves_read_only(image, container):
    assert wait_until_healthy(image.docker, container) == "healthy", logs(image.docker, container)
    assert inspect(image.docker, container, "{{.HostConfig.ReadonlyRootfs}}") == "true"
    if SMOKE[image.framework]:
        path, answer = SMOKE[image.framework]
        port = run(image.docker, "port", container, "8000/tcp").stdout.split(":")[-1].strip()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            assert response.status == 200
            assert json.load(response) == answer


def test_production_runs_as_a_numeric_non_root_user(image, container):
    assert inspect(image.docker, image.tag, "{{.Config.User}}") == "10001:10001"
    assert run(image.docker, "exec", container, "id", "-u").stdout.strip() == "10001"


def test_production_holds_no_compiler(image):
    found = image.python("import shutil; print([t for t in ('gcc', 'cc', 'g++', 'clang', 'make') if shutil.which(t)])")
    assert found.stdout.strip() == "[]"


def runtime_lock(image: Image) -> list[str]:
    """The runtime pins as requirement lines, as the project's package manager exports them."""
    return run(*shlex.split(manager_facts(image.answers).export_runtime), cwd=image.project).stdout.splitlines()


def distributions(image: Image) -> list[str]:
    listed = image.python(
        "import importlib.metadata as m, json; print(json.dumps([d.name for d in m.distributions()]))"
    )
    return sorted({canonicalize_name(name) for name in json.loads(listed.stdout)})


def test_production_holds_exactly_the_runtime_lock(image):
    assert "ModuleNotFoundError" in image.python("import pytest", check=False).stderr
    if image.environments:
        # pixi: the conda packages are the stand-in's `prod` environment, and nothing the dev feature adds is there.
        prefix = manager_facts(image.answers).env_prefix
        listed = image.python(f"import os; print(*sorted(os.listdir('{prefix}/conda-meta')))").stdout.split()
        installed = sorted(name.rsplit("-", 2)[0] for name in listed if name.endswith(".json"))
        assert installed == image.environments.packages("prod")
        dev = tomllib.loads((image.project / "pixi.toml").read_text())["feature"]["dev"]
        dev_names = {canonicalize_name(name) for table in dev.values() for name in table}
        assert dev_names and dev_names.isdisjoint(distributions(image))
        return
    locked = [Requirement(line.split(" \\")[0]) for line in runtime_lock(image) if re.match(r"[a-z0-9]", line)]
    target = {"python_version": image.python_version, "python_full_version": f"{image.python_version}.0"}
    wanted = sorted(canonicalize_name(req.name) for req in locked if req.marker is None or req.marker.evaluate(target))
    assert distributions(image) == wanted


def test_production_holds_no_package_manager(image):
    found = image.python("import shutil; print([t for t in ('pixi', 'uv', 'poetry', 'conda') if shutil.which(t)])")
    assert found.stdout.strip() == "[]"


def test_production_stops_gracefully(image, container):
    assert wait_until_healthy(image.docker, container) == "healthy"
    started = time.monotonic()
    run(image.docker, "stop", container)
    print(f"docker stop took {time.monotonic() - started:.1f}s")
    # Exit code 0, not 137: the process finished on SIGTERM before Docker's 10 s SIGKILL.
    assert inspect(image.docker, container, "{{.State.ExitCode}}") == "0"
    assert STOPPED[image.framework] in logs(image.docker, container)
