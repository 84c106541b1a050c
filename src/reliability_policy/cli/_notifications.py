"""``reliability-policy audit`` and ``next-due``: an incident's customer communication."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click
from rich.table import Table

from reliability_policy._time import format_duration, format_instant, parse_instant
from reliability_policy.cli._app import (
    EXIT_FINDING,
    EXIT_OK,
    console,
    main,
    policy_options,
    read_log_or_document,
    reports_errors,
    resolve_policy,
)
from reliability_policy.cli._lifecycle import timeline_data
from reliability_policy.eventlog import loads_events
from reliability_policy.lifecycle import Incident, replay
from reliability_policy.notifications import CommunicationFacts, audit, next_due
from reliability_policy.policy import Policy
from reliability_policy.security import TenantRouting
from reliability_policy.serialization import dumps, structure


def _subject(path: str, policy: Policy) -> Incident | CommunicationFacts:
    """An event log (JSON Lines), or a communication facts JSON document."""
    text, data = read_log_or_document(path, "LOG")
    if data is not None and "severities" in data:
        return structure(data, CommunicationFacts, source="communication facts document")
    return replay(loads_events(text), policy)


@main.command("audit")
@policy_options
@click.argument("log", type=click.Path(dir_okay=False))
@click.option("--now", "now_text", metavar="INSTANT", help="Judge as of this instant.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit 0 even when breaches are found (bad input still exits 2).",
)
@reports_errors
def audit_command(
    policy_path: str | None,
    tenants_path: str | None,
    log: str,
    now_text: str | None,
    output: str,
    exit_zero: bool,
) -> None:
    """Audit an incident's communication against the notification cadence.

    LOG is a JSON Lines event log (or a communication facts JSON document). Exit 0 when
    compliant, 1 when there are breaches, 2 on bad input.
    """
    policy = resolve_policy(policy_path, tenants_path)
    subject = _subject(log, policy)
    now = None if now_text is None else parse_instant(now_text, "--now")
    report = audit(subject, policy, now=now)
    if output == "json":
        click.echo(dumps(report))
    else:
        out = console()
        out.print(report.summary)
        if report.breaches or report.warnings:
            table = Table("level", "tenant", "rule", "reason")
            for finding in (*report.breaches, *report.warnings):
                table.add_row(finding.level.value, finding.tenant, finding.rule, finding.reason)
            out.print(table)
        if isinstance(subject, Incident):
            _print_timeline(timeline_data(subject, policy, _phase_end(subject, now)))
        if report.dpa_deadlines:
            _print_dpa(report.dpa_deadlines)
    sys.exit(EXIT_OK if report.compliant or exit_zero else EXIT_FINDING)


def _phase_end(incident: Incident, now: dt.datetime | None) -> dt.datetime | None:
    """Where the current phase's duration ends: ``--now``, unless the log goes on past it."""
    history = incident.phase_history
    if now is None or (history and now < history[-1].at):
        return None
    return now


def _print_timeline(data: dict[str, Any]) -> None:
    """The incident's phases with times, and its times to triage, contain, recover, resolve."""
    out = console()
    phases = Table(title=f"Timeline of {data['incident']}")
    for column in ("phase", "entered", "left", "duration"):
        phases.add_column(column)
    for row in data["phases"]:
        phases.add_row(row["phase"], row["entered"], row["left"] or "-", row["duration"] or "-")
    out.print(phases)
    timings = ", ".join(f"{name} {value or '-'}" for name, value in data["time_to"].items())
    out.print(f"Time from detection to: {timings}", markup=False, highlight=False)


def _print_dpa(deadlines: tuple[TenantRouting, ...]) -> None:
    """The DPA track: each affected tenant's deadline, on its own line, apart from the notices."""
    table = Table(title="DPA deadlines (security track, not ordinary notices)")
    for column in ("tenant", "deadline", "term", "status", "notified", "missing items"):
        table.add_column(column)
    for entry in deadlines:
        status = entry.status.value
        if entry.late_by is not None:
            status += f" by {format_duration(entry.late_by)}"
        table.add_row(
            entry.tenant_id,
            format_instant(entry.deadline),
            f"{format_duration(entry.term)} ({entry.rule})",
            status,
            "-" if entry.notified_at is None else format_instant(entry.notified_at),
            ", ".join(entry.missing) or "-",
        )
    console().print(table)


@main.command("next-due")
@policy_options
@click.argument("log", type=click.Path(dir_okay=False))
@click.option("--now", "now_text", metavar="INSTANT", required=True, help="The current instant.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@reports_errors
def next_due_command(
    policy_path: str | None,
    tenants_path: str | None,
    log: str,
    now_text: str,
    output: str,
) -> None:
    """The earliest notification still owed as of --now (exit 0; 2 on bad input)."""
    policy = resolve_policy(policy_path, tenants_path)
    subject = _subject(log, policy)
    owed = next_due(subject, policy, now=parse_instant(now_text, "--now"))
    if output == "json":
        click.echo("null" if owed is None else dumps(owed))
    elif owed is None:
        click.echo("Nothing is owed.")
    else:
        click.echo(
            f"{owed.kind.value} to {owed.tenant} ({owed.audience.value}) due "
            f"{format_instant(owed.due)} [{owed.status.value}, rule {owed.rule}]: {owed.reason}"
        )
    sys.exit(EXIT_OK)
