"""Sphinx configuration: furo, MyST Markdown, API pages from docstrings."""

from __future__ import annotations

import reliability_policy

project = "reliability-policy"
author = "CustomerNode SRE"
copyright = "2026, CustomerNode"
release = reliability_policy.__version__
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "reliability-policy"

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "show-inheritance": True}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

intersphinx_mapping: dict[str, tuple[str, str | None]] = {}
nitpicky = True
nitpick_ignore_regex = [
    # Standard-library, third-party and typing names without an intersphinx inventory here
    # (the build has no network).
    (
        "py:class",
        r"(datetime|dt|zoneinfo|fractions|collections\.abc|typing|enum|hypothesis|attrs|cattrs|pendulum|os)\..*",
    ),
    (
        "py:class",
        r"(Any|Final|Mapping|Iterable|Sequence|Collection|Callable|Literal|Self|T|P|R|F|NoneType|Exception|ValueError|str|int|float|bool|object|type|tuple|list|dict|frozenset|set)",
    ),
    ("py:class", r"reliability_policy\.[A-Za-z_.]*\._[A-Za-z_]+"),
    ("py:class", r"Ellipsis|EllipsisType|SearchStrategy|DrawFn|TypeVar|ParamSpec|NewType"),
    ("py:obj", r"reliability_policy\..*\.(T|P|R|F)"),
    ("py:class", r"reliability_policy\..*\.(T|P|R|F)"),
    ("py:data", r"datetime\..*"),
    ("py:meth", r"(datetime|zoneinfo|attrs|cattrs)\..*"),
    ("py:func", r"(datetime|zoneinfo|attrs|cattrs)\..*"),
]
