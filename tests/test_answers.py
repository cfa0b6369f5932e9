"""Fast tier: bad answers are refused with a one-line reason and leave nothing on disk; free text in
any answer reaches every file it lands in intact, and the project stays clean."""

import ast
import re
import sys
import tomllib
from pathlib import Path

import checks
import pytest
from conftest import CHOICES, CONTEXT, ROOT, bake, run
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from packaging.version import InvalidVersion, Version

from stagecraft_answers import formats, rules
from stagecraft_answers.rules import EXAMPLES


def as_typed(answer: str) -> str:
    """cookiecutter renders answers given without prompting as Jinja templates; typed at its prompt, they are
    taken as they are. Writing every `{` as an expression gives the typed text back from either."""
    return answer.replace("{", "{{ '{' }}")


# answers -> words the one-line error must contain (the bad value and what is allowed)
REJECTED = [
    ({"project_name": "   ", "project_slug": "svc"}, ["project_name is empty"]),
    ({"project_slug": "My Service!"}, ["project_slug 'My Service!'", "lowercase letters"]),
    ({"project_slug": "svc--api"}, ["project_slug 'svc--api'", "single hyphens"]),
    ({"project_slug": "9lives"}, ["project_slug '9lives'", "start with a letter"]),
    ({"package_name": "9lives"}, ["package_name '9lives'", "not a valid Python identifier"]),
    ({"package_name": "billing-api"}, ["package_name 'billing-api'", "underscores"]),
    ({"package_name": "class"}, ["package_name 'class'", "keyword"]),
    ({"package_name": "match"}, ["package_name 'match'", "keyword"]),
    ({"package_name": "json"}, ["package_name 'json'", "standard library"]),
    ({"package_name": "test"}, ["package_name 'test'", "shadows"]),
    ({"package_name": "flask"}, ["package_name 'flask'", "dependency module"]),
    ({"package_name": "gunicorn"}, ["package_name 'gunicorn'", "dependency module"]),
    ({"package_name": "pytest"}, ["package_name 'pytest'", "dependency module"]),
    ({"package_name": "numpy", "framework": "datascience"}, ["package_name 'numpy'", "dependency module"]),
    # Issue 27: the project's own folders and modules, for the answers given (test_own_names_follow_the_project).
    ({"package_name": "tests"}, ["package_name 'tests'", "taken by the project's own tests/"]),
    ({"package_name": "data", "framework": "datascience"}, ["package_name 'data'", "project's own data/"]),
    ({"package_name": "migrations", "framework": "fastapi"}, ["package_name 'migrations'", "own migrations/"]),
    ({"package_name": "cli", "framework": "minimal"}, ["package_name 'cli'", "project's own cli/cli.py"]),
    ({"package_name": "worker", "framework": "minimal"}, ["package_name 'worker'", "own worker/worker.py"]),
    ({"package_name": "conftest"}, ["package_name 'conftest'", "project's own tests/conftest.py"]),
    ({"package_name": "manage", "framework": "django"}, ["package_name 'manage'", "project's own manage.py"]),
    ({"package_name": "requirements", "package_manager": "pip"}, ["package_name 'requirements'", "requirements/"]),
    ({"package_name": "__main__"}, ["package_name '__main__'", "dunder"]),
    ({"package_name": "build"}, ["package_name 'build'", "left out by the project's own .gitignore"]),
    ({"package_name": "staticfiles", "framework": "django"}, ["package_name 'staticfiles'", "left out"]),
    # Issue 27: typed at the prompt, Jinja's delimiters reach .cruft.json as typed, and cruft renders them.
    ({"description": as_typed("Uses {{ braces }} in text")}, ["description 'Uses {{ braces }} in text'", "'{{'"]),
    ({"author_name": as_typed("Ann {% raw %}")}, ["author_name 'Ann {% raw %}'", "'{%'", "later update"]),
    ({"project_name": as_typed("Price {{ 7*7 }} {# x")}, ["project_name", "'{{' and '{#'"]),
    ({"author_email": "nobody"}, ["author_email 'nobody'", "email address"]),
    ({"author_email": "a b@example.com"}, ["author_email 'a b@example.com'"]),
    ({"version": "one"}, ["version 'one'", "PEP 440"]),
    ({"version": "1.0+"}, ["version '1.0+'", "PEP 440"]),
    ({"project_slug": "a" * 64}, ["project_slug 'aaaa", "at most 63 characters"]),
    ({"package_name": "a" * 41}, ["package_name 'aaaa", "at most 40 characters"]),
    ({"description": "one\ntwo"}, ["description 'one\\ntwo'", "type one line of text"]),
    ({"author_name": "tab\there"}, ["author_name 'tab\\there'", "type one line of text"]),
    ({"project_name": "Billing " * 12}, ["project_name 'Billing Billing", "too long for a line of code"]),
    ({"docker_image": "My/Service"}, ["docker_image 'My/Service'", "lowercase"]),
    ({"docker_image": "svc:latest"}, ["docker_image 'svc:latest'", "no tag"]),
    ({"docker_image": "ghcr.io/acme/"}, ["docker_image 'ghcr.io/acme/'"]),
]


def refused(cookies, tmp_path: Path, capfd, **answers: str) -> list[str]:
    """Bake answers that must be refused: the ERROR lines, once sure it exited 1 and wrote nothing: not in
    the folder pytest-cookies bakes into (`cookies` in the test's tmp_path), nor beside it."""
    result = cookies.bake(extra_context=answers, template=str(ROOT))
    assert (result.exit_code, type(result.exception)) == (1, SystemExit)
    assert [path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")] == ["cookies"]
    err = capfd.readouterr().err
    assert err and all(line.startswith("ERROR: ") for line in err.splitlines()), err
    return err.splitlines()


@pytest.mark.parametrize(("answers", "words"), REJECTED, ids=lambda v: str(v)[:60] if isinstance(v, dict) else "")
def test_bad_answer_is_refused_with_its_reason(cookies, tmp_path, capfd, answers, words):
    errors = refused(cookies, tmp_path, capfd, **answers)
    assert [error for error in errors if all(word in error for word in words)], errors


def test_every_problem_is_reported_at_once(cookies, tmp_path, capfd):
    errors = refused(
        cookies, tmp_path, capfd, project_slug="Bad Slug", package_name="bad_slug", author_email="no", version="x"
    )
    # docker_image, made from the slug, only repeats its problem: not reported.
    assert [error.split()[1] for error in errors] == ["project_slug", "author_email", "version"]


@pytest.mark.parametrize(
    ("answer", "value"), [("framework", "rails"), ("package_manager", "pipenv"), ("ci", "jenkins")]
)
def test_unsupported_choice_is_refused_by_name(cookies, tmp_path, answer, value):
    """cookiecutter's own refusal, raised before any of the template's code runs: scripts/new prints it as one
    line (test_cruft.py), cookiecutter's and cruft's command lines as a traceback."""
    result = cookies.bake(extra_context={answer: value}, template=str(ROOT))
    assert isinstance(result.exception, ValueError)
    assert re.search(rf"{value} provided for choice variable {answer}, but the choices are", str(result.exception))
    assert [path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")] == ["cookies"]


@pytest.mark.parametrize(
    "answers",
    [
        {"project_name": "Billing API 2"},
        {"project_slug": "billing", "package_name": "billing_core"},
        {"author_email": "team+svc@sub.example.co.uk", "version": "1.2.0rc1"},
        {"version": "v1.0"},
        {"docker_image": "registry.example.com:5000/team/billing-api"},
        {"description": 'Says "hi" \\ with quotes', "author_name": "O'Brien & Co"},
        # Issue 27: names only other frameworks' projects take, and braces Jinja does not read.
        {"framework": "flask", "package_name": "models"},
        {"framework": "flask", "package_name": "data"},
        {"framework": "fastapi", "package_name": "frontend"},
        {"framework": "minimal", "package_name": "main"},
        {"description": "Maps {a} to {b}, 100%} done }}", "author_name": "{x}"},
    ],
    ids=lambda answers: ",".join(answers),
)
def test_good_answers_are_accepted_and_rendered_faithfully(cookies, answers):
    project = bake(cookies, **{key: as_typed(value) for key, value in answers.items()})
    metadata = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert project.name == answers.get("project_slug", metadata["name"])
    assert metadata["description"] == answers.get("description", CONTEXT["description"])
    assert metadata["authors"] == [
        {
            "name": answers.get("author_name", CONTEXT["author_name"]),
            "email": answers.get("author_email", CONTEXT["author_email"]),
        }
    ]
    assert Version(metadata["version"]) == Version(answers.get("version", CONTEXT["version"]))


# Named regressions: each case below once broke generation (issue #14).


def assert_lint_clean(project: Path) -> None:
    run("ruff", "check", "--no-cache", ".", cwd=project)
    run("ruff", "format", "--no-cache", "--check", ".", cwd=project)
    assert checks.problems(project) == []


@pytest.mark.parametrize(
    "description",
    ['The "best"', 'Ends in quotes """', r"Reads C:\data\new files", "Mixes 'single' and \"double\" \\ quotes"],
)
def test_quotes_and_backslashes_in_the_description_make_a_valid_docstring(cookies, description):
    # Flask's package docstring is the one its own tests import first (a broken one fails their collection).
    project = bake(cookies, framework="flask", description=description)
    module = ast.parse((project / "my_service/__init__.py").read_text())
    assert ast.get_docstring(module, clean=False) == description
    assert_lint_clean(project)


def test_emoji_in_description_and_author_keep_pyproject_valid_toml(cookies):
    answers = {"description": "Launches 🚀 fast", "author_name": "Zoë 🚀 Team"}
    project = bake(cookies, **answers)
    metadata = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert (metadata["description"], metadata["authors"][0]["name"]) == tuple(answers.values())
    assert "🚀" in (project / "pyproject.toml").read_text(encoding="utf-8")  # written as UTF-8, not escaped


@pytest.mark.parametrize(("framework", "app"), [("fastapi", "main.py"), ("datascience", "serving/app.py")])
def test_emoji_in_the_name_reaches_the_api_title_intact(cookies, framework, app):
    name = "Rocket 🚀 Service"
    project = bake(cookies, framework=framework, project_name=name, project_slug="rocket")
    calls = [node for node in ast.walk(ast.parse((project / "rocket" / app).read_text())) if isinstance(node, ast.Call)]
    titles = [ast.literal_eval(kw.value) for call in calls for kw in call.keywords if kw.arg == "title"]
    # Surrogate escapes (\ud83d\ude80) would make a title that cannot be encoded: /openapi.json answers 500.
    assert titles == [name]
    assert_lint_clean(project)


def test_answers_are_trimmed(cookies):
    project = bake(
        cookies,
        project_name="  Billing API  ",
        description=" Bills customers. ",
        author_name=" Ann Lee ",
        author_email=" ann@example.com ",
        version=" 1.0.0 ",
    )
    assert project.name == "billing-api"
    metadata = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert (metadata["description"], metadata["version"]) == ("Bills customers.", "1.0.0")
    assert metadata["authors"] == [{"name": "Ann Lee", "email": "ann@example.com"}]
    assert (project / "README.md").read_text().startswith("# Billing API\n\nBills customers.\n")
    assert_lint_clean(project)


@pytest.mark.parametrize("slug", ["acme/billing", "../escaped/x"])
def test_a_path_as_slug_is_refused_and_leaves_nothing_anywhere(cookies, tmp_path, capfd, slug):
    errors = refused(cookies, tmp_path, capfd, project_slug=slug)
    assert errors == [error for error in errors if error.startswith(("ERROR: project_slug", "ERROR: docker_image"))]


@pytest.mark.parametrize(("name", "says"), [("", "project_name is empty"), ("   ", "project_name is empty"),
                                            (".", "project_slug is empty")])  # fmt: skip
def test_an_empty_name_is_refused_as_empty(cookies, tmp_path, capfd, name, says):
    errors = refused(cookies, tmp_path, capfd, project_name=name)
    assert len(errors) == 1 and says in errors[0], errors


@pytest.mark.parametrize(
    "answers", [{"project_name": "Very long name " * 20}, {"project_slug": "a" * 300}], ids=["name", "slug"]
)
def test_an_overlong_name_is_refused_in_one_line(cookies, tmp_path, capfd, answers):
    errors = refused(cookies, tmp_path, capfd, **answers)
    assert len(errors) == 1 and re.search("too long|at most 63 characters", errors[0]), errors


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Café Ünïcode Service", "cafe-unicode-service"),
        ("My  Service", "my-service"),
        ("Billing API!", "billing-api"),
        ("acme/billing", "acme-billing"),
        ("Customer Notification And Preference Management Service", "customer-notification-and-preference"),
    ],
)
def test_the_default_slug_and_package_are_slugified_from_the_name(cookies, name, slug):
    project = bake(cookies, project_name=name)
    assert project.name == slug
    assert (project / slug.replace("-", "_") / "__init__.py").is_file()
    assert f"# {name}\n" in (project / "README.md").read_text()


@pytest.mark.parametrize("version", ["1.0.0-rc1", "1!2.0+local.1", "v2.0", "1.0-1", "2.0.0.DEV3"])
def test_pep440_versions_are_accepted_and_written_normalized(cookies, version):
    project = bake(cookies, framework="minimal", package_manager="uv", version=version)
    normalized = str(Version(version))
    assert tomllib.loads((project / "pyproject.toml").read_text())["project"]["version"] == normalized
    assert f"__version__ = {normalized!r}".replace("'", '"') in (project / "my_service/__init__.py").read_text()
    assert f'name = "my-service"\nversion = "{normalized}"\n' in (project / "uv.lock").read_text()


BAD = {"project_slug": "Bad Slug", "version": "one"}
ERRORS = [
    "ERROR: project_slug 'Bad Slug' is not a valid directory/distribution name: use lowercase letters, digits and "
    "single hyphens, start with a letter, at most 63 characters (e.g. billing-api)",
    "ERROR: version 'one' is not a PEP 440 version (e.g. 0.1.0)",
]


def test_cookiecutter_prints_a_rejection_as_its_lines_only(tmp_path):
    answers = [f"{key}={value}" for key, value in BAD.items()]
    refusal = run("cookiecutter", "--no-input", "--output-dir", tmp_path, ROOT, *answers, check=False)
    assert (refusal.returncode, (refusal.stdout + refusal.stderr).splitlines()) == (1, ERRORS)
    assert list(tmp_path.iterdir()) == []


# The rules and formats themselves, on generated text.
ONE_LINE = st.text(st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1).map(str.strip).filter(bool)


@given(st.one_of(st.from_regex(rules.VERSION, fullmatch=True), st.text(max_size=30)))
def test_the_version_rule_is_packagings(version):
    """Accepted and normalized exactly as packaging.version.Version does (PEP 440, appendix B)."""
    try:
        expected = str(Version(version.strip()))
    except InvalidVersion:
        expected = None
    accepted = rules.VERSION.fullmatch(version.strip())
    assert (rules.normalized_version(version.strip()) if accepted else None) == expected


@given(ONE_LINE)
def test_markdown_text_renders_as_typed(text):
    renderer = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for document in (f"# {formats.markdown(text)}", formats.markdown(text)):
        [inline] = [token for token in renderer.parse(document) if token.type == "inline"]
        assert [(child.type, child.content) for child in inline.children] == [("text", text)], document


@given(ONE_LINE)
def test_python_and_toml_strings_read_back_as_typed(text):
    assert ast.literal_eval(formats.python_string(text)) == text
    assert ast.get_docstring(ast.parse(formats.docstring(text))).split() == text.split()
    assert tomllib.loads(f"x = {formats.toml_string(text)}")["x"] == text


# Issue 27: the names a package may not take follow the project the answers make. Read here from a real bake
# of each framework x manager (deploy=kubernetes adds deploy/), not from the rules' own reading of the template.
IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
# Names some project takes: each must be refused where this project takes it too, and only there.
SOME_PROJECT_TAKES = {
    "build", "cli", "config", "conftest", "data", "deploy", "dist", "frontend", "health", "htmlcov", "logs", "manage",
    "migrations", "models", "node_modules", "notebooks", "notes", "requirements", "routes", "serving", "settings",
    "staticfiles", "tests", "training", "worker",
}  # fmt: skip


def taken_in(project: Path, package: str) -> set[str]:
    """Top-level folders and Python module names of a baked project, and the folder names git's and Docker's
    ignore files leave out (asked of git: the .dockerignore through a scratch repository of its own)."""
    names = {path.name for path in project.iterdir() if path.is_dir()}
    for module in project.rglob("*.py"):
        relative = module.relative_to(project)
        names |= {relative.stem, *relative.parts[:-1]}
    for ignore in (".gitignore", ".dockerignore"):
        scratch = project.parent / f"scratch{ignore}"
        scratch.mkdir()
        (scratch / ".gitignore").write_text((project / ignore).read_text())
        run("git", "init", "--quiet", cwd=scratch)
        paths = [f"{name}/x.py" for name in sorted(SOME_PROJECT_TAKES)]
        ignored = run("git", "check-ignore", "--no-index", *paths, cwd=scratch, check=False).stdout.split()
        names |= {path.split("/")[0] for path in ignored}
    return {name for name in names if IDENTIFIER.fullmatch(name) and not name.startswith("__")} - {package}


# Each framework with pip (whose requirements/ no other manager has) and with one other manager in turn; the
# deploy answers alternate (kubernetes adds deploy/).
OWN_NAMES_CASES = [
    {"framework": framework, "package_manager": manager, "deploy": CHOICES["deploy"][(index + turn) % 2]}
    for index, framework in enumerate(CHOICES["framework"])
    for turn, manager in enumerate(
        ["pip", CHOICES["package_manager"][1 + index % (len(CHOICES["package_manager"]) - 1)]]
    )
]


@pytest.mark.parametrize("answers", OWN_NAMES_CASES, ids=lambda answers: "-".join(answers.values()))
def test_own_names_follow_the_project(cookies, answers):
    project = bake(cookies, **answers)
    taken = taken_in(project, "my_service")
    chosen = {key: values[0] for key, values in CHOICES.items()} | answers | dict.fromkeys(EXAMPLES, "x")

    def refused_as_the_projects(name: str) -> bool:
        problem = rules.package_problem(name, chosen | {"package_name": name}) or ""
        return bool(re.search("(taken|left out) by the project's own", problem))

    # Refused as the project's own where it is, and only there, unless another rule refuses it first.
    elsewhere = {name for name in taken | SOME_PROJECT_TAKES if name in sys.stdlib_module_names}
    assert {name for name in taken | SOME_PROJECT_TAKES if refused_as_the_projects(name)} == taken - elsewhere


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ("project_name={% if x %}", "project_name '{% if x %}' is read as Jinja by cookiecutter (Unexpected end"),
        ("description={{ braces }}", "description '{{ braces }}' is read as Jinja by cookiecutter ('braces' is"),
        ("author_name=a {# b", "author_name 'a {# b' is read as Jinja by cookiecutter (Missing end of comment tag)"),
    ],
)
def test_an_answer_jinja_cannot_render_is_refused_in_one_line(tmp_path, answer, says):
    """cookiecutter renders answers given on its command line as Jinja, and ended these in a traceback or a
    dump of every answer."""
    refusal = run("cookiecutter", "--no-input", "--output-dir", tmp_path, ROOT, answer, check=False)
    lines = (refusal.stdout + refusal.stderr).splitlines()
    assert (refusal.returncode, len(lines)) == (1, 1), lines
    assert lines[0].startswith(f"ERROR: {says}") and lines[0].endswith("write it without '{{', '{%' and '{#'")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.project  # runs the worker and its own tests
@pytest.mark.parametrize("package", ["main"])
def test_a_name_the_workers_code_binds_makes_a_working_worker(cookies, package):
    """Issue 27: cli.py imported its package by the bare name, which its own `main` and `parser` then
    shadowed (ruff F811, a wrong --help; `parser` the same); only the project's folders and modules are refused."""
    project = bake(cookies, framework="minimal", package_name=package)
    assert_lint_clean(project)
    usage = run("python", "-m", package, "--help", cwd=project).stdout
    assert usage.startswith(f"usage: python -m {package} ") and f"\n{CONTEXT['description']}\n" in usage, usage
    tests = run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project).stdout
    assert re.search(r"^\d+ passed", tests.splitlines()[-1]), tests
