"""``reliability-policy route-security``: the DPA track for one incident."""

from __future__ import annotations

import datetime as dt
import json
import sys

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
from reliability_policy.eventlog import loads_events
from reliability_policy.findings import DueStatus
from reliability_policy.lifecycle import replay
from reliability_policy.policy import Policy
from reliability_policy.security import (
    Routing,
    SecurityFacts,
    route_security_incident,
    security_facts,
)
from reliability_policy.serialization import loads, unstructure


def _read_facts(path: str, policy: Policy) -> SecurityFacts:
    """A facts JSON document (an object with ``incident_id``), or a JSON Lines event log."""
    text, data = read_log_or_document(path, "FILE")
    if data is not None and "incident_id" in data:
        return loads(text, SecurityFacts, source=f"facts document {path}")
    return security_facts(replay(loads_events(text), policy), policy)


def _latest(facts: SecurityFacts) -> dt.datetime:
    instants = [facts.aware_at]
    instants += [a.at for a in facts.assessments]
    instants += [t.added_at for t in facts.tenants]
    instants += [n.at for n in facts.notices]
    return max(instants, key=lambda i: i.astimezone(dt.UTC))


@main.command("route-security")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False))
@click.option("--now", "now_text", help="The instant to route for (default: the last fact).")
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
@policy_options
@reports_errors
def route_security(
    path: str,
    now_text: str | None,
    output: str,
    policy_path: str | None,
    tenants_path: str | None,
) -> None:
    """Route a security incident (event log or facts JSON) to the DPA or the standard track.

    Exit 0 when nothing is late or wrong, 1 when a deadline is late or missed or a finding
    needs action, 2 on bad input.
    """
    policy = resolve_policy(policy_path, tenants_path)
    facts = _read_facts(path, policy)
    now = parse_instant(now_text, "--now") if now_text is not None else _latest(facts)
    routing = route_security_incident(facts, policy, now=now)
    if output == "json":
        click.echo(json.dumps(unstructure(routing, Routing), indent=2, ensure_ascii=False))
    else:
        _print(routing)
    bad = {DueStatus.LATE, DueStatus.MISSED}
    failing = routing.findings or any(e.status in bad for e in routing.tenants)
    sys.exit(EXIT_FINDING if failing else EXIT_OK)


def _print(routing: Routing) -> None:
    out = console()
    out.print(
        f"{routing.incident_id}: {routing.track.value} track [rule {routing.rule}]: "
        f"{routing.reason}; as of {format_instant(routing.as_of)}",
        markup=False,
        highlight=False,
    )
    if routing.tenants:
        table = Table(title="DPA obligations per affected tenant")
        for column in ("tenant", "deadline", "term", "status", "recipients", "missing items"):
            table.add_column(column)
        for entry in routing.tenants:
            status = entry.status.value
            if entry.late_by is not None:
                status += f" by {format_duration(entry.late_by)}"
            table.add_row(
                entry.tenant_id,
                format_instant(entry.deadline),
                f"{format_duration(entry.term)} ({entry.rule})",
                status,
                ", ".join(entry.recipients) or "NONE ON FILE",
                ", ".join(entry.missing) or "-",
            )
        out.print(table)
    records = Table(title="Decision records (Art. 33(5))")
    for column in ("at", "decision", "rule", "tenants", "reason"):
        records.add_column(column)
    for record in routing.records:
        records.add_row(
            format_instant(record.at),
            record.decision.value,
            record.rule,
            ", ".join(record.tenants) or "-",
            record.reason,
        )
    out.print(records)
    for finding in routing.findings:
        out.print(f"finding [{finding.rule}]: {finding.reason}", markup=False, highlight=False)
