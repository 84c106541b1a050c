"""``reliability-policy status-feed LOG...``: what the public status page serves."""

from __future__ import annotations

import datetime as dt
import json
import sys

import click
from rich.console import Console

from reliability_policy.cli._app import (
    EXIT_FINDING,
    EXIT_OK,
    JSON_SCHEMA_VERSION,
    AsOf,
    Clock,
    console,
    echo_json,
    exit_zero_option,
    main,
    new_table,
    now_option,
    policy_options,
    read_document_text,
    read_log,
    reports_errors,
    resolve_policy,
    say,
    tz_option,
)
from reliability_policy.errors import PolicyInputError
from reliability_policy.findings import FindingLevel
from reliability_policy.lifecycle import Incident, replay
from reliability_policy.loading import read_document
from reliability_policy.maintenance import MaintenancePlan, RollingPlan, WavePlan
from reliability_policy.policy import Policy
from reliability_policy.serialization import structure, unstructure
from reliability_policy.statusfeed import (
    Endpoint,
    StatusSummary,
    atom_feed,
    status_summary,
    statuspage_json,
)

_PLAN_KEYS_OF_THE_COMMAND = ("schema_version", "as_of", "window_needed")
_LOGS = "LOG..."  # the argument as the usage shows it, and as errors name it


def read_plan(path: str, argument: str = "--plans") -> MaintenancePlan | RollingPlan | WavePlan:
    """The plan at ``path``: what ``plan-maintenance --format json`` prints, a plan with its
    window, a rolling plan (``window_needed`` false) or waves. Its ``schema_version``, ``as_of``
    and ``window_needed`` are set aside.

    Raises:
        PolicyInputError: the file cannot be read (the message names ``argument``).
        PolicyConfigError: the document has problems, each listed with its path.
    """
    text = read_document_text(path, argument)
    document, source = read_document(text, name=f"maintenance plan {path}")
    data = {k: v for k, v in document.items() if k not in _PLAN_KEYS_OF_THE_COMMAND}
    if "waves" in data:
        return structure(data, WavePlan, source=source)
    if document.get("window_needed", "start" in data) is False:
        return structure(data, RollingPlan, source=source)
    return structure(data, MaintenancePlan, source=source)


def _incidents(paths: tuple[str, ...], policy: Policy) -> list[Incident]:
    incidents: list[Incident] = []
    where: dict[str, str] = {}
    for path in paths:
        incident = replay(read_log(path, _LOGS), policy)
        if incident.id in where:
            expected = f"one log per incident ({incident.id} is also in {where[incident.id]})"
            raise PolicyInputError(_LOGS, path, expected)
        where[incident.id] = path
        incidents.append(incident)
    return incidents


@main.command("status-feed")
@click.argument("paths", metavar=_LOGS, nargs=-1)
@click.option(
    "--plans",
    "plan_paths",
    metavar="FILE",
    multiple=True,
    help="A maintenance plan: what plan-maintenance --format json prints (one plan or "
    "waves); a plan without downtime shows nothing. Repeat for more.",
)
@policy_options
@now_option("the current time (the page shows the present)")
@tz_option
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json", "statuspage", "atom"]),
    default="table",
    show_default=True,
    help="table for people; json for programs (the summary with its findings, see "
    "docs/cli.md); statuspage and atom are what the public page serves.",
)
@click.option(
    "--endpoint",
    type=click.Choice([endpoint.value for endpoint in Endpoint]),
    default=Endpoint.SUMMARY.value,
    show_default=True,
    help="With --format statuspage: the Statuspage API document (/api/v2/NAME.json).",
)
@exit_zero_option("a text was left out of the feed")
@reports_errors
def status_feed(
    paths: tuple[str, ...],
    plan_paths: tuple[str, ...],
    policy_path: str | None,
    tenants_path: str | None,
    now_text: str | None,
    tz: str | None,
    output: str,
    endpoint: str,
    exit_zero: bool,
) -> None:
    """The public status page: overall status, components, incidents, maintenances.

    LOG... are JSON Lines event logs, one per incident. The page never names a tenant: a
    title or a public update that names one is left out and reported as a finding. An
    incident that is or was on the DPA track shows only the policy's security wording. Exit 0,
    1 when a text was left out for naming a tenant (0 with --exit-zero), 2 on bad input.

    \b
    reliability-policy status-feed examples/sev1-platform-outage.jsonl \\
        --now 2026-03-08T07:50:00Z --format statuspage > summary.json
    reliability-policy status-feed LOG... --plans plan.json --format atom > history.atom
    """
    policy = resolve_policy(policy_path, tenants_path)
    clock = Clock.of(policy, tz)
    incidents = _incidents(paths, policy)
    plans = [read_plan(path) for path in plan_paths]
    as_of = AsOf.resolve(now_text, dt.datetime.now(dt.UTC), "the current time")
    summary = status_summary(incidents, plans, policy, now=as_of.at)
    if output == "statuspage":
        click.echo(json.dumps(statuspage_json(summary, endpoint), indent=2, ensure_ascii=False))
    elif output == "atom":
        click.echo(atom_feed(summary))
    elif output == "json":
        echo_json({"schema_version": JSON_SCHEMA_VERSION, **unstructure(summary, StatusSummary)})
    else:
        _print(console(), summary, clock, as_of)
    if output in ("statuspage", "atom"):
        for finding in summary.findings:
            click.echo(f"finding [{finding.rule}]: {finding.reason}", err=True)
    breaches = [f for f in summary.findings if f.level is FindingLevel.BREACH]
    sys.exit(EXIT_FINDING if breaches and not exit_zero else EXIT_OK)


def _print(out: Console, summary: StatusSummary, clock: Clock, as_of: AsOf) -> None:
    say(out, f"As of {as_of.why}, {clock.line(as_of.at)}.")
    say(out, f"{summary.name}: {summary.description} (indicator {summary.indicator.value})")
    say(out, clock.legend(tenants=False))
    components = new_table("component", "status", "since", title="Components")
    for state in summary.components:
        name = state.name + (" (core)" if state.core else "")
        components.add_row(name, state.status.value, clock.cell(state.since))
    out.print(components)
    if summary.incidents:
        incidents = new_table(
            "incident",
            "status",
            "latest update",
            title="Incidents on the page, newest first",
            max_widths={"incident": 24},
        )
        for incident in summary.incidents:
            latest = incident.updates[-1]
            who = f"{incident.incident_id}\n(public {incident.id})"
            status = f"{incident.status.value}\nimpact {incident.impact.value}"
            update = f"{clock.line(latest.at)}\n{incident.name}: {latest.body}"
            incidents.add_row(who, status, update)
        out.print(incidents)
    if summary.maintenances:
        windows = new_table("change", "status", "start", "end", title="Scheduled maintenances")
        for maintenance in summary.maintenances:
            windows.add_row(
                maintenance.change_id,
                maintenance.status.value,
                clock.cell(maintenance.scheduled_for),
                clock.cell(maintenance.scheduled_until),
            )
        out.print(windows)
    for finding in summary.findings:
        say(out, f"{finding.level.value} [{finding.rule}]: {finding.reason}")
