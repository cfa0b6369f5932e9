"""Fast tier: a project made with `cruft create` takes later template changes with `cruft update`. Project
tier: `scripts/new`, which runs cruft through `uv tool run` (a second or two each, which the fast tier's
90 s cannot spare).

cruft exits 0 even when a change does not apply, so every update is checked for
conflicts (`UU` in git status) and rejects (`*.rej` files).
"""

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run
from test_answers import BAD, ERRORS, as_typed

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


def test_create_prints_a_rejection_as_its_lines_only(tmp_path: Path, template: Path):
    """cruft lets cookiecutter's exceptions end in a traceback: the answer check exits before any is raised."""
    output = tmp_path / "out"
    refusal = run("cruft", "create", "--no-input", "--output-dir", output, "--extra-context", json.dumps(BAD), template,
                  env=GIT_ENV, check=False)  # fmt: skip
    assert (refusal.returncode, (refusal.stdout + refusal.stderr).splitlines()) == (1, ERRORS)
    assert not output.exists() or list(output.iterdir()) == []


# Issue 27: an answer that bakes keeps working through every later update. cruft stores the answers in
# .cruft.json and renders them as Jinja on each update; typed at the prompt, they were never rendered.
TYPED = {
    "project_name": "Rates {v2} Service",
    "description": "Maps {a} to {b}, 100%} done }} and #} too",
    "author_name": "O'Brien & {Co}",
}


def test_typed_answers_survive_an_update_unchanged(template: Path, tmp_path: Path):
    typed = {key: as_typed(value) for key, value in TYPED.items()}
    run("cruft", "create", "--no-input", "--output-dir", tmp_path / "out", "--extra-context", json.dumps(typed),
        template, env=GIT_ENV)  # fmt: skip
    project = tmp_path / "out" / "rates-v2-service"
    git("init", "--quiet", "--initial-branch", "main", cwd=project)
    commit_all(project, "generated")
    edit(template / "{{cookiecutter.project_slug}}/_layers/package/flask/{{cookiecutter.package_name}}/routes.py",
         "as long as the process can serve requests", "while the process serves requests")  # fmt: skip
    commit_all(template, "Say plainly when the app is healthy")

    run("cruft", "update", "--skip-apply-ask", cwd=project, env=GIT_ENV)

    assert_applied_cleanly(project)
    stored = json.loads((project / ".cruft.json").read_text())["context"]["cookiecutter"]
    assert {key: stored[key] for key in TYPED} == TYPED
    assert (project / "README.md").read_text().startswith(f"# {TYPED['project_name']}\n\n{TYPED['description']}\n")
    assert git("diff", "--name-only", "HEAD", cwd=project).split() == [".cruft.json", "rates_v2_service/routes.py"]


def test_answers_cruft_would_render_are_refused_at_creation(template: Path, tmp_path: Path):
    """Typed at the prompt, these reached .cruft.json as typed; the next update failed ('braces' is undefined,
    a TemplateSyntaxError) or changed them silently (49)."""
    typed = {
        "description": "Uses {{ braces }} in text",
        "author_name": "Ann {% raw %}",
        "project_name": "Price {{ 7*7 }}",
    }
    output = tmp_path / "out"
    answers = json.dumps({key: as_typed(value) for key, value in typed.items()})
    refusal = run("cruft", "create", "--no-input", "--output-dir", output, "--extra-context", answers, template,
                  env=GIT_ENV, check=False)  # fmt: skip
    errors = (refusal.stdout + refusal.stderr).splitlines()
    assert refusal.returncode == 1 and [error.split()[1] for error in errors] == [
        "project_name",
        "description",
        "author_name",
    ]
    assert all("which cruft would read as Jinja on every later update" in error for error in errors), errors
    assert not output.exists() or list(output.iterdir()) == []


@pytest.mark.project
def test_new_refuses_a_choice_outside_its_list_in_one_line(template: Path, tmp_path: Path):
    """cookiecutter raises this before the template's own check runs, and cruft ended it in a traceback (one
    case: every choice answer comes through the same ValueError). On a first use, as here with an empty uv
    cache, uv installing cruft says nothing either."""
    answers = json.dumps({"python_version": "3.10"})
    first_use = GIT_ENV | {"UV_CACHE_DIR": str(tmp_path / "uv-cache")}
    refusal = run(template / "scripts/new", "--no-input", "--output-dir", tmp_path / "out", "--extra-context",
                  answers, env=first_use, check=False)  # fmt: skip
    error = "ERROR: python_version '3.10' is not one of its choices: 3.14, 3.13, 3.12, 3.11"
    assert (refusal.returncode, (refusal.stdout + refusal.stderr).splitlines()) == (1, [error])
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


@pytest.mark.project
def test_new_refuses_an_existing_folder_in_one_line(template: Path, tmp_path: Path):
    (tmp_path / "out" / "my-service").mkdir(parents=True)
    (tmp_path / "out" / "my-service" / "ours.txt").write_text("kept")
    refusal = run(template / "scripts/new", "--no-input", "--output-dir", tmp_path / "out", env=GIT_ENV, check=False)
    lines = (refusal.stdout + refusal.stderr).splitlines()
    assert (refusal.returncode, lines) == (1, [f"ERROR: {tmp_path}/out/my-service is already there: choose another "
                                               "--output-dir, or remove it"])  # fmt: skip
    assert [path.name for path in (tmp_path / "out" / "my-service").iterdir()] == ["ours.txt"]


@pytest.mark.project
def test_new_takes_answers_as_key_value_arguments_as_cookiecutter_does(template: Path, tmp_path: Path):
    """`key=value` after the options, as cookiecutter's docs show; they win over a preset and over
    `--extra-context` (cruft's own way), which still works."""
    run(template / "scripts/new", "--no-input", "--config-file", template / "variants/flask.yaml", "--output-dir",
        tmp_path / "out", "python_version=3.11", "project_name=Billing API=v2", "--extra-context",
        json.dumps({"ci": "gitlab", "license": "MIT"}), "license=Apache-2.0", env=GIT_ENV)  # fmt: skip
    context = json.loads((tmp_path / "out/billing-api-v2/.cruft.json").read_text())["context"]["cookiecutter"]
    assert {key: context[key] for key in ("project_name", "python_version", "framework", "ci", "license")} == {
        "project_name": "Billing API=v2",
        "python_version": "3.11",
        "framework": "flask",
        "ci": "gitlab",
        "license": "Apache-2.0",
    }
