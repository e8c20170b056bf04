import pytest
from django.core import signing
from django.urls import reverse

from releases import previews, workflow
from tests.releases.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


def test_staff_preview_shows_unpublished_release_marked_as_preview(client, writer):
    release = ReleaseFactory(draft=True, title="Draft about buses")
    client.force_login(writer)

    response = client.get(reverse("admin:releases_release_preview", args=[release.pk]))

    assert response.status_code == 200
    assert "Draft about buses" in response.text
    assert "This is how the release will look" in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_preview_does_not_count_hits(client, writer):
    release = ReleaseFactory()
    client.force_login(writer)

    client.get(
        reverse("admin:releases_release_preview", args=[release.pk]),
        HTTP_USER_AGENT="Mozilla/5.0 Chrome/131",
    )

    release.refresh_from_db()
    assert release.hit_count == 0


def test_preview_needs_staff_login(client):
    release = ReleaseFactory(draft=True)
    response = client.get(reverse("admin:releases_release_preview", args=[release.pk]))
    assert response.status_code == 302


def test_preview_link_shows_the_release_to_anyone(client):
    release = ReleaseFactory(draft=True, title="Embargoed figures")
    response = client.get(previews.link(release))
    assert response.status_code == 200
    assert "Embargoed figures" in response.text


def test_preview_link_is_for_its_release_only(client):
    release = ReleaseFactory(draft=True)
    other = ReleaseFactory(draft=True, title="Other draft")
    # Even a correctly signed token fails unless it carries that release's key.
    token = signing.dumps(
        {"release": other.pk, "key": release.preview_key}, salt=previews._SALT
    )

    response = client.get(reverse("releases:preview", args=[token]))

    assert response.status_code == 404
    assert "Other draft" not in response.text


def test_forged_preview_token_is_refused(client):
    ReleaseFactory(draft=True)
    response = client.get(reverse("releases:preview", args=["not-a-token"]))
    assert response.status_code == 404


def test_preview_link_expires(client, settings):
    release = ReleaseFactory(draft=True)
    url = previews.link(release)
    settings.PREVIEW_LINK_DAYS = -1

    assert client.get(url).status_code == 404


def test_publishing_revokes_preview_links(client, editor):
    release = ReleaseFactory(in_review=True)
    url = previews.link(release)

    workflow.publish(release, editor)

    assert client.get(url).status_code == 404


def test_admin_makes_a_preview_link(client, writer):
    release = ReleaseFactory(draft=True)
    client.force_login(writer)

    response = client.post(
        reverse("admin:releases_release_preview_link", args=[release.pk]), follow=True
    )

    assert "/releases/preview/" in response.text


def preview_link_button(page):
    """The preview-link button of a change page and the form it submits."""
    import html.parser

    found = {}

    class Finder(html.parser.HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "button" and attrs.get("form") == "preview-link-form":
                found["button"] = attrs
            if tag == "form" and attrs.get("id") == "preview-link-form":
                found["form"] = attrs

    Finder().feed(page)
    return found


@pytest.mark.parametrize("state", ["draft", "in_review", "embargoed"])
def test_unpublished_release_offers_a_preview_link(client, editor, state):
    release = ReleaseFactory(**{state: True})
    client.force_login(editor)

    page = client.get(reverse("admin:releases_release_change", args=[release.pk]))

    found = preview_link_button(page.text)
    assert found["form"]["action"] == reverse(
        "admin:releases_release_preview_link", args=[release.pk]
    )
    assert "button" in found


@pytest.mark.parametrize("state", ["live", "withdrawn"])
def test_public_release_offers_no_preview_link(client, editor, state):
    release = ReleaseFactory(**({} if state == "live" else {state: True}))
    client.force_login(editor)

    page = client.get(reverse("admin:releases_release_change", args=[release.pk]))

    assert preview_link_button(page.text) == {}


def test_preview_link_of_a_live_release_is_refused(client, editor):
    release = ReleaseFactory()
    client.force_login(editor)

    response = client.post(
        reverse("admin:releases_release_preview_link", args=[release.pk]), follow=True
    )

    assert "share its address instead" in response.text
    assert "/releases/preview/" not in response.text


@pytest.mark.parametrize("state", ["draft", "in_review", "embargoed"])
def test_view_on_site_of_an_unpublished_release_opens_its_preview(
    client, editor, state
):
    release = ReleaseFactory(**{state: True})
    client.force_login(editor)

    page = client.get(reverse("admin:releases_release_change", args=[release.pk]))

    preview = reverse("admin:releases_release_preview", args=[release.pk])
    assert f'href="{preview}" class="viewsitelink"' in page.text


def test_view_on_site_of_a_live_release_opens_its_page(client, editor):
    release = ReleaseFactory()
    client.force_login(editor)

    page = client.get(reverse("admin:releases_release_change", args=[release.pk]))

    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(release)
    site = reverse("admin:view_on_site", args=[kind.pk, release.pk])
    assert f'href="{site}" class="viewsitelink"' in page.text
