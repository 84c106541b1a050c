"""``reliability-policy plan-maintenance REQUEST``: the earliest slot, or waves, with notices."""

from __future__ import annotations

import datetime as dt
import pathlib
import re
import sys
from collections.abc import Sequence

import click
from rich.console import Console

from reliability_policy.cli._app import (
    EXIT_FINDING,
    EXIT_OK,
    JSON_SCHEMA_VERSION,
    AsOf,
    Clock,
    console,
    echo_json,
    format_option,
    main,
    new_table,
    now_option,
    policy_options,
    read_document_text,
    reports_errors,
    resolve_policy,
    say,
    tz_option,
)
from reliability_policy.errors import NoFeasibleWindow, PolicyConfigError, PolicyInputError
from reliability_policy.invites import maintenance_invites
from reliability_policy.loading import read_document
from reliability_policy.maintenance import (
    MaintenancePlan,
    MaintenanceRequest,
    RollingPlan,
    WavePlan,
    plan_maintenance,
    plan_waves,
)
from reliability_policy.policy import Policy
from reliability_policy.serialization import structure, unstructure
from reliability_policy.timing import format_instant

_SHOWN: int = 8
_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def read_request(path: str, argument: str = "REQUEST") -> MaintenanceRequest:
    """Read the request document at ``path`` (TOML, or JSON: text that starts with ``{``)
    with ``schema_version = 1``.

    Raises:
        PolicyInputError: the file cannot be read (the message names ``argument``).
        PolicyConfigError: the request has problems, each listed with its path.
    """
    text = read_document_text(path, argument)
    document, source = read_document(text, name=f"maintenance request {path}")
    data = {key: value for key, value in document.items() if key != "schema_version"}
    request = structure(data, MaintenanceRequest, source=source)
    problems = request.problems()
    if problems:
        raise PolicyConfigError(problems, source)
    return request


@main.command("plan-maintenance")
@click.argument("request_path", metavar="REQUEST")
@policy_options
@now_option("the current time (the clock of this machine)")
@tz_option
@click.option("--waves", is_flag=True, help="Split the tenants into waves if one slot cannot fit.")
@click.option(
    "--ics",
    "ics_dir",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Write each affected tenant's calendar invite to DIR/<change>-<tenant>.ics.",
)
@format_option()
@reports_errors
def plan_maintenance_command(
    request_path: str,
    policy_path: str | None,
    tenants_path: str | None,
    now_text: str | None,
    tz: str | None,
    waves: bool,
    ics_dir: str | None,
    output: str,
) -> None:
    """Plan a change: the earliest slot inside every affected tenant's window, and the notices.

    REQUEST is a maintenance request document (TOML or JSON). Every time is printed in each
    tenant's local time beside UTC (or in --tz). Exit 0 with a plan, 1 when no slot fits (with
    the tenants and the constraint that block it), 2 for bad input.

    \b
    reliability-policy plan-maintenance examples/maintenance-request.toml \\
        --tenants examples/maintenance-tenants.toml --now 2026-02-20T00:00:00Z
    reliability-policy plan-maintenance REQUEST.toml --waves --format json
    """
    policy = resolve_policy(policy_path, tenants_path)
    clock = Clock.of(policy, tz)
    request = read_request(request_path)
    as_of = AsOf.resolve(now_text, dt.datetime.now(dt.UTC), "the current time")
    try:
        result: MaintenancePlan | RollingPlan | WavePlan = (
            plan_waves(request, policy, now=as_of.at)
            if waves
            else plan_maintenance(request, policy, now=as_of.at)
        )
    except NoFeasibleWindow as error:
        click.echo(f"no feasible window for change {request.change_id!r}:", err=True)
        for blocker in error.blockers:
            who = _names(blocker.tenants)
            click.echo(f"  [{blocker.rule}] {who}: {blocker.reason}", err=True)
        if not waves:
            click.echo("  (try --waves to split the tenants into groups)", err=True)
        sys.exit(EXIT_FINDING)
    if ics_dir is not None and not isinstance(result, RollingPlan):
        _write_invites(result, policy, pathlib.Path(ics_dir))
    if output == "json":
        echo_json(
            {
                "schema_version": JSON_SCHEMA_VERSION,
                "as_of": format_instant(as_of.at),
                "window_needed": not isinstance(result, RollingPlan),
                **unstructure(result),
            }
        )
        sys.exit(EXIT_OK)
    out = console()
    say(out, f"As of {as_of.why}, {clock.line(as_of.at)}.")
    plans = result.waves if isinstance(result, WavePlan) else (result,)
    if isinstance(result, WavePlan):
        say(out, f"change {result.change_id}: {len(plans)} wave(s) [{result.rule}]")
        say(out, f"  why: {result.reason}")
    for number, plan in enumerate(plans, start=1):
        title = f"wave {number} of {len(plans)}" if isinstance(result, WavePlan) else "plan"
        _print_plan(out, plan, clock, title)
    sys.exit(EXIT_OK)


def _write_invites(
    plan: MaintenancePlan | WavePlan, policy: Policy, directory: pathlib.Path
) -> None:
    """One ``<change>-<tenant>.ics`` per affected tenant (unsafe characters become ``_``)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for tenant, text in maintenance_invites(plan, policy).items():
            name = _SAFE.sub("_", f"{plan.change_id}-{tenant}") + ".ics"
            (directory / name).write_bytes(text.encode("utf-8"))
    except OSError as error:
        raise PolicyInputError(
            "--ics", str(directory), "a directory that can be written", str(error)
        ) from None


def _names(tenants: Sequence[str]) -> str:
    shown = ", ".join(tenants[:_SHOWN])
    return shown + (f" and {len(tenants) - _SHOWN} more" if len(tenants) > _SHOWN else "")


def _by_zone(tenants: Sequence[str], clock: Clock) -> list[tuple[str, list[str]]]:
    """The tenants grouped by the zone their times are shown in, zones sorted."""
    groups: dict[str, list[str]] = {}
    for tenant in tenants:
        groups.setdefault(clock.zone(tenant), []).append(tenant)
    return sorted(groups.items())


def _print_plan(
    out: Console, plan: MaintenancePlan | RollingPlan, clock: Clock, title: str
) -> None:
    say(out, f"{title} for change {plan.change_id}: [{plan.rule}]")
    say(out, f"  why: {plan.reason}")
    if isinstance(plan, RollingPlan):
        say(out, f"  tenants: {_names(plan.tenants) or 'none'}")
        return
    times = new_table(
        "tenants (zone)",
        "start",
        "end",
        title="the slot in each tenant's zone, beside UTC (Z)",
        box=None,
    )
    for zone, tenants in _by_zone(plan.tenants, clock):
        first = tenants[0]
        times.add_row(
            f"{_names(tenants)}\n({zone})",
            clock.cell(plan.start, first),
            clock.cell(plan.end, first),
        )
    out.print(times)
    notices = new_table(
        "kind",
        "channel",
        "due",
        "to",
        "rule",
        title="notices (each tenant gets its own copy)",
        box=None,
    )
    for notice in plan.notices:
        channel = notice.channel.value + ("" if notice.required else "\n(best effort)")
        for _, tenants in _by_zone(notice.tenants, clock):
            notices.add_row(
                notice.kind.value,
                channel,
                clock.cell(notice.due, tenants[0]),
                _names(tenants),
                notice.rule,
            )
    out.print(notices)
    for hold in plan.holds:
        say(out, f"  hold [{hold.rule}]: {hold.reason}")
