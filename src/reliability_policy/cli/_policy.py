"""``reliability-policy policy show`` and ``policy check``."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

import click
import tomli_w

from reliability_policy.cli._app import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    JSON_SCHEMA_VERSION,
    console,
    echo_json,
    format_option,
    main,
    new_table,
    policy_options,
    problem_message,
    read_document_text,
    reports_errors,
    resolve_policy,
)
from reliability_policy.errors import PolicyConfigError, Problem
from reliability_policy.loading import loads_policy, loads_tenants
from reliability_policy.policy import Policy, WeeklyWindow, Window
from reliability_policy.serialization import unstructure


@main.group()
def policy() -> None:
    """Show or check policy documents."""


@policy.command("show")
@policy_options
@format_option("toml")
@reports_errors
def show(policy_path: str | None, tenants_path: str | None, output: str) -> None:
    """Print the effective policy (the built-in default unless --policy is given).

    The JSON and TOML outputs are policy documents (with their own schema_version) that
    --policy reads back.
    """
    effective = resolve_policy(policy_path, tenants_path)
    data = unstructure(effective, Policy)
    if output == "json":
        echo_json(data)
    elif output == "toml":
        click.echo(tomli_w.dumps(_without_nulls(data)), nl=False)
    else:
        _print_tables(effective)


@policy.command("check")
@click.argument("path", metavar="FILE")
@click.option(
    "--tenants",
    "tenants_path",
    metavar="FILE",
    help="A tenant terms document (TOML or JSON) to check with the policy.",
)
@format_option()
@reports_errors
def check(path: str, tenants_path: str | None, output: str) -> None:
    """Validate a policy document: exit 0 if valid, 2 with every problem listed.

    \b
    reliability-policy policy check examples/policy-overrides.toml \\
        --tenants examples/tenants.toml
    """
    try:
        checked = resolve_policy_file(path, tenants_path)
    except PolicyConfigError as error:
        if output != "json":
            raise
        echo_json(_check_document(path, None, error.source, error.problems))
        sys.exit(EXIT_BAD_INPUT)
    if output == "json":
        echo_json(_check_document(path, checked, None, ()))
    else:
        click.echo(
            f"{path}: valid (schema {checked.schema_version}, {len(checked.tenants)} tenants)"
        )
    sys.exit(EXIT_OK)


def resolve_policy_file(path: str, tenants_path: str | None) -> Policy:
    """The policy document named FILE, with the tenants of ``--tenants``."""
    text = read_document_text(path, "FILE")
    tenants = None
    if tenants_path is not None:
        terms = read_document_text(tenants_path, "--tenants")
        tenants = loads_tenants(terms, name=f"tenant terms document {tenants_path}")
    return loads_policy(text, tenants=tenants, name=f"policy document {path}")


def _check_document(
    path: str, checked: Policy | None, source: str | None, problems: Sequence[Problem]
) -> dict[str, Any]:
    return {
        "schema_version": JSON_SCHEMA_VERSION,
        "path": path,
        "valid": checked is not None,
        "policy_schema_version": None if checked is None else checked.schema_version,
        "tenants": None if checked is None else len(checked.tenants),
        "source": source,
        "problems": [
            {
                "path": p.path,
                "kind": p.kind,
                "expected": p.expected,
                "message": problem_message(p),
            }
            for p in problems
        ],
    }


def _without_nulls(data: Any) -> Any:
    """TOML has no null: drop unset values."""
    if isinstance(data, dict):
        return {k: _without_nulls(v) for k, v in data.items() if v is not None}
    if isinstance(data, (list, tuple)):
        return [_without_nulls(v) for v in data]
    return data


def _print_tables(effective: Policy) -> None:
    out = console()
    rules = new_table("rule", "result", "when (any of)", title="Severity rules (first match wins)")
    for rule in effective.severity.rules:
        when = " | ".join(_condition_text(c) for c in rule.when) or "always"
        rules.add_row(rule.name, rule.severity.value if rule.severity else "not an incident", when)
    out.print(rules)

    cadence = new_table(
        "severity",
        "first notice",
        "updates every",
        "resolution notice",
        "summary",
        title="Notification cadence",
    )
    for severity in ("SEV-1", "SEV-2", "SEV-3"):
        row = unstructure(getattr(effective.notifications, "sev" + severity[-1]))
        cadence.add_row(
            severity,
            *(row[k] or "-" for k in ("first_notice", "update_interval", "resolution_notice")),
            row["summary"] or "-",
        )
    out.print(cadence)

    settings = new_table("setting", "value", title="Other settings")
    maintenance = unstructure(effective.maintenance)
    for key in ("notice", "reminder", "min_weekly", "min_block", "blocking_severities"):
        settings.add_row(f"maintenance.{key}", str(maintenance[key]))
    settings.add_row("maintenance.windows", json.dumps(maintenance["windows"]))
    settings.add_row("maintenance.freezes", str(len(effective.maintenance.freezes)))
    settings.add_row("security.notify_deadline", unstructure(effective.security.notify_deadline))
    settings.add_row("lifecycle.reopen_window", unstructure(effective.lifecycle.reopen_window))
    settings.add_row("calendar.time_zone", effective.calendar.time_zone)
    out.print(settings)

    if effective.tenants:
        tenants = new_table("tenant", "zone", "terms", title="Tenant terms (effective)")
        for tenant in effective.tenants:
            terms = effective.for_tenant(tenant.id)
            lines = [f"window: {_window_text(w)}" for w in terms.windows]
            lines.append(
                f"notice: {unstructure(terms.notice)}, "
                f"DPA deadline: {unstructure(terms.dpa_deadline)}"
            )
            lines.extend(f"security contact: {c}" for c in terms.security_contacts)
            lines.append(f"notification list: {'yes' if terms.on_notification_list else 'no'}")
            tenants.add_row(terms.tenant_id, terms.time_zone or "-", "\n".join(lines))
        out.print(tenants)


def _window_text(window: Window) -> str:
    if isinstance(window, WeeklyWindow):
        return f"{window.day.value} {window.start:%H:%M}-{window.end:%H:%M}"
    return f"{window.rrule} for {unstructure(window.duration)}"


def _condition_text(condition: Any) -> str:
    parts = []
    for key, value in unstructure(condition).items():
        if value is not None:
            parts.append(f"{key}={value}")
    return ", ".join(parts) or "always"
