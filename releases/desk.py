"""The editorial desk: what waits for whom, on the admin's home and in its header.

Writers see their own drafts first; editors, what waits for their review (who
submitted it and when). Everyone on the desk sees what is scheduled, what went
out lately and what was withdrawn.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from releases.models import Release

RECENT = 8  # releases a "recently" list shows

Status = Release.Status


def on_desk(user):
    """Whether user works on releases (the desk is theirs)."""
    return user.is_active and user.is_staff and user.has_perm("releases.view_release")


def written_by(user):
    """A condition on releases: created or submitted by user."""
    created = Release.history.filter(history_type="+", history_user=user)
    return Q(pk__in=created.values("id")) | Q(submitted_by=user)


@dataclass(frozen=True)
class Counts:
    my_drafts: int
    waiting_for_review: int
    scheduled: int


def counts(user):
    """The desk's counts, in one query."""
    return Counts(
        **Release.objects.aggregate(
            my_drafts=Count("pk", filter=Q(status=Status.DRAFT) & written_by(user)),
            waiting_for_review=Count("pk", filter=Q(status=Status.IN_REVIEW)),
            scheduled=Count("pk", filter=Q(pk__in=Release.objects.scheduled())),
        )
    )


def my_drafts(user):
    return (
        Release.objects.filter(written_by(user), status=Status.DRAFT)
        .only("number", "title", "updated_at", "review_comment")
        .order_by("-updated_at")
    )


def waiting_for_review():
    return (
        Release.objects.filter(status=Status.IN_REVIEW)
        .select_related("submitted_by")
        .order_by("submitted_at", "number")
    )


def scheduled():
    return Release.objects.scheduled().order_by("published_at", "number")


def recently_published():
    return (
        Release.objects.published()
        .select_related("published_by")
        .order_by("-published_at", "-number")[:RECENT]
    )


def recently_withdrawn():
    return Release.objects.filter(status=Status.WITHDRAWN).order_by(
        "-withdrawn_at", "-number"
    )[:RECENT]
