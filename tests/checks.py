"""What a generated project's own checks would say about its files, cheaply and in process: its Python
compiles, its TOML, YAML and JSON parse, pre-commit's whitespace fixers change nothing (ruff runs in
batches, by the callers)."""

import contextlib
import io
import json
import tomllib
from pathlib import Path

import yaml
from identify.identify import tags_from_path
from pre_commit_hooks import end_of_file_fixer, trailing_whitespace_fixer

# libyaml's safe loader where PyYAML has it: the same documents, parsed many times faster.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
PARSERS = {
    ".toml": tomllib.loads,
    ".yml": lambda text: yaml.load(text, LOADER),
    ".yaml": lambda text: yaml.load(text, LOADER),
    ".json": json.loads,
    ".ipynb": json.loads,
}
# Helm's templates, YAML only once Helm renders them (tests/test_chart.py renders them).
HELM_TEMPLATES = "deploy/chart/templates/"


def problems(project: Path) -> list[str]:
    """Every file that does not compile or parse, and every one the whitespace hooks would change."""
    found, text_files = [], []
    for path in sorted(p for p in project.rglob("*") if p.is_file()):
        name = path.relative_to(project).as_posix()
        try:
            if path.suffix == ".py":
                compile(path.read_bytes(), name, "exec")
            elif path.suffix in PARSERS and not name.startswith(HELM_TEMPLATES):
                PARSERS[path.suffix](path.read_text(encoding="utf-8"))
        except (SyntaxError, ValueError, yaml.YAMLError) as error:
            found.append(f"{name}: {error}")
        if "text" in tags_from_path(str(path)):
            text_files.append(str(path))
    # The hooks print what they fix and return 1; they would have rewritten the files, as in a commit.
    with contextlib.redirect_stdout(io.StringIO()) as fixed:
        changed = trailing_whitespace_fixer.main(text_files) | end_of_file_fixer.main(text_files)
    if changed:
        found.append(f"pre-commit's whitespace hooks change files: {fixed.getvalue().strip()}")
    return found
