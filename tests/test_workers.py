"""Fast tier: how many workers a generated project's gunicorn starts, and its drain setting, from the project's
own gunicorn.conf.py: its functions run against fake cgroup folders (cgroup v1 and v2 as the kernel lays them
out) and its setting lines are evaluated, without importing the app the file names. The Docker tier
(test_load_faults.py) starts the image under real CPU quotas and stops it under load."""

import ast
import os
from pathlib import Path

import pytest
from conftest import CHOICES, COMBINATIONS, combo_id
from facts import framework_facts

# The frameworks served by gunicorn (those with HTTP probes), each in the first fast-tier combination that bakes
# it: the `baked` fixture's project, on the worker that runs that combination's other tests (its xdist group).
SERVERS = [name for name in CHOICES["framework"] if framework_facts({"framework": name}).probes]
COMBOS = [next(combo for combo in COMBINATIONS if combo["framework"] == name) for name in SERVERS]
# Docker's default stop timeout: `docker stop` sends SIGKILL after it.
DOCKER_STOP_TIMEOUT = 10


class Conf:
    """A gunicorn.conf.py: its functions defined, and any one of its module-level assignments evaluated."""

    def __init__(self, path: Path):
        self.path = path
        self.tree = ast.parse(path.read_text())
        functions = [node for node in self.tree.body if isinstance(node, ast.FunctionDef)]
        self.namespace: dict = {"os": os, "Path": Path}
        exec(compile(ast.Module(functions, type_ignores=[]), str(path), "exec"), self.namespace)

    def value(self, name: str, **names):
        """What `name = ...` evaluates to, with `names` defined besides the file's functions."""
        [node] = [
            node
            for node in self.tree.body
            if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [name]
        ]
        return eval(compile(ast.Expression(node.value), str(self.path), "eval"), self.namespace | names)


def workers_per_cpu(project: Path) -> int:
    """How many workers a project's gunicorn starts for each CPU it may use."""
    return Conf(project / "gunicorn.conf.py").value("workers_per_cpu")


@pytest.fixture(params=COMBOS, ids=combo_id)
def combo(request) -> dict[str, str]:
    return request.param


@pytest.fixture
def conf(baked, combo) -> Conf:
    return Conf(baked[combo_id(combo)] / "gunicorn.conf.py")


def cgroup(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


V1 = ("cpu/cpu.cfs_quota_us", "cpu/cpu.cfs_period_us")
# What every project takes from templates/server/gunicorn.conf.py is checked in the first framework's.
SHARED = pytest.mark.parametrize("combo", COMBOS[:1], ids=combo_id)


# Each cgroup layout the quota is read from, and the whole CPUs it allows (None: no quota).
QUOTAS = {
    "v2-none": ({"cpu.max": "max 100000\n"}, None),
    "v2-one": ({"cpu.max": "100000 100000\n"}, 1),
    "v2-fraction": ({"cpu.max": "150000 100000\n"}, 2),
    "v2-half": ({"cpu.max": "50000 100000\n"}, 1),
    "v2-four": ({"cpu.max": "400000 100000\n"}, 4),
    "v1-none": (dict(zip(V1, ["-1\n", "100000\n"], strict=True)), None),
    "v1-two": (dict(zip(V1, ["200000\n", "100000\n"], strict=True)), 2),
    "v1-fraction": (dict(zip(V1, ["150000\n", "100000\n"], strict=True)), 2),
    "v1-half": (dict(zip(V1, ["25000\n", "50000\n"], strict=True)), 1),
    "no-cgroup": ({}, None),
    "v2-empty": ({"cpu.max": ""}, None),
    "v2-one-field": ({"cpu.max": "150000\n"}, None),
    "v2-not-a-number": ({"cpu.max": "lots 100000\n"}, None),
    "v2-zero-period": ({"cpu.max": "150000 0\n"}, None),
    "v1-empty-period": (dict(zip(V1, ["150000\n", ""], strict=True)), None),
    "v1-no-period": ({V1[0]: "150000\n"}, None),
}


@SHARED
@pytest.mark.parametrize(("files", "cpus"), QUOTAS.values(), ids=QUOTAS.keys())
def test_the_cpu_quota_is_read_from_cgroup_v2_or_v1_and_rounded_up(conf, tmp_path, files, cpus):
    assert conf.namespace["cpu_quota"](cgroup(tmp_path, files)) == cpus


@SHARED
def test_cgroup_v2_wins_where_both_are_mounted(conf, tmp_path):
    both = {"cpu.max": "300000 100000\n"} | dict(zip(V1, ["-1\n", "100000\n"], strict=True))
    assert conf.namespace["cpu_quota"](cgroup(tmp_path, both)) == 3


def test_workers_follow_the_quota_never_the_cpus_beyond_it(conf, tmp_path, monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    per_cpu = workers_per_cpu(conf.path.parent)
    assert isinstance(per_cpu, int) and per_cpu >= 1
    usable = conf.namespace["usable_cpus"]
    runnable = len(os.sched_getaffinity(0))
    one = cgroup(tmp_path / "one", {"cpu.max": "100000 100000\n"})
    # A quota above the CPUs this process may run on gets those; no quota gets them all.
    many = cgroup(tmp_path / "many", {"cpu.max": f"{(runnable + 1) * 100000} 100000\n"})
    unlimited = cgroup(tmp_path / "unlimited", {"cpu.max": "max 100000\n"})
    assert (usable(one), usable(many), usable(unlimited)) == (1, runnable, runnable)
    on_one = {"workers_per_cpu": per_cpu, "usable_cpus": lambda: usable(one)}
    assert conf.value("workers", **on_one) == per_cpu
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert conf.value("workers", **on_one) == 3


@pytest.mark.parametrize("bad", ["-1", "soon", "1.5"])
def test_a_bad_drain_setting_stops_with_one_line_naming_it(conf, monkeypatch, bad):
    monkeypatch.setenv("GUNICORN_DRAIN_SECONDS", bad)
    with pytest.raises(SystemExit) as stopped:
        conf.value("drain_seconds")
    assert str(stopped.value).startswith("error: GUNICORN_DRAIN_SECONDS=") and "\n" not in str(stopped.value)


def test_no_drain_is_a_setting_and_the_default_drain_and_graceful_stop_fit_dockers_stop_timeout(conf, monkeypatch):
    monkeypatch.setenv("GUNICORN_DRAIN_SECONDS", "0")
    assert conf.value("drain_seconds") == 0
    monkeypatch.delenv("GUNICORN_DRAIN_SECONDS")
    monkeypatch.delenv("GUNICORN_GRACEFUL_TIMEOUT", raising=False)
    drain, graceful = conf.value("drain_seconds"), conf.value("graceful_timeout")
    assert drain > 0 and drain + graceful < DOCKER_STOP_TIMEOUT
