"""``reliability-policy classify``: the severity of an impact assessment, with the rule and why."""

from __future__ import annotations

import sys
from typing import Final

import click

from reliability_policy.cli._app import (
    EXIT_OK,
    JSON_SCHEMA_VERSION,
    echo_json,
    format_option,
    main,
    policy_options,
    read_document_text,
    reports_errors,
    resolve_policy,
)
from reliability_policy.errors import PolicyInputError
from reliability_policy.serialization import loads, unstructure
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
    metavar="FILE",
    help="Read the assessment from a JSON document instead of the flags ('-' for stdin).",
)
@format_option()
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
        try:
            assessment = ImpactAssessment(
                impact,
                core=core,
                customer_visible=not not_visible,
                affected_tenants=affected,
                total_tenants=total,
                all_tenants=all_tenants,
            )
        except PolicyInputError as error:
            if error.value is None:  # a flag that was not given
                missing = f"{_spelled(error.field)} is required: {_spelled(error.expected)}"
                raise click.UsageError(missing) from None
            raise _in_flags(error) from None
    result = classify(assessment, policy)
    if output == "json":
        echo_json({"schema_version": JSON_SCHEMA_VERSION, **unstructure(result)})
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


# The assessment's fields as the command line spells them, longest first.
_FLAGS: Final = (
    ("all_tenants=True", "--all-tenants"),
    ("affected_tenants", "--affected"),
    ("customer_visible", "--not-visible"),
    ("total_tenants", "--total"),
    ("all_tenants", "--all-tenants"),
    ("impact", "--impact"),
    ("core", "--core/--peripheral"),
)


def _spelled(text: str) -> str:
    for field, flag in _FLAGS:
        text = text.replace(field, flag)
    return text


def _in_flags(error: PolicyInputError) -> PolicyInputError:
    """The library's error about an assessment field, naming the flag instead."""
    return PolicyInputError(
        _spelled(error.field), error.value, _spelled(error.expected), _spelled(error.detail)
    )


def _read_assessment(path: str) -> ImpactAssessment:
    if path == "-":
        text, source = sys.stdin.read(), "assessment on stdin"
    else:
        text, source = read_document_text(path, "--json"), f"assessment {path}"
    return loads(text, ImpactAssessment, source=source)
