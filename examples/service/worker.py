"""An incident worker: at-least-once event ingestion into SQLite, with the policy in the loop.

The worker receives incident events (lines of the JSON Lines event log, see
:mod:`reliability_policy.eventlog`) from a queue that may deliver any event more than once,
and after each one says what the incident owes next. It keeps three promises:

* **Nothing is lost.** An event counts as ingested only once its transaction has committed;
  a crash before that leaves it unstored, and the queue delivers it again.
* **Nothing is doubled.** The ``events`` table is keyed by ``(incident_id, event_id)``. A
  redelivered event (same id, same content) is a no-op; the same id with other content is
  refused with the library's :class:`~reliability_policy.errors.ConflictingEvent`, and an
  event earlier than the last one with :class:`~reliability_policy.errors.OutOfOrderEvent`.
* **The policy decides.** Whether an event is a repeat, a conflict, out of order or refused by
  a lifecycle guard is decided by :meth:`reliability_policy.Incident.apply` itself, on the
  incident rebuilt with :func:`reliability_policy.replay` from the stored log at start.

Run it on a log file, one event per transaction::

    python -m examples.service.worker incidents.db examples/lifecycle-incident.jsonl \\
        --now 2026-03-08T07:30:00Z

A stream may hold several incidents one after the other: each ``detected`` event starts its
incident, and the events after it belong to it (:class:`Placement`). An event the worker
cannot place (no ``detected`` before it, or the one before it was refused) is refused and
reported, never stored under another incident.

Exit status: 0 when every event was stored or was a repeat, 2 when some were refused (each
refusal is printed to stderr and the worker carries on with the next event).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import enum
import json
import os
import pathlib
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from typing import Final

import attrs

from reliability_policy import (
    Detected,
    Event,
    Incident,
    Obligation,
    Policy,
    PolicyError,
    PolicyInputError,
    default_policy,
    loads_events,
    next_due,
    replay,
)

__all__ = [
    "CRASH_EXIT",
    "SCHEMA",
    "Ingested",
    "Outcome",
    "Placement",
    "Worker",
    "describe_due",
    "main",
    "parse_line",
]

SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS events (
    incident_id TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    line        TEXT NOT NULL,
    PRIMARY KEY (incident_id, event_id),
    UNIQUE (incident_id, seq)
)
"""
"""One row per accepted event; ``seq`` is its position in the incident's log (0 is detected)."""

CRASH_EXIT: Final = 3
"""The exit status of a simulated crash (``--stop-after``)."""


class Outcome(enum.Enum):
    """What ingesting one event did."""

    STORED = "stored"
    DUPLICATE = "duplicate"


@attrs.frozen
class Ingested:
    """The result of ingesting one event.

    Attributes:
        outcome: Stored (committed) or a duplicate (nothing written).
        incident_id: The incident the event belongs to.
        event: The event, as parsed.
        incident: The incident after the event.
    """

    outcome: Outcome
    incident_id: str
    event: Event
    incident: Incident


class Worker:
    """Ingests events into a SQLite file and keeps each incident in memory.

    Args:
        path: The SQLite database file (created if missing).
        policy: The policy (default: :func:`reliability_policy.default_policy`).

    On start every stored log is replayed, so the in-memory incidents are exactly what the
    database holds. Use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, path: str | os.PathLike[str], policy: Policy | None = None) -> None:
        self.policy: Policy = default_policy() if policy is None else policy
        # isolation_level=None: no implicit transactions; each ingest opens its own.
        self._db = sqlite3.connect(os.fspath(path), isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute(SCHEMA)
        self._incidents: dict[str, Incident] = {}
        for (incident_id,) in self._db.execute(
            "SELECT DISTINCT incident_id FROM events ORDER BY incident_id"
        ).fetchall():
            self._rebuild(incident_id)

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    # --- reading --------------------------------------------------------------------------

    def incident_ids(self) -> tuple[str, ...]:
        """The incidents the worker holds, sorted."""
        return tuple(sorted(self._incidents))

    def incident(self, incident_id: str) -> Incident:
        """The incident as stored; :class:`KeyError` if it has no events yet."""
        return self._incidents[incident_id]

    def stored_lines(self, incident_id: str) -> tuple[str, ...]:
        """The raw JSON lines stored for one incident, in log order."""
        rows = self._db.execute(
            "SELECT line FROM events WHERE incident_id = ? ORDER BY seq", (incident_id,)
        ).fetchall()
        return tuple(line for (line,) in rows)

    # --- ingesting ------------------------------------------------------------------------

    def ingest(self, line: str, incident_id: str | None = None) -> Ingested:
        """Ingest one event (one JSON line) at least once: store it, or recognise a repeat.

        Args:
            line: The event as one line of the JSON Lines event log.
            incident_id: The incident it belongs to; may be left out for a ``detected``
                event, which names its incident itself.

        Returns:
            Whether it was stored or a repeat, and the incident after it.

        Raises:
            EventLogError: the line is not a valid event.
            ConflictingEvent: the incident already has an event with this id and other content.
            OutOfOrderEvent: the event is earlier than the incident's last event.
            InvalidTransition: a lifecycle guard refused the event.
            PolicyInputError: not exactly one event; no incident id for an event that is not
                ``detected``, or an id that contradicts the ``detected`` event's own.
        """
        text = line.strip()
        event = parse_line(line)
        key = self._incident_id_of(event, incident_id)
        with self._transaction():
            current = self._current(key)
            if current is None:
                after = replay([event], self.policy)
            else:
                after = current.apply(event, self.policy)
                if after is current:
                    return Ingested(Outcome.DUPLICATE, key, event, current)
            seq = 0 if current is None else current.event_count
            self._db.execute(
                "INSERT INTO events (incident_id, event_id, seq, line) VALUES (?, ?, ?, ?)",
                (key, event.id, seq, text),
            )
        # Committed: only now does the in-memory incident move on.
        self._incidents[key] = after
        return Ingested(Outcome.STORED, key, event, after)

    def _incident_id_of(self, event: Event, given: str | None) -> str:
        if isinstance(event, Detected):
            if given is not None and given != event.incident_id:
                raise PolicyInputError(
                    "incident_id",
                    given,
                    f"the detected event's own incident id, {event.incident_id!r}",
                )
            return event.incident_id
        if given is None:
            raise PolicyInputError(
                "incident_id", given, f"the incident that event {event.id!r} belongs to"
            )
        return given

    def _current(self, incident_id: str) -> Incident | None:
        """The incident as the database holds it now (inside the write transaction).

        Another worker on the same file may have stored events since we last looked; then
        the incident is rebuilt from the stored log.
        """
        (stored,) = self._db.execute(
            "SELECT count(*) FROM events WHERE incident_id = ?", (incident_id,)
        ).fetchone()
        known = self._incidents.get(incident_id)
        if stored != (0 if known is None else known.event_count):
            self._rebuild(incident_id)
        return self._incidents.get(incident_id)

    def _rebuild(self, incident_id: str) -> None:
        lines = self.stored_lines(incident_id)
        if lines:
            self._incidents[incident_id] = replay(
                loads_events("".join(line + "\n" for line in lines)), self.policy
            )
        else:
            self._incidents.pop(incident_id, None)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock up front, so the read-check-insert is atomic even
        # with several workers on one file.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


def parse_line(line: str) -> Event:
    """The one event of one line of the event log.

    Raises:
        EventLogError: the line is not a valid event.
        PolicyInputError: the line holds no event, or more than one.
    """
    events = loads_events(line.strip() + "\n")
    if len(events) != 1:
        raise PolicyInputError("line", line, "exactly one event (one line of the event log)")
    return events[0]


@attrs.define
class Placement:
    """Which incident each event of one stream belongs to.

    A ``detected`` event names its incident, and every later event of the stream belongs to
    that incident, up to the next ``detected`` event. If a ``detected`` event is refused (or
    its line cannot be read), the events after it belong to no known incident: :meth:`of`
    refuses them, so they are reported and never stored under the incident before it.
    """

    incident_id: str | None = None
    lost_on: int | None = None  # the line of a refused detected event, while it holds

    def of(self, event: Event) -> str | None:
        """The incident ``event`` belongs to (``None`` for a ``detected`` event, which names
        its own).

        Raises:
            PolicyInputError: the stream has no incident the event can belong to.
        """
        if isinstance(event, Detected):
            return None
        if self.incident_id is not None:
            return self.incident_id
        if self.lost_on is not None:
            expected = (
                f"an event of a known incident; event {event.id!r} follows the detected event "
                f"refused on line {self.lost_on}, so it is not stored under any incident"
            )
        else:
            expected = (
                f"a detected event earlier in the stream to name the incident of event {event.id!r}"
            )
        raise PolicyInputError("incident_id", None, expected)

    def accepted(self, event: Event, incident_id: str) -> None:
        """``event`` was stored or was a repeat, as an event of ``incident_id``."""
        if isinstance(event, Detected):
            self.incident_id, self.lost_on = incident_id, None

    def refused(self, line: str, number: int) -> None:
        """The event on line ``number`` was refused: if it was a ``detected`` event (or reads
        as one), the events after it cannot be placed until the next ``detected`` event."""
        try:
            data = json.loads(line)
        except (ValueError, RecursionError):
            return
        if isinstance(data, dict) and data.get("type") == "detected":
            self.incident_id, self.lost_on = None, number


# --- the command line -------------------------------------------------------------------------


def describe_due(obligation: Obligation | None) -> str:
    """One line saying what is due next, for the on-call channel."""
    if obligation is None:
        return "nothing due"
    due = obligation.due.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")
    return (
        f"{obligation.kind.value} to {obligation.tenant} due {due} ({obligation.status.value};"
        f" rule {obligation.rule})"
    )


def _instant(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 instant: {text!r}") from None
    if value.tzinfo is None or value.utcoffset() is None:
        raise argparse.ArgumentTypeError(f"add an offset or Z to {text!r}; it is naive")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="worker",
        description="Ingest an incident event log into SQLite, one event per transaction, "
        "and print what each incident owes next.",
    )
    parser.add_argument("database", type=pathlib.Path, help="the SQLite database file")
    parser.add_argument("log", type=pathlib.Path, help="a JSON Lines event log")
    parser.add_argument(
        "--now",
        type=_instant,
        default=None,
        help="the instant to judge what is due at (default: the incident's latest event)",
    )
    parser.add_argument(
        "--stop-after",
        type=int,
        default=None,
        metavar="N",
        help="simulate a crash: exit abruptly right after committing the N-th new event",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="sleep between events (to kill the worker mid-log in tests)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the worker on one log file; returns the exit status."""
    args = _parser().parse_args(argv)
    refused = 0
    stored = 0
    placement = Placement()
    with Worker(args.database) as worker, args.log.open(encoding="utf-8") as log:
        for number, line in enumerate(log, start=1):
            if not line.strip():
                continue
            try:
                event = parse_line(line)
                result = worker.ingest(line, placement.of(event))
            except PolicyError as error:
                placement.refused(line, number)
                refused += 1
                print(f"line {number}: refused: {error}", file=sys.stderr, flush=True)
                continue
            placement.accepted(result.event, result.incident_id)
            incident_id = result.incident_id
            if result.outcome is Outcome.STORED:
                stored += 1
                if stored == args.stop_after:
                    os._exit(CRASH_EXIT)  # a crash: no cleanup, no flush, nothing
            # Judge "as of the latest news" unless told otherwise; a service would pass its
            # clock's reading here (the library never reads a clock itself).
            now = result.incident.last_event_at if args.now is None else args.now
            due = next_due(result.incident, worker.policy, now=now)
            print(
                f"{result.event.id} {result.outcome.value:<9} {incident_id}"
                f" {result.incident.phase.value:<10} next: {describe_due(due)}",
                flush=True,
            )
            if args.pause:
                time.sleep(args.pause)
    return 2 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
