"""Reading the files a caller names: always a path, never guessed from text, always bounded.

Every public ``load_*`` function reads through :func:`read_text`, so a path with a NUL byte, a
directory, a missing file, a file that is not UTF-8 or one larger than the bound (``/dev/zero``
included) each gets the library's own :class:`~reliability_policy.errors.PolicyInputError`
naming the argument and the path.
"""

from __future__ import annotations

import os
import pathlib
from typing import BinaryIO, Final

from reliability_policy.errors import PolicyInputError

__all__ = ["MAX_DOCUMENT_BYTES", "MAX_LOG_BYTES", "read_text"]

MAX_DOCUMENT_BYTES: Final = 16 * 1024 * 1024
"""The largest policy, tenant terms or request document read from a file (16 MiB)."""

MAX_LOG_BYTES: Final = 256 * 1024 * 1024
"""The largest JSON Lines log read from a file (256 MiB)."""


def read_text(path: object, *, field: str, limit: int) -> str:
    """The UTF-8 text of the file at ``path``, at most ``limit`` bytes.

    Args:
        path: A ``str`` or :class:`os.PathLike`: always a path, whatever it looks like.
        field: How errors name the argument (``"path"``, ``"--policy"``...).
        limit: The largest size accepted, in bytes.

    Raises:
        PolicyInputError: ``path`` is not a path, holds a NUL byte, or names a file that is
            missing, unreadable, a directory, larger than ``limit`` or not UTF-8 text.
    """
    if isinstance(path, bytes) or not isinstance(path, (str, os.PathLike)):
        raise PolicyInputError(field, path, "a path (a str or os.PathLike)")
    name = os.fspath(path)
    if not isinstance(name, str):
        raise PolicyInputError(field, name, "a path (a str or os.PathLike)")
    if "\x00" in name:
        raise PolicyInputError(field, name, "a path without NUL characters")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise PolicyInputError(field, name, "a path of valid Unicode text") from None
    if not name.strip():
        raise PolicyInputError(field, name, "a non-empty path")
    try:
        with pathlib.Path(name).open("rb") as file:
            data = _read_at_most(file, limit + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise PolicyInputError(field, name, "a readable file", reason) from None
    if len(data) > limit:
        raise PolicyInputError(field, name, f"a file of at most {limit:,} bytes", "it is larger")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PolicyInputError(field, name, "a UTF-8 text file", str(error)) from None


_CHUNK: Final = 1024 * 1024


def _read_at_most(file: BinaryIO, size: int) -> bytes:
    """At most ``size`` bytes of ``file``, in chunks: memory follows the file, not the bound."""
    chunks: list[bytes] = []
    left = size
    while left > 0:
        chunk = file.read(min(_CHUNK, left))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
