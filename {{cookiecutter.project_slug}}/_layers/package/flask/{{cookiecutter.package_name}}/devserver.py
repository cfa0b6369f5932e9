"""What `flask run`'s server (werkzeug) logs, made to fit the app's log: without its request lines,
which the app's access log writes already with their request ids, and without terminal colours,
which a log line should not hold. Under gunicorn werkzeug serves nothing and logs nothing."""

import logging
import re

# werkzeug's request line (serving.WSGIRequestHandler.log_request) and the colour codes it adds.
REQUEST_LINE = '"%s" %s %s'
COLOURS = re.compile(r"\x1b\[[0-9;]*m")


class Lines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).endswith(REQUEST_LINE):
            return False
        record.msg = COLOURS.sub("", str(record.msg))
        return True


LINES = Lines()


def quieten() -> None:
    """Filter werkzeug's logger; once, however many apps are made."""
    logging.getLogger("werkzeug").addFilter(LINES)
