"""Severity and impact levels: the ordered vocabularies every concern shares.

Both enums compare by how much they mean: a more severe severity and a larger impact compare
greater.

>>> Severity.SEV_1 > Severity.SEV_2 > Severity.SEV_3
True
>>> Impact.OUTAGE > Impact.DEGRADED > Impact.MINOR > Impact.NONE
True
>>> max([Severity.SEV_3, Severity.SEV_1, Severity.SEV_2])
<Severity.SEV_1: 'SEV-1'>

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import functools
from typing import Final

__all__ = ["Channel", "Impact", "Severity"]


@functools.total_ordering
class _Ranked(enum.Enum):
    """An enum whose members compare by rank; see ``_RANK`` below."""

    @property
    def rank(self) -> int:
        """How much the member means: 0 for the least, higher for more."""
        return _RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, _Ranked) or type(other) is not type(self):
            return NotImplemented
        return _RANK[self] < _RANK[other]


class Severity(_Ranked):
    """An incident's severity: SEV-1 (most severe) to SEV-3. Written ``"SEV-1"`` in documents.

    .. versionadded:: 0.1.0
    """

    SEV_1 = "SEV-1"
    SEV_2 = "SEV-2"
    SEV_3 = "SEV-3"


class Impact(_Ranked):
    """What customers experience: NONE < MINOR < DEGRADED < OUTAGE.

    .. versionadded:: 0.1.0
    """

    NONE = "NONE"
    MINOR = "MINOR"
    DEGRADED = "DEGRADED"
    OUTAGE = "OUTAGE"


class Channel(enum.Enum):
    """A way of reaching customers. Written ``"email"``, ``"in_app"`` ... in documents.

    .. versionadded:: 0.1.0
    """

    EMAIL = "email"
    IN_APP = "in_app"
    STATUS_PAGE = "status_page"


_RANK: Final[dict[_Ranked, int]] = {
    Severity.SEV_3: 0,
    Severity.SEV_2: 1,
    Severity.SEV_1: 2,
    Impact.NONE: 0,
    Impact.MINOR: 1,
    Impact.DEGRADED: 2,
    Impact.OUTAGE: 3,
}
