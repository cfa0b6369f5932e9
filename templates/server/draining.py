"""Whether this service is draining: on SIGTERM gunicorn's master creates a file and waits a few
seconds before it stops (gunicorn.conf.py), and /ready answers 503 meanwhile, so a load balancer
sends new requests elsewhere while this instance still serves those that reach it. The master names
the file in the environment its workers inherit; the dev server names none, so it is never draining.
"""

import os


def draining() -> bool:
    flag = os.environ.get("GUNICORN_DRAINING_FILE")
    return flag is not None and os.path.exists(flag)
