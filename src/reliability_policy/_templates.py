"""Notice templates rendered in Jinja2's sandbox, imported on first use (not at package import).

Templates are configuration, not code: a sandbox, no globals, no HTML escaping (plain text), and
an error for any name a template uses that the caller does not give.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

__all__ = ["TemplateProblem", "render", "template_fields"]


class TemplateProblem(ValueError):
    """A template that does not parse or render; ``str()`` says where and why."""


@functools.cache
def _environment() -> SandboxedEnvironment:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    environment = SandboxedEnvironment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False
    )
    environment.globals.clear()
    return environment


def template_fields(text: str) -> set[str]:
    """The names a template uses.

    Raises:
        TemplateProblem: the template does not parse (the message gives line and reason).
    """
    import jinja2
    import jinja2.meta

    try:
        return jinja2.meta.find_undeclared_variables(_environment().parse(text))
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(f"line {error.lineno}: {error.message}") from None


def render(text: str, values: Mapping[str, object]) -> str:
    """The template rendered with ``values``.

    Raises:
        TemplateProblem: the template does not parse or render.
    """
    import jinja2

    try:
        return _environment().from_string(text).render(dict(values))
    except jinja2.TemplateError as error:
        raise TemplateProblem(str(error)) from None
