"""The loader's contract: every refused document names its path, the value and what was expected.

``load_*`` takes a path and ``loads_*`` takes text or parsed data; a file that cannot be read is
one problem at ``$`` whose value names the path (and why), and the error's ``source`` names the
document (and the path). The tenant ids are the loader's own check; ``tenants=`` takes nothing,
tenants already loaded, or a document in the same forms as the policy.
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib

import attrs
import pytest

import reliability_policy as rp
from expect import config_problem, find_problem
from reliability_policy import PolicyConfigError, Tenant
from reliability_policy.loading import (
    TenantsDocument,
    check_policy,
    load_document,
    read_document,
)

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
MAX = 16 * 1024 * 1024
TOO_LARGE = "a document of at most 16,777,216 characters"
NOT_TEXT = "TOML or JSON text, or a mapping (for a file, use the load_* function)"
NOT_A_TABLE = "a table (a JSON object) at the top level"
VERSION = "schema version 1"

ACME = 'id = "acme"\ntime_zone = "UTC"\n'
GLOBEX = 'id = "globex"\ntime_zone = "Europe/Berlin"\n'
TENANTS_TEXT = f"schema_version = 1\n[[tenants]]\n{ACME}[[tenants]]\n{GLOBEX}"
WITH_ACME = f"schema_version = 1\n[[tenants]]\n{ACME}"


def write(directory: pathlib.Path, name: str, text: str) -> pathlib.Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def ids(tenants) -> list[str]:
    return [tenant.id for tenant in tenants]


# --- read_document: text or data, TOML or JSON, one table with schema_version 1 -------------


def test_read_document_returns_the_table_and_the_name_it_was_given():
    assert read_document("schema_version = 1\nanswer = 42", name="example") == (
        {"schema_version": 1, "answer": 42},
        "example",
    )


def test_read_document_takes_parsed_data_as_it_is():
    data = {"schema_version": 1, "answer": [1, 2]}
    found, label = read_document(data, name="data")
    assert found is data
    assert label == "data"


@pytest.mark.parametrize("text", ['{"schema_version": 1}', '\n  \t{"schema_version": 1}\n'])
def test_text_that_starts_with_a_brace_is_json(text):
    assert read_document(text, name="x") == ({"schema_version": 1}, "x")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("schema_version = ", "TOML"),
        ("[security]\nnotify_deadline = ", "TOML"),  # starts with '[' but is no JSON either
        ("42", "TOML"),  # valid JSON, but only '{' makes text JSON
        ('"schema_version"', "TOML"),
        ('{"schema_version": ', "JSON"),
        ('  {"schema_version": 1,}', "JSON"),
    ],
)
def test_text_that_does_not_parse_names_the_format_and_the_parser_error(text, kind):
    with config_problem("$", expected=f"valid {kind}", only=True) as caught:
        read_document(text, name="the doc")
    (problem,) = caught.value.problems
    assert isinstance(problem.value, str)
    assert problem.value.strip()
    assert caught.value.source == "the doc"


def test_the_parser_error_is_the_value_of_the_problem():
    try:
        json.loads('{"schema_version": ')
    except ValueError as error:
        message = str(error)
    with config_problem("$", value=message, expected="valid JSON", only=True):
        rp.loads_policy('{"schema_version": ')


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("a = " + "[" * 100_000, "TOML"),
        ("[" * 100_000, "TOML"),  # neither TOML nor (too deep) JSON: reported as TOML
        ("{" + '"a": {' * 100_000, "JSON"),
    ],
)
def test_a_document_nested_too_deep_is_invalid_text_not_a_crash(text, kind):
    with config_problem("$", expected=f"valid {kind}", only=True):
        rp.loads_policy(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("[1, 2]", [1, 2]),
        ("\n  [1, 2]", [1, 2]),
        ('["schema_version", 1]', ["schema_version", 1]),
    ],
)
def test_a_json_array_is_reported_as_not_a_table(text, value):
    with config_problem("$", value=value, expected=NOT_A_TABLE, only=True) as caught:
        rp.loads_policy(text, name="svc")
    assert caught.value.source == "svc"


@pytest.mark.parametrize(
    "source",
    [42, None, b"schema_version = 1", pathlib.Path("policy.toml"), ["schema_version"]],
)
def test_something_neither_text_nor_a_mapping_is_refused_with_its_value(source):
    with config_problem("$", value=source, expected=NOT_TEXT, only=True) as caught:
        rp.loads_policy(source)
    assert caught.value.source == "policy document"


def test_a_text_larger_than_the_bound_is_refused_before_parsing():
    text = "#" * (MAX + 1)
    with config_problem("$", value="#" * 40, expected=TOO_LARGE, only=True) as caught:
        read_document(text, name="big")
    assert caught.value.source == "big"


def test_a_text_exactly_at_the_bound_is_read():
    head = '{"schema_version": 1}'
    text = head + " " * (MAX - len(head))
    assert len(text) == MAX
    assert read_document(text, name="x") == ({"schema_version": 1}, "x")


def test_a_missing_schema_version_is_a_missing_key():
    with config_problem(
        "$.schema_version", value=None, expected=VERSION, kind="missing", only=True
    ) as caught:
        read_document("answer = 42", name="example")
    assert caught.value.source == "example"
    assert str(caught.value) == (
        "The example has 1 problem:\n  $.schema_version: expected schema version 1, "
        "but the key is missing"
    )


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("schema_version = 2", 2),
        ("schema_version = 0", 0),
        ("schema_version = true", True),
        ("schema_version = 1.0", 1.0),
        ('schema_version = "1"', "1"),
        ('{"schema_version": null}', None),
        ({"schema_version": False}, False),
    ],
)
def test_a_wrong_schema_version_names_the_value_found(source, value):
    with config_problem(
        "$.schema_version", value=value, expected=VERSION, kind="invalid", only=True
    ):
        read_document(source, name="doc")


# --- load_document: a path, always; a file that cannot be read names the path -----------------


def test_load_document_labels_the_document_with_its_path(tmp_path):
    path = write(tmp_path, "doc.toml", "schema_version = 1\nanswer = 42\n")
    assert load_document(path, name="request") == (
        {"schema_version": 1, "answer": 42},
        f"request {path}",
    )
    assert load_document(str(path), name="request")[1] == f"request {path}"


def test_a_document_problem_in_a_file_names_the_file_in_the_source(tmp_path):
    path = write(tmp_path, "doc.toml", "schema_version = 7\n")
    with config_problem("$.schema_version", value=7, expected=VERSION, only=True) as caught:
        load_document(path, name="request")
    assert caught.value.source == f"request {path}"


@pytest.mark.parametrize(
    ("path", "expected", "value", "shown"),
    [
        ("missing.toml", "a readable file", "missing.toml (No such file or directory)", None),
        ("a\nb.toml", "a readable file", "'a\\nb.toml' (No such file or directory)", None),
        ("policy\x00.toml", "a path without NUL characters", "'policy\\x00.toml'", None),
        ("\udcff.toml", "a path of valid Unicode text", "'\\udcff.toml'", None),
        ("   ", "a non-empty path", "   ", None),
        (42, "a path (a str or os.PathLike)", "42", "42"),
        (b"policy.toml", "a path (a str or os.PathLike)", "b'policy.toml'", "b'policy.toml'"),
        ("/dev/zero", "a file of at most 16,777,216 bytes", "/dev/zero (it is larger)", None),
    ],
)
def test_a_file_that_cannot_be_read_is_one_problem_naming_the_path(path, expected, value, shown):
    with config_problem("$", value=value, expected=expected, only=True) as caught:
        rp.load_policy(path)
    label = shown or value.rsplit(" (", 1)[0]
    assert caught.value.source == f"policy document {label}"


def test_a_directory_is_not_a_readable_file(tmp_path):
    with config_problem("$", value=f"{tmp_path} (Is a directory)", expected="a readable file"):
        rp.load_policy(tmp_path)


def test_a_file_that_is_not_utf8_names_the_path_and_the_decoding_error(tmp_path):
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\xff\xfe")
    try:
        b"\xff\xfe".decode("utf-8")
    except UnicodeDecodeError as error:
        reason = str(error)
    with config_problem("$", value=f"{path} ({reason})", expected="a UTF-8 text file") as caught:
        rp.load_policy(path)
    assert caught.value.source == f"policy document {path}"


@pytest.mark.parametrize("length", [79, 80])
def test_a_path_of_up_to_80_characters_is_shown_whole(length):
    path = "p" * length
    with config_problem("$", value=f"{path} (No such file or directory)") as caught:
        rp.load_policy(path)
    assert caught.value.source == f"policy document {path}"


@pytest.mark.parametrize("length", [81, 200])
def test_a_longer_path_is_cut_to_80_characters(length):
    shown = "p" * 77 + "..."
    with config_problem("$", value=f"{shown} (No such file or directory)") as caught:
        rp.load_policy("p" * length)
    assert caught.value.source == f"policy document {shown}"


def test_a_long_unprintable_path_is_cut_after_being_quoted():
    path = "\n" + "p" * 100
    shown = repr(path)[:77] + "..."
    with config_problem("$", value=f"{shown} (No such file or directory)") as caught:
        rp.load_policy(path)
    assert caught.value.source == f"policy document {shown}"


# --- load_policy / loads_policy ---------------------------------------------------------------


def test_a_partial_document_merges_tables_key_by_key_and_replaces_lists(tmp_path):
    text = (
        "schema_version = 1\n"
        '[notifications.SEV-2]\nupdate_interval = "45m"\n'
        '[maintenance]\nwindows = [{day = "SAT", start = "01:00", end = "05:00"}]\n'
    )
    default = rp.default_policy()
    for policy in (rp.loads_policy(text), rp.load_policy(write(tmp_path, "p.toml", text))):
        assert policy.notifications.sev2.update_interval == dt.timedelta(minutes=45)
        assert policy.notifications.sev2.first_notice == default.notifications.sev2.first_notice
        assert policy.notifications.sev1 == default.notifications.sev1
        assert len(policy.maintenance.windows) == 1
        assert policy.maintenance.windows[0].day == rp.Weekday.SAT
        assert policy.maintenance.notice == default.maintenance.notice


def test_a_document_that_only_has_the_version_is_the_default_policy(tmp_path):
    assert rp.loads_policy("schema_version = 1") == rp.default_policy()
    assert rp.load_policy(write(tmp_path, "p.toml", "schema_version = 1")) == rp.default_policy()


@pytest.mark.parametrize(
    "text", ["schema_version = 1\n[colour]\nhue = 1", 'schema_version = 1\ncolour = "blue"']
)
def test_a_key_the_format_does_not_have_is_an_unknown_key(text):
    # An unknown table is not merged into anything: it is reported like any unknown key.
    with config_problem("$.colour", value="colour", kind="unknown", only=True):
        rp.loads_policy(text)


def test_a_table_given_a_plain_value_is_refused_not_merged():
    with config_problem("$.security", value=5, only=True):
        rp.loads_policy("schema_version = 1\nsecurity = 5")


def test_a_plain_value_given_a_table_is_refused_not_merged():
    with config_problem("$.schema_version", value={"a": 1}, expected=VERSION, only=True):
        rp.loads_policy("[schema_version]\na = 1")


def test_loads_policy_names_the_document_as_told():
    text = 'schema_version = 1\n[security]\nnotify_deadline = "96h"'
    with config_problem("$.security.notify_deadline", value="96h") as caught:
        rp.loads_policy(text, name="svc.toml")
    assert caught.value.source == "svc.toml"
    with pytest.raises(PolicyConfigError) as caught:
        rp.loads_policy(text)
    assert caught.value.source == "policy document"
    with pytest.raises(PolicyConfigError) as caught:
        rp.loads_policy(text, name="")
    assert caught.value.source == "policy document"


def test_loads_policy_names_the_document_for_a_structure_problem():
    with config_problem("$.lifecycle.reopen_window", value=72) as caught:
        rp.loads_policy("schema_version = 1\n[lifecycle]\nreopen_window = 72", name="svc")
    assert caught.value.source == "svc"
    with config_problem("$.schema_version", kind="missing") as caught:
        rp.loads_policy("", name="empty")
    assert caught.value.source == "empty"


def test_load_policy_names_the_file_for_every_kind_of_problem(tmp_path):
    structure = write(tmp_path, "a.toml", "schema_version = 1\n[lifecycle]\nreopen_window = 72")
    with config_problem("$.lifecycle.reopen_window", value=72) as caught:
        rp.load_policy(structure)
    assert caught.value.source == f"policy document {structure}"
    semantic = write(tmp_path, "b.toml", 'schema_version = 1\n[security]\nnotify_deadline = "96h"')
    with config_problem("$.security.notify_deadline", value="96h") as caught:
        rp.load_policy(semantic)
    assert caught.value.source == f"policy document {semantic}"
    version = write(tmp_path, "c.json", '{"schema_version": 3}')
    with config_problem("$.schema_version", value=3, expected=VERSION) as caught:
        rp.load_policy(version)
    assert caught.value.source == f"policy document {version}"


def test_load_policy_reads_the_path_even_when_it_looks_like_text():
    with config_problem("$", value="schema_version = 1 (No such file or directory)") as caught:
        rp.load_policy("schema_version = 1")
    assert caught.value.source == "policy document schema_version = 1"


# --- tenant ids: the loader's own check -------------------------------------------------------


def tenants_doc(*tenant_ids: str) -> str:
    return "schema_version = 1\n" + "".join(
        f'[[tenants]]\nid = "{tenant_id}"\ntime_zone = "UTC"\n' for tenant_id in tenant_ids
    )


def test_an_empty_tenant_id_is_refused():
    with config_problem(
        "$.tenants[1].id", value="", expected="a non-empty tenant id", only=True
    ) as caught:
        rp.loads_policy(tenants_doc("a", ""), name="svc")
    assert caught.value.source == "svc"


def test_a_tenant_listed_twice_is_refused_at_its_second_entry():
    with config_problem(
        "$.tenants[2].id", value="a", expected="a tenant id listed once", only=True
    ) as caught:
        rp.loads_policy(tenants_doc("a", "b", "a"), name="svc")
    assert caught.value.source == "svc"


def test_two_empty_tenant_ids_are_each_empty_and_the_second_is_listed_twice():
    with pytest.raises(PolicyConfigError) as caught:
        rp.loads_policy(tenants_doc("", ""))
    error = caught.value
    assert [(p.path, p.expected) for p in error.problems] == [
        ("$.tenants[0].id", "a non-empty tenant id"),
        ("$.tenants[1].id", "a non-empty tenant id"),
        ("$.tenants[1].id", "a tenant id listed once"),
    ]
    find_problem(error, "$.tenants[0].id", value="", expected="a non-empty tenant id")
    find_problem(error, "$.tenants[1].id", value="", expected="a tenant id listed once")


def test_distinct_tenant_ids_are_no_problem():
    policy = rp.loads_policy(tenants_doc("a", "b", "c"))
    assert ids(policy.tenants) == ["a", "b", "c"]
    assert check_policy(policy) == []


def test_check_policy_lists_the_tenant_id_problems_of_a_built_policy():
    tenants = (Tenant("x", "UTC"), Tenant("", "UTC"), Tenant("x", "UTC"))
    broken = attrs.evolve(rp.default_policy(), tenants=tenants)
    problems = check_policy(broken)
    assert [(p.path, p.expected, p.value) for p in problems] == [
        ("$.tenants[1].id", "a non-empty tenant id", ""),
        ("$.tenants[2].id", "a tenant id listed once", "x"),
    ]


# --- tenant terms documents -------------------------------------------------------------------


def test_loads_tenants_reads_text_json_and_data():
    assert ids(rp.loads_tenants(TENANTS_TEXT)) == ["acme", "globex"]
    data = {"schema_version": 1, "tenants": [{"id": "acme", "time_zone": "UTC"}]}
    assert rp.loads_tenants(data) == (Tenant("acme", "UTC"),)
    assert rp.loads_tenants(json.dumps(data)) == (Tenant("acme", "UTC"),)
    assert rp.loads_tenants("schema_version = 1") == ()


def test_load_tenants_reads_a_path(tmp_path):
    path = write(tmp_path, "t.toml", TENANTS_TEXT)
    assert rp.load_tenants(path) == rp.loads_tenants(TENANTS_TEXT)
    assert rp.load_tenants(str(path)) == rp.loads_tenants(TENANTS_TEXT)


def test_a_tenants_document_is_versioned_and_strict():
    assert TenantsDocument(1).tenants == ()
    with config_problem("$.schema_version", kind="missing", only=True) as caught:
        rp.loads_tenants("[[tenants]]\nid = 'a'\ntime_zone = 'UTC'")
    assert caught.value.source == "tenant terms document"
    with config_problem("$.colour", kind="unknown", only=True) as caught:
        rp.loads_tenants('schema_version = 1\ncolour = "blue"', name="terms.toml")
    assert caught.value.source == "terms.toml"
    with config_problem("$.tenants[0].time_zone", kind="missing", only=True) as caught:
        rp.loads_tenants("schema_version = 1\n[[tenants]]\nid = 'a'", name="")
    assert caught.value.source == "tenant terms document"


def test_loads_tenants_refuses_a_path():
    path = pathlib.Path("tenants.toml")
    with config_problem("$", value=path, expected=NOT_TEXT, only=True) as caught:
        rp.loads_tenants(path)
    assert caught.value.source == "tenant terms document"


def test_load_tenants_names_the_file(tmp_path):
    with config_problem(
        "$", value="missing.toml (No such file or directory)", expected="a readable file"
    ) as caught:
        rp.load_tenants("missing.toml")
    assert caught.value.source == "tenant terms document missing.toml"
    path = write(tmp_path, "t.toml", "schema_version = 1\n[[tenants]]\nid = 'a'")
    with config_problem("$.tenants[0].time_zone", kind="missing") as caught:
        rp.load_tenants(path)
    assert caught.value.source == f"tenant terms document {path}"


# --- the tenants= argument ---------------------------------------------------------------------


def test_loads_policy_takes_tenants_as_text_data_or_tenants_already_loaded():
    loaded = rp.loads_tenants(TENANTS_TEXT)
    data = {"schema_version": 1, "tenants": [{"id": "acme", "time_zone": "UTC"}]}
    for given, expected in [
        (TENANTS_TEXT, ["acme", "globex"]),
        (data, ["acme"]),
        (loaded, ["acme", "globex"]),
        (list(loaded), ["acme", "globex"]),
        ((), []),
        (None, []),
    ]:
        policy = rp.loads_policy("schema_version = 1", tenants=given)
        assert ids(policy.tenants) == expected
        assert policy.tenant("acme") == (loaded[0] if expected else None)


def test_load_policy_takes_tenants_as_a_path_or_tenants_already_loaded(tmp_path):
    policy_path = write(tmp_path, "p.toml", "schema_version = 1")
    tenants_path = write(tmp_path, "t.toml", TENANTS_TEXT)
    for given in (tenants_path, str(tenants_path), rp.load_tenants(tenants_path)):
        policy = rp.load_policy(policy_path, tenants=given)
        assert ids(policy.tenants) == ["acme", "globex"]
        assert policy.for_tenant("globex").time_zone == "Europe/Berlin"
    assert rp.load_policy(policy_path, tenants=None).tenants == ()
    assert rp.load_policy(policy_path, tenants=[]).tenants == ()


def test_given_tenants_follow_the_documents_own(tmp_path):
    policy = rp.loads_policy(tenants_doc("own"), tenants=TENANTS_TEXT)
    assert ids(policy.tenants) == ["own", "acme", "globex"]
    path = write(tmp_path, "p.toml", tenants_doc("own"))
    policy = rp.load_policy(path, tenants=write(tmp_path, "t.toml", TENANTS_TEXT))
    assert ids(policy.tenants) == ["own", "acme", "globex"]


def test_given_tenants_are_checked_with_the_policy(tmp_path):
    with config_problem(
        "$.tenants[1].id", value="acme", expected="a tenant id listed once", only=True
    ) as caught:
        rp.loads_policy(WITH_ACME, tenants=TENANTS_TEXT, name="svc")
    assert caught.value.source == "svc"
    path = write(tmp_path, "p.toml", WITH_ACME)
    with config_problem("$.tenants[1].id", value="acme", only=True) as caught:
        rp.load_policy(path, tenants=rp.loads_tenants(TENANTS_TEXT))
    assert caught.value.source == f"policy document {path}"


def test_a_tenant_term_looser_than_allowed_is_refused_when_given_separately():
    terms = 'schema_version = 1\n[[tenants]]\nid = "a"\ntime_zone = "UTC"\nnotice = "24h"\n'
    with config_problem("$.tenants[0].notice", only=True):
        rp.loads_policy("schema_version = 1", tenants=terms)


@pytest.mark.parametrize("given", [["acme"], (Tenant("a", "UTC"), {"id": "b"})])
def test_a_sequence_of_tenants_must_hold_only_tenants(given):
    index = len(given) - 1
    with config_problem(
        f"$.tenants[{index}]", value=given[index], expected="a Tenant", only=True
    ) as caught:
        rp.loads_policy("schema_version = 1", tenants=given)
    assert caught.value.source == "tenant terms"
    with config_problem(f"$.tenants[{index}]", value=given[index], expected="a Tenant"):
        rp.load_policy(EXAMPLES / "policy-overrides.toml", tenants=given)


def test_loads_policy_reads_tenants_text_as_a_document_with_its_own_name():
    with config_problem("$.schema_version", kind="missing", only=True) as caught:
        rp.loads_policy("schema_version = 1", tenants="[[tenants]]\nid = 'a'")
    assert caught.value.source == "tenant terms document"
    with config_problem("$", value=b"x", expected=NOT_TEXT, only=True) as caught:
        rp.loads_policy("schema_version = 1", tenants=b"x")
    assert caught.value.source == "tenant terms document"


def test_load_policy_reads_tenants_as_a_path_and_names_it(tmp_path):
    policy_path = write(tmp_path, "p.toml", "schema_version = 1")
    with config_problem(
        "$", value="nope.toml (No such file or directory)", expected="a readable file", only=True
    ) as caught:
        rp.load_policy(policy_path, tenants="nope.toml")
    assert caught.value.source == "tenant terms document nope.toml"
    with config_problem(
        "$", value="b'nope.toml'", expected="a path (a str or os.PathLike)", only=True
    ) as caught:
        rp.load_policy(policy_path, tenants=b"nope.toml")
    assert caught.value.source == "tenant terms document b'nope.toml'"
    data = {"schema_version": 1}
    with config_problem("$", expected="a path (a str or os.PathLike)", only=True) as caught:
        rp.load_policy(policy_path, tenants=data)
    assert caught.value.source == "tenant terms document {'schema_version': 1}"


def test_the_policy_document_is_read_before_the_tenants(tmp_path):
    with config_problem("$", value="nope.toml (No such file or directory)") as caught:
        rp.load_policy("nope.toml", tenants="other.toml")
    assert caught.value.source == "policy document nope.toml"
