"""The application factory: one place that wires config, logging, routes and error handlers."""

from collections.abc import Mapping
from typing import Any

from flask import Flask

from {{ cookiecutter.package_name }} import access, devserver, errors, logs, routes
from {{ cookiecutter.package_name }}.config import Config, check


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; settings come from Config, then FLASK_* variables, then overrides."""
    logs.configure()
    devserver.quieten()
    app = Flask(__name__)
    app.config.from_object(Config)
    app.config.from_prefixed_env()
    if overrides:
        app.config.update(overrides)
    check(app.config)
    app.register_blueprint(routes.blueprint)
    errors.register(app)
    app.wsgi_app = access.AccessLog(app.wsgi_app)
    return app
