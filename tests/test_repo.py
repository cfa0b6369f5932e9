"""Fast tier: the template repository's own code (hooks, suite, scripts, benchmarks) is lint-clean."""

from conftest import ROOT, run

OWN_CODE = ["hooks", "tests", "scripts/lock-template", "benchmarks"]


def test_own_code_passes_ruff():
    run("ruff", "check", "--no-cache", *OWN_CODE, cwd=ROOT)
    run("ruff", "format", "--no-cache", "--check", *OWN_CODE, cwd=ROOT)


def test_own_dockerfiles_pass_hadolint():
    run("hadolint", "tests/locker.Dockerfile", cwd=ROOT)
