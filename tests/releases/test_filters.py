from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from releases.filters import ReleaseFilter
from releases.models import Release
from tests.people.factories import MunicipalityFactory, OrganizationFactory
from tests.releases.factories import ReleaseFactory, TopicFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("releases:release_list")


def titles(response):
    return [release.title for release in response.context["page_obj"].object_list]


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def test_several_municipalities_combine_as_either(client):
    suwon, yongin = (
        MunicipalityFactory(slug="suwon"),
        MunicipalityFactory(slug="yongin"),
    )
    for title, place in [("In Suwon", suwon), ("In Yongin", yongin)]:
        ReleaseFactory(title=title).municipalities.add(place)
    ReleaseFactory(title="Elsewhere")

    response = client.get(LIST_URL, {"municipality": ["suwon", "yongin"]})

    assert sorted(titles(response)) == ["In Suwon", "In Yongin"]


def test_release_tagged_with_two_chosen_places_is_listed_once(client):
    suwon, yongin = (
        MunicipalityFactory(slug="suwon"),
        MunicipalityFactory(slug="yongin"),
    )
    ReleaseFactory(title="Both").municipalities.add(suwon, yongin)

    response = client.get(LIST_URL, {"municipality": ["suwon", "yongin"]})

    assert titles(response) == ["Both"]


def test_department_filter(client):
    transport = OrganizationFactory(slug="transportation")
    ReleaseFactory(title="Buses", department=transport)
    ReleaseFactory(title="Rice")

    assert titles(client.get(LIST_URL, {"department": "transportation"})) == ["Buses"]


def test_language_filter(client):
    ReleaseFactory(title="English one")
    ReleaseFactory(title="한국어 보도자료", language="ko")

    assert titles(client.get(LIST_URL, {"language": "ko"})) == ["한국어 보도자료"]


@pytest.mark.parametrize(
    ("period", "expected"), [("week", 1), ("month", 2), ("year", 3)]
)
def test_period_presets(client, period, expected):
    for days in (2, 20, 200, 800):
        ReleaseFactory(published_at=days_ago(days))

    assert len(titles(client.get(LIST_URL, {"period": period}))) == expected


def test_custom_date_range_includes_both_ends(client):
    for day in ("2021-10-06", "2021-10-07", "2021-10-08", "2021-10-09"):
        ReleaseFactory(title=day, published_at=f"{day}T10:00:00+09:00")

    response = client.get(
        LIST_URL, {"published_from": "2021-10-07", "published_to": "2021-10-08"}
    )

    assert sorted(titles(response)) == ["2021-10-07", "2021-10-08"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", ["New", "Old"]),
        ("oldest", ["Old", "New"]),
        ("most_read", ["Old", "New"]),
    ],
)
def test_sort_orders(client, sort, expected):
    old = ReleaseFactory(title="Old", published_at=days_ago(10))
    ReleaseFactory(title="New", published_at=days_ago(1))
    Release.objects.filter(pk=old.pk).update(hit_count=500)

    assert titles(client.get(LIST_URL, {"sort": sort})) == expected


def test_search_sorts_by_relevance_with_title_matches_first(client):
    ReleaseFactory(
        title="Clinic hours", body="<p>Buses stop nearby.</p>", published_at=days_ago(1)
    )
    ReleaseFactory(
        title="Night buses", body="<p>Later services.</p>", published_at=days_ago(5)
    )

    assert titles(client.get(LIST_URL, {"q": "buses"})) == [
        "Night buses",
        "Clinic hours",
    ]


def test_result_count_is_shown(client):
    ReleaseFactory.create_batch(3)
    assert "3 releases" in client.get(LIST_URL).text


@pytest.mark.parametrize(
    "params",
    [
        {"published_from": "2021-02-30"},
        {"published_to": "yesterday"},
        {"department": "no-such-department"},
        {"official": "\x00"},
        {"language": "xx"},
        {"period": "decade"},
        {"sort": "random"},
        {"municipality": ["suwon", "' OR 1=1 --"]},
        {"page": "-1"},
        {"q": "a" * 10_000},
        {"q": "semi\x00conductor"},
    ],
)
def test_bad_parameters_show_an_error_and_still_list(client, params):
    ReleaseFactory(title="Still here")

    response = client.get(LIST_URL, params)

    assert response.status_code == 200
    assert "Still here" in response.text or "field-error" in response.text


def test_invalid_filter_is_ignored_and_the_others_apply(client):
    ReleaseFactory(title="Korean", language="ko")
    ReleaseFactory(title="English")

    response = client.get(LIST_URL, {"language": "ko", "published_from": "not-a-date"})

    assert titles(response) == ["Korean"]
    assert "field-error" in response.text


def test_page_links_keep_every_filter(client):
    ReleaseFactory.create_batch(21, language="ko")

    response = client.get(LIST_URL, {"language": "ko", "sort": "oldest"})

    assert "?language=ko&amp;sort=oldest&amp;page=2" in response.text


@pytest.fixture
def five_bus_releases():
    """Five releases matching "bus", one a day, newest first: Bus 1 ... Bus 5."""
    return [
        ReleaseFactory(title=f"Bus {n}", published_at=days_ago(n)) for n in range(1, 6)
    ]


def test_search_lists_at_most_its_limit_of_newest_matches(
    client, five_bus_releases, monkeypatch
):
    monkeypatch.setattr(ReleaseFilter, "results_limit", 3)
    response = client.get(LIST_URL, {"q": "bus", "sort": "newest"})
    assert titles(response) == ["Bus 1", "Bus 2", "Bus 3"]
    assert response.context["paginator"].count == 3
    assert "More than 3 releases match" in response.text


def test_search_limit_follows_the_chosen_order(client, five_bus_releases, monkeypatch):
    monkeypatch.setattr(ReleaseFilter, "results_limit", 2)
    response = client.get(LIST_URL, {"q": "bus", "sort": "oldest"})
    assert titles(response) == ["Bus 5", "Bus 4"]


def test_search_ranks_the_newest_matches_when_there_are_too_many(
    client, five_bus_releases, monkeypatch
):
    ReleaseFactory(title="Old news", body="<p>bus</p>", published_at=days_ago(30))
    monkeypatch.setattr(ReleaseFilter, "results_limit", 5)
    response = client.get(LIST_URL, {"q": "bus"})
    assert "Old news" not in titles(response)
    assert len(titles(response)) == 5


def test_search_within_its_limit_shows_the_exact_count(
    client, five_bus_releases, monkeypatch
):
    monkeypatch.setattr(ReleaseFilter, "results_limit", 10)
    response = client.get(LIST_URL, {"q": "bus"})
    assert response.context["paginator"].count == 5
    assert "5 releases" in response.text
    assert "More than" not in response.text


def test_search_pages_through_what_it_lists(client, five_bus_releases, monkeypatch):
    monkeypatch.setattr(ReleaseFilter, "results_limit", 25)
    for n in range(6, 26):
        ReleaseFactory(title=f"Bus {n}", published_at=days_ago(n))
    response = client.get(LIST_URL, {"q": "bus", "sort": "newest", "page": 2})
    assert titles(response) == ["Bus 21", "Bus 22", "Bus 23", "Bus 24", "Bus 25"]


def test_new_municipality_is_offered_at_once_despite_the_cached_filters(client):
    MunicipalityFactory(name="Suwon")
    client.get(LIST_URL)
    MunicipalityFactory(name="Gapyeong")
    assert "Gapyeong" in client.get(LIST_URL).text


def test_renamed_topic_shows_its_new_name_in_the_cached_filters(client):
    topic = TopicFactory(name="Buses")
    client.get(LIST_URL)
    topic.name = "Public transport"
    topic.save()
    assert "Public transport" in client.get(LIST_URL).text


def test_cached_filters_are_kept_per_language(client):
    MunicipalityFactory(name="Suwon", local_name="수원시")
    client.get(LIST_URL)
    korean = client.get(f"/ko{LIST_URL}").text
    assert "수원시" in korean
    assert "Suwon" in client.get(LIST_URL).text


@pytest.fixture
def three_cities():
    cities = [("Ansan", "안산시"), ("Suwon", "수원시"), ("Gimpo", "김포시")]
    for name, local_name in cities:
        MunicipalityFactory(name=name, local_name=local_name, slug=name.lower())
    MunicipalityFactory(name="Yeoncheon", local_name="연천군", kind="county")


def municipality_choices(language):
    from django.utils import translation

    with translation.override(language):
        field = ReleaseFilter().form.fields["municipality"]
        return [label for _value, label in field.choices]


def test_municipality_choices_follow_english_names_in_english(three_cities):
    assert municipality_choices("en") == ["Ansan", "Gimpo", "Suwon", "Yeoncheon"]


def test_municipality_choices_follow_korean_order_in_korean(three_cities):
    assert municipality_choices("ko") == ["김포시", "수원시", "안산시", "연천군"]
