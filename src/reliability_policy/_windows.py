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
works once per distinct zone and window set.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Iterable, Sequence
from typing import Final

from dateutil import rrule as dateutil_rrule

from reliability_policy._time import require_zone
from reliability_policy.errors import PolicyInputError
from reliability_policy.policy import RRuleWindow, WeeklyWindow, Window

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


_FREQUENCIES: Final = ("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY")
_FIXED_PERIODS: Final = {
    "WEEKLY": dt.timedelta(weeks=1),
    "DAILY": dt.timedelta(days=1),
    "HOURLY": dt.timedelta(hours=1),
    "MINUTELY": dt.timedelta(minutes=1),
    "SECONDLY": dt.timedelta(seconds=1),
}


@functools.lru_cache(maxsize=1024)
def rrule_parts(text: str) -> dict[str, str] | None:
    """The ``KEY=VALUE`` parts of a single RRULE line, or ``None`` if it is not one."""
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[len("RRULE:") :]
    if not body or "\n" in body or ":" in body:
        return None
    parts: dict[str, str] = {}
    for item in body.split(";"):
        key, sep, value = item.partition("=")
        if not sep:
            return None
        parts[key.strip().upper()] = value.strip().upper()
    return parts


def rrule_problem(text: str) -> str | None:
    """What is wrong with a window RRULE, or ``None`` if it is usable: the one RRULE check.

    A rule that reads but rarely or never recurs is usable here; the room check
    (:func:`weekly_room`) then finds too little room in it.
    """
    parts = rrule_parts(text)
    if parts is None or parts.get("FREQ") not in _FREQUENCIES:
        return (
            RRULE_EXAMPLE + " (a single RRULE line: no DTSTART, RDATE or EXDATE; windows are "
            "read in the tenant's own zone)"
        )
    try:
        _build_rule(text, RRULE_ANCHOR)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        return RRULE_EXAMPLE
    return None


@functools.lru_cache(maxsize=1024)
def _build_rule(text: str, anchor: dt.datetime) -> dateutil_rrule.rrule:
    rule = dateutil_rrule.rrulestr(text, dtstart=anchor)
    if not isinstance(rule, dateutil_rrule.rrule):  # pragma: no cover - single lines only
        raise ValueError("not a single RRULE")
    return rule


def _shifted_anchor(parts: dict[str, str], target: dt.datetime) -> dt.datetime:
    """An anchor whole periods after :data:`RRULE_ANCHOR`, at least one period before ``target``.

    Moving the anchor by whole periods of the rule's frequency and interval keeps every
    default the anchor supplies (weekday, day of month, time of day) and the rule's phase, so
    the occurrences after the new anchor are the same; only rules with COUNT keep the original.
    """
    if "COUNT" in parts:
        return RRULE_ANCHOR
    try:
        interval = int(parts.get("INTERVAL", "1"))
    except ValueError:
        return RRULE_ANCHOR
    if interval < 1 or target <= RRULE_ANCHOR:
        return RRULE_ANCHOR
    frequency = parts["FREQ"]
    if frequency in ("YEARLY", "MONTHLY"):
        months = 12 * interval if frequency == "YEARLY" else interval
        elapsed = (target.year - RRULE_ANCHOR.year) * 12 + target.month - RRULE_ANCHOR.month
        steps = elapsed // months - 1
        if steps <= 0:
            return RRULE_ANCHOR
        total = RRULE_ANCHOR.month - 1 + steps * months
        return RRULE_ANCHOR.replace(year=RRULE_ANCHOR.year + total // 12, month=total % 12 + 1)
    period = _FIXED_PERIODS[frequency] * interval
    steps = (target - RRULE_ANCHOR) // period - 1
    return RRULE_ANCHOR + period * steps if steps > 0 else RRULE_ANCHOR


def rrule_walls(window: RRuleWindow, wall_low: int, wall_high: int, field: str) -> list[Interval]:
    """Wall intervals of an RRULE window that overlap wall seconds [wall_low, wall_high).

    Its callers have checked the rule with :func:`rrule_problem` (the policy check, or the
    planner for a policy built in code); it asks the same question again rather than expand a
    rule nobody checked.
    """
    problem = rrule_problem(window.rrule)
    parts = rrule_parts(window.rrule)
    if problem is not None or parts is None:
        raise PolicyInputError(f"{field}.rrule", window.rrule, problem or RRULE_EXAMPLE)
    length = window.duration // _SECOND
    if length <= 0:
        raise PolicyInputError(f"{field}.duration", window.duration, "a positive duration")
    first = wall_datetime(wall_low - length)
    last = wall_datetime(wall_high)
    rule = _build_rule(window.rrule, _shifted_anchor(parts, first))
    walls: list[Interval] = []
    for count, occurrence in enumerate(rule):
        if occurrence >= last:
            break
        if count >= MAX_OCCURRENCES:
            raise PolicyInputError(
                f"{field}.rrule",
                window.rrule,
                f"an RRULE with at most {MAX_OCCURRENCES} occurrences in the planning horizon",
            )
        if occurrence > first:
            start = wall_seconds(occurrence)
            walls.append((start, start + length))
    return walls


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
