"""A journalist on a release's Photos: the lightbox from the keyboard, under
the site's CSP; one original and the whole ZIP downloaded and checked; and the
gallery without JavaScript."""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from tests.releases.factories import ReleaseFactory, ReleaseImageFactory
from tests.releases.files import image_bytes, jpeg_with_gps

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def release(db):
    release = ReleaseFactory(number=1234, title="Smart Belt strategy presented")
    ReleaseImageFactory(
        release=release,
        image=ContentFile(jpeg_with_gps(), name="camera.jpg"),
        caption="Governor at the Smart Belt presentation",
        alt_text="The governor at a lectern",
        credit="Kim Min-ji, Gyeonggi Province",
    )
    ReleaseImageFactory(
        release=release,
        image=ContentFile(image_bytes((2400, 1600)), name="wide.jpg"),
        caption="Mayors on stage",
        alt_text="Eight people standing on a stage",
        order=1,
    )
    return release


def open_release(page_for, live_server, release, **options):
    page = page_for(**options)
    problems = []
    page.on("console", lambda message: problems.append(message.text))
    page.goto(f"{live_server.url}{release.get_absolute_url()}")
    return page, problems


def test_lightbox_opens_moves_and_closes_from_the_keyboard_under_the_csp(
    page_for, live_server, release
):
    page, console = open_release(page_for, live_server, release, bypass_csp=False)
    links = page.locator(".gallery__open")

    links.first.focus()
    page.keyboard.press("Enter")
    lightbox = page.locator("dialog[data-lightbox]")
    assert lightbox.is_visible()
    shown = lightbox.locator("img")
    assert shown.get_attribute("src") == live_server.url + links.first.get_attribute(
        "href"
    )
    page.wait_for_function("document.querySelector('dialog img').naturalWidth > 0")
    assert "Governor at the Smart Belt presentation" in lightbox.inner_text()

    page.keyboard.press("ArrowRight")
    assert shown.get_attribute("src").endswith(links.nth(1).get_attribute("href"))
    assert "2 / 2" in lightbox.inner_text()
    page.keyboard.press("Escape")

    assert not lightbox.is_visible()
    # Focus moves to the photo last shown once the dialog's close event runs.
    page.wait_for_function(
        "href => document.activeElement.getAttribute('href') === href",
        arg=links.nth(1).get_attribute("href"),
    )
    assert not [text for text in console if "Content Security Policy" in text]


def test_journalist_downloads_an_original_at_full_size_without_metadata(
    page_for, live_server, release
):
    page, _console = open_release(page_for, live_server, release, accept_downloads=True)

    with page.expect_download() as download:
        page.locator(".gallery__download").first.click()

    assert download.value.suggested_filename == (
        "release-1234-01-governor-at-the-smart-belt-presentation.jpg"
    )
    with Image.open(download.value.path()) as original:
        assert (original.size, dict(original.getexif())) == ((800, 600), {})


def test_journalist_downloads_all_photos_as_one_zip_with_their_captions(
    page_for, live_server, release
):
    page, _console = open_release(page_for, live_server, release, accept_downloads=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download all 2 photos (ZIP)").click()

    assert download.value.suggested_filename == "release-1234-photos.zip"
    with zipfile.ZipFile(download.value.path()) as photos:
        names = photos.namelist()
        with Image.open(io.BytesIO(photos.read(names[1]))) as wide:
            assert (wide.size, dict(wide.getexif())) == ((2400, 1600), {})
        captions = photos.read("captions.txt").decode("utf-8")
    assert names == [
        "release-1234-01-governor-at-the-smart-belt-presentation.jpg",
        "release-1234-02-mayors-on-stage.jpg",
        "captions.txt",
    ]
    assert "Credit: Kim Min-ji, Gyeonggi Province" in captions
    assert "Caption: Mayors on stage" in captions


def test_without_javascript_a_thumbnail_is_a_link_to_its_photo(
    page_for, live_server, release
):
    page, _console = open_release(
        page_for, live_server, release, java_script_enabled=False
    )
    target = page.locator(".gallery__open").first.get_attribute("href")

    page.locator(".gallery__open").first.click()

    page.wait_for_url(f"{live_server.url}{target}")


@pytest.mark.parametrize("width", [1280, 375])
def test_photos_and_open_lightbox_have_no_accessibility_violations(
    page_for, live_server, release, axe_violations, width
):
    page, _console = open_release(page_for, live_server, release, width=width)
    assert axe_violations(page) == []

    page.locator(".gallery__open").first.click()

    assert axe_violations(page) == []


def test_editor_places_a_photo_of_the_release_in_its_text_from_the_gallery(
    page_for, live_server, release, editor
):
    page = page_for(editor, bypass_csp=False)
    page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")
    page.locator(".ProseMirror >> visible=true").first.click()
    page.keyboard.press("Control+End")

    page.locator("button[data-name=figure]").click()
    with page.expect_popup() as picker:
        page.get_by_role("button", name="Browse...").click()
    picker.value.get_by_role("button", name="Mayors on stage").click()
    dialog = page.locator("dialog[open]")
    assert dialog.locator("input[name=altText]").input_value() == (
        "Eight people standing on a stage"
    )
    dialog.locator("button[type=submit]").click()
    page.click("input[name=_continue]")

    page.goto(f"{live_server.url}{release.get_absolute_url()}")
    placed = page.locator(".release__body figure img")
    assert placed.get_attribute("alt") == "Eight people standing on a stage"
    assert "/media/releases/gallery/" in placed.get_attribute("src")
    assert page.locator(".release__body figcaption").inner_text() == "Mayors on stage"
