"""The announcement feeds the web portal pulls: Atom (RFC 4287) and JSON Feed 1.1, built with the stdlib.

Both are built from the same :class:`FeedEntry` list so they never disagree. Text goes through
ElementTree and :mod:`json`, which escape it; HTML content is produced by our templates, where
Jinja escapes every user-written text first.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_MIMETYPE = "application/atom+xml; charset=utf-8"
JSON_FEED_MIMETYPE = "application/feed+json; charset=utf-8"


@dataclass(frozen=True)
class FeedEntry:
    """One announcement as both feeds see it."""

    id: str  # a stable URI (tag: URI), not the permalink, so a retitled notice stays the same entry
    url: str
    title: str
    published: datetime
    updated: datetime
    author: str
    category_term: str
    category_label: str
    summary: str  # plain text
    content_html: str


@dataclass(frozen=True)
class FeedMeta:
    """The feed as a whole."""

    id: str
    title: str
    subtitle: str
    home_url: str
    feed_url: str
    author: str
    language: str = "vi"


def rfc3339(dt: datetime) -> str:
    """An instant as RFC 3339 in UTC ("2026-02-20T01:30:00Z"), what both formats require."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def feed_updated(entries: Sequence[FeedEntry], fallback: datetime) -> datetime:
    """The feed's own update instant: its newest entry's, or ``fallback`` when it has none."""
    return max((e.updated for e in entries), default=fallback)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def atom(meta: FeedMeta, entries: Sequence[FeedEntry], now: datetime) -> bytes:
    """The Atom document, UTF-8 with an XML declaration."""
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": meta.language})
    _sub(root, "id", meta.id)
    _sub(root, "title", meta.title, type="text")
    _sub(root, "subtitle", meta.subtitle, type="text")
    _sub(root, "updated", rfc3339(feed_updated(entries, now)))
    _sub(root, "link", rel="alternate", type="text/html", href=meta.home_url)
    _sub(root, "link", rel="self", type="application/atom+xml", href=meta.feed_url)
    author = _sub(root, "author")
    _sub(author, "name", meta.author)
    _sub(root, "generator", "heza")
    for e in entries:
        entry = _sub(root, "entry")
        _sub(entry, "id", e.id)
        _sub(entry, "title", e.title, type="text")
        _sub(entry, "link", rel="alternate", type="text/html", href=e.url)
        _sub(entry, "published", rfc3339(e.published))
        _sub(entry, "updated", rfc3339(e.updated))
        entry_author = _sub(entry, "author")
        _sub(entry_author, "name", e.author)
        _sub(entry, "category", term=e.category_term, label=e.category_label)
        _sub(entry, "summary", e.summary, type="text")
        _sub(entry, "content", e.content_html, type="html")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def json_feed(meta: FeedMeta, entries: Sequence[FeedEntry]) -> str:
    """The JSON Feed 1.1 document (https://www.jsonfeed.org/version/1.1/)."""
    document = {
        "version": JSON_FEED_VERSION,
        "title": meta.title,
        "home_page_url": meta.home_url,
        "feed_url": meta.feed_url,
        "description": meta.subtitle,
        "language": meta.language,
        "authors": [{"name": meta.author}],
        "items": [
            {
                "id": e.id,
                "url": e.url,
                "title": e.title,
                "content_html": e.content_html,
                "summary": e.summary,
                "date_published": rfc3339(e.published),
                "date_modified": rfc3339(e.updated),
                "authors": [{"name": e.author}],
                "tags": [e.category_label],
            }
            for e in entries
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)
