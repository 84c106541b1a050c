"""The incident lifecycle: a guarded state machine over an event log (SPEC section 2).

An :class:`Incident` is an immutable value built from events. :meth:`Incident.apply` returns
the next incident or raises :class:`~reliability_policy.errors.InvalidTransition` naming the
guard (a policy rule) that refused the event; :func:`replay` folds a whole log::

    >>> import datetime as dt
    >>> from reliability_policy import Severity
    >>> from reliability_policy.lifecycle import (
    ...     Detected, Triaged, Recovered, Validated, Resolved, Closed, replay)
    >>> t0 = dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC)
    >>> def at(minutes):
    ...     return t0 + dt.timedelta(minutes=minutes)
    >>> incident = replay([
    ...     Detected(id="e1", at=at(0), incident_id="INC-7", title="Sign-in errors"),
    ...     Triaged(id="e2", at=at(12), severity=Severity.SEV_3, tenants={"t-001"}),
    ...     Recovered(id="e3", at=at(40)),
    ...     Validated(id="e4", at=at(55)),
    ...     Resolved(id="e5", at=at(60)),
    ...     Closed(id="e6", at=at(90)),
    ... ])
    >>> incident.phase, incident.time_to_triage, incident.time_to_resolve
    (<Phase.CLOSED: 'CLOSED'>, datetime.timedelta(seconds=720), datetime.timedelta(seconds=3600))

Phases: DETECTED → TRIAGED → CONTAINED → ERADICATED → RECOVERED → RESOLVED → IN_REVIEW →
CLOSED, plus DECLINED. Every guard is a :class:`Guard`. Events carry an id and an aware time:
the same event twice is a no-op (at-least-once delivery), the same id with other content is a
:class:`~reliability_policy.errors.ConflictingEvent`, and an event earlier than the last one
is an :class:`~reliability_policy.errors.OutOfOrderEvent`.

Applying an event shares the history with the previous value: the log is a persistent vector
(``pyrsistent.pvector``) and the indexes the guards read are persistent maps
(``immutables.Map``), so nothing accumulated is copied. :func:`replay` runs the same
checks, guards and transitions as :meth:`Incident.apply` but builds the log and its index of
event ids in place; the incident it returns keeps that index, read-only, and the events
applied to it later go into a persistent map beside it. The views over the history
(:attr:`Incident.events`, :attr:`Incident.phase_history`, ...) are computed on first use,
O(events), then kept by that value.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any, ClassVar, Final, Literal, TypedDict

import attrs
import immutables
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn
from pyrsistent import PVector, pvector

from reliability_policy._validate import (
    aware,
    nonempty_text,
    optional_aware,
    optional_nonempty_text,
    optional_utc,
    string,
    to_audience,
    to_channel,
    to_data_involvement,
    to_detection_source,
    to_fallback_for,
    to_incident_kind,
    to_measure_kind,
    to_notice_kind,
    to_optional_severity,
    to_severity,
    utc,
)
from reliability_policy.defaults import default_policy, policy_or_default
from reliability_policy.errors import (
    ConflictingEvent,
    InvalidTransition,
    OutOfOrderEvent,
    PolicyInputError,
)
from reliability_policy.findings import Finding, FindingLevel
from reliability_policy.levels import (
    Audience,
    Channel,
    ContainmentMeasureKind,
    DataInvolvement,
    DetectionSource,
    IncidentKind,
    NoticeKind,
    Severity,
)
from reliability_policy.policy import SCHEMA_VERSION, Policy
from reliability_policy.serialization import converter
from reliability_policy.timing import format_instant, require_aware, require_utc

__all__ = [
    "EVENT_TYPES",
    "ActionAdded",
    "ActionAssigned",
    "ActionCompleted",
    "Audience",
    "BaseEvent",
    "Closed",
    "Contained",
    "ContainmentMeasure",
    "ContainmentMeasureKind",
    "CorrectiveAction",
    "DataInvolvement",
    "Declined",
    "Detected",
    "DetectionShare",
    "DetectionSource",
    "Eradicated",
    "Event",
    "Guard",
    "Incident",
    "IncidentKind",
    "NoticeKind",
    "NotificationSent",
    "Phase",
    "PhaseEntry",
    "Recovered",
    "Regression",
    "Resolved",
    "ReviewCompleted",
    "ReviewStarted",
    "ScopeChange",
    "ScopeChanged",
    "SecurityAssessed",
    "SeverityChange",
    "SeverityChanged",
    "Triaged",
    "Validated",
    "containment_findings",
    "customer_detected_share",
    "linked_incident",
    "replay",
]


# --- vocabularies -----------------------------------------------------------------------------


class Phase(enum.Enum):
    """Where an incident is in its lifecycle.

    .. versionadded:: 0.1.0
    """

    DETECTED = "DETECTED"
    TRIAGED = "TRIAGED"
    CONTAINED = "CONTAINED"
    ERADICATED = "ERADICATED"
    RECOVERED = "RECOVERED"
    RESOLVED = "RESOLVED"
    IN_REVIEW = "IN_REVIEW"
    CLOSED = "CLOSED"
    DECLINED = "DECLINED"


class Guard(enum.StrEnum):
    """The lifecycle's guards: the policy rules that refuse events.

    :class:`~reliability_policy.errors.InvalidTransition` names the guard that refused. A
    guard compares equal to its name, so ``error.rule == "reopen-window"`` holds.

    .. versionadded:: 0.1.0
    """

    PHASE_ORDER = "phase-order"
    """The event has no transition from the current phase."""
    SCOPE_CONFIRMED_FOR_TRIAGE = "scope-confirmed-for-triage"
    """TRIAGED needs a severity and a confirmed, non-empty scope."""
    STABILIZE_BEFORE_ROOT_CAUSE = "stabilize-before-root-cause"
    """ERADICATED only from CONTAINED."""
    VALIDATE_BEFORE_RESOLVE = "validate-before-resolve"
    """RESOLVED only from RECOVERED, after customer-visible behaviour was validated."""
    REVIEW_BEFORE_CLOSE = "review-before-close"
    """A material incident closes only from IN_REVIEW, after the review completed."""
    ACTIONS_NEED_OWNER_AND_DUE_DATE = "actions-need-owner-and-due-date"
    """The review completes only when every corrective action has an owner and a due date."""
    SEVERITY_FROZEN_AFTER_RESOLUTION = "severity-frozen-after-resolution"
    """Severity may change until RESOLVED (a regression reopens it)."""
    SEVERITY_CHANGE_MUST_DIFFER = "severity-change-must-differ"
    """A severity change names a severity other than the current one."""
    SCOPE_CHANGE_CONSISTENT = "scope-change-consistent"
    """Added tenants are new, removed ones are in scope, and the scope never becomes empty."""
    REOPEN_WINDOW = "reopen-window"
    """A regression reopens only within ``lifecycle.reopen_window`` of RESOLVED."""
    ACTION_IDS_UNIQUE = "action-ids-unique"
    """Each corrective action id is added once."""
    ACTION_MUST_BE_OPEN = "action-must-be-open"
    """Only an existing, open corrective action can be assigned or completed."""


# --- validation helpers -----------------------------------------------------------------------


def _event_id(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise PolicyInputError(attribute.name, value, "a non-empty string (the event id)")


def _id_set(value: object, field: str) -> frozenset[str]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise PolicyInputError(field, value, "a set of non-empty strings")
    items = frozenset(value)
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise PolicyInputError(field, value, "a set of non-empty strings")
    return items


def _tenants(value: Iterable[str]) -> frozenset[str]:
    return _id_set(value, "tenants")


def _added(value: Iterable[str]) -> frozenset[str]:
    return _id_set(value, "added")


def _removed(value: Iterable[str]) -> frozenset[str]:
    return _id_set(value, "removed")


def _content(value: Iterable[str]) -> frozenset[str]:
    return _id_set(value, "content")


def _not_after_event(inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        instant = require_aware(value, attribute.name)
        if instant > inst.at:
            raise PolicyInputError(
                attribute.name,
                value,
                f"an instant at or before the event's own time {format_instant(inst.at)}",
            )


# --- events -----------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class BaseEvent:
    """The fields every event has: a unique ``id`` and an aware time ``at``.

    Every event class derives from it, so a plain list of events (``[Detected(...),
    Triaged(...)]``) type-checks as ``list[BaseEvent]`` and :meth:`Incident.apply` and
    :func:`replay` accept its items. For a precise type, use the union :data:`Event`.

    .. versionadded:: 0.2.0
    """

    type: ClassVar[str]
    id: str = attrs.field(validator=_event_id)
    at: dt.datetime = attrs.field(converter=utc, validator=aware)


@attrs.frozen(kw_only=True)
class Detected(BaseEvent):
    """The incident was detected: the first event of every log.

    Attributes:
        incident_id: The incident's own id (``"INC-42"``).
        title: A one-line description.
        kind: Availability or security.
        customer_data: Whether customer data is involved (``UNKNOWN`` counts as involved).
        aware_at: When CustomerNode became aware, if before ``at`` (default: ``at``).
        linked_to: The id of an earlier incident this one continues (a late regression).
        source: How it was first detected: monitoring of error rates, latency or
            authentication anomalies, a customer report, or other (accepts the string,
            ``"customer_report"``...). Default ``unknown``: not recorded.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       ``source``.
    """

    type: ClassVar[Literal["detected"]] = "detected"
    incident_id: str = attrs.field(validator=nonempty_text)
    title: str = attrs.field(default="", validator=string)
    kind: IncidentKind = attrs.field(default=IncidentKind.AVAILABILITY, converter=to_incident_kind)
    customer_data: DataInvolvement = attrs.field(
        default=DataInvolvement.UNKNOWN, converter=to_data_involvement
    )
    aware_at: dt.datetime | None = attrs.field(
        default=None, converter=optional_utc, validator=_not_after_event
    )
    linked_to: str | None = attrs.field(default=None, validator=optional_nonempty_text)
    source: DetectionSource = attrs.field(
        default=DetectionSource.UNKNOWN, converter=to_detection_source
    )


@attrs.frozen(kw_only=True)
class Triaged(BaseEvent):
    """Triage: a severity and the confirmed scope. This moment is "scope confirmed".

    Attributes:
        severity: The severity (declared, or from classification).
        tenants: The affected tenants; must not be empty.
        rule: The classification rule that suggested the severity, if any.
        reason: Why this severity, in one line.

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["triaged"]] = "triaged"
    severity: Severity = attrs.field(converter=to_severity)
    tenants: frozenset[str] = attrs.field(converter=_tenants)
    rule: str = attrs.field(default="", validator=string)
    reason: str = attrs.field(default="", validator=string)


@attrs.frozen(kw_only=True)
class SeverityChanged(BaseEvent):
    """The severity changed (up or down), with a reason. Allowed until RESOLVED.

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["severity_changed"]] = "severity_changed"
    severity: Severity = attrs.field(converter=to_severity)
    reason: str = attrs.field(validator=nonempty_text)
    rule: str = attrs.field(default="", validator=string)


def _scope_change_valid(inst: ScopeChanged, _: attrs.Attribute[Any], removed: object) -> None:
    if not inst.added and not inst.removed:
        raise PolicyInputError("added", inst.added, "at least one tenant added or removed")
    if inst.added & inst.removed:
        both = sorted(inst.added & inst.removed)
        raise PolicyInputError("removed", both, "tenants not also listed as added")


@attrs.frozen(kw_only=True)
class ScopeChanged(BaseEvent):
    """Tenants were added to or removed from the scope. Allowed until RESOLVED.

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["scope_changed"]] = "scope_changed"
    added: frozenset[str] = attrs.field(default=frozenset(), converter=_added)
    removed: frozenset[str] = attrs.field(
        default=frozenset(), converter=_removed, validator=_scope_change_valid
    )
    reason: str = attrs.field(default="", validator=string)


@attrs.frozen(kw_only=True)
class _PhaseEvent(BaseEvent):
    note: str = attrs.field(default="", validator=string)


def _features(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise PolicyInputError("features", value, "a list of feature names")
    items = tuple(value)
    for index, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise PolicyInputError(f"features[{index}]", item, "a non-empty feature name")
    return items


def _measure_valid(inst: ContainmentMeasure, _: attrs.Attribute[Any], core: object) -> None:
    if not isinstance(core, bool):
        raise PolicyInputError("core", core, "true or false")
    if not inst.features and (core or inst.kind is ContainmentMeasureKind.FEATURE_DEGRADATION):
        what = "the core capability degraded" if core else "the features degraded"
        raise PolicyInputError("features", [], f"a 'features' list naming {what}")


@attrs.frozen
class ContainmentMeasure:
    """One measure taken to contain an incident, as the responder recorded it.

    Attributes:
        kind: Traffic shedding, feature degradation or other (accepts the string,
            ``"feature_degradation"``...).
        features: The features it degraded or shed traffic from, by name; required for a
            feature degradation.
        core: Whether it degrades a core capability. The page's containment preserves core
            functionality, so such a measure is a finding (:func:`containment_findings`).

    Raises:
        PolicyInputError: an unknown kind, a feature degradation (or a core measure) that
            names no feature, or a wrong type.

    >>> measure = ContainmentMeasure("feature_degradation", ["search", "exports"])
    >>> measure.kind.value, measure.features, measure.core
    ('feature_degradation', ('search', 'exports'), False)

    .. versionadded:: 0.2.0
    """

    kind: ContainmentMeasureKind = attrs.field(converter=to_measure_kind)
    features: tuple[str, ...] = attrs.field(default=(), converter=_features)
    core: bool = attrs.field(default=False, validator=_measure_valid)


def _measures(value: Iterable[ContainmentMeasure]) -> tuple[ContainmentMeasure, ...]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise PolicyInputError("measures", value, "a list of ContainmentMeasure values")
    items = tuple(value)
    for index, item in enumerate(items):
        if not isinstance(item, ContainmentMeasure):
            raise PolicyInputError(f"measures[{index}]", item, "a ContainmentMeasure")
    return items


@attrs.frozen(kw_only=True)
class Contained(_PhaseEvent):
    """The impact stopped spreading (TRIAGED → CONTAINED).

    Attributes:
        measures: What was done to contain it (traffic shedding, degrading named features),
            if recorded. A measure that degrades a core capability is a finding
            (:func:`containment_findings`).
        note: A free-text note.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       ``measures``.
    """

    type: ClassVar[Literal["contained"]] = "contained"
    measures: tuple[ContainmentMeasure, ...] = attrs.field(default=(), converter=_measures)


@attrs.frozen(kw_only=True)
class Eradicated(_PhaseEvent):
    """The root cause was removed (CONTAINED → ERADICATED only).

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["eradicated"]] = "eradicated"


@attrs.frozen(kw_only=True)
class Recovered(_PhaseEvent):
    """Service was restored (from TRIAGED, CONTAINED or ERADICATED).

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["recovered"]] = "recovered"


@attrs.frozen(kw_only=True)
class Validated(_PhaseEvent):
    """Customer-visible behaviour was checked and is healthy (in RECOVERED).

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["validated"]] = "validated"


@attrs.frozen(kw_only=True)
class Resolved(_PhaseEvent):
    """The incident is resolved (RECOVERED → RESOLVED, after validation).

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["resolved"]] = "resolved"


@attrs.frozen(kw_only=True)
class Regression(BaseEvent):
    """The problem came back after RESOLVED.

    Within ``lifecycle.reopen_window`` of RESOLVED it reopens the incident to TRIAGED
    (optionally at a new severity); later, open a linked incident with
    :func:`linked_incident`.

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["regression"]] = "regression"
    reason: str = attrs.field(validator=nonempty_text)
    severity: Severity | None = attrs.field(default=None, converter=to_optional_severity)


@attrs.frozen(kw_only=True)
class ReviewStarted(_PhaseEvent):
    """The post-incident review started (RESOLVED → IN_REVIEW).

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["review_started"]] = "review_started"


@attrs.frozen(kw_only=True)
class ActionAdded(BaseEvent):
    """A corrective action was recorded; owner and due date may follow (:class:`ActionAssigned`).

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["action_added"]] = "action_added"
    action_id: str = attrs.field(validator=nonempty_text)
    title: str = attrs.field(validator=nonempty_text)
    owner: str | None = attrs.field(default=None, validator=optional_nonempty_text)
    due: dt.datetime | None = attrs.field(
        default=None, converter=optional_utc, validator=optional_aware
    )


@attrs.frozen(kw_only=True)
class ActionAssigned(BaseEvent):
    """A corrective action got (or changed) its owner and due date.

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["action_assigned"]] = "action_assigned"
    action_id: str = attrs.field(validator=nonempty_text)
    owner: str = attrs.field(validator=nonempty_text)
    due: dt.datetime = attrs.field(converter=utc, validator=aware)


@attrs.frozen(kw_only=True)
class ActionCompleted(BaseEvent):
    """A corrective action was completed (also after the incident closed).

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["action_completed"]] = "action_completed"
    action_id: str = attrs.field(validator=nonempty_text)


@attrs.frozen(kw_only=True)
class ReviewCompleted(_PhaseEvent):
    """The post-incident review completed (in IN_REVIEW; every action owned and dated).

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["review_completed"]] = "review_completed"


@attrs.frozen(kw_only=True)
class Closed(_PhaseEvent):
    """The incident is closed (from IN_REVIEW, or from RESOLVED when not material).

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["closed"]] = "closed"


@attrs.frozen(kw_only=True)
class Declined(BaseEvent):
    """A false alarm or a routine event: not an incident (from DETECTED or TRIAGED).

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["declined"]] = "declined"
    reason: str = attrs.field(validator=nonempty_text)


@attrs.frozen(kw_only=True)
class SecurityAssessed(BaseEvent):
    """A (re)assessment of the security facts the DPA track needs.

    Attributes:
        kind: Availability or security.
        customer_data: Whether customer data is involved.
        aware_at: When CustomerNode became aware of the security incident, if known; for an
            incident that becomes a security incident here, default ``at``. Awareness only
            ever moves earlier: the clock never waits.
        note: What the assessment found.

    .. versionadded:: 0.1.0
    """

    type: ClassVar[Literal["security_assessed"]] = "security_assessed"
    kind: IncidentKind = attrs.field(converter=to_incident_kind)
    customer_data: DataInvolvement = attrs.field(converter=to_data_involvement)
    aware_at: dt.datetime | None = attrs.field(
        default=None, converter=optional_utc, validator=_not_after_event
    )
    note: str = attrs.field(default="", validator=string)


def _notice_valid(inst: NotificationSent, _: attrs.Attribute[Any], value: object) -> None:
    if value is not None and value is inst.channel:
        raise PolicyInputError("fallback_for", value, "a channel other than the one used")
    needs_tenants = (Audience.AFFECTED_TENANTS, Audience.SECURITY_CONTACTS)
    if inst.audience in needs_tenants and not inst.tenants:
        raise PolicyInputError("tenants", inst.tenants, "the tenants the notice was addressed to")


def _components(value: Iterable[str]) -> frozenset[str]:
    return _id_set(value, "components")


@attrs.frozen(kw_only=True)
class NotificationSent(BaseEvent):
    """A notification went out; the log tells the whole story, communication included.

    Attributes:
        channel: The channel used.
        kind: First notice, update, resolution, summary or DPA notice.
        audience: Who it was addressed to.
        tenants: The tenants it was addressed to (required for affected tenants and
            security contacts; the listed customers for the notification list).
        content: Content items it carried, such as the DPA checklist items.
        fallback_for: The channel this one stood in for (its subprocessor was down).
        text: What it said, for a public update (``audience="status_page"``): the public
            status feed shows it, unless it names a tenant or the incident is or was on the
            DPA track (see :mod:`reliability_policy.statusfeed`). Default empty.
        components: For a public update, the status page components it concerns, by name
            (``[[status_page.components]]``). Default none: every core component.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       ``text`` and ``components``.
    """

    type: ClassVar[Literal["notification_sent"]] = "notification_sent"
    channel: Channel = attrs.field(converter=to_channel)
    kind: NoticeKind = attrs.field(converter=to_notice_kind)
    audience: Audience = attrs.field(default=Audience.AFFECTED_TENANTS, converter=to_audience)
    tenants: frozenset[str] = attrs.field(default=frozenset(), converter=_tenants)
    content: frozenset[str] = attrs.field(default=frozenset(), converter=_content)
    fallback_for: Channel | None = attrs.field(
        default=None, converter=to_fallback_for, validator=_notice_valid
    )
    text: str = attrs.field(default="", validator=string)
    components: frozenset[str] = attrs.field(default=frozenset(), converter=_components)


Event = (
    Detected
    | Triaged
    | SeverityChanged
    | ScopeChanged
    | Contained
    | Eradicated
    | Recovered
    | Validated
    | Resolved
    | Regression
    | ReviewStarted
    | ActionAdded
    | ActionAssigned
    | ActionCompleted
    | ReviewCompleted
    | Closed
    | Declined
    | SecurityAssessed
    | NotificationSent
)
"""Any lifecycle event; its JSON ``type`` field names the class (see :data:`EVENT_TYPES`)."""

_CLASSES: Final = (
    Detected,
    Triaged,
    SeverityChanged,
    ScopeChanged,
    Contained,
    Eradicated,
    Recovered,
    Validated,
    Resolved,
    Regression,
    ReviewStarted,
    ActionAdded,
    ActionAssigned,
    ActionCompleted,
    ReviewCompleted,
    Closed,
    Declined,
    SecurityAssessed,
    NotificationSent,
)

EVENT_TYPES: Final[Mapping[str, type[Event]]] = types.MappingProxyType(
    {cls.type: cls for cls in _CLASSES}
)
"""Every event class by its JSON ``type`` name, in lifecycle order."""


# --- views over the history -------------------------------------------------------------------


@attrs.frozen
class PhaseEntry:
    """The incident entered ``phase`` at ``at`` (by event ``event_id``) and left it at ``until``.

    .. versionadded:: 0.1.0
    """

    phase: Phase
    at: dt.datetime
    event_id: str
    until: dt.datetime | None = None

    @property
    def duration(self) -> dt.timedelta | None:
        """How long the incident stayed in the phase; ``None`` while it still is."""
        return None if self.until is None else self.until - self.at


@attrs.frozen
class SeverityChange:
    """The severity became ``severity`` at ``at`` (``previous`` is ``None`` at triage).

    .. versionadded:: 0.1.0
    """

    at: dt.datetime
    severity: Severity
    previous: Severity | None
    reason: str
    event_id: str
    rule: str = ""

    @property
    def is_escalation(self) -> bool:
        """Whether this change raised the severity (setting it at triage is not one)."""
        return self.previous is not None and self.severity > self.previous

    @property
    def is_deescalation(self) -> bool:
        """Whether this change lowered the severity."""
        return self.previous is not None and self.severity < self.previous


@attrs.frozen
class ScopeChange:
    """``tenant`` was added to (or removed from) the scope at ``at``.

    .. versionadded:: 0.1.0
    """

    at: dt.datetime
    tenant: str
    added: bool
    event_id: str


@attrs.frozen
class CorrectiveAction:
    """A corrective action, tracked to completion (also after the incident closed).

    .. versionadded:: 0.1.0
    """

    id: str
    title: str
    added_at: dt.datetime
    owner: str | None = None
    due: dt.datetime | None = None
    completed_at: dt.datetime | None = None

    @property
    def is_open(self) -> bool:
        """Whether the action is not completed yet."""
        return self.completed_at is None

    @property
    def is_assigned(self) -> bool:
        """Whether the action has an owner and a due date."""
        return self.owner is not None and self.due is not None

    def is_overdue(self, now: dt.datetime) -> bool:
        """Whether the action is open and its due date has passed at ``now``.

        Raises:
            NaiveDatetimeError: ``now`` has no time zone.
        """
        now = require_utc(now, "now")
        return self.completed_at is None and self.due is not None and self.due < now


class _Views:
    """Every view of the history, computed together on first use (a plain class: cheap to
    define, never exposed)."""

    __slots__ = (
        "actions",
        "added_at",
        "assessments",
        "events",
        "notifications",
        "phases",
        "removed_at",
        "scope",
        "severities",
        "tenants",
    )

    def __init__(
        self,
        *,
        events: tuple[Event, ...],
        phases: tuple[PhaseEntry, ...],
        severities: tuple[SeverityChange, ...],
        scope: tuple[ScopeChange, ...],
        notifications: tuple[NotificationSent, ...],
        assessments: tuple[SecurityAssessed, ...],
        actions: Mapping[str, CorrectiveAction],
        tenants: frozenset[str],
        added_at: Mapping[str, dt.datetime],
        removed_at: Mapping[str, dt.datetime],
    ) -> None:
        self.events = events
        self.phases = phases
        self.severities = severities
        self.scope = scope
        self.notifications = notifications
        self.assessments = assessments
        self.actions = actions
        self.tenants = tenants
        self.added_at = added_at
        self.removed_at = removed_at


_ENTERS: Final[Mapping[type[Event], Phase]] = {
    Detected: Phase.DETECTED,
    Triaged: Phase.TRIAGED,
    Contained: Phase.CONTAINED,
    Eradicated: Phase.ERADICATED,
    Recovered: Phase.RECOVERED,
    Resolved: Phase.RESOLVED,
    Regression: Phase.TRIAGED,
    ReviewStarted: Phase.IN_REVIEW,
    Closed: Phase.CLOSED,
    Declined: Phase.DECLINED,
}


def _views(events: tuple[Event, ...]) -> _Views:
    """Every view of the history, in one pass over the events."""
    phases: list[PhaseEntry] = []
    severities: list[SeverityChange] = []
    scope: list[ScopeChange] = []
    notifications: list[NotificationSent] = []
    assessments: list[SecurityAssessed] = []
    actions: dict[str, CorrectiveAction] = {}
    tenants: set[str] = set()
    added_at: dict[str, dt.datetime] = {}
    removed_at: dict[str, dt.datetime] = {}
    current: Severity | None = None

    def add(at: dt.datetime, tenant: str, event_id: str) -> None:
        tenants.add(tenant)
        added_at.setdefault(tenant, at)
        removed_at.pop(tenant, None)
        scope.append(ScopeChange(at, tenant, True, event_id))

    for event in events:
        entered = _ENTERS.get(type(event))
        if entered is not None:
            if phases:
                phases[-1] = attrs.evolve(phases[-1], until=event.at)
            phases.append(PhaseEntry(entered, event.at, event.id))
        if isinstance(event, Triaged):
            reason = event.reason or "severity set at triage"
            severities.append(
                SeverityChange(event.at, event.severity, None, reason, event.id, event.rule)
            )
            current = event.severity
            for tenant in sorted(event.tenants):
                add(event.at, tenant, event.id)
        elif isinstance(event, SeverityChanged):
            severities.append(
                SeverityChange(
                    event.at, event.severity, current, event.reason, event.id, event.rule
                )
            )
            current = event.severity
        elif isinstance(event, Regression) and event.severity not in (None, current):
            severities.append(
                SeverityChange(event.at, event.severity, current, event.reason, event.id)
            )
            current = event.severity
        elif isinstance(event, ScopeChanged):
            for tenant in sorted(event.removed):
                tenants.discard(tenant)
                removed_at[tenant] = event.at
                scope.append(ScopeChange(event.at, tenant, False, event.id))
            for tenant in sorted(event.added):
                add(event.at, tenant, event.id)
        elif isinstance(event, NotificationSent):
            notifications.append(event)
        elif isinstance(event, SecurityAssessed):
            assessments.append(event)
        elif isinstance(event, ActionAdded):
            actions[event.action_id] = CorrectiveAction(
                event.action_id, event.title, event.at, event.owner, event.due
            )
        elif isinstance(event, ActionAssigned):
            actions[event.action_id] = attrs.evolve(
                actions[event.action_id], owner=event.owner, due=event.due
            )
        elif isinstance(event, ActionCompleted):
            actions[event.action_id] = attrs.evolve(actions[event.action_id], completed_at=event.at)
    return _Views(
        events=events,
        phases=tuple(phases),
        severities=tuple(severities),
        scope=tuple(scope),
        notifications=tuple(notifications),
        assessments=tuple(assessments),
        actions=types.MappingProxyType(actions),
        tenants=frozenset(tenants),
        added_at=types.MappingProxyType(added_at),
        removed_at=types.MappingProxyType(removed_at),
    )


# --- the incident -----------------------------------------------------------------------------


class _ActionState(enum.Enum):
    """Where a corrective action is, as far as the guards care."""

    UNASSIGNED = "unassigned"
    ASSIGNED = "assigned"
    COMPLETED = "completed"


class _State(TypedDict):
    """The facts the guards need; each change builds a new dict sharing the persistent maps."""

    phase: Phase
    incident_id: str
    title: str
    linked_to: str | None
    detected_at: dt.datetime
    detection_source: DetectionSource
    kind: IncidentKind
    customer_data: DataInvolvement
    aware_at: dt.datetime
    severity: Severity | None
    highest_severity: Severity | None
    classification_rule: str
    classification_reason: str
    scope_confirmed_at: dt.datetime | None
    tenants: immutables.Map[str, None]
    contained_at: dt.datetime | None
    recovered_at: dt.datetime | None
    validated_at: dt.datetime | None
    resolved_at: dt.datetime | None
    review_started_at: dt.datetime | None
    review_completed_at: dt.datetime | None
    actions: immutables.Map[str, _ActionState]


class _Refused(Exception):
    """Raised by a guard; :meth:`Incident.apply` turns it into :class:`InvalidTransition`."""

    def __init__(self, rule: Guard, reason: str) -> None:
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


_AFTER_RESOLUTION: Final = frozenset({Phase.RESOLVED, Phase.IN_REVIEW, Phase.CLOSED})
_ENDED: Final = _AFTER_RESOLUTION | {Phase.DECLINED}


@attrs.frozen(eq=False, repr=False, init=False, slots=False)
class Incident:
    """An incident: an immutable value folded from its event log.

    Build one with :func:`replay` (a whole log; ``Incident(events, policy)`` does the same) or
    :meth:`Incident.open` (a :class:`Detected` event), then :meth:`apply` further events. Two
    incidents are equal when their accepted event logs are equal. It round-trips through JSON
    as ``{"schema_version": 1, "events": [...]}``.

    >>> import datetime as dt
    >>> from reliability_policy import Severity
    >>> from reliability_policy.lifecycle import Detected, Triaged, Incident
    >>> t0 = dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC)
    >>> incident = Incident.open(Detected(id="e1", at=t0, incident_id="INC-1"))
    >>> incident = incident.apply(Triaged(id="e2", at=t0 + dt.timedelta(minutes=5),
    ...                                   severity=Severity.SEV_2, tenants={"t-1", "t-2"}))
    >>> incident.phase, incident.severity, sorted(incident.tenants)
    (<Phase.TRIAGED: 'TRIAGED'>, <Severity.SEV_2: 'SEV-2'>, ['t-1', 't-2'])
    >>> incident.accepted_events()
    ('severity_changed', 'scope_changed', 'contained', 'recovered', 'action_added', ...)

    .. versionadded:: 0.1.0
    """

    _state: _State
    _log: PVector[Event]
    """The accepted events in order."""
    _replayed: Mapping[str, Event]
    """The events this value was opened or replayed with, by id (read-only, shared)."""
    _applied: immutables.Map[str, Event]
    """The events applied since, by id."""

    def __init__(self, events: Iterable[BaseEvent], policy: Policy | None = None) -> None:
        replayed = replay(events, policy)
        self.__attrs_init__(replayed._state, replayed._log, replayed._replayed, replayed._applied)

    # --- building -----------------------------------------------------------------------------

    @classmethod
    def _of(
        cls,
        state: _State,
        log: PVector[Event],
        replayed: Mapping[str, Event],
        applied: immutables.Map[str, Event],
    ) -> Incident:
        """A new value from its parts, without replaying anything (``__init__`` replays)."""
        incident = cls.__new__(cls)
        incident.__attrs_init__(state, log, replayed, applied)
        return incident

    @classmethod
    def open(cls, event: Detected) -> Incident:
        """A new incident in DETECTED from its :class:`Detected` event.

        Raises:
            InvalidTransition: ``event`` is another lifecycle event (rule ``phase-order``).
            PolicyInputError: ``event`` is not a lifecycle event at all.

        .. versionadded:: 0.1.0
        """
        if not isinstance(event, Detected):
            raise _not_an_opening(event)
        state = _State(
            phase=Phase.DETECTED,
            incident_id=event.incident_id,
            title=event.title,
            linked_to=event.linked_to,
            detected_at=event.at,
            detection_source=event.source,
            kind=event.kind,
            customer_data=event.customer_data,
            aware_at=event.at if event.aware_at is None else event.aware_at,
            severity=None,
            highest_severity=None,
            classification_rule="",
            classification_reason="",
            scope_confirmed_at=None,
            tenants=immutables.Map(),
            contained_at=None,
            recovered_at=None,
            validated_at=None,
            resolved_at=None,
            review_started_at=None,
            review_completed_at=None,
            actions=immutables.Map(),
        )
        by_id = types.MappingProxyType({event.id: event})
        return cls._of(state, pvector((event,)), by_id, immutables.Map())

    def apply(self, event: BaseEvent, policy: Policy | None = None) -> Incident:
        """The incident after ``event``; ``self`` if the event was already applied.

        Args:
            event: The next event of the log.
            policy: The policy whose lifecycle settings apply (default: the default policy).

        Returns:
            The next incident (or this one, for a repeated event).

        Raises:
            InvalidTransition: a guard refused the event; ``rule`` names it, ``accepted``
                lists the event types accepted now.
            OutOfOrderEvent: the event is earlier than the last one applied.
            ConflictingEvent: an event with the same id but other content was applied.
            PolicyInputError: ``event`` is not a lifecycle event.

        .. versionadded:: 0.1.0
        """
        event = _require_event(event)
        chosen = policy_or_default(policy)
        if _is_repeat(self._accepted_as(event.id), event):
            return self
        state = _next_state(self._state, self._log[-1], event, chosen)
        log, applied = self._log.append(event), self._applied.set(event.id, event)
        return self._of(state, log, self._replayed, applied)

    def _accepted_as(self, event_id: str) -> Event | None:
        """The event accepted under ``event_id``, if any."""
        event = self._applied.get(event_id)
        return self._replayed.get(event_id) if event is None else event

    def accepted_events(self) -> tuple[str, ...]:
        """The event types the current phase accepts (their content guards aside).

        .. versionadded:: 0.1.0
        """
        return _accepted(self._state["phase"])

    # --- equality -----------------------------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Incident):
            return NotImplemented
        return self._log == other._log

    def __hash__(self) -> int:
        return hash((len(self._log), self._log[-1]))

    def __repr__(self) -> str:
        state = self._state
        severity = None if state["severity"] is None else state["severity"].value
        return (
            f"Incident(id={state['incident_id']!r}, phase={state['phase'].value}, "
            f"severity={severity}, events={len(self._log)})"
        )

    # --- scalar facts -------------------------------------------------------------------------

    @property
    def id(self) -> str:
        """The incident id, from the :class:`Detected` event."""
        return self._state["incident_id"]

    @property
    def title(self) -> str:
        """The one-line title, from the :class:`Detected` event."""
        return self._state["title"]

    @property
    def linked_to(self) -> str | None:
        """The earlier incident this one continues, if any."""
        return self._state["linked_to"]

    @property
    def phase(self) -> Phase:
        """The current phase."""
        return self._state["phase"]

    @property
    def is_open(self) -> bool:
        """Whether the incident is neither resolved, in review, closed nor declined."""
        return self._state["phase"] not in _ENDED

    @property
    def kind(self) -> IncidentKind:
        """Availability or security, as last assessed."""
        return self._state["kind"]

    @property
    def customer_data(self) -> DataInvolvement:
        """Whether customer data is involved, as last assessed."""
        return self._state["customer_data"]

    @property
    def aware_at(self) -> dt.datetime:
        """When CustomerNode became aware (of the security incident, once it is one)."""
        return self._state["aware_at"]

    @property
    def detected_at(self) -> dt.datetime:
        """When the incident was detected."""
        return self._state["detected_at"]

    @property
    def detection_source(self) -> DetectionSource:
        """How the incident was first detected, from the :class:`Detected` event.

        .. versionadded:: 0.2.0
        """
        return self._state["detection_source"]

    @property
    def severity(self) -> Severity | None:
        """The current severity; ``None`` before triage."""
        return self._state["severity"]

    @property
    def highest_severity(self) -> Severity | None:
        """The highest severity ever reached; ``None`` before triage."""
        return self._state["highest_severity"]

    @property
    def classification_rule(self) -> str:
        """The classification rule given at triage, if any."""
        return self._state["classification_rule"]

    @property
    def classification_reason(self) -> str:
        """The reason given for the severity at triage, if any."""
        return self._state["classification_reason"]

    @property
    def scope_confirmed_at(self) -> dt.datetime | None:
        """When the scope was confirmed, at the (first) triage; ``None`` before."""
        return self._state["scope_confirmed_at"]

    @property
    def recovered_at(self) -> dt.datetime | None:
        """The latest recovery, unless a regression reopened the incident since."""
        return self._state["recovered_at"]

    @property
    def validated_at(self) -> dt.datetime | None:
        """The latest validation of customer-visible behaviour since the latest recovery."""
        return self._state["validated_at"]

    @property
    def resolved_at(self) -> dt.datetime | None:
        """When the incident was resolved; ``None`` while open (also after a reopen)."""
        return self._state["resolved_at"]

    @property
    def review_started_at(self) -> dt.datetime | None:
        """When the post-incident review started, if it did (since the last reopen)."""
        return self._state["review_started_at"]

    @property
    def review_completed_at(self) -> dt.datetime | None:
        """When the post-incident review completed, if it did (since the last reopen)."""
        return self._state["review_completed_at"]

    @property
    def last_event_at(self) -> dt.datetime:
        """The time of the latest event applied."""
        return self._log[-1].at

    @property
    def event_count(self) -> int:
        """How many distinct events were applied."""
        return len(self._log)

    def is_material(self, policy: Policy | None = None) -> bool:
        """Whether the highest severity reached is material (``severity.material``: SEV-1/2).

        .. versionadded:: 0.1.0
        """
        chosen = policy_or_default(policy)
        highest = self._state["highest_severity"]
        return highest is not None and highest in chosen.severity.material

    # --- timings ------------------------------------------------------------------------------

    @property
    def time_to_triage(self) -> dt.timedelta | None:
        """Detection to the first triage (scope confirmed)."""
        return _since(self._state["detected_at"], self._state["scope_confirmed_at"])

    @property
    def time_to_contain(self) -> dt.timedelta | None:
        """Detection to the first containment (a recovery without one leaves this ``None``)."""
        return _since(self._state["detected_at"], self._state["contained_at"])

    @property
    def time_to_recover(self) -> dt.timedelta | None:
        """Detection to the latest recovery; ``None`` while reopened and not recovered again."""
        return _since(self._state["detected_at"], self._state["recovered_at"])

    @property
    def time_to_resolve(self) -> dt.timedelta | None:
        """Detection to the resolution; ``None`` while open (also after a reopen)."""
        return _since(self._state["detected_at"], self._state["resolved_at"])

    # --- views over the history ---------------------------------------------------------------

    @functools.cached_property
    def _history(self) -> _Views:
        """Every view of the history, computed on first use and kept by this value."""
        return _views(tuple(self._log))

    @property
    def events(self) -> tuple[Event, ...]:
        """Every accepted event in order, repeats dropped; the log that rebuilds the incident."""
        return self._history.events

    @property
    def phase_history(self) -> tuple[PhaseEntry, ...]:
        """Every phase entered, with when it was entered and left."""
        return self._history.phases

    @property
    def reopened_at(self) -> tuple[dt.datetime, ...]:
        """When regressions reopened the incident."""
        return tuple(e.at for e in self._history.events if isinstance(e, Regression))

    @property
    def severity_history(self) -> tuple[SeverityChange, ...]:
        """The severity set at triage, then every escalation and de-escalation."""
        return self._history.severities

    @property
    def scope_history(self) -> tuple[ScopeChange, ...]:
        """Every tenant added to or removed from the scope, in order."""
        return self._history.scope

    @property
    def tenants(self) -> frozenset[str]:
        """The affected tenants now (the current scope)."""
        return self._history.tenants

    @property
    def tenants_ever_affected(self) -> frozenset[str]:
        """Every tenant that was ever in scope."""
        return frozenset(self._history.added_at)

    @property
    def tenant_added_at(self) -> Mapping[str, dt.datetime]:
        """For every tenant ever in scope, when it was first added (triage or a later change)."""
        return self._history.added_at

    @property
    def tenant_removed_at(self) -> Mapping[str, dt.datetime]:
        """For tenants no longer in scope, when they were removed."""
        return self._history.removed_at

    @property
    def notifications(self) -> tuple[NotificationSent, ...]:
        """Every notification sent, in order."""
        return self._history.notifications

    @property
    def assessments(self) -> tuple[SecurityAssessed, ...]:
        """Every security assessment, in order."""
        return self._history.assessments

    @property
    def containment_measures(self) -> tuple[ContainmentMeasure, ...]:
        """Every containment measure recorded, in order (over every :class:`Contained` event).

        .. versionadded:: 0.2.0
        """
        return tuple(
            m for e in self._history.events if isinstance(e, Contained) for m in e.measures
        )

    @property
    def actions(self) -> Mapping[str, CorrectiveAction]:
        """Every corrective action by id, in the order they were added."""
        return self._history.actions

    def open_actions(self) -> tuple[CorrectiveAction, ...]:
        """The corrective actions not completed yet.

        .. versionadded:: 0.1.0
        """
        return tuple(a for a in self._history.actions.values() if a.completed_at is None)

    def overdue_actions(self, now: dt.datetime) -> tuple[CorrectiveAction, ...]:
        """The open corrective actions whose due date is before ``now``.

        Raises:
            NaiveDatetimeError: ``now`` has no time zone.

        .. versionadded:: 0.1.0
        """
        now = require_utc(now, "now")
        return tuple(a for a in self.open_actions() if a.due is not None and a.due < now)


def _not_an_opening(event: object) -> Exception:
    if type(event) not in _HANDLERS:
        return PolicyInputError("event", event, "a lifecycle event such as Detected(...)")
    return InvalidTransition(
        None,
        event,
        Guard.PHASE_ORDER,
        "an incident's log starts with a 'detected' event",
        ("detected",),
    )


def _since(start: dt.datetime, end: dt.datetime | None) -> dt.timedelta | None:
    return None if end is None else end - start


# --- guards and transitions -------------------------------------------------------------------

_OPEN_TRIAGED: Final = frozenset(
    {Phase.TRIAGED, Phase.CONTAINED, Phase.ERADICATED, Phase.RECOVERED}
)
_ALL: Final = frozenset(Phase)

_ALLOWED: Final[Mapping[type[Event], frozenset[Phase]]] = {
    Detected: frozenset(),
    Triaged: frozenset({Phase.DETECTED}),
    SeverityChanged: _OPEN_TRIAGED,
    ScopeChanged: _OPEN_TRIAGED,
    Contained: frozenset({Phase.TRIAGED}),
    Eradicated: frozenset({Phase.CONTAINED}),
    Recovered: frozenset({Phase.TRIAGED, Phase.CONTAINED, Phase.ERADICATED}),
    Validated: frozenset({Phase.RECOVERED}),
    Resolved: frozenset({Phase.RECOVERED}),
    Regression: _AFTER_RESOLUTION,
    ReviewStarted: frozenset({Phase.RESOLVED}),
    ActionAdded: _ALL - {Phase.DECLINED},
    ActionAssigned: _ALL - {Phase.DECLINED},
    ActionCompleted: _ALL - {Phase.DECLINED},
    ReviewCompleted: frozenset({Phase.IN_REVIEW}),
    Closed: frozenset({Phase.RESOLVED, Phase.IN_REVIEW}),
    Declined: frozenset({Phase.DETECTED, Phase.TRIAGED}),
    SecurityAssessed: _ALL,
    NotificationSent: _ALL,
}


def _phase_refusal(phase: Phase, kind: type[Event]) -> _Refused:
    """Why ``kind`` has no transition from ``phase``: the most specific guard."""
    name = kind.type
    before_recovery = {Phase.TRIAGED, Phase.CONTAINED, Phase.ERADICATED}
    if phase is Phase.DECLINED:
        return _Refused(
            Guard.PHASE_ORDER, "the incident was declined; a declined incident is final"
        )
    if kind is ScopeChanged and phase is Phase.DETECTED:
        return _Refused(
            Guard.SCOPE_CONFIRMED_FOR_TRIAGE, "the scope is first confirmed by the triaged event"
        )
    if phase is Phase.DETECTED and kind is not Detected:
        return _Refused(Guard.PHASE_ORDER, f"triage the incident before '{name}'")
    if kind is Eradicated and phase in {Phase.TRIAGED, Phase.RECOVERED}:
        return _Refused(
            Guard.STABILIZE_BEFORE_ROOT_CAUSE,
            "the root cause is eradicated only once the incident is contained",
        )
    if kind in (Resolved, Validated) and phase in before_recovery:
        return _Refused(
            Guard.VALIDATE_BEFORE_RESOLVE,
            "an incident resolves only from RECOVERED, after customer-visible behaviour was "
            "validated following the recovery",
        )
    if kind is SeverityChanged and phase in _AFTER_RESOLUTION:
        return _Refused(
            Guard.SEVERITY_FROZEN_AFTER_RESOLUTION,
            "the severity is frozen once the incident is resolved; a regression reopens it",
        )
    if kind is Regression:
        return _Refused(
            Guard.PHASE_ORDER, "the incident is still open: nothing to reopen before RESOLVED"
        )
    if kind is Detected:
        return _Refused(Guard.PHASE_ORDER, "the incident was already detected")
    return _Refused(Guard.PHASE_ORDER, f"'{name}' has no transition from {phase.value}")


def _higher(current: Severity | None, new: Severity) -> Severity:
    return new if current is None or new > current else current


def _on_triaged(s: _State, e: Triaged, policy: Policy) -> _State:
    if not e.tenants:
        raise _Refused(
            Guard.SCOPE_CONFIRMED_FOR_TRIAGE,
            "triage needs a confirmed scope: at least one affected tenant",
        )
    return {
        **s,
        "phase": Phase.TRIAGED,
        "severity": e.severity,
        "highest_severity": e.severity,  # triage is the first severity (from DETECTED only)
        "classification_rule": e.rule,
        "classification_reason": e.reason,
        "scope_confirmed_at": e.at,
        "tenants": immutables.Map(dict.fromkeys(e.tenants)),
    }


def _on_severity(s: _State, e: SeverityChanged, policy: Policy) -> _State:
    if e.severity is s["severity"]:
        raise _Refused(
            Guard.SEVERITY_CHANGE_MUST_DIFFER, f"the severity already is {e.severity.value}"
        )
    return {
        **s,
        "severity": e.severity,
        "highest_severity": _higher(s["highest_severity"], e.severity),
    }


def _on_scope(s: _State, e: ScopeChanged, policy: Policy) -> _State:
    tenants = s["tenants"]
    for tenant in e.added:
        if tenant in tenants:
            raise _Refused(Guard.SCOPE_CHANGE_CONSISTENT, f"tenant {tenant!r} is already in scope")
    for tenant in e.removed:
        if tenant not in tenants:
            raise _Refused(Guard.SCOPE_CHANGE_CONSISTENT, f"tenant {tenant!r} is not in scope")
    if len(tenants) + len(e.added) - len(e.removed) <= 0:
        raise _Refused(
            Guard.SCOPE_CHANGE_CONSISTENT,
            "the scope would become empty; decline the incident or keep a tenant",
        )
    for tenant in e.removed:
        tenants = tenants.delete(tenant)
    return {**s, "tenants": tenants.update(dict.fromkeys(e.added))}


def _on_contained(s: _State, e: Contained, policy: Policy) -> _State:
    first = e.at if s["contained_at"] is None else s["contained_at"]
    return {**s, "phase": Phase.CONTAINED, "contained_at": first}


def _on_eradicated(s: _State, e: Eradicated, policy: Policy) -> _State:
    return {**s, "phase": Phase.ERADICATED}


def _on_recovered(s: _State, e: Recovered, policy: Policy) -> _State:
    # validated_at is None here: it is set only in RECOVERED, and a regression clears it
    return {**s, "phase": Phase.RECOVERED, "recovered_at": e.at}


def _on_validated(s: _State, e: Validated, policy: Policy) -> _State:
    return {**s, "validated_at": e.at}


def _on_resolved(s: _State, e: Resolved, policy: Policy) -> _State:
    if s["validated_at"] is None:
        raise _Refused(
            Guard.VALIDATE_BEFORE_RESOLVE,
            "customer-visible behaviour was not validated after the recovery",
        )
    return {**s, "phase": Phase.RESOLVED, "resolved_at": e.at}


def _on_regression(s: _State, e: Regression, policy: Policy) -> _State:
    resolved = s["resolved_at"]
    window = policy.lifecycle.reopen_window
    if resolved is not None and e.at - resolved > window:
        raise _Refused(
            Guard.REOPEN_WINDOW,
            f"the regression came {e.at - resolved} after RESOLVED, beyond the reopen window "
            f"of {window}; open a new incident linked to this one (linked_incident())",
        )
    if e.severity is not None:
        s = {
            **s,
            "severity": e.severity,
            "highest_severity": _higher(s["highest_severity"], e.severity),
        }
    return {
        **s,
        "phase": Phase.TRIAGED,
        "recovered_at": None,
        "validated_at": None,
        "resolved_at": None,
        "review_started_at": None,
        "review_completed_at": None,
    }


def _on_review_started(s: _State, e: ReviewStarted, policy: Policy) -> _State:
    return {**s, "phase": Phase.IN_REVIEW, "review_started_at": e.at}


def _require_assigned(s: _State, what: str) -> None:
    """Refuse while a corrective action lacks an owner or a due date; ``what`` says what to do."""
    unassigned = sum(1 for state in s["actions"].values() if state is _ActionState.UNASSIGNED)
    if unassigned:
        noun = "action has" if unassigned == 1 else "actions have"
        raise _Refused(
            Guard.ACTIONS_NEED_OWNER_AND_DUE_DATE,
            f"{unassigned} corrective {noun} no owner or no due date; {what}",
        )


def _on_review_completed(s: _State, e: ReviewCompleted, policy: Policy) -> _State:
    if s["review_completed_at"] is not None:
        raise _Refused(Guard.PHASE_ORDER, "the review was already completed")
    _require_assigned(s, "assign them before completing the review")
    return {**s, "review_completed_at": e.at}


def _on_closed(s: _State, e: Closed, policy: Policy) -> _State:
    if s["phase"] is Phase.IN_REVIEW:
        if s["review_completed_at"] is None:
            raise _Refused(Guard.REVIEW_BEFORE_CLOSE, "the review started but has not completed")
        _require_assigned(s, "assign them before closing")
    elif (highest := s["highest_severity"]) is not None and highest in policy.severity.material:
        raise _Refused(
            Guard.REVIEW_BEFORE_CLOSE,
            f"a material incident (highest severity {highest.value}) closes only after its "
            "post-incident review (review_started, review_completed)",
        )
    return {**s, "phase": Phase.CLOSED}


def _on_declined(s: _State, e: Declined, policy: Policy) -> _State:
    return {**s, "phase": Phase.DECLINED}


def _on_assessed(s: _State, e: SecurityAssessed, policy: Policy) -> _State:
    aware = s["aware_at"]
    if e.kind is IncidentKind.SECURITY:
        if s["kind"] is not IncidentKind.SECURITY:
            aware = e.at if e.aware_at is None else e.aware_at
        elif e.aware_at is not None and e.aware_at < aware:
            aware = e.aware_at
    return {**s, "kind": e.kind, "customer_data": e.customer_data, "aware_at": aware}


def _on_action_added(s: _State, e: ActionAdded, policy: Policy) -> _State:
    if e.action_id in s["actions"]:
        raise _Refused(Guard.ACTION_IDS_UNIQUE, f"corrective action {e.action_id!r} already exists")
    assigned = e.owner is not None and e.due is not None
    state = _ActionState.ASSIGNED if assigned else _ActionState.UNASSIGNED
    return {**s, "actions": s["actions"].set(e.action_id, state)}


def _open_action(s: _State, action_id: str) -> None:
    state = s["actions"].get(action_id)
    if state is None:
        raise _Refused(Guard.ACTION_MUST_BE_OPEN, f"there is no corrective action {action_id!r}")
    if state is _ActionState.COMPLETED:
        raise _Refused(
            Guard.ACTION_MUST_BE_OPEN, f"corrective action {action_id!r} is already completed"
        )


def _on_action_assigned(s: _State, e: ActionAssigned, policy: Policy) -> _State:
    _open_action(s, e.action_id)
    return {**s, "actions": s["actions"].set(e.action_id, _ActionState.ASSIGNED)}


def _on_action_completed(s: _State, e: ActionCompleted, policy: Policy) -> _State:
    _open_action(s, e.action_id)
    return {**s, "actions": s["actions"].set(e.action_id, _ActionState.COMPLETED)}


def _unchanged(s: _State, e: Event, policy: Policy) -> _State:
    return s


_Handler = Callable[[_State, Any, Policy], _State]

_HANDLERS: Final[Mapping[type[Event], _Handler]] = {
    Detected: _unchanged,
    Triaged: _on_triaged,
    SeverityChanged: _on_severity,
    ScopeChanged: _on_scope,
    Contained: _on_contained,
    Eradicated: _on_eradicated,
    Recovered: _on_recovered,
    Validated: _on_validated,
    Resolved: _on_resolved,
    Regression: _on_regression,
    ReviewStarted: _on_review_started,
    ActionAdded: _on_action_added,
    ActionAssigned: _on_action_assigned,
    ActionCompleted: _on_action_completed,
    ReviewCompleted: _on_review_completed,
    Closed: _on_closed,
    Declined: _on_declined,
    SecurityAssessed: _on_assessed,
    NotificationSent: _unchanged,
}

_RULES: Final[Mapping[type[Event], tuple[frozenset[Phase], _Handler]]] = {
    kind: (_ALLOWED[kind], _HANDLERS[kind]) for kind in _HANDLERS
}
"""For each event class: the phases it is allowed from, and its guards and transition."""


def _accepted(phase: Phase) -> tuple[str, ...]:
    """The event types ``phase`` accepts (their content guards aside)."""
    return tuple(name for name, cls in EVENT_TYPES.items() if phase in _ALLOWED[cls])


def _require_event(event: object) -> Event:
    """``event`` as a lifecycle event; refuse anything else."""
    if not isinstance(event, _CLASSES) or type(event) not in _RULES:
        raise PolicyInputError("event", event, "a lifecycle event such as Triaged(...)")
    return event


def _is_repeat(earlier: Event | None, event: Event) -> bool:
    """Whether ``event`` was already applied, given the event ``earlier`` applied under its id.

    Raises:
        ConflictingEvent: ``earlier`` has the same id but other content.
    """
    if earlier is None:
        return False
    if earlier is event or earlier == event:
        return True
    raise ConflictingEvent(
        "id",
        event.id,
        "a new event id, or the very same event again",
        f"event {earlier.id!r} was already applied as a {earlier.type!r} event at "
        f"{format_instant(earlier.at)}; this {event.type!r} event differs in "
        + ", ".join(_differences(earlier, event)),
    )


def _differences(earlier: Event, event: Event) -> list[str]:
    """The fields in which two events with the same id differ (``type`` if their kinds do)."""
    if type(earlier) is not type(event):
        return ["type"]
    return [
        f.name
        for f in attrs.fields(type(event))
        if getattr(earlier, f.name) != getattr(event, f.name)
    ]


def _next_state(state: _State, last: Event, event: Event, policy: Policy) -> _State:
    """The state after ``event`` (``last`` is the latest event before it): order, then guards.

    Raises:
        OutOfOrderEvent: ``event`` is earlier than ``last``.
        InvalidTransition: a guard refused ``event``.
    """
    if event.at < last.at:
        raise OutOfOrderEvent(
            "at",
            format_instant(event.at),
            f"an instant at or after {format_instant(last.at)}",
            f"event {event.id!r} ({event.type}) is earlier than the last event applied, "
            f"{last.id!r} ({last.type}); times never go backwards",
        )
    phase = state["phase"]
    allowed, handler = _RULES[type(event)]
    try:
        if phase not in allowed:
            raise _phase_refusal(phase, type(event))
        return handler(state, event, policy)
    except _Refused as refused:
        raise InvalidTransition(
            phase, event, refused.rule, refused.reason, _accepted(phase)
        ) from None


# --- folding a log ----------------------------------------------------------------------------

_A_LOG: Final = "a log that starts with a 'detected' event"
_NO_EVENT: Final[Any] = object()
"""What ``next`` gives for an empty log (a ``None`` item is an item, and not an event)."""


def replay(events: Iterable[BaseEvent], policy: Policy | None = None) -> Incident:
    """Fold an event log into an incident: :meth:`Incident.open`, then :meth:`Incident.apply`.

    Args:
        events: The log; it starts with a :class:`Detected` event. Repeats are no-ops.
        policy: The policy whose lifecycle settings apply (default: the default policy).

    Returns:
        The incident after every event.

    Raises:
        PolicyInputError: the log is empty, is not a collection of events, or holds something
            that is not an event.
        InvalidTransition: an event is refused by a guard (the first event is not
            ``detected``, for example).
        OutOfOrderEvent: an event is earlier than the one before it.
        ConflictingEvent: an event id repeats with other content.

    .. versionadded:: 0.1.0
    """
    chosen = policy_or_default(policy)
    if isinstance(events, (str, bytes)) or not isinstance(events, Iterable):
        raise PolicyInputError("events", events, _A_LOG)
    iterator = iter(events)
    first = next(iterator, _NO_EVENT)
    if first is _NO_EVENT:
        raise PolicyInputError("events", [], _A_LOG)
    if not isinstance(first, Detected):
        raise _not_an_opening(first)
    state = Incident.open(first)._state
    log: list[Event] = [first]
    ids: dict[str, Event] = {first.id: first}
    for given in iterator:  # Incident.apply, building the log and the id index in place
        event = _require_event(given)
        if _is_repeat(ids.get(event.id), event):
            continue
        state = _next_state(state, log[-1], event, chosen)
        log.append(event)
        ids[event.id] = event
    return Incident._of(state, pvector(log), types.MappingProxyType(ids), immutables.Map())


def linked_incident(
    previous: Incident,
    regression: Regression,
    policy: Policy | None = None,
    *,
    incident_id: str,
    event_id: str | None = None,
) -> Incident:
    """Open a new incident for a regression that came too late to reopen ``previous``.

    The new incident starts in DETECTED at the regression's time, linked to ``previous``
    (``linked_to``) and with its security facts. Its first event, ``new.events[0]``, is the
    :class:`Detected` event to store as the new log's first line.

    Args:
        previous: The resolved (or closed) incident the problem came back to.
        regression: The regression, later than ``lifecycle.reopen_window`` after RESOLVED.
        policy: The policy whose reopen window applies (default: the default policy).
        incident_id: The new incident's id.
        event_id: The id of the new :class:`Detected` event (default: the regression's id).

    Raises:
        InvalidTransition: ``previous`` is still open, or the regression is within the reopen
            window (apply it to ``previous`` instead); rule ``reopen-window``.
        PolicyInputError: ``previous`` is not an :class:`Incident` or ``regression`` not a
            :class:`Regression`.

    .. versionadded:: 0.1.0
    """
    if not isinstance(previous, Incident):
        raise PolicyInputError("previous", previous, "a lifecycle Incident")
    if not isinstance(regression, Regression):
        raise PolicyInputError("regression", regression, "a Regression event")
    resolved = previous.resolved_at
    if resolved is None:
        reason = (
            "the incident was declined: a real problem is a new incident, not a regression"
            if previous.phase is Phase.DECLINED
            else "the incident is not resolved: the problem is part of the open incident"
        )
        raise InvalidTransition(
            previous.phase, regression, Guard.REOPEN_WINDOW, reason, previous.accepted_events()
        )
    window = policy_or_default(policy).lifecycle.reopen_window
    if regression.at - resolved <= window:
        raise InvalidTransition(
            previous.phase,
            regression,
            Guard.REOPEN_WINDOW,
            f"the regression is within the reopen window of {window}: apply it to "
            f"{previous.id} to reopen it",
            previous.accepted_events(),
        )
    return Incident.open(
        Detected(
            id=regression.id if event_id is None else event_id,
            at=regression.at,
            incident_id=incident_id,
            title=f"Regression of {previous.id}: {regression.reason}",
            kind=previous.kind,
            customer_data=previous.customer_data,
            linked_to=previous.id,
        )
    )


# --- detection and containment over incidents ------------------------------------------------

RULE_CORE_DEGRADED: Final = "core-degraded-by-containment"
"""The finding of a containment measure that degraded a core capability."""


def containment_findings(incident: Incident) -> tuple[Finding, ...]:
    """The containment measures of ``incident`` that degraded a core capability, as findings.

    The page's containment degrades features "to preserve core functionality", so a measure
    recorded with ``core=True`` is a finding (rule ``core-degraded-by-containment``, no tenant,
    a breach), one per such measure, in the order of the log.

    >>> import datetime as dt
    >>> from reliability_policy import Severity
    >>> t0 = dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC)
    >>> incident = replay([
    ...     Detected(id="e1", at=t0, incident_id="INC-9", source="customer_report"),
    ...     Triaged(id="e2", at=t0, severity=Severity.SEV_2, tenants={"acme"}),
    ...     Contained(id="e3", at=t0, measures=[
    ...         ContainmentMeasure("traffic_shedding", ["bulk-export"]),
    ...         ContainmentMeasure("feature_degradation", ["sign-in"], core=True)]),
    ... ])
    >>> [(f.rule, f.tenant) for f in containment_findings(incident)]
    [('core-degraded-by-containment', None)]
    >>> print(containment_findings(incident)[0].reason)
    containment e3 (2026-03-08T06:00:00Z) degraded the core capability sign-in by
    feature_degradation; containment must preserve core functionality

    Raises:
        PolicyInputError: ``incident`` is not an :class:`Incident`.

    .. versionadded:: 0.2.0
    """
    if not isinstance(incident, Incident):
        raise PolicyInputError("incident", incident, "a lifecycle Incident")
    found: list[Finding] = []
    for event in incident.events:
        if not isinstance(event, Contained):
            continue
        for measure in event.measures:
            if measure.core:
                found.append(
                    Finding(
                        RULE_CORE_DEGRADED,
                        None,
                        f"containment {event.id} ({format_instant(event.at)}) degraded the core "
                        f"capability {', '.join(measure.features)} by {measure.kind.value}; "
                        "containment must preserve core functionality",
                        FindingLevel.BREACH,
                    )
                )
    return tuple(found)


def _count(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if type(value) is not int or value < 0:
        raise PolicyInputError(attribute.name, value, "a count (an integer, 0 or more)")


def _ids(value: object, field: str) -> tuple[str, ...]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise PolicyInputError(field, value, "a list of incident ids")
    items = tuple(value)
    for index, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise PolicyInputError(f"{field}[{index}]", item, "a non-empty incident id")
    return items


def _customer_reported(value: Iterable[str]) -> tuple[str, ...]:
    return _ids(value, "customer_reported")


def _unrecorded(value: Iterable[str]) -> tuple[str, ...]:
    return _ids(value, "unrecorded")


@attrs.frozen
class DetectionShare:
    """Of a set of incidents, those first detected by a customer report.

    Attributes:
        total: How many incidents were counted.
        customer_reported: The ids of those first detected by a customer report.
        unrecorded: The ids of those whose detection source was not recorded (``unknown``);
            they count in ``total``, so the share is a lower bound while any remain.

    .. versionadded:: 0.2.0
    """

    total: int = attrs.field(validator=_count)
    customer_reported: tuple[str, ...] = attrs.field(converter=_customer_reported)
    unrecorded: tuple[str, ...] = attrs.field(default=(), converter=_unrecorded)

    def __attrs_post_init__(self) -> None:
        counted = len(self.customer_reported) + len(self.unrecorded)
        if counted > self.total:
            raise PolicyInputError(
                "total", self.total, f"at least {counted} (the incidents listed by id)"
            )

    @property
    def count(self) -> int:
        """How many incidents were first detected by a customer report."""
        return len(self.customer_reported)

    @property
    def share(self) -> Fraction:
        """``count / total``, exactly, in [0, 1]; 0 for no incidents."""
        return Fraction(self.count, self.total) if self.total else Fraction(0)

    @property
    def reason(self) -> str:
        """One line for a human."""
        line = (
            f"{self.count} of {self.total} incident(s) ({float(self.share):.0%}) were first "
            "detected by a customer report"
        )
        if self.unrecorded:
            line += f"; {len(self.unrecorded)} without a recorded detection source"
        return line


def customer_detected_share(incidents: Iterable[Incident]) -> DetectionShare:
    """Over ``incidents``, the share first detected by a customer report.

    Each incident counts once, by its :attr:`Incident.detection_source` (the source of its
    :class:`Detected` event). The page promises proactive detection by monitoring,
    "supplemented by customer reports": a high share says monitoring missed what customers saw.

    >>> import datetime as dt
    >>> t0 = dt.datetime(2026, 3, 8, 6, 0, tzinfo=dt.UTC)
    >>> incidents = [
    ...     Incident.open(Detected(id="e1", at=t0, incident_id=f"INC-{n}", source=source))
    ...     for n, source in enumerate(["customer_report", "monitoring_latency", "unknown"])]
    >>> report = customer_detected_share(incidents)
    >>> report.share, report.customer_reported, report.unrecorded
    (Fraction(1, 3), ('INC-0',), ('INC-2',))
    >>> print(report.reason)
    1 of 3 incident(s) (33%) were first detected by a customer report; 1 without a recorded
    detection source

    Raises:
        PolicyInputError: an item is not an :class:`Incident`, or an incident id repeats.

    .. versionadded:: 0.2.0
    """
    if isinstance(incidents, (str, bytes, Incident)) or not isinstance(incidents, Iterable):
        raise PolicyInputError("incidents", incidents, "a collection of lifecycle Incidents")
    seen: set[str] = set()
    customer: list[str] = []
    unrecorded: list[str] = []
    for index, incident in enumerate(incidents):
        if not isinstance(incident, Incident):
            raise PolicyInputError(f"incidents[{index}]", incident, "a lifecycle Incident")
        if incident.id in seen:
            raise PolicyInputError(f"incidents[{index}]", incident.id, "an incident listed once")
        seen.add(incident.id)
        if incident.detection_source is DetectionSource.CUSTOMER_REPORT:
            customer.append(incident.id)
        elif incident.detection_source is DetectionSource.UNKNOWN:
            unrecorded.append(incident.id)
    return DetectionShare(len(seen), customer, unrecorded)


# --- JSON -------------------------------------------------------------------------------------

_TYPE_NAMES: Final = ", ".join(repr(name) for name in EVENT_TYPES)


_EVENT_CLASSES: Final = frozenset(EVENT_TYPES.values())


def _is_event_class(t: Any) -> bool:
    return isinstance(t, type) and t in _EVENT_CLASSES


def _event_unstructure_hook(cls: Any) -> Callable[[Any], dict[str, Any]]:
    """Unstructure ``cls`` with its ``type`` first and defaults left out (built on first use)."""
    name = cls.type
    inner = make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True)

    def unstructure_event(event: Any) -> dict[str, Any]:
        return {"type": name, **inner(event)}

    return unstructure_event


def _event_structure_hook(cls: Any) -> Callable[[Any, Any], Any]:
    """Structure ``cls`` strictly, checking the ``type`` field if present (built on first use)."""
    name = cls.type
    inner = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)

    def structure_event(value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping):
            raise PolicyInputError(name, value, "an event (a JSON object)")
        data = dict(value)
        found = data.pop("type", name)
        if found != name:
            raise PolicyInputError("type", found, repr(name))
        return inner(data, cls)

    return structure_event


converter.register_unstructure_hook_factory(_is_event_class, _event_unstructure_hook)
converter.register_structure_hook_factory(_is_event_class, _event_structure_hook)
converter.register_unstructure_hook_factory(
    lambda t: t is ContainmentMeasure,
    lambda cls: make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True),
)


def _structure_any_event(value: Any, _: Any) -> Event:
    if not isinstance(value, Mapping):
        raise PolicyInputError("event", value, "an event (a JSON object with a 'type')")
    name = value.get("type")
    cls = EVENT_TYPES.get(name) if isinstance(name, str) else None
    if cls is None:
        raise PolicyInputError("type", name, f"one of {_TYPE_NAMES}")
    event: Event = converter.structure(value, cls)
    return event


converter.register_structure_hook(Event, _structure_any_event)
converter.register_unstructure_hook(Event, lambda e: converter.unstructure(e, type(e)))


def _permissive_policy() -> Policy:
    """A policy under which every log any policy accepts is accepted (for structuring).

    The lifecycle's only policy-dependent guards are the reopen window and materiality; an
    unbounded window and no material severities accept a superset of every policy's logs.
    """
    base = default_policy()
    return attrs.evolve(
        base,
        lifecycle=attrs.evolve(base.lifecycle, reopen_window=dt.timedelta.max),
        severity=attrs.evolve(base.severity, material=frozenset()),
    )


def _unstructure_incident(incident: Incident) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "events": [converter.unstructure(e) for e in incident.events],
    }


def _structure_incident(value: Any, _: Any) -> Incident:
    if not isinstance(value, Mapping):
        raise PolicyInputError("incident", value, "a JSON object with 'events'")
    if value.get("schema_version") != SCHEMA_VERSION:
        raise PolicyInputError(
            "schema_version", value.get("schema_version"), f"schema version {SCHEMA_VERSION}"
        )
    extra = sorted(set(value) - {"schema_version", "events"})
    if extra:
        raise PolicyInputError(extra[0], value[extra[0]], "only 'schema_version' and 'events'")
    events = converter.structure(value.get("events"), tuple[Event, ...])
    return replay(events, _permissive_policy())


converter.register_unstructure_hook(Incident, _unstructure_incident)
converter.register_structure_hook(Incident, _structure_incident)
