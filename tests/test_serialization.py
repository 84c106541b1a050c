"""Every public value round-trips through JSON unchanged; structuring is strict."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reliability_policy import PolicyConfigError, testing
from reliability_policy.policy import Cadence, Freeze, Policy, Tenant, Window
from reliability_policy.serialization import dumps, loads, structure, unstructure
from reliability_policy.timing import CalendarSpan

ROUND_TRIPS = [
    (testing.policies(), Policy),
    (testing.tenants(), Tenant),
    (testing.windows(), Window),
    (testing.freezes(), Freeze),
    (testing.cadences(), Cadence),
    (testing.calendar_spans(), CalendarSpan),
    (testing.durations(), dt.timedelta),
    (testing.aware_datetimes(), dt.datetime),
]


@pytest.mark.parametrize(
    ("strategy", "kind"), ROUND_TRIPS, ids=lambda v: getattr(v, "__name__", "")
)
def test_json_round_trip(strategy, kind):
    @given(strategy)
    def check(value):
        text = json.dumps(unstructure(value, kind))
        back = structure(json.loads(text), kind)
        if isinstance(value, dt.datetime):
            # Instants are written in UTC. An ambiguous local time (fold=1) never compares
            # equal to another zone's datetime (PEP 495), so compare the instants themselves.
            assert back.timestamp() == value.timestamp()
            assert back.utcoffset() == dt.timedelta(0)
        else:
            assert back == value

    check()


@given(testing.policies())
def test_policies_from_the_strategy_are_valid_documents(policy):
    from reliability_policy.loading import check_policy

    assert check_policy(policy) == []
    assert loads(dumps(policy), Policy) == policy


def test_structuring_is_strict_never_coercing():
    with pytest.raises(PolicyConfigError, match="an integer"):
        structure({"schema_version": "1"}, Policy)
    with pytest.raises(PolicyConfigError, match="a string"):
        structure({"id": 5, "time_zone": "UTC"}, Tenant)
    with pytest.raises(PolicyConfigError, match="true or false"):
        structure({"id": "a", "time_zone": "UTC", "notification_list": "yes"}, Tenant)
    with pytest.raises(PolicyConfigError, match="an integer"):
        structure(True, int)


def test_loads_reports_bad_json():
    with pytest.raises(PolicyConfigError, match="valid JSON"):
        loads("{", Policy)


@given(st.text())
def test_loads_arbitrary_text_raises_only_our_error(text):
    try:
        loads(text, Tenant)
    except PolicyConfigError as error:
        assert all(p.path.startswith("$") for p in error.problems)
