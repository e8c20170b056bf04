import datetime
from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from releases.models import Release
from tests.people.factories import OfficialFactory, PositionFactory
from tests.releases.factories import AttachmentFactory, DailyHitsFactory, ReleaseFactory

pytestmark = pytest.mark.django_db


def test_published_includes_release_whose_date_has_passed():
    release = ReleaseFactory()
    assert list(Release.objects.published()) == [release]


@pytest.mark.parametrize("trait", ["draft", "in_review", "embargoed", "withdrawn"])
def test_published_excludes_non_public_releases(trait):
    ReleaseFactory(**{trait: True})
    assert not Release.objects.published().exists()


def test_visible_includes_withdrawn_release():
    release = ReleaseFactory(withdrawn=True)
    assert list(Release.objects.visible()) == [release]


@pytest.mark.parametrize("trait", ["draft", "in_review", "embargoed"])
def test_visible_excludes_unpublished_releases(trait):
    ReleaseFactory(**{trait: True})
    assert not Release.objects.visible().exists()


def test_embargoed_release_becomes_public_when_its_time_passes():
    release = ReleaseFactory(embargoed=True)
    Release.objects.filter(pk=release.pk).update(
        published_at=timezone.now() - timedelta(seconds=1)
    )
    assert list(Release.objects.published()) == [release]


def test_numbers_are_given_in_order_of_creation():
    first, second, third = ReleaseFactory.create_batch(3)
    assert [first.number, second.number, third.number] == [1, 2, 3]


def test_number_follows_the_highest_even_after_a_deletion():
    ReleaseFactory()
    second = ReleaseFactory()
    ReleaseFactory().delete()
    assert ReleaseFactory().number == second.number + 1


def test_database_refuses_duplicate_number():
    first = ReleaseFactory()
    second = ReleaseFactory()
    with pytest.raises(IntegrityError):
        Release.objects.filter(pk=second.pk).update(number=first.number)


def test_slug_is_made_from_title():
    assert ReleaseFactory(title="Bus routes get later services").slug == (
        "bus-routes-get-later-services"
    )


def test_korean_title_gives_korean_slug():
    assert ReleaseFactory(title="경기도 반도체 벨트").slug == "경기도-반도체-벨트"


def test_same_title_gets_a_distinct_slug():
    first = ReleaseFactory(title="Festival")
    second = ReleaseFactory(title="Festival")
    assert (first.slug, second.slug) == ("festival", "festival-2")


def test_database_refuses_negative_hit_count():
    release = ReleaseFactory()
    with pytest.raises(IntegrityError):
        Release.objects.filter(pk=release.pk).update(hit_count=-1)


def test_database_refuses_total_below_carried_over_hits():
    release = ReleaseFactory()
    with pytest.raises(IntegrityError):
        Release.objects.filter(pk=release.pk).update(legacy_hits=5, hit_count=4)


def test_database_refuses_published_release_without_date():
    with pytest.raises(IntegrityError):
        ReleaseFactory(published_at=None)


def test_database_refuses_lead_image_without_alt_text():
    with pytest.raises(IntegrityError):
        ReleaseFactory(lead_image="releases/lead/photo.jpg", lead_image_alt="")


def test_database_refuses_second_daily_hits_row_for_same_day():
    row = DailyHitsFactory()
    with pytest.raises(IntegrityError):
        DailyHitsFactory(release=row.release, day=row.day)


def test_database_refuses_negative_daily_hits():
    with pytest.raises(IntegrityError):
        DailyHitsFactory(hits=-1)


def test_summary_points_nest_dash_lines_under_circle_lines():
    release = ReleaseFactory.build(
        summary="○ First point\n– Detail A\n– Detail B\n\n○ Second point"
    )
    assert release.summary_points() == [
        ("First point", ["Detail A", "Detail B"]),
        ("Second point", []),
    ]


def test_summary_line_without_mark_is_a_point():
    release = ReleaseFactory.build(summary="Plain line\n– detail")
    assert release.summary_points() == [("Plain line", ["detail"])]


def test_officials_show_the_post_held_on_the_release_date():
    official = OfficialFactory()
    PositionFactory(
        official=official,
        title="Mayor",
        started_on=datetime.date(2018, 7, 1),
        ended_on=datetime.date(2022, 6, 30),
    )
    later = PositionFactory(
        official=official,
        title="Governor",
        started_on=datetime.date(2022, 7, 1),
        current=True,
    )
    release = ReleaseFactory(published_at=timezone.now())
    release.officials.add(official)

    assert release.officials_with_posts() == [(official, [later])]


def test_linked_translations_work_both_ways():
    original = ReleaseFactory()
    korean = ReleaseFactory(language="ko", translation_of=original)
    assert original.linked_translations() == [korean]
    assert korean.linked_translations() == [original]


def test_attachment_records_size_and_type():
    attachment = AttachmentFactory()
    assert attachment.file_type == "PDF"
    assert attachment.size == attachment.file.size > 0


def test_every_save_raises_the_revision_once(editor):
    from releases import workflow

    release = ReleaseFactory(in_review=True)
    saved = release.revision

    release.save()
    workflow.return_to_draft(release, editor, "Check the figures.")

    assert Release.objects.get(pk=release.pk).revision == saved + 2
