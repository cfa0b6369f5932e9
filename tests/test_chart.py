"""Fast tier: every framework's Helm chart (deploy=kubernetes) lints, renders, validates against the oldest and
newest Kubernetes it claims and scans clean, through the project's own deploy/check-chart.sh with the pinned
tools; and what no tool checks holds in every render: selectors, targets, ports, probes, security, settings."""

import json
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import kube
import pytest
import yaml
from conftest import CHOICES, COMBINATIONS, combo_id, on_the_longest_names_worker
from facts import framework_facts
from test_workers import workers_per_cpu

FRAMEWORKS = CHOICES["framework"]
# Each framework's chart is the one of the first fast-tier combination that bakes it with deploy=kubernetes: the
# `baked` fixture's project, on the worker that runs that combination's other tests (its xdist group).
CHART_COMBOS = {
    name: next(c for c in COMBINATIONS if c["framework"] == name and c["deploy"] == "kubernetes") for name in FRAMEWORKS
}
# The frameworks that serve HTTP under gunicorn (the others have no probes on a port).
SERVERS = [name for name in FRAMEWORKS if framework_facts({"framework": name}).probes]
# The release name and namespace check-chart.sh renders with are the project's slug.
SLUG = "my-service"


@pytest.fixture(scope="module")
def charts(baked, tmp_path_factory) -> dict[str, Path]:
    """Each framework's deploy=kubernetes project (CHART_COMBOS), its chart through its own check-chart.sh's helm
    steps (lint --strict, template with every values file), which leave what they rendered in
    `charts.rendered[framework]` (outside the project, which other tests expect exactly as baked). The
    validator and the scanner, about 3 s a chart, run in test_chart_checks_clean_with_every_values_file."""
    return _Charts(baked, tmp_path_factory)


class _Charts(dict):
    def __init__(self, baked, tmp_path_factory):
        super().__init__()
        self.baked, self.tmp_path_factory = baked, tmp_path_factory
        self.rendered: dict[str, Path] = {}

    def __missing__(self, framework: str) -> Path:
        project = self.baked[combo_id(CHART_COMBOS[framework])]
        self.rendered[framework] = self.tmp_path_factory.mktemp(f"chart-{framework}")
        tools = helm_only(self.tmp_path_factory.mktemp(f"helm-only-{framework}") / "bin")
        checked = check_chart(project, self.rendered[framework], path=tools)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        self[framework] = project
        return project


def check_chart(project: Path, *out: Path, path: str | None = None) -> subprocess.CompletedProcess:
    """The project's own deploy/check-chart.sh with the pinned tools (or those on `path`), writing what it
    renders to `out` if given."""
    return subprocess.run(
        ["sh", "deploy/check-chart.sh", *out],
        cwd=project,
        env={"PATH": path or kube.path(), "HOME": str(Path.home())},
        capture_output=True,
        text=True,
    )


def renders(charts: "_Charts", framework: str) -> dict[str, list[dict]]:
    """What check-chart.sh rendered, by values file (default, and each chart/ci/*-values.yaml)."""
    charts[framework]  # checked first
    return {
        path.stem: [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
        for path in sorted(charts.rendered[framework].glob("*.yaml"))
    }


def helm_template(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [kube.helm(), "template", SLUG, "deploy/chart", "--namespace", SLUG, *args],
        cwd=project,
        capture_output=True,
        text=True,
    )


def pod_specs(objects: list[dict]) -> dict[str, dict]:
    """Each workload's pod template, by kind/name (a CronJob's through its job template)."""
    pods = {}
    for obj in objects:
        spec = obj.get("spec", {})
        if obj["kind"] == "CronJob":
            spec = spec["jobTemplate"]["spec"]
        if "template" in spec:
            pods[f"{obj['kind']}/{obj['metadata']['name']}"] = spec["template"]
    return pods


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return selector.items() <= labels.items()


def on_its_worker(frameworks: list[str]) -> list:
    """Each framework's tests on one xdist worker (--dist loadgroup): its chart is baked and checked once."""
    return [pytest.param(name, marks=pytest.mark.xdist_group(combo_id(CHART_COMBOS[name]))) for name in frameworks]


frameworks = pytest.mark.parametrize("framework", on_its_worker(FRAMEWORKS))


@pytest.mark.project  # the validator and the scanner cost the fast tier about 3 s a chart
@frameworks
def test_chart_checks_clean_with_every_values_file(charts, framework, tmp_path):
    """check-chart.sh runs helm lint --strict, helm template, kubernetes-validate --strict for both versions and
    checkov with no finding but the waived ones, for the defaults and each values file under chart/ci/, and each
    of those renders something the defaults do not."""
    project = charts[framework]
    checked = check_chart(project, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert re.search(r"Passed checks: [1-9]\d*, Failed checks: 0", checked.stdout), checked.stdout
    ci_values = {path.name.removesuffix("-values.yaml") for path in (project / "deploy" / "chart" / "ci").iterdir()}
    texts = {path.stem: path.read_text() for path in tmp_path.glob("*.yaml")}
    assert set(texts) == {"default"} | ci_values
    assert len(set(texts.values())) == len(texts)


@frameworks
def test_ci_renders_every_option_both_ways(charts, framework):
    """Each `enabled` option of values.yaml is flipped by some chart/ci/*-values.yaml, so CI renders, validates
    and scans both of its ways."""
    chart = charts[framework] / "deploy" / "chart"
    defaults = dict(switches(yaml.safe_load((chart / "values.yaml").read_text())))
    flipped = {
        key
        for path in (chart / "ci").iterdir()
        for key, value in switches(yaml.safe_load(path.read_text()))
        if defaults.get(key) is not None and value != defaults[key]
    }
    assert defaults and flipped == set(defaults)


def switches(values: dict, prefix: str = ""):
    """(dotted key, value) of every `enabled` in values."""
    for key, value in values.items():
        if isinstance(value, dict):
            yield from switches(value, f"{prefix}{key}.")
        elif key == "enabled":
            yield prefix + key, value


@frameworks
def test_values_schema_refuses_bad_values(charts, framework):
    project = charts[framework]
    for bad in ("image.digest=latest", "replicaCount=0", "resources.limits.cpu=lots", "nosuchvalue=1"):
        refused = helm_template(project, "--set", bad)
        assert refused.returncode != 0 and "values don't meet the specifications of the schema" in refused.stderr, bad
    if framework_facts({"framework": framework}).postgres:
        assert helm_template(project, "--set", "secretName=").returncode != 0


@frameworks
def test_selectors_and_targets_name_what_exists(charts, framework):
    for name, objects in renders(charts, framework).items():
        by_kind = {}
        for obj in objects:
            by_kind.setdefault(obj["kind"], []).append(obj)
        deployments = by_kind["Deployment"]
        assert len(deployments) == 1, name
        deployment = deployments[0]
        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert selects(deployment["spec"]["selector"]["matchLabels"], pod_labels), name
        job_pods = [pod for key, pod in pod_specs(objects).items() if not key.startswith("Deployment/")]
        ports = {
            port["name"]: port["containerPort"]
            for c in deployment["spec"]["template"]["spec"]["containers"]
            for port in c.get("ports", [])
        }
        for pdb in by_kind["PodDisruptionBudget"]:
            assert selects(pdb["spec"]["selector"]["matchLabels"], pod_labels), name
            assert not any(
                selects(pdb["spec"]["selector"]["matchLabels"], pod["metadata"]["labels"]) for pod in job_pods
            )
        for hpa in by_kind.get("HorizontalPodAutoscaler", []):
            target = hpa["spec"]["scaleTargetRef"]
            assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"]), name
            assert "replicas" not in deployment["spec"], f"{name}: the HPA and the Deployment both set replicas"
        for service in by_kind.get("Service", []):
            assert selects(service["spec"]["selector"], pod_labels), name
            assert not any(selects(service["spec"]["selector"], pod["metadata"]["labels"]) for pod in job_pods), name
            assert {port["targetPort"] for port in service["spec"]["ports"]} <= set(ports), name
        services = {s["metadata"]["name"]: {p["name"] for p in s["spec"]["ports"]} for s in by_kind.get("Service", [])}
        for ingress in by_kind.get("Ingress", []):
            for rule in ingress["spec"]["rules"]:
                for path in rule["http"]["paths"]:
                    backend = path["backend"]["service"]
                    assert backend["port"]["name"] in services[backend["name"]], name
        (policy,) = by_kind["NetworkPolicy"]
        assert selects(policy["spec"]["podSelector"]["matchLabels"], pod_labels), name
        assert all(selects(policy["spec"]["podSelector"]["matchLabels"], pod["metadata"]["labels"]) for pod in job_pods)
        allowed = {port["port"] for rule in policy["spec"].get("ingress", []) for port in rule["ports"]}
        assert allowed == set(ports), f"{name}: traffic in reaches {allowed}, the app listens on {set(ports)}"
        account = by_kind["ServiceAccount"][0]
        assert account["automountServiceAccountToken"] is False
        assert deployment["spec"]["template"]["spec"]["serviceAccountName"] == account["metadata"]["name"]


def dockerfile_user(project: Path) -> tuple[int, int]:
    users = re.findall(r"^USER (\d+):(\d+)$", (project / "Dockerfile").read_text(), re.MULTILINE)
    (user,) = set(users)
    return int(user[0]), int(user[1])


@frameworks
def test_every_pod_runs_as_the_image_expects(charts, framework):
    """Every pod (the Deployment's and each Job's): the image's uid and gid, non-root, read-only root with /tmp
    an emptyDir, no privilege escalation, no capability, seccomp RuntimeDefault, no token, requests and limits."""
    project = charts[framework]
    uid, gid = dockerfile_user(project)
    for name, objects in renders(charts, framework).items():
        for key, pod in pod_specs(objects).items():
            spec = pod["spec"]
            where = f"{name}: {key}"
            assert spec["automountServiceAccountToken"] is False, where
            context = spec["securityContext"]
            assert (context["runAsUser"], context["runAsGroup"], context["runAsNonRoot"]) == (uid, gid, True), where
            assert context["seccompProfile"] == {"type": "RuntimeDefault"}, where
            tmp_volumes = {v["name"] for v in spec["volumes"] if "emptyDir" in v}
            for container in spec["containers"]:
                security = container["securityContext"]
                assert security["readOnlyRootFilesystem"] is True, where
                assert security["allowPrivilegeEscalation"] is False, where
                assert security["capabilities"] == {"drop": ["ALL"]}, where
                mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
                assert mounts.get("/tmp") in tmp_volumes, where
                assert {"cpu", "memory"} <= set(container["resources"]["limits"]), where
                assert {"cpu", "memory"} <= set(container["resources"]["requests"]), where


@frameworks
def test_probes_are_the_apps(charts, framework):
    """The probes are the framework's (framework.jinja's probes, which the image's HEALTHCHECK uses too) on the
    port the app listens on, or the image's own health command for a worker."""
    project = charts[framework]
    probes = framework_facts({"framework": framework}).probes
    dockerfile = (project / "Dockerfile").read_text()
    for name, objects in renders(charts, framework).items():
        (deployment,) = [obj for obj in objects if obj["kind"] == "Deployment"]
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert "command" not in container and "args" not in container, "the image's own CMD runs"
        kinds = {kind: container[f"{kind}Probe"] for kind in ("startup", "liveness", "readiness")}
        if probes:
            ports = {port["name"] for port in container["ports"]}
            assert {kind: (p["httpGet"]["path"], p["httpGet"]["port"] in ports) for kind, p in kinds.items()} == {
                "startup": (probes["liveness"], True),
                "liveness": (probes["liveness"], True),
                "readiness": (probes["readiness"], True),
            }, name
            assert f"http://127.0.0.1:8000{probes['liveness']}" in dockerfile
            assert [port["containerPort"] for port in container["ports"]] == [8000]
        else:
            healthcheck = re.search(r"^HEALTHCHECK .*\n\s+CMD (\[.*\])$", dockerfile, re.MULTILINE)
            assert healthcheck, "the worker's image has a HEALTHCHECK"
            assert {kind: p["exec"]["command"] for kind, p in kinds.items()} == dict.fromkeys(
                kinds, json.loads(healthcheck[1])
            )
            assert "ports" not in container and not [obj for obj in objects if obj["kind"] in ("Service", "Ingress")]


@frameworks
def test_grace_period_outlasts_the_servers_drain_and_graceful_timeout(charts, framework):
    server = charts[framework] / "gunicorn.conf.py"
    stop = 10  # the worker, without gunicorn: Docker's default stop timeout
    if server.exists():
        stop = _setting(server, "GUNICORN_DRAIN_SECONDS") + _setting(server, "GUNICORN_GRACEFUL_TIMEOUT")
    for name, objects in renders(charts, framework).items():
        (deployment,) = [obj for obj in objects if obj["kind"] == "Deployment"]
        assert deployment["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] > stop, name


def _setting(server: Path, name: str) -> int:
    """The default of a gunicorn.conf.py whole-number setting."""
    return int(re.search(rf'^\w+ = whole_number\("{name}", (\d+)', server.read_text(), re.MULTILINE)[1])


@pytest.mark.parametrize("framework", on_its_worker(SERVERS))
def test_workers_follow_the_cpu_limit_and_fit_the_memory_limit(charts, framework):
    """No WEB_CONCURRENCY: gunicorn's workers follow the CPU quota the kubelet sets from limits.cpu (gunicorn.conf.py
    reads it), and limits.memory holds that many as the README budgets them (framework.jinja's memory)."""
    per_cpu = workers_per_cpu(charts[framework])
    memory = framework_facts({"framework": framework}).memory
    for name, objects in renders(charts, framework).items():
        (deployment,) = [obj for obj in objects if obj["kind"] == "Deployment"]
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        assert "WEB_CONCURRENCY" not in {variable["name"] for variable in container.get("env", [])}, name
        limits = container["resources"]["limits"]
        workers = per_cpu * math.ceil(_cores(limits["cpu"]))
        assert memory["master"] + workers * memory["worker"] <= _mebibytes(limits["memory"]), name


def _cores(quantity: str) -> float:
    return int(quantity[:-1]) / 1000 if str(quantity).endswith("m") else float(quantity)


def _mebibytes(quantity: str) -> int:
    number, unit = re.fullmatch(r"(\d+)(Mi|Gi)", str(quantity)).groups()
    return int(number) * (1024 if unit == "Gi" else 1)


@frameworks
def test_settings_come_from_a_configmap_and_secrets_never_from_values(charts, framework):
    project = charts[framework]
    example = {
        line.split("=", 1)[0]
        for line in (project / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    }
    secret_like = re.compile(r"SECRET|PASSWORD|TOKEN|DATABASE_URL")
    for name, objects in renders(charts, framework).items():
        assert not [obj for obj in objects if obj["kind"] == "Secret"], name
        (config,) = [obj for obj in objects if obj["kind"] == "ConfigMap"]
        assert set(config["data"]) <= example, f"{name}: settings the service does not read"
        assert not [key for key in config["data"] if secret_like.search(key)], name
        (deployment,) = [obj for obj in objects if obj["kind"] == "Deployment"]
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        sources = [next(iter(source)) for source in container["envFrom"]]
        assert (
            sources[0] == "configMapRef"
            and container["envFrom"][0]["configMapRef"]["name"] == config["metadata"]["name"]
        )
        if framework_facts({"framework": framework}).postgres:
            assert sources == ["configMapRef", "secretRef"], name


@frameworks
def test_migrations_run_before_the_release_rolls(charts, framework):
    project = charts[framework]
    migrations = {
        name: [obj for obj in objects if obj["kind"] == "Job" and obj["metadata"]["name"].endswith("-migrate")]
        for name, objects in renders(charts, framework).items()
    }
    if not framework_facts({"framework": framework}).postgres:
        assert not any(migrations.values())
        return
    compose = yaml.safe_load((project / "compose.yaml").read_text())
    for name, (job,) in migrations.items():
        assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade", name
        (container,) = job["spec"]["template"]["spec"]["containers"]
        assert container["command"] == compose["services"]["migrate"]["command"], name
        (deployment,) = [obj for obj in renders(charts, framework)[name] if obj["kind"] == "Deployment"]
        assert container["image"] == deployment["spec"]["template"]["spec"]["containers"][0]["image"], name


@pytest.mark.xdist_group(combo_id(CHART_COMBOS["datascience"]))
def test_training_job_and_cronjob(charts):
    datascience = charts["datascience"]
    rendered = renders(charts, "datascience")
    assert not [obj for obj in rendered["default"] if obj["kind"] in ("Job", "CronJob")]
    (job,) = [obj for obj in rendered["training"] if obj["kind"] == "Job"]
    assert job["metadata"]["annotations"]["helm.sh/hook"] == "pre-install,pre-upgrade"
    (cron,) = [obj for obj in rendered["cronjob"] if obj["kind"] == "CronJob"]
    assert not [obj for obj in rendered["cronjob"] if obj["kind"] == "Job"]
    values = yaml.safe_load((datascience / "deploy" / "chart" / "values.yaml").read_text())["training"]
    for spec in (job["spec"], cron["spec"]["jobTemplate"]["spec"]):
        pod = spec["template"]["spec"]
        (container,) = pod["containers"]
        assert container["command"] == values["command"]
        assert container["image"].startswith(values["image"]["repository"] + ":")
        claims = {
            v["name"]: v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"] if "persistentVolumeClaim" in v
        }
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        assert claims[mounts[container["command"][container["command"].index("--output") + 1]]] == values["modelClaim"]
    # The model module the command runs is the project's own training entry point.
    assert (datascience / values["command"][2].replace(".", "/")).with_suffix(".py").is_file()
    (serving,) = [obj for obj in rendered["training"] if obj["kind"] == "Deployment"]
    pod = serving["spec"]["template"]["spec"]
    config = next(obj for obj in rendered["training"] if obj["kind"] == "ConfigMap")["data"]
    (container,) = pod["containers"]
    mounted = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    claims = {
        v["name"]: v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"] if "persistentVolumeClaim" in v
    }
    assert claims[mounted[config["MODEL_DIR"]]] == values["modelClaim"]


@pytest.mark.parametrize(
    ("change", "finding"),
    [
        # kubernetes-validate --strict: a field Kubernetes does not know.
        (("deployment.yaml", "protocol: TCP", "protocol: TCP\n              hostPorts: 80"), "hostPorts"),
        # checkov: a container that may write its root file system.
        (("_helpers.tpl", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false"), "CKV_K8S_22"),
        # helm lint --strict: a template that does not render.
        (("_helpers.tpl", "{{- end -}}", "{{- end -}}{{ end }}"), "unexpected {{end}}"),
    ],
)
@pytest.mark.xdist_group(combo_id(CHART_COMBOS["flask"]))
def test_check_chart_fails_on_a_broken_chart(charts, tmp_path, change, finding):
    """Each of check-chart.sh's tools fails it on the problem it exists to find."""
    project = shutil.copytree(charts["flask"], tmp_path / "project")
    name, old, new = change
    template = project / "deploy" / "chart" / "templates" / name
    assert old in template.read_text()
    template.write_text(template.read_text().replace(old, new, 1))
    checked = check_chart(project)
    assert checked.returncode != 0
    assert finding in checked.stdout + checked.stderr


# What the API server refuses and no schema says: a name or a label value longer than 63 characters (a Service's
# name is a DNS label, a Job's becomes its pods' job-name label), a CronJob's longer than 52 (its Jobs add 11).
NAME_LIMITS = {"CronJob": 52}
LABEL_LIMIT = 63


def label_values(node) -> list[str]:
    """Every label value in an object, its pod templates' and selectors' included."""
    if isinstance(node, list):
        return [value for item in node for value in label_values(item)]
    if not isinstance(node, dict):
        return []
    found = [str(value) for key in ("labels", "matchLabels") for value in (node.get(key) or {}).values()]
    return found + [value for key, item in node.items() if key not in ("labels", "matchLabels")
                    for value in label_values(item)]  # fmt: skip


def helm_only(folder: Path) -> str:
    """PATH for check-chart.sh's helm steps alone: kubernetes-validate and checkov as commands that pass."""
    folder.mkdir()
    for name in ("kubernetes-validate", "checkov"):
        (folder / name).write_text("#!/bin/sh\n")
        (folder / name).chmod(0o755)
    return os.pathsep.join([str(kube.helm().parent), str(folder), os.environ["PATH"]])


@pytest.mark.parametrize("framework", [on_the_longest_names_worker(name) for name in FRAMEWORKS])
def test_the_longest_slug_renders_within_kubernetes_name_limits(longest, framework, tmp_path):
    """Issue 27: with the longest slug, helm refused the release name check-chart.sh rendered with (Helm's are
    at most 53 characters). Its helm steps pass (lint --strict, template with every values file), and every
    name and label they render is within Kubernetes' limits. Its validators and scanner, whose findings no
    name's length changes, run on the default names here (test_chart_checks_clean_with_every_values_file)
    and on the longest in the project tier's make chart-check."""
    checked = check_chart(longest[framework], tmp_path / "rendered", path=helm_only(tmp_path / "bin"))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    rendered = sorted((tmp_path / "rendered").glob("*.yaml"))
    objects = [doc for path in rendered for doc in yaml.safe_load_all(path.read_text()) if doc]
    too_long = [
        f"{obj['kind']}/{obj['metadata']['name']}"
        for obj in objects
        if len(obj["metadata"]["name"]) > NAME_LIMITS.get(obj["kind"], LABEL_LIMIT)
    ]
    too_long += [value for obj in objects for value in label_values(obj) if len(value) > LABEL_LIMIT]
    assert too_long == []
