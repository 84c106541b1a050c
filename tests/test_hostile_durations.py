"""Durations at the edges (issue 15): every duration in a policy has an upper bound, checked at
load with its path and value; the time module refuses anything beyond a generous absolute limit
with our error (never OverflowError), and business days are counted by whole weeks."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reliability_policy import (
    PolicyConfigError,
    PolicyInputError,
    Weekday,
    audit,
    loads_policy,
    next_due,
    replay,
    timing,
)
from reliability_policy.eventlog import load_events
from reliability_policy.timing import (
    CalendarSpan,
    SpanUnit,
    add_business_days,
    parse_calendar_span,
    parse_duration,
)

SEV1_LOG = "examples/sev1-platform-outage.jsonl"
WEEKDAYS = frozenset(list(Weekday)[:5])

# (document body, path, value) - the issue's own cases first
BAD_DOCUMENTS = [
    (
        '[maintenance]\nwindows = [{ rrule = "FREQ=WEEKLY;BYDAY=SU", duration = "999999999h" }]',
        "$.maintenance.windows[0].duration",
        "999999999h",
    ),
    ('[maintenance]\nnotice = "999999999h"', "$.maintenance.notice", "999999999h"),
    ('[maintenance]\nnotice = "8761h"', "$.maintenance.notice", "8761h"),
    ('[maintenance]\nmin_weekly = "169h"', "$.maintenance.min_weekly", "169h"),
    ('[[tenants]]\nid = "a"\ntime_zone = "UTC"\nnotice = "9000h"', "$.tenants[0].notice", "9000h"),
    *[
        (f'[notifications.SEV-2]\n{key} = "999999999h"', f"$.notifications.SEV-2.{key}", value)
        for key in ("first_notice", "update_interval", "resolution_notice")
        for value in ["999999999h"]
    ],
    (
        '[notifications.SEV-1]\nfirst_notice = "8761h"',
        "$.notifications.SEV-1.first_notice",
        "8761h",
    ),
    (
        '[notifications.SEV-3]\nupdate_interval = "9000h"',
        "$.notifications.SEV-3.update_interval",
        "9000h",
    ),
    ('[notifications.SEV-2]\nsummary = "99999999d"', "$.notifications.SEV-2.summary", "99999999d"),
    (
        '[notifications.SEV-2]\nsummary = "P100000000000000000000D"',
        "$.notifications.SEV-2.summary",
        "P100000000000000000000D",
    ),
    (
        '[notifications.SEV-2]\nsummary = "99999999bd"',
        "$.notifications.SEV-2.summary",
        "99999999bd",
    ),
    ('[notifications.SEV-2]\nsummary = "700000bd"', "$.notifications.SEV-2.summary", "700000bd"),
    ('[notifications.SEV-2]\nsummary = "261bd"', "$.notifications.SEV-2.summary", "261bd"),
    ('[notifications.SEV-2]\nsummary = "366d"', "$.notifications.SEV-2.summary", "366d"),
    # sections of other concerns: the absolute limit of the time module holds them
    ('[lifecycle]\nreopen_window = "999999999h"', "$.lifecycle.reopen_window", "999999999h"),
    (
        '[security]\nnotify_deadline = "PT4294967296H"',
        "$.security.notify_deadline",
        "PT4294967296H",
    ),
    (f'[maintenance]\nreminder = "{"9" * 5000}h"', "$.maintenance.reminder", "9" * 5000 + "h"),
]


@pytest.mark.parametrize(("body", "path", "value"), BAD_DOCUMENTS)
def test_each_overlong_duration_is_refused_at_load_with_its_path(body, path, value):
    with pytest.raises(PolicyConfigError) as caught:
        loads_policy("schema_version = 1\n" + body)
    found = {p.path: p for p in caught.value.problems}
    assert path in found, caught.value.problems
    assert found[path].value == value
    assert value[:40] in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "999999999h",
        "876001h",
        "52560001m",
        "9" * 5000 + "h",  # int() would refuse these digits with a ValueError of its own
        "PT99999999999999999999H",
        "PT4294967296H",  # pendulum reads this as zero
        "PT2147483648H",
        "PT" + "9" * 5000 + "M",
    ],
)
def test_parse_duration_refuses_beyond_the_absolute_limit(text):
    with pytest.raises(PolicyInputError) as caught:
        parse_duration(text, "$.x")
    assert (caught.value.field, caught.value.value) == ("$.x", text)
    assert "at most 876000h" in caught.value.expected


@pytest.mark.parametrize(
    "text", [" " * 4000 + "x", " " * 4000 + "1h" + " " * 4000 + "x", "1h" + " " * 100 + "30m"]
)
def test_white_space_never_makes_duration_parsing_backtrack(text):
    # the old pattern's three runs of \s* backtracked in cubic time: 4,000 spaces took 80 s
    with pytest.raises(PolicyInputError, match="a duration such as"):
        parse_duration(text, "$.x")
    with pytest.raises(PolicyConfigError) as caught:
        loads_policy(f'schema_version = 1\n[maintenance]\nnotice = "{text}"')
    assert [p.path for p in caught.value.problems] == ["$.maintenance.notice"]


def test_the_absolute_limits_themselves_are_accepted():
    assert parse_duration("876000h") == timing.MAX_DURATION
    assert parse_duration("PT876000H") == timing.MAX_DURATION
    assert parse_calendar_span("36500bd") == CalendarSpan(36_500, SpanUnit.BUSINESS_DAYS)


@pytest.mark.parametrize(
    "text", ["36501d", "36501bd", "99999999bd", "P100000000000000000000D", "9" * 5000 + "d"]
)
def test_parse_calendar_span_refuses_beyond_the_absolute_limit(text):
    with pytest.raises(PolicyInputError) as caught:
        parse_calendar_span(text, "$.x")
    assert (caught.value.field, caught.value.value) == ("$.x", text)
    assert "at most 36500 days or business days" in caught.value.expected


def business_days_by_hand(start, count, workdays, holidays):
    day = start
    while count:
        day += dt.timedelta(days=1)
        if Weekday.of(day) in workdays and day not in holidays:
            count -= 1
    return day


@given(
    st.dates(dt.date(2000, 1, 1), dt.date(2900, 1, 1)),
    st.integers(1, 400),
    st.frozensets(st.sampled_from(list(Weekday)), min_size=1),
    st.lists(st.integers(0, 700), max_size=40),
)
def test_business_days_by_whole_weeks_are_business_days_by_hand(start, count, workdays, offsets):
    holidays = frozenset(start + dt.timedelta(days=n) for n in offsets)
    instant = dt.datetime.combine(start, dt.time(15, 30), tzinfo=dt.UTC)
    got = add_business_days(instant, count, zone="UTC", workdays=workdays, holidays=holidays)
    assert got.date() == business_days_by_hand(start, count, workdays, holidays)
    assert got.timetz() == dt.time(15, 30, tzinfo=dt.UTC)


def test_business_days_take_work_in_holidays_not_in_days(monkeypatch):
    calls = []
    original = timing._workday_after

    def counting(start, count, workdays):
        calls.append(count)
        return original(start, count, workdays)

    monkeypatch.setattr(timing, "_workday_after", counting)
    holidays = frozenset(dt.date(2026, 1, 1) + dt.timedelta(days=7 * n) for n in range(500))
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    due = add_business_days(start, 36_500, zone="UTC", workdays=WEEKDAYS, holidays=holidays)
    assert due.year < 2200
    # one stretch of whole weeks, then one per batch of holidays met: never one per day
    assert len(calls) <= len(holidays) + 1


def test_an_audit_with_the_longest_summary_is_prompt():
    policy = loads_policy(
        'schema_version = 1\n[notifications.SEV-1]\nsummary = "260bd"\n'
        '[notifications.SEV-2]\nsummary = "260bd"\n'
    )
    incident = replay(load_events(SEV1_LOG), policy)
    report = audit(incident, policy)
    assert report.tenants
    # the last instant the library accepts: every due time stays far inside datetime's range
    next_due(incident, policy, now=dt.datetime(2999, 12, 31, 23, 59, tzinfo=dt.UTC))
