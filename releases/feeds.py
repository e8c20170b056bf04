"""RSS and Atom feeds of published releases: all of them, or one place's, person's
or topic's."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from people.models import Municipality, Official
from releases.models import Release, Topic


class ReleasesFeed(Feed):
    title = _("Gyeonggi Province press releases")
    description = _("The latest press releases of the Gyeonggi Provincial Government.")

    def link(self):
        return reverse("releases:release_list")

    def items(self):
        return Release.objects.published().for_board()[: settings.FEED_LENGTH]

    def item_title(self, release):
        return release.title

    def item_description(self, release):
        return release.summary or release.title

    def item_pubdate(self, release):
        return release.published_at

    def item_updateddate(self, release):
        return release.last_major_update_at or release.published_at

    def item_author_name(self, release):
        return str(release.department or "")


class TaggedReleasesFeed(ReleasesFeed):
    """Releases tagged with one municipality, official or topic (by slug)."""

    model = None

    def get_object(self, request, slug):
        return get_object_or_404(self.model, slug=slug)

    def title(self, tag):
        return _("Press releases: %(tag)s") % {"tag": tag}

    def description(self, tag):
        return self.title(tag)

    def link(self, tag):
        return tag.get_absolute_url()

    def items(self, tag):
        return tag.releases.published().for_board()[: settings.FEED_LENGTH]


class MunicipalityReleasesFeed(TaggedReleasesFeed):
    model = Municipality


class OfficialReleasesFeed(TaggedReleasesFeed):
    model = Official


class TopicReleasesFeed(TaggedReleasesFeed):
    model = Topic


def atom(feed_class):
    """The Atom 1.0 version of an RSS feed class."""
    return type(
        f"Atom{feed_class.__name__}",
        (feed_class,),
        {"feed_type": Atom1Feed, "subtitle": feed_class.description},
    )
