"""The vocabulary every report shares: findings, deadline statuses and maintenance blockers.

Each concern reports what a person must act on with the same types, so a service that collects
findings from the notification audit, the DPA routing and the maintenance planner handles one
shape:

>>> finding = Finding("no-security-contacts", "acme", "tenant acme has no security contacts")
>>> finding.rule, finding.tenant, finding.level
('no-security-contacts', 'acme', <FindingLevel.BREACH: 'breach'>)
>>> DueStatus.LATE.value
'late'
>>> str(Blocker("freeze", ("acme", "globex"), "the year-end freeze"))
'[freeze] acme, globex: the year-end freeze'

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import enum
from typing import Final

import attrs

__all__ = ["Blocker", "DueStatus", "Finding", "FindingLevel"]

_SHOWN_TENANTS: Final = 5


class DueStatus(enum.Enum):
    """Whether something owed by a deadline was done, as of ``now``.

    ``pending`` (not done yet, still in time), ``met`` (done in time), ``late`` (done after the
    deadline) or ``missed`` (not done, and the deadline has passed). Notification obligations
    and DPA deadlines both use it.

    .. versionadded:: 0.2.0
    """

    PENDING = "pending"
    MET = "met"
    LATE = "late"
    MISSED = "missed"


class FindingLevel(enum.Enum):
    """How bad a finding is: a breach of the policy, or a warning.

    .. versionadded:: 0.1.0
    """

    BREACH = "breach"
    WARNING = "warning"


@attrs.frozen
class Finding:
    """A problem a person must act on, found by a report (never silently worked around).

    Attributes:
        rule: The policy rule or check that found it (``"ongoing-update"``,
            ``"no-security-contacts"``...).
        tenant: The one tenant concerned, if any; a finding never names another tenant.
        reason: One line for a human.
        level: A breach of the policy, or a warning.

    .. versionadded:: 0.2.0
    """

    rule: str
    tenant: str | None
    reason: str
    level: FindingLevel = FindingLevel.BREACH


@attrs.frozen
class Blocker:
    """One reason a maintenance slot cannot be used: the rule, the tenants it holds back, why.

    ``str(blocker)`` reads ``"[rule] tenant, tenant: reason"``, naming the first five tenants
    and how many more.

    .. versionadded:: 0.2.0
    """

    rule: str
    tenants: tuple[str, ...]
    reason: str

    def __str__(self) -> str:
        shown = ", ".join(self.tenants[:_SHOWN_TENANTS])
        if len(self.tenants) > _SHOWN_TENANTS:
            shown += f" and {len(self.tenants) - _SHOWN_TENANTS} more"
        return f"[{self.rule}] {shown}: {self.reason}"
