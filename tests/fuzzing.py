"""Helpers for the parser fuzz tests: TOML/JSON-shaped values, one-value mutations of a valid
document, and structure-aware strategies for hostile input (RRULEs, durations at their
bounds, edge instants, control characters), with a counter of dateutil's work. (Not a test
module: pytest collects only ``test_*.py``.)"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any

from dateutil import rrule as dateutil_rrule
from hypothesis import strategies as st

scalars = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["30m", "48h", "5bd", "SEV-1", "SUN", "02:00", "none", "UTC", "email"]),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(dt.UTC)),
    st.times(),
)
toml_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path in nested tables and lists."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*prefix, index)
            yield from paths(value, (*prefix, index))


def replace(data: Any, path: tuple[Any, ...] | list[Any], value: Any) -> Any:
    """A copy of ``data`` with the value at ``path`` replaced."""
    if not path:
        return value
    head, *rest = path
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[head] = replace(copy[head], rest, value)
    return copy


# --- hostile input: structure-aware strategies (issue 15) ------------------------------------

RRULE_FREQUENCIES = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_ODD_NUMBERS = st.sampled_from(
    ["0", "-0", "+1", "-1", "13", "25", "32", "54", "60", "367", "x", ""]
)


def _numbers(low: int, high: int) -> st.SearchStrategy[str]:
    """A comma list of numbers in a BY-part's range, or around and beyond it."""
    inside = st.integers(low, high)
    if low < 0:  # a signed part: 1 to high or -high to -1, never 0
        inside = st.builds(lambda sign, n: sign * n, st.sampled_from([1, -1]), st.integers(1, high))
    valid = st.lists(inside.map(str), min_size=1, max_size=4, unique=True)
    hostile = st.lists(
        st.one_of(st.integers(low - 3, high + 3).map(str), _ODD_NUMBERS), min_size=1, max_size=4
    )
    return st.one_of(valid, valid, hostile).map(",".join)


_BYDAY_ITEMS = st.builds(
    lambda sign, n, day: f"{sign}{n}{day}",
    st.sampled_from(["", "+", "-"]),
    st.sampled_from(["", "0", "1", "2", "5", "6", "53", "54"]),
    st.sampled_from([*_DAYS, "XX"]),
)
_PART_VALUES: dict[str, st.SearchStrategy[str]] = {
    "INTERVAL": st.one_of(
        st.integers(1, 12).map(str), st.integers(-2, 1002).map(str), _ODD_NUMBERS
    ),
    "COUNT": st.one_of(st.integers(-1, 500).map(str), _ODD_NUMBERS),
    "UNTIL": st.sampled_from(["20260110", "20260110T000000Z", "99991231", "00010101", "x"]),
    "WKST": st.sampled_from([*_DAYS, "XX", ""]),
    "BYSECOND": _numbers(0, 59),
    "BYMINUTE": _numbers(0, 59),
    "BYHOUR": _numbers(0, 23),
    "BYDAY": st.one_of(
        st.lists(st.sampled_from(_DAYS), min_size=1, max_size=3, unique=True),
        st.lists(_BYDAY_ITEMS, min_size=1, max_size=3),
    ).map(",".join),
    "BYMONTHDAY": _numbers(-31, 31),
    "BYYEARDAY": _numbers(-366, 366),
    "BYWEEKNO": _numbers(-53, 53),
    "BYMONTH": _numbers(1, 12),
    "BYSETPOS": _numbers(-366, 366),
    "BYEASTER": st.just("0"),
    "DTSTART": st.just("20260101T000000"),
}


_USUAL_PARTS = ("INTERVAL", "WKST", "BYDAY", "BYHOUR", "BYMINUTE", "BYMONTH", "BYMONTHDAY")


@st.composite
def rrules(draw: st.DrawFn) -> str:
    """RRULE text built from parts: every frequency, BY-parts in and out of their ranges,
    COUNT/UNTIL, unknown parts, and now and then a control character or a second line. About
    half the rules are usable windows; the rest are hostile in one way or more."""
    frequencies = st.sampled_from([*RRULE_FREQUENCIES, "SOMETIMES"])
    usual = st.sampled_from(RRULE_FREQUENCIES[:5])
    parts = [f"FREQ={draw(st.one_of(usual, frequencies))}"]
    keys = st.one_of(st.sampled_from(_USUAL_PARTS), st.sampled_from(sorted(_PART_VALUES)))
    parts.extend(
        f"{key}={draw(_PART_VALUES[key])}" for key in draw(st.lists(keys, max_size=5, unique=True))
    )
    parts = draw(st.permutations(parts))
    text = ";".join(parts)
    noise = draw(st.sampled_from(["", "", "", "", "", "\x00", "\n", "\r", "\u2028", "RRULE:", ";"]))
    position = draw(st.integers(0, len(text)))
    return text[:position] + noise + text[position:]


WINDOW_RULES = [
    # usable rules, some that occur rarely: expansion must equal dateutil's own from the anchor
    "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2",
    "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=SU,MO,SA;BYHOUR=1;BYMINUTE=30",
    "FREQ=WEEKLY;INTERVAL=5;WKST=TH",
    "FREQ=DAILY;INTERVAL=7;BYDAY=MO",
    "FREQ=DAILY;INTERVAL=5;BYHOUR=3,15",
    "FREQ=HOURLY;INTERVAL=7",
    "FREQ=HOURLY;INTERVAL=10;BYMONTHDAY=1,15;BYMINUTE=20",
    "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1SU;BYHOUR=4",
    "FREQ=MONTHLY;BYMONTHDAY=-1,31;BYHOUR=3",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    "FREQ=YEARLY;INTERVAL=3;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=YEARLY;BYWEEKNO=1,52;WKST=SU;BYDAY=SU",
    "FREQ=YEARLY;BYYEARDAY=-1,60,366",
    "FREQ=YEARLY;BYDAY=20MO",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYHOUR=1",
]
SPARSE_RULES = [
    # rules that never or rarely occur: dateutil alone would walk period by period to 9999
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31",
    "FREQ=WEEKLY;BYMONTH=2;BYDAY=MO;BYHOUR=1",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;INTERVAL=7;BYDAY=TU",
    "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=HOURLY;INTERVAL=7;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=MONTHLY;BYMONTH=2;BYDAY=5SU",
    "FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH",
    "FREQ=YEARLY;BYDAY=-53FR",
    "FREQ=DAILY;BYHOUR=1;BYSETPOS=2",
]
EDGE_INSTANT_TEXTS = [
    "0001-01-01T00:00:00+01:00",
    "0001-01-01T00:00:00Z",
    "1970-12-31T23:59:59Z",
    "1971-01-01T00:00:00+00:01",
    "3000-01-01T00:00:00Z",
    "2999-12-31T23:00:00-01:00",
    "9999-12-31T23:00:00Z",
    "9999-12-31T23:59:59-23:59",
]


@st.composite
def edge_instants(draw: st.DrawFn) -> dt.datetime:
    """Aware instants near the years 1 and 9999 and the library's own bounds, odd offsets."""
    offset = dt.timezone(dt.timedelta(minutes=draw(st.integers(-23 * 60 - 59, 23 * 60 + 59))))
    near = draw(
        st.sampled_from(
            [
                dt.datetime(1, 1, 1),
                dt.datetime(1970, 12, 31, 12),
                dt.datetime(1971, 1, 1),
                dt.datetime(2999, 12, 31, 12),
                dt.datetime(3000, 1, 1),
                dt.datetime(9999, 12, 31),
            ]
        )
    )
    shift = dt.timedelta(minutes=draw(st.integers(-2 * 24 * 60, 2 * 24 * 60)))
    try:
        wall = near + shift
    except OverflowError:
        wall = near
    return wall.replace(tzinfo=offset)


def durations_at_bounds(unit: str) -> st.SearchStrategy[str]:
    """Durations written at and beyond every limit: the concern's, the absolute one and
    Python's own, in compact and ISO form."""
    numbers = st.one_of(
        st.sampled_from([0, 1, 7, 168, 169, 365, 8760, 8761, 36_500, 876_000, 876_001]),
        st.sampled_from([2**31, 2**32, 999_999_999, 10**20, 10**400]),
        st.integers(0, 10**12),
    )
    if unit == "span":
        return st.builds(
            lambda n, form: form.format(n),
            numbers,
            st.sampled_from(["{}d", "{}bd", "P{}D", " {} bd ", "{}BD"]),
        )
    forms = ["{}h", "{}m", "{}min", "PT{}H", "PT{}M", "PT{}S", "{0}h{0}m", "1h{}m", " {}h "]
    padded = st.builds(
        lambda left, right, tail: " " * left + "1h" + " " * right + tail,
        st.integers(0, 5_000),
        st.integers(0, 5_000),
        st.sampled_from(["", "x", "30m", "m"]),
    )
    return st.one_of(
        st.builds(lambda n, form: form.format(n), numbers, st.sampled_from(forms)), padded
    )


control_text = st.text(
    st.characters(codec="utf-8", categories=("Cc", "Cs", "Zl", "Zp", "Co", "L", "N")),
    max_size=30,
)
"""Text heavy in control characters (NUL included), line and paragraph separators."""


class Work:
    """dateutil's work while expanding rules: periods walked and occurrences produced."""

    def __init__(self) -> None:
        self.periods = 0
        self.occurrences = 0


@contextlib.contextmanager
def rrule_work() -> Iterator[Work]:
    """Count dateutil's work (a test-only instrument: the library keeps no counter).

    Every turn of dateutil's iterator asks for the days of one period (a year, month, week or
    day; hours share their day's), so counting those calls counts the periods walked, empty
    ones included; occurrences are counted as the iterator yields them.
    """
    work = Work()
    info = dateutil_rrule._iterinfo
    names = ("ydayset", "mdayset", "wdayset", "ddayset")
    originals = {name: getattr(info, name) for name in names}
    original_iter = dateutil_rrule.rrule._iter

    def counting(original: Any) -> Any:
        def wrapper(self: Any, *args: Any) -> Any:
            work.periods += 1
            return original(self, *args)

        return wrapper

    def iterate(self: Any) -> Iterator[dt.datetime]:
        for occurrence in original_iter(self):
            work.occurrences += 1
            yield occurrence

    for name, original in originals.items():
        setattr(info, name, counting(original))
    dateutil_rrule.rrule._iter = iterate
    try:
        yield work
    finally:
        for name, original in originals.items():
            setattr(info, name, original)
        dateutil_rrule.rrule._iter = original_iter


class BusinessDayWork:
    """The business-day counter's work: calls, and stretches of whole weeks counted."""

    def __init__(self) -> None:
        self.calls = 0
        self.holidays = 0
        self.stretches = 0


@contextlib.contextmanager
def business_day_work() -> Iterator[BusinessDayWork]:
    """Count the stretches ``add_business_days`` counts (whole weeks at a time): at most one
    per call plus one per holiday, never one per day."""
    from reliability_policy import timing

    work = BusinessDayWork()
    original_add = timing._business_day_after
    original_stretch = timing._workday_after

    def add(start: dt.date, count: int, workdays: Any, holidays: Any) -> dt.date:
        work.calls += 1
        work.holidays += len(holidays)
        return original_add(start, count, workdays, holidays)

    def stretch(start: dt.date, count: int, workdays: Any) -> dt.date:
        work.stretches += 1
        return original_stretch(start, count, workdays)

    timing._business_day_after = add
    timing._workday_after = stretch
    try:
        yield work
    finally:
        timing._business_day_after = original_add
        timing._workday_after = original_stretch
