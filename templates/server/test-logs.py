def record(message: str = "hello", exc_info: Any = None) -> logging.LogRecord:
    return logging.LogRecord("demo", logging.INFO, __file__, 1, message, None, exc_info)


def test_text_lines_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    line = logs.formatter().format(record())
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO demo: hello", line)


def test_json_lines_are_one_object_each_traceback_included(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_FORMAT", "json")
    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        line = logs.formatter().format(record("it failed", sys.exc_info()))
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == "it failed"
    assert parsed["level"] == "INFO"
    assert parsed["timestamp"].endswith("+00:00")
    assert "second line" in parsed["exception"]


@pytest.mark.parametrize(("name", "value"), [("LOG_FORMAT", "xml"), ("LOG_LEVEL", "loud")])
def test_a_bad_log_setting_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit) as exited:
        logs.formatter()
        logs.level()
    assert str(exited.value).startswith(f"error: {name}='{value}'")
