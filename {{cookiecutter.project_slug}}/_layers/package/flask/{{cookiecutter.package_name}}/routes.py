"""HTTP routes: the liveness and readiness probes and an example JSON endpoint."""

from flask import Blueprint, abort, current_app, request

from {{ cookiecutter.package_name }}.draining import draining

blueprint = Blueprint("api", __name__)


@blueprint.get("/health")
def health() -> dict[str, str]:
    """Liveness: answers as long as the process can serve requests."""
    return {"status": "ok"}


@blueprint.get("/ready")
def ready() -> tuple[dict[str, str], int]:
    """Readiness: new requests are welcome, which they stop being while the server drains."""
    if draining():
        return {"status": "draining"}, 503
    return {"status": "ready"}, 200


@blueprint.get("/api/greeting")
def greeting() -> dict[str, str]:
    name = request.args.get("name", "world").strip()
    longest = current_app.config["MAX_NAME_LENGTH"]
    if not name or len(name) > longest:
        abort(400, description=f"name must be 1 to {longest} characters")
    return {"message": f"{current_app.config['GREETING']}, {name}!"}
