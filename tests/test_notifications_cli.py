"""The ``audit`` and ``next-due`` commands: exit codes, table and JSON output."""

from __future__ import annotations

import json
import pathlib

import pytest
from click.testing import CliRunner

from reliability_policy.cli import main

LOG = """\
{"type": "detected", "id": "e1", "at": "2026-03-09T13:55:00Z", "incident_id": "INC-9"}
{"type": "triaged", "id": "e2", "at": "2026-03-09T14:00:00Z", "severity": "SEV-1", "tenants": ["t-001"]}
{"type": "notification_sent", "id": "e3", "at": "2026-03-09T14:20:00Z", "channel": "email", "kind": "first_notice", "tenants": ["t-001"]}
{"type": "notification_sent", "id": "e4", "at": "2026-03-09T14:20:00Z", "channel": "in_app", "kind": "first_notice", "tenants": ["t-001"]}
"""


@pytest.fixture
def log(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "incident.jsonl"
    path.write_text(LOG, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_compliant_record_exits_0(log: pathlib.Path) -> None:
    code, output = run("audit", str(log))
    assert code == 0, output
    assert "compliant" in output


def test_breaches_exit_1_in_table_and_json(log: pathlib.Path) -> None:
    code, output = run("audit", str(log), "--now", "2026-03-09T15:00:00Z")
    assert code == 1
    assert "ongoing-update" in output
    code, output = run("audit", str(log), "--now", "2026-03-09T15:00:00Z", "--format", "json")
    assert code == 1
    report = json.loads(output)
    assert report["compliant"] is False
    assert [b["tenant"] for b in report["breaches"]] == ["t-001"]


def test_exit_zero_reports_breaches_but_exits_0(log: pathlib.Path) -> None:
    code, output = run("audit", str(log), "--now", "2026-03-09T15:00:00Z", "--exit-zero")
    assert code == 0
    assert "ongoing-update" in output
    code, _ = run("audit", str(log), "--now", "soon", "--exit-zero")
    assert code == 2


def test_next_due(log: pathlib.Path) -> None:
    code, output = run("next-due", str(log), "--now", "2026-03-09T14:30:00Z")
    assert code == 0
    assert "update to t-001" in output
    assert "2026-03-09T14:50:00Z" in output
    code, output = run("next-due", str(log), "--now", "2026-03-09T14:30:00Z", "--format", "json")
    assert json.loads(output)["rule"] == "ongoing-update"


def test_facts_document_is_accepted(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "facts.json"
    path.write_text(
        json.dumps(
            {
                "incident_id": "INC-3",
                "severities": [{"at": "2026-03-09T14:00:00Z", "severity": "SEV-2"}],
                "scope_confirmed_at": "2026-03-09T14:00:00Z",
                "scope": [{"tenant": "t-001", "added_at": "2026-03-09T14:00:00Z"}],
            }
        ),
        encoding="utf-8",
    )
    code, output = run("next-due", str(path), "--now", "2026-03-09T14:00:00Z")
    assert code == 0
    assert "2026-03-09T15:00:00Z" in output


@pytest.mark.parametrize(
    "args",
    [
        ("audit", "missing.jsonl"),
        ("audit", "LOG", "--now", "2026-03-09T15:00:00"),
        ("next-due", "LOG", "--now", "soon"),
    ],
)
def test_bad_input_exits_2(log: pathlib.Path, args: tuple[str, ...]) -> None:
    code, output = run(*(str(log) if a == "LOG" else a for a in args))
    assert code == 2
    assert "error:" in output


def test_bad_log_line_exits_2(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"type": "detected"}\n', encoding="utf-8")
    code, output = run("audit", str(path))
    assert code == 2
    assert "line 1" in output
