"""Every document parser under mutation: the bundled examples with one value replaced by an
arbitrary one. The only exceptions that may escape are ours, and they say where the problem is."""

from __future__ import annotations

import json
import pathlib
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzzing import json_values, paths, replace, toml_values
from reliability_policy import PolicyConfigError, PolicyError, load_tenants, loads_events, replay
from reliability_policy.errors import EventLogError
from reliability_policy.maintenance import MaintenanceRequest
from reliability_policy.serialization import structure

pytestmark = pytest.mark.fuzz

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
TENANTS = tomllib.loads((EXAMPLES / "tenants.toml").read_text())
REQUEST = tomllib.loads((EXAMPLES / "maintenance-request.toml").read_text())
LOG_LINES = [
    json.loads(line)
    for line in (EXAMPLES / "lifecycle-incident.jsonl").read_text().splitlines()
    if line.strip()
]


@given(st.sampled_from(list(paths(TENANTS))), toml_values)
def test_tenant_terms_with_one_value_mutated(path, value):
    try:
        load_tenants(replace(TENANTS, path, value))
    except PolicyConfigError as error:
        assert all(p.path.startswith("$") for p in error.problems)


@given(st.sampled_from(list(paths(REQUEST))), toml_values)
def test_maintenance_requests_with_one_value_mutated(path, value):
    data = {k: v for k, v in replace(REQUEST, path, value).items() if k != "schema_version"}
    try:
        structure(data, MaintenanceRequest)
    except PolicyConfigError as error:
        assert all(p.path.startswith("$") for p in error.problems)


@given(
    st.integers(0, len(LOG_LINES) - 1).flatmap(
        lambda n: st.tuples(st.just(n), st.sampled_from(list(paths(LOG_LINES[n]))))
    ),
    json_values,
)
def test_event_logs_with_one_value_mutated(where, value):
    index, path = where
    lines = [json.dumps(line) for line in LOG_LINES]
    lines[index] = json.dumps(replace(LOG_LINES[index], path, value))
    try:
        events = loads_events("\n".join(lines))
    except EventLogError as error:
        assert error.line == index + 1
        assert f"line {index + 1}" in str(error)
        return
    try:
        replay(events)
    except PolicyError as error:
        assert str(error)
