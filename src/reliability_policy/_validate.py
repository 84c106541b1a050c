"""attrs validators shared by the concerns' value types: each raises a PolicyInputError that
names the field, the value and what was expected."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

import attrs

from reliability_policy._time import require_aware
from reliability_policy.errors import PolicyInputError

__all__ = [
    "aware",
    "member_of",
    "nonempty_text",
    "optional_aware",
    "optional_nonempty_text",
    "string",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


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
