"""Cross-site scripting payloads, and a check that none reached a page as markup."""

from html.parser import HTMLParser
from urllib.parse import quote

from django.conf import settings

VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)>",
    "<a href=javascript:alert(1)>x</a>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<form action=javascript:alert(1)><button>x</button></form>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<base href=javascript:alert(1)//>",
    "<scr<script>ipt>alert(1)</script>",
]


def _variants(vector):
    yield vector
    yield vector.upper().replace("ALERT", "alert")
    yield f'"><{vector[1:]}'
    yield f"'>{vector}"
    yield f"</title>{vector}"
    yield quote(vector, safe="") + vector


PAYLOADS = [variant for vector in VECTORS for variant in _variants(vector)]
# Tags that run or load script by themselves; on others, handlers are the danger.
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "base", "meta"}
URL_ATTRIBUTES = {"href", "src", "action", "data", "formaction"}


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems = []
        self.in_data_script = False

    def handle_data(self, data):
        if self.in_data_script and "<" in data:
            self.problems.append("markup inside JSON-LD")

    def handle_endtag(self, tag):
        self.in_data_script = False

    def handle_starttag(self, tag, attrs):
        self.in_data_script = (
            tag == "script" and ("type", "application/ld+json") in attrs
        )
        if self.in_data_script:
            return  # JSON-LD: inert, but its data is checked in handle_data
        if tag == "script" and _is_our_static_script(attrs):
            return  # the page's own script file (the gallery's, say)
        if tag in DANGEROUS_TAGS and not (tag == "meta" and _is_plain_meta(attrs)):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").replace("\t", "").replace("\n", "").strip().lower()
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag} {name}=")
            if name in URL_ATTRIBUTES and value.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.problems.append(f"{tag} {name}={value[:30]}")


def _is_plain_meta(attrs):
    names = {name for name, _value in attrs}
    return "http-equiv" not in names


def _is_our_static_script(attrs):
    source = dict(attrs).get("src") or ""
    return source.startswith(settings.STATIC_URL) and ".." not in source


def executable_markup(html):
    """The tags and attributes in html through which script could run."""
    finder = _Finder()
    finder.feed(html)
    return finder.problems
