"""The public names are a decision, not an accident (as httpx's test_exported_members)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import reliability_policy


def test_all_is_exactly_the_public_names():
    public = {
        name
        for name, value in vars(reliability_policy).items()
        if not name.startswith("_") and not isinstance(value, type(sys))
    }
    public.discard("annotations")  # from __future__
    assert set(reliability_policy.__all__) == public
    assert reliability_policy.__all__ == sorted(reliability_policy.__all__)


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


def test_the_loader_asks_each_concern_to_check_its_section():
    with pytest.raises(reliability_policy.PolicyConfigError, match=r"\$\.severity\.rules"):
        reliability_policy.loads_policy(
            'schema_version = 1\n[severity]\nrules = [{name = "x", severity = "SEV-1", '
            'when = [{impact_at_most = "MINOR"}]}]\n'
        )


def test_an_unknown_name_is_an_attribute_error():
    name = "classifyy"
    with pytest.raises(AttributeError, match=name):
        getattr(reliability_policy, name)
