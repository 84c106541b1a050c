"""An Atom feed written with feedgen (the ``feed`` extra), behind a small typed face.

feedgen ships no type information, so it is imported here, on first use, as a plain module
whose objects are ``Any``; everything this module takes and returns is typed. The public
status feed builds an :class:`AtomFeed` and calls :func:`render`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from typing import Any, Final

import attrs

from reliability_policy.errors import PolicyError

INSTALL_HINT: Final = (
    "writing an Atom feed needs the feedgen package: install the 'feed' extra, "
    "pip install 'customernode-reliability-policy[feed]'"
)


_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE, U+FFFF)."""


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text)


@attrs.frozen
class AtomEntry:
    """One entry: an id (an IRI), a title, its times, its HTML content and an optional link."""

    id: str
    title: str
    published: dt.datetime
    updated: dt.datetime
    content_html: str
    link: str = ""


@attrs.frozen
class AtomFeed:
    """A whole feed: an id (an IRI), a title, when it last changed, its entries in order."""

    id: str
    title: str
    subtitle: str
    updated: dt.datetime
    author: str
    entries: tuple[AtomEntry, ...]
    link: str = ""


def _feed_generator() -> Any:
    """A new ``feedgen.feed.FeedGenerator``.

    Raises:
        PolicyError: feedgen is not installed (the message says how to install it).
    """
    try:
        module = importlib.import_module("feedgen.feed")
    except ModuleNotFoundError:
        raise PolicyError(INSTALL_HINT) from None
    return module.FeedGenerator()


def render(feed: AtomFeed) -> str:
    """The feed as Atom 1.0 XML text (UTF-8, pretty-printed), entries in the order given.

    Characters XML cannot carry (control characters...) are left out of every text.

    Raises:
        PolicyError: feedgen is not installed.
    """
    generator = _feed_generator()
    generator.id(xml_text(feed.id))
    generator.title(xml_text(feed.title))
    generator.subtitle(xml_text(feed.subtitle))
    generator.updated(feed.updated)
    generator.author({"name": xml_text(feed.author)})
    generator.generator("reliability-policy")
    if feed.link:
        generator.link(href=xml_text(feed.link), rel="alternate")
    for item in feed.entries:
        entry = generator.add_entry(order="append")
        entry.id(xml_text(item.id))
        entry.title(xml_text(item.title))
        entry.published(item.published)
        entry.updated(item.updated)
        entry.content(xml_text(item.content_html), type="html")
        if item.link:
            entry.link(href=xml_text(item.link), rel="alternate")
    text: bytes = generator.atom_str(pretty=True)
    return text.decode("utf-8")
