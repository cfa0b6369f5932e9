def access_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.endswith(".access")]


def test_an_access_line_carries_the_callers_request_id_and_latency(
    get: Get, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    status, headers = get(REQUEST_PATH, {"X-Request-ID": "req-42"})
    assert headers["x-request-id"] == "req-42"
    [line] = access_lines(caplog)
    assert line.levelno == logging.INFO
    assert (line.request_id, line.path, line.status) == ("req-42", REQUEST_PATH, status)
    assert line.duration_ms >= 0
    assert json.loads(logs.JsonFormatter().format(line))["request_id"] == "req-42"


@pytest.mark.parametrize("sent", [None, "", "has spaces", "x" * 129, "<script>"])
def test_a_missing_or_implausible_request_id_is_replaced(
    get: Get, caplog: pytest.LogCaptureFixture, sent: str | None
) -> None:
    caplog.set_level(logging.INFO)
    _, headers = get(REQUEST_PATH, {} if sent is None else {"X-Request-ID": sent})
    assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])
    assert [line.request_id for line in access_lines(caplog)] == [headers["x-request-id"]]


def test_probes_are_logged_at_debug_only(get: Get, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    get("/health", {})
    assert [line.levelno for line in access_lines(caplog)] == [logging.DEBUG]
