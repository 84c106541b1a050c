"""Hostile input under structure-aware fuzzing (issue 15): RRULEs built from parts, durations at
and beyond their bounds, instants near the years 1 and 9999, control characters and NUL in
text and paths. Every property: only our errors escape, and each call does a bounded amount of
work, counted (periods dateutil walks, occurrences, business-day stretches), never timed.

``nox -s fuzz`` runs these under the "fuzz" profile; the default run takes a few examples."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import pathlib

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from fuzzing import (
    EDGE_INSTANT_TEXTS,
    business_day_work,
    control_text,
    durations_at_bounds,
    edge_instants,
    paths,
    replace,
    rrule_work,
    rrules,
)
from reliability_policy import (
    NoFeasibleWindow,
    PolicyConfigError,
    PolicyError,
    PolicyInputError,
    audit,
    default_policy,
    dumps_events,
    go_no_go,
    load_events,
    load_policy,
    load_tenants,
    loads_events,
    loads_policy,
    loads_tenants,
    next_due,
    plan_maintenance,
    replay,
    route_security_incident,
)
from reliability_policy import _windows as win
from reliability_policy.cli import main
from reliability_policy.defaults import default_data
from reliability_policy.errors import EventLogError
from reliability_policy.maintenance import MaintenanceRequest
from reliability_policy.policy import RRuleWindow, Tenant, TimeZoneName

pytestmark = pytest.mark.fuzz

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
SEV1 = replay(load_events(EXAMPLES / "sev1-platform-outage.jsonl"))
SECURITY = replay(load_events(EXAMPLES / "security-incident.jsonl"))
LIFECYCLE_LINES = (EXAMPLES / "lifecycle-incident.jsonl").read_text(encoding="utf-8").splitlines()
NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
REQUEST = MaintenanceRequest(
    "CHG-f",
    True,
    ("t",),
    dt.datetime(2026, 3, 10, tzinfo=dt.UTC),
    dt.datetime(2027, 3, 1, tzinfo=dt.UTC),
    dt.timedelta(hours=1),
)
PERIODS_PER_CHUNK = win.MAX_FRAME_YEARS * 366 + 3 * 8784
# a plan over a year: a probe, the room and the horizon, each in a few two-year chunks
PERIODS_PER_CALL = 8 * PERIODS_PER_CHUNK
slow = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def only_ours(error: BaseException) -> None:
    """An error that escaped: it must be ours, and say something."""
    assert isinstance(error, PolicyError), repr(error)
    assert str(error)


# --- RRULEs ---------------------------------------------------------------------------------


@slow
@given(rrules(), st.sampled_from([None, dt.timedelta(minutes=1), dt.timedelta(hours=1)]))
def test_any_rrule_is_checked_with_bounded_work(text, min_block):
    with rrule_work() as work:
        problem = win.rrule_problem(text, min_block)
    assert problem is None or problem
    event("usable" if problem is None else "refused: " + problem[:40])
    assert work.periods <= PERIODS_PER_CALL
    assert work.occurrences <= win.MAX_OCCURRENCES + 10


@slow
@given(
    rrules(),
    st.datetimes(dt.datetime(1971, 1, 1), dt.datetime(2999, 1, 1)),
    st.integers(1, 800),
)
def test_any_rrule_expands_or_is_refused_with_bounded_work(text, low, days):
    high = low + dt.timedelta(days=days)
    with rrule_work() as work:
        try:
            starts = win.rrule_starts(text, low, high, "w")
        except PolicyInputError as error:
            assert error.field == "w.rrule"
            assert error.value == text
            starts = []
            event("refused")
        else:
            event("expanded, some starts" if starts else "expanded, no start")
    assert all(low <= start < high for start in starts)
    assert work.periods <= (days // 732 + 2) * PERIODS_PER_CHUNK
    assert work.occurrences <= win.MAX_OCCURRENCES + 10


@slow
@given(rrules(), st.sampled_from(["1h", "4h", "168h", "169h", "999999999h", "PT30M"]))
def test_any_rrule_window_loads_and_plans_or_is_refused_with_its_path(text, duration):
    document = (
        "schema_version = 1\n[maintenance]\n"
        f"windows = [{{ rrule = {json.dumps(text)}, duration = {json.dumps(duration)} }}]\n"
    )
    with rrule_work() as work:
        try:
            policy = loads_policy(document)
        except PolicyConfigError as error:
            assert all(p.path.startswith("$.maintenance") for p in error.problems)
            event("load refused: " + ", ".join(sorted({p.path for p in error.problems})))
            policy = attrs.evolve(
                default_policy(),
                tenants=(
                    Tenant("t", TimeZoneName("UTC"), (RRuleWindow(text, dt.timedelta(hours=4)),)),
                ),
            )
        else:
            event("loaded")
            policy = attrs.evolve(policy, tenants=(Tenant("t", TimeZoneName("UTC")),))
        try:
            plan_maintenance(REQUEST, policy, now=NOW)
        except (PolicyInputError, NoFeasibleWindow) as error:
            only_ours(error)
            event(f"plan: {type(error).__name__}")
        else:
            event("plan: planned")
    assert work.periods <= 2 * PERIODS_PER_CALL
    assert work.occurrences <= 3 * (win.MAX_OCCURRENCES + 10)


# --- durations at their bounds --------------------------------------------------------------

DEFAULT = default_data()
DURATION_PATHS = [
    path
    for path in paths(DEFAULT)
    if isinstance(path[-1], str)
    and (
        path[-1]
        in {"notice", "reminder", "min_weekly", "min_block", "first_notice", "update_interval"}
        or path[-1] in {"resolution_notice", "reopen_window", "notify_deadline", "rpo", "rto"}
        or path[-1] == "backup_interval"
    )
]
SPAN_PATHS = [
    path
    for path in paths(DEFAULT)
    if isinstance(path[-1], str)
    and path[-1] in {"summary", "restore_test_interval", "review_interval", "validation_interval"}
]


@slow
@given(
    st.one_of(
        st.tuples(st.sampled_from(DURATION_PATHS), durations_at_bounds("duration")),
        st.tuples(st.sampled_from(SPAN_PATHS), durations_at_bounds("span")),
        st.tuples(
            st.just(("maintenance", "windows")),
            durations_at_bounds("duration").map(
                lambda d: [{"rrule": "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2", "duration": d}]
            ),
        ),
    ),
    st.sampled_from(
        [
            dt.datetime(2026, 3, 9, 14, tzinfo=dt.UTC),
            dt.datetime(2999, 12, 31, 23, 59, tzinfo=dt.UTC),
            dt.datetime(1971, 1, 1, tzinfo=dt.UTC),
        ]
    ),
)
def test_a_duration_at_its_bound_loads_and_every_decision_is_ours(where, now):
    path, value = where
    try:
        policy = loads_policy(replace(DEFAULT, path, value))
    except PolicyConfigError as error:
        assert error.problems
        assert all(p.path.startswith("$") for p in error.problems)
        event("refused at load")
        return
    event("loaded")
    with business_day_work() as days, rrule_work() as work:
        for call in (
            lambda: audit(SEV1, policy, now=max(now, SEV1.last_event_at)),
            lambda: next_due(SEV1, policy, now=now),
            lambda: route_security_incident(SECURITY, policy, now=max(now, SECURITY.last_event_at)),
            lambda: plan_maintenance(
                attrs.evolve(REQUEST, tenants="all"),
                attrs.evolve(policy, tenants=(Tenant("t", TimeZoneName("Asia/Kathmandu")),)),
                now=now,
            ),
        ):
            try:
                call()
            except PolicyError as error:
                only_ours(error)
                event(f"decision refused: {type(error).__name__}")
    assert days.stretches <= days.calls + days.holidays
    assert work.periods <= PERIODS_PER_CALL


# --- instants at the edges ------------------------------------------------------------------


@slow
@given(edge_instants())
def test_any_public_function_takes_an_edge_now_or_refuses_it(now):
    plan = plan_maintenance(
        attrs.evolve(REQUEST, tenants=("acme",)),
        attrs.evolve(default_policy(), tenants=(Tenant("acme", TimeZoneName("UTC")),)),
        now=NOW,
    )
    calls = [
        lambda: audit(SEV1, now=now),
        lambda: next_due(SEV1, now=now),
        lambda: route_security_incident(SECURITY, now=now),
        lambda: plan_maintenance(
            attrs.evolve(REQUEST, tenants=("acme",)),
            attrs.evolve(default_policy(), tenants=(Tenant("acme", TimeZoneName("UTC")),)),
            now=now,
        ),
        lambda: go_no_go(plan, default_policy(), now=now, open_incidents=()),
    ]
    for call in calls:
        try:
            call()
        except PolicyError as error:
            only_ours(error)
            event(f"refused: {type(error).__name__}")
        else:
            event("accepted")


@given(
    st.integers(0, len(LIFECYCLE_LINES) - 1),
    st.one_of(st.sampled_from(EDGE_INSTANT_TEXTS), edge_instants().map(lambda d: d.isoformat())),
)
def test_an_edge_instant_in_an_event_log_names_its_line_and_the_at_field(index, text):
    lines = [json.loads(line) for line in LIFECYCLE_LINES]
    lines[index]["at"] = text
    try:
        events = loads_events("\n".join(map(json.dumps, lines)))
    except EventLogError as error:
        assert error.line == index + 1
        assert error.field == f"line {index + 1}: at"
        assert error.value == text
        event("refused: at")
        return
    event("read")
    try:
        replay(events)
    except PolicyError as error:
        only_ours(error)


# --- control characters and NUL in text and paths -------------------------------------------


@slow
@given(control_text, st.sampled_from(["policy", "tenants", "events"]), st.integers(0, 200))
def test_control_characters_in_documents_are_our_errors(noise, kind, position):
    if kind == "events":
        text = "\n".join(LIFECYCLE_LINES)
        text = text[:position] + noise + text[position:]
        try:
            replay(loads_events(text))
        except PolicyError as error:
            only_ours(error)
        return
    text = (
        EXAMPLES / ("policy-overrides.toml" if kind == "policy" else "tenants.toml")
    ).read_text()
    text = text[:position] + noise + text[position:]
    try:
        loads_policy(text) if kind == "policy" else loads_tenants(text)
    except PolicyConfigError as error:
        assert all(p.path.startswith("$") for p in error.problems)


@given(control_text)
def test_control_characters_in_a_title_survive_a_round_trip(title):
    first = json.loads(LIFECYCLE_LINES[0])
    first["title"] = title
    try:
        events = loads_events(json.dumps(first, ensure_ascii=False))
    except EventLogError as error:
        assert error.line == 1
        return
    assert loads_events(dumps_events(events)) == events
    assert len(dumps_events(events).split("\n")) == 2


# Paths: any text but lone surrogates (see test_hostile_paths: _files.read_text lets a
# UnicodeEncodeError through for those, reported to its owner).
path_text = st.text(
    st.characters(codec="utf-8", categories=("Cc", "Zl", "Zp", "Zs", "L", "N", "P", "S")),
    max_size=40,
)


@given(path_text)
def test_any_path_gets_our_error_from_every_loader(name):
    assume(name.strip() not in ("", ".", "..") or "\x00" in name or not name.strip())
    assume(not pathlib.Path(name.replace("\x00", "")).exists() or "\x00" in name)
    for load in (load_policy, load_tenants, load_events):
        try:
            load(name)
        except PolicyError as error:
            only_ours(error)


@slow
@given(path_text, st.sampled_from(["audit", "next-due", "timeline", "route-security", "policy"]))
def test_any_path_on_the_command_line_is_exit_2_never_a_traceback(name, command):
    assume(name and "\x00" not in name)  # a command line holds no NUL
    assume(not pathlib.Path(name).exists())
    # "--" first: a path such as "--help" is a path here, not an option
    args = ["policy", "check", "--", name] if command == "policy" else [command, "--", name]
    with contextlib.suppress(SystemExit):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, (result.output, result.exception)
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        )
