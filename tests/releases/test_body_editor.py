"""The release body's editor (django-prose-editor) and what reaches the page."""

import re
from pathlib import Path

import django_prose_editor
import pytest
from django.urls import reverse
from django_prose_editor.config import allowlist_from_extensions

from releases import richtext
from releases.models import Release
from tests.releases.admin_forms import release_form
from tests.releases.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

EDITOR_JS = (
    Path(django_prose_editor.__file__).parent / "static/django_prose_editor/editor.js"
)


def change_url(release):
    return reverse("admin:releases_release_change", args=[release.pk])


def test_every_tag_the_editor_makes_survives_the_sanitizer():
    made = allowlist_from_extensions(richtext.EDITOR_EXTENSIONS)["tags"]
    assert made - richtext.ALLOWED_TAGS == set()


def test_every_label_of_the_editors_dialogs_reads_in_korean():
    labels = set(re.findall(r'pX\("([^"]+)"\)', EDITOR_JS.read_text()))
    from django.utils.translation.trans_real import DjangoTranslation

    catalogue = DjangoTranslation("ko", domain="djangojs")
    assert labels
    assert sorted(label for label in labels if catalogue.gettext(label) == label) == []


def test_stored_markup_that_never_passed_the_sanitizer_reaches_the_editor_clean(
    admin_client,
):
    release = ReleaseFactory()
    Release.objects.filter(pk=release.pk).update(
        body='<p>Text</p><img src=x onerror="alert(1)"><script>alert(2)</script>'
    )

    page = admin_client.get(change_url(release)).text

    editor = page[
        page.index('name="body"') : page.index("</textarea>", page.index('name="body"'))
    ]
    assert "Text" in editor
    assert "onerror" not in editor
    assert "alert(2)" not in editor


@pytest.mark.parametrize(
    "href", ["ftp://files.gg.example/a.pdf", "javascript:alert(1)"]
)
def test_a_link_the_page_would_drop_is_refused_with_a_message(admin_client, href):
    release = ReleaseFactory(draft=True, body="<p>Before</p>")
    body = f'<p>See <a href="{href}">the plan</a></p>'

    response = admin_client.post(change_url(release), release_form(release, body=body))

    assert response.status_code == 200
    assert "Links must be web addresses" in response.text
    assert Release.objects.get(pk=release.pk).body == "<p>Before</p>"


def test_web_mail_and_phone_links_are_kept(admin_client):
    release = ReleaseFactory(draft=True)
    body = (
        '<p><a href="https://gg.go.kr">site</a>'
        ' <a href="mailto:press@gg.go.kr">mail</a>'
        ' <a href="tel:+82318008">call</a> <a href="/releases/">board</a></p>'
    )

    admin_client.post(change_url(release), release_form(release, body=body))

    saved = Release.objects.get(pk=release.pk).body
    for href in [
        "https://gg.go.kr",
        "mailto:press@gg.go.kr",
        "tel:+82318008",
        "/releases/",
    ]:
        assert f'href="{href}"' in saved


def test_empty_paragraphs_are_not_saved():
    release = ReleaseFactory(body="<p>One</p><p></p><p><br></p><p>&nbsp;</p><p>Two</p>")
    assert Release.objects.get(pk=release.pk).body == "<p>One</p><p>Two</p>"
