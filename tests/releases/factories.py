from datetime import timedelta
from io import BytesIO

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory
from PIL import Image

from releases import rollups
from releases.models import (
    Attachment,
    DailyDownloads,
    DailyHits,
    Release,
    ReleaseImage,
    Topic,
)
from tests.people.factories import OrganizationFactory


def an_hour_ago():
    return timezone.now() - timedelta(hours=1)


def tomorrow():
    return timezone.now() + timedelta(days=1)


class TopicFactory(DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ReleaseFactory(DjangoModelFactory):
    class Meta:
        model = Release

    title = factory.Sequence(lambda n: f"Release {n}")
    summary = "○ A key point\n– A detail of it"
    body = "First paragraph.\n\nSecond paragraph."
    status = Release.Status.PUBLISHED
    published_at = factory.LazyFunction(an_hour_ago)
    department = factory.SubFactory(OrganizationFactory)

    class Params:
        draft = factory.Trait(status=Release.Status.DRAFT, published_at=None)
        in_review = factory.Trait(status=Release.Status.IN_REVIEW, published_at=None)
        embargoed = factory.Trait(published_at=factory.LazyFunction(tomorrow))
        withdrawn = factory.Trait(
            status=Release.Status.WITHDRAWN,
            withdrawn_at=factory.LazyFunction(timezone.now),
            withdrawal_reason="Figures were wrong",
        )


def tiny_png():
    buffer = BytesIO()
    Image.new("RGB", (4, 3), "navy").save(buffer, "PNG")
    return buffer.getvalue()


class ReleaseImageFactory(DjangoModelFactory):
    class Meta:
        model = ReleaseImage

    release = factory.SubFactory(ReleaseFactory)
    image = factory.LazyFunction(lambda: ContentFile(tiny_png(), name="photo.png"))
    alt_text = factory.Sequence(lambda n: f"Photo {n}")


class AttachmentFactory(DjangoModelFactory):
    class Meta:
        model = Attachment

    release = factory.SubFactory(ReleaseFactory)
    file = factory.LazyFunction(
        lambda: ContentFile(b"%PDF-1.4\n%%EOF\n", name="plan.pdf")
    )
    title = factory.Sequence(lambda n: f"Attachment {n}")


class DailyDownloadsFactory(DjangoModelFactory):
    class Meta:
        model = DailyDownloads

    release = factory.SubFactory(ReleaseFactory)
    day = factory.LazyFunction(timezone.localdate)
    downloads = 1


class DailyHitsFactory(DjangoModelFactory):
    class Meta:
        model = DailyHits

    release = factory.SubFactory(ReleaseFactory)
    day = factory.LazyFunction(timezone.localdate)
    hits = 1

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Like an import of past figures: written directly, then rolled up again.
        row = super()._create(model_class, *args, **kwargs)
        rollups.rebuild()
        return row
