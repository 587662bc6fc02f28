"""A Sphinx extension: each page's description, for search results and link previews, is its
first finding.

A chapter's first finding is the first item of its "Key results" box, glued numbers filled in;
a page without that box is left to sphinxext-opengraph, which takes its first paragraph. The
extension runs before sphinxext-opengraph on each page and hands it the text as the page's
`og:description` field; it also writes the page's `<meta name="description">`, which
sphinxext-opengraph then leaves alone. Listed in `_config.yml` before `sphinxext.opengraph`.
"""

from __future__ import annotations

import html
import re

from docutils import nodes

FINDINGS_TITLE = "Key results"
MAX_CHARS = 200  # sphinxext-opengraph's default description length


def first_finding(doctree: nodes.document) -> str | None:
    """The text of the first item of the page's "Key results" box, on one line; None without one."""
    for box in doctree.findall(nodes.admonition):
        title = box.next_node(nodes.title)
        if title is None or title.astext().strip() != FINDINGS_TITLE:
            continue
        item = box.next_node(nodes.list_item)
        return " ".join(item.astext().split()) if item is not None else None
    return None


def shorten(text: str, limit: int = MAX_CHARS) -> str:
    """`text` cut at the last word that fits `limit` characters, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    return re.sub(r"\s+\S*$", "", text[: limit - 1]).rstrip(" ,;:") + "…"


def _page_context(app, pagename, templatename, context, doctree) -> None:
    finding = first_finding(doctree) if doctree is not None else None
    if not finding:
        return
    text = shorten(finding)
    context["meta"] = {**(context.get("meta") or {}), "og:description": text}
    context["metatags"] += f'<meta name="description" content="{html.escape(text)}" />\n'


def setup(app):
    app.connect("html-page-context", _page_context, priority=400)  # before sphinxext-opengraph (500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
