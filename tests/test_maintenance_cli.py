"""``reliability-policy plan-maintenance``: plans, waves, infeasible requests and bad input."""

from __future__ import annotations

import json
import pathlib

import pytest
from click.testing import CliRunner, Result

from reliability_policy.cli import main
from reliability_policy.maintenance import MaintenancePlan, WavePlan
from reliability_policy.serialization import structure

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
TENANTS = str(EXAMPLES / "maintenance-tenants.toml")
REQUEST = str(EXAMPLES / "maintenance-request.toml")
REQUEST_ALL = str(EXAMPLES / "maintenance-request-all.toml")
NOW = ("--now", "2026-02-20T00:00:00Z")


def run(*args: str) -> Result:
    return CliRunner(env={"COLUMNS": "80"}).invoke(main, list(args), catch_exceptions=False)


def test_plan_prints_every_time_in_utc_and_local_time():
    result = run("plan-maintenance", REQUEST, "--tenants", TENANTS, *NOW)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "[maintenance-window]" in out
    assert out.startswith("As of --now, 02-20 00:00 UTC.")
    # 15 March 2026: New York and St John's are on daylight time, Berlin is not yet;
    # each tenant's local start, with UTC on the line below
    lines = out.splitlines()
    starts = {
        line.split()[0]: (line.split()[1:4], lines[number + 1].split()[1])
        for number, line in enumerate(lines)
        if line.split()[:1] in (["acme"], ["hooli"], ["globex"]) and "03-15" in line
    }
    assert starts == {
        "acme": (["03-15", "02:00", "EDT"], "06:00Z"),
        "hooli": (["03-15", "03:30", "NDT"], "06:00Z"),
        "globex": (["03-15", "07:00", "CET"], "06:00Z"),
    }
    # acme's two-week notice is due before the others', in its zone (EST before the change)
    assert "notice    email    03-01 01:00 EST  acme" in out
    assert "notice    in_app   03-01 01:00 EST  acme" in out
    assert "03-08 07:00 CET  globex" in out
    assert "(best effort)" not in out  # maintenance notices: email and in-app, both required


def test_waves_and_odd_offsets():
    result = run("plan-maintenance", REQUEST_ALL, "--waves", "--tenants", TENANTS, *NOW)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "3 wave(s)" in out
    assert "wave 3 of 3" in out
    assert "03-01 05:45 +0545" in out  # Kathmandu has no abbreviation
    assert "Australia/Lord_Howe" in out


def test_no_single_slot_is_a_finding_naming_tenants_and_constraint():
    result = run("plan-maintenance", REQUEST_ALL, "--tenants", TENANTS, *NOW)
    assert result.exit_code == 1
    assert "no feasible window for change" in result.stderr
    # one line per blocker, from its fields: the rule, the tenants it holds back, why
    blocker_lines = [line for line in result.stderr.splitlines() if line.startswith("  [")]
    assert blocker_lines
    assert blocker_lines[0].startswith("  [common-window] ")
    assert "plan_waves can split them" in blocker_lines[0]
    assert "--waves" in result.stderr


def test_json_output_is_a_plan_document():
    result = run("plan-maintenance", REQUEST, "--tenants", TENANTS, *NOW, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data.pop("schema_version") == 1
    assert data.pop("as_of") == "2026-02-20T00:00:00Z"
    assert data.pop("window_needed") is True
    plan = structure(data, MaintenancePlan)
    assert plan.tenants == ("acme", "globex", "hooli")
    waves = run(
        "plan-maintenance", REQUEST_ALL, "--waves", "--tenants", TENANTS, *NOW, "--format", "json"
    )
    data = json.loads(waves.stdout)
    data.pop("schema_version")
    data.pop("as_of")
    data.pop("window_needed")
    assert len(structure(data, WavePlan).waves) == 3


def test_rolling_change_and_json_request(tmp_path: pathlib.Path):
    path = tmp_path / "rolling.json"
    document = {
        "schema_version": 1,
        "change_id": "CHG-2",
        "downtime": False,
        "tenants": "all",
        "earliest_start": "2090-01-01T00:00:00Z",
        "latest_start": "2090-01-02T00:00:00Z",
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run("plan-maintenance", str(path), "--tenants", TENANTS)  # now: the clock
    assert result.exit_code == 0, result.output
    assert "[no-downtime]" in result.stdout
    assert "acme" in result.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('change_id = "x"', "$.schema_version: expected schema version 1, but the key is missing"),
        ("schema_version = 2", "$.schema_version: expected schema version 1, got 2"),
        ("schema_version = 1\nchange_id = ", "expected valid TOML"),
        (
            'schema_version = 1\nchange_id = "x"\ndowntime = true\ntenants = ["acme"]\n'
            "earliest_start = 2026-03-01T00:00:00Z\nlatest_start = 2026-02-01T00:00:00Z\n",
            "$.latest_start: expected a latest start at or after the earliest start",
        ),
        (
            'schema_version = 1\nchange_id = 5\ndowntime = "yes"\ntenants = "some"\n'
            "earliest_start = 2026-03-01T00:00:00\nlatest_start = 2026-04-01T00:00:00Z\n"
            "colour = 1\n",
            "$.colour: unknown key",
        ),
    ],
)
def test_bad_request_documents_exit_2_with_paths(tmp_path: pathlib.Path, text: str, expected: str):
    path = tmp_path / "request.toml"
    path.write_text(text, encoding="utf-8")
    result = run("plan-maintenance", str(path), "--tenants", TENANTS, *NOW)
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_bad_documents_list_every_problem(tmp_path: pathlib.Path):
    path = tmp_path / "request.toml"
    path.write_text(
        'schema_version = 1\nchange_id = 5\ndowntime = "yes"\ntenants = "some"\n'
        "earliest_start = 2026-03-01T00:00:00\nlatest_start = 2026-04-01T00:00:00Z\n",
        encoding="utf-8",
    )
    result = run("plan-maintenance", str(path), *NOW)
    assert result.exit_code == 2
    for key in ("change_id", "downtime", "tenants", "earliest_start"):
        assert f"$.{key}:" in result.stderr


def test_other_bad_input_exits_2(tmp_path: pathlib.Path):
    missing = run("plan-maintenance", str(tmp_path / "nope.toml"), *NOW)
    assert missing.exit_code == 2
    assert "readable" in missing.stderr
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]", encoding="utf-8")
    assert run("plan-maintenance", str(listed), *NOW).exit_code == 2
    bad_now = run("plan-maintenance", REQUEST, "--tenants", TENANTS, "--now", "2026-02-20")
    assert bad_now.exit_code == 2
    assert "--now" in bad_now.stderr
    unlisted = run("plan-maintenance", REQUEST, *NOW)  # no tenants document: acme is unknown
    assert unlisted.exit_code == 2
    assert "listed in the policy" in unlisted.stderr
