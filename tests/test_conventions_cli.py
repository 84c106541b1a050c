"""What every command shares (issue 12, points 5 to 7): local times beside UTC, one ``--now``,
help on every option, the same error prefix, nothing cut off at 80 columns, versioned JSON."""

from __future__ import annotations

import json
import pathlib
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner, Result
from rich.cells import cell_len

from reliability_policy.cli import main
from reliability_policy.cli._app import NOW_HELP, NOW_METAVAR

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
SEV1 = str(EXAMPLES / "sev1-platform-outage.jsonl")
SECURITY = str(EXAMPLES / "security-incident.jsonl")
TENANTS = str(EXAMPLES / "tenants.toml")
EVIDENCE = str(EXAMPLES / "continuity-evidence.jsonl")
HEALTH = str(EXAMPLES / "subprocessor-health.jsonl")
REQUEST = str(EXAMPLES / "maintenance-request.toml")
MAINTENANCE_TENANTS = str(EXAMPLES / "maintenance-tenants.toml")

# One working command line per command, on the bundled examples (the command's words first).
EXAMPLE_RUNS: dict[str, tuple[str, ...]] = {
    "audit": ("audit", SEV1, "--tenants", TENANTS, "--exit-zero"),
    "classify": ("classify", "--impact", "OUTAGE", "--core", "--affected", "4", "--total", "5"),
    "continuity report": (
        "continuity",
        "report",
        EVIDENCE,
        "--now",
        "2026-06-01T00:00:00Z",
        "--exit-zero",
    ),
    "continuity summary": ("continuity", "summary", EVIDENCE, "--now", "2026-06-01T00:00:00Z"),
    "dependencies": ("dependencies", HEALTH, "--now", "2026-06-01T10:00:00Z"),
    "next-due": ("next-due", SEV1, "--tenants", TENANTS, "--now", "2026-03-08T07:50:00Z"),
    "plan-maintenance": (
        "plan-maintenance",
        REQUEST,
        "--tenants",
        MAINTENANCE_TENANTS,
        "--now",
        "2026-02-20T00:00:00Z",
    ),
    "policy check": ("policy", "check", str(EXAMPLES / "policy-overrides.toml")),
    "policy show": ("policy", "show", "--tenants", TENANTS),
    "route-security": ("route-security", SECURITY, "--tenants", TENANTS),
    "status-feed": ("status-feed", SEV1, SECURITY, "--now", "2026-03-08T07:50:00Z"),
    "timeline": ("timeline", SEV1, "--tenants", TENANTS),
}


def commands(group: click.Group = main, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    """Every command of the CLI, with its name as typed (``policy check``)."""
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield from commands(command, f"{full} ")
        else:
            yield full, command


ALL = dict(commands())


def run(*args: str) -> Result:
    return CliRunner(env={"COLUMNS": "80"}).invoke(main, list(args), catch_exceptions=False)


def test_every_command_has_an_example_run() -> None:
    assert sorted(EXAMPLE_RUNS) == sorted(ALL)


# --- 5. times a person reads are local where the policy is local ------------------------------


def _row(output: str, first: str) -> list[list[str]]:
    """The cells of the table row whose first cell is ``first``: each cell's lines."""
    lines = output.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(f"│ {first} "))
    cells: list[list[str]] = []
    for line in lines[start:]:
        parts = [part.strip() for part in line.split("│")[1:-1]]
        if not parts or (line is not lines[start] and parts[0]):
            break
        cells = cells or [[] for _ in parts]
        for cell, part in zip(cells, parts, strict=True):
            if part:
                cell.append(part)
    return cells


def test_a_local_time_beside_utc_across_the_spring_forward_change() -> None:
    # The first notice went out at 01:45 EST; the clocks jumped; the update is due 30 minutes
    # later, at 03:15 EDT on New York's wall clock.
    result = run("next-due", SEV1, "--now", "2026-03-08T06:45:00Z", "--tz", "America/New_York")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("As of --now, 03-08 01:45 EST (06:45Z)")
    assert _row(result.output, "acme")[2] == ["03-08 03:15 EDT", "07:15Z"]
    # The timeline of the same night, in the same zone: EST before 07:00Z, EDT after.
    timeline = run("timeline", SEV1, "--tz", "America/New_York").output
    assert _row(timeline, "TRIAGED")[1:3] == [
        ["03-08 01:18 EST", "06:18Z"],
        ["03-08 03:30 EDT", "07:30Z"],
    ]


def test_each_tenant_in_its_own_zone_and_json_stays_utc() -> None:
    result = run("audit", SEV1, "--tenants", TENANTS, "--exit-zero")
    assert result.exit_code == 0, result.output
    expected = {
        "acme": "03-08 03:44 EDT",  # New York
        "globex": "03-08 08:44 CET",  # Berlin
        "initech": "03-08 13:29 +0545",  # Kathmandu: no abbreviation
        "umbrella": "03-08 18:44 +11",  # Lord Howe, on its half-hour summer offset
    }
    for tenant, local in expected.items():
        lines = result.output.splitlines()
        rows = [n for n, line in enumerate(lines) if line.startswith(f"│ {tenant} ")]
        updates = [n for n in rows if "│ update" in lines[n]]
        assert len(updates) == 1, tenant
        row = _row("\n".join(lines[updates[0] :]), tenant)
        assert row[2] == [local, "07:44Z"], tenant  # due
        assert row[3][-1] == "07:58Z", tenant  # sent, beside UTC
        assert row[4] == ["14m"], tenant
    document = json.loads(run("audit", SEV1, "--tenants", TENANTS, "--format", "json").output)
    dues = {
        o["due"] for t in document["tenants"] for o in t["obligations"] if o["status"] == "late"
    }
    assert dues == {"2026-03-08T07:44:00Z"}


def test_maintenance_plans_show_each_tenants_local_start() -> None:
    output = run(*EXAMPLE_RUNS["plan-maintenance"]).output
    assert _plain_row(output, "acme")[:3] == ["acme", "03-15 02:00 EDT", "03-15 04:00 EDT"]
    assert _plain_row(output, "hooli")[:3] == ["hooli", "03-15 03:30 NDT", "03-15 05:30 NDT"]
    assert _plain_row(output, "globex")[:3] == ["globex", "03-15 07:00 CET", "03-15 09:00 CET"]


def _plain_row(output: str, first: str) -> list[str]:
    """A borderless table's row (two spaces between cells) that starts with ``first``."""
    line = next(line for line in output.splitlines() if line.strip().startswith(f"{first} "))
    return [cell.strip() for cell in line.strip().split("  ") if cell.strip()]


# --- 6. the audit's "as of" ---------------------------------------------------------------------


def test_the_audit_judges_at_the_logs_last_event_and_says_so() -> None:
    result = run("audit", SEV1, "--exit-zero")
    first = result.output.splitlines()[0]
    assert first.startswith("As of the log's last event, 03-25 12:00 UTC")
    document = json.loads(run("audit", SEV1, "--format", "json").output)
    assert document["as_of"] == "2026-03-25T12:00:00Z"  # after CLOSED (03-12 16:05)
    given = run("audit", SEV1, "--now", "2026-03-08T09:30:00Z", "--exit-zero")
    assert given.output.startswith("As of --now, 03-08 09:30 UTC.")


# --- 7. one --now, help everywhere, one error prefix, nothing cut off, versioned JSON ---------


@pytest.mark.parametrize("name", sorted(ALL))
def test_now_has_one_metavar_and_one_help_stem(name: str) -> None:
    command = ALL[name]
    options = {o.name: o for o in command.params if isinstance(o, click.Option)}
    now = options.get("now_text")
    takes_a_time = name not in {"classify", "policy check", "policy show"}
    assert (now is not None) == takes_a_time
    if now is None:
        return
    assert now.opts == ["--now"]
    assert now.metavar == NOW_METAVAR
    assert now.help is not None
    assert now.help.startswith(NOW_HELP + "; default: ")
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    if [a.metavar for a in arguments] == ["LOG"]:  # an incident log: its last event
        assert "default: the log's last event" in now.help
    else:
        assert "default: the current time" in now.help


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_option_has_help_and_format_is_table_or_json(name: str) -> None:
    command = ALL[name]
    for option in command.params:
        if isinstance(option, click.Option):
            assert option.help, f"{name} {option.opts}"
    formats = [o for o in command.params if isinstance(o, click.Option) and o.name == "output"]
    assert len(formats) == 1, name
    choices = list(getattr(formats[0].type, "choices", ()))
    assert "json" in choices
    assert "text" not in choices
    if name != "continuity summary":  # a Markdown document, not a table
        assert choices[:2] == ["table", "json"]
        assert formats[0].default == "table"


def _file_parameters(name: str) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each file the command reads: how the user names it, and a command line missing it."""
    command, base = ALL[name], EXAMPLE_RUNS[name]
    words = len(name.split())
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    for argument in arguments:
        assert argument.metavar is not None
        yield argument.metavar, (*base[:words], "missing.file", *base[words + 1 :])
    for option in command.params:
        if isinstance(option, click.Option) and option.metavar == "FILE":
            # --json replaces the assessment flags; the other files come with the command line
            given = base[:words] if option.opts[0] == "--json" else base
            yield option.opts[0], (*given, option.opts[0], "missing.file")


FILE_CASES = [
    pytest.param(name, shown, args, id=f"{name}:{shown}")
    for name in sorted(ALL)
    for shown, args in _file_parameters(name)
]


@pytest.mark.parametrize(("name", "shown", "args"), FILE_CASES)
def test_a_missing_file_is_named_as_typed(name: str, shown: str, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 2, (name, result.output)
    assert result.stderr.splitlines()[0] == (
        f"error: {shown}: expected a readable file, got 'missing.file' (No such file or directory)"
    )


def test_every_file_argument_and_option_is_covered() -> None:
    shown = {(name, label) for name, label, _ in (case.values for case in FILE_CASES)}
    assert ("audit", "LOG") in shown
    assert ("route-security", "LOG") in shown
    assert ("plan-maintenance", "REQUEST") in shown
    assert ("policy check", "FILE") in shown
    assert ("classify", "--json") in shown
    assert ("timeline", "--policy") in shown
    assert ("policy check", "--tenants") in shown


NAIVE = [
    ("audit", SEV1, "--now", "2026-03-08T09:00:00"),
    ("next-due", SEV1, "--now", "2026-03-08T09:00:00"),
    ("timeline", SEV1, "--now", "2026-03-08T09:00:00"),
    ("route-security", SECURITY, "--now", "2026-03-08T09:00:00"),
    ("plan-maintenance", REQUEST, "--now", "2026-03-08T09:00:00"),
    ("continuity", "report", EVIDENCE, "--now", "2026-03-08T09:00:00"),
    ("continuity", "summary", EVIDENCE, "--now", "2026-03-08T09:00:00"),
    ("dependencies", HEALTH, "--now", "2026-03-08T09:00:00"),
    ("status-feed", SEV1, "--now", "2026-03-08T09:00:00"),
]


@pytest.mark.parametrize(
    "args", NAIVE, ids=lambda a: " ".join(a[: 2 if a[0] == "continuity" else 1])
)
def test_a_naive_now_asks_for_an_offset_not_for_python(args: tuple[str, ...]) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --now: expected an instant with an offset or Z, e.g. 2026-03-08T09:00:00Z, "
        "got '2026-03-08T09:00:00' (a time without an offset is never guessed)\n"
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("incident.jsonl", '{"type": "detected", "id": "e1", "at": "2026-03-08T06:10:00"}\n'),
        ("facts.json", '{"incident_id": "x", "kind": "security", "aware_at": "2026-03-01T00:00"}'),
        (
            "request.toml",
            'schema_version = 1\nchange_id = "x"\ndowntime = true\ntenants = "all"\n'
            "earliest_start = 2026-03-01T00:00:00\nlatest_start = 2026-04-01T00:00:00Z\n",
        ),
    ],
)
def test_no_python_hint_for_a_naive_time_in_a_file(
    tmp_path: pathlib.Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    command = "plan-maintenance" if name.endswith(".toml") else "route-security"
    result = run(command, str(path))
    assert result.exit_code == 2
    assert "dt.replace" not in result.stderr
    assert "tzinfo" not in result.stderr
    assert "timezone-aware datetime" not in result.stderr
    assert "an instant with an offset or Z" in result.stderr
    if name.endswith(".jsonl"):
        assert result.stderr.startswith("error: LOG: line 1: at: ")


@pytest.mark.parametrize("name", sorted(ALL))
def test_nothing_is_cut_off_at_80_columns(name: str) -> None:
    result = run(*EXAMPLE_RUNS[name])
    assert result.exit_code in (0, 1), result.output
    assert "…" not in result.output
    assert "..." not in result.output
    if name == "continuity summary":
        return  # a Markdown document, not a table: its paragraphs are not wrapped
    for line in result.output.splitlines():
        assert cell_len(line) <= 80, line


def test_the_route_security_missing_items_are_whole_words_at_80_columns() -> None:
    output = run(*EXAMPLE_RUNS["route-security"]).output
    assert "data_subject_categories" in output  # once cut to "data_subject_categori…"


@pytest.mark.parametrize("name", sorted(ALL))
def test_every_command_prints_a_versioned_json_object(name: str) -> None:
    result = run(*EXAMPLE_RUNS[name], "--format", "json")
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.output)
    assert isinstance(document, dict)
    assert document["schema_version"] == 1


def test_next_due_json_wraps_nothing_owed() -> None:
    document = json.loads(run("next-due", SEV1, "--format", "json").output)
    assert document == {
        "schema_version": 1,
        "as_of": "2026-03-25T12:00:00Z",
        "obligation": None,
    }


def test_classify_names_its_flags_not_the_python_fields() -> None:
    result = run("classify", "--impact", "OUTAGE", "--core", "--affected", "5", "--total", "4")
    assert result.exit_code == 2
    assert result.stderr == "error: --affected: expected at most --total (4), got 5\n"
    missing = run("classify", "--impact", "OUTAGE", "--core")
    assert missing.exit_code == 2
    assert "--affected is required" in missing.stderr
    assert "all_tenants=True" not in missing.stderr
