"""Pins the public types of the foundation; type-checked by mypy, never run."""

from __future__ import annotations

import datetime as dt
from typing import assert_type

import reliability_policy as rp
from reliability_policy.errors import Problem
from reliability_policy.policy import Cadence, TenantTerms, TimeZoneName, Window
from reliability_policy.serialization import dumps, loads

policy = rp.default_policy()
assert_type(policy, rp.Policy)
assert_type(rp.loads_policy("schema_version = 1"), rp.Policy)
assert_type(rp.load_tenants("schema_version = 1"), tuple[rp.Tenant, ...])
assert_type(policy.for_tenant("acme"), TenantTerms)
assert_type(policy.tenant("acme"), rp.Tenant | None)
assert_type(policy.notifications.cadence(rp.Severity.SEV_1), Cadence)
assert_type(policy.notifications.sev1.first_notice, dt.timedelta | None)
assert_type(policy.security.notify_deadline, dt.timedelta)
assert_type(policy.maintenance.windows, tuple[Window, ...])
assert_type(policy.for_tenant("acme").time_zone, TimeZoneName | None)
assert_type(rp.Severity.SEV_1 > rp.Severity.SEV_2, bool)
assert_type(rp.Impact.OUTAGE.rank, int)
assert_type(loads(dumps(policy), rp.Policy), rp.Policy)

try:
    rp.load_policy("")
except rp.PolicyConfigError as error:
    assert_type(error.problems, tuple[Problem, ...])
    assert_type(error.problems[0].path, str)
