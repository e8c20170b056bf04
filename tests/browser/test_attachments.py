"""A reader on a release's attachments, in Chromium under the site's CSP: a PDF
opened in the page's viewer, an HWPX read as a page; axe on both."""

import re

import pytest
from django.core.files.base import ContentFile

from releases import readable
from tests.releases import documents as made
from tests.releases.factories import AttachmentFactory, ReleaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def attachments(db):
    release = ReleaseFactory(title="Smart Belt strategy presented", language="ko")
    files = {
        "pdf": ("Strategy plan", made.pdf_bytes(pages=3), "plan.pdf"),
        "hwpx": ("추진 전략 요약", made.hwpx_bytes(), "summary.hwpx"),
    }
    found = {}
    for key, (title, content, name) in files.items():
        attachment = AttachmentFactory(
            release=release, title=title, file=ContentFile(content, name=name)
        )
        readable.prepare(attachment.pk)
        found[key] = attachment
    return found


def open_page(page_for, url, **options):
    page = page_for(bypass_csp=False, **options)
    problems = []
    page.on("console", lambda message: problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(url)
    return page, problems


def test_pdf_opens_in_the_pages_viewer_page_by_page(page_for, live_server, attachments):
    pdf = attachments["pdf"]
    page, problems = open_page(page_for, f"{live_server.url}/ko{pdf.get_pdf_url()}")

    page.wait_for_selector("canvas[data-drawn=true]")

    pages = page.locator("canvas.pdf-viewer__page")
    assert pages.count() == 3
    assert pages.first.get_attribute("aria-label") == "3쪽 중 1쪽"
    assert page.get_by_role("link", name="원본 내려받기(PDF").count() == 1
    assert problems == []


def test_reader_reads_an_hwpx_as_a_page_from_the_release(
    page_for, live_server, attachments
):
    hwpx = attachments["hwpx"]
    page, problems = open_page(
        page_for, f"{live_server.url}/ko{hwpx.release.get_absolute_url()}"
    )

    page.get_by_role("link", name=re.compile("바로 읽기.*추진 전략 요약")).click()

    page.wait_for_url(f"{live_server.url}/ko{hwpx.get_text_url()}")
    assert page.locator("h1").inner_text() == "추진 전략 요약"
    assert (
        "7개 시가 첫 전략을 발표했다." in page.locator(".document__text").inner_text()
    )
    assert problems == []


@pytest.mark.parametrize("kind", ["text", "pdf"])
def test_attachment_pages_have_no_accessibility_violations(
    page_for, live_server, attachments, axe_violations, kind
):
    attachment = attachments["hwpx" if kind == "text" else "pdf"]
    url = attachment.get_text_url() if kind == "text" else attachment.get_pdf_url()
    page = page_for()
    page.goto(f"{live_server.url}{url}")
    if kind == "pdf":
        page.wait_for_selector("canvas[data-drawn=true]")

    assert axe_violations(page) == []
