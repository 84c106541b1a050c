"""The one module that owns time: instants, durations, zones and the business calendar.

Rules (SPEC section 0):

* every instant is timezone-aware; a naive ``datetime`` raises
  :class:`~reliability_policy.errors.NaiveDatetimeError`;
* durations in minutes or hours are elapsed time (:class:`datetime.timedelta`);
* durations in days or business days are calendar arithmetic in a stated zone
  (:class:`CalendarSpan`);
* every instant lies in the years 1971-2999 (UTC, ``EARLIEST`` to ``LATEST``): one
  bound, checked where instants enter (:func:`require_aware`, :func:`require_utc`,
  :func:`parse_instant`, and so every document and event log), so that adding any duration
  the library accepts never leaves Python's ``datetime`` range;
* every duration is at most ``MAX_DURATION`` and every calendar span at most
  ``MAX_SPAN_DAYS`` days or business days (a generous absolute limit; each concern's
  policy check holds its own fields to tighter, meaningful bounds).
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import functools
import re
import zoneinfo
from collections.abc import Collection
from typing import Final

import attrs
import pendulum

from reliability_policy.errors import NaiveDatetimeError, PolicyInputError

__all__ = [
    "EARLIEST",
    "INSTANT_RANGE",
    "LATEST",
    "MAX_DURATION",
    "MAX_SPAN_DAYS",
    "CalendarSpan",
    "SpanUnit",
    "Weekday",
    "add_business_days",
    "as_utc",
    "format_duration",
    "format_instant",
    "format_value",
    "in_range",
    "parse_calendar_span",
    "parse_clock_time",
    "parse_duration",
    "parse_instant",
    "require_aware",
    "require_utc",
    "require_zone",
]

UTC: Final = dt.UTC
_MINUTE: Final = dt.timedelta(minutes=1)

DURATION_EXAMPLE: Final = "a duration such as '30m', '48h', '1h30m' or 'PT30M'"
SPAN_EXAMPLE: Final = "a calendar span such as '5bd' (business days) or '7d' (days)"
CLOCK_EXAMPLE: Final = "a wall-clock time 'HH:MM' such as '02:00'"
INSTANT_EXAMPLE: Final = "an ISO 8601 instant with an offset, such as '2026-03-08T06:30:00Z'"

EARLIEST: Final = dt.datetime(1971, 1, 1, tzinfo=dt.UTC)
"""The earliest instant the library accepts."""
LATEST: Final = dt.datetime(3000, 1, 1, tzinfo=dt.UTC)
"""The first instant the library no longer accepts (instants lie in [EARLIEST, LATEST))."""
INSTANT_RANGE: Final = "an instant in the years 1971-2999 (UTC)"

MAX_DURATION: Final = dt.timedelta(days=36_500)
"""The longest duration :func:`parse_duration` accepts (876000h, about 100 years)."""
MAX_SPAN_DAYS: Final = 36_500
"""The longest calendar span :func:`parse_calendar_span` accepts, in days or business days."""
_MAX_DIGITS: Final = 9  # a longer number is beyond every limit (see _too_long)
_DURATION_LIMIT: Final = "a duration of at most 876000h (100 years)"
_SPAN_LIMIT: Final = f"a calendar span of at most {MAX_SPAN_DAYS} days or business days"
_DIGITS = re.compile(r"\d+")

_MAX_DURATION_CHARS: Final = 64  # no duration is written longer; nothing longer is matched
# Matched against the stripped text: with white space at both ends, the three runs of \s* of
# the old pattern backtracked in cubic time (4,000 spaces took a minute).
_COMPACT = re.compile(r"^(?:(?P<h>\d+)\s*h)?\s*(?:(?P<m>\d+)\s*m(?:in)?)?$", re.IGNORECASE)
_SPAN = re.compile(r"^\s*(?P<n>\d+)\s*(?P<unit>bd|d)\s*$", re.IGNORECASE)
_ISO_DAYS = re.compile(r"^P(?P<n>\d+)D$")
_CLOCK = re.compile(r"^(?P<h>[0-9]{2}):(?P<m>[0-9]{2})$")


class Weekday(enum.Enum):
    """A day of the week, as written in policy documents (``"MON"`` ... ``"SUN"``).

    .. versionadded:: 0.1.0
    """

    MON = "MON"
    TUE = "TUE"
    WED = "WED"
    THU = "THU"
    FRI = "FRI"
    SAT = "SAT"
    SUN = "SUN"

    @property
    def index(self) -> int:
        """Monday is 0, as :meth:`datetime.date.weekday`."""
        return _WEEKDAY_INDEX[self]

    @classmethod
    def of(cls, day: dt.date) -> Weekday:
        """The weekday of a date."""
        return _WEEKDAYS[day.weekday()]


_WEEKDAYS: Final = tuple(Weekday)
_WEEKDAY_INDEX: Final = {day: i for i, day in enumerate(_WEEKDAYS)}


def as_utc(instant: dt.datetime) -> dt.datetime:
    """The same instant in UTC; decisions keep their instants this way.

    Two of Python's rules make zoned datetimes unsafe inside decisions: adding a ``timedelta``
    to a zoned datetime moves its wall clock (an hour off across a DST change), and an
    ambiguous local time (``fold=1``) never compares equal to another zone's datetime
    (PEP 495). In UTC, ``instant + duration`` is elapsed time and equal instants are equal.

    >>> import zoneinfo
    >>> local = dt.datetime(2026, 3, 7, 21, 30, tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    >>> (local + dt.timedelta(hours=24)).astimezone(UTC).isoformat()   # wall clock: 23 h
    '2026-03-09T01:30:00+00:00'
    >>> (as_utc(local) + dt.timedelta(hours=24)).isoformat()           # elapsed: 24 h
    '2026-03-09T02:30:00+00:00'
    """
    try:
        return instant.astimezone(UTC)
    except OverflowError:
        raise PolicyInputError("instant", instant, INSTANT_RANGE) from None


def in_range(instant: dt.datetime) -> bool:
    """Whether an aware ``instant`` lies in the years the library handles (1971-2999 UTC)."""
    return EARLIEST <= instant < LATEST


def require_utc(value: object, field: str) -> dt.datetime:
    """:func:`require_aware`, then :func:`as_utc`: the form every public function stores.

    Raises:
        NaiveDatetimeError: ``value`` is a datetime without a time zone.
        PolicyInputError: ``value`` is not a datetime at all, or lies outside the years
            1971-2999 (``INSTANT_RANGE``).
    """
    return require_aware(value, field).astimezone(UTC)


def require_aware(value: object, field: str) -> dt.datetime:
    """Return ``value`` if it is a timezone-aware datetime in the years the library handles.

    >>> require_aware(dt.datetime(9999, 12, 31, 23, tzinfo=UTC), "detected")
    Traceback (most recent call last):
      ...
    reliability_policy.errors.PolicyInputError: detected: expected an instant in the years \
1971-2999 (UTC), got datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.timezone.utc)

    Raises:
        NaiveDatetimeError: ``value`` is a datetime without a time zone.
        PolicyInputError: ``value`` is not a datetime at all, or lies outside the years
            1971-2999 (``INSTANT_RANGE``).
    """
    if not isinstance(value, dt.datetime):
        raise PolicyInputError(field, value, "a timezone-aware datetime")
    try:
        offset = value.utcoffset()
    except (ValueError, TypeError):  # a tzinfo that answers nonsense
        raise PolicyInputError(field, value, "a datetime with a valid time zone") from None
    if offset is None:
        raise NaiveDatetimeError(field, value)
    if not in_range(value):
        raise PolicyInputError(field, value, INSTANT_RANGE)
    return value


@functools.lru_cache(maxsize=1024)  # bounded: hostile input may name any number of zones
def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def require_zone(name: object, field: str) -> zoneinfo.ZoneInfo:
    """Return the IANA zone called ``name``, or raise a clear input error."""
    if isinstance(name, str) and name and name.strip() == name and len(name) <= 255:
        zone = _zone(name)
        if zone is not None:
            return zone
    raise PolicyInputError(field, name, "an IANA time zone name such as 'Europe/Berlin'")


def parse_duration(text: object, field: str = "duration") -> dt.timedelta:
    """Parse an elapsed duration: ``"30m"``, ``"48h"``, ``"1h30m"`` or ISO 8601 ``"PT30M"``.

    The result is a positive whole number of minutes. Days are calendar arithmetic (see
    :func:`parse_calendar_span`), so ``"7d"`` is refused here: write ``"168h"``.

    >>> parse_duration("1h30m")
    datetime.timedelta(seconds=5400)

    Raises:
        PolicyInputError: the text is not such a duration, is zero or negative, has seconds,
            or is longer than ``MAX_DURATION``.
    """
    if not isinstance(text, str):
        raise PolicyInputError(field, text, DURATION_EXAMPLE)
    if _too_long(text):
        raise PolicyInputError(field, text, _DURATION_LIMIT)
    if len(text) > _MAX_DURATION_CHARS:
        raise PolicyInputError(field, text, DURATION_EXAMPLE)
    result: dt.timedelta | None = None
    match = _COMPACT.match(text.strip())
    if match and (match["h"] or match["m"]):
        minutes = int(match["h"] or 0) * 60 + int(match["m"] or 0)
        if minutes > MAX_DURATION // _MINUTE:
            raise PolicyInputError(field, text, _DURATION_LIMIT)
        result = dt.timedelta(minutes=minutes)
    elif text.startswith("PT"):
        result = _parse_iso_duration(text)
    if result is None:
        hint = ""
        if _SPAN.match(text) or _ISO_DAYS.match(text):
            hint = "days are calendar time; write elapsed time in hours, e.g. '168h'"
        raise PolicyInputError(field, text, DURATION_EXAMPLE, hint)
    if result <= dt.timedelta(0):
        raise PolicyInputError(field, text, "a positive duration such as '30m'")
    if result > MAX_DURATION:
        raise PolicyInputError(field, text, _DURATION_LIMIT)
    if result % _MINUTE:
        raise PolicyInputError(field, text, "a whole number of minutes")
    return result


def _too_long(text: str) -> bool:
    """Whether a number in ``text`` has so many digits that it is beyond every limit.

    Checked before converting: ``int`` refuses 4,300 digits with a ValueError of its own, and
    pendulum silently wraps a number of 2**31 or more in an ISO duration ("PT4294967296H" is
    zero). Nine significant digits are more than any limit needs.
    """
    return any(len(digits.lstrip("0")) > _MAX_DIGITS for digits in _DIGITS.findall(text))


def _parse_iso_duration(text: str) -> dt.timedelta | None:
    try:
        parsed = pendulum.parse(text, exact=True)
    except (ValueError, TypeError, OverflowError, pendulum.parsing.exceptions.ParserError):
        return None
    if not isinstance(parsed, pendulum.Duration) or parsed.years or parsed.months:
        return None
    return dt.timedelta(seconds=parsed.total_seconds())


def format_duration(value: dt.timedelta) -> str:
    """Format an elapsed duration the way policy documents write it (``"48h"``, ``"90m"``).

    >>> format_duration(dt.timedelta(hours=48)), format_duration(dt.timedelta(minutes=90))
    ('48h', '90m')
    """
    minutes, rest = divmod(value, _MINUTE)
    if rest:
        return f"PT{int(value.total_seconds())}S"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def format_value(value: object) -> str:
    """A policy value written the way documents write it, for error messages.

    >>> format_value(dt.timedelta(hours=72)), format_value(dt.time(2, 0)), format_value(5)
    ('72h', '02:00', '5')
    """
    if isinstance(value, dt.timedelta):
        return format_duration(value)
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


class SpanUnit(enum.Enum):
    """The unit of a :class:`CalendarSpan`."""

    DAYS = "d"
    BUSINESS_DAYS = "bd"


@attrs.frozen
class CalendarSpan:
    """A calendar span: whole days or business days, counted in a stated zone.

    Written ``"7d"`` or ``"5bd"`` in policy documents.

    .. versionadded:: 0.1.0
    """

    count: int
    unit: SpanUnit

    def __str__(self) -> str:
        return f"{self.count}{self.unit.value}"

    def after(
        self,
        instant: dt.datetime,
        *,
        zone: str,
        workdays: Collection[Weekday],
        holidays: Collection[dt.date],
    ) -> dt.datetime:
        """The instant this span after ``instant``, counted in ``zone``'s calendar."""
        if self.unit is SpanUnit.DAYS:
            local = pendulum.instance(instant).in_timezone(zone)
            return local.add(days=self.count).in_timezone("UTC")
        return add_business_days(
            instant, self.count, zone=zone, workdays=workdays, holidays=holidays
        )


def parse_calendar_span(text: object, field: str = "span") -> CalendarSpan:
    """Parse ``"5bd"`` (business days), ``"7d"`` or ``"P7D"`` (calendar days).

    >>> str(parse_calendar_span("5bd"))
    '5bd'

    Raises:
        PolicyInputError: the text is not such a span, is zero, or is longer than
            ``MAX_SPAN_DAYS``.
    """
    if isinstance(text, str):
        if _too_long(text):
            raise PolicyInputError(field, text, _SPAN_LIMIT)
        match = _SPAN.match(text)
        if match:
            count, unit = int(match["n"]), SpanUnit(match["unit"].lower())
        elif iso := _ISO_DAYS.match(text):
            count, unit = int(iso["n"]), SpanUnit.DAYS
        else:
            count, unit = -1, SpanUnit.DAYS
        if count > MAX_SPAN_DAYS:
            raise PolicyInputError(field, text, _SPAN_LIMIT)
        if count > 0:
            return CalendarSpan(count, unit)
        if count == 0:
            raise PolicyInputError(field, text, "a positive calendar span such as '5bd'")
    raise PolicyInputError(field, text, SPAN_EXAMPLE)


def add_business_days(
    instant: dt.datetime,
    count: int,
    *,
    zone: str,
    workdays: Collection[Weekday],
    holidays: Collection[dt.date],
) -> dt.datetime:
    """The same local wall time ``count`` business days after ``instant``, in ``zone``.

    Business days are the ``workdays`` of the week, skipping ``holidays`` (local dates).
    An instant on a day off counts from that day, so Saturday + 1 business day is Monday.

    >>> import datetime as dt
    >>> friday = dt.datetime(2026, 12, 18, 15, 0, tzinfo=dt.UTC)
    >>> add_business_days(friday, 5, zone="UTC", workdays=list(Weekday)[:5],
    ...                   holidays=[dt.date(2026, 12, 25)]).isoformat()
    '2026-12-28T15:00:00+00:00'
    """
    if not workdays:
        raise PolicyInputError("workdays", workdays, "at least one working day")
    local = pendulum.instance(instant).in_timezone(zone)
    day = _business_day_after(local.date(), count, frozenset(workdays), holidays)
    result = pendulum.datetime(
        day.year, day.month, day.day, local.hour, local.minute, local.second, tz=zone
    )
    return result.in_timezone("UTC")


def _business_day_after(
    start: dt.date, count: int, workdays: frozenset[Weekday], holidays: Collection[dt.date]
) -> dt.date:
    """The ``count``-th business day after ``start``: O(weeks + holidays), not day by day.

    Any seven consecutive days hold every working day once, so whole weeks are skipped at
    once; then the holidays that fell on working days in the stretch just counted are made up
    for by counting that many more business days after it, until no holiday is left.
    """
    off = sorted(h for h in holidays if h > start and Weekday.of(h) in workdays)
    day, remaining, seen = start, count, 0
    while remaining > 0:
        day = _workday_after(day, remaining, workdays)
        reached = bisect.bisect_right(off, day)
        remaining, seen = reached - seen, reached
    return day


def _workday_after(start: dt.date, count: int, workdays: frozenset[Weekday]) -> dt.date:
    """The ``count``-th working day after ``start`` (``count >= 1``), holidays aside."""
    weeks, rest = divmod(count - 1, len(workdays))
    day = start + dt.timedelta(weeks=weeks)
    rest += 1
    while rest:
        day += dt.timedelta(days=1)
        if Weekday.of(day) in workdays:
            rest -= 1
    return day


def parse_clock_time(text: object, field: str = "time") -> dt.time:
    """Parse a local wall-clock time ``"HH:MM"``; ``"24:00"`` means the end of the day.

    ``"24:00"`` is returned as :data:`datetime.time.max` truncated to the minute boundary
    convention used by windows: callers treat ``dt.time(0, 0)`` as an end as "midnight".
    """
    if isinstance(text, str):
        match = _CLOCK.match(text)
        if match:
            hour, minute = int(match["h"]), int(match["m"])
            if hour < 24 and minute < 60:
                return dt.time(hour, minute)
            if hour == 24 and minute == 0:
                return dt.time(0, 0)
    raise PolicyInputError(field, text, CLOCK_EXAMPLE)


def parse_instant(text: object, field: str = "instant") -> dt.datetime:
    """Parse an ISO 8601 instant that carries an offset or ``Z``; a naive one is refused.

    Raises:
        NaiveDatetimeError: the text has no offset.
        PolicyInputError: the text is not such an instant, or lies outside the years
            1971-2999 (``INSTANT_RANGE``).
    """
    if isinstance(text, dt.datetime):
        return require_aware(text, field)
    if not isinstance(text, str):
        raise PolicyInputError(field, text, INSTANT_EXAMPLE)
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise PolicyInputError(field, text, INSTANT_EXAMPLE) from None
    if parsed.tzinfo is None:
        raise NaiveDatetimeError(field, text)
    if not in_range(parsed):
        raise PolicyInputError(field, text, INSTANT_RANGE)
    return parsed


def format_instant(value: dt.datetime) -> str:
    """Format an instant as ISO 8601 in UTC with a ``Z``: ``2026-03-08T06:30:00Z``."""
    text = value.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"
