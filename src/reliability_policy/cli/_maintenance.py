"""``reliability-policy plan-maintenance REQUEST``: the earliest slot, or waves, with notices."""

from __future__ import annotations

import datetime as dt
import json
import sys
import zoneinfo
from collections.abc import Sequence

import click
from rich.console import Console
from rich.table import Table

from reliability_policy._time import format_instant, parse_instant
from reliability_policy.cli._app import (
    EXIT_FINDING,
    EXIT_OK,
    console,
    main,
    policy_options,
    reports_errors,
    resolve_policy,
)
from reliability_policy.errors import NoFeasibleWindow, PolicyConfigError
from reliability_policy.loading import load_document
from reliability_policy.maintenance import (
    MaintenancePlan,
    MaintenanceRequest,
    WavePlan,
    plan_maintenance,
    plan_waves,
)
from reliability_policy.policy import SCHEMA_VERSION, Policy
from reliability_policy.serialization import structure, unstructure

_SHOWN: int = 8


def read_request(path: str) -> MaintenanceRequest:
    """Read the request document at ``path`` (TOML, or JSON: text that starts with ``{``)
    with ``schema_version = 1``.

    Raises:
        PolicyConfigError: the file cannot be read or the request has problems, each listed
            with its path.
    """
    document, source = load_document(path, name="maintenance request")
    data = {key: value for key, value in document.items() if key != "schema_version"}
    request = structure(data, MaintenanceRequest, source=source)
    problems = request.problems()
    if problems:
        raise PolicyConfigError(problems, source)
    return request


@main.command("plan-maintenance")
@click.argument("request_path", metavar="REQUEST", type=click.Path(dir_okay=False))
@policy_options
@click.option(
    "--now",
    "now_text",
    metavar="INSTANT",
    help="Plan as of this ISO 8601 instant (default: the current time).",
)
@click.option("--waves", is_flag=True, help="Split the tenants into waves if one slot cannot fit.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@reports_errors
def plan_maintenance_command(
    request_path: str,
    policy_path: str | None,
    tenants_path: str | None,
    now_text: str | None,
    waves: bool,
    output: str,
) -> None:
    """Plan a change: the earliest slot inside every affected tenant's window, and the notices.

    Every time is printed in UTC and in each tenant's local time. Exit 0 with a plan, 1 when
    no slot fits (with the tenants and the constraint that block it), 2 for bad input.

    \b
    reliability-policy plan-maintenance examples/maintenance-request.toml \\
        --tenants examples/maintenance-tenants.toml --now 2026-02-20T00:00:00Z
    reliability-policy plan-maintenance REQUEST.toml --waves --format json
    """
    policy = resolve_policy(policy_path, tenants_path)
    request = read_request(request_path)
    now = parse_instant(now_text, "--now") if now_text else dt.datetime.now(dt.UTC)
    try:
        result: MaintenancePlan | WavePlan = (
            plan_waves(request, policy, now=now)
            if waves
            else plan_maintenance(request, policy, now=now)
        )
    except NoFeasibleWindow as error:
        click.echo(f"no feasible window for change {request.change_id!r}:", err=True)
        for blocker in error.blockers:
            who = _names(blocker.tenants)
            click.echo(f"  [{blocker.rule}] {who}: {blocker.reason}", err=True)
        if not waves:
            click.echo("  (try --waves to split the tenants into groups)", err=True)
        sys.exit(EXIT_FINDING)
    if output == "json":
        document = {"schema_version": SCHEMA_VERSION, **unstructure(result)}
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        sys.exit(EXIT_OK)
    out = console()
    plans = result.waves if isinstance(result, WavePlan) else (result,)
    if isinstance(result, WavePlan):
        _say(out, f"change {result.change_id}: {len(plans)} wave(s) [{result.rule}]")
        _say(out, f"  why: {result.reason}")
    for number, plan in enumerate(plans, start=1):
        title = f"wave {number} of {len(plans)}" if isinstance(result, WavePlan) else "plan"
        _print_plan(out, plan, policy, title)
    sys.exit(EXIT_OK)


def _names(tenants: Sequence[str]) -> str:
    shown = ", ".join(tenants[:_SHOWN])
    return shown + (f" and {len(tenants) - _SHOWN} more" if len(tenants) > _SHOWN else "")


def _local(instant: dt.datetime | None, zone: str) -> str:
    if instant is None:
        return "-"
    local = instant.astimezone(zoneinfo.ZoneInfo(zone))
    return local.strftime("%Y-%m-%d %H:%M %Z")  # %Z is "+0545" where a zone has no name


def _print_plan(out: Console, plan: MaintenancePlan, policy: Policy, title: str) -> None:
    _say(out, f"{title} for change {plan.change_id}: [{plan.rule}]")
    _say(out, f"  why: {plan.reason}")
    if not plan.window_needed:
        _say(out, f"  tenants: {_names(plan.tenants) or 'none'}")
        return
    times = Table(title="times in UTC and in each tenant's local time", box=None)
    times.add_column("zone: tenants", overflow="fold")
    for column in ("start", "end", "notice by", "reminder at"):
        times.add_column(column, no_wrap=True)
    moments = (plan.start, plan.end, plan.notice_deadline, plan.reminder_at)
    times.add_row("UTC: all", *(_local(m, "UTC") for m in moments))
    by_zone: dict[str, list[str]] = {}
    for tenant_id in plan.tenants:
        tenant = policy.tenant(tenant_id)
        if tenant is not None:
            by_zone.setdefault(tenant.time_zone, []).append(tenant_id)
    for zone, tenants in sorted(by_zone.items()):
        times.add_row(f"{zone}: {_names(tenants)}", *(_local(m, zone) for m in moments))
    out.print(times)
    notices = Table(title="notices (each tenant gets its own copy)", box=None)
    for column in ("kind", "channel", "due (UTC)", "to", "rule"):
        notices.add_column(column)
    for notice in plan.notices:
        channel = notice.channel.value + ("" if notice.required else " (best effort)")
        notices.add_row(
            notice.kind.value,
            channel,
            format_instant(notice.due),
            _names(notice.tenants),
            notice.rule,
        )
    out.print(notices)
    for hold in plan.holds:
        _say(out, f"  hold [{hold.rule}]: {hold.reason}")


def _say(out: Console, text: str) -> None:
    out.print(text, markup=False, highlight=False)
