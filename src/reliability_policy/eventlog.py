"""The JSON Lines event log: the format services exchange an incident's story in.

One event per line, a JSON object whose ``type`` field names the event (see
:data:`~reliability_policy.lifecycle.EVENT_TYPES`); every other field is the event's own, with
instants in ISO 8601 with an offset or ``Z``, severities as ``"SEV-1"``, sets as lists.
Blank lines are skipped. Fields left at their default may be left out::

    {"type": "detected", "id": "e1", "at": "2026-03-08T06:00:00Z", "incident_id": "INC-7"}
    {"type": "triaged", "id": "e2", "at": "2026-03-08T06:12:00Z", "severity": "SEV-2", ...}

As ``json.load``/``loads``/``dumps``: :func:`load_events` reads a file (always a path),
:func:`loads_events` reads the log's text and :func:`dumps_events` writes it.

>>> from reliability_policy.eventlog import dumps_events, loads_events
>>> text = (
...     '{"type": "detected", "id": "e1", "at": "2026-03-08T06:00:00Z", "incident_id": "I-7"}\\n'
...     '{"type": "triaged", "id": "e2", "at": "2026-03-08T06:12:00Z", "severity": "SEV-2",'
...     ' "tenants": ["t-001"]}\\n'
... )
>>> events = loads_events(text)
>>> [event.type for event in events]
['detected', 'triaged']
>>> loads_events(dumps_events(events)) == events
True

A bad line raises :class:`~reliability_policy.errors.EventLogError` with its line number and
field:

>>> loads_events(text.replace("06:12:00Z", "06:12:00"))
Traceback (most recent call last):
  ...
reliability_policy.errors.EventLogError: line 2: at: expected a timezone-aware datetime, got ...

Lines end at ``\\n`` only (a ``\\r`` before it is allowed): a title holding U+2028 or U+0085
stays on its line, and :func:`dumps_events` writes those characters escaped, so other JSON Lines
readers keep them on their line too.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any, Final

import orjson

from reliability_policy._files import MAX_LOG_BYTES, read_text
from reliability_policy.errors import EventLogError, PolicyInputError
from reliability_policy.lifecycle import EVENT_TYPES, Event
from reliability_policy.serialization import converter, first_input_error, problems_of

__all__ = ["MAX_LOG_BYTES", "dumps_events", "load_events", "loads_events"]

# Characters that some readers take for a line break; written escaped (JSON allows both forms).
_LINE_BREAKS: Final = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def load_events(path: str | os.PathLike[str]) -> tuple[Event, ...]:
    """Read the JSON Lines event log at ``path`` (a ``str`` or :class:`os.PathLike`).

    >>> [e.type for e in load_events("examples/lifecycle-incident.jsonl")][:3]
    ['detected', 'triaged', 'notification_sent']

    Raises:
        PolicyInputError: the file is missing, unreadable, larger than
            ``MAX_LOG_BYTES`` (256 MiB) or not UTF-8 text (the error names ``path``).
        EventLogError: a line is bad, as for :func:`loads_events`.

    .. versionadded:: 0.2.0
    """
    return loads_events(read_text(path, field="path", limit=MAX_LOG_BYTES))


def loads_events(text: str) -> tuple[Event, ...]:
    """Read a JSON Lines event log from its text. Blank lines are skipped.

    Args:
        text: The log's text (for a file, use :func:`load_events`).

    Returns:
        The events in file order, duplicates kept (:func:`~reliability_policy.lifecycle.replay`
        drops them).

    Raises:
        EventLogError: a line is not JSON, not an object, has an unknown ``type``, or a field
            is missing or wrong; the error names the line number, the field, the value and
            what was expected.
        PolicyInputError: ``text`` is not a string, or longer than ``MAX_LOG_BYTES`` (256 MiB).

    .. versionadded:: 0.2.0
    """
    if not isinstance(text, str):
        raise PolicyInputError("text", text, "the JSON Lines text (for a file, use load_events)")
    if len(text) > MAX_LOG_BYTES:
        raise PolicyInputError("text", text[:40], f"at most {MAX_LOG_BYTES:,} characters")
    events: list[Event] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line and not line.isspace():
            events.append(_read_line(line, number))
    return tuple(events)


def dumps_events(events: Iterable[Event]) -> str:
    """Write events as JSON Lines text, one per line (ending with a newline).

    Fields at their default are left out; sets are written sorted. ``loads_events`` reads the
    text back to equal events.

    Raises:
        PolicyInputError: an item is not a lifecycle event.

    .. versionadded:: 0.2.0
    """
    lines: list[str] = []
    for index, event in enumerate(events):
        if type(event) not in EVENT_TYPES.values():
            raise PolicyInputError(f"events[{index}]", event, "a lifecycle event")
        data = converter.unstructure(event, type(event))
        line = json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
        lines.append(line.translate(_LINE_BREAKS))
    return "".join(line + "\n" for line in lines)


def _read_line(line: str, number: int) -> Event:
    """One line's event: read with orjson, the same values as the standard library gives.

    Events hold no numbers, which are where the two readers differ (orjson reads an integer
    beyond 64 bits as a float), so a line that orjson refuses, or whose event is refused, is
    read again with :func:`json.loads`: the error then says exactly what it always said.
    """
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError:
        return _read_line_exactly(line, number)
    try:
        return _event(data, number)
    except EventLogError:
        return _read_line_exactly(line, number)


def _read_line_exactly(line: str, number: int) -> Event:
    """One line's event, read with :func:`json.loads`, or the error that says what is wrong."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError) as error:
        expected = f"a JSON object ({error})"
        if not line.lstrip().startswith(("{", "[", '"')):
            expected += "; loads_events takes the log's text, load_events a path"
        raise EventLogError(number, "$", line.strip(), expected) from None
    return _event(data, number)


def _event(data: object, number: int) -> Event:
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
    leaf = first_input_error(error)
    if first is None or (first.path == "$" and leaf is not None):
        if leaf is not None:
            return EventLogError(number, leaf.field, leaf.value, leaf.expected)
        return EventLogError(number, "$", None, f"a valid {cls.type!r} event")
    field = first.path.removeprefix("$.").removeprefix("$") or "$"
    if first.kind == "missing":
        return EventLogError(number, field, None, f"{first.expected} (the field is missing)")
    return EventLogError(number, field, first.value, first.expected)
