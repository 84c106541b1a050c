"""Hypothesis strategies for every public type, for the library's tests and for yours.

Services that embed the policy can property-test their own code against it::

    from hypothesis import given
    from reliability_policy import testing

    @given(testing.policies())
    def test_my_bot_accepts_any_valid_policy(policy): ...

Requires Hypothesis (the ``testing`` extra). Importing this module never happens inside the
library itself.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from fractions import Fraction
from typing import Final

import attrs
from hypothesis import strategies as st

from reliability_policy.continuity import (
    REQUIRED_SCENARIOS,
    BackupRun,
    ContinuityReport,
    ContinuitySummary,
    DependencyReport,
    EvidenceRecord,
    HealthChange,
    HealthEvent,
    PlanReview,
    RestoreTest,
    ScenarioExercise,
    continuity_report,
    continuity_summary,
    dependency_status,
)
from reliability_policy.defaults import default_policy
from reliability_policy.findings import Blocker
from reliability_policy.levels import Channel, Impact, Severity
from reliability_policy.lifecycle import (
    ActionAdded,
    ActionAssigned,
    ActionCompleted,
    Audience,
    Closed,
    Contained,
    ContainmentMeasure,
    ContainmentMeasureKind,
    DataInvolvement,
    Declined,
    Detected,
    DetectionShare,
    DetectionSource,
    Eradicated,
    Event,
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
    replay,
)
from reliability_policy.maintenance import (
    ALL_TENANTS,
    RULE_FREEZE,
    RULE_GO,
    RULE_NO_DOWNTIME,
    RULE_NOTICE,
    RULE_OPEN_INCIDENT,
    RULE_REMINDER,
    RULE_WAVES,
    RULE_WINDOW,
    GoNoGo,
    Hold,
    MaintenanceNotice,
    MaintenanceNoticeKind,
    MaintenancePlan,
    MaintenanceRequest,
    RollingPlan,
    WavePlan,
)
from reliability_policy.notifications import (
    ChannelOutage,
    CommunicationFacts,
    SentNotice,
    SeverityPoint,
    TenantScope,
)
from reliability_policy.policy import (
    Cadence,
    ContinuityPlan,
    ContinuityPolicy,
    DataStore,
    Freeze,
    Policy,
    RRuleWindow,
    Scenario,
    Subprocessor,
    Tenant,
    TimeZoneName,
    WeeklyWindow,
    Window,
)
from reliability_policy.security import (
    GDPR_CONTROLLER_DEADLINE,
    AffectedTenant,
    Assessment,
    DpaNotice,
    SecurityFacts,
)
from reliability_policy.severity import Classification, Declaration, ImpactAssessment, classify
from reliability_policy.statusfeed import StatusSummary, status_summary
from reliability_policy.timing import CalendarSpan, SpanUnit, Weekday

__all__ = [
    "EDGE_ZONES",
    "aware_datetimes",
    "backup_runs",
    "blockers",
    "cadences",
    "calendar_spans",
    "channels",
    "classifications",
    "communication_facts",
    "containment_measures",
    "continuity_policies",
    "continuity_reports",
    "continuity_summaries",
    "data_stores",
    "declarations",
    "dependency_reports",
    "detection_shares",
    "detection_sources",
    "durations",
    "event_logs",
    "events",
    "evidence_logs",
    "evidence_records",
    "freezes",
    "go_no_go_results",
    "health_events",
    "health_logs",
    "impact_assessments",
    "impacts",
    "incidents",
    "maintenance_plans",
    "maintenance_requests",
    "maintenance_windows",
    "notice_contents",
    "plan_reviews",
    "policies",
    "restore_tests",
    "rolling_plans",
    "scenario_exercises",
    "security_facts",
    "severities",
    "status_logs",
    "status_summaries",
    "subprocessors",
    "tenant_ids",
    "tenants",
    "time_zones",
    "wave_plans",
    "weekly_windows",
    "windows",
]

EDGE_ZONES: Final = (
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "America/St_Johns",
    "America/New_York",
    "Europe/London",
    "America/Sao_Paulo",
    "Europe/Berlin",
    "UTC",
)
"""The edge-case zones to test, with odd offsets, 30-minute DST shifts and ordinary DST."""

_LOW: Final = dt.datetime(2020, 1, 1)
_HIGH: Final = dt.datetime(2035, 12, 31)


def time_zones() -> st.SearchStrategy[TimeZoneName]:
    """IANA zone names, weighted toward :data:`EDGE_ZONES`."""
    return st.one_of(
        st.sampled_from(EDGE_ZONES),
        st.sampled_from(sorted(zoneinfo.available_timezones() - {"Factory", "localtime"})),
    ).map(TimeZoneName)


@st.composite
def _near_transition(draw: st.DrawFn, zone: str) -> dt.datetime:
    """An instant within a few hours of a DST transition (or any instant if the zone has none)."""
    tz = zoneinfo.ZoneInfo(zone)
    year = draw(st.integers(2020, 2035))
    transitions: list[dt.datetime] = []
    previous = dt.datetime(year, 1, 1, tzinfo=dt.UTC).astimezone(tz).utcoffset()
    for day in range(366):
        instant = dt.datetime(year, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=day)
        offset = instant.astimezone(tz).utcoffset()
        if offset != previous:
            transitions.append(instant)
        previous = offset
    if not transitions:
        return draw(st.datetimes(_LOW, _HIGH, timezones=st.just(tz), allow_imaginary=False))
    base = draw(st.sampled_from(transitions))
    shift = draw(st.integers(-48 * 60, 24 * 60))
    return (base + dt.timedelta(minutes=shift)).astimezone(tz)


def aware_datetimes(zones: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[dt.datetime]:
    """Timezone-aware datetimes to the minute, weighted toward DST transitions and odd offsets."""
    zone_names = zones if zones is not None else time_zones()
    anywhere = zone_names.flatmap(
        lambda zone: st.datetimes(
            _LOW, _HIGH, timezones=st.just(zoneinfo.ZoneInfo(zone)), allow_imaginary=False
        )
    )
    near = zone_names.flatmap(_near_transition)
    return st.one_of(anywhere, near).map(lambda d: d.replace(second=0, microsecond=0))


def durations(
    min_minutes: int = 1, max_minutes: int = 14 * 24 * 60
) -> st.SearchStrategy[dt.timedelta]:
    """Positive elapsed durations in whole minutes."""
    return st.integers(min_minutes, max_minutes).map(lambda m: dt.timedelta(minutes=m))


def calendar_spans() -> st.SearchStrategy[CalendarSpan]:
    """Calendar spans in days or business days."""
    return st.builds(CalendarSpan, st.integers(1, 30), st.sampled_from(SpanUnit))


def severities() -> st.SearchStrategy[Severity]:
    """Any severity."""
    return st.sampled_from(Severity)


def impacts() -> st.SearchStrategy[Impact]:
    """Any impact level."""
    return st.sampled_from(Impact)


def channels() -> st.SearchStrategy[Channel]:
    """Any channel."""
    return st.sampled_from(Channel)


def tenant_ids() -> st.SearchStrategy[str]:
    """Tenant ids such as ``"t-042"``."""
    return st.integers(0, 999).map(lambda n: f"t-{n:03d}")


_times = st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


def weekly_windows() -> st.SearchStrategy[WeeklyWindow]:
    """Weekly windows, some crossing midnight."""
    return st.builds(WeeklyWindow, st.sampled_from(Weekday), _times, _times).filter(
        lambda w: w.start != w.end
    )


def windows() -> st.SearchStrategy[Window]:
    """Weekly or RRULE windows."""
    rrules = st.builds(
        lambda day, hour: RRuleWindow(
            f"FREQ=WEEKLY;BYDAY={day.value[:2]};BYHOUR={hour};BYMINUTE=0",
            dt.timedelta(hours=2),
        ),
        st.sampled_from(Weekday),
        st.integers(0, 23),
    )
    return st.one_of(weekly_windows(), rrules)


def freezes() -> st.SearchStrategy[Freeze]:
    """Freeze periods over dates or instants, global or for some tenants."""
    dates = st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31))
    by_date = st.builds(
        lambda start, days, who: Freeze(start, start + dt.timedelta(days=days), who),
        dates,
        st.integers(0, 14),
        st.frozensets(tenant_ids(), max_size=3),
    )
    by_instant = st.builds(
        lambda start, length, who: Freeze(start, start + length, who),
        aware_datetimes(st.just("UTC")),
        durations(),
        st.frozensets(tenant_ids(), max_size=3),
    )
    return st.one_of(by_date, by_instant)


def cadences(
    *, looser_than: Cadence | None = None, tighter_than: Cadence | None = None
) -> st.SearchStrategy[Cadence]:
    """Cadences with every field set; bounded by another cadence if given."""
    low = 1
    high = 24 * 60

    def field(name: str) -> st.SearchStrategy[dt.timedelta]:
        lower = getattr(looser_than, name, None) if looser_than else None
        upper = getattr(tighter_than, name, None) if tighter_than else None
        lo = int(lower.total_seconds() // 60) if lower else low
        hi = int(upper.total_seconds() // 60) if upper else high
        return durations(lo, max(lo, hi))

    return st.builds(
        Cadence,
        first_notice=field("first_notice"),
        update_interval=field("update_interval"),
        resolution_notice=field("resolution_notice"),
        summary=st.just(CalendarSpan(5, SpanUnit.BUSINESS_DAYS)),
    )


def tenants(*, policy: Policy | None = None) -> st.SearchStrategy[Tenant]:
    """Valid tenants of ``policy`` (the default policy if not given): a maintenance notice
    only tightens the policy's; a DPA term, recorded as a contract states it, is any up to
    GDPR's 72 h, looser than the policy's or not (the stricter of the two applies)."""
    base = policy if policy is not None else default_policy()
    notice_min = int(base.maintenance.notice.total_seconds() // 60)
    deadline_max = int(GDPR_CONTROLLER_DEADLINE.total_seconds() // 60)
    return st.builds(
        Tenant,
        id=tenant_ids(),
        time_zone=time_zones(),
        windows=st.none() | maintenance_windows(room=base.maintenance.min_weekly),
        notice=st.none() | durations(notice_min, notice_min * 3),
        dpa_deadline=st.none() | durations(60, deadline_max),
        security_contacts=st.lists(
            st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.example", fullmatch=True), max_size=2
        ).map(tuple),
        notification_list=st.booleans(),
    )


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    """Valid policies: the default with varied cadences, deadlines, windows and tenants."""
    base = default_policy()
    sev2 = draw(cadences())
    sev1 = draw(cadences(tighter_than=sev2))
    deadline = draw(durations(60, int(GDPR_CONTROLLER_DEADLINE.total_seconds() // 60)))
    notice = draw(durations(25 * 60, 30 * 24 * 60))
    policy = attrs.evolve(
        base,
        notifications=attrs.evolve(base.notifications, sev1=sev1, sev2=sev2),
        security=attrs.evolve(base.security, notify_deadline=deadline),
        maintenance=attrs.evolve(
            base.maintenance,
            notice=notice,
            windows=draw(maintenance_windows(room=base.maintenance.min_weekly)),
            freezes=tuple(draw(st.lists(freezes(), max_size=2))),
        ),
    )
    members = draw(st.lists(tenants(policy=policy), max_size=4, unique_by=lambda t: t.id))
    return attrs.evolve(policy, tenants=tuple(members))


# --- severity ---------------------------------------------------------------------------------


def _share_thresholds(policy: Policy) -> list[Fraction]:
    found = set()
    for rule in policy.severity.rules:
        for condition in rule.when:
            share = condition.share_at_least
            if share is not None and math.isfinite(share) and 0 < share <= 100:
                found.add(Fraction(repr(float(share))))
    return sorted(found)


@st.composite
def impact_assessments(draw: st.DrawFn, *, policy: Policy | None = None) -> ImpactAssessment:
    """Valid impact assessments, weighted toward the share thresholds of ``policy``'s rules.

    Shares land exactly on a threshold, one tenant below it, anywhere, or on "all tenants".
    """
    base = policy if policy is not None else default_policy()
    impact = draw(impacts())
    core = draw(st.booleans())
    visible = draw(st.booleans())
    if draw(st.integers(0, 9)) == 0:
        everyone = draw(st.none() | st.integers(1, 10_000))
        return ImpactAssessment(
            impact,
            core=core,
            customer_visible=visible,
            affected_tenants=everyone if draw(st.booleans()) else None,
            total_tenants=everyone,
            all_tenants=True,
        )
    total = draw(st.one_of(st.integers(1, 20), st.integers(1, 100_000)))
    thresholds = _share_thresholds(base)
    near_threshold = draw(st.booleans())
    if thresholds and near_threshold:
        threshold = draw(st.sampled_from(thresholds))
        at = math.ceil(threshold * total / 100)  # the fewest tenants reaching the threshold
        affected = min(total, max(0, at - draw(st.integers(0, 1))))
    else:
        affected = draw(st.integers(0, total))
    return ImpactAssessment(
        impact,
        core=core,
        customer_visible=visible,
        affected_tenants=affected,
        total_tenants=total,
    )


def declarations() -> st.SearchStrategy[Declaration]:
    """Severities declared by hand, some of them "not an incident"."""
    names = st.text(min_size=1, max_size=20).filter(str.strip)
    return st.builds(Declaration, st.none() | severities(), names, names)


@st.composite
def classifications(draw: st.DrawFn, *, policy: Policy | None = None) -> Classification:
    """Classifications of :func:`impact_assessments` under ``policy``, some with a declaration."""
    result = classify(draw(impact_assessments(policy=policy)), policy)
    declared = draw(st.none() | declarations())
    return result if declared is None else attrs.evolve(result, declared=declared)


# --- security: the DPA track ------------------------------------------------------------------

_ADDRESSES: Final = st.from_regex(r"[a-z]{1,6}@[a-z]{1,6}\.example", fullmatch=True)


@st.composite
def security_facts(
    draw: st.DrawFn, *, policy: Policy | None = None, tenant_count: int = 4
) -> SecurityFacts:
    """Security facts for one incident: assessments, tenants and DPA notices, some misaddressed.

    Tenants come from ``policy``'s listed tenants and unlisted ids; notices go to contacts
    of the tenant, of other tenants, to forbidden audiences, or to unaffected tenants.
    """
    base = policy if policy is not None else default_policy()
    aware = draw(aware_datetimes())
    minutes = st.integers(0, 96 * 60).map(lambda m: aware + dt.timedelta(minutes=m))
    listed = [t.id for t in base.tenants]
    ids = draw(
        st.lists(
            st.sampled_from(listed) | tenant_ids() if listed else tenant_ids(),
            max_size=tenant_count,
            unique=True,
        )
    )
    added = [AffectedTenant(i, draw(minutes)) for i in ids]
    offsets = sorted(draw(st.lists(st.integers(0, 96 * 60), max_size=4)))
    assessments = [
        Assessment(
            aware + dt.timedelta(minutes=m),
            draw(st.sampled_from(DataInvolvement)),
            by=draw(st.sampled_from(["", "sec-oncall"])),
        )
        for m in offsets
    ]
    contacts = [c for t in base.tenants for c in t.security_contacts]
    recipient = st.one_of(
        st.sampled_from([*contacts, "status_page", "notification_list"]), _ADDRESSES
    )
    notices: list[DpaNotice] = []
    for index in range(draw(st.integers(0, 4))):
        tenant = draw(st.sampled_from(ids) | tenant_ids() if ids else tenant_ids())
        own = base.for_tenant(tenant).security_contacts
        pool = st.sampled_from(own) | recipient if own else recipient
        notices.append(
            DpaNotice(
                id=f"n-{index}",
                at=draw(minutes),
                tenant_id=tenant,
                recipients=tuple(draw(st.lists(pool, max_size=3, unique=True))),
                items=tuple(draw(st.lists(st.sampled_from(base.security.checklist), unique=True))),
            )
        )
    return SecurityFacts(
        incident_id=draw(st.from_regex(r"INC-[0-9]{1,4}", fullmatch=True)),
        kind=draw(st.sampled_from(IncidentKind)),
        aware_at=aware,
        assessments=tuple(assessments),
        tenants=tuple(added),
        notices=tuple(notices),
    )


# --- notifications: communication facts ---------------------------------------------------------


def notice_contents(*, policy: Policy | None = None) -> st.SearchStrategy[frozenset[str]]:
    """The content items of an ordinary notice: mostly every item any kind requires under
    ``policy`` (default: the default policy), so the notice can meet any obligation; sometimes
    only some of them (a notice that lacks an item meets nothing).

    .. versionadded:: 0.2.0
    """
    content = (policy if policy is not None else default_policy()).notifications.content
    every = sorted({*content.first_notice, *content.update, *content.resolution, *content.summary})
    some = st.frozensets(st.sampled_from(every)) if every else st.just(frozenset[str]())
    return st.one_of(st.just(frozenset(every)), st.just(frozenset(every)), some)


@st.composite
def communication_facts(
    draw: st.DrawFn,
    *,
    policy: Policy | None = None,
    tenant_count: int = 4,
    notices: bool = True,
    severity_pool: tuple[Severity | None, ...] = (Severity.SEV_1, Severity.SEV_2, Severity.SEV_3),
) -> CommunicationFacts:
    """Communication facts for one incident: a severity timeline, tenants joining and leaving,
    maybe a resolution and a reopen, and (if ``notices``) notices on any channel, some late.

    Times are UTC instants near the DST transitions of :data:`EDGE_ZONES`.
    """
    from reliability_policy.lifecycle import Audience, NoticeKind

    base = policy if policy is not None else default_policy()
    # Instants near DST transitions of the edge zones, held in UTC: Python compares two times
    # of one zone by wall clock (ignoring ``fold``), so facts in a zone could not round-trip.
    t0 = draw(aware_datetimes(st.sampled_from(EDGE_ZONES))).astimezone(dt.UTC)
    confirmed = t0 + dt.timedelta(minutes=draw(st.integers(0, 60)))

    def later(start: dt.datetime, most: int) -> dt.datetime:
        return start + dt.timedelta(minutes=draw(st.integers(1, most)))

    level = st.sampled_from(severity_pool)
    points = [SeverityPoint(t0, draw(level))]
    for _ in range(draw(st.integers(0, 2))):
        points.append(SeverityPoint(later(max(points[-1].at, confirmed), 240), draw(level)))
    ids = draw(st.lists(tenant_ids(), min_size=1, max_size=tenant_count, unique=True))
    scope = []
    for tenant in ids:
        added = draw(st.sampled_from([t0, confirmed])) if draw(st.booleans()) else later(t0, 300)
        removed = later(added, 400) if draw(st.integers(0, 4)) == 0 else None
        scope.append(TenantScope(tenant, added, removed))
    resolved = later(confirmed, 720) if draw(st.booleans()) else None
    reopened: tuple[dt.datetime, ...] = ()
    if resolved is not None and draw(st.integers(0, 3)) == 0:
        reopened = (confirmed + (resolved - confirmed) / 2,)
    sent: list[SentNotice] = []
    if notices:
        listed = sorted(base.notifications.notification_list)
        for index in range(draw(st.integers(0, 8))):
            audience = (
                Audience.NOTIFICATION_LIST
                if listed and draw(st.integers(0, 3)) == 0
                else Audience.AFFECTED_TENANTS
            )
            pool = listed if audience is Audience.NOTIFICATION_LIST else ids
            sent.append(
                SentNotice(
                    id=f"n-{index}",
                    at=later(confirmed, 900),
                    channel=draw(channels()),
                    kind=draw(st.sampled_from([k for k in NoticeKind if k.value != "dpa_notice"])),
                    audience=audience,
                    tenants=tuple(draw(st.lists(st.sampled_from(pool), min_size=1, unique=True))),
                    content=draw(notice_contents(policy=base)),
                )
            )
    outages = []
    if draw(st.integers(0, 3)) == 0:
        start = later(t0, 300)
        outages.append(ChannelOutage(Channel.EMAIL, start, later(start, 300)))
    return CommunicationFacts(
        incident_id=draw(st.from_regex(r"INC-[0-9]{1,4}", fullmatch=True)),
        severities=tuple(points),
        scope_confirmed_at=confirmed,
        scope=tuple(scope),
        resolved_at=resolved,
        reopened_at=reopened,
        dpa_track=draw(st.booleans()),
        notices=tuple(sent),
        outages=tuple(outages),
    )


# --- maintenance windows ----------------------------------------------------------------------

_CHANGE_IDS: Final = st.from_regex(r"CHG-[0-9]{1,5}", fullmatch=True)


@st.composite
def maintenance_windows(draw: st.DrawFn, *, room: dt.timedelta | None = None) -> tuple[Window, ...]:
    """Window sets that leave at least ``room`` a week in blocks of an hour or more.

    ``room`` defaults to the default policy's ``maintenance.min_weekly``.

    Each set has weekly windows long enough for ``room`` (some crossing midnight), plus up to
    two arbitrary weekly or RRULE windows, in any order: the windows a valid policy may have.
    """
    if room is None:
        room = default_policy().maintenance.min_weekly
    needed = max(60, math.ceil(room / dt.timedelta(minutes=1)))
    count = min(7, math.ceil(needed / (12 * 60)))
    each = min(23 * 60 + 45, math.ceil(needed / count / 15) * 15)
    days = draw(st.lists(st.sampled_from(Weekday), min_size=count, max_size=count, unique=True))
    roomy: list[Window] = []
    for day in days:
        start = draw(st.integers(0, 95)) * 15
        length = draw(st.integers(each // 15, max(each, 12 * 60) // 15)) * 15
        end = (start + length) % (24 * 60)
        roomy.append(
            WeeklyWindow(day, dt.time(start // 60, start % 60), dt.time(end // 60, end % 60))
        )
    extra = draw(st.lists(windows(), max_size=2))
    return tuple(draw(st.permutations([*roomy, *extra])))


@st.composite
def maintenance_requests(
    draw: st.DrawFn, *, policy: Policy | None = None, downtime: bool | None = None
) -> MaintenanceRequest:
    """Valid maintenance requests; the tenants are drawn from ``policy``'s if it lists any.

    Planning a downtime request needs a policy that lists its tenants (for their zones).
    """
    base = policy if policy is not None else default_policy()
    listed = [tenant.id for tenant in base.tenants]
    ids = st.sampled_from(listed) if listed else tenant_ids()
    selection = draw(
        st.just(ALL_TENANTS) | st.lists(ids, min_size=1, max_size=6, unique=True).map(tuple)
    )
    has_downtime = draw(st.booleans()) if downtime is None else downtime
    # in UTC, so that round trips compare equal (an ambiguous local time never does, PEP 495)
    earliest = draw(aware_datetimes()).astimezone(dt.UTC)
    latest = earliest + dt.timedelta(minutes=draw(st.integers(0, 60 * 24 * 60)))
    return MaintenanceRequest(
        change_id=draw(_CHANGE_IDS),
        downtime=has_downtime,
        tenants=selection,
        earliest_start=earliest,
        latest_start=latest,
        expected_downtime=draw(durations(15, 6 * 60)) if has_downtime else None,
    )


def rolling_plans() -> st.SearchStrategy[RollingPlan]:
    """Plans for changes without downtime (for round trips)."""
    reason = "no customer-visible downtime: no window and no notice needed"
    return st.builds(
        RollingPlan,
        _CHANGE_IDS,
        st.lists(tenant_ids(), min_size=1, max_size=4, unique=True).map(tuple),
        aware_datetimes(st.just("UTC")),
        st.just(RULE_NO_DOWNTIME),
        st.just(reason),
    )


@st.composite
def maintenance_plans(draw: st.DrawFn) -> MaintenancePlan:
    """Downtime plans as values (for round trips): each with its window and notices."""
    ids = tuple(draw(st.lists(tenant_ids(), min_size=1, max_size=4, unique=True)))
    planned = draw(aware_datetimes(st.just("UTC")))
    change_id = draw(_CHANGE_IDS)
    start = planned + draw(durations(7 * 24 * 60, 30 * 24 * 60))
    end = start + draw(durations(15, 6 * 60))
    notice = draw(durations(7 * 24 * 60, 14 * 24 * 60))
    reminder = default_policy().maintenance.reminder
    notices = tuple(
        MaintenanceNotice(
            kind,
            channel,
            channel is Channel.EMAIL,
            ids,
            start - (notice if kind is MaintenanceNoticeKind.NOTICE else reminder),
            RULE_REMINDER if kind is MaintenanceNoticeKind.REMINDER else RULE_NOTICE,
            "advance notice",
        )
        for kind in MaintenanceNoticeKind
        for channel in (Channel.EMAIL, Channel.IN_APP)
    )
    holds = draw(
        st.lists(
            st.builds(
                Hold,
                st.just(RULE_OPEN_INCIDENT),
                st.text(max_size=40),
                st.lists(st.from_regex(r"INC-[0-9]{1,4}", fullmatch=True), max_size=2).map(tuple),
            ),
            max_size=1,
        )
    )
    return MaintenancePlan(
        change_id=change_id,
        tenants=ids,
        planned_at=planned,
        rule=RULE_WINDOW,
        reason=draw(st.text(max_size=80)),
        start=start,
        end=end,
        notice_deadline=start - notice,
        reminder_at=start - reminder,
        notices=notices,
        holds=tuple(holds),
    )


def wave_plans() -> st.SearchStrategy[WavePlan]:
    """Wave plans as values (for round trips)."""
    return st.builds(
        WavePlan,
        _CHANGE_IDS,
        st.lists(maintenance_plans(), min_size=1, max_size=3).map(tuple),
        st.just(RULE_WAVES),
        st.text(max_size=80),
    )


def go_no_go_results() -> st.SearchStrategy[GoNoGo]:
    """Go/no-go results as values (for round trips)."""
    return st.builds(
        GoNoGo,
        _CHANGE_IDS,
        st.booleans(),
        aware_datetimes(st.just("UTC")),
        st.sampled_from([RULE_GO, RULE_OPEN_INCIDENT, RULE_FREEZE, RULE_WINDOW]),
        st.text(max_size=80),
        st.lists(blockers(), max_size=3).map(tuple),
    )


def blockers() -> st.SearchStrategy[Blocker]:
    """Maintenance blockers: a rule, the tenants it holds back, and why."""
    return st.builds(
        Blocker,
        st.sampled_from([RULE_OPEN_INCIDENT, RULE_FREEZE, RULE_WINDOW, RULE_NOTICE]),
        st.lists(tenant_ids(), min_size=1, max_size=4, unique=True).map(tuple),
        st.text(min_size=1, max_size=60),
    )


# --- lifecycle: events and valid event logs ---------------------------------------------------

_EVENT_IDS = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
_NOTES = st.text(max_size=40)
_REASONS = st.text(min_size=1, max_size=40).filter(str.strip)
_SMALL_TENANTS = st.integers(0, 19).map(lambda n: f"t-{n:03d}")


_FEATURES: Final = ("sign-in", "search", "exports", "reports", "webhooks", "api", "uploads")


def detection_sources() -> st.SearchStrategy[DetectionSource]:
    """How incidents were first detected, ``unknown`` (not recorded) included."""
    return st.sampled_from(DetectionSource)


@st.composite
def containment_measures(draw: st.DrawFn) -> ContainmentMeasure:
    """Containment measures of every kind, some degrading a core capability."""
    kind = draw(st.sampled_from(ContainmentMeasureKind))
    core = draw(st.booleans())
    named = core or kind is ContainmentMeasureKind.FEATURE_DEGRADATION
    features = draw(
        st.lists(st.sampled_from(_FEATURES), min_size=1 if named else 0, max_size=3, unique=True)
    )
    return ContainmentMeasure(kind, features, core=core)


@st.composite
def detection_shares(draw: st.DrawFn) -> DetectionShare:
    """Detection-share reports, as :func:`~reliability_policy.lifecycle.customer_detected_share`
    gives them."""
    ids = draw(st.lists(st.integers(1, 9999).map(lambda n: f"INC-{n}"), unique=True, max_size=8))
    sources = draw(st.lists(detection_sources(), min_size=len(ids), max_size=len(ids)))
    return DetectionShare(
        len(ids),
        [i for i, s in zip(ids, sources, strict=True) if s is DetectionSource.CUSTOMER_REPORT],
        [i for i, s in zip(ids, sources, strict=True) if s is DetectionSource.UNKNOWN],
    )


def events() -> st.SearchStrategy[Event]:
    """Single lifecycle events of every type, with valid fields (not a valid log: see
    :func:`event_logs`)."""
    ids = _EVENT_IDS
    at = aware_datetimes()
    tenant_sets = st.frozensets(_SMALL_TENANTS, min_size=1, max_size=4)
    plain = (
        [
            st.builds(
                Contained,
                id=ids,
                at=at,
                note=_NOTES,
                measures=st.lists(containment_measures(), max_size=3).map(tuple),
            )
        ]
        + [
            st.builds(cls, id=ids, at=at, note=_NOTES)
            for cls in (Eradicated, Recovered, Validated, Resolved)
        ]
        + [
            st.builds(cls, id=ids, at=at, note=_NOTES)
            for cls in (ReviewStarted, ReviewCompleted, Closed)
        ]
    )
    detected = st.builds(
        lambda id, at, incident, title, kind, data, earlier, source: Detected(
            id=id,
            at=at,
            incident_id=incident,
            title=title,
            kind=kind,
            customer_data=data,
            aware_at=None if earlier is None else at - earlier,
            source=source,
        ),
        ids,
        at,
        st.integers(1, 9999).map(lambda n: f"INC-{n}"),
        _NOTES,
        st.sampled_from(IncidentKind),
        st.sampled_from(DataInvolvement),
        st.none() | durations(0, 24 * 60),
        detection_sources(),
    )
    scope = st.builds(
        lambda id, at, added, removed, reason: ScopeChanged(
            id=id, at=at, added=added, removed=removed - added, reason=reason
        ),
        ids,
        at,
        tenant_sets,
        st.frozensets(_SMALL_TENANTS, max_size=3),
        _NOTES,
    )
    assessed = st.builds(
        lambda id, at, kind, data, earlier, note: SecurityAssessed(
            id=id,
            at=at,
            kind=kind,
            customer_data=data,
            aware_at=None if earlier is None else at - earlier,
            note=note,
        ),
        ids,
        at,
        st.sampled_from(IncidentKind),
        st.sampled_from(DataInvolvement),
        st.none() | durations(0, 24 * 60),
        _NOTES,
    )
    sent = st.builds(
        lambda id, at, channel, kind, audience, who, content, fallback: NotificationSent(
            id=id,
            at=at,
            channel=channel,
            kind=kind,
            audience=audience,
            tenants=who,
            content=content,
            fallback_for=None if fallback is channel else fallback,
        ),
        ids,
        at,
        st.sampled_from(Channel),
        st.sampled_from(NoticeKind),
        st.sampled_from(Audience),
        tenant_sets,
        st.frozensets(st.sampled_from(["nature", "contact_point", "measures"]), max_size=3),
        st.none() | st.sampled_from(Channel),
    )
    return st.one_of(
        detected,
        st.builds(
            Triaged,
            id=ids,
            at=at,
            severity=severities(),
            tenants=tenant_sets,
            rule=_NOTES,
            reason=_NOTES,
        ),
        st.builds(SeverityChanged, id=ids, at=at, severity=severities(), reason=_REASONS),
        scope,
        *plain,
        st.builds(Regression, id=ids, at=at, reason=_REASONS, severity=st.none() | severities()),
        st.builds(
            ActionAdded,
            id=ids,
            at=at,
            action_id=ids,
            title=_REASONS,
            owner=st.none() | _REASONS,
            due=st.none() | aware_datetimes(st.just("UTC")),
        ),
        st.builds(
            ActionAssigned,
            id=ids,
            at=at,
            action_id=ids,
            owner=_REASONS,
            due=aware_datetimes(st.just("UTC")),
        ),
        st.builds(ActionCompleted, id=ids, at=at, action_id=ids),
        st.builds(Declined, id=ids, at=at, reason=_REASONS),
        assessed,
        sent,
    )


@attrs.define
class _LogState:
    """What :func:`event_logs` tracks to keep every generated event acceptable."""

    at: dt.datetime
    phase: Phase = Phase.DETECTED
    severity: Severity | None = None
    highest: Severity | None = None
    scope: set[str] = attrs.Factory(set)
    validated: bool = False
    resolved_at: dt.datetime | None = None
    review_done: bool = False
    actions: dict[str, bool] = attrs.Factory(dict)  # open action id -> assigned
    next_id: int = 1


_LOG_ZONES = st.sampled_from(EDGE_ZONES)


@st.composite
def event_logs(
    draw: st.DrawFn, *, policy: Policy | None = None, max_events: int = 30
) -> list[Event]:
    """Valid event logs: every event is accepted by :func:`~reliability_policy.lifecycle.replay`
    under ``policy`` (default: the default policy). Times never go backwards (equal times
    happen), instants come in varied zones, and logs reach every phase, reopen within the
    window, escalate and de-escalate, change scope, send notices and track actions."""
    chosen = policy if policy is not None else default_policy()
    window = chosen.lifecycle.reopen_window
    start = draw(aware_datetimes(st.just("UTC")))
    s = _LogState(at=start)

    def new_id() -> str:
        s.next_id += 1
        return f"e{s.next_id}"

    def later(max_minutes: int = 180) -> dt.datetime:
        s.at = s.at + dt.timedelta(minutes=draw(st.integers(0, max_minutes)))
        return s.at.astimezone(zoneinfo.ZoneInfo(draw(_LOG_ZONES)))

    log: list[Event] = [
        Detected(
            id="e1",
            at=start,
            incident_id=draw(st.integers(1, 9999).map(lambda n: f"INC-{n}")),
            kind=draw(st.sampled_from(IncidentKind)),
            customer_data=draw(st.sampled_from(DataInvolvement)),
            aware_at=start - draw(durations(0, 120)),
            source=draw(detection_sources()),
        )
    ]
    for _ in range(draw(st.integers(0, max_events))):
        material = s.highest in chosen.severity.material
        reopen_until = None if s.resolved_at is None else s.resolved_at + window
        can_reopen = reopen_until is not None and s.at <= reopen_until
        unassigned = [a for a, assigned in s.actions.items() if not assigned]
        noise = ["notify", "assess"]
        if s.phase is not Phase.DECLINED:
            noise.append("add_action")
            if s.actions:
                noise.append("complete_action")
            if unassigned:
                noise.append("assign_action")
        progress: list[str] = {
            Phase.DETECTED: ["triage"] * 9 + ["decline"],
            Phase.TRIAGED: ["contain"] * 5 + ["recover"] * 4 + ["decline"],
            Phase.CONTAINED: ["eradicate", "recover"],
            Phase.ERADICATED: ["recover"],
            Phase.RECOVERED: ["resolve" if s.validated else "validate"],
            Phase.RESOLVED: ["review"] + ([] if material else ["close"]),
            Phase.IN_REVIEW: (["close"] if s.review_done and not unassigned else [])
            + ([] if s.review_done or unassigned else ["complete_review"]),
        }.get(s.phase, [])
        if s.phase in _OPEN_AFTER_TRIAGE:
            noise += ["severity", "scope"]
        if can_reopen and s.phase in (Phase.RESOLVED, Phase.IN_REVIEW, Phase.CLOSED):
            noise.append("regress")
        go_on = progress and draw(st.integers(0, 9)) < 6
        option = draw(st.sampled_from(progress if go_on else noise))
        if option == "regress":
            assert reopen_until is not None
            limit = int((reopen_until - s.at).total_seconds() // 60)
            at = later(max(0, min(limit, 180)))
        else:
            at = later()
        event_id = new_id()
        event: Event
        if option == "notify":
            event = NotificationSent(
                id=event_id,
                at=at,
                channel=draw(st.sampled_from(Channel)),
                kind=draw(st.sampled_from(NoticeKind)),
                tenants=draw(st.frozensets(_SMALL_TENANTS, min_size=1, max_size=3)),
                content=draw(notice_contents(policy=chosen)),
            )
        elif option == "assess":
            event = SecurityAssessed(
                id=event_id,
                at=at,
                kind=draw(st.sampled_from(IncidentKind)),
                customer_data=draw(st.sampled_from(DataInvolvement)),
            )
        elif option == "add_action":
            assigned = draw(st.booleans())
            action_id = f"A{event_id}"
            event = ActionAdded(
                id=event_id,
                at=at,
                action_id=action_id,
                title="fix it",
                owner="owner" if assigned else None,
                due=at + dt.timedelta(days=draw(st.integers(-3, 30))) if assigned else None,
            )
            s.actions[action_id] = assigned
        elif option == "assign_action":
            action_id = draw(st.sampled_from(unassigned))
            event = ActionAssigned(
                id=event_id,
                at=at,
                action_id=action_id,
                owner="owner",
                due=at + dt.timedelta(days=draw(st.integers(1, 30))),
            )
            s.actions[action_id] = True
        elif option == "complete_action":
            action_id = draw(st.sampled_from(sorted(s.actions)))
            event = ActionCompleted(id=event_id, at=at, action_id=action_id)
            del s.actions[action_id]
        elif option == "triage":
            severity = draw(severities())
            tenants = draw(st.frozensets(_SMALL_TENANTS, min_size=1, max_size=5))
            event = Triaged(id=event_id, at=at, severity=severity, tenants=tenants)
            s.phase, s.severity, s.scope = Phase.TRIAGED, severity, set(tenants)
            s.highest = severity
        elif option == "severity":
            severity = draw(st.sampled_from([v for v in Severity if v is not s.severity]))
            event = SeverityChanged(id=event_id, at=at, severity=severity, reason="reassessed")
            s.severity = severity
            s.highest = severity if s.highest is None else max(s.highest, severity)
        elif option == "scope":
            added = draw(st.frozensets(_SMALL_TENANTS, max_size=3)) - s.scope
            removed = draw(st.frozensets(st.sampled_from(sorted(s.scope)), max_size=2))
            if removed >= s.scope and not added:
                removed = frozenset(sorted(removed)[1:])
            if not added and not removed:
                added = frozenset({f"t-{100 + s.next_id:03d}"})
            event = ScopeChanged(id=event_id, at=at, added=added, removed=removed)
            s.scope = (s.scope - removed) | added
        elif option == "contain":
            measures = draw(st.lists(containment_measures(), max_size=3))
            event = Contained(id=event_id, at=at, measures=measures)
            s.phase = Phase.CONTAINED
        elif option == "regress":
            again = draw(st.none() | severities())
            event = Regression(id=event_id, at=at, reason="it came back", severity=again)
            s.phase, s.validated, s.resolved_at, s.review_done = Phase.TRIAGED, False, None, False
            if again is not None:
                s.severity = again
                s.highest = max(s.highest or again, again)
        else:
            event = _log_phase_event(option, event_id, at, s)
        log.append(event)
    return log


_OPEN_AFTER_TRIAGE: Final = (Phase.TRIAGED, Phase.CONTAINED, Phase.ERADICATED, Phase.RECOVERED)


def _log_phase_event(option: str, event_id: str, at: dt.datetime, s: _LogState) -> Event:
    """A phase event for :func:`event_logs`, updating its state."""
    if option == "decline":
        s.phase = Phase.DECLINED
        return Declined(id=event_id, at=at, reason="false alarm")
    if option == "validate":
        s.validated = True
        return Validated(id=event_id, at=at)
    if option == "complete_review":
        s.review_done = True
        return ReviewCompleted(id=event_id, at=at)
    if option == "recover":
        s.phase, s.validated = Phase.RECOVERED, False
        return Recovered(id=event_id, at=at)
    if option == "resolve":
        s.phase, s.resolved_at = Phase.RESOLVED, at
        return Resolved(id=event_id, at=at)
    if option == "eradicate":
        s.phase = Phase.ERADICATED
        return Eradicated(id=event_id, at=at)
    if option == "review":
        s.phase = Phase.IN_REVIEW
        return ReviewStarted(id=event_id, at=at)
    s.phase = Phase.CLOSED
    return Closed(id=event_id, at=at)


def incidents(*, policy: Policy | None = None) -> st.SearchStrategy[Incident]:
    """Incidents replayed from :func:`event_logs`."""
    return event_logs(policy=policy).map(lambda log: replay(log, policy))


# --- continuity -------------------------------------------------------------------------------

_EVIDENCE_LOW: Final = dt.datetime(2025, 1, 1)
_EVIDENCE_HIGH: Final = dt.datetime(2026, 12, 31)
_CAPABILITIES: Final = ("compute", "storage", "network", "identity", "search", "payments")


def _evidence_instants() -> st.SearchStrategy[dt.datetime]:
    """Instants to the minute in 2025-2026, written in the edge zones."""
    return (
        st.sampled_from(EDGE_ZONES)
        .flatmap(
            lambda zone: st.datetimes(
                _EVIDENCE_LOW,
                _EVIDENCE_HIGH,
                timezones=st.just(zoneinfo.ZoneInfo(zone)),
                allow_imaginary=False,
            )
        )
        .map(lambda d: d.replace(second=0, microsecond=0))
    )


def _names(prefix: str) -> st.SearchStrategy[str]:
    return st.from_regex(rf"{prefix}-[a-z]{{1,6}}", fullmatch=True)


_notes = st.text(max_size=30)


@st.composite
def data_stores(draw: st.DrawFn) -> DataStore:
    """Data stores whose backup interval never exceeds the RPO (a valid policy entry).

    .. versionadded:: 0.2.0
    """
    rpo = draw(durations(60, 72 * 60))
    return DataStore(
        name=draw(_names("db")),
        rpo=rpo,
        rto=draw(durations(30, 48 * 60)),
        backup_interval=draw(durations(30, int(rpo.total_seconds() // 60))),
        restore_test_interval=CalendarSpan(draw(st.integers(7, 365)), SpanUnit.DAYS),
    )


@st.composite
def subprocessors(draw: st.DrawFn, *, channels: bool = True) -> Subprocessor:
    """Valid subprocessor register entries: a critical, customer-visible one has a strategy,
    one that is not customer-visible has no impact, and a fallback channel stands in only for
    a channel the entry backs. ``channels=False`` backs capabilities only.

    .. versionadded:: 0.2.0
    """
    kinds = list(_CAPABILITIES) + ([c.value for c in Channel] if channels else [])
    backs = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3, unique=True))
    critical, visible = draw(st.booleans()), draw(st.booleans())
    strategy = draw(st.text(min_size=1, max_size=40).filter(str.strip))
    if not (critical and visible) and draw(st.booleans()):
        strategy = ""
    backed = {c for c in Channel if c.value in backs}
    others = [c for c in Channel if c not in backed]
    fallback = None
    if backed and others and draw(st.booleans()):
        fallback = draw(st.sampled_from(others))
    return Subprocessor(
        name=draw(_names("sp")),
        backs=tuple(backs),
        critical=critical,
        customer_visible=visible,
        core=draw(st.booleans()),
        impact=draw(impacts()) if visible else Impact.NONE,
        strategy=strategy,
        fallback_channel=fallback,
    )


@st.composite
def continuity_policies(draw: st.DrawFn) -> Policy:
    """Valid policies: the default with drawn data stores, plan intervals, extra scenarios
    (some with their own interval) and extra subprocessors.

    .. versionadded:: 0.2.0
    """
    base = default_policy()
    stores = draw(st.lists(data_stores(), min_size=1, max_size=4, unique_by=lambda s: s.name))
    spans = st.integers(30, 400).map(lambda n: CalendarSpan(n, SpanUnit.DAYS))
    own = st.none() | spans
    scenarios = [
        Scenario(sid, sid.replace("-", " ").capitalize(), draw(own)) for sid in REQUIRED_SCENARIOS
    ]
    extra = draw(st.lists(_names("sc"), max_size=2, unique=True))
    scenarios += [Scenario(sid, f"Scenario {sid}", draw(own)) for sid in extra]
    register = draw(st.lists(subprocessors(channels=False), max_size=3, unique_by=lambda s: s.name))
    section = ContinuityPolicy(
        stores=tuple(stores),
        plan=ContinuityPlan(draw(spans), draw(spans), tuple(scenarios)),
        subprocessors=base.continuity.subprocessors + tuple(register),
    )
    return attrs.evolve(base, continuity=section)


def _store_names(policy: Policy | None) -> st.SearchStrategy[str]:
    known = [s.name for s in (policy or default_policy()).continuity.stores]
    return st.one_of(st.sampled_from(known), st.sampled_from(known), _names("db"))


def backup_runs(*, policy: Policy | None = None) -> st.SearchStrategy[BackupRun]:
    """Backup runs of the policy's stores (and now and then of an unknown one).

    .. versionadded:: 0.2.0
    """
    return st.builds(
        BackupRun,
        _evidence_instants(),
        _store_names(policy),
        encrypted=st.booleans(),
        stored_apart=st.booleans(),
        note=_notes,
    )


@st.composite
def restore_tests(draw: st.DrawFn, *, policy: Policy | None = None) -> RestoreTest:
    """Restore tests of the policy's stores: data loss up to three days (mostly within 12 h),
    restores up to a day (mostly within 8 h).

    .. versionadded:: 0.2.0
    """
    at = draw(_evidence_instants())
    loss = draw(st.one_of(st.integers(0, 12 * 60), st.integers(0, 3 * 24 * 60)))
    return RestoreTest(
        at,
        draw(_store_names(policy)),
        # Elapsed time: subtracting from a zoned datetime would move its wall clock.
        recovery_point=at.astimezone(dt.UTC) - dt.timedelta(minutes=loss),
        duration=draw(st.one_of(durations(1, 8 * 60), durations(1, 24 * 60))),
        verified=draw(st.booleans()),
        note=draw(_notes),
    )


def plan_reviews() -> st.SearchStrategy[PlanReview]:
    """Reviews of the continuity plan.

    .. versionadded:: 0.2.0
    """
    return st.builds(PlanReview, _evidence_instants(), st.text(max_size=20), note=_notes)


def scenario_exercises(*, policy: Policy | None = None) -> st.SearchStrategy[ScenarioExercise]:
    """Exercises of the policy's plan scenarios (now and then of an unknown one).

    .. versionadded:: 0.2.0
    """
    known = [s.id for s in (policy or default_policy()).continuity.plan.scenarios]
    return st.builds(
        ScenarioExercise,
        _evidence_instants(),
        st.one_of(st.sampled_from(known), st.sampled_from(known), _names("sc")),
        passed=st.booleans(),
        note=_notes,
    )


def evidence_records(*, policy: Policy | None = None) -> st.SearchStrategy[EvidenceRecord]:
    """Any continuity evidence record about ``policy`` (the default policy if not given).

    .. versionadded:: 0.2.0
    """
    return st.one_of(
        backup_runs(policy=policy),
        restore_tests(policy=policy),
        plan_reviews(),
        scenario_exercises(policy=policy),
    )


def evidence_logs(
    *, policy: Policy | None = None, max_size: int = 30
) -> st.SearchStrategy[tuple[EvidenceRecord, ...]]:
    """Evidence logs: records in any order, about ``policy``'s stores and scenarios.

    .. versionadded:: 0.2.0
    """
    return st.lists(evidence_records(policy=policy), max_size=max_size).map(tuple)


def health_events(*, policy: Policy | None = None) -> st.SearchStrategy[HealthEvent]:
    """Health events of the policy's subprocessors (now and then of an unregistered one).

    .. versionadded:: 0.2.0
    """
    known = [s.name for s in (policy or default_policy()).continuity.subprocessors]
    return st.builds(
        HealthEvent,
        _evidence_instants(),
        st.one_of(st.sampled_from(known), st.sampled_from(known), _names("sp")),
        st.sampled_from(HealthChange),
        note=_notes,
    )


def health_logs(
    *, policy: Policy | None = None, max_size: int = 20
) -> st.SearchStrategy[tuple[HealthEvent, ...]]:
    """Subprocessor health logs, in any order.

    .. versionadded:: 0.2.0
    """
    return st.lists(health_events(policy=policy), max_size=max_size).map(tuple)


@st.composite
def continuity_reports(draw: st.DrawFn) -> ContinuityReport:
    """Reports over drawn policies, evidence and instants.

    .. versionadded:: 0.2.0
    """
    policy = draw(continuity_policies())
    log = draw(evidence_logs(policy=policy))
    return continuity_report(log, policy, now=draw(_evidence_instants()))


@st.composite
def continuity_summaries(draw: st.DrawFn) -> ContinuitySummary:
    """NDA summaries over drawn policies, evidence and instants.

    .. versionadded:: 0.2.0
    """
    policy = draw(continuity_policies())
    log = draw(evidence_logs(policy=policy))
    return continuity_summary(log, policy, now=draw(_evidence_instants()))


@st.composite
def dependency_reports(draw: st.DrawFn) -> DependencyReport:
    """Dependency reports over drawn health logs.

    .. versionadded:: 0.2.0
    """
    log = draw(health_logs())
    return dependency_status(log, now=draw(_evidence_instants()))


# --- the public status feed -------------------------------------------------------------------

_PUBLIC_KINDS: Final = (NoticeKind.FIRST_NOTICE, NoticeKind.UPDATE, NoticeKind.RESOLUTION)


def _scope_of(log: list[Event]) -> set[str]:
    """Every tenant a log's events name: its scope and the tenants its notices went to."""
    found: set[str] = set()
    for event in log:
        if isinstance(event, (Triaged, NotificationSent)):
            found |= event.tenants
        elif isinstance(event, ScopeChanged):
            found |= event.added | event.removed
    return found


def status_logs(
    *,
    policy: Policy | None = None,
    texts: st.SearchStrategy[str] | None = None,
    max_events: int = 30,
) -> st.SearchStrategy[list[Event]]:
    """Valid event logs with public updates: :func:`event_logs` with a title and status-page
    notices woven in (at the time of the event before them).

    Titles and public texts come from ``texts`` (default: any short text); some of them name
    a tenant the log or ``policy`` knows, as a word of its own. Public updates name some of
    ``policy``'s status page components, now and then one it does not list. The logs are
    availability and security incidents alike, so some are on the DPA track.

    .. versionadded:: 0.2.0
    """
    return _status_logs(policy, texts, max_events)


@st.composite
def _status_logs(
    draw: st.DrawFn,
    policy: Policy | None,
    texts: st.SearchStrategy[str] | None,
    max_events: int,
) -> list[Event]:
    chosen = policy if policy is not None else default_policy()
    words = texts if texts is not None else st.text(max_size=40)
    log = list(draw(event_logs(policy=policy, max_events=max_events)))
    names = sorted(_scope_of(log) | {t.id for t in chosen.tenants})
    components = [c.name for c in chosen.status_page.components] + ["Billing"]

    def text() -> str:
        said = draw(words)
        if names and draw(st.integers(0, 3)) == 0:
            said = f"{said} {draw(st.sampled_from(names))} {draw(words)}"
        return said

    first = log[0]
    assert isinstance(first, Detected)
    log[0] = attrs.evolve(first, title=text())
    count = draw(st.integers(0, 4))
    places = sorted(draw(st.lists(st.integers(1, len(log)), min_size=count, max_size=count)))
    for number, place in enumerate(reversed(places)):
        notice = NotificationSent(
            id=f"p{number}",
            at=log[place - 1].at,
            channel=Channel.STATUS_PAGE,
            kind=draw(st.sampled_from(_PUBLIC_KINDS)),
            audience=Audience.STATUS_PAGE,
            text=text() if draw(st.integers(0, 4)) else "",
            components=draw(st.frozensets(st.sampled_from(components), max_size=2)),
        )
        log.insert(place, notice)
    return log


@st.composite
def status_summaries(draw: st.DrawFn, *, policy: Policy | None = None) -> StatusSummary:
    """Status summaries over drawn incidents (:func:`status_logs`), maintenance plans and an
    instant among their events and windows.

    .. versionadded:: 0.2.0
    """
    logs = draw(st.lists(status_logs(policy=policy, max_events=15), max_size=3))
    incidents: dict[str, Incident] = {}
    for log in logs:
        incident = replay(log, policy)
        incidents.setdefault(incident.id, incident)
    plans: dict[tuple[str, dt.datetime | None], MaintenancePlan] = {}
    for plan in draw(st.lists(maintenance_plans(), max_size=2)):
        plans.setdefault((plan.change_id, plan.start), plan)
    instants = [e.at for log in logs for e in log]
    instants += [t for p in plans.values() for t in (p.start, p.end) if t is not None]
    now = draw(st.sampled_from(instants)) if instants else draw(aware_datetimes())
    return status_summary(incidents.values(), plans.values(), policy, now=now)
