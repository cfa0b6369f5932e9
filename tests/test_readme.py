"""Fast tier: every generated README's Layout table names every module of the package it describes, so a
module added to a framework cannot stay undocumented.

The table is read as a Markdown renderer reads it (markdown-it). A row's first cell names paths as code
spans; a span without a folder sits in the folder of the span before it (`pkg/models.py`, `schemas.py`).
A span naming a folder (`pkg/notes/`) covers the modules under it, unless the row names some of them (in
either cell): then it covers only those, as a row listing a subpackage's modules must list them all.
A package's `__init__.py` is its marker, not a module of its own: no row needs to name it.
"""

from pathlib import PurePosixPath

import pytest
from conftest import CHOICES, COMBINATIONS, combo_id
from markdown_it import MarkdownIt

# One baked project per framework: the other answers change neither the package's modules nor the table.
BY_FRAMEWORK = {
    framework: next(c for c in COMBINATIONS if c["framework"] == framework) for framework in CHOICES["framework"]
}


def layout_rows(readme: str) -> list[list[list[str]]]:
    """The Layout table's body rows: per cell, its code spans."""
    tokens = MarkdownIt("commonmark").enable("table").parse(readme)
    heading = next(
        i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "Layout" and tokens[i - 1].tag == "h2"
    )
    rows, cells, in_body = [], [], False
    for token in tokens[heading:]:
        if token.type == "table_close":
            break
        in_body = in_body or token.type == "tbody_open"
        if token.type == "inline" and in_body:
            cells.append([child.content for child in token.children if child.type == "code_inline"])
        elif token.type == "tr_close" and in_body:
            rows.append(cells)
            cells = []
    return rows


def covered(rows: list[list[list[str]]]) -> tuple[set[str], set[str]]:
    """The modules the rows name, and the folders they cover whole."""
    modules, folders = set(), set()
    for paths, *description in rows:
        folder = PurePosixPath(".")
        for span in paths:
            path = folder / span if "/" not in span.rstrip("/") else PurePosixPath(span)
            if span.endswith("/"):
                inside = {(path / name).as_posix() for cell in description for name in cell if name.endswith(".py")}
                modules |= inside
                folders |= set() if inside else {f"{path.as_posix()}/"}
            else:
                modules.add(path.as_posix())
                folder = path.parent
    return modules, folders


@pytest.mark.parametrize("framework", CHOICES["framework"])
def test_layout_table_names_every_module(baked, framework):
    project = baked[combo_id(BY_FRAMEWORK[framework])]
    [package] = [path.parent for path in project.glob("*/__init__.py") if path.parent.name != "tests"]
    found = sorted(p.relative_to(project).as_posix() for p in package.rglob("*.py") if p.name != "__init__.py")
    rows = layout_rows((project / "README.md").read_text())
    modules, folders = covered(rows)
    assert rows and found
    assert [module for module in found if module not in modules and not module.startswith(tuple(folders))] == []


def test_a_row_naming_some_of_a_folders_modules_covers_only_those():
    rows = layout_rows(
        "## Layout\n\n| path | what |\n|---|---|\n"
        "| `pkg/a.py`, `b.py` | two modules |\n"
        "| `pkg/sub/` | the API (`app.py`) |\n"
        "| `pkg/other/` | an app |\n"
    )
    assert covered(rows) == ({"pkg/a.py", "pkg/b.py", "pkg/sub/app.py"}, {"pkg/other/"})
