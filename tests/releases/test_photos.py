"""Photos for the press: originals under telling names, all of them as one
streamed ZIP with their captions, and downloads counted apart from hits."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from releases import photos
from releases.models import DailyDownloads, DailyHits, PhotoLicence
from tests.releases.factories import ReleaseFactory, ReleaseImageFactory
from tests.releases.files import image_bytes

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36"


def photo(release, caption="", size=(2000, 1000), **fields):
    return ReleaseImageFactory(
        release=release,
        image=ContentFile(image_bytes(size), name="upload.jpg"),
        caption=caption,
        **fields,
    )


def download(client, image, **headers):
    url = reverse("releases:photo_download", args=[image.release.number, image.pk])
    return client.get(url, HTTP_USER_AGENT=BROWSER, **headers)


def archive(client, release):
    url = reverse("releases:photo_archive", args=[release.number])
    return client.get(url, HTTP_USER_AGENT=BROWSER)


def downloads_today(release):
    row = DailyDownloads.objects.filter(
        release=release, day=timezone.localdate()
    ).first()
    return row.downloads if row else 0


def test_original_downloads_at_full_size_named_by_number_order_and_caption(client):
    release = ReleaseFactory(number=1234)
    photo(release, "First")
    second = photo(release, "Governor at the Smart Belt presentation", order=1)

    response = download(client, second)

    assert response["Content-Disposition"] == (
        "attachment; filename="
        '"release-1234-02-governor-at-the-smart-belt-presentation.jpg"'
    )
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as image:
        assert (image.size, dict(image.getexif())) == ((2000, 1000), {})


def test_long_caption_is_cut_between_words_in_the_file_name():
    release = ReleaseFactory.build(number=7)
    image = ReleaseImageFactory.build(
        image=ContentFile(b"", name="x.jpg"), caption="word " * 30
    )

    name = photos.download_name(release, image, 3)

    assert name.startswith("release-7-03-word-word-")
    assert name.endswith("-word.jpg")
    assert len(name) <= len("release-7-03-") + photos.SLUG_MAX + len(".jpg")


def test_photo_without_caption_is_named_by_number_and_order(client):
    image = photo(ReleaseFactory(number=5))

    response = download(client, image)

    assert 'filename="release-5-01.jpg"' in response["Content-Disposition"]


def test_zip_holds_every_original_and_their_captions_in_utf8(client, settings):
    settings.PHOTO_LICENCE = "kogl-1"
    release = ReleaseFactory(number=21)
    photo(release, "도지사 축사", credit="경기도 대변인실")
    photo(release, "Mayors on stage", order=1, licence=PhotoLicence.KOGL_4)

    response = archive(client, release)

    assert response["Content-Disposition"] == (
        'attachment; filename="release-21-photos.zip"'
    )
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zipped:
        names = zipped.namelist()
        with Image.open(zipped.open(names[0])) as image:
            assert (image.size, dict(image.getexif())) == ((2000, 1000), {})
        captions = zipped.read("captions.txt").decode("utf-8")
    assert names == [
        "release-21-01-도지사-축사.jpg",
        "release-21-02-mayors-on-stage.jpg",
        "captions.txt",
    ]
    first, second = captions.split("\r\n\r\n")[1:3]
    assert "Caption: 도지사 축사" in first
    assert "Credit: 경기도 대변인실" in first
    assert "KOGL Type 1" in first
    assert "KOGL Type 4" in second
    assert "licenseType4.do" in second


def test_zip_is_streamed_with_its_length_told(client):
    release = ReleaseFactory()
    photo(release, "One")

    response = archive(client, release)

    assert response.streaming
    assert int(response["Content-Length"]) == len(b"".join(response.streaming_content))


def test_zip_leaves_out_a_photo_whose_file_is_missing(client):
    release = ReleaseFactory(number=3)
    gone = photo(release, "Gone")
    photo(release, "Kept", order=1)
    gone.image.storage.delete(gone.image.name)

    response = archive(client, release)

    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as zipped:
        assert zipped.namelist() == ["release-3-02-kept.jpg", "captions.txt"]


def test_zip_of_a_release_whose_photos_are_all_missing_is_404(client):
    release = ReleaseFactory()
    gone = photo(release, "Gone")
    gone.image.storage.delete(gone.image.name)

    assert archive(client, release).status_code == 404


def test_zip_of_a_release_without_photos_is_404(client):
    assert archive(client, ReleaseFactory()).status_code == 404


def test_downloads_are_counted_by_day_and_never_as_hits(client):
    release = ReleaseFactory()
    image = photo(release, "One")
    hits_before = release.hit_count

    download(client, image)
    download(client, image)
    archive(client, release)

    release.refresh_from_db()
    assert downloads_today(release) == 3
    assert release.hit_count == hits_before
    assert not DailyHits.objects.filter(release=release).exists()


def test_bots_and_staff_downloads_are_not_counted(client, admin_user):
    image = photo(ReleaseFactory(), "One")

    client.get(
        reverse("releases:photo_download", args=[image.release.number, image.pk]),
        HTTP_USER_AGENT="Googlebot/2.1 (+http://www.google.com/bot.html)",
    )
    client.force_login(admin_user)
    download(client, image)

    assert downloads_today(image.release) == 0


@pytest.mark.parametrize("trait", ["draft", "in_review", "embargoed"])
def test_photos_of_a_release_not_public_are_404(client, trait):
    image = photo(ReleaseFactory(**{trait: True}), "Secret")

    assert download(client, image).status_code == 404
    assert archive(client, image.release).status_code == 404


def test_photo_asked_for_under_another_release_is_404(client):
    image = photo(ReleaseFactory(), "One")
    other = ReleaseFactory()

    url = reverse("releases:photo_download", args=[other.number, image.pk])

    assert client.get(url).status_code == 404


def test_page_lists_each_photo_linked_to_its_original_with_what_the_press_needs(
    client, settings
):
    settings.PHOTO_LICENCE = "kogl-3"
    release = ReleaseFactory()
    image = photo(release, "Governor on stage", credit="Kim Photographer")

    page = client.get(release.get_absolute_url()).text

    assert f'href="{image.image.url}"' in page  # the lightbox's link, without script
    assert reverse("releases:photo_download", args=[release.number, image.pk]) in page
    assert reverse("releases:photo_archive", args=[release.number]) in page
    assert "2000 × 1000 px" in page
    assert "Photo: Kim Photographer" in page
    assert "KOGL Type 3: credit the source, no changes" in page


def test_photo_without_credit_is_credited_to_the_releases_department(client):
    release = ReleaseFactory()
    photo(release, "One")

    page = client.get(release.get_absolute_url()).text

    assert f"Photo: {release.department.name}" in page


def test_photo_licence_of_its_own_is_shown_over_the_offices(client, settings):
    settings.PHOTO_LICENCE = "kogl-1"
    release = ReleaseFactory()
    photo(release, "One", licence=PhotoLicence.KOGL_2)

    page = client.get(release.get_absolute_url()).text

    assert "KOGL Type 2: credit the source, no commercial use" in page
    assert "licenseType2.do" in page


def test_admin_offers_the_offices_usual_licence_as_the_empty_choice(
    admin_client, settings
):
    settings.PHOTO_LICENCE = "kogl-2"
    release = ReleaseFactory()
    photo(release, "One")

    page = admin_client.get(
        reverse("admin:releases_release_change", args=[release.pk])
    ).text

    assert (
        '<option value="" selected>The office&#x27;s usual licence: '
        "KOGL Type 2: credit the source, no commercial use</option>"
    ) in page
