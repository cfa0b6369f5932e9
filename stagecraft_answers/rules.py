"""The answers' rules: each answer trimmed, the version normalized, and every problem reported as one
line that names the answer, the bad value and what to type instead."""

import keyword
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

from jinja2 import Environment, TemplateSyntaxError, UndefinedError

from stagecraft_answers import project
from stagecraft_answers.formats import python_string, width

# Import names a generated package must not take, as it would shadow them on sys.path: every top-level
# module its locks install (Python 3.11's hold every other version's packages), Windows- and macOS-only ones
# included (colorama, tzdata, appnope, winpty). tests/test_project.py checks them against each project's venv.
# What every project installs: the dev tools (pytest, ruff, pre-commit, uv), their dependencies and the pip
# venv's own; `test` is CPython's own test package, which sys.stdlib_module_names leaves out.
SHARED_MODULES = set(
    """_distutils_hack _pytest _yaml cfgv colorama distlib filelock identify iniconfig nodeenv packaging pip
    pkg_resources platformdirs pluggy pre_commit py pygments pytest python_discovery ruff setuptools test
    tests uv virtualenv yaml""".split()
)
# Each framework's own, in templates/framework/<framework>/modules.txt: its runtime and role packages. Read
# from this checkout at each check (cruft renders an old commit and the new one from one checkout).
FRAMEWORKS = Path(__file__).resolve().parents[1] / "templates" / "framework"


def dependency_modules(framework: str) -> set[str]:
    lines = (FRAMEWORKS / framework / "modules.txt").read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


SLUG = re.compile(r"(?=.{1,63}\Z)[a-z][a-z0-9]*(-[a-z0-9]+)*")
PACKAGE = re.compile(r"(?=.{1,40}\Z)[a-z_][a-z0-9_]*")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
# PEP 440, appendix B: every form packaging.version.Version accepts (packaging itself may not be
# installed where cookiecutter runs).
VERSION = re.compile(
    r"""
    v?
    (?:
        (?:(?P<epoch>[0-9]+)!)?
        (?P<release>[0-9]+(?:\.[0-9]+)*)
        (?P<pre>[-_\.]?(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_\.]?(?P<pre_n>[0-9]+)?)?
        (?P<post>(?:-(?P<post_n1>[0-9]+))|(?:[-_\.]?(?P<post_l>post|rev|r)[-_\.]?(?P<post_n2>[0-9]+)?))?
        (?P<dev>[-_\.]?(?P<dev_l>dev)[-_\.]?(?P<dev_n>[0-9]+)?)?
    )
    (?:\+(?P<local>[a-z0-9]+(?:[-_\.][a-z0-9]+)*))?
    """,
    re.VERBOSE | re.IGNORECASE | re.ASCII,
)
PRE_RELEASE = {"alpha": "a", "beta": "b", "c": "rc", "pre": "rc", "preview": "rc"}
# A Docker repository name (optionally with a registry host), without a tag.
_COMPONENT = r"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*"
IMAGE = re.compile(rf"([a-z0-9]+([.-][a-z0-9]+)*(:[0-9]+)?/)?{_COMPONENT}(/{_COMPONENT})*")
# Line breaks and control characters: every answer is one line of text.
NOT_ONE_LINE = {"Cc", "Cs", "Zl", "Zp"}
# Jinja's own delimiters: cookiecutter renders every answer it did not prompt for as a template, and cruft
# answers from .cruft.json on every later update, so text holding them changes or breaks then.
JINJA = ("{{", "{%", "{#")
WITHOUT_JINJA = "write it without '{{', '{%' and '{#'"
# What to type instead of an empty answer.
EXAMPLES = {
    "project_name": "give the service a name, e.g. 'Billing API'",
    "project_slug": "type one, e.g. billing-api (a project_name without letters or digits gives none)",
    "package_name": "e.g. billing_api",
    "description": "describe the service in one line",
    "author_name": "name a person or a team",
    "author_email": "e.g. team@example.com",
    "version": "e.g. 0.1.0",
    "docker_image": "e.g. billing-api",
}
# Answers whose defaults are made from another one: a problem that only repeats its source's is not reported.
DERIVED_FROM = {"project_slug": "project_name", "package_name": "project_slug", "docker_image": "project_slug"}
# Python string literals of these answers stand in lines of code (the FastAPI title, __version__) that
# must fit the project's line length (ruff's E501), the deepest one indented by eight spaces.
IN_CODE = {"project_name": 80, "version": 80}


def normalized_version(version: str) -> str:
    """The version as packaging.version.Version writes it (PEP 440's normalized form)."""
    match = VERSION.fullmatch(version)
    parts = [f"{int(match['epoch'])}!" if match["epoch"] and int(match["epoch"]) else ""]
    parts.append(".".join(str(int(number)) for number in match["release"].split(".")))
    if match["pre"]:
        label = match["pre_l"].lower()
        parts.append(f"{PRE_RELEASE.get(label, label)}{int(match['pre_n'] or 0)}")
    if match["post"]:
        parts.append(f".post{int(match['post_n1'] or match['post_n2'] or 0)}")
    if match["dev"]:
        parts.append(f".dev{int(match['dev_n'] or 0)}")
    if match["local"]:
        local = re.split(r"[-_.]", match["local"].lower())
        parts.append("+" + ".".join(str(int(part)) if part.isdigit() else part for part in local))
    return "".join(parts)


def normalize(answers: dict) -> None:
    """Trim every answer and write a valid version in its normalized form, in place."""
    for key, value in answers.items():
        if isinstance(value, str) and not key.startswith("_"):
            answers[key] = value.strip()
    if VERSION.fullmatch(answers["version"]):
        answers["version"] = normalized_version(answers["version"])


def shown(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def package_problem(package: str, answers: dict) -> str | None:
    if not PACKAGE.fullmatch(package):
        return (
            "is not a valid Python identifier: use lowercase letters, digits and underscores, at most 40 characters, "
            "not starting with a digit (e.g. billing_api)"
        )
    if keyword.iskeyword(package) or keyword.issoftkeyword(package):
        return f"is a Python keyword: choose another name (e.g. {package}_service)"
    if package in sys.stdlib_module_names:
        return f"shadows the standard library module {package!r}: choose another name"
    if package.startswith("__") and package.endswith("__"):
        return "is a dunder name, which Python keeps for its own modules and attributes: choose another name"
    sources = project.files(answers)
    if where := project.own_names(answers, sources).get(package):
        return f"is taken by the project's own {where}: choose another name"
    if where := project.ignored_names(answers, sources).get(package):
        return f"is left out by the project's own {where}: choose another name"
    if package in SHARED_MODULES | dependency_modules(answers["framework"]):
        return f"shadows the dependency module {package!r}: choose another name"
    return None


# The answers with a form of their own: the pattern a value must match, and what to type instead.
PATTERNS = {
    "project_slug": (
        SLUG,
        "is not a valid directory/distribution name: use lowercase letters, digits and single hyphens, "
        "start with a letter, at most 63 characters (e.g. billing-api)",
    ),
    "author_email": (EMAIL, "is not an email address (e.g. team@example.com)"),
    "version": (VERSION, "is not a PEP 440 version (e.g. 0.1.0)"),
    "docker_image": (
        IMAGE,
        "is not a valid image name: lowercase path components, an optional registry host, no tag "
        "(e.g. billing-api or ghcr.io/acme/billing-api)",
    ),
}


def _problem(key: str, value: str, answers: dict) -> str | None:
    if odd := sorted({char for char in value if unicodedata.category(char) in NOT_ONE_LINE}):
        return f"holds line breaks or control characters ({shown(''.join(odd))}): type one line of text"
    if marks := [mark for mark in JINJA if mark in value]:
        return (
            f"holds {' and '.join(map(repr, marks))}, which cruft would read as Jinja on every later update: "
            + WITHOUT_JINJA
        )
    if key in IN_CODE and (columns := width(python_string(value))) > IN_CODE[key]:
        return (
            f"is too long for a line of code ({columns} columns as a Python string, at most {IN_CODE[key]}): shorten it"
        )
    if key == "package_name":
        return package_problem(value, answers)
    if key in PATTERNS and not PATTERNS[key][0].fullmatch(value):
        return PATTERNS[key][1]
    if key == "version" and value == "0.0.0.0":
        return "reads as the address 0.0.0.0 to the project's lint (ruff S104): e.g. 0.1.0"
    return None


def problems(answers: dict) -> Iterator[str]:
    """One line per bad answer (normalized ones): the answer, its value and what to type instead."""
    bad = set()
    for key, example in EXAMPLES.items():
        value = answers[key]
        problem = f"is empty: {example}" if not value else _problem(key, value, answers)
        if not problem:
            continue
        bad.add(key)
        source = DERIVED_FROM.get(key)
        if source in bad and value.replace("_", "-") in ("", answers[source].replace("_", "-")):
            continue
        yield f"{key} {problem}" if not value else f"{key} {shown(value)} {problem}"


def refuse(errors: list[str]) -> NoReturn:
    print(*(f"ERROR: {error}" for error in errors), sep="\n", file=sys.stderr)
    raise SystemExit(1)


def check_answers(answers: dict) -> str:
    """cookiecutter.json's last private variable: normalize the answers in place, or refuse them."""
    normalize(answers)
    if errors := list(problems(answers)):
        refuse(errors)
    return "ok"


def _answer_being_rendered() -> tuple[str, object] | None:
    """The answer cookiecutter is rendering, if it is rendering one: its name and raw value, the variables of
    the loop in cookiecutter.prompt.prompt_for_config (2.x) over the answers, which has no hook of its own."""
    frame = sys._getframe()
    while frame and frame.f_code.co_name != "prompt_for_config":
        frame = frame.f_back
    if frame and isinstance(key := frame.f_locals.get("key"), str) and not key.startswith("_"):
        return key, frame.f_locals.get("raw")
    return None


def configure(environment: Environment) -> None:
    """Make an answer that is not a template Jinja can render a refusal like every other one. cookiecutter
    renders the answers it did not prompt for (the command line's, a config file's, .cruft.json's under
    cruft) as templates, and ends a syntax error in one in a traceback, an undefined name in a dump of
    every answer. Jinja hands every such error to its environment's handle_exception."""
    handle_exception = environment.handle_exception

    def refuse_an_answer_jinja_cannot_render(source: str | None = None) -> NoReturn:
        error = sys.exc_info()[1]
        if isinstance(error, TemplateSyntaxError | UndefinedError) and (answer := _answer_being_rendered()):
            key, raw = answer
            reason = (error.message or "").splitlines()[0]
            refuse([f"{key} {shown(str(raw))} is read as Jinja by cookiecutter ({reason}): {WITHOUT_JINJA}"])
        handle_exception(source)

    environment.handle_exception = refuse_an_answer_jinja_cannot_render
