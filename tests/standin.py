"""pixi's stand-in on machines that reach no conda channel and no pixi image (this project's).

`conda-standin` (../shared/offline-images, README-conda.md there) builds the environment `pixi install`
would make from a generated pixi.toml: a local channel with CPython built from source, installed by
rattler (pixi's engine) at the same prefix, as an image. `docker build --build-context
<stage>=docker-image://<image>` then builds the project's own Dockerfile with only its pixi stages
swapped. That proves everything around the environments; not pixi itself, conda-forge's builds or a
real pixi.lock.
"""

import re
import shutil
import uuid
from pathlib import Path

import yaml
from conftest import run, succeeded
from facts import ROOT, manager_suite

STANDIN = ROOT.parent / "shared" / "offline-images" / "conda-standin"
# The Pythons the stand-in's channel has (`conda-standin channel` lists them; test_conda checks this).
PYTHONS = ["3.13"]
# What the stand-in cannot make conda packages of: whl2conda names a converted package by its normalized
# name but keeps its dependents' requirements as written (ipython requires `prompt_toolkit`, jupyter-lsp
# `jupyter_server`; the packages are `prompt-toolkit`, `jupyter-server`), so no solve finds them. The
# stand-in installs these from PyPI instead ([pypi-dependencies] of a copy of pixi.toml); the project's
# own pixi.toml keeps them as conda-forge packages, which conda-forge names consistently.
FROM_PYPI = ("ipykernel", "jupyterlab")
# A pixi stage of a generated Dockerfile: its name and the environment it installs.
PIXI_STAGE = re.compile(r"^FROM \S*/pixi:\S+ AS (\S+)$.*?--environment (\S+)$", re.MULTILINE | re.DOTALL)


def uses_standin(answers: dict[str, str]) -> bool:
    return manager_suite(answers).suite_standin


def buildable(answers: dict[str, str], python_version: str) -> dict[str, str]:
    """The answers on python_version, or on the stand-in's newest Python where their manager needs it."""
    return answers | {"python_version": PYTHONS[-1] if uses_standin(answers) else python_version}


def standin() -> str:
    if not shutil.which(STANDIN):
        raise RuntimeError(f"{STANDIN} is missing: conda environments cannot be built without a conda channel")
    return str(STANDIN)


def environments(project: Path) -> dict[str, str]:
    """The project's pixi stages and the environment each installs."""
    return dict(PIXI_STAGE.findall((project / "Dockerfile").read_text()))


def standin_manifest(project: Path) -> Path:
    """A copy of the project's pixi.toml for the stand-in, with FROM_PYPI moved to PyPI's tables."""
    moved, table, kept = {}, "", []
    for line in (project / "pixi.toml").read_text().splitlines():
        table = header.group(1) if (header := re.fullmatch(r"\[(.+)\]", line)) else table
        conda_table = table.endswith(".dependencies") or table == "dependencies"
        if conda_table and line.split(" = ")[0] in FROM_PYPI:
            moved.setdefault(table.replace("dependencies", "pypi-dependencies"), []).append(line)
            continue
        kept.append(line)
    text = []
    for line in kept:
        text.append(line)
        if (header := re.fullmatch(r"\[(.+)\]", line)) and header.group(1) in moved:
            text += moved.pop(header.group(1))
    text += [line for pypi_table, entries in moved.items() for line in ["", f"[{pypi_table}]", *entries]]
    copy = project.parent / "standin-pixi.toml"
    copy.write_text("\n".join(text) + "\n")
    return copy


def build_environment(*command: str | Path) -> None:
    """`conda-standin env`, run once more if its tool container died after installing without a word (exit 2, the
    stand-in's last line "solving and installing"): so it did once in each of two whole runs here (flask-conda),
    while the same command passed alone 12 times out of 12. That is the stand-in's crash, not the project's; a
    failure with a message, or a second silent one, fails the test."""
    first = run(*command, check=False)
    silent = (first.stderr.strip().splitlines() or [""])[-1].startswith("conda-standin: solving and installing")
    if first.returncode == 2 and silent:
        run(*command)
    else:
        succeeded(first)


class Environments:
    """The environments of a project's pixi stages, built by the stand-in; removed with remove()."""

    def __init__(self, docker: str, project: Path):
        self.docker, self.project, self.images = docker, project, {}
        dockerfile, manifest = (project / "Dockerfile").read_text(), standin_manifest(project)
        try:
            for stage, environment in environments(project).items():
                prefix = re.search(rf"^COPY --from={stage} (\S+) ", dockerfile, re.MULTILINE).group(1)
                tag = f"stagecraft-suite/pixi-{environment}:{uuid.uuid4().hex[:8]}"
                build_environment(standin(), "env", "--manifest", manifest, "--environment", environment,
                                  "--prefix", prefix, "--tag", tag, "--lock-out", self.record(environment))  # fmt: skip
                self.images[stage] = tag
        except BaseException:
            self.remove()  # the environments built before the one that failed, which no caller can remove
            raise

    def record(self, environment: str) -> Path:
        """The stand-in's record (pixi.lock's format) of what it installed for an environment."""
        return self.project.parent / f"standin-{environment}.lock"

    def packages(self, environment: str) -> list[str]:
        """The names of the conda packages the stand-in installed for an environment."""
        record = yaml.safe_load(self.record(environment).read_text())
        urls = [entry["conda"] for entry in record["environments"][environment]["packages"]["linux-64"]]
        return sorted(url.rsplit("/", 1)[1].rsplit("-", 2)[0] for url in urls)

    def build_args(self) -> list[str]:
        return [f"--build-context={stage}=docker-image://{image}" for stage, image in self.images.items()]

    def compose_override(self) -> Path:
        """A compose file that builds every service's image with the stand-in's environments."""
        override = self.project.parent / "compose.standin.yaml"
        contexts = {stage: f"docker-image://{image}" for stage, image in self.images.items()}
        services = yaml.safe_load((self.project / "compose.yaml").read_text())["services"]
        built = {name: {"build": {"additional_contexts": contexts}} for name in services if "build" in services[name]}
        override.write_text(yaml.safe_dump({"services": built}))
        return override

    def remove(self) -> None:
        if self.images:
            run(self.docker, "image", "rm", "--force", *self.images.values(), check=False)
