"""Fast tier: every path a generated file names exists in that project, and every CI cache holds the
package manager's own cache.

A file that names a path the project does not have fails quietly: compose never rebuilds on a
`watch` path that is not there, a CI cache keyed on a missing file never changes, a Makefile
prerequisite that does not exist stops make. These checks read the generated files as their tools
do and look the paths up in the project.
"""

import fnmatch
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import COMBINATIONS, combo_id
from facts import manager_facts

combinations = pytest.mark.parametrize("combo", COMBINATIONS, ids=combo_id)


def exists(project: Path, path: str) -> bool:
    """Whether the path, or for a glob (COPY pkg/*.py) any path it matches, is in the project."""
    return bool(path) and (any(project.glob(path)) if "*" in path else (project / path).exists())


def compose_paths(project: Path) -> list[str]:
    """Build contexts and `develop.watch` paths of every compose file."""
    named = []
    for compose in sorted(project.glob("compose*.yaml")):
        for service in yaml.safe_load(compose.read_text())["services"].values():
            build = service.get("build")
            if build is not None:
                named.append(build if isinstance(build, str) else build.get("context", "."))
            named += [watch["path"] for watch in service.get("develop", {}).get("watch", [])]
    return named


def dockerfile_instructions(project: Path) -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments left out."""
    text = re.sub(r"\\\n\s*", " ", (project / "Dockerfile").read_text())
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def dockerfile_sources(project: Path) -> list[str]:
    """What the build reads from the context: COPY/ADD sources and bind mounts, except those from a stage."""
    sources = []
    for line in dockerfile_instructions(project):
        words = line.split()
        if words[0] in {"COPY", "ADD"} and not any(word.startswith("--from=") for word in words):
            sources += [word for word in words[1:-1] if not word.startswith("--")]
        for mount in re.findall(r"--mount=(\S+)", line):
            options = dict(option.split("=", 1) for option in mount.split(",") if "=" in option)
            if options.get("type") == "bind" and "from" not in options:
                sources.append(options.get("source", "."))
    return sources


def ignored(patterns: list[str], path: str) -> bool:
    """Whether .dockerignore keeps `path` out of the build context (the last matching line wins)."""
    verdict = False
    for pattern in patterns:
        keep = pattern.startswith("!")
        pattern = pattern.removeprefix("!").rstrip("/")
        if any(fnmatch.fnmatch(candidate, pattern.removeprefix("**/")) for candidate in prefixes(path)):
            verdict = not keep
    return verdict


def prefixes(path: str) -> list[str]:
    """The path and every folder above it: an ignored folder ignores what it holds."""
    parts = path.strip("/").split("/")
    return ["/".join(parts[: index + 1]) for index in range(len(parts))] + parts


def dockerignore_patterns(project: Path) -> list[str]:
    lines = (project / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def makefile_prerequisites(project: Path) -> tuple[list[str], list[str]]:
    """The Makefile's file prerequisites (variables expanded) and the globs of its `$(wildcard ...)` calls."""
    text = (project / "Makefile").read_text()
    # A variable make computes with the shell stays a name (pre-commit's hook: `$(GIT_HOOK)`).
    assigned = re.findall(r"^(\w+)\s*[:?]?=\s*(.*)$", text, re.MULTILINE)
    variables = {name: value for name, value in assigned if "$(shell" not in value}

    def expand(value: str) -> str:
        for _ in range(5):
            value = re.sub(r"\$\((\w+)\)", lambda match: variables.get(match[1], match[0]), value)
        return value

    rules = [
        (expand(target), expand(prerequisites))
        for target, prerequisites in re.findall(r"^([^\t#\s][^:=\n]*?):(?![:=])(.*)$", text, re.MULTILINE)
        if "=" not in prerequisites.split("##")[0]  # target-specific variables, not prerequisites
    ]
    targets = {name for target, _ in rules for name in target.split()}
    globs = [
        glob for _, prereqs in rules for call in re.findall(r"\$\(wildcard ([^)]*)\)", prereqs) for glob in call.split()
    ]
    files = [
        name
        for _, prereqs in rules
        for name in re.sub(r"\$\(wildcard [^)]*\)", "", prereqs.split("##")[0]).split()
        if name not in targets and name != "|"  # order-only prerequisites follow a bar
    ]
    return files, globs


def own_caches(facts) -> dict[str, str]:
    """CI's caches by folder under ~/.cache, with the file each is keyed on: the manager's lock, pre-commit's config."""
    return {facts.cache_dir: facts.lock_file, "pre-commit": ".pre-commit-config.yaml"}


def github_problems(project: Path, facts) -> list[str]:
    problems = []
    for workflow in sorted(project.glob(".github/workflows/*.yml")):
        text = workflow.read_text()
        problems += [f"{workflow.name} hashes {name}, which does not exist"
                     for name in re.findall(r"hashFiles\('([^']+)'\)", text) if not exists(project, name)]  # fmt: skip
        for job_name, job in yaml.safe_load(text)["jobs"].items():
            problems += github_job_problems(project, facts, f"{workflow.name} {job_name}", job.get("steps", []))
    return problems


def github_job_problems(project: Path, facts, where: str, steps: list[dict]) -> list[str]:
    problems, cached = [], set()
    publishes = any(step.get("with", {}).get("push") is True for step in steps)
    for step in steps:
        uses, given = step.get("uses", ""), step.get("with", {})
        for key in ("cache-dependency-path", "context"):
            if key in given and not exists(project, given[key]):
                problems.append(f"{where}: {key} {given[key]} does not exist")
        if uses.startswith("actions/setup-python@") and "cache" in given:
            problems.append(f"{where}: setup-python caches {given['cache']}'s cache, not through actions/cache")
        if uses.startswith("actions/cache@"):
            folder = given["path"].removeprefix("~/.cache/")
            keyed_on = own_caches(facts).get(folder)
            if keyed_on is None:
                problems.append(f"{where}: caches {given['path']}, neither {facts.name}'s nor pre-commit's cache")
            elif f"hashFiles('{keyed_on}')" not in given["key"]:
                problems.append(f"{where}: caches {given['path']} without keying it on {keyed_on}")
            cached.add(folder)
        # A job that publishes restores nothing a pull request could have written.
        restores = (
            uses.startswith("actions/cache@")
            or "cache-from" in given
            or (uses.startswith("aquasecurity/trivy-action@") and given.get("cache") != "false")
        )
        if publishes and restores:
            problems.append(f"{where}: publishes, and restores a cache ({uses})")
    if cached and cached != set(own_caches(facts)):
        problems.append(f"{where}: caches {sorted(cached)}, not {sorted(own_caches(facts))}")
    return problems


def gitlab_problems(project: Path, facts) -> list[str]:
    pipeline = project / ".gitlab-ci.yml"
    if not pipeline.exists():
        return []
    problems = []
    for job_name, job in yaml.safe_load(pipeline.read_text()).items():
        if not isinstance(job, dict):
            continue
        script = "\n".join(job.get("script", []))
        if ("--push" in script or "push=true" in script) and (job.get("cache") or "--cache-from" in script):
            problems.append(f".gitlab-ci.yml {job_name}: publishes, and restores a cache")
        cache = job.get("cache")
        if not cache:
            continue
        keyed_on = cache.get("key", {}).get("files", [])
        problems += [f".gitlab-ci.yml {job_name}: cache key file {name} does not exist" for name in keyed_on
                     if not exists(project, name)]  # fmt: skip
        # Each cache sits in a cached path, through the variable that moves it, and its key file is in the key.
        moved = {facts.cache_env: facts.cache_dir, "PRE_COMMIT_HOME": "pre-commit"}
        for variable, folder in moved.items():
            where = str(job.get("variables", {}).get(variable, "")).removeprefix("$CI_PROJECT_DIR/")
            if not any(where.startswith(path) for path in cache.get("paths", [])):
                problems.append(f".gitlab-ci.yml {job_name}: {variable} is not in a cached path")
            if own_caches(facts)[folder] not in keyed_on:
                problems.append(f".gitlab-ci.yml {job_name}: the cache key leaves out {own_caches(facts)[folder]}")
    return problems


def devcontainer_problems(project: Path) -> list[str]:
    """What .devcontainer/devcontainer.json names: its files (relative to its folder, inside the project),
    the Dockerfile stage or compose service it runs, and the project mounted at its workspace folder."""
    folder = project / ".devcontainer"
    config = json.loads((folder / "devcontainer.json").read_text())
    build, composes = config.get("build", {}), config.get("dockerComposeFile", [])
    problems = [
        f"devcontainer.json names {name}, which is not a path in the project"
        for name in [build.get("dockerfile"), build.get("context"), *composes]
        if name is not None and not ((folder / name).exists() and (folder / name).resolve().is_relative_to(project))
    ]
    if problems:
        return problems
    workspace = config["workspaceFolder"]
    if build:
        stages = re.findall(r"^FROM \S+ AS (\S+)$", (folder / build["dockerfile"]).read_text(), re.MULTILINE)
        if build["target"] not in stages:
            problems.append(f"devcontainer.json builds stage {build['target']}, which the Dockerfile lacks")
        if f"source=${{localWorkspaceFolder}},target={workspace}," not in config["workspaceMount"] + ",":
            problems.append(f"devcontainer.json mounts the project elsewhere than {workspace}")
    else:
        # Compose resolves every file's relative paths against the first file's folder.
        services = [yaml.safe_load((folder / name).read_text())["services"] for name in composes]
        defined = set().union(*services[:-1])
        # Its own services run an image; every other one adds to a service the project's files define.
        problems += [f"the devcontainer's compose file adds to {name}, which no compose file defines"
                     for name, service in services[-1].items()
                     if name not in defined and not {"image", "build"} & set(service)]  # fmt: skip
        if config["service"] not in defined:
            problems.append(f"devcontainer.json runs service {config['service']}, which compose lacks")
        mounts = [volume for service in services for volume in service.get(config["service"], {}).get("volumes", [])]
        root = (folder / composes[0]).resolve().parent
        if not any((root / volume.split(":")[0]).resolve() == project and volume.split(":")[1] == workspace
                   for volume in mounts):  # fmt: skip
            problems.append(f"no compose file mounts the project at {workspace}")
    return problems


def path_problems(project: Path, combo: dict[str, str]) -> list[str]:
    facts = manager_facts(combo)
    problems = [
        f"compose names {path}, which does not exist" for path in compose_paths(project) if not exists(project, path)
    ]
    patterns = dockerignore_patterns(project)
    for source in dockerfile_sources(project):
        if not exists(project, source):
            problems.append(f"Dockerfile reads {source}, which does not exist")
        elif source != "." and ignored(patterns, source):
            problems.append(f"Dockerfile reads {source}, which .dockerignore leaves out of the context")
    problems += [
        f".dockerignore keeps {pattern[1:]}, which does not exist"
        for pattern in patterns
        if pattern.startswith("!") and not list(project.glob(pattern[1:]))
    ]
    files, globs = makefile_prerequisites(project)
    problems += [f"Makefile needs {name}, which does not exist" for name in files if not exists(project, name)]
    problems += [f"Makefile's $(wildcard {glob}) matches nothing" for glob in globs if not list(project.glob(glob))]
    problems += devcontainer_problems(project)
    return problems + github_problems(project, facts) + gitlab_problems(project, facts)


@combinations
def test_every_path_a_generated_file_names_exists(baked, combo):
    """As the project is once `make install` has run: that writes the locks the template does not ship."""
    project, facts = baked[combo_id(combo)], manager_facts(combo)
    written = [project / name for name in facts.lock_files if name not in facts.shipped_locks]
    for path in written:
        path.write_text("")
    try:
        assert path_problems(project, combo) == []
    finally:
        for path in written:
            path.unlink()
