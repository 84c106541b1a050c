"""Pins the public types of the incident lifecycle; type-checked by mypy, never run."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal, assert_type

import reliability_policy as rp
from reliability_policy.eventlog import dumps_events, load_events, loads_events
from reliability_policy.lifecycle import (
    EVENT_TYPES,
    CorrectiveAction,
    Event,
    Guard,
    Incident,
    NotificationSent,
    Phase,
    PhaseEntry,
    ScopeChange,
    SecurityAssessed,
    SeverityChange,
    linked_incident,
    replay,
)

t0 = dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC)
detected = rp.Detected(id="e1", at=t0, incident_id="INC-1")
triaged = rp.Triaged(id="e2", at=t0, severity=rp.Severity.SEV_2, tenants=["a", "b"])
assert_type(detected.type, Literal["detected"])
assert_type(triaged.tenants, frozenset[str])
assert_type(triaged.severity, rp.Severity)
assert_type(rp.Regression(id="e9", at=t0, reason="r").severity, rp.Severity | None)

incident = Incident.open(detected)
assert_type(incident, Incident)
assert_type(incident.apply(triaged), Incident)
assert_type(incident.apply(triaged, rp.default_policy()), Incident)
assert_type(replay([detected, triaged]), Incident)
assert_type(rp.replay([detected, triaged], None), rp.Incident)
assert_type(incident.phase, Phase)
assert_type(incident.severity, rp.Severity | None)
assert_type(incident.highest_severity, rp.Severity | None)
assert_type(incident.is_material(), bool)
assert_type(incident.kind, rp.IncidentKind)
assert_type(incident.customer_data, rp.DataInvolvement)
assert_type(incident.aware_at, dt.datetime)
assert_type(incident.scope_confirmed_at, dt.datetime | None)
assert_type(incident.resolved_at, dt.datetime | None)
assert_type(incident.time_to_triage, dt.timedelta | None)
assert_type(incident.time_to_contain, dt.timedelta | None)
assert_type(incident.time_to_recover, dt.timedelta | None)
assert_type(incident.time_to_resolve, dt.timedelta | None)
assert_type(incident.events, tuple[Event, ...])
assert_type(incident.phase_history, tuple[PhaseEntry, ...])
assert_type(incident.phase_history[0].duration, dt.timedelta | None)
assert_type(incident.severity_history, tuple[SeverityChange, ...])
assert_type(incident.scope_history, tuple[ScopeChange, ...])
assert_type(incident.tenants, frozenset[str])
assert_type(incident.tenant_added_at, Mapping[str, dt.datetime])
assert_type(incident.tenant_removed_at, Mapping[str, dt.datetime])
assert_type(incident.reopened_at, tuple[dt.datetime, ...])
assert_type(incident.notifications, tuple[NotificationSent, ...])
assert_type(incident.assessments, tuple[SecurityAssessed, ...])
assert_type(incident.actions, Mapping[str, CorrectiveAction])
assert_type(incident.open_actions(), tuple[CorrectiveAction, ...])
assert_type(incident.overdue_actions(t0), tuple[CorrectiveAction, ...])
assert_type(incident.accepted_events(), tuple[str, ...])
assert_type(
    linked_incident(incident, rp.Regression(id="r", at=t0, reason="r"), incident_id="INC-2"),
    Incident,
)
assert_type(EVENT_TYPES["triaged"], type[Event])
assert_type(load_events("x.jsonl"), tuple[Event, ...])
assert_type(loads_events("{}"), tuple[Event, ...])
assert_type(dumps_events([detected]), str)
rule: str = Guard.REOPEN_WINDOW
assert_type(Guard.REOPEN_WINDOW.value, Literal["reopen-window"])

try:
    incident.apply(triaged)
except rp.InvalidTransition as error:
    assert_type(error.rule, str)
    assert_type(error.accepted, tuple[str, ...])
