"""What the open data API says of releases and their tags (releases.api)."""

import datetime

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
    """Built by releases.api_records."""

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
