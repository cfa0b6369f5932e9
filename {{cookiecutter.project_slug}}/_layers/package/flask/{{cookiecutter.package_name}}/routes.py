"""HTTP routes: the liveness probe and an example JSON endpoint."""

from flask import Blueprint, abort, current_app, request

blueprint = Blueprint("api", __name__)


@blueprint.get("/health")
def health() -> dict[str, str]:
    """Liveness: answers as long as the process can serve requests."""
    return {"status": "ok"}


@blueprint.get("/api/greeting")
def greeting() -> dict[str, str]:
    name = request.args.get("name", "world").strip()
    longest = current_app.config["MAX_NAME_LENGTH"]
    if not name or len(name) > longest:
        abort(400, description=f"name must be 1 to {longest} characters")
    return {"message": f"{current_app.config['GREETING']}, {name}!"}
