"""The click group and what every command shares: the options ``--now``, ``--tz`` and
``--format``, reading the files named on the command line, showing times, and reporting errors.

Conventions (see ``docs/cli.md``):

* ``--now INSTANT`` is an ISO 8601 instant with an offset or ``Z``; a command that reads a log
  defaults to the log's last event, and says which instant it used and why;
* a time a person reads is shown in the tenant's own zone beside UTC (``03-08 03:15 EDT`` and
  ``07:15Z``), or in ``--tz ZONE``; a time that belongs to no tenant uses ``--tz`` or the
  policy's calendar zone. JSON stays UTC;
* ``--format table|json``; the JSON output is an object with a ``schema_version``;
* an error names the argument as the user typed it (``LOG:``, ``--policy:``) and exits 2.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import sys
import zoneinfo
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final, ParamSpec, TypeVar

import attrs
import click
from rich.console import Console, RenderableType
from rich.style import StyleType
from rich.table import Table
from rich.text import Text

from reliability_policy._files import MAX_DOCUMENT_BYTES, MAX_LOG_BYTES, read_text
from reliability_policy.defaults import default_policy
from reliability_policy.errors import (
    EventLogError,
    NaiveDatetimeError,
    PolicyConfigError,
    PolicyError,
    PolicyInputError,
    Problem,
)
from reliability_policy.eventlog import loads_events
from reliability_policy.lifecycle import Event
from reliability_policy.loading import loads_policy, loads_tenants
from reliability_policy.policy import Policy
from reliability_policy.security import TenantRouting
from reliability_policy.timing import format_duration, parse_instant, require_zone

EXIT_OK: Final = 0
EXIT_FINDING: Final = 1
EXIT_BAD_INPUT: Final = 2

JSON_SCHEMA_VERSION: Final = 1
"""The version of the JSON objects the commands print (``--format json``), see docs/cli.md."""

NOW_METAVAR: Final = "INSTANT"
NOW_HELP: Final = (
    "Work as of this instant, ISO 8601 with an offset or Z (e.g. 2026-03-08T09:00:00Z)"
)
LOG_LAST_EVENT: Final = "the log's last event"
INSTANT_ON_THE_COMMAND_LINE: Final = "an instant with an offset or Z, e.g. 2026-03-08T09:00:00Z"
_AWARE: Final = "a timezone-aware datetime"  # what the library expects of a Python value
_NAIVE: Final = "a time without an offset is never guessed"

F = TypeVar("F", bound=Callable[..., Any])
P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="customernode-reliability-policy")
def main() -> None:
    """CustomerNode's reliability policy as code: classify, audit, plan and route."""


def console() -> Console:
    """A console on standard output, as wide as the terminal (or ``COLUMNS``; 80 otherwise)."""
    return Console(soft_wrap=False)


def say(out: Console, text: str) -> None:
    """Print a line of plain text (no markup, no highlighting); rich wraps it to the width."""
    out.print(text, markup=False, highlight=False)


class PlainTable(Table):
    """A table whose string cells are plain text: a ``[rule]`` in a reason is not markup."""

    def add_row(
        self,
        *renderables: RenderableType | None,
        style: StyleType | None = None,
        end_section: bool = False,
    ) -> None:
        """Add a row; strings are taken as plain text."""
        cells = [Text(cell) if isinstance(cell, str) else cell for cell in renderables]
        super().add_row(*cells, style=style, end_section=end_section)


def new_table(
    *columns: str,
    title: str | None = None,
    max_widths: Mapping[str, int] | None = None,
    **options: Any,
) -> Table:
    """A table whose cells wrap (or fold) to the width and never ellipsize or crop.

    ``max_widths`` caps the natural width of wordy columns, so that the narrow key columns
    (times, tenants) keep theirs in 80 columns.
    """
    table = PlainTable(title=title, **options)
    caps = max_widths or {}
    for column in columns:
        table.add_column(column, overflow="fold", max_width=caps.get(column))
    return table


def echo_json(data: Any) -> None:
    """Print a JSON document (UTC instants, as the library writes them)."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


# --- the shared options ---------------------------------------------------------------------


def policy_options(command: F) -> F:
    """Add ``--policy FILE`` and ``--tenants FILE`` to a command."""
    command = click.option(
        "--tenants",
        "tenants_path",
        metavar="FILE",
        help="A tenant terms document (TOML or JSON) added to the policy.",
    )(command)
    return click.option(
        "--policy",
        "policy_path",
        metavar="FILE",
        help="A policy document (TOML or JSON); default: the built-in policy.",
    )(command)


def now_option(default: str) -> Callable[[F], F]:
    """Add ``--now INSTANT`` (into ``now_text``); ``default`` says what it defaults to."""

    def decorate(command: F) -> F:
        return click.option(
            "--now",
            "now_text",
            metavar=NOW_METAVAR,
            help=f"{NOW_HELP}; default: {default}.",
        )(command)

    return decorate


def tz_option(command: F) -> F:
    """Add ``--tz ZONE``: show times in one zone instead of each tenant's own."""
    return click.option(
        "--tz",
        "tz",
        metavar="ZONE",
        help=(
            "Show times in this IANA zone (e.g. America/New_York) beside UTC, instead of "
            "each tenant's own zone."
        ),
    )(command)


def exit_zero_option(what: str = "breaches are found") -> Callable[[F], F]:
    """Add ``--exit-zero`` (into ``exit_zero``): exit 0 even when ``what`` (bad input still 2)."""
    return click.option(
        "--exit-zero", is_flag=True, help=f"Exit 0 even when {what} (bad input still exits 2)."
    )


def format_option(*extra: str) -> Callable[[F], F]:
    """Add ``--format [table|json|...]`` (into ``output``), default ``table``."""

    def decorate(command: F) -> F:
        return click.option(
            "--format",
            "output",
            type=click.Choice(["table", "json", *extra]),
            default="table",
            show_default=True,
            help="table for people; json for programs (a versioned object, see docs/cli.md).",
        )(command)

    return decorate


def parse_now(text: str) -> dt.datetime:
    """The instant given as ``--now``, with a command-line message when it is not one.

    Raises:
        PolicyInputError: the text is not an ISO 8601 instant with an offset or ``Z``.
    """
    try:
        return parse_instant(text, "--now")
    except NaiveDatetimeError:
        raise PolicyInputError("--now", text, INSTANT_ON_THE_COMMAND_LINE, _NAIVE) from None
    except PolicyInputError:
        raise PolicyInputError("--now", text, INSTANT_ON_THE_COMMAND_LINE) from None


@attrs.frozen
class AsOf:
    """The instant a command works as of, and why that one (for the header)."""

    at: dt.datetime
    why: str

    @classmethod
    def resolve(cls, now_text: str | None, default: dt.datetime | None, why: str) -> AsOf:
        """``--now`` if given, else ``default`` (``why`` names it, e.g. the log's last event).

        Raises:
            PolicyInputError: ``--now`` is not an instant, or there is no default.
        """
        if now_text is not None:
            return cls(parse_now(now_text), "--now")
        if default is None:
            raise PolicyInputError("--now", None, "an instant (the input mentions no time)")
        return cls(default, why)


# --- showing times ----------------------------------------------------------------------------


def local_and_utc(
    instant: dt.datetime, zone: str, separator: str = "\n", *, year: bool = False
) -> str:
    """``03-08 03:15 EDT`` and ``07:15Z`` (the UTC date too when it differs); UTC alone in UTC.

    With ``year``, dates carry the year (``2026-03-08``), for records that span years.

    >>> import datetime as dt
    >>> at = dt.datetime(2026, 3, 8, 7, 15, tzinfo=dt.UTC)
    >>> local_and_utc(at, "America/New_York", " ")
    '03-08 03:15 EDT 07:15Z'
    >>> local_and_utc(at, "UTC")
    '03-08 07:15 UTC'
    """
    utc = instant.astimezone(dt.UTC)
    local = utc.astimezone(zoneinfo.ZoneInfo(zone))
    day = "%Y-%m-%d" if year else "%m-%d"
    name = local.strftime("%Z")  # "+0545" where a zone has no abbreviation
    if name == "UTC" and not local.utcoffset():
        return utc.strftime(f"{day} %H:%M UTC")
    shown = local.strftime(f"{day} %H:%M {name}")
    same_day = local.date() == utc.date()
    return shown + separator + utc.strftime("%H:%MZ" if same_day else f"{day} %H:%MZ")


@attrs.frozen
class Clock:
    """How a command shows instants: in each tenant's zone, or in ``--tz``, beside UTC."""

    policy: Policy
    tz: str | None = None

    @classmethod
    def of(cls, policy: Policy, tz: str | None) -> Clock:
        """Raises ``PolicyInputError`` when ``--tz`` is not an IANA zone."""
        if tz is not None:
            require_zone(tz, "--tz")
        return cls(policy, tz)

    def zone(self, tenant: str | None = None) -> str:
        """``--tz``, else the tenant's zone, else the policy's calendar zone."""
        if self.tz is not None:
            return self.tz
        if tenant is not None:
            own = self.policy.for_tenant(tenant).time_zone
            if own is not None:
                return own
        return self.policy.calendar.time_zone

    def cell(
        self, instant: dt.datetime | None, tenant: str | None = None, *, year: bool = False
    ) -> str:
        """For a table cell: local time, then UTC on the next line; ``-`` for no time."""
        if instant is None:
            return "-"
        return local_and_utc(instant, self.zone(tenant), year=year)

    def line(self, instant: dt.datetime, tenant: str | None = None) -> str:
        """For running text: ``03-08 03:15 EDT (07:15Z)``."""
        shown = local_and_utc(instant, self.zone(tenant), "\n")
        local, _, utc = shown.partition("\n")
        return f"{local} ({utc})" if utc else local

    def legend(self, tenants: bool = True) -> str:
        """Which zone the times are in, for the line above a table."""
        if self.tz is not None:
            return f"Times in {self.tz}, with UTC (Z)."
        calendar = self.policy.calendar.time_zone
        if tenants:
            return (
                f"Times in each tenant's zone ({calendar} when the policy lists none), "
                "with UTC (Z); --tz ZONE shows another zone."
            )
        return f"Times in {calendar} (the policy's calendar zone); --tz ZONE shows another zone."


def dpa_status(entry: TenantRouting) -> str:
    """``met``, ``pending``, ``late by 2h``, ``missed by 1h``."""
    if entry.late_by is None:
        return entry.status.value
    return f"{entry.status.value} by {format_duration(entry.late_by)}"


# --- the files named on the command line ----------------------------------------------------


def resolve_policy(policy_path: str | None, tenants_path: str | None) -> Policy:
    """The policy named on the command line (``--policy``, ``--tenants``), or the built-in one.

    Raises:
        PolicyInputError: a file cannot be read (named ``--policy`` or ``--tenants``).
        PolicyConfigError: a document has problems.
    """
    if policy_path is None and tenants_path is None:
        return default_policy()
    tenants = None
    if tenants_path is not None:
        text = read_text(tenants_path, field="--tenants", limit=MAX_DOCUMENT_BYTES)
        tenants = loads_tenants(text, name=f"tenant terms document {tenants_path}")
    if policy_path is None:
        return loads_policy("schema_version = 1", tenants=tenants)
    text = read_text(policy_path, field="--policy", limit=MAX_DOCUMENT_BYTES)
    return loads_policy(text, tenants=tenants, name=f"policy document {policy_path}")


def read_document_text(path: str, argument: str) -> str:
    """The text of a document named by ``argument`` (``REQUEST``, ``--json``...).

    Raises:
        PolicyInputError: the file cannot be read; the message names ``argument``.
    """
    return read_text(path, field=argument, limit=MAX_DOCUMENT_BYTES)


def read_log(path: str, argument: str = "LOG") -> tuple[Event, ...]:
    """The events of the JSON Lines log named by ``argument``.

    Raises:
        PolicyInputError: the file cannot be read (the message names ``argument``), or a line
            is not an event (``LOG: line 3: ...``).
    """
    return read_lines(path, argument, loads_events)


def read_lines(path: str, argument: str, parse: Callable[[str], T]) -> T:
    """Read the JSON Lines file named by ``argument`` and parse it with ``parse``.

    Raises:
        PolicyInputError: the file cannot be read, or a line is bad; the message names
            ``argument`` (``EVIDENCE: line 3: at: ...``).
    """
    text = read_text(path, field=argument, limit=MAX_LOG_BYTES)
    with lines_of(argument):
        return parse(text)


def parse_log(text: str, argument: str = "LOG") -> tuple[Event, ...]:
    """The events of a JSON Lines log's text; a bad line is reported as ``LOG: line 3: ...``.

    Raises:
        PolicyInputError: a line is not an event.
    """
    with lines_of(argument):
        return loads_events(text)


@contextlib.contextmanager
def lines_of(argument: str) -> Iterator[None]:
    """Name ``argument`` in the error about a bad line of the file it names."""
    try:
        yield
    except EventLogError as error:
        field = f"{argument}: {error.field}"
        raise PolicyInputError(field, error.value, error.expected, error.detail) from None


def read_log_or_document(path: str, argument: str = "LOG") -> tuple[str, Any]:
    """The text of an event log or facts file, and the JSON object it holds if it is one.

    An event log (JSON Lines) gives ``None`` as the object, unless it has a single line.

    Raises:
        PolicyInputError: the file cannot be read as UTF-8 text; the message names ``argument``.
    """
    text = read_text(path, field=argument, limit=MAX_LOG_BYTES)
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    return text, data if isinstance(data, dict) else None


# --- errors ----------------------------------------------------------------------------------


def _shown(value: object) -> str:
    if isinstance(value, dt.datetime):
        return repr(value.isoformat())
    return repr(value)


def error_message(error: PolicyError) -> str:
    """The message for the command line: a naive time asks for an offset, in CLI words."""
    if isinstance(error, PolicyInputError) and error.expected == _AWARE:
        got = _shown(error.value)
        return f"{error.field}: expected {INSTANT_ON_THE_COMMAND_LINE}, got {got} ({_NAIVE})"
    return str(error)


def problem_message(problem: Problem) -> str:
    """One problem of a document, with a naive time asked for in command-line words."""
    if problem.kind == "invalid" and problem.expected == _AWARE:
        got = _shown(problem.value)
        return f"{problem.path}: expected {INSTANT_ON_THE_COMMAND_LINE}, got {got}"
    return str(problem)


def report_problems(source: str, problems: Sequence[Problem]) -> None:
    """Print a document's problems to standard error, one per line."""
    click.echo(f"error: the {source} has {len(problems)} problem(s):", err=True)
    for problem in problems:
        click.echo(f"  {problem_message(problem)}", err=True)


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the library's errors into exit code 2 with one problem per line, no traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except PolicyConfigError as error:
            report_problems(error.source, error.problems)
            sys.exit(EXIT_BAD_INPUT)
        except PolicyError as error:
            click.echo(f"error: {error_message(error)}", err=True)
            sys.exit(EXIT_BAD_INPUT)

    return wrapper
