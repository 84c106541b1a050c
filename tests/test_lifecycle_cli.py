"""``reliability-policy timeline``: phases with times and durations, as a table or JSON."""

from __future__ import annotations

import json
import pathlib

import pytest
from click.testing import CliRunner

from reliability_policy.cli import main

EXAMPLE = pathlib.Path(__file__).parent.parent / "examples" / "lifecycle-incident.jsonl"


@pytest.fixture
def run():
    runner = CliRunner(env={"COLUMNS": "80"})

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_timeline_table(run):
    result = run("timeline", str(EXAMPLE))
    assert result.exit_code == 0
    for phase in ("DETECTED", "TRIAGED", "CONTAINED", "RESOLVED", "IN_REVIEW", "CLOSED"):
        assert phase in result.output
    assert "INC-2041" in result.output
    assert "1d 21h 45m" in result.output  # RESOLVED until the review started
    assert "Open corrective actions: CA-2" in result.output


def test_timeline_json(run):
    result = run("timeline", str(EXAMPLE), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["incident"] == "INC-2041"
    assert data["phase"] == "CLOSED"
    assert data["material"] is True
    assert data["highest_severity"] == "SEV-1"
    assert data["time_to"] == {
        "triage": "9m",
        "contain": "1h 10m",
        "recover": "1h 58m",
        "resolve": "2h 15m",
    }
    assert data["phases"][0] == {
        "phase": "DETECTED",
        "entered": "2026-03-08T06:00:00Z",
        "left": "2026-03-08T06:09:00Z",
        "duration": "9m",
        "event": "evt-001",
    }
    # --now defaults to the log's last event: the current phase is measured up to it.
    assert data["schema_version"] == 1
    assert data["as_of"] == "2026-03-20T12:00:00Z"
    assert data["phases"][-1]["duration"] == "9d 4h 55m"
    assert [c["severity"] for c in data["severity_changes"]] == ["SEV-2", "SEV-1"]


def test_now_measures_the_current_phase(run, tmp_path):
    log = tmp_path / "open.jsonl"
    log.write_text(EXAMPLE.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    result = run("timeline", str(log), "--now", "2026-03-08T06:00:30Z", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["phases"] == [
        {
            "phase": "DETECTED",
            "entered": "2026-03-08T06:00:00Z",
            "left": None,
            "duration": "30s",
            "event": "evt-001",
        }
    ]
    assert data["severity"] is None
    table = run("timeline", str(log), "--now", "2026-03-10T08:05:00+02:00")
    assert "2d 0h 05m" in table.output
    assert "not triaged" in table.output


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"type": "nope"}'], "line 1: type"),
        (
            [
                '{"type": "detected", "id": "a", "at": "2026-01-01T00:00:00Z", "incident_id": "I"}',
                '{"type": "resolved", "id": "b", "at": "2026-01-01T00:01:00Z"}',
            ],
            "[rule phase-order]",
        ),
    ],
)
def test_bad_logs_exit_2_with_one_line(run, tmp_path, lines, message):
    log = tmp_path / "bad.jsonl"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("timeline", str(log))
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_file_and_bad_now_exit_2(run, tmp_path):
    assert run("timeline", str(tmp_path / "none.jsonl")).exit_code == 2
    result = run("timeline", str(EXAMPLE), "--now", "2026-03-08T06:00:00")
    assert result.exit_code == 2
    assert "--now" in result.output
