"""Arbitrary text and arbitrary TOML-shaped values fed to load_policy: the only exception that
ever escapes is a PolicyConfigError whose problems name a path."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reliability_policy import PolicyConfigError, load_policy, load_tenants
from reliability_policy.loading import _default_data

pytestmark = pytest.mark.fuzz

scalars = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["30m", "48h", "5bd", "SEV-1", "SUN", "02:00", "none", "UTC", "email"]),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(dt.UTC)),
    st.times(),
)
toml_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


def assert_only_our_error(source) -> None:
    try:
        load_policy(source)
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


def _paths(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


DEFAULT_PATHS = list(_paths(_default_data()))


def _replace(data, path, value):
    if not path:
        return value
    head, *rest = path
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[head] = _replace(copy[head], rest, value)
    return copy


@given(st.sampled_from(DEFAULT_PATHS), toml_values)
def test_the_default_document_with_one_value_mutated(path, value):
    assert_only_our_error(_replace(_default_data(), path, value))


@given(st.text())
def test_tenant_documents(text):
    try:
        load_tenants(text)
    except PolicyConfigError as error:
        assert all(p.path.startswith("$") for p in error.problems)
