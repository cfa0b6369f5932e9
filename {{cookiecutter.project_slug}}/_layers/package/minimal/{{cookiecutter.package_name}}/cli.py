"""The command line.

`python -m {{ cookiecutter.package_name }} --help` lists the commands.
"""

import argparse
import sys

from {{ cookiecutter.package_name }} import __doc__ as about
from {{ cookiecutter.package_name }} import __version__, config, health, logs, worker


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(
        prog="python -m {{ cookiecutter.package_name }}",
        description=about,
        epilog="Settings come from the environment: see .env.example.",
    )
    version = f"{{ cookiecutter.project_slug }} {__version__}"
    cli.add_argument("--version", action="version", version=version)
    commands = cli.add_subparsers(dest="command", required=True, metavar="command")
    commands.add_parser("run", help="work every INTERVAL_SECONDS until SIGTERM or Ctrl+C")
    commands.add_parser("once", help="do one unit of work and exit (for cron and batch jobs)")
    commands.add_parser("health", help="exit 0 while the worker's heartbeat is fresh, 1 if not")
    return cli


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = config.load()
    except config.SettingsError as error:
        # 1, not 2: Docker reserves a health check's exit code 2.
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.command == "health":
        healthy, reason = health.check(settings)
        print(reason)
        return 0 if healthy else 1
    logs.configure()
    if args.command == "once":
        worker.work_once()
    else:
        worker.run(settings)
    return 0
