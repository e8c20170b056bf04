"""Officials and municipalities a release names in its text but has not tagged."""

import re

from django.utils.html import strip_tags

from people.models import Municipality, Official

# "Suwon City" is written "Suwon" as often as not; Korean names end in 시/군/도.
_SUFFIXES = re.compile(r"(\s+(City|County|Province))$|[시군도]$")


def untagged_mentions(release, candidates=None):
    """{"officials": [...], "municipalities": [...]} named in the text, not tagged.

    candidates: the same shape, of every official and municipality, when the
    caller asks for many releases (default: read from the database).
    """
    tagged = {
        "officials": set(release.officials.values_list("pk", flat=True)),
        "municipalities": set(release.municipalities.values_list("pk", flat=True)),
    }
    return {
        kind: [tag for tag in tags if tag.pk not in tagged[kind]]
        for kind, tags in mentions(release, candidates).items()
    }


def mentions(release, candidates=None):
    """Every official and municipality named in the text, tagged or not."""
    candidates = candidates or every_candidate()
    text = " ".join([release.title, release.summary, strip_tags(release.body)])
    return {
        kind: [tag for tag in tags if _is_named(text, tag.name, tag.local_name)]
        for kind, tags in candidates.items()
    }


def every_candidate():
    return {
        "officials": list(Official.objects.all()),
        "municipalities": list(Municipality.objects.all()),
    }


def _is_named(text, *names):
    for name in filter(None, names):
        short = _SUFFIXES.sub("", name)
        for form in {name, short} - {""}:
            if len(form) > 1 and re.search(rf"(?<!\w){re.escape(form)}", text):
                return True
    return False
