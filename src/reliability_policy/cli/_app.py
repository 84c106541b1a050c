"""The click group, shared options and the error handling every command uses."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, Final, ParamSpec, TypeVar

import click
from rich.console import Console

from reliability_policy._files import MAX_LOG_BYTES, read_text
from reliability_policy.defaults import default_policy
from reliability_policy.errors import PolicyConfigError, PolicyError
from reliability_policy.loading import load_policy, load_tenants, loads_policy
from reliability_policy.policy import Policy

EXIT_OK: Final = 0
EXIT_FINDING: Final = 1
EXIT_BAD_INPUT: Final = 2

F = TypeVar("F", bound=Callable[..., Any])
P = ParamSpec("P")
R = TypeVar("R")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="customernode-reliability-policy")
def main() -> None:
    """CustomerNode's reliability policy as code: classify, audit, plan and route."""


def console() -> Console:
    """A console on standard output; wide enough that tables do not wrap in pipes."""
    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 120)


def policy_options(command: F) -> F:
    """Add ``--policy FILE`` and ``--tenants FILE`` to a command."""
    command = click.option(
        "--tenants",
        "tenants_path",
        type=click.Path(dir_okay=False),
        help="A tenant terms document (TOML or JSON).",
    )(command)
    return click.option(
        "--policy",
        "policy_path",
        type=click.Path(dir_okay=False),
        help="A policy document (TOML or JSON); default: the built-in policy.",
    )(command)


def resolve_policy(policy_path: str | None, tenants_path: str | None) -> Policy:
    """The policy named on the command line, or the built-in default."""
    if policy_path is None and tenants_path is None:
        return default_policy()
    tenants = load_tenants(tenants_path) if tenants_path else None
    if policy_path is None:
        return loads_policy("schema_version = 1", tenants=tenants)
    return load_policy(policy_path, tenants=tenants)


def read_log_or_document(path: str, field: str) -> tuple[str, Any]:
    """The text of an event log or facts file, and the JSON object it holds if it is one.

    An event log (JSON Lines) gives ``None`` as the object, unless it has a single line.

    Raises:
        PolicyInputError: the file cannot be read as UTF-8 text.
    """
    text = read_text(path, field=field, limit=MAX_LOG_BYTES)
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    return text, data if isinstance(data, dict) else None


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the library's errors into exit code 2 with one problem per line, no traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except PolicyConfigError as error:
            click.echo(f"error: the {error.source} has {len(error.problems)} problem(s):", err=True)
            for problem in error.problems:
                click.echo(f"  {problem}", err=True)
            sys.exit(EXIT_BAD_INPUT)
        except PolicyError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper
