"""The policy document: the bundled defaults match SPEC, and bad documents list every problem."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

import reliability_policy as rp
from reliability_policy import PolicyConfigError, Severity, Weekday
from reliability_policy.levels import Channel, Impact
from reliability_policy.loading import load_tenants
from reliability_policy.policy import Condition, WeeklyWindow
from reliability_policy.timing import CalendarSpan, SpanUnit

H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)
EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"


def problems(text: str, **kwargs) -> list[str]:
    with pytest.raises(PolicyConfigError) as caught:
        rp.loads_policy(text, **kwargs)
    return [str(p) for p in caught.value.problems]


# --- the bundled default is SPEC's tables, number for number ----------------------------------


def test_default_severity_rules_are_spec_section_1():
    rules = rp.default_policy().severity.rules
    table = [(r.name, r.severity, r.when) for r in rules]
    assert table == [
        (
            "routine",
            None,
            (Condition(customer_visible=False), Condition(impact_at_most=Impact.NONE)),
        ),
        (
            "platform-outage",
            Severity.SEV_1,
            (Condition(core=True, impact_at_least=Impact.OUTAGE, share_at_least=50),),
        ),
        (
            "core-partial-outage",
            Severity.SEV_2,
            (Condition(core=True, impact_at_least=Impact.OUTAGE, share_at_least=5),),
        ),
        (
            "core-wide-degradation",
            Severity.SEV_2,
            (Condition(core=True, impact_at_least=Impact.DEGRADED, share_at_least=25),),
        ),
        (
            "feature-wide-outage",
            Severity.SEV_2,
            (Condition(core=False, impact_at_least=Impact.OUTAGE, share_at_least=50),),
        ),
        ("limited", Severity.SEV_3, ()),
    ]
    assert rp.default_policy().severity.material == {Severity.SEV_1, Severity.SEV_2}


def test_default_cadence_is_spec_section_3():
    notifications = rp.default_policy().notifications
    five_bd = CalendarSpan(5, SpanUnit.BUSINESS_DAYS)
    assert notifications.cadence(Severity.SEV_1) == rp.policy.Cadence(
        30 * M, 30 * M, 60 * M, five_bd
    )
    assert notifications.cadence(Severity.SEV_2) == rp.policy.Cadence(
        60 * M, 60 * M, 120 * M, five_bd
    )
    assert notifications.cadence(Severity.SEV_3) == rp.policy.Cadence()
    assert notifications.required_channels == {Channel.EMAIL}
    assert notifications.best_effort_channels == {Channel.IN_APP}
    assert notifications.fallback == {Channel.EMAIL: Channel.IN_APP}
    assert notifications.notification_list_severities == {Severity.SEV_1, Severity.SEV_2}
    calendar = rp.default_policy().calendar
    assert calendar.workdays == {Weekday.MON, Weekday.TUE, Weekday.WED, Weekday.THU, Weekday.FRI}


def test_default_maintenance_security_lifecycle_are_spec_sections_2_4_5():
    policy = rp.default_policy()
    maintenance = policy.maintenance
    assert maintenance.notice == 168 * H
    assert maintenance.reminder == 24 * H
    assert maintenance.min_weekly == 4 * H
    assert maintenance.min_block == 1 * H
    assert maintenance.windows == (WeeklyWindow(Weekday.SUN, dt.time(2), dt.time(6)),)
    assert maintenance.blocking_severities == {Severity.SEV_1, Severity.SEV_2}
    assert policy.security.notify_deadline == 48 * H
    assert policy.lifecycle.reopen_window == 72 * H
    assert set(policy.security.forbidden_audiences) == {
        "status_page",
        "notification_list",
        "other_tenants",
    }


def test_default_policy_is_loaded_once():
    assert rp.default_policy() is rp.default_policy()


# --- loading ----------------------------------------------------------------------------------


def test_a_partial_document_takes_the_defaults_for_what_it_leaves_out():
    policy = rp.loads_policy('schema_version = 1\n[notifications.SEV-1]\nupdate_interval = "20m"\n')
    assert policy.notifications.sev1.update_interval == 20 * M
    assert policy.notifications.sev1.first_notice == 30 * M
    assert policy.maintenance == rp.default_policy().maintenance


def test_load_from_path_json_and_mapping_agree(tmp_path):
    from reliability_policy.serialization import dumps

    path = tmp_path / "policy.json"
    path.write_text(dumps(rp.default_policy()))
    assert rp.load_policy(path) == rp.default_policy()
    assert rp.load_policy(str(path)) == rp.default_policy()
    assert rp.loads_policy(path.read_text()) == rp.default_policy()
    renamed = tmp_path / "policy.conf"  # the extension never decides: a path is a path
    renamed.write_text(path.read_text())
    assert rp.load_policy(renamed) == rp.default_policy()
    assert rp.load_policy(str(renamed)) == rp.default_policy()
    assert rp.loads_policy({"schema_version": 1}) == rp.default_policy()


def test_tenant_terms_from_a_second_document():
    policy = rp.load_policy(EXAMPLES / "policy-overrides.toml", tenants=EXAMPLES / "tenants.toml")
    acme = policy.for_tenant("acme")
    assert acme.listed
    assert acme.time_zone == "America/New_York"
    assert acme.notice == 336 * H
    assert acme.dpa_deadline == 24 * H
    assert acme.on_notification_list
    globex = policy.for_tenant("globex")
    assert globex.notice == 168 * H
    assert globex.dpa_deadline == 48 * H
    assert globex.windows == (WeeklyWindow(Weekday.SAT, dt.time(23), dt.time(3)),)
    assert globex.windows[0].crosses_midnight
    assert len(load_tenants(EXAMPLES / "tenants.toml")) == 4


def test_unlisted_tenant_gets_policy_terms_and_no_zone():
    terms = rp.default_policy().for_tenant("nobody")
    assert not terms.listed
    assert terms.time_zone is None
    assert terms.windows == rp.default_policy().maintenance.windows
    with pytest.raises(rp.PolicyInputError, match="tenant id"):
        rp.default_policy().for_tenant("")


def test_notification_list_membership_from_policy_list():
    policy = rp.loads_policy('schema_version = 1\n[notifications]\nnotification_list = ["t-1"]\n')
    assert policy.for_tenant("t-1").on_notification_list
    assert not policy.for_tenant("t-2").on_notification_list


# --- every problem at once, each with its path ------------------------------------------------


def test_the_issue_example_message():
    found = problems('schema_version = 1\n[notifications.SEV-1]\nupdate_interval = "soon"\n')
    assert found == [
        "$.notifications.SEV-1.update_interval: expected a duration such as '30m', '48h', "
        "'1h30m' or 'PT30M', got 'soon'"
    ]


def test_several_problems_are_reported_together():
    found = problems(
        """
schema_version = 1
[notifications.SEV-1]
update_interval = "soon"
first_notce = "30m"
[maintenance]
notice = "-5m"
[calendar]
time_zone = "Mars/Olympus_Mons"
"""
    )
    assert len(found) == 4
    assert any(p.startswith("$.notifications.SEV-1.update_interval:") for p in found)
    assert any(p.startswith("$.notifications.SEV-1.first_notce: unknown key") for p in found)
    assert any(p.startswith("$.maintenance.notice:") for p in found)
    assert any("IANA time zone" in p and "Mars/Olympus_Mons" in p for p in found)


@pytest.mark.parametrize(
    ("text", "path", "fragment"),
    [
        (
            'schema_version = 1\n[security]\nnotify_deadline = "96h"',
            "$.security.notify_deadline",
            "72h",
        ),
        (
            'schema_version = 1\n[notifications.SEV-1]\nupdate_interval = "90m"',
            "$.notifications.SEV-1.update_interval",
            "SEV-1 may not be looser",
        ),
        (
            'schema_version = 1\n[notifications.SEV-1]\nfirst_notice = "0m"',
            "$.notifications.SEV-1.first_notice",
            "positive",
        ),
        (
            'schema_version = 1\n[maintenance]\nreminder = "200h"',
            "$.maintenance.reminder",
            "shorter than the notice",
        ),
        (
            'schema_version = 1\n[maintenance]\nmin_block = "5h"',
            "$.maintenance.min_block",
            "at most min_weekly",
        ),
        (
            "schema_version = 1\n[maintenance]\nwindows = []",
            "$.maintenance.windows",
            "at least one",
        ),
        (
            'schema_version = 1\n[maintenance]\nwindows = [{day = "SUN", start = "02:00", end = "02:00"}]',
            "$.maintenance.windows[0].end",
            "different from the start",
        ),
        (
            'schema_version = 1\n[maintenance]\nwindows = [{day = "SUNDAY", start = "02:00", end = "06:00"}]',
            "$.maintenance.windows[0].day",
            "'SUN'",
        ),
        (
            'schema_version = 1\n[maintenance]\nwindows = [{rrule = "FREQ=SOMETIMES", duration = "2h"}]',
            "$.maintenance.windows[0].rrule",
            "RRULE",
        ),
        (
            "schema_version = 1\n[maintenance]\nfreezes = [{start = 2026-12-20, end = 2026-12-10}]",
            "$.maintenance.freezes[0].end",
            "at or after the start",
        ),
        (
            "schema_version = 1\n[maintenance]\nfreezes = [{start = 2026-12-20, end = 2026-12-21T00:00:00Z}]",
            "$.maintenance.freezes[0].end",
            "same kind",
        ),
        (
            "schema_version = 1\n[maintenance]\nfreezes = [{start = 2026-12-20T00:00:00, end = 2026-12-21T00:00:00Z}]",
            "$.maintenance.freezes[0].start",
            "timezone-aware",
        ),
        ("schema_version = 1\n[severity]\nrules = []", "$.severity.rules", "at least one rule"),
        (
            'schema_version = 1\n[severity]\nmaterial = ["SEV-4"]',
            "$.severity.material[0]",
            "'SEV-1'",
        ),
        (
            # The channel fallback is read from the subprocessor register (issue 13).
            'schema_version = 1\n[[continuity.subprocessors]]\nname = "mailer"\nbacks = ["email"]\n'
            'critical = false\ncustomer_visible = false\ncore = false\nimpact = "NONE"\n'
            'fallback_channel = "email"',
            "$.continuity.subprocessors[0].fallback_channel",
            "a channel other than 'email'",
        ),
        (
            'schema_version = 1\n[[continuity.subprocessors]]\nname = "mailer"\nbacks = ["email"]\n'
            'critical = false\ncustomer_visible = false\ncore = false\nimpact = "NONE"\n'
            'fallback_channel = "pigeon"',
            "$.continuity.subprocessors[0].fallback_channel",
            "'email'",
        ),
        (
            'schema_version = 1\n[notifications]\nfallback = { email = "in_app" }',
            "$.notifications.fallback",
            "unknown key",
        ),
        (
            'schema_version = 1\n[notifications]\nrequired_channels = "email"',
            "$.notifications.required_channels",
            "a list",
        ),
        (
            "schema_version = 1\n[notifications]\nnotification_list = [1, 2]",
            "$.notifications.notification_list[0]",
            "a string",
        ),
        (
            'schema_version = 1\n[calendar]\nholidays = ["Christmas"]',
            "$.calendar.holidays[0]",
            "a date",
        ),
        ("schema_version = 1\n[calendar]\nworkdays = []", "$.calendar.workdays", "working day"),
        (
            "schema_version = 1\n[lifecycle]\nreopen_window = 72",
            "$.lifecycle.reopen_window",
            "a duration",
        ),
        ("schema_version = 1\n[security]\nchecklist = []", "$.security.checklist", "Art. 33(3)"),
        (
            'schema_version = 1\n[security]\nforbidden_audiences = ["press"]',
            "$.security.forbidden_audiences",
            "audiences among",
        ),
        ("schema_version = 1\nsecurity = 5", "$.security", "a table"),
        ('schema_version = 1\ncolour = "blue"', "$.colour", "unknown key"),
        ("schema_version = 2", "$.schema_version", "schema version 1"),
        ("[security]", "$.schema_version", "missing"),
        ("schema_version = true", "$.schema_version", "schema version 1"),
        (
            'schema_version = 1\n[severity]\nrules = [{name = "x", severity = "SEV-3", when = [{share_at_least = 150}]}]',
            "$.severity.rules[0].when[0].share_at_least",
            "0 to 100",
        ),
        (
            'schema_version = 1\n[severity]\nrules = [{name = "x", severity = "SEV-3", when = [{share_at_least = "half"}]}]',
            "$.severity.rules[0].when[0].share_at_least",
            "a number",
        ),
        (
            'schema_version = 1\n[severity]\nrules = [{name = "x", severity = "SEV-3", when = [{core = 1}]}]',
            "$.severity.rules[0].when[0].core",
            "true or false",
        ),
        (
            'schema_version = 1\n[severity]\nrules = [{name = "x", severity = "SEV-3"}, {name = "x", severity = "SEV-2"}]',
            "$.severity.rules[1].name",
            "used once",
        ),
        (
            'schema_version = 1\n[severity]\nrules = [{severity = "SEV-3"}]',
            "$.severity.rules[0].name",
            "missing",
        ),
    ],
)
def test_each_bad_value_is_rejected_with_its_path(text, path, fragment):
    found = problems(text)
    matching = [p for p in found if p.startswith(path + ":")]
    assert matching, found
    assert any(fragment in p for p in matching), matching


@pytest.mark.parametrize(
    ("tenant", "path", "fragment"),
    [
        (
            'id = "a"\ntime_zone = "Europe/Berlin"\ndpa_deadline = "96h"',
            "$.tenants[0].dpa_deadline",
            "at most 72h (the controller's own GDPR Art. 33(1) deadline), got '96h'",
        ),
        (
            'id = "a"\ntime_zone = "Europe/Berlin"\ndpa_deadline = "72h1m"',
            "$.tenants[0].dpa_deadline",
            "at most 72h",
        ),
        (
            'id = "a"\ntime_zone = "Europe/Berlin"\nnotice = "24h"',
            "$.tenants[0].notice",
            "only tighten",
        ),
        ('id = "a"\ntime_zone = "Moon/Crater"', "$.tenants[0].time_zone", "IANA"),
        ('id = "a"', "$.tenants[0].time_zone", "missing"),
        ('id = ""\ntime_zone = "UTC"', "$.tenants[0].id", "non-empty"),
        ('id = "a"\ntime_zone = "UTC"\nwindows = []', "$.tenants[0].windows", "at least one"),
        (
            'id = "a"\ntime_zone = "UTC"\nsecurity_contacts = "a@b"',
            "$.tenants[0].security_contacts",
            "a list",
        ),
    ],
)
def test_tenant_overrides_may_only_tighten(tenant, path, fragment):
    found = problems(f"schema_version = 1\n[[tenants]]\n{tenant}\n")
    assert any(p.startswith(path + ":") and fragment in p for p in found), found


@pytest.mark.parametrize(
    ("term", "written", "applied"),
    [("24h", 24 * H, 24 * H), ("49h", 49 * H, 48 * H), ("72h", 72 * H, 48 * H)],
)
def test_a_tenant_dpa_term_up_to_72h_is_recorded_as_its_contract_states_it(term, written, applied):
    # Looser than the policy's 48 h is no error: the stricter of the two applies.
    policy = rp.loads_policy(
        f'schema_version = 1\n[[tenants]]\nid = "a"\ntime_zone = "UTC"\ndpa_deadline = "{term}"\n'
    )
    tenant = policy.tenant("a")
    assert tenant is not None
    assert tenant.dpa_deadline == written
    assert policy.for_tenant("a").dpa_deadline == applied


def test_a_tenant_listed_twice_is_an_error():
    doc = 'schema_version = 1\n[[tenants]]\nid = "a"\ntime_zone = "UTC"\n[[tenants]]\nid = "a"\ntime_zone = "UTC"\n'
    assert any(p.startswith("$.tenants[1].id:") for p in problems(doc))


def test_invalid_toml_and_json_and_files(tmp_path):
    assert problems("schema_version = ")[0].startswith("$: expected valid TOML")
    assert problems('{"schema_version": ')[0].startswith("$: expected valid JSON")
    assert problems("[1, 2]")[0].startswith("$: expected a table (a JSON object) at the top")
    with pytest.raises(PolicyConfigError, match="readable file"):
        rp.load_policy("missing-file.toml")
    array = tmp_path / "array.json"
    array.write_text("[1, 2]")
    with pytest.raises(PolicyConfigError, match="top level"):
        rp.load_policy(array)
    with pytest.raises(PolicyConfigError, match="TOML or JSON text"):
        rp.loads_policy(array)  # a path is not text
    with pytest.raises(PolicyConfigError, match="TOML or JSON text"):
        rp.loads_policy(42)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe")
    with pytest.raises(PolicyConfigError, match="UTF-8"):
        rp.load_policy(binary)
    with pytest.raises(PolicyConfigError, match="without NUL"):
        rp.load_policy("policy\x00.toml")
    with pytest.raises(PolicyConfigError, match="readable file"):
        rp.load_policy(tmp_path)


def test_error_is_a_value_error_and_carries_structured_problems():
    with pytest.raises(ValueError, match="1 problem") as caught:
        rp.loads_policy(
            'schema_version = 1\n[security]\nnotify_deadline = "96h"\n', name="svc.toml"
        )
    error = caught.value
    assert isinstance(error, rp.PolicyError)
    assert error.source == "svc.toml"
    (problem,) = error.problems
    assert problem.path == "$.security.notify_deadline"
    assert problem.value == "96h"
    assert problem.kind == "invalid"
