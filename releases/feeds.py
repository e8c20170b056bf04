"""RSS and Atom feeds of published releases: all of them, or one place's, person's
or topic's."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.translation import gettext_lazy as _

from people.models import Municipality, Official
from releases.models import Release, Topic
from releases.text import without_control_characters


class _PlainTextOnly:
    """Feed generator part: drops control characters, which XML cannot hold, from
    every value, so that no stored text can make a feed fail."""

    def __init__(self, *args, **kwargs):
        super().__init__(*_cleaned(args), **_cleaned_values(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*_cleaned(args), **_cleaned_values(kwargs))


def _cleaned(values):
    return [without_control_characters(value) for value in values]


def _cleaned_values(mapping):
    return {key: without_control_characters(value) for key, value in mapping.items()}


class RssGenerator(_PlainTextOnly, feedgenerator.Rss201rev2Feed):
    pass


class AtomGenerator(_PlainTextOnly, feedgenerator.Atom1Feed):
    pass


class ReleasesFeed(Feed):
    feed_type = RssGenerator
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


class AtomReleasesFeed(ReleasesFeed):
    feed_type = AtomGenerator
    subtitle = ReleasesFeed.description


class AtomMunicipalityReleasesFeed(MunicipalityReleasesFeed):
    feed_type = AtomGenerator
    subtitle = MunicipalityReleasesFeed.description


class AtomOfficialReleasesFeed(OfficialReleasesFeed):
    feed_type = AtomGenerator
    subtitle = OfficialReleasesFeed.description


class AtomTopicReleasesFeed(TopicReleasesFeed):
    feed_type = AtomGenerator
    subtitle = TopicReleasesFeed.description
