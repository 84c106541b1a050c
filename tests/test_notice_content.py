"""What a notice must say (its required content items) and drafting notices from templates."""

from __future__ import annotations

import datetime as dt
import json
import re

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reliability_policy import testing
from reliability_policy.defaults import default_policy
from reliability_policy.errors import PolicyConfigError, PolicyInputError
from reliability_policy.findings import DueStatus
from reliability_policy.levels import Channel, Severity
from reliability_policy.lifecycle import (
    DataInvolvement,
    Detected,
    Event,
    Incident,
    IncidentKind,
    NoticeKind,
    NotificationSent,
    Recovered,
    Resolved,
    SecurityAssessed,
    Triaged,
    Validated,
    replay,
)
from reliability_policy.loading import loads_policy
from reliability_policy.notifications import (
    CommunicationFacts,
    NoticeDraft,
    Obligation,
    SentNotice,
    SeverityPoint,
    TenantScope,
    audit,
    draft_notice,
    obligations,
    policy_problems,
)
from reliability_policy.policy import (
    NoticeContent,
    NoticeTemplates,
    Policy,
    Tenant,
    TimeZoneName,
)
from reliability_policy.serialization import dumps, loads

T0 = dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.UTC)
M = dt.timedelta(minutes=1)
FIRST = frozenset({"scope", "impact"})
SUMMARY = frozenset({"what_happened", "customer_impact", "corrective_actions"})
POLICY = attrs.evolve(
    default_policy(),
    tenants=(
        Tenant("acme", TimeZoneName("Europe/Berlin")),
        Tenant("globex", TimeZoneName("Asia/Kathmandu")),
    ),
)


def _facts(*notices: SentNotice, resolved: dt.datetime | None = None) -> CommunicationFacts:
    return CommunicationFacts(
        incident_id="INC-1",
        severities=(SeverityPoint(T0, Severity.SEV_1),),
        scope_confirmed_at=T0,
        scope=(TenantScope("acme", T0), TenantScope("globex", T0)),
        resolved_at=resolved,
        notices=notices,
    )


def _sent(
    at: dt.datetime, kind: str, content: frozenset[str], tenants: tuple[str, ...] = ("acme",)
) -> SentNotice:
    return SentNotice(
        f"n-{at:%H%M}-{kind}", at, Channel.EMAIL, kind, "affected_tenants", tenants, content=content
    )


def _first(found: tuple[Obligation, ...], tenant: str = "acme") -> Obligation:
    return next(o for o in found if o.tenant == tenant and o.kind is NoticeKind.FIRST_NOTICE)


# --- the audit ----------------------------------------------------------------------------------


def test_a_complete_first_notice_meets_its_obligation() -> None:
    found = obligations(_facts(_sent(T0 + 10 * M, "first_notice", FIRST)), now=T0 + 20 * M)
    first = _first(found)
    assert first.status is DueStatus.MET
    assert first.missing_items == ()


def test_a_first_notice_without_impact_meets_nothing_and_says_what_is_missing() -> None:
    facts = _facts(_sent(T0 + 10 * M, "first_notice", frozenset({"scope"})))
    first = _first(obligations(facts, now=T0 + 40 * M))
    assert first.status is DueStatus.MISSED
    assert first.missing_items == ("impact",)
    report = audit(facts, now=T0 + 40 * M)
    reasons = [b.reason for b in report.breaches if b.tenant == "acme"]
    assert any("lacked impact" in reason for reason in reasons)


def test_a_later_complete_notice_meets_it_late() -> None:
    facts = _facts(
        _sent(T0 + 10 * M, "first_notice", frozenset()),
        _sent(T0 + 45 * M, "first_notice", FIRST),
    )
    first = _first(obligations(facts, now=T0 + 50 * M))
    assert first.status is DueStatus.LATE
    assert first.late_by == 15 * M
    assert first.missing_items == ()


def test_pending_obligation_names_the_items_still_missing() -> None:
    facts = _facts(_sent(T0 + 5 * M, "first_notice", frozenset({"impact"})))
    first = _first(obligations(facts, now=T0 + 10 * M))
    assert first.status is DueStatus.PENDING
    assert first.missing_items == ("scope",)


def test_a_summary_needs_its_three_items() -> None:
    resolved = T0 + 60 * M
    complete = _facts(
        _sent(T0 + 10 * M, "first_notice", FIRST),
        _sent(resolved + 30 * M, "resolution", frozenset()),
        _sent(resolved + 24 * 60 * M, "summary", SUMMARY),
        resolved=resolved,
    )
    lacking = attrs.evolve(
        complete,
        notices=(*complete.notices[:2], _sent(resolved + 24 * 60 * M, "summary", FIRST)),
    )
    later = resolved + 30 * 24 * 60 * M
    summary = [o for o in obligations(complete, now=later) if o.kind is NoticeKind.SUMMARY]
    assert summary[0].tenant == "acme"
    assert summary[0].status is DueStatus.MET
    missed = next(o for o in obligations(lacking, now=later) if o.kind is NoticeKind.SUMMARY)
    assert missed.status is DueStatus.MISSED
    assert missed.missing_items == ("what_happened", "customer_impact", "corrective_actions")


def test_addressees_of_the_same_notices_share_one_schedule_with_the_items() -> None:
    both = ("acme", "globex")
    facts = _facts(_sent(T0 + 10 * M, "first_notice", frozenset({"scope"}), both))
    report = audit(facts, now=T0 + 40 * M)
    acme, globex = report.tenants
    assert acme._values is globex._values  # still one shared record
    assert _first(acme.obligations).missing_items == ("impact",)
    assert _first(globex.obligations, "globex").missing_items == ("impact",)


def test_obligations_round_trip_with_missing_items() -> None:
    facts = _facts(_sent(T0 + 10 * M, "first_notice", frozenset({"scope"})))
    report = audit(facts, now=T0 + 40 * M)
    assert loads(dumps(report), type(report)) == report
    old = json.loads(dumps(_first(report.tenants[0].obligations)))
    assert old.pop("missing_items") == ["impact"]
    assert loads(json.dumps(old), Obligation).missing_items == ()


def test_empty_requirements_accept_any_notice() -> None:
    policy = attrs.evolve(
        default_policy(),
        notifications=attrs.evolve(default_policy().notifications, content=NoticeContent()),
    )
    facts = _facts(_sent(T0 + 10 * M, "first_notice", frozenset()))
    assert _first(obligations(facts, policy, now=T0 + 20 * M)).status is DueStatus.MET


@settings(max_examples=60)
@given(testing.communication_facts(), st.data())
def test_a_notice_missing_a_required_item_never_meets_its_obligation(
    facts: CommunicationFacts, data: st.DataObject
) -> None:
    policy = default_policy()
    content = policy.notifications.content
    # strip one required item from some notices: none of those may be what met an obligation
    stripped: set[str] = set()
    notices = []
    for notice in facts.notices:
        required = content.required(notice.kind.value)
        if required and data.draw(st.booleans()):
            drop = data.draw(st.sampled_from(required))
            notice = attrs.evolve(notice, content=notice.content - {drop})
            stripped.add(notice.id)
        notices.append(notice)
    facts = attrs.evolve(facts, notices=tuple(notices))
    by_id = {n.id: n for n in facts.notices}
    now = facts.last_instant()
    assert now is not None
    for owed in obligations(facts, policy, now=now):
        if owed.notice_id is None:
            continue
        sent = by_id[owed.notice_id]
        assert set(content.required(owed.kind.value)) <= sent.content, (owed, sent)
        assert owed.missing_items == ()


# --- the policy ---------------------------------------------------------------------------------


def test_the_default_policy_requires_the_page_items() -> None:
    content = default_policy().notifications.content
    assert content.first_notice == ("scope", "impact")
    assert content.summary == ("what_happened", "customer_impact", "corrective_actions")
    assert list(policy_problems(default_policy())) == []


def test_policy_problems_name_duplicates_bad_templates_and_unknown_slots() -> None:
    with pytest.raises(PolicyConfigError) as caught:
        loads_policy(
            "schema_version = 1\n"
            "[notifications.content]\n"
            'first_notice = ["scope", "scope"]\n'
            "[notifications.templates]\n"
            'update = "{{ incident_id"\n'
            'resolution = "{{ secret_sauce }} {{ impact }}"\n'
        )
    text = str(caught.value)
    assert "$.notifications.content.first_notice: expected each item at most once" in text
    assert "$.notifications.templates.update: expected a template that parses" in text
    assert "$.notifications.templates.resolution" in text
    assert "secret_sauce" in text


def test_an_unknown_notice_kind_in_the_policy_is_refused() -> None:
    with pytest.raises(PolicyConfigError, match=r"\$\.notifications\.content"):
        loads_policy('schema_version = 1\n[notifications.content]\nfirst_notise = ["scope"]\n')


# --- drafts -------------------------------------------------------------------------------------


def _incident(*extra: Event, kind: IncidentKind = IncidentKind.AVAILABILITY) -> Incident:
    return replay(
        [
            Detected(
                id="e1",
                at=T0,
                incident_id="INC-7",
                kind=kind,
                title="Checkout down for acme",
                aware_at=T0,
            ),
            Triaged(id="e2", at=T0 + 5 * M, severity=Severity.SEV_1, tenants={"acme", "globex"}),
            *extra,
        ],
        POLICY,
    )


ITEMS = {"scope": "Checkout API", "impact": "Payments fail"}


def test_a_draft_uses_the_tenants_local_time_and_the_items() -> None:
    draft = draft_notice(
        _incident(), "globex", "first_notice", POLICY, now=T0 + 10 * M, items=ITEMS
    )
    assert isinstance(draft, NoticeDraft)
    assert draft.kind is NoticeKind.FIRST_NOTICE
    assert draft.items == ("scope", "impact")
    assert draft.rule == "first-notice"
    assert "2026-03-09 19:50 +0545" in draft.text  # Kathmandu, +05:45
    assert "Scope: Checkout API" in draft.text
    assert "Impact: Payments fail" in draft.text
    assert "acme" not in draft.text


def test_a_draft_needs_every_required_item_and_no_other() -> None:
    incident = _incident()
    with pytest.raises(PolicyInputError, match="impact"):
        draft_notice(incident, "acme", "first_notice", POLICY, now=T0, items={"scope": "x"})
    with pytest.raises(PolicyInputError, match="mood"):
        draft_notice(
            incident, "acme", "first_notice", POLICY, now=T0, items={**ITEMS, "mood": "calm"}
        )
    with pytest.raises(PolicyInputError, match="tenant"):
        draft_notice(incident, "initech", "first_notice", POLICY, now=T0, items=ITEMS)
    with pytest.raises(PolicyInputError, match="kind"):
        draft_notice(incident, "acme", "dpa_notice", POLICY, now=T0)


def _with_template(kind: str, text: str) -> Policy:
    templates = attrs.evolve(POLICY.notifications.templates, **{kind: text})
    return attrs.evolve(
        POLICY, notifications=attrs.evolve(POLICY.notifications, templates=templates)
    )


def test_the_title_is_a_slot_for_an_availability_incident() -> None:
    policy = _with_template("update", "{{ incident_id }} ({{ kind }}): {{ title }}")
    draft = draft_notice(_incident(), "acme", "update", policy, now=T0 + 10 * M)
    assert draft.text == "INC-7 (availability): Checkout down for acme"


def test_a_title_naming_another_tenant_is_refused() -> None:
    policy = _with_template("update", "{{ title }}")
    with pytest.raises(PolicyInputError, match="acme"):
        draft_notice(_incident(), "globex", "update", policy, now=T0 + 10 * M)


def test_security_details_are_refused_for_a_dpa_track_incident() -> None:
    incident = _incident(kind=IncidentKind.SECURITY)
    policy = _with_template("update", "{{ incident_id }}: {{ title }} {{ customer_data }}")
    with pytest.raises(PolicyConfigError) as caught:
        draft_notice(incident, "acme", "update", policy, now=T0 + 10 * M)
    assert "customer_data" in str(caught.value)
    assert "title" in str(caught.value)
    assert "DPA track" in str(caught.value)
    plain = draft_notice(incident, "acme", "update", POLICY, now=T0 + 10 * M)
    assert "Checkout" not in plain.text
    assert "no security details" in plain.reason


def test_once_on_the_dpa_track_always_refused() -> None:
    assessed = SecurityAssessed(
        id="e3", at=T0 + 20 * M, kind=IncidentKind.SECURITY, customer_data=DataInvolvement.NO
    )
    incident = _incident(assessed, kind=IncidentKind.SECURITY)
    policy = _with_template("update", "{{ title }}")
    with pytest.raises(PolicyConfigError, match="title"):
        draft_notice(incident, "acme", "update", policy, now=T0 + 30 * M)


def test_templates_are_sandboxed() -> None:
    policy = _with_template("update", "{{ tenant.__class__.__mro__ }}")
    with pytest.raises(PolicyConfigError):
        draft_notice(_incident(), "acme", "update", policy, now=T0)
    policy = _with_template("update", "{{ range(3) }}")
    with pytest.raises(PolicyConfigError, match="range"):
        draft_notice(_incident(), "acme", "update", policy, now=T0)


def test_a_resolution_draft_shows_resolved_in_local_time() -> None:
    incident = _incident(
        Recovered(id="e3", at=T0 + 40 * M),
        Validated(id="e4", at=T0 + 50 * M),
        Resolved(id="e5", at=T0 + 60 * M),
    )
    draft = draft_notice(incident, "acme", "resolution", POLICY, now=T0 + 70 * M)
    assert "resolved at 2026-03-09 16:00 CET (Europe/Berlin)" in draft.text
    sent = NotificationSent(
        id="e4",
        at=T0 + 70 * M,
        channel=Channel.EMAIL,
        kind=draft.kind,
        tenants={draft.tenant},
        content=draft.items,
    )
    assert sent.content == frozenset()


def test_an_empty_template_is_a_configuration_error() -> None:
    policy = attrs.evolve(
        POLICY, notifications=attrs.evolve(POLICY.notifications, templates=NoticeTemplates())
    )
    with pytest.raises(PolicyConfigError, match="a template for this kind"):
        draft_notice(_incident(), "acme", "update", policy, now=T0)


_FULL_TEMPLATE = (
    "{{ incident_id }} {{ severity }} {{ tenant }} {{ time_zone }} {{ now }} {{ detected_at }} "
    "{{ scope_confirmed_at }} {{ resolved_at }}"
)


@settings(max_examples=60)
@given(testing.event_logs(), st.data())
def test_no_other_tenant_and_no_dpa_detail_in_any_draft(
    log: list[Event], data: st.DataObject
) -> None:
    first = log[0]
    assert isinstance(first, Detected)
    log[0] = attrs.evolve(first, title="SECRET-TITLE breach of records")
    incident = replay(log)
    scope = sorted(incident.tenant_added_at)
    if not scope:
        return
    tenant = data.draw(st.sampled_from(scope))
    kind = data.draw(st.sampled_from(["first_notice", "update", "resolution", "summary"]))
    policy = default_policy()
    items = {name: f"text of {name}" for name in policy.notifications.content.required(kind)}
    now = incident.last_event_at
    templates = policy.notifications.templates
    template = templates.template(kind) + " " + _FULL_TEMPLATE
    chosen = attrs.evolve(
        policy,
        notifications=attrs.evolve(
            policy.notifications, templates=attrs.evolve(templates, **{kind: template})
        ),
    )
    draft = draft_notice(incident, tenant, kind, chosen, now=now, items=items)
    words = set(re.findall(r"[\w-]+", draft.text))
    assert not (set(scope) - {tenant}) & words
    assert "SECRET-TITLE" not in draft.text
    assert "SECRET-TITLE" not in draft.reason
