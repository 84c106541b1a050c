"""attrs validators and converters shared by the concerns' value types.

Each validator raises a PolicyInputError that names the field, the value and what was expected.
Converters only normalise what is already valid (an aware datetime to UTC, an enum's documented
string to its member) and leave anything else for the validator to refuse with a clear message.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import attrs

from reliability_policy.errors import PolicyInputError
from reliability_policy.levels import (
    Audience,
    Channel,
    ContainmentMeasureKind,
    DataInvolvement,
    DetectionSource,
    Impact,
    IncidentKind,
    NoticeKind,
    Severity,
)
from reliability_policy.timing import as_utc, require_aware

__all__ = [
    "aware",
    "instances_of",
    "member",
    "member_of",
    "nonempty_text",
    "nonempty_texts",
    "optional_aware",
    "optional_nonempty_text",
    "optional_utc",
    "string",
    "to_audience",
    "to_channel",
    "to_data_involvement",
    "to_detection_source",
    "to_fallback_for",
    "to_impact",
    "to_incident_kind",
    "to_measure_kind",
    "to_notice_kind",
    "to_optional_severity",
    "to_severity",
    "to_tuple",
    "utc",
]

E = TypeVar("E", bound=enum.Enum)
Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def utc(value: dt.datetime) -> dt.datetime:
    """Converter: an aware datetime in UTC (anything else is left for the validator).

    Values hold UTC so that equal instants compare equal whatever zone they were written in
    (Python refuses inter-zone equality for a wall time repeated by a DST change).
    """
    if isinstance(value, dt.datetime) and value.utcoffset() is not None:
        return as_utc(value)
    return value


def optional_utc(value: dt.datetime | None) -> dt.datetime | None:
    """Converter: :func:`utc`, keeping ``None``."""
    return None if value is None else utc(value)


def to_tuple(value: Any) -> Any:
    """Converter: any iterable but a string as a tuple (anything else is left as it is)."""
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
        return tuple(value)
    return value


def member(kind: type[E], value: object, field: str) -> E:
    """A member of ``kind`` from itself or its documented string value (any case).

    Converters of enum fields call this with their field's name.

    Raises:
        PolicyInputError: ``value`` is neither a member nor a member's value.
    """
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        wanted = value.strip().lower()
        for candidate in kind:
            if str(candidate.value).lower() == wanted:
                return candidate
    names = ", ".join(repr(m.value) for m in kind)
    raise PolicyInputError(field, value, f"one of {names}")


def aware(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A timezone-aware datetime."""
    require_aware(value, attribute.name)


def optional_aware(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A timezone-aware datetime, or ``None``."""
    if value is not None:
        require_aware(value, attribute.name)


def string(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A string (possibly empty)."""
    if not isinstance(value, str):
        raise PolicyInputError(attribute.name, value, "a string")


def nonempty_text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A string with something besides white space."""
    if not isinstance(value, str) or not value.strip():
        raise PolicyInputError(attribute.name, value, "a non-empty string")


def optional_nonempty_text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A non-empty string, or ``None``."""
    if value is not None:
        nonempty_text(_, attribute, value)


def member_of(kind: type[enum.Enum], *, optional: bool = False) -> Validator:
    """A member of ``kind`` (or ``None`` when ``optional``)."""
    names = ", ".join(repr(m.value) for m in kind)
    expected = f"a {kind.__name__} ({names})" + (" or nothing" if optional else "")

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind) and not (optional and value is None):
            raise PolicyInputError(attribute.name, value, expected)

    return check


def nonempty_texts(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A tuple of non-empty strings."""
    if not isinstance(value, tuple):
        raise PolicyInputError(attribute.name, value, "a list of non-empty strings")
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise PolicyInputError(f"{attribute.name}[{index}]", item, "a non-empty string")


def instances_of(kind: type) -> Validator:
    """A tuple whose items are all ``kind`` values."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise PolicyInputError(attribute.name, value, f"a list of {kind.__name__} values")
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                raise PolicyInputError(f"{attribute.name}[{index}]", item, f"a {kind.__name__}")

    return check


# --- enum converters: a member, or its documented string value ----------------------------------
# Named functions, so that attrs' mypy plugin types each field's __init__ parameter as
# ``Member | str``; each error names the field the documents call it by.


def to_severity(value: Severity | str) -> Severity:
    """Converter: a :class:`~reliability_policy.levels.Severity` or ``"SEV-1"``..."""
    return member(Severity, value, "severity")


def to_optional_severity(value: Severity | str | None) -> Severity | None:
    """Converter: :func:`to_severity`, keeping ``None``."""
    return None if value is None else member(Severity, value, "severity")


def to_impact(value: Impact | str) -> Impact:
    """Converter: an :class:`~reliability_policy.levels.Impact` or ``"OUTAGE"``..."""
    return member(Impact, value, "impact")


def to_channel(value: Channel | str) -> Channel:
    """Converter: a :class:`~reliability_policy.levels.Channel` or ``"email"``..."""
    return member(Channel, value, "channel")


def to_fallback_for(value: Channel | str | None) -> Channel | None:
    """Converter: the channel a notice stood in for, or ``None``."""
    return None if value is None else member(Channel, value, "fallback_for")


def to_incident_kind(value: IncidentKind | str) -> IncidentKind:
    """Converter: an :class:`~reliability_policy.levels.IncidentKind` or ``"security"``..."""
    return member(IncidentKind, value, "kind")


def to_data_involvement(value: DataInvolvement | str) -> DataInvolvement:
    """Converter: a :class:`~reliability_policy.levels.DataInvolvement` or ``"unknown"``..."""
    return member(DataInvolvement, value, "customer_data")


def to_notice_kind(value: NoticeKind | str) -> NoticeKind:
    """Converter: a :class:`~reliability_policy.levels.NoticeKind` or ``"update"``..."""
    return member(NoticeKind, value, "kind")


def to_audience(value: Audience | str) -> Audience:
    """Converter: an :class:`~reliability_policy.levels.Audience` or ``"status_page"``..."""
    return member(Audience, value, "audience")


def to_detection_source(value: DetectionSource | str) -> DetectionSource:
    """Converter: a :class:`~reliability_policy.levels.DetectionSource` or ``"other"``..."""
    return member(DetectionSource, value, "source")


def to_measure_kind(value: ContainmentMeasureKind | str) -> ContainmentMeasureKind:
    """Converter: a :class:`~reliability_policy.levels.ContainmentMeasureKind` or
    ``"traffic_shedding"``..."""
    return member(ContainmentMeasureKind, value, "kind")
