"""The open data API: what the site shows, as JSON, whatever is asked of it."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from releases import api
from releases.models import Release
from tests.people.factories import MunicipalityFactory, OfficialFactory
from tests.releases.factories import (
    AttachmentFactory,
    DailyHitsFactory,
    ReleaseFactory,
    ReleaseImageFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def numbers(response):
    return [release["number"] for release in response.json()["results"]]


@pytest.fixture
def board():
    """A live, a withdrawn, a draft, an in-review and a scheduled release."""
    return {
        state: ReleaseFactory(**({} if state == "live" else {state: True}))
        for state in ("live", "withdrawn", "draft", "in_review", "embargoed")
    }


def test_list_holds_only_what_the_site_shows(client, board):
    response = client.get(f"{API}/releases")

    assert response.status_code == 200
    assert sorted(numbers(response)) == sorted(
        [board["live"].number, board["withdrawn"].number]
    )


@pytest.mark.parametrize("state", ["draft", "in_review", "embargoed"])
def test_unpublished_release_is_not_found_by_its_number(client, board, state):
    number = board[state].number
    for path in (f"/releases/{number}", f"/releases/{number}/hits"):
        assert client.get(API + path).status_code == 404


def test_withdrawn_release_comes_with_its_notice(client, board):
    release = board["withdrawn"]

    data = client.get(f"{API}/releases/{release.number}").json()

    assert data["withdrawn"]["reason"] == "Figures were wrong"


def test_release_carries_what_its_page_shows(client):
    place = MunicipalityFactory(name="Suwon", local_name="수원시", slug="suwon")
    release = ReleaseFactory(title="Night buses", body="<p>Later <b>buses</b></p>")
    release.municipalities.add(place)
    ReleaseImageFactory(release=release, alt_text="A night bus", caption="Route 7")
    AttachmentFactory(release=release, title="Timetable")
    Release.objects.filter(pk=release.pk).update(hit_count=201)

    data = client.get(f"{API}/releases/{release.number}").json()

    assert data["title"] == "Night buses"
    assert data["body_html"] == "<p>Later <b>buses</b></p>"
    assert data["url"] == f"http://testserver{release.get_absolute_url()}"
    assert data["municipalities"] == [
        {"slug": "suwon", "name": "Suwon", "local_name": "수원시"}
    ]
    assert data["images"][0]["alt"] == "A night bus"
    assert data["attachments"][0]["title"] == "Timetable"
    assert data["licence"]["name"].startswith("Korea Open Government License")
    assert data["hits"] == 201


def test_detail_is_kept_until_the_release_is_saved_with_hits_always_fresh(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    release = ReleaseFactory(title="Night buses")
    client.get(f"{API}/releases/{release.number}")
    Release.objects.filter(pk=release.pk).update(hit_count=7)

    with CaptureQueriesContext(connection) as queries:
        data = client.get(f"{API}/releases/{release.number}").json()
    assert data["hits"] == 7
    # One row read for its revision and hits; nothing of its tags, files, notes.
    asked = [query["sql"] for query in queries.captured_queries]
    assert len([sql for sql in asked if '"releases_' in sql or '"people_' in sql]) == 1

    release.title = "Night buses, new routes"
    release.save()
    assert client.get(f"{API}/releases/{release.number}").json()["title"] == (
        "Night buses, new routes"
    )


@pytest.mark.parametrize("name", ["municipality", "topic", "official"])
def test_list_filters_by_a_tag(client, name):
    tag = {
        "municipality": MunicipalityFactory,
        "topic": TopicFactory,
        "official": OfficialFactory,
    }[name](slug="chosen")
    tagged = ReleaseFactory()
    getattr(tagged, api.TAG_FILTERS[name][1]).add(tag)
    ReleaseFactory()

    response = client.get(f"{API}/releases", {name: "chosen"})

    assert numbers(response) == [tagged.number]


def test_list_filters_by_dates_language_and_words(client):
    october = ReleaseFactory(
        title="Semiconductor belt", published_at="2021-10-07T10:00+09:00"
    )
    ReleaseFactory(title="Semiconductor plant", published_at="2022-03-01T10:00+09:00")
    ReleaseFactory(
        title="반도체 벨트", language="ko", published_at="2021-10-07T11:00+09:00"
    )

    response = client.get(
        f"{API}/releases",
        {
            "published_from": "2021-10-01",
            "published_to": "2021-10-31",
            "language": "en",
            "q": "semiconductors",
        },
    )

    assert numbers(response) == [october.number]


def test_list_order_is_newest_first_then_by_number(client):
    at = timezone.now() - datetime.timedelta(days=1)
    first, second = ReleaseFactory(published_at=at), ReleaseFactory(published_at=at)
    newest = ReleaseFactory()

    assert numbers(client.get(f"{API}/releases")) == [
        newest.number,
        second.number,
        first.number,
    ]


def test_pages_link_to_each_other(client):
    ReleaseFactory.create_batch(5)

    first = client.get(f"{API}/releases", {"page_size": 2}).json()
    last = client.get(first["next"].replace("http://testserver", "")).json()
    last = client.get(last["next"].replace("http://testserver", "")).json()

    assert (first["count"], first["pages"], first["previous"]) == (5, 3, None)
    assert len(last["results"]) == 1
    assert last["next"] is None


def data_queries(client, path):
    """The queries a request makes of the site's data (not of the cache table)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and "pressoffice_" not in query["sql"]
    ]


def test_list_queries_do_not_grow_with_the_page(client):
    for _ in range(20):
        release = ReleaseFactory()
        release.topics.add(TopicFactory())
        ReleaseImageFactory(release=release)

    # The count, the page, and one a kind of part (tags, images, files, notes…).
    assert len(data_queries(client, f"{API}/releases")) <= 11


def test_a_list_page_asked_again_is_served_from_the_cache(client):
    ReleaseFactory()
    client.get(f"{API}/releases")

    assert data_queries(client, f"{API}/releases") == []


def test_a_saved_release_shows_in_the_next_list_at_once(
    client, django_capture_on_commit_callbacks
):
    release = ReleaseFactory(title="Night buses")
    client.get(f"{API}/releases")

    release.title = "Night buses, new routes"
    with django_capture_on_commit_callbacks(execute=True):
        release.save()

    titles = [r["title"] for r in client.get(f"{API}/releases").json()["results"]]
    assert titles == ["Night buses, new routes"]


def test_a_new_tag_shows_in_the_next_list_at_once(
    client, django_capture_on_commit_callbacks
):
    release = ReleaseFactory()
    client.get(f"{API}/releases")

    with django_capture_on_commit_callbacks(execute=True):
        release.topics.add(TopicFactory(slug="transport"))

    [listed] = client.get(f"{API}/releases").json()["results"]
    assert [topic["slug"] for topic in listed["topics"]] == ["transport"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"published_from": "0001-01-01"}, "published_from"),
        ({"published_to": "9999-12-31"}, "published_to"),
        ({"published_from": "yesterday"}, "published_from"),
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"language": "fr"}, "language"),
        ({"municipality": "atlantis"}, "municipality"),
        ({"q": "x" * 201}, "q"),
        ({"q": "buses\x00"}, "q"),
        ({"topic": "e\x00c"}, "topic"),
        ({"municipality": "수원"}, "municipality"),
    ],
)
def test_bad_parameter_gets_a_400_naming_it(client, query, parameter):
    response = client.get(f"{API}/releases", query)

    assert response.status_code == 400
    assert [error["parameter"] for error in response.json()["errors"]] == [parameter]


def test_page_beyond_the_last_is_not_found(client):
    ReleaseFactory()
    assert client.get(f"{API}/releases", {"page": 2}).status_code == 404


def test_hits_by_day_over_a_range(client):
    release = ReleaseFactory(published_at="2021-10-07T10:00+09:00")
    DailyHitsFactory(release=release, day=datetime.date(2021, 10, 7), hits=120)
    DailyHitsFactory(release=release, day=datetime.date(2021, 10, 8), hits=81)

    data = client.get(
        f"{API}/releases/{release.number}/hits",
        {"start": "2021-10-07", "end": "2021-10-09"},
    ).json()

    assert data["total"] == 201
    assert data["days"] == [
        {"day": "2021-10-07", "hits": 120},
        {"day": "2021-10-08", "hits": 81},
        {"day": "2021-10-09", "hits": 0},
    ]


def test_hits_range_outside_the_dates_window_is_a_400(client):
    release = ReleaseFactory()
    response = client.get(
        f"{API}/releases/{release.number}/hits", {"start": "0001-01-01"}
    )
    assert response.status_code == 400


def test_unchanged_answer_is_a_304_with_its_etag(client):
    TopicFactory()
    first = client.get(f"{API}/topics")

    again = client.get(f"{API}/topics", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_answers_are_public_and_open_to_every_origin(client):
    response = client.get(f"{API}/municipalities")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]


def test_officials_come_with_their_posts(client):
    from tests.people.factories import PositionFactory

    PositionFactory(official=OfficialFactory(slug="kim-bo-ra"), title="Mayor")

    [official] = client.get(f"{API}/officials").json()

    assert official["slug"] == "kim-bo-ra"
    assert official["posts"][0]["title"] == "Mayor"


def test_a_client_asking_too_often_is_told_when_to_come_back(client, settings):
    settings.API_RATE = "3/m"

    answers = [client.get(f"{API}/topics") for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert int(answers[-1]["Retry-After"]) > 0


def test_openapi_document_describes_every_endpoint(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]

    assert set(paths) == {
        f"{API}/releases",
        f"{API}/releases/{{number}}",
        f"{API}/releases/{{number}}/hits",
        f"{API}/municipalities",
        f"{API}/officials",
        f"{API}/topics",
    }


def test_docs_page_is_served_without_any_cdn(client):
    page = client.get(f"{API}/docs").text

    assert "swagger-ui-bundle" in page
    assert "cdn" not in page.lower()


def test_a_browsers_cors_preflight_is_answered(client):
    response = client.options(
        f"{API}/topics",
        HTTP_ORIGIN="https://newsroom.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]


def test_release_not_changed_since_is_a_304(client):
    release = ReleaseFactory()
    first = client.get(f"{API}/releases/{release.number}")

    again = client.get(
        f"{API}/releases/{release.number}",
        HTTP_IF_MODIFIED_SINCE=first["Last-Modified"],
    )

    assert again.status_code == 304


@pytest.mark.parametrize("number", ["0", "99999999999999999999", "-3"])
def test_a_number_no_release_can_have_is_a_400(client, number):
    response = client.get(f"{API}/releases/{number}")

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "number"


def release_with_every_part(**fields):
    release = ReleaseFactory(**fields)
    release.topics.add(TopicFactory())
    release.municipalities.add(MunicipalityFactory())
    release.officials.add(OfficialFactory())
    ReleaseImageFactory(release=release)
    AttachmentFactory(release=release)
    ReleaseFactory(language="ko", translation_of=release)
    return release


@pytest.mark.parametrize("releases", [2, 10])
def test_list_page_queries_do_not_grow_with_its_releases(
    client, django_assert_max_num_queries, settings, releases
):
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        for alias in settings.CACHES
    }  # only the page's own queries are counted
    cache.clear()
    for _ in range(releases):
        release_with_every_part()

    # Count and page, and one for each kind of part: three of tags, notes,
    # images, attachments, translations.
    with django_assert_max_num_queries(10):
        response = client.get(f"{API}/releases?page_size=20")

    assert len(response.json()["results"]) == 2 * releases


def test_list_gives_each_release_its_own_parts(client):
    first, second = release_with_every_part(), release_with_every_part()

    results = {
        item["number"]: item for item in client.get(f"{API}/releases").json()["results"]
    }

    for release in (first, second):
        item = results[release.number]
        assert [topic["slug"] for topic in item["topics"]] == [
            topic.slug for topic in release.topics.all()
        ]
        assert [t["number"] for t in item["translations"]] == [
            release.translations.get().number
        ]
        assert len(item["images"]) == len(item["attachments"]) == 1


def test_later_pages_of_a_list_reuse_its_count(
    client, settings, django_assert_num_queries
):
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        for alias in settings.CACHES
    }
    cache.clear()
    for _ in range(3):
        ReleaseFactory()

    # count, ids, rows, three of tags, notes, images, attachments, translations
    with django_assert_num_queries(10):
        client.get(f"{API}/releases?page_size=1&page=1")
    with django_assert_num_queries(9):
        response = client.get(f"{API}/releases?page_size=1&page=2")

    assert response.json()["count"] == 3


@pytest.mark.parametrize("end", ["0001-01-01", "9999-12-31"])
def test_hits_with_an_end_outside_the_window_is_a_400_naming_it(client, end):
    # The default start is counted 29 days back from end: 0001-01-01 overflowed.
    release = ReleaseFactory()

    response = client.get(f"{API}/releases/{release.number}/hits", {"end": end})

    assert response.status_code == 400
    assert response.json()["errors"][0]["parameter"] == "end"
