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
import zoneinfo
from typing import Final

import attrs
from hypothesis import strategies as st

from reliability_policy._time import CalendarSpan, SpanUnit, Weekday
from reliability_policy.levels import Channel, Impact, Severity
from reliability_policy.loading import GDPR_CONTROLLER_DEADLINE, default_policy
from reliability_policy.policy import (
    Cadence,
    Freeze,
    Policy,
    RRuleWindow,
    Tenant,
    TimeZoneName,
    WeeklyWindow,
    Window,
)

__all__ = [
    "EDGE_ZONES",
    "aware_datetimes",
    "cadences",
    "calendar_spans",
    "channels",
    "durations",
    "freezes",
    "impacts",
    "policies",
    "severities",
    "tenant_ids",
    "tenants",
    "time_zones",
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
"""Zones with odd offsets, 30-minute DST shifts and ordinary DST: the edge cases to test."""

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
    """Tenants whose overrides only tighten ``policy`` (the default policy if not given)."""
    base = policy if policy is not None else default_policy()
    notice_min = int(base.maintenance.notice.total_seconds() // 60)
    limit = min(base.security.notify_deadline, GDPR_CONTROLLER_DEADLINE)
    deadline_max = int(limit.total_seconds() // 60)
    return st.builds(
        Tenant,
        id=tenant_ids(),
        time_zone=time_zones(),
        windows=st.none() | st.lists(windows(), min_size=1, max_size=3).map(tuple),
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
            windows=tuple(draw(st.lists(weekly_windows(), min_size=1, max_size=3))),
            freezes=tuple(draw(st.lists(freezes(), max_size=2))),
        ),
    )
    members = draw(st.lists(tenants(policy=policy), max_size=4, unique_by=lambda t: t.id))
    return attrs.evolve(policy, tenants=tuple(members))
