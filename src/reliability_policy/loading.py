"""Loading and validating policy documents (TOML or JSON), with every problem reported at once.

>>> from reliability_policy import load_policy
>>> load_policy('''
... schema_version = 1
... [notifications.SEV-1]
... update_interval = "soon"
... ''')
Traceback (most recent call last):
  ...
reliability_policy.errors.PolicyConfigError: The policy document has 1 problem:
  $.notifications.SEV-1.update_interval: expected a duration such as '30m', ..., got 'soon'

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import json
import os
import pathlib
import tomllib
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from reliability_policy._time import format_duration
from reliability_policy.errors import PolicyConfigError, PolicyInputError, Problem
from reliability_policy.policy import (
    SCHEMA_VERSION,
    Freeze,
    Policy,
    RRuleWindow,
    Tenant,
    WeeklyWindow,
    Window,
)
from reliability_policy.serialization import structure

__all__ = [
    "GDPR_CONTROLLER_DEADLINE",
    "PolicySource",
    "TenantsDocument",
    "check_policy",
    "default_policy",
    "load_policy",
    "load_tenants",
    "policy_or_default",
    "read_document",
]

GDPR_CONTROLLER_DEADLINE: Final = dt.timedelta(hours=72)
"""A controller notifies its supervisory authority within 72 h of awareness (GDPR Art. 33(1)).

This is law, not policy: a processor's deadline toward its controllers (the DPA deadline) must
be shorter, so a policy or tenant deadline above it is a configuration error.
"""

PolicySource = str | os.PathLike[str] | Mapping[str, Any]
"""Where a policy document comes from; TOML or JSON text, a ``.toml``/``.json`` path, or data."""

_DEFAULT_RESOURCE: Final = "default_policy.toml"
_FILE_SUFFIXES: Final = (".toml", ".json")


@attrs.frozen
class TenantsDocument:
    """A tenant terms document: ``schema_version`` and a list of ``[[tenants]]``.

    .. versionadded:: 0.1.0
    """

    schema_version: int
    tenants: tuple[Tenant, ...] = ()


@functools.cache
def _default_text() -> str:
    resource = importlib.resources.files("reliability_policy").joinpath(_DEFAULT_RESOURCE)
    return resource.read_text(encoding="utf-8")


def _default_data() -> dict[str, Any]:
    return tomllib.loads(_default_text())


def _overlay(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """``top`` merged over ``base``: tables merge key by key, anything else replaces."""
    merged = dict(base)
    for key, value in top.items():
        below = merged.get(key)
        if isinstance(value, Mapping) and isinstance(below, Mapping):
            merged[key] = _overlay(below, value)
        else:
            merged[key] = value
    return merged


@functools.cache
def default_policy() -> Policy:
    """The built-in default policy: the bundled ``default_policy.toml``, loaded once.

    >>> default_policy().security.notify_deadline
    datetime.timedelta(days=2)

    .. versionadded:: 0.1.0
    """
    return load_policy(_default_text(), name="default policy")


def load_policy(
    source: PolicySource, *, tenants: PolicySource | None = None, name: str | None = None
) -> Policy:
    """Load and validate a policy document; optionally add a separate tenant terms document.

    A document may be partial: a key it leaves out takes the default policy's value (tables
    merge key by key; a list replaces the default's list whole). A key the format does not
    have is an error, so a typo never falls back to a default silently.

    Args:
        source: TOML or JSON text, a path to a ``.toml`` or ``.json`` file, or parsed data.
        tenants: An optional tenant terms document (``[[tenants]]`` entries), same forms.
        name: How error messages name the document (default: its file name or "policy
            document").

    Returns:
        The validated policy.

    Raises:
        PolicyConfigError: the document has problems; every one is listed with its key path,
            the value found, and what was expected. Unknown keys are problems too.

    .. versionadded:: 0.1.0
    """
    data, label = read_document(source, name=name or "policy document")
    policy = structure(_overlay(_default_data(), data), Policy, source=label)
    if tenants is not None:
        extra = load_tenants(tenants)
        policy = attrs.evolve(policy, tenants=policy.tenants + extra)
    problems = check_policy(policy)
    if problems:
        raise PolicyConfigError(problems, label)
    return policy


def load_tenants(source: PolicySource, *, name: str | None = None) -> tuple[Tenant, ...]:
    """Load a tenant terms document (``schema_version`` and ``[[tenants]]``).

    The tenants are checked against a policy when passed to :func:`load_policy`.

    Raises:
        PolicyConfigError: the document has problems, each listed with its path.

    .. versionadded:: 0.1.0
    """
    data, label = read_document(source, name=name or "tenant terms document")
    return structure(data, TenantsDocument, source=label).tenants


def read_document(source: PolicySource, *, name: str) -> tuple[Mapping[str, Any], str]:
    """Read a versioned document (TOML or JSON text, a path, or parsed data) and check its
    ``schema_version``; every document this library reads goes through here.

    Args:
        source: TOML or JSON text, a path to a ``.toml`` or ``.json`` file, or parsed data.
        name: How error messages name the document when it is not a file.

    Returns:
        The parsed top-level table and the document's label (its path, or ``name``).

    Raises:
        PolicyConfigError: the file cannot be read, the text does not parse, the top level
            is not a table, or the schema version is missing or unknown.

    >>> read_document("schema_version = 1\\nanswer = 42", name="example")
    ({'schema_version': 1, 'answer': 42}, 'example')
    >>> read_document("answer = 42", name="example")
    Traceback (most recent call last):
      ...
    reliability_policy.errors.PolicyConfigError: The example has 1 problem:
      $.schema_version: expected schema version 1, but the key is missing

    .. versionadded:: 0.1.0
    """
    data, label = _read(source, name)
    problems = _shape_problems(data)
    if problems:
        raise PolicyConfigError(problems, label)
    return data, label


def policy_or_default(policy: object) -> Policy:
    """The policy a public function was given, or the default policy for ``None``.

    >>> policy_or_default(None) is default_policy()
    True
    >>> policy_or_default("strict")
    Traceback (most recent call last):
      ...
    reliability_policy.errors.PolicyInputError: policy: expected a Policy, or None ..., got 'strict'

    Raises:
        PolicyInputError: ``policy`` is neither a :class:`~reliability_policy.policy.Policy`
            nor None.

    .. versionadded:: 0.1.0
    """
    if policy is None:
        return default_policy()
    if not isinstance(policy, Policy):
        raise PolicyInputError("policy", policy, "a Policy, or None for the default policy")
    return policy


def _read(source: PolicySource, label: str) -> tuple[Any, str]:
    if isinstance(source, Mapping):
        return source, label
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and "\n" not in source and source.endswith(_FILE_SUFFIXES)
    ):
        path = pathlib.Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problem = Problem("$", "a readable UTF-8 file", f"{path}: {error}")
            raise PolicyConfigError([problem], str(path)) from None
        return _parse(text, path.suffix == ".json", str(path)), str(path)
    if not isinstance(source, str):
        problem = Problem("$", "TOML or JSON text, a path, or a mapping", source)
        raise PolicyConfigError([problem], label)
    return _parse(source, source.lstrip().startswith("{"), label), label


def _parse(text: str, is_json: bool, label: str) -> Any:
    try:
        return json.loads(text) if is_json else tomllib.loads(text)
    except (ValueError, RecursionError) as error:
        kind = "JSON" if is_json else "TOML"
        raise PolicyConfigError([Problem("$", f"valid {kind}", str(error))], label) from None


def _shape_problems(data: Any) -> list[Problem]:
    """Problems with the document as a whole (not a table, wrong schema version)."""
    if not isinstance(data, Mapping):
        return [Problem("$", "a table (a JSON object) at the top level", data)]
    version = data.get("schema_version")
    if "schema_version" not in data:
        return [Problem("$.schema_version", f"schema version {SCHEMA_VERSION}", kind="missing")]
    if type(version) is not int or version != SCHEMA_VERSION:
        return [Problem("$.schema_version", f"schema version {SCHEMA_VERSION}", version)]
    return []


def check_policy(policy: Policy) -> list[Problem]:
    """Every semantic problem of a structured policy: cross-field rules, tenant overrides.

    Shape and type problems are found earlier, while structuring; these are the rules that
    relate one value to another, plus the checks of the severity and maintenance concerns.

    .. versionadded:: 0.1.0
    """
    problems: list[Problem] = []
    problems += _check_severity(policy)
    problems += _check_notifications(policy)
    problems += _check_maintenance(policy)
    problems += _check_security(policy)
    problems += _check_tenants(policy)
    problems += _concern_problems(policy)
    return problems


def _concern_problems(policy: Policy) -> list[Problem]:
    """The checks that need a concern's logic (severity rules, maintenance room).

    The loader calls each concern's own checks; importing them here, when a document is
    checked, keeps ``import reliability_policy`` from loading every concern up front.
    """
    from reliability_policy import maintenance, severity

    return [*severity.policy_problems(policy), *maintenance.policy_problems(policy)]


def _check_severity(policy: Policy) -> Iterable[Problem]:
    rules = policy.severity.rules
    if not rules:
        yield Problem("$.severity.rules", "at least one rule", [])
    seen: set[str] = set()
    for i, rule in enumerate(rules):
        if not rule.name.strip():
            yield Problem(f"$.severity.rules[{i}].name", "a non-empty rule name", rule.name)
        if rule.name in seen:
            yield Problem(f"$.severity.rules[{i}].name", "a rule name used once", rule.name)
        seen.add(rule.name)
        for j, condition in enumerate(rule.when):
            share = condition.share_at_least
            if share is not None and not 0 <= share <= 100:
                path = f"$.severity.rules[{i}].when[{j}].share_at_least"
                yield Problem(path, "a percentage from 0 to 100", share)
            low, high = condition.impact_at_least, condition.impact_at_most
            if low is not None and high is not None and low > high:
                path = f"$.severity.rules[{i}].when[{j}]"
                yield Problem(path, "impact_at_least at or below impact_at_most", condition)
    if not policy.severity.material:
        yield Problem("$.severity.material", "at least one material severity", [])


_CADENCE_FIELDS: Final = ("first_notice", "update_interval", "resolution_notice", "summary")


def _check_notifications(policy: Policy) -> Iterable[Problem]:
    notifications = policy.notifications
    tighter, looser = notifications.sev1, notifications.sev2
    for field in _CADENCE_FIELDS:
        strict, loose = getattr(tighter, field), getattr(looser, field)
        path = f"$.notifications.SEV-1.{field}"
        if loose is not None and strict is None:
            yield Problem(path, f"a value, since SEV-2 sets {field} = {str_value(loose)!r}", None)
        elif loose is not None and strict is not None and _looser(strict, loose):
            expected = f"at most SEV-2's {str_value(loose)!r} (SEV-1 may not be looser)"
            yield Problem(path, expected, str_value(strict))
    for channel, to in notifications.fallback.items():
        if channel is to:
            path = f"$.notifications.fallback.{channel.value}"
            yield Problem(path, "a different channel to fall back to", to.value)
    if not notifications.required_channels:
        yield Problem("$.notifications.required_channels", "at least one channel", [])
    both = notifications.required_channels & notifications.best_effort_channels
    if both:
        names = sorted(c.value for c in both)
        yield Problem("$.notifications.best_effort_channels", "no required channel", names)
    if not policy.calendar.workdays:
        yield Problem("$.calendar.workdays", "at least one working day", [])


def _looser(strict: object, loose: object) -> bool:
    if isinstance(strict, dt.timedelta) and isinstance(loose, dt.timedelta):
        return strict > loose
    return _span_days(strict) > _span_days(loose)


def _span_days(span: object) -> float:
    # A business day is never shorter than a day; compare spans by their nominal days.
    count = getattr(span, "count", 0)
    unit = getattr(getattr(span, "unit", None), "value", "d")
    return count * (7 / 5 if unit == "bd" else 1)


def str_value(value: object) -> str:
    """A policy value written the way documents write it."""
    if isinstance(value, dt.timedelta):
        return format_duration(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def _check_windows(windows: Iterable[Window], path: str) -> Iterable[Problem]:
    for i, window in enumerate(windows):
        if isinstance(window, WeeklyWindow) and window.start == window.end:
            end = str_value(window.end)
            yield Problem(f"{path}[{i}].end", "an end different from the start", end)
        elif isinstance(window, RRuleWindow):
            problem = _rrule_problem(window.rrule)
            if problem:
                yield Problem(f"{path}[{i}].rrule", problem, window.rrule)


def _rrule_problem(text: str) -> str | None:
    from dateutil import rrule

    try:
        rule = rrule.rrulestr(text, dtstart=dt.datetime(2000, 1, 3), forceset=True)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        return "an RFC 5545 RRULE such as 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0'"
    if rule.after(dt.datetime(2000, 1, 3)) is None:
        return "an RRULE that recurs"
    return None


def _check_freezes(freezes: Iterable[Freeze], path: str) -> Iterable[Problem]:
    for i, freeze in enumerate(freezes):
        start, end = freeze.start, freeze.end
        if (isinstance(start, dt.datetime) and isinstance(end, dt.datetime)) or (
            not isinstance(start, dt.datetime) and not isinstance(end, dt.datetime)
        ):
            backwards = end < start
        else:
            yield Problem(f"{path}[{i}].end", "the same kind as start (date or instant)", end)
            continue
        if backwards:
            yield Problem(f"{path}[{i}].end", "an end at or after the start", end)


def _check_maintenance(policy: Policy) -> Iterable[Problem]:
    maintenance = policy.maintenance
    if not maintenance.windows:
        yield Problem("$.maintenance.windows", "at least one low-traffic window", [])
    yield from _check_windows(maintenance.windows, "$.maintenance.windows")
    yield from _check_freezes(maintenance.freezes, "$.maintenance.freezes")
    if maintenance.reminder >= maintenance.notice:
        expected = f"a reminder shorter than the notice period {str_value(maintenance.notice)!r}"
        yield Problem("$.maintenance.reminder", expected, str_value(maintenance.reminder))
    if maintenance.min_block > maintenance.min_weekly:
        expected = f"at most min_weekly {str_value(maintenance.min_weekly)!r}"
        yield Problem("$.maintenance.min_block", expected, str_value(maintenance.min_block))


def _check_security(policy: Policy) -> Iterable[Problem]:
    security = policy.security
    if security.notify_deadline > GDPR_CONTROLLER_DEADLINE:
        yield Problem(
            "$.security.notify_deadline",
            "at most 72h (the controller's own GDPR Art. 33(1) deadline)",
            str_value(security.notify_deadline),
        )
    if not security.checklist:
        yield Problem("$.security.checklist", "at least one Art. 33(3) item", [])
    unknown = security.forbidden_audiences - _AUDIENCES
    if unknown:
        expected = "audiences among " + ", ".join(sorted(_AUDIENCES))
        yield Problem("$.security.forbidden_audiences", expected, sorted(unknown))


_AUDIENCES: Final = frozenset({"status_page", "notification_list", "other_tenants"})


def _check_tenants(policy: Policy) -> Iterable[Problem]:
    seen: set[str] = set()
    for i, tenant in enumerate(policy.tenants):
        path = f"$.tenants[{i}]"
        if not tenant.id:
            yield Problem(f"{path}.id", "a non-empty tenant id", tenant.id)
        if tenant.id in seen:
            yield Problem(f"{path}.id", "a tenant id listed once", tenant.id)
        seen.add(tenant.id)
        if tenant.notice is not None and tenant.notice < policy.maintenance.notice:
            expected = (
                f"at least the policy's {str_value(policy.maintenance.notice)!r} "
                "(an override may only tighten)"
            )
            yield Problem(f"{path}.notice", expected, str_value(tenant.notice))
        if tenant.dpa_deadline is not None:
            limit = min(policy.security.notify_deadline, GDPR_CONTROLLER_DEADLINE)
            if tenant.dpa_deadline > limit:
                expected = (
                    f"at most the policy's {str_value(limit)!r} (an override may only tighten)"
                )
                yield Problem(f"{path}.dpa_deadline", expected, str_value(tenant.dpa_deadline))
        if tenant.windows is not None:
            if not tenant.windows:
                yield Problem(f"{path}.windows", "at least one low-traffic window", [])
            yield from _check_windows(tenant.windows, f"{path}.windows")
