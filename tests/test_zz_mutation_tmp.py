import pytest
from reliability_policy import statusfeed
from reliability_policy.security import NoticeFlags
import test_statusfeed_properties as props

def test_without_dpa_secrecy_the_property_fails(monkeypatch):
    monkeypatch.setattr(statusfeed, "ordinary_notice_flags", lambda i, p=None, *, now: NoticeFlags(True, "x", "x"))
    monkeypatch.setattr(props, "ordinary_notice_flags", lambda i, p=None, *, now: NoticeFlags(False, "x", "x"))
    with pytest.raises(AssertionError):
        props.test_no_feed_names_a_tenant_or_carries_dpa_detail()

def test_without_tenant_check_the_property_fails(monkeypatch):
    monkeypatch.setattr(statusfeed, "_named_tenant", lambda text, tenants: None)
    with pytest.raises(AssertionError):
        props.test_no_feed_names_a_tenant_or_carries_dpa_detail()
