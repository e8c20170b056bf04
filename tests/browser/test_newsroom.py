import pytest

from releases.models import Release
from tests.conftest import staff_in
from tests.people.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_writer_and_editor_take_a_release_from_draft_to_withdrawn(
    page_for, live_server
):
    MunicipalityFactory(name="Suwon", local_name="수원시")
    writer = staff_in("Writer", "wendy")
    editor = staff_in("Editor", "eddie")

    page = page_for(writer)
    page.goto(f"{live_server.url}/admin/releases/release/add/")
    page.fill("#id_title", "Suwon opens a night clinic for children")
    page.fill("#id_summary", "○ A clinic opens\n– Open every night")
    page.click(".richtext-area")
    page.keyboard.type("Suwon opened the clinic on Monday.")
    page.click("input[name=_continue]")
    page.click("button[data-suggest-field=municipalities]")
    page.click("input[name=_continue]")
    page.click("text=Submit for review")
    page.click("input[type=submit][value='Submit for review']")
    release = Release.objects.get()
    assert release.status == "in_review"
    assert list(release.municipalities.values_list("name", flat=True)) == ["Suwon"]
    assert "Publish or schedule" not in page.content()

    page = page_for(editor)
    page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")
    page.click("text=Publish or schedule")
    page.click("input[type=submit][value='Publish or schedule']")
    assert Release.objects.published().get() == release
    page.click("text=Withdraw")
    page.fill("#id_reason", "Opening date moved")
    page.click("input[type=submit][value='Withdraw']")

    visitor = page_for()
    visitor.goto(live_server.url + release.get_absolute_url())
    assert "This release has been withdrawn." in visitor.content()
    assert "Opening date moved" in visitor.content()


def test_editor_toolbar_makes_bold_text_that_is_saved(page_for, live_server):
    editor = staff_in("Editor", "eddie")
    page = page_for(editor)
    page.goto(f"{live_server.url}/admin/releases/release/add/")
    page.fill("#id_title", "Bold test")
    page.click(".richtext-area")
    page.click("text=Bold")
    page.keyboard.type("Important")
    page.click("input[name=_continue]")

    assert "<b>Important</b>" in Release.objects.get().body


def test_writer_sees_a_refused_step_explained(page_for, live_server):
    writer = staff_in("Writer", "wendy")
    release = Release.objects.create(title="In review", body="Text", status="in_review")
    page = page_for(writer)

    page.goto(
        f"{live_server.url}/admin/releases/release/{release.pk}/transition/publish/"
    )
    page.click("input[type=submit]")

    assert "Only editors can publish." in page.content()
    assert Release.objects.get().status == "in_review"


def test_preview_link_button_makes_a_link_without_saving(page_for, live_server):
    writer = staff_in("Writer", "wendy")
    release = Release.objects.create(title="Bus plan", body="Text", status="draft")
    page = page_for(writer)
    page.goto(f"{live_server.url}/admin/releases/release/{release.pk}/change/")
    page.fill("#id_title", "Unsaved title")

    page.click("text=Make a preview link for a fact-checker")

    message = page.locator(".messagelist").inner_text()
    assert "/releases/preview/" in message
    assert Release.objects.get().title == "Bus plan"
    link = message[message.index("http") :].strip()
    visitor = page_for()
    visitor.goto(link)
    assert "Bus plan" in visitor.content()
