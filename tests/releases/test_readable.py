"""Attachments readable in the browser: text versions made on the queue, shown
as pages of the site, found by the search; a file that cannot be read stays
downloadable and the admin says why."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from releases import readable, tasks
from releases.models import Attachment, Release, TextStatus
from tests.releases import documents as made
from tests.releases.admin_forms import release_form
from tests.releases.factories import AttachmentFactory, ReleaseFactory
from tests.releases.files import upload

pytestmark = pytest.mark.django_db


def attach(release, content, name, title="Strategy paper"):
    return AttachmentFactory(
        release=release, title=title, file=ContentFile(content, name=name)
    )


def upload_attachment(client, release, content, name):
    data = release_form(release)
    data.update(
        {
            "attachments-TOTAL_FORMS": 1,
            "attachments-0-file": upload(name, content),
            "attachments-0-title": "Strategy paper",
        }
    )
    return client.post(
        reverse("admin:releases_release_change", args=[release.pk]), data
    )


def prepared(attachment):
    readable.prepare(attachment.pk)
    attachment.refresh_from_db()
    return attachment


def test_uploaded_document_is_prepared_on_the_queue_and_read_in_the_browser(
    admin_client, client, committed, run_queue
):
    release = ReleaseFactory()

    committed(upload_attachment, admin_client, release, made.docx_bytes(), "plan.docx")
    attachment = Attachment.objects.get()
    assert attachment.text_status == TextStatus.PENDING
    run_queue()

    attachment.refresh_from_db()
    assert attachment.text_status == TextStatus.READY
    page = client.get(release.get_absolute_url()).text
    assert f'href="{attachment.get_text_url()}"' in page
    text = client.get(attachment.get_text_url()).text
    assert "<h2>Smart Belt strategy</h2>" in text  # under the page's own h1
    assert "<li>A shared ordinance</li>" in text
    assert attachment.get_absolute_url() in text  # the original, still offered


def test_file_that_cannot_be_read_stays_downloadable_and_the_admin_says_why(
    admin_client, client
):
    release = ReleaseFactory()

    upload_attachment(admin_client, release, made.zip_bomb(), "plan.docx")
    attachment = prepared(Attachment.objects.get())

    assert attachment.text_status == TextStatus.FAILED
    admin_page = admin_client.get(
        reverse("admin:releases_release_change", args=[release.pk])
    ).text
    assert "could not be made: The file unpacks to far more than its size" in (
        admin_page
    )
    page = client.get(release.get_absolute_url()).text
    assert attachment.get_absolute_url() in page
    assert "Read in the browser" not in page
    assert client.get(attachment.get_absolute_url()).status_code == 200


def test_file_of_another_kind_is_download_only(admin_client):
    release = ReleaseFactory()

    upload_attachment(admin_client, release, made.zip_bomb(megabytes=1), "data.zip")

    assert Attachment.objects.get().text_status == TextStatus.NONE


def test_text_version_not_ready_is_404(client):
    attachment = attach(ReleaseFactory(), made.docx_bytes(), "plan.docx")

    assert client.get(attachment.get_text_url()).status_code == 404


def test_text_version_of_a_release_not_public_is_404(client):
    attachment = prepared(
        attach(ReleaseFactory(draft=True), made.docx_bytes(), "plan.docx")
    )

    assert attachment.text_status == TextStatus.READY
    assert client.get(attachment.get_text_url()).status_code == 404


def test_text_version_under_an_old_slug_redirects(client):
    attachment = prepared(attach(ReleaseFactory(), made.docx_bytes(), "plan.docx"))
    url = attachment.get_text_url().replace(attachment.release.slug, "old-slug")

    response = client.get(url)

    assert response.status_code == 301
    assert response["Location"] == attachment.get_text_url()


def test_search_finds_a_release_by_words_only_its_attachment_holds(client):
    release = ReleaseFactory(title="Budget", body="<p>Figures.</p>")
    prepared(attach(release, made.pdf_bytes(words="Pyeongtaek groundwater"), "a.pdf"))

    page = client.get("/releases/", {"q": "groundwater"}).text

    assert release.get_absolute_url() in page


def test_search_finds_korean_words_inside_an_attachments_text(client):
    release = ReleaseFactory(title="Budget", body="<p>Figures.</p>")
    prepared(attach(release, made.hwpx_bytes(["반도체클러스터 조성 계획"]), "a.hwpx"))

    page = client.get("/releases/", {"q": "클러스터"}).text

    assert release.get_absolute_url() in page


def test_saving_the_release_keeps_its_attachments_words_for_the_search(client):
    release = ReleaseFactory(title="Budget", body="<p>Figures.</p>")
    prepared(attach(release, made.pdf_bytes(words="groundwater"), "a.pdf"))
    stale = Release.objects.get(pk=release.pk)
    stale.attachments_text = ""

    stale.save()

    assert (
        release.get_absolute_url()
        in client.get("/releases/", {"q": "groundwater"}).text
    )


def test_sweep_prepares_what_no_task_did_oldest_first():
    release = ReleaseFactory()
    first = attach(release, made.docx_bytes(), "a.docx")
    second = attach(release, made.pdf_bytes(), "b.pdf")

    assert readable.prepare_pending(limit=1) == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.text_status, second.text_status) == (
        TextStatus.READY,
        TextStatus.PENDING,
    )


def test_replaced_file_gets_a_new_text_version(admin_client):
    release = ReleaseFactory()
    attachment = prepared(attach(release, made.docx_bytes(), "a.docx"))

    attachment.file = ContentFile(made.pdf_bytes(words="replaced"), name="b.pdf")
    attachment.save()

    assert attachment.text_status == TextStatus.PENDING
    assert "replaced" in prepared(attachment).text_html


def test_pdf_attachment_has_a_viewer_page_and_other_files_none(client):
    release = ReleaseFactory()
    pdf = attach(release, made.pdf_bytes(), "a.pdf")
    docx = attach(release, made.docx_bytes(), "b.docx")

    viewer = client.get(pdf.get_pdf_url())

    assert viewer.status_code == 200
    assert f'data-pdf-url="{pdf.get_absolute_url()}"' in viewer.text
    assert client.get(docx.get_pdf_url()).status_code == 404


def test_sweep_goes_on_at_once_while_more_wait(monkeypatch, run_queue):
    monkeypatch.setattr(tasks, "SWEEP_BATCH", 1)
    release = ReleaseFactory()
    files = [attach(release, made.pdf_bytes(), f"{n}.pdf") for n in range(3)]
    tasks.sweep_text_versions.enqueue()

    run_queue()

    statuses = {Attachment.objects.get(pk=f.pk).text_status for f in files}
    assert statuses == {TextStatus.READY}


def test_admin_reads_why_in_its_own_language(admin_client):
    release = ReleaseFactory()
    prepared(attach(release, made.damaged(made.pdf_bytes()), "plan.pdf"))

    page = admin_client.get(
        "/ko" + reverse("admin:releases_release_change", args=[release.pk])
    ).text

    assert (
        "만들 수 없음: 파일이 손상되었거나 형식이 맞지 않아 읽을 수 없습니다." in page
    )


def test_attachment_whose_stored_file_is_gone_is_said_to_be_missing():
    attachment = attach(ReleaseFactory(), made.pdf_bytes(), "plan.pdf")
    attachment.file.storage.delete(attachment.file.name)

    attachment = prepared(attachment)

    assert (attachment.text_status, attachment.text_problem) == (
        TextStatus.FAILED,
        "missing",
    )
