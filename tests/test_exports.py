"""The public names are a decision, not an accident (as httpx's test_exported_members)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import reliability_policy

EXPECTED = {
    "CalendarSpan",
    "Channel",
    "ConflictingEvent",
    "EventLogError",
    "Impact",
    "InfeasiblePlan",
    "InvalidTransition",
    "NaiveDatetimeError",
    "NoFeasibleWindow",
    "OutOfOrderEvent",
    "Policy",
    "PolicyConfigError",
    "PolicyError",
    "PolicyInputError",
    "Problem",
    "Severity",
    "Tenant",
    "TenantTerms",
    "Weekday",
    "default_policy",
    "load_policy",
    "load_tenants",
}


def test_all_is_pinned_and_sorted():
    assert set(reliability_policy.__all__) >= EXPECTED
    assert reliability_policy.__all__ == sorted(reliability_policy.__all__)
    for name in reliability_policy.__all__:
        assert getattr(reliability_policy, name) is not None


def test_every_error_derives_from_policy_error():
    for name in reliability_policy.__all__:
        value = getattr(reliability_policy, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, reliability_policy.PolicyError), name


def test_import_has_no_side_effects_and_no_cli_or_test_dependencies():
    code = (
        "import sys, reliability_policy; "
        "bad = {'click', 'rich', 'tomli_w', 'hypothesis', 'sphinx'} & set(sys.modules); "
        "print(sorted(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    assert result.stderr == ""


def test_concerns_load_on_first_use_and_the_loader_still_runs_their_checks():
    code = (
        "import sys, reliability_policy as rp\n"
        "assert 'reliability_policy.lifecycle' not in sys.modules\n"
        "rp.Incident\n"
        "assert 'reliability_policy.lifecycle' in sys.modules\n"
        "try:\n"
        "    rp.load_policy('schema_version = 1\\n[severity]\\nrules = ["
        '{name = \\"x\\", severity = \\"SEV-1\\", when = [{impact_at_most = \\"MINOR\\"}]}]\')\n'
        "except rp.PolicyConfigError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "$.severity.rules" in result.stdout


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'classifyy'"):
        _ = reliability_policy.classifyy
