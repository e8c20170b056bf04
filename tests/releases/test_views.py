import re

import pytest
from django.urls import reverse
from django.utils.timezone import localtime

from tests.people.factories import MunicipalityFactory, PositionFactory
from tests.releases.factories import (
    AttachmentFactory,
    ReleaseFactory,
    ReleaseImageFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("releases:release_list")


def test_home_lists_latest_published_releases(client):
    ReleaseFactory(title="Clinic opens")
    ReleaseFactory(title="Hidden draft", draft=True)

    response = client.get("/")

    assert "Clinic opens" in response.text
    assert "Hidden draft" not in response.text


def test_board_row_shows_number_title_department_date_and_hits(client):
    release = ReleaseFactory(title="Bridges checked")
    release.hit_count = 77
    release.save()

    response = client.get(LIST_URL)

    row = response.text.split("Bridges checked")[1].split("</tr>")[0]
    assert str(release.number) in response.text
    assert release.department.name in row
    assert f"{localtime(release.published_at):%Y-%m-%d}" in row
    assert ">77<" in row


def test_board_shows_twenty_releases_a_page(client):
    ReleaseFactory.create_batch(21)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    assert len(first.context["page_obj"].object_list) == 20
    assert len(second.context["page_obj"].object_list) == 1


def test_board_hides_unpublished_releases(client):
    ReleaseFactory(title="Public one")
    ReleaseFactory(title="Tomorrow's news", embargoed=True)
    ReleaseFactory(title="Pulled one", withdrawn=True)

    response = client.get(LIST_URL)

    assert "Public one" in response.text
    assert "Tomorrow" not in response.text
    assert "Pulled one" not in response.text


@pytest.mark.parametrize(
    ("page", "expected"), [("abc", 1), ("99999", 2), ("-1", 2), ("", 1), ("1.5", 1)]
)
def test_bad_page_number_gives_a_valid_page(client, page, expected):
    ReleaseFactory.create_batch(21)

    response = client.get(LIST_URL, {"page": page})

    assert response.status_code == 200
    assert response.context["page_obj"].number == expected


def test_page_links_keep_the_filters(client):
    topic = TopicFactory(slug="transport")
    for release in ReleaseFactory.create_batch(21):
        release.topics.add(topic)

    response = client.get(LIST_URL, {"topic": "transport"})

    assert "?topic=transport&amp;page=2" in response.text


def test_search_finds_words_in_title_or_body(client):
    ReleaseFactory(title="Bus routes", body="Later buses to Seoul.")
    ReleaseFactory(title="Rice", body="Farmers get grants.")

    response = client.get(LIST_URL, {"q": "seoul"})

    assert "Bus routes" in response.text
    assert "Rice" not in response.text


@pytest.mark.parametrize("query", ['"', "-", "or", "-night", "OR OR", "!!!"])
def test_search_without_a_word_to_find_lists_nothing(client, query):
    ReleaseFactory(title="Night buses")

    response = client.get(LIST_URL, {"q": query, "sort": "relevance"})

    assert response.status_code == 200
    assert "Night buses" not in response.text


def test_unknown_filter_value_is_shown_as_an_error(client):
    ReleaseFactory(title="Still listed")

    response = client.get(LIST_URL, {"municipality": "atlantis"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.text


def test_oversized_search_is_shown_as_an_error(client):
    response = client.get(LIST_URL, {"q": "x" * 10_000})

    assert response.status_code == 200
    assert "at most 200 characters" in response.text


def test_detail_shows_created_date_and_hits(client):
    release = ReleaseFactory()
    release.hit_count = 201
    release.save()

    response = client.get(release.get_absolute_url())

    created = localtime(release.published_at)
    assert f'Created <time datetime="{created:%Y-%m-%d}' in response.text
    assert f">{created:%Y-%m-%d}</time>" in response.text
    assert "Hit 201" in response.text


def test_detail_renders_summary_as_nested_list(client):
    release = ReleaseFactory(summary="○ Main point\n– Sub point")

    response = client.get(release.get_absolute_url())

    assert "<li>Main point" in response.text
    assert "<ul><li>Sub point</li></ul>" in response.text


def test_detail_strips_scripts_and_handlers_from_body(client):
    release = ReleaseFactory(
        body='<p>First</p><script>alert(1)</script><p onclick="steal()">Second</p>'
    )

    response = client.get(release.get_absolute_url())

    assert "<p>First</p>" in response.text
    assert "<p>Second</p>" in response.text
    assert "alert(1)" not in response.text
    assert "steal()" not in response.text


def test_plain_text_body_is_shown_as_escaped_paragraphs(client):
    release = ReleaseFactory(body="One line\n\nTwo & three")

    response = client.get(release.get_absolute_url())

    assert "<p>One line</p>" in response.text
    assert "<p>Two &amp; three</p>" in response.text


def test_detail_shows_officials_with_their_post_and_municipalities(client):
    position = PositionFactory(
        current=True, municipality=MunicipalityFactory(name="Icheon")
    )
    release = ReleaseFactory()
    release.officials.add(position.official)
    release.municipalities.add(position.municipality)

    response = client.get(release.get_absolute_url())

    assert f'{position.official.name}</a><span class="muted">, Mayor, Icheon' in (
        response.text
    )
    assert position.municipality.get_absolute_url() in response.text


def test_detail_shows_gallery_and_attachments(client):
    image = ReleaseImageFactory(alt_text="Mayors on stage", caption="The signing")
    AttachmentFactory(release=image.release, title="Strategy paper")

    response = client.get(image.release.get_absolute_url())

    assert 'alt="Mayors on stage"' in response.text
    assert "The signing" in response.text
    assert "Strategy paper" in response.text


def test_detail_with_wrong_slug_redirects_permanently(client):
    release = ReleaseFactory(title="Right title")

    response = client.get(f"/releases/{release.number}/old-title/")

    assert response.status_code == 301
    assert response["Location"] == release.get_absolute_url()


def test_detail_by_number_alone_redirects(client):
    release = ReleaseFactory()

    response = client.get(f"/releases/{release.number}/")

    assert response.status_code == 301
    assert response["Location"] == release.get_absolute_url()


def test_unknown_release_gets_the_site_404_page(client):
    response = client.get("/releases/424242/anything/")

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "Browse all releases" in response.text


@pytest.mark.parametrize("trait", ["draft", "in_review", "embargoed"])
def test_unpublished_release_page_is_404(client, trait):
    release = ReleaseFactory(**{trait: True})
    response = client.get(f"/releases/{release.number}/{release.slug}/")
    assert response.status_code == 404


def test_withdrawn_release_stays_with_a_notice(client):
    release = ReleaseFactory(withdrawn=True)

    response = client.get(release.get_absolute_url())

    assert response.status_code == 200
    assert "This release has been withdrawn." in response.text
    assert "Figures were wrong" in response.text


def test_detail_links_to_translation(client):
    original = ReleaseFactory()
    korean = ReleaseFactory(language="ko", translation_of=original, title="경기도 소식")

    response = client.get(original.get_absolute_url())

    assert korean.get_absolute_url() in response.text


def test_topic_page_lists_its_releases(client):
    topic = TopicFactory(name="Transport")
    release = ReleaseFactory(title="Night buses")
    release.topics.add(topic)

    response = client.get(topic.get_absolute_url())

    assert "Night buses" in response.text


def _tag_everything(release):
    release.topics.add(TopicFactory())
    release.municipalities.add(MunicipalityFactory())
    release.officials.add(PositionFactory().official)
    ReleaseImageFactory(release=release)
    AttachmentFactory(release=release)


@pytest.mark.parametrize("rows", [3, 30])
def test_board_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, rows
):
    for release in ReleaseFactory.create_batch(rows):
        _tag_everything(release)
    client.get(LIST_URL)  # caches the unused filters' HTML

    with django_assert_max_num_queries(4):
        client.get(LIST_URL)


@pytest.mark.parametrize("rows", [3, 30])
def test_board_with_a_filter_used_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, rows
):
    for release in ReleaseFactory.create_batch(rows):
        _tag_everything(release)

    with django_assert_max_num_queries(7):
        client.get(LIST_URL, {"language": "en"})


@pytest.mark.parametrize("rows", [3, 30])
def test_search_query_count_does_not_grow_with_matches(
    client, django_assert_max_num_queries, rows
):
    for release in ReleaseFactory.create_batch(rows, title="Night buses"):
        _tag_everything(release)
    client.get(LIST_URL, {"q": "buses"})  # caches the unused filters' HTML

    with django_assert_max_num_queries(4):
        client.get(LIST_URL, {"q": "buses"})


@pytest.mark.parametrize("tags", [1, 10])
def test_detail_query_count_does_not_grow_with_tags(
    client, django_assert_max_num_queries, tags
):
    release = ReleaseFactory()
    for _ in range(tags):
        _tag_everything(release)

    # 14 reads (text fields deferred; related, previous and next releases), then
    # the page stored in the database cache (5 more).
    with django_assert_max_num_queries(19):
        client.get(release.get_absolute_url())


def test_detail_served_from_page_cache_runs_two_queries(
    client, django_assert_num_queries
):
    release = ReleaseFactory()
    _tag_everything(release)
    client.get(release.get_absolute_url())

    with django_assert_num_queries(2):  # the release, the cached page
        response = client.get(release.get_absolute_url())

    assert release.department.name in response.text


def test_saving_a_release_refreshes_its_cached_page(client):
    release = ReleaseFactory(body="Old text")
    client.get(release.get_absolute_url())
    release.body = "New text"
    release.save()

    response = client.get(release.get_absolute_url())

    assert "New text" in response.text


def test_home_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries
):
    ReleaseFactory.create_batch(30)
    client.get("/")  # fills the cached most-read lists

    # latest releases, topics, and one cache read for each most-read list
    with django_assert_max_num_queries(4):
        client.get("/")


@pytest.mark.parametrize("param", ["q", "municipality", "official", "topic"])
def test_nul_byte_in_filter_is_refused_without_error_page(client, param):
    response = client.get(LIST_URL, {param: "suwon\x00"})

    assert response.status_code == 200
    assert "field-error" in response.text


def test_release_page_cached_after_a_visit_with_a_query_string_keeps_none_of_it(
    client,
):
    url = ReleaseFactory().get_absolute_url()
    client.get(url, {"utm_source": "x", "next": "//evil.example"})

    text = client.get(url).text

    assert "utm_source" not in text
    assert "evil.example" not in text


def test_list_pages_carry_open_graph_with_site_name_and_locale(client):
    text = client.get("/ko/officials/").text
    assert '<meta property="og:site_name" content="경기도 대변인실">' in text
    assert '<meta property="og:locale" content="ko_KR">' in text
    assert '<meta property="og:url" content="http://testserver/ko/officials/">' in text


def test_release_without_image_shares_the_default_image(client):
    text = client.get(ReleaseFactory().get_absolute_url()).text
    assert re.search(r'<meta property="og:image" content="http://testserver/static/'
                     r'images/share[.\w]*png">', text)  # fmt: skip


def test_the_live_count_is_the_release_total_kept_for_a_second(client):
    release = ReleaseFactory(hit_count=201)

    response = client.get(reverse("releases:release_hits", args=[release.number]))

    assert response.json() == {"hits": 201}
    assert response["Cache-Control"] == "public, max-age=1"


@pytest.mark.parametrize("trait", ["draft", "in_review", "embargoed"])
def test_the_live_count_of_a_release_not_public_is_404(client, trait):
    release = ReleaseFactory(**{trait: True})

    response = client.get(reverse("releases:release_hits", args=[release.number]))

    assert response.status_code == 404


def test_behind_the_front_the_release_page_asks_for_its_live_count(client, settings):
    settings.HITS_FRONT_LOG = "/var/log/nginx/hits.log"
    release = ReleaseFactory()

    page = client.get(release.get_absolute_url()).text

    url = reverse("releases:release_hits", args=[release.number])
    assert f'data-live-hits="{url}">0</span>' in page
    assert "js/live-hits" in page


def test_without_the_front_the_release_page_has_no_live_count(client):
    page = client.get(ReleaseFactory().get_absolute_url()).text

    assert "data-live-hits" not in page
    assert "live-hits.js" not in page


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"published_from": "xx"}, "published_from"),
        ({"municipality": "atlantis"}, "municipality"),
    ],
)
def test_filter_error_is_where_the_field_points_screen_readers(client, params, field):
    import re

    text = client.get(LIST_URL, params).text

    described = re.findall(r'aria-describedby="([^"]*)"', text)
    target = f"id_{field}_error"
    assert any(target in ids.split() for ids in described)
    assert f'id="{target}"' in text
