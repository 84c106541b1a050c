"""Fuzzing the request reader and the planner: bad input raises our errors, never anything else."""

from __future__ import annotations

import contextlib
import datetime as dt
import pathlib
import tempfile

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reliability_policy import (
    NoFeasibleWindow,
    PolicyConfigError,
    PolicyInputError,
    default_policy,
)
from reliability_policy.cli._maintenance import read_request
from reliability_policy.maintenance import MaintenanceRequest, plan_maintenance, plan_waves
from reliability_policy.policy import Tenant, TimeZoneName
from reliability_policy.serialization import structure

pytestmark = pytest.mark.fuzz

POLICY = attrs.evolve(
    default_policy(),
    tenants=(
        Tenant("acme", TimeZoneName("America/New_York")),
        Tenant("initech", TimeZoneName("Asia/Kathmandu")),
    ),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(
        ["all", "acme", "initech", "2h", "0m", "PT30M", "9999h", "2026-03-01T00:00:00Z", "2026"]
    ),
    st.datetimes(
        dt.datetime(1, 1, 2), dt.datetime(9999, 12, 30), timezones=st.none() | st.just(dt.UTC)
    ),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3))
KEYS = [
    "change_id",
    "downtime",
    "tenants",
    "earliest_start",
    "latest_start",
    "expected_downtime",
    "other",
]


@given(st.dictionaries(st.sampled_from(KEYS), values))
def test_request_data_structures_or_raises_our_error_and_plans_or_explains(data):
    try:
        request = structure(data, MaintenanceRequest)
    except PolicyConfigError as error:
        assert all(problem.path.startswith("$") for problem in error.problems)
        return
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for plan in (plan_maintenance, plan_waves):
        with contextlib.suppress(PolicyInputError, NoFeasibleWindow):
            plan(request, POLICY, now=now)


@given(st.text(max_size=300))
def test_request_documents_raise_only_our_error(text):
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "request.toml"
        path.write_text(text, encoding="utf-8")
        try:
            read_request(str(path))
        except PolicyConfigError as error:
            assert error.problems


@given(
    st.sampled_from(["acme", "initech"]),
    st.datetimes(dt.datetime(1971, 1, 2), dt.datetime(8999, 1, 1), timezones=st.just(dt.UTC)),
    st.integers(0, 400 * 24 * 60),
    st.integers(1, 400 * 24 * 60),
    st.datetimes(dt.datetime(1, 1, 2), dt.datetime(9999, 12, 30), timezones=st.just(dt.UTC)),
)
def test_any_instants_plan_or_explain(tenant, earliest, span, minutes, now):
    request = MaintenanceRequest(
        "CHG-f",
        True,
        (tenant,),
        earliest,
        earliest + dt.timedelta(minutes=span),
        dt.timedelta(minutes=minutes),
    )
    with contextlib.suppress(PolicyInputError, NoFeasibleWindow):
        plan_maintenance(request, POLICY, now=now)
