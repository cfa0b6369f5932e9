"""Measure image size, build speed and service under load of every named variant, next to two reference Dockerfiles.

    .venv/bin/python benchmarks/run.py [--only build|load|readme] [--repeat N] [--variants flask,...]
                                       [--duration S] [--cpus 1,2] [--worker-cpus 1,2] [--out benchmarks/results]

Each variant in variants/*.yaml is baked and its production image built with the real Docker engine;
the same measurements are taken for a naive single-stage and a classic two-stage Dockerfile written
into a baked Flask project. The build part times builds (emptying the engine's build cache first); the
load part (traffic.py) runs each image that serves HTTP under wrk. Writes latest.json (raw numbers),
latest.md (tables and targets) and load.png to --out. See benchmarks/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import traffic
from cookiecutter.config import get_user_config
from cookiecutter.generate import generate_context
from cookiecutter.main import cookiecutter
from cookiecutter.prompt import prompt_for_config
from engine import RUN_ID, TAG_PREFIX, BenchError, docker, inspect, log, seconds_to_healthy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from facts import framework_facts, framework_suite, manager_facts, manager_suite  # noqa: E402

MB = 1_000_000
RESULTS = ROOT / "benchmarks" / "results"
# The references are built from this variant's project (its app code and runtime lock).
REFERENCE_VARIANT = "flask"

# Targets every variant is held to (see the Targets section of latest.md).
MAX_OVERHEAD_MB = 2.0
MAX_CODE_CHANGE_S = 0.6
MAX_SHARE_OF_TWO_STAGE = 0.5
MAX_START_TO_HEALTHY_S = 2.0
RATIO_TIMINGS = ("cold_build", "code_change", "dep_change")

# Installer tools that a runtime environment may hold without the lock asking for them; not part of the floor.
INSTALLER_TOOLS = ("pip", "setuptools", "wheel")

# Runs inside an image. argv: runtime environment ("" = $VIRTUAL_ENV, else site-packages), distributions to
# leave out of it (comma-separated), app paths relative to WORKDIR. Counts bytes of files and symlinks, hard
# links once, as `du -sb` does; Python because every image here has it.
FLOOR_PROBE = """
import glob, importlib.metadata, json, os, sys, sysconfig

def size(paths):
    seen, total = set(), 0
    for path in paths:
        if not os.path.lexists(path):
            continue
        entries = [path]
        if os.path.isdir(path) and not os.path.islink(path):
            entries = [os.path.join(root, name) for root, dirs, files in os.walk(path)
                       for name in files + [d for d in dirs if os.path.islink(os.path.join(root, d))]]
        for entry in entries:
            stat = os.lstat(entry)
            if (stat.st_dev, stat.st_ino) not in seen:
                seen.add((stat.st_dev, stat.st_ino))
                total += stat.st_size
    return total

runtime = sys.argv[1] or os.environ.get("VIRTUAL_ENV") or sysconfig.get_paths()["purelib"]
leave_out = set(filter(None, sys.argv[2].split(",")))
site = glob.glob(os.path.join(runtime, "lib", "python*", "site-packages")) + [runtime]
left = [d for d in importlib.metadata.distributions(path=site) if d.metadata["Name"].lower() in leave_out]
left_bytes = size([str(d.locate_file(f)) for d in left for f in d.files or []])
print(json.dumps({"runtime_path": runtime, "runtime": size([runtime]) - left_bytes, "left_out": left_bytes,
                  "left_out_names": sorted(d.metadata["Name"] for d in left), "app": size(sys.argv[3:])}))
"""

NAIVE_DOCKERFILE = """\
# Reference: naive single stage on the full image, written by benchmarks/run.py.
FROM python:{python}
WORKDIR /app
COPY . .
RUN pip install -r requirements/base.txt
EXPOSE 8000
{healthcheck}
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
"""

TWO_STAGE_DOCKERFILE = """\
# Reference: classic two-stage build on the slim image, written by benchmarks/run.py.
FROM python:{python}-slim AS builder
RUN python -m venv /opt/venv
COPY requirements/base.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install -r /tmp/requirements.txt

FROM python:{python}-slim
ENV VIRTUAL_ENV=/opt/venv \\
    PATH=/opt/venv/bin:$PATH
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
COPY . .
EXPOSE 8000
{healthcheck}
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
"""


@dataclass
class Target:
    """One Dockerfile to measure: a variant's own, or a reference written into a baked project."""

    name: str
    kind: str  # "variant" or "reference"
    project: Path
    dockerfile: Path
    package: str
    framework: str
    # The lock a dependency change edits: the first of the package manager's lock files, the runtime's.
    runtime_lock: Path
    # What counts as app code, relative to the image's WORKDIR: everything for a variant, the app only for a reference.
    app_paths: list[str]
    tag: str
    timings: dict[str, list[float | None]] = field(
        default_factory=lambda: {"cold_build": [], "code_change": [], "dep_change": [], "start_to_healthy": []}
    )
    rebuilt: dict[str, list[list[str]]] = field(default_factory=lambda: {"code_change": [], "dep_change": []})
    image: dict = field(default_factory=dict)
    # The load part's figures (traffic.load_target), or why there are none.
    load: dict = field(default_factory=dict)

    @property
    def changes(self) -> ModuleType:
        """The framework's changes to time (its suite facts): the one-line code change's file, and its other
        kinds of change, each of which must re-run its own stages."""
        return framework_suite({"framework": self.framework})

    @property
    def suite(self) -> ModuleType:
        """The framework's suite facts: its start settings and the request the load part sends."""
        return framework_suite({"framework": self.framework})


# --- projects ------------------------------------------------------------------------------------------------


def variant_files() -> dict[str, Path]:
    """Every preset but those whose package manager cannot run here (conda: its pixi stages would be the
    suite's stand-in, and their times not pixi's)."""
    presets = sorted((ROOT / "variants").glob("*.yaml"))
    return {
        path.stem: path
        for path in presets
        if not manager_suite(get_user_config(config_file=str(path))["default_context"]).suite_standin
    }


def bake(variant_yaml: Path, output_dir: Path) -> tuple[Path, str, str, Path]:
    """Generate the variant's project; returns its directory, package (import) name, framework and runtime lock."""
    default_context = get_user_config(config_file=str(variant_yaml))["default_context"]
    context = generate_context(context_file=ROOT / "cookiecutter.json", default_context=default_context)
    answers = prompt_for_config(context, no_input=True)
    package = answers["package_name"]
    output_dir.mkdir(parents=True)
    project = Path(cookiecutter(str(ROOT), no_input=True, config_file=str(variant_yaml), output_dir=str(output_dir)))
    if not (project / package / "__init__.py").is_file():
        raise BenchError(f"{variant_yaml.name}: no package {package}/ in the baked project")
    return project, package, answers["framework"], project / manager_facts(answers).lock_files[0]


def dockerfile_args(text: str) -> dict[str, str]:
    """Defaults of the ARGs declared before the first FROM, with earlier ARGs substituted."""
    args: dict[str, str] = {}
    for line in text.splitlines():
        if re.match(r"\s*FROM\s", line, re.IGNORECASE):
            break
        if match := re.match(r"\s*ARG\s+(\w+)=(\S+)", line, re.IGNORECASE):
            args[match[1]] = expand(match[2].strip("\"'"), args)
    return args


def expand(value: str, args: dict[str, str]) -> str:
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: args.get(m[1] or m[2], ""), value)


def final_base_image(text: str) -> str:
    """The image the last stage is ultimately built FROM, following stage names back to a real image."""
    args, stages, image = dockerfile_args(text), {}, None
    for match in re.finditer(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", text, re.IGNORECASE | re.MULTILINE):
        image = expand(match[1], args)
        if match[2]:
            stages[match[2].lower()] = image
    if image is None:
        raise BenchError("no FROM in Dockerfile")
    while image.lower() in stages:
        image = stages[image.lower()]
    return image


def instruction(text: str, keyword: str) -> str:
    """The last `keyword` instruction of a Dockerfile, with its continuation lines."""
    match = list(re.finditer(rf"^{keyword}\s(?:.*\\\n)*.*$", text, re.MULTILINE))
    if not match:
        raise BenchError(f"no {keyword} in Dockerfile")
    return match[-1][0]


def append_comment(path: Path, text: str) -> None:
    """A one-line change that alters the file's bytes, not what it does."""
    comment = f"/* {text} */" if path.suffix in {".css", ".js"} else f"# {text}"
    with path.open("a") as handle:
        handle.write(f"{comment}\n")


def changed_file(target: Target, path: str) -> Path:
    return target.project / path.format(pkg=target.package)


# --- measurements --------------------------------------------------------------------------------------------

STEP = re.compile(r"^#(\d+) \[(?:(\S+) )?\d+/\d+\] (.+)$")
CACHED = re.compile(r"^#(\d+) CACHED$")


def rebuilt_steps(progress: str) -> list[str]:
    """Dockerfile steps that ran (were not CACHED), from `--progress=plain` output, as 'stage: instruction'."""
    steps: dict[str, str] = {}
    cached = set()
    for line in progress.splitlines():
        if match := STEP.match(line):
            if not match[3].startswith("FROM "):
                steps.setdefault(match[1], f"{match[2] or 'stage-0'}: {' '.join(match[3].split())}")
        elif match := CACHED.match(line):
            cached.add(match[1])
    return [step for number, step in steps.items() if number not in cached]


class Bench:
    """Runs builds and containers, keeping each build's log and what is needed to clean up after them."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.image_ids: set[str] = set()
        self.containers = 0

    def build(self, target: Target, *, cold: bool, log_name: str) -> tuple[float, list[str]]:
        """Build the target's image; a cold build first empties the build cache, cache mounts included."""
        if cold:
            docker("builder", "prune", "--all", "--force")
        command = ["build", "--progress=plain", "--file", str(target.dockerfile), "--tag", target.tag]
        if cold:
            command.append("--no-cache")
        started = time.perf_counter()
        result = docker(*command, str(target.project), check=False)
        elapsed = time.perf_counter() - started
        slug = re.sub(r"\W+", "-", target.name).strip("-")
        log_file = self.log_dir / f"{slug}-{log_name}.log"
        log_file.write_text(result.stderr)
        if result.returncode != 0:
            raise BenchError(f"{target.name}: build failed, see {log_file}\n{result.stderr[-2000:]}")
        self.image_ids.add(inspect(target.tag, "{{.Id}}"))
        return elapsed, rebuilt_steps(result.stderr)

    def start_to_healthy(self, target: Target) -> float | None:
        """Seconds from `docker run` to the first healthy status; None if it never got there.

        The container gets the settings its framework needs to start (`start_env` in its suite facts, what the
        Docker tier starts it with: a database URL, Django's secret key and allowed hosts); liveness checks do
        not need the services those name to answer.
        """
        self.containers += 1
        name = f"{TAG_PREFIX}-{RUN_ID}-{self.containers}"
        env = [f"--env={key}={value}" for key, value in target.suite.start_env.items()]
        started = time.perf_counter()
        docker("run", "--detach", "--name", name, "--read-only", "--tmpfs", "/tmp", *env, target.tag)
        try:
            return seconds_to_healthy(name, started)
        finally:
            docker("rm", "--force", name, check=False)

    def cleanup(self, targets: list[Target]) -> None:
        """Remove the tags this run made, then its images that are left with no tag (earlier builds)."""
        for target in targets:
            docker("image", "rm", target.tag, check=False)
        for image_id in self.image_ids:
            if docker("image", "inspect", "--format", "{{len .RepoTags}}", image_id, check=False).stdout.strip() == "0":
                docker("image", "rm", image_id, check=False)


def unpinned_tools(lock: Path) -> list[str]:
    """Installer tools the runtime lock does not pin (as `name==`, or `name = "..."` in a TOML lock)."""
    text = lock.read_text()
    return [
        tool
        for tool in INSTALLER_TOOLS
        if not re.search(rf'^\s*(?:{tool}\s*==|name\s*=\s*"{tool}")', text, re.IGNORECASE | re.MULTILINE)
    ]


def floor_probe(image: str, runtime_path: str, leave_out: list[str], app_paths: list[str]) -> dict:
    result = docker("run", "--rm", "--network", "none", "--entrypoint", "python", image, "-c", FLOOR_PROBE,
                    runtime_path, ",".join(leave_out), *app_paths)  # fmt: skip
    return json.loads(result.stdout)


def describe_image(target: Target) -> dict:
    """Sizes, layers and floor of the target's production image (built already)."""
    base = final_base_image(target.dockerfile.read_text())
    size, base_size = (int(inspect(ref, "{{.Size}}")) for ref in (target.tag, base))
    leave_out = unpinned_tools(target.runtime_lock)
    inside = floor_probe(target.tag, "", leave_out, target.app_paths)
    # The runtime's size in the base image is subtracted: 0 for a venv, the stock packages for site-packages.
    runtime = inside["runtime"] - floor_probe(base, inside["runtime_path"], leave_out, [])["runtime"]
    floor = runtime + inside["app"]
    return {
        "base_image": base,
        "size_bytes": size,
        "base_size_bytes": base_size,
        "above_base_bytes": size - base_size,
        "runtime_path": inside["runtime_path"],
        "runtime_bytes": runtime,
        "left_out_of_floor": inside["left_out_names"],
        "left_out_bytes": inside["left_out"],
        "app_bytes": inside["app"],
        "floor_bytes": floor,
        "overhead_above_floor_bytes": size - base_size - floor,
        "layers": int(inspect(target.tag, "{{len .RootFS.Layers}}")),
        "web": inspect(target.tag, "{{json .Config.ExposedPorts}}") not in ("null", "{}"),
        "healthcheck": inspect(target.tag, "{{json .Config.Healthcheck}}") != "null",
    }


def measure_round(bench: Bench, target: Target, round_number: int) -> None:
    """One cold build, one code-change and one dependency-change rebuild, and one start to healthy."""
    times, rebuilt = target.timings, target.rebuilt
    seconds, _ = bench.build(target, cold=True, log_name=f"{round_number}-cold")
    times["cold_build"].append(seconds)
    log(f"{target.name}: cold build {seconds:.1f} s")

    append_comment(changed_file(target, target.changes.code_change), f"bench: code change {round_number}")
    seconds, steps = bench.build(target, cold=False, log_name=f"{round_number}-code-change")
    times["code_change"].append(seconds)
    rebuilt["code_change"].append(steps)
    log(f"{target.name}: code-change rebuild {seconds:.1f} s, rebuilt {len(steps)} step(s)")

    for label, path in target.changes.other_changes.items():
        append_comment(changed_file(target, path), f"bench: {label} {round_number}")
        seconds, steps = bench.build(target, cold=False, log_name=f"{round_number}-{label.replace(' ', '-')}")
        times.setdefault(label, []).append(seconds)
        rebuilt.setdefault(label, []).append(steps)
        log(f"{target.name}: {label} rebuild {seconds:.1f} s, rebuilt {len(steps)} step(s)")

    append_comment(target.runtime_lock, f"bench: dependency change {round_number}")
    seconds, steps = bench.build(target, cold=False, log_name=f"{round_number}-dep-change")
    times["dep_change"].append(seconds)
    rebuilt["dep_change"].append(steps)
    log(f"{target.name}: dependency-change rebuild {seconds:.1f} s, rebuilt {len(steps)} step(s)")

    if inspect(target.tag, "{{json .Config.Healthcheck}}") != "null":
        seconds = bench.start_to_healthy(target)
        times["start_to_healthy"].append(seconds)
        log(f"{target.name}: start to healthy {'timeout' if seconds is None else f'{seconds:.2f} s'}")


def measure_load(target: Target, workdir: Path, options: traffic.Options) -> None:
    """The load part's figures for the target, or why it has none (its framework serves no HTTP)."""
    if target.suite.load is None:
        target.load = {"no_load": "no load row: the minimal worker serves no HTTP (its health check is a file)"}
        return
    postgres = framework_facts({"framework": target.framework}).postgres
    target.load = traffic.load_target(target.name, target.kind, target.tag, target.project, target.package,
                                      target.suite, postgres, workdir, options)  # fmt: skip


# --- setup ---------------------------------------------------------------------------------------------------


def make_targets(names: list[str], workdir: Path) -> list[Target]:
    variants = variant_files()
    targets = []
    for name in names:
        project, package, framework, lock = bake(variants[name], workdir / "variants" / name)
        targets.append(Target(name, "variant", project, project / "Dockerfile", package, framework, lock, ["."],
                              f"{TAG_PREFIX}/{name}:{RUN_ID}"))  # fmt: skip

    # The references share one more bake of the Flask project, so their changes never touch a variant's.
    project, package, framework, lock = bake(variants[REFERENCE_VARIANT], workdir / "reference")
    template = (project / "Dockerfile").read_text()
    python = final_base_image(template).split(":")[1].removesuffix("-slim")
    fill = {"python": python, "healthcheck": instruction(template, "HEALTHCHECK")}
    app_paths = [package, "gunicorn.conf.py"]
    for key, text in (("naive", NAIVE_DOCKERFILE), ("two-stage", TWO_STAGE_DOCKERFILE)):
        dockerfile = project / f"Dockerfile.{key.replace('-', '')}"
        dockerfile.write_text(text.format(**fill))
        targets.append(Target(f"ref: {key}", "reference", project, dockerfile, package, framework, lock, app_paths,
                              f"{TAG_PREFIX}/ref-{key}:{RUN_ID}"))  # fmt: skip
    return targets


def machine_info() -> dict:
    meminfo = Path("/proc/meminfo").read_text()
    mem_kb = int(re.search(r"MemTotal:\s+(\d+) kB", meminfo)[1])
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0)),
        "memory_bytes": mem_kb * 1024,
        "docker_server_version": docker("version", "--format", "{{.Server.Version}}").stdout.strip(),
        "load_average_at_start": os.getloadavg(),
    }


# --- report --------------------------------------------------------------------------------------------------


def median(values: list[float | None]) -> float | None:
    """The median, or None when there is nothing to take it of or a run failed."""
    return None if not values or None in values else statistics.median(values)


def seconds_cell(values: list[float | None], digits: int = 1) -> str:
    if not values:
        return "n/a"
    if None in values:
        return "timeout"
    return f"{min(values):.{digits}f} / {statistics.median(values):.{digits}f}"


def mb(value: int) -> str:
    return f"{value / MB:.1f}"


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def shorten(step: str, width: int = 60) -> str:
    return step if len(step) <= width else step[: width - 1] + "…"


def ratio(ours: float | None, theirs: float | None) -> str:
    return "n/a" if ours is None or not theirs else f"{ours / theirs:.2f}x"


def render(data: dict, targets: list[Target]) -> str:
    """latest.md: the machine and the run, then the build part's tables and the load part's, as far as they ran."""
    machine, parts = data["machine"], data["parts"]
    lines = [
        "# stagecraft benchmarks",
        "",
        f"{machine['date']} · {machine['nproc']} CPUs · {machine['memory_bytes'] / 1e9:.1f} GB RAM · "
        f"Docker {machine['docker_server_version']} · load average at start "
        f"{' '.join(f'{load:.2f}' for load in machine['load_average_at_start'])} · parts: {', '.join(parts)} · "
        + (f"{data['repeat']} run(s) per timing · " if "build" in parts else "")
        + f"whole run {data['total_seconds'] / 60:.1f} min",
        "",
    ]
    if "build" in parts:
        lines.append(render_build(targets))
    if "load" in parts:
        lines.append(traffic.render_load(data["results"], data["load_settings"]))
    return "\n".join(lines)


def render_build(targets: list[Target]) -> str:
    lines = [
        "Sizes in MB (10^6 bytes); times in seconds as min / median. References are built from the Flask "
        f"project ({REFERENCE_VARIANT} variant's app code and runtime lock).",
        "",
        "| variant | image MB | base MB | above base | floor MB | overhead above floor | layers "
        "| cold build s | code-change rebuild s | dep-change rebuild s | start→healthy s | rebuilt on code change |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for target in targets:
        image, times = target.image, target.timings
        rebuilt = target.rebuilt["code_change"][-1] if target.rebuilt["code_change"] else []
        row = [
            f"{target.name} (`{image['base_image']}`)",
            mb(image["size_bytes"]),
            mb(image["base_size_bytes"]),
            mb(image["above_base_bytes"]),
            mb(image["floor_bytes"]),
            mb(image["overhead_above_floor_bytes"]),
            str(image["layers"]),
            seconds_cell(times["cold_build"]),
            seconds_cell(times["code_change"]),
            seconds_cell(times["dep_change"]),
            seconds_cell(times["start_to_healthy"], 2),
            "<br>".join(cell(shorten(step)) for step in rebuilt) or "nothing",
        ]
        lines.append(f"| {' | '.join(row)} |")

    variants = [target for target in targets if target.kind == "variant"]
    references = [target for target in targets if target.kind == "reference"]
    code_changes = {target.framework: target.changes.code_change for target in variants}
    lines += [
        "",
        "The code change is one line appended to app code that only production reads: "
        + ", ".join(f"`{path.format(pkg='<package>')}` ({framework})" for framework, path in code_changes.items())
        + ".",
        "",
        "## Other kinds of change",
        "",
        "Each must re-run the stages that read what changed, and no others.",
        "",
        "| variant | change | file | rebuild s | rebuilt |",
        "|---|---|---|--:|---|",
    ]
    for target in variants:
        for label, path in target.changes.other_changes.items():
            steps = target.rebuilt[label][-1] if target.rebuilt.get(label) else []
            shown = "<br>".join(cell(shorten(step)) for step in steps) or "nothing"
            lines.append(f"| {target.name} | {label} | `{path.format(pkg=target.package)}` "
                         f"| {seconds_cell(target.timings[label])} | {shown} |")  # fmt: skip
    lines += [
        "",
        "## Ratios against the references",
        "",
        "Variant ÷ reference, on medians; below 1 means the variant is smaller or faster.",
        "",
        "| variant | reference | image size | size above base | cold build | code-change rebuild "
        "| dep-change rebuild |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    for ours in variants:
        for theirs in references:
            sizes = [ratio(ours.image[key], theirs.image[key]) for key in ("size_bytes", "above_base_bytes")]
            times = [ratio(median(ours.timings[key]), median(theirs.timings[key])) for key in RATIO_TIMINGS]
            lines.append(f"| {ours.name} | {theirs.name} | {' | '.join(sizes + times)} |")

    two_stage = next(target for target in references if target.name == "ref: two-stage")
    lines += [
        "",
        "## Targets",
        "",
        "Judged on medians. MISS marks a target not met; the numbers are here, the reasons are for humans.",
        "",
        "| variant | target | measured | limit | result |",
        "|---|---|--:|--:|---|",
    ]
    for target in variants:
        for label, measured, limit, unit in targets_for(target, two_stage):
            shown = "n/a" if measured is None else f"{measured:.2f} {unit}"
            verdict = "ok" if measured is not None and measured <= limit else "MISS"
            lines.append(f"| {target.name} | {label} | {shown} | {limit:.2f} {unit} | {verdict} |")
    return "\n".join(lines) + "\n"


def targets_for(target: Target, two_stage: Target) -> list[tuple[str, float | None, float, str]]:
    """(label, measured, limit, unit) for every target that applies to the variant."""
    times, reference = target.timings, two_stage.timings
    checks = [
        ("overhead above floor", target.image["overhead_above_floor_bytes"] / MB, MAX_OVERHEAD_MB, "MB"),
        ("code-change rebuild", median(times["code_change"]), MAX_CODE_CHANGE_S, "s"),
    ]
    for key, label in (("cold_build", "cold build"), ("dep_change", "dep-change rebuild")):
        limit = median(reference[key])
        if limit is not None:
            checks.append((f"{label} ≤ ½ two-stage", median(times[key]), MAX_SHARE_OF_TWO_STAGE * limit, "s"))
    if target.image["web"]:
        checks.append(("start→healthy", median(times["start_to_healthy"]), MAX_START_TO_HEALTHY_S, "s"))
    return checks


def to_json(targets: list[Target], machine: dict, args: argparse.Namespace, total_seconds: float) -> dict:
    data: dict = {"machine": machine, "parts": args.parts, "total_seconds": round(total_seconds, 1)}
    if "build" in args.parts:
        data |= {
            "repeat": args.repeat,
            "targets": {
                "overhead_above_floor_mb": MAX_OVERHEAD_MB,
                "code_change_rebuild_s": MAX_CODE_CHANGE_S,
                "share_of_two_stage_cold_and_dep_change": MAX_SHARE_OF_TWO_STAGE,
                "start_to_healthy_s": MAX_START_TO_HEALTHY_S,
            },
        }
    if "load" in args.parts:
        data["load_settings"] = args.load_options.describe()
    data["results"] = []
    for target in targets:
        row: dict = {"name": target.name, "kind": target.kind, "dockerfile": target.dockerfile.name}
        if target.kind == "reference":
            row["dockerfile_text"] = target.dockerfile.read_text()
        if "build" in args.parts:
            row |= {"image": target.image, "timings_s": target.timings, "rebuilt_steps": target.rebuilt}
        data["results"].append(row | target.load)
    return data


def write_plot_and_readme(data: dict, out: Path) -> None:
    """load.png beside latest.json, and, for the committed results, the root README's load table."""
    if not traffic.loaded(data["results"]):
        raise SystemExit(f"{out / 'latest.json'} has no load figures: run the load part first (--only load)")
    traffic.plot(data["results"], out / "load.png")
    if out.resolve() == RESULTS.resolve():
        readme = ROOT / "README.md"
        traffic.update_readme(readme, traffic.readme_table(data, "benchmarks/results/load.png"))
        log(f"updated the load table in {readme}")


# --- main ----------------------------------------------------------------------------------------------------


def cpu_list(text: str) -> tuple[int, ...]:
    return tuple(int(cpus) for cpus in text.split(",") if cpus)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=("build", "load", "readme"),
                        help="one part: build (sizes and build times; empties the build cache), load (wrk; "
                             "builds with the cache as it is), or readme (load.png and README's load table "
                             "from --out's latest.json, nothing run)")  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3, help="runs of every build timing (default 3)")
    parser.add_argument("--variants", help="comma-separated variant names (default: every variants/*.yaml)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where results go")
    parser.add_argument("--duration", type=float, default=10, help="seconds measured per load run (default 10)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up before each (default 2)")
    parser.add_argument("--connections", type=int, default=16, help="wrk's open connections (default 16)")
    parser.add_argument("--cpus", type=cpu_list, default=(1, 2), help="CPU limits for the load rows (default 1,2)")
    parser.add_argument("--worker-cpus", type=cpu_list, default=(1, 2),
                        help="CPU limits for the worker settings (default 1,2; empty: none)")  # fmt: skip
    args = parser.parse_args(argv)
    known = variant_files()
    args.variants = args.variants.split(",") if args.variants else list(known)
    unknown = sorted(set(args.variants) - set(known))
    if unknown:
        parser.error(f"unknown variant(s) {', '.join(unknown)}; known: {', '.join(known)}")
    if REFERENCE_VARIANT not in known:
        parser.error(f"the references need variants/{REFERENCE_VARIANT}.yaml")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not args.cpus:
        parser.error("--cpus needs at least one limit")
    args.parts = ["build", "load"] if args.only is None else [args.only]
    args.load_options = traffic.Options(args.cpus, args.worker_cpus, args.warmup, args.duration, args.connections)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.only == "readme":
        write_plot_and_readme(json.loads((args.out / "latest.json").read_text()), args.out)
        return 0
    if "load" in args.parts:
        traffic.check_wrk()
    # A polite kill cleans up like Ctrl-C does: SystemExit runs the `finally` below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    machine = machine_info()
    log_dir = args.out / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    for old in log_dir.glob("*.log"):
        old.unlink()
    bench = Bench(log_dir)
    targets: list[Target] = []
    with tempfile.TemporaryDirectory(prefix="stagecraft-bench-") as workdir:
        try:
            targets = make_targets(args.variants, Path(workdir))
            if "build" in args.parts:
                # Rounds on the outside, so noise from other work on the machine spreads over every target.
                for round_number in range(1, args.repeat + 1):
                    log(f"round {round_number} of {args.repeat}")
                    for target in targets:
                        measure_round(bench, target, round_number)
                for target in targets:
                    target.image = describe_image(target)
            if "load" in args.parts:
                for target in targets:
                    if "build" not in args.parts and target.suite.load is not None:
                        bench.build(target, cold=False, log_name="load")
                    measure_load(target, Path(workdir), args.load_options)
        except BenchError as error:
            log(f"failed: {error}")
            return 1
        finally:
            bench.cleanup(targets)
        total = time.perf_counter() - started
        data = to_json(targets, machine, args, total)
        (args.out / "latest.json").write_text(json.dumps(data, indent=2) + "\n")
        (args.out / "latest.md").write_text(render(data, targets))
        if "load" in args.parts:
            write_plot_and_readme(data, args.out)
    log(f"wrote {args.out / 'latest.md'} and latest.json in {total / 60:.1f} min")
    nulls = traffic.null_figures(data["results"])
    for where in nulls:
        print(f"null figure: {where}", file=sys.stderr)
    return 1 if nulls else 0


if __name__ == "__main__":
    sys.exit(main())
