"""Instants at the edges (issue 15): one bound (the years 1971-2999, UTC) checked where instants
enter, with our error naming the field and the value; never an OverflowError from ``audit``,
``next_due``, ``route_security_incident``, ``plan_maintenance`` or the commands; and ``timeline``
never prints a negative duration."""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import re

import pytest
from click.testing import CliRunner
from hypothesis import given

from fuzzing import EDGE_INSTANT_TEXTS, edge_instants
from reliability_policy import (
    EventLogError,
    PolicyInputError,
    audit,
    default_policy,
    go_no_go,
    load_events,
    loads_events,
    next_due,
    plan_maintenance,
    replay,
    route_security_incident,
)
from reliability_policy.cli import main
from reliability_policy.maintenance import MaintenanceRequest, RollingPlan
from reliability_policy.timing import (
    EARLIEST,
    INSTANT_RANGE,
    LATEST,
    as_utc,
    parse_instant,
    require_aware,
    require_utc,
)

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
LIFECYCLE = EXAMPLES / "lifecycle-incident.jsonl"
SECURITY = EXAMPLES / "security-incident.jsonl"
LINES = LIFECYCLE.read_text(encoding="utf-8").splitlines()
OUTSIDE = [text for text in EDGE_INSTANT_TEXTS if not text.startswith(("1971", "2999"))]


@pytest.mark.parametrize("text", OUTSIDE)
def test_instants_outside_the_years_are_refused_where_they_enter(text):
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    for check in (require_aware, require_utc, parse_instant):
        with pytest.raises(PolicyInputError) as caught:
            check(value, "detected")
        assert (caught.value.field, caught.value.value) == ("detected", value)
        assert caught.value.expected == INSTANT_RANGE
    with pytest.raises(PolicyInputError) as caught:
        parse_instant(text, "--now")
    assert (caught.value.field, caught.value.value) == ("--now", text)
    assert "1971-2999" in str(caught.value)


def test_the_bounds_themselves():
    assert require_utc(EARLIEST, "now") == EARLIEST
    assert require_utc(LATEST - dt.timedelta(seconds=1), "now").year == 2999
    assert parse_instant("1971-01-01T00:00:00+00:00", "x") == EARLIEST
    assert parse_instant("2999-12-31T23:00:00-00:59", "x") < LATEST
    with pytest.raises(PolicyInputError):
        parse_instant("1971-01-01T00:00:00+00:01", "x")  # 1970-12-31T23:59Z


@given(edge_instants())
def test_edge_instants_are_accepted_or_refused_by_our_error_never_overflow(value):
    try:
        utc = require_utc(value, "now")
    except PolicyInputError as error:
        assert error.field == "now"
        assert error.value == value
        return
    assert EARLIEST <= utc < LATEST
    assert as_utc(value) == utc


def test_as_utc_refuses_an_instant_it_cannot_convert():
    far = dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    with pytest.raises(PolicyInputError, match="1971-2999"):
        as_utc(far)


@pytest.mark.parametrize("text", OUTSIDE)
def test_an_event_log_names_the_at_field_and_its_line(text):
    second = json.loads(LINES[1])
    second["at"] = text
    log = "\n".join([LINES[0], json.dumps(second)])
    with pytest.raises(EventLogError) as caught:
        loads_events(log)
    error = caught.value
    assert (error.line, error.field, error.value) == (2, "line 2: at", text)
    assert error.expected == INSTANT_RANGE
    assert str(error).startswith(f"line 2: at: expected {INSTANT_RANGE}, got {text!r}")


@pytest.mark.parametrize("text", OUTSIDE)
def test_every_public_function_refuses_now_outside_the_years(text):
    now = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    incident = replay(load_events(LIFECYCLE))
    security = replay(load_events(SECURITY))
    request = MaintenanceRequest(
        "CHG-e",
        False,
        "all",
        dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
    )
    plan = RollingPlan("CHG-e", (), dt.datetime(2026, 3, 1, tzinfo=dt.UTC), "r", "r")
    calls = [
        lambda: audit(incident, now=now),
        lambda: next_due(incident, now=now),
        lambda: route_security_incident(security, now=now),
        lambda: plan_maintenance(request, default_policy(), now=now),
        lambda: go_no_go(plan, default_policy(), now=now, open_incidents=()),
    ]
    for call in calls:
        with pytest.raises(PolicyInputError) as caught:
            call()
        assert (caught.value.field, caught.value.value) == ("now", now)
        assert caught.value.expected == INSTANT_RANGE


def test_an_incident_detected_at_the_last_accepted_instant_is_audited():
    late = [json.loads(line) for line in LINES[:3]]
    start = dt.datetime(2999, 12, 31, 22, 0, tzinfo=dt.UTC)
    for index, event in enumerate(late):
        event["at"] = (start + dt.timedelta(minutes=10 * index)).isoformat()
    incident = replay(loads_events("\n".join(map(json.dumps, late))))
    end = dt.datetime(2999, 12, 31, 23, 59, tzinfo=dt.UTC)
    assert audit(incident, now=end).tenants
    next_due(incident, now=end)


# --- the commands ---------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner(env={"COLUMNS": "80"}).invoke(main, list(args))
    assert not isinstance(result.exception, OverflowError), result.exception
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


@pytest.mark.parametrize("now", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:00-01:00"])
@pytest.mark.parametrize(
    "command",
    [
        ["audit", str(LIFECYCLE)],
        ["next-due", str(LIFECYCLE)],
        ["timeline", str(LIFECYCLE)],
        ["route-security", str(SECURITY)],
        [
            "plan-maintenance",
            str(EXAMPLES / "maintenance-request.toml"),
            "--tenants",
            str(EXAMPLES / "maintenance-tenants.toml"),
        ],
    ],
)
def test_commands_refuse_now_at_the_edges(command, now):
    code, output = run(*command, "--now", now)
    assert code == 2
    assert "--now" in output
    assert now in output
    assert "Traceback" not in output


@pytest.mark.parametrize("command", ["audit", "next-due", "timeline", "route-security"])
def test_commands_refuse_a_log_detected_at_the_year_9999(tmp_path, command):
    first = json.loads(LINES[0])
    first["at"] = "9999-12-31T23:00:00Z"
    log = tmp_path / "edge.jsonl"
    log.write_text(json.dumps(first) + "\n", encoding="utf-8")
    code, output = run(command, str(log), "--now", "2026-03-08T09:00:00Z")
    assert code == 2
    assert "line 1: at: expected an instant in the years 1971-2999" in output
    assert "9999-12-31T23:00:00Z" in output


def test_timeline_never_prints_a_negative_duration(tmp_path):
    log = tmp_path / "open.jsonl"
    log.write_text("\n".join(LINES[:5]) + "\n", encoding="utf-8")  # TRIAGED since 06:09
    code, output = run("timeline", str(log), "--now", "2026-03-08T05:00:00Z", "--format", "json")
    assert code == 0
    phases = json.loads(output)["phases"]
    assert phases[-1]["phase"] == "TRIAGED"
    assert phases[-1]["duration"] is None  # as audit shows it: no duration, never "-1h..."
    assert phases[0]["duration"] == "9m"  # a closed phase keeps its own
    code, output = run("timeline", str(log), "--now", "2026-03-08T05:00:00Z")
    assert code == 0
    assert re.search(r"-\d+[smhd]\b", output) is None  # the old output said "-4140s"
    code, output = run("timeline", str(log), "--now", "2026-03-08T07:09:00Z", "--format", "json")
    assert json.loads(output)["phases"][-1]["duration"] == "1h 00m"
