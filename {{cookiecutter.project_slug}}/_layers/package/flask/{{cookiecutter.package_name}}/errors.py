"""Every error leaves the service as JSON, never as an HTML page."""

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException, InternalServerError


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[Response, int]:
        body = {"code": error.code, "name": error.name, "description": error.description}
        return jsonify(error=body), error.code or 500

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[Response, int]:
        app.logger.exception("Unhandled exception")
        return http_error(InternalServerError())
