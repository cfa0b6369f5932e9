"""Docker tier, Helm chart: the production image runs exactly as the chart's rendered Pod spec says.

No cluster runs on the suite's machines, so each framework's chart (deploy=kubernetes) is rendered with
`helm template` at its defaults and its Deployment's pod spec translated, field by field, into `docker run`
flags for the session's production image: user and group, read-only root, an emptyDir as a tmpfs of its
size, dropped capabilities, no new privileges, CPU and memory limits, the environment from the ConfigMap
and the Secret. The image then has to start and answer the spec's own probes, with the
migration Job's command run first against a real Postgres where the chart has one, and the data-science
chart's training Job has to write its model with the Job's flags in the image's `training` target.

A deploy=kubernetes project builds the same image as a compose one (their Dockerfiles are asserted
identical), so the image is the one every other Docker test runs; the kubernetes bake only gives the chart.
"""

import contextlib
import math
import re
import secrets
import string
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import kube
import pytest
import yaml
from conftest import CHOICES, Production, bake, fetch, logs, run
from test_load_faults import worker_processes
from test_workers import workers_per_cpu

pytestmark = pytest.mark.docker

# What Postgres the charts' databases are tested on: a local stand-in image, never pulled.
POSTGRES = "postgres:18"
# The table each framework's migration leaves behind, whatever else it creates.
MIGRATION_TABLE = {"fastapi": "alembic_version", "django": "django_migrations"}
# Kubernetes quantities' suffixes (resource.Quantity): decimal SI, binary SI, and milli.
SUFFIXES = {"": 1, "m": Decimal("0.001"), "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12,
            "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}  # fmt: skip


def quantity(text: str | int | float) -> Decimal:
    """A Kubernetes quantity ("500m", "1", "64Mi") as a number of its unit (cores, bytes)."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([a-zA-Z]*)", str(text))
    assert match and match[2] in SUFFIXES, f"not a quantity this test knows: {text!r}"
    return Decimal(match[1]) * SUFFIXES[match[2]]


class Chart:
    """A project's chart as `helm template` renders it, parsed, with its values.yaml."""

    def __init__(self, project: Path, *options: str):
        self.project = project
        self.values = yaml.safe_load((project / "deploy" / "chart" / "values.yaml").read_text())
        rendered = run(kube.helm(), "template", project.name, "deploy/chart", "--namespace", "t", *options,
                       cwd=project).stdout  # fmt: skip
        self.documents = [document for document in yaml.safe_load_all(rendered) if document]

    def one(self, kind: str, suffix: str = "") -> dict:
        """The only object of this kind (whose name ends with suffix)."""
        found = [doc for doc in self.documents if doc["kind"] == kind and doc["metadata"]["name"].endswith(suffix)]
        assert len(found) == 1, f"{len(found)} {kind} objects named *{suffix} in the chart"
        return found[0]

    def config_maps(self) -> dict[str, dict[str, str]]:
        return {doc["metadata"]["name"]: doc.get("data", {}) for doc in self.documents if doc["kind"] == "ConfigMap"}


def only_container(pod: dict) -> dict:
    assert len(pod["containers"]) == 1 and not pod.get("initContainers"), pod
    return pod["containers"][0]


def environment(chart: Chart, container: dict, secret_data: dict[str, dict[str, str]]) -> dict[str, str]:
    """The container's environment as the kubelet would give it: envFrom's ConfigMaps and Secrets in order,
    then env (which wins)."""
    config_maps, env = chart.config_maps(), {}
    for source in container.get("envFrom", []):
        assert "prefix" not in source, source
        if ref := source.get("configMapRef"):
            env |= config_maps[ref["name"]]
        else:
            ref = source["secretRef"]
            assert ref["name"] in secret_data, f"the test supplies no Secret {ref['name']!r}"
            env |= secret_data[ref["name"]]
    for variable in container.get("env", []):
        assert "value" in variable, f"a valueFrom this test cannot resolve: {variable}"
        env[variable["name"]] = str(variable["value"])
    return env


def docker_flags(chart: Chart, pod: dict, container: dict, secret_data: dict, claims: dict[str, str]) -> list[str]:
    """`docker run` flags for this container of this pod spec, translated from the spec itself. claims: the
    Docker volume standing for each PersistentVolumeClaim."""
    context = pod.get("securityContext", {}) | container.get("securityContext", {})  # the container's wins
    assert context.get("runAsNonRoot") and context["runAsUser"] != 0, context
    flags = ["--pull", "never", "--no-healthcheck",  # the kubelet ignores the image's HEALTHCHECK
             "--user", f"{context['runAsUser']}:{context['runAsGroup']}"]  # fmt: skip
    if "fsGroup" in context:
        flags += ["--group-add", str(context["fsGroup"])]
    if context.get("readOnlyRootFilesystem"):
        flags.append("--read-only")
    if context.get("allowPrivilegeEscalation") is False:
        flags += ["--security-opt", "no-new-privileges"]
    capabilities = context.get("capabilities", {})
    flags += [flag for cap in capabilities.get("drop", []) for flag in ("--cap-drop", cap)]
    flags += [flag for cap in capabilities.get("add", []) for flag in ("--cap-add", cap)]
    assert context.get("seccompProfile", {"type": "RuntimeDefault"})["type"] == "RuntimeDefault"  # Docker's default
    volumes = {volume["name"]: volume for volume in pod.get("volumes", [])}
    for mount in container.get("volumeMounts", []):
        volume = volumes[mount["name"]]
        if "emptyDir" in volume:
            # An emptyDir is mounted exec (Docker's tmpfs default is noexec), world-writable, of its size.
            size = volume["emptyDir"].get("sizeLimit")
            flags += ["--tmpfs", f"{mount['mountPath']}:rw,exec" + (f",size={int(quantity(size))}" if size else "")]
        else:
            claim = volume["persistentVolumeClaim"]["claimName"]
            flags += ["--volume", f"{claims[claim]}:{mount['mountPath']}" + (":ro" if mount.get("readOnly") else "")]
    limits = container.get("resources", {}).get("limits", {})
    if "cpu" in limits:
        flags += ["--cpus", str(quantity(limits["cpu"]))]
    if "memory" in limits:
        flags += ["--memory", str(int(quantity(limits["memory"])))]
    if "terminationGracePeriodSeconds" in pod:
        flags += ["--stop-timeout", str(pod["terminationGracePeriodSeconds"])]
    env = environment(chart, container, secret_data)
    return flags + [f"--env={key}={value}" for key, value in sorted(env.items())]


def command(container: dict) -> list[str]:
    """The container's command (and args) as `docker run` arguments after the flags, before the image's tag
    is inserted: `--entrypoint` replaces the image's ENTRYPOINT and CMD as `command` does."""
    assert container.get("command"), container
    return ["--entrypoint", container["command"][0], "{image}", *container["command"][1:], *container.get("args", [])]


class Scratch:
    """What a test makes in the engine (containers, volumes, networks, images), all named k8sdock-*, removed
    in the reverse order by remove()."""

    def __init__(self, docker: str):
        self.docker, self.unique, self.made = docker, uuid.uuid4().hex[:12], []

    def name(self, kind: str, what: str) -> str:
        name = f"k8sdock-{self.unique}-{what}"
        self.made.append((kind, name))
        return name

    def remove(self) -> None:
        for kind, name in reversed(self.made):
            # A container's anonymous volumes (Postgres's data) go with it.
            verb = {"container": ["rm", "--force", "--volumes"], "image": ["rm", "--force"]}.get(kind, ["rm"])
            run(self.docker, kind, *verb, name, check=False)


@contextlib.contextmanager
def scratch(docker: str) -> Iterator[Scratch]:
    made = Scratch(docker)
    try:
        yield made
    finally:
        made.remove()


def probe_port(container: dict, port: str | int) -> int:
    """A probe's port: a number, or the name of one of the container's ports."""
    if isinstance(port, int):
        return port
    return next(p["containerPort"] for p in container["ports"] if p.get("name") == port)


def retry_until(check, seconds: float, every: float):
    """check()'s last result, polled every `every` seconds until truthy or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(every)
    return result


def probe_budget(probe: dict) -> tuple[float, float]:
    """How long the kubelet gives a startup probe (failureThreshold x periodSeconds, its defaults 3 x 10) and
    its period."""
    period = probe.get("periodSeconds", 10)
    return probe.get("initialDelaySeconds", 0) + period * probe.get("failureThreshold", 3), period


@pytest.fixture(scope="module", params=CHOICES["framework"], ids=str)
def project(request, production_images, cookies_session) -> tuple[Production, Chart]:
    """The session's production image of the framework (the default answers, as the other Docker tests ask
    for it) and the chart of a deploy=kubernetes bake of the same answers, whose Dockerfile is the same."""
    built = production_images({"framework": request.param})
    chart_project = bake(cookies_session, **built.answers, deploy="kubernetes")
    assert (chart_project / "Dockerfile").read_bytes() == (built.project / "Dockerfile").read_bytes()
    return built, Chart(chart_project)


def postgres(docker: str, made: Scratch, network: str) -> tuple[str, str]:
    """A Postgres container on the network, accepting connections over TCP; its name and DATABASE_URL."""
    assert run(docker, "image", "inspect", POSTGRES, check=False).returncode == 0, f"{POSTGRES} is not local"
    name, password = made.name("container", "db"), secrets.token_hex(16)
    run(docker, "run", "--detach", "--pull", "never", "--name", name, "--network", network,
        "--env", "POSTGRES_USER=app", f"--env=POSTGRES_PASSWORD={password}", "--env", "POSTGRES_DB=app",
        POSTGRES)  # fmt: skip
    # Over TCP: during its first start's initialization the server listens on its socket only.
    ping = [docker, "exec", name, "pg_isready", "-h", "127.0.0.1", "-U", "app", "-d", "app"]
    ready = retry_until(lambda: run(*ping, check=False).returncode == 0, 60, 0.5)
    assert ready, logs(docker, name)
    return name, f"postgresql://app:{password}@{name}:5432/app"


def sql(docker: str, database: str, query: str) -> str:
    return run(docker, "exec", database, "psql", "-U", "app", "-d", "app", "-tAc", query).stdout.strip()


def assert_confined(docker: str, name: str, pod: dict, container: dict) -> None:
    """From inside the running container: its user, read-only root, writable emptyDirs, no capabilities and
    no new privileges, as the spec asks."""
    context = pod.get("securityContext", {}) | container.get("securityContext", {})
    assert run(docker, "exec", name, "id", "-u").stdout.strip() == str(context["runAsUser"])
    assert run(docker, "exec", name, "id", "-g").stdout.strip() == str(context["runAsGroup"])
    written = run(docker, "exec", name, "sh", "-c", "echo x > /k8sdock-probe", check=False)
    assert written.returncode != 0 and "Read-only file system" in written.stderr, written
    volumes = {volume["name"]: volume for volume in pod.get("volumes", [])}
    mounts = {
        line.split()[1]: line.split() for line in run(docker, "exec", name, "cat", "/proc/mounts").stdout.splitlines()
    }
    for mount in container.get("volumeMounts", []):
        run(docker, "exec", name, "sh", "-c", f"echo x > {mount['mountPath']}/k8sdock-probe")
        if size := volumes[mount["name"]].get("emptyDir", {}).get("sizeLimit"):
            _, _, kind, options = mounts[mount["mountPath"]][:4]
            assert kind == "tmpfs" and f"size={int(quantity(size)) // 1024}k" in options.split(","), mounts
    status = dict(
        line.split(":\t", 1) for line in run(docker, "exec", name, "cat", "/proc/1/status").stdout.splitlines()
    )
    assert status["CapEff"].strip() == "0000000000000000", status["CapEff"]
    assert status["CapBnd"].strip() == "0000000000000000", status["CapBnd"]  # drop ALL: none to regain either
    assert status["NoNewPrivs"].strip() == "1"


def test_the_image_runs_as_the_charts_pod_spec_says(project):
    built, chart = project
    docker = built.docker
    framework = built.answers["framework"]
    deployment = chart.one("Deployment")
    pod = deployment["spec"]["template"]["spec"]
    container = only_container(pod)
    # The image's own command runs: the spec sets none, and names the image values.yaml names.
    assert "command" not in container and "args" not in container, container
    assert container["image"].rsplit(":", 1)[0] == chart.values["image"]["repository"]
    assert container["image"].rsplit(":", 1)[1] == chart.one("Deployment")["metadata"]["labels"][
        "app.kubernetes.io/version"]  # fmt: skip
    with scratch(docker) as made:
        secret_data, network = {}, []
        if secret_name := chart.values.get("secretName"):
            network = ["--network", made.name("network", "net")]
            run(docker, "network", "create", network[1])
            database, url = postgres(docker, made, network[1])
            data = {"DATABASE_URL": url}
            if framework == "django":
                data["DJANGO_SECRET_KEY"] = "".join(secrets.choice(string.ascii_letters + string.digits)
                                                    for _ in range(50))  # fmt: skip
            secret_data[secret_name] = data
            # The migration hook's Job, with its own pod spec's flags, before the app starts.
            job = chart.one("Job", "-migrate")
            job_pod = job["spec"]["template"]["spec"]
            job_container = only_container(job_pod)
            assert job_container["image"] == container["image"]
            arguments = [built.tag if part == "{image}" else part for part in command(job_container)]
            migrated = run(docker, "run", "--rm", "--name", made.name("container", "migrate"), *network,
                           *docker_flags(chart, job_pod, job_container, secret_data, {}), *arguments,
                           check=False)  # fmt: skip
            assert migrated.returncode == 0, f"{job_container['command']}:\n{migrated.stdout}\n{migrated.stderr}"
            table = MIGRATION_TABLE[framework]
            assert sql(docker, database, f"select to_regclass('public.{table}')") == table
            assert int(sql(docker, database, f"select count(*) from {table}")) > 0
        ports = container.get("ports", [])
        publish = [flag for port in ports for flag in ("--publish", f"127.0.0.1::{port['containerPort']}")]
        name = made.name("container", "app")
        run(docker, "run", "--detach", "--name", name, *network, *publish,
            *docker_flags(chart, pod, container, secret_data, {}), built.tag)  # fmt: skip
        budget, period = probe_budget(container["startupProbe"])
        if "httpGet" in container["startupProbe"]:
            addresses = "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}"
            address = run(docker, "inspect", "--format", addresses, name).stdout.split()[0]

            def answer(probe: dict) -> int | None:
                """The status the kubelet's GET would see: to the pod's IP and port as Host, its headers."""
                get = probe["httpGet"]
                assert get.get("scheme", "HTTP") == "HTTP", get
                port = probe_port(container, get["port"])
                published = run(docker, "port", name, f"{port}/tcp").stdout.split()[0].rsplit(":", 1)[1]
                headers = {"Host": f"{address}:{port}"} | {h["name"]: h["value"] for h in get.get("httpHeaders", [])}
                try:
                    return fetch(f"http://127.0.0.1:{published}{get['path']}", **headers)[0]
                except OSError:
                    return None

            started = retry_until(lambda: answer(container["startupProbe"]) == 200, budget, period)
            assert started, f"{container['startupProbe']} never answered 200 in {budget}s\n{logs(docker, name)}"
            for probe in ("livenessProbe", "readinessProbe"):
                assert answer(container[probe]) == 200, f"{probe} {container[probe]}\n{logs(docker, name)}"
            # gunicorn runs workers_per_cpu workers per CPU of the limit (--cpus, the CFS quota the kubelet sets).
            wanted = workers_per_cpu(built.project) * math.ceil(quantity(container["resources"]["limits"]["cpu"]))
            workers = retry_until(lambda: len(worker_processes(docker, name)) == wanted, 10, 0.5)
            assert workers, f"{len(worker_processes(docker, name))} workers, {wanted} wanted\n{logs(docker, name)}"
        else:
            # The worker: the exec probes, run in the container as the kubelet would, until the heartbeat.
            def passes(probe: dict) -> bool:
                return run(docker, "exec", name, *probe["exec"]["command"], check=False).returncode == 0

            started = retry_until(lambda: passes(container["startupProbe"]), budget, period)
            assert started, f"{container['startupProbe']} never passed in {budget}s\n{logs(docker, name)}"
            for probe in ("livenessProbe", "readinessProbe"):
                exec_probe = run(docker, "exec", name, *container[probe]["exec"]["command"], check=False)
                assert exec_probe.returncode == 0, f"{probe}: {exec_probe.stdout}{exec_probe.stderr}"
        assert run(docker, "inspect", "--format", "{{.State.Running}} {{.RestartCount}}", name).stdout.strip() == (
            "true 0"
        )
        assert_confined(docker, name, pod, container)


def test_the_training_job_writes_its_model(production_images, cookies_session, docker_engine):
    """The data-science chart's training Job (training.enabled=true) runs its command in the image's
    `training` target with its pod spec's flags, and leaves model.joblib on its model claim."""
    built = production_images({"framework": "datascience"})
    chart_project = bake(cookies_session, **built.answers, deploy="kubernetes")
    chart = Chart(chart_project, "--set", "training.enabled=true")
    training = chart.values["training"]
    job = chart.one("Job", "-training")
    pod = job["spec"]["template"]["spec"]
    container = only_container(pod)
    assert container["image"].rsplit(":", 1)[0] == training["image"]["repository"]
    assert container["command"] == training["command"]
    claim = next(v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"] if "persistentVolumeClaim" in v)
    assert claim == training["modelClaim"]
    output = container["command"][container["command"].index("--output") + 1]
    with scratch(docker_engine) as made:
        # Cached: the production build already built the training stage, which production copies from.
        tag = made.name("image", "training")
        swapped = built.environments.build_args() if built.environments else []
        started = time.monotonic()
        run(docker_engine, "buildx", "build", "--quiet", "--load", "--target", "training", "--tag", tag, *swapped, ".",
            cwd=built.project)  # fmt: skip
        print(f"training target built in {time.monotonic() - started:.1f}s")
        volume = made.name("volume", "models")
        run(docker_engine, "volume", "create", volume)
        # A claim mounted under fsGroup is the group's and group-writable (setgid), as the kubelet makes it.
        group = pod["securityContext"]["fsGroup"]
        run(docker_engine, "run", "--rm", "--pull", "never", "--user", "0", "--volume", f"{volume}:/claim",
            "--entrypoint", "sh", tag, "-c", f"chgrp {group} /claim && chmod 2775 /claim")  # fmt: skip
        arguments = [tag if part == "{image}" else part for part in command(container)]
        trained = run(docker_engine, "run", "--rm", "--name", made.name("container", "training"),
                      *docker_flags(chart, pod, container, {}, {claim: volume}), *arguments, check=False)  # fmt: skip
        assert trained.returncode == 0, f"{container['command']}:\n{trained.stdout}\n{trained.stderr}"
        listed = run(docker_engine, "run", "--rm", "--pull", "never", "--volume", f"{volume}:{output}:ro",
                     "--entrypoint", "ls", tag, "-l", output).stdout  # fmt: skip
        assert "model.joblib" in listed, listed
