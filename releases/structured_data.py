"""schema.org NewsArticle data for a release page (JSON-LD)."""

import json

from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

PUBLISHER = "Gyeonggi Provincial Government"
# Inside <script>, these could end the element or start markup; \\u escapes cannot.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def news_article(request, release):
    """The release as escaped JSON-LD, ready to go inside a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.title[:110],
        "description": strip_tags(release.summary)[:300],
        "url": request.build_absolute_uri(release.get_absolute_url()),
        "inLanguage": release.language,
        "datePublished": release.published_at.isoformat(),
        "dateModified": (
            release.last_major_update_at or release.published_at
        ).isoformat(),
        "publisher": {"@type": "GovernmentOrganization", "name": PUBLISHER},
    }
    if release.department:
        data["author"] = {"@type": "Organization", "name": release.department.name}
    if release.lead_image:
        data["image"] = [request.build_absolute_uri(release.lead_image.url)]
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_ESCAPES))
