import pytest

from releases.models import Release
from tests.conftest import staff_in
from tests.people.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "[contenteditable=true].ProseMirror"  # the body editor's text area


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
    page.click(BODY)
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


def writing_a_new_release(page_for, live_server, title):
    """An editor's page on a new release with title, typing in its body."""
    page = page_for(staff_in("Editor", "eddie"))
    page.goto(f"{live_server.url}/admin/releases/release/add/")
    page.fill("#id_title", title)
    page.click(BODY)
    return page


def test_editor_toolbar_makes_bold_text_that_is_saved(page_for, live_server):
    page = writing_a_new_release(page_for, live_server, "Bold test")
    page.click("button[data-name=bold]")
    page.keyboard.type("Important")
    page.click("input[name=_continue]")

    assert "<strong>Important</strong>" in Release.objects.get().body


def test_toolbar_works_from_the_keyboard(page_for, live_server):
    page = writing_a_new_release(page_for, live_server, "Keyboard test")
    page.keyboard.type("Important")
    page.keyboard.press("Control+A")

    page.locator("button[data-name=bold]").focus()
    page.keyboard.press("Enter")
    page.click("input[name=_continue]")

    assert "<strong>Important</strong>" in Release.objects.get().body


def test_heading_and_list_look_in_the_editor_as_on_the_page(page_for, live_server):
    page = writing_a_new_release(page_for, live_server, "Clinic hours")
    page.click(".prose-menubar__selected")
    page.click(".prose-menubar__option[data-name=heading2]")
    page.keyboard.type("Key facts")
    page.keyboard.press("Enter")
    page.click("button[data-name=bulletList]")
    page.keyboard.type("Open every night")
    in_editor = page.evaluate(STYLES, BODY)
    page.click("input[name=_continue]")
    release = Release.objects.get()
    assert "<h2>Key facts</h2>" in release.body
    assert "<ul><li><p>Open every night</p></li></ul>" in release.body

    Release.objects.filter(pk=release.pk).update(
        status="published", published_at="2021-10-07T10:00+09:00"
    )
    visitor = page_for()
    visitor.goto(live_server.url + release.get_absolute_url())
    assert visitor.evaluate(STYLES, ".release__body") == in_editor


# The look of a body's heading and list items, to compare editor and page.
STYLES = """(root) => {
  const style = (part) => getComputedStyle(document.querySelector(`${root} ${part}`));
  const heading = style("h2"), item = style("li");
  return {
    heading: [heading.fontSize, heading.fontWeight, heading.backgroundColor],
    item: [item.listStyleType, item.display],
  };
}"""


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


WORD_HTML = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><body>'
    '<p class="MsoNormal" style="margin:0cm;font-family:Batang">'
    '<span style="font-size:14pt;color:red"><font face="Gulim">Budget of '
    "<b>60 billion</b> won</font></span><o:p></o:p></p>"
    '<p class="MsoNormal"><o:p>&nbsp;</o:p></p></body></html>'
)


def test_pasted_word_text_keeps_its_words_not_its_styles(page_for, live_server):
    page = writing_a_new_release(page_for, live_server, "Pasted")

    page.evaluate(
        """([html, body]) => {
          const data = new DataTransfer();
          data.setData("text/html", html);
          data.setData("text/plain", "Budget of 60 billion won");
          document.querySelector(body).dispatchEvent(
            new ClipboardEvent(
              "paste", {clipboardData: data, bubbles: true, cancelable: true}
            )
          );
        }""",
        [WORD_HTML, BODY],
    )
    shown = page.inner_html(BODY)
    page.click("input[name=_continue]")

    assert "style=" not in shown and "font" not in shown and "Mso" not in shown
    assert (
        Release.objects.get().body == "<p>Budget of <strong>60 billion</strong> won</p>"
    )
