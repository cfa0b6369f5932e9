"""A generated project's `make template-update`, and its CI jobs, against a local template repository: the
fast tier, the project tier where pre-commit's hooks run on its commits, and the Docker tier where
scripts/ci-local runs the GitLab job itself.

The script commits cruft's result on the template-update branch for review. A rerun builds on that branch
while it is open, so nobody's commits on it are lost, here or on origin as CI sees it; and it finds conflicts
in the files itself, as cruft exits 0 and `cruft check` passes with them left. Its report is all it prints,
whatever cruft and the hooks say, and it always ends with one once it has touched git.
"""

# The fixtures template and project come from test_cruft: tests name them as parameters, which pyflakes takes
# for redefinitions of the imported names.
# ruff: noqa: F811

import contextlib
import json
import os
import re
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from conftest import CHOICES, HOST_PYTHON, ROOT, run
from test_cruft import GIT_ENV, commit_all, edit, git, project, template  # noqa: F401 (fixtures)

# The cruft the suite runs: the version the project's CI jobs install, and the script names.
CRUFT = next(line for line in (ROOT / "tests/requirements.in").read_text().splitlines() if line.startswith("cruft=="))
ROUTES = "{{cookiecutter.project_slug}}/_layers/package/flask/{{cookiecutter.package_name}}/routes.py"
GUNICORN = "templates/server/gunicorn.conf.py"


def template_update(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """The project's own `make template-update`, as CI runs it."""
    return run("make", "--silent", "template-update", *args, cwd=project, env=GIT_ENV | env, check=False)


def hooked(project: Path) -> None:
    """pre-commit's git hook in the project, as `make install` sets it up: every commit runs the hooks."""
    run("pre-commit", "install", cwd=project)


CONFLICTS = [
    "These files did not take the template's changes cleanly: resolve the conflict markers, or apply",
    "each `.rej` file's hunks by hand and delete it, then commit on this branch.",
    "",
]
# What the report adds on the branch, where the script committed them.
PAST_THE_HOOKS = [
    "",
    "They are committed as they are, past the project's pre-commit hooks (`git commit --no-verify`),",
    "which refuse conflict markers: the hooks check the commit that resolves them.",
]


def brings(template: Path, subject: str) -> list[str]:
    """The report's first lines for one template commit (the template's last) on top of the project's."""
    commit = sha(template, "HEAD")
    return [f"Brings in the template's changes from `{sha(template, 'HEAD~1')}` to `{commit}`:", "",
            f"- {commit[:7]} {subject}"]  # fmt: skip


def say_plainly(template: Path) -> str:
    """A template change every project takes cleanly; returns its commit."""
    edit(template / ROUTES, "as long as the process can serve requests", "while the process serves requests")
    return commit_all(template, "Say plainly when the app is healthy")


def keepalive_conflict(template: Path, project: Path) -> str:
    """The project renames a setting on main, the template changes that line: returns the template's commit."""
    edit(project / "gunicorn.conf.py", 'whole_number("GUNICORN_KEEPALIVE", 5)', 'whole_number("KEEPALIVE", 5)')
    commit_all(project, "our own keepalive setting")
    edit(template / GUNICORN, 'whole_number("GUNICORN_KEEPALIVE", 5)', 'whole_number("GUNICORN_KEEPALIVE", 65)')
    return commit_all(template, "Keep connections alive longer")


def resolve_keepalive(project: Path) -> str:
    """A person's resolution of keepalive_conflict on the branch: our name, the template's value."""
    path = project / "gunicorn.conf.py"
    lines = path.read_text().splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if line.startswith("<<<<<<< "))
    end = next(n for n, line in enumerate(lines) if line.startswith(">>>>>>> "))
    ours = lines[start + 1 : next(n for n, line in enumerate(lines) if line.startswith("======="))]
    resolved = [line.replace('"KEEPALIVE", 5', '"KEEPALIVE", 65') for line in ours]
    path.write_text("".join(lines[:start] + resolved + lines[end + 1 :]))
    assert 'whole_number("KEEPALIVE", 65)' in path.read_text()
    return commit_all(project, "Keep our setting's name, take the template's keepalive")


def sha(repo: Path, ref: str) -> str:
    return git("rev-parse", ref, cwd=repo).strip()


def test_a_rerun_builds_on_the_open_branch_and_keeps_its_resolution(template: Path, project: Path):
    conflicting_commit = keepalive_conflict(template, project)

    first = template_update(project)

    assert first.returncode != 0, first.stdout + first.stderr
    report, generated_from = first.stdout.splitlines(), sha(template, "HEAD~1")
    assert report[:3] == [f"Brings in the template's changes from `{generated_from}` to `{conflicting_commit}`:", "",
                          f"- {conflicting_commit[:7]} Keep connections alive longer"]  # fmt: skip
    assert report[3:] == ["", *CONFLICTS, "- `gunicorn.conf.py`", *PAST_THE_HOOKS]
    assert git("branch", "--show-current", cwd=project) == "template-update\n"
    assert "<<<<<<<" in (project / "gunicorn.conf.py").read_text()  # committed with its markers, for review
    assert git("status", "--porcelain", cwd=project) == ""
    conflicted = sha(project, "template-update")

    # Rerun on the branch, where cruft's record names the template's commit already: it still fails.
    assert run("cruft", "check", cwd=project, check=False).returncode == 0
    on_branch = template_update(project)

    assert on_branch.returncode != 0, on_branch.stderr
    assert on_branch.stdout.splitlines() == [*CONFLICTS, "- `gunicorn.conf.py`", *PAST_THE_HOOKS]

    # Rerun from main before anyone resolves it: the branch stays as it is, and so does the report.
    git("switch", "--quiet", "main", cwd=project)
    again = template_update(project)

    assert again.returncode != 0, again.stderr
    assert again.stdout == first.stdout
    assert sha(project, "template-update") == conflicted

    # A person resolves the conflict on the branch; the next run, from main, keeps it.
    git("switch", "--quiet", "template-update", cwd=project)
    resolution = resolve_keepalive(project)
    git("switch", "--quiet", "main", cwd=project)

    rerun = template_update(project)

    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert rerun.stdout.splitlines()[-1] == f"- {conflicting_commit[:7]} Keep connections alive longer"
    assert sha(project, "template-update") == resolution

    # The template moves on again: its commits go on top of the resolution, in the files they touch.
    git("switch", "--quiet", "main", cwd=project)
    clean_commit = say_plainly(template)

    moved = template_update(project)

    assert moved.returncode == 0, moved.stdout + moved.stderr
    assert moved.stdout.splitlines()[-2:] == [f"- {clean_commit[:7]} Say plainly when the app is healthy",
                                              f"- {conflicting_commit[:7]} Keep connections alive longer"]  # fmt: skip
    assert sha(project, "template-update~1") == resolution
    changed = git("diff", "--name-only", resolution, "template-update", cwd=project).split()
    assert changed == [".cruft.json", "my_service/routes.py"]
    assert '+    """Liveness: answers while the process serves requests."""' in git("diff", resolution, cwd=project)
    assert 'whole_number("KEEPALIVE", 65)' in (project / "gunicorn.conf.py").read_text()
    assert git("status", "--porcelain", cwd=project) == ""


def test_conflicts_fail_the_update_even_when_cruft_says_up_to_date(project: Path):
    # An update merged with its conflicts left: markers in a file and a *.rej file; cruft's record is current.
    edit(project / "gunicorn.conf.py", 'keepalive = whole_number("GUNICORN_KEEPALIVE", 5)\n',
         '<<<<<<< ours\nkeepalive = 5\n=======\nkeepalive = 65\n>>>>>>> theirs\n')  # fmt: skip
    (project / "my_service/config.py.rej").write_text("@@ -1 +1 @@\n-a\n+b\n")
    merged = commit_all(project, "merge the update as it was")
    assert run("cruft", "check", cwd=project, check=False).returncode == 0

    on_main = template_update(project)

    assert on_main.returncode != 0, on_main.stdout + on_main.stderr
    assert on_main.stdout.splitlines() == [*CONFLICTS, "- `gunicorn.conf.py`", "- `my_service/config.py.rej`"]
    assert git("branch", "--show-current", cwd=project) == "main\n"  # no update branch to propose

    # Resolved. Left: a page whose attribute makes git write longer markers, as it holds seven-character ones.
    git("revert", "--no-edit", merged, cwd=project)
    (project / "docs").mkdir()
    (project / "docs/merging.md").write_text("A conflict looks like this:\n\n<<<<<<< ours\n")
    with (project / ".gitattributes").open("a") as attributes:
        attributes.write("docs/merging.md conflict-marker-size=32\n")
    commit_all(project, "a page about merging")
    clean = template_update(project)
    # Up to date and clean: nothing printed, cruft's lines neither, and no branch.
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
    assert git("branch", "--show-current", cwd=project) == "main\n"
    (project / "docs/merging.md").write_text(f"{'<' * 32} ours\n{'=' * 32}\n{'>' * 32} theirs\n")
    commit_all(project, "a real conflict in that page")

    long_markers = template_update(project)

    assert long_markers.returncode != 0, long_markers.stderr
    assert long_markers.stdout.splitlines()[-1] == "- `docs/merging.md`"


# Project tier from here: pre-commit's hooks run on the script's commits (the first run installs their
# environments), or make runs with a PATH of the test's making.


# How each manager's project runs the pinned cruft once, and what brings that runner.
RUNNERS = {
    "pip": ("uv (make install puts it in .venv)", f"uvx --from {CRUFT} cruft"),
    "uv": ("uv", f"uvx --from {CRUFT} cruft"),
    "poetry": ("pipx", f"pipx run --spec {CRUFT} cruft"),
    "conda": ("pixi", f"pixi exec --spec {CRUFT} cruft"),
}


def without_cruft() -> str:
    """PATH without any folder that holds a cruft."""
    return os.pathsep.join(
        folder for folder in os.environ["PATH"].split(os.pathsep) if not (Path(folder) / "cruft").exists()
    )


@pytest.mark.project
@pytest.mark.parametrize("manager", CHOICES["package_manager"])
def test_without_cruft_it_says_how_to_get_it_before_touching_git(manager: str, template: Path, tmp_path: Path):
    """Issue 24, item 8: the script switched to a new branch, then failed with `cruft: not found`."""
    answers = {"package_manager": manager, "python_version": HOST_PYTHON}
    run("cruft", "create", "--no-input", "--output-dir", tmp_path / "out", "--extra-context", json.dumps(answers),
        template, env=GIT_ENV)  # fmt: skip
    project = tmp_path / "out" / "my-service"
    git("init", "--quiet", "--initial-branch", "main", cwd=project)
    commit_all(project, "generated")
    say_plainly(template)
    runner, command = RUNNERS[manager]

    missing = template_update(project, PATH=without_cruft())

    assert missing.returncode != 0 and missing.stdout == "", missing.stderr
    version = CRUFT.removeprefix("cruft==")
    assert missing.stderr.splitlines()[:-1] == [
        f"template-update: needs cruft, in the project's environment or on PATH. Install cruft {version} (the",
        f"version the template is tested with), or have {runner} run it:",
        f'  make template-update CRUFT="{command}"',
    ]
    assert missing.stderr.splitlines()[-1].startswith("make: *** [Makefile:")  # make's own line, that it failed
    assert git("branch", "--list", cwd=project) == "* main\n"
    assert git("status", "--porcelain", cwd=project) == ""
    if manager == "pip":  # uvx comes with uv, which make lock compiles the requirements with
        assert re.search(r"^uv==", (project / "requirements/dev.txt").read_text(), re.MULTILINE)


@pytest.mark.project
def test_cruft_comes_from_the_project_environment_first_or_from_cruft(template: Path, project: Path, tmp_path: Path):
    """Issue 24, item 8: CRUFT names a command with its arguments, as the runners' do; make puts the project's
    environment first on PATH, so a cruft the team added to its dev dependencies is the one that runs."""
    clean_commit = say_plainly(template)

    with_arguments = template_update(project, f"CRUFT={sys.executable} -m cruft", PATH=without_cruft())

    assert with_arguments.returncode == 0, with_arguments.stdout + with_arguments.stderr
    assert with_arguments.stdout.splitlines() == brings(template, "Say plainly when the app is healthy")

    git("switch", "--quiet", "main", cwd=project)
    git("branch", "--quiet", "--delete", "--force", "template-update", cwd=project)
    (project / ".venv/bin").mkdir(parents=True)
    ran = tmp_path / "environment's cruft ran"
    (project / ".venv/bin/cruft").write_text(f'#!/bin/sh\ntouch "{ran}"\nexec "{sys.executable}" -m cruft "$@"\n')
    (project / ".venv/bin/cruft").chmod(0o755)

    from_environment = template_update(project)  # PATH has the suite's cruft too

    assert from_environment.stdout == with_arguments.stdout, from_environment.stderr
    assert ran.exists() and git("branch", "--show-current", cwd=project) == "template-update\n"
    assert git("log", "-1", "--format=%s", cwd=project) == f"Update from the template ({clean_commit})\n"


@pytest.mark.project
def test_a_clean_update_prints_its_report_and_nothing_else(template: Path, project: Path):
    """Issue 24, item 10: cruft's check printed "FAILURE: Project's cruft is out of date!" on every update that
    had something to bring, and the hooks' lines went into the report."""
    hooked(project)
    clean_commit = say_plainly(template)

    update = template_update(project)

    assert (update.returncode, update.stderr) == (0, ""), update.stdout
    assert update.stdout.splitlines() == brings(template, "Say plainly when the app is healthy")
    assert git("log", "-1", "--format=%s", cwd=project) == f"Update from the template ({clean_commit})\n"
    assert (git("branch", "--show-current", cwd=project), git("status", "--porcelain", cwd=project)) == (
        "template-update\n", "")  # fmt: skip

    # On the branch, up to date: nothing at all.
    again = template_update(project)
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")


@pytest.mark.project
def test_a_conflicting_update_is_committed_past_the_hooks_and_reported(template: Path, project: Path):
    """Issue 24, item 9: the hooks refused the script's commit of the markers; it printed nothing and left them
    staged on the new branch."""
    hooked(project)
    conflicting_commit = keepalive_conflict(template, project)

    update = template_update(project)

    assert update.returncode != 0, update.stdout + update.stderr
    assert update.stdout.splitlines() == [
        *brings(template, "Keep connections alive longer"),
        "",
        *CONFLICTS,
        "- `gunicorn.conf.py`",
        *PAST_THE_HOOKS,
    ]
    assert (git("branch", "--show-current", cwd=project), git("status", "--porcelain", cwd=project)) == (
        "template-update\n", "")  # fmt: skip
    assert git("log", "-1", "--format=%s", cwd=project) == f"Update from the template ({conflicting_commit})\n"
    assert "\n<<<<<<< " in git("show", "HEAD:gunicorn.conf.py", cwd=project)

    # For that commit only: the hooks still refuse the markers in the next one.
    edit(project / "gunicorn.conf.py", "# Longer than", "# Any longer than")
    git("add", "gunicorn.conf.py", cwd=project)
    refused = run("git", "commit", "--quiet", "--message", "markers left", cwd=project, env=GIT_ENV, check=False)

    said = refused.stdout + refused.stderr  # git gives a hook's output to standard error
    assert refused.returncode != 0 and re.search(r"^check for merge conflicts\.+Failed$", said, re.MULTILINE), said
    resolve_keepalive(project)  # whose commit they pass


@pytest.mark.project
def test_an_update_the_hooks_refuse_is_committed_past_them_and_reported(template: Path, project: Path):
    """Issue 24, item 9: a clean update the hooks refuse also ends with its report, on its branch."""
    hooked(project)
    edit(template / ROUTES, "from flask import", "import os\nfrom flask import")  # ruff's F401 removes it
    commit_all(template, "Import os")

    update = template_update(project)

    assert update.returncode != 0, update.stdout + update.stderr
    assert update.stdout.splitlines() == [
        *brings(template, "Import os"),
        "",
        "The project's pre-commit hooks failed on this update (their output went to standard error): it is",
        "committed past them, with what they fixed; `make lint` on this branch shows what is left.",
    ]
    assert re.search(r"^ruff check\.+Failed$", update.stderr, re.MULTILINE), update.stderr
    assert (git("branch", "--show-current", cwd=project), git("status", "--porcelain", cwd=project)) == (
        "template-update\n", "")  # fmt: skip
    assert git("diff", "--name-only", "main", cwd=project).split() == [".cruft.json"]  # ruff took the import out


@pytest.mark.project
def test_check_merge_conflict_fails_on_markers_in_any_text_file(project: Path):
    """Issue 24, item 9: pre-commit-hooks' check looks only while a merge is in progress, unless told to assume
    one; the template update commits its conflicts outside any."""
    check = ("pre-commit", "run", "check-merge-conflict")
    run(*check, "--all-files", cwd=project)
    names = ["Dockerfile", "gunicorn.conf.py", "README.md", ".gitignore"]
    for name in names:
        with (project / name).open("a") as file:
            file.write("<<<<<<< ours\nkept\n=======\ntaken\n>>>>>>> theirs\n")
    git("add", "--all", cwd=project)

    found = run(*check, "--files", *names, cwd=project, check=False)

    assert found.returncode == 1, found.stdout + found.stderr
    flagged = re.findall(r"^(\S+):\d+: Merge conflict string '(\S+)' found$", found.stdout, re.MULTILINE)
    assert sorted(flagged) == sorted((name, marker) for name in names for marker in ("<<<<<<<", "=======", ">>>>>>>"))


def checkout(origin: Path, job: Path, depth: int, *options: str) -> None:
    """A CI runner's clone of origin's main: `depth` commits deep, or its whole history when 0."""
    deep = ["--depth", str(depth)] if depth else []
    git("clone", "--quiet", *deep, *options, "--branch", "main", f"file://{origin}", str(job), cwd=origin)


def github_job(origin: Path, job: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """template-update.yml's update step, after its checkout (which fetches every branch when its
    fetch-depth is 0, else the commit it builds only)."""
    workflow = yaml.safe_load(git("show", "main:.github/workflows/template-update.yml", cwd=origin))
    steps = workflow["jobs"]["update"]["steps"]
    checked_out = next(step for step in steps if step.get("uses", "").startswith("actions/checkout@"))
    depth = int(checked_out.get("with", {}).get("fetch-depth", 1))
    checkout(origin, job, depth, *(["--single-branch"] if depth else []))
    script = next(step["run"] for step in steps if "make --silent template-update" in step.get("run", ""))
    return run("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script, cwd=job,
               env=env | {"RUNNER_TEMP": str(job.parent), "GH_TOKEN": "token"}, check=False)  # fmt: skip


def gitlab_job(origin: Path, job: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """.gitlab-ci.yml's template-update job, on the runner's clone: the pipeline's branch only, detached,
    GIT_DEPTH deep (GitLab's default 20); its push URL leads to origin."""
    definition = yaml.safe_load(git("show", "main:.gitlab-ci.yml", cwd=origin))["template-update"]
    checkout(origin, job, int(definition.get("variables", {}).get("GIT_DEPTH", 20)), "--single-branch")
    git("switch", "--quiet", "--detach", cwd=job)
    script = "\n".join(line for line in definition["script"] if not line.startswith("pip install"))
    script = script.replace("/tmp/report.md", str(job.parent / "report.md"))
    server = {"CI_SERVER_HOST": "gitlab.example", "CI_PROJECT_PATH": "group/my-service", "CI_PROJECT_ID": "1",
              "CI_API_V4_URL": "https://gitlab.example/api/v4", "CI_DEFAULT_BRANCH": "main",
              "TEMPLATE_UPDATE_TOKEN": "token", "GIT_CONFIG_COUNT": "1",
              "GIT_CONFIG_KEY_0": f"url.file://{origin}.insteadOf",
              "GIT_CONFIG_VALUE_0": "https://oauth2:token@gitlab.example/group/my-service.git"}  # fmt: skip
    return run("sh", "-e", "-c", script, cwd=job, env=env | server, check=False)


JOBS = {"github": github_job, "gitlab": gitlab_job}


def with_origin(template: Path, tmp_path: Path, ci: str) -> tuple[Path, Path]:
    """A project made with `cruft create` for that CI provider, committed, and its origin: a bare repository
    standing in for the forge's, with nothing pushed yet."""
    run("cruft", "create", "--no-input", "--output-dir", tmp_path / "out", "--extra-context", json.dumps({"ci": ci}),
        template, env=GIT_ENV)  # fmt: skip
    project, origin = tmp_path / "out" / "my-service", tmp_path / "origin.git"
    git("init", "--quiet", "--initial-branch", "main", cwd=project)
    commit_all(project, "generated")
    git("init", "--quiet", "--bare", "--initial-branch", "main", str(origin), cwd=tmp_path)
    git("remote", "add", "origin", str(origin), cwd=project)
    return project, origin


# Project tier: each runs the generated CI job's own step twice on runner-made clones (about 6 s).
@pytest.mark.project
@pytest.mark.parametrize("ci", [ci for ci in CHOICES["ci"] if ci != "none"])
def test_ci_builds_on_the_open_branch_on_origin_and_never_discards_it(ci: str, template: Path, tmp_path: Path):
    project, origin = with_origin(template, tmp_path, ci)
    # The forge's API: gh and curl answer, and say nothing of an open request.
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("gh", "curl"):
        (tools / tool).write_text("#!/bin/sh\necho '[]'\n")
        (tools / tool).chmod(0o755)
    env = GIT_ENV | {"PATH": f"{tools}:{os.environ['PATH']}"}

    def job(number: int) -> subprocess.CompletedProcess:
        """The job's run `number`, on a checkout of its own."""
        (tmp_path / f"run{number}").mkdir()
        return JOBS[ci](origin, tmp_path / f"run{number}" / "checkout", env)

    keepalive_conflict(template, project)
    git("push", "--quiet", "origin", "main", cwd=project)

    first = job(1)

    assert first.returncode != 0, first.stdout + first.stderr
    assert "<<<<<<< " in git("show", "template-update:gunicorn.conf.py", cwd=origin)
    conflicted = sha(origin, "template-update")

    # Again, before anyone resolves it: on the branch cruft is up to date, the job still fails.
    again = job(2)

    assert again.returncode != 0, again.stdout + again.stderr
    assert sha(origin, "template-update") == conflicted

    # A reviewer resolves the conflict on the branch and pushes it: the next run keeps it, and passes.
    git("fetch", "--quiet", "origin", cwd=project)
    git("switch", "--quiet", "template-update", cwd=project)
    resolution = resolve_keepalive(project)
    git("push", "--quiet", "origin", "template-update", cwd=project)

    resolved = job(3)

    assert resolved.returncode == 0, resolved.stdout + resolved.stderr
    assert sha(origin, "template-update") == resolution

    # Merged as a squash, the branch left on origin: the next update starts from main again and replaces it
    # (the lease holds: origin's branch is as the job fetched it).
    git("switch", "--quiet", "main", cwd=project)
    git("fetch", "--quiet", "origin", cwd=project)
    git("merge", "--quiet", "--squash", "origin/template-update", cwd=project)
    commit_all(project, "Update from the template (#1)")
    git("push", "--quiet", "origin", "main", cwd=project)
    edit(template / "{{cookiecutter.project_slug}}/.gitignore", ".venv/", ".venv/\n.cache/")
    commit_all(template, "Ignore .cache/")

    fresh = job(4)

    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert sha(origin, "template-update~1") == sha(origin, "main")


# Docker tier: the generated .gitlab-ci.yml's template-update job as it is written, run by scripts/ci-local
# (gitlab-ci-local, on the job's python image, cruft installed from PyPI). GitLab is stood in for: origin is a
# bare repository at the same path inside the job's container, the push URL the job builds from
# CI_SERVER_HOST and CI_PROJECT_PATH leads there through git's url.<base>.insteadOf (GIT_CONFIG_* variables,
# as a runner passes any), and the merge-request API it calls is FakeGitLab on this host. GitLab's own API is
# not exercised: FakeGitLab answers as its documentation says.
TOKEN = "glpat-template-update"
GITLAB = {"CI_SERVER_HOST": "gitlab.example", "CI_PROJECT_PATH": "group/my-service", "CI_PROJECT_ID": "7"}
MERGE_REQUESTS = f"/api/v4/projects/{GITLAB['CI_PROJECT_ID']}/merge_requests"


class FakeGitLab(ThreadingHTTPServer):
    """GitLab's merge-request endpoints the job calls (list, create, update: docs.gitlab.com/api/merge_requests),
    with their statuses and a 401 without the token. `requests` records each call as (method, path, query,
    form), single values each."""

    def __init__(self, address: str):
        super().__init__((address, 0), GitLabHandler)
        self.requests: list[tuple[str, str, dict[str, str], dict[str, str]]] = []
        self.merge_requests: dict[int, dict[str, str | int]] = {}

    def answer(self, method: str, path: str, query: dict[str, str], form: dict[str, str], token: str | None):
        if token != TOKEN:
            return 401, {"message": "401 Unauthorized"}
        if method == "GET" and path == MERGE_REQUESTS:
            return 200, [mr for mr in self.merge_requests.values() if all(mr.get(k) == v for k, v in query.items())]
        if method == "POST" and path == MERGE_REQUESTS:
            if missing := {"source_branch", "target_branch", "title"} - form.keys():
                return 400, {"error": f"{', '.join(sorted(missing))} is missing"}
            iid = len(self.merge_requests) + 1
            self.merge_requests[iid] = {"id": 100 + iid, "iid": iid, "state": "opened", **form}
            return 201, self.merge_requests[iid]
        iid = path.removeprefix(f"{MERGE_REQUESTS}/")
        if method == "PUT" and iid.isdigit() and int(iid) in self.merge_requests:
            self.merge_requests[int(iid)].update(form)
            return 200, self.merge_requests[int(iid)]
        return 404, {"message": "404 Not Found"}


class GitLabHandler(BaseHTTPRequestHandler):
    server: FakeGitLab

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        query, form = (dict(urllib.parse.parse_qsl(text, keep_blank_values=True)) for text in (url.query, body))
        self.server.requests.append((self.command, url.path, query, form))
        status, answer = self.server.answer(self.command, url.path, query, form, self.headers.get("PRIVATE-TOKEN"))
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_POST = do_PUT = do_GET

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def fake_gitlab(docker: str) -> Iterator[FakeGitLab]:
    """FakeGitLab on the address this host has on Docker's default bridge, which every container can reach."""
    address = run(docker, "network", "inspect", "bridge", "--format", "{{(index .IPAM.Config 0).Gateway}}")
    with FakeGitLab(address.stdout.strip()) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server
        finally:
            server.shutdown()
            thread.join()


def ci_local_job(project: Path, origin: Path, template: Path, gitlab: FakeGitLab) -> subprocess.CompletedProcess:
    """The project's template-update job, as a pipeline run with TEMPLATE_UPDATE=true runs it."""
    address, port = gitlab.server_address[:2]
    push_url = f"https://oauth2:{TOKEN}@{GITLAB['CI_SERVER_HOST']}/{GITLAB['CI_PROJECT_PATH']}.git"
    variables = GITLAB | {
        "TEMPLATE_UPDATE": "true",
        "TEMPLATE_UPDATE_TOKEN": TOKEN,
        "CI_API_V4_URL": f"http://{GITLAB['CI_SERVER_HOST']}:{port}/api/v4",
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{origin}.insteadOf",
        "GIT_CONFIG_VALUE_0": push_url,
    }
    options = [option for name, value in variables.items() for option in ("--variable", f"{name}={value}")]
    # origin's and the template's paths, as the project's git config and .cruft.json name them.
    options += ["--volume", f"{origin}:{origin}", "--volume", f"{template}:{template}:ro"]
    options += ["--extra-host", f"{GITLAB['CI_SERVER_HOST']}:{address}"]
    return run(ROOT / "scripts/ci-local", project, "template-update", "--", *options, check=False)


@pytest.mark.docker
@pytest.mark.project
def test_the_gitlab_job_pushes_the_update_and_opens_then_refreshes_its_merge_request(
    docker_engine, template: Path, tmp_path: Path
):
    project, origin = with_origin(template, tmp_path, "gitlab")
    git("push", "--quiet", "origin", "main", cwd=project)
    # As in a clone: gitlab-ci-local takes CI_DEFAULT_BRANCH from it.
    git("remote", "set-head", "origin", "main", cwd=project)
    generated_from, first = sha(template, "HEAD"), say_plainly(template)

    with fake_gitlab(docker_engine) as gitlab:
        opened = ci_local_job(project, origin, template, gitlab)

        assert opened.returncode == 0, opened.stdout + opened.stderr
        assert git("log", "--format=%s", "main..template-update", cwd=origin) == f"Update from the template ({first})\n"
        assert "while the process serves requests" in git("show", "template-update:my_service/routes.py", cwd=origin)
        report = "\n".join(brings(template, "Say plainly when the app is healthy")) + "\n"
        assert gitlab.requests == [
            ("GET", MERGE_REQUESTS, {"state": "opened", "source_branch": "template-update"}, {}),
            ("POST", MERGE_REQUESTS, {}, {"source_branch": "template-update", "target_branch": "main",
                                          "title": "Update from the template", "description": report}),
        ]  # fmt: skip

        # The template moves on while the request is open: the next run fast-forwards the branch, its lease
        # naming the commit it fetched (an empty one would be refused now), and refreshes the description.
        branch = sha(origin, "template-update")
        edit(template / "{{cookiecutter.project_slug}}/.gitignore", ".venv/", ".venv/\n.cache/")
        second = commit_all(template, "Ignore .cache/")

        refreshed = ci_local_job(project, origin, template, gitlab)

        assert refreshed.returncode == 0, refreshed.stdout + refreshed.stderr
        assert sha(origin, "template-update~1") == branch
        assert ".cache/" in git("show", "template-update:.gitignore", cwd=origin)
        report = (f"Brings in the template's changes from `{generated_from}` to `{second}`:\n\n"
                  f"- {second[:7]} Ignore .cache/\n- {first[:7]} Say plainly when the app is healthy\n")  # fmt: skip
        assert gitlab.requests[2:] == [
            ("GET", MERGE_REQUESTS, {"state": "opened", "source_branch": "template-update"}, {}),
            ("PUT", f"{MERGE_REQUESTS}/1", {}, {"description": report}),
        ]
