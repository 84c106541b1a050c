"""The JSON Lines event log: round trips, files, and a clear error for every bad line."""

from __future__ import annotations

import contextlib
import datetime
import json
import pathlib

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from expect import log_error
from reliability_policy import (
    EventLogError,
    PolicyError,
    PolicyInputError,
    dumps_events,
    load_events,
    loads_events,
    testing,
)
from reliability_policy.levels import Channel
from reliability_policy.lifecycle import EVENT_TYPES, Phase, replay

EXAMPLE = pathlib.Path(__file__).parent.parent / "examples" / "lifecycle-incident.jsonl"

DETECTED = '{"type": "detected", "id": "e1", "at": "2026-03-08T06:00:00Z", "incident_id": "I"}'
TRIAGED = (
    '{"type": "triaged", "id": "e2", "at": "2026-03-08T06:05:00+01:00", "severity": "SEV-2",'
    ' "tenants": ["a"]}'
)


@given(testing.event_logs())
def test_write_then_read_gives_the_same_log(log):
    text = dumps_events(log)
    assert text.count("\n") == len(log)
    assert loads_events(text) == tuple(log)
    for line in text.splitlines():
        assert next(iter(json.loads(line))) == "type"


def test_the_bundled_example_replays():
    events = load_events(EXAMPLE)
    assert load_events(str(EXAMPLE)) == events
    incident = replay(events)
    assert incident.id == "INC-2041"
    assert incident.phase is Phase.CLOSED
    assert incident.is_material()
    assert dumps_events(events) == EXAMPLE.read_text(encoding="utf-8")


def test_blank_lines_are_skipped_and_still_counted():
    text = f"\n{DETECTED}\n\n   \n{TRIAGED}\n"
    assert [e.type for e in loads_events(text)] == ["detected", "triaged"]
    with pytest.raises(EventLogError) as info:
        loads_events(text + "\n{oops\n")
    assert info.value.line == 7


def test_defaults_are_left_out_when_writing():
    (event,) = loads_events(DETECTED)
    assert json.loads(dumps_events([event])) == json.loads(DETECTED)


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ("not json", "$", "a JSON object"),
        ("[1, 2]", "$", "a JSON object"),
        ('{"id": "e"}', "type", "one of 'detected'"),
        ('{"type": "exploded", "id": "e"}', "type", "one of 'detected'"),
        ('{"type": 7}', "type", "one of 'detected'"),
        (TRIAGED.replace('"SEV-2"', '"SEV-4"'), "severity", "'SEV-1', 'SEV-2', 'SEV-3'"),
        (TRIAGED.replace('"severity": "SEV-2",', ""), "severity", "the field is missing"),
        (TRIAGED.replace("+01:00", ""), "at", "a timezone-aware datetime"),
        (TRIAGED.replace('"e2"', '""'), "id", "a non-empty string"),
        (TRIAGED.replace('["a"]', '"a"'), "tenants", "a list"),
        (TRIAGED.replace('["a"]', "[1]"), "tenants[0]", "a string"),
        (TRIAGED.replace("{", '{"zzz": 1, '), "zzz", "one of the known keys"),
        (
            DETECTED.replace('"I"}', '"I", "aware_at": "2026-03-09T00:00:00Z"}'),
            "aware_at",
            "at or before",
        ),
        (
            '{"type": "scope_changed", "id": "e", "at": "2026-03-08T06:00:00Z"}',
            "added",
            "at least one",
        ),
    ],
)
def test_a_bad_line_names_its_line_and_field(line, field, expected):
    with pytest.raises(EventLogError) as info:
        loads_events(f"{DETECTED}\n{line}\n")
    error = info.value
    assert error.line == 2
    assert error.field == f"line 2: {field}"
    assert expected in error.expected
    assert str(error).startswith(f"line 2: {field}: expected ")


def test_unreadable_paths_and_bad_sources_are_input_errors(tmp_path):
    with pytest.raises(PolicyInputError, match=r"a readable file, got .*No such file"):
        load_events(tmp_path / "missing.jsonl")
    with pytest.raises(PolicyInputError, match=r"a readable file, got .*No such file"):
        load_events(str(tmp_path / "missing.jsonl"))
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"\xff\xfe")
    with pytest.raises(PolicyInputError, match="a UTF-8 text file"):
        load_events(binary)
    with pytest.raises(PolicyInputError, match="load_events"):
        loads_events(42)


def test_writing_something_that_is_not_an_event_is_an_input_error():
    with pytest.raises(PolicyInputError, match=r"events\[1\]"):
        dumps_events([*loads_events(DETECTED), {"type": "detected"}])


@pytest.mark.fuzz
@given(st.text())
def test_any_text_reads_or_raises_our_error(text):
    with contextlib.suppress(PolicyError):  # EventLogError: text is never a path
        loads_events(text)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@pytest.mark.fuzz
@given(
    st.sampled_from(sorted(EVENT_TYPES)),
    st.dictionaries(
        st.sampled_from(["id", "at", "severity", "tenants", "reason", "kind", "channel", "x"]),
        _JSON | st.just("2026-03-08T06:00:00Z") | st.just("SEV-1"),
        max_size=6,
    ),
)
def test_any_object_with_a_known_type_reads_or_raises_our_error(name, fields):
    line = json.dumps({"type": name, **fields})
    try:
        (event,) = loads_events(line)
    except EventLogError as error:
        assert error.line == 1
    else:
        assert event.type == name


# --- a path is never guessed, and line breaks inside text stay inside their line -------------------


def test_a_path_without_a_known_extension_is_read_as_a_file(tmp_path):
    log = tmp_path / "incident.log"
    log.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_events(str(log)) == load_events(EXAMPLE)


def test_text_is_never_opened_as_a_path(tmp_path):
    other = tmp_path / "other.jsonl"
    other.write_text(DETECTED + "\n", encoding="utf-8")
    with pytest.raises(EventLogError, match="load_events a path") as caught:
        loads_events(str(other))
    assert caught.value.line == 1


@pytest.mark.parametrize("path", ["a\x00.jsonl", "", "/dev/zero", 42, b"log.jsonl"])
def test_bad_paths_get_our_input_error(path, tmp_path, monkeypatch):
    monkeypatch.setattr("reliability_policy._files.MAX_LOG_BYTES", 1024)
    monkeypatch.setattr("reliability_policy.eventlog.MAX_LOG_BYTES", 1024)
    with pytest.raises(PolicyInputError) as caught:
        load_events(path)
    assert caught.value.field == "path"


def test_a_directory_is_not_a_log(tmp_path):
    with pytest.raises(PolicyInputError, match="readable file"):
        load_events(tmp_path)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\r"])
def test_a_title_with_a_line_break_character_round_trips(separator):
    (event,) = loads_events(DETECTED)
    titled = attrs.evolve(event, title=f"before{separator}after")
    text = dumps_events([titled])
    assert text.count("\n") == 1
    assert "\u2028" not in text
    assert "\u2029" not in text
    assert "\x85" not in text
    assert loads_events(text) == (titled,)


@given(st.text())
def test_any_title_round_trips(title):
    (event,) = loads_events(DETECTED)
    titled = attrs.evolve(event, title=title)
    assert loads_events(dumps_events([titled])) == (titled,)


# --- the lifecycle's own field checks reach the reader with the field, the value and the phrase --

_AT = '"id": "e", "at": "2026-03-08T06:00:00Z"'


@pytest.mark.parametrize(
    ("line", "field", "value", "expected"),
    [
        (
            DETECTED.replace('"I"}', '"I", "aware_at": "2026-03-08T07:00:00Z"}'),
            "aware_at",
            datetime.datetime(2026, 3, 8, 7, 0, tzinfo=datetime.UTC),
            "an instant at or before the event's own time 2026-03-08T06:00:00Z",
        ),
        (
            DETECTED.replace('"I"}', '"I", "source": "pager"}'),
            "source",
            "pager",
            "one of 'monitoring_error_rate', 'monitoring_latency', 'monitoring_auth_anomaly', "
            "'customer_report', 'other', 'unknown'",
        ),
        (
            f'{{"type": "scope_changed", {_AT}}}',
            "added",
            frozenset(),
            "at least one tenant added or removed",
        ),
        (
            f'{{"type": "scope_changed", {_AT}, "added": ["b", "a"], "removed": ["a", "b"]}}',
            "removed",
            ["a", "b"],
            "tenants not also listed as added",
        ),
        (
            f'{{"type": "contained", {_AT}, "measures": [{{"kind": "nope"}}]}}',
            "measures[0].kind",
            "nope",
            "one of 'traffic_shedding', 'feature_degradation', 'other'",
        ),
        (
            f'{{"type": "notification_sent", {_AT}, "channel": "email", "kind": "update"}}',
            "tenants",
            frozenset(),
            "the tenants the notice was addressed to",
        ),
        (
            f'{{"type": "notification_sent", {_AT}, "channel": "email", "kind": "update", '
            '"tenants": ["a"], "fallback_for": "email"}',
            "fallback_for",
            Channel.EMAIL,
            "a channel other than the one used",
        ),
        (f'{{"type": "regression", {_AT}, "reason": " "}}', "reason", " ", "a non-empty string"),
        (
            f'{{"type": "triaged", {_AT}, "severity": "SEV-1", "tenants": [""]}}',
            "tenants",
            frozenset({""}),
            "a set of non-empty strings",
        ),
        (
            '{"type": "declined", "id": " ", "at": "2026-03-08T06:00:00Z", "reason": "r"}',
            "id",
            " ",
            "a non-empty string (the event id)",
        ),
    ],
)
def test_a_refused_event_field_reads_as_the_lifecycle_says_it(line, field, value, expected):
    with log_error(2, field, value=value, expected=expected):
        loads_events(f"{DETECTED}\n{line}\n")
