"""Docker tier: the README's set-up commands work from a fresh clone on a fresh Debian with only python3 and git.

The machine is a debian:trixie-slim container given what a new Debian or Ubuntu machine has (python3 and
git from Debian's archive, ca-certificates), with Debian's python3 as it comes: no pip, no venv module. The
README's commands are read from README.md and run as written, in a clone of this working tree.
"""

import json
import re
import shutil
import uuid
from pathlib import Path

import pytest
from conftest import ROOT, bake, run

pytestmark = pytest.mark.docker

BASE = "debian:trixie-slim"
HOME = Path("/root")
CLONE = HOME / "stagecraft"
# This machine reaches PyPI through a proxy of its own: the container trusts its CA as the host does. A
# machine without one needs neither; the scripts under test know nothing of it.
HOST_CAS = sorted(Path("/usr/local/share/ca-certificates").glob("*.crt"))
TRUST = {"SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt"} if HOST_CAS else {}


def readme_setup() -> list[str]:
    """The commands of README.md's "Set up" block, in order (comments left out)."""
    text = (ROOT / "README.md").read_text()
    block = re.search(r"^## Set up\n.*?^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL).group(1)
    return [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]


class Machine:
    def __init__(self, docker: str, name: str):
        self.docker, self.name = docker, name

    def sh(self, script: str, cwd: Path = HOME, check: bool = True):
        env = [f"--env={key}={value}" for key, value in TRUST.items()]
        return run(self.docker, "exec", *env, "--workdir", cwd, self.name, "sh", "-c", script, check=check)


def clone_of_working_tree(destination: Path) -> Path:
    """A git repository holding this working tree's files (tracked and new, as git sees them), committed."""
    files = run("git", "ls-files", "--cached", "--others", "--exclude-standard", cwd=ROOT).stdout.splitlines()
    for name in files:
        if (ROOT / name).is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, destination / name)
    identity = ["-c", "user.name=Suite", "-c", "user.email=suite@example.com"]
    run("git", "init", "--quiet", cwd=destination)
    run("git", "add", "-A", cwd=destination)
    run("git", *identity, "commit", "--quiet", "--message", "working tree", cwd=destination)
    return destination


@pytest.fixture(scope="module")
def machine(docker_engine, tmp_path_factory):
    name = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"
    run(docker_engine, "run", "--detach", "--name", name, BASE, "sleep", "infinity")
    try:
        fresh = Machine(docker_engine, name)
        fresh.sh("apt-get update -qq && apt-get install -qq -y python3 git ca-certificates")
        for certificate in HOST_CAS:
            run(docker_engine, "cp", certificate, f"{name}:/usr/local/share/ca-certificates/")
        if HOST_CAS:
            fresh.sh("update-ca-certificates")
        clone = clone_of_working_tree(tmp_path_factory.mktemp("clone") / "stagecraft")
        run(docker_engine, "cp", clone, f"{name}:{CLONE}")
        yield fresh
    finally:
        run(docker_engine, "rm", "--force", "--volumes", name, check=False)


def test_debians_python_has_neither_pip_nor_venv(machine):
    """Why the README cannot say `python3 -m pip install uv`, nor scripts/test use `python3 -m venv`."""
    assert "No module named pip" in machine.sh("python3 -m pip install uv", check=False).stderr
    assert re.search(r"ensurepip is not\s+available", machine.sh("python3 -m venv /tmp/venv", check=False).stdout)


def test_the_first_command_generates_a_service(machine, cookies):
    """The defaults, next to the clone: the files the suite's own bake of them gives, code that compiles on
    Debian's Python, and cruft's record of the clone and its commit."""
    baked = bake(cookies)
    generated = machine.sh(readme_setup()[0], cwd=CLONE)
    record = json.loads(machine.sh(f"cat {baked.name}/.cruft.json").stdout)
    assert record["template"] == str(CLONE), generated.stderr
    assert record["commit"] == machine.sh("git rev-parse HEAD", cwd=CLONE).stdout.strip()
    made = machine.sh(f"cd {baked.name} && find . -type f ! -name .cruft.json").stdout.split()
    expected = [f"./{path.relative_to(baked).as_posix()}" for path in baked.rglob("*") if path.is_file()]
    assert sorted(made) == sorted(expected)
    machine.sh(f"python3 -m compileall -q {baked.name}")


def test_the_second_command_installs_the_suite(machine):
    second = readme_setup()[1]
    collected = machine.sh(f"{second} --collect-only -q tests/test_repo.py", cwd=CLONE).stdout
    assert re.search(r"^\d+ tests? collected", collected, re.MULTILINE), collected
