"""Arbitrary text and arbitrary TOML-shaped values fed to load_policy: the only exception that
ever escapes is a PolicyConfigError whose problems name a path."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuzzing import paths, replace, toml_values
from reliability_policy import PolicyConfigError, load_tenants, loads_policy
from reliability_policy.defaults import default_data as _default_data

pytestmark = pytest.mark.fuzz


def assert_only_our_error(source) -> None:
    try:
        loads_policy(source)
    except PolicyConfigError as error:
        assert error.problems
        assert all(p.path.startswith("$") for p in error.problems)
        assert "$" in str(error)


@given(st.text())
def test_arbitrary_text(text):
    assert_only_our_error(text)


@given(st.dictionaries(st.text(max_size=12), toml_values, max_size=6))
def test_arbitrary_toml_shaped_documents(data):
    assert_only_our_error({"schema_version": 1, **data})


DEFAULT_PATHS = list(paths(_default_data()))


@given(st.sampled_from(DEFAULT_PATHS), toml_values)
def test_the_default_document_with_one_value_mutated(path, value):
    assert_only_our_error(replace(_default_data(), path, value))


@given(st.text())
def test_tenant_documents(text):
    try:
        load_tenants(text)
    except PolicyConfigError as error:
        assert all(p.path.startswith("$") for p in error.problems)
