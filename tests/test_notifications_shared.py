"""An audit shares each schedule's values between its addressees and builds a tenant's own
values only when they are read; to the caller, results are the values listed one by one."""

from __future__ import annotations

import datetime as dt
import gc
from typing import Any

from hypothesis import given

from reliability_policy import Channel, Severity
from reliability_policy.errors import PolicyConfigError, PolicyInputError
from reliability_policy.findings import Finding
from reliability_policy.lifecycle import Audience, NoticeKind
from reliability_policy.notifications import (
    AuditReport,
    CommunicationFacts,
    Obligation,
    SentNotice,
    SeverityPoint,
    TenantResult,
    TenantScope,
    audit,
)
from reliability_policy.serialization import dumps, loads
from reliability_policy.testing import communication_facts

T0 = dt.datetime(2026, 3, 9, 14, 0, tzinfo=dt.UTC)


# Every ordinary content item the default policy requires: these notices meet any obligation.
CONTENT = frozenset({"scope", "impact", "what_happened", "customer_impact", "corrective_actions"})


def _sev1(tenants: int, updates: int, *, in_app: bool = True) -> CommunicationFacts:
    ids = tuple(f"t-{n:04d}" for n in range(tenants))
    channels = (Channel.EMAIL, Channel.IN_APP) if in_app else (Channel.EMAIL,)
    notices = tuple(
        SentNotice(
            f"n{index}-{channel.value}",
            T0 + dt.timedelta(minutes=30 * index),
            channel,
            NoticeKind.FIRST_NOTICE if index == 0 else NoticeKind.UPDATE,
            Audience.AFFECTED_TENANTS,
            ids,
            content=CONTENT,
        )
        for index in range(updates + 1)
        for channel in channels
    )
    scope = tuple(TenantScope(tenant, T0) for tenant in ids)
    severities = (SeverityPoint(T0, Severity.SEV_1),)
    return CommunicationFacts("INC-S", severities, T0, scope, notices=notices)


def _alive(kind: type) -> int:
    gc.collect()
    return sum(1 for item in gc.get_objects() if type(item) is kind)


def test_an_audit_builds_no_obligation_until_one_is_read():
    subject = _sev1(300, 10)
    before = _alive(Obligation)
    report = audit(subject, now=T0 + dt.timedelta(hours=6))
    assert _alive(Obligation) == before
    owed = report.tenants[7].obligations
    assert len(owed) == 12  # 11 notices met, the next update pending
    assert _alive(Obligation) == before + len(owed)
    assert {o.tenant for o in owed} == {"t-0007"}


def test_findings_are_each_tenants_own_in_tenant_order():
    subject = _sev1(4, 2, in_app=False)  # every notice lacks its in-app copy: warnings
    report = audit(subject, now=T0 + dt.timedelta(hours=3))
    assert not report.compliant
    assert report.breaches == tuple(b for r in report.tenants for b in r.breaches)
    assert report.warnings == tuple(w for r in report.tenants for w in r.warnings)
    assert [w.tenant for w in report.warnings][:3] == ["t-0000"] * 3
    assert all(isinstance(w, Finding) and w.tenant for w in report.warnings)
    first, second = report.tenants[:2]
    assert first != second
    assert first.obligations != second.obligations


@given(communication_facts())
def test_shared_results_are_the_results_listed_one_by_one(subject: CommunicationFacts) -> None:
    report = audit(subject)
    for result in report.tenants:
        listed = TenantResult(
            result.tenant,
            result.audience,
            result.compliant,
            result.obligations,
            result.breaches,
            result.warnings,
        )
        assert listed == result
        assert result == listed
        assert hash(listed) == hash(result)
        assert repr(listed) == repr(result)
        assert result.compliant == (not result.breaches)
        assert all(o.tenant == result.tenant for o in result.obligations)
        assert all(f.tenant == result.tenant for f in (*result.breaches, *result.warnings))
    listed_report = AuditReport(
        report.schema_version,
        report.incident_id,
        report.as_of,
        report.compliant,
        report.breaches,
        report.warnings,
        report.tenants,
        report.summary,
        report.dpa_deadlines,
    )
    assert listed_report == report
    assert hash(listed_report) == hash(report)
    assert repr(listed_report) == repr(report)
    assert dumps(listed_report) == dumps(report)
    assert report.compliant == (not report.breaches)
    assert loads(dumps(report), AuditReport) == report


def test_a_result_read_from_a_document_is_the_audited_one():
    report = audit(_sev1(3, 1), now=T0 + dt.timedelta(hours=1))
    again = loads(dumps(report.tenants[1]), TenantResult)
    assert again == report.tenants[1]
    assert again.obligations == report.tenants[1].obligations
    assert repr(again).startswith("TenantResult(tenant='t-0001', audience=")


def test_a_bad_addressee_is_named_by_its_place_in_the_list():
    def notice(tenants: Any) -> SentNotice:
        kind, audience = NoticeKind.UPDATE, Audience.AFFECTED_TENANTS
        return SentNotice("n", T0, Channel.EMAIL, kind, audience, tenants)

    for bad, place in ((("a", "", "b"), 1), (("a", "b", 7), 2)):
        try:
            notice(bad)
        except PolicyInputError as error:
            assert error.field == f"tenants[{place}]"
        else:  # pragma: no cover - the assertion below reports it
            raise AssertionError(f"{bad!r} was accepted")

    class Name(str):
        pass

    assert notice((Name("a"), "b")).tenants == ("a", "b")  # a str subclass is a tenant id


def test_results_and_reports_differ_from_other_values():
    report = audit(_sev1(2, 0), now=T0)
    assert report != object()
    assert report.tenants[0] != ("t-0000",)
    assert report.tenants[0] == report.tenants[0]


def test_results_and_reports_must_be_tables_in_documents():
    for kind in (TenantResult, AuditReport):
        try:
            loads("[1, 2]", kind)
        except PolicyConfigError as error:
            assert "a table (a JSON object)" in str(error)
        else:  # pragma: no cover - the assertion below reports it
            raise AssertionError(f"{kind.__name__} read from a list")
