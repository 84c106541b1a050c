"""What a newcomer writes first, with no annotations and no asserts; type-checked, never run."""

from __future__ import annotations

import datetime as dt
from typing import assert_type

import reliability_policy as rp

t0 = dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC)
events = [
    rp.Detected(id="e1", at=t0, incident_id="INC-1"),
    rp.Triaged(id="e2", at=t0, severity="SEV-1", tenants={"acme"}),
    rp.NotificationSent(id="e3", at=t0, channel="email", kind="first_notice", tenants={"acme"}),
]
incident = rp.replay(events[:2])
incident = incident.apply(events[2])
assert_type(incident, rp.Incident)
assert_type(rp.Incident(events), rp.Incident)
assert_type(rp.is_material("SEV-2"), bool)
assert_type(rp.default_policy().notifications.cadence("SEV-1"), rp.policy.Cadence)
assert_type(rp.load_policy("policy.conf"), rp.Policy)
assert_type(rp.loads_policy("schema_version = 1"), rp.Policy)
assert_type(rp.load_events("incident.log"), tuple[rp.Event, ...])

request = rp.MaintenanceRequest(
    "CHG-1",
    True,
    ("acme",),
    t0,
    t0 + dt.timedelta(days=30),
    expected_downtime=dt.timedelta(hours=1),
)
plan = rp.plan_maintenance(request, now=t0)
if plan.window_needed:  # a downtime plan: its times are set, no assert needed
    assert_type(plan.start, dt.datetime)
    assert_type(plan.end - plan.start, dt.timedelta)
waves = rp.plan_waves(request, now=t0)
if isinstance(waves, rp.WavePlan):
    assert_type([wave.start for wave in waves.waves], list[dt.datetime])
