"""One cattrs converter for every public type, and JSON helpers on top of it.

Values unstructure to plain JSON-ready data (strings for instants, durations, zones and
enums) and structure back unchanged::

    >>> from reliability_policy import default_policy
    >>> from reliability_policy.serialization import dumps, loads
    >>> from reliability_policy.policy import Policy
    >>> policy = default_policy()
    >>> loads(dumps(policy), Policy) == policy
    True

Structuring is strict: a wrong type is an error, never coerced (``"5"`` is not an int, ``1`` is
not a string), and unknown keys are errors. Problems are reported all at once as a
:class:`~reliability_policy.errors.PolicyConfigError` (documents) or
:class:`~reliability_policy.errors.PolicyInputError` (single values), each with its path.

Concern modules add their own types with :func:`register_class` at import time, so this module
imports none of them.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import typing
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from reliability_policy import timing
from reliability_policy.errors import PolicyConfigError, PolicyInputError, Problem
from reliability_policy.levels import Severity
from reliability_policy.policy import (
    NotificationPolicy,
    RRuleWindow,
    SeverityRule,
    TimeZoneName,
    WeeklyWindow,
    Window,
)

__all__ = [
    "converter",
    "dumps",
    "first_input_error",
    "loads",
    "problems_of",
    "register_class",
    "register_renames",
    "structure",
    "unstructure",
]

T = TypeVar("T")

converter: Final = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
"""The library's converter. Every public value type is registered on it."""

_RENAMES: dict[type, dict[str, str]] = {}
_NONE_WORD: Final = "none"


def register_renames(cls: type, renames: Mapping[str, str]) -> None:
    """Register ``cls`` with document keys that differ from its attribute names.

    ``renames`` maps attribute name to document key (``{"sev1": "SEV-1"}``); the key is used
    when structuring, unstructuring and in the paths of reported problems. The hooks are
    generated on first use, so registering costs nothing at import time.
    """
    _RENAMES[cls] = dict(renames)
    overrides: dict[str, Any] = {name: override(rename=key) for name, key in renames.items()}
    register_class(cls, overrides)


def register_class(cls: type, overrides: Mapping[str, Any]) -> None:
    """Register ``cls`` with cattrs attribute overrides, generating its hooks on first use."""

    def unstructure_factory(_: Any) -> Callable[[Any], Any]:
        options = dict(overrides)
        hook: Callable[[Any], Any] = make_dict_unstructure_fn(cls, converter, **options)
        return hook

    converter.register_unstructure_hook_factory(lambda t: t is cls, unstructure_factory)
    converter.register_structure_hook_factory(
        lambda t: t is cls, lambda _: _class_hook(cls, overrides)
    )


def _class_hook(cls: type, overrides: Mapping[str, Any] | None = None) -> Callable[[Any, Any], Any]:
    options: dict[str, Any] = {"_cattrs_forbid_extra_keys": True, **(overrides or {})}
    inner: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, converter, **options)

    def structure_class(value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping):
            raise PolicyInputError(cls.__name__, value, "a table (a JSON object)")
        return inner(value, cls)

    return structure_class


# --- strict primitives ------------------------------------------------------------------------


def _strict(kind: type, expected: str) -> Callable[[Any, Any], Any]:
    def hook(value: Any, _: Any) -> Any:
        if type(value) is bool and kind is not bool:
            raise PolicyInputError(kind.__name__, value, expected)
        if kind is float and isinstance(value, int):
            return float(value)
        if not isinstance(value, kind):
            raise PolicyInputError(kind.__name__, value, expected)
        return value

    return hook


converter.register_structure_hook(str, _strict(str, "a string"))
converter.register_structure_hook(int, _strict(int, "an integer"))
converter.register_structure_hook(float, _strict(float, "a number"))
converter.register_structure_hook(bool, _strict(bool, "true or false"))


def _is_sequence_type(t: Any) -> bool:
    return typing.get_origin(t) in (tuple, frozenset, list)


def _sequence_hook(t: Any) -> Callable[[Any, Any], Any]:
    origin = typing.get_origin(t)
    (item_type, *_rest) = typing.get_args(t)
    item_hook = converter.get_structure_hook(item_type)

    def hook(value: Any, _: Any) -> Any:
        if not isinstance(value, (list, tuple)):
            raise PolicyInputError("list", value, "a list (an array)")
        items: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                items.append(item_hook(item, item_type))
            except Exception as error:  # noqa: BLE001 - gathered and re-raised as a group
                note = IterableValidationNote(f"@ index {index}", index, item_type)
                error.__notes__ = [*getattr(error, "__notes__", []), note]
                errors.append(error)
        if errors:
            raise IterableValidationError("invalid items", errors, t)
        return origin(items) if origin is not list else items

    return hook


converter.register_structure_hook_factory(_is_sequence_type, _sequence_hook)


def _is_set_type(t: Any) -> bool:
    return typing.get_origin(t) in (frozenset, set) or t in (frozenset, set)


def _set_unstructure_hook(t: Any) -> Callable[[Any], list[Any]]:
    args = typing.get_args(t)
    item_type = args[0] if args else Any

    def hook(value: Any) -> list[Any]:
        items = [converter.unstructure(item, item_type) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))

    return hook


converter.register_unstructure_hook_factory(_is_set_type, _set_unstructure_hook)


def _is_mapping_type(t: Any) -> bool:
    return typing.get_origin(t) in (dict, Mapping, typing.Mapping)


def _mapping_hook(t: Any) -> Callable[[Any, Any], Any]:
    key_type, value_type = typing.get_args(t)
    key_hook = converter.get_structure_hook(key_type)
    value_hook = converter.get_structure_hook(value_type)

    def hook(value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping):
            raise PolicyInputError("table", value, "a table (a JSON object)")
        result: dict[Any, Any] = {}
        errors: list[Exception] = []
        for key, item in value.items():
            try:
                result[key_hook(key, key_type)] = value_hook(item, value_type)
            except Exception as error:  # noqa: BLE001 - gathered and re-raised as a group
                note = IterableValidationNote(f"@ key {key!r}", key, value_type)
                error.__notes__ = [*getattr(error, "__notes__", []), note]
                errors.append(error)
        if errors:
            raise IterableValidationError("invalid entries", errors, t)
        return result

    return hook


converter.register_structure_hook_factory(_is_mapping_type, _mapping_hook)


def _is_enum(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, enum.Enum)


def _enum_hook(t: type[enum.Enum]) -> Callable[[Any, Any], Any]:
    members = {member.value: member for member in t}
    expected = "one of " + ", ".join(repr(v) for v in members)

    def hook(value: Any, _: Any) -> Any:
        try:
            return members[value]
        except (KeyError, TypeError):
            raise PolicyInputError(t.__name__, value, expected) from None

    return hook


converter.register_structure_hook_factory(_is_enum, _enum_hook)
converter.register_unstructure_hook_factory(_is_enum, lambda _: lambda member: member.value)

# --- time -------------------------------------------------------------------------------------

converter.register_structure_hook(dt.timedelta, lambda v, _: timing.parse_duration(v))
converter.register_unstructure_hook(dt.timedelta, timing.format_duration)
converter.register_structure_hook(timing.CalendarSpan, lambda v, _: timing.parse_calendar_span(v))
converter.register_unstructure_hook(timing.CalendarSpan, str)
converter.register_structure_hook(dt.time, lambda v, _: timing.parse_clock_time(v))
converter.register_unstructure_hook(dt.time, lambda t: t.strftime("%H:%M"))
converter.register_structure_hook(dt.datetime, lambda v, _: timing.parse_instant(v))
converter.register_unstructure_hook(dt.datetime, timing.format_instant)


def _structure_date(value: Any, _: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise PolicyInputError("date", value, "a date such as 2026-12-25")


converter.register_structure_hook(dt.date, _structure_date)
converter.register_unstructure_hook(dt.date, dt.date.isoformat)


def _structure_instant_or_date(value: Any, _: Any) -> dt.datetime | dt.date:
    if isinstance(value, dt.datetime):
        return timing.require_aware(value, "instant")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) == 10:
        return _structure_date(value, None)
    return timing.parse_instant(value)


converter.register_structure_hook(dt.datetime | dt.date, _structure_instant_or_date)


def _unstructure_instant_or_date(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        return timing.format_instant(value)
    return value.isoformat()


converter.register_unstructure_hook(dt.datetime | dt.date, _unstructure_instant_or_date)


def _structure_zone(value: Any, _: Any) -> TimeZoneName:
    timing.require_zone(value, "time_zone")
    return TimeZoneName(value)


converter.register_structure_hook(TimeZoneName, _structure_zone)


def _is_attrs_class(t: Any) -> bool:
    return isinstance(t, type) and attrs.has(t)


def _attrs_factory(t: type) -> Callable[[Any, Any], Any]:
    return _class_hook(t)


converter.register_structure_hook_factory(_is_attrs_class, _attrs_factory)

# --- policy types with special shapes ---------------------------------------------------------


def _structure_window(value: Any, _: Any) -> Window:
    if isinstance(value, Mapping) and "rrule" in value:
        return converter.structure(value, RRuleWindow)
    return converter.structure(value, WeeklyWindow)


converter.register_structure_hook(Window, _structure_window)
converter.register_unstructure_hook(Window, lambda w: converter.unstructure(w, type(w)))


def _structure_rule_severity(value: Any, _: Any) -> Severity | None:
    if value == _NONE_WORD or value is None:
        return None
    return converter.structure(value, Severity)


def _unstructure_rule_severity(value: Severity | None) -> str:
    return _NONE_WORD if value is None else value.value


register_renames(NotificationPolicy, {"sev1": "SEV-1", "sev2": "SEV-2", "sev3": "SEV-3"})
register_class(
    SeverityRule,
    {
        "severity": override(
            struct_hook=_structure_rule_severity, unstruct_hook=_unstructure_rule_severity
        )
    },
)


# --- public helpers ---------------------------------------------------------------------------


def unstructure(value: object, as_type: Any = None) -> Any:
    """Turn any public value into plain JSON-ready data."""
    return converter.unstructure(value, as_type if as_type is not None else type(value))


def structure(data: object, as_type: type[T], *, source: str = "document") -> T:
    """Build a ``as_type`` value from plain data, or report every problem with its path.

    Raises:
        PolicyConfigError: the data has problems; each is listed with its path.
    """
    try:
        return converter.structure(data, as_type)
    except Exception as error:  # noqa: BLE001 - translated into our own error
        raise PolicyConfigError(problems_of(error, as_type), source) from None


def dumps(value: object, *, indent: int | None = 2) -> str:
    """Serialize a public value to JSON text."""
    return json.dumps(unstructure(value), indent=indent, ensure_ascii=False)


def loads(text: str | bytes, as_type: type[T], *, source: str = "JSON document") -> T:
    """Read a public value of type ``as_type`` from JSON text.

    Raises:
        PolicyConfigError: the text is not JSON, or the data has problems.
    """
    try:
        data = json.loads(text)
    except (ValueError, TypeError) as error:
        problem = Problem("$", "valid JSON", str(error))
        raise PolicyConfigError([problem], source) from None
    return structure(data, as_type, source=source)


# --- turning cattrs' exception groups into problems with paths --------------------------------


def _key_path(path: str, key: object) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    text = str(key)
    if text and all(c.isalnum() or c in "-_" for c in text):
        return f"{path}.{text}"
    return f"{path}[{text!r}]"


def _describe(t: Any) -> str:
    names = {
        dt.timedelta: timing.DURATION_EXAMPLE,
        timing.CalendarSpan: timing.SPAN_EXAMPLE,
        dt.time: timing.CLOCK_EXAMPLE,
        dt.datetime: timing.INSTANT_EXAMPLE,
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        TimeZoneName: "an IANA time zone name",
    }
    if t in names:
        return names[t]
    if _is_attrs_class(t):
        return "a table"
    if _is_sequence_type(t):
        return "a list"
    if _is_enum(t):
        return "one of " + ", ".join(repr(m.value) for m in t)
    return "a value"


def problems_of(error: BaseException, as_type: Any = None, path: str = "$") -> list[Problem]:
    """Flatten an error raised while structuring into problems, each with its path."""
    if isinstance(error, ClassValidationError):
        found: list[Problem] = []
        renames = _RENAMES.get(error.cl, {})
        with_notes, without = error.group_exceptions()
        for sub, note in with_notes:
            key = renames.get(note.name, note.name)
            found.extend(_attribute_problems(sub, note, _key_path(path, key)))
        for sub in without:
            found.extend(problems_of(sub, error.cl, path))
        return found
    if isinstance(error, IterableValidationError):
        items: list[Problem] = []
        item_errors, other_errors = error.group_exceptions()
        for sub, inote in item_errors:
            items.extend(problems_of(sub, inote.type, _key_path(path, inote.index)))
        for sub in other_errors:
            items.extend(problems_of(sub, as_type, path))
        return items
    if isinstance(error, ForbiddenExtraKeysError):
        allowed = sorted(_document_keys(error.cl))
        expected = "one of the known keys: " + ", ".join(allowed)
        return [
            Problem(_key_path(path, key), expected, key, kind="unknown")
            for key in sorted(error.extra_fields)
        ]
    if isinstance(error, PolicyConfigError):
        return [attrs.evolve(p, path=path + p.path[1:]) for p in error.problems]
    if isinstance(error, PolicyInputError):
        return [Problem(path, error.expected, error.value)]
    return [Problem(path, _describe(as_type), f"{type(error).__name__}: {error}")]


def _attribute_problems(
    error: BaseException, note: AttributeValidationNote, path: str
) -> list[Problem]:
    if isinstance(error, KeyError) and not isinstance(error, PolicyInputError):
        return [Problem(path, _describe(note.type), kind="missing")]
    return problems_of(error, note.type, path)


def _document_keys(cls: type) -> list[str]:
    renames = _RENAMES.get(cls, {})
    return [renames.get(a.name, a.alias) for a in attrs.fields(cls) if a.init]


def first_input_error(error: BaseException) -> PolicyInputError | None:
    """The first of the library's own input errors inside a (possibly grouped) cattrs error.

    Readers of JSON Lines logs report it with the line number, so a converter's own message
    (naming the field and the value) reaches the user unchanged.
    """
    if isinstance(error, PolicyInputError):
        return error
    for inner in getattr(error, "exceptions", ()):
        found = first_input_error(inner)
        if found is not None:
            return found
    return None
