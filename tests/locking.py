"""A generated project's own `make lock`, run where its lockers can work: in the locker image
(tests/locker.Dockerfile), with the tools each package manager's facts pin."""

import hashlib
import subprocess
from pathlib import Path

from facts import ROOT, manager_facts, managers, suite_env

LOCKER = ROOT / "tests" / "locker.Dockerfile"


def locker_image(docker: str) -> str:
    """Build the locker image once per content (cached by its tag), with every manager's locking tools."""
    tools = sorted({tool for manager in managers() for tool in manager.locker_tools})
    digest = hashlib.sha256((LOCKER.read_text() + repr(tools)).encode()).hexdigest()[:12]
    tag = f"stagecraft-suite/locker:{digest}"
    if subprocess.run([docker, "image", "inspect", tag], capture_output=True).returncode != 0:
        subprocess.run([docker, "build", "--quiet", "--tag", tag, "--build-arg", f"TOOLS={' '.join(tools)}",
                        "-f", str(LOCKER), str(LOCKER.parent)], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    return tag


def lock_files(answers: dict[str, str]) -> list[str]:
    """What the project's `make lock` writes."""
    return manager_facts(answers).lock_files


def make_lock(docker: str, project: Path, flags: str = "") -> subprocess.CompletedProcess:
    """The project's `make lock`, with the locker's tools (VENV points pip projects at them)."""
    command = ["make", "-o", "install", "lock", "VENV=/opt/tools", f"LOCK_FLAGS={flags}"]
    env = [f"--env={name}={value}" for name, value in suite_env().items()]
    return subprocess.run(
        [docker, "run", "--rm", *env, "--volume", f"{project}:/project", locker_image(docker), *command],
        capture_output=True,
        text=True,
    )
