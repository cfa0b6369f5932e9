"""The generated GitLab pipeline's jobs, run for real: `scripts/ci-local` (gitlab-ci-local) runs `lint`,
`test` and `production` as the file writes them, in Docker on the jobs' own images, the Docker jobs with
their docker:dind service and a BuildKit builder (stand-ins from Debian's packages where no registry can
be reached: scripts/ci-local.d). Each job passes on the project as generated, and fails for the right
reason when the project is broken.

Which pairs: one per framework by default (each framework with a manager in turn, so every manager that
can run here is among them), every framework x manager with STAGECRAFT_ALL_PIPELINES=1. Conda projects
are left out: their lint job runs on pixi's image and their Dockerfile's first stages pull it, and no
registry that has it can be reached here (the conda stand-in replaces those stages only in a build the
suite starts itself, which a job's `docker buildx build` is not).
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CHOICES, ROOT, bake, combo_id, run

pytestmark = [pytest.mark.docker, pytest.mark.project]

JOBS = ("lint", "test", "production")
RUNNABLE = [manager for manager in CHOICES["package_manager"] if manager != "conda"]
ALL = os.environ.get("STAGECRAFT_ALL_PIPELINES") == "1"
PAIRS = [
    {"framework": framework, "package_manager": manager, "ci": "gitlab"}
    for index, framework in enumerate(CHOICES["framework"])
    for manager in (RUNNABLE if ALL else [RUNNABLE[index % len(RUNNABLE)]])
]
# What each job's log says when it fails for the reason the test broke it for.
BREAKS = {
    # A name never defined: ruff's F821 (not one it fixes), through the job's pre-commit hooks.
    "lint": ("broken.py", "answer = undefined_name\n", "F821"),
    # A test that fails, in the tests the test stage (or compose's test service) runs.
    "test": ("tests/test_broken.py", "def test_arithmetic():\n    assert sum([1, 1]) == 3\n", "1 failed"),
    # The production stage (the Dockerfile's last) copying a file that is not there.
    "production": ("Dockerfile", "COPY missing-file.txt ./\n", "missing-file.txt"),
}


def committed(project: Path) -> Path:
    """The project as its first commit, which gitlab-ci-local copies into the jobs as a runner clones it."""
    run("git", "init", "--quiet", "--initial-branch", "main", cwd=project)
    run("git", "add", "--all", cwd=project)
    run("git", "-c", "user.name=Suite", "-c", "user.email=suite@example.com", "commit", "-qm", "Generated", cwd=project)
    return project


def ci_local(project: Path, *jobs: str) -> subprocess.CompletedProcess:
    return subprocess.run([ROOT / "scripts/ci-local", project, *jobs], capture_output=True, text=True)


@pytest.mark.parametrize("answers", PAIRS, ids=combo_id)
def test_lint_test_and_production_jobs_pass(docker_engine, cookies, record_property, answers: dict[str, str]):
    project = committed(bake(cookies, **answers))

    ran = ci_local(project, *JOBS)

    # gitlab-ci-local prints its summary (each failed job with its last lines) at the end of stdout.
    log = ran.stdout + ran.stderr
    assert ran.returncode == 0, ran.stdout[-3000:]
    assert sorted(re.findall(r"^ PASS +(\S+)", ran.stdout, re.MULTILINE)) == sorted(JOBS), log[-6000:]
    took = dict(re.findall(r"^(\S+) +finished in (.+?) *$", ran.stdout, re.MULTILINE))
    record_property("summary", f"pipeline {combo_id(answers)}: " + ", ".join(f"{job} {took[job]}" for job in JOBS))
    # Each job ran its commands, not an empty script: pre-commit's hooks, the tests, the production build.
    assert "ruff check" in log and "Passed" in log
    assert " passed" in log
    assert "[production " in log


@pytest.fixture(scope="module")
def generated(cookies_session) -> Path:
    """The first pair's project, which each failure case copies and breaks."""
    return bake(cookies_session, **PAIRS[0])


@pytest.mark.parametrize("job", JOBS)
def test_a_job_fails_for_the_reason_the_project_is_broken(docker_engine, generated: Path, tmp_path: Path, job: str):
    project = tmp_path / generated.name
    shutil.copytree(generated, project)
    path, text, says = BREAKS[job]
    with (project / path).open("a") as file:
        file.write(text)
    committed(project)

    ran = ci_local(project, job)

    # gitlab-ci-local prints the jobs' results on stdout and what their commands wrote to stderr there.
    log = ran.stdout + ran.stderr
    assert ran.returncode == 1, log[-6000:]
    assert re.findall(r"^ FAIL +(\S+)", ran.stdout, re.MULTILINE) == [job] and says in log, log[-6000:]


def test_ci_local_refuses_in_one_line_what_it_cannot_run(generated: Path, tmp_path: Path):
    project = tmp_path / generated.name
    shutil.copytree(generated, project)

    uncommitted = ci_local(project, "lint")
    committed(project)
    unknown = ci_local(project, "deploy-everything", "lint")

    assert uncommitted.returncode == 2
    assert (
        uncommitted.stderr == f"ci-local: ERROR: {project} is not a git repository with .gitlab-ci.yml committed"
        " (jobs get what is committed)\n"
    )
    assert unknown.returncode == 2
    assert unknown.stderr.startswith(
        f"ci-local: ERROR: no job deploy-everything in {project}/.gitlab-ci.yml (its jobs: "
    )
    assert "lint, test, production" in unknown.stderr
