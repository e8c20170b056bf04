import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from people.models import Position
from tests.people.factories import (
    MunicipalityFactory,
    OfficialFactory,
    OrganizationFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db


def test_held_on_includes_first_and_last_day_of_term():
    position = PositionFactory()
    assert list(Position.objects.held_on(position.started_on)) == [position]
    assert list(Position.objects.held_on(position.ended_on)) == [position]


def test_held_on_excludes_days_outside_term():
    position = PositionFactory()
    assert not Position.objects.held_on(position.ended_on + datetime.timedelta(days=1))
    assert not Position.objects.held_on(
        position.started_on - datetime.timedelta(days=1)
    )


def test_held_on_includes_open_ended_post_today():
    position = PositionFactory(current=True)
    assert list(Position.objects.held_on(datetime.date(2030, 1, 1))) == [position]


def test_current_is_positions_held_today():
    current = PositionFactory(current=True)
    PositionFactory()
    assert list(Position.objects.current()) == [current]


def test_is_current_agrees_with_current_for_every_kind_of_post():
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    for started_on, ended_on in [
        (today - 400 * day, None),
        (today - 400 * day, today + 30 * day),
        (today - 400 * day, today),
        (today - 400 * day, today - day),
        (today + day, None),
    ]:
        PositionFactory(started_on=started_on, ended_on=ended_on)

    current = set(Position.objects.current())

    assert {
        position for position in Position.objects.all() if position.is_current
    } == current
    assert len(current) == 3


def test_database_refuses_post_ending_before_it_starts():
    with pytest.raises(IntegrityError):
        PositionFactory(
            started_on=datetime.date(2022, 1, 1), ended_on=datetime.date(2021, 1, 1)
        )


def test_database_refuses_post_with_both_municipality_and_organization():
    with pytest.raises(IntegrityError):
        PositionFactory(organization=OrganizationFactory())


def test_database_refuses_post_with_neither_municipality_nor_organization():
    with pytest.raises(IntegrityError):
        PositionFactory(municipality=None)


def test_overlapping_term_in_same_post_is_rejected():
    first = PositionFactory()
    overlapping = Position(
        official=first.official,
        title=first.title,
        municipality=first.municipality,
        started_on=datetime.date(2022, 6, 1),
    )
    with pytest.raises(ValidationError, match="already held this post"):
        overlapping.full_clean()


def test_open_ended_term_overlapping_later_term_is_rejected():
    later = PositionFactory(started_on=datetime.date(2022, 7, 1), current=True)
    earlier = Position(
        official=later.official,
        title=later.title,
        municipality=later.municipality,
        started_on=datetime.date(2018, 7, 1),
    )
    with pytest.raises(ValidationError):
        earlier.full_clean()


def test_consecutive_terms_in_same_post_are_allowed():
    first = PositionFactory()
    second = Position(
        official=first.official,
        title=first.title,
        municipality=first.municipality,
        started_on=first.ended_on + datetime.timedelta(days=1),
    )
    second.full_clean()


def test_same_dates_in_another_post_are_allowed():
    first = PositionFactory()
    other = Position(
        official=first.official,
        title="Chair",
        organization=OrganizationFactory(),
        started_on=first.started_on,
    )
    other.full_clean()


def test_editing_a_post_does_not_count_as_overlapping_itself():
    position = PositionFactory()
    position.ended_on = datetime.date(2022, 12, 31)
    position.full_clean()


def test_post_name_reads_title_and_place():
    position = PositionFactory(municipality=MunicipalityFactory(name="Suwon"))
    assert str(position.post_name) == "Mayor, Suwon"


def test_official_slug_is_unique():
    OfficialFactory(slug="lee")
    with pytest.raises(IntegrityError):
        OfficialFactory(slug="lee")


def test_korean_interface_uses_local_names_and_titles():
    from django.utils import translation

    position = PositionFactory(
        municipality=MunicipalityFactory(name="Suwon", local_name="수원시"),
        local_title="시장",
    )
    with translation.override("ko"):
        assert position.municipality.localized_name == "수원시"
        assert position.post_name == "수원시 시장"
    with translation.override("en"):
        assert str(position.post_name) == "Mayor, Suwon"


def test_official_photo_is_stored_without_its_metadata_under_a_new_name():
    from django.core.files.base import ContentFile
    from PIL import Image

    from tests.releases.files import jpeg_with_gps

    official = OfficialFactory(photo=ContentFile(jpeg_with_gps(), name="kim-home.jpg"))

    with Image.open(official.photo.path) as stored:
        assert not stored.getexif()
    assert "kim-home" not in official.photo.name
    assert (official.photo_width, official.photo_height) == (800, 600)


def test_official_photo_gets_the_release_images_checks(admin_client):
    from django.urls import reverse

    from tests.releases.files import HOSTILE_IMAGES, upload

    official = OfficialFactory()
    name, content = HOSTILE_IMAGES["GIF with script appended"]
    response = admin_client.post(
        reverse("admin:people_official_change", args=[official.pk]),
        {
            "name": official.name,
            "slug": official.slug,
            "photo": upload(name, content),
            "positions-TOTAL_FORMS": 0,
            "positions-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"]
    official.refresh_from_db()
    assert not official.photo
