import feedparser
import pytest
from django.urls import reverse

from releases.models import Release, Topic
from releases.text import without_control_characters
from tests.people.factories import OfficialFactory
from tests.releases.factories import ReleaseFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_control_characters_are_removed_but_tab_and_newline_kept():
    assert without_control_characters("a\vb\x00c\x1fd\te\nf") == "abcd\te\nf"


def test_carriage_returns_become_newlines():
    assert without_control_characters("one\r\ntwo\rthree") == "one\ntwo\nthree"


def test_saving_a_release_strips_control_characters_from_its_text():
    release = ReleaseFactory(title="Smart\vbelt", summary="○ Point\x0c\n– Sub")
    release.refresh_from_db()
    assert release.title == "Smartbelt"
    assert release.summary == "○ Point\n– Sub"


def test_saving_an_official_strips_control_characters():
    official = OfficialFactory(name="Lee\x08 Jae-myung")
    official.refresh_from_db()
    assert official.name == "Lee Jae-myung"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feed_stays_valid_with_control_characters_already_stored(client, kind):
    release = ReleaseFactory(title="Night buses")
    Release.objects.filter(pk=release.pk).update(
        title="Night\vbuses", summary="○ Later\x1b buses"
    )

    response = client.get(reverse(f"releases:feed_{kind}"))

    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries[0].title == "Nightbuses"


def test_tag_feed_stays_valid_with_a_control_character_in_the_tag_name(client):
    topic = TopicFactory()
    ReleaseFactory().topics.add(topic)
    Topic.objects.filter(pk=topic.pk).update(name="Jobs\vand growth")

    response = client.get(reverse("releases:topic_feed_atom", args=[topic.slug]))

    assert response.status_code == 200
    assert not feedparser.parse(response.content).bozo
