"""``reliability-policy audit`` and ``next-due``: an incident's customer communication."""

from __future__ import annotations

import sys

import click
from rich.table import Table

from reliability_policy._time import format_instant, parse_instant
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
from reliability_policy.eventlog import read_events
from reliability_policy.lifecycle import Incident, replay
from reliability_policy.notifications import (
    CommunicationFacts,
    audit,
    next_due,
)
from reliability_policy.policy import Policy
from reliability_policy.serialization import dumps, structure


def _subject(path: str, policy: Policy) -> Incident | CommunicationFacts:
    """An event log (JSON Lines), or a communication facts JSON document."""
    text, data = read_log_or_document(path, "LOG")
    if data is not None and "severities" in data:
        return structure(data, CommunicationFacts, source="communication facts document")
    return replay(read_events(text if text.strip() else path), policy)


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
            table = Table("level", "tenant", "audience", "rule", "reason")
            for finding in (*report.breaches, *report.warnings):
                table.add_row(
                    finding.level.value,
                    finding.tenant,
                    finding.audience.value,
                    finding.rule,
                    finding.reason,
                )
            out.print(table)
    sys.exit(EXIT_OK if report.compliant or exit_zero else EXIT_FINDING)


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
