"""Every change of a release's status, and who may make it.

draft -> in review -> published (live once published_at has passed; a future
time is an embargo) -> withdrawn (page kept with a notice). Writers draft and
submit; editors (the publish_release permission) also return to draft with a
comment, publish, schedule, unschedule, withdraw and restore. Editors hear of a
submission by e-mail, and writers of their release published or returned
(releases.notifications); publishing and major changes are signalled
(releases.signals) for the public's e-mail alerts. An editor may not publish a
release they submitted themselves, or back-date one, unless they give a reason,
which the history keeps.

The admin, commands and tests all go through these functions: each checks the
user's permission and the release's state, changes the row under a lock, and
records the change in the release's history.
"""

import datetime
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from releases import dates, notifications, signals
from releases.models import ChangeNote, Release, local_minute

Status = Release.Status
# Filling in the form takes a while: a time this recent is "now", not back-dating.
BACKDATING_GRACE = datetime.timedelta(minutes=15)
EDITABLE_BY_WRITERS = {Status.DRAFT, Status.IN_REVIEW}
CONTENT_FIELDS = [
    "title", "summary", "body", "language", "department", "contact_name",
    "contact_phone", "contact_email", "lead_image", "lead_image_alt",
]  # fmt: skip


class TransitionError(ValidationError):
    """The change is not allowed: not in the release's state, or not as asked."""


def can_publish(user):
    return user.has_perm("releases.publish_release")


def can_edit(user, release):
    """Writers edit drafts and releases in review; editors edit any release."""
    if not user.has_perm("releases.change_release"):
        return False
    return can_publish(user) or release.status in EDITABLE_BY_WRITERS


def allowed_transitions(user, release):
    """Names of the transitions this user may make on release now, for the admin."""
    names = []
    if release.status == Status.DRAFT and can_edit(user, release):
        names.append("submit")
    if release.status == Status.IN_REVIEW and can_edit(user, release):
        names.append("return_to_draft")
    if can_publish(user):
        if release.status in EDITABLE_BY_WRITERS:
            names.append("publish")
        if release.is_scheduled:
            names.append("unschedule")
        if release.is_live:
            names.append("withdraw")
        if release.status == Status.WITHDRAWN:
            names.append("restore")
    return names


def submit(release, by):
    """Send a draft for review; the editors are told by e-mail."""
    _require(can_edit(by, release), _("You cannot edit this release."))
    with _locked(release, {Status.DRAFT}, _("Only a draft can be submitted.")) as row:
        row.status = Status.IN_REVIEW
        row.submitted_by = by
        row.submitted_at = timezone.now()
        row.review_comment = ""
        _save(row, by, _("Submitted for review"))
        transaction.on_commit(lambda: notifications.submitted(row, by))


def return_to_draft(release, by, comment):
    """Take a release out of review, back to draft, with a comment for its writer
    (shown on its admin page, kept in its history, e-mailed)."""
    _require(can_edit(by, release), _("You cannot edit this release."))
    comment = comment.strip()
    if not comment:
        raise TransitionError(_("Tell the writer what to change."))
    message = _("Only a release in review can go back to draft.")
    with _locked(release, {Status.IN_REVIEW}, message) as row:
        row.status = Status.DRAFT
        row.review_comment = comment
        _save(row, by, _("Returned to draft: %(comment)s") % {"comment": comment})
        transaction.on_commit(lambda: notifications.returned(row, by))


def publish(release, by, at=None, reason="", backdating_reason=""):
    """Publish now, or at a later time (an embargo that lifts by itself).

    A time more than BACKDATING_GRACE ago back-dates the release: it then sits
    among older releases on the board, so it needs a reason, kept in the history.
    Publishing revokes every preview link of the release.
    """
    _require(can_publish(by), _("Only editors can publish."))
    now = timezone.now()
    at = at or now
    reason, backdating_reason = reason.strip(), backdating_reason.strip()
    check_publish_time(at, backdating_reason, now)
    message = _("Only a draft or a release in review can be published.")
    with _locked(release, EDITABLE_BY_WRITERS, message) as row:
        if row.submitted_by_id == by.pk and not reason:
            raise TransitionError(
                _(
                    "You submitted this release, so another editor should publish "
                    "it. To publish it yourself, give a reason."
                )
            )
        row.status = Status.PUBLISHED
        row.published_at = at
        row.published_by = by
        row.preview_key = Release._meta.get_field("preview_key").default()
        _save(row, by, _publishing_note(at, now, reason, backdating_reason))
        signals.release_published.send(sender=Release, release=row)
        transaction.on_commit(lambda: notifications.published(row, by))


def is_backdated(at, now=None):
    return at < (now or timezone.now()) - BACKDATING_GRACE


def check_publish_time(at, backdating_reason="", now=None):
    """Refuse a publishing time outside releases.dates' window, or a back-dated
    one without its reason (TransitionError, code "window" or "backdated")."""
    if not dates.in_window(timezone.localdate(at)):
        raise TransitionError(
            _("A release can be dated from %(earliest)s to %(latest)s.")
            % dates.window(),
            code="window",
        )
    if is_backdated(at, now) and not backdating_reason.strip():
        raise TransitionError(
            _(
                "This time is in the past: the release would be listed among "
                "those of %(day)s, below releases published since. To back-date "
                "it, confirm and give the reason; the history keeps it."
            )
            % {"day": timezone.localdate(at)},
            code="backdated",
        )


def _publishing_note(at, now, reason, backdating_reason):
    if is_backdated(at, now):
        note = _("Published, back-dated to %(at)s: %(reason)s") % {
            "at": local_minute(at),
            "reason": backdating_reason,
        }
    elif at <= now:
        note = _("Published")
    else:
        note = _("Scheduled for %(at)s") % {"at": local_minute(at)}
    if reason:
        note = _("%(note)s by its submitter: %(reason)s") % {
            "note": note,
            "reason": reason,
        }
    return note


def unschedule(release, by):
    """Take a scheduled release back to review before it goes live."""
    _require(can_publish(by), _("Only editors can unschedule."))
    with _locked(release, {Status.PUBLISHED}, _("Only a scheduled release.")) as row:
        if row.is_live:
            raise TransitionError(_("This release is already live; withdraw it."))
        row.status = Status.IN_REVIEW
        row.published_at = None
        _save(row, by, _("Unscheduled"))


def withdraw(release, by, reason):
    """Withdraw a live release: its page stays, marked withdrawn with the reason."""
    _require(can_publish(by), _("Only editors can withdraw."))
    reason = reason.strip()
    if not reason:
        raise TransitionError(_("Give the reason for withdrawing; it is shown."))
    with _locked(release, {Status.PUBLISHED}, _("Only a published release.")) as row:
        if row.is_scheduled:
            raise TransitionError(_("This release is not live yet; unschedule it."))
        row.status = Status.WITHDRAWN
        row.withdrawn_at = timezone.now()
        row.withdrawal_reason = reason
        _save(row, by, _("Withdrawn: %(reason)s") % {"reason": reason})


def restore(release, by):
    """Put a withdrawn release back on the public site."""
    _require(can_publish(by), _("Only editors can restore."))
    with _locked(release, {Status.WITHDRAWN}, _("Only a withdrawn release.")) as row:
        row.status = Status.PUBLISHED
        row.withdrawn_at = None
        row.withdrawal_reason = ""
        _save(row, by, _("Restored after withdrawal"))


def restore_version(release, history_id, by):
    """Bring back the text of an earlier version; status, dates and hits stay."""
    _require(can_edit(by, release), _("You cannot edit this release."))
    version = release.history.get(history_id=history_id)
    with transaction.atomic():
        row = Release.objects.select_for_update().get(pk=release.pk)
        for field in CONTENT_FIELDS:
            setattr(row, field, getattr(version, field))
        when = local_minute(version.history_date)
        _save(row, by, _("Restored the version of %(when)s") % {"when": when})
    _refresh(release, row)


def restoring_changes(release, version):
    """What restoring version would change: (field, text now, text after), for
    each content field that differs."""
    changes = version.diff_against(
        release.history.latest(), included_fields=CONTENT_FIELDS
    )
    # diff_against(other) sees other as the old record: here, the current text.
    return [(change.field, change.old, change.new) for change in changes.changes]


def record_edit(release, by, major, note):
    """Mark a saved edit of a live release as major (listed on its page with the
    note) or minor."""
    if not release.is_live or not major:
        return
    note = note.strip()
    if not note:
        raise TransitionError(_("A major change needs a change note."))
    now = timezone.now()
    with transaction.atomic():
        change_note = ChangeNote.objects.create(release=release, made_at=now, note=note)
        # updated_at too: the cached page must show the note.
        Release.objects.filter(pk=release.pk).update(
            last_major_update_at=now, change_note=note, updated_at=now
        )
        signals.major_change_recorded.send(sender=Release, change_note=change_note)
    release.refresh_from_db(
        fields=["last_major_update_at", "change_note", "updated_at"]
    )


def _require(allowed, message):
    if not allowed:
        raise PermissionDenied(message)


@contextmanager
def _locked(release, states, message):
    """The release's row, locked for the change, if it is in one of states."""
    with transaction.atomic():
        row = Release.objects.select_for_update().get(pk=release.pk)
        if row.status not in states:
            raise TransitionError(message)
        yield row
    _refresh(release, row)


def _save(row, by, note):
    row._history_user = by
    row._change_reason = note
    row.save()


def _refresh(release, row):
    release.__dict__.update(
        {key: value for key, value in row.__dict__.items() if key != "_state"}
    )
