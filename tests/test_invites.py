"""Calendar invites for maintenance: each .ics parses back to the plan's local start."""

from __future__ import annotations

import datetime as dt
import pathlib
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reliability_policy as rp
from reliability_policy.cli._maintenance import read_request
from reliability_policy.testing import maintenance_plans

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "examples"
NOW = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
HALF_HOUR_ZONES = ("Asia/Kolkata", "Australia/Adelaide")


def waves_example() -> tuple[rp.WavePlan, rp.Policy]:
    request = read_request(str(EXAMPLES / "maintenance-waves.toml"))
    policy = rp.loads_policy(
        "schema_version = 1", tenants=rp.load_tenants(EXAMPLES / "maintenance-waves-tenants.toml")
    )
    waves = rp.plan_waves(request, policy, now=NOW)
    assert isinstance(waves, rp.WavePlan)
    return waves, policy


def event_of(text: str) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(text)
    events = calendar.events
    assert len(events) == 1
    return events[0]


def test_every_tenant_of_the_five_zone_example_gets_its_own_local_start() -> None:
    waves, policy = waves_example()
    invites = rp.maintenance_invites(waves, policy)
    assert sorted(invites) == ["bluebird", "kestrel", "mynah", "shrike", "tern"]
    zones = set()
    for wave in waves.waves:
        for tenant in wave.tenants:
            zone = policy.for_tenant(tenant).time_zone
            assert zone is not None
            zones.add(zone)
            calendar = icalendar.Calendar.from_ical(invites[tenant])
            assert [tz.tz_name for tz in calendar.timezones] == [zone]
            event = event_of(invites[tenant])
            start = event.decoded("dtstart")
            end = event.decoded("dtend")
            assert isinstance(start.tzinfo, ZoneInfo)
            assert start.tzinfo.key == zone
            local = wave.start.astimezone(ZoneInfo(zone))
            assert start.replace(tzinfo=None) == local.replace(tzinfo=None)
            assert start == wave.start
            assert end == wave.end
    assert "Asia/Kolkata" in zones  # a half-hour offset (UTC+05:30)


@pytest.mark.parametrize("zone", HALF_HOUR_ZONES)
def test_a_half_hour_zone_round_trips(zone: str) -> None:
    policy = rp.loads_policy(
        "schema_version = 1",
        tenants={"schema_version": 1, "tenants": [{"id": "wren", "time_zone": zone}]},
    )
    request = rp.MaintenanceRequest(
        "CHG-5",
        True,
        ("wren",),
        dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 8, 1, tzinfo=dt.UTC),
        expected_downtime=dt.timedelta(hours=1),
    )
    plan = rp.plan_maintenance(request, policy, now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    assert isinstance(plan, rp.MaintenancePlan)
    start = event_of(rp.maintenance_invite(plan, "wren", policy)).decoded("dtstart")
    assert start.tzinfo.key == zone
    assert start.replace(tzinfo=None) == plan.start.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    assert start.time() == dt.time(2, 0)  # the default window opens at 02:00 local


def test_the_uid_is_stable_per_change_and_tenant_and_distinct_otherwise() -> None:
    waves, policy = waves_example()
    first = rp.maintenance_invites(waves, policy)
    again = rp.maintenance_invites(waves, policy, sequence=3)
    uids = {tenant: str(event_of(text)["uid"]) for tenant, text in first.items()}
    assert uids == {tenant: str(event_of(text)["uid"]) for tenant, text in again.items()}
    assert len(set(uids.values())) == len(uids)
    other = rp.WavePlan("CHG-9999", waves.waves, waves.rule, waves.reason)
    other_waves = tuple(
        rp.MaintenancePlan(
            "CHG-9999",
            w.tenants,
            w.planned_at,
            w.rule,
            w.reason,
            w.start,
            w.end,
            w.notice_deadline,
            w.reminder_at,
        )
        for w in other.waves
    )
    moved = rp.maintenance_invites(rp.WavePlan("CHG-9999", other_waves, "", ""), policy)
    assert not {str(event_of(t)["uid"]) for t in moved.values()} & set(uids.values())
    for tenant, uid in uids.items():
        assert tenant not in uid
        assert "CHG" not in uid
        assert uid.endswith("@reliability-policy")


def test_a_reschedule_raises_the_sequence_and_keeps_the_uid() -> None:
    waves, policy = waves_example()
    wave = waves.waves[0]
    tenant = wave.tenants[0]
    later = rp.MaintenancePlan(
        wave.change_id,
        wave.tenants,
        wave.planned_at + dt.timedelta(days=1),
        wave.rule,
        wave.reason,
        wave.start + dt.timedelta(days=7),
        wave.end + dt.timedelta(days=7),
        wave.notice_deadline,
        wave.reminder_at,
    )
    first = event_of(rp.maintenance_invite(wave, tenant, policy))
    second = event_of(rp.maintenance_invite(later, tenant, policy, sequence=1))
    assert first["uid"] == second["uid"]
    assert (first["sequence"], second["sequence"]) == (0, 1)
    assert second.decoded("dtstart") == wave.start + dt.timedelta(days=7)
    assert second.decoded("dtstamp") == later.planned_at


def test_a_cancellation_keeps_the_uid() -> None:
    waves, policy = waves_example()
    wave = waves.waves[1]
    tenant = wave.tenants[-1]
    invite = rp.maintenance_invite(waves, tenant, policy, method="PUBLISH")
    cancel = rp.maintenance_cancellation(waves, tenant, policy, sequence=2)
    assert icalendar.Calendar.from_ical(invite)["method"] == "PUBLISH"
    calendar = icalendar.Calendar.from_ical(cancel)
    assert calendar["method"] == "CANCEL"
    event = event_of(cancel)
    assert event["status"] == "CANCELLED"
    assert event["sequence"] == 2
    assert event["uid"] == event_of(invite)["uid"]


def test_a_start_in_the_repeated_hour_keeps_its_instant() -> None:
    # Adelaide falls back at 03:00 ACDT on 2026-04-05: 02:00-03:00 happens twice, and RFC 5545
    # reads a TZID time as its first pass, so the second pass is written in UTC.
    policy = rp.loads_policy(
        "schema_version = 1",
        tenants={
            "schema_version": 1,
            "tenants": [{"id": "wren", "time_zone": "Australia/Adelaide"}],
        },
    )
    for start in (
        dt.datetime(2026, 4, 4, 15, 30, tzinfo=dt.UTC),  # 02:00 ACDT, first pass
        dt.datetime(2026, 4, 4, 16, 30, tzinfo=dt.UTC),  # 02:00 ACST, second pass
    ):
        plan = rp.MaintenancePlan(
            "CHG-6",
            ("wren",),
            start - dt.timedelta(days=9),
            "window",
            "",
            start,
            start + dt.timedelta(minutes=30),
            start,
            start,
        )
        text = rp.maintenance_invite(plan, "wren", policy)
        event = event_of(text)
        # (== between zones is always False inside a repeated hour, PEP 495: compare in UTC)
        assert event.decoded("dtstart").astimezone(dt.UTC) == start
        assert event.decoded("dtend").astimezone(dt.UTC) == start + dt.timedelta(minutes=30)
        first_pass = start.hour == 15
        assert ("DTSTART;TZID=Australia/Adelaide:20260405T020000" in text) is first_pass
        assert ("DTSTART:20260404T163000Z" in text) is not first_pass


@settings(max_examples=25, deadline=None)
@given(
    plan=maintenance_plans(),
    zones=st.lists(
        st.sampled_from(
            [
                "UTC",
                "Asia/Kolkata",
                "Asia/Kathmandu",
                "Australia/Adelaide",
                "America/New_York",
                "Europe/London",
                "Pacific/Chatham",
            ]
        ),
        min_size=4,
        max_size=4,
    ),
)
def test_no_tenant_file_names_another_tenant(plan: rp.MaintenancePlan, zones: list[str]) -> None:
    policy = rp.loads_policy(
        "schema_version = 1",
        tenants={
            "schema_version": 1,
            "tenants": [
                {"id": t, "time_zone": z} for t, z in zip(plan.tenants, zones, strict=False)
            ],
        },
    )
    invites = rp.maintenance_invites(plan, policy)
    assert sorted(invites) == sorted(plan.tenants)
    for tenant, text in invites.items():
        assert all(other not in text for other in plan.tenants if other != tenant)
        assert tenant not in text  # the UID is a digest; the file names the change alone
        event = event_of(text)
        assert event.decoded("dtstart") == plan.start
        assert event.decoded("dtend") == plan.end


def test_a_rolling_plan_is_refused() -> None:
    rolling: Any = rp.RollingPlan("CHG-1", ("acme",), NOW, "no-downtime", "")
    with pytest.raises(rp.PolicyInputError) as caught:
        rp.maintenance_invite(rolling, "acme")
    assert caught.value.field == "plan"
    with pytest.raises(rp.PolicyInputError):
        rp.maintenance_invites(rolling)


@pytest.mark.parametrize(
    ("tenant", "kwargs", "field"),
    [
        ("nobody", {}, "tenant"),
        ("", {}, "tenant"),
        ("mynah", {"sequence": -1}, "sequence"),
        ("mynah", {"sequence": True}, "sequence"),
        ("mynah", {"method": "CANCEL"}, "method"),
    ],
)
def test_bad_inputs_get_our_error(tenant: str, kwargs: dict[str, Any], field: str) -> None:
    waves, policy = waves_example()
    with pytest.raises(rp.PolicyInputError) as caught:
        rp.maintenance_invite(waves, tenant, policy, **kwargs)
    assert caught.value.field == field


def test_a_tenant_without_a_zone_is_refused() -> None:
    waves, _ = waves_example()
    with pytest.raises(rp.PolicyInputError) as caught:
        rp.maintenance_invite(waves, "mynah")  # the default policy lists no tenants
    assert caught.value.field == "policy"


def test_the_cli_writes_one_ics_per_tenant(tmp_path: pathlib.Path) -> None:
    from click.testing import CliRunner

    from reliability_policy.cli import main

    out = tmp_path / "ics"
    args = [
        "plan-maintenance",
        str(EXAMPLES / "maintenance-waves.toml"),
        "--tenants",
        str(EXAMPLES / "maintenance-waves-tenants.toml"),
        "--now",
        "2026-04-01T00:00:00Z",
        "--waves",
        "--ics",
        str(out),
    ]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        f"CHG-2210-{t}.ics" for t in ("bluebird", "kestrel", "mynah", "shrike", "tern")
    ]
    start = event_of((out / "CHG-2210-mynah.ics").read_text()).decoded("dtstart")
    assert (start.tzinfo.key, start.isoformat()) == ("Asia/Kolkata", "2026-04-12T02:00:00+05:30")
