"""Every error the library raises, rooted at :class:`PolicyError`.

The tree::

    PolicyError
    ├── PolicyInputError (also ValueError)      bad input to a public function
    │   ├── NaiveDatetimeError                  a datetime without a time zone
    │   ├── EventLogError                       a bad line in a JSON Lines event log
    │   ├── OutOfOrderEvent                     an event earlier than the last one applied
    │   └── ConflictingEvent                    the same event id with different content
    ├── PolicyConfigError (also ValueError)     a policy document with problems, all listed
    ├── InvalidTransition                       an event the incident's guards refuse
    └── InfeasiblePlan                          no maintenance slot satisfies every constraint
        └── NoFeasibleWindow

Input and configuration errors carry structured attributes (the field path, the value that was
found, what was expected) so that services can report them, and a message that reads as a
sentence.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Final, Literal

import attrs

from reliability_policy.findings import Blocker

__all__ = [
    "ConflictingEvent",
    "EventLogError",
    "InfeasiblePlan",
    "InvalidTransition",
    "NaiveDatetimeError",
    "NoFeasibleWindow",
    "OutOfOrderEvent",
    "PolicyConfigError",
    "PolicyError",
    "PolicyInputError",
    "Problem",
]

_MAX_VALUE_CHARS: Final = 80


def _show(value: object) -> str:
    """Render a value for an error message, cut to a readable length."""
    text = repr(value)
    if len(text) > _MAX_VALUE_CHARS:
        text = text[: _MAX_VALUE_CHARS - 3] + "..."
    return text


@attrs.frozen
class Problem:
    """One problem found in an input or a policy document.

    Attributes:
        path: Where the problem is, as a JSON path such as ``$.notifications.SEV-1.first_notice``.
        expected: What would have been accepted, as a phrase ("a duration such as '60m'").
        value: The value that was found (``None`` when a key is missing).
        kind: ``"invalid"`` (a value was found and is wrong), ``"missing"`` (a required key is
            absent) or ``"unknown"`` (a key the document format does not have).

    .. versionadded:: 0.1.0
    """

    path: str
    expected: str
    value: Any = None
    kind: Literal["invalid", "missing", "unknown"] = "invalid"

    def __str__(self) -> str:
        if self.kind == "missing":
            return f"{self.path}: expected {self.expected}, but the key is missing"
        if self.kind == "unknown":
            return f"{self.path}: unknown key; expected {self.expected}"
        return f"{self.path}: expected {self.expected}, got {_show(self.value)}"


class PolicyError(Exception):
    """The root of every error this library raises.

    .. versionadded:: 0.1.0
    """


class PolicyInputError(PolicyError, ValueError):
    """A public function received a value it cannot accept.

    Attributes:
        field: The name or path of the offending argument or field.
        value: The value that was received.
        expected: What would have been accepted.

    .. versionadded:: 0.1.0
    """

    def __init__(self, field: str, value: object, expected: str, detail: str = "") -> None:
        self.field = field
        self.value = value
        self.expected = expected
        self.detail = detail
        message = f"{field}: expected {expected}, got {_show(value)}"
        if detail:
            message = f"{message} ({detail})"
        super().__init__(message)


class NaiveDatetimeError(PolicyInputError):
    """A datetime without a time zone was passed where an instant is required.

    .. versionadded:: 0.1.0
    """

    def __init__(self, field: str, value: object) -> None:
        super().__init__(
            field,
            value,
            "a timezone-aware datetime",
            "a naive datetime is never guessed; attach a zone, e.g. dt.replace(tzinfo=UTC)",
        )


class EventLogError(PolicyInputError):
    """A line of a JSON Lines event log could not be read.

    Attributes:
        line: The 1-based line number.

    .. versionadded:: 0.1.0
    """

    def __init__(self, line: int, field: str, value: object, expected: str) -> None:
        self.line = line
        super().__init__(f"line {line}: {field}", value, expected)


class OutOfOrderEvent(PolicyInputError):
    """An event is earlier than an event already applied: times never go backwards.

    .. versionadded:: 0.1.0
    """


class ConflictingEvent(PolicyInputError):
    """An event id was seen before with different content.

    .. versionadded:: 0.1.0
    """


class PolicyConfigError(PolicyError, ValueError):
    """A policy document (or tenant terms document) has problems; all of them are listed.

    Attributes:
        problems: Every problem found, each with its path, the value and what was expected.

    .. versionadded:: 0.1.0
    """

    def __init__(self, problems: Iterable[Problem], source: str = "policy document") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.source = source
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"The {source} has {count} {noun}:"]
        lines.extend(f"  {problem}" for problem in self.problems)
        super().__init__("\n".join(lines))


class InvalidTransition(PolicyError):
    """An incident's guards refused an event.

    Attributes:
        phase: The incident's current phase.
        event: The refused event.
        rule: The name of the guard (policy rule) that refused it.
        accepted: Names of the event types the incident would accept now.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self, phase: object, event: object, rule: str, reason: str, accepted: Sequence[str]
    ) -> None:
        self.phase = phase
        self.event = event
        self.rule = rule
        self.reason = reason
        self.accepted = tuple(accepted)
        event_type = getattr(event, "type", type(event).__name__)
        accepted_text = ", ".join(self.accepted) if self.accepted else "none"
        super().__init__(
            f"Cannot apply {event_type!r} in phase {getattr(phase, 'value', phase)}: "
            f"{reason} [rule {rule}]. Accepted now: {accepted_text}."
        )


class InfeasiblePlan(PolicyError):
    """No plan satisfies every constraint.

    .. versionadded:: 0.1.0
    """


class NoFeasibleWindow(InfeasiblePlan):
    """No maintenance slot before the latest acceptable start fits every affected tenant.

    Attributes:
        blockers: Which constraint (``rule``) held back which tenants, and why; the message
            lists them as ``str(blocker)`` reads.

    .. versionchanged:: 0.2.0
       ``blockers`` are :class:`~reliability_policy.findings.Blocker` records, not strings.

    .. versionadded:: 0.1.0
    """

    def __init__(self, message: str, blockers: Sequence[Blocker] = ()) -> None:
        self.blockers: tuple[Blocker, ...] = tuple(blockers)
        super().__init__(message)
