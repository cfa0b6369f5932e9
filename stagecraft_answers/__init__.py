"""stagecraft's Jinja extension, loaded by cookiecutter through `_extensions` in cookiecutter.json.

It adds one filter per file format, so that every free-text answer is written correctly wherever it
lands (formats.py), and `check_answers`, which trims the answers, normalizes the version and refuses
bad ones (rules.py).

cookiecutter.json renders `check_answers` into its last private variable, so it runs once every question
is answered, under cookiecutter, `cruft create` and `cruft update` alike, and before anything is written:
cookiecutter creates the project's directory (from project_slug, which may name `../x` or nothing at all)
before it runs a pre-gen hook, and logs a traceback after a failed one. A rejection here prints one line
per problem and exits with status 1, without a traceback (SystemExit, which cookiecutter, cruft and
pytest-cookies let through).
"""

import sys

from jinja2.ext import Extension

from stagecraft_answers import formats, rules


def check_answers(answers: dict) -> str:
    rules.normalize(answers)
    if errors := list(rules.problems(answers)):
        print(*(f"ERROR: {error}" for error in errors), sep="\n", file=sys.stderr)
        raise SystemExit(1)
    return "ok"


class Answers(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.filters |= {
            "python_string": formats.python_string,
            "docstring": formats.docstring,
            "toml_string": formats.toml_string,
            "markdown": formats.markdown,
            "check_answers": check_answers,
        }
