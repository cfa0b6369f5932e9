"""`cruft create` for scripts/new, taking answers as `key=value` arguments, as `cookiecutter` does, and
printing cookiecutter's own refusals as one line each, as the template's answer check prints its own
(stagecraft_answers/rules.py).

cruft takes answers only as `--extra-context` JSON; cookiecutter's documented `key=value` arguments
are gathered into it here (joined with any `--extra-context` given, the `key=value` ones winning).
cookiecutter refuses a choice outside its list, and an output folder that is already there, by raising
an exception before any of the template's code runs, and cruft's command line ends those in a traceback.
"""

import ast
import json
import re
import sys

import click
import typer.main
from cookiecutter.exceptions import OutputDirExistsException
from cruft._cli import app

# cookiecutter.generate.apply_overwrites_to_context's words (2.x).
NOT_A_CHOICE = re.compile(
    r"(?P<value>.*) provided for choice variable (?P<key>\w+), but the choices are (?P<choices>\[.*\])\."
)
ANSWER = re.compile(r"(?P<key>[A-Za-z_]\w*)=(?P<value>.*)", re.DOTALL)


def with_answers_as_extra_context(args: list[str]) -> list[str]:
    """args with every `key=value` argument moved into one --extra-context; an option's own value (the
    options that take one are read from cruft's command) stays where it is."""
    command = typer.main.get_command(app).commands["create"]
    takes_value = {
        name for param in command.params if isinstance(param, click.Option) and not param.is_flag for name in param.opts
    }
    kept, answers, given = [], {}, {}
    words = iter(args)
    for word in words:
        if word == "--extra-context":
            given.update(json.loads(next(words, "{}")))
        elif word.startswith("--extra-context="):
            given.update(json.loads(word.partition("=")[2]))
        elif word in takes_value:
            kept += [word, next(words, "")]
        elif answer := ANSWER.fullmatch(word):
            answers[answer["key"]] = answer["value"]
        else:
            kept.append(word)
    if given or answers:
        kept += ["--extra-context", json.dumps(given | answers)]
    return kept


try:
    app(args=with_answers_as_extra_context(sys.argv[1:]), prog_name="scripts/new")
except ValueError as error:
    if not (choice := NOT_A_CHOICE.fullmatch(str(error))):
        raise
    allowed = ", ".join(ast.literal_eval(choice["choices"]))
    sys.exit(f"ERROR: {choice['key']} {choice['value']!r} is not one of its choices: {allowed}")
except OutputDirExistsException as error:
    folder = re.sub(r'^Error: "(.*)" directory already exists$', r"\1", str(error))
    sys.exit(f"ERROR: {folder} is already there: choose another --output-dir, or remove it")
