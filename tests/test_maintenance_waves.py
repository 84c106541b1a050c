"""The fewest waves, proven: ``plan_waves`` against a brute force, and never worse than greedy.

The brute force knows nothing of the planner: minute by minute it converts the instant to each
tenant's wall time with ``astimezone`` to find which tenants a slot fits, then tries every
choice of slots, fewest first, and keeps the least total of start times.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import zoneinfo
from collections.abc import Sequence

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from reliability_policy import NoFeasibleWindow, Weekday, default_policy
from reliability_policy._cover import fewest_sets
from reliability_policy.maintenance import (
    MaintenanceRequest,
    RollingPlan,
    WavePlan,
    go_no_go,
    plan_waves,
)
from reliability_policy.policy import Policy, Tenant, TimeZoneName, WeeklyWindow
from reliability_policy.serialization import dumps, loads

UTC = dt.UTC
MINUTE = dt.timedelta(minutes=1)
MONDAY = dt.datetime(2026, 3, 2, tzinfo=UTC)
ZONES = ("UTC", "Asia/Kathmandu", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham")


def _policy(tenants: Sequence[Tenant], limit: dt.timedelta | None = None) -> Policy:
    base = default_policy()
    maintenance = base.maintenance
    if limit is not None:
        maintenance = attrs.evolve(maintenance, wave_time_limit=limit)
    return attrs.evolve(base, maintenance=maintenance, tenants=tuple(tenants))


def _greedy(policy: Policy) -> Policy:
    """The same policy with no time for the solver: the greedy cover it starts from."""
    return _policy(policy.tenants, dt.timedelta(0))


def _sunday(start: int, end: int) -> tuple[WeeklyWindow, ...]:
    return (WeeklyWindow(Weekday.SUN, dt.time(start), dt.time(end)),)


# --- the case from the issue ------------------------------------------------------------------


SIX = _policy(
    [
        Tenant(id=f"t{i}", time_zone=TimeZoneName("UTC"), windows=_sunday(start, start + 2))
        for i, start in enumerate((0, 1, 1, 2, 2, 3))
    ]
)
SIX_REQUEST = MaintenanceRequest(
    "CHG-6", True, "all", MONDAY, MONDAY + dt.timedelta(weeks=3), dt.timedelta(hours=1)
)
SIX_NOW = MONDAY - dt.timedelta(days=7)


def _starts(plan: WavePlan) -> list[tuple[tuple[str, ...], str]]:
    return [(wave.tenants, wave.start.isoformat()) for wave in plan.waves if wave.start]


def test_six_tenants_get_the_two_waves_that_serve_everyone():
    plan = plan_waves(SIX_REQUEST, SIX, now=SIX_NOW)
    assert _starts(plan) == [
        (("t0", "t1", "t2"), "2026-03-08T01:00:00+00:00"),
        (("t3", "t4", "t5"), "2026-03-08T03:00:00+00:00"),
    ]
    assert plan.proven_optimal
    assert "the fewest possible" in plan.reason


def test_the_greedy_cover_of_the_six_tenants_takes_three_waves_and_is_not_proven():
    plan = plan_waves(SIX_REQUEST, _greedy(SIX), now=SIX_NOW)
    assert [start for _, start in _starts(plan)] == [
        "2026-03-08T00:00:00+00:00",
        "2026-03-08T02:00:00+00:00",
        "2026-03-08T03:00:00+00:00",
    ]
    assert not plan.proven_optimal
    assert "not proven the fewest" in plan.reason


def test_one_wave_is_proven_without_the_solver():
    policy = _greedy(_policy([Tenant(id="a", time_zone=TimeZoneName("UTC"))]))
    plan = plan_waves(attrs.evolve(SIX_REQUEST, tenants=("a",)), policy, now=SIX_NOW)
    assert len(plan.waves) == 1
    assert plan.proven_optimal


def test_a_change_without_downtime_needs_no_waves():
    rolling = MaintenanceRequest("CHG-r", False, "all", MONDAY, MONDAY + dt.timedelta(days=1))
    plan = plan_waves(rolling, SIX, now=SIX_NOW)
    assert isinstance(plan, RollingPlan)
    assert plan.rule == "no-downtime"


def test_the_proof_survives_a_json_round_trip():
    plan = plan_waves(SIX_REQUEST, SIX, now=SIX_NOW)
    assert loads(dumps(plan), WavePlan) == plan
    assert '"proven_optimal": true' in dumps(plan)


def test_the_time_limit_is_a_policy_setting():
    assert default_policy().maintenance.wave_time_limit == dt.timedelta(minutes=1)


# --- the solver on its own --------------------------------------------------------------------


def test_with_no_time_the_cover_is_its_start_not_proven():
    cover = fewest_sets([[0], [0, 1], [1, 2], [2, 3]], 4, [0, 1, 2, 3], [3, 1, 0], 0)
    assert cover.chosen == (0, 1, 3)
    assert not cover.proven


def test_one_set_holding_everything_is_the_cheapest_such_set():
    cover = fewest_sets([[0, 1], [1], [1, 0]], 2, [5, 0, 3], [0], 10.0)
    assert cover.chosen == (2,)
    assert cover.proven


def test_past_the_time_limit_the_best_cover_found_is_kept_and_not_proven():
    # A random cover of 400 elements by 3,000 small sets is far too hard for 50 ms.
    pick = random.Random(7)
    sets = [pick.sample(range(400), pick.randint(1, 12)) for _ in range(3000)]
    for element in range(400):
        sets.append([element])
    start = list(range(3000, 3400))  # one singleton per element: a poor cover
    cover = fewest_sets(sets, 400, [0] * len(sets), start, 0.05)
    assert not cover.proven
    assert len(cover.chosen) <= len(start)
    assert set().union(*(sets[index] for index in cover.chosen)) == set(range(400))


# --- against a brute force --------------------------------------------------------------------


def _fits(
    policy: Policy, request: MaintenanceRequest, now: dt.datetime
) -> dict[dt.datetime, frozenset[str]]:
    """Each whole-minute start in the request's range and the tenants whose window it fits."""
    assert request.expected_downtime is not None
    need = request.expected_downtime // MINUTE
    low = max(request.earliest_start, now)
    first = low.replace(second=0, microsecond=0) + (MINUTE if low.second else dt.timedelta(0))
    count = int((request.latest_start - first) / MINUTE) + 1
    fits: dict[dt.datetime, set[str]] = {}
    for tenant in policy.tenants:
        zone = zoneinfo.ZoneInfo(tenant.time_zone)
        notice = tenant.notice or policy.maintenance.notice
        weekly = [  # (minute of the week it starts, minutes long)
            (w.day.index * 1440 + w.start.hour * 60 + w.start.minute, w.wall_length // MINUTE)
            for w in tenant.windows or policy.maintenance.windows
            if isinstance(w, WeeklyWindow)
        ]
        inside = [0]  # how many of the minutes so far lie inside a window
        for step in range(count + need):
            wall = (first + step * MINUTE).astimezone(zone)
            minute = wall.weekday() * 1440 + wall.hour * 60 + wall.minute
            hit = any((minute - start) % 10080 < length for start, length in weekly)
            inside.append(inside[-1] + hit)
        for step in range(count):
            start = first + step * MINUTE
            if start >= now + notice and inside[step + need] - inside[step] == need:
                fits.setdefault(start, set()).add(tenant.id)
    return {start: frozenset(who) for start, who in fits.items()}


def brute_force(
    policy: Policy, request: MaintenanceRequest, now: dt.datetime
) -> tuple[int, dt.timedelta] | None:
    """The fewest slots that serve every tenant and their least total of starts (after
    ``MONDAY``), or ``None`` when some tenant fits no slot.

    Every choice is tried: a cover must hold a slot fitting its first unserved tenant, so the
    search branches over those slots, for one, two, three... slots until a cover is found.
    """
    fits = _fits(policy, request, now)
    everyone = frozenset(tenant.id for tenant in policy.tenants)
    if frozenset().union(*fits.values()) != everyone:
        return None
    earliest: dict[frozenset[str], dt.datetime] = {}
    for start, who in sorted(fits.items()):
        earliest.setdefault(who, start)  # a later slot fitting the same tenants is no better

    @functools.cache
    def least(unserved: frozenset[str], slots: int) -> dt.timedelta | None:
        if not unserved:
            return dt.timedelta(0)
        if not slots:
            return None
        tenant = min(unserved)
        totals = [
            start - MONDAY + rest
            for who, start in earliest.items()
            if tenant in who and (rest := least(unserved - who, slots - 1)) is not None
        ]
        return min(totals, default=None)

    for size in range(1, len(everyone) + 1):
        total = least(everyone, size)
        if total is not None:
            return size, total
    raise AssertionError("unreachable: one slot per tenant serves everyone")  # pragma: no cover


_hours = st.integers(0, 23)
_windows = st.lists(
    st.builds(
        lambda day, hour, half, length: WeeklyWindow(
            day,
            dt.time(hour, 30 * half),
            (dt.datetime(2000, 1, 1, hour, 30 * half) + dt.timedelta(hours=length)).time(),
        ),
        st.sampled_from([Weekday.SAT, Weekday.SUN]),
        _hours,
        st.integers(0, 1),
        st.integers(1, 5),
    ),
    min_size=1,
    max_size=2,
).map(tuple)


@st.composite
def cases(draw: st.DrawFn, most: int = 5) -> tuple[Policy, MaintenanceRequest, dt.datetime]:
    """2-``most`` tenants in odd zones with weekend windows, starts over the weekend."""
    count = draw(st.integers(2, most))
    tenants = [
        Tenant(
            id=f"t{i}",
            time_zone=TimeZoneName(draw(st.sampled_from(ZONES))),
            windows=draw(_windows),
            notice=draw(st.sampled_from([None, None, dt.timedelta(hours=200)])),
        )
        for i in range(count)
    ]
    # Starts from a weekday into the weekend after it, or past it into the next week.
    earliest = MONDAY + dt.timedelta(hours=draw(st.integers(0, 4 * 24)))
    latest = MONDAY + dt.timedelta(hours=draw(st.integers(6 * 24 + 12, 9 * 24)))
    downtime = dt.timedelta(minutes=draw(st.sampled_from([30, 60, 90])))
    request = MaintenanceRequest("CHG-b", True, "all", earliest, latest, downtime)
    now = earliest - dt.timedelta(hours=draw(st.integers(168, 200)))
    return _policy(tenants), request, now


@given(cases())
def test_waves_are_the_fewest_with_the_earliest_starts_of_the_brute_force(case):
    policy, request, now = case
    expected = brute_force(policy, request, now)
    try:
        plan = plan_waves(request, policy, now=now)
    except NoFeasibleWindow:
        assert expected is None
        return
    assert expected is not None
    fewest, total = expected
    assert plan.proven_optimal
    assert len(plan.waves) == fewest
    starts = [wave.start for wave in plan.waves if wave.start is not None]
    assert sum((start - MONDAY for start in starts), dt.timedelta(0)) == total
    assert starts == sorted(starts)
    fits = _fits(policy, request, now)
    served = [tenant for wave in plan.waves for tenant in wave.tenants]
    assert sorted(served) == sorted(tenant.id for tenant in policy.tenants)
    for wave in plan.waves:
        assert wave.start is not None
        assert set(wave.tenants) <= fits[wave.start]
        assert go_no_go(wave, policy, now=wave.start, open_incidents=()).go


@given(cases(most=12))
def test_never_more_waves_than_the_greedy_cover(case):
    policy, request, now = case
    try:
        greedy = plan_waves(request, _greedy(policy), now=now)
    except NoFeasibleWindow:
        assume(False)
        return
    plan = plan_waves(request, policy, now=now)
    assert len(plan.waves) <= len(greedy.waves)
    assert plan.proven_optimal
    assert greedy.proven_optimal == (len(greedy.waves) == 1)
    served = sorted(tenant for wave in plan.waves for tenant in wave.tenants)
    assert served == sorted(tenant for wave in greedy.waves for tenant in wave.tenants)


@pytest.mark.parametrize("limit", [dt.timedelta(0), dt.timedelta(minutes=1)])
def test_every_plan_partitions_the_tenants_and_each_wave_fits(limit):
    policy = _policy(SIX.tenants, limit)
    plan = plan_waves(SIX_REQUEST, policy, now=SIX_NOW)
    served = [tenant for wave in plan.waves for tenant in wave.tenants]
    assert sorted(served) == [f"t{i}" for i in range(6)]
    for wave in plan.waves:
        assert wave.start is not None
        assert go_no_go(wave, policy, now=wave.start, open_incidents=()).go
