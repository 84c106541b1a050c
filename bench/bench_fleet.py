"""A fleet's year, at 10,000 tenants and at 1,000: read, replay, audit, route and plan it all.

The fleet: tenants in 35 real zones (one in five on regional windows, one in twenty with a
longer maintenance notice, each with a security contact). Its year:

* 250 incidents, each a JSON Lines log from detection to close: 5 SEV-1 over every tenant
  with a first notice and 48 updates (email and in-app), 45 SEV-2 over 10% of the tenants
  with 12 updates, 200 SEV-3 over 1-3 tenants;
* 20 security incidents on the DPA track over 100 tenants each, every tenant's DPA notice
  sent to its security contacts;
* 52 maintenance changes over every tenant, planned in waves with ``plan_waves``.

Each part is timed once per size (CPU time, the garbage collector on, the planner's caches
emptied first and every import done by a small warm-up year), then run again under
``tracemalloc`` for its peak memory above what was held when it started. Targets (issue 16):
the year at 10,000 tenants at most 12x the year at 1,000; reading an event log whose lines
name 1-3 tenants at most 3x the standard library's ``json.loads`` over the same lines.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import pathlib
import random
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any, Final

import attrs

from bench._harness import Row, fmt_seconds
from bench.bench_maintenance import REGIONAL, WORLD
from reliability_policy import _windows, default_policy
from reliability_policy.eventlog import load_events, loads_events
from reliability_policy.lifecycle import Event, Incident, replay
from reliability_policy.maintenance import MaintenanceRequest, plan_waves
from reliability_policy.notifications import audit
from reliability_policy.policy import Freeze, Policy, Tenant, TimeZoneName
from reliability_policy.security import route_security_incident

SIZES: Final = (1_000, 10_000)
YEAR: Final = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
_MINUTE: Final = dt.timedelta(minutes=1)
_REQUIRED: Final = {
    "first_notice": default_policy().notifications.content.first_notice,
    "update": default_policy().notifications.content.update,
    "resolution": default_policy().notifications.content.resolution,
    "summary": default_policy().notifications.content.summary,
}
_DPA_CONTENT: Final = (
    "nature",
    "data_subject_categories",
    "data_subject_count",
    "record_categories",
    "record_count",
    "contact_point",
    "likely_consequences",
    "measures",
)


# --- the fleet --------------------------------------------------------------------------------


def fleet(count: int) -> Policy:
    """``count`` tenants over the 35 zones, with the year-end freeze."""
    base = default_policy()
    tenants = tuple(
        Tenant(
            id=f"t-{i:05d}",
            time_zone=TimeZoneName(WORLD[i % len(WORLD)]),
            windows=REGIONAL if i % 5 == 0 else None,
            notice=dt.timedelta(hours=336) if i % 20 == 7 else None,
            security_contacts=(f"security@t-{i:05d}.example",),
        )
        for i in range(count)
    )
    freeze = Freeze(dt.date(2026, 12, 19), dt.date(2027, 1, 4), reason="year-end")
    maintenance = attrs.evolve(base.maintenance, freezes=(freeze,))
    return attrs.evolve(base, maintenance=maintenance, tenants=tenants)


class _Log:
    """One incident's JSON Lines, written in order of time."""

    def __init__(self, incident: str, at: dt.datetime) -> None:
        self.incident = incident
        self.at = at
        self.lines: list[str] = []

    def add(self, event_type: str, after: dt.timedelta, **fields: Any) -> None:
        self.at += after
        at = self.at.isoformat().replace("+00:00", "Z")
        number = f"{self.incident}-{len(self.lines) + 1}"
        self.lines.append(json.dumps({"type": event_type, "id": number, "at": at, **fields}))

    def notices(self, kind: str, after: dt.timedelta, tenants: list[str]) -> None:
        # Each notice carries the content items the default policy requires of its kind.
        items = sorted(_REQUIRED.get(kind, ()))
        for channel, gap in (("email", after), ("in_app", dt.timedelta(0))):
            self.add(
                "notification_sent", gap, channel=channel, kind=kind, tenants=tenants, content=items
            )

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def _ordinary(
    number: int, severity: str, tenants: list[str], updates: int, every: int, start: dt.datetime
) -> str:
    """An availability incident from detection to close, its notices on time."""
    log = _Log(f"INC-{number:04d}", start)
    log.add("detected", dt.timedelta(0), incident_id=log.incident, title=f"{severity} incident")
    log.add("triaged", 5 * _MINUTE, severity=severity, tenants=tenants, rule="bench")
    material = severity != "SEV-3"
    if material:
        log.notices("first_notice", 20 * _MINUTE, tenants)
        for update in range(updates):
            log.notices("update", every * _MINUTE, tenants)
            if update == updates // 3:
                log.add("contained", _MINUTE)
    else:
        log.add("contained", 40 * _MINUTE)
    log.add("eradicated", 3 * _MINUTE)
    log.add("recovered", 3 * _MINUTE)
    log.add("validated", 3 * _MINUTE)
    log.add("resolved", 2 * _MINUTE)
    if material:
        log.notices("resolution", 30 * _MINUTE, tenants)
        log.add("review_started", dt.timedelta(days=1))
        log.notices("summary", dt.timedelta(days=1), tenants)
        log.add("review_completed", dt.timedelta(hours=2))
    log.add("closed", 5 * _MINUTE)
    return log.text()


def _security(number: int, tenants: list[str], start: dt.datetime) -> str:
    """A security incident on the DPA track: every tenant told within its deadline."""
    log = _Log(f"SEC-{number:04d}", start)
    aware = (start - dt.timedelta(minutes=30)).isoformat().replace("+00:00", "Z")
    log.add(
        "detected",
        dt.timedelta(0),
        incident_id=log.incident,
        title="data exposure",
        kind="security",
        customer_data="unknown",
        aware_at=aware,
    )
    log.add("triaged", 10 * _MINUTE, severity="SEV-3", tenants=tenants, rule="limited")
    log.add("contained", 30 * _MINUTE)
    log.add("security_assessed", dt.timedelta(hours=4), kind="security", customer_data="yes")
    for tenant in tenants:
        log.add(
            "notification_sent",
            _MINUTE,
            channel="email",
            kind="dpa_notice",
            audience="security_contacts",
            tenants=[tenant],
            content=list(_DPA_CONTENT),
        )
    log.add("eradicated", dt.timedelta(hours=2))
    log.add("recovered", 10 * _MINUTE)
    log.add("validated", 10 * _MINUTE)
    log.add("resolved", 10 * _MINUTE)
    log.add("closed", 10 * _MINUTE)
    return log.text()


@attrs.frozen
class Year:
    """The year's logs (file paths and their kinds) and changes, for one fleet."""

    policy: Policy
    logs: tuple[pathlib.Path, ...]
    security: frozenset[pathlib.Path]
    small: tuple[pathlib.Path, ...]
    changes: tuple[tuple[MaintenanceRequest, dt.datetime], ...]


def year(count: int, folder: pathlib.Path) -> Year:
    """Write the year's logs under ``folder``; the same incidents for every size."""
    folder.mkdir(parents=True, exist_ok=True)
    policy = fleet(count)
    ids = [tenant.id for tenant in policy.tenants]
    pick = random.Random(16)
    texts: list[tuple[str, str]] = []
    spacing = dt.timedelta(days=365) / 270
    kinds = ["SEV-1"] * 5 + ["SEV-2"] * 45 + ["SEV-3"] * 200 + ["DPA"] * 20
    pick.shuffle(kinds)
    for number, kind in enumerate(kinds):
        start = YEAR + spacing * number
        if kind == "SEV-1":
            texts.append((kind, _ordinary(number, kind, ids, 48, 25, start)))
        elif kind == "SEV-2":
            tenants = pick.sample(ids, len(ids) // 10)
            texts.append((kind, _ordinary(number, kind, tenants, 12, 50, start)))
        elif kind == "SEV-3":
            tenants = pick.sample(ids, pick.randint(1, 3))
            texts.append((kind, _ordinary(number, kind, tenants, 0, 0, start)))
        else:
            texts.append((kind, _security(number, pick.sample(ids, min(100, len(ids))), start)))
    logs: list[pathlib.Path] = []
    security: set[pathlib.Path] = set()
    small: list[pathlib.Path] = []
    for number, (kind, text) in enumerate(texts):
        path = folder / f"{number:03d}-{kind}.jsonl"
        path.write_text(text, encoding="utf-8")
        logs.append(path)
        if kind == "DPA":
            security.add(path)
        if kind == "SEV-3":
            small.append(path)
    changes = tuple(
        (
            MaintenanceRequest(
                f"CHG-{week:02d}",
                True,
                "all",
                YEAR + dt.timedelta(weeks=week + 3),
                YEAR + dt.timedelta(weeks=week + 7),
                dt.timedelta(hours=1 + week % 2),
            ),
            YEAR + dt.timedelta(weeks=week),
        )
        for week in range(52)
    )
    return Year(policy, tuple(logs), frozenset(security), tuple(small), changes)


# --- the parts --------------------------------------------------------------------------------


@attrs.define
class _State:
    events: dict[pathlib.Path, tuple[Event, ...]] = attrs.Factory(dict)
    incidents: dict[pathlib.Path, Incident] = attrs.Factory(dict)
    results: list[object] = attrs.Factory(list)


def _parts(work: Year, state: _State) -> Iterator[tuple[str, Callable[[], None]]]:
    def read() -> None:
        for path in work.logs:
            state.events[path] = load_events(path)

    def replay_all() -> None:
        for path, events in state.events.items():
            state.incidents[path] = replay(events, work.policy)

    def audit_all() -> None:
        for incident in state.incidents.values():
            report = audit(incident, work.policy)
            assert report.compliant, report.summary
            state.results.append(report)

    def route_all() -> None:
        for path in work.security:
            incident = state.incidents[path]
            routing = route_security_incident(incident, work.policy, now=incident.last_event_at)
            state.results.append(routing)

    def plan_all() -> None:
        for request, now in work.changes:
            waves = plan_waves(request, work.policy, now=now)
            assert waves.proven_optimal, waves.reason
            state.results.append(waves)

    yield "read 270 JSON Lines logs", read
    yield "replay 270 incidents", replay_all
    yield "audit 270 incidents", audit_all
    yield "route 20 security incidents (DPA track)", route_all
    yield "plan 52 changes in waves", plan_all


def _cold() -> None:
    """Empty the planner's caches of zone windows, so that each size starts alike."""
    _windows.zone_windows.cache_clear()
    _windows.offset_pieces.cache_clear()


def _timed(work: Year) -> dict[str, float]:
    """CPU seconds per part, the collector on; results stay alive, as in a real run."""
    state = _State()
    found: dict[str, float] = {}
    _cold()
    gc.collect()
    for name, part in _parts(work, state):
        start = time.process_time()
        part()
        found[name] = time.process_time() - start
    return found


def _peaks(work: Year) -> dict[str, int]:
    """Each part's peak traced memory above what was traced when it started (bytes)."""
    state = _State()
    found: dict[str, int] = {}
    _cold()
    gc.collect()
    tracemalloc.start()
    try:
        for name, part in _parts(work, state):
            before = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            part()
            found[name] = tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()
    return found


def _mb(size: float) -> str:
    return f"{size / 1e6:.1f} MB"


# --- reading an event log against json.loads --------------------------------------------------


def _read_ratio(texts: list[str], rounds: int = 9) -> tuple[float, float, float]:
    """Per-line CPU time of ``loads_events`` and of ``json.loads``, interleaved; median ratio."""
    lines = sum(1 for text in texts for line in text.split("\n") if line.strip())

    def ours() -> None:
        for text in texts:
            loads_events(text)

    def reference() -> None:
        for text in texts:
            for line in text.split("\n"):
                if line.strip():
                    json.loads(line)

    samples: dict[str, list[float]] = {"ours": [], "reference": []}
    for _ in range(rounds):
        for name, fn in (("ours", ours), ("reference", reference)):
            gc.collect()
            start = time.process_time()
            fn()
            samples[name].append((time.process_time() - start) / lines)
    ratios = [a / b for a, b in zip(samples["ours"], samples["reference"], strict=True)]
    return (
        statistics.median(samples["ours"]),
        statistics.median(samples["reference"]),
        statistics.median(ratios),
    )


def run() -> list[Row]:
    rows: list[Row] = []
    times: dict[int, dict[str, float]] = {}
    peaks: dict[int, dict[str, int]] = {}
    with tempfile.TemporaryDirectory() as folder:
        # Every module and its imports (the solver's numpy among them) loaded before timing.
        _timed(year(50, pathlib.Path(folder) / "warm-up"))
        works = {count: year(count, pathlib.Path(folder) / str(count)) for count in SIZES}
        for count in SIZES:
            times[count] = _timed(works[count])
            peaks[count] = _peaks(works[count])
        big = works[SIZES[1]]
        small_texts = [path.read_text(encoding="utf-8") for path in big.small]
        all_texts = [path.read_text(encoding="utf-8") for path in big.logs]
    small, big_size = SIZES
    for name in times[small]:
        t0, t1 = times[small][name], times[big_size][name]
        m0, m1 = peaks[small][name], peaks[big_size][name]
        rows.append(
            Row(
                f"fleet year, {name}: 10,000 tenants",
                f"{fmt_seconds(t1)}, {_mb(m1)}",
                f"{fmt_seconds(t0)}, {_mb(m0)} at 1,000",
                t1 / t0,
                "(part)",
                None,
            )
        )
    total = {count: sum(times[count].values()) for count in SIZES}
    memory = {count: max(peaks[count].values()) for count in SIZES}
    ratio = total[big_size] / total[small]
    rows.append(
        Row(
            "fleet year, all parts: 10,000 tenants in 35 zones vs 1,000",
            f"{fmt_seconds(total[big_size])}",
            f"{fmt_seconds(total[small])} at 1,000",
            ratio,
            "10,000 <= 12x 1,000",
            ratio <= 12,
        )
    )
    memory_ratio = memory[big_size] / memory[small]
    rows.append(
        Row(
            "fleet year, peak memory of the largest part: 10,000 vs 1,000",
            _mb(memory[big_size]),
            f"{_mb(memory[small])} at 1,000",
            memory_ratio,
            "10,000 <= 12x 1,000",
            memory_ratio <= 12,
        )
    )
    ours, reference, read_ratio = _read_ratio(small_texts)
    rows.append(
        Row(
            "read an event log, lines naming 1-3 tenants (200 SEV-3 logs), per line",
            fmt_seconds(ours),
            f"{fmt_seconds(reference)} json.loads",
            read_ratio,
            "<= 3x json.loads",
            read_ratio <= 3,
        )
    )
    ours, reference, read_ratio = _read_ratio(all_texts, rounds=3)
    rows.append(
        Row(
            "read every log of the 10,000-tenant year (lines naming up to 10,000 tenants)",
            f"{fmt_seconds(ours)}/line",
            f"{fmt_seconds(reference)} json.loads",
            read_ratio,
            "(diagnostic)",
            None,
        )
    )
    return rows
