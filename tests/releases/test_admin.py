import html.parser

import pytest
from django.contrib import admin
from django.urls import reverse

from releases.models import Release
from tests.alerts.factories import SubscriptionFactory
from tests.people.factories import PositionFactory
from tests.releases.factories import (
    AttachmentFactory,
    DailyHitsFactory,
    ReleaseFactory,
    ReleaseImageFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_everything():
    release = ReleaseFactory()
    release.topics.add(TopicFactory())
    position = PositionFactory()
    release.officials.add(position.official)
    release.municipalities.add(position.municipality)
    ReleaseImageFactory(release=release)
    AttachmentFactory(release=release)
    DailyHitsFactory(release=release)
    SubscriptionFactory(scope="release", release=release)
    return release


def registered_models():
    return [
        model
        for model in admin.site._registry
        if model._meta.app_label in {"people", "releases", "alerts"}
    ]


def admin_url(model, view, *args):
    return reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args
    )


def test_every_model_is_registered():
    names = {model.__name__ for model in registered_models()}
    # Gallery images and attachments are edited as inlines on the release.
    assert names == {
        "Municipality", "Organization", "Official", "Position",
        "Topic", "Release", "DailyHits", "Subscription",
    }  # fmt: skip


def test_changelists_load_for_superuser(admin_client, one_of_everything):
    for model in registered_models():
        response = admin_client.get(admin_url(model, "changelist"))
        assert response.status_code == 200, model


def test_change_pages_load_for_superuser(admin_client, one_of_everything):
    for model in registered_models():
        obj = model.objects.first()
        response = admin_client.get(admin_url(model, "change", obj.pk))
        assert response.status_code == 200, model


def test_add_pages_load_for_superuser(admin_client):
    for model in registered_models():
        # Hits are counted, and subscriptions made by subscribers, not staff.
        expected = 403 if model.__name__ in {"DailyHits", "Subscription"} else 200
        response = admin_client.get(admin_url(model, "add"))
        assert response.status_code == expected, model


def test_release_add_form_creates_a_numbered_draft(admin_client):
    response = admin_client.post(
        admin_url(ReleaseFactory._meta.model, "add"),
        {
            "title": "New clinic",
            "slug": "new-clinic",
            "language": "en",
            "body": "Text",
            "status": "draft",
            "images-TOTAL_FORMS": 0,
            "images-INITIAL_FORMS": 0,
            "attachments-TOTAL_FORMS": 0,
            "attachments-INITIAL_FORMS": 0,
        },
    )
    release = ReleaseFactory._meta.model.objects.get(slug="new-clinic")
    assert response.status_code == 302
    assert release.number == 1
    assert release.status == "draft"


def test_release_search_finds_by_number(admin_client):
    release = ReleaseFactory(title="Findable")

    response = admin_client.get(
        admin_url(ReleaseFactory._meta.model, "changelist"), {"q": release.number}
    )

    assert "Findable" in response.text


def test_korean_admin_lives_under_ko_with_a_link_to_english(admin_client):
    text = admin_client.get("/ko/admin/").text
    assert '<html lang="ko"' in text
    assert 'href="http://testserver/admin/" lang="en"' in text
    assert "Press office newsroom" not in text


def test_body_editor_labels_are_in_the_korean_catalogue(admin_client):
    import json

    text = admin_client.get("/ko/admin/jsi18n/").text

    for english, korean in [("bold", "굵게"), ("Edit Link", "링크 편집")]:
        assert f"{json.dumps(english)}: {json.dumps(korean)}" in text


def test_release_form_loads_the_toolbar_relabelling(admin_client):
    page = admin_client.get(admin_url(ReleaseFactory._meta.model, "add")).text
    assert "js/body-editor-labels.js" in page


def release_changelist(client, **params):
    return client.get(admin_url(ReleaseFactory._meta.model, "changelist"), params)


def test_scheduled_release_reads_scheduled_for_its_time_in_the_list(admin_client):
    from django.utils import timezone

    release = ReleaseFactory(embargoed=True)
    at = timezone.localtime(release.published_at).strftime("%Y-%m-%d %H:%M")

    response = release_changelist(admin_client)

    assert f"Scheduled for {at}" in response.text


def test_scheduled_release_reads_scheduled_on_its_change_page(admin_client):
    release = ReleaseFactory(embargoed=True)

    response = admin_client.get(admin_url(release._meta.model, "change", release.pk))

    assert "Scheduled for " in response.text


@pytest.mark.parametrize(
    ("status", "expected"),
    [("scheduled", {"Embargoed"}), ("published", {"Live"}), ("draft", {"Draft"})],
)
def test_status_filter_tells_scheduled_from_published(admin_client, status, expected):
    ReleaseFactory(embargoed=True, title="Embargoed")
    ReleaseFactory(title="Live")
    ReleaseFactory(draft=True, title="Draft")

    response = release_changelist(admin_client, status=status)

    shown = {release.title for release in response.context["cl"].result_list}
    assert shown == expected


class FormNesting(html.parser.HTMLParser):
    """Collects the forms opened inside another form, which browsers drop."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.nested = []

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            if self.depth:
                self.nested.append(dict(attrs).get("action"))
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth = max(self.depth - 1, 0)


def nested_forms(page):
    parser = FormNesting()
    parser.feed(page)
    return parser.nested


@pytest.mark.parametrize(
    "state", ["draft", "in_review", "embargoed", "withdrawn", "live"]
)
def test_release_change_page_has_no_form_inside_another(admin_client, state):
    release = ReleaseFactory(**({} if state == "live" else {state: True}))
    ReleaseImageFactory(release=release)
    AttachmentFactory(release=release)

    page = admin_client.get(admin_url(release._meta.model, "change", release.pk)).text

    assert nested_forms(page) == []


def test_no_admin_page_has_a_form_inside_another(admin_client, one_of_everything):
    for model in registered_models():
        for view, args in [("changelist", []), ("change", [model.objects.first().pk])]:
            page = admin_client.get(admin_url(model, view, *args)).text
            assert nested_forms(page) == [], (model, view)


def test_korean_admin_names_tags_in_korean(admin_client):
    topic = TopicFactory(name="Semiconductors", local_name="반도체")
    ReleaseFactory().topics.add(topic)

    text = admin_client.get("/ko" + admin_url(Release, "changelist")).text

    assert "반도체" in text
    assert "Semiconductors" not in text
