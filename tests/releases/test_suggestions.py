import pytest
from django.urls import reverse

from releases.suggestions import untagged_mentions
from tests.people.factories import MunicipalityFactory, OfficialFactory
from tests.releases.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


def test_official_named_in_body_but_not_tagged_is_suggested():
    official = OfficialFactory(name="Kim Bo-ra", local_name="김보라")
    release = ReleaseFactory(body="<p>Mayor Kim Bo-ra opened the festival.</p>")
    assert untagged_mentions(release)["officials"] == [official]


def test_korean_name_is_found_too():
    official = OfficialFactory(name="Lee Jaemyung", local_name="이재명")
    release = ReleaseFactory(title="이재명 지사, 반도체 벨트 방문")
    assert untagged_mentions(release)["officials"] == [official]


def test_city_written_without_city_suffix_is_found():
    suwon = MunicipalityFactory(name="Suwon", local_name="수원시")
    release = ReleaseFactory(summary="○ 수원 지역 버스 노선 확대")
    assert untagged_mentions(release)["municipalities"] == [suwon]


def test_tagged_ones_are_not_suggested():
    official = OfficialFactory(name="Kim Bo-ra")
    release = ReleaseFactory(body="Kim Bo-ra spoke.")
    release.officials.add(official)
    assert untagged_mentions(release)["officials"] == []


def test_name_inside_another_word_is_not_a_mention():
    MunicipalityFactory(name="Osan", local_name="오산시")
    release = ReleaseFactory(body="The Gosan festival.")
    assert untagged_mentions(release)["municipalities"] == []


def test_change_form_offers_suggestions_as_one_click_buttons(admin_client):
    place = MunicipalityFactory(name="Icheon", local_name="이천시")
    release = ReleaseFactory(draft=True, body="Icheon opens a clinic.")

    response = admin_client.get(
        reverse("admin:releases_release_change", args=[release.pk])
    )

    assert f'data-suggest-field="municipalities" data-suggest-id="{place.pk}"' in (
        response.text
    )
    assert "js/tag-suggestions.js" in response.text


def test_body_field_gets_the_rich_text_editor(admin_client):
    response = admin_client.get(reverse("admin:releases_release_add"))
    assert "data-django-prose-editor-configurable" in response.text
    assert "django_prose_editor/configurable.js" in response.text
