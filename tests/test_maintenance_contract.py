"""The maintenance contract, field by field: every refused request, plan, incident or policy
names the field, the value and what was expected; every decision and blocker names its rule,
its tenants (only the ones it concerns) and why, with the numbers that decided it.

Notices go to the affected tenants only, each copy to its own notice group; notice deadlines,
freeze edges and the window edges are pinned at their exact boundaries.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

import reliability_policy as rp
from expect import config_problem, input_error
from reliability_policy import _windows as win
from reliability_policy.levels import Channel
from reliability_policy.maintenance import (
    MAX_SEARCH,
    Hold,
    MaintenanceNotice,
    MaintenanceNoticeKind,
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
from reliability_policy.timing import INSTANT_RANGE

UTC = dt.UTC
H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)
S = dt.timedelta(seconds=1)
NOW = dt.datetime(2026, 1, 1, tzinfo=UTC)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


MARCH, END_OF_MARCH = utc(2026, 3, 1), utc(2026, 3, 31)


def z(instant: dt.datetime) -> str:
    """An instant as reasons write it."""
    return instant.astimezone(UTC).isoformat().removesuffix("+00:00") + "Z"


def weekly(day: str, start: str, end: str) -> WeeklyWindow:
    return WeeklyWindow(rp.Weekday(day), dt.time.fromisoformat(start), dt.time.fromisoformat(end))


def tenant(
    tenant_id: str, zone: str, *windows: Window, notice: dt.timedelta | None = None
) -> Tenant:
    return Tenant(tenant_id, TimeZoneName(zone), tuple(windows) or None, notice)


def make_policy(
    *tenants: Tenant,
    windows: tuple[Window, ...] | None = None,
    freezes: tuple[Freeze, ...] = (),
    **settings: object,
) -> Policy:
    """A policy built in code (no loader checks), so tests may use narrow windows."""
    base = rp.default_policy()
    maintenance = attrs.evolve(
        base.maintenance,
        windows=base.maintenance.windows if windows is None else windows,
        freezes=freezes,
        **settings,
    )
    return attrs.evolve(base, maintenance=maintenance, tenants=tenants)


def request(
    tenants: tuple[str, ...] | str,
    earliest: dt.datetime = MARCH,
    latest: dt.datetime = END_OF_MARCH,
    downtime: dt.timedelta | None = 2 * H,
    change_id: str = "CHG-1",
) -> rp.MaintenanceRequest:
    return rp.MaintenanceRequest(
        change_id=change_id,
        downtime=downtime is not None,
        tenants=tenants,
        earliest_start=earliest,
        latest_start=latest,
        expected_downtime=downtime,
    )


def plan_of(
    policy: Policy, req: rp.MaintenanceRequest, now: dt.datetime = NOW
) -> rp.MaintenancePlan:
    plan = rp.plan_maintenance(req, policy, now=now)
    assert isinstance(plan, rp.MaintenancePlan)
    return plan


def infeasible(
    policy: Policy, req: rp.MaintenanceRequest, now: dt.datetime = NOW
) -> rp.NoFeasibleWindow:
    with pytest.raises(rp.NoFeasibleWindow) as caught:
        rp.plan_maintenance(req, policy, now=now)
    return caught.value


@attrs.frozen
class Incident:
    id: object
    severity: object


NEW_YORK = make_policy(tenant("acme", "America/New_York"))
GOOD = request(("acme",))


# --- the request: each problem with its path, value and expected phrase ------------------------

_DOWNTIME = "a positive duration such as '2h' (the change has downtime)"

BAD_REQUESTS = [
    ({"change_id": ""}, "$.change_id", "", "a non-empty change id"),
    ({"change_id": "  "}, "$.change_id", "  ", "a non-empty change id"),
    ({"change_id": 7}, "$.change_id", 7, "a non-empty change id"),
    ({"downtime": "yes"}, "$.downtime", "yes", "true or false"),
    ({"downtime": 1}, "$.downtime", 1, "true or false"),
    ({"tenants": "acme"}, "$.tenants", "acme", "a list of tenant ids, or 'all'"),
    ({"tenants": {"acme"}}, "$.tenants", {"acme"}, "a list of tenant ids, or 'all'"),
    ({"tenants": ()}, "$.tenants", (), "at least one tenant id, or 'all'"),
    ({"tenants": []}, "$.tenants", [], "at least one tenant id, or 'all'"),
    ({"tenants": ("acme", "")}, "$.tenants[1]", "", "a non-empty tenant id"),
    ({"tenants": ["acme", 5]}, "$.tenants[1]", 5, "a non-empty tenant id"),
    ({"tenants": ("acme", "b", "acme")}, "$.tenants[2]", "acme", "a tenant id listed once"),
    ({"tenants": (["acme"],)}, "$.tenants[0]", ["acme"], "a non-empty tenant id"),
    (
        {"earliest_start": "2026-03-01"},
        "$.earliest_start",
        "2026-03-01",
        "a timezone-aware datetime",
    ),
    (
        {"latest_start": utc(3000, 1, 1)},
        "$.latest_start",
        utc(3000, 1, 1),
        INSTANT_RANGE,
    ),
    (
        {"earliest_start": utc(1970, 12, 31, 23, 59)},
        "$.earliest_start",
        utc(1970, 12, 31, 23, 59),
        INSTANT_RANGE,
    ),
    (
        {"latest_start": utc(2026, 2, 28, 23, 59)},
        "$.latest_start",
        utc(2026, 2, 28, 23, 59),
        "a latest start at or after the earliest start",
    ),
    (
        {"latest_start": utc(2026, 3, 1) + MAX_SEARCH + S},
        "$.latest_start",
        utc(2026, 3, 1) + MAX_SEARCH + S,
        "a latest start at most 366 days after the earliest start",
    ),
    ({"expected_downtime": None}, "$.expected_downtime", None, _DOWNTIME),
    ({"expected_downtime": dt.timedelta(0)}, "$.expected_downtime", dt.timedelta(0), _DOWNTIME),
    ({"expected_downtime": -H}, "$.expected_downtime", -H, _DOWNTIME),
    ({"expected_downtime": "2h"}, "$.expected_downtime", "2h", _DOWNTIME),
    (
        {"expected_downtime": MAX_SEARCH + S},
        "$.expected_downtime",
        MAX_SEARCH + S,
        "a downtime of at most 366 days",
    ),
    (
        {"downtime": False},
        "$.expected_downtime",
        2 * H,
        "no expected downtime for a change without downtime (set downtime = true)",
    ),
]


@pytest.mark.parametrize(("changes", "path", "value", "expected"), BAD_REQUESTS)
def test_a_bad_request_lists_one_problem_with_its_path_value_and_expected_phrase(
    changes, path, value, expected
):
    problems = attrs.evolve(GOOD, **changes).problems()
    assert problems == [rp.Problem(path, expected, value)]
    assert type(problems[0].value) is type(value)


@pytest.mark.parametrize(("changes", "path", "value", "expected"), BAD_REQUESTS)
def test_planning_a_bad_request_names_the_request_field_value_and_expected_phrase(
    changes, path, value, expected
):
    bad = attrs.evolve(GOOD, **changes)
    field = "request." + path.removeprefix("$.")
    with input_error(field, value=value, expected=expected):
        rp.plan_maintenance(bad, NEW_YORK, now=NOW)
    with input_error(field, value=value, expected=expected):
        rp.plan_waves(bad, NEW_YORK, now=NOW)


@pytest.mark.parametrize(
    "changes",
    [
        {"latest_start": utc(2026, 3, 1)},  # the latest start may be the earliest
        {"latest_start": utc(2026, 3, 1) + MAX_SEARCH},  # a search of exactly 366 days
        {"expected_downtime": MAX_SEARCH},  # a downtime of exactly 366 days
        {"expected_downtime": S},  # any positive downtime
        {"downtime": False, "expected_downtime": None},
        {"tenants": "all"},
        {"tenants": ["acme"]},
        {"change_id": " CHG-1 "},
    ],
)
def test_a_request_at_each_limit_has_no_problem(changes):
    assert attrs.evolve(GOOD, **changes).problems() == []


def test_a_request_whose_downtime_flag_is_not_a_bool_is_not_asked_for_a_downtime():
    for downtime in (None, 2 * H, dt.timedelta(0)):
        bad = attrs.evolve(GOOD, downtime="yes", expected_downtime=downtime)
        assert [p.path for p in bad.problems()] == ["$.downtime"]


def test_a_request_lists_every_problem_in_order():
    bad = rp.MaintenanceRequest("", "no", (), "soon", utc(2026, 3, 1), None)
    assert bad.problems() == [
        rp.Problem("$.change_id", "a non-empty change id", ""),
        rp.Problem("$.downtime", "true or false", "no"),
        rp.Problem("$.tenants", "at least one tenant id, or 'all'", ()),
        rp.Problem("$.earliest_start", "a timezone-aware datetime", "soon"),
    ]
    naive = attrs.evolve(GOOD, latest_start=dt.datetime(2026, 3, 31))
    assert naive.problems() == [
        rp.Problem("$.latest_start", "a timezone-aware datetime", dt.datetime(2026, 3, 31))
    ]


def test_a_naive_request_instant_is_refused_by_name_before_the_other_problems():
    bad = attrs.evolve(GOOD, change_id="", latest_start=dt.datetime(2026, 3, 31))
    with input_error(
        "request.latest_start",
        value=dt.datetime(2026, 3, 31),
        expected="a timezone-aware datetime",
        kind=rp.NaiveDatetimeError,
    ):
        rp.plan_maintenance(bad, NEW_YORK, now=NOW)


def test_a_request_in_another_zone_is_planned_in_utc():
    plus_two = dt.timezone(dt.timedelta(hours=2))
    moved = attrs.evolve(
        GOOD,
        earliest_start=dt.datetime(2026, 3, 1, 2, tzinfo=plus_two),
        latest_start=dt.datetime(2026, 3, 31, 2, tzinfo=plus_two),
    )
    plan = plan_of(NEW_YORK, moved)
    assert plan == plan_of(NEW_YORK, GOOD)
    assert plan.start.tzinfo is UTC


def test_something_other_than_a_request_names_the_request():
    with input_error("request", value={"change_id": "x"}, expected="a MaintenanceRequest"):
        rp.plan_maintenance({"change_id": "x"}, NEW_YORK, now=NOW)
    with input_error("request", value="CHG-1", expected="a MaintenanceRequest"):
        rp.plan_waves("CHG-1", NEW_YORK, now=NOW)


@pytest.mark.parametrize("plan", [rp.plan_maintenance, rp.plan_waves])
def test_now_is_refused_by_name(plan):
    with input_error("now", value="2026-01-01", expected="a timezone-aware datetime"):
        plan(GOOD, NEW_YORK, now="2026-01-01")
    with input_error("now", value=utc(3000, 1, 1), expected=INSTANT_RANGE):
        plan(GOOD, NEW_YORK, now=utc(3000, 1, 1))
    with input_error("now", value=dt.datetime(2026, 1, 1), kind=rp.NaiveDatetimeError):
        plan(GOOD, NEW_YORK, now=dt.datetime(2026, 1, 1))


# --- request documents: the tenant selection -------------------------------------------------


@pytest.mark.parametrize("tenants", ["everyone", ["acme", 5], 5, {"acme": 1}])
def test_a_request_document_with_a_bad_selection_names_the_tenants(tenants):
    document = {
        "change_id": "CHG-1",
        "downtime": True,
        "tenants": tenants,
        "earliest_start": "2026-03-01T00:00:00Z",
        "latest_start": "2026-03-31T00:00:00Z",
        "expected_downtime": "2h",
    }
    with config_problem("$.tenants", value=tenants, expected="a list of tenant ids, or 'all'"):
        structure(document, rp.MaintenanceRequest)


def test_the_selection_is_written_as_all_or_as_a_list_and_read_back():
    everyone = attrs.evolve(GOOD, tenants="all")
    assert '"tenants": "all"' in dumps(everyone)
    assert loads(dumps(everyone), rp.MaintenanceRequest) == everyone
    two = attrs.evolve(GOOD, tenants=("acme", "globex"))
    assert '"tenants": [\n    "acme",\n    "globex"\n  ]' in dumps(two)
    assert loads(dumps(two), rp.MaintenanceRequest) == two


# --- open incidents: holds at planning, blockers at the start ----------------------------------


def test_blocking_incidents_are_one_hold_naming_each_incident_and_its_severity():
    incidents = [
        Incident("INC-1", rp.Severity.SEV_3),
        Incident("INC-2", rp.Severity.SEV_1),
        Incident("INC-3", None),
        Incident(4, rp.Severity.SEV_2),
    ]
    plan = rp.plan_maintenance(GOOD, NEW_YORK, now=NOW, open_incidents=incidents)
    assert plan.holds == (
        Hold(
            "open-incident",
            "open incident(s) INC-2 (SEV-1), 4 (SEV-2) forbid downtime maintenance while they "
            "are open; go_no_go checks again at the start",
            ("INC-2", "4"),
        ),
    )
    quiet = rp.plan_maintenance(GOOD, NEW_YORK, now=NOW, open_incidents=incidents[::2])
    assert quiet.holds == ()
    waves = rp.plan_waves(GOOD, NEW_YORK, now=NOW, open_incidents=incidents)
    assert [wave.holds for wave in waves.waves] == [plan.holds]


def test_the_blocking_severities_are_the_policys():
    policy = make_policy(
        tenant("acme", "America/New_York"), blocking_severities=frozenset({rp.Severity.SEV_3})
    )
    incidents = [Incident("INC-1", rp.Severity.SEV_1), Incident("INC-3", rp.Severity.SEV_3)]
    plan = plan_of_with(policy, incidents)
    assert [hold.incidents for hold in plan.holds] == [("INC-3",)]


def plan_of_with(policy: Policy, incidents: list[Incident]) -> rp.MaintenancePlan:
    plan = rp.plan_maintenance(GOOD, policy, now=NOW, open_incidents=incidents)
    assert isinstance(plan, rp.MaintenancePlan)
    return plan


OBJECT = object()
BAD_INCIDENTS = [
    (5, "open_incidents", 5, "an iterable of incidents"),
    (None, "open_incidents", None, "an iterable of incidents"),
    ([OBJECT], "open_incidents", OBJECT, "incidents with .id and .severity attributes"),
    (
        [Incident("INC-1", "SEV-1")],
        "open_incidents[].severity",
        "SEV-1",
        "a Severity or None",
    ),
    ([Incident("INC-1", 1)], "open_incidents[].severity", 1, "a Severity or None"),
]


@pytest.mark.parametrize(("incidents", "field", "value", "expected"), BAD_INCIDENTS)
def test_bad_open_incidents_are_refused_by_name_everywhere(incidents, field, value, expected):
    plan = plan_of(NEW_YORK, GOOD)
    rolling = rp.plan_maintenance(
        attrs.evolve(GOOD, downtime=False, expected_downtime=None), NEW_YORK, now=NOW
    )
    with input_error(field, value=value, expected=expected):
        rp.plan_maintenance(GOOD, NEW_YORK, now=NOW, open_incidents=incidents)
    with input_error(field, value=value, expected=expected):
        rp.plan_waves(GOOD, NEW_YORK, now=NOW, open_incidents=incidents)
    with input_error(field, value=value, expected=expected):
        rp.go_no_go(plan, NEW_YORK, now=NOW, open_incidents=incidents)
    with input_error(field, value=value, expected=expected):
        rp.go_no_go(rolling, NEW_YORK, now=NOW, open_incidents=incidents)


# --- the tenants: resolved against the policy -------------------------------------------------


def test_all_tenants_of_a_policy_with_none_is_refused_by_name():
    expected = "'all' with at least one tenant listed in the policy"
    with input_error("request.tenants", value="all", expected=expected):
        rp.plan_maintenance(request("all"), make_policy(), now=NOW)
    with input_error("request.tenants", value="all", expected=expected):
        rp.plan_waves(request("all"), make_policy(), now=NOW)
    plan = attrs.evolve(plan_of(NEW_YORK, GOOD), tenants="all")
    with input_error("plan.tenants", value="all", expected=expected):
        rp.go_no_go(plan, make_policy(), now=NOW, open_incidents=())


def test_a_tenant_the_policy_does_not_list_is_refused_by_name():
    expected = "a tenant listed in the policy (the planner needs its time zone)"
    with input_error("request.tenants", value="nobody", expected=expected):
        rp.plan_maintenance(request(("acme", "nobody")), NEW_YORK, now=NOW)
    with input_error("request.tenants", value="nobody", expected=expected):
        rp.plan_waves(request(("nobody", "acme")), NEW_YORK, now=NOW)
    plan = plan_of(NEW_YORK, GOOD)
    for tenants, value in ((("acme", "nobody"), "nobody"), ((5,), 5)):
        with input_error("plan.tenants", value=value, expected=expected):
            rp.go_no_go(attrs.evolve(plan, tenants=tenants), NEW_YORK, now=NOW, open_incidents=())


@pytest.mark.parametrize("tenants", ["acme", 5, None])
def test_a_plan_whose_tenants_are_not_a_list_is_refused_by_name(tenants):
    plan = attrs.evolve(plan_of(NEW_YORK, GOOD), tenants=tenants)
    with input_error("plan.tenants", value=tenants, expected="a list of tenant ids, or 'all'"):
        rp.go_no_go(plan, NEW_YORK, now=NOW, open_incidents=())


def test_a_plan_for_all_tenants_is_checked_for_every_tenant():
    policy = make_policy(tenant("acme", "America/New_York"), tenant("tokyo", "Asia/Tokyo"))
    plan = plan_of(NEW_YORK, GOOD)
    decision = rp.go_no_go(attrs.evolve(plan, tenants="all"), policy, now=NOW, open_incidents=())
    assert not decision.go
    assert [(b.rule, b.tenants) for b in decision.blockers] == [("maintenance-window", ("tokyo",))]


def test_tenant_terms_that_cannot_be_grouped_name_the_tenant():
    listed = Tenant("acme", TimeZoneName("UTC"), [weekly("SUN", "00:00", "06:00")])
    expected = "tenant terms with a tuple of windows and a duration notice"
    with input_error("tenant 'acme'", value=listed, expected=expected):
        rp.plan_maintenance(GOOD, make_policy(listed), now=NOW)


# --- the windows of a policy built in code, checked before planning ----------------------------


def test_a_bad_time_zone_names_the_first_tenant_of_its_group():
    policy = make_policy(tenant("t1", "Mars/Olympus"), tenant("t2", "Mars/Olympus"))
    expected = "an IANA time zone name such as 'Europe/Berlin'"
    with input_error("tenant 't1' time_zone", value="Mars/Olympus", expected=expected):
        rp.plan_maintenance(request("all"), policy, now=NOW)


def test_no_windows_at_all_names_where_the_windows_come_from():
    expected = "at least one low-traffic window"
    default = make_policy(tenant("t", "UTC"), windows=())
    with input_error("$.maintenance.windows", value=(), expected=expected):
        rp.plan_maintenance(request(("t",)), default, now=NOW)
    own = make_policy(Tenant("t", TimeZoneName("UTC"), (), None))
    with input_error("tenant 't' windows", value=(), expected=expected):
        rp.plan_maintenance(request(("t",)), own, now=NOW)


def test_an_unusable_rrule_names_its_window_by_index():
    rule = "FREQ=SOMETIMES"
    expected = win.rrule_problem(rule, H)
    assert expected is not None
    good = weekly("SUN", "02:00", "06:00")
    own = make_policy(tenant("t", "UTC", good, RRuleWindow(rule, H)))
    with input_error("tenant 't' windows[1].rrule", value=rule, expected=expected):
        rp.plan_maintenance(request(("t",)), own, now=NOW)
    default = make_policy(tenant("t", "UTC"), windows=(good, good, RRuleWindow(rule, H)))
    with input_error("$.maintenance.windows[2].rrule", value=rule, expected=expected):
        rp.plan_maintenance(request(("t",)), default, now=NOW)


def test_an_rrule_too_close_together_for_min_block_is_refused_before_planning():
    rule = "FREQ=HOURLY;BYMINUTE=0,30"
    assert win.rrule_problem(rule, M) is None
    expected = win.rrule_problem(rule, H)
    assert expected is not None
    policy = make_policy(tenant("t", "UTC", RRuleWindow(rule, 20 * M)))
    with input_error("tenant 't' windows[0].rrule", value=rule, expected=expected):
        rp.plan_maintenance(request(("t",)), policy, now=NOW)
    loose = make_policy(tenant("t", "UTC", RRuleWindow(rule, 20 * M)), min_block=M)
    assert plan_of(loose, request(("t",), downtime=20 * M)).start == utc(2026, 3, 1)


@pytest.mark.parametrize("duration", [dt.timedelta(0), -H, 168 * H + M, "4h", None])
def test_an_rrule_window_needs_a_positive_duration_of_at_most_a_week(duration):
    window = RRuleWindow("FREQ=WEEKLY;BYDAY=SU;BYHOUR=2", duration)
    policy = make_policy(tenant("t", "UTC", weekly("SAT", "01:00", "02:00"), window))
    expected = "a positive duration of at most 168h (one week)"
    with input_error("tenant 't' windows[1].duration", value=duration, expected=expected):
        rp.plan_maintenance(request(("t",)), policy, now=NOW)


def test_an_rrule_window_of_exactly_a_week_is_always_open():
    window = RRuleWindow("FREQ=WEEKLY;BYDAY=SU;BYHOUR=2", 168 * H)
    policy = make_policy(tenant("t", "UTC", window))
    plan = plan_of(policy, request(("t",), utc(2026, 3, 4, 10, 30), downtime=24 * H))
    assert plan.start == utc(2026, 3, 4, 10, 30)


# --- freezes of a policy built in code --------------------------------------------------------


def test_a_freeze_mixing_a_date_and_an_instant_names_its_end():
    good = Freeze(dt.date(2026, 6, 1), dt.date(2026, 6, 2))
    mixed = Freeze(dt.date(2026, 3, 1), utc(2026, 3, 2))
    policy = make_policy(tenant("acme", "America/New_York"), freezes=(good, mixed))
    expected = "the same kind as start (both dates or instants)"
    with input_error("$.maintenance.freezes[1].end", value=utc(2026, 3, 2), expected=expected):
        rp.plan_maintenance(GOOD, policy, now=NOW)
    reversed_mix = Freeze(utc(2026, 3, 1), dt.date(2026, 3, 2))
    policy = make_policy(tenant("acme", "America/New_York"), freezes=(reversed_mix,))
    with input_error("$.maintenance.freezes[0].end", value=dt.date(2026, 3, 2), expected=expected):
        rp.plan_maintenance(GOOD, policy, now=NOW)


def test_a_naive_freeze_instant_names_its_end_of_the_freeze():
    start = Freeze(dt.datetime(2026, 3, 1), utc(2026, 3, 2))
    with input_error(
        "$.maintenance.freezes[0].start", value=dt.datetime(2026, 3, 1), kind=rp.NaiveDatetimeError
    ):
        rp.plan_maintenance(GOOD, make_policy(tenant("acme", "UTC"), freezes=(start,)), now=NOW)
    end = Freeze(utc(2026, 3, 1), dt.datetime(2026, 3, 2))
    with input_error(
        "$.maintenance.freezes[0].end", value=dt.datetime(2026, 3, 2), kind=rp.NaiveDatetimeError
    ):
        rp.plan_maintenance(GOOD, make_policy(tenant("acme", "UTC"), freezes=(end,)), now=NOW)


# The default window, Sunday 02:00-06:00; in UTC on 1 March 2026 (a Sunday).
SUNDAY = utc(2026, 3, 1, 2)
NEXT_SUNDAY = utc(2026, 3, 8, 2)


def first_start(*freezes: Freeze) -> dt.datetime:
    policy = make_policy(tenant("t", "UTC"), freezes=freezes)
    return plan_of(policy, request(("t",), utc(2026, 3, 1), utc(2026, 3, 31))).start


@pytest.mark.parametrize(
    ("freeze", "start"),
    [
        (Freeze(utc(2026, 3, 1), SUNDAY), SUNDAY),  # ends as the window opens
        (Freeze(utc(2026, 3, 1), SUNDAY + S), SUNDAY + M),  # a second later: the next minute
        (Freeze(SUNDAY + 2 * H, SUNDAY + 3 * H), SUNDAY),  # starts as the downtime ends
        (Freeze(SUNDAY + 2 * H - M, SUNDAY + 3 * H), NEXT_SUNDAY),  # overlaps it by a minute
        (Freeze(SUNDAY + H, SUNDAY + H), SUNDAY),  # an empty freeze
        (Freeze(SUNDAY + 3 * H, SUNDAY + H), SUNDAY),  # backwards: empty
        (Freeze(dt.date(2026, 2, 28), dt.date(2026, 2, 28)), SUNDAY),  # the day before
        (Freeze(dt.date(2026, 3, 1), dt.date(2026, 3, 1)), NEXT_SUNDAY),  # that local date
        (Freeze(dt.date(2026, 2, 1), dt.date(2026, 3, 1)), NEXT_SUNDAY),  # ending on it
        (Freeze(dt.date(2026, 3, 1), dt.date(2026, 3, 7)), NEXT_SUNDAY),  # starting on it
        (Freeze(dt.date(2026, 3, 2), dt.date(2026, 3, 2)), SUNDAY),  # the day after
        (Freeze(dt.date(2026, 3, 2), dt.date(2026, 3, 1)), SUNDAY),  # backwards: empty
    ],
)
def test_freeze_edges(freeze, start):
    assert first_start(freeze) == start


def test_a_tenant_freeze_holds_back_its_tenant_only():
    launch = Freeze(utc(2026, 3, 1), utc(2026, 3, 2), frozenset({"b"}), "b's launch")
    policy = make_policy(tenant("a", "UTC"), tenant("b", "UTC"), freezes=(launch,))
    assert plan_of(policy, request(("a",))).start == SUNDAY
    assert plan_of(policy, request(("b",))).start == NEXT_SUNDAY
    assert plan_of(policy, request(("a", "b"))).start == NEXT_SUNDAY


# --- why no slot: the rule, the tenants it holds back and the numbers ---------------------------


def no_slot(change_id: str, latest: dt.datetime, *blockers: rp.Blocker) -> str:
    return (
        f"No maintenance slot for change {change_id!r} fits every affected tenant by the latest "
        f"start {z(latest)}: " + "; ".join(map(str, blockers))
    )


def test_the_notice_blocker_names_the_late_tenants_and_the_longest_of_their_notices():
    policy = make_policy(
        tenant("acme", "America/New_York", notice=336 * H),
        tenant("globex", "America/New_York"),
        tenant("late", "America/Chicago", notice=500 * H),
    )
    now, latest = utc(2026, 2, 25), utc(2026, 3, 8)
    error = infeasible(policy, request(("acme", "globex", "late"), now, latest), now)
    reason = (
        f"the latest start {z(latest)} is earlier than now ({z(now)}) plus their 500h notice period"
    )
    assert error.blockers == (rp.Blocker("maintenance-notice", ("acme", "late"), reason),)
    assert str(error) == no_slot("CHG-1", latest, *error.blockers)


def test_the_notice_deadline_is_inclusive_to_the_second():
    earliest, latest = utc(2026, 2, 1), utc(2026, 3, 1, 7)  # Sunday 02:00 EST
    now = latest - 168 * H
    plan = plan_of(NEW_YORK, request(("acme",), earliest, latest), now)
    assert (plan.start, plan.notice_deadline, plan.planned_at) == (latest, now, now)
    assert "(now plus the 168h notice period)" in plan.reason
    late = now + S
    error = infeasible(NEW_YORK, request(("acme",), earliest, latest), late)
    reason = (
        f"the latest start {z(latest)} is earlier than now ({z(late)}) plus their 168h "
        "notice period"
    )
    assert error.blockers == (rp.Blocker("maintenance-notice", ("acme",), reason),)


def test_no_whole_minute_between_the_bounds_holds_back_everyone():
    policy = make_policy(tenant("acme", "America/New_York"), tenant("tokyo", "Asia/Tokyo"))
    earliest, latest = utc(2026, 3, 1, 7, 0, 10), utc(2026, 3, 1, 7, 0, 50)
    error = infeasible(policy, request(("acme", "tokyo"), earliest, latest))
    reason = (
        "no whole minute lies between the earliest and the latest start between "
        f"{z(utc(2026, 3, 1, 7, 1))} and {z(latest)}"
    )
    assert error.blockers == (rp.Blocker("maintenance-window", ("acme", "tokyo"), reason),)
    assert str(error) == no_slot("CHG-1", latest, *error.blockers)


def test_the_window_blocker_names_the_zone_the_span_and_the_downtime():
    earliest, latest = utc(2026, 3, 8), utc(2026, 3, 8, 12)  # spring forward: 3 real hours
    assert plan_of(NEW_YORK, request(("acme",), earliest, latest, 3 * H)).start == utc(
        2026, 3, 8, 7
    )
    error = infeasible(NEW_YORK, request(("acme",), earliest, latest, 3 * H + M, "CHG-2"))
    reason = (
        f"no low-traffic window in America/New_York between {z(earliest)} and {z(latest)} is "
        "long enough for 181m of downtime"
    )
    assert error.blockers == (rp.Blocker("maintenance-window", ("acme",), reason),)
    assert str(error) == no_slot("CHG-2", latest, *error.blockers)


def test_the_freeze_blocker_names_each_freeze_that_takes_a_window_of_its_tenants():
    freezes = (
        Freeze(utc(2026, 6, 1), utc(2026, 6, 2), reason="june"),  # outside the search
        Freeze(utc(2026, 3, 1), utc(2026, 4, 1)),
        Freeze(dt.date(2026, 3, 1), dt.date(2026, 3, 31), reason="quarter close"),
        Freeze(utc(2026, 3, 1), utc(2026, 4, 1), frozenset({"other"}), "other launch"),
        Freeze(utc(2026, 3, 1), utc(2026, 4, 1), frozenset({"acme"}), "acme launch"),
    )
    policy = make_policy(
        tenant("acme", "America/New_York"), tenant("other", "Asia/Tokyo"), freezes=freezes
    )
    error = infeasible(policy, request(("acme",), utc(2026, 3, 1), utc(2026, 3, 30)))
    reason = (
        "every window that fits is inside the freeze 2026-03-01T00:00:00Z to "
        "2026-04-01T00:00:00Z; the freeze 'quarter close' (2026-03-01 to 2026-03-31 (local "
        "dates)); the freeze 'acme launch' (2026-03-01T00:00:00Z to 2026-04-01T00:00:00Z)"
    )
    assert error.blockers == (rp.Blocker("freeze", ("acme",), reason),)
    assert str(error) == no_slot("CHG-1", utc(2026, 3, 30), *error.blockers)


def test_each_group_gets_its_own_blocker_and_a_short_window_is_not_called_a_freeze():
    freeze = Freeze(utc(2026, 3, 1), utc(2026, 4, 1), frozenset({"acme", "short"}), "launch")
    policy = make_policy(
        tenant("ok", "Europe/Berlin"),
        tenant("short", "Asia/Tokyo", weekly("SUN", "02:00", "02:30")),
        tenant("acme", "America/New_York"),
        freezes=(freeze,),
    )
    earliest, latest = utc(2026, 3, 1), utc(2026, 3, 30)
    error = infeasible(policy, request(("ok", "short", "acme"), earliest, latest))
    span = f"between {z(earliest)} and {z(latest)}"
    assert error.blockers == (
        rp.Blocker(
            "maintenance-window",
            ("short",),
            f"no low-traffic window in Asia/Tokyo {span} is long enough for 2h of downtime",
        ),
        rp.Blocker(
            "freeze",
            ("acme",),
            "every window that fits is inside the freeze 'launch' (2026-03-01T00:00:00Z to "
            "2026-04-01T00:00:00Z)",
        ),
    )
    assert str(error) == no_slot("CHG-1", latest, *error.blockers)


def test_the_common_window_blocker_names_who_shares_no_slot_with_whom():
    tokyo = [tenant(f"t{i}", "Asia/Tokyo") for i in range(1, 7)]
    policy = make_policy(*tokyo, tenant("seoul", "Asia/Seoul"), tenant("nyc", "America/New_York"))
    earliest, latest = utc(2026, 6, 1), utc(2026, 7, 1)
    error = infeasible(policy, request("all", earliest, latest, 3 * H), utc(2026, 5, 1))
    reason = (
        f"their windows in America/New_York share no slot between {z(earliest)} and "
        f"{z(latest)} with those of t1, t2, t3, t4, t5 and 2 more; plan_waves can split them"
    )
    assert error.blockers == (rp.Blocker("common-window", ("nyc",), reason),)
    few = make_policy(tenant("tokyo", "Asia/Tokyo"), tenant("nyc", "America/New_York"))
    error = infeasible(few, request(("nyc", "tokyo"), earliest, latest, 3 * H), utc(2026, 5, 1))
    (blocker,) = error.blockers
    assert (blocker.tenants, blocker.reason) == (
        ("nyc",),
        reason.replace("t1, t2, t3, t4, t5 and 2 more", "tokyo"),
    )


# --- the plan: its reason, and notices to the affected tenants only ----------------------------


def notice(
    kind: MaintenanceNoticeKind,
    channel: Channel,
    tenants: tuple[str, ...],
    due: dt.datetime,
    period: dt.timedelta,
) -> MaintenanceNotice:
    if kind is MaintenanceNoticeKind.NOTICE:
        rule, reason = (
            "maintenance-notice",
            f"advance notice at least {period_text(period)} before the start",
        )
    else:
        rule, reason = "maintenance-reminder", f"a reminder {period_text(period)} before the start"
    return MaintenanceNotice(kind, channel, True, tenants, due, rule, reason)


def period_text(period: dt.timedelta) -> str:
    return f"{period // H}h"


NOTICE, REMINDER = MaintenanceNoticeKind.NOTICE, MaintenanceNoticeKind.REMINDER
EMAIL, IN_APP = Channel.EMAIL, Channel.IN_APP


def test_each_notice_goes_to_its_notice_group_and_the_reminder_to_every_affected_tenant():
    policy = make_policy(
        tenant("bystander", "America/New_York"),
        tenant("acme", "America/New_York", notice=336 * H),
        tenant("globex", "America/Chicago", weekly("SUN", "00:00", "06:00")),
        tenant("initech", "America/New_York"),
        tenant("far", "America/New_York", notice=336 * H),
    )
    now = utc(2026, 2, 20, 9, 30, 15)
    plan = plan_of(policy, request(("acme", "globex", "initech"), utc(2026, 2, 21)), now)
    start = utc(2026, 3, 8, 7)
    assert (plan.start, plan.end) == (start, start + 2 * H)
    assert plan.tenants == ("acme", "globex", "initech")
    assert plan.notices == (
        notice(NOTICE, EMAIL, ("acme",), start - 336 * H, 336 * H),
        notice(NOTICE, IN_APP, ("acme",), start - 336 * H, 336 * H),
        notice(NOTICE, EMAIL, ("globex", "initech"), start - 168 * H, 168 * H),
        notice(NOTICE, IN_APP, ("globex", "initech"), start - 168 * H, 168 * H),
        notice(REMINDER, EMAIL, ("acme", "globex", "initech"), start - 24 * H, 24 * H),
        notice(REMINDER, IN_APP, ("acme", "globex", "initech"), start - 24 * H, 24 * H),
    )
    assert (plan.notice_deadline, plan.reminder_at) == (start - 336 * H, start - 24 * H)
    assert plan.reason == (
        f"the earliest start at or after {z(utc(2026, 3, 6, 9, 31))} (now plus the 336h notice "
        "period) that keeps 2h of downtime inside the low-traffic window of 3 tenant(s) in "
        "2 zone(s) and outside every freeze"
    )
    assert (plan.rule, plan.change_id, plan.planned_at, plan.holds) == (
        "maintenance-window",
        "CHG-1",
        now,
        (),
    )
    assert plan.window_needed is True


def test_one_notice_group_of_several_tenants_gets_one_notice_per_channel():
    policy = make_policy(
        tenant("acme", "America/New_York"),
        tenant("other", "America/New_York"),
        tenant("globex", "America/Chicago"),
        channels=frozenset({IN_APP}),
        reminder=48 * H,
    )
    plan = plan_of(policy, request(("globex", "acme")))
    start = plan.start
    assert plan.notices == (
        notice(NOTICE, IN_APP, ("globex", "acme"), start - 168 * H, 168 * H),
        notice(REMINDER, IN_APP, ("globex", "acme"), start - 48 * H, 48 * H),
    )
    assert plan.reminder_at == start - 48 * H
    assert plan.reason.endswith("of 2 tenant(s) in 2 zone(s) and outside every freeze")


def test_the_notices_of_a_wave_name_its_own_tenants_only():
    policy = make_policy(
        tenant("tokyo", "Asia/Tokyo"),
        tenant("osaka", "Asia/Tokyo", notice=200 * H),
        tenant("nyc", "America/New_York"),
    )
    waves = rp.plan_waves(
        request("all", utc(2026, 6, 1), utc(2026, 7, 1), 3 * H), policy, now=utc(2026, 5, 1)
    )
    assert [wave.tenants for wave in waves.waves] == [("tokyo", "osaka"), ("nyc",)]
    first, second = waves.waves
    assert [(n.kind, n.tenants) for n in first.notices] == [
        (NOTICE, ("osaka",)),
        (NOTICE, ("osaka",)),
        (NOTICE, ("tokyo",)),
        (NOTICE, ("tokyo",)),
        (REMINDER, ("tokyo", "osaka")),
        (REMINDER, ("tokyo", "osaka")),
    ]
    assert [(n.kind, n.tenants) for n in second.notices] == [
        (NOTICE, ("nyc",)),
        (NOTICE, ("nyc",)),
        (REMINDER, ("nyc",)),
        (REMINDER, ("nyc",)),
    ]
    assert first.notice_deadline == first.start - 200 * H
    assert second.notice_deadline == second.start - 168 * H


def test_the_plan_is_bounded_by_the_earliest_start_when_the_notice_has_passed_by_then():
    now = utc(2026, 2, 22, 7)
    plan = plan_of(NEW_YORK, request(("acme",), now + 168 * H), now)
    assert plan.start == utc(2026, 3, 1, 7)
    assert plan.reason.startswith(
        f"the earliest start at or after {z(utc(2026, 3, 1, 7))} (the earliest start requested)"
    )
    sooner = plan_of(NEW_YORK, request(("acme",), now + 168 * H - M), now)
    assert sooner.start == utc(2026, 3, 1, 7)
    assert sooner.reason.startswith(
        f"the earliest start at or after {z(utc(2026, 3, 1, 7))} (now plus the 168h notice period)"
    )


def test_the_start_is_the_first_whole_minute_after_now_plus_notice():
    wide = (weekly("SAT", "00:00", "00:00"),)  # the whole of Saturday
    policy = make_policy(tenant("t", "UTC"), windows=wide)
    now = utc(2026, 1, 3, 8, 15, 30)
    plan = plan_of(policy, request(("t",), utc(2026, 1, 1), utc(2026, 2, 1)), now)
    assert plan.start == utc(2026, 1, 10, 8, 16)
    on_the_minute = plan_of(
        policy, request(("t",), utc(2026, 1, 1), utc(2026, 2, 1)), utc(2026, 1, 3, 8, 15)
    )
    assert on_the_minute.start == utc(2026, 1, 10, 8, 15)


# --- changes without downtime ------------------------------------------------------------------


def test_a_rolling_change_names_its_tenants_and_needs_no_window():
    policy = make_policy(tenant("acme", "America/New_York"), tenant("globex", "UTC"))
    rolling = attrs.evolve(
        GOOD, tenants=("globex", "not-listed"), downtime=False, expected_downtime=None
    )
    expected = rp.RollingPlan(
        "CHG-1",
        ("globex", "not-listed"),
        NOW,
        "no-downtime",
        "no customer-visible downtime: no window and no notice needed",
    )
    assert rp.plan_maintenance(rolling, policy, now=NOW) == expected
    assert rp.plan_waves(rolling, policy, now=NOW) == expected
    everyone = rp.plan_maintenance(attrs.evolve(rolling, tenants="all"), policy, now=NOW)
    assert everyone.tenants == ("acme", "globex")
    assert everyone.window_needed is False


# --- waves ------------------------------------------------------------------------------------


def test_the_wave_plan_says_why_and_whether_it_is_proven():
    one = make_policy(tenant("a", "Europe/Paris"), tenant("b", "Europe/Berlin"))
    req = request("all", utc(2026, 6, 1), utc(2026, 7, 1), 3 * H, "CHG-3")
    waves = rp.plan_waves(req, one, now=utc(2026, 5, 1))
    assert (waves.change_id, waves.rule, waves.reason, waves.proven_optimal) == (
        "CHG-3",
        "waves",
        "one slot fits every affected tenant",
        True,
    )
    two = make_policy(tenant("tokyo", "Asia/Tokyo"), tenant("nyc", "America/New_York"))
    waves = rp.plan_waves(req, two, now=utc(2026, 5, 1))
    assert (waves.reason, waves.proven_optimal) == (
        "no single slot fits every affected tenant; 2 waves, the fewest possible, and of those "
        "the earliest starts (proven by the HiGHS solver)",
        True,
    )


def test_waves_past_the_time_limit_say_so_with_the_limit():
    six = make_policy(
        *(
            tenant(f"t{i}", "UTC", weekly("SUN", f"{start:02}:00", f"{start + 2:02}:00"))
            for i, start in enumerate((0, 1, 1, 2, 2, 3))
        ),
        wave_time_limit=dt.timedelta(0),
    )
    monday = utc(2026, 3, 2)
    req = request("all", monday, monday + 3 * 7 * 24 * H, H)
    waves = rp.plan_waves(req, six, now=monday - 7 * 24 * H)
    assert (len(waves.waves), waves.proven_optimal) == (3, False)
    assert waves.reason == (
        "no single slot fits every affected tenant; 3 waves, the fewest found within the "
        "wave_time_limit of 0h (not proven the fewest)"
    )


def test_waves_refuse_the_tenants_with_no_slot_of_their_own_and_name_only_them():
    freeze = Freeze(utc(2026, 6, 1), utc(2026, 7, 2), frozenset({"frozen"}), "launch")
    policy = make_policy(
        tenant("ok", "Europe/Berlin"),
        tenant("short", "Europe/Berlin", weekly("SUN", "02:00", "02:30")),
        tenant("frozen", "Asia/Tokyo"),
        freezes=(freeze,),
    )
    earliest, latest = utc(2026, 6, 1), utc(2026, 7, 1)
    with pytest.raises(rp.NoFeasibleWindow) as caught:
        rp.plan_waves(request("all", earliest, latest), policy, now=NOW)
    span = f"between {z(earliest)} and {z(latest)}"
    blockers = (
        rp.Blocker(
            "maintenance-window",
            ("short",),
            f"no low-traffic window in Europe/Berlin {span} is long enough for 2h of downtime",
        ),
        rp.Blocker(
            "freeze",
            ("frozen",),
            "every window that fits is inside the freeze 'launch' (2026-06-01T00:00:00Z to "
            "2026-07-02T00:00:00Z)",
        ),
    )
    assert caught.value.blockers == blockers
    assert str(caught.value) == (
        f"No maintenance slot for change 'CHG-1' fits these tenants even on their own by the "
        f"latest start {z(latest)}: " + "; ".join(map(str, blockers))
    )


# --- go/no-go at the start --------------------------------------------------------------------


def utc_plan(
    *tenants: Tenant, freezes: tuple[Freeze, ...] = ()
) -> tuple[Policy, rp.MaintenancePlan]:
    """A policy of UTC tenants and the plan for the first, Sunday 1 March 02:00-04:00Z."""
    policy = make_policy(*tenants, freezes=freezes)
    plan = plan_of(policy, request((tenants[0].id,)))
    assert (plan.start, plan.end) == (SUNDAY, SUNDAY + 2 * H)
    return policy, plan


def downtime(start: dt.datetime, end: dt.datetime) -> str:
    return f"the downtime {z(start)} to {z(end)}"


def test_go_says_what_was_checked():
    policy, plan = utc_plan(tenant("t", "UTC"))
    decision = rp.go_no_go(plan, policy, now=SUNDAY - H, open_incidents=())
    assert decision == rp.GoNoGo(
        "CHG-1",
        True,
        SUNDAY - H,
        "go",
        "no blocking incident open, no freeze, and "
        f"{downtime(SUNDAY, SUNDAY + 2 * H)} lies inside every affected tenant's window",
    )


def test_a_rolling_plan_is_always_go():
    rolling = rp.RollingPlan("CHG-4", ("acme",), NOW, "no-downtime", "")
    incidents = [Incident("INC-1", rp.Severity.SEV_1)]
    decision = rp.go_no_go(rolling, NEW_YORK, now=NOW + H, open_incidents=incidents)
    assert decision == rp.GoNoGo(
        "CHG-4", True, NOW + H, "no-downtime", "no customer-visible downtime: no window needed"
    )


def test_every_blocker_is_listed_with_its_tenants_and_the_first_decides():
    freezes = (
        Freeze(SUNDAY + 4 * H, SUNDAY + 6 * H, reason="launch"),
        Freeze(SUNDAY + 270 * M, SUNDAY + 5 * H, frozenset({"u", "elsewhere"})),
        Freeze(SUNDAY, SUNDAY + 8 * H, frozenset({"elsewhere"}), "not theirs"),
    )
    policy, plan = utc_plan(tenant("t", "UTC"), tenant("u", "UTC"), tenant("elsewhere", "UTC"))
    plan = attrs.evolve(plan, tenants=("t", "u"))
    policy = make_policy(*policy.tenants, freezes=freezes)
    now = SUNDAY + 3 * H  # the downtime would run 05:00-07:00, past the window's 06:00
    incidents = [Incident("INC-9", rp.Severity.SEV_2), Incident("INC-10", rp.Severity.SEV_3)]
    decision = rp.go_no_go(plan, policy, now=now, open_incidents=incidents)
    late = downtime(now, now + 2 * H)
    outside = f"{late} is not inside their low-traffic window in UTC"
    blockers = (
        rp.Blocker(
            "open-incident",
            ("t", "u"),
            "open incident(s) INC-9 (SEV-2) forbid downtime maintenance",
        ),
        # "u" has a freeze of its own, so it is a group of its own
        rp.Blocker("maintenance-window", ("t",), outside),
        rp.Blocker("maintenance-window", ("u",), outside),
        rp.Blocker(
            "freeze",
            ("t", "u"),
            f"the freeze 'launch' ({z(SUNDAY + 4 * H)} to {z(SUNDAY + 6 * H)}) overlaps {late}",
        ),
        rp.Blocker(
            "freeze",
            ("u",),
            f"the freeze {z(SUNDAY + 270 * M)} to {z(SUNDAY + 5 * H)} overlaps {late}",
        ),
    )
    assert decision == rp.GoNoGo(
        "CHG-1", False, now, "open-incident", f"no-go: 5 blocker(s); first: {blockers[0]}", blockers
    )
    quiet = rp.go_no_go(plan, policy, now=now, open_incidents=incidents[1:])
    assert quiet.rule == "maintenance-window"
    assert quiet.blockers == blockers[1:]
    assert quiet.reason == f"no-go: 4 blocker(s); first: {blockers[1]}"


def test_the_window_blocker_names_each_zone_with_its_tenants():
    policy = make_policy(tenant("t", "UTC"), tenant("acme", "America/New_York"), tenant("u", "UTC"))
    plan = plan_of(policy, request(("t", "u")))
    plan = attrs.evolve(plan, tenants=("t", "acme", "u"))
    decision = rp.go_no_go(plan, policy, now=SUNDAY, open_incidents=())
    reason = f"{downtime(SUNDAY, SUNDAY + 2 * H)} is not inside their low-traffic window in "
    assert decision.blockers == (
        rp.Blocker("maintenance-window", ("acme",), reason + "America/New_York"),
    )


@pytest.mark.parametrize(
    ("freeze", "go"),
    [
        (Freeze(utc(2026, 3, 1), SUNDAY), True),  # ends as the downtime starts
        (Freeze(utc(2026, 3, 1), SUNDAY + S), False),
        (Freeze(SUNDAY + 2 * H, SUNDAY + 3 * H), True),  # starts as the downtime ends
        (Freeze(SUNDAY + 2 * H - S, SUNDAY + 3 * H), False),
        (Freeze(SUNDAY + H, SUNDAY + H), True),  # empty
        (Freeze(dt.date(2026, 2, 28), dt.date(2026, 2, 28)), True),
        (Freeze(dt.date(2026, 3, 1), dt.date(2026, 3, 1)), False),
        (Freeze(dt.date(2026, 3, 2), dt.date(2026, 3, 9)), True),
    ],
)
def test_go_no_go_freeze_edges(freeze, go):
    policy, plan = utc_plan(tenant("t", "UTC"))
    decision = rp.go_no_go(
        plan, make_policy(*policy.tenants, freezes=(freeze,)), now=NOW, open_incidents=()
    )
    assert decision.go is go
    assert decision.rule == ("go" if go else "freeze")


def test_go_no_go_window_edges():
    policy, plan = utc_plan(tenant("t", "UTC"))
    assert rp.go_no_go(plan, policy, now=SUNDAY + 2 * H, open_incidents=()).go  # ends at 06:00
    late = rp.go_no_go(plan, policy, now=SUNDAY + 2 * H + S, open_incidents=())
    assert (late.go, late.rule) == (False, "maintenance-window")


def test_go_no_go_refuses_what_is_not_a_plan_by_name():
    with input_error("plan", value="plan", expected="a MaintenancePlan or RollingPlan"):
        rp.go_no_go("plan", NEW_YORK, now=NOW, open_incidents=())
    plan = plan_of(NEW_YORK, GOOD)
    for end in (plan.start, plan.start - M):
        broken = attrs.evolve(plan, end=end)
        with input_error("plan", value=broken, expected="a plan with a start before its end"):
            rp.go_no_go(broken, NEW_YORK, now=NOW, open_incidents=())
    with input_error("now", value=dt.datetime(2026, 1, 1), kind=rp.NaiveDatetimeError):
        rp.go_no_go(plan, NEW_YORK, now=dt.datetime(2026, 1, 1), open_incidents=())
    naive = attrs.evolve(plan, end=dt.datetime(2026, 3, 1, 9))
    with input_error("plan.end", value=dt.datetime(2026, 3, 1, 9), kind=rp.NaiveDatetimeError):
        rp.go_no_go(naive, NEW_YORK, now=NOW, open_incidents=())
    with input_error("plan.start", value="soon", expected="a timezone-aware datetime"):
        rp.go_no_go(attrs.evolve(plan, start="soon"), NEW_YORK, now=NOW, open_incidents=())


# --- the [maintenance] policy section and the tenants' terms, through the loader ----------------

ROOM = "windows giving at least 4h a week in blocks of at least 1h"


def section(*lines: str) -> str:
    return "schema_version = 1\n[maintenance]\n" + "\n".join(lines)


def tenants(*tables: str) -> str:
    return "schema_version = 1\n" + "".join(
        f'[[tenants]]\nid = "t{i}"\ntime_zone = "UTC"\n{table}\n' for i, table in enumerate(tables)
    )


def problems_of(text: str) -> list[rp.Problem]:
    with pytest.raises(rp.PolicyConfigError) as caught:
        rp.loads_policy(text)
    return list(caught.value.problems)


@pytest.mark.parametrize(
    ("text", "path", "value", "expected"),
    [
        (section('notice = "8761h"'), "$.maintenance.notice", "8761h", "at most 8760h (a year)"),
        (
            section('notice = "9000h"', 'reminder = "8761h"'),
            "$.maintenance.reminder",
            "8761h",
            "at most 8760h (a year)",
        ),
        (
            section('min_weekly = "169h"'),
            "$.maintenance.min_weekly",
            "169h",
            "at most 168h (a whole week)",
        ),
        (
            section('reminder = "168h"'),
            "$.maintenance.reminder",
            "168h",
            "a reminder shorter than the notice period '168h'",
        ),
        (
            section('notice = "48h"', 'reminder = "49h"'),
            "$.maintenance.reminder",
            "49h",
            "a reminder shorter than the notice period '48h'",
        ),
        (section("channels = []"), "$.maintenance.channels", [], "at least one channel"),
        (
            section('channels = ["status_page", "in_app"]'),
            "$.maintenance.channels",
            ["in_app", "status_page"],
            "tenant-facing channels (the status page is not a notice to a tenant)",
        ),
        (
            section('min_block = "4h1m"'),
            "$.maintenance.min_block",
            "241m",
            "at most min_weekly '4h'",
        ),
        (section("windows = []"), "$.maintenance.windows", [], "at least one low-traffic window"),
        (
            section('windows = [{ day = "SUN", start = "02:00", end = "02:00" }]'),
            "$.maintenance.windows[0].end",
            "02:00",
            "an end different from the start",
        ),
        (
            section(
                'windows = [{ day = "SUN", start = "02:00", end = "06:00" }, '
                '{ rrule = "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2", duration = "168h1m" }]'
            ),
            "$.maintenance.windows[1].duration",
            "10081m",
            "a window of at most 168h (one week)",
        ),
        (
            section('windows = [{ day = "SUN", start = "02:00", end = "05:00" }]'),
            "$.maintenance.windows",
            "3h a week in such blocks",
            ROOM,
        ),
        (
            section('windows = [{ rrule = "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2", duration = "3h" }]'),
            "$.maintenance.windows",
            "3h a week in such blocks in its weakest week (of 53 measured)",
            ROOM,
        ),
        (
            section(
                'windows = [{ day = "SUN", start = "02:00", end = "02:59" }, '
                '{ day = "MON", start = "02:00", end = "02:59" }]'
            ),
            "$.maintenance.windows",
            "0m a week in such blocks",
            ROOM,
        ),
        (
            section('freezes = [{ start = "2026-03-02", end = "2026-03-01" }]'),
            "$.maintenance.freezes[0].end",
            dt.date(2026, 3, 1),
            "an end at or after the start",
        ),
        (
            section(
                'freezes = [{ start = "2026-03-01", end = "2026-03-02" }, '
                '{ start = "2026-03-02T00:00:00Z", end = "2026-03-01T23:59:00Z" }]'
            ),
            "$.maintenance.freezes[1].end",
            utc(2026, 3, 1, 23, 59),
            "an end at or after the start",
        ),
        (
            section('freezes = [{ start = "2026-03-02", end = "2026-03-03T00:00:00Z" }]'),
            "$.maintenance.freezes[0].end",
            utc(2026, 3, 3),
            "the same kind as start (date or instant)",
        ),
        (tenants('notice = "8761h"'), "$.tenants[0].notice", "8761h", "at most 8760h (a year)"),
        (
            tenants("", 'notice = "167h"'),
            "$.tenants[1].notice",
            "167h",
            "at least the policy's '168h' (an override may only tighten)",
        ),
        (
            tenants("", "windows = []"),
            "$.tenants[1].windows",
            [],
            "at least one low-traffic window",
        ),
        (
            tenants('windows = [{ day = "SUN", start = "02:00", end = "05:59" }]'),
            "$.tenants[0].windows",
            "3h59m a week in such blocks".replace("3h59m", "239m"),
            ROOM,
        ),
        (
            tenants('windows = [{ day = "MON", start = "01:00", end = "01:00" }]'),
            "$.tenants[0].windows[0].end",
            "01:00",
            "an end different from the start",
        ),
    ],
)
def test_each_policy_problem_names_its_path_value_and_expected_phrase(text, path, value, expected):
    with config_problem(path, value=value, expected=expected, kind="invalid"):
        rp.loads_policy(text)


@pytest.mark.parametrize(
    "text",
    [
        section('notice = "8760h"'),
        section('notice = "8760h"', 'reminder = "8759h"'),
        section('reminder = "167h"'),
        section('min_block = "4h"'),
        section('channels = ["email"]'),
        section('windows = [{ day = "SUN", start = "22:00", end = "02:00" }]'),
        section(
            'min_weekly = "168h"',
            'windows = [{ rrule = "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2", duration = "168h" }]',
        ),
        section('freezes = [{ start = "2026-03-01", end = "2026-03-01" }]'),
        section('freezes = [{ start = "2026-03-01T00:00:00Z", end = "2026-03-01T00:00:00Z" }]'),
        tenants('notice = "168h"', 'notice = "8760h"'),
        tenants('windows = [{ day = "SUN", start = "02:00", end = "06:00" }]'),
    ],
)
def test_a_policy_at_each_limit_loads(text):
    rp.loads_policy(text)


def test_every_policy_problem_is_listed_and_no_room_is_measured_for_broken_windows():
    found = problems_of(
        section(
            'notice = "9000h"',
            'reminder = "9001h"',
            'min_weekly = "169h"',
            'min_block = "170h"',
            "channels = []",
            'windows = [{ day = "SUN", start = "02:00", end = "02:00" }]',
        )
    )
    assert found == [
        rp.Problem("$.maintenance.windows[0].end", "an end different from the start", "02:00"),
        rp.Problem("$.maintenance.notice", "at most 8760h (a year)", "9000h"),
        rp.Problem("$.maintenance.reminder", "at most 8760h (a year)", "9001h"),
        rp.Problem("$.maintenance.min_weekly", "at most 168h (a whole week)", "169h"),
        rp.Problem(
            "$.maintenance.reminder", "a reminder shorter than the notice period '9000h'", "9001h"
        ),
        rp.Problem("$.maintenance.channels", "at least one channel", []),
        rp.Problem("$.maintenance.min_block", "at most min_weekly '169h'", "170h"),
    ]


def test_a_tenant_notice_beyond_a_year_is_not_also_called_too_short():
    found = problems_of(
        section('notice = "8760h"', 'reminder = "24h"')
        + "\n"
        + tenants('notice = "8761h"').removeprefix("schema_version = 1\n")
    )
    assert found == [rp.Problem("$.tenants[0].notice", "at most 8760h (a year)", "8761h")]


def test_a_tenant_with_its_own_windows_is_measured_against_the_policys_room():
    text = (
        section('min_weekly = "2h"', 'min_block = "2h"')
        + "\n"
        + tenants(
            'windows = [{ day = "SUN", start = "02:00", end = "04:00" }]',
            'windows = [{ day = "SUN", start = "02:00", end = "03:59" }]',
        ).removeprefix("schema_version = 1\n")
    )
    assert problems_of(text) == [
        rp.Problem(
            "$.tenants[1].windows",
            "windows giving at least 2h a week in blocks of at least 2h",
            "0m a week in such blocks",
        )
    ]


def test_both_problems_of_an_rrule_window_are_listed_and_its_room_is_not_measured():
    found = problems_of(section('windows = [{ rrule = "FREQ=SOMETIMES", duration = "169h" }]'))
    assert found == [
        rp.Problem(
            "$.maintenance.windows[0].rrule",
            win.rrule_problem("FREQ=SOMETIMES") or "",
            "FREQ=SOMETIMES",
        ),
        rp.Problem(
            "$.maintenance.windows[0].duration", "a window of at most 168h (one week)", "169h"
        ),
    ]


def test_freeze_problems_of_a_policy_built_in_code_are_reported_not_raised():
    aware, naive = utc(2026, 3, 1), dt.datetime(2026, 3, 1)
    cases = [
        (Freeze(naive, aware), [("start", naive, "a timezone-aware instant")]),
        (Freeze(aware, naive), [("end", naive, "a timezone-aware instant")]),
        (
            Freeze(naive + H, naive),
            [
                ("start", naive + H, "a timezone-aware instant"),
                ("end", naive, "a timezone-aware instant"),
            ],
        ),
        (
            Freeze(dt.date(2026, 3, 1), aware),
            [("end", aware, "the same kind as start (date or instant)")],
        ),
        (Freeze(aware + S, aware), [("end", aware, "an end at or after the start")]),
        (Freeze(aware, aware), []),
    ]
    for freeze, expected in cases:
        ok = Freeze(dt.date(2026, 1, 1), dt.date(2026, 1, 2))
        policy = make_policy(tenant("t", "UTC"), freezes=(ok, freeze))
        assert list(policy_problems(policy)) == [
            rp.Problem(f"$.maintenance.freezes[1].{key}", phrase, value)
            for key, value, phrase in expected
        ]


@pytest.mark.parametrize(
    ("duration", "value"), [(dt.timedelta(0), "0h"), (-H, "-1h"), ("4h", "4h"), (None, None)]
)
def test_an_rrule_window_built_in_code_without_a_positive_duration_is_a_problem(duration, value):
    window = RRuleWindow("FREQ=DAILY;BYHOUR=2", duration)
    policy = make_policy(tenant("t", "UTC", weekly("SUN", "02:00", "06:00"), window))
    assert list(policy_problems(policy)) == [
        rp.Problem(
            "$.tenants[0].windows[1].duration",
            "a positive duration of at most 168h (one week)",
            value,
        )
    ]


def test_a_rule_that_runs_away_over_the_weeks_measured_is_a_problem_of_its_window(monkeypatch):
    # fewer than the limit in the weeks the rule check expands, more in the weeks measured
    monkeypatch.setattr(win, "MAX_OCCURRENCES", 390)
    rule = "FREQ=DAILY;BYHOUR=3;BYMINUTE=29"  # a rule no other test expands (the checks cache)
    text = section(
        'windows = [{ day = "SUN", start = "02:00", end = "06:00" }, '
        f'{{ rrule = "{rule}", duration = "4h" }}]'
    )
    expected = "an RRULE with at most 390 occurrences in the planning horizon"
    with config_problem("$.maintenance.windows[1].rrule", value=rule, expected=expected, only=True):
        rp.loads_policy(text)


def test_a_rule_that_runs_away_over_the_planning_horizon_names_its_window(monkeypatch):
    # fewer than the limit in the weeks the rule check expands, more over a year of planning
    monkeypatch.setattr(win, "MAX_OCCURRENCES", 390)
    rule = "FREQ=DAILY;BYHOUR=3;BYMINUTE=31"  # a rule no other test expands (the checks cache)
    assert win.rrule_problem(rule, H) is None
    expected = "an RRULE with at most 390 occurrences in the planning horizon"
    own = make_policy(tenant("t", "UTC", weekly("SUN", "02:00", "06:00"), RRuleWindow(rule, H)))
    year = request(("t",), MARCH, MARCH + MAX_SEARCH)
    with input_error("tenant 't' windows[1].rrule", value=rule, expected=expected):
        rp.plan_maintenance(year, own, now=NOW)
    default = make_policy(tenant("t", "UTC"), windows=(RRuleWindow(rule, H),))
    with input_error("$.maintenance.windows[0].rrule", value=rule, expected=expected):
        rp.plan_waves(year, default, now=NOW)


def test_a_notice_ending_exactly_at_a_latest_start_between_minutes_is_not_late():
    earliest, latest = utc(2026, 3, 1, 7, 0, 10), utc(2026, 3, 1, 7, 0, 50)
    error = infeasible(NEW_YORK, request(("acme",), earliest, latest), latest - 168 * H)
    (blocker,) = error.blockers
    assert (blocker.rule, blocker.tenants) == ("maintenance-window", ("acme",))
    assert blocker.reason.startswith("no whole minute lies between")
    error = infeasible(NEW_YORK, request(("acme",), earliest, latest), latest - 168 * H + S)
    (blocker,) = error.blockers
    assert (blocker.rule, blocker.tenants) == ("maintenance-notice", ("acme",))


def test_a_downtime_a_fraction_of_a_second_too_long_for_the_window_does_not_fit():
    policy = make_policy(tenant("t", "UTC", weekly("SUN", "02:00", "03:00")))
    plan = plan_of(policy, request(("t",), downtime=H))
    assert (plan.start, plan.end) == (SUNDAY, SUNDAY + H)
    longer = H + dt.timedelta(microseconds=1)
    error = infeasible(policy, request(("t",), downtime=longer))
    assert [b.rule for b in error.blockers] == ["maintenance-window"]
    assert "long enough for PT3601S of downtime" in error.blockers[0].reason  # whole seconds


def test_five_tenants_are_all_named_and_a_sixth_is_counted():
    earliest, latest = utc(2026, 6, 1), utc(2026, 7, 1)
    for count, names in ((5, "t1, t2, t3, t4, t5"), (6, "t1, t2, t3, t4, t5 and 1 more")):
        tokyo = [tenant(f"t{i}", "Asia/Tokyo") for i in range(1, count + 1)]
        policy = make_policy(*tokyo, tenant("nyc", "America/New_York"))
        error = infeasible(policy, request("all", earliest, latest, 3 * H), utc(2026, 5, 1))
        (blocker,) = error.blockers
        assert blocker.reason.endswith(f" with those of {names}; plan_waves can split them")


# --- edges found by mutation testing ----------------------------------------------------------


def test_a_mixed_freeze_does_not_hide_the_problems_of_the_freezes_after_it():
    mixed = Freeze(dt.date(2026, 3, 1), utc(2026, 3, 2))
    backwards = Freeze(dt.date(2026, 3, 2), dt.date(2026, 3, 1))
    policy = make_policy(tenant("t", "UTC"), freezes=(mixed, backwards))
    assert list(policy_problems(policy)) == [
        rp.Problem(
            "$.maintenance.freezes[0].end", "the same kind as start (date or instant)", mixed.end
        ),
        rp.Problem("$.maintenance.freezes[1].end", "an end at or after the start", backwards.end),
    ]


def test_the_loader_refuses_an_rrule_whose_windows_start_closer_than_min_block():
    rule = "FREQ=HOURLY;BYMINUTE=0,30"
    expected = win.rrule_problem(rule, H)
    assert expected is not None
    assert win.rrule_problem(rule) is None
    text = section(f'windows = [{{ rrule = "{rule}", duration = "20m" }}]')
    with config_problem("$.maintenance.windows[0].rrule", value=rule, expected=expected):
        rp.loads_policy(text)
    text = tenants(f'windows = [{{ rrule = "{rule}", duration = "20m" }}]')
    with config_problem("$.tenants[0].windows[0].rrule", value=rule, expected=expected):
        rp.loads_policy(text)


def test_a_bad_freeze_is_named_by_its_index_wherever_it_is_read():
    mixed = Freeze(dt.date(2026, 3, 1), SUNDAY)
    expected = "the same kind as start (both dates or instants)"
    ok = Freeze(dt.date(2026, 1, 1), dt.date(2026, 1, 2))
    # a freeze of the tenant's own, read by the planner
    own = attrs.evolve(mixed, tenants=frozenset({"t"}))
    policy = make_policy(tenant("t", "UTC"), freezes=(ok, own))
    with input_error("$.maintenance.freezes[1].end", value=SUNDAY, expected=expected):
        rp.plan_maintenance(request(("t",)), policy, now=NOW)
    # a freeze declared since planning, read by go/no-go
    policy, plan = utc_plan(tenant("t", "UTC"))
    frozen = make_policy(*policy.tenants, freezes=(ok, mixed))
    with input_error("$.maintenance.freezes[1].end", value=SUNDAY, expected=expected):
        rp.go_no_go(plan, frozen, now=NOW, open_incidents=())


def test_an_unhashable_tenant_id_in_a_plan_is_refused_by_name():
    plan = attrs.evolve(plan_of(NEW_YORK, GOOD), tenants=(["acme"],))
    expected = "a tenant listed in the policy (the planner needs its time zone)"
    with input_error("plan.tenants", value=["acme"], expected=expected):
        rp.go_no_go(plan, NEW_YORK, now=NOW, open_incidents=())


def test_a_downtime_of_days_is_planned_to_the_end_of_the_horizon():
    every_day = tuple(
        weekly(day, "00:00", "00:00") for day in ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
    )
    policy = make_policy(tenant("t", "UTC"), windows=every_day)
    at = utc(2026, 3, 4, 10)
    plan = plan_of(policy, request(("t",), at, at, downtime=100 * H))
    assert (plan.start, plan.end) == (at, at + 100 * H)


def test_the_freeze_blocker_names_a_freeze_that_takes_the_end_of_the_last_slot():
    freeze = Freeze(SUNDAY + H, SUNDAY + 90 * dt.timedelta(minutes=1), reason="late")
    policy = make_policy(tenant("t", "UTC"), freezes=(freeze,))
    error = infeasible(policy, request(("t",), utc(2026, 3, 1), SUNDAY))
    reason = (
        f"every window that fits is inside the freeze 'late' ({z(SUNDAY + H)} to "
        f"{z(SUNDAY + 90 * M)})"
    )
    assert error.blockers == (rp.Blocker("freeze", ("t",), reason),)


def test_a_single_whole_minute_to_start_at_is_searched():
    # earliest = latest = 01:00, outside the window: the window is to blame, not the minute
    policy = make_policy(tenant("t", "UTC"))
    at = utc(2026, 3, 1, 1)
    error = infeasible(policy, request(("t",), at, at))
    reason = (
        f"no low-traffic window in UTC between {z(at)} and {z(at)} is long enough for 2h of "
        "downtime"
    )
    assert error.blockers == (rp.Blocker("maintenance-window", ("t",), reason),)
    assert plan_of(policy, request(("t",), SUNDAY, SUNDAY)).start == SUNDAY


def test_waves_that_touch_at_one_instant_share_it():
    # a's starts run 00:00-02:00, b's 02:00-04:00: 02:00 fits both, one wave
    policy = make_policy(
        tenant("a", "UTC", weekly("SUN", "00:00", "03:00")),
        tenant("b", "UTC", weekly("SUN", "02:00", "05:00")),
        tenant("c", "UTC", weekly("SUN", "02:00", "03:00")),
    )
    waves = rp.plan_waves(request("all", downtime=H), policy, now=NOW)
    assert [(w.tenants, w.start) for w in waves.waves] == [(("a", "b", "c"), SUNDAY)]
