"""`cruft create` for scripts/new, with cookiecutter's own refusals printed as one line each, as the template's
answer check prints its own (stagecraft_answers/rules.py).

cookiecutter refuses a choice outside its list, and an output folder that is already there, by raising an
exception before any of the template's code runs, and cruft's command line ends those in a traceback.
"""

import ast
import re
import sys

from cookiecutter.exceptions import OutputDirExistsException
from cruft._cli import app

# cookiecutter.generate.apply_overwrites_to_context's words (2.x).
NOT_A_CHOICE = re.compile(
    r"(?P<value>.*) provided for choice variable (?P<key>\w+), but the choices are (?P<choices>\[.*\])\."
)

try:
    app(prog_name="scripts/new")
except ValueError as error:
    if not (choice := NOT_A_CHOICE.fullmatch(str(error))):
        raise
    allowed = ", ".join(ast.literal_eval(choice["choices"]))
    sys.exit(f"ERROR: {choice['key']} {choice['value']!r} is not one of its choices: {allowed}")
except OutputDirExistsException as error:
    folder = re.sub(r'^Error: "(.*)" directory already exists$', r"\1", str(error))
    sys.exit(f"ERROR: {folder} is already there: choose another --output-dir, or remove it")
