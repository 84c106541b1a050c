"""Type checks for the calendar invites (checked by mypy, never run)."""

from __future__ import annotations

import datetime as dt
from typing import assert_type

import reliability_policy as rp

at = dt.datetime(2026, 4, 5, tzinfo=dt.UTC)
plan = rp.MaintenancePlan("CHG-1", ("acme",), at, "window", "", at, at, at, at)
waves = rp.WavePlan("CHG-1", (plan,), "waves", "")

assert_type(rp.maintenance_invite(plan, "acme"), str)
assert_type(rp.maintenance_invite(waves, "acme", sequence=1, method="PUBLISH"), str)
assert_type(rp.maintenance_cancellation(plan, "acme", sequence=2), str)
assert_type(rp.maintenance_invites(waves), dict[str, str])
