"""reliability-policy: CustomerNode's reliability policy as code.

Severity classification, the incident lifecycle, notification cadence, maintenance windows and
the DPA track for security incidents, as pure functions over a validated policy document.

>>> import reliability_policy as rp
>>> policy = rp.default_policy()
>>> str(policy.notifications.cadence(rp.Severity.SEV_1).summary)
'5bd'
"""

from __future__ import annotations

from reliability_policy._time import CalendarSpan, Weekday
from reliability_policy.errors import (
    ConflictingEvent,
    EventLogError,
    InfeasiblePlan,
    InvalidTransition,
    NaiveDatetimeError,
    NoFeasibleWindow,
    OutOfOrderEvent,
    PolicyConfigError,
    PolicyError,
    PolicyInputError,
    Problem,
)
from reliability_policy.levels import Channel, Impact, Severity
from reliability_policy.loading import default_policy, load_policy, load_tenants
from reliability_policy.policy import Policy, Tenant, TenantTerms

__version__ = "0.1.0"

__all__ = [
    "CalendarSpan",
    "Channel",
    "ConflictingEvent",
    "EventLogError",
    "Impact",
    "InfeasiblePlan",
    "InvalidTransition",
    "NaiveDatetimeError",
    "NoFeasibleWindow",
    "OutOfOrderEvent",
    "Policy",
    "PolicyConfigError",
    "PolicyError",
    "PolicyInputError",
    "Problem",
    "Severity",
    "Tenant",
    "TenantTerms",
    "Weekday",
    "default_policy",
    "load_policy",
    "load_tenants",
]
