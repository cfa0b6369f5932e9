{{ cookiecutter.description | docstring }}
