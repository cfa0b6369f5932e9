"""Docker tier: a run of the suite that leaves a Docker object behind fails (tests/conftest.py's check).

Each case runs a one-test session with the suite's conftest as a plugin, whose test leaves an image tag
behind: a new one, or one of the suite's own tags moved to another image as a rebuilt `my-service:dev`
would be; alone and across xdist's workers, whose use of Docker reaches the controller.
"""

import os
import subprocess
import sys
import uuid

import pytest
from conftest import ROOT, run

pytestmark = pytest.mark.docker

PROBE = """
import os
import subprocess


def test_tags_an_image(docker_engine):
    subprocess.run([docker_engine, "tag", os.environ["PROBE_IMAGE"], os.environ["PROBE_TAG"]], check=True)
"""
IMAGES = ["debian:trixie-slim", "debian:bookworm-slim"]


@pytest.mark.parametrize(("workers", "moved"), [([], False), (["-n", "2"], True)], ids=["new-tag", "moved-tag-xdist"])
def test_a_run_that_leaves_a_tag_behind_fails(docker_engine, tmp_path, workers, moved):
    tag = f"stagecraft-suite-{uuid.uuid4().hex[:12]}:left"
    (tmp_path / "test_probe.py").write_text(PROBE)
    try:
        if moved:
            run(docker_engine, "tag", IMAGES[1], tag)
        inner = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", *workers, "test_probe.py"],
            cwd=tmp_path,
            env=os.environ | {"PYTHONPATH": str(ROOT / "tests"), "PROBE_IMAGE": IMAGES[0], "PROBE_TAG": tag},
            capture_output=True,
            text=True,
        )
        made = run(docker_engine, "image", "inspect", "--format", "{{.Id}}", IMAGES[0]).stdout.split(":")[1][:12]
        assert "1 passed" in inner.stdout, inner.stdout + inner.stderr
        assert inner.returncode == 1, inner.stdout
        assert "FAILED: the run left" in inner.stdout
        assert f"image {tag} {made}" in inner.stdout.splitlines(), inner.stdout
    finally:
        run(docker_engine, "image", "rm", tag, check=False)
