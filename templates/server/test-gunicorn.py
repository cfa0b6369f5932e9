PROJECT = Path(__file__).resolve().parents[1]


def check_gunicorn_config(**env: str) -> subprocess.CompletedProcess[str]:
    """What gunicorn says about its settings: gunicorn.conf.py checks them in the master."""
    command = [sys.executable, "-m", "gunicorn", "--check-config", "--config", "gunicorn.conf.py"]
    return subprocess.run(  # noqa: S603 (this interpreter, running this project)
        command, cwd=PROJECT, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )


def assert_one_line_naming(result: subprocess.CompletedProcess[str], name: str) -> None:
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"error: {name}")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GUNICORN_TIMEOUT", "soon"),
        ("GUNICORN_DRAIN_SECONDS", "-1"),
        ("WEB_CONCURRENCY", "0"),
        ("BIND", "0.0.0.0:http"),
        ("LOG_FORMAT", "xml"),
    ],
)
def test_a_bad_server_setting_stops_with_one_line_naming_it(name: str, value: str) -> None:
    assert_one_line_naming(check_gunicorn_config(**{name: value}), name)


def test_ready_answers_503_while_gunicorn_drains(
    get: Get, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    draining = tmp_path / "draining"
    monkeypatch.setenv("GUNICORN_DRAINING_FILE", str(draining))
    served = get(REQUEST_PATH, {})[0]
    assert get("/ready", {})[0] == 200
    draining.touch()
    answers = [get(path, {})[0] for path in ("/ready", "/health", REQUEST_PATH)]
    assert answers == [503, 200, served]
