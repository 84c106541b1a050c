"""The policy reference page names every key of the bundled document with its default."""

from __future__ import annotations

import pathlib
import re
import tomllib

from reliability_policy.defaults import _default_text

PAGE = (pathlib.Path(__file__).parent.parent / "docs" / "policy.md").read_text()
ROWS = {
    k: v for k, _, v in re.findall(r"^\| `([^`]+)` \|([^|]*)\| (.*) \|$", PAGE, flags=re.MULTILINE)
}


def _leaves(data, prefix=""):
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and key != "fallback" and value:
            yield from _leaves(value, path + ".")
        else:
            yield path, value


def _toml_value(value) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]"
    return repr(value)


def test_every_key_of_the_default_document_is_documented():
    data = tomllib.loads(_default_text())
    for path, value in _leaves(data):
        key = path
        assert key in ROWS, f"docs/policy.md does not document {key}"
        default = ROWS[key].strip("`")
        if isinstance(value, str) and "\n" in value:  # a template: shown whole below the table
            assert default == "see below", key
            assert value.rstrip() in PAGE, key
            continue
        if isinstance(value, (str, int)) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value) and value
        ):
            assert default == _toml_value(value), (key, default, value)
