"""Docker tier, data science: the notebook and training stages work, and production serves only the model.

Each package manager on the default Python. What every variant shares (test stage, health, user,
read-only root, no compiler, exactly the runtime lock, graceful stop) is proven in test_docker.py.
"""

import json
import secrets
import uuid

import pytest
from conftest import (
    CHOICES,
    CONTEXT,
    bake,
    combo_id,
    fetch,
    pairs,
    request_json,
    run,
    wait_for_status,
    wait_until_healthy,
)
from standin import Environments, buildable, uses_standin

pytestmark = pytest.mark.docker

DEFAULT = CHOICES["python_version"][0]
VARIANTS = [buildable(pair, DEFAULT) for pair in pairs() if pair["framework"] == "datascience"]
SETOSA = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2}
VIRGINICA = {"sepal_length": 6.7, "sepal_width": 3.0, "petal_length": 5.8, "petal_width": 2.2}
# Modules only training or the notebooks need: none may reach the serving image.
NOT_SERVED = ["pandas", "matplotlib", "jupyterlab", "jupyter_server", "ipykernel", "nbclient", "IPython"]


class Project:
    """A baked data-science project and the images of its stages, removed afterwards; with conda, the
    stand-in's environments take the place of the pixi stages."""

    def __init__(self, docker: str, directory, answers: dict[str, str]):
        self.docker, self.directory, self.tags = docker, directory, []
        self.environments = Environments(docker, directory) if uses_standin(answers) else None

    def build(self, target: str, *options: str) -> tuple[str, str]:
        """Build a stage; its tag and the build's plain-progress log."""
        tag = f"stagecraft-suite/datascience-{target}:{uuid.uuid4().hex[:8]}"
        swapped = self.environments.build_args() if self.environments else []
        built = run(self.docker, "buildx", "build", "--load", "--progress=plain", "--target", target, "--tag", tag,
                    *swapped, *options, ".", cwd=self.directory)  # fmt: skip
        self.tags.append(tag)
        return tag, built.stderr

    def output(self, tag: str, *command: str) -> str:
        return run(self.docker, "run", "--rm", "--entrypoint", command[0], tag, *command[1:]).stdout


@pytest.fixture(scope="module", params=VARIANTS, ids=combo_id)
def project(request, docker_engine, cookies_session):
    built = Project(docker_engine, bake(cookies_session, **request.param), request.param)
    yield built
    run(docker_engine, "image", "rm", "--force", *built.tags, check=False)
    if built.environments:
        built.environments.remove()


@pytest.fixture(scope="module")
def training(project) -> str:
    return project.build("training")[0]


@pytest.fixture(scope="module")
def notebook(project) -> str:
    return project.build("notebook")[0]


@pytest.fixture(scope="module")
def serving(project):
    """The production image running as deployed (read-only root, tmpfs /tmp), healthy; its base URL."""
    tag = project.build("production")[0]
    name = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"
    run(project.docker, "run", "--detach", "--name", name, "--read-only", "--tmpfs", "/tmp",
        "--publish", "127.0.0.1::8000", tag)  # fmt: skip
    try:
        assert wait_until_healthy(project.docker, name) == "healthy", run(project.docker, "logs", name).stderr
        port = run(project.docker, "port", name, "8000/tcp").stdout.split(":")[-1].strip()
        yield tag, f"http://127.0.0.1:{port}"
    finally:
        run(project.docker, "rm", "--force", name, check=False)


def model_digest(project: Project, tag: str) -> str:
    return project.output(tag, "sha256sum", "models/model.joblib").split()[0]


def test_training_stage_writes_the_model_and_its_metrics(project, training):
    assert project.output(training, "ls", "models").split() == ["metrics.json", "model.joblib"]
    metrics = json.loads(project.output(training, "cat", "models/metrics.json"))
    assert metrics["train_rows"] + metrics["test_rows"] == 150
    assert metrics["accuracy"] >= 0.9


def test_training_again_gives_the_same_model(project, training):
    again, log = project.build("training", "--no-cache-filter", "training")
    assert "Wrote models/model.joblib" in log  # the training step ran again, not from the cache
    assert model_digest(project, again) == model_digest(project, training)


def test_production_serves_the_model_the_training_stage_wrote(project, training, serving):
    status, metadata = request_json("GET", f"{serving[1]}/metadata")
    assert status == 200
    assert metadata["model_version"] == f"{CONTEXT['version']}+{model_digest(project, training)[:12]}"
    assert metadata["classes"] == ["setosa", "versicolor", "virginica"]
    assert metadata["feature_names"][:4] == list(SETOSA)
    assert metadata["metrics"] == json.loads(project.output(training, "cat", "models/metrics.json"))


def test_production_predicts_a_batch(serving):
    status, body = request_json("POST", f"{serving[1]}/predict", {"instances": [SETOSA, VIRGINICA]})
    assert status == 200, body
    assert [prediction["label"] for prediction in body["predictions"]] == ["setosa", "virginica"]
    assert all(sum(p["probabilities"].values()) == pytest.approx(1, abs=1e-4) for p in body["predictions"])


@pytest.mark.parametrize(
    "body",
    [{}, {"instances": []}, {"instances": [{**SETOSA, "petal_width": "wide"}]}, {"instances": [{"petal_width": 1}]}],
    ids=["empty", "no-instances", "text", "missing"],
)
def test_production_answers_invalid_input_with_422(serving, body):
    status, answer = request_json("POST", f"{serving[1]}/predict", body)
    assert status == 422
    assert answer["detail"]


def test_production_holds_no_training_or_notebook_packages(project, serving):
    probe = "import importlib.util, json; print(json.dumps([m for m in {} if importlib.util.find_spec(m)]))"
    assert json.loads(project.output(serving[0], "python", "-c", probe.format(NOT_SERVED))) == []


def test_notebook_stage_serves_jupyterlab_behind_the_token_from_its_environment(project, notebook):
    token = secrets.token_urlsafe(24)
    name = f"stagecraft-suite-{uuid.uuid4().hex[:12]}"
    run(project.docker, "run", "--detach", "--name", name, "--env", f"JUPYTER_TOKEN={token}",
        "--publish", "127.0.0.1::8888", notebook)  # fmt: skip
    try:
        port = run(project.docker, "port", name, "8888/tcp").stdout.split(":")[-1].strip()
        url = f"http://127.0.0.1:{port}"
        status = wait_for_status(f"{url}/api/status", 200, Authorization=f"token {token}")
        assert status == 200, run(project.docker, "logs", name).stderr
        assert fetch(f"{url}/api/status")[0] == 403
        assert fetch(f"{url}/api/status", Authorization="token wrong")[0] == 403
        assert fetch(f"{url}/lab?token={token}")[0] == 200
        _, specs = request_json("GET", f"{url}/api/kernelspecs", Authorization=f"token {token}")
        assert specs["default"] == "python3"
        assert run(project.docker, "exec", name, "id", "-u").stdout.strip() == "10001"
    finally:
        run(project.docker, "rm", "--force", name, check=False)


def test_notebook_image_runs_the_example_notebook(project, notebook):
    ran = run(project.docker, "run", "--rm", notebook, "jupyter", "execute", "notebooks/explore.ipynb")
    assert "Executing notebook with kernel: python3" in ran.stderr
