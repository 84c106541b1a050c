"""``reliability-policy route-security``: the DPA track for one incident."""

from __future__ import annotations

import datetime as dt
import sys

import click

from reliability_policy.cli._app import (
    EXIT_FINDING,
    EXIT_OK,
    JSON_SCHEMA_VERSION,
    LOG_LAST_EVENT,
    AsOf,
    Clock,
    console,
    dpa_status,
    echo_json,
    format_option,
    main,
    new_table,
    now_option,
    parse_log,
    policy_options,
    read_log_or_document,
    reports_errors,
    resolve_policy,
    say,
    tz_option,
)
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
from reliability_policy.timing import format_duration


def _read_facts(path: str, policy: Policy) -> tuple[SecurityFacts, AsOf | None]:
    """A facts JSON document (an object with ``incident_id``), or a JSON Lines event log;
    for a log, also the default instant (its last event)."""
    text, data = read_log_or_document(path, "LOG")
    if data is not None and "incident_id" in data and "type" not in data:
        return loads(text, SecurityFacts, source=f"facts document {path}"), None
    incident = replay(parse_log(text), policy)
    return security_facts(incident, policy), AsOf(incident.last_event_at, LOG_LAST_EVENT)


def _latest(facts: SecurityFacts) -> dt.datetime:
    instants = [facts.aware_at]
    instants += [a.at for a in facts.assessments]
    instants += [t.added_at for t in facts.tenants]
    instants += [n.at for n in facts.notices]
    return max(instants, key=lambda i: i.astimezone(dt.UTC))


@main.command("route-security")
@click.argument("path", metavar="LOG")
@policy_options
@now_option(f"{LOG_LAST_EVENT} (a facts document: its latest fact)")
@tz_option
@format_option()
@reports_errors
def route_security(
    path: str,
    policy_path: str | None,
    tenants_path: str | None,
    now_text: str | None,
    tz: str | None,
    output: str,
) -> None:
    """Route a security incident to the DPA or the standard track.

    LOG is a JSON Lines event log (or a security facts JSON document). Each affected tenant's
    DPA deadline is shown in its zone beside UTC. Exit 0 when nothing is late or wrong, 1 when
    a deadline is late or missed or a finding needs action, 2 on bad input.

    \b
    reliability-policy route-security examples/security-incident.jsonl \\
        --tenants examples/tenants.toml --now 2026-05-05T22:00:00Z
    """
    policy = resolve_policy(policy_path, tenants_path)
    clock = Clock.of(policy, tz)
    facts, from_log = _read_facts(path, policy)
    default = from_log or AsOf(_latest(facts), "the document's latest fact")
    as_of = AsOf.resolve(now_text, default.at, default.why)
    routing = route_security_incident(facts, policy, now=as_of.at)
    if output == "json":
        echo_json({"schema_version": JSON_SCHEMA_VERSION, **unstructure(routing, Routing)})
    else:
        _print(routing, clock, as_of)
    bad = {DueStatus.LATE, DueStatus.MISSED}
    failing = routing.findings or any(e.status in bad for e in routing.tenants)
    sys.exit(EXIT_FINDING if failing else EXIT_OK)


def _print(routing: Routing, clock: Clock, as_of: AsOf) -> None:
    out = console()
    say(out, f"As of {as_of.why}, {clock.line(as_of.at)}.")
    say(
        out,
        f"{routing.incident_id}: {routing.track.value} track [rule {routing.rule}]: "
        f"{routing.reason}",
    )
    say(out, clock.legend())
    if routing.tenants:
        table = new_table(
            "tenant",
            "deadline",
            "status",
            "term, recipients, missing items",
            title="DPA obligations per affected tenant",
            max_widths={"status": 10},
        )
        for entry in routing.tenants:
            details = [
                f"term: {format_duration(entry.term)} ({entry.rule})",
                f"recipients: {', '.join(entry.recipients) or 'NONE ON FILE'}",
                f"missing: {', '.join(entry.missing) or '-'}",
            ]
            table.add_row(
                entry.tenant_id,
                clock.cell(entry.deadline, entry.tenant_id),
                dpa_status(entry),
                "\n".join(details),
            )
        out.print(table)
    records = new_table(
        "at",
        "decision",
        "rule, tenants and reason",
        title=f"Decision records (Art. 33(5)), times in {clock.zone()}",
    )
    for record in routing.records:
        why = [f"[{record.rule}]"]
        if record.tenants:
            why.append(f"tenants: {', '.join(record.tenants)}")
        why.append(record.reason)
        records.add_row(clock.cell(record.at), record.decision.value, "\n".join(why))
    out.print(records)
    for finding in routing.findings:
        say(out, f"finding [{finding.rule}]: {finding.reason}")
