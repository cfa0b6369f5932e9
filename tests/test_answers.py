"""Fast tier: bad answers are refused with a one-line reason, and leave nothing on disk."""

import tomllib

import pytest
from conftest import CONTEXT, bake
from cookiecutter.exceptions import FailedHookException

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
    ({"package_name": "tests"}, ["package_name 'tests'", "dependency module"]),
    ({"package_name": "numpy", "framework": "datascience"}, ["package_name 'numpy'", "dependency module"]),
    ({"package_name": "data"}, ["package_name 'data'", "project's folders"]),
    ({"package_name": "migrations"}, ["package_name 'migrations'", "project's folders"]),
    ({"author_email": "nobody"}, ["author_email 'nobody'", "email address"]),
    ({"author_email": "a b@example.com"}, ["author_email 'a b@example.com'"]),
    ({"version": "one"}, ["version 'one'", "PEP 440"]),
    ({"version": "v1.0"}, ["version 'v1.0'", "PEP 440"]),
    ({"docker_image": "My/Service"}, ["docker_image 'My/Service'", "lowercase"]),
    ({"docker_image": "svc:latest"}, ["docker_image 'svc:latest'", "no tag"]),
    ({"docker_image": "ghcr.io/acme/"}, ["docker_image 'ghcr.io/acme/'"]),
]


@pytest.mark.parametrize(("answers", "words"), REJECTED, ids=lambda v: str(v) if isinstance(v, dict) else "")
def test_bad_answer_is_refused_with_its_reason(tmp_path, capfd, answers, words):
    with pytest.raises(FailedHookException):
        bake(tmp_path, **answers)
    errors = [line for line in capfd.readouterr().err.splitlines() if line.startswith("ERROR: ")]
    # Answers derived from a bad one (package_name from project_slug...) may be reported too.
    assert [error for error in errors if all(word in error for word in words)], errors
    assert list(tmp_path.iterdir()) == []


def test_every_problem_is_reported_at_once(tmp_path, capfd):
    with pytest.raises(FailedHookException):
        bake(tmp_path, project_slug="Bad Slug", package_name="bad_slug", author_email="nobody", version="x")
    errors = [line for line in capfd.readouterr().err.splitlines() if line.startswith("ERROR: ")]
    assert [error.split()[1] for error in errors] == ["project_slug", "author_email", "version", "docker_image"]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("answer", "value"), [("framework", "rails"), ("package_manager", "pipenv"), ("ci", "jenkins")]
)
def test_unsupported_choice_is_refused_by_name(tmp_path, answer, value):
    with pytest.raises(ValueError, match=rf"{value} provided for choice variable {answer}, but the choices are"):
        bake(tmp_path, **{answer: value})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "answers",
    [
        {"project_name": "Billing API 2"},
        {"project_slug": "billing", "package_name": "billing_core"},
        {"author_email": "team+svc@sub.example.co.uk", "version": "1.2.0rc1"},
        {"docker_image": "registry.example.com:5000/team/billing-api"},
        {"description": 'Says "hi" \\ with quotes', "author_name": "O'Brien & Co"},
    ],
    ids=lambda answers: ",".join(answers),
)
def test_good_answers_are_accepted_and_rendered_faithfully(tmp_path, answers):
    project = bake(tmp_path, **answers)
    metadata = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert project.name == answers.get("project_slug", metadata["name"])
    assert metadata["description"] == answers.get("description", CONTEXT["description"])
    assert metadata["authors"] == [
        {
            "name": answers.get("author_name", CONTEXT["author_name"]),
            "email": answers.get("author_email", CONTEXT["author_email"]),
        }
    ]
    assert metadata["version"] == answers.get("version", CONTEXT["version"])
