"""Properties of the public status feed over generated logs (``reliability_policy.testing``):
no feed ever names a tenant, and no feed carries anything of a DPA-track incident but the
policy's wording."""

from __future__ import annotations

import json
import pathlib

import attrs
from hypothesis import given
from hypothesis import strategies as st

from reliability_policy import Severity, testing
from reliability_policy.eventlog import load_events
from reliability_policy.lifecycle import Incident, NotificationSent, replay
from reliability_policy.maintenance import MaintenancePlan
from reliability_policy.policy import Policy
from reliability_policy.security import ordinary_notice_flags
from reliability_policy.statusfeed import Endpoint, atom_feed, status_summary, statuspage_json

SECURITY = pathlib.Path(__file__).parent.parent / "examples" / "security-incident.jsonl"


def _details(key: str) -> st.SearchStrategy[str]:
    """Texts that carry a marker of one incident: ``Detail-<key>-<n> ...``."""
    return st.integers(0, 999).map(lambda n: f"Detail-{key}-{n} of what happened")


def _security_example(draw: st.DrawFn) -> list:
    """The bundled security example, with a title and public updates full of detail."""
    log = list(load_events(SECURITY))
    log[0] = attrs.evolve(log[0], title="Detail-S-0 export of acme records")
    for index, text in ((2, "Detail-S-1 acme and globex"), (4, "Detail-S-2 of the records")):
        notice = NotificationSent(
            id=f"sp{index}",
            at=log[index - 1].at,
            channel="status_page",
            kind="update",
            audience="status_page",
            text=text,
            components={"API"},
        )
        log.insert(index, notice)
    return log if draw(st.booleans()) else log[: draw(st.integers(1, len(log)))]


@st.composite
def pages(draw: st.DrawFn) -> tuple[Policy, list[tuple[str, Incident]], list[MaintenancePlan]]:
    """A policy (sometimes showing every severity), incidents keyed by their marker, plans."""
    policy = draw(testing.policies())
    if draw(st.booleans()):
        section = attrs.evolve(policy.status_page, severities=frozenset(Severity))
        policy = attrs.evolve(policy, status_page=section)
    incidents: dict[str, tuple[str, Incident]] = {}
    for key in map(str, range(draw(st.integers(1, 3)))):
        log = draw(testing.status_logs(policy=policy, texts=_details(key), max_events=20))
        incident = replay(log, policy)
        incidents.setdefault(incident.id, (key, incident))
    if draw(st.booleans()):
        incident = replay(_security_example(draw), policy)
        incidents.setdefault(incident.id, ("S", incident))
    plans = {}
    for plan in draw(st.lists(testing.maintenance_plans(), max_size=2)):
        plans.setdefault((plan.change_id, plan.start), plan)
    return policy, list(incidents.values()), list(plans.values())


def _feeds(summary) -> str:
    """Every document the page serves, as one text."""
    documents = [json.dumps(statuspage_json(summary, e), ensure_ascii=False) for e in Endpoint]
    return "\n".join([*documents, atom_feed(summary)])


def _known_tenants(policy: Policy, incidents: list[Incident], plans: list[MaintenancePlan]):
    known = {t.id for t in policy.tenants} | set(policy.notifications.notification_list)
    for incident in incidents:
        known |= incident.tenants_ever_affected
        for notice in incident.notifications:
            known |= notice.tenants
    for plan in plans:
        known |= set(plan.tenants)
    return known


@given(pages(), st.data())
def test_no_feed_names_a_tenant_or_carries_dpa_detail(page, data):
    policy, keyed, plans = page
    incidents = [incident for _, incident in keyed]
    instants = sorted({e.at for i in incidents for e in i.events})
    instants += [t for p in plans for t in (p.start, p.end) if t is not None]
    now = data.draw(st.sampled_from(instants))
    summary = status_summary(incidents, plans, policy, now=now)
    text = _feeds(summary).casefold()

    # Never a tenant's name: not even as a part of a word.
    for tenant in _known_tenants(policy, incidents, plans):
        assert tenant.casefold() not in text, tenant

    # Never anything of a DPA-track incident but the policy's wording.
    section = policy.status_page
    allowed = {section.security_matter, section.wording.resolved}
    shown = {i.incident_id: i for i in summary.incidents}
    for key, incident in keyed:
        if incident.detected_at > now:
            continue
        if ordinary_notice_flags(incident, policy, now=now).security_details:
            continue
        assert f"detail-{key}-" not in text, key
        public = shown.get(incident.id)
        if public is None:
            continue
        assert public.security_matter
        assert public.name == section.security_matter
        assert {u.body for u in public.updates} <= allowed
        assert public.components == ()
        document = statuspage_json(summary, Endpoint.INCIDENTS)
        (entry,) = [i for i in document["incidents"] if i["id"] == public.id]
        assert entry["name"] == section.security_matter
        assert entry["impact"] == "none"
        assert entry["components"] == []
        assert {u["body"] for u in entry["incident_updates"]} <= allowed


@given(testing.status_summaries())
def test_generated_summaries_are_consistent(summary):
    assert summary.updated_at <= summary.as_of or not summary.incidents
    for incident in summary.incidents:
        assert incident.updates[0].at == incident.started_at <= incident.updated_at
        assert [u.at for u in incident.updates] == sorted(u.at for u in incident.updates)
        assert incident.updated_at <= summary.as_of
        if incident.security_matter:
            assert incident.components == ()
    for maintenance in summary.maintenances:
        assert maintenance.announced_at <= summary.as_of
        assert maintenance.scheduled_for < maintenance.scheduled_until
    ids = [summary.page_id, *(c.id for c in summary.components)]
    ids += [i.id for i in summary.incidents] + [m.id for m in summary.maintenances]
    assert len(ids) == len(set(ids))
