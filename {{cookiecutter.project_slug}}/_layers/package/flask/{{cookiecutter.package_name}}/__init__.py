{{ cookiecutter.description | docstring }}

from {{ cookiecutter.package_name }}.app import create_app

__all__ = ["create_app"]
