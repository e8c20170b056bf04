"""What the open data API says of releases and their tags (releases.api)."""

import datetime

from django.conf import settings
from ninja import Schema


class Error(Schema):
    parameter: str | None = None
    message: str


class Errors(Schema):
    errors: list[Error]


class Named(Schema):
    """A municipality, official, topic or department: its English and Korean names."""

    slug: str
    name: str
    local_name: str


class Municipality(Named):
    kind: str
    parent: str | None

    @staticmethod
    def resolve_parent(municipality):
        parent = municipality.parent
        return parent.slug if parent else None


class Post(Schema):
    title: str
    local_title: str
    municipality: str | None
    organization: str | None
    started_on: datetime.date
    ended_on: datetime.date | None

    @staticmethod
    def resolve_municipality(position):
        return position.municipality.slug if position.municipality else None

    @staticmethod
    def resolve_organization(position):
        return position.organization.slug if position.organization else None


class Official(Named):
    posts: list[Post]

    @staticmethod
    def resolve_posts(official):
        return official.positions.all()


class ChangeNote(Schema):
    made_at: datetime.datetime
    note: str


class Contact(Schema):
    name: str
    phone: str
    email: str


class Image(Schema):
    url: str
    alt: str
    caption: str
    width: int | None
    height: int | None


class Attachment(Schema):
    url: str
    title: str
    type: str
    size: int


class Translation(Schema):
    language: str
    number: int
    url: str


class Withdrawal(Schema):
    withdrawn_at: datetime.datetime
    reason: str


class Licence(Schema):
    name: str
    url: str


class Release(Schema):
    number: int
    url: str
    title: str
    language: str
    summary: str
    body_html: str
    published_at: datetime.datetime
    updated_at: datetime.datetime
    change_notes: list[ChangeNote]
    withdrawn: Withdrawal | None
    department: Named | None
    contact: Contact
    municipalities: list[Named]
    officials: list[Named]
    topics: list[Named]
    translations: list[Translation]
    images: list[Image]
    attachments: list[Attachment]
    licence: Licence
    hits: int

    @staticmethod
    def resolve_url(release, context):
        return context["request"].build_absolute_uri(release.get_absolute_url())

    @staticmethod
    def resolve_body_html(release):
        return str(release.safe_body)

    @staticmethod
    def resolve_updated_at(release):
        return release.last_major_update_at or release.published_at

    @staticmethod
    def resolve_change_notes(release):
        return release.change_notes.all()

    @staticmethod
    def resolve_withdrawn(release):
        if not release.is_withdrawn:
            return None
        return {
            "withdrawn_at": release.withdrawn_at,
            "reason": release.withdrawal_reason,
        }

    @staticmethod
    def resolve_contact(release):
        return {
            "name": release.contact_name,
            "phone": release.contact_phone,
            "email": release.contact_email,
        }

    @staticmethod
    def resolve_municipalities(release):
        return release.municipalities.all()

    @staticmethod
    def resolve_officials(release):
        return release.officials.all()

    @staticmethod
    def resolve_topics(release):
        return release.topics.all()

    @staticmethod
    def resolve_translations(release, context):
        request = context["request"]
        return [
            {
                "language": other.language,
                "number": other.number,
                "url": request.build_absolute_uri(other.get_absolute_url()),
            }
            for other in release.linked_translations()
            if other.is_live or other.is_withdrawn
        ]

    @staticmethod
    def resolve_images(release, context):
        request = context["request"]
        images = [
            {
                "url": request.build_absolute_uri(release.lead_image.url),
                "alt": release.lead_image_alt,
                "caption": "",
                "width": release.lead_image_width,
                "height": release.lead_image_height,
            }
        ] if release.lead_image else []  # fmt: skip
        return images + [
            {
                "url": request.build_absolute_uri(image.image.url),
                "alt": image.alt_text,
                "caption": image.caption,
                "width": image.width,
                "height": image.height,
            }
            for image in release.images.all()
        ]

    @staticmethod
    def resolve_attachments(release, context):
        request = context["request"]
        return [
            {
                "url": request.build_absolute_uri(attachment.get_absolute_url()),
                "title": attachment.title,
                "type": attachment.file_type,
                "size": attachment.size,
            }
            for attachment in release.attachments.all()
        ]

    @staticmethod
    def resolve_licence(release):
        licence = settings.REUSE_LICENCE
        return {"name": str(licence["name"]), "url": licence["url"]}

    @staticmethod
    def resolve_hits(release):
        return release.hit_count


class ReleasePage(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[Release]


class DayHits(Schema):
    day: datetime.date
    hits: int


class ReleaseHits(Schema):
    number: int
    start: datetime.date
    end: datetime.date
    total: int
    days: list[DayHits]
