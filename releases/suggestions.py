"""Officials and municipalities a release names in its text but has not tagged."""

import re

from django.utils.html import strip_tags

from people.models import Municipality, Official

# "Suwon City" is written "Suwon" as often as not; Korean names end in 시/군/도.
_SUFFIXES = re.compile(r"(\s+(City|County|Province))$|[시군도]$")


def untagged_mentions(release):
    """{"officials": [...], "municipalities": [...]} named in the text, not tagged."""
    text = " ".join([release.title, release.summary, strip_tags(release.body)])
    tagged_officials = set(release.officials.values_list("pk", flat=True))
    tagged_places = set(release.municipalities.values_list("pk", flat=True))
    return {
        "officials": [
            official
            for official in Official.objects.exclude(pk__in=tagged_officials)
            if _is_named(text, official.name, official.local_name)
        ],
        "municipalities": [
            place
            for place in Municipality.objects.exclude(pk__in=tagged_places)
            if _is_named(text, place.name, place.local_name)
        ],
    }


def _is_named(text, *names):
    for name in filter(None, names):
        short = _SUFFIXES.sub("", name)
        for form in {name, short} - {""}:
            if len(form) > 1 and re.search(rf"(?<!\w){re.escape(form)}", text):
                return True
    return False
