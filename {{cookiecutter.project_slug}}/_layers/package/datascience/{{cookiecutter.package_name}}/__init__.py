{{ cookiecutter.description | docstring }}

__version__ = {{ cookiecutter.version | python_string }}
