"""The time module: aware instants only, durations, calendar spans, business days."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reliability_policy import NaiveDatetimeError, PolicyInputError, Weekday
from reliability_policy.testing import aware_datetimes, durations
from reliability_policy.timing import (
    CalendarSpan,
    SpanUnit,
    add_business_days,
    format_duration,
    format_instant,
    parse_calendar_span,
    parse_clock_time,
    parse_duration,
    parse_instant,
    require_aware,
    require_zone,
)

WEEKDAYS = frozenset(list(Weekday)[:5])


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("30m", 30), ("48h", 48 * 60), ("1h30m", 90), ("PT30M", 30), ("PT1H30M", 90), ("90min", 90)],
)
def test_parse_duration_accepts_the_documented_forms(text, minutes):
    assert parse_duration(text) == dt.timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("soon", "a duration such as"),
        ("", "a duration such as"),
        ("0m", "a positive duration"),
        ("PT0M", "a positive duration"),
        ("PT30S", "a whole number of minutes"),
        ("7d", "a duration such as"),
        (30, "a duration such as"),
        (None, "a duration such as"),
        ("P1Y", "a duration such as"),
        ("PTXM", "a duration such as"),
    ],
)
def test_parse_duration_rejects_with_the_value_and_expectation(text, expected):
    with pytest.raises(PolicyInputError, match=expected) as caught:
        parse_duration(text, "$.x")
    assert caught.value.field == "$.x"
    assert caught.value.value == text


def test_days_are_refused_as_elapsed_time_with_a_hint():
    with pytest.raises(PolicyInputError, match="168h"):
        parse_duration("7d")


@given(durations())
def test_duration_format_round_trips(value):
    assert parse_duration(format_duration(value)) == value


def test_format_duration_prefers_hours():
    assert format_duration(dt.timedelta(hours=2)) == "2h"
    assert format_duration(dt.timedelta(minutes=150)) == "150m"


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("5bd", CalendarSpan(5, SpanUnit.BUSINESS_DAYS)),
        ("7d", CalendarSpan(7, SpanUnit.DAYS)),
        ("P7D", CalendarSpan(7, SpanUnit.DAYS)),
    ],
)
def test_parse_calendar_span(text, span):
    assert parse_calendar_span(text) == span
    assert parse_calendar_span(str(span)) == span


@pytest.mark.parametrize("text", ["0bd", "5", "five days", 5, "5h"])
def test_parse_calendar_span_rejects(text):
    with pytest.raises(PolicyInputError):
        parse_calendar_span(text)


def test_naive_datetime_is_rejected_never_guessed():
    with pytest.raises(NaiveDatetimeError, match="timezone-aware") as caught:
        require_aware(dt.datetime(2026, 3, 8, 2, 30), "now")
    assert caught.value.field == "now"
    with pytest.raises(PolicyInputError, match="timezone-aware"):
        require_aware("2026-03-08", "now")


def test_parse_instant():
    assert parse_instant("2026-03-08T06:30:00Z") == dt.datetime(2026, 3, 8, 6, 30, tzinfo=dt.UTC)
    with pytest.raises(NaiveDatetimeError):
        parse_instant("2026-03-08T06:30:00")
    with pytest.raises(PolicyInputError, match="ISO 8601"):
        parse_instant("yesterday")
    with pytest.raises(PolicyInputError):
        parse_instant(12)


@given(aware_datetimes())
def test_instant_format_round_trips(value):
    assert parse_instant(format_instant(value)) == value


def test_clock_times():
    assert parse_clock_time("02:00") == dt.time(2, 0)
    assert parse_clock_time("24:00") == dt.time(0, 0)
    for bad in ("2:00", "25:00", "02:60", "noon", 2):
        with pytest.raises(PolicyInputError, match="HH:MM"):
            parse_clock_time(bad)


def test_zones():
    assert str(require_zone("Asia/Kathmandu", "tz")) == "Asia/Kathmandu"
    for bad in ("Mars/Base", "", " UTC", 5, "../etc/passwd"):
        with pytest.raises(PolicyInputError, match="IANA"):
            require_zone(bad, "tz")


def test_business_days_skip_weekend_and_holiday():
    friday = dt.datetime(2026, 12, 18, 15, 0, tzinfo=dt.UTC)
    due = add_business_days(
        friday, 5, zone="UTC", workdays=WEEKDAYS, holidays={dt.date(2026, 12, 25)}
    )
    # Mon 21, Tue 22, Wed 23, Thu 24, (Fri 25 holiday), (weekend), Mon 28.
    assert due == dt.datetime(2026, 12, 28, 15, 0, tzinfo=dt.UTC)


def test_business_days_keep_local_wall_time_across_dst():
    # Friday 2026-03-06 10:00 in New York (EST); five business days later is after the
    # spring-forward night, still at 10:00 local (now EDT).
    zone = "America/New_York"
    start = dt.datetime(2026, 3, 6, 15, 0, tzinfo=dt.UTC)
    due = add_business_days(start, 5, zone=zone, workdays=WEEKDAYS, holidays=())
    assert due == dt.datetime(2026, 3, 13, 14, 0, tzinfo=dt.UTC)


def test_business_days_need_a_workday():
    with pytest.raises(PolicyInputError, match="working day"):
        add_business_days(
            dt.datetime(2026, 1, 1, tzinfo=dt.UTC), 1, zone="UTC", workdays=(), holidays=()
        )


@given(aware_datetimes(), st.integers(1, 20))
def test_business_days_land_on_a_workday_at_least_count_days_later(start, count):
    due = add_business_days(start, count, zone="UTC", workdays=WEEKDAYS, holidays=())
    assert due - start >= dt.timedelta(days=count) - dt.timedelta(hours=1)
    assert Weekday.of(due.astimezone(dt.UTC).date()) in WEEKDAYS


def test_calendar_days_keep_wall_time():
    start = dt.datetime(2026, 3, 7, 12, 0, tzinfo=dt.UTC)  # 07:00 EST
    after = CalendarSpan(1, SpanUnit.DAYS).after(
        start, zone="America/New_York", workdays=WEEKDAYS, holidays=()
    )
    assert after - start == dt.timedelta(hours=23)
