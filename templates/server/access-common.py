# Probes ask every few seconds: at info they would bury the requests that matter.
PROBES = frozenset({"/health", "/ready"})
# A client's X-Request-ID is kept when it looks like an id, so no one can write into the log.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
log = logging.getLogger(__name__)


def request_id(header: str | None) -> str:
    """The client's (or a proxy's) X-Request-ID when it is a plausible id, otherwise a new one."""
    if header and REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def write(method: str, path: str, status: int, started: float, request: str) -> None:
    """One line per request with its latency; probes only at debug."""
    duration_ms = round((time.perf_counter() - started) * 1000, 1)
    log.log(
        logging.DEBUG if path in PROBES else logging.INFO,
        "%s %s %s %.1fms request_id=%s",
        method,
        path,
        status,
        duration_ms,
        request,
        extra={
            "request_id": request,
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": duration_ms,
        },
    )
