"""Fast tier, property-based: whatever a person answers, generation ends in a clean rejection or in a
project that passes its own checks.

Hypothesis writes the free-text answers (project_name, description, author_name, version; sometimes
an email, a slug or a package name of one's own) from unicode, emoji, quotes, backslashes,
Jinja-looking text, whitespace, very long and empty text, and spreads the examples over every
framework, package manager, CI and license, so every file an answer lands in is generated. Each example is either

- refused: cookiecutter exits 1 having printed only `ERROR:` lines, and wrote nothing; or
- generated: every Python file compiles, every TOML/YAML/JSON file parses, pre-commit's whitespace
  hooks change nothing, and `ruff check` and `ruff format --check` pass (run once over all of them).

A full bake costs a few tenths of a second (most of it rendering every variant's layers, which the
post-gen hook then deletes), too much for hundreds of examples in the fast tier, so an accepted example
is generated the way cookiecutter does it, in process: the answers go through cookiecutter's own prompt
phase (the answer check included), each file of the variant is written by cookiecutter's own
generate_file, and the post-gen hook runs as rendered; only the files that hook would delete (other
variants' layers) are never written.
test_full_bakes_of_generated_answers_are_clean bakes a few examples for real.

CI=true selects a fixed seed (conftest.py), so CI runs the same examples every time; locally each run
tries new ones.
"""

import ast
import contextlib
import io
import itertools
import re
import shutil
from pathlib import Path

import checks
import cookiecutter.main
import hypothesis.strategies as st
from conftest import CHOICES, ROOT, run
from cookiecutter.environment import StrictEnvironment
from cookiecutter.generate import generate_file, is_copy_only_path
from hypothesis import HealthCheck, given, settings
from jinja2 import FileSystemLoader
from test_answers import as_typed

EXAMPLES = 500
TEMPLATE = ROOT / "{{cookiecutter.project_slug}}"
# The answers a person types (their Jinja-looking text must come through as typed).
AS_TYPED = ("project_name", "description", "author_name", "author_email", "version", "project_slug", "package_name")

# Pieces that have broken generated files, mixed with arbitrary unicode.
PIECES = [
    '"', "'", '"""', "\\", "\\n", "\\u", "{{ x }}", "{% raw %}", "{#", "}}", "%}", "${{ github.sha }}", "$(rm -rf /)",
    "`", "*", "_", "#", "[x](y)", "<b>", "&amp;", "|", "~", "$", "- ", "1. ", "🚀", "👩‍👩‍👧", "é", "Ünïcode", "Сервис",
    "\u2019", "\u2013", "\uff48\uff49", "P\u0430ypal", "支付服务", "\u200b", "\u202e", "\t", "\n", "\r", "  ", " ",
    "\x00", "\x7f", "a" * 90, "Billing API", "My Service", "2048",
]  # fmt: skip


def mix(*strategies: st.SearchStrategy) -> st.SearchStrategy:
    """Each strategy equally often (st.one_of flattens nested choices into one uniform list)."""
    return st.sampled_from(strategies).flatmap(lambda strategy: strategy)


ONE_LINE = st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"])
# Mostly text a person could mean (one line, printable, with every troublesome piece), some of it wild.
text = mix(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(ONE_LINE, max_size=6)), min_size=1, max_size=10).map("".join),
    st.text(ONE_LINE, min_size=1, max_size=40),
    st.text(ONE_LINE, min_size=60, max_size=200),
    st.text(max_size=20),
)
# Names mostly start with a word, so that most give a slug; the rest are any text.
names = mix(st.tuples(st.sampled_from(["Billing", "Café", "Сервис", "支付", "Zoë"]), text).map(" ".join), text)
# PEP 440 versions in every spelling the spec accepts (separators, case, a leading v), of a length that
# fits a line of code; rules.VERSION itself is checked against packaging in test_answers.py.
pep440 = st.from_regex(
    r"(?i)v?([0-9]{1,3}!)?[0-9]{1,3}(\.[0-9]{1,3}){0,3}([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?[0-9]{0,2})?"
    r"([-_.]?(post|rev|r)[-_.]?[0-9]{0,2}|-[0-9]{1,2})?([-_.]?dev[-_.]?[0-9]{0,2})?(\+[a-z0-9]{1,4}([-_.][a-z0-9]{1,4}){0,2})?",
    fullmatch=True,
)
versions = mix(pep440, pep440, st.sampled_from(["1.0.0-rc1", "1!2.0+local.1", " 2.0 "]), text)
# Slugs and package names up to past their limits (63 and 40 characters): the longest must keep every
# line of code clean.
slugs = st.from_regex(r"[a-z][a-z0-9]{0,15}(-[a-z0-9]{1,15}){0,3}", fullmatch=True)
at_the_limit = st.from_regex(r"[a-z][a-z0-9_]{39}", fullmatch=True)
# Names the projects' own code takes or uses (modules, folders, functions, variables: every lowercase word in
# their Python files), for any framework: refused where the drawn framework's project takes them, and clean
# where it does not.
CODE_WORDS = sorted(
    {word for path in TEMPLATE.rglob("*.py") for word in re.findall(r"\b[a-z_][a-z0-9_]{1,30}\b", path.read_text())}
)
packages = mix(st.from_regex(r"[a-z][a-z0-9_]{0,41}", fullmatch=True), at_the_limit, st.sampled_from(CODE_WORDS))
# Names whose slug and package are 40 characters: the longest the default slug can be.
names_at_the_limit = at_the_limit.map(lambda package: package.replace("_", " ").strip().title()).filter(
    lambda name: len(name.replace(" ", "_")) == 40 and "  " not in name
)
answer_sets = st.fixed_dictionaries(
    {
        "project_name": mix(names, names, names_at_the_limit),
        "description": text,
        "author_name": text,
        "version": versions,
    }
    | {key: st.sampled_from(values) for key, values in CHOICES.items()},
    optional={
        "project_slug": mix(slugs, slugs, text),
        "package_name": mix(packages, packages, packages, text),
        "author_email": mix(st.emails(), text.map(lambda local: f"{local}@example.com")),
    },
)


HOOK = (ROOT / "hooks/post_gen_project.py").read_text()


class Accepted(Exception):
    """Raised in place of cookiecutter's generate_files: the answers passed, here is the context it built."""

    def __init__(self, context: dict):
        self.context = context


def stop_before_writing(repo_dir, context, output_dir, **options):
    raise Accepted(context)


def bake_or_refuse(cookies, answers: dict[str, str], baked_into: Path) -> tuple[dict | None, list[str]]:
    """Run the real cookiecutter (through pytest-cookies, which bakes into `baked_into`) up to where it would
    write the project: the context it would write it from, or None and the lines it printed as it refused
    the answers (checked: exit status 1, nothing written)."""
    before = set(baked_into.iterdir())
    with contextlib.redirect_stderr(io.StringIO()) as err:
        result = cookies.bake(extra_context=answers, template=str(ROOT))
    if isinstance(result.exception, Accepted):
        return result.exception.context, []
    assert (result.exit_code, type(result.exception)) == (1, SystemExit), (answers, result.exception)
    assert set(baked_into.iterdir()) == before, answers
    return None, err.getvalue().splitlines()


def generate(context: dict, output: Path) -> Path:
    """What generate_files writes from the context, then its post-gen hook as rendered; the files that hook
    deletes (other variants' layers) are never written."""
    env = StrictEnvironment(context=context, keep_trailing_newline=True, **context["cookiecutter"]["_jinja2_env_vars"])
    hook = env.from_string(HOOK).render(**context)
    chosen = next(
        ast.literal_eval(node.value)
        for node in ast.parse(hook).body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "CHOSEN"
    )
    project = output / env.from_string(TEMPLATE.name).render(**context)
    with contextlib.chdir(TEMPLATE):
        env.loader = FileSystemLoader([".", "../templates"])
        for path in sorted(Path().rglob("*")):
            layer = path.parts[1:3] if path.parts[0] == "_layers" else None
            if not path.is_file() or (layer and "/".join(layer) not in chosen):
                continue
            target = project / env.from_string(str(path)).render(**context)
            target.parent.mkdir(parents=True, exist_ok=True)
            if is_copy_only_path(str(path), context):
                shutil.copyfile(path, target)
            else:
                generate_file(str(project), str(path), context, env)
    with contextlib.chdir(project):
        exec(compile(hook, "post_gen_project.py", "exec"), {"__name__": "__main__"})
    return project


def ruff_problems(projects: dict[Path, dict[str, str]]) -> list[str]:
    """ruff check and ruff format --check over every project at once, each problem with its answers."""
    found = []
    for command in (["ruff", "check", "--output-format", "concise"], ["ruff", "format", "--check"]):
        result = run(*command, "--no-cache", *projects, check=False)
        for line in (result.stdout + result.stderr).splitlines():
            owner = next((project for project in projects if str(project) in line), None)
            if owner:
                found.append(f"{line}\n    answers: {projects[owner]}")
    return found


def test_any_answers_give_a_clean_rejection_or_a_clean_project(cookies, tmp_path, monkeypatch, record_property):
    monkeypatch.setattr(cookiecutter.main, "generate_files", stop_before_writing)
    projects: dict[Path, dict[str, str]] = {}
    refusals: list[list[str]] = []
    examples = itertools.count()  # every example its own folder, failed and shrunk ones included

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(answer_sets)
    def example(answers):
        typed = {key: as_typed(value) if key in AS_TYPED else value for key, value in answers.items()}
        output = tmp_path / str(next(examples))
        output.mkdir()
        context, errors = bake_or_refuse(cookies, typed, tmp_path / "cookies")
        if context is None:
            assert errors and all(line.startswith("ERROR: ") for line in errors), (answers, errors)
            refusals.append(errors)
        else:
            project = generate(context, output)
            assert checks.problems(project) == [], answers
            projects[project] = answers

    example()
    problems = ruff_problems(projects)
    record_property("summary", f"answers property: {len(refusals) + len(projects)} answer sets, {len(refusals)} "
                    f"refused cleanly, {len(projects)} clean projects, {len(problems)} ruff problems")  # fmt: skip
    assert len(refusals) + len(projects) >= EXAMPLES
    assert problems == []
