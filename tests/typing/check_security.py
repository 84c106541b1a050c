"""Pins the public types of the DPA track; type-checked by mypy, never run."""

from __future__ import annotations

import datetime as dt
from typing import assert_type

import reliability_policy as rp
from reliability_policy.findings import DueStatus, Finding
from reliability_policy.lifecycle import DataInvolvement
from reliability_policy.security import (
    NoticeFlags,
    RoutingDecision,
    TenantRouting,
    Track,
    ordinary_notice_flags,
    security_facts,
)

now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
facts = rp.SecurityFacts("INC-1", "security", now)
routing = rp.route_security_incident(facts, now=now)
assert_type(routing, rp.Routing)
assert_type(routing.track, Track)
assert_type(routing.tenants, tuple[TenantRouting, ...])
assert_type(routing.records, tuple[RoutingDecision, ...])
assert_type(routing.findings, tuple[Finding, ...])
assert_type(routing.tenant("acme"), TenantRouting | None)
assert_type(routing.tenants[0].deadline, dt.datetime)
assert_type(routing.tenants[0].status, DueStatus)
assert_type(routing.tenants[0].late_by, dt.timedelta | None)
assert_type(facts.involvement, DataInvolvement)
assert_type(ordinary_notice_flags(facts, now=now), NoticeFlags)
assert_type(routing.security_details_allowed, bool)
incident = rp.replay([rp.Detected(id="e1", at=now, incident_id="INC-1")])
assert_type(security_facts(incident), rp.SecurityFacts)
assert_type(rp.route_security_incident(incident, now=now), rp.Routing)
