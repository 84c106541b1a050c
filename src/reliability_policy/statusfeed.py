"""The public status feed (SPEC section 6): what a public status page serves.

From incident logs and maintenance plans, :func:`status_summary` works out, as of ``now``,
the overall status, each component's status (the components, and which are core, come from
the policy's ``[status_page]``), the incidents with their public updates and the scheduled
maintenances. :func:`statuspage_json` writes it in the shape of the Atlassian Statuspage
public API (``/api/v2/summary.json`` and its siblings), the shape many status aggregators
and clients already read, and :func:`atom_feed` writes it as an Atom feed.

>>> import datetime as dt
>>> from reliability_policy import Severity
>>> from reliability_policy.lifecycle import Detected, NotificationSent, Triaged, replay
>>> t0 = dt.datetime(2026, 3, 8, 6, 10, tzinfo=dt.UTC)
>>> incident = replay([
...     Detected(id="e1", at=t0, incident_id="INC-1", title="Sign-in errors"),
...     Triaged(id="e2", at=t0 + dt.timedelta(minutes=8), severity=Severity.SEV_2,
...             tenants={"acme"}),
...     NotificationSent(id="e3", at=t0 + dt.timedelta(minutes=20), channel="status_page",
...                      kind="update", audience="status_page", components={"Sign-in"},
...                      text="Some customers cannot sign in; we are on it."),
... ])
>>> summary = status_summary([incident], now=t0 + dt.timedelta(minutes=30))
>>> summary.indicator.value, summary.description
('major', 'Partial System Outage')
>>> summary.component("Sign-in").status.value, summary.component("API").status.value
('partial_outage', 'operational')
>>> for update in summary.incidents[0].updates:
...     print(update.status.value, "|", update.body)
investigating | We are investigating this issue.
investigating | Some customers cannot sign in; we are on it.
>>> statuspage_json(summary)["status"]
{'indicator': 'major', 'description': 'Partial System Outage'}

Two things never reach the page:

* **A tenant's name.** A free text from a log (an incident's title, a public update's text)
  that names a tenant the library knows (the policy's tenants and notification list, every
  tenant an incident's scope ever held or a notice was addressed to, the plans' tenants) is
  left out whole, never half-redacted, and reported as a finding for a person to rewrite. A
  text *names* a tenant when the tenant's id appears in it as a word of its own, in any case
  (``"acme's export"`` names ``acme``; ``"acmeville"`` does not). Every id on the page is an
  opaque digest, so no internal id (which might embed a name) is shown either.
* **Anything of an incident that is or was on the DPA track.** Whether it is, is asked of
  :func:`~reliability_policy.security.ordinary_notice_flags`, the one place that decides
  whether an incident's ordinary notices may carry security details. Such an incident appears
  only as the policy's ``security_matter`` wording: as its name and its one update while it is
  open (then the ``resolved`` wording), with no title, no update text, no components and an
  impact of ``none``.

The mapping (see :data:`PUBLIC_STATUS`, :data:`IMPACT` and :data:`COMPONENT_STATUS`):

* phase: DETECTED, TRIAGED → ``investigating``; CONTAINED, ERADICATED → ``identified``;
  RECOVERED → ``monitoring``; RESOLVED, IN_REVIEW, CLOSED, DECLINED → ``resolved``;
* an incident's impact, from the highest severity it reached: SEV-1 → ``critical``, SEV-2 →
  ``major``, SEV-3 → ``minor``, not triaged yet → ``none``;
* a component an open incident affects (the components its public updates name, else every
  core component), while the incident is investigating or identified, by its current
  severity: SEV-1 → ``major_outage``, SEV-2 → ``partial_outage``, SEV-3 or not triaged yet →
  ``degraded_performance``; from RECOVERED on it is ``operational`` again;
* every core component is ``under_maintenance`` while a maintenance window is in progress;
  the worst status wins: ``major_outage`` > ``partial_outage`` > ``degraded_performance`` >
  ``under_maintenance`` > ``operational``.

An incident appears when it reached one of ``status_page.severities`` or a public update was
sent about it (a :class:`~reliability_policy.lifecycle.NotificationSent` whose audience is
``status_page``). A maintenance plan with a window appears from the moment its advance notice
is due (``maintenance.notice`` before its start).

.. versionadded:: 0.2.0
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import html
import types
import zoneinfo
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final
from urllib.parse import urlsplit

import attrs

from reliability_policy import _atom
from reliability_policy._validate import member
from reliability_policy.defaults import policy_or_default
from reliability_policy.errors import PolicyInputError, Problem
from reliability_policy.findings import Finding, FindingLevel
from reliability_policy.levels import Audience, Severity
from reliability_policy.lifecycle import Incident, NotificationSent, Phase, PhaseEntry
from reliability_policy.maintenance import MaintenancePlan, RollingPlan, WavePlan
from reliability_policy.policy import Policy, StatusPagePolicy, StatusWording
from reliability_policy.security import ordinary_notice_flags
from reliability_policy.timing import as_utc, format_instant, require_utc

__all__ = [
    "COMPONENT_STATUS",
    "IMPACT",
    "PUBLIC_STATUS",
    "RULE_DPA_WITHHELD",
    "RULE_TENANT_NAMED",
    "RULE_UNKNOWN_COMPONENT",
    "ComponentState",
    "ComponentStatus",
    "Endpoint",
    "IncidentStatus",
    "IncidentUpdate",
    "Indicator",
    "MaintenanceStatus",
    "MaintenanceUpdate",
    "PublicIncident",
    "PublicMaintenance",
    "StatusSummary",
    "atom_feed",
    "policy_problems",
    "status_summary",
    "statuspage_json",
]

# Finding rules: stable, reported in every finding.
RULE_TENANT_NAMED: Final = "public-text-names-tenant"
"""A title or a public update that names a tenant, left out of the feed."""
RULE_DPA_WITHHELD: Final = "public-text-withheld-dpa"
"""A public update of an incident that is or was on the DPA track, left out (the page shows
only the policy's wording)."""
RULE_UNKNOWN_COMPONENT: Final = "unknown-status-component"
"""A public update that names a component ``[status_page.components]`` does not list."""


# --- vocabularies (the Statuspage API's words) ------------------------------------------------


class ComponentStatus(enum.Enum):
    """A component's status, from the best to the worst (members compare in this order).

    .. versionadded:: 0.2.0
    """

    OPERATIONAL = "operational"
    UNDER_MAINTENANCE = "under_maintenance"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"

    @property
    def rank(self) -> int:
        """0 for ``operational`` up to 4 for ``major_outage``."""
        return _COMPONENT_RANK[self]


class IncidentStatus(enum.Enum):
    """An incident's public status.

    .. versionadded:: 0.2.0
    """

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"


class MaintenanceStatus(enum.Enum):
    """A scheduled maintenance's public status.

    .. versionadded:: 0.2.0
    """

    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class Indicator(enum.Enum):
    """An incident's impact, and the page's overall indicator: ``none`` to ``critical``.

    .. versionadded:: 0.2.0
    """

    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for ``none`` up to 3 for ``critical``."""
        return _INDICATOR_RANK[self]


class Endpoint(enum.Enum):
    """A document of the Statuspage public API, named by its path under ``/api/v2/``.

    ``summary`` has everything (the unresolved incidents and the upcoming or in-progress
    maintenances); ``status`` the indicator alone; ``components``; ``incidents`` every incident
    on the page and ``incidents/unresolved`` the open ones; ``scheduled-maintenances`` every
    maintenance, ``.../upcoming`` the scheduled ones and ``.../active`` those in progress.

    .. versionadded:: 0.2.0
    """

    SUMMARY = "summary"
    STATUS = "status"
    COMPONENTS = "components"
    INCIDENTS = "incidents"
    UNRESOLVED = "incidents/unresolved"
    MAINTENANCES = "scheduled-maintenances"
    UPCOMING = "scheduled-maintenances/upcoming"
    ACTIVE = "scheduled-maintenances/active"


_COMPONENT_RANK: Final = {status: rank for rank, status in enumerate(ComponentStatus)}
_INDICATOR_RANK: Final = {indicator: rank for rank, indicator in enumerate(Indicator)}

PUBLIC_STATUS: Final[Mapping[Phase, IncidentStatus]] = types.MappingProxyType(
    {
        Phase.DETECTED: IncidentStatus.INVESTIGATING,
        Phase.TRIAGED: IncidentStatus.INVESTIGATING,
        Phase.CONTAINED: IncidentStatus.IDENTIFIED,
        Phase.ERADICATED: IncidentStatus.IDENTIFIED,
        Phase.RECOVERED: IncidentStatus.MONITORING,
        Phase.RESOLVED: IncidentStatus.RESOLVED,
        Phase.IN_REVIEW: IncidentStatus.RESOLVED,
        Phase.CLOSED: IncidentStatus.RESOLVED,
        Phase.DECLINED: IncidentStatus.RESOLVED,
    }
)
"""The public status of each lifecycle phase."""

IMPACT: Final[Mapping[Severity, Indicator]] = types.MappingProxyType(
    {
        Severity.SEV_1: Indicator.CRITICAL,
        Severity.SEV_2: Indicator.MAJOR,
        Severity.SEV_3: Indicator.MINOR,
    }
)
"""An incident's impact from the highest severity it reached (``none`` before triage)."""

COMPONENT_STATUS: Final[Mapping[Severity, ComponentStatus]] = types.MappingProxyType(
    {
        Severity.SEV_1: ComponentStatus.MAJOR_OUTAGE,
        Severity.SEV_2: ComponentStatus.PARTIAL_OUTAGE,
        Severity.SEV_3: ComponentStatus.DEGRADED_PERFORMANCE,
    }
)
"""The status of a component an open incident affects, by the incident's current severity
(``degraded_performance`` before triage)."""

_OUTAGE_PHASES: Final = frozenset(
    {Phase.DETECTED, Phase.TRIAGED, Phase.CONTAINED, Phase.ERADICATED}
)
_COMPONENT_INDICATOR: Final = {
    ComponentStatus.OPERATIONAL: Indicator.NONE,
    ComponentStatus.UNDER_MAINTENANCE: Indicator.NONE,
    ComponentStatus.DEGRADED_PERFORMANCE: Indicator.MINOR,
    ComponentStatus.PARTIAL_OUTAGE: Indicator.MINOR,
    ComponentStatus.MAJOR_OUTAGE: Indicator.MAJOR,
}
_DESCRIPTIONS: Final = {
    Indicator.NONE: "All Systems Operational",
    Indicator.MINOR: "Minor Service Outage",
    Indicator.MAJOR: "Partial System Outage",
    Indicator.CRITICAL: "Major System Outage",
}
_RAISING: Final = frozenset({IncidentStatus.INVESTIGATING, IncidentStatus.IDENTIFIED})
"""Incidents in these statuses raise the overall indicator (a restored service does not)."""
_UNDER_MAINTENANCE: Final = "Service Under Maintenance"
_MAINTENANCE_IMPACT: Final = "maintenance"
_DIGEST_CHARS: Final = 12
_URN: Final = "urn:reliability-policy:status-page:"


# --- the values -------------------------------------------------------------------------------


@attrs.frozen
class ComponentState:
    """A component of the page and its status as of the summary's ``as_of``.

    Attributes:
        id: Its public id (an opaque digest of its name).
        name: Its name, from ``[[status_page.components]]``.
        description: Its description (may be empty).
        core: Whether it is core functionality.
        position: Its place on the page, from 1.
        status: Its status.
        since: When this status began (for ``operational``: when the last incident or
            maintenance that touched it ended); ``None`` when nothing in the feed touched it.

    .. versionadded:: 0.2.0
    """

    id: str
    name: str
    description: str
    core: bool
    position: int
    status: ComponentStatus
    since: dt.datetime | None


@attrs.frozen
class IncidentUpdate:
    """One update of an incident on the page: a public update, or the policy's wording for a
    status change.

    .. versionadded:: 0.2.0
    """

    id: str
    at: dt.datetime
    status: IncidentStatus
    body: str


@attrs.frozen
class PublicIncident:
    """An incident as the page shows it.

    Attributes:
        id: Its public id (an opaque digest of the incident id).
        incident_id: The incident's own id, for the operator; never published.
        name: Its title, the policy's ``incident_name`` (no title, or one that names a
            tenant), or for a DPA-track incident the ``security_matter`` wording.
        status: Its public status.
        impact: From the highest severity it reached (``none`` on the DPA track).
        started_at: When it was detected: its first update.
        updated_at: Its latest update.
        monitoring_at: When it last entered ``monitoring``, if it did.
        resolved_at: When it was resolved, while it is.
        updates: Its updates, oldest first.
        components: The ids of the components it affects, in page order.
        security_matter: Whether it is shown only as the policy's wording (it is or was on
            the DPA track).

    .. versionadded:: 0.2.0
    """

    id: str
    incident_id: str
    name: str
    status: IncidentStatus
    impact: Indicator
    started_at: dt.datetime
    updated_at: dt.datetime
    monitoring_at: dt.datetime | None
    resolved_at: dt.datetime | None
    updates: tuple[IncidentUpdate, ...]
    components: tuple[str, ...]
    security_matter: bool


@attrs.frozen
class MaintenanceUpdate:
    """One update of a scheduled maintenance: the policy's wording for its status.

    .. versionadded:: 0.2.0
    """

    id: str
    at: dt.datetime
    status: MaintenanceStatus
    body: str


@attrs.frozen
class PublicMaintenance:
    """A maintenance window as the page shows it.

    Attributes:
        id: Its public id (an opaque digest of the change id and the start).
        change_id: The change's id, for the operator; never published.
        name: The policy's ``maintenance_name``.
        status: Scheduled, in progress or completed.
        announced_at: When the page first shows it: its advance notice is due.
        updated_at: Its latest update.
        scheduled_for: The window's start.
        scheduled_until: The window's end.
        updates: Its updates, oldest first.
        components: The ids of the components it affects (the core ones), in page order.

    .. versionadded:: 0.2.0
    """

    id: str
    change_id: str
    name: str
    status: MaintenanceStatus
    announced_at: dt.datetime
    updated_at: dt.datetime
    scheduled_for: dt.datetime
    scheduled_until: dt.datetime
    updates: tuple[MaintenanceUpdate, ...]
    components: tuple[str, ...]


@attrs.frozen
class StatusSummary:
    """Everything the public status page shows as of ``as_of``, plus what a person must fix.

    Publish only what :func:`statuspage_json` and :func:`atom_feed` write: the summary also
    carries the internal ids (``incident_id``, ``change_id``) and the ``findings``.

    Attributes:
        as_of: The ``now`` it was computed for.
        page_id: The page's public id (a digest of its name).
        name: The page's name.
        url: The page's address (empty while it is not published).
        time_zone: The zone the page shows times in (the policy's calendar zone).
        updated_at: The latest change on the page (``as_of`` when nothing ever changed).
        indicator: The overall indicator: the worst impact of an incident still
            investigating or identified, and of the components' statuses (``major_outage``
            → ``major``; ``partial_outage``, ``degraded_performance`` → ``minor``).
        description: The indicator in words (``"All Systems Operational"``...).
        components: Every component, in page order.
        incidents: The incidents on the page, newest first.
        maintenances: The maintenances on the page, by start.
        findings: Texts left out of the feed, and unknown components named by updates.

    .. versionadded:: 0.2.0
    """

    as_of: dt.datetime
    page_id: str
    name: str
    url: str
    time_zone: str
    updated_at: dt.datetime
    indicator: Indicator
    description: str
    components: tuple[ComponentState, ...]
    incidents: tuple[PublicIncident, ...]
    maintenances: tuple[PublicMaintenance, ...]
    findings: tuple[Finding, ...] = ()

    def component(self, name: str) -> ComponentState | None:
        """The component named ``name`` (in any case), or ``None``."""
        wanted = name.casefold()
        for state in self.components:
            if state.name.casefold() == wanted:
                return state
        return None

    @property
    def unresolved(self) -> tuple[PublicIncident, ...]:
        """The incidents that are not resolved."""
        return tuple(i for i in self.incidents if i.status is not IncidentStatus.RESOLVED)


# --- helpers ----------------------------------------------------------------------------------


def _digest(*parts: str) -> str:
    """An opaque public id: the first hex digits of a SHA-256 of ``parts``."""
    joined = "\x1f".join(parts).encode("utf-8")
    return hashlib.sha256(joined).hexdigest()[:_DIGEST_CHARS]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _folded(tenants: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """Each tenant id beside its case-folded form, in sorted order (empty ids left out)."""
    return tuple((tenant, tenant.casefold()) for tenant in sorted(tenants) if tenant)


def _named_tenant(text: str, tenants: Iterable[tuple[str, str]]) -> str | None:
    """The first of ``tenants`` (see :func:`_folded`) that ``text`` names, or ``None``.

    A text names a tenant when the tenant's id appears in it as a word of its own, compared
    without case: not next to a letter, a digit or ``_``.
    """
    folded = text.casefold()
    for tenant, wanted in tenants:
        start = folded.find(wanted)
        while start >= 0:
            end = start + len(wanted)
            before = folded[start - 1] if start else ""
            after = folded[end] if end < len(folded) else ""
            if not (before and _is_word(before)) and not (after and _is_word(after)):
                return tenant
            start = folded.find(wanted, start + 1)
    return None


def _bodies(wording: StatusWording) -> dict[IncidentStatus, str]:
    return {
        IncidentStatus.INVESTIGATING: wording.investigating,
        IncidentStatus.IDENTIFIED: wording.identified,
        IncidentStatus.MONITORING: wording.monitoring,
        IncidentStatus.RESOLVED: wording.resolved,
    }


@attrs.frozen
class _Effect:
    """A span during which an incident or a maintenance sets a component's status."""

    start: dt.datetime
    end: dt.datetime | None
    status: ComponentStatus

    def active(self, now: dt.datetime) -> bool:
        return self.start <= now and (self.end is None or now < self.end)


@attrs.define
class _Page:
    """What :func:`status_summary` gathers while it reads the incidents and plans."""

    policy: Policy
    section: StatusPagePolicy
    now: dt.datetime
    tenants: tuple[tuple[str, str], ...]  # (id, case-folded id), sorted
    component_ids: dict[str, str]  # folded name -> id
    core_ids: tuple[str, ...]
    effects: dict[str, list[_Effect]] = attrs.Factory(dict)
    findings: list[Finding] = attrs.Factory(list)

    def affect(self, component_ids: Iterable[str], effect: _Effect) -> None:
        for component_id in component_ids:
            self.effects.setdefault(component_id, []).append(effect)

    def checked(self, text: str, what: str) -> str | None:
        """``text`` if it names no tenant; otherwise a finding, and ``None``."""
        tenant = _named_tenant(text, self.tenants)
        if tenant is None:
            return text
        self.findings.append(
            Finding(
                RULE_TENANT_NAMED,
                tenant,
                f"{what} names tenant {tenant}: the status page never names a tenant, so it "
                "is left out of the feed; rewrite it without the name",
            )
        )
        return None


def _known_tenants(
    policy: Policy, incidents: Sequence[Incident], plans: Sequence[MaintenancePlan | RollingPlan]
) -> frozenset[str]:
    found: set[str] = {t.id for t in policy.tenants}
    found |= policy.notifications.notification_list
    for incident in incidents:
        found |= incident.tenants_ever_affected
        for notice in incident.notifications:
            found |= notice.tenants
    for plan in plans:
        found.update(plan.tenants)
    return frozenset(found)


# --- incidents --------------------------------------------------------------------------------


def _transitions(
    entries: Sequence[PhaseEntry], withheld: bool
) -> list[tuple[dt.datetime, IncidentStatus, str]]:
    """Each change of the public status: when, to what, and the event that made it."""
    found: list[tuple[dt.datetime, IncidentStatus, str]] = []
    for entry in entries:
        status = PUBLIC_STATUS[entry.phase]
        if withheld and status is not IncidentStatus.RESOLVED:
            status = IncidentStatus.INVESTIGATING
        if not found or found[-1][1] is not status:
            found.append((entry.at, status, entry.event_id))
    return found


def _outage_spans(entries: Sequence[PhaseEntry]) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """The spans the incident spent investigating or identified (the last may be open)."""
    spans: list[tuple[dt.datetime, dt.datetime | None]] = []
    start: dt.datetime | None = None
    for entry in entries:
        if entry.phase in _OUTAGE_PHASES:
            if start is None:
                start = entry.at
        elif start is not None:
            spans.append((start, entry.at))
            start = None
    if start is not None:
        spans.append((start, None))
    return spans


def _named_components(
    page: _Page, incident: Incident, notices: Sequence[NotificationSent]
) -> set[str]:
    named: set[str] = set()
    for notice in notices:
        for name in sorted(notice.components):
            component_id = page.component_ids.get(name.casefold())
            if component_id is None:
                page.findings.append(
                    Finding(
                        RULE_UNKNOWN_COMPONENT,
                        None,
                        f"public update {notice.id} of incident {incident.id} names component "
                        f"{name!r}, which [status_page.components] does not list; ignored",
                        FindingLevel.WARNING,
                    )
                )
            else:
                named.add(component_id)
    return named


def _public_incident(page: _Page, incident: Incident) -> PublicIncident | None:
    now, section = page.now, page.section
    entries = [entry for entry in incident.phase_history if entry.at <= now]
    if not entries:
        return None  # detected after now
    changes = [change for change in incident.severity_history if change.at <= now]
    severity = changes[-1].severity if changes else None
    highest = max((change.severity for change in changes), default=None)
    notices = [
        notice
        for notice in incident.notifications
        if notice.at <= now and notice.audience is Audience.STATUS_PAGE
    ]
    if not notices and (highest is None or highest not in section.severities):
        return None
    withheld = not ordinary_notice_flags(incident, page.policy, now=now).security_details
    transitions = _transitions(entries, withheld)
    bodies = _bodies(section.wording)
    if withheld:
        bodies[IncidentStatus.INVESTIGATING] = section.security_matter
    timeline: list[tuple[dt.datetime, int, IncidentUpdate]] = [
        (at, 0, IncidentUpdate(_digest("update", incident.id, event), at, status, bodies[status]))
        for at, status, event in transitions
    ]
    for order, notice in enumerate(notices, start=1):
        if not notice.text.strip():
            continue
        if withheld:
            page.findings.append(
                Finding(
                    RULE_DPA_WITHHELD,
                    None,
                    f"public update {notice.id} of incident {incident.id} is left out: the "
                    "incident is (or was) on the DPA track, and the page shows only the "
                    "policy's security_matter wording",
                    FindingLevel.WARNING,
                )
            )
            continue
        text = page.checked(notice.text, f"public update {notice.id} of incident {incident.id}")
        if text is None:
            continue
        status = next(s for at, s, _ in reversed(transitions) if at <= notice.at)
        update = IncidentUpdate(_digest("update", incident.id, notice.id), notice.at, status, text)
        timeline.append((notice.at, order, update))
    timeline.sort(key=lambda item: (item[0], item[1]))
    updates = tuple(update for _, _, update in timeline)
    status = transitions[-1][1]
    components: tuple[str, ...] = ()
    if withheld:
        name, impact = section.security_matter, Indicator.NONE
    else:
        title = incident.title.strip()
        checked = page.checked(title, f"the title of incident {incident.id}") if title else None
        name = checked or section.incident_name
        named = _named_components(page, incident, notices)
        components = tuple(c for c in page.component_ids.values() if c in named) or page.core_ids
        impact = Indicator.NONE if highest is None else IMPACT[highest]
        current = (
            ComponentStatus.DEGRADED_PERFORMANCE if severity is None else COMPONENT_STATUS[severity]
        )
        for start, end in _outage_spans(entries):
            page.affect(components, _Effect(start, end, current))
    monitoring = [at for at, s, _ in transitions if s is IncidentStatus.MONITORING]
    return PublicIncident(
        id=_digest("incident", incident.id),
        incident_id=incident.id,
        name=name,
        status=status,
        impact=impact,
        started_at=updates[0].at,
        updated_at=updates[-1].at,
        monitoring_at=monitoring[-1] if monitoring else None,
        resolved_at=transitions[-1][0] if status is IncidentStatus.RESOLVED else None,
        updates=updates,
        components=components,
        security_matter=withheld,
    )


# --- maintenances -----------------------------------------------------------------------------


def _flat_plans(
    plans: Iterable[MaintenancePlan | RollingPlan | WavePlan],
) -> list[tuple[str, MaintenancePlan | RollingPlan]]:
    """Each plan, a wave plan's waves one by one, beside the field that names it."""
    if isinstance(plans, Policy):
        expected = "maintenance plans; pass the policy as policy=... (the third argument)"
        raise PolicyInputError("plans", plans, expected)
    if isinstance(plans, (str, bytes)) or not isinstance(plans, Iterable):
        expected = "maintenance plans (MaintenancePlan, RollingPlan or WavePlan)"
        raise PolicyInputError("plans", plans, expected)
    flat: list[tuple[str, MaintenancePlan | RollingPlan]] = []
    for index, plan in enumerate(plans):
        if isinstance(plan, WavePlan):
            flat.extend((f"plans[{index}].waves[{n}]", wave) for n, wave in enumerate(plan.waves))
        elif isinstance(plan, (MaintenancePlan, RollingPlan)):
            flat.append((f"plans[{index}]", plan))
        else:
            expected = "a MaintenancePlan, RollingPlan or WavePlan"
            raise PolicyInputError(f"plans[{index}]", plan, expected)
    return flat


def _public_maintenance(
    page: _Page, plan: MaintenancePlan | RollingPlan
) -> PublicMaintenance | None:
    if isinstance(plan, RollingPlan):
        return None  # no window: a rolling change the page does not show
    start, end = as_utc(plan.start), as_utc(plan.end)
    announced = start - page.policy.maintenance.notice
    now, wording = page.now, page.section.wording
    if now < announced:
        return None
    maintenance_id = _digest("maintenance", plan.change_id, format_instant(start))
    steps = [(announced, MaintenanceStatus.SCHEDULED, wording.scheduled)]
    if now >= start:
        steps.append((start, MaintenanceStatus.IN_PROGRESS, wording.in_progress))
    if now >= end:
        steps.append((end, MaintenanceStatus.COMPLETED, wording.completed))
    updates = tuple(
        MaintenanceUpdate(_digest("update", maintenance_id, status.value), at, status, body)
        for at, status, body in steps
    )
    page.affect(page.core_ids, _Effect(start, end, ComponentStatus.UNDER_MAINTENANCE))
    return PublicMaintenance(
        id=maintenance_id,
        change_id=plan.change_id,
        name=page.section.maintenance_name,
        status=updates[-1].status,
        announced_at=announced,
        updated_at=updates[-1].at,
        scheduled_for=start,
        scheduled_until=end,
        updates=updates,
        components=page.core_ids,
    )


# --- the summary ------------------------------------------------------------------------------


def _component_states(page: _Page) -> tuple[ComponentState, ...]:
    states: list[ComponentState] = []
    for position, component in enumerate(page.section.components, start=1):
        component_id = page.component_ids[component.name.casefold()]
        effects = page.effects.get(component_id, [])
        active = [effect for effect in effects if effect.active(page.now)]
        if active:
            status = max((effect.status for effect in active), key=lambda s: s.rank)
            since: dt.datetime | None = min(e.start for e in active if e.status is status)
        else:
            status = ComponentStatus.OPERATIONAL
            ended = [e.end for e in effects if e.end is not None and e.end <= page.now]
            since = max(ended, default=None)
        states.append(
            ComponentState(
                id=component_id,
                name=component.name,
                description=component.description,
                core=component.core,
                position=position,
                status=status,
                since=since,
            )
        )
    return tuple(states)


def status_summary(
    incidents: Iterable[Incident],
    plans: Iterable[MaintenancePlan | RollingPlan | WavePlan] = (),
    policy: Policy | None = None,
    *,
    now: dt.datetime,
) -> StatusSummary:
    """What the public status page shows as of ``now``, from incidents and maintenance plans.

    Events and windows later than ``now`` are not known yet. See the module's documentation
    for what appears, the mapping of phases and severities, and the two things that never
    reach the page (a tenant's name, anything of a DPA-track incident).

    Args:
        incidents: The incidents (each replayed from its log), each given once.
        plans: Maintenance plans or wave plans; only plans with a window are shown.
        policy: The policy (``[status_page]``, the tenants, the maintenance notice); ``None``
            means the default policy.
        now: The instant to show the page for (timezone-aware).

    Returns:
        The :class:`StatusSummary`, with the findings a person must act on.

    Raises:
        PolicyInputError: ``now`` is naive, an item is not an Incident (or a plan), or an
            incident (or a plan's window) is given twice.

    .. versionadded:: 0.2.0
    """
    now = require_utc(now, "now")
    policy = policy_or_default(policy)
    if isinstance(incidents, (str, bytes)) or not isinstance(incidents, Iterable):
        raise PolicyInputError("incidents", incidents, "lifecycle Incidents")
    given = list(incidents)
    seen: set[str] = set()
    for index, incident in enumerate(given):
        if not isinstance(incident, Incident):
            raise PolicyInputError(f"incidents[{index}]", incident, "a lifecycle Incident")
        if incident.id in seen:
            raise PolicyInputError(
                f"incidents[{index}]", incident.id, "each incident once (one log per incident)"
            )
        seen.add(incident.id)
    flat = _flat_plans(plans)
    section = policy.status_page
    component_ids = {
        c.name.casefold(): _digest("component", c.name.casefold()) for c in section.components
    }
    page = _Page(
        policy=policy,
        section=section,
        now=now,
        tenants=_folded(_known_tenants(policy, given, [plan for _, plan in flat])),
        component_ids=component_ids,
        core_ids=tuple(component_ids[c.name.casefold()] for c in section.components if c.core),
    )
    shown = [found for i in given if (found := _public_incident(page, i)) is not None]
    shown.sort(key=lambda i: (i.started_at, i.id), reverse=True)
    windows: dict[str, PublicMaintenance] = {}
    for field, plan in flat:
        maintenance = _public_maintenance(page, plan)
        if maintenance is None:
            continue
        if maintenance.id in windows:
            raise PolicyInputError(field, plan.change_id, "each maintenance window once")
        windows[maintenance.id] = maintenance
    maintenances = sorted(windows.values(), key=lambda m: (m.scheduled_for, m.id))
    components = _component_states(page)
    levels = [i.impact for i in shown if i.status in _RAISING]
    levels += [_COMPONENT_INDICATOR[c.status] for c in components]
    indicator = max(levels, key=lambda level: level.rank, default=Indicator.NONE)
    description = _DESCRIPTIONS[indicator]
    if indicator is Indicator.NONE and any(
        c.status is ComponentStatus.UNDER_MAINTENANCE for c in components
    ):
        description = _UNDER_MAINTENANCE
    changes = [i.updated_at for i in shown] + [m.updated_at for m in maintenances]
    changes += [c.since for c in components if c.since is not None]
    return StatusSummary(
        as_of=now,
        page_id=_digest("page", section.name),
        name=section.name,
        url=section.url,
        time_zone=policy.calendar.time_zone,
        updated_at=max(changes, default=now),
        indicator=indicator,
        description=description,
        components=components,
        incidents=tuple(shown),
        maintenances=tuple(maintenances),
        findings=tuple(page.findings),
    )


# --- the Statuspage public API ----------------------------------------------------------------


def _shortlink(summary: StatusSummary, public_id: str) -> str:
    return f"{summary.url.rstrip('/')}/incidents/{public_id}" if summary.url else ""


def _component_json(summary: StatusSummary, state: ComponentState) -> dict[str, Any]:
    stamp = format_instant(state.since or summary.updated_at)
    return {
        "id": state.id,
        "name": state.name,
        "status": state.status.value,
        "created_at": stamp,
        "updated_at": stamp,
        "position": state.position,
        "description": state.description or None,
        "showcase": False,
        "start_date": None,
        "group_id": None,
        "page_id": summary.page_id,
        "group": False,
        "only_show_if_degraded": False,
    }


def _update_json(parent: str, update: IncidentUpdate | MaintenanceUpdate) -> dict[str, Any]:
    stamp = format_instant(update.at)
    return {
        "id": update.id,
        "status": update.status.value,
        "body": update.body,
        "incident_id": parent,
        "created_at": stamp,
        "updated_at": stamp,
        "display_at": stamp,
        "affected_components": None,
        "deliver_notifications": True,
        "custom_tweet": None,
        "tweet_id": None,
    }


def _optional_instant(value: dt.datetime | None) -> str | None:
    return None if value is None else format_instant(value)


def _incident_json(summary: StatusSummary, incident: PublicIncident) -> dict[str, Any]:
    by_id = {state.id: state for state in summary.components}
    return {
        "id": incident.id,
        "name": incident.name,
        "status": incident.status.value,
        "created_at": format_instant(incident.started_at),
        "updated_at": format_instant(incident.updated_at),
        "monitoring_at": _optional_instant(incident.monitoring_at),
        "resolved_at": _optional_instant(incident.resolved_at),
        "impact": incident.impact.value,
        "shortlink": _shortlink(summary, incident.id),
        "started_at": format_instant(incident.started_at),
        "page_id": summary.page_id,
        "incident_updates": [_update_json(incident.id, u) for u in reversed(incident.updates)],
        "components": [_component_json(summary, by_id[c]) for c in incident.components],
    }


def _maintenance_json(summary: StatusSummary, maintenance: PublicMaintenance) -> dict[str, Any]:
    by_id = {state.id: state for state in summary.components}
    completed = maintenance.status is MaintenanceStatus.COMPLETED
    updates = reversed(maintenance.updates)
    return {
        "id": maintenance.id,
        "name": maintenance.name,
        "status": maintenance.status.value,
        "created_at": format_instant(maintenance.announced_at),
        "updated_at": format_instant(maintenance.updated_at),
        "monitoring_at": None,
        "resolved_at": format_instant(maintenance.scheduled_until) if completed else None,
        "impact": _MAINTENANCE_IMPACT,
        "shortlink": _shortlink(summary, maintenance.id),
        "started_at": format_instant(maintenance.scheduled_for),
        "page_id": summary.page_id,
        "incident_updates": [_update_json(maintenance.id, u) for u in updates],
        "components": [_component_json(summary, by_id[c]) for c in maintenance.components],
        "scheduled_for": format_instant(maintenance.scheduled_for),
        "scheduled_until": format_instant(maintenance.scheduled_until),
    }


def statuspage_json(
    summary: StatusSummary, endpoint: Endpoint | str = Endpoint.SUMMARY
) -> dict[str, Any]:
    """The summary as a document of the Statuspage public API (JSON-ready data).

    Instants are ISO 8601 in UTC; lists are ordered as Statuspage orders them (incidents and
    updates newest first, maintenances by start).

    >>> import datetime as dt
    >>> summary = status_summary([], now=dt.datetime(2026, 3, 8, tzinfo=dt.UTC))
    >>> sorted(statuspage_json(summary))
    ['components', 'incidents', 'page', 'scheduled_maintenances', 'status']
    >>> statuspage_json(summary, "status")["status"]["description"]
    'All Systems Operational'

    Args:
        summary: From :func:`status_summary`.
        endpoint: Which document (an :class:`Endpoint` or its path, ``"incidents"``).

    Raises:
        PolicyInputError: ``summary`` is not a StatusSummary, or the endpoint is unknown.

    .. versionadded:: 0.2.0
    """
    if not isinstance(summary, StatusSummary):
        raise PolicyInputError("summary", summary, "a StatusSummary (from status_summary())")
    chosen = member(Endpoint, endpoint, "endpoint")
    document: dict[str, Any] = {
        "page": {
            "id": summary.page_id,
            "name": summary.name,
            "url": summary.url,
            "time_zone": summary.time_zone,
            "updated_at": format_instant(summary.updated_at),
        }
    }
    components = [_component_json(summary, state) for state in summary.components]
    status = {"indicator": summary.indicator.value, "description": summary.description}
    every = summary.maintenances
    upcoming = [m for m in every if m.status is MaintenanceStatus.SCHEDULED]
    active = [m for m in every if m.status is MaintenanceStatus.IN_PROGRESS]
    if chosen is Endpoint.SUMMARY:
        document["components"] = components
        document["incidents"] = [_incident_json(summary, i) for i in summary.unresolved]
        document["scheduled_maintenances"] = [
            _maintenance_json(summary, m) for m in [*active, *upcoming]
        ]
        document["status"] = status
    elif chosen is Endpoint.STATUS:
        document["status"] = status
    elif chosen is Endpoint.COMPONENTS:
        document["components"] = components
    elif chosen in (Endpoint.INCIDENTS, Endpoint.UNRESOLVED):
        chosen_incidents = summary.incidents if chosen is Endpoint.INCIDENTS else summary.unresolved
        document["incidents"] = [_incident_json(summary, i) for i in chosen_incidents]
    else:
        chosen_maintenances = {
            Endpoint.MAINTENANCES: list(every),
            Endpoint.UPCOMING: upcoming,
            Endpoint.ACTIVE: active,
        }[chosen]
        document["scheduled_maintenances"] = [
            _maintenance_json(summary, m) for m in chosen_maintenances
        ]
    return document


# --- Atom -------------------------------------------------------------------------------------


def _local(summary: StatusSummary, instant: dt.datetime) -> str:
    zone = zoneinfo.ZoneInfo(summary.time_zone)
    return instant.astimezone(zone).strftime("%b %d, %Y %H:%M %Z")


def _entry_html(
    summary: StatusSummary, updates: Sequence[IncidentUpdate | MaintenanceUpdate]
) -> str:
    parts = []
    for update in reversed(updates):
        label = update.status.value.replace("_", " ").capitalize()
        parts.append(
            f"<p><small>{html.escape(_local(summary, update.at))}</small><br>"
            f"<strong>{html.escape(label)}</strong> - {html.escape(update.body)}</p>"
        )
    return "".join(parts)


def atom_feed(summary: StatusSummary) -> str:
    """The summary as an Atom feed: one entry per incident and per maintenance on the page.

    Each entry holds the updates (newest first) as HTML, times in the page's zone; the
    newest-changed entry comes first. The feed's id is the page's ``url`` (or a URN made from
    the page id while there is none). Characters XML cannot carry (control characters) are
    left out. Written with feedgen (the ``feed`` extra).

    Raises:
        PolicyInputError: ``summary`` is not a StatusSummary.
        PolicyError: feedgen is not installed (the message says how to install it).

    .. versionadded:: 0.2.0
    """
    if not isinstance(summary, StatusSummary):
        raise PolicyInputError("summary", summary, "a StatusSummary (from status_summary())")
    base = summary.url.rstrip("/") if summary.url else f"{_URN}{summary.page_id}"
    separator = "/" if summary.url else ":"
    entries: list[_atom.AtomEntry] = []
    for incident in summary.incidents:
        entries.append(
            _atom.AtomEntry(
                id=f"{base}{separator}incidents{separator}{incident.id}",
                title=incident.name,
                published=incident.started_at,
                updated=incident.updated_at,
                content_html=_entry_html(summary, incident.updates),
                link=_shortlink(summary, incident.id),
            )
        )
    for maintenance in summary.maintenances:
        entries.append(
            _atom.AtomEntry(
                id=f"{base}{separator}maintenances{separator}{maintenance.id}",
                title=maintenance.name,
                published=maintenance.announced_at,
                updated=maintenance.updated_at,
                content_html=_entry_html(summary, maintenance.updates),
                link=_shortlink(summary, maintenance.id),
            )
        )
    entries.sort(key=lambda entry: (entry.updated, entry.id), reverse=True)
    feed = _atom.AtomFeed(
        id=base,
        title=f"{summary.name} status",
        subtitle=summary.description,
        updated=summary.updated_at,
        author=summary.name,
        entries=tuple(entries),
        link=summary.url,
    )
    return _atom.render(feed)


# --- the policy check -------------------------------------------------------------------------


def _is_web_address(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and url.strip() == url


def policy_problems(policy: Policy) -> Iterator[Problem]:
    """The checks of a policy's ``status_page`` section, run by the loader.

    Every text the page shows is non-empty, ``url`` is empty or an absolute http(s) address,
    and the components are listed once each (names compared without case) with at least one
    core component (an incident that names none affects the core ones).

    >>> from reliability_policy import default_policy
    >>> list(policy_problems(default_policy()))
    []

    .. versionadded:: 0.2.0
    """
    section = policy.status_page
    path = "$.status_page"
    texts = [(key, getattr(section, key)) for key in ("name", "incident_name")]
    texts += [("maintenance_name", section.maintenance_name)]
    texts += [("security_matter", section.security_matter)]
    texts += [
        (f"wording.{field.name}", getattr(section.wording, field.name))
        for field in attrs.fields(StatusWording)
    ]
    for key, text in texts:
        if not text.strip():
            yield Problem(f"{path}.{key}", "a non-empty text (the page shows it)", text)
    if section.url and not _is_web_address(section.url):
        expected = "an absolute http(s) address such as 'https://status.example.com', or empty"
        yield Problem(f"{path}.url", expected, section.url)
    if not section.components:
        yield Problem(f"{path}.components", "at least one component", [])
        return
    seen: set[str] = set()
    for index, component in enumerate(section.components):
        name = component.name
        if not name.strip():
            yield Problem(f"{path}.components[{index}].name", "a non-empty name", name)
        elif name.casefold() in seen:
            expected = "a component name listed once (names are compared without case)"
            yield Problem(f"{path}.components[{index}].name", expected, name)
        seen.add(name.casefold())
    if not any(component.core for component in section.components):
        expected = "at least one core component (an incident that names none affects them)"
        yield Problem(f"{path}.components", expected, [c.name for c in section.components])
