"""Maintenance-window scheduling: worked examples (DST nights, odd offsets), notices, freezes,
infeasible requests, waves, go/no-go, the room check and bad input (SPEC section 4)."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import attrs
import pytest

from reliability_policy import (
    NaiveDatetimeError,
    NoFeasibleWindow,
    PolicyConfigError,
    PolicyInputError,
    Severity,
    Weekday,
    default_policy,
    load_tenants,
    loads_policy,
)
from reliability_policy import _windows as win
from reliability_policy.levels import Channel
from reliability_policy.loading import check_policy
from reliability_policy.maintenance import (
    ALL_TENANTS,
    MAX_SEARCH,
    GoNoGo,
    MaintenanceNoticeKind,
    MaintenancePlan,
    MaintenanceRequest,
    RollingPlan,
    WavePlan,
    go_no_go,
    plan_maintenance,
    plan_waves,
    policy_problems,
)
from reliability_policy.policy import (
    Freeze,
    Policy,
    RRuleWindow,
    Tenant,
    TimeZoneName,
    WeeklyWindow,
    Window,
)
from reliability_policy.serialization import dumps, loads, structure

UTC = dt.UTC
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def weekly(day: str, start: str, end: str) -> WeeklyWindow:
    return WeeklyWindow(Weekday(day), dt.time.fromisoformat(start), dt.time.fromisoformat(end))


def make_policy(
    *tenants: Tenant,
    windows: tuple[Window, ...] | None = None,
    freezes: tuple[Freeze, ...] = (),
) -> Policy:
    """A policy built directly (no loader checks), so tests may use narrow windows."""
    base = default_policy()
    maintenance = attrs.evolve(
        base.maintenance,
        windows=base.maintenance.windows if windows is None else windows,
        freezes=freezes,
    )
    return attrs.evolve(base, maintenance=maintenance, tenants=tenants)


def tenant(
    tenant_id: str,
    zone: str,
    *windows: Window,
    notice: dt.timedelta | None = None,
) -> Tenant:
    return Tenant(tenant_id, TimeZoneName(zone), tuple(windows) or None, notice)


def request(
    tenants: tuple[str, ...] | str,
    earliest: dt.datetime,
    latest: dt.datetime,
    downtime: dt.timedelta | None = 2 * H,
    change_id: str = "CHG-1",
) -> MaintenanceRequest:
    selection = ALL_TENANTS if tenants == ALL_TENANTS else tuple(tenants)
    return MaintenanceRequest(
        change_id=change_id,
        downtime=downtime is not None,
        tenants=selection,
        earliest_start=earliest,
        latest_start=latest,
        expected_downtime=downtime,
    )


def with_freezes(policy: Policy, *freezes: Freeze) -> Policy:
    return attrs.evolve(policy, maintenance=attrs.evolve(policy.maintenance, freezes=freezes))


def plan_for(policy: Policy, req: MaintenanceRequest, now: dt.datetime) -> MaintenancePlan:
    plan = plan_maintenance(req, policy, now=now)
    assert plan.start is not None
    return plan


def local(instant: dt.datetime | None, zone: str) -> str:
    assert instant is not None
    return instant.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%a %H:%M %Z")


# Notice is 168 h; planning "now" is well before each example's night.
NOW = utc(2026, 1, 1)


# --- worked examples: New York DST nights ---------------------------------------------------


def test_new_york_spring_forward_night_is_three_real_hours():
    policy = make_policy(tenant("acme", "America/New_York"))  # default Sunday 02:00-06:00
    night = request(("acme",), utc(2026, 3, 8), utc(2026, 3, 8, 12), downtime=3 * H)
    plan = plan_for(policy, night, NOW)
    assert (plan.start, plan.end) == (utc(2026, 3, 8, 7), utc(2026, 3, 8, 10))
    # 02:00 does not exist that night: the window starts at 03:00 EDT, right after 01:59 EST.
    assert local(plan.start, "America/New_York") == "Sun 03:00 EDT"
    assert local(plan.end, "America/New_York") == "Sun 06:00 EDT"
    too_long = attrs.evolve(night, expected_downtime=3 * H + M)
    with pytest.raises(NoFeasibleWindow) as caught:
        plan_maintenance(too_long, policy, now=NOW)
    (blocker,) = caught.value.blockers
    assert (blocker.rule, blocker.tenants) == ("maintenance-window", ("acme",))
    assert str(blocker) in str(caught.value)
    # the Sunday before has four real hours
    before = request(("acme",), utc(2026, 3, 1), utc(2026, 3, 1, 12), downtime=4 * H)
    assert plan_for(policy, before, NOW).start == utc(2026, 3, 1, 7)


def test_new_york_fall_back_hour_happens_twice_and_both_are_inside():
    policy = make_policy(tenant("acme", "America/New_York", weekly("SUN", "01:00", "02:00")))
    night = request(("acme",), utc(2026, 11, 1), utc(2026, 11, 1, 12), downtime=2 * H)
    plan = plan_for(policy, night, NOW)
    assert (plan.start, plan.end) == (utc(2026, 11, 1, 5), utc(2026, 11, 1, 7))
    assert local(plan.start, "America/New_York") == "Sun 01:00 EDT"
    assert local(plan.end - M, "America/New_York") == "Sun 01:59 EST"
    # an ordinary Sunday has one hour only
    ordinary = request(("acme",), utc(2026, 11, 8), utc(2026, 11, 8, 12), downtime=2 * H)
    with pytest.raises(NoFeasibleWindow):
        plan_maintenance(ordinary, policy, now=NOW)


def test_new_york_fall_back_window_straddling_the_repeat_is_two_pieces():
    # 01:30-03:00 that night: 01:30-02:00 EDT, then (after 01:00-01:30 EST, outside) 01:30 EST on
    policy = make_policy(tenant("acme", "America/New_York", weekly("SUN", "01:30", "03:00")))
    night = request(("acme",), utc(2026, 11, 1), utc(2026, 11, 1, 12), downtime=90 * M)
    plan = plan_for(policy, night, NOW)
    assert (plan.start, plan.end) == (utc(2026, 11, 1, 6, 30), utc(2026, 11, 1, 8))
    half = attrs.evolve(night, expected_downtime=30 * M)
    assert plan_for(policy, half, NOW).start == utc(2026, 11, 1, 5, 30)
    longer = attrs.evolve(night, expected_downtime=91 * M)
    with pytest.raises(NoFeasibleWindow):
        plan_maintenance(longer, policy, now=NOW)


def test_default_window_on_the_fall_back_night_is_four_real_hours_of_est():
    policy = make_policy(tenant("acme", "America/New_York"))
    night = request(("acme",), utc(2026, 11, 1), utc(2026, 11, 1, 12), downtime=4 * H)
    assert plan_for(policy, night, NOW).start == utc(2026, 11, 1, 7)


# --- worked examples: midnight, odd offsets and 30-minute DST shifts ----------------------------


def test_window_crossing_midnight():
    policy = make_policy(tenant("globex", "Europe/Berlin", weekly("SAT", "23:00", "03:00")))
    saturday = request(("globex",), utc(2026, 1, 10), utc(2026, 1, 12), downtime=4 * H)
    plan = plan_for(policy, saturday, NOW)
    assert (plan.start, plan.end) == (utc(2026, 1, 10, 22), utc(2026, 1, 11, 2))
    assert local(plan.start, "Europe/Berlin") == "Sat 23:00 CET"
    assert local(plan.end, "Europe/Berlin") == "Sun 03:00 CET"


def test_window_crossing_the_end_of_the_week_and_end_at_midnight():
    policy = make_policy(
        tenant("a", "UTC", weekly("SUN", "22:00", "02:00")),
        tenant("b", "UTC", weekly("SUN", "20:00", "00:00"), weekly("MON", "00:00", "01:00")),
    )
    plan = plan_for(policy, request(("a", "b"), utc(2026, 2, 1), utc(2026, 2, 3), 3 * H), NOW)
    assert (plan.start, plan.end) == (utc(2026, 2, 1, 22), utc(2026, 2, 2, 1))


def test_kathmandu_quarter_hour_offset():
    policy = make_policy(tenant("initech", "Asia/Kathmandu"))
    plan = plan_for(policy, request(("initech",), utc(2026, 4, 1), utc(2026, 4, 30), 4 * H), NOW)
    assert (plan.start, plan.end) == (utc(2026, 4, 4, 20, 15), utc(2026, 4, 5, 0, 15))
    assert local(plan.start, "Asia/Kathmandu") == "Sun 02:00 +0545"


def test_lord_howe_half_hour_dst_shift():
    zone = "Australia/Lord_Howe"
    # 5 April 2026: 02:00 (+11) falls back to 01:30 (+10:30); 01:30-02:00 happens twice
    policy = make_policy(tenant("umbrella", zone, weekly("SUN", "01:00", "03:00")))
    night = request(("umbrella",), utc(2026, 4, 4), utc(2026, 4, 5), downtime=150 * M)
    plan = plan_for(policy, night, NOW)
    assert (plan.start, plan.end) == (utc(2026, 4, 4, 14), utc(2026, 4, 4, 16, 30))
    # 4 October 2026: 02:00 (+10:30) springs to 02:30 (+11): Sunday 02:00-06:00 is 3.5 h
    spring = make_policy(tenant("umbrella", zone))
    night = request(("umbrella",), utc(2026, 10, 1), utc(2026, 10, 31), downtime=210 * M)
    plan = plan_for(spring, night, NOW)
    assert plan.start == utc(2026, 10, 3, 15, 30)
    assert local(plan.start, zone) == "Sun 02:30 +11"
    longer = attrs.evolve(night, latest_start=utc(2026, 10, 4), expected_downtime=211 * M)
    with pytest.raises(NoFeasibleWindow):
        plan_maintenance(longer, spring, now=NOW)


def test_chatham_fall_back_night_is_five_real_hours():
    # 5 April 2026: 03:45 (+13:45) falls back to 02:45 (+12:45)
    policy = make_policy(tenant("chatham", "Pacific/Chatham"))
    night = request(("chatham",), utc(2026, 4, 4), utc(2026, 4, 5), downtime=5 * H)
    plan = plan_for(policy, night, NOW)
    assert (plan.start, plan.end) == (utc(2026, 4, 4, 12, 15), utc(2026, 4, 4, 17, 15))
    assert local(plan.start, "Pacific/Chatham") == "Sun 02:00 +1345"
    assert local(plan.end, "Pacific/Chatham") == "Sun 06:00 +1245"


def test_st_johns_spring_forward_night_is_three_real_hours():
    policy = make_policy(tenant("hooli", "America/St_Johns"))
    night = request(("hooli",), utc(2026, 3, 8), utc(2026, 3, 9), downtime=3 * H)
    plan = plan_for(policy, night, NOW)
    assert (plan.start, plan.end) == (utc(2026, 3, 8, 5, 30), utc(2026, 3, 8, 8, 30))
    assert local(plan.start, "America/St_Johns") == "Sun 03:00 NDT"


def test_odd_offset_zones_share_a_slot_when_their_windows_overlap():
    wide = (weekly("SAT", "12:00", "00:00"), weekly("SUN", "00:00", "12:00"))
    policy = make_policy(
        tenant("a", "America/St_Johns"),
        tenant("b", "Asia/Kathmandu"),
        tenant("c", "Europe/London"),
        windows=wide,
    )
    plan = plan_for(policy, request(ALL_TENANTS, utc(2026, 6, 1), utc(2026, 6, 30)), NOW)
    # St John's Saturday 12:00 NDT is 14:30Z; Kathmandu's Sunday 12:00 is 06:15Z
    assert plan.start == utc(2026, 6, 6, 14, 30)
    assert plan.tenants == ("a", "b", "c")


def test_rrule_window_in_the_tenants_zone():
    window = RRuleWindow("FREQ=MONTHLY;BYDAY=1SA;BYHOUR=22;BYMINUTE=30", 3 * H)
    policy = make_policy(tenant("t", "America/New_York", window))
    plan = plan_for(policy, request(("t",), utc(2026, 3, 1), utc(2026, 6, 1)), NOW)
    assert plan.start == utc(2026, 3, 8, 3, 30)  # first Saturday of March, 22:30 EST
    later = plan_for(policy, request(("t",), utc(2026, 3, 9), utc(2026, 6, 1)), NOW)
    assert later.start == utc(2026, 4, 5, 2, 30)  # first Saturday of April, 22:30 EDT


# --- notices, reminders, notice periods -------------------------------------------------------


def test_notice_period_and_notices_by_channel():
    policy = make_policy(
        tenant("acme", "America/New_York", notice=336 * H),
        tenant("globex", "America/Chicago", weekly("SUN", "00:00", "06:00")),
    )
    now = utc(2026, 2, 20, 9, 30, 15)
    plan = plan_for(policy, request(("acme", "globex"), utc(2026, 2, 21), utc(2026, 4, 1)), now)
    # the earliest start respects acme's 336 h notice: not before 6 March 09:31
    assert plan.start == utc(2026, 3, 8, 7)
    assert plan.start >= now + 336 * H
    assert plan.notice_deadline == plan.start - 336 * H
    assert plan.reminder_at == plan.start - 24 * H
    notices = [(n.kind, n.channel, n.required, n.tenants, n.due) for n in plan.notices]
    assert notices == [
        (MaintenanceNoticeKind.NOTICE, Channel.EMAIL, True, ("acme",), plan.start - 336 * H),
        (MaintenanceNoticeKind.NOTICE, Channel.IN_APP, True, ("acme",), plan.start - 336 * H),
        (MaintenanceNoticeKind.NOTICE, Channel.EMAIL, True, ("globex",), plan.start - 168 * H),
        (MaintenanceNoticeKind.NOTICE, Channel.IN_APP, True, ("globex",), plan.start - 168 * H),
        (
            MaintenanceNoticeKind.REMINDER,
            Channel.EMAIL,
            True,
            ("acme", "globex"),
            plan.start - 24 * H,
        ),
        (
            MaintenanceNoticeKind.REMINDER,
            Channel.IN_APP,
            True,
            ("acme", "globex"),
            plan.start - 24 * H,
        ),
    ]
    assert all(n.rule and n.reason for n in plan.notices)
    assert "336h notice" in plan.reason


def test_start_is_a_whole_minute_after_now_plus_notice():
    wide = (weekly("SAT", "00:00", "00:00"),)  # a 24 h window
    policy = make_policy(tenant("t", "UTC"), windows=wide)
    now = utc(2026, 1, 3, 8, 15, 30)  # a Saturday; + 168 h is the next Saturday 08:15:30
    plan = plan_for(policy, request(("t",), utc(2026, 1, 1), utc(2026, 2, 1)), now)
    assert plan.start == utc(2026, 1, 10, 8, 16)
    assert plan.planned_at == now


def test_rolling_change_needs_no_window_and_no_notice():
    policy = make_policy(tenant("acme", "America/New_York"))
    rolling = request(("acme", "not-listed"), utc(2026, 3, 1), utc(2026, 3, 2), downtime=None)
    plan = plan_maintenance(rolling, policy, now=NOW)
    assert isinstance(plan, RollingPlan)
    assert not plan.window_needed
    assert plan.rule == "no-downtime"
    assert not hasattr(plan, "start")
    assert not hasattr(plan, "notices")
    assert plan.tenants == ("acme", "not-listed")
    assert "no window and no notice" in plan.reason
    everyone = plan_maintenance(attrs.evolve(rolling, tenants=ALL_TENANTS), policy, now=NOW)
    assert everyone.tenants == ("acme",)
    assert plan_waves(rolling, policy, now=NOW) == plan
    assert go_no_go(plan, policy, now=NOW, open_incidents=[_Incident("i", Severity.SEV_1)]).go


def test_default_policy_when_none_is_given_needs_listed_tenants():
    with pytest.raises(PolicyInputError, match="at least one tenant listed"):
        plan_maintenance(request(ALL_TENANTS, utc(2026, 3, 1), utc(2026, 3, 9)), now=NOW)
    plan = plan_maintenance(
        request(ALL_TENANTS, utc(2026, 3, 1), utc(2026, 3, 9), downtime=None), now=NOW
    )
    assert plan.tenants == ()


# --- freezes ----------------------------------------------------------------------------------


def test_date_freeze_is_inclusive_in_each_tenants_local_dates():
    # Kathmandu's Sunday 02:00 is Saturday 20:15Z: a freeze on the local Sunday must block it
    freeze = Freeze(dt.date(2026, 4, 5), dt.date(2026, 4, 5), reason="release week")
    policy = make_policy(tenant("initech", "Asia/Kathmandu"), freezes=(freeze,))
    plan = plan_for(policy, request(("initech",), utc(2026, 4, 1), utc(2026, 4, 30)), NOW)
    assert plan.start == utc(2026, 4, 11, 20, 15)
    saturday = Freeze(dt.date(2026, 4, 4), dt.date(2026, 4, 4))
    policy = make_policy(tenant("initech", "Asia/Kathmandu"), freezes=(saturday,))
    plan = plan_for(policy, request(("initech",), utc(2026, 4, 1), utc(2026, 4, 30)), NOW)
    assert plan.start == utc(2026, 4, 4, 20, 15)


def test_instant_freeze_and_tenant_specific_freeze():
    overlap = Freeze(utc(2026, 3, 1, 8, 30), utc(2026, 3, 1, 9), frozenset({"acme"}))
    policy = make_policy(
        tenant("acme", "America/New_York"),
        tenant("globex", "America/New_York"),
        freezes=(overlap,),
    )
    window = (utc(2026, 3, 1), utc(2026, 3, 31))
    assert plan_for(policy, request(("globex",), *window), NOW).start == utc(2026, 3, 1, 7)
    # acme's downtime must end by the freeze (2 h from 07:00 would overlap it)
    assert plan_for(policy, request(("acme",), *window, 90 * M), NOW).start == utc(2026, 3, 1, 7)
    assert plan_for(policy, request(("acme",), *window), NOW).start == utc(2026, 3, 1, 9)
    both = plan_for(policy, request(("acme", "globex"), *window), NOW)
    assert both.start == utc(2026, 3, 1, 9)


def test_everything_frozen_names_the_freeze():
    freeze = Freeze(dt.date(2026, 3, 1), dt.date(2026, 3, 31), reason="quarter close")
    policy = make_policy(tenant("acme", "America/New_York"), freezes=(freeze,))
    with pytest.raises(NoFeasibleWindow) as caught:
        plan_maintenance(request(("acme",), utc(2026, 3, 1), utc(2026, 3, 30)), policy, now=NOW)
    (blocker,) = caught.value.blockers
    assert (blocker.rule, blocker.tenants) == ("freeze", ("acme",))
    assert "quarter close" in blocker.reason
    assert f"[freeze] acme: {blocker.reason}" in str(caught.value)


# --- infeasible requests say which tenants and which constraint -------------------------------


def test_infeasible_by_notice_names_the_tenants_with_the_long_notice():
    policy = make_policy(
        tenant("acme", "America/New_York", notice=336 * H), tenant("globex", "America/New_York")
    )
    now = utc(2026, 2, 25)
    with pytest.raises(NoFeasibleWindow) as caught:
        plan_maintenance(request(("acme", "globex"), now, utc(2026, 3, 8)), policy, now=now)
    (blocker,) = caught.value.blockers
    assert (blocker.rule, blocker.tenants) == ("maintenance-notice", ("acme",))
    assert "336h" in blocker.reason
    assert "globex" not in str(blocker)


def test_infeasible_common_window_names_both_sides_and_waves_split_them():
    policy = make_policy(tenant("tokyo", "Asia/Tokyo"), tenant("nyc", "America/New_York"))
    req = request(ALL_TENANTS, utc(2026, 6, 1), utc(2026, 7, 1), 3 * H)
    with pytest.raises(NoFeasibleWindow) as caught:
        plan_maintenance(req, policy, now=utc(2026, 5, 1))
    (blocker,) = caught.value.blockers
    # nyc's windows are the ones that share no slot with tokyo's (tokyo fits first)
    assert (blocker.rule, blocker.tenants) == ("common-window", ("nyc",))
    assert "tokyo" in blocker.reason
    assert "plan_waves" in blocker.reason
    waves = plan_waves(req, policy, now=utc(2026, 5, 1))
    assert isinstance(waves, WavePlan)
    assert [w.tenants for w in waves.waves] == [("tokyo",), ("nyc",)]
    assert [w.start for w in waves.waves] == [utc(2026, 6, 6, 17), utc(2026, 6, 7, 6)]
    assert waves.rule == "waves"
    assert "2 waves" in waves.reason


def test_waves_use_one_wave_when_one_slot_fits():
    policy = make_policy(tenant("a", "Europe/Paris"), tenant("b", "Europe/Berlin"))
    req = request(ALL_TENANTS, utc(2026, 6, 1), utc(2026, 7, 1))
    waves = plan_waves(req, policy, now=utc(2026, 5, 1))
    assert len(waves.waves) == 1
    assert waves.waves[0] == plan_maintenance(req, policy, now=utc(2026, 5, 1))


def test_waves_greedy_serves_the_most_tenants_first():
    policy = make_policy(
        *(tenant(f"eu-{i}", "Europe/Berlin") for i in range(3)),
        tenant("us", "America/Chicago"),
        tenant("late", "America/Chicago", notice=500 * H),
    )
    req = request(ALL_TENANTS, utc(2026, 6, 1), utc(2026, 8, 1))
    waves = plan_waves(req, policy, now=utc(2026, 5, 25))
    assert [w.tenants for w in waves.waves] == [("eu-0", "eu-1", "eu-2"), ("us", "late")]
    # the second wave respects the longest notice among its own tenants
    assert waves.waves[1].start >= utc(2026, 5, 25) + 500 * H


def test_waves_refuse_tenants_with_no_slot_of_their_own():
    policy = make_policy(
        tenant("ok", "Europe/Berlin"),
        tenant("short", "Europe/Berlin", weekly("SUN", "02:00", "02:30")),
    )
    with pytest.raises(NoFeasibleWindow) as caught:
        plan_waves(request(ALL_TENANTS, utc(2026, 6, 1), utc(2026, 7, 1)), policy, now=NOW)
    assert [(b.rule, b.tenants) for b in caught.value.blockers] == [
        ("maintenance-window", ("short",))
    ]
    assert "fits these tenants even on their own" in str(caught.value)
    assert str(caught.value.blockers[0]) in str(caught.value)


# --- open incidents and go/no-go --------------------------------------------------------------


@attrs.frozen
class _Incident:
    id: str
    severity: Severity | None


def test_open_blocking_incident_is_a_hold_on_the_plan():
    policy = make_policy(tenant("acme", "America/New_York"))
    req = request(("acme",), utc(2026, 3, 1), utc(2026, 3, 31))
    incidents = [
        _Incident("INC-1", Severity.SEV_3),
        _Incident("INC-2", Severity.SEV_1),
        _Incident("INC-3", None),
    ]
    plan = plan_maintenance(req, policy, now=NOW, open_incidents=incidents)
    (hold,) = plan.holds
    assert hold.rule == "open-incident"
    assert hold.incidents == ("INC-2",)
    assert "SEV-1" in hold.reason
    assert plan.start == plan_maintenance(req, policy, now=NOW).start


def test_go_no_go_at_the_planned_start():
    policy = make_policy(tenant("acme", "America/New_York"), tenant("b", "Europe/London"))
    plan = plan_for(policy, request(("acme",), utc(2026, 3, 1), utc(2026, 3, 31)), NOW)
    decision = go_no_go(plan, policy, now=plan.start, open_incidents=[])
    assert isinstance(decision, GoNoGo)
    assert decision.go
    assert decision.rule == "go"
    assert decision.blockers == ()
    sev2 = [_Incident("INC-9", Severity.SEV_2), _Incident("INC-10", Severity.SEV_3)]
    refused = go_no_go(plan, policy, now=plan.start, open_incidents=sev2)
    assert not refused.go
    assert refused.rule == "open-incident"
    (blocker,) = refused.blockers
    assert (blocker.rule, blocker.tenants) == ("open-incident", ("acme",))
    assert "INC-9" in blocker.reason
    assert "INC-10" not in blocker.reason
    assert refused.reason == f"no-go: 1 blocker(s); first: {blocker}"


def test_go_no_go_refuses_a_freeze_declared_since_planning():
    policy = make_policy(tenant("acme", "America/New_York"), tenant("b", "Europe/London"))
    plan = plan_for(policy, request(("acme",), utc(2026, 3, 1), utc(2026, 3, 31)), NOW)
    assert plan.start is not None
    elsewhere = Freeze(plan.start, plan.start + H, frozenset({"b"}), "b's launch")
    assert go_no_go(plan, with_freezes(policy, elsewhere), now=plan.start, open_incidents=()).go
    freeze = Freeze(plan.start.date(), plan.start.date(), reason="incident freeze")
    frozen = with_freezes(policy, freeze)
    refused = go_no_go(plan, frozen, now=plan.start - H, open_incidents=())
    assert not refused.go
    assert refused.rule == "freeze"
    assert "incident freeze" in refused.reason
    assert [(b.rule, b.tenants) for b in refused.blockers] == [("freeze", ("acme",))]


def test_go_no_go_refuses_a_late_start_that_leaves_the_window():
    policy = make_policy(tenant("acme", "America/New_York"))
    plan = plan_for(policy, request(("acme",), utc(2026, 3, 1), utc(2026, 3, 31)), NOW)
    assert plan.start is not None
    assert go_no_go(plan, policy, now=plan.start + H, open_incidents=()).go
    late = go_no_go(plan, policy, now=plan.start + 3 * H, open_incidents=())
    assert not late.go
    assert late.rule == "maintenance-window"
    assert [(b.rule, b.tenants) for b in late.blockers] == [("maintenance-window", ("acme",))]
    assert "America/New_York" in late.blockers[0].reason


def test_go_no_go_reads_plan_times_as_instants_in_any_zone():
    # London's Sunday 05:00-08:00 GMT holds 05:00-08:00Z; New York springs forward at 07:00Z,
    # so the same plan read in New York time runs 00:00 EST to 04:00 EDT: 3 h, not 4 h.
    policy = make_policy(tenant("lon", "Europe/London", weekly("SUN", "05:00", "08:00")))
    plan = plan_for(policy, request(("lon",), utc(2026, 3, 8), utc(2026, 3, 8, 12), 3 * H), NOW)
    assert (plan.start, plan.end) == (utc(2026, 3, 8, 5), utc(2026, 3, 8, 8))
    assert plan.end is not None
    new_york = zoneinfo.ZoneInfo("America/New_York")
    stored = attrs.evolve(
        plan, start=plan.start.astimezone(new_york), end=plan.end.astimezone(new_york)
    )
    assert stored.end - stored.start == 4 * H  # wall-clock arithmetic in one zone
    decision = go_no_go(stored, policy, now=plan.start.astimezone(new_york), open_incidents=())
    assert decision.go, decision.blockers
    assert decision == go_no_go(plan, policy, now=plan.start, open_incidents=())
    assert decision.checked_at.utcoffset() == dt.timedelta(0)


def test_go_no_go_bad_input():
    policy = make_policy(tenant("acme", "America/New_York"))
    plan = plan_for(policy, request(("acme",), utc(2026, 3, 1), utc(2026, 3, 31)), NOW)
    with pytest.raises(NaiveDatetimeError):
        go_no_go(plan, policy, now=dt.datetime(2026, 3, 1), open_incidents=())
    with pytest.raises(PolicyInputError, match="a MaintenancePlan"):
        go_no_go("plan", policy, now=NOW, open_incidents=())
    with pytest.raises(PolicyInputError, match="listed in the policy"):
        go_no_go(plan, make_policy(), now=NOW, open_incidents=())
    with pytest.raises(PolicyInputError, match=r"\.id and \.severity"):
        go_no_go(plan, policy, now=NOW, open_incidents=[object()])
    with pytest.raises(PolicyInputError, match="an iterable of incidents"):
        go_no_go(plan, policy, now=NOW, open_incidents=5)
    with pytest.raises(PolicyInputError, match="a Severity or None"):
        go_no_go(plan, policy, now=NOW, open_incidents=[_Incident("i", "SEV-1")])
    broken = attrs.evolve(plan, end=plan.start)
    with pytest.raises(PolicyInputError, match="start before its end"):
        go_no_go(broken, policy, now=NOW, open_incidents=())


# --- bad input ----------------------------------------------------------------------------------


def test_bad_requests_raise_input_errors_naming_the_field():
    policy = make_policy(tenant("acme", "America/New_York"))
    good = request(("acme",), utc(2026, 3, 1), utc(2026, 3, 31))
    cases = [
        (attrs.evolve(good, change_id=""), "request.change_id"),
        (attrs.evolve(good, downtime="yes"), "request.downtime"),
        (attrs.evolve(good, tenants="acme"), "request.tenants"),
        (attrs.evolve(good, tenants=()), "request.tenants"),
        (attrs.evolve(good, tenants=("acme", "acme")), r"request.tenants\[1\]"),
        (attrs.evolve(good, tenants=("acme", 5)), r"request.tenants\[1\]"),
        (attrs.evolve(good, latest_start=utc(2026, 2, 1)), "request.latest_start"),
        (attrs.evolve(good, latest_start=utc(2027, 3, 31)), "request.latest_start"),
        (attrs.evolve(good, expected_downtime=None), "request.expected_downtime"),
        (attrs.evolve(good, expected_downtime=-H), "request.expected_downtime"),
        (attrs.evolve(good, expected_downtime=MAX_SEARCH + H), "request.expected_downtime"),
        (attrs.evolve(good, downtime=False), "request.expected_downtime"),
        (attrs.evolve(good, earliest_start="2026-03-01"), "request.earliest_start"),
        (attrs.evolve(good, earliest_start=utc(1969, 1, 1)), "request.earliest_start"),
        (attrs.evolve(good, tenants=("acme", "nobody")), "request.tenants"),
    ]
    for bad, field in cases:
        with pytest.raises(PolicyInputError, match=f"^{field}: expected"):
            plan_maintenance(bad, policy, now=NOW)
        with pytest.raises(PolicyInputError, match=f"^{field}: expected"):
            plan_waves(bad, policy, now=NOW)
    with pytest.raises(NaiveDatetimeError, match=r"request\.earliest_start"):
        plan_maintenance(
            attrs.evolve(good, earliest_start=dt.datetime(2026, 3, 1)), policy, now=NOW
        )
    with pytest.raises(NaiveDatetimeError, match="now"):
        plan_maintenance(good, policy, now=dt.datetime(2026, 1, 1))
    with pytest.raises(PolicyInputError, match="a timezone-aware datetime"):
        plan_maintenance(good, policy, now="2026-01-01")
    with pytest.raises(PolicyInputError, match="a MaintenanceRequest"):
        plan_maintenance({"change_id": "x"}, policy, now=NOW)
    with pytest.raises(PolicyInputError, match="open_incidents"):
        plan_maintenance(good, policy, now=NOW, open_incidents=[1])


def test_request_problems_lists_every_problem_with_its_path():
    bad = MaintenanceRequest("", True, ("a", "a"), utc(2026, 3, 2), utc(2026, 3, 1))
    assert [p.path for p in bad.problems()] == [
        "$.change_id",
        "$.tenants[1]",
        "$.latest_start",
        "$.expected_downtime",
    ]


def test_bad_policy_data_for_planning_raises_input_errors():
    req = request(("t",), utc(2026, 3, 1), utc(2026, 3, 31))
    dtstart = RRuleWindow("DTSTART:20260101T000000\nRRULE:FREQ=DAILY", H)
    with pytest.raises(PolicyInputError, match="a single RRULE line"):
        plan_maintenance(req, make_policy(tenant("t", "UTC", dtstart)), now=NOW)
    garbage = RRuleWindow("FREQ=SOMETIMES", H)
    with pytest.raises(PolicyInputError, match="RRULE"):
        plan_maintenance(req, make_policy(tenant("t", "UTC", garbage)), now=NOW)
    mixed = Freeze(dt.date(2026, 3, 1), utc(2026, 3, 2))
    with pytest.raises(PolicyInputError, match="same kind as start"):
        plan_maintenance(req, make_policy(tenant("t", "UTC"), freezes=(mixed,)), now=NOW)
    naive = Freeze(dt.datetime(2026, 3, 1), dt.datetime(2026, 3, 2))
    with pytest.raises(NaiveDatetimeError, match="freezes"):
        plan_maintenance(req, make_policy(tenant("t", "UTC"), freezes=(naive,)), now=NOW)
    with pytest.raises(PolicyInputError, match="time zone"):
        plan_maintenance(req, make_policy(tenant("t", "Mars/Olympus")), now=NOW)
    with pytest.raises(PolicyInputError, match="at least one low-traffic window"):
        plan_maintenance(req, make_policy(tenant("t", "UTC"), windows=()), now=NOW)
    # a window at every second of every hour (SECONDLY itself is refused by its frequency)
    every_second = ",".join(map(str, range(60)))
    runaway = RRuleWindow(f"FREQ=HOURLY;BYMINUTE={every_second};BYSECOND={every_second}", M)
    with pytest.raises(PolicyInputError, match="at most 100000 occurrences"):
        plan_maintenance(req, make_policy(tenant("t", "UTC", runaway)), now=NOW)


# --- the room check: 4 h a week in blocks of 1 h ---------------------------------------------


def room_problems(text: str) -> list[str]:
    try:
        loads_policy(text)
    except PolicyConfigError as error:
        return [str(p) for p in error.problems]
    return []


def test_default_policy_and_examples_pass_the_room_check():
    assert check_policy(default_policy()) == []
    loads_policy("schema_version = 1", tenants=load_tenants("examples/maintenance-tenants.toml"))


@pytest.mark.parametrize(
    ("windows", "problem"),
    [
        ('[{ day = "SUN", start = "02:00", end = "06:00" }]', None),
        ('[{ day = "SUN", start = "02:00", end = "05:00" }]', "3h a week in such blocks"),
        # two 2 h windows that touch make one 4 h block
        (
            '[{ day = "SAT", start = "22:00", end = "00:00" }, '
            '{ day = "SUN", start = "00:00", end = "02:00" }]',
            None,
        ),
        # eight 45-minute windows: 6 h, but no block of an hour
        (
            "["
            + ", ".join(
                f'{{ day = "{d}", start = "01:00", end = "01:45" }}'
                for d in ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN", "MON")
            )
            + "]",
            "0m a week",
        ),
        # crossing the end of the week still counts whole
        ('[{ day = "SUN", start = "22:00", end = "02:00" }]', None),
        ('[{ rrule = "FREQ=WEEKLY;BYDAY=SA;BYHOUR=23", duration = "4h" }]', None),
        ('[{ rrule = "FREQ=DAILY;BYHOUR=3", duration = "1h" }]', None),
        ('[{ rrule = "FREQ=MONTHLY;BYDAY=1SU;BYHOUR=2", duration = "6h" }]', "in its weakest week"),
    ],
)
def test_room_check(windows: str, problem: str | None):
    default = room_problems(f"schema_version = 1\n[maintenance]\nwindows = {windows}")
    tenants = room_problems(
        f'schema_version = 1\n[[tenants]]\nid = "a"\ntime_zone = "UTC"\n'
        f'[[tenants]]\nid = "b"\ntime_zone = "UTC"\nwindows = {windows}'
    )
    if problem is None:
        assert default == tenants == []
    else:
        (found,) = default
        assert found.startswith("$.maintenance.windows: expected windows giving at least 4h")
        assert problem in found
        (found,) = tenants
        assert found.startswith("$.tenants[1].windows: expected")


def test_policy_check_reports_rrules_the_planner_cannot_read():
    text = (
        'schema_version = 1\n[[tenants]]\nid = "a"\ntime_zone = "UTC"\n'
        'windows = [{ rrule = "DTSTART:20260101T000000\\nRRULE:FREQ=DAILY", duration = "5h" }]'
    )
    (problem,) = room_problems(text)  # no room problem on top: the room is not measured
    assert problem.startswith("$.tenants[0].windows[0].rrule: expected an RFC 5545 RRULE")
    assert "a single RRULE line" in problem


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=SOMETIMES",
        "BYDAY=SU",
        "DTSTART:20260101T000000\nRRULE:FREQ=DAILY",
        "FREQ=DAILY;BYHOUR=25",
        "FREQ=DAILY;INTERVAL=x",
    ],
)
def test_one_rrule_validator_for_the_loader_and_the_planner(rule: str):
    expected = win.rrule_problem(rule)
    assert expected is not None
    text = (
        'schema_version = 1\n[[tenants]]\nid = "t"\ntime_zone = "UTC"\n'
        f'windows = [{{ rrule = {json.dumps(rule)}, duration = "5h" }}]'
    )
    with pytest.raises(PolicyConfigError) as loaded:
        loads_policy(text)
    (problem,) = loaded.value.problems
    assert (problem.path, problem.expected, problem.value) == (
        "$.tenants[0].windows[0].rrule",
        expected,
        rule,
    )
    # a policy built in code is never checked by the loader; the planner asks the same question
    unchecked = make_policy(tenant("t", "UTC", RRuleWindow(rule, 5 * H)))
    with pytest.raises(PolicyInputError) as planned:
        plan_maintenance(request(("t",), utc(2026, 3, 1), utc(2026, 3, 31)), unchecked, now=NOW)
    assert (planned.value.field, planned.value.expected) == (
        "tenant 't' windows[0].rrule",
        expected,
    )


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "has no occurrence"),  # parses, never happens
        ("FREQ=YEARLY;COUNT=1;BYMONTH=1;BYMONTHDAY=1", "without COUNT or UNTIL"),  # runs out
    ],
)
def test_rrule_that_does_not_recur_is_a_configuration_error(rule: str, fragment: str):
    assert fragment in (win.rrule_problem(rule) or "")
    default = room_problems(
        f'schema_version = 1\n[maintenance]\nwindows = [{{ rrule = "{rule}", duration = "6h" }}]'
    )
    tenants = room_problems(
        f'schema_version = 1\n[[tenants]]\nid = "a"\ntime_zone = "UTC"\n'
        f'windows = [{{ rrule = "{rule}", duration = "6h" }}]'
    )
    (found,) = default
    assert found.startswith("$.maintenance.windows[0].rrule: expected an RRULE")
    assert fragment in found
    (found,) = tenants
    assert found.startswith("$.tenants[0].windows[0].rrule: expected an RRULE")


def test_policy_check_reports_naive_freeze_instants_of_a_policy_built_in_code():
    naive = Freeze(dt.datetime(2026, 3, 1), utc(2026, 3, 2))
    problems = list(policy_problems(make_policy(tenant("t", "UTC"), freezes=(naive,))))
    assert [(p.path, p.expected) for p in problems] == [
        ("$.maintenance.freezes[0].start", "a timezone-aware instant")
    ]
    backwards = Freeze(utc(2026, 3, 2), utc(2026, 3, 1))
    problems = list(policy_problems(make_policy(tenant("t", "UTC"), freezes=(backwards,))))
    assert [p.path for p in problems] == ["$.maintenance.freezes[0].end"]


# --- serialization ------------------------------------------------------------------------------


def test_plans_round_trip_through_json():
    policy = make_policy(
        tenant("acme", "America/New_York", notice=336 * H), tenant("tokyo", "Asia/Tokyo")
    )
    req = request(ALL_TENANTS, utc(2026, 3, 1), utc(2026, 4, 1))
    waves = plan_waves(req, policy, now=NOW, open_incidents=[_Incident("INC-1", Severity.SEV_1)])
    assert loads(dumps(waves), WavePlan) == waves
    assert loads(dumps(req), MaintenanceRequest) == req
    decision = go_no_go(waves.waves[0], policy, now=NOW, open_incidents=())
    assert loads(dumps(decision), GoNoGo) == decision
    refused = go_no_go(
        waves.waves[0], policy, now=NOW, open_incidents=[_Incident("INC-1", Severity.SEV_1)]
    )
    assert refused.blockers
    assert loads(dumps(refused), GoNoGo) == refused
    (blocker,) = json.loads(dumps(refused))["blockers"]
    assert blocker == {
        "rule": "open-incident",
        "tenants": list(waves.waves[0].tenants),
        "reason": refused.blockers[0].reason,
    }


def test_request_documents_report_every_problem():
    data = {
        "change_id": 7,
        "downtime": True,
        "tenants": "everyone",
        "earliest_start": "2026-03-01T00:00:00",
        "latest_start": "2026-03-31T00:00:00Z",
        "expected_downtime": "2 hours",
        "extra": 1,
    }
    with pytest.raises(PolicyConfigError) as caught:
        structure(data, MaintenanceRequest)
    paths = sorted(p.path for p in caught.value.problems)
    assert paths == [
        "$.change_id",
        "$.earliest_start",
        "$.expected_downtime",
        "$.extra",
        "$.tenants",
    ]


def test_more_bad_input_gets_our_errors():
    policy = make_policy(tenant("acme", "America/New_York"))
    good = request(("acme",), utc(2026, 3, 1), utc(2026, 3, 31))
    with pytest.raises(PolicyInputError, match=r"^policy: expected a Policy"):
        plan_maintenance(good, {"tenants": []}, now=NOW)
    with pytest.raises(PolicyInputError, match=r"^now: expected an instant in the years"):
        plan_maintenance(good, policy, now=dt.datetime(9999, 12, 31, tzinfo=UTC))
    listed = make_policy(Tenant("acme", TimeZoneName("UTC"), [weekly("SUN", "00:00", "06:00")]))
    with pytest.raises(PolicyInputError, match="tenant 'acme'"):
        plan_maintenance(good, listed, now=NOW)
    seconds = attrs.evolve(
        good,
        earliest_start=utc(2026, 3, 1, 7, 0, 10),
        latest_start=utc(2026, 3, 1, 7, 0, 50),
    )
    with pytest.raises(NoFeasibleWindow, match="no whole minute lies between"):
        plan_maintenance(seconds, policy, now=NOW)


def test_go_no_go_bad_plan_times():
    policy = make_policy(tenant("acme", "America/New_York"))
    plan = plan_for(policy, request(("acme",), utc(2026, 3, 1), utc(2026, 3, 31)), NOW)
    naive = attrs.evolve(plan, start=dt.datetime(2026, 3, 1, 7))
    with pytest.raises(NaiveDatetimeError, match=r"plan\.start"):
        go_no_go(naive, policy, now=NOW, open_incidents=())
    backwards = attrs.evolve(plan, end=plan.start)
    with pytest.raises(PolicyInputError, match="start before its end"):
        go_no_go(backwards, policy, now=NOW, open_incidents=())


def test_maintenance_notices_go_by_email_and_in_app_both_required_to_the_affected_only():
    """The page: "advance notice to affected customers via email and in-app notice" (no
    "where possible" for maintenance), and only to the tenants the change affects."""
    policy = make_policy(
        tenant("acme", "America/New_York"),
        tenant("globex", "America/Chicago"),
        tenant("bystander", "America/New_York"),
    )
    plan = plan_for(policy, request(("acme", "globex"), utc(2026, 3, 1), utc(2026, 3, 31)), NOW)
    assert {(n.channel, n.required) for n in plan.notices} == {
        (Channel.EMAIL, True),
        (Channel.IN_APP, True),
    }
    recipients = {t for n in plan.notices for t in n.tenants}
    assert recipients == set(plan.tenants) == {"acme", "globex"}
    for kind in MaintenanceNoticeKind:
        for channel in (Channel.EMAIL, Channel.IN_APP):
            sent = {
                t for n in plan.notices if (n.kind, n.channel) == (kind, channel) for t in n.tenants
            }
            assert sent == {"acme", "globex"}
