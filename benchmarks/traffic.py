"""The load part of the benchmark: each web preset's production image, and the references, under wrk.

Every image is started under each CPU limit with the settings it needs to run (its framework's `start_env`
suite facts; a framework on Postgres runs in its own compose stack, with a real database and migrations),
then wrk sends the framework's `load` request (suite facts again) from one thread over a fixed number of
connections: a warm-up, then a measured run. See benchmarks/README.md for what each figure means and why.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import shutil
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from engine import ENV, RUN_ID, TAG_PREFIX, BenchError, docker, log, seconds_to_healthy

MB = 1_000_000
# Compose's own limit for the app (APP_MEMORY's default), given to the images run alone too, so all are alike.
MEMORY_LIMIT = "512m"
# After healthy, before the at-rest sample: gunicorn reports healthy once one worker answers; the others
# are still importing the app.
SETTLE_S = 1.0
SAMPLE_EVERY_S = 0.2
WRK_TIMEOUT = "5s"
INSTALL_WRK = "wrk not found: install it (Debian/Ubuntu: apt-get install wrk; macOS: brew install wrk)"
FIGURES = ("rps", "p50_ms", "p95_ms", "p99_ms", "errors", "rss_idle_mb", "rss_mb", "start_to_healthy_s", "workers")

# wrk's Lua: the request, and one JSON line at the end with exact percentiles of the measured run and every
# kind of error (status: answers with a status of 400 or more).
WRK_SCRIPT = """\
wrk.method = "{method}"
{body}{headers}
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {{"duration_us": %d, "requests": %d, "connect": %d, "read": %d, "write": %d, "status": %d, '
    .. '"timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d}}\\n',
    summary.duration, summary.requests, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""
ERROR_KINDS = ("connect", "read", "write", "status", "timeout")


@dataclass(frozen=True)
class Setting:
    """Worker settings given to gunicorn through GUNICORN_CMD_ARGS, which override gunicorn.conf.py."""

    label: str
    per_cpu: int  # workers per CPU of the limit
    args: str = ""
    # Whether the workers keep connections open between requests (sync workers close each one after its
    # answer), so whether a client that closes every connection is worth measuring too.
    keeps_alive: bool = True

    def env(self, cpus: int) -> dict[str, str]:
        return {"GUNICORN_CMD_ARGS": " ".join(filter(None, (f"--workers {self.per_cpu * cpus}", self.args)))}


# What is measured beside each image's defaults, by the worker class its gunicorn.conf.py names (sync when it
# names none): for a WSGI app, process counts around the usual (2 x CPUs) rule for sync workers and threads for
# the requests that wait on the database; for the asyncio workers one or two processes per CPU.
WSGI_SETTINGS = (
    Setting("sync, 2 per CPU", 2, "--worker-class sync", keeps_alive=False),
    Setting("sync, 3 per CPU", 3, "--worker-class sync", keeps_alive=False),
    Setting("gthread, 1 per CPU x 4 threads", 1, "--worker-class gthread --threads 4"),
    Setting("gthread, 2 per CPU x 4 threads", 2, "--worker-class gthread --threads 4"),
)
WORKER_SETTINGS = {
    "sync": WSGI_SETTINGS,
    "gthread": WSGI_SETTINGS,
    "uvicorn_worker.UvicornWorker": (
        Setting("uvicorn, 1 per CPU", 1),
        Setting("uvicorn, 2 per CPU", 2),
    ),
}


def worker_class(project: Path) -> str:
    """The worker class the project's gunicorn.conf.py sets; gunicorn's default (sync) when it sets none."""
    match = re.search(r'^worker_class\s*=\s*"([^"]+)"', (project / "gunicorn.conf.py").read_text(), re.MULTILINE)
    return match[1] if match else "sync"


# --- wrk -----------------------------------------------------------------------------------------------------


def wrk_script(method: str, body: object, close: bool) -> str:
    """wrk's Lua for one request; `close` asks the server to close every connection after its answer."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if close:
        headers["Connection"] = "close"
    # A long bracket string needs no escaping; JSON never holds "]==]".
    body_line = f"wrk.body = [==[{json.dumps(body)}]==]\n" if body is not None else ""
    header_lines = "".join(f'wrk.headers["{name}"] = "{value}"\n' for name, value in headers.items())
    return WRK_SCRIPT.format(method=method, body=body_line, headers=header_lines)


def parse_wrk(output: str) -> dict:
    """The figures of a measured run, from the WRK_JSON line the script's done() prints."""
    line = next((line for line in output.splitlines() if line.startswith("WRK_JSON ")), None)
    if line is None:
        raise BenchError(f"wrk printed no summary:\n{output[-2000:]}")
    raw = json.loads(line.removeprefix("WRK_JSON "))
    kinds = {kind: raw[kind] for kind in ERROR_KINDS}
    return {
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p95_ms": round(raw["p95_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "errors": sum(kinds.values()),
        "error_kinds": kinds,
        "requests": raw["requests"],
    }


def run_wrk(url: str, script: Path, seconds: float, connections: int) -> str:
    # One thread: wrk's epoll loop on one core keeps up with every server here, and leaves the other core
    # to the server.
    command = ["wrk", "--threads", "1", "--connections", str(connections), "--duration", f"{seconds:g}s",
               "--timeout", WRK_TIMEOUT, "--script", str(script), url]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    if result.returncode != 0:
        raise BenchError(f"wrk exited {result.returncode}: {result.stderr[-2000:]}")
    return result.stdout


# --- what the containers hold --------------------------------------------------------------------------------

# Where the container's memory cgroup is, seen from the host: cgroup v1 and v2, cgroupfs and systemd drivers.
CGROUP_PATHS = (
    "/sys/fs/cgroup/memory/docker/{id}/memory.stat",
    "/sys/fs/cgroup/memory/system.slice/docker-{id}.scope/memory.stat",
    "/sys/fs/cgroup/docker/{id}/memory.stat",
    "/sys/fs/cgroup/system.slice/docker-{id}.scope/memory.stat",
)


def anonymous_bytes(memory_stat: str) -> int:
    """Anonymous memory in a cgroup's memory.stat: v1's total_rss (the cgroup's and its children's), v2's anon."""
    stat = dict(line.split() for line in memory_stat.splitlines() if line.strip())
    key = "total_rss" if "total_rss" in stat else "anon"
    if key not in stat:
        raise BenchError(f"no total_rss or anon in memory.stat: {sorted(stat)}")
    return int(stat[key])


class Memory:
    """The container's anonymous memory, sampled from its cgroup (read on the host, where the engine shares
    this kernel; else through `docker exec`)."""

    def __init__(self, container: str) -> None:
        self.container = container
        self.path = next((Path(p.format(id=container)) for p in CGROUP_PATHS if Path(p.format(id=container)).is_file()),
                         None)  # fmt: skip
        self.peak = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def read(self) -> int:
        if self.path is not None:
            return anonymous_bytes(self.path.read_text())
        inside = "cat /sys/fs/cgroup/memory.stat 2>/dev/null || cat /sys/fs/cgroup/memory/memory.stat"
        return anonymous_bytes(docker("exec", self.container, "sh", "-c", inside).stdout)

    def __enter__(self) -> Memory:
        """Sample every SAMPLE_EVERY_S until the block ends; the highest is `peak`."""
        self.peak = self.read()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY_S):
            self.peak = max(self.peak, self.read())


def gunicorn_workers(top: str) -> int:
    """gunicorn's workers in `docker top <container> -eo pid,ppid,args` output: the children of the gunicorn
    master (the gunicorn process whose parent is outside the container); health checks run beside it."""
    rows = [line.split(None, 2) for line in top.splitlines()[1:] if line.strip()]
    pids = {pid for pid, _, _ in rows}
    masters = [pid for pid, ppid, args in rows if ppid not in pids and "gunicorn" in args]
    if len(masters) != 1:
        raise BenchError(f"expected one gunicorn master, found {len(masters)}:\n{top}")
    return sum(1 for _, ppid, _ in rows if ppid == masters[0])


def worker_count(container: str) -> int:
    return gunicorn_workers(docker("top", container, "-eo", "pid,ppid,args").stdout)


# --- running an image ----------------------------------------------------------------------------------------


@dataclass
class Started:
    container: str
    url: str  # http://127.0.0.1:<port>
    seconds_to_healthy: float | None
    companions: dict[str, str] = field(default_factory=dict)  # other containers to sample: name -> id


class Alone:
    """The image on its own: `docker run` with its framework's start settings, published on 127.0.0.1."""

    def __init__(self, tag: str, name: str, env: dict[str, str]) -> None:
        self.tag, self.env = tag, env
        self.name = f"{TAG_PREFIX}-{RUN_ID}-load-{name}"

    def start(self, cpus: int, env: dict[str, str]) -> Started:
        settings = [f"--env={key}={value}" for key, value in (self.env | env).items()]
        started = time.perf_counter()
        docker("run", "--detach", "--name", self.name, f"--cpus={cpus}", f"--memory={MEMORY_LIMIT}",
               "--publish", "127.0.0.1::8000", "--read-only", "--tmpfs", "/tmp", *settings, self.tag)  # fmt: skip
        seconds = seconds_to_healthy(self.name, started)
        if seconds is None:
            return Started(self.name, "", None)
        address = docker("port", self.name, "8000/tcp").stdout.split()[0]
        return Started(self.name, f"http://{address}", seconds)

    def stop(self) -> None:
        docker("rm", "--force", self.name, check=False)

    def close(self) -> None:
        self.stop()


class Stack:
    """The project's compose stack on the image: Postgres and the migrations once, then the app (re)started on
    its own under each limit, set by an override file beside the project's compose.yaml."""

    def __init__(self, project: Path, tag: str, name: str, workdir: Path) -> None:
        self.project, self.override = project, workdir / f"compose.{name}.yaml"
        image, version = tag.rsplit(":", 1)
        # A value for every variable compose.yaml requires (`${NAME:?message}`), as a deployment would supply:
        # Django's secret key among them. The project's settings from the caller's shell are left out: every
        # figure is for the stack's own defaults.
        compose = (project / "compose.yaml").read_text()
        required = {name: secrets.token_urlsafe(50) for name in re.findall(r"\$\{(\w+):\?", compose)}
        own = set(re.findall(r"^(\w+)=", (project / ".env.example").read_text(), re.MULTILINE))
        self.env = {key: value for key, value in ENV.items() if key not in own} | required | {
            "COMPOSE_PROJECT_NAME": f"{TAG_PREFIX}-{RUN_ID}-{name}", "IMAGE": image, "TAG": version,
            "APP_PORT": "127.0.0.1:0"}  # fmt: skip
        self.opened = False

    def compose(self, *args: str) -> str:
        return docker("compose", "--file", "compose.yaml", "--file", str(self.override), *args,
                      env=self.env, cwd=self.project).stdout  # fmt: skip

    def start(self, cpus: int, env: dict[str, str]) -> Started:
        app = {"deploy": {"resources": {"limits": {"cpus": str(cpus)}}}, "environment": env}
        self.override.write_text(json.dumps({"services": {"app": app}}))  # JSON is YAML
        if not self.opened:
            self.compose("up", "--detach", "--wait", "db")
            self.compose("run", "--rm", "migrate")
            self.opened = True
        started = time.perf_counter()
        self.compose("up", "--detach", "--no-deps", "app")
        container = self.compose("ps", "--quiet", "app").strip()
        seconds = seconds_to_healthy(container, started)
        if seconds is None:
            return Started(container, "", None)
        address = self.compose("port", "app", "8000").strip()
        return Started(container, f"http://{address}", seconds, {"db": self.compose("ps", "--quiet", "db").strip()})

    def stop(self) -> None:
        self.compose("rm", "--stop", "--force", "app")

    def close(self) -> None:
        if self.override.exists():
            self.compose("down", "--volumes", "--remove-orphans")


# --- measuring -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    cpus: tuple[int, ...]  # the limits every image's defaults are measured under
    worker_cpus: tuple[int, ...]  # the limits the worker settings are measured under
    warmup_s: float
    duration_s: float
    connections: int

    def describe(self) -> dict:
        version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("[")[0].strip()
        return {"tool": version, "threads": 1, "connections": self.connections, "warmup_s": self.warmup_s,
                "duration_s": self.duration_s, "timeout": WRK_TIMEOUT, "memory_limit": MEMORY_LIMIT,
                "cpus": list(self.cpus), "worker_cpus": list(self.worker_cpus)}  # fmt: skip


def check_wrk() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit(INSTALL_WRK)


class Load:
    """One image under load: its framework's request, made ready once (the preparation's id in its path)."""

    def __init__(self, name: str, service: Alone | Stack, suite, package: str, workdir: Path, options: Options):
        self.name, self.service, self.package, self.options = name, service, package, options
        self.method, self.path, self.body = suite.load
        self.prepare = suite.load_prepare
        self.ready_path: str | None = None
        self.script = workdir / f"wrk-{name}.lua"

    def ready(self, started: Started) -> str:
        if self.ready_path is None:
            self.ready_path = self.path
            if self.prepare and "request" in self.prepare:
                method, path, body = self.prepare["request"]
                request = urllib.request.Request(f"{started.url}{path}", data=json.dumps(body).encode(), method=method,
                                                 headers={"Content-Type": "application/json"})  # fmt: skip
                with urllib.request.urlopen(request, timeout=10) as response:
                    self.ready_path = self.path.replace("{id}", str(json.load(response)["id"]))
            elif self.prepare:
                command = [arg.replace("{pkg}", self.package) for arg in self.prepare["command"]]
                docker("exec", started.container, *command)
        return self.ready_path

    def measure(self, cpus: int, env: dict[str, str], close: bool, label: str) -> dict:
        """The image (re)started under the limit with env: start to healthy, at rest, then under wrk."""
        started = self.service.start(cpus, env)
        try:
            if started.seconds_to_healthy is None:
                return dict.fromkeys(FIGURES)
            time.sleep(SETTLE_S)
            figures = {"start_to_healthy_s": round(started.seconds_to_healthy, 2),
                       "workers": worker_count(started.container),
                       "rss_idle_mb": round(Memory(started.container).read() / MB, 1)}  # fmt: skip
            url = f"{started.url}{self.ready(started)}"
            self.script.write_text(wrk_script(self.method, self.body, close))
            run_wrk(url, self.script, self.options.warmup_s, self.options.connections)
            samplers = {"rss_mb": Memory(started.container)} | {
                f"{name}_rss_mb": Memory(container) for name, container in started.companions.items()
            }
            with contextlib.ExitStack() as stack:
                for sampler in samplers.values():
                    stack.enter_context(sampler)
                figures |= parse_wrk(run_wrk(url, self.script, self.options.duration_s, self.options.connections))
            figures |= {key: round(sampler.peak / MB, 1) for key, sampler in samplers.items()}
        finally:
            self.service.stop()
        log(f"{self.name} @ {cpus} CPU, {label}: {figures['rps']:.0f} req/s, p50 {figures['p50_ms']:.1f} ms, "
            f"p99 {figures['p99_ms']:.1f} ms, {figures['errors']} errors, {figures['workers']} workers, "
            f"RSS {figures['rss_idle_mb']:.0f} -> {figures['rss_mb']:.0f} MB, "
            f"healthy in {figures['start_to_healthy_s']:.2f} s")  # fmt: skip
        return figures


def load_target(name: str, kind: str, tag: str, project: Path, package: str, suite, postgres: bool, workdir: Path,
                options: Options) -> dict:  # fmt: skip
    """A target's load figures at its image's defaults per CPU limit, and under each worker setting."""
    slug = re.sub(r"\W+", "-", name).strip("-")
    service = Stack(project, tag, slug, workdir) if postgres else Alone(tag, slug, suite.start_env)
    load = Load(slug, service, suite, package, workdir, options)
    result = {"load_request": f"{load.method} {load.path}", "load": {}, "worker_settings": []}
    try:
        for cpus in options.cpus:
            result["load"][str(cpus)] = load.measure(cpus, {}, False, "image defaults")
        # The references run Flask's app and gunicorn.conf.py: the flask variant's worker settings are theirs.
        for cpus in options.worker_cpus if kind == "variant" else ():
            for setting in WORKER_SETTINGS[worker_class(project)]:
                for close in (False, True) if setting.keeps_alive else (False,):
                    client = "close" if close else "keep-alive"
                    figures = load.measure(cpus, setting.env(cpus), close, f"{setting.label}, {client}")
                    result["worker_settings"].append({"setting": setting.label, "cpus": cpus, "client": client}
                                                     | figures)  # fmt: skip
    finally:
        service.close()
    return result


def null_figures(rows: Iterable[dict]) -> list[str]:
    """Every null in the rows, as 'row name: where' (a figure that could not be measured)."""

    def walk(value: object, where: str) -> Iterable[str]:
        if value is None:
            yield where
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, f"{where}.{key}" if where else str(key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, f"{where}[{index}]")

    return [f"{row['name']}: {where}" for row in rows for where in walk(row, "")]


# --- report --------------------------------------------------------------------------------------------------

README_START = "<!-- load table: written by benchmarks/run.py from benchmarks/results/latest.json -->"
README_END = "<!-- end of load table -->"


def number(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def loaded(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row.get("load")]


def cells(figures: dict, columns: Iterable[tuple[str, int]]) -> str:
    """Table cells of the figures, each (key, decimals); n/a where a figure is missing or null."""
    return " | ".join(number(figures.get(key), digits) for key, digits in columns)


# Table columns of the measured run: (key, decimals).
LATENCY = (("rps", 0), ("p50_ms", 1), ("p95_ms", 1), ("p99_ms", 1), ("errors", 0))


def render_load(rows: list[dict], settings: dict) -> str:
    """latest.md's load tables: each image's defaults per CPU limit, then the worker settings."""
    lines = [
        "## Load",
        "",
        f"{settings['tool']}, {settings['threads']} thread, {settings['connections']} connections, on 127.0.0.1: "
        f"{settings['warmup_s']:g} s warm-up, then {settings['duration_s']:g} s measured, per row. Each image is "
        f"started anew under each CPU limit (memory limit {settings['memory_limit']}) with the settings it needs "
        "(FastAPI and Django in their compose stacks, with Postgres); everything else is the image's default. "
        "Latency percentiles are wrk's exact ones over the measured run; errors are failed connections, reads, "
        "writes, timeouts and answers of 400 or more. RSS is the container's anonymous memory (cgroup), at rest "
        "after start and the highest sample under load; MB = 10^6 bytes.",
        "",
        "| preset | request | CPUs | workers | req/s | p50 ms | p95 ms | p99 ms | errors | RSS at rest MB "
        "| RSS under load MB | Postgres RSS MB | start→healthy s |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in loaded(rows):
        for cpus, figures in row["load"].items():
            columns = (("workers", 0), *LATENCY, ("rss_idle_mb", 1), ("rss_mb", 1), ("db_rss_mb", 1),
                       ("start_to_healthy_s", 2))  # fmt: skip
            lines.append(f"| {row['name']} | `{row['load_request']}` | {cpus} | {cells(figures, columns)} |")
    lines += [f"\n{row['name']}: {row['no_load']}" for row in rows if row.get("no_load")]
    if not any(row.get("worker_settings") for row in rows):
        return "\n".join(lines) + "\n"
    lines += [
        "",
        "## Worker settings",
        "",
        "The same request under gunicorn worker settings other than the image's (GUNICORN_CMD_ARGS, which "
        "overrides gunicorn.conf.py), each with a client that keeps connections alive (wrk's default) and, "
        "where the workers keep them open, one that asks to close each (`Connection: close`); sync workers close "
        "every connection after its answer whatever the client asks. The image's own defaults come first.",
        "",
        "| preset | CPUs | workers | client | processes | req/s | p50 ms | p95 ms | p99 ms | errors "
        "| RSS under load MB |",
        "|---|--:|---|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for row in loaded(rows):
        defaults = [
            {"setting": "image defaults", "cpus": int(cpus), "client": "keep-alive"} | figures
            for cpus, figures in row["load"].items()
            if int(cpus) in {setting["cpus"] for setting in row["worker_settings"]}
        ]
        for figures in sorted(defaults + row["worker_settings"], key=lambda figures: figures["cpus"]):
            columns = (("workers", 0), *LATENCY, ("rss_mb", 1))
            lines.append(f"| {row['name']} | {figures['cpus']} | {figures['setting']} | {figures['client']} "
                         f"| {cells(figures, columns)} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def readme_table(data: dict, plot_path: str) -> str:
    """The root README's load table (and the plot below it), from latest.json."""
    machine, settings, rows = data["machine"], data["load_settings"], data["results"]
    lines = [
        README_START,
        "",
        f"{machine['date']} · {machine['nproc']} CPUs · load average at start "
        f"{' '.join(f'{load:.2f}' for load in machine['load_average_at_start'])} · {settings['tool']}, "
        f"{settings['connections']} connections, {settings['duration_s']:g} s measured per row",
        "",
        "| preset | CPUs | req/s | p50 ms | p99 ms | errors | RSS MB at rest / under load |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for row in loaded(rows):
        for cpus, figures in row["load"].items():
            memory = f"{number(figures.get('rss_idle_mb'))} / {number(figures.get('rss_mb'))}"
            columns = (("rps", 0), ("p50_ms", 1), ("p99_ms", 1), ("errors", 0))
            lines.append(f"| {row['name']} | {cpus} | {cells(figures, columns)} | {memory} |")
    lines += ["", f"![Throughput and p99 latency per preset and CPU limit]({plot_path})", "", README_END]
    return "\n".join(lines)


def update_readme(readme: Path, table: str) -> None:
    """Replace the README's load table (between its two markers) with `table`."""
    text = readme.read_text()
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise BenchError(f"{readme}: no load table markers ({README_START!r} ... {README_END!r})")
    readme.write_text(text[:start] + table + text[end + len(README_END) :])


def plot(rows: list[dict], path: Path) -> None:
    """Throughput and p99 latency per preset (references included), one bar per CPU limit."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = loaded(rows)
    limits = sorted({cpus for row in rows for cpus in row["load"]}, key=int)
    figure, axes = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    width = 0.8 / len(limits)
    for index, cpus in enumerate(limits):
        offsets = [position + (index - (len(limits) - 1) / 2) * width for position in range(len(rows))]
        for axis, key in zip(axes, ("rps", "p99_ms"), strict=True):
            values = [row["load"].get(cpus, {}).get(key) or 0 for row in rows]
            bars = axis.bar(offsets, values, width, label=f"{cpus} CPU{'s' if cpus != '1' else ''}")
            axis.bar_label(bars, fmt="%.0f", fontsize=7)
    for axis, title in zip(axes, ("Throughput (requests/s, higher is better)", "p99 latency (ms, lower is better)"),
                           strict=True):  # fmt: skip
        axis.set_title(title, fontsize=10)
        axis.set_xticks(range(len(rows)), [row["name"] for row in rows], rotation=20, ha="right", fontsize=8)
        axis.legend(fontsize=8)
        axis.grid(axis="y", alpha=0.3)
    figure.savefig(path, dpi=110)
    plt.close(figure)
