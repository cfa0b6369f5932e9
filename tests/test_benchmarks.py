"""Fast tier: the load benchmark's parsing and reporting (benchmarks/traffic.py), on made-up figures, no engine."""

import json
import re
import sys

import pytest
from facts import CONTEXT, ROOT, framework_facts, framework_suite

sys.path.insert(0, str(ROOT / "benchmarks"))
import traffic
from engine import BenchError

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:32768/items/1
  1 threads and 16 connections
  2500 requests in 10.00s, 600.00KB read
WRK_JSON {"duration_us": 10000000, "requests": 2500, "connect": 1, "read": 2, "write": 0, "status": 4, \
"timeout": 3, "p50_us": 12345, "p95_us": 45000, "p99_us": 98765}
"""


def figures(rps: float, rss: float | None = 50.0) -> dict:
    return {"rps": rps, "p50_ms": 10.0, "p95_ms": 20.0, "p99_ms": 30.0, "errors": 0, "rss_idle_mb": 40.0,
            "rss_mb": rss, "start_to_healthy_s": 1.5, "workers": 2}  # fmt: skip


ROWS = [
    {"name": "flask", "kind": "variant", "load_request": "GET /api/greeting",
     "load": {"1": figures(700), "2": figures(1300)},
     "worker_settings": [{"setting": "gthread, 1 per CPU x 4 threads", "cpus": 1, "client": "close"} | figures(800)]},
    {"name": "poetry", "kind": "variant", "no_load": "no load row: it serves no HTTP"},
    {"name": "ref: naive", "kind": "reference", "load_request": "GET /api/greeting", "load": {"1": figures(650, None)},
     "worker_settings": []},
]  # fmt: skip
SETTINGS = {"tool": "wrk 4.1.0", "threads": 1, "connections": 16, "warmup_s": 2, "duration_s": 10,
            "memory_limit": "512m"}  # fmt: skip


def test_wrk_summary_becomes_the_rows_figures():
    parsed = traffic.parse_wrk(WRK_OUTPUT)
    assert parsed == {
        "rps": 250.0,
        "p50_ms": 12.35,
        "p95_ms": 45.0,
        "p99_ms": 98.77,
        "errors": 10,
        "error_kinds": {"connect": 1, "read": 2, "write": 0, "status": 4, "timeout": 3},
        "requests": 2500,
    }


def test_wrk_without_its_summary_fails_the_run():
    with pytest.raises(BenchError, match="no summary"):
        traffic.parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")


@pytest.mark.parametrize("close", [False, True])
def test_wrk_script_sends_the_body_as_given(close):
    body = {"instances": [{"sepal_length": 5.1, "note": "quotes \" and 'apostrophes' and \\backslashes"}]}
    script = traffic.wrk_script("POST", body, close)
    assert 'wrk.method = "POST"' in script
    assert json.loads(re.search(r"wrk\.body = \[==\[(.*)\]==\]", script)[1]) == body
    assert 'wrk.headers["Content-Type"] = "application/json"' in script
    assert ('wrk.headers["Connection"] = "close"' in script) is close


def test_wrk_script_for_a_get_has_no_body():
    script = traffic.wrk_script("GET", None, False)
    assert "wrk.body" not in script and "wrk.headers" not in script
    assert "WRK_JSON" in script


def test_anonymous_memory_from_either_cgroup_version():
    v1 = "cache 245760\nrss 385024\nshmem 0\ntotal_cache 245760\ntotal_rss 9000000\n"
    v2 = "anon 7000000\nfile 123456\nshmem 4096\n"
    assert traffic.anonymous_bytes(v1) == 9_000_000
    assert traffic.anonymous_bytes(v2) == 7_000_000
    with pytest.raises(BenchError):
        traffic.anonymous_bytes("file 1\n")


def test_workers_are_the_gunicorn_masters_children_only():
    top = """PID PPID COMMAND
100 90 /opt/venv/bin/python /opt/venv/bin/gunicorn --config gunicorn.conf.py
101 100 /opt/venv/bin/python /opt/venv/bin/gunicorn --config gunicorn.conf.py
102 100 /opt/venv/bin/python /opt/venv/bin/gunicorn --config gunicorn.conf.py
103 100 /opt/venv/bin/python /opt/venv/bin/gunicorn --config gunicorn.conf.py
200 90 python -c import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2)
"""
    assert traffic.gunicorn_workers(top) == 3
    with pytest.raises(BenchError):
        traffic.gunicorn_workers("PID PPID COMMAND\n5 1 python -m worker\n")


def test_worker_settings_scale_with_the_limit():
    setting = traffic.Setting("gthread", 2, "--worker-class gthread --threads 4")
    assert setting.env(2) == {"GUNICORN_CMD_ARGS": "--workers 4 --worker-class gthread --threads 4"}
    assert traffic.Setting("uvicorn", 1).env(1) == {"GUNICORN_CMD_ARGS": "--workers 1"}


def test_worker_class_read_from_gunicorn_conf(tmp_path):
    (tmp_path / "gunicorn.conf.py").write_text('wsgi_app = "x"\nworker_class = "uvicorn_worker.UvicornWorker"\n')
    assert traffic.worker_class(tmp_path) == "uvicorn_worker.UvicornWorker"
    (tmp_path / "gunicorn.conf.py").write_text('wsgi_app = "x"\n# worker_class = "gevent"\n')
    assert traffic.worker_class(tmp_path) == "sync"


def test_a_null_figure_is_named():
    assert traffic.null_figures(ROWS) == ["ref: naive: load.1.rss_mb"]
    assert traffic.null_figures(ROWS[:2]) == []


def test_load_tables_hold_every_row_and_say_why_one_is_missing():
    text = traffic.render_load(ROWS, SETTINGS)
    assert "| flask | `GET /api/greeting` | 2 | 2 | 1,300 |" in text
    assert "| ref: naive | `GET /api/greeting` | 1 | 2 | 650 |" in text and "| n/a |" in text
    assert "poetry: no load row: it serves no HTTP" in text
    workers = text.split("## Worker settings")[1]
    # The image's defaults at the same limit come first, then the settings measured.
    assert workers.index("| flask | 1 | image defaults | keep-alive |") < workers.index("| flask | 1 | gthread")
    assert "| flask | 2 |" not in workers
    without = [row | {"worker_settings": []} for row in ROWS]
    assert "## Worker settings" not in traffic.render_load(without, SETTINGS)


def test_readme_table_replaces_only_its_own_block(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nbefore\n\n{traffic.README_START}\nold table\n{traffic.README_END}\n\nafter\n")
    machine = {"date": "2026-12-06T02:24:02+00:00", "nproc": 2, "load_average_at_start": [0.1, 0.2, 0.3]}
    data = {"machine": machine, "load_settings": SETTINGS, "results": ROWS}
    traffic.update_readme(readme, traffic.readme_table(data, "benchmarks/results/load.png"))
    text = readme.read_text()
    assert text.startswith("# Title\n\nbefore\n\n") and text.endswith("\n\nafter\n")
    assert "old table" not in text
    assert "2026-12-06T02:24:02+00:00 · 2 CPUs · load average at start 0.10 0.20 0.30 · wrk 4.1.0" in text
    assert "| flask | 1 | 700 | 10.0 | 30.0 | 0 | 40.0 / 50.0 |" in text
    assert "![Throughput and p99 latency per preset and CPU limit](benchmarks/results/load.png)" in text
    readme.write_text("# Title\n")
    with pytest.raises(BenchError, match="markers"):
        traffic.update_readme(readme, "table")


def test_the_root_readme_has_the_load_table_markers():
    text = (ROOT / "README.md").read_text()
    assert text.index(traffic.README_START) < text.index(traffic.README_END)


@pytest.mark.parametrize("framework", CONTEXT["framework"])
def test_every_framework_that_serves_http_has_a_request_to_load(framework):
    """The load request exists exactly for the frameworks with HTTP probes; an {id} in its path needs a
    preparing request whose answer gives one."""
    suite = framework_suite({"framework": framework})
    assert (suite.load is None) == (framework_facts({"framework": framework}).probes == {})
    if suite.load is not None:
        method, path, _ = suite.load
        assert method in {"GET", "POST"} and path.startswith("/")
        assert ("{id}" in path) == bool(suite.load_prepare and "request" in suite.load_prepare)
