"""What both parts of the benchmark share: running the Docker CLI, and saying what is going on."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

TAG_PREFIX = "stagecraft-bench"
RUN_ID = uuid.uuid4().hex[:8]
ENV = {**os.environ, "DOCKER_BUILDKIT": "1"}
HEALTHY_WITHIN = 60.0
POLL_EVERY = 0.1


class BenchError(RuntimeError):
    pass


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def docker(
    *args: str, check: bool = True, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(["docker", *args], capture_output=True, text=True, env=env or ENV, cwd=cwd)
    if check and result.returncode != 0:
        output = (result.stdout + result.stderr)[-3000:]
        raise BenchError(f"docker {' '.join(args[:3])} ... exited {result.returncode}\n{output}")
    return result


def inspect(ref: str, template: str) -> str:
    return docker("inspect", "--format", template, ref).stdout.strip()


def seconds_to_healthy(container: str, started: float) -> float | None:
    """Seconds from `started` (a time.perf_counter() taken just before the container was started) to its first
    healthy status, polled every POLL_EVERY; None if it stopped, turned unhealthy or took over HEALTHY_WITHIN."""
    while time.perf_counter() - started < HEALTHY_WITHIN:
        state, health = inspect(container, "{{.State.Status}} {{.State.Health.Status}}").split()
        if health == "healthy":
            return time.perf_counter() - started
        if state != "running" or health == "unhealthy":
            break
        time.sleep(POLL_EVERY)
    log(f"{container} did not turn healthy:\n{docker('logs', container, check=False).stderr[-2000:]}")
    return None
