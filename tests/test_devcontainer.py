"""Docker tier: the generated devcontainer opens with the real Dev Containers CLI and `make test` passes in it.

Each framework is opened once, the venv managers rotating along, so every framework (compose-based or a
single container) and every venv manager is covered. Conda projects are left out: their images are built
with the stand-in's environments (tests/standin.py), passed to `docker build` as build contexts, which the
CLI has no way to take without editing the generated devcontainer.json.
"""

import itertools
import json
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from conftest import CHOICES, bake, compose_env, run
from facts import manager_suite

pytestmark = pytest.mark.docker

CLI_VERSION = "0.89.0"
VENV_MANAGERS = [m for m in CHOICES["package_manager"] if not manager_suite({"package_manager": m}).suite_standin]
CASES = [
    {"framework": framework, "package_manager": manager}
    for framework, manager in zip(CHOICES["framework"], itertools.cycle(VENV_MANAGERS), strict=False)
]
# Every other framework opened as a root host opens it: the workspace root's (issue 24, item 11: pytest could
# not write its cache there); the others as a user whose uid the CLI gives app (see the test).
ROOT_HOST = CASES[::2]


@pytest.fixture(scope="session")
def devcontainer_cli(tmp_path_factory, docker_engine) -> Path:
    """@devcontainers/cli, pinned, installed with npm into the session's own folder (nothing global)."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("no npm on PATH to install @devcontainers/cli")
    prefix = tmp_path_factory.mktemp("devcontainers-cli")
    run(npm, "install", "--no-audit", "--no-fund", "--prefix", prefix, f"@devcontainers/cli@{CLI_VERSION}")
    return prefix / "node_modules" / ".bin" / "devcontainer"


def cleanup(docker: str, project: Path, env: dict[str, str]) -> None:
    """Everything `devcontainer up` made for `project`: its compose project with its volumes, or its
    container, then the images the CLI and compose built (all named after the project's slug)."""
    if (project / "compose.yaml").exists():
        files = [arg for name in json.loads((project / ".devcontainer" / "devcontainer.json").read_text())[
            "dockerComposeFile"] for arg in ("--file", project / ".devcontainer" / name)]  # fmt: skip
        run(docker, "compose", *files, "--profile", "*", "down", "--volumes", "--remove-orphans", cwd=project, env=env,
            check=False)  # fmt: skip
    label = f"devcontainer.local_folder={project}"
    containers = run(docker, "ps", "--all", "--quiet", "--filter", f"label={label}").stdout.split()
    if containers:
        run(docker, "rm", "--force", "--volumes", *containers, check=False)
    images = run(docker, "images", "--format", "{{.Repository}}:{{.Tag}}").stdout.split()
    ours = [image for image in images if image.startswith((f"vsc-{project.name}-", f"{project.name}:"))]
    if ours:
        run(docker, "rmi", "--force", *ours, check=False)


@pytest.mark.parametrize("answers", CASES, ids=lambda a: f"{a['framework']}-{a['package_manager']}")
def test_devcontainer_up_then_make_test(devcontainer_cli, docker_engine, tmp_path, answers, cookies):
    # The project's slug names everything the CLI and compose create: the vsc-<folder>-... images, the
    # compose images (docker_image defaults to the slug) and the compose project.
    slug = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"
    project = bake(cookies, project_slug=slug, python_version=CHOICES["python_version"][0], **answers)
    env = {"COMPOSE_PROJECT_NAME": slug, "APP_PORT": "127.0.0.1:0"}
    if (project / "compose.yaml").exists():
        # The slug, not compose_env's own name, names the project and its images, which teardown removes.
        named = ("COMPOSE_PROJECT_NAME", "IMAGE")
        env |= {name: value for name, value in compose_env(project).items() if name not in named}
    # The CLI maps the container's user (app) to the host's uid, except for root, which it leaves alone. Run
    # as root, the suite opens some workspaces as root's, as a root host does, and hands the others to app's
    # uid, as a developer's own files would be to them once the CLI has mapped app to their uid.
    if os.getuid() == 0 and answers not in ROOT_HOST:
        subprocess.run(["chown", "-R", "10001:10001", str(project)], check=True)
    cli = [devcontainer_cli]
    try:
        up = run(*cli, "up", "--workspace-folder", project, env=env, check=False)
        outcome = json.loads(up.stdout.strip().splitlines()[-1])
        assert outcome["outcome"] == "success", up.stdout[-3000:] + up.stderr[-3000:]
        assert outcome["remoteUser"] == "app" and outcome["remoteWorkspaceFolder"] == "/app"
        tested = run(*cli, "exec", "--workspace-folder", project, "make", "test", env=env, check=False)
        assert tested.returncode == 0, tested.stdout[-4000:] + tested.stderr[-2000:]
        assert " passed" in tested.stdout
        # On a developer's machine the CLI gives app their uid with its own updateUID.Dockerfile: that
        # needs the home the development stage gives app (chown -R of it), so build it for uid 4242.
        container = outcome["containerId"]
        image = run(docker_engine, "inspect", "--format", "{{.Config.Image}}", container).stdout.strip()
        script = devcontainer_cli.resolve().parent / "scripts" / "updateUID.Dockerfile"
        mapped = f"{slug}:uid-check"
        args = {"BASE_IMAGE": image, "REMOTE_USER": "app", "NEW_UID": "4242", "NEW_GID": "4242", "IMAGE_USER": "app"}
        run(docker_engine, "build", "--quiet", "--file", script, "--tag", mapped,
            *[f"--build-arg={name}={value}" for name, value in args.items()], tmp_path)  # fmt: skip
        owner = run(docker_engine, "run", "--rm", "--user", "app", "--entrypoint", "sh", mapped, "-c",
                    'id -u; stat -c %u "$HOME"').stdout.split()  # fmt: skip
        assert owner == ["4242", "4242"]
        run(docker_engine, "image", "rm", mapped)
        # The README's way to stop and remove it (issue 24, item 11) leaves nothing of it.
        readme = (project / "README.md").read_text().split("To stop and remove it", 1)[1]
        run("sh", "-c", re.search(r"```sh\n(.*?)```", readme, re.DOTALL).group(1), cwd=project, env=env)
        labels = [f"devcontainer.local_folder={project}", f"com.docker.compose.project={slug}"]
        for label in labels:
            assert run(docker_engine, "ps", "--all", "--quiet", "--filter", f"label={label}").stdout == "", label
        if not (project / "compose.yaml").exists():
            assert run(docker_engine, "image", "ls", "--quiet", f"vsc-{project.name}-*").stdout == ""
    finally:
        cleanup(docker_engine, project, env)
