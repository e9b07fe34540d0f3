"""Markdown written by users (comments), rendered to HTML that is safe to put in a page.

Two layers, so that neither alone has to be perfect: markdown-it-py parses CommonMark with raw
HTML off (``<b>`` stays text) and refuses ``javascript:``/``data:`` link targets; nh3 then
keeps only the tags and attributes listed here, links only to http(s) and mailto, and marks
every link ``noopener noreferrer nofollow``. Only the sanitiser's output is marked safe.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

#: A comment's headings sit under the page's card headings (h2): "# Title" becomes an h3.
HEADING_OFFSET = 2
ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "blockquote", "pre", "code", "strong", "em", "s",
        "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

# Line breaks are kept (as in the plain-text comments written before Markdown): a comment is a
# note, not a document. Images are off: an outside image would track readers (and the CSP
# blocks it anyway), so "![alt](url)" stays a link to the picture.
_parser = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
    .enable(["table", "strikethrough"])
    .disable("image")
)


def _demote_headings(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            level = min(int(token.tag[1]) + HEADING_OFFSET, 6)
            token.tag = f"h{level}"


def render_markdown(text: str) -> SafeString:
    """Render a user's Markdown to sanitised HTML."""
    tokens = _parser.parse(text)
    _demote_headings(tokens)
    html = _parser.renderer.render(tokens, _parser.options, {})
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
    )
    return mark_safe(cleaned)  # noqa: S308  (nh3's output: only the tags, attributes and schemes above)
