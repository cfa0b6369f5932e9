"""A generated project's own `make lock`, run where its lockers can work: in the locker image
(tests/locker.Dockerfile), with the uv version this suite pins."""

import hashlib
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCKER = ROOT / "tests" / "locker.Dockerfile"


def pinned(name: str) -> str:
    found = re.search(rf"^{name}==(\S+)", (ROOT / "tests" / "requirements.txt").read_text(), re.MULTILINE)
    assert found, f"{name} is not pinned in tests/requirements.txt"
    return found.group(1)


def locker_image(docker: str) -> str:
    """Build the locker image once per content (cached by its tag)."""
    versions = {"UV_VERSION": pinned("uv")}
    digest = hashlib.sha256((LOCKER.read_text() + repr(sorted(versions.items()))).encode()).hexdigest()[:12]
    tag = f"stagecraft-suite/locker:{digest}"
    if subprocess.run([docker, "image", "inspect", tag], capture_output=True).returncode != 0:
        args = [arg for key, value in versions.items() for arg in ("--build-arg", f"{key}={value}")]
        subprocess.run([docker, "build", "--quiet", "--tag", tag, *args, "-f", str(LOCKER), str(LOCKER.parent)],
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    return tag


def lock_files(project: Path) -> list[str]:
    """What a project's `make lock` writes: a requirements/*.txt per .in file (pip), or uv.lock."""
    return [f"requirements/{path.stem}.txt" for path in sorted(project.glob("requirements/*.in"))] or ["uv.lock"]


def make_lock(docker: str, project: Path, flags: str = "") -> subprocess.CompletedProcess:
    """The project's `make lock`, with the locker's uv (VENV points pip projects at it)."""
    command = ["make", "-o", "install", "lock", "VENV=/opt/tools", f"LOCK_FLAGS={flags}"]
    return subprocess.run(
        [docker, "run", "--rm", "--volume", f"{project}:/project", locker_image(docker), *command],
        capture_output=True,
        text=True,
    )
