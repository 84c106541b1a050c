"""``reliability-policy classify``: the severity of an impact assessment, with the rule and why."""

from __future__ import annotations

import pathlib
import sys

import click

from reliability_policy.cli._app import (
    EXIT_OK,
    main,
    policy_options,
    reports_errors,
    resolve_policy,
)
from reliability_policy.errors import PolicyConfigError, Problem
from reliability_policy.serialization import dumps, loads
from reliability_policy.severity import ImpactAssessment, classify, is_material

_IMPACTS = "NONE, MINOR, DEGRADED or OUTAGE"


@main.command("classify")
@policy_options
@click.option("--impact", metavar="LEVEL", help=f"What customers experience: {_IMPACTS}.")
@click.option(
    "--core/--peripheral",
    "core",
    default=None,
    help="Core functionality (sign-in, customer data, primary workflows) or a peripheral feature.",
)
@click.option("--affected", type=int, metavar="N", help="How many tenants are affected.")
@click.option("--total", type=int, metavar="N", help="How many tenants there are.")
@click.option("--all-tenants", is_flag=True, help="Every tenant is affected.")
@click.option(
    "--not-visible",
    is_flag=True,
    help="Customers do not see it (a component restart, rolling deploy or failover).",
)
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Read the assessment from a JSON document instead of the flags ('-' for stdin).",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@reports_errors
def classify_command(
    policy_path: str | None,
    tenants_path: str | None,
    impact: str | None,
    core: bool | None,
    affected: int | None,
    total: int | None,
    all_tenants: bool,
    not_visible: bool,
    json_path: str | None,
    output: str,
) -> None:
    """Classify an impact assessment: print the severity, the rule that fired and the reason.

    \b
    reliability-policy classify --impact OUTAGE --core --affected 610 --total 1000
    reliability-policy classify --impact NONE --peripheral --all-tenants --not-visible
    reliability-policy classify --json assessment.json --format json
    """
    policy = resolve_policy(policy_path, tenants_path)
    if json_path is not None:
        flags = {
            "--impact": impact is not None,
            "--core/--peripheral": core is not None,
            "--affected": affected is not None,
            "--total": total is not None,
            "--all-tenants": all_tenants,
            "--not-visible": not_visible,
        }
        given = [name for name, set_ in flags.items() if set_]
        if given:
            raise click.UsageError(
                f"give either --json or the assessment flags, not both ({given[0]})"
            )
        assessment = _read_assessment(json_path)
    else:
        if impact is None:
            raise click.UsageError(f"--impact is required ({_IMPACTS}), or give --json FILE")
        if core is None:
            raise click.UsageError("--core or --peripheral is required, or give --json FILE")
        assessment = ImpactAssessment(
            impact,
            core=core,
            customer_visible=not not_visible,
            affected_tenants=affected,
            total_tenants=total,
            all_tenants=all_tenants,
        )
    result = classify(assessment, policy)
    if output == "json":
        click.echo(dumps(result))
    else:
        severity = result.severity
        if severity is None:
            verdict = "not an incident"
        else:
            material = "material" if is_material(severity, policy) else "not material"
            verdict = f"{severity.value} ({material})"
        click.echo(f"severity: {verdict}")
        click.echo(f"rule:     {result.rule}")
        click.echo(f"reason:   {result.reason}")
    sys.exit(EXIT_OK)


def _read_assessment(path: str) -> ImpactAssessment:
    if path == "-":
        text, source = sys.stdin.read(), "assessment on stdin"
    else:
        try:
            text = pathlib.Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problem = Problem("$", "a readable UTF-8 JSON file", f"{path}: {error}")
            raise PolicyConfigError([problem], path) from None
        source = path
    return loads(text, ImpactAssessment, source=source)
