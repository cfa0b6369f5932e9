"""Reject answers that would generate a broken project, before any file is written.

Each rule names the answer, the bad value and what is allowed, in one line.
Cookiecutter itself rejects values outside a choice list (e.g. an unknown
framework), so only the free-text answers are checked here.
"""

import keyword
import re
import sys

# fmt: off
# Rendered by cookiecutter: tojson makes each answer a safely quoted Python string.
ANSWERS = {
    "project_name": {{ cookiecutter.project_name | tojson }},
    "project_slug": {{ cookiecutter.project_slug | tojson }},
    "package_name": {{ cookiecutter.package_name | tojson }},
    "author_email": {{ cookiecutter.author_email | tojson }},
    "version": {{ cookiecutter.version | tojson }},
    "docker_image": {{ cookiecutter.docker_image | tojson }},
}
FRAMEWORK = {{ cookiecutter.framework | tojson }}
# fmt: on

# Import names a generated package must not take, as it would shadow them on sys.path: every top-level
# module its locks install (Python 3.11's hold every other version's packages), Windows- and macOS-only ones
# included (colorama, tzdata, appnope, winpty). tests/test_project.py checks them against each project's venv.
# What every project installs: the dev tools (pytest, ruff, pre-commit, uv), their dependencies and the pip
# venv's own; `test` is CPython's own test package, which sys.stdlib_module_names leaves out.
SHARED_MODULES = set(
    """_distutils_hack _pytest _yaml cfgv colorama distlib filelock identify iniconfig nodeenv packaging pip
    pkg_resources platformdirs pluggy pre_commit py pygments pytest python_discovery ruff setuptools test
    tests uv virtualenv yaml""".split()
)
# Each framework's own: its runtime and role (e.g. pytest_django) packages.
DEPENDENCY_MODULES = {
    "flask": set("blinker click flask gunicorn itsdangerous jinja2 markupsafe werkzeug".split()),
    "fastapi": set(
        """alembic annotated_doc annotated_types anyio click dotenv fastapi gunicorn h11 httpcore2 httpx2
        httpx2_jsfetch idna mako markupsafe opentelemetry psycopg psycopg_binary pydantic pydantic_core
        pydantic_settings sqlalchemy starlette truststore typing_extensions typing_inspection tzdata uvicorn
        uvicorn_worker""".split()
    ),
    "django": set(
        """asgiref dj_database_url django gunicorn psycopg psycopg_binary pytest_django sqlparse
        typing_extensions tzdata whitenoise""".split()
    ),
    # Serving, training and the notebooks' packages: they all share the development venv.
    "datascience": set(
        """_argon2_cffi_bindings _cffi_backend annotated_doc annotated_types anyio appnope argon2 arrow
        asttokens async_lru attr attrs babel bleach bs4 certifi cffi charset_normalizer click cloudpickle
        comm contourpy cycler dateutil debugpy defusedxml executing fastapi fastjsonschema fqdn gunicorn h11
        httpcore httpcore2 httpx httpx2 httpx2_jsfetch idna ipykernel ipykernel_launcher
        ipython_pygments_lexers isoduration jedi jinja2 joblib json5 jsonpointer jsonschema
        jsonschema_specifications jupyter jupyter_builder jupyter_client jupyter_core jupyter_events
        jupyter_lsp jupyter_server jupyter_server_terminals jupyterlab jupyterlab_pygments jupyterlab_server
        kiwisolver lark markupsafe matplotlib matplotlib_inline mistune mpl_toolkits narwhals nbclient
        nbconvert nbformat nest_asyncio2 notebook_shim numpy opentelemetry overrides pandas pandocfilters
        parso pexpect prometheus_client prompt_toolkit psutil ptyprocess pure_eval pycparser pydantic
        pydantic_core pylab pyparsing pythonjsonlogger referencing requests rfc3339_validator
        rfc3986_validator rfc3987_syntax rpds scipy send2trash six sklearn soupsieve stack_data starlette
        terminado threadpoolctl tinycss2 tornado traitlets truststore typing_extensions typing_inspection
        tzdata uri_template urllib3 uvicorn uvicorn_worker wcwidth webcolors webencodings websocket winpty
        zmq""".split()
    ),
    # The standard library only, so far: a runtime dependency added to it brings its import names here.
    "minimal": set(),
}
# The generated projects' own top-level folders, which a package of the same name would merge into.
FOLDERS = set("data frontend migrations models notebooks requirements staticfiles".split())

SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
PACKAGE = re.compile(r"[a-z_][a-z0-9_]*")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
# PEP 440 public versions, as in the spec's appendix (canonical forms only).
_N = r"(0|[1-9][0-9]*)"
VERSION = re.compile(rf"{_N}(\.{_N})*((a|b|rc){_N})?(\.post{_N})?(\.dev{_N})?")
# A Docker repository name (optionally with a registry host), without a tag.
_COMPONENT = r"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*"
IMAGE = re.compile(rf"([a-z0-9]+([.-][a-z0-9]+)*(:[0-9]+)?/)?{_COMPONENT}(/{_COMPONENT})*")


def problems(answers):
    slug, package, email = answers["project_slug"], answers["package_name"], answers["author_email"]
    if not answers["project_name"].strip():
        yield "project_name is empty: give the service a name, e.g. 'Billing API'"
    if not SLUG.fullmatch(slug) or len(slug) > 63:
        yield (
            f"project_slug {slug!r} is not a valid directory/distribution name: use lowercase letters, "
            "digits and single hyphens, start with a letter, at most 63 characters (e.g. billing-api)"
        )
    if not PACKAGE.fullmatch(package):
        yield (
            f"package_name {package!r} is not a valid Python identifier: use lowercase letters, digits "
            "and underscores, not starting with a digit (e.g. billing_api)"
        )
    elif keyword.iskeyword(package) or keyword.issoftkeyword(package):
        yield f"package_name {package!r} is a Python keyword: choose another name (e.g. {package}_service)"
    elif package in sys.stdlib_module_names:
        yield f"package_name {package!r} shadows the standard library module {package!r}: choose another name"
    elif package in FOLDERS:
        yield f"package_name {package!r} is the name of one of the project's folders ({package}/): choose another name"
    elif package in SHARED_MODULES | DEPENDENCY_MODULES[FRAMEWORK]:
        yield f"package_name {package!r} shadows the dependency module {package!r}: choose another name"
    if not EMAIL.fullmatch(email):
        yield f"author_email {email!r} is not an email address (e.g. team@example.com)"
    if not VERSION.fullmatch(answers["version"]):
        yield f"version {answers['version']!r} is not a PEP 440 version (e.g. 0.1.0)"
    if not IMAGE.fullmatch(answers["docker_image"]):
        yield (
            f"docker_image {answers['docker_image']!r} is not a valid image name: lowercase path "
            "components, an optional registry host, no tag (e.g. billing-api or ghcr.io/acme/billing-api)"
        )


if __name__ == "__main__":
    errors = list(problems(ANSWERS))
    for error in errors:
        print(f"ERROR: {error}", file=sys.stderr)
    sys.exit(1 if errors else 0)
