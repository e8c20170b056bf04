"""Workflow mail, delivered to a real SMTP server on loopback."""

import logging

import pytest
from django.urls import reverse

from releases import workflow
from releases.models import Release
from tests.releases.factories import ReleaseFactory
from tests.smtp import body, free_port

pytestmark = pytest.mark.django_db


def test_submitting_mails_the_editors_in_both_languages(
    inbox, committed, writer, editor
):
    release = ReleaseFactory(draft=True, title="Night buses")

    committed(workflow.submit, release, writer)

    [message] = inbox.to(editor.email)
    subject = "Waiting for review: Night buses / 검토 대기: Night buses"
    assert message["Subject"].strip() == subject  # folded after "Subject:"
    assert "writer submitted No." in body(message)
    assert "검토를 요청했습니다" in body(message)
    admin_page = reverse("admin:releases_release_change", args=[release.pk])
    assert f"https://newsroom.example{admin_page}" in body(message)
    assert not inbox.to(writer.email)


def test_publishing_mails_the_writer(inbox, committed, writer, editor):
    release = ReleaseFactory(in_review=True, submitted_by=writer)

    committed(workflow.publish, release, editor)

    [message] = inbox.to(writer.email)
    assert message["Subject"].strip().startswith(f"Published: {release.title}")
    assert not inbox.to(editor.email)


def test_returning_to_draft_mails_the_writer_the_comment(
    inbox, committed, writer, editor
):
    release = ReleaseFactory(in_review=True, submitted_by=writer)

    committed(workflow.return_to_draft, release, editor, "Check the budget figure.")

    [message] = inbox.to(writer.email)
    assert "Check the budget figure." in body(message)


def test_nobody_is_mailed_about_their_own_step(inbox, committed, editor):
    release = ReleaseFactory(in_review=True, submitted_by=editor)

    committed(workflow.return_to_draft, release, editor, "I will fix it myself.")

    assert inbox.messages == []


def test_mail_server_down_does_not_undo_publishing(
    settings, committed, writer, editor, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    release = ReleaseFactory(in_review=True, submitted_by=writer)

    with caplog.at_level(logging.ERROR, logger="releases.notifications"):
        committed(workflow.publish, release, editor)

    assert Release.objects.published().get() == release
    assert "Workflow mail about release" in caplog.text


def test_returning_to_draft_needs_a_comment(editor):
    release = ReleaseFactory(in_review=True)

    with pytest.raises(workflow.TransitionError, match="what to change"):
        workflow.return_to_draft(release, editor, "  ")

    assert Release.objects.get(pk=release.pk).status == "in_review"


def test_writer_reads_the_comment_on_the_release_page(client, writer, editor):
    release = ReleaseFactory(in_review=True, submitted_by=writer)
    workflow.return_to_draft(release, editor, "Check the budget figure.")
    client.force_login(writer)

    page = client.get(reverse("admin:releases_release_change", args=[release.pk]))

    assert "Check the budget figure." in page.text


def test_the_comment_is_kept_in_the_history(editor):
    release = ReleaseFactory(in_review=True)

    workflow.return_to_draft(release, editor, "Check the budget figure.")

    reason = release.history.first().history_change_reason
    assert reason == "Returned to draft: Check the budget figure."
