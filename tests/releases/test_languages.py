import datetime

import pytest
from django.utils import timezone

from releases import reports
from tests.releases.factories import DailyHitsFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def test_korean_visitor_gets_the_korean_interface(client):
    response = client.get("/releases/", HTTP_ACCEPT_LANGUAGE="ko")
    assert "보도자료" in response.text
    assert '<html lang="ko">' in response.text


def test_switching_language_sets_a_cookie_and_goes_back(client):
    response = client.get("/language/ko/", {"next": "/releases/?page=2"})

    assert response.status_code == 302
    assert response["Location"] == "/releases/?page=2"
    assert response.cookies["django_language"].value == "ko"
    assert "검색" in client.get("/releases/").text


def test_switching_language_never_redirects_off_site(client):
    response = client.get("/language/ko/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_unknown_language_is_ignored(client):
    response = client.get("/language/xx/")
    assert "django_language" not in response.cookies


def test_cached_release_page_is_kept_per_language(client):
    release = ReleaseFactory()
    english = client.get(release.get_absolute_url()).text
    korean = client.get(release.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ko").text
    assert "Created" in english
    assert "작성일" in korean
    assert "조회수" in korean


def test_update_date_is_written_out_in_the_visitors_language(client):
    release = ReleaseFactory(
        last_major_update_at=datetime.datetime(2021, 10, 8, 9, tzinfo=datetime.UTC),
        change_note="Figures corrected",
    )
    english = client.get(release.get_absolute_url()).text
    korean = client.get(release.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ko").text
    assert "Oct. 8, 2021" in english
    assert "2021년 10월 8일" in korean


def test_release_and_translation_link_both_ways(client):
    original = ReleaseFactory(title="Night buses")
    korean = ReleaseFactory(title="심야 버스", language="ko", translation_of=original)

    assert korean.get_absolute_url() in client.get(original.get_absolute_url()).text
    assert original.get_absolute_url() in client.get(korean.get_absolute_url()).text


def test_most_read_counts_only_hits_inside_the_range():
    today = timezone.localdate()
    recent, old = ReleaseFactory(title="Recent"), ReleaseFactory(title="Old")
    DailyHitsFactory(release=recent, day=today, hits=5)
    DailyHitsFactory(release=old, day=today - datetime.timedelta(days=30), hits=500)
    DailyHitsFactory(release=old, day=today, hits=1)

    ranking = reports.most_read_this_week()

    assert [(r.title, r.hits_in_range) for r in ranking] == [("Recent", 5), ("Old", 1)]


def test_home_lists_most_read_this_week(client):
    release = ReleaseFactory(title="Popular one")
    DailyHitsFactory(release=release, hits=9)

    response = client.get("/")

    assert "Most read this week" in response.text
    assert "Popular one" in response.text


def test_home_lists_most_read_of_the_last_30_days(client):
    release = ReleaseFactory(title="Read last month")
    DailyHitsFactory(
        release=release, day=timezone.localdate() - datetime.timedelta(days=20), hits=4
    )

    response = client.get("/")

    assert "Most read in the last 30 days" in response.text
    assert "Read last month" in response.text


def test_home_most_read_lists_are_cached_between_views(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    DailyHitsFactory(release=ReleaseFactory(), hits=2)
    client.get("/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/")

    assert not [q for q in queries if "releases_dailyhits" in q["sql"]]
