"""The release body's rich text: what HTML authors may use, enforced by nh3, and
the editor (django-prose-editor) that lets them make only that."""

import html as html_entities
import re

import nh3
from django.conf import settings
from django.utils.html import linebreaks

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "a", "ul", "ol",
    "li", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "caption",
    "figure", "figcaption", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "img": {"src", "alt", "width", "height"},
}
# No javascript:, data: or vbscript: links; relative links are allowed.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
_HAS_TAG = re.compile(r"<[a-zA-Z/!]")
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|\u00a0|<br\s*/?>)*</p>\s*")
_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_IMAGE_WITHOUT_SOURCE = re.compile(r"<img\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(["']?)([^"'\s>]*)\1""", re.IGNORECASE)

# What the body editor offers: every tag it makes is in ALLOWED_TAGS (a test
# checks), so what the writer sees is what the page shows.
EDITOR_EXTENSIONS = {
    "Heading": {"levels": [2, 3]},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": sorted(ALLOWED_URL_SCHEMES)},
    # Images of the release's own gallery only: the picker (admin) lists them,
    # the form refuses any other, the sanitizer drops any other's address.
    "Figure": True,
    "Image": True,
    "Caption": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "HTML": True,
    "History": True,
}


def sanitize(html):
    """html without anything outside the allowlist (scripts, handlers, styles,
    images from elsewhere than the releases' galleries), nor empty paragraphs
    (an editor's stray Enter)."""
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_only_gallery_images,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    clean = _IMAGE_WITHOUT_SOURCE.sub("", clean)
    return _EMPTY_PARAGRAPH.sub("", clean).strip()


def gallery_prefix():
    """Where the releases' gallery images are served from."""
    return f"{settings.MEDIA_URL}releases/gallery/"


def image_sources(html):
    """[(src, alt)] of each image in html, in order."""
    return [
        (_attribute(tag, "src"), _attribute(tag, "alt")) for tag in _IMAGE.findall(html)
    ]


def _only_gallery_images(tag, attribute, value):
    if tag == "img" and attribute == "src":
        wanted = gallery_prefix()
        inside = value.startswith(wanted) and ".." not in value
        return value if inside and "/" not in value[len(wanted) :] else None
    return value


def _attribute(tag, name):
    found = re.search(rf"""\b{name}\s*=\s*(["'])(.*?)\1""", tag, re.IGNORECASE)
    return html_entities.unescape(found.group(2)) if found else ""


def refused_links(html):
    """The addresses of html's links that sanitize() would drop: not web, e-mail
    or phone links (javascript:, file:, ftp:…)."""
    refused = []
    for _quote, href in _HREF.findall(html):
        scheme, colon, _rest = href.partition(":")
        if colon and "/" not in scheme and scheme.lower() not in ALLOWED_URL_SCHEMES:
            refused.append(href)
    return refused


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
