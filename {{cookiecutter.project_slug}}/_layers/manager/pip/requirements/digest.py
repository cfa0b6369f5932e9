{% import "manager/pip/manager.jinja" as manager with context %}
"""Which requirements/*.in each requirements/*.txt was locked from, as a digest in its header.

`make lock` records the digest (--record); the lock check (--check) fails saying to run it, then
names every .txt locked from other requirements/*.in than today's. Only requirement lines count:
editing a comment stales nothing, and a new release upstream changes no .in file: it never fails
the check.
"""

import argparse
import hashlib
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
LABEL = "# Locked from requirements/*.in with digest "
BEHIND = "{{ manager.lock_behind }}"


def digest() -> str:
    lines = []
    for path in sorted(HERE.glob("*.in")):
        for line in path.read_text(encoding="utf-8").splitlines():
            # pip's comment rule: a '#' at the start of a line or after whitespace.
            requirement = re.sub(r"(^|\s)#.*", "", line).strip()
            if requirement:
                lines.append(f"{path.name}: {requirement}")
    return "sha256:" + hashlib.sha256("\n".join(lines).encode()).hexdigest()


def record(stamp: str) -> None:
    """The stamp goes last in each header: Dependabot keeps a header when it relocks a file."""
    for path in sorted(HERE.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines = [line for line in lines if not line.startswith(LABEL)]
        body = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
        lines.insert(body, stamp + "\n")
        path.write_text("".join(lines), encoding="utf-8")


def check(stamp: str) -> int:
    locks = sorted(HERE.glob("*.txt"))
    stale = [path for path in locks if stamp not in path.read_text(encoding="utf-8").splitlines()]
    if stale:
        print(BEHIND, file=sys.stderr)
        print("Behind:", *(f"requirements/{path.name}" for path in stale), file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--record", action="store_true", help="write it into each .txt")
    action.add_argument("--check", action="store_true", help="exit 1 if a .txt is behind")
    stamp = LABEL + digest()
    if parser.parse_args().record:
        record(stamp)
    else:
        sys.exit(check(stamp))
