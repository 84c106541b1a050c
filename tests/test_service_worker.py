"""The embedding example (examples/service/worker.py): at-least-once ingestion into SQLite.

The worker runs as a real subprocess against a real SQLite file; it is crashed (``--stop-after``,
an ``os._exit`` right after a commit) or killed (SIGKILL) between two events, restarted on the
same log, and the database must hold every event of the log exactly once, in order, with the
replayed incident equal to ``replay(loads_events(log))``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import pathlib
import signal
import sqlite3
import subprocess
import sys
import types

import pytest

from reliability_policy import (
    ConflictingEvent,
    EventLogError,
    InvalidTransition,
    OutOfOrderEvent,
    PolicyInputError,
    default_policy,
    load_events,
    loads_events,
    next_due,
    replay,
)

ROOT = pathlib.Path(__file__).resolve().parent.parent
WORKER = ROOT / "examples" / "service" / "worker.py"
LOG = ROOT / "examples" / "lifecycle-incident.jsonl"
LINES = [line for line in LOG.read_text(encoding="utf-8").splitlines() if line.strip()]
INCIDENT = "INC-2041"


def _load_worker() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("_service_worker", WORKER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


worker = _load_worker()


def _run(*args: object, module: bool = False) -> subprocess.CompletedProcess[str]:
    entry = ["-m", "examples.service.worker"] if module else [str(WORKER)]
    return subprocess.run(
        [sys.executable, *entry, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def _rows(db: pathlib.Path) -> list[tuple[str, str, int, str]]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT incident_id, event_id, seq, line FROM events ORDER BY incident_id, seq"
        ).fetchall()
    connection.close()
    return rows


def _assert_exactly_the_log(db: pathlib.Path) -> None:
    """Every event of the log is stored exactly once, in log order, and replays identically."""
    rows = _rows(db)
    assert [line for *_, line in rows] == LINES
    assert [event_id for _, event_id, _, _ in rows] == [e.id for e in load_events(LOG)]
    assert [seq for _, _, seq, _ in rows] == list(range(len(LINES)))
    assert {incident for incident, *_ in rows} == {INCIDENT}
    with worker.Worker(db) as restarted:
        assert restarted.incident_ids() == (INCIDENT,)
        assert restarted.incident(INCIDENT) == replay(load_events(LOG))


def _outcomes(stdout: str) -> list[tuple[str, str]]:
    """(event id, outcome) for each progress line the worker printed."""
    return [(line.split()[0], line.split()[1]) for line in stdout.splitlines()]


# --- crash and restart ----------------------------------------------------------------------


@pytest.mark.parametrize("crash_after", [1, 2, 12, len(LINES) - 1])
def test_crash_right_after_a_commit_loses_and_doubles_nothing(tmp_path, crash_after):
    db = tmp_path / "incidents.db"

    crashed = _run(db, LOG, "--stop-after", crash_after)

    assert crashed.returncode == worker.CRASH_EXIT
    # The crash came after the N-th commit and before its line was printed.
    assert len(crashed.stdout.splitlines()) == crash_after - 1
    assert len(_rows(db)) == crash_after

    restarted = _run(db, LOG)

    assert restarted.returncode == 0, restarted.stderr
    ids = [event.id for event in load_events(LOG)]
    assert _outcomes(restarted.stdout) == [
        (event_id, "duplicate" if index < crash_after else "stored")
        for index, event_id in enumerate(ids)
    ]
    _assert_exactly_the_log(db)


def test_sigkill_between_events_loses_and_doubles_nothing(tmp_path):
    db = tmp_path / "incidents.db"
    process = subprocess.Popen(
        [sys.executable, str(WORKER), str(db), str(LOG), "--pause", "0.05"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stdout is not None
        seen = [process.stdout.readline() for _ in range(5)]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    assert process.returncode == -signal.SIGKILL
    assert all(" stored " in line for line in seen)
    stored_before = len(_rows(db))
    assert 5 <= stored_before < len(LINES)

    restarted = _run(db, LOG, module=True)

    assert restarted.returncode == 0, restarted.stderr
    outcomes = [outcome for _, outcome in _outcomes(restarted.stdout)]
    assert outcomes == ["duplicate"] * stored_before + ["stored"] * (len(LINES) - stored_before)
    _assert_exactly_the_log(db)


# --- redelivery ----------------------------------------------------------------------------


def test_the_whole_log_delivered_twice_is_stored_once(tmp_path):
    db = tmp_path / "incidents.db"

    first = _run(db, LOG, "--now", "2026-03-12T09:00:00Z")
    second = _run(db, LOG, "--now", "2026-03-12T09:00:00Z")

    assert (first.returncode, second.returncode) == (0, 0)
    assert {outcome for _, outcome in _outcomes(first.stdout)} == {"stored"}
    assert {outcome for _, outcome in _outcomes(second.stdout)} == {"duplicate"}
    _assert_exactly_the_log(db)
    # What is due is the library's answer for the whole log, as of --now.
    due = next_due(
        replay(load_events(LOG)),
        default_policy(),
        now=dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC),
    )
    assert second.stdout.splitlines()[-1].endswith(worker.describe_due(due))


def test_redelivery_inside_one_stream_with_other_formatting_is_a_no_op(tmp_path):
    db = tmp_path / "incidents.db"
    log = tmp_path / "redelivered.jsonl"
    reformatted = [json.dumps(dict(reversed(json.loads(line).items()))) for line in LINES]
    # Every event twice; the repeat has its keys in another order (same content).
    log.write_text(
        "".join(f"{line}\n{again}\n" for line, again in zip(LINES, reformatted, strict=True)),
        encoding="utf-8",
    )

    result = _run(db, log)

    assert result.returncode == 0, result.stderr
    assert [outcome for _, outcome in _outcomes(result.stdout)] == [
        "stored",
        "duplicate",
    ] * len(LINES)
    _assert_exactly_the_log(db)  # the first delivery's raw line is the one kept


def test_conflicting_redelivery_is_refused_and_changes_nothing(tmp_path):
    db = tmp_path / "incidents.db"
    assert _run(db, LOG).returncode == 0
    conflicting = tmp_path / "conflicting.jsonl"
    changed = json.loads(LINES[4])
    changed["reason"] = "someone rewrote history"
    conflicting.write_text(
        "\n".join([*LINES[:4], json.dumps(changed), *LINES[5:]]) + "\n", encoding="utf-8"
    )

    result = _run(db, conflicting)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"line 5: refused: {_conflict_message(changed)}",
    ]
    assert [outcome for _, outcome in _outcomes(result.stdout)] == ["duplicate"] * (len(LINES) - 1)
    _assert_exactly_the_log(db)


def _conflict_message(changed: dict[str, object]) -> str:
    incident = replay(load_events(LOG))
    with pytest.raises(ConflictingEvent) as caught:
        incident.apply(loads_events(json.dumps(changed) + "\n")[0])
    return str(caught.value)


# --- the library's semantics, in process ---------------------------------------------------


def test_out_of_order_and_conflicts_raise_the_library_errors(tmp_path):
    db = tmp_path / "incidents.db"
    with worker.Worker(db) as service:
        for line in LINES[:6]:
            service.ingest(line, INCIDENT)
        late = json.loads(LINES[6])
        late["at"] = "2026-03-08T06:30:00Z"  # before evt-006 at 06:58
        with pytest.raises(OutOfOrderEvent):
            service.ingest(json.dumps(late), INCIDENT)
        clash = json.loads(LINES[2])
        clash["channel"] = "in_app"
        with pytest.raises(ConflictingEvent):
            service.ingest(json.dumps(clash), INCIDENT)
        assert service.ingest(LINES[2], INCIDENT).outcome is worker.Outcome.DUPLICATE
        assert service.stored_lines(INCIDENT) == tuple(LINES[:6])
        assert service.incident(INCIDENT) == replay(load_events(LOG)[:6])


def test_events_need_their_incident(tmp_path):
    with worker.Worker(tmp_path / "incidents.db") as service:
        with pytest.raises(PolicyInputError, match="incident_id"):
            service.ingest(LINES[1])
        with pytest.raises(InvalidTransition):
            service.ingest(LINES[1], "INC-9")  # an incident starts with 'detected'
        with pytest.raises(PolicyInputError, match="INC-2041"):
            service.ingest(LINES[0], "INC-9")
        with pytest.raises(EventLogError, match="line 1"):
            service.ingest('{"type": "detected"}')
        with pytest.raises(PolicyInputError, match="exactly one event"):
            service.ingest("  ")
        with pytest.raises(PolicyInputError, match="exactly one event"):
            service.ingest(f"{LINES[0]}\n{LINES[1]}")
        assert service.incident_ids() == ()
        assert service.stored_lines("INC-9") == ()


def test_two_workers_on_one_file_stay_consistent(tmp_path):
    db = tmp_path / "incidents.db"
    with worker.Worker(db) as one, worker.Worker(db) as two:
        one.ingest(LINES[0])
        two.ingest(LINES[1], INCIDENT)  # sees the first worker's detected event
        assert one.ingest(LINES[1], INCIDENT).outcome is worker.Outcome.DUPLICATE
        for index, line in enumerate(LINES[2:], start=2):
            (one if index % 2 else two).ingest(line, INCIDENT)
    _assert_exactly_the_log(db)


def test_bad_lines_are_refused_and_the_worker_carries_on(tmp_path):
    db = tmp_path / "incidents.db"
    log = tmp_path / "bad.jsonl"
    log.write_text(f"{LINES[0]}\nnot json\n\n{LINES[1]}\n", encoding="utf-8")

    result = _run(db, log, module=True)

    assert result.returncode == 2
    assert result.stderr.startswith("line 2: refused: line 1: $: expected a JSON object")
    assert [row[1] for row in _rows(db)] == ["evt-001", "evt-002"]


def test_now_must_be_aware(tmp_path):
    result = _run(tmp_path / "incidents.db", LOG, "--now", "2026-03-12T09:00")

    assert result.returncode == 2
    assert "naive" in result.stderr
    assert not (tmp_path / "incidents.db").exists()


# --- several incidents in one stream (issue 15) ---------------------------------------------

SEV2_LOG = ROOT / "examples" / "sev2-escalation.jsonl"
SEV2_LINES = [line for line in SEV2_LOG.read_text(encoding="utf-8").splitlines() if line.strip()]
SEV2 = "INC-3107"


def _lines_of(db: pathlib.Path, incident: str) -> list[str]:
    return [line for incident_id, _, _, line in _rows(db) if incident_id == incident]


def test_two_incidents_in_one_stream_each_keep_their_own_events(tmp_path):
    db = tmp_path / "incidents.db"
    log = tmp_path / "two.jsonl"
    log.write_text("\n".join([*LINES, *SEV2_LINES]) + "\n", encoding="utf-8")

    result = _run(db, log)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert _lines_of(db, INCIDENT) == LINES
    assert _lines_of(db, SEV2) == SEV2_LINES
    with worker.Worker(db) as restarted:
        assert restarted.incident_ids() == (INCIDENT, SEV2)
        assert restarted.incident(INCIDENT) == replay(load_events(LOG))
        assert restarted.incident(SEV2) == replay(load_events(SEV2_LOG))
    # redelivered whole, every event is a repeat of its own incident's
    again = _run(db, log)
    assert again.returncode == 0, again.stderr
    assert {outcome for _, outcome in _outcomes(again.stdout)} == {"duplicate"}


@pytest.mark.parametrize(
    "bad_detected",
    [
        # the library refuses it: the first incident's detected event with other content
        json.dumps({**json.loads(LINES[0]), "title": "rewritten"}),
        # it cannot be read: the second incident's detected event with a naive time
        json.dumps({**json.loads(SEV2_LINES[0]), "at": "2026-04-14T13:00:00"}),
    ],
)
def test_events_after_a_refused_detected_event_are_refused_never_misplaced(tmp_path, bad_detected):
    db = tmp_path / "incidents.db"
    log = tmp_path / "lost.jsonl"
    followers = SEV2_LINES[1:4]  # triaged and two notifications: the first incident takes notices
    log.write_text("\n".join([*LINES, bad_detected, *followers]) + "\n", encoding="utf-8")

    result = _run(db, log)

    assert result.returncode == 2
    refusals = result.stderr.splitlines()
    bad_line = len(LINES) + 1
    assert refusals[0].startswith(f"line {bad_line}: refused: ")
    assert len(refusals) == 1 + len(followers)
    for number, (refusal, line) in enumerate(zip(refusals[1:], followers, strict=True)):
        event_id = json.loads(line)["id"]
        assert refusal.startswith(f"line {bad_line + 1 + number}: refused: incident_id: ")
        assert f"event {event_id!r} follows the detected event refused on line {bad_line}" in (
            refusal
        )
    assert _lines_of(db, INCIDENT) == LINES  # nothing stored under the first incident
    assert {incident for incident, *_ in _rows(db)} == {INCIDENT}


def test_a_stream_that_starts_without_detected_places_nothing(tmp_path):
    db = tmp_path / "incidents.db"
    log = tmp_path / "headless.jsonl"
    log.write_text("\n".join(LINES[1:3]) + "\n", encoding="utf-8")

    result = _run(db, log)

    assert result.returncode == 2
    assert "a detected event earlier in the stream" in result.stderr
    assert _rows(db) == []
