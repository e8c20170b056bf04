"""Releases as the open data API gives them (releases.api_schemas.Release), as
plain dicts built in bulk: one query for each kind of part of a page of
releases, rather than Django's prefetching, whose per-row managers and
querysets cost more than the queries on a 20-release page.

address is the request (or open_data.SiteAddress): what makes links absolute.
"""

from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from people.models import Municipality, Official
from releases import richtext
from releases.models import Attachment, ChangeNote, Release, ReleaseImage, Topic

NAMED = ("slug", "name", "local_name")
TAGS = {
    "municipalities": ("municipality", Municipality),
    "officials": ("official", Official),
    "topics": ("topic", Topic),
}


def public_releases():
    """Every release with a public page, with what a record needs of its row."""
    return Release.objects.visible().select_related("department")


def records(releases, address):
    """The API's record of each of releases (Release rows), in their order."""
    ids = [release.pk for release in releases]
    parts = {
        **{field: _tags(field, ids) for field in TAGS},
        "change_notes": _change_notes(ids),
        "images": _images(ids, address),
        "attachments": _attachments(ids, address),
        "translations": _translations(releases, address),
    }
    licence = {
        "name": str(settings.REUSE_LICENCE["name"]),
        "url": settings.REUSE_LICENCE["url"],
    }
    return [
        {
            **_own_fields(release, address),
            **{name: part.get(release.pk, []) for name, part in parts.items()},
            "images": _lead_image(release, address)
            + parts["images"].get(release.pk, []),
            "licence": licence,
        }
        for release in releases
    ]


def _own_fields(release, address):
    department = release.department
    return {
        "number": release.number,
        "url": address.build_absolute_uri(release.get_absolute_url()),
        "title": release.title,
        "language": release.language,
        "summary": release.summary,
        "body_html": richtext.to_html(release.body),
        "published_at": release.published_at,
        "updated_at": release.last_major_update_at or release.published_at,
        "withdrawn": {
            "withdrawn_at": release.withdrawn_at,
            "reason": release.withdrawal_reason,
        }
        if release.is_withdrawn
        else None,
        "department": {field: getattr(department, field) for field in NAMED}
        if department
        else None,
        "contact": {
            "name": release.contact_name,
            "phone": release.contact_phone,
            "email": release.contact_email,
        },
        "hits": release.hit_count,
    }


def _tags(field, ids):
    """{release id: [tag]} of one kind of tag, in the tag model's order."""
    link, model = TAGS[field]
    rows = (
        getattr(Release, field)
        .through.objects.filter(release_id__in=ids)
        .order_by(*(f"{link}__{name}" for name in model._meta.ordering), link)
        .values_list("release_id", *(f"{link}__{name}" for name in NAMED))
    )
    found = defaultdict(list)
    for release_id, *values in rows:
        found[release_id].append(dict(zip(NAMED, values, strict=True)))
    return found


def _change_notes(ids):
    found = defaultdict(list)
    notes = ChangeNote.objects.filter(release_id__in=ids)
    for release_id, made_at, note in notes.values_list("release_id", "made_at", "note"):
        found[release_id].append({"made_at": made_at, "note": note})
    return found


def _images(ids, address):
    storage = ReleaseImage._meta.get_field("image").storage
    found = defaultdict(list)
    for image in ReleaseImage.objects.filter(release_id__in=ids).values(
        "release_id", "image", "alt_text", "caption", "width", "height"
    ):
        found[image["release_id"]].append(
            {
                "url": address.build_absolute_uri(storage.url(image["image"])),
                "alt": image["alt_text"],
                "caption": image["caption"],
                "width": image["width"],
                "height": image["height"],
            }
        )
    return found


def _lead_image(release, address):
    if not release.lead_image:
        return []
    return [
        {
            "url": address.build_absolute_uri(release.lead_image.url),
            "alt": release.lead_image_alt,
            "caption": "",
            "width": release.lead_image_width,
            "height": release.lead_image_height,
        }
    ]


def _attachments(ids, address):
    found = defaultdict(list)
    for attachment in Attachment.objects.filter(release_id__in=ids).values(
        "release_id", "pk", "original_name", "title", "file_type", "size"
    ):
        path = reverse(
            "releases:attachment",
            kwargs={"pk": attachment["pk"], "filename": attachment["original_name"]},
        )
        found[attachment["release_id"]].append(
            {
                "url": address.build_absolute_uri(path),
                "title": attachment["title"],
                "type": attachment["file_type"],
                "size": attachment["size"],
            }
        )
    return found


def _translations(releases, address):
    """{release id: [its other language versions with a public page]}, the
    original first (Release.linked_translations, for many at once)."""
    family_of = {
        release.pk: release.translation_of_id or release.pk for release in releases
    }
    families = set(family_of.values())
    now = timezone.now()
    versions = defaultdict(list)
    for version in (
        Release.objects.filter(Q(pk__in=families) | Q(translation_of__in=families))
        .only("number", "slug", "language", "status", "published_at", "translation_of")
        .order_by("-published_at", "-number")
    ):
        family = version.translation_of_id or version.pk
        public = version.is_live_at(now) or version.is_withdrawn
        if public:
            # The original leads its family; the rest keep the release order.
            place = 0 if version.pk == family else len(versions[family])
            versions[family].insert(place, version)
    return {
        release_id: [
            {
                "language": version.language,
                "number": version.number,
                "url": address.build_absolute_uri(version.get_absolute_url()),
            }
            for version in versions[family]
            if version.pk != release_id
        ]
        for release_id, family in family_of.items()
    }
