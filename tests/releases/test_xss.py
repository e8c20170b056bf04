import pytest
from django.core.files.base import ContentFile

from people.models import Municipality, Official, Organization, Position
from releases import previews
from releases.models import Attachment, Release, ReleaseImage, Topic
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


def fitted(model, **values):
    """values cut to each field's max_length, as the admin form would have required."""
    return {
        name: value[: model._meta.get_field(name).max_length or None]
        for name, value in values.items()
    }


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_field_never_reaches_a_page_as_markup(client, payload):
    place = MunicipalityFactory(
        **fitted(Municipality, name=payload, local_name=payload)
    )
    position = PositionFactory(municipality=place, **fitted(Position, title=payload))
    official = position.official
    official.name = fitted(Official, name=payload)["name"]
    official.bio = payload
    official.save()
    topic = TopicFactory(**fitted(Topic, name=payload))
    release = ReleaseFactory(
        summary=f"○ {payload}\n– {payload}",
        body=payload,
        department=OrganizationFactory(**fitted(Organization, name=payload)),
        **fitted(
            Release,
            title=payload,
            contact_name=payload,
            contact_phone=payload,
            contact_email=payload,
            change_note=payload,
        ),
    )
    release.topics.add(topic)
    release.municipalities.add(place)
    release.officials.add(official)
    ReleaseImageFactory(
        release=release, **fitted(ReleaseImage, alt_text=payload, caption=payload)
    )
    AttachmentFactory(
        release=release,
        title=fitted(Attachment, title=payload)["title"],
        file=ContentFile(b"%PDF-1.4\n", name=f"{payload[:60]}.pdf"),
    )
    draft = ReleaseFactory(draft=True, body=payload, **fitted(Release, title=payload))

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


def test_checker_finds_a_script_from_elsewhere_but_not_our_own():
    assert executable_markup('<script src="https://cdn.example/x.js"></script>')
    assert not executable_markup('<script src="/static/js/gallery.js" defer></script>')
