import json
import re

import feedparser
import pytest
from django.urls import reverse

from tests.people.factories import MunicipalityFactory, OfficialFactory
from tests.releases.factories import ReleaseFactory, TopicFactory

pytestmark = pytest.mark.django_db

HIDDEN = {"draft": True, "in_review": True, "embargoed": True}


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feed_of_all_releases_is_valid_and_lists_published_ones(client, kind):
    ReleaseFactory(title="Night buses", summary="○ Later buses")
    for trait in HIDDEN:
        ReleaseFactory(title=f"Hidden {trait}", **{trait: True})

    feed = parsed(client, reverse(f"releases:feed_{kind}"))

    assert [entry.title for entry in feed.entries] == ["Night buses"]
    assert feed.entries[0].link.endswith("/night-buses/")


@pytest.mark.parametrize("kind", ["municipality", "official", "topic"])
@pytest.mark.parametrize("flavour", ["rss", "atom"])
def test_tag_feed_lists_only_that_tags_releases(client, kind, flavour):
    factory = {
        "municipality": MunicipalityFactory,
        "official": OfficialFactory,
        "topic": TopicFactory,
    }[kind]
    tag = factory()
    tagged = ReleaseFactory(title="Tagged one")
    relation = {"municipality": "municipalities", "official": "officials"}
    getattr(tagged, relation.get(kind, "topics")).add(tag)
    ReleaseFactory(title="Other one")

    feed = parsed(client, reverse(f"releases:{kind}_feed_{flavour}", args=[tag.slug]))

    assert [entry.title for entry in feed.entries] == ["Tagged one"]


def test_feed_of_unknown_tag_is_404(client):
    response = client.get(reverse("releases:topic_feed_rss", args=["no-such-topic"]))
    assert response.status_code == 404


def test_sitemap_lists_public_releases_only(client):
    public = ReleaseFactory()
    hidden = [ReleaseFactory(**{trait: True}) for trait in HIDDEN]

    response = client.get("/sitemap.xml")

    assert public.get_absolute_url() in response.text
    for release in hidden:
        assert f"/releases/{release.number}/" not in response.text


def test_search_never_finds_unpublished_releases(client):
    for trait in HIDDEN:
        ReleaseFactory(title=f"Secret plan {trait}", **{trait: True})

    response = client.get(reverse("releases:release_list"), {"q": "secret"})

    assert "Secret plan" not in response.text


def test_robots_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert "Sitemap: http://testserver/sitemap.xml" in response.text


def test_release_page_carries_news_article_json_ld(client):
    release = ReleaseFactory(title='Quote "</script><script>alert(1)</script>')

    response = client.get(release.get_absolute_url())

    raw = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S
    ).group(1)
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == release.title
    assert "<" not in raw


def test_release_page_shows_licence_related_and_neighbours(client):
    topic = TopicFactory()
    older = ReleaseFactory(title="Older news")
    release = ReleaseFactory(title="Current news")
    older.topics.add(topic)
    release.topics.add(topic)

    response = client.get(release.get_absolute_url())

    assert "Korea Open Government License Type 1" in response.text
    assert 'rel="prev"' in response.text
    assert "Related releases" in response.text
    assert "Older news" in response.text


@pytest.mark.parametrize("url", ["/releases/feed/rss/", "/sitemap.xml"])
def test_unchanged_feed_and_sitemap_answer_304_to_their_etag(client, url):
    ReleaseFactory()
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_unchanged_feed_answers_304_to_if_modified_since(client):
    ReleaseFactory()
    last_modified = client.get("/releases/feed/atom/")["Last-Modified"]
    response = client.get("/releases/feed/atom/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304


def test_feed_answers_200_once_a_release_is_newer(client):
    ReleaseFactory()
    etag = client.get("/releases/feed/rss/")["ETag"]
    ReleaseFactory(title="Newer one")
    assert client.get("/releases/feed/rss/", HTTP_IF_NONE_MATCH=etag).status_code == 200
