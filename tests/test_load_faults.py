"""Docker tier: the generated services under sustained load (tests/load.py) and faults.

- gunicorn's workers follow the container's CPU quota (`docker run --cpus`), the CPUs it may run on
  (`--cpuset-cpus`) without one, and WEB_CONCURRENCY over both: on one framework's image, as the reading is the
  shared templates/server/gunicorn.conf.py (the fast tier, test_workers.py, runs it on cgroup v1 and v2 layouts);
- each web framework's production service on one CPU, under the memory limit its README budgets for its workers
  (framework.jinja's memory), serves a few seconds of load with no OOM kill, no worker replaced and no failure;
- then SIGTERM under load (`docker stop`): /ready turns 503 while /health and ordinary requests are still
  served, no request that started before the signal fails, and the container exits 0, before Docker's stop
  timeout would have killed it.

The frameworks without a database run as a plain `docker run` with .env.example's settings, those with one in
their compose stack next to its Postgres (APP_CPUS and APP_MEMORY set the limits there). The memory test runs
before the SIGTERM test on the same container, which the SIGTERM test stops.
"""

import re
import subprocess
import time
import urllib.error
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CHOICES, WITHIN, fetch, inspect, logs, run, running_stack, wait_until_healthy
from facts import framework_facts, framework_suite
from load import Load, Outcome, summary
from test_workers import workers_per_cpu

pytestmark = pytest.mark.docker

# The frameworks that serve HTTP (their probes are on a port), each on an xdist worker of its own.
SERVERS = [name for name in CHOICES["framework"] if framework_facts({"framework": name}).probes]
# The framework whose image shows the workers following the quota: the first that needs no database.
QUOTA_FRAMEWORK = next(name for name in SERVERS if not framework_facts({"framework": name}).postgres)
# The CPUs the services run on under load: the default of compose.yaml's APP_CPUS and the chart's CPU limit.
CPUS = 1
# Concurrent clients, and how many requests make "a few seconds" of load on this suite's machines.
THREADS, REQUESTS = 4, 400
# gunicorn's workers: the processes whose parent is its master, PID 1 in the container.
WORKERS = (
    "import glob; print(*[f.split('/')[2] for f in glob.glob('/proc/[0-9]*/stat')"
    " if open(f).read().rsplit(')', 1)[1].split()[1] == '1'])"
)
# The container's memory cgroup: its peak use in bytes and its OOM kills, from cgroup v2's files, else v1's.
MEMORY = (
    "import os; v2 = os.path.exists('/sys/fs/cgroup/memory.events'); m = '/sys/fs/cgroup/' + ('' if v2 else 'memory/')"
    "; peak = open(m + ('memory.peak' if v2 else 'memory.max_usage_in_bytes')).read()"
    "; events = dict(line.split() for line in open(m + ('memory.events' if v2 else 'memory.oom_control')))"
    "; print(int(peak), events['oom_kill'])"
)


def worker_processes(docker: str, container: str) -> list[str]:
    """The pids of gunicorn's workers in a running container."""
    return run(docker, "exec", container, "python", "-c", WORKERS).stdout.split()


def settings(path: Path) -> dict[str, str]:
    """The settings an .env file sets."""
    return dict(re.findall(r"^([A-Za-z_]\w*)=(.*)$", path.read_text(), re.MULTILINE))


def started_container(docker: str, tag: str, project: Path, *flags: str) -> str:
    """A production container as deployed (read-only root, tmpfs /tmp, port 8000 published on a free local
    port), with .env.example's settings and `flags`; its name, for the caller to remove."""
    name = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"
    env = [f"--env={key}={value}" for key, value in settings(project / ".env.example").items()]
    run(docker, "run", "--detach", "--name", name, "--read-only", "--tmpfs", "/tmp", "--publish", "127.0.0.1::8000",
        *flags, *env, tag)  # fmt: skip
    return name


@pytest.fixture(scope="module")
def quota_image(production_images):
    return production_images({"framework": QUOTA_FRAMEWORK})


def test_workers_follow_the_cpu_quota(quota_image):
    docker, per_cpu = quota_image.docker, workers_per_cpu(quota_image.project)
    host = int(run(docker, "info", "--format", "{{.NCPU}}").stdout)
    # The flags a container runs with, and the CPUs it may then use: its quota rounded up, at most the host's.
    runs = {
        ("--cpus", "1"): 1,
        ("--cpus", "1.5"): min(2, host),
        ("--cpus", str(host)): host,
        ("--cpuset-cpus", "0"): 1,
    }
    wanted = {flags: per_cpu * cpus for flags, cpus in runs.items()}
    wanted[("--cpus", "1", "--env", "WEB_CONCURRENCY=3")] = 3  # the setting wins
    started = {}
    try:
        for flags in wanted:
            started[flags] = started_container(docker, quota_image.tag, quota_image.project, *flags)
        seen = {}
        for flags, name in started.items():
            assert wait_until_healthy(docker, name) == "healthy", logs(docker, name)
            # The master forks them all at once; the count settles within a second of the first one serving.
            deadline = time.monotonic() + 10
            while len(worker_processes(docker, name)) != wanted[flags] and time.monotonic() < deadline:
                time.sleep(0.5)
            seen[flags] = len(worker_processes(docker, name))
        assert seen == wanted, f"{per_cpu} workers per CPU, {host} CPUs on the host"
    finally:
        for name in started.values():
            run(docker, "rm", "--force", name, check=False)


@dataclass
class Service:
    """A framework's production service, running on CPUS CPUs under its README's memory budget."""

    docker: str
    framework: str
    container: str
    port: int
    limit_mib: int

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def load(self, threads: int = THREADS) -> Load:
        method, path, body = framework_suite({"framework": self.framework}).busy
        return Load("127.0.0.1", self.port, lambda _: (method, path, body), threads=threads)

    def status(self, path: str) -> int | None:
        try:
            return fetch(self.url(path))[0]
        except (urllib.error.URLError, ConnectionError):
            return None


@pytest.fixture(scope="module", params=[pytest.param(name, marks=pytest.mark.xdist_group(f"load-{name}"))
                                        for name in SERVERS])  # fmt: skip
def service(request, production_images) -> Iterator[Service]:
    built = production_images({"framework": request.param})
    docker, facts = built.docker, framework_facts(built.answers)
    limit = facts.memory["master"] + workers_per_cpu(built.project) * CPUS * facts.memory["worker"]
    if facts.postgres:
        with running_stack(built, APP_CPUS=str(CPUS), APP_MEMORY=f"{limit}M") as stack:
            port = int(stack.url("").rsplit(":", 1)[1])
            yield Service(docker, request.param, stack.container("app"), port, limit)
        return
    name = started_container(docker, built.tag, built.project, "--cpus", str(CPUS), "--memory", f"{limit}m",
                             "--memory-swap", f"{limit}m")  # fmt: skip
    try:
        assert wait_until_healthy(docker, name) == "healthy", logs(docker, name)
        port = int(run(docker, "port", name, "8000/tcp").stdout.split()[0].rsplit(":", 1)[1])
        yield Service(docker, request.param, name, port, limit)
    finally:
        run(docker, "rm", "--force", name, check=False)


def test_the_memory_budget_holds_under_load(service, record_property):
    docker, container = service.docker, service.container
    assert inspect(docker, container, "{{.State.Status}}") == "running", "the SIGTERM test ran first and stopped it"
    assert int(inspect(docker, container, "{{.HostConfig.Memory}}")) == service.limit_mib * 2**20
    workers = worker_processes(docker, container)
    with service.load() as load:
        load.wait_for(REQUESTS)
    peak, oom_kills = run(docker, "exec", container, "python", "-c", MEMORY).stdout.split()
    record_property("summary", f"{service.framework}: {len(workers)} worker(s), memory peak "
                    f"{int(peak) / 2**20:.0f} MiB of {service.limit_mib} MiB under load")  # fmt: skip
    assert [outcome for outcome in load.outcomes if not outcome.ok] == [], summary(load.outcomes)
    assert oom_kills == "0"
    assert inspect(docker, container, "{{.State.OOMKilled}} {{.RestartCount}}") == "false 0"
    # A worker the kernel killed would have been replaced by one with another pid.
    assert worker_processes(docker, container) == workers
    assert "Perhaps out of memory" not in logs(docker, container)


def test_sigterm_under_load_drains_then_stops_without_failing_a_request(service):
    docker, container = service.docker, service.container
    with service.load() as load:
        load.wait_for(REQUESTS // 2)
        signalled = time.monotonic()
        # Docker's default stop timeout: SIGTERM, then SIGKILL (exit code 137) if it is still running after 10 s.
        stopping = subprocess.Popen([docker, "stop", container], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline, ready = time.monotonic() + WITHIN, service.status("/ready")
        while ready != 503 and stopping.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
            ready = service.status("/ready")
        # Seen draining: the probe that keeps it alive and an ordinary request still answer.
        draining = (ready, service.status("/health"), load.send(*load.plan(0)).status)
        assert stopping.wait(timeout=WITHIN) == 0, stopping.stderr.read()
    before: list[Outcome] = [outcome for outcome in load.outcomes if outcome.started < signalled]
    after = [outcome for outcome in load.outcomes if outcome.started >= signalled]
    assert draining == (503, 200, 200)
    assert [outcome for outcome in before if not outcome.ok] == [], summary(before)
    assert [outcome for outcome in after if outcome.ok], f"nothing served after SIGTERM: {summary(after)}"
    assert inspect(docker, container, "{{.State.ExitCode}} {{.State.OOMKilled}}") == "0 false", logs(docker, container)
    assert framework_suite({"framework": service.framework}).stopped in logs(docker, container)
