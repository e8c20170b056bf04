"""The old board's addresses, as set in LEGACY_ARTICLE_LINKS and
LEGACY_FILE_LINKS: each a pattern such as
/cop/bbs/selectBoardArticle.do?bbsId={board}&nttId={article}, its values
standing in the path or in the query, and read back from a request.
"""

import dataclasses
import re
from collections import defaultdict
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PLACEHOLDER = re.compile(r"\{(\w*)\}")
# Each kind's placeholders: those it needs, then those it may have.
ARTICLE = ("LEGACY_ARTICLE_LINKS", {"article"}, {"board"})
FILE = ("LEGACY_FILE_LINKS", {"file"}, {"number"})


@dataclasses.dataclass(frozen=True)
class Pattern:
    route: str  # for django.urls.path(), the path's placeholders as <str:…>
    query: dict  # query parameter: the placeholder it holds
    fixed: dict  # query parameter: the value it must have

    def values(self, request, from_path):
        """{placeholder: value} of the request, or None if it is not of this
        pattern (a parameter it needs missing, a fixed one different)."""
        if any(request.GET.get(key) != value for key, value in self.fixed.items()):
            return None
        values = dict(from_path)
        for parameter, name in self.query.items():
            if parameter not in request.GET:
                return None
            values[name] = request.GET[parameter]
        return values


def patterns(kind):
    """{route: [patterns with that route]} of kind (ARTICLE or FILE), in the
    setting's order; ImproperlyConfigured names the setting and the pattern
    that is wrong."""
    setting, _needs, _may = kind
    by_route = defaultdict(list)
    for text in getattr(settings, setting):
        pattern = parse(text, kind)
        by_route[pattern.route].append(pattern)
    return dict(by_route)


def parse(text, kind):
    setting, needs, may = kind
    address = urlsplit(text)
    query, fixed = {}, {}
    for parameter, value in parse_qsl(address.query, keep_blank_values=True):
        if match := PLACEHOLDER.fullmatch(value):
            query[parameter] = match[1]
        else:
            fixed[parameter] = value
    names = PLACEHOLDER.findall(text)
    placed = PLACEHOLDER.findall(address.path) + list(query.values())
    problem = None
    if not address.path.startswith("/") or address.scheme or address.netloc:
        problem = "is not a path starting with /"
    elif unknown := set(names) - needs - may:
        problem = f"has {', '.join(sorted(unknown))}; it may have {sorted(needs | may)}"
    elif missing := needs - set(names):
        problem = f"needs {', '.join('{' + name + '}' for name in sorted(missing))}"
    elif len(names) != len(set(names)):
        problem = "names a placeholder twice"
    elif sorted(placed) != sorted(names):
        problem = "has a placeholder that is not in the path nor a whole query value"
    if problem:
        raise ImproperlyConfigured(f"{setting}: {text!r} {problem}.")
    route = PLACEHOLDER.sub(r"<str:\1>", address.path.lstrip("/"))
    return Pattern(route=route, query=query, fixed=fixed)
