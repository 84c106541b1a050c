"""The policy model: plain, frozen data, one class per section of the policy document.

The model knows no concern's logic. Each concern (severity, lifecycle, notifications,
maintenance, security, continuity) receives the section it needs. The default numbers live only
in the bundled ``default_policy.toml``; this module declares shapes, never defaults for numbers.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping
from typing import Final, NewType

import attrs

from reliability_policy._validate import to_severity
from reliability_policy.errors import PolicyInputError
from reliability_policy.levels import Channel, Impact, Severity
from reliability_policy.timing import CalendarSpan, Weekday

__all__ = [
    "SCHEMA_VERSION",
    "BusinessCalendar",
    "Cadence",
    "Condition",
    "ContinuityPlan",
    "ContinuityPolicy",
    "DataStore",
    "Freeze",
    "LifecyclePolicy",
    "MaintenancePolicy",
    "NoticeContent",
    "NoticeTemplates",
    "NotificationPolicy",
    "Policy",
    "RRuleWindow",
    "Scenario",
    "SecurityPolicy",
    "SeverityPolicy",
    "SeverityRule",
    "StatusComponent",
    "StatusPagePolicy",
    "StatusWording",
    "Subprocessor",
    "Tenant",
    "TenantTerms",
    "TimeZoneName",
    "WeeklyWindow",
    "Window",
]

SCHEMA_VERSION: Final = 1
"""The version of the policy document format this library reads and writes."""

TimeZoneName = NewType("TimeZoneName", str)
"""An IANA time zone name such as ``"Europe/Berlin"``, checked when a document is loaded."""


# --- severity ---------------------------------------------------------------------------------


@attrs.frozen
class Condition:
    """A conjunction of facts about an impact assessment; unset facts match anything.

    Attributes:
        customer_visible: Match only assessments with this visibility.
        core: Match only assessments with this core/peripheral flag.
        impact_at_least: Match impact at or above this level.
        impact_at_most: Match impact at or below this level.
        share_at_least: Match when at least this percentage (0-100) of tenants is affected.
    """

    customer_visible: bool | None = None
    core: bool | None = None
    impact_at_least: Impact | None = None
    impact_at_most: Impact | None = None
    share_at_least: float | None = None


@attrs.frozen
class SeverityRule:
    """One classification rule: the first rule any of whose conditions holds decides.

    Attributes:
        name: A stable name, reported as the rule that fired (``"platform-outage"``).
        severity: The resulting severity, or ``None`` for "not an incident"
            (written ``"none"`` in documents).
        when: Alternatives: the rule fires when any condition holds. Empty means always.
        reason: An optional phrase explaining the rule to an operator.
    """

    name: str
    severity: Severity | None
    when: tuple[Condition, ...] = ()
    reason: str = ""


@attrs.frozen
class SeverityPolicy:
    """Severity classification rules (SPEC section 1).

    Attributes:
        rules: Ordered rules, first match wins.
        material: Severities that count as material (post-incident review, summaries).
    """

    rules: tuple[SeverityRule, ...]
    material: frozenset[Severity]


# --- notifications ----------------------------------------------------------------------------


@attrs.frozen
class Cadence:
    """The customer notification cadence for one severity (SPEC section 3).

    An unset field means "nothing owed" (SEV-3 owes nothing proactive by default).

    Attributes:
        first_notice: Elapsed time from scope confirmed to the first notice.
        update_interval: Elapsed time between ongoing updates while open.
        resolution_notice: Elapsed time from RESOLVED to the resolution notice.
        summary: Calendar span from RESOLVED to the post-resolution summary.
    """

    first_notice: dt.timedelta | None = None
    update_interval: dt.timedelta | None = None
    resolution_notice: dt.timedelta | None = None
    summary: CalendarSpan | None = None


@attrs.frozen
class NoticeContent:
    """The content items each kind of ordinary notice must carry (SPEC section 6).

    A notice sent for an obligation must list every item its kind requires in its ``content``
    (as a DPA notice lists its checklist items); one that lacks an item does not meet it.

    Attributes:
        first_notice: Items of the first notice (the bundled policy: scope and impact).
        update: Items of an ongoing update.
        resolution: Items of the resolution notice.
        summary: Items of the post-resolution summary (the bundled policy: what happened,
            the customer-visible impact and the corrective actions).

    .. versionadded:: 0.2.0
    """

    first_notice: tuple[str, ...] = ()
    update: tuple[str, ...] = ()
    resolution: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()

    def required(self, kind: str) -> tuple[str, ...]:
        """The items a notice of ``kind`` (``"first_notice"``, ...) must carry; none for others.

        >>> NoticeContent(first_notice=("scope", "impact")).required("first_notice")
        ('scope', 'impact')
        """
        if kind in _NOTICE_CONTENT_KINDS:
            items: tuple[str, ...] = getattr(self, kind)
            return items
        return ()


_NOTICE_CONTENT_KINDS: Final = ("first_notice", "update", "resolution", "summary")


@attrs.frozen
class NoticeTemplates:
    """One plain-text template per kind of ordinary notice, for drafting notices.

    Templates are configuration, not code: they are rendered in a sandbox, and may use only
    the slots :func:`~reliability_policy.notifications.draft_notice` documents. An empty
    template means none is configured for that kind.

    .. versionadded:: 0.2.0
    """

    first_notice: str = ""
    update: str = ""
    resolution: str = ""
    summary: str = ""

    def template(self, kind: str) -> str:
        """The template for ``kind`` (``"first_notice"``, ...); empty when there is none."""
        if kind in _NOTICE_CONTENT_KINDS:
            text: str = getattr(self, kind)
            return text
        return ""


@attrs.frozen
class NotificationPolicy:
    """Customer notification rules (SPEC section 3).

    Attributes:
        sev1: Cadence for SEV-1 (written ``SEV-1`` in documents); likewise ``sev2``, ``sev3``.
        required_channels: Channels a notice must use to count.
        best_effort_channels: Channels whose absence is a warning, not a breach.
        notification_list: Tenant ids on the incident notification list.
        notification_list_severities: Severities for which the list is notified.
        fallback: When a channel's subprocessor is down, the channel that then satisfies it.
            Not a setting of its own: the :class:`Policy` holding this section derives it
            from the subprocessor register (:attr:`ContinuityPolicy.channel_fallbacks`), so
            it is empty on a section built alone.
        content: The content items each notice kind must carry.
        templates: The templates notices are drafted from.

    .. versionchanged:: 0.2.0
       ``content`` and ``templates``. ``fallback`` is derived from
       ``[[continuity.subprocessors]]`` (a subprocessor that backs a channel and names its
       ``fallback_channel``); ``[notifications] fallback`` is no longer a key of the document.
    """

    sev1: Cadence
    sev2: Cadence
    sev3: Cadence
    required_channels: frozenset[Channel]
    best_effort_channels: frozenset[Channel]
    notification_list: frozenset[str]
    notification_list_severities: frozenset[Severity]
    content: NoticeContent = NoticeContent()
    templates: NoticeTemplates = NoticeTemplates()
    fallback: Mapping[Channel, Channel] = attrs.field(
        init=False, eq=False, default=types.MappingProxyType({})
    )

    def cadence(self, severity: Severity | str) -> Cadence:
        """The cadence for ``severity`` (a :class:`~reliability_policy.levels.Severity` or its
        name, ``"SEV-1"``).

        >>> from reliability_policy import default_policy
        >>> default_policy().notifications.cadence("SEV-2").update_interval
        datetime.timedelta(seconds=3600)
        """
        severity = to_severity(severity)
        if severity is Severity.SEV_1:
            return self.sev1
        if severity is Severity.SEV_2:
            return self.sev2
        return self.sev3


@attrs.frozen
class BusinessCalendar:
    """The business calendar used for business-day deadlines.

    Attributes:
        time_zone: The zone in which business days are counted.
        workdays: The working days of the week.
        holidays: Local dates that are not business days.
    """

    time_zone: TimeZoneName
    workdays: frozenset[Weekday]
    holidays: frozenset[dt.date]

    def after(self, instant: dt.datetime, span: CalendarSpan) -> dt.datetime:
        """The instant ``span`` after ``instant``, counted in this calendar."""
        return span.after(
            instant, zone=self.time_zone, workdays=self.workdays, holidays=self.holidays
        )


# --- maintenance ------------------------------------------------------------------------------


@attrs.frozen
class WeeklyWindow:
    """A weekly local wall-clock window: ``day`` from ``start`` to ``end``.

    When ``end`` is at or before ``start`` the window crosses midnight into the next day
    (``end = "00:00"`` means midnight). A window is the set of instants whose local wall time
    lies in [start, end), so DST gaps and repeats need no special case.
    """

    day: Weekday
    start: dt.time
    end: dt.time

    @property
    def crosses_midnight(self) -> bool:
        """Whether the window ends on the next day."""
        return self.end <= self.start

    @property
    def wall_length(self) -> dt.timedelta:
        """The window's length in wall-clock time (real time may differ across DST)."""
        start = dt.timedelta(hours=self.start.hour, minutes=self.start.minute)
        end = dt.timedelta(hours=self.end.hour, minutes=self.end.minute)
        if self.crosses_midnight:
            end += dt.timedelta(days=1)
        return end - start


@attrs.frozen
class RRuleWindow:
    """A window that starts at each local occurrence of an RFC 5545 RRULE and lasts ``duration``.

    The rule is read in the tenant's zone (for example
    ``"FREQ=WEEKLY;BYDAY=SA;BYHOUR=23;BYMINUTE=0"``); ``duration`` is wall-clock length.
    """

    rrule: str
    duration: dt.timedelta


Window = WeeklyWindow | RRuleWindow
"""A low-traffic window, weekly or RRULE-based."""


@attrs.frozen
class Freeze:
    """A period in which downtime maintenance is forbidden.

    ``start`` and ``end`` are instants, or local dates (inclusive, in each affected tenant's
    zone). An empty ``tenants`` means every tenant.
    """

    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    tenants: frozenset[str] = frozenset()
    reason: str = ""


@attrs.frozen
class MaintenancePolicy:
    """Maintenance-window rules (SPEC section 4).

    Attributes:
        notice: Minimum elapsed notice before a downtime window starts.
        reminder: Elapsed time before the start at which a reminder goes out.
        min_weekly: Minimum window time a tenant's windows must leave each week.
        min_block: Minimum length of a contiguous block counted toward ``min_weekly``.
        blocking_severities: Open incidents of these severities forbid downtime maintenance.
        windows: The default low-traffic windows, in each tenant's own zone.
        wave_time_limit: How long the wave planner's solver may search for the fewest waves;
            past it, the fewest found so far, marked not proven.
        channels: The channels every maintenance notice and reminder goes out on, each one
            required (the reliability page: "via email and in-app notice", no exception).
        freezes: Periods in which downtime maintenance is forbidden.
    """

    notice: dt.timedelta
    reminder: dt.timedelta
    min_weekly: dt.timedelta
    min_block: dt.timedelta
    blocking_severities: frozenset[Severity]
    windows: tuple[Window, ...]
    wave_time_limit: dt.timedelta
    channels: frozenset[Channel]
    freezes: tuple[Freeze, ...] = ()


# --- security, lifecycle ----------------------------------------------------------------------


@attrs.frozen
class SecurityPolicy:
    """Security incidents involving customer data: the DPA track (SPEC section 5).

    Attributes:
        notify_deadline: Elapsed time from awareness by which each affected customer is told.
        checklist: Items a DPA notice must carry (GDPR Art. 33(3)).
        forbidden_audiences: Audiences DPA content never reaches.
    """

    notify_deadline: dt.timedelta
    checklist: tuple[str, ...]
    forbidden_audiences: frozenset[str]


@attrs.frozen
class LifecyclePolicy:
    """Incident lifecycle settings (SPEC section 2).

    Attributes:
        reopen_window: A regression within this time of RESOLVED reopens the incident.
    """

    reopen_window: dt.timedelta


# --- continuity -------------------------------------------------------------------------------


@attrs.frozen
class DataStore:
    """A data store (or service class) with its recovery objectives (SPEC section 6).

    Attributes:
        name: A stable name (``"primary-database"``), used by evidence records.
        rpo: Recovery point objective: at most this much data (elapsed time) may be lost.
        rto: Recovery time objective: a restore takes at most this long (elapsed time).
        backup_interval: Elapsed time between backups; never longer than ``rpo``.
        restore_test_interval: How often a restore must be tested (a calendar span, counted
            in the policy's business calendar zone).

    .. versionadded:: 0.2.0
    """

    name: str
    rpo: dt.timedelta
    rto: dt.timedelta
    backup_interval: dt.timedelta
    restore_test_interval: CalendarSpan


@attrs.frozen
class Scenario:
    """A scenario of the business continuity plan.

    Attributes:
        id: A stable id (``"cloud-infrastructure-disruption"``), used by evidence records.
        title: How the scenario is named to customers.
        validation_interval: How often it must be exercised; ``None`` means the plan's.

    .. versionadded:: 0.2.0
    """

    id: str
    title: str
    validation_interval: CalendarSpan | None = None


@attrs.frozen
class ContinuityPlan:
    """The business continuity plan: its scenarios and its review cycle.

    Attributes:
        review_interval: How often the plan is reviewed.
        validation_interval: How often each scenario is exercised (unless it sets its own).
        scenarios: The scenarios the plan addresses.

    .. versionadded:: 0.2.0
    """

    review_interval: CalendarSpan
    validation_interval: CalendarSpan
    scenarios: tuple[Scenario, ...]


@attrs.frozen
class Subprocessor:
    """A third-party service the platform depends on, in the subprocessor register.

    Attributes:
        name: A stable name (``"email-provider"``), used by health events.
        backs: What it backs: capabilities such as ``"storage"`` or ``"identity"``, or
            notification channels (``"email"``, ``"in_app"``, ``"status_page"``).
        critical: Whether it is a critical subprocessor.
        customer_visible: Whether its loss would be customer-visible without a strategy.
        core: Whether what it backs is core functionality (for the impact assessment).
        impact: What customers experience while it is down, its strategy in place.
        strategy: Its documented fallback or degradation strategy (empty: none).
        fallback_channel: For a subprocessor that backs a notification channel, the channel
            that counts while it is down (the notification cadence reads this).

    .. versionadded:: 0.2.0
    """

    name: str
    backs: tuple[str, ...]
    critical: bool
    customer_visible: bool
    core: bool
    impact: Impact
    strategy: str = ""
    fallback_channel: Channel | None = None


_CHANNELS: Final = {channel.value: channel for channel in Channel}


@attrs.frozen
class ContinuityPolicy:
    """Business continuity: recovery objectives, the plan and the subprocessor register.

    Attributes:
        stores: The data stores with their recovery objectives.
        plan: The business continuity plan.
        subprocessors: The subprocessor register.

    .. versionadded:: 0.2.0
    """

    stores: tuple[DataStore, ...]
    plan: ContinuityPlan
    subprocessors: tuple[Subprocessor, ...]

    @property
    def channel_fallbacks(self) -> Mapping[Channel, Channel]:
        """Each notification channel that a registered subprocessor backs, mapped to the
        ``fallback_channel`` that subprocessor names (first entry wins; a channel that would
        fall back to itself is left out, and the loader reports both cases)."""
        found: dict[Channel, Channel] = {}
        for entry in self.subprocessors:
            if entry.fallback_channel is None:
                continue
            for capability in entry.backs:
                channel = _CHANNELS.get(capability)
                if channel is not None and channel is not entry.fallback_channel:
                    found.setdefault(channel, entry.fallback_channel)
        return types.MappingProxyType(found)


# --- the public status page -------------------------------------------------------------------


@attrs.frozen
class StatusComponent:
    """A component of the public status page (``[[status_page.components]]``).

    Attributes:
        name: How the page names it (``"Sign-in"``); listed once, compared without case.
            Public updates name the components they concern by this name.
        core: Whether it is core functionality. An incident or a maintenance that names no
            component affects every core component.
        description: One line the page shows with it (may be empty).

    .. versionadded:: 0.2.0
    """

    name: str
    core: bool
    description: str = ""


@attrs.frozen
class StatusWording:
    """What the page says when a status changes and no person wrote the update.

    One phrase for each public incident status (``investigating``, ``identified``,
    ``monitoring``, ``resolved``) and each maintenance status (``scheduled``, ``in_progress``,
    ``completed``).

    .. versionadded:: 0.2.0
    """

    investigating: str
    identified: str
    monitoring: str
    resolved: str
    scheduled: str
    in_progress: str
    completed: str


@attrs.frozen
class StatusPagePolicy:
    """The public status page (SPEC section 6): its components and what it may say.

    Attributes:
        name: The page's name (``"CustomerNode"``).
        url: The page's public address, or empty while the page is not published.
        severities: Incidents that reach one of these severities appear on the page; an
            incident with a public update appears whatever its severity.
        incident_name: The name an incident is shown under when its title is empty or names
            a tenant.
        maintenance_name: The name every scheduled maintenance is shown under.
        security_matter: All the page ever says of an incident that is or was on the DPA
            track: its name and its only update.
        wording: The updates the page writes on a status change.
        components: The page's components, in the order shown.

    .. versionadded:: 0.2.0
    """

    name: str
    url: str
    severities: frozenset[Severity]
    incident_name: str
    maintenance_name: str
    security_matter: str
    wording: StatusWording
    components: tuple[StatusComponent, ...]


# --- tenants ----------------------------------------------------------------------------------


@attrs.frozen
class Tenant:
    """A tenant's own terms (an enterprise agreement). Unset fields take the policy's.

    Overrides may only tighten a customer-facing commitment: more notice, for one. Checked when
    the document is loaded. ``dpa_deadline`` is the DPA term as the contract states it, up to
    72 h (GDPR Art. 33(1)), even when it is looser than the policy's: the deadline that
    applies is the stricter of the two (:meth:`Policy.for_tenant`, and the DPA routing says
    which applied).
    """

    id: str
    time_zone: TimeZoneName
    windows: tuple[Window, ...] | None = None
    notice: dt.timedelta | None = None
    dpa_deadline: dt.timedelta | None = None
    security_contacts: tuple[str, ...] = ()
    notification_list: bool = False


@attrs.frozen
class TenantTerms:
    """The effective terms for one tenant: its overrides merged over the policy.

    Attributes:
        tenant_id: The tenant.
        listed: Whether the tenant appears in the policy's tenant terms.
        time_zone: The tenant's zone, or ``None`` for a tenant the policy does not list.
        windows: Its low-traffic windows.
        notice: Its maintenance notice period.
        reminder: Its maintenance reminder lead time.
        dpa_deadline: Its DPA notification deadline that applies: the stricter of its
            contract's term and the policy's.
        security_contacts: Its designated security/privacy contacts.
        on_notification_list: Whether it is on the incident notification list.
    """

    tenant_id: str
    listed: bool
    time_zone: TimeZoneName | None
    windows: tuple[Window, ...]
    notice: dt.timedelta
    reminder: dt.timedelta
    dpa_deadline: dt.timedelta
    security_contacts: tuple[str, ...]
    on_notification_list: bool


# --- the document -----------------------------------------------------------------------------


@attrs.frozen
class Policy:
    """A whole reliability policy: every section, plus per-tenant terms.

    ``notifications.fallback`` is derived here from ``continuity.subprocessors``: one register
    says which channel stands in when a channel's subprocessor is down.

    Get one from :func:`~reliability_policy.default_policy` or
    :func:`~reliability_policy.load_policy`; both validate it.

    >>> from reliability_policy import default_policy
    >>> policy = default_policy()
    >>> policy.notifications.cadence(Severity.SEV_1).first_notice
    datetime.timedelta(seconds=1800)

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2.0
       The ``continuity`` and ``status_page`` sections.
    """

    schema_version: int
    severity: SeverityPolicy
    notifications: NotificationPolicy
    calendar: BusinessCalendar
    maintenance: MaintenancePolicy
    security: SecurityPolicy
    lifecycle: LifecyclePolicy
    continuity: ContinuityPolicy
    status_page: StatusPagePolicy
    tenants: tuple[Tenant, ...] = ()
    _by_id: Mapping[str, Tenant] = attrs.field(
        init=False, repr=False, eq=False, hash=False, alias="_by_id"
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {tenant.id: tenant for tenant in self.tenants})
        # The channel fallback is read from the subprocessor register, on a copy of the
        # notifications section that belongs to this policy alone.
        fallback = self.continuity.channel_fallbacks
        if dict(self.notifications.fallback) != dict(fallback):
            notifications = attrs.evolve(self.notifications)
            object.__setattr__(notifications, "fallback", fallback)
            object.__setattr__(self, "notifications", notifications)

    def tenant(self, tenant_id: str) -> Tenant | None:
        """The tenant's own entry, or ``None`` if the policy does not list it."""
        return self._by_id.get(tenant_id)

    def for_tenant(self, tenant_id: str) -> TenantTerms:
        """The effective terms for ``tenant_id``: its overrides merged over the policy.

        A tenant the policy does not list gets the policy's terms and no time zone.

        >>> from reliability_policy import default_policy
        >>> terms = default_policy().for_tenant("unlisted")
        >>> terms.listed, terms.dpa_deadline
        (False, datetime.timedelta(days=2))

        Raises:
            PolicyInputError: ``tenant_id`` is not a non-empty string.
        """
        if not isinstance(tenant_id, str) or not tenant_id:
            raise PolicyInputError("tenant_id", tenant_id, "a non-empty tenant id")
        own = self._by_id.get(tenant_id)
        maintenance = self.maintenance
        on_list = tenant_id in self.notifications.notification_list
        if own is None:
            return TenantTerms(
                tenant_id=tenant_id,
                listed=False,
                time_zone=None,
                windows=maintenance.windows,
                notice=maintenance.notice,
                reminder=maintenance.reminder,
                dpa_deadline=self.security.notify_deadline,
                security_contacts=(),
                on_notification_list=on_list,
            )
        return TenantTerms(
            tenant_id=tenant_id,
            listed=True,
            time_zone=own.time_zone,
            windows=maintenance.windows if own.windows is None else own.windows,
            notice=maintenance.notice if own.notice is None else own.notice,
            reminder=maintenance.reminder,
            dpa_deadline=(
                self.security.notify_deadline
                if own.dpa_deadline is None
                else min(own.dpa_deadline, self.security.notify_deadline)
            ),
            security_contacts=own.security_contacts,
            on_notification_list=on_list or own.notification_list,
        )
