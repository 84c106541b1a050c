"""The one way tests say what an error must name: the field, the value and what was expected.

The contract of every public function is that a refused value gets an error from our own
hierarchy whose attributes and message name the field, the value that was found and what would
have been accepted. Tests assert that through these helpers rather than by copying messages::

    with input_error("assessment", value=42, expected="an ImpactAssessment"):
        rp.classify(42)

    with config_problem("$.severity.rules[0].name", value="", expected="a non-empty name"):
        rp.loads_policy(text)

``value`` is compared with ``==`` (and its type checked) unless it is left out; ``expected`` is
compared exactly when it is given and must otherwise still be a non-empty phrase. The message is
checked to be built from those same parts, so a mutated message or attribute fails either way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from reliability_policy import EventLogError, PolicyConfigError, PolicyInputError, Problem
from reliability_policy.errors import _show

__all__ = [
    "ANY",
    "assert_input_error",
    "config_problem",
    "find_problem",
    "input_error",
    "log_error",
]


class _Any:
    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()


def _same(found: object, wanted: object) -> bool:
    if wanted is ANY:
        return True
    if found is wanted:
        return True
    return type(found) is type(wanted) and found == wanted


def assert_input_error(
    error: BaseException,
    field: str,
    *,
    value: object = ANY,
    expected: str | None = None,
    detail: str | None = None,
) -> None:
    """Assert that ``error`` is a :class:`PolicyInputError` naming ``field``, ``value`` and
    ``expected``, and that its message is made of exactly those parts."""
    assert isinstance(error, PolicyInputError), f"not a PolicyInputError: {error!r}"
    assert error.field == field, f"field {error.field!r} != {field!r}"
    assert _same(error.value, value), f"value {error.value!r} != {value!r}"
    assert isinstance(error.expected, str), f"expected is not text: {error.expected!r}"
    assert error.expected.strip(), "expected is empty"
    if expected is not None:
        assert error.expected == expected, f"expected {error.expected!r} != {expected!r}"
    if detail is not None:
        assert error.detail == detail, f"detail {error.detail!r} != {detail!r}"
    message = f"{error.field}: expected {error.expected}, got {_show(error.value)}"
    if error.detail:
        message = f"{message} ({error.detail})"
    assert str(error) == message, f"{str(error)!r} != {message!r}"


@contextmanager
def input_error(
    field: str,
    *,
    value: object = ANY,
    expected: str | None = None,
    detail: str | None = None,
    kind: type[PolicyInputError] = PolicyInputError,
) -> Iterator[pytest.ExceptionInfo[PolicyInputError]]:
    """Expect the block to raise ``kind`` naming ``field``, ``value`` and ``expected``."""
    with pytest.raises(kind) as info:
        yield info
    assert_input_error(info.value, field, value=value, expected=expected, detail=detail)


@contextmanager
def log_error(
    line: int, field: str, *, value: object = ANY, expected: str | None = None
) -> Iterator[pytest.ExceptionInfo[EventLogError]]:
    """Expect an :class:`EventLogError` for ``field`` on 1-based line ``line``."""
    with pytest.raises(EventLogError) as info:
        yield info
    assert info.value.line == line, f"line {info.value.line} != {line}"
    assert_input_error(info.value, f"line {line}: {field}", value=value, expected=expected)


def find_problem(
    error: PolicyConfigError, path: str, *, value: object = ANY, expected: str | None = None
) -> Problem:
    """The problem of ``error`` at ``path`` with that value and expected phrase (asserted)."""
    at_path = [problem for problem in error.problems if problem.path == path]
    assert at_path, f"no problem at {path!r}; found {[p.path for p in error.problems]}"
    matching = [
        problem
        for problem in at_path
        if _same(problem.value, value) and (expected is None or problem.expected == expected)
    ]
    assert matching, f"problems at {path!r} do not match: {at_path}"
    problem = matching[0]
    assert problem.expected.strip(), "expected is empty"
    assert f"  {problem}" in str(error).splitlines(), "the message does not list the problem"
    return problem


@contextmanager
def config_problem(
    path: str,
    *,
    value: object = ANY,
    expected: str | None = None,
    kind: str | None = None,
    only: bool = False,
) -> Iterator[pytest.ExceptionInfo[PolicyConfigError]]:
    """Expect a :class:`PolicyConfigError` listing a problem at ``path`` with that value and
    expected phrase (and ``kind``); with ``only``, it must be the one problem listed."""
    with pytest.raises(PolicyConfigError) as info:
        yield info
    problem = find_problem(info.value, path, value=value, expected=expected)
    if kind is not None:
        assert problem.kind == kind, f"kind {problem.kind!r} != {kind!r}"
    if only:
        assert len(info.value.problems) == 1, f"more than one problem: {info.value.problems}"
