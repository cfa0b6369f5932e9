"""Fast tier: a project made with `cruft create` takes later template changes with `cruft update`.

cruft exits 0 even when a change does not apply, so every update is checked for
conflicts (`UU` in git status) and rejects (`*.rej` files).
"""

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run
from test_answers import BAD, ERRORS

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Suite",
    "GIT_AUTHOR_EMAIL": "suite@example.com",
    "GIT_COMMITTER_NAME": "Suite",
    "GIT_COMMITTER_EMAIL": "suite@example.com",
}


def git(*args: str, cwd: Path) -> str:
    return run("git", *args, cwd=cwd, env=GIT_ENV).stdout


def commit_all(repo: Path, message: str) -> str:
    git("add", "-A", cwd=repo)
    git("commit", "--quiet", "--message", message, cwd=repo)
    return git("rev-parse", "HEAD", cwd=repo).strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def assert_applied_cleanly(project: Path) -> None:
    status = git("status", "--porcelain", cwd=project)
    assert not [line for line in status.splitlines() if line[:2] in {"UU", "AA", "DU", "UD"}], status
    assert sorted(project.rglob("*.rej")) == []


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A git repository holding the template as it is in this working tree (cruft clones it)."""
    files = git("ls-files", "--cached", "--others", "--exclude-standard", cwd=ROOT).splitlines()
    repo = tmp_path / "template"
    for name in files:
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    git("init", "--quiet", "--initial-branch", "main", cwd=repo)
    commit_all(repo, "template as tested")
    return repo


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    run("cruft", "create", "--no-input", "--output-dir", tmp_path / "out", template, env=GIT_ENV)
    project = tmp_path / "out" / "my-service"
    git("init", "--quiet", "--initial-branch", "main", cwd=project)
    commit_all(project, "generated")
    return project


def test_update_brings_template_changes_without_conflicts(template: Path, project: Path):
    # The service's own work, which the update must keep.
    edit(project / "README.md", "## Start here", "## Start here (our team's notes)")
    edit(project / "my_service/config.py", 'GREETING = "Hello"', 'GREETING = "Hi"')
    commit_all(project, "our changes")
    # Template changes: a layer file, shared partials, and a common file.
    edit(template / "{{cookiecutter.project_slug}}/_layers/package/flask/{{cookiecutter.package_name}}/routes.py",
         "as long as the process can serve requests", "while the process serves requests")  # fmt: skip
    edit(template / "templates/server/gunicorn.conf.py",
         'whole_number("GUNICORN_KEEPALIVE", 5)', 'whole_number("GUNICORN_KEEPALIVE", 65)')  # fmt: skip
    edit(template / "templates/docker/skeleton.Dockerfile", "WORKDIR /app", "WORKDIR /srv/app")
    edit(template / "{{cookiecutter.project_slug}}/.gitignore", ".venv/", ".venv/\n.cache/")
    # And a filter: cruft renders both commits in one process, where Python would keep the first one's.
    edit(
        template / "stagecraft_answers/formats.py",
        "    return _ORDERED_LIST.sub(",
        '    return "Service " + _ORDERED_LIST.sub(',
    )
    new_commit = commit_all(template, "template moves on")

    run("cruft", "update", "--skip-apply-ask", cwd=project, env=GIT_ENV)

    assert_applied_cleanly(project)
    assert '"GUNICORN_KEEPALIVE", 65' in (project / "gunicorn.conf.py").read_text()
    assert "while the process serves requests" in (project / "my_service/routes.py").read_text()
    assert "WORKDIR /srv/app" in (project / "Dockerfile").read_text()
    assert ".cache/" in (project / ".gitignore").read_text()
    assert (project / "README.md").read_text().startswith("# Service My Service\n")
    assert "## Start here (our team's notes)" in (project / "README.md").read_text()
    assert 'GREETING = "Hi"' in (project / "my_service/config.py").read_text()
    assert json.loads((project / ".cruft.json").read_text())["commit"] == new_commit
    assert not (project / "_layers").exists()


@pytest.mark.parametrize(
    ("answer", "value", "appears", "disappears"),
    [
        ("ci", "gitlab", ".gitlab-ci.yml", ".github/workflows/ci.yml"),
        ("framework", "fastapi", "compose.yaml", "my_service/app.py"),
        ("framework", "datascience", "notebooks/explore.ipynb", "my_service/app.py"),
        # A chart's templates come through the verbatim filter, from the template's clone.
        ("deploy", "kubernetes", "deploy/chart/templates/deployment.yaml", None),
    ],
)
def test_update_can_switch_an_answer(project: Path, answer: str, value: str, appears: str, disappears: str | None):
    assert disappears is None or (project / disappears).is_file()

    run("cruft", "update", "--skip-apply-ask", "--variables-to-update", json.dumps({answer: value}), cwd=project,
        env=GIT_ENV)  # fmt: skip

    assert_applied_cleanly(project)
    assert (project / appears).is_file()
    assert disappears is None or not (project / disappears).exists()
    assert not (project / "_layers").exists()
    assert json.loads((project / ".cruft.json").read_text())["context"]["cookiecutter"][answer] == value


def template_update(project: Path):
    """The project's own `make template-update`, as CI runs it."""
    return run("make", "--silent", "template-update", cwd=project, env=GIT_ENV, check=False)


def test_template_update_makes_a_branch_and_reports_conflicts(template: Path, project: Path):
    up_to_date = template_update(project)
    assert (up_to_date.returncode, up_to_date.stdout) == (0, "")
    assert git("branch", "--show-current", cwd=project) == "main\n"
    # A template change the project takes cleanly.
    edit(template / "{{cookiecutter.project_slug}}/_layers/package/flask/{{cookiecutter.package_name}}/routes.py",
         "as long as the process can serve requests", "while the process serves requests")  # fmt: skip
    clean_commit = commit_all(template, "Say plainly when the app is healthy")

    clean = template_update(project)

    assert clean.returncode == 0, clean.stderr
    assert f"- {clean_commit[:7]} Say plainly when the app is healthy" in clean.stdout.splitlines()
    assert git("branch", "--show-current", cwd=project) == "template-update\n"
    changed = git("diff", "--name-only", "main", "template-update", cwd=project).split()
    assert changed == [".cruft.json", "my_service/routes.py"]
    assert '+    """Liveness: answers while the process serves requests."""' in git("diff", "main", cwd=project)
    assert git("status", "--porcelain", cwd=project) == ""

    # A template change to a line the project changed too.
    git("switch", "--quiet", "main", cwd=project)
    edit(project / "gunicorn.conf.py", 'whole_number("GUNICORN_KEEPALIVE", 5)', 'whole_number("KEEPALIVE", 5)')
    commit_all(project, "our own keepalive setting")
    edit(template / "templates/server/gunicorn.conf.py",
         'whole_number("GUNICORN_KEEPALIVE", 5)', 'whole_number("GUNICORN_KEEPALIVE", 65)')  # fmt: skip
    conflicting_commit = commit_all(template, "Keep connections alive longer")

    conflicting = template_update(project)

    assert conflicting.returncode != 0, conflicting.stdout + conflicting.stderr
    report = conflicting.stdout.splitlines()
    assert f"- {clean_commit[:7]} Say plainly when the app is healthy" in report
    assert f"- {conflicting_commit[:7]} Keep connections alive longer" in report
    assert report[-1] == "- `gunicorn.conf.py`"
    assert git("branch", "--show-current", cwd=project) == "template-update\n"
    assert "<<<<<<<" in (project / "gunicorn.conf.py").read_text()  # committed with its markers, for review
    assert git("status", "--porcelain", cwd=project) == ""


def test_create_prints_a_rejection_as_its_lines_only(tmp_path: Path, template: Path):
    """cruft lets cookiecutter's exceptions end in a traceback: the answer check exits before any is raised."""
    output = tmp_path / "out"
    refusal = run("cruft", "create", "--no-input", "--output-dir", output, "--extra-context", json.dumps(BAD), template,
                  env=GIT_ENV, check=False)  # fmt: skip
    assert (refusal.returncode, (refusal.stdout + refusal.stderr).splitlines()) == (1, ERRORS)
    assert not output.exists() or list(output.iterdir()) == []
