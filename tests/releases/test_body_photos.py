"""Photos placed in a release's text: only its own, each described, chosen in
the editor from its gallery."""

import html

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from releases import richtext
from releases.forms import BodyEditor
from releases.models import Release
from tests.releases.admin_forms import release_form
from tests.releases.factories import ReleaseFactory, ReleaseImageFactory
from tests.releases.files import image_bytes

pytestmark = pytest.mark.django_db


def change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


def picker_url(release):
    return reverse("admin:releases_release_photo_picker", args=[release.pk])


def gallery_photo(release, **fields):
    return ReleaseImageFactory(
        release=release,
        image=ContentFile(image_bytes((2000, 1000)), name="p.jpg"),
        **fields,
    )


def figure(src, alt="Mayors on stage", caption="The seven mayors"):
    return (
        f'<p>Text</p><figure><img src="{src}" alt="{alt}">'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def test_sanitizer_keeps_a_gallery_image_with_its_alt_text_and_caption():
    body = figure("/media/releases/gallery/a1.jpg")

    assert richtext.to_html(body) == body


@pytest.mark.parametrize(
    "src",
    [
        "https://tracker.example/pixel.gif",
        "/media/releases/attachments/plan.pdf",
        "/media/releases/gallery/../attachments/plan.pdf",
        "/media/releases/gallery/sub/x.jpg",
        "data:image/png;base64,AAAA",
    ],
)
def test_sanitizer_drops_an_image_from_anywhere_else(src):
    assert "<img" not in richtext.to_html(figure(src))


def test_own_photo_is_saved_in_the_text_and_shown_on_the_page(admin_client, client):
    release = ReleaseFactory()
    photo = gallery_photo(release, alt_text="Mayors on stage")
    source = photo.image.storage.url(photo.renditions["1600"])

    admin_client.post(change_url(release), release_form(release, body=figure(source)))

    page = client.get(Release.objects.get(pk=release.pk).get_absolute_url()).text
    assert f'<img src="{source}" alt="Mayors on stage">' in page
    assert "<figcaption>The seven mayors</figcaption>" in page


def test_image_not_of_this_release_is_refused_and_nothing_saved(admin_client):
    release = ReleaseFactory(body="<p>Before</p>")
    other = gallery_photo(ReleaseFactory())

    response = admin_client.post(
        change_url(release), release_form(release, body=figure(other.image.url))
    )

    assert "Images in the text must be photos of this release" in response.text
    assert other.image.url in response.text
    assert Release.objects.get(pk=release.pk).body == "<p>Before</p>"


def test_image_without_alt_text_is_refused(admin_client):
    release = ReleaseFactory(body="<p>Before</p>")
    photo = gallery_photo(release)

    response = admin_client.post(
        change_url(release), release_form(release, body=figure(photo.image.url, alt=""))
    )

    assert "Give each image in the text its alternative text." in response.text
    assert Release.objects.get(pk=release.pk).body == "<p>Before</p>"


def test_picker_lists_the_releases_photos_with_what_the_dialog_fills_in(
    admin_client,
):
    release = ReleaseFactory()
    photo = gallery_photo(release, alt_text="Mayors on stage", caption="Seven mayors")
    gallery_photo(ReleaseFactory(), caption="Someone else's")

    page = admin_client.get(picker_url(release), {"CKEditorFuncNum": "3"}).text

    assert (
        f'data-photo-url="{photo.image.storage.url(photo.renditions["1600"])}"' in page
    )
    assert 'data-photo-alt="Mayors on stage"' in page
    assert 'data-callback="3"' in page
    assert "Someone else" not in page


def test_picker_of_a_release_without_photos_says_how_to_add_them(admin_client):
    page = admin_client.get(picker_url(ReleaseFactory())).text

    assert "no photos yet" in page


def test_picker_is_refused_to_staff_who_may_not_edit_the_release(client, writer):
    client.force_login(writer)

    assert client.get(picker_url(ReleaseFactory())).status_code == 403


def test_editor_of_a_saved_release_browses_its_photos_and_a_new_one_has_none(
    admin_client,
):
    release = ReleaseFactory()

    saved = html.unescape(admin_client.get(change_url(release)).text)

    assert f'"pickerUrl":"{picker_url(release)}"' in saved
    assert '"Figure"' not in html.unescape(BodyEditor().render("body", ""))


def test_photo_removed_from_the_gallery_leaves_the_page_without_its_figure(client):
    release = ReleaseFactory()
    photo = gallery_photo(release)
    Release.objects.filter(pk=release.pk).update(
        body=richtext.to_html(figure(photo.image.url))
    )

    photo.delete()

    page = client.get(release.get_absolute_url()).text
    assert "<p>Text</p>" in page
    assert "<figure>" not in page
    assert "The seven mayors" not in page
