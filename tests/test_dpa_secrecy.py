"""One answer to "may this incident's ordinary notices carry security details?".

The notification cadence (``Obligation.no_security_details``, ``CommunicationFacts.dpa_track``)
and the DPA routing (``Routing.security_details_allowed``) both ask
:func:`~reliability_policy.security.ordinary_notice_flags`; these tests hold them together for
every sequence of assessments. The rule (SPEC section 5): once an incident has been on the DPA
track, its ordinary notices never carry security details, even after a later assessment moves
it to the standard track.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from reliability_policy import testing
from reliability_policy.defaults import default_policy
from reliability_policy.levels import Channel, Severity
from reliability_policy.lifecycle import (
    DataInvolvement,
    Detected,
    IncidentKind,
    NoticeKind,
    NotificationSent,
    SecurityAssessed,
    Triaged,
    replay,
)
from reliability_policy.notifications import communication_facts, obligations
from reliability_policy.security import ordinary_notice_flags, route_security_incident

T0 = dt.datetime(2026, 3, 28, 20, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


def _incident(*assessed: DataInvolvement, kind: IncidentKind = IncidentKind.SECURITY):
    events = [
        Detected(id="e1", at=T0, incident_id="INC-1", kind=kind),
        Triaged(id="e2", at=T0 + H, severity=Severity.SEV_1, tenants={"acme"}),
    ]
    for index, value in enumerate(assessed):
        events.append(
            SecurityAssessed(
                id=f"a{index}", at=T0 + (2 + index) * H, kind=kind, customer_data=value
            )
        )
    events.append(
        NotificationSent(
            id="n1",
            at=T0 + 9 * H,
            channel=Channel.EMAIL,
            kind=NoticeKind.UPDATE,
            tenants={"acme"},
        )
    )
    return replay(events)


def test_unknown_then_no_keeps_security_details_out_of_ordinary_notices():
    incident = _incident(DataInvolvement.NO)  # detected: unknown; then assessed: no
    now = T0 + 10 * H
    routing = route_security_incident(incident, now=now)
    assert routing.track.value == "standard"
    assert routing.security_details_allowed is False
    owed = obligations(incident, now=now)
    assert owed
    assert all(o.no_security_details for o in owed)
    assert communication_facts(incident).dpa_track is True
    flags = ordinary_notice_flags(incident, now=now)
    assert (flags.security_details, flags.rule) == (False, "dpa-no-security-details")


def test_an_availability_incident_may_carry_details():
    incident = _incident(kind=IncidentKind.AVAILABILITY)
    now = T0 + 10 * H
    assert route_security_incident(incident, now=now).security_details_allowed is True
    assert not any(o.no_security_details for o in obligations(incident, now=now))
    assert ordinary_notice_flags(incident, now=now).rule == "availability-incident"


def test_a_security_incident_assessed_no_from_the_start_may_carry_details():
    events = [
        Detected(
            id="e1",
            at=T0,
            incident_id="INC-2",
            kind=IncidentKind.SECURITY,
            customer_data=DataInvolvement.NO,
        ),
        Triaged(id="e2", at=T0 + H, severity=Severity.SEV_2, tenants={"acme"}),
    ]
    incident = replay(events)
    now = T0 + 3 * H
    assert route_security_incident(incident, now=now).security_details_allowed is True
    assert not any(o.no_security_details for o in obligations(incident, now=now))


@given(
    st.lists(st.sampled_from(DataInvolvement), max_size=6),
    st.sampled_from(DataInvolvement),
    st.sampled_from(IncidentKind),
    st.integers(0, 12),
)
def test_both_paths_agree_for_every_sequence_of_assessments(assessed, first, kind, hours):
    events = [
        Detected(id="e1", at=T0, incident_id="INC-3", kind=kind, customer_data=first),
        Triaged(id="e2", at=T0 + H, severity=Severity.SEV_1, tenants={"acme", "globex"}),
        *(
            SecurityAssessed(id=f"a{i}", at=T0 + (2 + i) * H, kind=kind, customer_data=value)
            for i, value in enumerate(assessed)
        ),
    ]
    incident = replay(events)
    now = T0 + dt.timedelta(hours=hours)
    allowed = route_security_incident(incident, now=now).security_details_allowed
    assert ordinary_notice_flags(incident, now=now).security_details is allowed
    for owed in obligations(incident, now=now):
        assert owed.no_security_details is not allowed
    # Once on the DPA track, never off it: later instants never allow details again.
    if not allowed:
        later = now + dt.timedelta(hours=24)
        assert not route_security_incident(incident, now=later).security_details_allowed


@given(testing.event_logs())
def test_both_paths_agree_on_generated_logs(log):
    incident = replay(log)
    now = max(incident.last_event_at, incident.aware_at)
    policy = default_policy()
    allowed = route_security_incident(incident, policy, now=now).security_details_allowed
    assert ordinary_notice_flags(incident, policy, now=now).security_details is allowed
    assert communication_facts(incident, policy, now=now).dpa_track is not allowed
    for owed in obligations(incident, policy, now=now):
        assert owed.no_security_details is not allowed
