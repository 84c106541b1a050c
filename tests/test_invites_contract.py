"""The calendar invite contract, field by field: each tenant's file names that tenant's own
window in its own zone and nothing of any other tenant; the UID is stable across calls and
releases; every refused argument names the field, the value and what was expected."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import attrs
import icalendar
import pytest

import reliability_policy as rp
from expect import input_error
from reliability_policy.policy import Tenant, TimeZoneName

UTC = dt.UTC
H = dt.timedelta(hours=1)
AT = dt.datetime(2026, 3, 1, 7, tzinfo=UTC)  # Sunday 02:00 EST, 12:30 IST
PLANNED = AT - dt.timedelta(days=10)

POLICY = rp.loads_policy(
    "schema_version = 1",
    tenants={
        "schema_version": 1,
        "tenants": [
            {"id": "acme", "time_zone": "America/New_York"},
            {"id": "globex", "time_zone": "Asia/Kolkata"},
            {"id": "initech", "time_zone": "Europe/Berlin"},
        ],
    },
)


def plan(*tenants: str, start: dt.datetime = AT, change_id: str = "CHG-7") -> rp.MaintenancePlan:
    return rp.MaintenancePlan(
        change_id,
        tenants,
        PLANNED,
        "maintenance-window",
        "",
        start,
        start + 2 * H,
        start - 168 * H,
        start - 24 * H,
    )


TWO = plan("acme", "globex")
WAVES = rp.WavePlan(
    "CHG-7", (plan("acme", "globex"), plan("initech", start=AT + 7 * 24 * H)), "waves", ""
)


def lines(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def event_of(text: str) -> icalendar.Event:
    (event,) = icalendar.Calendar.from_ical(text).events
    return event


# --- what a tenant's invite says ------------------------------------------------------------


def test_an_invite_is_the_tenants_window_in_its_own_zone():
    text = rp.maintenance_invite(TWO, "acme", POLICY)
    assert text.endswith("\r\n")
    assert lines(text) == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//CustomerNode//reliability-policy//EN",
        "METHOD:REQUEST",
        "BEGIN:VTIMEZONE",
        "TZID:America/New_York",
        "COMMENT:This timezone only works from 2026-02-28 to 2026-03-02.",
        "BEGIN:STANDARD",
        "DTSTART:20260228T000000",
        "TZNAME:EST",
        "TZOFFSETFROM:-0500",
        "TZOFFSETTO:-0500",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "SUMMARY:Maintenance CHG-7",
        "DTSTART;TZID=America/New_York:20260301T020000",
        "DTEND;TZID=America/New_York:20260301T040000",
        "DTSTAMP:20260219T070000Z",
        "UID:19845945fac4ad9cf30cef7d391a0882@reliability-policy",
        "SEQUENCE:0",
        "DESCRIPTION:Planned maintenance for change CHG-7: expected downtime 2h\\, from "
        "2026-03-01 02:00 EST to 2026-03-01 04:00 EST (America/New_York).",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]


def test_a_published_invite_differs_only_in_its_method():
    request = rp.maintenance_invite(TWO, "globex", POLICY)
    published = rp.maintenance_invite(TWO, "globex", POLICY, method="PUBLISH", sequence=4)
    assert (
        request.replace("METHOD:REQUEST", "METHOD:PUBLISH").replace("SEQUENCE:0", "SEQUENCE:4")
        == published
    )
    event = event_of(published)
    assert str(event["description"]) == (
        "Planned maintenance for change CHG-7: expected downtime 2h, from 2026-03-01 12:30 IST "
        "to 2026-03-01 14:30 IST (Asia/Kolkata)."
    )
    assert event.decoded("dtstart") == AT
    assert event.decoded("dtend") == AT + 2 * H


def test_a_cancellation_says_cancelled_under_the_same_uid():
    invite = event_of(rp.maintenance_invite(TWO, "globex", POLICY))
    text = rp.maintenance_cancellation(TWO, "globex", POLICY, sequence=3)
    assert icalendar.Calendar.from_ical(text)["method"] == "CANCEL"
    event = event_of(text)
    assert (str(event["summary"]), str(event["description"]), str(event["status"])) == (
        "Cancelled: Maintenance CHG-7",
        "Planned maintenance for change CHG-7 is cancelled.",
        "CANCELLED",
    )
    assert (event["uid"], event["sequence"], str(event["transp"])) == (invite["uid"], 3, "OPAQUE")
    assert event.decoded("dtstart") == invite.decoded("dtstart")
    assert event.decoded("dtstamp") == PLANNED


def test_the_uid_is_a_digest_of_the_change_and_the_tenant_that_never_changes():
    uids = {
        (change, tenant): str(
            event_of(rp.maintenance_invite(plan(tenant, change_id=change), tenant, POLICY))["uid"]
        )
        for change in ("CHG-7", "CHG-8")
        for tenant in ("acme", "globex")
    }
    # a reschedule sent by any release must replace the event an earlier release sent
    assert uids[("CHG-7", "acme")] == "19845945fac4ad9cf30cef7d391a0882@reliability-policy"
    assert len(set(uids.values())) == 4
    # the change and tenant are separated: ("a", "bc") and ("ab", "c") differ
    split = [
        str(event_of(rp.maintenance_invite(plan(t, change_id=c), t, _policy_of(t)))["uid"])
        for c, t in (("CHG-1", "2acme"), ("CHG-12", "acme"))
    ]
    assert split[0] != split[1]


def _policy_of(tenant_id: str) -> rp.Policy:
    return rp.loads_policy(
        "schema_version = 1",
        tenants={"schema_version": 1, "tenants": [{"id": tenant_id, "time_zone": "UTC"}]},
    )


def test_the_time_zone_of_the_invite_covers_a_day_either_side_of_the_window():
    # New York springs forward at 07:00Z on 8 March: a window the day after needs both rules
    after = plan("acme", start=dt.datetime(2026, 3, 9, 7, tzinfo=UTC))
    text = lines(rp.maintenance_invite(after, "acme", POLICY))
    assert "COMMENT:This timezone only works from 2026-03-08 to 2026-03-10." in text
    assert "TZNAME:EST" in text
    assert "TZNAME:EDT" in text
    before = plan("acme", start=dt.datetime(2026, 3, 7, 7, tzinfo=UTC))
    text = lines(rp.maintenance_invite(before, "acme", POLICY))
    assert "COMMENT:This timezone only works from 2026-03-06 to 2026-03-08." in text


@pytest.fixture
def machine_in_new_york(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The machine's own time zone is not UTC (an invite must not depend on it)."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("machine_in_new_york")
def test_a_start_in_a_repeated_hour_is_written_in_utc_whatever_the_machines_zone():
    # Adelaide repeats 02:00-03:00 on 5 April 2026; 16:30Z is 02:00 ACST, the second pass
    adelaide = rp.loads_policy(
        "schema_version = 1",
        tenants={
            "schema_version": 1,
            "tenants": [{"id": "wren", "time_zone": "Australia/Adelaide"}],
        },
    )
    second = dt.datetime(2026, 4, 4, 16, 30, tzinfo=UTC)
    text = lines(rp.maintenance_invite(plan("wren", start=second), "wren", adelaide))
    assert "DTSTART:20260404T163000Z" in text
    assert "DTEND;TZID=Australia/Adelaide:20260405T040000" in text
    first = dt.datetime(2026, 4, 4, 15, 30, tzinfo=UTC)  # 02:00 ACDT, the first pass
    text = lines(rp.maintenance_invite(plan("wren", start=first), "wren", adelaide))
    assert "DTSTART;TZID=Australia/Adelaide:20260405T020000" in text


# --- isolation: each tenant's file is its own -------------------------------------------------


def test_every_tenant_gets_one_invite_naming_no_other_tenant():
    invites = rp.maintenance_invites(TWO, POLICY, sequence=2)
    assert sorted(invites) == ["acme", "globex"]
    assert invites["acme"] == rp.maintenance_invite(TWO, "acme", POLICY, sequence=2)
    assert invites["globex"] == rp.maintenance_invite(TWO, "globex", POLICY, sequence=2)
    assert "TZID=America/New_York" in invites["acme"]
    assert "TZID=Asia/Kolkata" in invites["globex"]
    for tenant, text in invites.items():
        for other in ("acme", "globex", "initech", "America/New_York", "Asia/Kolkata"):
            if other not in (tenant, POLICY.for_tenant(tenant).time_zone):
                assert other not in text, (tenant, other)
        assert "SEQUENCE:2" in lines(text)


def test_in_a_wave_plan_each_tenant_is_invited_to_its_own_wave():
    invites = rp.maintenance_invites(WAVES, POLICY)
    assert sorted(invites) == ["acme", "globex", "initech"]
    starts = {tenant: event_of(text).decoded("dtstart") for tenant, text in invites.items()}
    assert starts == {"acme": AT, "globex": AT, "initech": AT + 7 * 24 * H}
    assert invites["initech"] == rp.maintenance_invite(WAVES, "initech", POLICY)
    assert invites["initech"] == rp.maintenance_invite(WAVES.waves[1], "initech", POLICY)
    assert "acme" not in invites["initech"]
    assert "globex" not in invites["initech"]
    cancel = rp.maintenance_cancellation(WAVES, "initech", POLICY, sequence=1)
    assert event_of(cancel).decoded("dtstart") == AT + 7 * 24 * H


# --- refused arguments ------------------------------------------------------------------------

ROLLING = rp.RollingPlan("CHG-9", ("acme",), PLANNED, "no-downtime", "")
NOT_A_PLAN = "a MaintenancePlan or WavePlan"


@pytest.mark.parametrize("call", ["invite", "cancellation", "invites"])
def test_a_rolling_plan_is_refused_by_name_with_why(call):
    with input_error(
        "plan",
        value="CHG-9",
        expected=NOT_A_PLAN,
        detail="a change without downtime has no window to invite to",
    ):
        _call(call, ROLLING, "acme")


@pytest.mark.parametrize("call", ["invite", "cancellation", "invites"])
@pytest.mark.parametrize("bad", ["CHG-7", None, rp.GoNoGo("CHG-7", True, AT, "go", "")])
def test_something_other_than_a_plan_is_refused_by_name(call, bad):
    with input_error("plan", value=bad, expected=NOT_A_PLAN):
        _call(call, bad, "acme")


def _call(call: str, the_plan: Any, tenant: Any, **kwargs: Any) -> object:
    if call == "invite":
        return rp.maintenance_invite(the_plan, tenant, POLICY, **kwargs)
    if call == "cancellation":
        return rp.maintenance_cancellation(the_plan, tenant, POLICY, sequence=1, **kwargs)
    return rp.maintenance_invites(the_plan, POLICY, **kwargs)


@pytest.mark.parametrize("call", ["invite", "cancellation"])
@pytest.mark.parametrize(
    ("tenant", "expected"),
    [
        ("", "a non-empty tenant id"),
        (None, "a non-empty tenant id"),
        (5, "a non-empty tenant id"),
        ("initech", "a tenant the plan covers"),
        ("ACME", "a tenant the plan covers"),
    ],
)
def test_a_tenant_the_plan_does_not_cover_is_refused_by_name(call, tenant, expected):
    with input_error("tenant", value=tenant, expected=expected):
        _call(call, TWO, tenant)
    if tenant == "initech":
        assert _call(call, WAVES, tenant)  # covered by the second wave


@pytest.mark.parametrize("sequence", [-1, True, False, 1.0, "1", None])
def test_a_sequence_that_is_not_a_whole_number_is_refused_by_name(sequence):
    with input_error("sequence", value=sequence, expected="a whole number >= 0"):
        rp.maintenance_invite(TWO, "acme", POLICY, sequence=sequence)
    with input_error("sequence", value=sequence, expected="a whole number >= 0"):
        rp.maintenance_cancellation(TWO, "acme", POLICY, sequence=sequence)
    with input_error("sequence", value=sequence, expected="a whole number >= 0"):
        rp.maintenance_invites(TWO, POLICY, sequence=sequence)


@pytest.mark.parametrize("method", ["CANCEL", "request", "", None])
def test_a_method_other_than_request_or_publish_is_refused_by_name_first(method):
    with input_error("method", value=method, expected="'REQUEST' or 'PUBLISH'"):
        rp.maintenance_invite(TWO, "acme", POLICY, method=method)
    with input_error("method", value=method, expected="'REQUEST' or 'PUBLISH'"):
        rp.maintenance_invite(ROLLING, "nobody", POLICY, method=method, sequence=-1)


def test_a_tenant_the_policy_does_not_list_is_refused_by_name():
    expected = "a policy that lists the tenant with its time zone"
    with input_error("policy", value="acme", expected=expected):
        rp.maintenance_invite(TWO, "acme")  # the default policy lists no tenant
    with input_error("policy", value="globex", expected=expected):
        rp.maintenance_cancellation(TWO, "globex", _policy_of("acme"), sequence=1)


def test_a_bad_time_zone_of_a_policy_built_in_code_names_the_tenant():
    tenants = (Tenant("acme", TimeZoneName("Mars/Olympus")),)
    broken = attrs.evolve(rp.default_policy(), tenants=tenants)
    expected = "an IANA time zone name such as 'Europe/Berlin'"
    with input_error("tenant 'acme' time_zone", value="Mars/Olympus", expected=expected):
        rp.maintenance_invite(TWO, "acme", broken)
