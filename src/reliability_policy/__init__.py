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
from reliability_policy.defaults import default_policy
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
from reliability_policy.eventlog import dumps_events, load_events, loads_events
from reliability_policy.findings import Blocker, DueStatus, Finding, FindingLevel
from reliability_policy.levels import Channel, Impact, Severity
from reliability_policy.lifecycle import (
    ActionAdded,
    ActionAssigned,
    ActionCompleted,
    Audience,
    Closed,
    Contained,
    CorrectiveAction,
    DataInvolvement,
    Declined,
    Detected,
    Eradicated,
    Event,
    Guard,
    Incident,
    IncidentKind,
    NoticeKind,
    NotificationSent,
    Phase,
    Recovered,
    Regression,
    Resolved,
    ReviewCompleted,
    ReviewStarted,
    ScopeChanged,
    SecurityAssessed,
    SeverityChanged,
    Triaged,
    Validated,
    linked_incident,
    replay,
)
from reliability_policy.loading import load_policy, load_tenants, loads_policy, loads_tenants
from reliability_policy.maintenance import (
    GoNoGo,
    MaintenancePlan,
    MaintenanceRequest,
    WavePlan,
    go_no_go,
    plan_maintenance,
    plan_waves,
)
from reliability_policy.notifications import (
    AuditReport,
    CommunicationFacts,
    Obligation,
    SentNotice,
    audit,
    next_due,
    obligations,
)
from reliability_policy.policy import Policy, Tenant, TenantTerms
from reliability_policy.security import Routing, SecurityFacts, route_security_incident
from reliability_policy.severity import (
    Classification,
    Declaration,
    ImpactAssessment,
    classify,
    declare,
    is_material,
)

__version__ = "0.1.0"

__all__ = [
    "ActionAdded",
    "ActionAssigned",
    "ActionCompleted",
    "Audience",
    "AuditReport",
    "Blocker",
    "CalendarSpan",
    "Channel",
    "Classification",
    "Closed",
    "CommunicationFacts",
    "ConflictingEvent",
    "Contained",
    "CorrectiveAction",
    "DataInvolvement",
    "Declaration",
    "Declined",
    "Detected",
    "DueStatus",
    "Eradicated",
    "Event",
    "EventLogError",
    "Finding",
    "FindingLevel",
    "GoNoGo",
    "Guard",
    "Impact",
    "ImpactAssessment",
    "Incident",
    "IncidentKind",
    "InfeasiblePlan",
    "InvalidTransition",
    "MaintenancePlan",
    "MaintenanceRequest",
    "NaiveDatetimeError",
    "NoFeasibleWindow",
    "NoticeKind",
    "NotificationSent",
    "Obligation",
    "OutOfOrderEvent",
    "Phase",
    "Policy",
    "PolicyConfigError",
    "PolicyError",
    "PolicyInputError",
    "Problem",
    "Recovered",
    "Regression",
    "Resolved",
    "ReviewCompleted",
    "ReviewStarted",
    "Routing",
    "ScopeChanged",
    "SecurityAssessed",
    "SecurityFacts",
    "SentNotice",
    "Severity",
    "SeverityChanged",
    "Tenant",
    "TenantTerms",
    "Triaged",
    "Validated",
    "WavePlan",
    "Weekday",
    "audit",
    "classify",
    "declare",
    "default_policy",
    "dumps_events",
    "go_no_go",
    "is_material",
    "linked_incident",
    "load_events",
    "load_policy",
    "load_tenants",
    "loads_events",
    "loads_policy",
    "loads_tenants",
    "next_due",
    "obligations",
    "plan_maintenance",
    "plan_waves",
    "replay",
    "route_security_incident",
]
