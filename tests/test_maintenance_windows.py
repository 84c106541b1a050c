"""The private interval machinery behind maintenance planning: RRULE expansion with a moved
anchor, interval arithmetic, and the room measure."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil import rrule
from hypothesis import given
from hypothesis import strategies as st

from reliability_policy import PolicyConfigError, PolicyInputError, loads_policy
from reliability_policy import _windows as win
from reliability_policy.policy import RRuleWindow

RULES = [
    "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA,SU;BYHOUR=1;BYMINUTE=30",
    "FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SU,MO",
    "FREQ=WEEKLY",
    "FREQ=DAILY;INTERVAL=5;BYHOUR=3",
    "FREQ=HOURLY;INTERVAL=7",
    "FREQ=HOURLY;INTERVAL=97;BYHOUR=2",
    "FREQ=MONTHLY;BYDAY=1SA;BYHOUR=22",
    "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1SU;BYHOUR=4",
    "FREQ=MONTHLY;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    "FREQ=YEARLY;BYMONTH=12;BYDAY=2SU;BYHOUR=1",
    "FREQ=YEARLY;INTERVAL=2",
    "RRULE:FREQ=DAILY;BYHOUR=5",
    # rare occurrences (COUNT and UNTIL are refused in window rules)
    "FREQ=YEARLY;INTERVAL=3;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=6",
]
# every second of every hour: far more than MAX_OCCURRENCES in any horizon
RUNAWAY = (
    "FREQ=HOURLY;BYMINUTE="
    + ",".join(map(str, range(60)))
    + ";BYSECOND="
    + ",".join(map(str, range(60)))
)


def naive_walls(text: str, duration: dt.timedelta, low: int, high: int) -> list[win.Interval]:
    """Every occurrence from the fixed anchor, the slow way."""
    rule = rrule.rrulestr(text, dtstart=win.RRULE_ANCHOR)
    first = win.wall_datetime(low) - duration
    last = win.wall_datetime(high)
    walls = []
    for occurrence in rule:
        if occurrence >= last:
            break
        if occurrence > first:
            start = win.wall_seconds(occurrence)
            walls.append((start, start + int(duration.total_seconds())))
    return walls


@given(
    st.sampled_from(RULES),
    st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2031, 12, 31)),
    st.integers(1, 90),
    st.integers(1, 48 * 60),
)
def test_moving_the_anchor_never_changes_the_occurrences(text, start, days, minutes):
    duration = dt.timedelta(minutes=minutes)
    low = win.wall_seconds(start)
    high = low + days * win.DAY
    window = RRuleWindow(text, duration)
    assert win.rrule_walls(window, low, high, "w") == naive_walls(text, duration, low, high)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "FREQ",
        "FREQ=SOMETIMES",
        "BYDAY=SU",
        "DTSTART:20260101T000000\nRRULE:FREQ=DAILY",
        "FREQ=DAILY;BYHOUR=25",
        "FREQ=DAILY;INTERVAL=x",
    ],
)
def test_unusable_rrules_are_explained(text):
    assert win.rrule_problem(text) is not None
    with pytest.raises(PolicyInputError, match="RRULE"):
        win.rrule_walls(RRuleWindow(text, dt.timedelta(hours=1)), 0, win.DAY, "w")


def test_rrule_window_needs_a_positive_duration():
    with pytest.raises(PolicyInputError, match="duration"):
        win.rrule_walls(RRuleWindow("FREQ=DAILY", dt.timedelta(0)), 0, win.DAY, "w")


def test_runaway_rrules_are_refused_in_the_room_check():
    with pytest.raises(PolicyConfigError, match="at most 100000 occurrences"):
        loads_policy(
            f'schema_version = 1\n[maintenance]\nwindows = [{{ rrule = "{RUNAWAY}", '
            'duration = "1m" }]'
        )


_intervals = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 30)).map(lambda p: (p[0], p[0] + p[1])),
    max_size=8,
).map(win.merge)


def members(intervals: win.Intervals) -> set[int]:
    return {second for start, end in intervals for second in range(start, end)}


@given(_intervals, _intervals)
def test_interval_arithmetic_matches_sets(left, right):
    assert members(win.intersect(left, right)) == members(left) & members(right)
    assert members(win.subtract(left, right)) == members(left) - members(right)
    merged = win.merge([*left, *right])
    assert members(merged) == members(left) | members(right)
    assert all(a < b for a, b in merged)
    assert all(merged[i][1] < merged[i + 1][0] for i in range(len(merged) - 1))
    assert members(win.clip(left, 50, 150)) == {s for s in members(left) if 50 <= s < 150}
    assert win.clip(left, 10, 10) == ()


@given(_intervals, st.integers(0, 240), st.integers(0, 240), st.integers(1, 40))
def test_earliest_fit_and_start_ranges(intervals, low, latest, length):
    scaled = tuple((a * 60, b * 60) for a, b in intervals)
    fit = win.earliest_fit(scaled, low * 60, latest * 60, length * 60)
    starts = [
        s * 60
        for s in range(low, latest + 1)
        if any(a <= s * 60 and s * 60 + length * 60 <= b for a, b in scaled)
    ]
    assert fit == (starts[0] if starts else None)
    ranges = win.start_ranges(scaled, low * 60, latest * 60, length * 60)
    covered = [s for first, last in ranges for s in range(first, last + 1, 60)]
    assert covered == starts
    if fit is not None:
        assert win.contains(scaled, fit, fit + length * 60)
