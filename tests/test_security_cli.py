"""``reliability-policy route-security``."""

from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from reliability_policy.cli import main
from reliability_policy.eventlog import dumps_events
from reliability_policy.levels import Channel, Severity
from reliability_policy.lifecycle import (
    Audience,
    Detected,
    IncidentKind,
    NoticeKind,
    NotificationSent,
    Triaged,
)
from reliability_policy.security import AffectedTenant, SecurityFacts
from reliability_policy.serialization import dumps

T0 = dt.datetime(2026, 3, 28, 19, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
TENANTS = """
schema_version = 1
[[tenants]]
id = "acme"
time_zone = "Europe/Berlin"
security_contacts = ["sec@acme.example"]
dpa_deadline = "24h"
"""


def _run(tmp_path, name, text, *args):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    tenants = tmp_path / "tenants.toml"
    tenants.write_text(TENANTS, encoding="utf-8")
    return CliRunner(env={"COLUMNS": "80"}).invoke(
        main, ["route-security", str(path), "--tenants", str(tenants), *args]
    )


def test_a_facts_document_on_time_exits_0(tmp_path):
    facts = SecurityFacts("INC-1", "security", T0, tenants=[AffectedTenant("acme", T0)])
    result = _run(tmp_path, "facts.json", dumps(facts), "--now", "2026-03-28T21:00:00Z")
    assert result.exit_code == 0, result.output
    assert "dpa track" in result.output
    assert "03-29 21:00 CEST" in result.output  # acme's deadline in Berlin
    assert "19:00Z" in result.output  # beside UTC


def test_json_output_and_a_missed_deadline_exits_1(tmp_path):
    facts = SecurityFacts("INC-1", "security", T0, tenants=[AffectedTenant("acme", T0)])
    result = _run(
        tmp_path, "facts.json", dumps(facts), "--now", "2026-03-30T00:00:00Z", "--format", "json"
    )
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["tenants"][0]["status"] == "missed"
    assert data["tenants"][0]["late_by"] == "5h"


def test_an_event_log(tmp_path):
    events = [
        Detected(id="e1", at=T0, incident_id="INC-2", kind=IncidentKind.SECURITY),
        Triaged(id="e2", at=T0 + H, severity=Severity.SEV_2, tenants={"acme"}),
        NotificationSent(
            id="e3",
            at=T0 + 2 * H,
            channel=Channel.EMAIL,
            kind=NoticeKind.DPA_NOTICE,
            audience=Audience.SECURITY_CONTACTS,
            tenants={"acme"},
            content={"nature"},
        ),
    ]
    result = _run(tmp_path, "log.jsonl", dumps_events(events))
    assert result.exit_code == 0, result.output
    assert "met" in result.output
    assert "add-tenant-to-dpa-track" in result.output


def test_bad_input_exits_2(tmp_path):
    result = _run(tmp_path, "facts.json", '{"incident_id": "x", "kind": "breach"}')
    assert result.exit_code == 2
    assert "kind" in result.output
    result = _run(tmp_path, "facts.json", "{}", "--now", "yesterday")
    assert result.exit_code == 2
