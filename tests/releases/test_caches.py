"""The site without its caches: Redis stopped, or the cache table unreadable."""

import socket

import pytest
from django.urls import reverse

from pressoffice.settings import redis_caches
from releases.models import Release
from tests.releases.admin_forms import release_form
from tests.releases.factories import ReleaseFactory
from tests.releases.test_hits import totals, view

PUBLIC_PAGES = [
    "/",
    "/releases/",
    "/releases/?q=buses",
    "/ko/releases/",
    "/officials/",
    "/releases/feed/rss/",
    "/releases/feed/atom/",
    "/sitemap.xml",
    "/admin/login/",
]


def closed_port():
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_stopped(settings):
    """The production Redis caches, pointed at a port where no server answers."""
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{closed_port()}/0")


@pytest.fixture
def cache_tables_unavailable(settings):
    """The production database caches, on tables that do not exist."""
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "no_such_cache"},
        "hits": {**settings.CACHES["hits"], "LOCATION": "no_such_hits_cache"},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_answer_with_redis_stopped(client, redis_stopped, path):
    ReleaseFactory(title="Night buses")
    assert client.get(path).status_code == 200


@pytest.mark.django_db
def test_release_page_answers_and_counts_with_redis_stopped(client, redis_stopped):
    release = ReleaseFactory()
    assert view(client, release).status_code == 200
    assert totals(release) == (1, 1)


@pytest.mark.django_db
def test_returning_visitor_may_count_again_while_redis_is_stopped(
    client, redis_stopped
):
    release = ReleaseFactory()
    view(client, release)
    view(client, release)
    assert totals(release) == (2, 2)


@pytest.mark.django_db
def test_saving_a_release_works_with_redis_stopped(admin_client, redis_stopped):
    release = ReleaseFactory(title="Night buses")
    response = admin_client.post(
        reverse("admin:releases_release_change", args=[release.pk]),
        release_form(release, title="Later night buses"),
    )
    assert response.status_code == 302
    assert Release.objects.get(pk=release.pk).title == "Later night buses"


# Outside a test transaction: on PostgreSQL a failed statement would otherwise
# abort the transaction the test itself runs in.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/", "/releases/", "/releases/feed/rss/"])
def test_pages_answer_without_the_cache_table(client, cache_tables_unavailable, path):
    ReleaseFactory()
    assert client.get(path).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_release_page_answers_and_counts_without_the_cache_tables(
    client, cache_tables_unavailable
):
    release = ReleaseFactory()
    assert view(client, release).status_code == 200
    assert totals(release) == (1, 1)
