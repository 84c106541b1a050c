"""The JSON Lines event log: the format services exchange an incident's story in.

One event per line, a JSON object whose ``type`` field names the event (see
:data:`~reliability_policy.lifecycle.EVENT_TYPES`); every other field is the event's own, with
instants in ISO 8601 with an offset or ``Z``, severities as ``"SEV-1"``, sets as lists.
Blank lines are skipped. Fields left at their default may be left out::

    {"type": "detected", "id": "e1", "at": "2026-03-08T06:00:00Z", "incident_id": "INC-7"}
    {"type": "triaged", "id": "e2", "at": "2026-03-08T06:12:00Z", "severity": "SEV-2", ...}

>>> from reliability_policy.eventlog import read_events, write_events
>>> text = (
...     '{"type": "detected", "id": "e1", "at": "2026-03-08T06:00:00Z", "incident_id": "I-7"}\\n'
...     '{"type": "triaged", "id": "e2", "at": "2026-03-08T06:12:00Z", "severity": "SEV-2",'
...     ' "tenants": ["t-001"]}\\n'
... )
>>> events = read_events(text)
>>> [event.type for event in events]
['detected', 'triaged']
>>> read_events(write_events(events)) == events
True

A bad line raises :class:`~reliability_policy.errors.EventLogError` with its line number and
field:

>>> read_events(text.replace("06:12:00Z", "06:12:00"))
Traceback (most recent call last):
  ...
reliability_policy.errors.EventLogError: line 2: at: expected a timezone-aware datetime, got ...

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
import os
import pathlib
from collections.abc import Iterable
from typing import Any, Final

from reliability_policy.errors import EventLogError, PolicyInputError
from reliability_policy.lifecycle import EVENT_TYPES, Event
from reliability_policy.serialization import converter, problems_of

__all__ = ["read_events", "write_events"]

_SUFFIXES: Final = (".jsonl", ".ndjson", ".json")


def read_events(source: str | os.PathLike[str]) -> tuple[Event, ...]:
    """Read a JSON Lines event log: its text, or a path to a ``.jsonl`` file.

    A string without a newline that ends in ``.jsonl``, ``.ndjson`` or ``.json`` is a path.

    Args:
        source: The log's text, or a path.

    Returns:
        The events in file order, duplicates kept (:func:`~reliability_policy.lifecycle.replay`
        drops them).

    Raises:
        EventLogError: a line is not JSON, not an object, has an unknown ``type``, or a field
            is missing or wrong; the error names the line number, the field, the value and
            what was expected.
        PolicyInputError: the path cannot be read as UTF-8 text.

    .. versionadded:: 0.1.0
    """
    text = _text_of(source)
    events: list[Event] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            events.append(_read_line(line, number))
    return tuple(events)


def write_events(events: Iterable[Event]) -> str:
    """Write events as JSON Lines text, one per line (ending with a newline).

    Fields at their default are left out; sets are written sorted.

    Raises:
        PolicyInputError: an item is not a lifecycle event.

    .. versionadded:: 0.1.0
    """
    lines: list[str] = []
    for index, event in enumerate(events):
        if type(event) not in EVENT_TYPES.values():
            raise PolicyInputError(f"events[{index}]", event, "a lifecycle event")
        data = converter.unstructure(event, type(event))
        lines.append(json.dumps(data, ensure_ascii=False, separators=(", ", ": ")))
    return "".join(line + "\n" for line in lines)


def _text_of(source: str | os.PathLike[str]) -> str:
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and "\n" not in source and source.strip().endswith(_SUFFIXES)
    ):
        path = pathlib.Path(source)
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise PolicyInputError(
                "path", str(path), "a readable UTF-8 JSON Lines file", str(error)
            ) from None
    if not isinstance(source, str):
        raise PolicyInputError("source", source, "JSON Lines text or a path to a .jsonl file")
    return source


def _read_line(line: str, number: int) -> Event:
    try:
        data = json.loads(line)
    except (ValueError, RecursionError) as error:
        raise EventLogError(number, "$", line.strip(), f"a JSON object ({error})") from None
    if not isinstance(data, dict):
        raise EventLogError(number, "$", data, "a JSON object with a 'type' field")
    name = data.get("type")
    cls = EVENT_TYPES.get(name) if isinstance(name, str) else None
    if cls is None:
        raise EventLogError(number, "type", name, "one of " + ", ".join(map(repr, EVENT_TYPES)))
    try:
        event: Event = converter.structure(data, cls)
    except PolicyInputError as error:
        raise EventLogError(number, error.field, error.value, error.expected) from None
    except Exception as error:  # noqa: BLE001 - cattrs groups; translated to our error below
        raise _line_error(error, cls, number) from None
    return event


def _line_error(error: Exception, cls: Any, number: int) -> EventLogError:
    problems = problems_of(error, cls)
    first = problems[0] if problems else None
    leaf = _first_input_error(error)
    if first is None or (first.path == "$" and leaf is not None):
        if leaf is not None:
            return EventLogError(number, leaf.field, leaf.value, leaf.expected)
        return EventLogError(number, "$", None, f"a valid {cls.type!r} event")
    field = first.path.removeprefix("$.").removeprefix("$") or "$"
    if first.kind == "missing":
        return EventLogError(number, field, None, f"{first.expected} (the field is missing)")
    return EventLogError(number, field, first.value, first.expected)


def _first_input_error(error: BaseException) -> PolicyInputError | None:
    """The first of our own input errors inside a (possibly grouped) cattrs error."""
    if isinstance(error, PolicyInputError):
        return error
    for inner in getattr(error, "exceptions", ()):
        found = _first_input_error(inner)
        if found is not None:
            return found
    return None
