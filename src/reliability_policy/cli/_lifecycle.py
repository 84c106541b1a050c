"""``reliability-policy timeline LOG.jsonl``: an incident's phases with times and durations,
how it was detected and how it was contained."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click
from rich.console import Console

from reliability_policy.cli._app import (
    JSON_SCHEMA_VERSION,
    LOG_LAST_EVENT,
    AsOf,
    Clock,
    console,
    echo_json,
    format_option,
    main,
    new_table,
    now_option,
    policy_options,
    read_log,
    reports_errors,
    resolve_policy,
    say,
    tz_option,
)
from reliability_policy.lifecycle import (
    Contained,
    DetectionSource,
    Incident,
    containment_findings,
    replay,
)
from reliability_policy.policy import Policy
from reliability_policy.serialization import unstructure
from reliability_policy.timing import format_instant, parse_instant


@main.command("timeline")
@click.argument("log", metavar="LOG")
@policy_options
@now_option(f"{LOG_LAST_EVENT} (the current phase is measured up to it)")
@tz_option
@format_option()
@reports_errors
def timeline(
    log: str,
    policy_path: str | None,
    tenants_path: str | None,
    now_text: str | None,
    tz: str | None,
    output: str,
) -> None:
    """Replay an event log and print the phases with times and durations.

    Also how the incident was detected, the containment measures, and a finding for each
    measure that degraded a core capability. LOG is a JSON Lines event log. Times are shown
    in --tz or the policy's calendar zone, beside UTC; the JSON output stays in UTC.

    \b
    reliability-policy timeline examples/lifecycle-incident.jsonl
    reliability-policy timeline incident.jsonl --now 2026-03-08T09:00:00Z --format json
    """
    policy = resolve_policy(policy_path, tenants_path)
    clock = Clock.of(policy, tz)
    incident = replay(read_log(log), policy)
    as_of = AsOf.resolve(now_text, incident.last_event_at, LOG_LAST_EVENT)
    data = timeline_data(incident, policy, as_of.at)
    if output == "json":
        echo_json(
            {"schema_version": JSON_SCHEMA_VERSION, "as_of": format_instant(as_of.at), **data}
        )
    else:
        _print(data, clock, as_of)


def timeline_data(incident: Incident, policy: Policy, now: dt.datetime | None) -> dict[str, Any]:
    """The timeline as plain JSON-ready data.

    The current phase is measured up to ``now``; a ``now`` earlier than the phase began gives
    it no duration (as ``audit`` shows it), never a negative one.
    """
    phases = []
    for entry in incident.phase_history:
        end = entry.until if entry.until is not None else now
        if end is not None and end < entry.at:
            end = None
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
        "detection_source": incident.detection_source.value,
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
        "containment_measures": [
            {
                "at": format_instant(event.at),
                "event": event.id,
                "kind": measure.kind.value,
                "features": list(measure.features),
                "core": measure.core,
            }
            for event in incident.events
            if isinstance(event, Contained)
            for measure in event.measures
        ],
        "findings": [unstructure(finding) for finding in containment_findings(incident)],
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


def _print(data: dict[str, Any], clock: Clock, as_of: AsOf) -> None:
    out = console()
    severity = data["severity"] or "not triaged"
    highest = data["highest_severity"]
    material = "material" if data["material"] else "not material"
    title = f" {data['title']}" if data["title"] else ""
    say(
        out,
        f"{data['incident']}{title}: {data['phase']}, {severity} "
        f"(highest {highest or '-'}, {material}), {data['kind']}, {data['events']} events",
    )
    say(out, f"As of {as_of.why}, {clock.line(as_of.at)}. {clock.legend(tenants=False)}")
    if data["detection_source"] != DetectionSource.UNKNOWN.value:  # not recorded: no line
        say(out, f"Detection source: {data['detection_source']}")
    print_phases(out, data, clock, title="Phases")
    timings = new_table("triage", "contain", "recover", "resolve", title="Time from detection to")
    timings.add_row(*(value or "-" for value in data["time_to"].values()))
    out.print(timings)
    if data["containment_measures"]:
        measures = new_table("at", "measure", "features", "core", title="Containment measures")
        for measure in data["containment_measures"]:
            measures.add_row(
                clock.cell(parse_instant(measure["at"])),
                measure["kind"],
                ", ".join(measure["features"]) or "-",
                "yes" if measure["core"] else "no",
            )
        out.print(measures)
    for finding in data["findings"]:
        say(out, f"finding [{finding['rule']}]: {finding['reason']}")
    if data["severity_changes"]:
        changes = new_table("at", "severity", "from", "reason", title="Severity")
        for change in data["severity_changes"]:
            changes.add_row(
                clock.cell(parse_instant(change["at"])),
                change["severity"],
                change["previous"] or "-",
                change["reason"],
            )
        out.print(changes)
    if data["open_actions"]:
        say(out, "Open corrective actions: " + ", ".join(data["open_actions"]))


def print_phases(out: Console, data: dict[str, Any], clock: Clock, title: str) -> None:
    """The phases of :func:`timeline_data` as a table, times in the clock's zone beside UTC."""
    phases = new_table("phase", "entered", "left", "duration", title=title)
    for row in data["phases"]:
        left = None if row["left"] is None else parse_instant(row["left"])
        phases.add_row(
            row["phase"],
            clock.cell(parse_instant(row["entered"])),
            clock.cell(left),
            row["duration"] or "-",
        )
    out.print(phases)
