from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from releases import workflow
from releases.models import Release
from tests.releases.admin_forms import release_form
from tests.releases.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

LATER = (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
# What each transition needs: the release's state, and the form data it posts.
TRANSITIONS = {
    "submit": ({"draft": True}, {}),
    "return_to_draft": ({"in_review": True}, {"comment": "Check the figures."}),
    "publish": ({"in_review": True}, {"publish_at": "", "reason": ""}),
    "schedule": ({"in_review": True}, {"publish_at": LATER, "reason": ""}),
    "unschedule": ({"embargoed": True}, {}),
    "withdraw": ({}, {"reason": "Wrong figures"}),
    "restore": ({"withdrawn": True}, {}),
}
ALLOWED = {
    "writer": {"submit", "return_to_draft"},
    "editor": set(TRANSITIONS),
    "analyst": set(),
    "anonymous": set(),
}


def snapshot(release):
    return Release.objects.values(
        "status", "published_at", "withdrawn_at", "title", "hit_count", "revision"
    ).get(pk=release.pk)


def client_for(client, role, request):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.mark.parametrize("role", list(ALLOWED))
@pytest.mark.parametrize("transition", list(TRANSITIONS))
def test_transition_permission_matrix(client, request, writer, role, transition):
    state, data = TRANSITIONS[transition]
    release = ReleaseFactory(submitted_by=writer, **state)
    before = snapshot(release)
    name = "publish" if transition == "schedule" else transition
    url = reverse("admin:releases_release_transition", args=[release.pk, name])

    client_for(client, role, request).post(url, data)

    if transition in ALLOWED[role]:
        assert snapshot(release) != before
    else:
        assert snapshot(release) == before


@pytest.mark.parametrize(
    ("role", "status", "allowed"),
    [
        ("writer", "draft", True),
        ("writer", "published", False),
        ("editor", "published", True),
        ("analyst", "draft", False),
        ("anonymous", "draft", False),
    ],
)
def test_editing_through_the_admin_form(client, request, role, status, allowed):
    trait = {"draft": {"draft": True}, "published": {}}[status]
    release = ReleaseFactory(title="Old title", **trait)
    url = reverse("admin:releases_release_change", args=[release.pk])

    client_for(client, role, request).post(url, release_form(release, title="New"))

    release.refresh_from_db()
    assert (release.title == "New") is allowed


@pytest.mark.parametrize("role", ["writer", "editor", "analyst", "anonymous"])
def test_nobody_but_superusers_delete_releases(client, request, role):
    release = ReleaseFactory()
    url = reverse("admin:releases_release_delete", args=[release.pk])

    client_for(client, role, request).post(url, {"post": "yes"})

    assert Release.objects.filter(pk=release.pk).exists()


def test_crafted_post_cannot_set_status_date_or_hits(client, writer):
    release = ReleaseFactory(draft=True)
    client.force_login(writer)

    client.post(
        reverse("admin:releases_release_change", args=[release.pk]),
        release_form(
            release,
            status="published",
            published_at_0="2020-01-01",
            published_at_1="09:00",
            hit_count=9999,
            legacy_hits=9999,
        ),
    )

    release.refresh_from_db()
    assert (release.status, release.published_at, release.hit_count) == (
        "draft",
        None,
        0,
    )


def test_editor_cannot_publish_own_submission_without_reason(editor):
    release = ReleaseFactory(draft=True)
    workflow.submit(release, editor)

    with pytest.raises(workflow.TransitionError, match="another editor"):
        workflow.publish(release, editor)

    assert Release.objects.get(pk=release.pk).status == "in_review"


def test_editor_publishing_own_submission_with_reason_is_recorded(editor):
    release = ReleaseFactory(draft=True)
    workflow.submit(release, editor)

    workflow.publish(release, editor, reason="Governor's deadline, no one else in")

    release.refresh_from_db()
    assert release.status == "published"
    assert "Governor's deadline" in release.history.first().history_change_reason


def test_another_editor_publishes_without_reason(editor, other_editor):
    release = ReleaseFactory(draft=True)
    workflow.submit(release, editor)

    workflow.publish(release, other_editor)

    assert Release.objects.published().get() == release


def test_scheduled_release_goes_live_at_its_time(other_editor, writer):
    release = ReleaseFactory(in_review=True, submitted_by=writer)
    at = timezone.now() + timedelta(hours=2)

    workflow.publish(release, other_editor, at=at)

    assert not Release.objects.published().exists()
    Release.objects.filter(pk=release.pk).update(published_at=timezone.now())
    assert Release.objects.published().get() == release


def publish_in_admin(client, release, **data):
    url = reverse("admin:releases_release_transition", args=[release.pk, "publish"])
    return client.post(url, {"publish_at": "", "reason": "", **data})


@pytest.mark.parametrize(
    "at",
    [timezone.now() + timedelta(days=11 * 365), timezone.now().replace(year=1989)],
    ids=["eleven-years-ahead", "before-1990"],
)
def test_publishing_outside_the_dates_window_is_refused(other_editor, at):
    release = ReleaseFactory(in_review=True)

    with pytest.raises(workflow.TransitionError, match="can be dated from 1990-01-01"):
        workflow.publish(release, other_editor, at=at, backdating_reason="Old")

    assert Release.objects.get(pk=release.pk).status == "in_review"


@pytest.mark.parametrize("at", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_admin_refuses_a_publishing_time_at_the_ends_of_the_calendar(
    client, other_editor, at
):
    release = ReleaseFactory(in_review=True)
    client.force_login(other_editor)

    response = publish_in_admin(
        client, release, publish_at=at, confirm_backdating="on", backdating_reason="x"
    )

    assert response.status_code == 200
    assert "can be dated from 1990-01-01" in response.text
    assert Release.objects.get(pk=release.pk).status == "in_review"


def test_back_dating_without_a_reason_is_refused(other_editor):
    release = ReleaseFactory(in_review=True)

    with pytest.raises(workflow.TransitionError, match="back-date"):
        workflow.publish(release, other_editor, at=timezone.now() - timedelta(days=2))

    assert Release.objects.get(pk=release.pk).status == "in_review"


def test_back_dating_reason_is_kept_in_the_history(other_editor):
    release = ReleaseFactory(in_review=True)
    at = timezone.now() - timedelta(days=2)

    workflow.publish(
        release, other_editor, at=at, backdating_reason="Issued on paper that day"
    )

    release.refresh_from_db()
    assert release.published_at == at
    note = release.history.first().history_change_reason
    assert note.startswith("Published, back-dated to ")
    assert note.endswith(": Issued on paper that day")


def test_a_time_minutes_ago_publishes_without_back_dating(other_editor):
    release = ReleaseFactory(in_review=True)

    workflow.publish(release, other_editor, at=timezone.now() - timedelta(minutes=5))

    assert release.history.first().history_change_reason == "Published"


def test_admin_asks_to_confirm_back_dating(client, other_editor):
    release = ReleaseFactory(in_review=True)
    client.force_login(other_editor)

    response = publish_in_admin(
        client, release, publish_at="2021-10-07T09:00", backdating_reason="Paper"
    )

    assert response.status_code == 200
    assert "To back-date it, confirm and give the reason" in response.text
    assert Release.objects.get(pk=release.pk).status == "in_review"


def test_admin_back_dates_once_confirmed_with_a_reason(client, other_editor):
    release = ReleaseFactory(in_review=True)
    client.force_login(other_editor)

    publish_in_admin(
        client,
        release,
        publish_at="2021-10-07T09:00",
        confirm_backdating="on",
        backdating_reason="Issued on paper that day",
    )

    release.refresh_from_db()
    assert timezone.localdate(release.published_at).isoformat() == "2021-10-07"
    assert "Issued on paper that day" in release.history.first().history_change_reason


def test_invalid_transition_is_refused_with_a_message(editor):
    release = ReleaseFactory(draft=True)
    with pytest.raises(workflow.TransitionError, match="Only a withdrawn release"):
        workflow.restore(release, editor)


def test_withdrawing_needs_a_reason(editor):
    release = ReleaseFactory()
    with pytest.raises(workflow.TransitionError, match="reason"):
        workflow.withdraw(release, editor, "  ")


def test_withdrawn_release_keeps_its_page_and_hits(client, editor):
    release = ReleaseFactory()
    Release.objects.filter(pk=release.pk).update(hit_count=42)

    workflow.withdraw(release, editor, "Figures under review")

    response = client.get(release.get_absolute_url())
    assert response.status_code == 200
    assert "Figures under review" in response.text
    assert "Hit 42" in response.text


def test_writer_cannot_publish_through_workflow(writer):
    release = ReleaseFactory(in_review=True)
    with pytest.raises(PermissionDenied):
        workflow.publish(release, writer)


def test_refused_transition_shows_message_in_admin(client, writer):
    release = ReleaseFactory(in_review=True)
    client.force_login(writer)

    response = client.post(
        reverse("admin:releases_release_transition", args=[release.pk, "publish"]),
        {"publish_at": "", "reason": ""},
    )

    assert response.status_code == 200
    assert "Only editors can publish." in response.text


def test_admin_shows_only_allowed_transitions(client, writer):
    release = ReleaseFactory(draft=True)
    client.force_login(writer)

    response = client.get(reverse("admin:releases_release_change", args=[release.pk]))

    assert "Submit for review" in response.text
    assert "Publish or schedule" not in response.text


def test_second_save_over_a_newer_one_is_refused(client, editor, other_editor):
    release = ReleaseFactory(draft=True, title="Original")
    stale_form = release_form(release, title="Second editor's title")
    client.force_login(editor)
    client.post(
        reverse("admin:releases_release_change", args=[release.pk]),
        release_form(release, title="First editor's title"),
    )
    client.force_login(other_editor)

    response = client.post(
        reverse("admin:releases_release_change", args=[release.pk]), stale_form
    )

    release.refresh_from_db()
    assert release.title == "First editor's title"
    assert "Someone else saved this release" in response.text


def test_major_change_of_published_release_is_shown_with_note(client, editor):
    release = ReleaseFactory()
    client.force_login(editor)

    client.post(
        reverse("admin:releases_release_change", args=[release.pk]),
        release_form(
            release, is_major_change="1", major_change_note="Budget figure corrected"
        ),
    )

    response = client.get(release.get_absolute_url())
    assert "Updated on" in response.text
    assert "Budget figure corrected" in response.text


def test_major_change_without_note_is_refused(client, editor):
    release = ReleaseFactory(title="Kept")
    client.force_login(editor)

    response = client.post(
        reverse("admin:releases_release_change", args=[release.pk]),
        release_form(release, title="Changed", is_major_change="1"),
    )

    release.refresh_from_db()
    assert release.title == "Kept"
    assert "A major change needs a note." in response.text


def test_minor_change_is_not_shown_as_update(client, editor):
    release = ReleaseFactory()
    client.force_login(editor)

    client.post(
        reverse("admin:releases_release_change", args=[release.pk]),
        release_form(release, title="Typo fixed", is_major_change=""),
    )

    release.refresh_from_db()
    assert release.title == "Typo fixed"
    assert release.last_major_update_at is None


def test_every_save_is_in_the_history_with_who_and_what(client, writer):
    release = ReleaseFactory(draft=True, title="First")
    client.force_login(writer)

    client.post(
        reverse("admin:releases_release_change", args=[release.pk]),
        release_form(release, title="Second"),
    )

    latest = release.history.first()
    assert latest.history_user == writer
    response = client.get(reverse("admin:releases_release_history", args=[release.pk]))
    assert "title" in response.text.lower()


def test_restoring_a_version_brings_back_text_not_status_or_hits(editor):
    release = ReleaseFactory(title="Original", body="<p>Original body</p>")
    first_version = release.history.earliest()
    release.title = "Rewritten"
    release.save()
    Release.objects.filter(pk=release.pk).update(hit_count=77)
    workflow.withdraw(release, editor, "Under review")

    workflow.restore_version(release, first_version.history_id, editor)

    release.refresh_from_db()
    assert release.title == "Original"
    assert (release.status, release.hit_count) == ("withdrawn", 77)


def test_history_offers_restoring_with_a_comparison_first(client, editor):
    release = ReleaseFactory(title="Original")
    first = release.history.earliest()
    release.title = "Rewritten"
    release.save()
    client.force_login(editor)
    url = restore_url(release, first)

    history = client.get(reverse("admin:releases_release_history", args=[release.pk]))
    confirm = client.get(url)

    assert url in history.text
    assert "Rewritten" in confirm.text
    assert Release.objects.get(pk=release.pk).title == "Rewritten"


@pytest.fixture
def edited_summary():
    """(release, its first version): the summary went from 50 to 60 billion."""
    release = ReleaseFactory(summary="○ 50 billion won for clinics")
    first = release.history.earliest()
    release.summary = "○ 60 billion won for clinics"
    release.save()
    return release, first


def restore_url(release, version):
    return reverse(
        "admin:releases_release_restore_version", args=[release.pk, version.history_id]
    )


def test_restoring_changes_show_the_current_text_before_the_restored_one(
    edited_summary,
):
    release, first = edited_summary

    changes = workflow.restoring_changes(release, first)

    assert changes == [
        ("summary", "○ 60 billion won for clinics", "○ 50 billion won for clinics")
    ]


def test_the_restore_page_has_now_before_after_restoring(
    client, editor, edited_summary
):
    client.force_login(editor)

    page = client.get(restore_url(*edited_summary)).text

    row = page[page.index('<th scope="row">summary</th>') :]
    assert row.index("60 billion") < row.index("50 billion")


def test_history_records_tag_changes(editor):
    from tests.releases.factories import TopicFactory

    release = ReleaseFactory()
    release.topics.add(TopicFactory())
    release._history_user = editor
    release.save()

    assert release.history.first().topics.count() == 1


def test_migration_creates_the_three_roles():
    from django.contrib.auth.models import Group

    groups = {group.name: group for group in Group.objects.all()}
    assert set(groups) >= {"Writer", "Editor", "Analyst"}
    assert groups["Editor"].permissions.filter(codename="publish_release").exists()
    assert not groups["Writer"].permissions.filter(codename="publish_release").exists()


def test_history_page_reads_as_sentences_not_field_names(client, editor):
    release = ReleaseFactory(in_review=True)
    workflow.return_to_draft(release, editor, "Check the figures.")
    client.force_login(editor)

    text = client.get(reverse("admin:releases_release_history", args=[release.pk])).text

    assert "restore_link" not in text.lower()
    assert "None" not in text
    assert "Returned to draft" in text
    assert "a command (no user)" in text
    assert "In review" in text


def test_release_page_lists_every_major_change_then_first_published(client, editor):
    release = ReleaseFactory(published_at="2021-10-07T10:00+09:00")
    release.refresh_from_db()
    workflow.record_edit(release, editor, True, "Budget corrected to 60 billion")
    workflow.record_edit(release, editor, True, "Venue moved to Suwon")

    text = client.get(release.get_absolute_url()).text

    history = text[text.index('id="page-history"') :]
    assert (
        history.index("Venue moved to Suwon")
        < history.index("Budget corrected to 60 billion")
        < history.index("2021-10-07</time> — First published")
    )


def test_a_scheduled_release_is_edited_without_a_change_note(client, editor):
    release = ReleaseFactory(embargoed=True)
    client.force_login(editor)

    page = client.get(reverse("admin:releases_release_change", args=[release.pk]))

    assert "is_major_change" not in page.text
