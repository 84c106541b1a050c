"""Maintenance planning for 100, 1,000 and 10,000 tenants in about 30 real zones, 8-week horizon.

Beside two references measured in the same run:

* a naive minute scan (the small case only): every minute, every tenant, converted with
  ``astimezone``, until the downtime fits;
* a plain standard-library planner that turns each distinct (zone, window) into UTC intervals
  once (``datetime.combine(...).astimezone(UTC)`` per occurrence, wall length added as elapsed
  time, so not exact across DST) and intersects them.

Targets (issue 6): at most 10x the plain reference at 10,000 tenants, and growth from 1,000 to
10,000 tenants of at most 12x. "Cold" clears the library's caches before every call (the
first call for a given day); "warm" is a repeated call with the caches filled. ``plan_waves``
(issue 16) must prove its waves the fewest in at most 20x the time of the greedy cover it
starts from (the same call with no time for the solver).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from typing import Final

import attrs

from bench._harness import Row, fmt_seconds, median_seconds
from reliability_policy import _windows, default_policy
from reliability_policy.maintenance import MaintenanceRequest, plan_maintenance, plan_waves
from reliability_policy.policy import Policy, Tenant, TimeZoneName, WeeklyWindow, Window
from reliability_policy.timing import Weekday

ZONES: Final = (
    "America/Los_Angeles",
    "America/Denver",
    "America/Phoenix",
    "America/Chicago",
    "America/Mexico_City",
    "America/New_York",
    "America/Toronto",
    "America/Bogota",
    "America/Lima",
    "America/Caracas",
    "America/Halifax",
    "America/St_Johns",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "Atlantic/Azores",
    "UTC",
    "Europe/London",
    "Europe/Lisbon",
    "Africa/Lagos",
    "Europe/Berlin",
    "Europe/Paris",
    "Africa/Johannesburg",
    "Europe/Athens",
    "Africa/Cairo",
    "Europe/Istanbul",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Tehran",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Kathmandu",
)
"""31 real zones from UTC-8 to UTC+5:45, with DST changes inside the horizon."""

WORLD: Final = (*ZONES, "Asia/Tokyo", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Singapore")

NOW: Final = dt.datetime(2026, 2, 25, 9, 30, tzinfo=dt.UTC)
EARLIEST: Final = NOW + dt.timedelta(days=7)
LATEST: Final = EARLIEST + dt.timedelta(weeks=8)
DOWNTIME: Final = dt.timedelta(hours=2)
_WEEK: Final = dt.timedelta(weeks=1)

WEEKEND: Final[tuple[Window, ...]] = (
    WeeklyWindow(Weekday.SAT, dt.time(12), dt.time(0)),
    WeeklyWindow(Weekday.SUN, dt.time(0), dt.time(12)),
)
REGIONAL: Final[tuple[Window, ...]] = (
    WeeklyWindow(Weekday.SAT, dt.time(14), dt.time(0)),
    WeeklyWindow(Weekday.SUN, dt.time(0), dt.time(10)),
)


def _policy(count: int, zones: Sequence[str], windows: tuple[Window, ...]) -> Policy:
    """``count`` tenants over ``zones``; one in five has its own (shared) windows and one in
    twenty a longer notice, as enterprise agreements do."""
    base = default_policy()
    tenants = tuple(
        Tenant(
            id=f"t-{i:05d}",
            time_zone=TimeZoneName(zones[i % len(zones)]),
            windows=REGIONAL if i % 5 == 0 else None,
            notice=dt.timedelta(hours=336) if i % 20 == 7 else None,
        )
        for i in range(count)
    )
    maintenance = attrs.evolve(base.maintenance, windows=windows)
    return attrs.evolve(base, maintenance=maintenance, tenants=tenants)


def _request(policy: Policy) -> MaintenanceRequest:
    ids = tuple(tenant.id for tenant in policy.tenants)
    return MaintenanceRequest("CHG-bench", True, ids, EARLIEST, LATEST, DOWNTIME)


# --- the plain standard-library reference ------------------------------------------------------

Span = tuple[dt.datetime, dt.datetime]


def _merge(spans: list[Span]) -> list[Span]:
    spans.sort()
    merged: list[Span] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _intersect(left: list[Span], right: list[Span]) -> list[Span]:
    result: list[Span] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start < end:
            result.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return result


def reference_plan(
    policy: Policy, request: MaintenanceRequest, now: dt.datetime
) -> dt.datetime | None:
    """Each distinct (zone, windows) to UTC intervals once, intersected; the first fit."""
    maintenance = policy.maintenance
    notice = maintenance.notice
    groups: dict[tuple[str, tuple[Window, ...]], None] = {}
    for tenant_id in request.tenants:
        tenant = policy.tenant(tenant_id)
        if tenant is None:
            raise LookupError(tenant_id)
        if tenant.notice is not None and tenant.notice > notice:
            notice = tenant.notice
        windows = maintenance.windows if tenant.windows is None else tenant.windows
        groups[(tenant.time_zone, windows)] = None
    length = request.expected_downtime or dt.timedelta(0)
    low = max(request.earliest_start, now + notice)
    first_day = (low - dt.timedelta(days=2)).date()
    last_day = (request.latest_start + length + dt.timedelta(days=2)).date()
    common: list[Span] | None = None
    for zone_name, windows in groups:
        zone = zoneinfo.ZoneInfo(zone_name)
        spans: list[Span] = []
        for window in windows:
            if not isinstance(window, WeeklyWindow):
                continue
            day = first_day + dt.timedelta(days=(window.day.index - first_day.weekday()) % 7)
            while day <= last_day:
                start = dt.datetime.combine(day, window.start, tzinfo=zone).astimezone(dt.UTC)
                spans.append((start, start + window.wall_length))
                day += _WEEK
        merged = _merge(spans)
        common = merged if common is None else _intersect(common, merged)
    for start, end in common or []:
        candidate = max(start, low)
        if candidate > request.latest_start:
            return None
        if candidate + length <= end:
            return candidate
    return None


# --- the naive minute scan ---------------------------------------------------------------------


def _inside(instant: dt.datetime, zone: zoneinfo.ZoneInfo, windows: tuple[Window, ...]) -> bool:
    local = instant.astimezone(zone)
    minute_of_week = local.weekday() * 1440 + local.hour * 60 + local.minute
    for window in windows:
        if not isinstance(window, WeeklyWindow):
            continue
        start = window.day.index * 1440 + window.start.hour * 60 + window.start.minute
        if (minute_of_week - start) % 10080 < window.wall_length // dt.timedelta(minutes=1):
            return True
    return False


def naive_scan(policy: Policy, request: MaintenanceRequest, now: dt.datetime) -> dt.datetime | None:
    """Minute by minute, tenant by tenant, until the downtime fits."""
    maintenance = policy.maintenance
    notice = maintenance.notice
    checks: list[tuple[zoneinfo.ZoneInfo, tuple[Window, ...]]] = []
    for tenant_id in request.tenants:
        tenant = policy.tenant(tenant_id)
        if tenant is None:
            raise LookupError(tenant_id)
        notice = max(notice, tenant.notice or notice)
        windows = maintenance.windows if tenant.windows is None else tenant.windows
        checks.append((zoneinfo.ZoneInfo(tenant.time_zone), windows))
    minute = dt.timedelta(minutes=1)
    need = (request.expected_downtime or minute) // minute
    low = max(request.earliest_start, now + notice)
    instant = low.replace(second=0, microsecond=0)
    if instant < low:
        instant += minute
    streak = 0
    while instant - minute * streak <= request.latest_start:
        if all(_inside(instant, zone, windows) for zone, windows in checks):
            streak += 1
            if streak == need:
                return instant - minute * (need - 1)
        else:
            streak = 0
        instant += minute
    return None


# --- the runs ----------------------------------------------------------------------------------


def _cold(policy: Policy, request: MaintenanceRequest) -> None:
    _windows.zone_windows.cache_clear()
    _windows.offset_pieces.cache_clear()
    plan_maintenance(request, policy, now=NOW)


def _rows_for(count: int) -> tuple[list[Row], float]:
    """Rows for ``count`` tenants, and our cold time."""
    policy = _policy(count, ZONES, WEEKEND)
    request = _request(policy)
    plan = plan_maintenance(request, policy, now=NOW)
    expected = reference_plan(policy, request, NOW)
    number = 20 if count < 10_000 else 5
    reference = median_seconds(lambda: reference_plan(policy, request, NOW), number=number)
    ours = median_seconds(lambda: _cold(policy, request), number=number)
    warm = median_seconds(lambda: plan_maintenance(request, policy, now=NOW), number=number)
    agree = "same start" if plan.start == expected else f"reference says {expected}"
    largest = count == 10_000
    rows = [
        Row(
            f"plan_maintenance {count:,} tenants, {len(ZONES)} zones, 8 weeks (cold; {agree})",
            fmt_seconds(ours),
            f"{fmt_seconds(reference)} plain stdlib",
            ours / reference,
            "<= 10x" if largest else "",
            ours / reference <= 10 if largest else None,
        ),
        Row(
            f"plan_maintenance {count:,} tenants (warm caches)",
            fmt_seconds(warm),
            f"{fmt_seconds(reference)} plain stdlib",
            warm / reference,
            "",
            None,
        ),
    ]
    if count == 100:
        scan_start = naive_scan(policy, request, NOW)
        scan = median_seconds(lambda: naive_scan(policy, request, NOW), number=1, repeat=3)
        same = scan_start == plan.start
        rows.append(
            Row(
                "plan_maintenance 100 tenants vs naive minute scan "
                f"({'same start' if same else 'DIFFERENT start'})",
                fmt_seconds(ours),
                f"{fmt_seconds(scan)} minute scan",
                ours / scan,
                "same start, faster",
                same and ours < scan,
            )
        )
    return rows, ours


def run() -> list[Row]:
    rows: list[Row] = []
    cold: dict[int, float] = {}
    for count in (100, 1_000, 10_000):
        found, cold[count] = _rows_for(count)
        rows.extend(found)
    growth = cold[10_000] / cold[1_000]
    rows.append(
        Row(
            "plan_maintenance growth 1,000 -> 10,000 tenants (cold)",
            f"{growth:.2f}x",
            "10x tenants",
            None,
            "<= 12x",
            growth <= 12,
        )
    )
    world = _policy(10_000, WORLD, (WeeklyWindow(Weekday.SUN, dt.time(2), dt.time(6)),))
    world_request = _request(world)
    # The greedy cover alone: no time for the solver (the plan then says it is not proven).
    greedy = attrs.evolve(
        world, maintenance=attrs.evolve(world.maintenance, wave_time_limit=dt.timedelta(0))
    )
    waves = plan_waves(world_request, world, now=NOW)
    greedy_waves = plan_waves(world_request, greedy, now=NOW)
    seconds = median_seconds(lambda: plan_waves(world_request, world, now=NOW), number=3)
    reference = median_seconds(lambda: plan_waves(world_request, greedy, now=NOW), number=3)
    proven = "proven minimal" if waves.proven_optimal else "NOT proven"
    rows.append(
        Row(
            f"plan_waves 10,000 tenants, {len(WORLD)} zones, Sun 02-06 ({len(waves.waves)} "
            f"waves, {proven})",
            fmt_seconds(seconds),
            f"{fmt_seconds(reference)} greedy cover ({len(greedy_waves.waves)} waves)",
            seconds / reference,
            "proven, <= 20x greedy",
            waves.proven_optimal and seconds / reference <= 20,
        )
    )
    return rows
