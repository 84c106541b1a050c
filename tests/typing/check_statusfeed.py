"""Pins the public types of the public status feed; type-checked by mypy, never run."""

from __future__ import annotations

import datetime as dt
from typing import Any, assert_type

import reliability_policy as rp
from reliability_policy.findings import Finding
from reliability_policy.policy import StatusComponent, StatusPagePolicy, StatusWording
from reliability_policy.statusfeed import (
    ComponentState,
    ComponentStatus,
    Endpoint,
    IncidentStatus,
    IncidentUpdate,
    Indicator,
    MaintenanceStatus,
    MaintenanceUpdate,
    PublicIncident,
    PublicMaintenance,
    policy_problems,
)

now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
incident = rp.replay([rp.Detected(id="e1", at=now, incident_id="INC-1")])
summary = rp.status_summary([incident], now=now)
assert_type(summary, rp.StatusSummary)
assert_type(rp.status_summary([], [], rp.default_policy(), now=now), rp.StatusSummary)
assert_type(summary.indicator, Indicator)
assert_type(summary.components, tuple[ComponentState, ...])
assert_type(summary.component("API"), ComponentState | None)
assert_type(summary.components[0].status, ComponentStatus)
assert_type(summary.components[0].since, dt.datetime | None)
assert_type(summary.incidents, tuple[PublicIncident, ...])
assert_type(summary.unresolved, tuple[PublicIncident, ...])
assert_type(summary.incidents[0].status, IncidentStatus)
assert_type(summary.incidents[0].updates, tuple[IncidentUpdate, ...])
assert_type(summary.incidents[0].resolved_at, dt.datetime | None)
assert_type(summary.maintenances, tuple[PublicMaintenance, ...])
assert_type(summary.maintenances[0].status, MaintenanceStatus)
assert_type(summary.maintenances[0].updates, tuple[MaintenanceUpdate, ...])
assert_type(summary.findings, tuple[Finding, ...])
assert_type(rp.statuspage_json(summary), dict[str, Any])
assert_type(rp.statuspage_json(summary, "incidents"), dict[str, Any])
assert_type(rp.statuspage_json(summary, Endpoint.COMPONENTS), dict[str, Any])
assert_type(rp.atom_feed(summary), str)
section = rp.default_policy().status_page
assert_type(section, StatusPagePolicy)
assert_type(section.components, tuple[StatusComponent, ...])
assert_type(section.wording, StatusWording)
assert_type(section.severities, frozenset[rp.Severity])
assert_type(list(policy_problems(rp.default_policy())), list[rp.Problem])
notice = rp.NotificationSent(
    id="n1",
    at=now,
    channel="status_page",
    kind="update",
    audience="status_page",
    text="We are on it.",
    components={"API"},
)
assert_type(notice.text, str)
assert_type(notice.components, frozenset[str])
