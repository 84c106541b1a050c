"""Pins the public types of the notification cadence; type-checked by mypy, never run."""

from __future__ import annotations

import datetime as dt
from typing import assert_type

import reliability_policy as rp
from reliability_policy.findings import Finding
from reliability_policy.notifications import (
    SeverityPoint,
    TenantResult,
    TenantScope,
    communication_facts,
)

t0 = dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.UTC)
facts = rp.CommunicationFacts(
    "INC-1", (SeverityPoint(t0, rp.Severity.SEV_1),), t0, (TenantScope("t-001", t0),)
)
found = rp.obligations(facts, now=t0)
assert_type(found, tuple[rp.Obligation, ...])
assert_type(found[0].due, dt.datetime)
assert_type(found[0].late_by, dt.timedelta | None)
assert_type(found[0].status, rp.DueStatus)
assert_type(rp.next_due(facts, rp.default_policy(), now=t0), rp.Obligation | None)
report = rp.audit(facts)
assert_type(report, rp.AuditReport)
assert_type(report.breaches, tuple[Finding, ...])
assert_type(report.tenants, tuple[TenantResult, ...])
assert_type(report.compliant, bool)
incident = rp.replay([rp.Detected(id="e1", at=t0, incident_id="INC-1")])
assert_type(rp.audit(incident, now=t0), rp.AuditReport)
assert_type(communication_facts(incident), rp.CommunicationFacts)
