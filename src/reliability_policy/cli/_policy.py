"""``reliability-policy policy show`` and ``policy check``."""

from __future__ import annotations

import json
import pathlib
import sys
from typing import Any

import click
import tomli_w
from rich.table import Table

from reliability_policy.cli._app import (
    EXIT_OK,
    console,
    main,
    policy_options,
    reports_errors,
    resolve_policy,
)
from reliability_policy.loading import load_policy
from reliability_policy.policy import Policy, WeeklyWindow, Window
from reliability_policy.serialization import unstructure


@main.group()
def policy() -> None:
    """Show or check policy documents."""


@policy.command("show")
@policy_options
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json", "toml"]),
    default="table",
    show_default=True,
)
@reports_errors
def show(policy_path: str | None, tenants_path: str | None, output: str) -> None:
    """Print the effective policy (the built-in default unless --policy is given)."""
    effective = resolve_policy(policy_path, tenants_path)
    data = unstructure(effective, Policy)
    if output == "json":
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif output == "toml":
        click.echo(tomli_w.dumps(_without_nulls(data)), nl=False)
    else:
        _print_tables(effective)


@policy.command("check")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--tenants", "tenants_path", type=click.Path(dir_okay=False))
@reports_errors
def check(path: str, tenants_path: str | None) -> None:
    """Validate a policy document: exit 0 if valid, 2 with every problem listed."""
    tenants = pathlib.Path(tenants_path) if tenants_path else None
    checked = load_policy(pathlib.Path(path), tenants=tenants)
    click.echo(f"{path}: valid (schema {checked.schema_version}, {len(checked.tenants)} tenants)")
    sys.exit(EXIT_OK)


def _without_nulls(data: Any) -> Any:
    """TOML has no null: drop unset values."""
    if isinstance(data, dict):
        return {k: _without_nulls(v) for k, v in data.items() if v is not None}
    if isinstance(data, (list, tuple)):
        return [_without_nulls(v) for v in data]
    return data


def _print_tables(effective: Policy) -> None:
    out = console()
    rules = Table(title="Severity rules (first match wins)")
    for column in ("rule", "result", "when (any of)"):
        rules.add_column(column)
    for rule in effective.severity.rules:
        when = " | ".join(_condition_text(c) for c in rule.when) or "always"
        rules.add_row(rule.name, rule.severity.value if rule.severity else "not an incident", when)
    out.print(rules)

    cadence = Table(title="Notification cadence")
    for column in ("severity", "first notice", "updates every", "resolution notice", "summary"):
        cadence.add_column(column)
    for severity in ("SEV-1", "SEV-2", "SEV-3"):
        row = unstructure(getattr(effective.notifications, "sev" + severity[-1]))
        cadence.add_row(
            severity,
            *(row[k] or "-" for k in ("first_notice", "update_interval", "resolution_notice")),
            row["summary"] or "-",
        )
    out.print(cadence)

    settings = Table(title="Other settings")
    settings.add_column("setting")
    settings.add_column("value")
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
        tenants = Table(title="Tenant terms (effective)")
        for column in ("tenant", "zone", "windows", "notice", "DPA deadline", "contacts", "list"):
            tenants.add_column(column)
        for tenant in effective.tenants:
            terms = effective.for_tenant(tenant.id)
            tenants.add_row(
                terms.tenant_id,
                terms.time_zone or "-",
                "; ".join(_window_text(w) for w in terms.windows),
                str(unstructure(terms.notice)),
                str(unstructure(terms.dpa_deadline)),
                ", ".join(terms.security_contacts) or "-",
                "yes" if terms.on_notification_list else "no",
            )
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
