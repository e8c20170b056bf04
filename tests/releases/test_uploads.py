import time

import pytest
from django.urls import reverse
from PIL import Image

from releases.models import Attachment, ReleaseImage
from tests.releases.admin_forms import release_form
from tests.releases.factories import (
    AttachmentFactory,
    ReleaseFactory,
    ReleaseImageFactory,
)
from tests.releases.files import (
    CFB_MAGIC,
    HOSTILE_IMAGES,
    image_bytes,
    jpeg_with_gps,
    office_zip,
    png_header_of_size,
    upload,
)

pytestmark = pytest.mark.django_db


def post_with_image(client, release, file, alt_text="Mayors signing the agreement"):
    data = release_form(release)
    data.update(
        {
            "images-TOTAL_FORMS": 1,
            "images-0-image": file,
            "images-0-alt_text": alt_text,
            "images-0-order": 0,
        }
    )
    url = reverse("admin:releases_release_change", args=[release.pk])
    return client.post(url, data)


def post_with_attachment(client, release, file, title="Strategy paper"):
    data = release_form(release)
    data.update(
        {
            "attachments-TOTAL_FORMS": 1,
            "attachments-0-file": file,
            "attachments-0-title": title,
        }
    )
    url = reverse("admin:releases_release_change", args=[release.pk])
    return client.post(url, data)


@pytest.mark.parametrize("kind", list(HOSTILE_IMAGES))
def test_hostile_image_is_refused_with_a_form_error(admin_client, kind):
    release = ReleaseFactory(draft=True)
    name, content = HOSTILE_IMAGES[kind]
    started = time.perf_counter()

    response = post_with_image(admin_client, release, upload(name, content))

    assert time.perf_counter() - started < 2
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[0]["image"]
    assert not ReleaseImage.objects.exists()


def test_image_far_beyond_the_pixel_limit_is_called_too_large(admin_client):
    release = ReleaseFactory(draft=True)
    huge = upload("huge.png", png_header_of_size(30_000, 30_000))

    response = post_with_image(admin_client, release, huge)

    errors = response.context["inline_admin_formsets"][0].formset.errors[0]["image"]
    assert errors == ["This image is too large: the limit is 40 megapixels."]


def test_oversize_image_is_refused_with_its_size_in_the_message(admin_client, settings):
    settings.IMAGE_MAX_BYTES = 10_000
    release = ReleaseFactory(draft=True)

    response = post_with_image(
        admin_client,
        release,
        upload("big.jpg", image_bytes((1200, 900)) + b"\0" * 10_000),
    )

    assert "the limit is 9.8\xa0KB" in response.text
    assert not ReleaseImage.objects.exists()


def test_image_without_alt_text_is_refused(admin_client):
    release = ReleaseFactory(draft=True)

    response = post_with_image(
        admin_client, release, upload("photo.jpg", image_bytes()), alt_text=""
    )

    assert response.status_code == 200
    assert not ReleaseImage.objects.exists()


def test_good_image_is_stored_under_a_new_name_without_metadata(admin_client):
    release = ReleaseFactory(draft=True)

    post_with_image(admin_client, release, upload("gps-photo.jpg", jpeg_with_gps()))

    stored = ReleaseImage.objects.get()
    assert "gps-photo" not in stored.image.name
    with Image.open(stored.image.path) as image:
        assert dict(image.getexif()) == {}


def test_photo_taken_sideways_is_stored_upright_as_its_metadata_goes(admin_client):
    release = ReleaseFactory(draft=True)
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned a quarter clockwise
    sideways = image_bytes((400, 300), exif=exif)

    post_with_image(admin_client, release, upload("portrait.jpg", sideways))

    stored = ReleaseImage.objects.get()
    with Image.open(stored.image.path) as image:
        assert (image.size, dict(image.getexif())) == ((300, 400), {})
    assert (stored.width, stored.height) == (300, 400)


def test_large_image_gets_narrower_renditions_for_srcset(admin_client, client):
    release = ReleaseFactory()

    post_with_image(
        admin_client, release, upload("wide.jpg", image_bytes((2000, 1000)))
    )

    stored = ReleaseImage.objects.get()
    assert sorted(stored.renditions) == ["1600", "480", "960"]
    page = client.get(release.get_absolute_url()).text
    assert " 480w, " in page
    assert "2000w" in page


def test_lead_image_needs_alt_text(admin_client):
    release = ReleaseFactory(draft=True)
    data = release_form(release, lead_image=upload("lead.jpg", image_bytes()))

    response = admin_client.post(
        reverse("admin:releases_release_change", args=[release.pk]), data
    )

    release.refresh_from_db()
    assert not release.lead_image
    assert "Describe the lead image" in response.text


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", b"%PDF-1.7\n1 0 obj\n%%EOF\n"),
        ("plan.hwp", CFB_MAGIC + b"\0" * 504),
        ("plan.hwpx", office_zip("Contents/")),
        ("plan.docx", office_zip("word/")),
        ("figures.xlsx", office_zip("xl/")),
        ("slides.pptx", office_zip("ppt/")),
        ("figures.xls", CFB_MAGIC + b"\0" * 504),
        ("bundle.zip", office_zip("any/")),
        ("photo.png", image_bytes(image_format="PNG")),
    ],
)
def test_allowed_attachment_is_stored_under_a_random_name(admin_client, name, content):
    release = ReleaseFactory(draft=True)

    post_with_attachment(admin_client, release, upload(name, content))

    attachment = Attachment.objects.get()
    assert attachment.original_name == name
    assert name not in attachment.file.name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", "cannot be attached"),
        ("report.pdf", b"MZ\x90\x00 program", "not a PDF file"),
        ("report.pdf", b"<html><script>alert(1)</script></html>", "script code"),
        ("report.docx", b"PK\x03\x04 not really a zip", "not a DOCX file"),
        ("report.docx", office_zip("xl/"), "not a DOCX file"),
        ("report.hwp", b"%PDF-1.4", "not a HWP file"),
        ("page.html", b"<html></html>", "cannot be attached"),
        ("vector.svg", b"<svg/>", "cannot be attached"),
        ("photo.jpg", b"<html>not an image</html>", "script code"),
    ],
)
def test_hostile_attachment_is_refused_with_a_form_error(
    admin_client, name, content, message
):
    release = ReleaseFactory(draft=True)
    started = time.perf_counter()

    response = post_with_attachment(admin_client, release, upload(name, content))

    assert time.perf_counter() - started < 2
    assert response.status_code == 200
    assert message in response.text
    assert not Attachment.objects.exists()


def test_oversize_attachment_is_refused(admin_client, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    release = ReleaseFactory(draft=True)

    response = post_with_attachment(
        admin_client, release, upload("big.pdf", b"%PDF-1.4\n" + b"0" * 2000)
    )

    assert "the limit is 1000\xa0bytes" in response.text
    assert not Attachment.objects.exists()


def test_attachment_downloads_under_its_original_name(client):
    attachment = AttachmentFactory(title="Plan")
    attachment.original_name = "경기도 계획.pdf"
    attachment.save()

    response = client.get(attachment.get_absolute_url())

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%EA%B2%BD%EA%B8%B0%EB%8F%84" in disposition


def test_attachment_of_unpublished_release_is_not_public(client):
    attachment = AttachmentFactory(release=ReleaseFactory(draft=True))
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_uploaded_image_stores_its_size_and_the_page_gives_it(admin_client, client):
    release = ReleaseFactory()
    post_with_image(admin_client, release, upload("wide.jpg", image_bytes((1200, 800))))

    stored = ReleaseImage.objects.get()

    assert (stored.width, stored.height) == (1200, 800)
    assert 'width="1200" height="800"' in client.get(release.get_absolute_url()).text


def test_lead_image_size_is_stored_on_upload():
    release = ReleaseFactory(
        lead_image=upload("lead.png", image_bytes((640, 480), "PNG")),
        lead_image_alt="The governor",
    )
    assert (release.lead_image_width, release.lead_image_height) == (640, 480)


def test_removing_the_lead_image_forgets_its_size():
    release = ReleaseFactory(
        lead_image=upload("lead.png", image_bytes((640, 480), "PNG")),
        lead_image_alt="The governor",
    )
    release.lead_image = ""
    release.save()
    assert release.lead_image_width is None
    assert release.lead_image_renditions == {}


def test_page_whose_image_files_are_missing_still_renders(client, admin_client):
    release = ReleaseFactory(
        lead_image=upload("lead.png", image_bytes((640, 480), "PNG")),
        lead_image_alt="The governor",
    )
    gallery = ReleaseImageFactory(release=release)
    release.lead_image.storage.delete(release.lead_image.name)
    gallery.image.storage.delete(gallery.image.name)

    public = client.get(release.get_absolute_url())
    change = admin_client.get(
        reverse("admin:releases_release_change", args=[release.pk])
    )

    assert public.status_code == 200
    assert 'alt="The governor" width="640" height="480"' in public.text
    assert change.status_code == 200


def test_attachment_whose_file_is_missing_answers_404(client):
    attachment = AttachmentFactory()
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(attachment.get_absolute_url()).status_code == 404


def test_behind_nginx_attachment_is_sent_by_it_under_its_original_name(
    client, settings
):
    settings.MEDIA_SENT_BY_FRONT = True
    attachment = AttachmentFactory(title="Plan")
    attachment.original_name = "경기도 계획.pdf"
    attachment.save()

    response = client.get(attachment.get_absolute_url())

    assert response["X-Accel-Redirect"] == attachment.file.url
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == b""


def test_behind_nginx_a_lost_attachment_answers_404(client, settings):
    settings.MEDIA_SENT_BY_FRONT = True
    attachment = AttachmentFactory()
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(attachment.get_absolute_url()).status_code == 404
