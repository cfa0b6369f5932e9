"""Fast tier: every distinct generated CI file is clean by the book.

The CI files depend on the framework, the package manager and the Python answer only, so they are
rendered here (as cookiecutter renders them) for every such combination and each distinct tree is
checked once: zizmor finds nothing (pedantic persona, offline), jactionlint (actionlint's checks)
finds nothing, shellcheck passes every `run:` and `script:` block, every file matches its published
schema, and the actions pinned are exactly the expected commits. That the rendering equals what a
bake writes is checked against the baked projects.
"""

import functools
import hashlib
import itertools
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import CHOICES, COMBINATIONS, ROOT, combo_id, run
from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config
from cookiecutter.utils import create_env_with_context
from facts import ci_suite, manager_facts
from jinja2 import FileSystemLoader
from kube import tools

TEMPLATE = ROOT / "{{cookiecutter.project_slug}}"
LAYERS = TEMPLATE / "_layers" / "ci"
SHAPING = ("framework", "package_manager", "python_version")
# The CI files also depend on the deployment: deploy=kubernetes adds the chart's jobs and steps.
DEPLOY = "deploy"
# Every action the generated workflows use, at the commit its version tag points to (read from the
# action's repository: `git rev-parse '<tag>^{commit}'`).
PINNED = {
    "actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803 # v6.1.0",
    "actions/setup-python@ece7cb06caefa5fff74198d8649806c4678c61a1 # v6.3.0",
    "actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae # v5.0.5",
    "prefix-dev/setup-pixi@5185adfbffb4bd703da3010310260805d89ebb11 # v0.9.6",
    "docker/setup-qemu-action@96fe6ef7f33517b61c61be40b68a1882f3264fb8 # v4.2.0",
    "docker/setup-buildx-action@37fe631027851001ddb9b187196cc803df7f5f0e # v4.3.0",
    "docker/metadata-action@dc802804100637a589fabce1cb79ff13a1411302 # v6.2.0",
    "docker/build-push-action@53b7df96c91f9c12dcc8a07bcb9ccacbed38856a # v7.3.0",
    "docker/login-action@4907a6ddec9925e35a0a9e82d7399ccc52663121 # v4.1.0",
    "aquasecurity/trivy-action@ed142fd0673e97e23eac54620cfb913e5ce36c25 # v0.36.0",
    "sigstore/cosign-installer@6f9f17788090df1f26f669e9d70d6ae9567deba6 # v4.1.2",
}
# check-jsonschema's built-in schema for each CI file, from each provider's suite facts.
SCHEMAS = {schema: pattern for ci in CHOICES["ci"] for schema, pattern in ci_suite({"ci": ci}).schemas.items()}


@functools.cache
def _defaults() -> tuple[dict, object]:
    """cookiecutter's context for the default answers, and its Jinja environment with the template's loader."""
    context = generate_context(context_file=ROOT / "cookiecutter.json")
    context["cookiecutter"] = prompt_for_config(context, no_input=True)
    env = create_env_with_context(context)
    env.loader = FileSystemLoader([TEMPLATE, ROOT / "templates"])
    return context, env


def render_ci(answers: dict[str, str]) -> dict[str, str]:
    """The files of the answers' CI layer, rendered as cookiecutter renders them, by their path in the project.
    Only choice answers are given, so no derived default (slug, package name) changes with them."""
    defaults, env = _defaults()
    context = {"cookiecutter": defaults["cookiecutter"] | answers}
    layer = LAYERS / answers["ci"]
    return {
        path.relative_to(layer).as_posix(): env.get_template(path.relative_to(TEMPLATE).as_posix()).render(**context)
        for path in sorted(layer.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="session")
def ci_trees(tmp_path_factory) -> dict[str, list[Path]]:
    """Every distinct rendering of each CI layer (for every deployment too), written out as a project tree, by CI
    answer."""
    trees: dict[str, dict[str, Path]] = {}
    for ci in (ci for ci in CHOICES["ci"] if (LAYERS / ci).is_dir()):
        for values in itertools.product(*(CHOICES[key] for key in (*SHAPING, DEPLOY))):
            answers = dict(zip((*SHAPING, DEPLOY), values, strict=True)) | {"ci": ci}
            files = render_ci(answers)
            digest = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:12]
            if digest not in trees.setdefault(ci, {}):
                tree = tmp_path_factory.mktemp(f"{ci}-{'-'.join(values)}")
                for name, text in files.items():
                    (tree / name).parent.mkdir(parents=True, exist_ok=True)
                    (tree / name).write_text(text)
                # A project is a repository: jactionlint finds the project by `.git`, and only then reads
                # a local reusable workflow (release.yml's call of ci.yml) to check the call.
                (tree / ".git").mkdir()
                trees[ci][digest] = tree
    return {ci: list(found.values()) for ci, found in trees.items()}


@pytest.mark.parametrize("combo", [combo for combo in COMBINATIONS if (LAYERS / combo["ci"]).is_dir()], ids=combo_id)
def test_rendering_equals_the_bake(baked, combo):
    project = baked[combo_id(combo)]
    assert {name: (project / name).read_text() for name in render_ci(combo)} == render_ci(combo)


def chart_commands(files: dict[str, str]) -> dict[str, str]:
    """The shell of every job that runs or installs helm, by "file job": the chart job and the release's."""
    commands = {}
    for name, text in files.items():
        if name.startswith(".github/workflows/"):
            for job_name, job in yaml.safe_load(text)["jobs"].items():
                script = "\n".join(step.get("run", "") for step in job.get("steps", []))
                if "helm" in script:
                    commands[f"{name} {job_name}"] = script
        elif name == ".gitlab-ci.yml":
            for job_name, job in yaml.safe_load(text).items():
                script = "\n".join(job.get("script", [])) if isinstance(job, dict) else ""
                if "helm" in script:
                    commands[f"{name} {job_name}"] = script
    return commands


@pytest.mark.parametrize("ci", [ci for ci in CHOICES["ci"] if (LAYERS / ci).is_dir()])
def test_chart_jobs_install_the_tools_at_the_pins_of_tools_jinja(ci):
    """With deploy=kubernetes the chart job runs deploy/check-chart.sh with helm (downloaded, checked against
    its sha256), kubernetes-validate and checkov at tools.jinja's versions, and the release packages, pushes
    and signs the chart with that helm; with compose no job names helm."""
    answers = {"framework": "django", "package_manager": "uv", "python_version": "3.14", "ci": ci}
    pins = tools()
    commands = chart_commands(render_ci(answers | {"deploy": "kubernetes"}))
    assert len(commands) == 2, commands
    for where, script in commands.items():
        downloads = re.findall(r"https://get\.helm\.sh/helm-(\S+)-linux-amd64\.tar\.gz", script)
        checked = re.findall(r'echo "([0-9a-f]{64})  \S+" \| sha256sum -c -', script)
        assert (downloads, checked) == ([pins.helm_version], [pins.helm_sha256]), where
    checks = [script for script in commands.values() if "sh deploy/check-chart.sh" in script]
    assert len(checks) == 1
    assert re.findall(r"\binstall (\S+)==(\S+)", checks[0]) == [
        ("kubernetes-validate", pins.kubernetes_validate_version),
        ("checkov", pins.checkov_version),
    ]
    releases = [script for script in commands.values() if "helm push" in script]
    assert len(releases) == 1
    assert re.search(r"helm package deploy/chart --version \S+ --app-version ", releases[0])
    assert 'cosign sign --yes "${ref%:*}@$digest"' in releases[0]
    assert chart_commands(render_ci(answers | {"deploy": "compose"})) == {}


def test_zizmor_finds_nothing(ci_trees, tmp_path_factory):
    audit = run("zizmor", "--offline", "--persona", "pedantic", "--format", "json", *ci_trees["github"], check=False)
    found = json.loads(audit.stdout)
    base = tmp_path_factory.getbasetemp()
    places = [(finding["ident"], finding["locations"][0]) for finding in found]
    assert [
        f"{ident}: {Path(place['symbolic']['key']['Local']['verbatim_path']).relative_to(base)}"
        f":{place['concrete']['location']['start_point']['row'] + 1}: {place['concrete']['feature']}"
        for ident, place in places
    ] == []


def test_jactionlint_finds_nothing(ci_trees):
    """actionlint's checks (jactionlint's correctness profile): workflow syntax, `${{ }}` expressions typed
    against their contexts, the inputs and outputs of each action, at its pin's version comment, and of the
    reusable workflow called, and shellcheck on every `run:` block. Offline, once over each distinct file,
    read in its own tree."""
    base = ci_trees["github"][0].parent
    distinct = {path.read_bytes(): path for tree in ci_trees["github"] for path in tree.glob(".github/workflows/*.yml")}
    lint = run(
        "jactionlint", "--profile", "correctness", "--no-online", "--oneline", "--no-color",
        # Named, so a missing shellcheck or ruff stops the run instead of silently skipping its scripts; ruff
        # checks any Python `run:` block with pyflakes' rules (none has one yet).
        "--shellcheck=shellcheck", "--ruff=ruff",
        *sorted(path.relative_to(base) for path in distinct.values()), cwd=base, check=False,
    )  # fmt: skip
    assert (lint.returncode, lint.stdout, lint.stderr) == (0, "", ""), lint.stdout + lint.stderr


def shell_blocks(tree: Path) -> list[tuple[str, str, str]]:
    """Every shell block of the tree's CI files: (where, shell, script)."""
    blocks = []
    for workflow in sorted(tree.glob(".github/workflows/*.yml")):
        for job_name, job in yaml.safe_load(workflow.read_text())["jobs"].items():
            for number, step in enumerate(job.get("steps", []), 1):
                if "run" in step:
                    blocks.append((f"{workflow.name} {job_name} step {number}", "bash", step["run"]))
    pipeline = tree / ".gitlab-ci.yml"
    if pipeline.exists():
        for job_name, job in yaml.safe_load(pipeline.read_text()).items():
            for key in ("before_script", "script", "after_script"):
                if isinstance(job, dict) and key in job:
                    blocks.append((f".gitlab-ci.yml {job_name} {key}", "sh", "\n".join(job[key])))
    return blocks


def test_shellcheck_passes_every_run_and_script_block(ci_trees, tmp_path):
    blocks = {(shell, script): where for trees in ci_trees.values() for tree in trees
              for where, shell, script in shell_blocks(tree)}  # fmt: skip
    # template-update.sh as rendered: it names the pinned cruft, from the template's facts.
    defaults, env = _defaults()
    scripts = [tmp_path / "template-update.sh"]
    scripts[0].write_text(env.get_template("template-update.sh").render(cookiecutter=defaults["cookiecutter"]))
    for number, ((shell, script), where) in enumerate(blocks.items()):
        scripts.append(tmp_path / f"{number}.sh")
        scripts[-1].write_text(f"#!/bin/{shell}\n# {where}\n{script}\n")
    assert len(scripts) > 10
    run("shellcheck", *scripts)


@pytest.mark.parametrize(("schema", "pattern"), SCHEMAS.items())
def test_ci_files_match_their_schema(ci_trees, schema, pattern):
    # One file per distinct content: release.yml, for one, is the same in every tree.
    distinct = {path.read_bytes(): path for trees in ci_trees.values() for tree in trees for path in tree.glob(pattern)}
    targets = sorted(distinct.values())
    assert targets
    run("check-jsonschema", "--builtin-schema", schema, *targets)


def test_actions_are_exactly_the_pinned_commits(ci_trees):
    used = {
        match[1]
        for tree in ci_trees["github"]
        for workflow in tree.glob(".github/workflows/*.yml")
        for match in re.finditer(r"uses: (\S+(?: # \S+)?)", workflow.read_text())
        if not match[1].startswith("./")
    }
    assert used == PINNED


def base_images(project: Path) -> list[str]:
    """The images the Dockerfile's stages start from (stage names left out)."""
    stages, images = set(), []
    for match in re.finditer(r"^FROM\s+(\S+)(?:\s+AS\s+(\S+))?", (project / "Dockerfile").read_text(), re.MULTILINE):
        if match[1] not in stages:
            images.append(match[1])
        stages.add(match[2])
    return images


@pytest.mark.parametrize("combo", COMBINATIONS, ids=combo_id)
def test_updaters_cover_what_the_project_pins(baked, combo):
    project, facts = baked[combo_id(combo)], manager_facts(combo)
    # Dependabot reads images only from FROM lines, never from ARG defaults.
    assert [image for image in base_images(project) if not re.fullmatch(r"[\w./-]+:[\w.-]+", image)] == []
    npm = ["npm"] if (project / "package-lock.json").exists() else []
    if combo["ci"] == "github":
        updates = yaml.safe_load((project / ".github/dependabot.yml").read_text())["updates"]
        expected = [*facts.dependabot_ecosystems, "docker", "github-actions", *npm]
        assert [update["package-ecosystem"] for update in updates] == expected
        assert {update["schedule"]["interval"] for update in updates} == {"weekly"}
        assert all(update["groups"] for update in updates)
    if combo["ci"] == "gitlab":
        config = json.loads((project / "renovate.json").read_text())
        expected = [facts.renovate_manager, "pre-commit", "dockerfile", "gitlabci", "custom.regex", *npm]
        assert config["enabledManagers"] == expected
        assert "schedule:weekly" in config["extends"]
        # Every manager's updates are in exactly one group.
        grouped = [name for rule in config["packageRules"] if "groupName" in rule for name in rule["matchManagers"]]
        assert sorted(grouped) == sorted(expected)


def js_regex(pattern: str) -> re.Pattern:
    """A Renovate (JavaScript) regex in Python's dialect: its named groups are (?<name>...)."""
    return re.compile(pattern.removeprefix("/").removesuffix("/").replace("(?<", "(?P<"))


def other_pins(project: Path) -> list[tuple[str, str, str, str]]:
    """Every version the project pins besides its locks, its Dockerfile's images and its workflows' actions
    (the updaters' own ecosystems, checked above): (kind, name, file, text). Compose images that the project
    builds itself (a service with `build` names them, whichever services run them) are its own, not pins."""
    pins = []
    precommit = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    for repo in precommit["repos"]:
        for hook in repo["hooks"]:
            for requirement in hook.get("additional_dependencies", []):
                name = re.match(r"[\w.-]+", requirement)[0]
                pins.append(("hook " + hook.get("language", ""), name, ".pre-commit-config.yaml", requirement))
    ci_files = sorted(project.glob(".github/workflows/*.yml")) + sorted(project.glob(".gitlab-ci.yml"))
    for path in ci_files:
        name, text = path.relative_to(project).as_posix(), path.read_text()
        pins += [("tool", match[1], name, match[0]) for match in re.finditer(r"\binstall ([\w.-]+)==[\w.]+", text)]
        for line in (line for line in text.splitlines() if "docker run" in line):
            pins += [("image", image, name, line) for image in re.findall(r"\b[\w.-]+/[\w.-]+:[\w.-]+", line)]
        for job in yaml.safe_load(text).values() if name == ".gitlab-ci.yml" else []:
            if isinstance(job, dict):
                for image in [job.get("image"), *job.get("services", [])]:
                    image = image.get("name") if isinstance(image, dict) else image
                    if image:
                        pins.append(("gitlab image", image, name, image))
        for job in yaml.safe_load(text)["jobs"].values() if name.startswith(".github/") else []:
            pins += [
                ("image", service["image"], name, service["image"]) for service in job.get("services", {}).values()
            ]
            for step in job.get("steps", []):
                pins += [("input", key, name, f"{key}: {value}") for key, value in step.get("with", {}).items()
                         if key.endswith("-version") and re.match(r"v?\d", str(value))]  # fmt: skip
    services = {path: yaml.safe_load(path.read_text())["services"] for path in sorted(project.glob("**/compose*.yaml"))}
    built = {service.get("image") for found in services.values() for service in found.values() if "build" in service}
    for path, found in services.items():
        for service in found.values():
            image = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", service.get("image", ""))
            if ":" in image and service.get("image") not in built:
                pins.append(("image", image, path.relative_to(project).as_posix(), image))
    return pins


def renovate_reads(config: dict, kind: str, name: str, file: str, text: str) -> bool:
    """Whether the Renovate config updates this pin: a built-in manager that reads it, or a regex manager whose
    pattern finds it in its file."""
    enabled = config["enabledManagers"]
    if kind == "hook python":  # the pre-commit manager reads additional_dependencies of python hooks only
        return "pre-commit" in enabled and config.get("pre-commit", {}).get("enabled", False)
    if kind == "gitlab image":
        return "gitlabci" in enabled
    for custom in config.get("customManagers", []) if "custom.regex" in enabled else []:
        if any(js_regex(files).search(file) for files in custom["managerFilePatterns"]):
            for pattern in map(js_regex, custom["matchStrings"]):
                found = [match for match in pattern.finditer(text) if match["depName"] == name.split(":")[0]]
                versioning = custom.get("versioningTemplate", "").removeprefix("regex:")
                if found and all(js_regex(versioning).match(match["currentValue"]) for match in found if versioning):
                    return True
    return False


def named(pin: tuple[str, str, str, str], sentence: str) -> bool:
    """Whether a sentence names the pin: its package or image (repository without registry or tag), or, for a
    hook's pin, the file holding all of them."""
    kind, name, file, _ = pin
    short = name.split(":")[0].rsplit("/", 1)[-1]
    return bool(re.search(rf"\b{re.escape(short)}\b", sentence, re.IGNORECASE)) or (
        kind.startswith("hook") and file in sentence
    )


@pytest.mark.parametrize("combo", [combo for combo in COMBINATIONS if combo["ci"] != "none"], ids=combo_id)
def test_a_pin_no_updater_reads_is_named_as_not_updated(baked, combo):
    """The updater's own words claim only what it reads: every pin it does not update is named after its
    "does not read", in dependabot.yml's comments or renovate.json's description."""
    project = baked[combo_id(combo)]
    pins = other_pins(project)
    assert {kind for kind, *_ in pins} >= {"hook python", "tool"}, pins
    if combo["ci"] == "github":
        text = (project / ".github/dependabot.yml").read_text()
        comments = " ".join(line.lstrip("# ") for line in text.splitlines() if line.startswith("#"))
        # Dependabot's pre-commit ecosystem skips local hooks, and it has no ecosystem for the rest.
        assert all(
            repo["repo"] == "local"
            for repo in yaml.safe_load((project / ".pre-commit-config.yaml").read_text())["repos"]
        )
        unread, says = pins, comments.partition("does not read")[2]
    else:
        config = json.loads((project / "renovate.json").read_text())
        unread = [pin for pin in pins if not renovate_reads(config, *pin)]
        says = config["description"].partition("does not read")[2]
    assert [pin for pin in unread if not named(pin, says)] == []


def test_renovate_reads_the_hooks_tools_and_binfmt_and_leaves_postgres_named():
    """What renovate_reads decides, on the files of one GitLab project with a database."""
    files = render_ci({"framework": "django", "package_manager": "uv", "python_version": "3.14", "ci": "gitlab"})
    config = json.loads(files["renovate.json"])
    pipeline = files[".gitlab-ci.yml"]
    binfmt = re.search(r"tonistiigi/binfmt:\S+", pipeline)[0]
    assert renovate_reads(config, "hook python", "ruff", ".pre-commit-config.yaml", "ruff==0.17.6")
    assert not renovate_reads(config, "hook node", "prettier", ".pre-commit-config.yaml", "prettier==3")
    assert renovate_reads(config, "tool", "uv", ".gitlab-ci.yml", "install uv==0.13.8")
    assert renovate_reads(config, "image", binfmt, ".gitlab-ci.yml", f"docker run --rm {binfmt} --install arm64")
    assert not renovate_reads(config, "image", "postgres:18", "compose.yaml", "postgres:18")
    assert named(("image", "postgres:18", "compose.yaml", "postgres:18"), config["description"])
