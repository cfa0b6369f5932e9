"""Project tier: a generated project installs from its own lock, passes its own tests and hooks,
and its committed locks are exactly what its own `make lock` produces."""

import re
from pathlib import Path

import pytest
from conftest import CHOICES, bake, combo_id, compose_env, pairs, run
from locking import lock_files, make_lock

pytestmark = pytest.mark.project


@pytest.fixture(scope="module", params=pairs(), ids=combo_id)
def installed(request, tmp_path_factory):
    """A project per framework x manager on the host's Python, with `make install` done.

    Projects with a compose.yaml test against the services it defines (Postgres), so they need Docker.
    """
    project = bake(tmp_path_factory.mktemp(combo_id(request.param)), **request.param)
    compose = (project / "compose.yaml").exists()
    env = {}
    if compose:
        request.getfixturevalue("docker_engine")
        env = compose_env(project)
    run("make", "install", cwd=project)
    yield request.param, project, env
    if compose:
        run("make", "down", cwd=project, env=env)


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


LOCKED = [pair | {"python_version": python} for pair in pairs() for python in CHOICES["python_version"]]


@pytest.mark.parametrize("answers", LOCKED, ids=combo_id)
def test_committed_locks_are_current(docker_engine, tmp_path: Path, answers: dict[str, str]):
    """The project's own `make lock` (which keeps current pins) changes nothing, for every Python it may target."""
    # Not the default name and version: uv.lock records both.
    project = bake(tmp_path, **answers, project_name="Lock Check", version="2.1.0")
    locks = {name: (project / name).read_bytes() for name in lock_files(project)}
    locked = make_lock(docker_engine, project)
    assert locked.returncode == 0, locked.stdout + locked.stderr
    assert [name for name, before in locks.items() if (project / name).read_bytes() != before] == []
