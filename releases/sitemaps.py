from django.contrib.sitemaps import Sitemap

from people.models import Municipality, Official
from releases.models import Release, Topic


class LanguageSitemap(Sitemap):
    """Every page in each interface language, with hreflang alternates."""

    i18n = True
    alternates = True
    x_default = True


class ReleaseSitemap(LanguageSitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Release.objects.visible().order_by("-published_at")

    def lastmod(self, release):
        return release.last_major_update_at or release.published_at


class TagSitemap(LanguageSitemap):
    changefreq = "weekly"
    model = None

    def items(self):
        return self.model.objects.order_by("pk")


class MunicipalitySitemap(TagSitemap):
    model = Municipality


class OfficialSitemap(TagSitemap):
    model = Official


class TopicSitemap(TagSitemap):
    model = Topic


SITEMAPS = {
    "releases": ReleaseSitemap,
    "municipalities": MunicipalitySitemap,
    "officials": OfficialSitemap,
    "topics": TopicSitemap,
}
