"""``reliability-policy continuity report``, ``continuity summary`` and ``dependencies``.

Continuity evidence is judged as of the current time unless ``--now`` says otherwise: a log's
last record is no default here, since a log that stopped being written would then never show a
backup or a restore test as overdue.
"""

from __future__ import annotations

import datetime as dt
import sys
import zoneinfo

import click
from rich.console import Console

from reliability_policy.cli._app import (
    EXIT_FINDING,
    EXIT_OK,
    AsOf,
    Clock,
    console,
    echo_json,
    exit_zero_option,
    format_option,
    main,
    new_table,
    now_option,
    policy_options,
    read_lines,
    reports_errors,
    resolve_policy,
    say,
    tz_option,
)
from reliability_policy.continuity import (
    RULE_CUSTOMER_IMPACT,
    ContinuityReport,
    DependencyReport,
    StoreStatus,
    continuity_report,
    continuity_summary,
    dependency_status,
    loads_evidence,
    loads_health_events,
)
from reliability_policy.findings import Finding, FindingLevel
from reliability_policy.policy import Policy
from reliability_policy.serialization import unstructure
from reliability_policy.severity import classify

_CURRENT_TIME = "the current time"


def _as_of(now_text: str | None) -> AsOf:
    return AsOf.resolve(now_text, dt.datetime.now(dt.UTC), _CURRENT_TIME)


def _local(clock: Clock, instant: dt.datetime) -> dt.datetime:
    return instant.astimezone(zoneinfo.ZoneInfo(clock.zone()))


def _when(clock: Clock, instant: dt.datetime | None) -> str:
    """An instant in a table cell, with its year (evidence spans months and years), in the
    clock's zone beside UTC."""
    return clock.cell(instant, year=True)


def _day(clock: Clock, instant: dt.datetime | None, overdue: bool = False) -> str:
    """A date in a table cell, marked when it has passed."""
    if instant is None:
        return "none on record" if overdue else "-"
    return _local(clock, instant).strftime("%Y-%m-%d") + (" overdue" if overdue else "")


def _print_findings(out: Console, findings: tuple[Finding, ...]) -> None:
    if findings:
        table = new_table("level", "rule", "reason", title="Findings")
        for finding in findings:
            table.add_row(finding.level.value, finding.rule, finding.reason)
        out.print(table)


@main.group()
def continuity() -> None:
    """Business continuity: recovery evidence, the plan, the summary shared under NDA."""


@continuity.command("report")
@click.argument("evidence_path", metavar="EVIDENCE")
@policy_options
@now_option(_CURRENT_TIME)
@tz_option
@format_option()
@exit_zero_option()
@reports_errors
def report_command(
    evidence_path: str,
    policy_path: str | None,
    tenants_path: str | None,
    now_text: str | None,
    tz: str | None,
    output: str,
    exit_zero: bool,
) -> None:
    """Judge a continuity evidence log against the recovery objectives and the plan.

    EVIDENCE is a JSON Lines log of backups, restore tests, plan reviews and scenario
    exercises. Per data store: the last backup, the last restore test against the RPO and RTO,
    when the next test is due; the plan's review and scenarios; every finding. Exit 0 when
    compliant, 1 when a finding is a breach, 2 on bad input.

    \b
    reliability-policy continuity report examples/continuity-evidence.jsonl \\
        --now 2026-06-01T00:00:00Z
    """
    policy = resolve_policy(policy_path, tenants_path)
    clock = Clock.of(policy, tz)
    evidence = read_lines(evidence_path, "EVIDENCE", loads_evidence)
    as_of = _as_of(now_text)
    report = continuity_report(evidence, policy, now=as_of.at)
    if output == "json":
        echo_json(unstructure(report, ContinuityReport))  # with its schema_version
    else:
        _print_report(report, clock, as_of)
    sys.exit(EXIT_OK if report.compliant or exit_zero else EXIT_FINDING)


def _backup(clock: Clock, status: StoreStatus) -> str:
    if status.last_backup is None:
        return "none on record"
    return _when(clock, status.last_backup.at) + (" overdue" if status.backup_overdue else "")


def _result(status: StoreStatus) -> str:
    check = status.last_restore_test
    if check is None:
        return "-"
    missed = [name for name, met in (("RPO", check.met_rpo), ("RTO", check.met_rto)) if not met]
    text = " and ".join(missed) + " missed" if missed else "met"
    return text if check.test.verified else f"{text}, not verified"


def _print_report(report: ContinuityReport, clock: Clock, as_of: AsOf) -> None:
    out = console()
    say(out, f"As of {as_of.why}, {clock.line(as_of.at)}.")
    say(out, report.reason.partition(" as of ")[0])
    say(out, clock.legend(tenants=False))
    stores = new_table(
        "store",
        "last backup",
        "last restore test",
        "next test",
        title="Data stores",
        max_widths={"last restore test": 12, "next test": 10},
    )
    for status in report.stores:
        check = status.last_restore_test
        tested = (
            "none on record"
            if check is None
            else f"{_day(clock, check.test.at)}: {_result(status)}"
        )
        stores.add_row(
            status.store,
            _backup(clock, status),
            tested,
            _day(clock, status.next_test_due, status.test_overdue),
        )
    out.print(stores)
    plan = report.plan
    say(
        out,
        f"Continuity plan: last reviewed {_day(clock, plan.last_review)}, next review due "
        f"{_day(clock, plan.next_review_due, plan.review_overdue)}.",
    )
    scenarios = new_table("scenario", "last validated", "next due", "validated", title="Scenarios")
    for scenario in plan.scenarios:
        scenarios.add_row(
            scenario.title,
            _day(clock, scenario.last_validated),
            _day(clock, scenario.next_due),
            "yes" if scenario.validated else "NO",
        )
    out.print(scenarios)
    _print_findings(out, report.findings)


@continuity.command("summary")
@click.argument("evidence_path", metavar="EVIDENCE")
@policy_options
@now_option(_CURRENT_TIME)
@click.option(
    "--format",
    "output",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="markdown for people; json for programs (a versioned object).",
)
@reports_errors
def summary_command(
    evidence_path: str,
    policy_path: str | None,
    tenants_path: str | None,
    now_text: str | None,
    output: str,
) -> None:
    """Write the continuity summary shared with customers under NDA during a security review.

    The recovery objectives and the validated scenarios with their last validation date, and
    nothing else: no finding, no evidence detail, no internal note. Exit 0; 2 on bad input.

    \b
    reliability-policy continuity summary examples/continuity-evidence.jsonl > summary.md
    """
    policy = resolve_policy(policy_path, tenants_path)
    evidence = read_lines(evidence_path, "EVIDENCE", loads_evidence)
    summary = continuity_summary(evidence, policy, now=_as_of(now_text).at)
    if output == "json":
        echo_json(unstructure(summary))  # with its schema_version
    else:
        click.echo(summary.to_markdown(), nl=False)
    sys.exit(EXIT_OK)


@main.command("dependencies")
@click.argument("status_path", metavar="STATUS-LOG")
@policy_options
@now_option(_CURRENT_TIME)
@tz_option
@format_option()
@reports_errors
def dependencies_command(
    status_path: str,
    policy_path: str | None,
    tenants_path: str | None,
    now_text: str | None,
    tz: str | None,
    output: str,
) -> None:
    """Subprocessor health: the fallbacks in force and the customer impact, classified.

    STATUS-LOG is a JSON Lines log of subprocessor health events (down, degraded, recovered).
    Each customer-visible loss is classified by the severity rules like any incident. Exit 0
    unless a finding is a breach (1); 2 on bad input.

    \b
    reliability-policy dependencies examples/subprocessor-health.jsonl \\
        --now 2026-06-01T10:00:00Z
    """
    policy = resolve_policy(policy_path, tenants_path)
    clock = Clock.of(policy, tz)
    events = read_lines(status_path, "STATUS-LOG", loads_health_events)
    as_of = _as_of(now_text)
    report = dependency_status(events, policy, now=as_of.at)
    if output == "json":
        echo_json(unstructure(report, DependencyReport))  # with its schema_version
    else:
        _print_dependencies(report, policy, clock, as_of)
    breach = any(f.level is FindingLevel.BREACH for f in report.findings)
    sys.exit(EXIT_FINDING if breach else EXIT_OK)


def _print_dependencies(
    report: DependencyReport, policy: Policy, clock: Clock, as_of: AsOf
) -> None:
    out = console()
    say(out, f"As of {as_of.why}, {clock.line(as_of.at)}.")
    say(out, clock.legend(tenants=False))
    table = new_table(
        "subprocessor",
        "backs",
        "critical",
        "state",
        "since",
        title="Subprocessors",
        max_widths={"backs": 14},
    )
    for entry in report.subprocessors:
        table.add_row(
            entry.subprocessor,
            ", ".join(entry.backs),
            "yes" if entry.critical else "no",
            entry.state.value,
            _when(clock, entry.since),
        )
    out.print(table)
    for fallback in report.fallbacks:
        say(out, f"fallback [{fallback.rule}]: {fallback.reason}")
    for channel in report.channel_fallbacks:
        say(out, f"channel [{channel.rule}]: {channel.reason}")
    for impact in report.impacts:
        found = classify(impact.assessment, policy)
        severity = found.suggested.value if found.suggested else "not an incident"
        say(
            out, f"impact: {impact.subprocessor} is {severity} [rule {found.rule}]: {impact.reason}"
        )
    _print_findings(out, tuple(f for f in report.findings if f.rule != RULE_CUSTOMER_IMPACT))
