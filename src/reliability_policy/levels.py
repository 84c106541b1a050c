"""The vocabularies every concern shares: severity and impact levels, channels, audiences.

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

__all__ = [
    "Audience",
    "Channel",
    "ContainmentMeasureKind",
    "DataInvolvement",
    "DetectionSource",
    "Impact",
    "IncidentKind",
    "NoticeKind",
    "Severity",
]


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


class IncidentKind(enum.Enum):
    """What kind of incident: an availability problem or a security incident.

    .. versionadded:: 0.1.0
    """

    AVAILABILITY = "availability"
    SECURITY = "security"


class DataInvolvement(enum.Enum):
    """Whether customer data is involved; ``UNKNOWN`` counts as involved until assessed.

    .. versionadded:: 0.1.0
    """

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class DetectionSource(enum.Enum):
    """How an incident was first detected. Written ``"customer_report"``... in documents.

    The page names automated monitoring of error rates, latency and authentication anomalies,
    supplemented by customer reports. ``UNKNOWN`` means the source was not recorded (the
    default, so logs written before sources were recorded stay valid); ``OTHER`` means it was
    recorded and is none of the named ones.

    .. versionadded:: 0.2.0
    """

    MONITORING_ERROR_RATE = "monitoring_error_rate"
    MONITORING_LATENCY = "monitoring_latency"
    MONITORING_AUTH_ANOMALY = "monitoring_auth_anomaly"
    CUSTOMER_REPORT = "customer_report"
    OTHER = "other"
    UNKNOWN = "unknown"


class ContainmentMeasureKind(enum.Enum):
    """What a containment measure did. Written ``"traffic_shedding"``... in documents.

    The page's containment "may include traffic shedding or feature degradation to preserve
    core functionality".

    .. versionadded:: 0.2.0
    """

    TRAFFIC_SHEDDING = "traffic_shedding"
    FEATURE_DEGRADATION = "feature_degradation"
    OTHER = "other"


class NoticeKind(enum.Enum):
    """What a sent notification was.

    .. versionadded:: 0.1.0
    """

    FIRST_NOTICE = "first_notice"
    UPDATE = "update"
    RESOLUTION = "resolution"
    SUMMARY = "summary"
    DPA_NOTICE = "dpa_notice"


class Audience(enum.Enum):
    """Who a sent notification was addressed to.

    ``AFFECTED_TENANTS`` are the tenants in scope (their ids in the event), the
    ``NOTIFICATION_LIST`` the customers who asked to hear of every SEV-1 and SEV-2,
    ``SECURITY_CONTACTS`` the designated security/privacy contacts of the named tenants (the
    DPA track), ``STATUS_PAGE`` the public status page.

    .. versionadded:: 0.1.0
    """

    AFFECTED_TENANTS = "affected_tenants"
    NOTIFICATION_LIST = "notification_list"
    SECURITY_CONTACTS = "security_contacts"
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
