"""stagecraft's Jinja extension, loaded by cookiecutter through `_extensions` in cookiecutter.json.

It adds one filter per file format, so that every free-text answer is written correctly wherever it
lands (formats.py), and `check_answers`, which trims the answers, normalizes the version and refuses
bad ones (rules.py), and makes an answer Jinja cannot render one more such refusal (rules.configure).

cookiecutter.json renders `check_answers` into its last private variable, so it runs once every question
is answered, under cookiecutter, `cruft create` and `cruft update` alike, and before anything is written:
cookiecutter creates the project's directory (from project_slug, which may name `../x` or nothing at all)
before it runs a pre-gen hook, and logs a traceback after a failed one. A rejection prints one line per
problem and exits with status 1, without a traceback (SystemExit, which cookiecutter, cruft and
pytest-cookies let through).

This file only loads the others, and must stay as it is: `cruft update` renders the project's old
commit and the new one in one process, from one checkout, and Python keeps a module it imported once,
so the filters are loaded again whenever the files beside this one change.
"""

import hashlib
import importlib
import sys
from pathlib import Path
from types import ModuleType

from jinja2.ext import Extension

_loaded: dict[str, object] = {}


def _filters() -> ModuleType:
    here = Path(__file__).parent
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in sorted(here.glob("*.*")))).hexdigest()
    if _loaded.get("digest") != digest:
        # Forget the old ones, also as this package's attributes (`from package import module` reads those).
        for name in [name for name in sys.modules if name.startswith(f"{__name__}.")]:
            del sys.modules[name]
            globals().pop(name.rpartition(".")[2], None)
        _loaded.update(digest=digest, module=importlib.import_module(f"{__name__}.filters"))
    return _loaded["module"]


class Answers(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        module = _filters()
        environment.filters |= module.FILTERS
        # Older checkouts' filters.py has no configure(): one may be rendered after this file was imported.
        getattr(module, "configure", lambda _: None)(environment)
