"""Properties of maintenance planning, checked against a brute-force minute-by-minute search.

The brute force knows nothing of the planner's intervals: for each minute it converts the
instant to each tenant's local wall time with ``astimezone`` and asks whether that wall time
lies in a window (and the instant outside every freeze).
"""

from __future__ import annotations

import bisect
import datetime as dt
import zoneinfo
from collections.abc import Sequence

import attrs
from dateutil import rrule
from hypothesis import assume, given
from hypothesis import strategies as st

from reliability_policy import NoFeasibleWindow, Weekday, default_policy, testing
from reliability_policy.maintenance import (
    GoNoGo,
    MaintenancePlan,
    MaintenanceRequest,
    WavePlan,
    go_no_go,
    plan_maintenance,
    plan_waves,
)
from reliability_policy.policy import (
    Freeze,
    Policy,
    RRuleWindow,
    Tenant,
    TimeZoneName,
    WeeklyWindow,
    Window,
)
from reliability_policy.serialization import structure, unstructure

MINUTE = dt.timedelta(minutes=1)
ANCHOR = dt.datetime(2000, 1, 3)
ZONES = (*testing.EDGE_ZONES, "Asia/Tokyo", "America/Los_Angeles", "Asia/Kolkata")


# --- an independent oracle ----------------------------------------------------------------------


@attrs.frozen
class Member:
    """One tenant, as the brute force sees it."""

    id: str
    zone: zoneinfo.ZoneInfo
    windows: tuple[Window, ...]
    notice: dt.timedelta
    freezes: tuple[Freeze, ...]
    occurrences: tuple[tuple[dt.datetime, ...], ...]


def members(
    policy: Policy, ids: Sequence[str], low: dt.datetime, high: dt.datetime
) -> list[Member]:
    found = []
    for tenant_id in ids:
        tenant = policy.tenant(tenant_id)
        assert tenant is not None
        windows = tenant.windows if tenant.windows is not None else policy.maintenance.windows
        occurrences = []
        for window in windows:
            if isinstance(window, RRuleWindow):
                rule = rrule.rrulestr(window.rrule, dtstart=ANCHOR)
                first = low.replace(tzinfo=None) - dt.timedelta(days=3) - window.duration
                last = high.replace(tzinfo=None) + dt.timedelta(days=3)
                occurrences.append(tuple(rule.between(first, last, inc=True)))
            else:
                occurrences.append(())
        found.append(
            Member(
                tenant_id,
                zoneinfo.ZoneInfo(tenant.time_zone),
                windows,
                tenant.notice or policy.maintenance.notice,
                tuple(
                    f for f in policy.maintenance.freezes if not f.tenants or tenant_id in f.tenants
                ),
                tuple(occurrences),
            )
        )
    return found


def in_window(wall: dt.datetime, window: Window, occurrences: tuple[dt.datetime, ...]) -> bool:
    if isinstance(window, WeeklyWindow):
        minute_of_week = wall.weekday() * 1440 + wall.hour * 60 + wall.minute
        start = window.day.index * 1440 + window.start.hour * 60 + window.start.minute
        length = window.wall_length // MINUTE
        return (minute_of_week - start) % 10080 < length
    index = bisect.bisect_right(occurrences, wall) - 1
    return index >= 0 and wall < occurrences[index] + window.duration


def frozen(instant: dt.datetime, wall: dt.datetime, freeze: Freeze) -> bool:
    if isinstance(freeze.start, dt.datetime) and isinstance(freeze.end, dt.datetime):
        return freeze.start <= instant < freeze.end
    return freeze.start <= wall.date() <= freeze.end


def minute_ok(instant: dt.datetime, member: Member) -> bool:
    wall = instant.astimezone(member.zone).replace(tzinfo=None)
    inside = any(
        in_window(wall, window, occurrences)
        for window, occurrences in zip(member.windows, member.occurrences, strict=True)
    )
    return inside and not any(frozen(instant, wall, f) for f in member.freezes)


def ceil_minute(instant: dt.datetime) -> dt.datetime:
    # in UTC: an ambiguous local time never compares equal to another zone's (PEP 495)
    exact = instant.astimezone(dt.UTC)
    floor = exact.replace(second=0, microsecond=0)
    return floor if floor == exact else floor + MINUTE


def brute_force(
    policy: Policy, request: MaintenanceRequest, now: dt.datetime, ids: Sequence[str]
) -> dt.datetime | None:
    """The earliest whole-minute start, minute by minute, tenant by tenant."""
    assert request.expected_downtime is not None
    need = request.expected_downtime // MINUTE
    found = members(policy, ids, request.earliest_start, request.latest_start)
    # In UTC, ``now + notice`` is elapsed time; a zoned ``now`` would add by wall clock.
    now = now.astimezone(dt.UTC)
    low = ceil_minute(max(request.earliest_start, now + max(m.notice for m in found)))
    instant, streak = low, 0
    while instant - streak * MINUTE <= request.latest_start:
        if all(minute_ok(instant, member) for member in found):
            streak += 1
            if streak == need:
                return instant - (need - 1) * MINUTE
        else:
            streak = 0
        instant += MINUTE
    return None


def every_minute_inside(plan: MaintenancePlan, policy: Policy) -> bool:
    assert plan.start is not None
    assert plan.end is not None
    found = members(policy, plan.tenants, plan.start, plan.end)
    instant = plan.start
    while instant < plan.end:
        if not all(minute_ok(instant, member) for member in found):
            return False
        instant += MINUTE
    return True


# --- small random cases ----------------------------------------------------------------------

_clock = st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 30, 45]))
_short_windows = st.one_of(
    st.builds(WeeklyWindow, st.sampled_from(Weekday), _clock, _clock).filter(
        lambda w: w.start != w.end
    ),
    st.builds(
        lambda hour, minute, hours: RRuleWindow(
            f"FREQ=DAILY;BYHOUR={hour};BYMINUTE={minute}", dt.timedelta(hours=hours)
        ),
        st.integers(0, 23),
        st.sampled_from([0, 15, 30]),
        st.integers(1, 10),
    ),
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Policy, MaintenanceRequest, dt.datetime]:
    """A policy with 1-3 tenants, a downtime request over up to nine days, and a ``now``."""
    count = draw(st.integers(1, 3))
    tenants = tuple(
        Tenant(
            id=f"t{i}",
            time_zone=TimeZoneName(draw(st.sampled_from(ZONES))),
            windows=draw(st.none() | st.lists(_short_windows, min_size=1, max_size=3).map(tuple)),
            notice=draw(st.none() | st.sampled_from([dt.timedelta(hours=h) for h in (170, 200)])),
        )
        for i in range(count)
    )
    earliest = draw(testing.aware_datetimes(st.sampled_from(ZONES)))
    latest = earliest + dt.timedelta(minutes=draw(st.integers(0, 9 * 24 * 60)))
    downtime = dt.timedelta(minutes=draw(st.sampled_from([15, 30, 60, 90, 150])))
    freezes: list[Freeze] = []
    if draw(st.booleans()):
        day = earliest.date() + dt.timedelta(days=draw(st.integers(-1, 6)))
        who = draw(st.frozensets(st.sampled_from([t.id for t in tenants]), max_size=1))
        freezes.append(Freeze(day, day + dt.timedelta(days=draw(st.integers(0, 1))), who))
    if draw(st.booleans()):
        start = earliest + dt.timedelta(minutes=draw(st.integers(-600, 6000)))
        end = start + dt.timedelta(minutes=draw(st.integers(1, 2000)))
        freezes.append(Freeze(start.astimezone(dt.UTC), end.astimezone(dt.UTC)))
    base = default_policy()
    wide = (
        WeeklyWindow(Weekday.SUN, dt.time(0), dt.time(0)),
        *(WeeklyWindow(day, dt.time(1), dt.time(7)) for day in Weekday),
    )
    windows = draw(st.sampled_from([base.maintenance.windows, wide, wide]))
    maintenance = attrs.evolve(base.maintenance, windows=windows, freezes=tuple(freezes))
    policy = attrs.evolve(base, maintenance=maintenance, tenants=tenants)
    notice = max(t.notice or base.maintenance.notice for t in tenants)
    lead = dt.timedelta(minutes=draw(st.integers(-3 * 24 * 60, 2 * 24 * 60)))
    now = earliest - notice + lead + dt.timedelta(seconds=draw(st.integers(0, 59)))
    request = MaintenanceRequest(
        change_id="CHG-p",
        downtime=True,
        tenants=tuple(t.id for t in tenants),
        earliest_start=earliest,
        latest_start=latest,
        expected_downtime=downtime,
    )
    return policy, request, now


@given(cases())
def test_planner_finds_the_brute_force_earliest_start(case):
    policy, request, now = case
    now = now.astimezone(dt.UTC)  # so that ``now + notice`` below is elapsed time too
    expected = brute_force(policy, request, now, [t.id for t in policy.tenants])
    try:
        plan = plan_maintenance(request, policy, now=now)
    except NoFeasibleWindow as error:
        assert expected is None, f"the brute force found {expected}"
        assert error.blockers
        return
    assert plan.start == expected
    assert plan.start is not None
    assert plan.end == plan.start + request.expected_downtime
    # every notice period is respected, and the notices are due before the start
    for tenant in policy.tenants:
        assert plan.start >= now + (tenant.notice or policy.maintenance.notice)
    assert plan.notice_deadline is not None
    assert now <= plan.notice_deadline < plan.start
    assert all(notice.due < plan.start for notice in plan.notices)
    assert every_minute_inside(plan, policy)


@given(cases())
def test_waves_partition_the_tenants_and_each_wave_fits(case):
    policy, request, now = case
    try:
        waves = plan_waves(request, policy, now=now)
    except NoFeasibleWindow:
        # then some tenant has no slot even alone
        assert any(
            brute_force(policy, attrs.evolve(request, tenants=(t.id,)), now, [t.id]) is None
            for t in policy.tenants
        )
        return
    served = [tenant for wave in waves.waves for tenant in wave.tenants]
    assert sorted(served) == sorted(request.tenants)
    assert len(waves.waves) <= len(policy.tenants)
    starts = [wave.start for wave in waves.waves]
    assert starts == sorted(starts)
    for wave in waves.waves:
        assert wave.start is not None
        assert request.earliest_start <= wave.start <= request.latest_start
        assert every_minute_inside(wave, policy)
        decision = go_no_go(wave, policy, now=wave.start, open_incidents=())
        assert decision.go, [str(blocker) for blocker in decision.blockers]
    single = brute_force(policy, request, now, list(request.tenants))
    assert (len(waves.waves) == 1) == (single is not None)


@given(cases())
def test_planning_is_deterministic(case):
    policy, request, now = case
    try:
        first = plan_maintenance(request, policy, now=now)
    except NoFeasibleWindow:
        assume(False)
    else:
        assert plan_maintenance(request, policy, now=now) == first


# --- round trips ------------------------------------------------------------------------------


@given(
    st.one_of(
        testing.maintenance_requests().map(lambda v: (v, MaintenanceRequest)),
        testing.maintenance_plans().map(lambda v: (v, MaintenancePlan)),
        testing.wave_plans().map(lambda v: (v, WavePlan)),
        testing.go_no_go_results().map(lambda v: (v, GoNoGo)),
    )
)
def test_public_values_round_trip_through_json(pair):
    value, kind = pair
    assert structure(unstructure(value), kind) == value


@given(st.data())
def test_requests_from_the_strategy_are_valid(data):
    policy = data.draw(testing.policies())
    request = data.draw(testing.maintenance_requests(policy=policy))
    assert request.problems() == []
    if policy.tenants:
        try:
            plan = plan_maintenance(request, policy, now=request.earliest_start)
        except NoFeasibleWindow as error:
            assert error.blockers
        else:
            assert plan.window_needed == request.downtime


@given(cases(), st.data())
def test_notices_go_to_the_affected_tenants_only_on_every_required_channel(case, data):
    """Each advance notice and reminder goes, by email and in-app (both required), to exactly
    the tenants the change affects: never to another tenant of the policy."""
    policy, request, now = case
    affected = data.draw(
        st.lists(st.sampled_from(request.tenants), min_size=1, unique=True).map(tuple)
    )
    try:
        plan = plan_maintenance(attrs.evolve(request, tenants=affected), policy, now=now)
    except NoFeasibleWindow:
        assume(False)
        return
    assert set(plan.tenants) == set(affected)
    channels = policy.maintenance.channels
    for kind in {notice.kind for notice in plan.notices}:
        for channel in channels:
            sent = [n for n in plan.notices if (n.kind, n.channel) == (kind, channel)]
            assert all(n.required for n in sent)
            assert sorted(t for n in sent for t in n.tenants) == sorted(affected)
    assert {notice.channel for notice in plan.notices} == set(channels)
