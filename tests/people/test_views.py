import pytest
from django.urls import reverse

from tests.people.factories import MunicipalityFactory, OfficialFactory, PositionFactory
from tests.releases.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


def test_official_page_shows_posts_and_published_releases(client):
    position = PositionFactory(municipality=MunicipalityFactory(name="Yongin"))
    shown = ReleaseFactory(title="Cluster opens")
    hidden = ReleaseFactory(title="Secret plan", draft=True)
    shown.officials.add(position.official)
    hidden.officials.add(position.official)

    response = client.get(position.official.get_absolute_url())

    assert response.status_code == 200
    assert "Mayor, Yongin" in response.text
    assert "Cluster opens" in response.text
    assert "Secret plan" not in response.text


def test_municipality_page_lists_its_releases_and_officials(client):
    position = PositionFactory(official=OfficialFactory(name="Kim Bo-ra"))
    release = ReleaseFactory(title="Anseong festival")
    release.municipalities.add(position.municipality)

    response = client.get(position.municipality.get_absolute_url())

    assert response.status_code == 200
    assert "Anseong festival" in response.text
    assert "Kim Bo-ra" in response.text


def test_municipality_directory_groups_by_kind(client):
    MunicipalityFactory(name="Gapyeong", kind="county")
    MunicipalityFactory(name="Suwon", kind="city")

    response = client.get(reverse("people:municipality_list"))

    assert "County" in response.text
    assert "City" in response.text


def test_official_directory_lists_officials(client):
    PositionFactory(official=OfficialFactory(name="Yeom Tae-yeong"))

    response = client.get(reverse("people:official_list"))

    assert "Yeom Tae-yeong" in response.text


@pytest.mark.parametrize("page", ["abc", "99999", "-1", "0", ""])
def test_official_page_with_bad_page_number_shows_a_page(client, page):
    official = OfficialFactory()

    response = client.get(official.get_absolute_url(), {"page": page})

    assert response.status_code == 200


def test_unknown_official_is_404(client):
    response = client.get(reverse("people:official_detail", args=["nobody"]))
    assert response.status_code == 404


def test_official_page_links_to_the_finder_filtered_by_them(client):
    official = OfficialFactory(slug="kim-bo-ra")
    response = client.get(official.get_absolute_url())
    assert "/releases/?official=kim-bo-ra" in response.text


def test_official_photo_is_sized_on_upload_and_its_page_survives_a_lost_file(client):
    from django.core.files.base import ContentFile

    from tests.releases.files import image_bytes

    official = OfficialFactory(
        photo=ContentFile(image_bytes((300, 400)), name="kim.jpg")
    )
    official.photo.storage.delete(official.photo.name)

    response = client.get(official.get_absolute_url())

    assert response.status_code == 200
    assert 'width="300" height="400"' in response.text


def test_municipality_directory_follows_korean_order_in_korean(client):
    cities = [("Ansan", "안산시"), ("Suwon", "수원시"), ("Gimpo", "김포시")]
    for name, local_name in cities:
        MunicipalityFactory(name=name, local_name=local_name)

    text = client.get("/ko" + reverse("people:municipality_list")).text

    assert text.index("김포시") < text.index("수원시") < text.index("안산시")


def test_korean_page_names_a_municipality_in_korean_first(client):
    place = MunicipalityFactory(name="Suwon", local_name="수원시", slug="suwon")

    text = client.get("/ko" + place.get_absolute_url()).text

    assert '<h1>수원시 <span class="local-name" lang="en">Suwon</span></h1>' in text
    assert "<title>수원시" in text
