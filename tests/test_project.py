"""Project tier: a generated project installs from its own lock, passes its own tests and hooks,
and its committed locks are exactly what its own `make lock` produces."""

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import kube
import pytest
from conftest import (
    CHOICES,
    HOST_PYTHON,
    LONGEST_NAMES,
    WITHIN,
    bake,
    combo_id,
    compose_env,
    fetch,
    pairs,
    request_json,
    run,
    wait_for_status,
)
from locking import lock_files, make_lock
from standin import uses_standin

from stagecraft_answers import rules

pytestmark = pytest.mark.project
# The pairs whose package manager runs on the suite's machines; conda's (pixi's) run in the stand-in,
# in test_conda.py. The deploy answers cycle along, so the hooks meet every framework's Helm chart too.
HOST_PAIRS = [
    pair | {"deploy": CHOICES["deploy"][index % len(CHOICES["deploy"])]}
    for index, pair in enumerate(pair for pair in pairs() if not uses_standin(pair))
]


def names(pair: dict[str, str]) -> dict[str, str]:
    """The names a pair's project is baked with: the longest the answers take (issue 27) along with the Helm
    chart, whose names have limits of their own, so every framework's tests, hooks and chart check run at
    the limit in some pair and with the default names in another, at no extra install."""
    return LONGEST_NAMES if pair["deploy"] == "kubernetes" else {}


def pair_id(pair: dict[str, str]) -> str:
    return combo_id(pair) + ("-longest-names" if names(pair) else "")


@pytest.fixture(scope="module", params=HOST_PAIRS, ids=pair_id)
def installed(request, cookies_session):
    """A project per framework x manager on the host's Python, with `make install` done.

    Projects with a compose.yaml test against the services it defines (Postgres), so they need Docker.
    """
    project = bake(cookies_session, **request.param, **names(request.param))
    compose = (project / "compose.yaml").exists()
    env = {}
    if compose:
        request.getfixturevalue("docker_engine")
        env = compose_env(project)
    run("make", "install", cwd=project)
    yield request.param, project, env
    if compose:
        run("make", "db-reset", cwd=project, env=env)


def test_its_own_tests_pass(installed):
    _, project, env = installed
    output = run("make", "test", cwd=project, env=env).stdout
    passed = re.search(r"(\d+) passed", output)
    assert passed and int(passed.group(1)) > 0, output
    assert not re.search(r"\d+ (failed|error|skipped)", output), output


def test_its_pre_commit_hooks_pass(installed):
    _, project, _ = installed
    run("git", "init", "--quiet", cwd=project)
    run("git", "add", "-A", cwd=project)
    output = run("make", "lint", cwd=project).stdout
    assert "Passed" in output and "Failed" not in output, output
    if (project / "deploy" / "chart").is_dir():  # deploy=kubernetes: CI's chart job, as `make chart-check`
        checked = run("make", "chart-check", cwd=project, env={"PATH": kube.path()}).stdout
        assert re.search(r"Passed checks: [1-9]\d*, Failed checks: 0", checked), checked


def refuses_package_name(answers: dict[str, str], name: str) -> bool:
    """Whether the answer rules refuse `name` as the package of a project with these answers."""
    chosen = {key: values[0] for key, values in CHOICES.items()} | answers | {"package_name": name}
    problem = rules.package_problem(name, chosen)
    return problem is not None and re.search("shadows|keyword|taken by the project's own", problem) is not None


def test_no_installed_module_is_accepted_as_package_name(installed):
    """The answer rules' tables are complete: they refuse every top-level module the project's venv holds."""
    answers, project, _ = installed
    listing = "import importlib.metadata; print(*importlib.metadata.packages_distributions())"
    modules = run(project / ".venv/bin/python", "-c", listing).stdout.split()
    importable = [name for name in sorted(modules) if re.fullmatch(r"[a-z_][a-z0-9_]*", name)]
    accepted = [name for name in importable if not refuses_package_name(answers, name)]
    assert accepted == [], f"the answer rules accept these installed modules as package_name: {accepted}"


def test_an_emoji_in_the_name_leaves_the_api_docs_serving(cookies):
    """Issue 14: an emoji in project_name reached FastAPI's title as two lone surrogates (tojson's escapes),
    which JSON cannot encode: /openapi.json and /docs answered 500. Neither needs the database."""
    name = "Rocket 🚀 Service"
    answers = {"framework": "fastapi", "package_manager": "uv", "python_version": HOST_PYTHON}
    project = bake(cookies, **answers, project_name=name, project_slug="rocket")
    run("make", "install", cwd=project)
    served = (
        "import json; from fastapi.testclient import TestClient; from rocket.main import create_app; "
        "client = TestClient(create_app()); spec = client.get('/openapi.json'); "
        "print(json.dumps([spec.status_code, spec.json()['info']['title'], client.get('/docs').status_code]))"
    )
    env = {"DATABASE_URL": "postgresql://nobody:unused@127.0.0.1:9/none"}
    # The app logs its requests to stdout too: the answer is the last line.
    printed = run(project / ".venv/bin/python", "-c", served, cwd=project, env=env).stdout.splitlines()[-1]
    assert json.loads(printed) == [200, name, 200]


LOCKED = [pair | {"python_version": python} for pair in HOST_PAIRS for python in CHOICES["python_version"]]


@pytest.mark.parametrize("answers", LOCKED, ids=combo_id)
def test_committed_locks_are_current(docker_engine, cookies, answers: dict[str, str]):
    """The project's own `make lock` (which keeps current pins) changes nothing, for every Python it may target."""
    # Not the default name and version: uv.lock records both.
    project = bake(cookies, **answers, project_name="Lock Check", version="2.1.0")
    locks = {name: (project / name).read_bytes() for name in lock_files(answers)}
    locked = make_lock(docker_engine, project)
    assert locked.returncode == 0, locked.stdout + locked.stderr
    assert [name for name, before in locks.items() if (project / name).read_bytes() != before] == []


@pytest.fixture(scope="module")
def datascience(cookies_session):
    """A data-science project (uv: the quicker install) with `make install` done."""
    answers = {"framework": "datascience", "package_manager": "uv", "python_version": HOST_PYTHON}
    project = bake(cookies_session, **answers)
    run("make", "install", cwd=project)
    return project


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def make_in_background(project: Path, *args: str, **env: str) -> Iterator[subprocess.Popen]:
    """A long-running make target, stopped with its whole process group afterwards."""
    process = subprocess.Popen(["make", *args], cwd=project, env={**os.environ, **env}, start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # fmt: skip
    try:
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=WITHIN)


def test_make_train_writes_the_model_and_its_metrics(datascience):
    output = run("make", "train", cwd=datascience).stdout
    assert "Wrote models/model.joblib" in output
    assert sorted(path.name for path in (datascience / "models").iterdir()) == ["metrics.json", "model.joblib"]
    # Nothing changed since: make does not train again; a serving change does not either, a training one does.
    assert "Wrote" not in run("make", "train", cwd=datascience).stdout
    package = next(path.parent for path in datascience.glob("*/training.py"))
    (package / "serving" / "app.py").touch()
    assert "Wrote" not in run("make", "train", cwd=datascience).stdout
    (package / "training.py").touch()
    assert "Wrote models/model.joblib" in run("make", "train", cwd=datascience).stdout


def test_make_serve_serves_the_trained_model(datascience):
    port = free_port()
    with make_in_background(datascience, "serve", f"PORT={port}"):
        assert wait_for_status(f"http://127.0.0.1:{port}/health", 200) == 200
        flower = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}
        status, body = request_json("POST", f"http://127.0.0.1:{port}/predict", {"instances": [flower]})
        assert status == 200
        assert body["predictions"][0]["label"] == "setosa"


def test_make_notebook_serves_jupyterlab_behind_its_token(datascience, tmp_path):
    port, token = free_port(), secrets.token_urlsafe(24)
    # Jupyter refuses to run as root unless configured to (CI machines often are root).
    (tmp_path / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {"allow_root": os.geteuid() == 0}}))
    env = {"JUPYTER_TOKEN": token, "JUPYTER_CONFIG_DIR": str(tmp_path)}
    with make_in_background(datascience, "notebook", f"NOTEBOOK_PORT={port}", **env):
        url = f"http://127.0.0.1:{port}/api/status"
        assert wait_for_status(url, 200, Authorization=f"token {token}") == 200
        assert fetch(url)[0] == 403
