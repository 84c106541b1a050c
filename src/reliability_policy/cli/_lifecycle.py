"""``reliability-policy timeline LOG.jsonl``: an incident's phases with times and durations."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import click
from rich.table import Table

from reliability_policy._time import format_instant, parse_instant
from reliability_policy.cli._app import (
    console,
    main,
    policy_options,
    reports_errors,
    resolve_policy,
)
from reliability_policy.eventlog import load_events
from reliability_policy.lifecycle import Incident, replay
from reliability_policy.policy import Policy


@main.command("timeline")
@click.argument("log", type=click.Path(dir_okay=False))
@policy_options
@click.option(
    "--now",
    metavar="INSTANT",
    help="Measure the current phase up to this instant (ISO 8601 with an offset).",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
)
@reports_errors
def timeline(
    log: str,
    policy_path: str | None,
    tenants_path: str | None,
    now: str | None,
    output: str,
) -> None:
    """Replay an event log and print the phases with times and durations.

    \b
    reliability-policy timeline examples/lifecycle-incident.jsonl
    reliability-policy timeline incident.jsonl --now 2026-03-08T09:00:00Z --format json
    """
    policy = resolve_policy(policy_path, tenants_path)
    until = None if now is None else parse_instant(now, "--now")
    incident = replay(load_events(log), policy)
    data = timeline_data(incident, policy, until)
    if output == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        _print(data)


def timeline_data(incident: Incident, policy: Policy, now: dt.datetime | None) -> dict[str, Any]:
    """The timeline as plain JSON-ready data."""
    phases = []
    for entry in incident.phase_history:
        end = entry.until if entry.until is not None else now
        phases.append(
            {
                "phase": entry.phase.value,
                "entered": format_instant(entry.at),
                "left": None if entry.until is None else format_instant(entry.until),
                "duration": _human(end - entry.at) if end is not None else None,
                "event": entry.event_id,
            }
        )
    timings = {
        "triage": incident.time_to_triage,
        "contain": incident.time_to_contain,
        "recover": incident.time_to_recover,
        "resolve": incident.time_to_resolve,
    }
    return {
        "incident": incident.id,
        "title": incident.title,
        "kind": incident.kind.value,
        "phase": incident.phase.value,
        "severity": None if incident.severity is None else incident.severity.value,
        "highest_severity": (
            None if incident.highest_severity is None else incident.highest_severity.value
        ),
        "material": incident.is_material(policy),
        "events": incident.event_count,
        "phases": phases,
        "time_to": {k: None if v is None else _human(v) for k, v in timings.items()},
        "severity_changes": [
            {
                "at": format_instant(change.at),
                "severity": change.severity.value,
                "previous": None if change.previous is None else change.previous.value,
                "reason": change.reason,
            }
            for change in incident.severity_history
        ],
        "open_actions": [action.id for action in incident.open_actions()],
    }


def _human(value: dt.timedelta) -> str:
    """``2d 3h 05m`` style; seconds only when under a minute."""
    seconds = int(value.total_seconds())
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days}d")
    if days or hours:
        parts.append(f"{hours}h")
    parts.append(f"{minutes:02d}m" if parts else f"{minutes}m")
    return " ".join(parts)


def _print(data: dict[str, Any]) -> None:
    out = console()
    severity = data["severity"] or "not triaged"
    highest = data["highest_severity"]
    material = "material" if data["material"] else "not material"
    title = f" {data['title']}" if data["title"] else ""
    out.print(
        f"[bold]{data['incident']}[/bold]{title}: {data['phase']}, {severity} "
        f"(highest {highest or '-'}, {material}), {data['kind']}, {data['events']} events"
    )
    phases = Table(title="Phases")
    for column in ("phase", "entered", "left", "duration"):
        phases.add_column(column)
    for row in data["phases"]:
        phases.add_row(row["phase"], row["entered"], row["left"] or "-", row["duration"] or "-")
    out.print(phases)
    timings = Table(title="Time from detection to")
    for column in ("triage", "contain", "recover", "resolve"):
        timings.add_column(column)
    timings.add_row(*(value or "-" for value in data["time_to"].values()))
    out.print(timings)
    if data["severity_changes"]:
        changes = Table(title="Severity")
        for column in ("at", "severity", "from", "reason"):
            changes.add_column(column)
        for change in data["severity_changes"]:
            changes.add_row(
                change["at"], change["severity"], change["previous"] or "-", change["reason"]
            )
        out.print(changes)
    if data["open_actions"]:
        out.print("Open corrective actions: " + ", ".join(data["open_actions"]))
