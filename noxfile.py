"""Every check of the project. ``nox`` runs tests, typecheck, lint and docs; ``nox -s bench``
and ``nox -s fuzz`` run on demand."""

from __future__ import annotations

import os

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["tests", "typecheck", "lint", "docs"]
nox.options.error_on_missing_interpreters = bool(os.environ.get("CI"))
nox.options.reuse_existing_virtualenvs = not os.environ.get("CI")

PYTHON = ["3.11"]

# Development tools are pinned; runtime dependencies keep lower bounds in pyproject.toml.
TEST_DEPS = [
    "pytest==9.2.0",
    "pytest-cov==7.1.0",
    "coverage==7.17.3",
    "hypothesis==6.170.17",
    # the status feed's readers: the Statuspage shape (a JSON Schema) and Atom
    "jsonschema==4.26.0",
    "feedparser==6.0.14",
]
TYPE_DEPS = ["mypy==2.4.1", "types-python-dateutil==2.9.0.20261116", *TEST_DEPS]
LINT_DEPS = ["ruff==0.17.6"]
LINTED = ["src", "tests", "docs", "bench", "examples", "tools", "noxfile.py"]
DOCS_DEPS = ["sphinx==9.0.4", "furo==2025.12.19", "myst-parser==5.2.0", *TEST_DEPS]
MUTATE_DEPS = ["mutmut==3.8.1", *TEST_DEPS]
BENCH_DEPS = ["transitions==0.9.3", "python-statemachine==3.2.2", *TEST_DEPS]


def _install(session: nox.Session, *deps: str) -> None:
    session.install("-e", ".[cli,testing]", *deps)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Unit, property and doctests, with branch coverage."""
    _install(session, *TEST_DEPS)
    session.run(
        "pytest",
        "--cov",
        "--cov-report=term",
        "--hypothesis-profile",
        os.environ.get("HYPOTHESIS_PROFILE", "fast"),
        *session.posargs,
    )


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict over src/ and the type-pinning files in tests/typing/."""
    _install(session, *TYPE_DEPS)
    session.run("mypy", "src", "tests/typing")


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install(*LINT_DEPS)
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the Sphinx docs with -n -W and run every >>> example in docs and docstrings."""
    _install(session, *DOCS_DEPS)
    session.run(
        "sphinx-build", "-n", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html"
    )
    session.run(
        "pytest",
        "-p",
        "no:cacheprovider",
        "--doctest-modules",
        "--doctest-glob=*.md",
        "-o",
        "testpaths=",
        "src/reliability_policy",
        "docs",
        "README.md",
    )


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks against peers and plain references; prints one table."""
    _install(session, *BENCH_DEPS)
    session.run("python", "-m", "bench", *session.posargs)


@nox.session(python=PYTHON)
def fuzz(session: nox.Session) -> None:
    """Every parser and the hostile-input properties (RRULEs built from parts, durations at
    their bounds, edge instants, control characters and NUL in text and paths) under the long
    "fuzz" Hypothesis profile. Extra arguments go to pytest (``nox -s fuzz -- -k hostile``)."""
    _install(session, *TEST_DEPS)
    session.run(
        "pytest",
        "-m",
        "fuzz",
        "--hypothesis-profile",
        "fuzz",
        "--hypothesis-show-statistics",
        *session.posargs,
    )


@nox.session(python=PYTHON)
def mutate(session: nox.Session) -> None:
    """Mutation testing with mutmut over every concern module and the loader, each mutant run
    against the tests that exercise its function; prints a table per module. Not in the default
    run. ``nox -s mutate -- severity`` runs one module; ``-- --table`` prints the last results."""
    _install(session, *MUTATE_DEPS)
    session.run("python", "-m", "tools.mutate", *session.posargs)
