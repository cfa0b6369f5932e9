"""What every tier shares: the answer combinations (read from cookiecutter.json) and baking."""

import collections
import contextlib
import hashlib
import itertools
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
import traceback
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from _pytest.mark.expression import Expression  # how `-m` evaluates, to tell the fast tier apart
from cookiecutter.environment import StrictEnvironment
from facts import CONTEXT, ROOT, suite_env
from hypothesis import settings
from jinja2 import BytecodeCache

# Property tests try new examples on every local run, and the same ones on every CI run.
settings.register_profile("ci", derandomize=True, database=None)
settings.load_profile("ci" if os.environ.get("CI") else "default")


class Compiled(BytecodeCache):
    """Compiled templates, kept for the session: cookiecutter builds a new environment per bake and compiled
    every template again, about half of a bake's time. Jinja checks each one's source before reusing it."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


COMPILED = Compiled()
_strict_init = StrictEnvironment.__init__


def _strict_init_compiled_once(self, **kwargs):
    _strict_init(self, bytecode_cache=COMPILED, **kwargs)


StrictEnvironment.__init__ = _strict_init_compiled_once
# Templates made from strings, which the cache above never sees: cookiecutter renders every path in the
# template as a template of its own, compiled again per bake (a quarter of a bake's time in process). Kept by
# their source and what else shapes their code: the lexer (one object per syntax setting), the extensions.
# The least recently used go first: the output paths cookiecutter also renders are new in every bake.
_compile = StrictEnvironment.compile
STRINGS: collections.OrderedDict[tuple, object] = collections.OrderedDict()


def _compile_strings_once(self, source, name=None, filename=None, raw=False, defer_init=False):
    if name is not None or filename is not None or raw or defer_init or not isinstance(source, str):
        return _compile(self, source, name, filename, raw, defer_init)
    key = (source, self.lexer, tuple(self.extensions), self.optimized, self.autoescape, self.is_async, self.finalize)
    if key in STRINGS:
        STRINGS.move_to_end(key)
    else:
        STRINGS[key] = _compile(self, source)
        if len(STRINGS) > 4096:
            STRINGS.popitem(last=False)
    return STRINGS[key]


StrictEnvironment.compile = _compile_strings_once
# Every command the suite runs (make install, the managers' exports) resolves as on the suite's machines.
os.environ.update(suite_env())
# Every question with a fixed list of answers, in cookiecutter.json's order.
CHOICES = {key: value for key, value in CONTEXT.items() if isinstance(value, list) and not key.startswith("_")}
# The answers that shape a project most are baked in every combination; each other choice cycles through
# its values along them, so every value still meets every framework and every package manager (test_bake
# checks that) while the number of bakes grows with these three alone.
FULL_PRODUCT = ("framework", "package_manager", "python_version")


def _covering() -> list[dict[str, str]]:
    combos = []
    for index, values in enumerate(itertools.product(*(CHOICES[key] for key in FULL_PRODUCT))):
        chosen = dict(zip(FULL_PRODUCT, values, strict=True))
        combos.append({key: chosen.get(key) or CHOICES[key][index % len(CHOICES[key])] for key in CHOICES})
    return combos


COMBINATIONS = _covering()
# The Python the host runs; other versions are exercised inside Docker.
HOST_PYTHON = "3.11"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """What tests record as their "summary" property (the property test's counts), at the end of the run; and
    what the run left in the Docker engine (pytest_sessionfinish), which fails it."""
    lines = [value for report in terminalreporter.getreports("passed") + terminalreporter.getreports("failed")
             for name, value in report.user_properties if name == "summary"]  # fmt: skip
    for line in lines:
        terminalreporter.write_line(line)
    left = terminalreporter.config.stash.get(LEFT, [])
    if left:
        terminalreporter.write_sep("=", f"FAILED: the run left {len(left)} Docker object(s) behind", red=True)
        for line in left:
            terminalreporter.write_line(line)


def combo_id(combo: dict[str, str]) -> str:
    return "-".join(combo.values())


def pairs() -> list[dict[str, str]]:
    """One answer set per framework x package manager, on the host's Python."""
    return [
        {"framework": framework, "package_manager": manager, "python_version": HOST_PYTHON}
        for framework, manager in itertools.product(CHOICES["framework"], CHOICES["package_manager"])
    ]


def bake(cookies, **answers: str) -> Path:
    """Generate a project with the defaults plus `answers`, through pytest-cookies' `cookies` or
    `cookies_session` fixture (each bake in a folder of its own); returns the project directory."""
    result = cookies.bake(extra_context=answers, template=str(ROOT))
    if result.exception is not None:  # pytest-cookies keeps the exception; its traceback says where
        raise AssertionError(f"baking {answers} failed:\n{''.join(traceback.format_exception(result.exception))}")
    return result.project_path


def run(*command: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None, check: bool = True):
    """Run a command, capturing its output; on failure the output is in the assertion message."""
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )
    if check:
        succeeded(result)
    return result


def succeeded(result: subprocess.CompletedProcess) -> None:
    """Fails with the command and its output unless it exited 0."""
    shown = " ".join(map(str, result.args))
    assert result.returncode == 0, f"{shown} exited {result.returncode}\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="session")
def ran(tmp_path_factory) -> Path:
    """Where run_once keeps what it ran: one folder for the whole run, which xdist's workers share (each
    worker's temporary folder is inside the run's)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if "PYTEST_XDIST_WORKER" in os.environ else base) / "ran"
    folder.mkdir(exist_ok=True)
    return folder


def run_once(ran: Path, project: Path, names: Iterable[str], *command: str) -> str:
    """`run(*command, cwd=project)`'s output, run only the first time in the run that it reads these files
    (`names`, in the project) with this content, on any worker: many combinations ship the same files byte for
    byte, and checking one content twice proves nothing more. `ran` is the fixture. A command that fails is
    not recorded, so every combination with that content fails."""
    digest = hashlib.sha256(json.dumps(command).encode())
    for name in sorted(names):
        digest.update(f"\0{name}\0".encode() + (project / name).read_bytes())
    record = ran / digest.hexdigest()
    if not record.exists():
        partial = record.with_name(f"{record.name}.{os.getpid()}")  # another worker may be writing it too
        partial.write_text(run(*command, cwd=project).stdout)
        partial.replace(record)
    return record.read_text()


def compose_env(project: Path) -> dict[str, str]:
    """Environment for running a project's compose file: its own project name, which also names the images
    it builds (`<name>-<service>` and, through IMAGE, `<name>:<tag>`, never the project's own image name),
    and a random value for every variable the file requires (`${NAME:?message}`), as a deployment would
    supply. Remove what it made with compose_down."""
    required = re.findall(r"\$\{(\w+):\?", (project / "compose.yaml").read_text())
    unique = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"
    return {"COMPOSE_PROJECT_NAME": unique, "IMAGE": unique} | {name: secrets.token_urlsafe(50) for name in required}


def compose_down(docker: str, project: Path, env: dict[str, str], *files: str) -> None:
    """Stop and remove a compose project started with compose_env's env: its containers, networks and
    volumes, every profile's, and every image it tagged."""
    run(docker, "compose", *files, "--profile", "*", "down", "--volumes", "--remove-orphans", cwd=project, env=env,
        check=False)  # fmt: skip
    name = env["COMPOSE_PROJECT_NAME"]
    tags = run(docker, "image", "ls", "--format", "{{.Repository}}:{{.Tag}}").stdout.split()
    built = [tag for tag in tags if tag.rsplit(":", 1)[0] == name or tag.startswith(f"{name}-")]
    if built:
        run(docker, "image", "rm", "--force", *built, check=False)


class Bakes(dict):
    """Projects of the answer sets in `answers` (COMBINATIONS by combo_id unless given), each baked the first time
    a test asks for it."""

    def __init__(self, cookies, answers: dict[str, dict[str, str]] | None = None):
        super().__init__()
        self.cookies, self.answers = cookies, BY_ID if answers is None else answers

    def __missing__(self, key: str) -> Path:
        self[key] = bake(self.cookies, **self.answers[key])
        return self[key]


BY_ID = {combo_id(combo): combo for combo in COMBINATIONS}
# The longest names the answers take (stagecraft_answers/rules.py; test_bake.py checks they are exactly that):
# a package name of 40 characters and a slug of 63, which the docker_image follows. Every line that names them
# must still fit, as the project's lint lays it out.
LONGEST_NAMES = {
    "project_name": "Customer Account Reconciliation Platform",
    "project_slug": "customer-account-reconciliation-platform-for-the-finance-office",
    "package_name": "customer_account_reconciliation_platform",
}
# Each framework with the longest names, with the Helm chart (whose names have limits of their own), the
# package managers cycling along.
LONGEST = {
    framework: LONGEST_NAMES
    | {"framework": framework, "deploy": "kubernetes"}
    | {"package_manager": CHOICES["package_manager"][index % len(CHOICES["package_manager"])]}
    for index, framework in enumerate(CHOICES["framework"])
}


@pytest.fixture(scope="session")
def baked(cookies_session) -> dict[str, Path]:
    """Every combination in COMBINATIONS, baked once for the whole session (when a test first asks for it),
    by combo_id. Under xdist, pytest_collection_modifyitems keeps a combination's tests on one worker."""
    return Bakes(cookies_session)


@pytest.fixture(scope="session")
def longest(cookies_session) -> dict[str, Path]:
    """Each framework's project with the longest names (LONGEST), by framework, baked when a test first asks."""
    return Bakes(cookies_session, LONGEST)


def on_the_longest_names_worker(framework: str):
    """A test parameter for the framework, whose tests share one xdist worker: its LONGEST project is baked once."""
    return pytest.param(framework, marks=pytest.mark.xdist_group(f"longest-{framework}"))


# Where the fast tier bakes when nothing else is asked: in memory. Its hundreds of bakes and cruft's clones
# each write and delete a few hundred small files, which on this machine's disk took a large share of the
# tier's time. The project and Docker tiers keep the disk: their environments are gigabytes.
MEMORY = Path("/dev/shm")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    markexpr = config.getoption("markexpr")
    worker = hasattr(config, "workerinput")  # xdist's workers inherit both settings from the controller
    if worker or not markexpr or config.option.basetemp or not os.access(MEMORY, os.W_OK):
        return
    selects = Expression.compile(markexpr).evaluate
    if not selects(lambda name, **_: name == "docker") and not selects(lambda name, **_: name == "project"):
        # One folder per clone: pytest empties it at the start of a run, which must not be another clone's.
        name = f"stagecraft-fast-tier-{os.getuid()}-{hashlib.sha256(bytes(ROOT)).hexdigest()[:8]}"
        config.option.basetemp = str(MEMORY / name)
        # cruft's and the tools' own temporary files (the template's clones under `cruft update`, cookiecutter's
        # hook scripts, which it never deletes) too, emptied at the start of each run as pytest does the other.
        scratch = MEMORY / f"{name}-tmp"
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        os.environ["TMPDIR"] = str(scratch)
        tempfile.tempdir = None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test parametrized by a combination joins that combination's xdist group: with `-n` and the
    `--dist loadgroup` of pyproject.toml's addopts, a worker takes all of a combination's tests, so each
    combination is baked once in a run, by the worker that needs it (each worker used to bake all of
    them). Runs before xdist's own hook, which reads the groups; without `-n` the marks change nothing."""
    for item in items:
        combo = getattr(item, "callspec", None) and item.callspec.params.get("combo")
        if combo in COMBINATIONS:
            item.add_marker(pytest.mark.xdist_group(combo_id(combo)))


@pytest.fixture(scope="session")
def docker_engine(request) -> str:
    """The docker CLI, once an engine answers; otherwise skip, or fail when REQUIRE_DOCKER=1."""
    docker = shutil.which("docker")
    reason = "no docker CLI on PATH" if docker is None else None
    if docker:
        info = subprocess.run([docker, "info", "--format", "{{.ServerVersion}}"], capture_output=True, text=True)
        if info.returncode != 0:
            reason = f"no Docker engine answers ({(info.stderr.strip() or 'docker info failed').splitlines()[-1]})"
    if reason:
        if os.environ.get("REQUIRE_DOCKER") == "1":
            pytest.fail(f"REQUIRE_DOCKER=1 but {reason}")
        pytest.skip(f"{reason}: start one with ../shared/offline-images/build-base-images")
    request.config.stash[USED_DOCKER] = True
    return docker


class Production:
    """A baked project and its production image, built with the stand-in's environments where its manager
    needs them (`environments`, else None). Owned by the session's production_images; never remove it."""

    def __init__(self, docker: str, project: Path, answers: dict[str, str], tag: str, environments):
        self.docker, self.project, self.answers, self.tag = docker, project, answers, tag
        self.environments = environments


class ProductionImages:
    """Each distinct production image the Docker tier needs, baked and built on first use and kept for the
    session: test_docker, test_ops, the data-science, FastAPI and Django tests all start the same images,
    and a production build (a cold dependency install for some) is the tier's largest cost."""

    def __init__(self, docker: str, cookies):
        self.docker, self.cookies, self.built = docker, cookies, {}
        # What remove() takes: every tag and stand-in environment made, a failed build's too.
        self.made: list[tuple[str, object]] = []
        # One repository, a tag per answer set: the leftover check sees anything not removed.
        self.repository = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"

    def __call__(self, answers: dict[str, str]) -> Production:
        # A test that leaves out an answer gets its default; any answer given beyond those is part of the key.
        answers = {key: CHOICES[key][0] for key in FULL_PRODUCT} | answers
        key = tuple(sorted(answers.items()))
        if key not in self.built:
            self.built[key] = self._build(answers)
        return self.built[key]

    def _build(self, answers: dict[str, str]) -> Production:
        # standin imports this module's run(): importing it at the top would be circular.
        from standin import Environments, uses_standin

        project = bake(self.cookies, **answers)
        tag = f"{self.repository}:{combo_id(answers)}"
        environments = Environments(self.docker, project) if uses_standin(answers) else None
        self.made.append((tag, environments))
        run(self.docker, "buildx", "build", "--quiet", "--load", "--tag", tag,
            *(environments.build_args() if environments else []), ".", cwd=project)  # fmt: skip
        return Production(self.docker, project, answers, tag, environments)

    def remove(self) -> None:
        if self.made:
            run(self.docker, "image", "rm", "--force", *[tag for tag, _ in self.made], check=False)
        for _, environments in self.made:
            if environments:
                environments.remove()


@pytest.fixture(scope="session")
def production_images(docker_engine, cookies_session) -> Iterator[ProductionImages]:
    """production_images(answers): the production image for those answers, built once per session."""
    images = ProductionImages(docker_engine, cookies_session)
    try:
        yield images
    finally:
        images.remove()


# What a run may leave in the engine, by kind: the command listing it, one line per object. An image counts by
# its tags, each with the image it names, so a tag moved to another image (`my-service:dev` rebuilt) counts as
# left behind too; untagged images (build layers, an image whose tag moved) are the build cache's, not counted.
DOCKER_OBJECTS = {
    "image": ["image", "ls", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}", "--filter", "dangling=false"],
    "container": ["container", "ls", "--all", "--format", "{{.Names}} {{.ID}}"],
    "volume": ["volume", "ls", "--format", "{{.Name}}"],
    "network": ["network", "ls", "--format", "{{.Name}} {{.ID}}"],
}
# What the suite keeps on purpose: the locker (tests/locking.py, one image per content of its Dockerfile),
# the conda stand-in's toolkit, which conda-standin builds once per machine like the base images, and
# scripts/ci-local's images, its stand-ins for the Docker jobs' images (built once per machine, under the
# upstream names) and the registry it keeps running between calls (its container, volume, network).
KEPT = re.compile(
    r"(stagecraft-suite/locker|stagecraft-(standin|ci-local)/[\w-]+):\S+ "
    r"|(docker:\d+(-dind)?|moby/buildkit:buildx-stable-1) "
    r"|stagecraft-ci-local(-registry)?( |$)"
)
USED_DOCKER = pytest.StashKey[bool]()
BEFORE = pytest.StashKey[dict[str, set[str]]]()
LEFT = pytest.StashKey[list[str]]()


def docker_objects() -> dict[str, set[str]] | None:
    """Every object DOCKER_OBJECTS lists, by kind; None when no engine answers."""
    docker, found = shutil.which("docker"), {}
    for kind, command in DOCKER_OBJECTS.items():
        try:
            listed = subprocess.run([docker, *command], capture_output=True, text=True, timeout=60) if docker else None
        except subprocess.TimeoutExpired:
            return None
        if listed is None or listed.returncode != 0:
            return None
        found[kind] = {line for line in listed.stdout.splitlines() if not line.endswith(("<none>", " "))}
    return found


def pytest_sessionstart(session: pytest.Session) -> None:
    """What the engine holds before any test runs (in the controller under xdist, before its workers start)."""
    if not hasattr(session.config, "workerinput") and (before := docker_objects()) is not None:
        session.config.stash[BEFORE] = before


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """An xdist worker's report that its tests used the engine (see pytest_sessionfinish)."""
    if getattr(node, "workeroutput", {}).get("used_docker"):
        node.config.stash[USED_DOCKER] = True


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A run whose tests used Docker fails if the engine holds an object (or a tag on an image) it did not
    hold when the run started, once every fixture has been torn down; the run's other results stand."""
    config = session.config
    if hasattr(config, "workerinput"):
        config.workeroutput["used_docker"] = config.stash.get(USED_DOCKER, False)
        return
    before = config.stash.get(BEFORE, None)
    if before is None or not config.stash.get(USED_DOCKER, False) or (after := docker_objects()) is None:
        return
    left = sorted(
        f"{kind} {line}" for kind in DOCKER_OBJECTS for line in after[kind] - before[kind] if not KEPT.match(line)
    )
    if left:
        config.stash[LEFT] = left
        session.exitstatus = max(session.exitstatus, pytest.ExitCode.TESTS_FAILED)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# Bound for waiting on state changes; callers poll and move on as soon as they see them.
WITHIN = 60


def inspect(docker: str, name: str, template: str) -> str:
    return run(docker, "inspect", "--format", template, name).stdout.strip()


def logs(docker: str, name: str) -> str:
    """A container's output, both streams (gunicorn logs to stderr, the minimal worker to stdout)."""
    ran = run(docker, "logs", name)
    return ran.stdout + ran.stderr


def wait_until_healthy(docker: str, name: str) -> str:
    """The container's health once it is no longer starting, or after WITHIN seconds."""
    deadline = time.monotonic() + WITHIN
    status = "starting"
    while status == "starting" and time.monotonic() < deadline:
        time.sleep(0.5)
        status = inspect(docker, name, "{{.State.Health.Status}}")
    return status


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects: status, headers and the raw body."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for_status(url: str, status: int, **headers: str) -> int | None:
    """Poll GET url until it answers `status` or WITHIN seconds pass; the last status seen (None: no answer)."""
    deadline, seen = time.monotonic() + WITHIN, None
    while time.monotonic() < deadline:
        try:
            seen = fetch(url, **headers)[0]
        except (urllib.error.URLError, ConnectionError):
            seen = None
        if seen == status:
            break
        time.sleep(0.5)
    return seen


def request_json(method: str, url: str, body: object = None, **headers: str) -> tuple[int, object]:
    """An HTTP request with a JSON body (if any): the status and the decoded JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or "null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or "null")


class Stack:
    """A generated project's compose stack, published on a free local port, driven over HTTP."""

    def __init__(self, docker: str, project):
        self.docker, self.project = docker, project
        self.env = compose_env(project) | {"APP_PORT": "127.0.0.1:0"}

    def compose(self, *args: str, check: bool = True):
        return run(self.docker, "compose", *args, cwd=self.project, env=self.env, check=check)

    def url(self, path: str) -> str:
        return f"http://{self.compose('port', 'app', '8000').stdout.strip()}{path}"

    def fetch(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        return fetch(self.url(path), **headers)

    def request(self, method: str, path: str, body: object = None) -> tuple[int, object]:
        return request_json(method, self.url(path), body)

    def container(self, service: str) -> str:
        return self.compose("ps", "--all", "--quiet", service).stdout.strip()

    def inspect(self, service: str, template: str) -> str:
        return run(self.docker, "inspect", "--format", template, self.container(service)).stdout.strip()

    def wait_for(self, path: str, status: int) -> int | None:
        return wait_for_status(self.url(path), status)


@contextlib.contextmanager
def running_stack(built: Production, **env: str) -> Iterator[Stack]:
    """A project's compose stack on its session-wide production image, up and healthy, removed afterwards
    (the image stays: production_images removes it). env: more of compose.yaml's variables (APP_CPUS, say)."""
    stack = Stack(built.docker, built.project)
    # compose.yaml names the app's image ${IMAGE}:${TAG}; as it exists, `up` starts it without building.
    stack.env |= dict(zip(("IMAGE", "TAG"), built.tag.rsplit(":", 1), strict=True)) | env
    stack.compose("up", "--wait")
    try:
        yield stack
    finally:
        compose_down(built.docker, stack.project, stack.env)
