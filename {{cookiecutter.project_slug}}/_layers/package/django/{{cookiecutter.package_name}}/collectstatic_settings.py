"""Settings for the image's collectstatic step: production's, without this project's own apps.

collectstatic then reads only the settings, Django's own apps and the front-end bundle, so the
Dockerfile's `static` stage copies just those, and a change to a view, a model, a URL conf or a
template leaves it cached. An app of this project that ships a `static/` folder belongs in
STATIC_APPS below and in the `static` stage's COPY lines; a test fails until it is.
"""

from {{ cookiecutter.package_name }}.settings import *  # noqa: F403
from {{ cookiecutter.package_name }}.settings import INSTALLED_APPS

# This project's apps whose static/ folder collectstatic must read (none so far).
STATIC_APPS: list[str] = []
INSTALLED_APPS = [
    app for app in INSTALLED_APPS if not app.startswith(f"{__package__}.") or app in STATIC_APPS
]
