import pytest
from django.urls import reverse
from django.utils import timezone

from releases import desk, workflow
from releases.models import Release
from tests.releases.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

HOME = reverse("admin:index")


def draft_by(user, title):
    release = ReleaseFactory(draft=True, title=title)
    release.history.filter(history_type="+").update(history_user=user)
    return release


def test_writer_finds_their_own_drafts_on_the_desk(client, writer, editor):
    draft_by(writer, "Bus timetable")
    draft_by(editor, "Budget figures")
    client.force_login(writer)

    text = client.get(HOME).text

    assert "Bus timetable" in text
    assert "Budget figures" not in text


def test_editor_sees_what_waits_for_review_with_who_and_when(client, writer, editor):
    release = ReleaseFactory(draft=True, title="Clinic hours")
    workflow.submit(release, writer)
    client.force_login(editor)

    text = client.get(HOME).text

    when = Release.objects.get().submitted_at
    assert "Clinic hours" in text
    assert f"submitted by writer, {timezone.localtime(when):%Y-%m-%d %H:%M}" in text


def test_desk_lists_scheduled_published_and_withdrawn(client, editor):
    ReleaseFactory(embargoed=True, title="Embargoed plan")
    ReleaseFactory(title="Live plan")
    ReleaseFactory(withdrawn=True, title="Pulled plan", withdrawal_reason="Wrong")
    client.force_login(editor)

    context = client.get(HOME).context

    assert [r.title for r in context["scheduled"]] == ["Embargoed plan"]
    assert [r.title for r in context["recently_published"]] == ["Live plan"]
    assert [r.title for r in context["recently_withdrawn"]] == ["Pulled plan"]


def test_every_admin_page_counts_the_desk_in_its_header(client, writer):
    draft_by(writer, "Bus timetable")
    ReleaseFactory(in_review=True)
    ReleaseFactory(embargoed=True)
    client.force_login(writer)

    text = client.get(reverse("admin:releases_topic_changelist")).text

    assert "1 draft of yours" in text
    assert "1 waiting for review" in text
    assert "1 scheduled" in text


def test_desk_counts_take_one_query(writer, django_assert_num_queries):
    with django_assert_num_queries(1):
        desk.counts(writer)


def test_desk_home_queries_do_not_grow_with_releases(
    client, editor, writer, django_assert_max_num_queries
):
    for _ in range(12):
        workflow.submit(ReleaseFactory(draft=True), writer)
        ReleaseFactory(embargoed=True)
        ReleaseFactory()
    client.force_login(editor)

    with django_assert_max_num_queries(20):
        client.get(HOME)


def test_written_by_me_filter_lists_only_mine(client, writer, editor):
    draft_by(writer, "Bus timetable")
    draft_by(editor, "Budget figures")
    client.force_login(writer)

    response = client.get(
        reverse("admin:releases_release_changelist"), {"written_by": "me"}
    )

    assert [r.title for r in response.context["cl"].result_list] == ["Bus timetable"]


def test_visitors_and_users_off_the_desk_get_no_desk(client, django_user_model):
    user = django_user_model.objects.create_user("plain", password="x", is_staff=True)
    client.force_login(user)

    text = client.get(HOME).text

    assert "My drafts" not in text
    assert "waiting for review" not in text
