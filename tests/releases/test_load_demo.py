from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum

from people.models import Municipality, Official, Position
from releases import reports, workflow
from releases.models import DailyHits, Release

pytestmark = pytest.mark.django_db

REFERENCE_SLUG = "smart-belt-hub-of-future-industries"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def snapshot():
    return {
        "municipalities": list(Municipality.objects.values_list("slug", "parent_id")),
        "positions": list(Position.objects.values_list("official__slug", "started_on")),
        "releases": list(
            Release.objects.order_by("number").values_list(
                "number",
                "slug",
                "hit_count",
                "published_at",
                "translation_of_id",
                "updated_at",
            )
        ),
        "tags": list(Release.officials.through.objects.values_list("pk", flat=True)),
        "daily_hits": list(DailyHits.objects.values_list("pk", "day", "hits")),
    }


def test_load_demo_twice_changes_nothing(demo):
    before = snapshot()
    call_command("load_demo")
    assert snapshot() == before


def test_demo_has_gyeonggi_and_its_31_cities_and_counties(demo):
    province = Municipality.objects.get(slug="gyeonggi", kind="province")
    assert province.children.count() == 31
    assert province.children.filter(kind="county").count() == 3
    assert Municipality.objects.get(slug="suwon").local_name == "수원시"


def test_demo_has_forty_releases_over_two_years(demo):
    english = Release.objects.published().filter(language="en")
    first, last = english.order_by("published_at")[:: english.count() - 1]
    assert english.count() >= 40
    assert (last.published_at - first.published_at).days >= 700


def test_reference_release_carries_its_facts_and_201_hits(demo):
    release = Release.objects.get(slug=REFERENCE_SLUG)
    assert release.published_on.isoformat() == "2021-10-07"
    assert release.hit_count == release.legacy_hits == 201
    assert release.municipalities.filter(kind="city").count() == 7
    assert release.officials.count() == 9


def test_reference_release_shows_governor_lee_in_office(demo):
    release = Release.objects.get(slug=REFERENCE_SLUG)
    posts = {official.slug: posts for official, posts in release.officials_with_posts()}
    assert [str(post.post_name) for post in posts["lee-jaemyung"]] == [
        "Governor, Gyeonggi Province"
    ]


def test_demo_has_five_korean_translations(demo):
    korean = Release.objects.filter(language="ko", translation_of__language="en")
    assert korean.count() >= 5


def test_demo_hit_totals_match_daily_rows_plus_carried_over(demo):
    for release in Release.objects.all():
        counted = release.daily_hits.aggregate(total=Sum("hits"))["total"] or 0
        assert release.hit_count == release.legacy_hits + counted


def test_demo_officials_are_the_reference_ones(demo):
    names = set(Official.objects.values_list("name", flat=True))
    assert {"Lee Jaemyung", "Yeom Tae-yeong", "Kim Bo-ra", "Park Chan-hoon"} <= names


def test_reference_release_page_shows_hit_201(demo, client):
    release = Release.objects.get(slug=REFERENCE_SLUG)
    response = client.get(release.get_absolute_url())
    assert "Created <time" in response.text
    assert "2021-10-07</time>" in response.text
    assert "Hit 201" in response.text


def test_demo_releases_were_read_in_the_last_weeks(demo):
    last_30_days = reports.Range.preset("last_30_days")
    assert reports.summary(last_30_days)["read"] >= 30
    assert reports.most_read_this_week()


def test_reference_release_keeps_only_its_carried_over_hits(demo):
    release = Release.objects.get(slug=REFERENCE_SLUG)
    assert release.hit_count == 201
    assert not release.daily_hits.exists()


def reference_release():
    return Release.objects.get(slug=REFERENCE_SLUG)


def test_rerun_keeps_a_demo_release_staff_withdrew_withdrawn(demo, editor):
    workflow.withdraw(reference_release(), editor, "Figures under review")

    call_command("load_demo", stdout=StringIO())

    release = reference_release()
    assert release.status == "withdrawn"
    assert release.withdrawal_reason == "Figures under review"


def test_rerun_keeps_what_staff_changed_in_text_tags_and_dates(demo, editor):
    release = reference_release()
    release.title = "Smart belt, figures corrected"
    release.published_at = release.published_at.replace(hour=15)
    release._history_user = editor
    release.save()
    release.topics.clear()
    before = Release.objects.values().get(pk=release.pk)

    call_command("load_demo", stdout=StringIO())

    assert Release.objects.values().get(pk=release.pk) == before
    assert not reference_release().topics.exists()


def test_rerun_says_which_releases_it_kept(demo, editor):
    workflow.withdraw(reference_release(), editor, "Figures under review")
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert "1 release changed by staff kept as it is" in out.getvalue()


def test_rerun_that_changes_nothing_writes_no_history(demo):
    before = Release.history.count()

    call_command("load_demo", stdout=StringIO())

    assert Release.history.count() == before


def test_rerun_keeps_hits_counted_on_a_day_of_the_demo_hits(demo):
    release = Release.objects.filter(legacy_hits=0).first()
    row = release.daily_hits.order_by("-day").first()
    DailyHits.objects.filter(pk=row.pk).update(hits=row.hits + 50)
    Release.objects.filter(pk=release.pk).update(hit_count=release.hit_count + 50)

    call_command("load_demo", stdout=StringIO())

    assert DailyHits.objects.get(pk=row.pk).hits == row.hits + 50


def test_korean_demo_releases_name_their_contact_in_korean(demo):
    contacts = set(
        Release.objects.filter(language="ko").values_list("contact_name", flat=True)
    )
    assert contacts == {"대변인실 당직 담당"}
