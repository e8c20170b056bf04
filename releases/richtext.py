"""The release body's rich text: what HTML authors may use, enforced by nh3."""

import re

import nh3
from django.utils.html import linebreaks

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "a", "ul", "ol",
    "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "caption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
# No javascript:, data: or vbscript: links; relative links are allowed.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
_HAS_TAG = re.compile(r"<[a-zA-Z/!]")


def sanitize(html):
    """html without anything outside the allowlist (scripts, handlers, styles)."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def from_plain_text(text):
    """Paragraphs of HTML from plain text, as older releases were written."""
    return linebreaks(text, autoescape=True)


def to_html(body):
    """The body as safe HTML: plain text becomes paragraphs, HTML is sanitized.

    to_html(to_html(body)) == to_html(body), so a stored body compares equal.
    """
    if not _HAS_TAG.search(body):
        body = from_plain_text(body)
    return sanitize(body)
