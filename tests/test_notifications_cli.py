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
{"type": "notification_sent", "id": "e3", "at": "2026-03-09T14:20:00Z", "channel": "email", "kind": "first_notice", "tenants": ["t-001"], "content": ["scope", "impact"]}
{"type": "notification_sent", "id": "e4", "at": "2026-03-09T14:20:00Z", "channel": "in_app", "kind": "first_notice", "tenants": ["t-001"], "content": ["scope", "impact"]}
"""


@pytest.fixture
def log(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "incident.jsonl"
    path.write_text(LOG, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner(env={"COLUMNS": "80"}).invoke(main, list(args))
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
    row = next(line for line in output.splitlines() if "│ t-001" in line)
    assert [cell.strip() for cell in row.split("│")[1:-1]] == [
        "t-001",
        "update",
        "03-09 14:50 UTC",
        "pending",
        "ongoing-update",
    ]
    code, output = run("next-due", str(log), "--now", "2026-03-09T14:30:00Z", "--format", "json")
    document = json.loads(output)
    assert document["schema_version"] == 1
    assert document["as_of"] == "2026-03-09T14:30:00Z"
    assert document["obligation"]["rule"] == "ongoing-update"
    assert document["obligation"]["due"] == "2026-03-09T14:50:00Z"


def test_next_due_defaults_to_the_logs_last_event(log: pathlib.Path) -> None:
    code, output = run("next-due", str(log), "--format", "json")
    assert code == 0
    document = json.loads(output)
    assert document["as_of"] == "2026-03-09T14:20:00Z"  # e3/e4, the last events
    assert document["obligation"]["due"] == "2026-03-09T14:50:00Z"
    code, output = run("next-due", str(log))
    assert output.startswith("As of the log's last event, 03-09 14:20 UTC")


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
    assert "03-09 15:00 UTC" in output
    code, output = run("next-due", str(path))
    assert code == 0
    assert "As of the document's latest instant, 03-09 14:00 UTC" in output


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


SECURITY_LOG = """\
{"type": "detected", "id": "s1", "at": "2026-05-04T09:30:00Z", "incident_id": "INC-7", "kind": "security", "customer_data": "unknown", "aware_at": "2026-05-04T09:00:00Z"}
{"type": "triaged", "id": "s2", "at": "2026-05-04T09:45:00Z", "severity": "SEV-2", "tenants": ["acme", "globex"]}
{"type": "contained", "id": "s3", "at": "2026-05-04T10:20:00Z"}
{"type": "notification_sent", "id": "s4", "at": "2026-05-05T06:00:00Z", "channel": "email", "kind": "dpa_notice", "audience": "security_contacts", "tenants": ["acme"], "content": ["nature"]}
"""
TERMS = """\
schema_version = 1

[[tenants]]
id = "acme"
time_zone = "Europe/Berlin"
dpa_deadline = "24h"
security_contacts = ["sec@acme.example"]

[[tenants]]
id = "globex"
time_zone = "UTC"
security_contacts = ["ciso@globex.example"]
"""


@pytest.fixture
def security_log(tmp_path: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    log_path, terms_path = tmp_path / "security.jsonl", tmp_path / "tenants.toml"
    log_path.write_text(SECURITY_LOG, encoding="utf-8")
    terms_path.write_text(TERMS, encoding="utf-8")
    return log_path, terms_path


def test_audit_table_shows_the_timeline_and_the_dpa_deadlines_after_the_findings(
    security_log: tuple[pathlib.Path, pathlib.Path],
) -> None:
    log_path, terms_path = security_log
    args = ("audit", str(log_path), "--tenants", str(terms_path), "--exit-zero")
    code, output = run(*args, "--now", "2026-05-06T10:00:00Z")
    assert code == 0, output
    findings = output.index("first-notice")
    timeline = output.index("Timeline of INC-7")
    dpa = output.index("DPA deadlines (security track")
    assert findings < timeline < dpa
    assert "CONTAINED" in output[timeline:dpa]
    assert "05-04 10:20 UTC" in output[timeline:dpa]  # no tenant: the calendar zone
    assert "contain 50m" in output[timeline:dpa]
    assert "1d 23h 40m" in output[timeline:dpa]  # the current phase, up to --now
    rows = _rows(output[dpa:])
    # each tenant's deadline in its own zone (acme: Berlin), beside UTC
    assert rows["acme"][1] == ["05-05 11:00 CEST", "09:00Z"]
    assert rows["acme"][2] == ["met"]
    assert rows["globex"][1] == ["05-06 09:00 UTC"]
    assert rows["globex"][2] == ["missed by", "1h"]
    assert "globex" not in " ".join(rows["acme"][3])
    assert "acme" not in " ".join(rows["globex"][3])


def _rows(table: str) -> dict[str, list[list[str]]]:
    """A boxed table's rows by the first cell: each cell's lines, a row spanning lines."""
    rows: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for line in table.splitlines():
        if not line.startswith("│"):
            continue
        cells = [cell.strip() for cell in line.split("│")[1:-1]]
        if cells[0]:
            current = rows[cells[0]] = [[] for _ in cells]
        assert current is not None
        for lines, cell in zip(current, cells, strict=True):
            if cell:
                lines.append(cell)
    return rows


def test_audit_json_keeps_dpa_deadlines_in_their_own_field(
    security_log: tuple[pathlib.Path, pathlib.Path],
) -> None:
    log_path, terms_path = security_log
    code, output = run(
        "audit", str(log_path), "--tenants", str(terms_path), "--format", "json", "--exit-zero"
    )
    assert code == 0
    report = json.loads(output)
    assert [(d["tenant_id"], d["status"]) for d in report["dpa_deadlines"]] == [
        ("acme", "met"),
        ("globex", "pending"),
    ]
    kinds = {o["kind"] for t in report["tenants"] for o in t["obligations"]}
    assert "dpa_notice" not in kinds


def test_audit_of_an_availability_log_has_a_timeline_but_no_dpa_section(
    log: pathlib.Path,
) -> None:
    code, output = run("audit", str(log))
    assert code == 0
    assert "Timeline of INC-9" in output
    assert "DPA deadlines" not in output
    # --now before the log's last phase change: no duration for the current phase.
    code, output = run("audit", str(log), "--now", "2026-03-09T13:58:00Z")
    assert code == 0
    triaged = next(line for line in output.splitlines() if "│ TRIAGED" in line)
    assert [cell.strip() for cell in triaged.split("│")][-2] == "-"


def test_next_due_per_tenant_lists_each_addressee_once() -> None:
    log = str(pathlib.Path(__file__).parent.parent / "examples" / "sev1-platform-outage.jsonl")
    code, output = run("next-due", log, "--now", "2026-03-08T07:50:00Z", "--per-tenant")
    assert code == 0
    assert "the next notice owed to each addressee" in output
    for tenant in ("acme", "globex", "initech", "umbrella"):
        assert sum(line.startswith(f"│ {tenant} ") for line in output.splitlines()) == 1
    code, output = run(
        "next-due", log, "--now", "2026-03-08T07:50:00Z", "--per-tenant", "--format", "json"
    )
    document = json.loads(output)
    assert document["schema_version"] == 1
    assert sorted(o["tenant"] for o in document["obligations"]) == [
        "acme",
        "globex",
        "initech",
        "umbrella",
    ]
