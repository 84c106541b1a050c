"""The documents under ``examples/``: each one runs through the CLI and the library and shows
what it is there to show. The tutorial's command-line outputs are checked against the CLI too
(refresh them with ``python tests/test_examples.py``)."""

from __future__ import annotations

import datetime as dt
import pathlib
import re
import shlex
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

import reliability_policy as rp
from reliability_policy.cli import main
from reliability_policy.cli._maintenance import read_request
from reliability_policy.eventlog import load_events
from reliability_policy.findings import DueStatus
from reliability_policy.lifecycle import NoticeKind, Phase
from reliability_policy.maintenance import MaintenanceRequest
from reliability_policy.security import Track

ROOT = pathlib.Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
SEV1 = EXAMPLES / "sev1-platform-outage.jsonl"
SEV2 = EXAMPLES / "sev2-escalation.jsonl"
SECURITY = EXAMPLES / "security-incident.jsonl"
TENANTS = EXAMPLES / "tenants.toml"
WAVES = EXAMPLES / "maintenance-waves.toml"
WAVE_TENANTS = EXAMPLES / "maintenance-waves-tenants.toml"
NEW_YORK = ZoneInfo("America/New_York")


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def runner() -> CliRunner:
    """The CLI as it prints into a pipe or a file: 80 columns."""
    return CliRunner(env={"COLUMNS": "80"})


def run(*args: str | pathlib.Path) -> Result:
    return runner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def incident(path: pathlib.Path, policy: rp.Policy | None = None) -> rp.Incident:
    return rp.replay(load_events(path), policy)


# --- the SEV-1 platform outage: a clock across the US spring-forward, one late update ----------


def test_sev1_replays_to_a_closed_material_incident() -> None:
    sev1 = incident(SEV1)
    assert sev1.phase is Phase.CLOSED
    assert sev1.highest_severity is rp.Severity.SEV_1
    assert sev1.is_material()
    assert sev1.time_to_triage == dt.timedelta(minutes=8)
    assert sev1.time_to_resolve == dt.timedelta(hours=2, minutes=50)
    assert [a.id for a in sev1.open_actions()] == ["CA-2"]


def test_sev1_clock_crosses_the_dst_change_in_elapsed_minutes() -> None:
    sev1 = incident(SEV1)
    first = next(n for n in sev1.notifications if n.kind is NoticeKind.FIRST_NOTICE)
    owed = rp.next_due(sev1, now=first.at)
    assert owed is not None
    assert owed.kind is NoticeKind.UPDATE
    assert owed.due - first.at == dt.timedelta(minutes=30)
    # 01:45 EST to 03:15 EDT on the wall clock: the clocks jumped, the policy did not.
    assert first.at.astimezone(NEW_YORK).strftime("%H:%M %Z") == "01:45 EST"
    assert owed.due.astimezone(NEW_YORK).strftime("%H:%M %Z") == "03:15 EDT"


def test_sev1_audit_finds_exactly_the_one_late_update() -> None:
    report = rp.audit(incident(SEV1))
    assert not report.compliant
    assert {b.tenant for b in report.breaches} == {"acme", "globex", "initech", "umbrella"}
    assert {(b.rule, b.reason) for b in report.breaches} == {
        ("ongoing-update", "update due 2026-03-08T07:44:00Z sent 2026-03-08T07:58:00Z, late by 14m")
    }
    late = [o for t in report.tenants for o in t.obligations if o.status is DueStatus.LATE]
    assert {(o.due, o.late_by) for o in late} == {
        (utc("2026-03-08T07:44:00Z"), dt.timedelta(minutes=14))
    }
    assert report.warnings == ()
    summaries = [o for t in report.tenants for o in t.obligations if o.kind is NoticeKind.SUMMARY]
    assert {o.due for o in summaries} == {utc("2026-03-13T09:00:00Z")}  # 5 business days
    assert {o.status for o in summaries} == {DueStatus.MET}


def test_sev1_cli_audit_exits_1_on_the_late_update() -> None:
    result = run("audit", SEV1, "--tz", "America/New_York")
    assert result.exit_code == 1
    assert "4 breach(es)" in result.output
    lines = result.output.splitlines()
    late = [n for n, line in enumerate(lines) if line.startswith("│ acme ")]
    assert len(late) == 1
    first, second = lines[late[0]], lines[late[0] + 1]
    assert [c.strip() for c in first.split("│")[1:-1]] == [
        "acme",
        "update",
        "03-08 03:44 EDT",
        "03-08 03:58 EDT",
        "14m",
    ]
    assert [c.strip() for c in second.split("│")[1:-1]] == ["", "", "07:44Z", "07:58Z", ""]
    assert run("audit", SEV1, "--exit-zero").exit_code == 0


# --- the SEV-2 partial outage: escalated, tenants added, de-escalated ---------------------------


def test_sev2_escalation_history_and_scope() -> None:
    sev2 = incident(SEV2)
    assert [c.severity for c in sev2.severity_history] == [
        rp.Severity.SEV_2,
        rp.Severity.SEV_1,
        rp.Severity.SEV_2,
    ]
    assert sev2.severity is rp.Severity.SEV_2
    assert sev2.highest_severity is rp.Severity.SEV_1
    assert sev2.tenant_added_at["acme"] == utc("2026-04-14T14:30:00Z")
    assert sev2.phase is Phase.RESOLVED


def test_sev2_escalation_shortens_the_clock_and_new_tenants_get_a_first_notice() -> None:
    sev2 = incident(SEV2)
    # First notice 14:00 under SEV-2 (next update 15:00); SEV-1 at 14:20 makes it 14:50.
    after_escalation = rp.obligations(sev2, now=utc("2026-04-14T14:25:00Z"))
    pending = {(o.tenant, o.kind, o.due) for o in after_escalation if o.met_at is None}
    assert ("globex", NoticeKind.UPDATE, utc("2026-04-14T14:50:00Z")) in pending
    after_scope = rp.obligations(sev2, now=utc("2026-04-14T14:35:00Z"))
    firsts = {
        o.tenant: o.due
        for o in after_scope
        if o.kind is NoticeKind.FIRST_NOTICE and o.tenant in {"acme", "umbrella"}
    }
    assert firsts == dict.fromkeys(("acme", "umbrella"), utc("2026-04-14T15:00:00Z"))


def test_sev2_audit_is_compliant_and_the_resolution_uses_the_highest_cadence() -> None:
    report = rp.audit(incident(SEV2))
    assert report.compliant
    assert report.warnings == ()
    resolutions = [
        o for t in report.tenants for o in t.obligations if o.kind is NoticeKind.RESOLUTION
    ]
    assert len(resolutions) == 4
    assert {(o.due, o.severity) for o in resolutions} == {
        (utc("2026-04-14T17:10:00Z"), rp.Severity.SEV_1)  # SEV-1's 60 min, not SEV-2's 120
    }
    assert run("audit", SEV2).exit_code == 0


# --- the security incident: involvement unknown, the DPA track, one tenant on a 24 h term -------


def test_security_incident_routes_to_the_dpa_track_with_acme_on_24h() -> None:
    policy = rp.loads_policy("schema_version = 1", tenants=rp.load_tenants(TENANTS))
    security = incident(SECURITY, policy)
    routing = rp.route_security_incident(security, policy, now=utc("2026-05-05T22:00:00Z"))
    assert routing.track is Track.DPA
    assert routing.records[0].rule == "dpa-unknown-involvement"
    entries = {e.tenant_id: e for e in routing.tenants}
    assert entries["acme"].term == dt.timedelta(hours=24)
    assert entries["acme"].rule == "tenant-dpa-term"
    assert entries["acme"].deadline == utc("2026-05-05T09:00:00Z")
    assert entries["globex"].deadline == utc("2026-05-06T09:00:00Z")
    # initech joined the scope later; its clock still runs from awareness.
    assert entries["initech"].deadline == utc("2026-05-06T09:00:00Z")
    assert {k: e.status for k, e in entries.items()} == {
        "acme": DueStatus.MET,
        "globex": DueStatus.MET,
        "initech": DueStatus.PENDING,
    }
    assert "record_count" in entries["acme"].missing
    assert routing.findings == ()


def test_security_incident_cli() -> None:
    args = ("route-security", SECURITY, "--tenants", TENANTS)
    on_time = run(*args, "--now", "2026-05-05T22:00:00Z")
    assert on_time.exit_code == 0
    assert "dpa track" in on_time.output
    assert "tenant-dpa-term" in on_time.output
    later = run(*args, "--now", "2026-05-06T12:00:00Z")
    assert later.exit_code == 1
    # initech's deadline in Kathmandu (no abbreviation, a 45-minute offset), beside UTC
    lines = later.output.splitlines()
    row = next(n for n, line in enumerate(lines) if line.startswith("│ initech"))
    first, second = ([c.strip() for c in lines[n].split("│")[1:4]] for n in (row, row + 1))
    assert first == ["initech", "05-06 14:45 +0545", "missed by"]
    assert second == ["", "09:00Z", "3h"]


# --- maintenance in five zones: two waves ---------------------------------------------------------


def waves_request() -> tuple[MaintenanceRequest, rp.Policy]:
    return read_request(str(WAVES)), rp.loads_policy(
        "schema_version = 1", tenants=rp.load_tenants(WAVE_TENANTS)
    )


def test_maintenance_waves_needs_two_waves_for_five_zones() -> None:
    request, policy = waves_request()
    now = utc("2026-04-01T00:00:00Z")
    assert isinstance(request.tenants, tuple)
    zones = {policy.for_tenant(t).time_zone for t in request.tenants}
    assert len(zones) == 5
    with pytest.raises(rp.NoFeasibleWindow) as caught:
        rp.plan_maintenance(request, policy, now=now)
    assert caught.value.blockers
    waves = rp.plan_waves(request, policy, now=now)
    assert [sorted(w.tenants) for w in waves.waves] == [
        ["mynah", "shrike", "tern"],
        ["bluebird", "kestrel"],
    ]


def test_maintenance_waves_cli() -> None:
    args = ("plan-maintenance", WAVES, "--tenants", WAVE_TENANTS, "--now", "2026-04-01T00:00:00Z")
    assert run(*args).exit_code == 1
    result = run(*args, "--waves")
    assert result.exit_code == 0
    assert "2 wave(s)" in result.output


# --- the tenant terms file and the other bundled documents ----------------------------------------


def test_tenant_terms_file() -> None:
    tenants = {t.id: t for t in rp.load_tenants(TENANTS)}
    assert tenants["acme"].dpa_deadline == dt.timedelta(hours=24)
    assert (
        run("policy", "check", EXAMPLES / "policy-overrides.toml", "--tenants", TENANTS).exit_code
        == 0
    )


# The JSON Lines logs that are not incident event logs (continuity evidence, health events).
NOT_INCIDENTS = {"continuity-evidence.jsonl", "subprocessor-health.jsonl"}


@pytest.mark.parametrize(
    "path",
    sorted(p for p in EXAMPLES.glob("*.jsonl") if p.name not in NOT_INCIDENTS),
    ids=lambda p: p.name,
)
def test_every_event_log_replays(path: pathlib.Path) -> None:
    assert run("timeline", path).exit_code == 0


# --- business continuity: one overdue restore test, one missed RTO -------------------------------

CONTINUITY = EXAMPLES / "continuity-evidence.jsonl"
HEALTH = EXAMPLES / "subprocessor-health.jsonl"


def test_continuity_evidence_shows_one_overdue_test_and_one_missed_rto() -> None:
    report = rp.continuity_report(rp.load_evidence(CONTINUITY), now=utc("2026-06-01T00:00:00Z"))
    assert [(f.rule, f.level.value) for f in report.findings] == [
        ("restore-test-overdue", "breach"),
        ("rto-missed", "breach"),
    ]
    primary, files = report.stores
    assert primary.test_overdue
    assert primary.last_restore_test is not None
    assert primary.last_restore_test.met_objectives
    assert files.last_restore_test is not None
    assert (files.last_restore_test.met_rpo, files.last_restore_test.met_rto) == (True, False)
    assert not files.test_overdue
    assert all(s.validated for s in report.plan.scenarios)


def test_continuity_cli_on_the_examples() -> None:
    now = ("--now", "2026-06-01T00:00:00Z")
    assert run("continuity", "report", CONTINUITY, *now).exit_code == 1
    summary = run("continuity", "summary", CONTINUITY, *now)
    assert summary.exit_code == 0
    assert "| Loss of a critical subprocessor | 2026-03-04 |" in summary.output
    assert "OPS-2231" not in summary.output  # an internal note of the evidence
    health = run("dependencies", HEALTH, "--now", "2026-06-01T10:00:00Z")
    assert health.exit_code == 0
    assert "notices on in_app count for it" in health.output


# --- the tutorial's command lines print what the tutorial shows -----------------------------------

_BLOCK = re.compile(r"```text\n\$ (reliability-policy [^\n]*)\n(.*?)```", re.DOTALL)


def _tutorial_blocks(name: str) -> list[tuple[str, str]]:
    text = (ROOT / "docs" / name).read_text(encoding="utf-8")
    return _BLOCK.findall(text)


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip().splitlines()]


@pytest.mark.parametrize(
    ("command", "shown"),
    [pytest.param(c, s, id=c.split()[1]) for c, s in _tutorial_blocks("tutorial.md")],
)
def test_tutorial_shows_the_real_output(command: str, shown: str) -> None:
    args = shlex.split(command)[1:]
    result = runner().invoke(main, args, catch_exceptions=False)
    assert _lines(result.output) == _lines(shown)


def _update(name: str) -> None:
    """Rewrite the outputs in ``docs/<name>`` with what the CLI prints now."""
    path = ROOT / "docs" / name

    def fill(match: re.Match[str]) -> str:
        command = match.group(1)
        result = runner().invoke(main, shlex.split(command)[1:], catch_exceptions=False)
        return "```text\n$ {}\n{}\n```".format(command, "\n".join(_lines(result.output)))

    path.write_text(_BLOCK.sub(fill, path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":  # python tests/test_examples.py: refresh the tutorial's outputs
    _update("tutorial.md")
