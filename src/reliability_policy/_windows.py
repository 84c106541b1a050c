"""Private helpers for maintenance planning: wall-clock windows as sets of UTC instants.

A local window is *the set of instants whose local wall time lies in [start, end)* (SPEC
section 0). Here that set is computed exactly: the zone's UTC offset is piecewise constant
between transitions, so on each piece the instants whose wall time lies in [A, B) are
[A - offset, B - offset) clipped to the piece. DST gaps then shorten a window and repeated
hours lengthen it, without special cases.

Instants are whole POSIX seconds (``int``); wall times are "wall seconds", the same count
read as if the wall clock were UTC. An interval list is a tuple of half-open ``(start, end)``
pairs, sorted, disjoint and never touching (touching intervals are merged).

Everything here is standard library (``datetime``, ``zoneinfo``) plus ``dateutil.rrule``; the
expensive expansions are cached per (zone, windows, day range), so planning for many tenants
works once per distinct zone and window set. An RRULE is checked part by part before dateutil
reads it (:func:`rrule_problem`, the one RRULE check) and only ever expanded over a bounded
horizon with a bounded amount of work (:func:`rrule_starts`).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import itertools
import re
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import Final

from dateutil import rrule as dateutil_rrule

from reliability_policy.errors import PolicyInputError
from reliability_policy.policy import RRuleWindow, WeeklyWindow, Window
from reliability_policy.timing import require_zone

DAY: Final = 86_400
WEEK: Final = 7 * DAY
EPOCH_ORDINAL: Final = dt.date(1970, 1, 1).toordinal()
_EPOCH: Final = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_SECOND: Final = dt.timedelta(seconds=1)

RRULE_ANCHOR: Final = dt.datetime(2000, 1, 3)
"""RRULE windows are read from this local wall time (a Monday at 00:00) in the tenant's zone."""

MAX_OCCURRENCES: Final = 100_000
"""At most this many occurrences of one RRULE are expanded for one horizon (a runaway guard)."""

RRULE_EXAMPLE: Final = "an RFC 5545 RRULE such as 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0'"

Interval = tuple[int, int]
Intervals = tuple[Interval, ...]
Piece = tuple[int, int, int]


# --- instants ---------------------------------------------------------------------------------


def to_seconds(instant: dt.datetime) -> int:
    """The POSIX second at or before an aware ``instant``."""
    return (instant - _EPOCH) // _SECOND


def to_seconds_ceil(instant: dt.datetime) -> int:
    """The POSIX second at or after an aware ``instant``."""
    return -((_EPOCH - instant) // _SECOND)


def from_seconds(seconds: int) -> dt.datetime:
    """The aware UTC datetime of a POSIX second."""
    return _EPOCH + dt.timedelta(seconds=seconds)


def ceil_minute(seconds: int) -> int:
    """Round a POSIX second up to a whole minute."""
    return -(-seconds // 60) * 60


def wall_seconds(wall: dt.datetime) -> int:
    """A naive local wall time as wall seconds."""
    return (
        (wall.toordinal() - EPOCH_ORDINAL) * DAY + wall.hour * 3600 + wall.minute * 60 + wall.second
    )


def wall_datetime(seconds: int) -> dt.datetime:
    """The naive wall time of wall seconds."""
    return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds)


# --- a zone's offset, piece by piece ----------------------------------------------------------


def _offset(zone: zoneinfo.ZoneInfo, seconds: int) -> int:
    offset = dt.datetime.fromtimestamp(seconds, zone).utcoffset()
    if offset is None:  # pragma: no cover - a ZoneInfo always has an offset
        return 0
    return offset.days * DAY + offset.seconds


@functools.lru_cache(maxsize=4096)
def offset_pieces(zone_name: str, day0: int, day1: int) -> tuple[Piece, ...]:
    """``(start, end, offset)`` pieces covering UTC days ``[day0, day1)``.

    The offset is probed at every UTC midnight and each change is located to the second by
    bisection, so two transitions less than a day apart would be missed (no real zone has
    had such a pair in the planning years).
    """
    zone = require_zone(zone_name, "time_zone")
    pieces: list[Piece] = []
    start = day0 * DAY
    current = _offset(zone, start)
    for day in range(day0 + 1, day1 + 1):
        probe = day * DAY
        if _offset(zone, probe) == current:
            continue
        low, high = probe - DAY, probe
        while high - low > 1:
            middle = (low + high) // 2
            if _offset(zone, middle) == current:
                low = middle
            else:
                high = middle
        pieces.append((start, high, current))
        start, current = high, _offset(zone, high)
    pieces.append((start, day1 * DAY, current))
    return tuple(pieces)


def walls_to_instants(walls: Iterable[Interval], pieces: Sequence[Piece]) -> Intervals:
    """The instants whose wall time lies in any of the wall intervals ``walls``."""
    found: list[Interval] = []
    for wall_start, wall_end in walls:
        for piece_start, piece_end, offset in pieces:
            start = wall_start - offset
            end = wall_end - offset
            if start < piece_start:
                start = piece_start
            if end > piece_end:
                end = piece_end
            if start < end:
                found.append((start, end))
    return merge(found)


# --- interval arithmetic ----------------------------------------------------------------------


def merge(intervals: Iterable[Interval]) -> Intervals:
    """Sort and merge overlapping or touching intervals."""
    ordered = sorted(intervals)
    if not ordered:
        return ()
    merged: list[Interval] = []
    current_start, current_end = ordered[0]
    for start, end in ordered[1:]:
        if start <= current_end:
            if end > current_end:
                current_end = end
        else:
            merged.append((current_start, current_end))
            current_start, current_end = start, end
    merged.append((current_start, current_end))
    return tuple(merged)


def intersect(left: Intervals, right: Intervals) -> Intervals:
    """The instants in both interval lists."""
    result: list[Interval] = []
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
    return tuple(result)


def subtract(base: Intervals, removed: Intervals) -> Intervals:
    """The instants of ``base`` outside ``removed``."""
    if not removed:
        return base
    result: list[Interval] = []
    j = 0
    for start, end in base:
        while j < len(removed) and removed[j][1] <= start:
            j += 1
        k = j
        cursor = start
        while k < len(removed) and removed[k][0] < end:
            if removed[k][0] > cursor:
                result.append((cursor, removed[k][0]))
            cursor = max(cursor, removed[k][1])
            k += 1
        if cursor < end:
            result.append((cursor, end))
    return tuple(result)


def clip(intervals: Intervals, low: int, high: int) -> Intervals:
    """The part of ``intervals`` inside [low, high)."""
    return intersect(intervals, ((low, high),)) if low < high else ()


def contains(intervals: Intervals, start: int, end: int) -> bool:
    """Whether [start, end) lies inside one interval of a merged list."""
    return any(a <= start and end <= b for a, b in intervals)


def earliest_fit(intervals: Intervals, low: int, latest: int, length: int) -> int | None:
    """The earliest whole-minute start ``s`` in [low, latest] with [s, s + length) inside."""
    for start, end in intervals:
        if end - length < low:
            continue
        candidate = ceil_minute(max(start, low))
        if candidate > latest:
            return None
        if candidate + length <= end:
            return candidate
    return None


def start_ranges(intervals: Intervals, low: int, latest: int, length: int) -> Intervals:
    """Closed ranges ``(first, last)`` of whole-minute starts that fit, as pairs."""
    ranges: list[Interval] = []
    for start, end in intervals:
        first = ceil_minute(max(start, low))
        last = min(end - length, latest)
        last -= last % 60
        if first <= last:
            ranges.append((first, last))
    return tuple(ranges)


# --- windows in wall time ---------------------------------------------------------------------


def _clock_seconds(value: dt.time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second


def weekly_walls(window: WeeklyWindow, ordinal0: int, ordinal1: int) -> list[Interval]:
    """Wall intervals of a weekly window starting on local dates ``[ordinal0, ordinal1]``."""
    start = _clock_seconds(window.start)
    end = _clock_seconds(window.end)
    if end <= start:
        end += DAY
    first = ordinal0 + (window.day.index - (ordinal0 - 1)) % 7
    return [
        ((ordinal - EPOCH_ORDINAL) * DAY + start, (ordinal - EPOCH_ORDINAL) * DAY + end)
        for ordinal in range(first, ordinal1 + 1, 7)
    ]


# --- RRULE windows ----------------------------------------------------------------------------
#
# A window rule is checked by its parts before dateutil ever sees it (rrule_problem), and it is
# only ever expanded inside a bounded horizon (rrule_starts). The second needs care: dateutil's
# iterator only checks UNTIL, COUNT and ``between``'s bound when a candidate occurrence passes
# every BY-part, so a rule with long stretches of no occurrence (February 30th, a leap day, a
# fifth Sunday in February) makes it iterate period by period up to the year 9999: seconds of
# work, and forever with some intervals. Here the horizon is moved, by whole years, into a
# stretch near the year 9999 with the very same calendar (leap years and weekdays; the
# Gregorian calendar repeats every 400 years), where dateutil's own end of time stops it
# within a few decades of periods; the occurrences are moved back.

FREQUENCIES: Final = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY")
"""The frequencies a window rule may have: a window starts at most every hour."""
_TOO_FINE: Final = ("MINUTELY", "SECONDLY")
_RRULE_WEEKDAYS: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_INTERVAL: Final = 1000
"""The largest INTERVAL of a window rule."""
MAX_RRULE_CHARS: Final = 500
"""The longest window rule, in characters."""
MAX_WINDOW_DURATION: Final = dt.timedelta(weeks=1)
"""The longest RRULE window: a window is a stretch of a week, never more."""
_WINDOW_SECONDS: Final = WEEK

# part: (lowest absolute value, highest absolute value, may be negative)
_NUMBER_PARTS: Final = {
    "BYSECOND": (0, 59, False),
    "BYMINUTE": (0, 59, False),
    "BYHOUR": (0, 23, False),
    "BYMONTH": (1, 12, False),
    "BYMONTHDAY": (1, 31, True),
    "BYYEARDAY": (1, 366, True),
    "BYWEEKNO": (1, 53, True),
    "BYSETPOS": (1, 366, True),
}
# RFC 5545 section 3.3.10: BY-parts a frequency must not have.
_NOT_WITH: Final = {
    "BYMONTHDAY": ("WEEKLY",),
    "BYYEARDAY": ("MONTHLY", "WEEKLY", "DAILY"),
    "BYWEEKNO": ("MONTHLY", "WEEKLY", "DAILY", "HOURLY"),
    # not RFC 5545's rule but ours: a BYSETPOS that picks past an hour's starts would have
    # dateutil walk hour by hour through centuries
    "BYSETPOS": ("HOURLY",),
}
_KNOWN_PARTS: Final = ("FREQ", "INTERVAL", "WKST", "BYDAY", *_NUMBER_PARTS)
_DATE_PARTS: Final = ("BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY")
_NUMBER = re.compile(r"[+-]?[0-9]{1,3}")
_BYDAY = re.compile(r"(?P<sign>[+-]?)(?P<n>[0-9]{1,2})?(?P<day>MO|TU|WE|TH|FR|SA|SU)")
_SINGLE_LINE: Final = (
    RRULE_EXAMPLE + " (a single RRULE line: no DTSTART, RDATE or EXDATE; windows are "
    "read in the tenant's own zone)"
)

_PERIODS: Final = {
    "WEEKLY": dt.timedelta(weeks=1),
    "DAILY": dt.timedelta(days=1),
    "HOURLY": dt.timedelta(hours=1),
}
_MONTHS: Final = {"YEARLY": 12, "MONTHLY": 1}
_CHUNK: Final = dt.timedelta(days=2 * 366)
_LAST_FRAME_YEAR: Final = dt.MAXYEAR - 1
_CYCLE_YEARS: Final = 400
MAX_FRAME_YEARS: Final = 410
"""The most years of periods dateutil walks through for one chunk (two years) of horizon.

The frame for a chunk ends at the latest stretch of years with the chunk's calendar before
the year 9999 (within 400 years, the Gregorian cycle; typically within 30), and dateutil stops
there at the latest: so at most about 150,000 daily or weekly periods, whatever the rule.
"""
PROBE_WEEKS: Final = 54
"""A window rule must occur in the first this-many weeks from :data:`RRULE_ANCHOR`."""


def rrule_parts(text: str) -> dict[str, str] | None:
    """The ``KEY=VALUE`` parts of a single RRULE line, or ``None`` if it is not one."""
    parts, _ = _split(text)
    return None if parts is None else dict(parts)


def _split(text: object) -> tuple[dict[str, str] | None, str | None]:
    """The parts of a single RRULE line, or ``None`` and what is wrong."""
    if not isinstance(text, str):
        return None, _SINGLE_LINE
    return _split_text(text)


@functools.lru_cache(maxsize=1024)
def _split_text(text: str) -> tuple[dict[str, str] | None, str | None]:
    if len(text) > MAX_RRULE_CHARS:
        return None, f"an RRULE of at most {MAX_RRULE_CHARS} characters"
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:") :]
    if not body or "\n" in body or ":" in body:
        return None, _SINGLE_LINE
    parts: dict[str, str] = {}
    for item in body.split(";"):
        key, sep, value = item.partition("=")
        key = key.strip().upper()
        if not sep:
            return None, _SINGLE_LINE
        if key in parts:
            return None, f"an RRULE that gives each part once ({key} is given twice)"
        parts[key] = value.strip().upper()
    return parts, None


def _part_problem(parts: dict[str, str]) -> str | None:
    """What is wrong with a rule's parts, read one by one, before dateutil sees them."""
    frequency = parts.get("FREQ")
    if frequency in _TOO_FINE:
        return (
            "an RRULE with FREQ=HOURLY or coarser (YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY): "
            f"a window starts at most every hour, not every {frequency.lower().removesuffix('ly')}"
        )
    if frequency not in FREQUENCIES:
        return _SINGLE_LINE
    for key in ("COUNT", "UNTIL"):
        if key in parts:
            return (
                "an RRULE without COUNT or UNTIL: a low-traffic window is a standing term "
                "that never runs out (to end a window, take it out of the policy)"
            )
    for key, value in parts.items():
        if key not in _KNOWN_PARTS:
            return (
                "an RRULE with only the parts FREQ, INTERVAL, WKST, BYMONTH, BYWEEKNO, "
                f"BYYEARDAY, BYMONTHDAY, BYDAY, BYHOUR, BYMINUTE, BYSECOND, BYSETPOS (not {key})"
            )
        if frequency in _NOT_WITH.get(key, ()):
            source = "" if key == "BYSETPOS" else " (RFC 5545)"
            return f"an RRULE without {key} for FREQ={frequency}{source}"
        problem = _value_problem(key, value, frequency, parts)
        if problem is not None:
            return problem
    if "BYSETPOS" in parts and not any(k.startswith("BY") and k != "BYSETPOS" for k in parts):
        return "an RRULE with BYSETPOS only beside another BY-part (the set it picks from)"
    return None


def _value_problem(key: str, value: str, frequency: str, parts: dict[str, str]) -> str | None:
    if key == "FREQ":
        return None
    if key == "INTERVAL":
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_INTERVAL:
            return (
                f"an RRULE whose INTERVAL is a whole number from 1 to {MAX_INTERVAL}, not {value!r}"
            )
        return None
    if key == "WKST":
        if value not in _RRULE_WEEKDAYS:
            return f"an RRULE whose WKST is one of {', '.join(_RRULE_WEEKDAYS)}, not {value!r}"
        return None
    items = value.split(",")
    if key == "BYDAY":
        return _byday_problem(items, frequency, parts)
    low, high, signed = _NUMBER_PARTS[key]
    ranges = f"{low} to {high}" + (f" or -{high} to -{max(low, 1)}" if signed else "")
    expected = f"an RRULE whose {key} is a list of whole numbers from {ranges}, not {value!r}"
    for item in items:
        if not _NUMBER.fullmatch(item):
            return expected
        number = int(item)
        if not low <= abs(number) <= high or (item[0] in "+-" and not signed):
            return expected
    return None


def _byday_problem(items: list[str], frequency: str, parts: dict[str, str]) -> str | None:
    # RFC 5545: with YEARLY and BYMONTH, a position counts within the month (dateutil then
    # indexes past its year for positions beyond 5)
    limit = {"MONTHLY": 5, "YEARLY": 5 if "BYMONTH" in parts else 53}.get(frequency)
    if "BYWEEKNO" in parts:
        limit = None
    for item in items:
        match = _BYDAY.fullmatch(item)
        if match is None:
            return f"an RRULE whose BYDAY lists days such as 'SU', '1SU' or '-1SA', not {item!r}"
        if match["n"] is None:
            if match["sign"]:
                return (
                    f"an RRULE whose BYDAY lists days such as 'SU', '1SU' or '-1SA', not {item!r}"
                )
            continue
        if limit is None:
            return (
                f"an RRULE whose BYDAY has no position such as {item!r} for FREQ={frequency}"
                + (" with BYWEEKNO" if "BYWEEKNO" in parts else "")
                + " (RFC 5545: positions only for MONTHLY and YEARLY)"
            )
        if not 1 <= int(match["n"]) <= limit:
            return (
                f"an RRULE whose BYDAY positions are 1 to {limit} or -{limit} to -1, not {item!r}"
            )
    return None


def _explicit(parts: dict[str, str]) -> str:
    """The rule with every default that dateutil takes from DTSTART written out.

    dateutil fills a missing day (BYMONTHDAY, BYDAY, BYMONTH) and time (BYHOUR, BYMINUTE,
    BYSECOND) from DTSTART; written out from :data:`RRULE_ANCHOR` (Monday 3 January 2000,
    00:00), the rule means the same from any DTSTART at the start of one of its periods.
    """
    explicit = dict(parts)
    frequency = parts["FREQ"]
    if not any(key in parts for key in _DATE_PARTS):
        if frequency == "YEARLY":
            explicit.setdefault("BYMONTH", str(RRULE_ANCHOR.month))
            explicit["BYMONTHDAY"] = str(RRULE_ANCHOR.day)
        elif frequency == "MONTHLY":
            explicit["BYMONTHDAY"] = str(RRULE_ANCHOR.day)
        elif frequency == "WEEKLY":
            explicit["BYDAY"] = _RRULE_WEEKDAYS[RRULE_ANCHOR.weekday()]
    if frequency != "HOURLY":
        explicit.setdefault("BYHOUR", str(RRULE_ANCHOR.hour))
    explicit.setdefault("BYMINUTE", str(RRULE_ANCHOR.minute))
    explicit.setdefault("BYSECOND", str(RRULE_ANCHOR.second))
    return ";".join(f"{key}={value}" for key, value in explicit.items())


@functools.lru_cache(maxsize=1024)
def _build_rule(explicit: str, dtstart: dt.datetime) -> dateutil_rrule.rrule:
    rule = dateutil_rrule.rrulestr(explicit, dtstart=dtstart)
    if not isinstance(rule, dateutil_rrule.rrule):  # pragma: no cover - single lines only
        raise ValueError("not a single RRULE")
    return rule


def rrule_problem(text: str, min_block: dt.timedelta | None = None) -> str | None:
    """What is wrong with a window RRULE, or ``None`` if it is usable: the one RRULE check.

    The rule is read part by part first: a single line with FREQ HOURLY or coarser, an
    INTERVAL from 1 to :data:`MAX_INTERVAL`, every BY-part's values in range and allowed for
    the frequency (RFC 5545), BYSETPOS only with another BY-part, no unknown part, and no
    COUNT or UNTIL: a window is a standing term, and a rule that runs out would pass this
    check (which cannot know "now") and then fail every later plan. Only then is it expanded
    over the :data:`PROBE_WEEKS` weeks from :data:`RRULE_ANCHOR`: a rule with no occurrence
    there, or (given ``min_block``, the policy's ``maintenance.min_block``) with two starts
    closer than ``min_block``, is refused. A rule that recurs but rarely passes here; the
    room check (:func:`weekly_room`) then finds too little room in it.
    """
    if not isinstance(text, str):
        return _SINGLE_LINE
    return _rrule_problem(text, min_block if isinstance(min_block, dt.timedelta) else None)


@functools.lru_cache(maxsize=1024)
def _rrule_problem(text: str, min_block: dt.timedelta | None) -> str | None:
    parts, problem = _split(text)
    if parts is None:
        return problem or _SINGLE_LINE
    problem = _part_problem(parts)
    if problem is not None:
        return problem
    explicit = _explicit(parts)
    try:
        _build_rule(explicit, RRULE_ANCHOR)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        return f"{RRULE_EXAMPLE} (dateutil cannot read it: {error})"
    try:
        starts = _starts(explicit, RRULE_ANCHOR, RRULE_ANCHOR + dt.timedelta(weeks=PROBE_WEEKS))
    except _TooMany:
        return f"an RRULE with at most {MAX_OCCURRENCES} occurrences in {PROBE_WEEKS} weeks"
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        return f"{RRULE_EXAMPLE} (dateutil cannot expand it: {type(error).__name__}: {error})"
    if not starts:
        return (
            f"an RRULE that occurs: this one has no occurrence in the {PROBE_WEEKS} weeks from "
            f"{RRULE_ANCHOR:%Y-%m-%d}, where windows are measured"
        )
    if min_block is not None and len(starts) > 1:
        gap = min(later - earlier for earlier, later in itertools.pairwise(starts))
        if gap < min_block:
            return (
                f"an RRULE whose windows start at least maintenance.min_block "
                f"({_clock(min_block)}) apart; this one starts windows {_clock(gap)} apart"
            )
    return None


def _clock(value: dt.timedelta) -> str:
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "")
    return text + (f"{seconds}s" if seconds or not text else "")


class _TooMany(Exception):
    """More than :data:`MAX_OCCURRENCES` occurrences in one horizon."""


def rrule_starts(text: str, low: dt.datetime, high: dt.datetime, field: str) -> list[dt.datetime]:
    """The local wall times in [low, high) at which a window rule starts a window.

    The rule is anchored at :data:`RRULE_ANCHOR`: it has no occurrence before it. The work is
    bounded whatever the rule and the horizon: at most :data:`MAX_OCCURRENCES` occurrences,
    and for each two years of horizon dateutil walks through at most :data:`MAX_FRAME_YEARS`
    years of periods (typically a few decades; see the comment above :data:`FREQUENCIES`).

    Raises:
        PolicyInputError: the rule is not usable (:func:`rrule_problem`), or has more than
            :data:`MAX_OCCURRENCES` occurrences in the horizon.
    """
    parts, problem = _split(text)
    problem = problem if parts is None else _part_problem(parts)
    if parts is None or problem is not None:
        raise PolicyInputError(f"{field}.rrule", text, problem or _SINGLE_LINE)
    try:
        starts = _week_aligned_starts(_explicit(parts), _week_floor(low), _week_ceil(high))
    except _TooMany:
        expected = f"an RRULE with at most {MAX_OCCURRENCES} occurrences in the planning horizon"
        raise PolicyInputError(f"{field}.rrule", text, expected) from None
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        raise PolicyInputError(f"{field}.rrule", text, f"{RRULE_EXAMPLE} ({error})") from None
    return list(starts[bisect.bisect_left(starts, low) : bisect.bisect_left(starts, high)])


# Zones plan over horizons that differ by their offsets (at most a day of wall time): rounded
# out to whole weeks, most share one horizon, so a rule is expanded once for all of them.
_WEEK: Final = dt.timedelta(days=7)


def _week_floor(wall: dt.datetime) -> dt.datetime:
    day = wall.date() - dt.timedelta(days=wall.weekday() + 7)
    return dt.datetime.combine(day, dt.time())


def _week_ceil(wall: dt.datetime) -> dt.datetime:
    return _week_floor(wall) + 3 * _WEEK


@functools.lru_cache(maxsize=256)
def _week_aligned_starts(
    explicit: str, low: dt.datetime, high: dt.datetime
) -> tuple[dt.datetime, ...]:
    """:func:`_starts` over a week-aligned horizon, kept for the other zones that plan in it."""
    return tuple(_starts(explicit, low, high))


def _starts(explicit: str, low: dt.datetime, high: dt.datetime) -> list[dt.datetime]:
    """The occurrences in [low, high) of a checked rule with explicit defaults, in chunks."""
    found: list[dt.datetime] = []
    cursor = max(low, RRULE_ANCHOR)
    while cursor < high:
        end = min(high, cursor + _CHUNK)
        found.extend(_chunk_starts(explicit, cursor, end, MAX_OCCURRENCES - len(found)))
        cursor = end
    return found


def _chunk_starts(
    explicit: str, low: dt.datetime, high: dt.datetime, budget: int
) -> list[dt.datetime]:
    """The occurrences in [low, high) (at most two years), expanded in a far-future frame."""
    parts = dict(item.split("=", 1) for item in explicit.split(";"))
    first = _first_period(parts, low)
    if first >= high:
        return []
    shift = _frame_shift(first.year - 1, high.year + 1)
    rule = _build_rule(explicit, first.replace(year=first.year + shift))
    frame_low = low.replace(year=low.year + shift)
    frame_high = high.replace(year=high.year + shift)
    found: list[dt.datetime] = []
    seen = 0
    try:
        for occurrence in rule:
            if occurrence >= frame_high:
                break
            seen += 1
            if seen > budget:
                raise _TooMany
            if occurrence >= frame_low:
                found.append(occurrence.replace(year=occurrence.year - shift))
    except (ValueError, OverflowError):
        # dateutil's end of time (a date in the year 10000), reached only beyond frame_high:
        # the frame ends at least a year before it. Any other error is the caller's to report.
        pass
    return found


def _first_period(parts: dict[str, str], low: dt.datetime) -> dt.datetime:
    """The start of the rule's first period (counting INTERVAL from the anchor's period) that
    ends after ``low``; periods are years, months, weeks (from WKST), days or hours."""
    frequency = parts["FREQ"]
    interval = int(parts.get("INTERVAL", "1"))
    months = _MONTHS.get(frequency)
    if months is not None:
        anchor = RRULE_ANCHOR.year * 12 + RRULE_ANCHOR.month - 1
        if frequency == "YEARLY":
            anchor -= RRULE_ANCHOR.month - 1
        target = low.year * 12 + low.month - 1 + 1 - months
        month_step = interval * months
        index = anchor + max(0, -(-(target - anchor) // month_step)) * month_step
        return dt.datetime(index // 12, index % 12 + 1, 1)
    period = _PERIODS[frequency]
    base = RRULE_ANCHOR
    if frequency == "WEEKLY":
        start = _RRULE_WEEKDAYS.index(parts.get("WKST", "MO"))
        base -= dt.timedelta(days=(RRULE_ANCHOR.weekday() - start) % 7)
    step = period * interval
    steps = (low - period - base) // step + 1
    first: dt.datetime = base + step * max(0, steps)
    return first


def _year_kind(year: int) -> tuple[bool, int]:
    return calendar.isleap(year), dt.date(year, 1, 1).weekday()


@functools.lru_cache(maxsize=4096)
def _frame_shift(first: int, last: int) -> int:
    """Whole years to add to the years ``first..last`` to reach the latest stretch with the
    same calendar that ends at least a year before dateutil's end of time."""
    kinds = [_year_kind(year) for year in range(first, last + 1)]
    top = _LAST_FRAME_YEAR - (last - first)
    for start in range(top, top - _CYCLE_YEARS, -1):
        if all(_year_kind(start + i) == kind for i, kind in enumerate(kinds)):
            return start - first
    raise AssertionError("the Gregorian calendar repeats every 400 years")  # pragma: no cover


def rrule_walls(window: RRuleWindow, wall_low: int, wall_high: int, field: str) -> list[Interval]:
    """Wall intervals of an RRULE window that overlap wall seconds [wall_low, wall_high).

    Its callers have checked the rule with :func:`rrule_problem` (the policy check, or the
    planner for a policy built in code); it checks the parts again rather than expand a rule
    nobody checked, and refuses a duration beyond :data:`MAX_WINDOW_DURATION`.
    """
    if not isinstance(window.duration, dt.timedelta):
        raise PolicyInputError(f"{field}.duration", window.duration, "a positive duration")
    length = window.duration // _SECOND
    if length <= 0:
        raise PolicyInputError(f"{field}.duration", window.duration, "a positive duration")
    if length > _WINDOW_SECONDS:
        expected = "a window of at most 168h (one week)"
        raise PolicyInputError(f"{field}.duration", window.duration, expected)
    first = wall_datetime(wall_low - length + 1)
    last = wall_datetime(wall_high)
    return [
        (start, start + length)
        for start in map(wall_seconds, rrule_starts(window.rrule, first, last, field))
    ]


def window_walls(
    windows: Sequence[Window], wall_low: int, wall_high: int, field: str
) -> list[Interval]:
    """Wall intervals of ``windows`` that may overlap wall seconds [wall_low, wall_high)."""
    ordinal0 = wall_low // DAY + EPOCH_ORDINAL - 1
    ordinal1 = wall_high // DAY + EPOCH_ORDINAL
    walls: list[Interval] = []
    for index, window in enumerate(windows):
        if isinstance(window, WeeklyWindow):
            walls.extend(weekly_walls(window, ordinal0, ordinal1))
        else:
            walls.extend(rrule_walls(window, wall_low, wall_high, f"{field}[{index}]"))
    return walls


@functools.lru_cache(maxsize=4096)
def zone_windows(zone_name: str, windows: tuple[Window, ...], day0: int, day1: int) -> Intervals:
    """The instants in UTC days [day0, day1) whose wall time in the zone lies in a window."""
    pieces = offset_pieces(zone_name, day0, day1)
    walls = window_walls(windows, (day0 - 2) * DAY, (day1 + 2) * DAY, "windows")
    return walls_to_instants(walls, pieces)


def dates_to_instants(
    zone_name: str, first: dt.date, last: dt.date, day0: int, day1: int
) -> Intervals:
    """The instants in UTC days [day0, day1) whose local date lies in [first, last]."""
    pieces = offset_pieces(zone_name, day0, day1)
    wall = (
        (first.toordinal() - EPOCH_ORDINAL) * DAY,
        (last.toordinal() + 1 - EPOCH_ORDINAL) * DAY,
    )
    return walls_to_instants([wall], pieces)


# --- room for maintenance (a policy check, in wall time) --------------------------------------

ROOM_WEEKS: Final = 53
"""RRULE windows are measured over this many weeks from :data:`RRULE_ANCHOR`."""


@functools.lru_cache(maxsize=1024)
def weekly_room(windows: tuple[Window, ...], min_block: int) -> int:
    """The least wall-clock window time in any week, counting blocks of ``min_block`` or more.

    Blocks are the merged windows (touching windows join); a week's room is the part of its
    qualifying blocks inside the week (Monday 00:00 to Monday 00:00). Weekly windows repeat
    every week, so one week is measured; RRULE windows are measured over :data:`ROOM_WEEKS`
    weeks. Returns the room in seconds.
    """
    weeks = 1 if all(isinstance(w, WeeklyWindow) for w in windows) else ROOM_WEEKS
    first = wall_seconds(RRULE_ANCHOR) + WEEK
    low, high = first - WEEK, first + (weeks + 1) * WEEK
    blocks = [
        (start, end)
        for start, end in merge(window_walls(windows, low, high, "$.windows"))
        if end - start >= min_block
    ]
    weakest = -1
    for week in range(weeks):
        week_start = first + week * WEEK
        week_end = week_start + WEEK
        room = sum(
            min(end, week_end) - max(start, week_start)
            for start, end in blocks
            if start < week_end and end > week_start
        )
        if weakest < 0 or room < weakest:
            weakest = room
    return weakest
