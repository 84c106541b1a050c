"""The CLI skeleton: policy show and policy check."""

from __future__ import annotations

import json
import pathlib
import tomllib

import pytest
from click.testing import CliRunner

import reliability_policy as rp
from reliability_policy.cli import main
from reliability_policy.serialization import structure

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"


@pytest.fixture
def run():
    runner = CliRunner(env={"COLUMNS": "80"})

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_show_table_names_every_rule(run):
    result = run("policy", "show", "--tenants", str(EXAMPLES / "tenants.toml"))
    assert result.exit_code == 0
    for rule in rp.default_policy().severity.rules:
        assert rule.name in result.output
    assert "168h" in result.output
    assert "acme" in result.output


def test_show_json_and_toml_give_back_the_policy(run):
    as_json = run("policy", "show", "--format", "json")
    assert as_json.exit_code == 0
    assert structure(json.loads(as_json.output), rp.Policy) == rp.default_policy()
    as_toml = run("policy", "show", "--format", "toml")
    assert as_toml.exit_code == 0
    assert rp.loads_policy(tomllib.loads(as_toml.output)) == rp.default_policy()


def test_show_with_a_policy_file(run):
    result = run(
        "policy", "show", "--format", "json", "--policy", str(EXAMPLES / "policy-overrides.toml")
    )
    assert json.loads(result.output)["notifications"]["SEV-1"]["update_interval"] == "20m"


def test_check_valid(run):
    result = run(
        "policy",
        "check",
        str(EXAMPLES / "policy-overrides.toml"),
        "--tenants",
        str(EXAMPLES / "tenants.toml"),
    )
    assert result.exit_code == 0
    assert "valid" in result.output


def test_check_lists_every_problem_one_per_line_and_exits_2(run, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'schema_version = 1\n[notifications.SEV-1]\nupdate_interval = "soon"\n[security]\nnotify_deadline = "nope"\n'
    )
    result = run("policy", "check", str(bad))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == f"error: the policy document {bad} has 2 problem(s):"
    assert lines[1].strip().startswith("$.notifications.SEV-1.update_interval:")
    assert lines[2].strip().startswith("$.security.notify_deadline:")
    assert "Traceback" not in result.output


def test_check_a_missing_file_exits_2(run, tmp_path):
    result = run("policy", "check", str(tmp_path / "absent.toml"))
    assert result.exit_code == 2
    assert "readable" in result.stderr


def test_bad_tenants_file_exits_2(run, tmp_path):
    bad = tmp_path / "tenants.toml"
    bad.write_text('schema_version = 1\n[[tenants]]\nid = "a"\ntime_zone = "Nowhere/City"\n')
    result = run("policy", "show", "--tenants", str(bad))
    assert result.exit_code == 2
    assert "$.tenants[0].time_zone" in result.stderr


def test_check_json_is_a_versioned_verdict(run, tmp_path):
    valid = run("policy", "check", str(EXAMPLES / "policy-overrides.toml"), "--format", "json")
    assert valid.exit_code == 0
    assert json.loads(valid.output) == {
        "schema_version": 1,
        "path": str(EXAMPLES / "policy-overrides.toml"),
        "valid": True,
        "policy_schema_version": 1,
        "tenants": 0,
        "source": None,
        "problems": [],
    }
    bad = tmp_path / "bad.toml"
    bad.write_text('schema_version = 1\n[security]\nnotify_deadline = "96h"\n')
    result = run("policy", "check", str(bad), "--format", "json")
    assert result.exit_code == 2
    verdict = json.loads(result.stdout)
    assert verdict["valid"] is False
    assert verdict["source"] == f"policy document {bad}"
    assert [p["path"] for p in verdict["problems"]] == ["$.security.notify_deadline"]
