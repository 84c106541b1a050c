"""``reliability-policy audit`` and ``next-due``: an incident's customer communication."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter

import click
from rich.console import Console

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
    exit_zero_option,
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
from reliability_policy.cli._lifecycle import _human, print_phases, timeline_data
from reliability_policy.findings import DueStatus
from reliability_policy.lifecycle import Audience, Incident, replay
from reliability_policy.notifications import (
    AuditReport,
    CommunicationFacts,
    Obligation,
    audit,
    next_due,
    next_due_per_addressee,
)
from reliability_policy.policy import Policy
from reliability_policy.security import TenantRouting
from reliability_policy.serialization import dumps, structure, unstructure
from reliability_policy.timing import format_duration, format_instant


def _subject(path: str, policy: Policy) -> Incident | CommunicationFacts:
    """An event log (JSON Lines), or a communication facts JSON document."""
    text, data = read_log_or_document(path, "LOG")
    if data is not None and "severities" in data and "type" not in data:
        return structure(data, CommunicationFacts, source=f"communication facts document {path}")
    return replay(parse_log(text), policy)


def _as_of(now_text: str | None, subject: Incident | CommunicationFacts) -> AsOf:
    """``--now``, else the log's last event (a facts document: its latest instant)."""
    if isinstance(subject, Incident):
        return AsOf.resolve(now_text, subject.last_event_at, LOG_LAST_EVENT)
    return AsOf.resolve(now_text, subject.last_instant(), "the document's latest instant")


@main.command("audit")
@click.argument("log", metavar="LOG")
@policy_options
@now_option(LOG_LAST_EVENT)
@tz_option
@format_option()
@exit_zero_option()
@reports_errors
def audit_command(
    log: str,
    policy_path: str | None,
    tenants_path: str | None,
    now_text: str | None,
    tz: str | None,
    output: str,
    exit_zero: bool,
) -> None:
    """Audit an incident's communication against the notification cadence.

    LOG is a JSON Lines event log (or a communication facts JSON document). Each late or
    missed notice is shown with its due and sent times in the tenant's zone beside UTC. Exit 0
    when compliant, 1 when there are breaches, 2 on bad input.

    \b
    reliability-policy audit examples/sev1-platform-outage.jsonl --tz America/New_York
    reliability-policy audit incident.jsonl --now 2026-03-08T09:00:00Z --format json
    """
    policy = resolve_policy(policy_path, tenants_path)
    clock = Clock.of(policy, tz)
    subject = _subject(log, policy)
    as_of = _as_of(now_text, subject)
    report = audit(subject, policy, now=as_of.at)
    if output == "json":
        click.echo(dumps(report))
    else:
        out = console()
        say(out, f"As of {as_of.why}, {clock.line(as_of.at)}{_why_note(as_of)}")
        say(out, report.summary)
        say(out, clock.legend())
        _print_late(out, report, clock)
        _print_warnings(out, report)
        if isinstance(subject, Incident):
            data = timeline_data(subject, policy, _phase_end(subject, as_of.at))
            print_phases(out, data, clock, title=f"Timeline of {data['incident']}")
            timings = ", ".join(f"{k} {v or '-'}" for k, v in data["time_to"].items())
            say(out, f"Time from detection to: {timings}")
        if report.dpa_deadlines:
            _print_dpa(out, report.dpa_deadlines, clock)
    sys.exit(EXIT_OK if report.compliant or exit_zero else EXIT_FINDING)


def _why_note(as_of: AsOf) -> str:
    if as_of.why == "--now":
        return "."
    return ": the whole record is judged; --now INSTANT judges at another instant."


def _phase_end(incident: Incident, now: dt.datetime) -> dt.datetime | None:
    """Where the current phase's duration ends: ``now``, unless the log goes on past it."""
    history = incident.phase_history
    if history and now < history[-1].at:
        return None
    return now


def _print_late(out: Console, report: AuditReport, clock: Clock) -> None:
    """Each late or missed obligation: the tenant, the notice, due and sent, how late."""
    rows = [
        o
        for result in report.tenants
        for o in result.obligations
        if o.status in (DueStatus.LATE, DueStatus.MISSED)
    ]
    if not rows:
        return
    table = new_table(
        "tenant",
        "notice",
        "due",
        "sent",
        "late by",
        title="Late or missed notices",
        max_widths={"notice": 13, "late by": 9},
    )
    for o in sorted(rows, key=lambda o: (o.due, o.tenant, o.audience.value)):
        # missed: not sent yet, so it is late by as much as the time since it was due
        late = _human(o.late_by) if o.late_by else f"{_human(report.as_of - o.due)} so far"
        table.add_row(
            o.tenant,
            _notice(o),
            clock.cell(o.due, o.tenant),
            "not sent" if o.met_at is None else clock.cell(o.met_at, o.tenant),
            late,
        )
    out.print(table)
    rules = Counter(o.rule for o in rows)
    say(out, "By rule: " + ", ".join(f"{rule} ({n})" for rule, n in sorted(rules.items())))


def _notice(obligation: Obligation) -> str:
    """The notice's kind, and its audience when it is not the affected tenants."""
    if obligation.audience is Audience.AFFECTED_TENANTS:
        return obligation.kind.value
    audience = obligation.audience.value.replace("_", " ")
    return f"{obligation.kind.value}\n({audience})"


def _print_warnings(out: Console, report: AuditReport) -> None:
    """Missing best-effort notices, apart from the breaches."""
    if not report.warnings:
        return
    table = new_table("tenant", "rule", "reason", title="Warnings (best-effort notices)")
    for finding in report.warnings:
        table.add_row(finding.tenant, finding.rule, finding.reason)
    out.print(table)


def _print_dpa(out: Console, deadlines: tuple[TenantRouting, ...], clock: Clock) -> None:
    """The DPA track: each affected tenant's deadline, on its own line, apart from the notices."""
    table = new_table(
        "tenant",
        "deadline",
        "status",
        "term, notified, missing items",
        title="DPA deadlines (security track, not ordinary notices)",
        max_widths={"status": 10},
    )
    for entry in deadlines:
        at = entry.notified_at
        notified = "-" if at is None else clock.line(at, entry.tenant_id)
        details = [
            f"term: {format_duration(entry.term)} ({entry.rule})",
            f"notified: {notified}",
            f"missing: {', '.join(entry.missing) or '-'}",
        ]
        table.add_row(
            entry.tenant_id,
            clock.cell(entry.deadline, entry.tenant_id),
            dpa_status(entry),
            "\n".join(details),
        )
    out.print(table)


@main.command("next-due")
@click.argument("log", metavar="LOG")
@policy_options
@now_option(LOG_LAST_EVENT)
@tz_option
@click.option(
    "--per-tenant",
    is_flag=True,
    help="List the next notice owed to each addressee (tenant and audience), not only the first.",
)
@format_option()
@reports_errors
def next_due_command(
    log: str,
    policy_path: str | None,
    tenants_path: str | None,
    now_text: str | None,
    tz: str | None,
    per_tenant: bool,
    output: str,
) -> None:
    """The earliest notification still owed as of --now (exit 0; 2 on bad input).

    LOG is a JSON Lines event log (or a communication facts JSON document). With
    --per-tenant, the earliest one owed to each addressee.

    \b
    reliability-policy next-due incident.jsonl --now 2026-03-08T07:50:00Z
    reliability-policy next-due incident.jsonl --now 2026-03-08T07:50:00Z --per-tenant
    """
    policy = resolve_policy(policy_path, tenants_path)
    clock = Clock.of(policy, tz)
    subject = _subject(log, policy)
    as_of = _as_of(now_text, subject)
    if per_tenant:
        owed_each = next_due_per_addressee(subject, policy, now=as_of.at)
    else:
        first = next_due(subject, policy, now=as_of.at)
        owed_each = () if first is None else (first,)
    if output == "json":
        document: dict[str, object] = {
            "schema_version": JSON_SCHEMA_VERSION,
            "as_of": format_instant(as_of.at),
        }
        if per_tenant:
            document["obligations"] = [unstructure(o, Obligation) for o in owed_each]
        else:
            document["obligation"] = unstructure(owed_each[0], Obligation) if owed_each else None
        echo_json(document)
        sys.exit(EXIT_OK)
    out = console()
    header = f"As of {as_of.why}, {clock.line(as_of.at)}"
    if not owed_each:
        say(out, f"{header}: nothing is owed.")
        sys.exit(EXIT_OK)
    what = "the next notice owed to each addressee" if per_tenant else "the next notice owed"
    say(out, f"{header}, {what}:")
    table = new_table("tenant", "notice", "due", "status", "rule")
    for owed in owed_each:
        table.add_row(
            owed.tenant,
            _notice(owed),
            clock.cell(owed.due, owed.tenant),
            owed.status.value,
            owed.rule,
        )
    out.print(table)
    if not per_tenant:
        say(out, f"why: {owed_each[0].reason}")
    sys.exit(EXIT_OK)
