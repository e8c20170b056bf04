import datetime

import pytest
from django.utils import timezone

from releases import reports
from tests.releases.factories import DailyHitsFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def test_korean_interface_lives_under_ko(client):
    response = client.get("/ko/releases/")
    assert "보도자료" in response.text
    assert '<html lang="ko">' in response.text


def test_unprefixed_address_is_english_whatever_browser_and_cookie_say(client):
    client.cookies["django_language"] = "ko"
    response = client.get("/releases/", HTTP_ACCEPT_LANGUAGE="ko")
    assert response.status_code == 200
    assert '<html lang="en">' in response.text


def test_language_link_goes_to_the_same_page_in_the_other_language(client):
    url = ReleaseFactory().get_absolute_url()
    english = client.get(url).text
    korean = client.get(f"/ko{url}").text
    assert f'href="http://testserver/ko{url}" lang="ko"' in english
    assert f'href="http://testserver{url}" lang="en"' in korean


def test_pages_carry_hreflang_alternates_for_every_language(client):
    text = client.get("/officials/").text
    assert (
        '<link rel="alternate" hreflang="en" href="http://testserver/officials/">'
        in (text)
    )
    assert (
        '<link rel="alternate" hreflang="ko" href="http://testserver/ko/officials/">'
        in (text)
    )
    assert 'hreflang="x-default" href="http://testserver/officials/"' in text


def test_language_links_leave_the_query_string_out(client):
    text = client.get("/officials/", {"utm_source": "x", "next": "//evil.example"}).text
    assert "utm_source" not in text
    assert "evil.example" not in text


def test_old_language_link_redirects_to_that_language_without_a_cookie(client):
    response = client.get("/language/ko/", {"next": "/releases/?page=2"})

    assert response.status_code == 302
    assert response["Location"] == "/ko/releases/?page=2"
    assert "django_language" not in response.cookies


def test_old_language_link_back_to_english_drops_the_prefix(client):
    response = client.get("/language/en/", {"next": "/ko/officials/"})
    assert response["Location"] == "/officials/"


def test_switching_language_never_redirects_off_site(client):
    response = client.get("/language/ko/", {"next": "https://evil.example/"})
    assert response["Location"] == "/ko/"


def test_unknown_language_goes_back_unchanged(client):
    response = client.get("/language/xx/", {"next": "/officials/"})
    assert response["Location"] == "/officials/"
    assert "django_language" not in response.cookies


def test_sitemap_gives_each_page_in_both_languages(client):
    release = ReleaseFactory()
    text = client.get("/sitemap.xml").text
    assert f"<loc>http://testserver/ko{release.get_absolute_url()}</loc>" in text
    assert (
        f'hreflang="ko" href="http://testserver/ko{release.get_absolute_url()}"' in text
    )


def test_cached_release_page_is_kept_per_language(client):
    url = ReleaseFactory().get_absolute_url()
    english = client.get(url).text
    korean = client.get(f"/ko{url}").text
    assert "Created" in english
    assert "작성일" in korean
    assert "조회수" in korean


def test_update_date_is_written_as_the_created_date_in_both_languages(client):
    release = ReleaseFactory(
        last_major_update_at=datetime.datetime(2021, 10, 8, 9, tzinfo=datetime.UTC),
        change_note="Figures corrected",
    )
    url = release.get_absolute_url()
    english = client.get(url).text
    korean = client.get(f"/ko{url}").text
    for page in (english, korean):
        assert '<time datetime="2021-10-08T18:00:00+09:00">2021-10-08</time>' in page


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


@pytest.mark.parametrize(
    "path",
    ["/", "/releases/", "/ko/releases/", "/officials/", "/releases/feed/rss/",
     "/sitemap.xml"],
)  # fmt: skip
def test_public_pages_vary_on_neither_cookie_nor_browser_language(client, path):
    ReleaseFactory()
    vary = client.get(path).get("Vary", "")
    assert "Cookie" not in vary
    assert "Accept-Language" not in vary


def test_release_page_does_not_vary_on_cookie_for_an_anonymous_visitor(client):
    response = client.get(ReleaseFactory().get_absolute_url())
    assert "Cookie" not in response.get("Vary", "")


def test_korean_release_page_names_its_topics_in_korean(client):
    from tests.releases.factories import TopicFactory

    release = ReleaseFactory()
    release.topics.add(TopicFactory(name="Welfare", local_name="복지"))

    text = client.get(f"/ko{release.get_absolute_url()}").text

    assert ">복지</a>" in text
