"""conda packages managed with pixi: what can be proven where no conda channel and no pixi run.

Fast tier: every conda project's pixi.toml is valid for the pinned pixi and declares the environments
the Dockerfile installs; nothing of the stand-in reaches a project. Project and Docker tiers build the
environments with the stand-in (tests/standin.py, which says what that does not prove): the projects'
own tests pass in their development image, the channel holds the Pythons the suite builds on, and an
image build without pixi.lock stops with the message that says what to do. Production images are
checked with every other manager's in test_docker.py.
"""

import re
import tomllib
import uuid

import check_jsonschema
import pytest
from conftest import CHOICES, COMBINATIONS, ROOT, bake, combo_id, compose_env, inspect, pairs, run
from facts import manager_facts
from standin import PYTHONS, Environments, environments, standin, uses_standin

CONDA = [combo for combo in COMBINATIONS if uses_standin(combo)]
CONDA_PAIRS = [pair | {"python_version": PYTHONS[-1]} for pair in pairs() if uses_standin(pair)]
SCHEMA = ROOT / "tests" / "schemas" / "pixi-manifest-v0.77.0.schema.json"


def manifest(project) -> dict:
    return tomllib.loads((project / "pixi.toml").read_text())


def test_every_framework_meets_conda():
    assert {combo["framework"] for combo in CONDA} == set(CHOICES["framework"])


def test_the_schema_is_pixis_pinned_version():
    pinned = manager_facts(CONDA[0]).version
    assert SCHEMA.name == f"pixi-manifest-v{pinned}.schema.json"


@pytest.mark.parametrize("combo", CONDA, ids=combo_id)
def test_pixi_toml_matches_pixis_schema(baked, combo, capsys):
    # check-jsonschema's command in process: per combination (each combination's tests run where it is
    # baked), a process each costs many times the check.
    with pytest.raises(SystemExit) as exited:
        check_jsonschema.main(["--schemafile", str(SCHEMA), str(baked[combo_id(combo)] / "pixi.toml")])
    assert exited.value.code == 0, capsys.readouterr().out


@pytest.mark.parametrize("combo", CONDA, ids=combo_id)
def test_environments_share_one_solve_and_the_dockerfile_installs_each(baked, combo):
    project = baked[combo_id(combo)]
    pixi = manifest(project)
    assert pixi["workspace"]["channels"] == ["conda-forge"]
    assert pixi["dependencies"]["python"] == f"{combo['python_version']}.*"
    declared = pixi["environments"]
    assert {spec["solve-group"] for spec in declared.values()} == {"default"}
    assert "features" not in declared["prod"]  # production: the runtime alone
    assert set(declared["default"]["features"]) == set(pixi.get("feature", {}))  # development: everything
    # Each pixi stage starts from the pixi image itself, so a build can swap it for a ready environment.
    assert sorted(environments(project).values()) == sorted(declared)
    pixi = manager_facts(combo).images[1]
    assert (project / "Dockerfile").read_text().count(f"FROM {pixi} AS ") == len(declared)


@pytest.mark.parametrize("combo", CONDA, ids=combo_id)
def test_nothing_of_the_stand_in_reaches_a_project(baked, combo):
    project = baked[combo_id(combo)]
    # The stand-in's name, or a build that swaps a pixi stage for a ready-made environment.
    named = re.compile(r"\bstand-?in\b|builder[\w-]*=docker-image|additional_contexts", re.IGNORECASE)
    found = [path.name for path in project.rglob("*") if path.is_file() and named.search(path.read_text())]
    assert found == []


@pytest.mark.docker
def test_the_channel_holds_the_pythons_the_suite_builds_on(docker_engine):
    run(standin(), "channel")
    packages = inspect(docker_engine, "stagecraft-standin/conda-channel:0.1.0",
                       '{{index .Config.Labels "org.stagecraft.standin.packages"}}')  # fmt: skip
    assert re.findall(r"\bpython (\d+\.\d+)\.\d+", packages) == PYTHONS


@pytest.mark.docker
@pytest.mark.parametrize("answers", CONDA_PAIRS, ids=combo_id)
def test_pixi_toml_passes_the_stand_ins_checks(docker_engine, cookies, answers):
    """pixi's schema again, and every conda spec as rattler parses it, every PyPI spec as PEP 508."""
    project = bake(cookies, **answers)
    assert "ok" in run(standin(), "validate", project / "pixi.toml").stdout


@pytest.mark.docker
def test_an_image_build_without_pixi_lock_says_to_run_make_lock(docker_engine, cookies):
    project = bake(cookies, **CONDA_PAIRS[0])
    # No pixi image can be pulled here: a plain Debian takes its place, as a mirror would (--build-context);
    # the check runs before pixi would.
    pixi = manager_facts(CONDA_PAIRS[0]).images[1]
    built = run(docker_engine, "buildx", "build", "--progress=plain", f"--build-context={pixi}=docker-image://debian:trixie-slim",
                "--target", "builder", ".", cwd=project, check=False)  # fmt: skip
    assert built.returncode != 0
    assert "pixi.lock is missing: run 'make lock' and commit it" in built.stderr


@pytest.mark.project
@pytest.mark.parametrize("answers", CONDA_PAIRS, ids=combo_id)
def test_its_own_tests_pass_in_the_development_image(docker_engine, cookies, answers):
    """As the README's live edit does: the development image with the project mounted over /app; the
    Postgres frameworks against the test database `make db` starts, as `make test` does."""
    project = bake(cookies, **answers)
    built = Environments(docker_engine, project)
    tag = f"stagecraft-suite/conda-dev:{uuid.uuid4().hex[:8]}"
    compose = (project / "compose.yaml").exists()
    env = compose_env(project) if compose else {}
    try:
        run(docker_engine, "buildx", "build", "--load", "--quiet", "--target", "development", "--tag", tag,
            *built.build_args(), ".", cwd=project)  # fmt: skip
        database = []
        if compose:
            started = run("make", "db", cwd=project, env=env).stdout
            url = re.search(r"^DATABASE_URL=(\S+)$", started, re.MULTILINE).group(1)
            database = ["--network", "host", "--env", f"DATABASE_URL={url}"]
        tested = run(docker_engine, "run", "--rm", "--volume", f"{project}:/app", "--tmpfs", "/tmp", *database,
                     tag, "pytest", "-p", "no:cacheprovider")  # fmt: skip
        assert re.search(r"\d+ passed", tested.stdout), tested.stdout
        assert not re.search(r"\d+ (failed|error|skipped)", tested.stdout), tested.stdout
    finally:
        if compose:
            run("make", "db-reset", cwd=project, env=env, check=False)
        run(docker_engine, "image", "rm", "--force", tag, check=False)
        built.remove()
