"""Pins the public types of maintenance planning; type-checked by mypy, never run."""

from __future__ import annotations

import datetime as dt
from typing import Literal, assert_type

import attrs

import reliability_policy as rp
from reliability_policy.errors import Problem
from reliability_policy.findings import Blocker
from reliability_policy.levels import Channel, Severity
from reliability_policy.maintenance import (
    ALL_TENANTS,
    GoNoGo,
    Hold,
    MaintenanceNotice,
    MaintenanceNoticeKind,
    MaintenancePlan,
    MaintenanceRequest,
    OpenIncident,
    RollingPlan,
    TenantSelection,
    WavePlan,
    go_no_go,
    plan_maintenance,
    plan_waves,
)

now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
request = MaintenanceRequest(
    change_id="CHG-1",
    downtime=True,
    tenants=("acme", "globex"),
    earliest_start=now,
    latest_start=now + dt.timedelta(days=30),
    expected_downtime=dt.timedelta(hours=2),
)
everyone = MaintenanceRequest("CHG-2", False, ALL_TENANTS, now, now)
assert_type(everyone.tenants, TenantSelection)
assert_type(request.expected_downtime, dt.timedelta | None)
assert_type(request.problems(), list[Problem])


@attrs.frozen
class Incident:
    id: str
    severity: Severity | None


incidents: list[OpenIncident] = [Incident("INC-1", Severity.SEV_1)]
policy = rp.default_policy()

planned = plan_maintenance(request, policy, now=now, open_incidents=[Incident("INC-1", None)])
assert_type(planned, MaintenancePlan | RollingPlan)
assert_type(rp.plan_maintenance(request, now=now), rp.MaintenancePlan | rp.RollingPlan)
assert_type(planned.window_needed, bool)
if isinstance(planned, RollingPlan):
    assert_type(planned.window_needed, Literal[False])
plan = planned if isinstance(planned, MaintenancePlan) else None
if plan is None:
    raise SystemExit
assert_type(plan.start, dt.datetime)
assert_type(plan.end, dt.datetime)
assert_type(plan.notice_deadline, dt.datetime)
assert_type(plan.notices, tuple[MaintenanceNotice, ...])
assert_type(plan.holds, tuple[Hold, ...])
assert_type(plan.notices[0].kind, MaintenanceNoticeKind)
assert_type(plan.notices[0].channel, Channel)
assert_type(plan.notices[0].due, dt.datetime)

waved = plan_waves(request, policy, now=now, open_incidents=incidents)
assert_type(waved, WavePlan | RollingPlan)
if isinstance(waved, WavePlan):
    assert_type(waved.waves, tuple[MaintenancePlan, ...])
    assert_type(waved.waves[0].start, dt.datetime)

decision = go_no_go(plan, policy, now=now, open_incidents=incidents)
assert_type(decision, GoNoGo)
assert_type(decision.go, bool)
assert_type(decision.blockers, tuple[Blocker, ...])
assert_type(decision.blockers[0].rule, str)
assert_type(decision.blockers[0].tenants, tuple[str, ...])

try:
    plan_maintenance(request, policy, now=now)
except rp.NoFeasibleWindow as error:
    assert_type(error.blockers, tuple[Blocker, ...])
    assert_type(error.blockers[0], rp.Blocker)
