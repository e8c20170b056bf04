import pytest
from django.core.files.base import ContentFile

from releases import previews
from tests.people.factories import (
    MunicipalityFactory,
    OrganizationFactory,
    PositionFactory,
)
from tests.releases.factories import (
    AttachmentFactory,
    ReleaseFactory,
    ReleaseImageFactory,
    TopicFactory,
)
from tests.releases.xss import PAYLOADS, executable_markup

pytestmark = pytest.mark.django_db


def test_corpus_has_at_least_a_hundred_payloads():
    assert len(set(PAYLOADS)) >= 100


def test_checker_finds_script_that_reached_the_page():
    assert executable_markup("<p>ok</p><img src=x onerror=alert(1)>")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_field_never_reaches_a_page_as_markup(client, payload):
    place = MunicipalityFactory(name=payload, local_name=payload)
    position = PositionFactory(municipality=place, title=payload)
    official = position.official
    official.name = official.bio = payload
    official.save()
    topic = TopicFactory(name=payload)
    release = ReleaseFactory(
        title=payload,
        summary=f"○ {payload}\n– {payload}",
        body=payload,
        contact_name=payload,
        contact_phone=payload,
        contact_email=payload,
        department=OrganizationFactory(name=payload),
        change_note=payload,
    )
    release.topics.add(topic)
    release.municipalities.add(place)
    release.officials.add(official)
    ReleaseImageFactory(release=release, alt_text=payload, caption=payload)
    AttachmentFactory(
        release=release,
        title=payload,
        file=ContentFile(b"%PDF-1.4\n", name=f"{payload[:60]}.pdf"),
    )
    draft = ReleaseFactory(draft=True, title=payload, body=payload)

    pages = [
        "/",
        "/releases/",
        f"/releases/?q={payload}",
        release.get_absolute_url(),
        official.get_absolute_url(),
        place.get_absolute_url(),
        topic.get_absolute_url(),
        "/officials/",
        "/municipalities/",
        "/releases/topics/",
        previews.link(draft),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert executable_markup(response.text) == [], page
