"""E-mail to staff about the workflow, through Django's mail (any SMTP server).

Editors hear when a release waits for their review; its writer (whoever
submitted it, else whoever created it) hears when it is published, scheduled
or returned to draft. Nobody is mailed about their own step. Each mail is
written in English and Korean, and links to the release's admin page under
SITE_URL.

The workflow sends after its transaction commits: a mail server that is down
or slow (EMAIL_TIMEOUT) is logged and never undoes or blocks the change.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from releases.models import local_minute

logger = logging.getLogger(__name__)
LANGUAGES = ("en", "ko")


def submitted(release, by):
    """Tell the editors that release waits for review."""
    _send(release, _editors().exclude(pk=by.pk), by, _submitted_text)


def published(release, by):
    """Tell the writer that release is published, or scheduled."""
    _send(release, _writer(release, but_not=by), by, _published_text)


def returned(release, by):
    """Tell the writer that release is back in draft, with the editor's comment."""
    _send(release, _writer(release, but_not=by), by, _returned_text)


def _submitted_text(release, by):
    return (
        _("Waiting for review: %(title)s") % {"title": release.title},
        _("%(who)s submitted No. %(number)s for review.")
        % {"who": _name(by), "number": release.number},
    )


def _published_text(release, by):
    if release.is_scheduled:
        subject = _("Scheduled: %(title)s") % {"title": release.title}
        body = _("%(who)s scheduled No. %(number)s to be published at %(at)s.")
    else:
        subject = _("Published: %(title)s") % {"title": release.title}
        body = _("%(who)s published No. %(number)s.")
    return subject, body % {
        "who": _name(by),
        "number": release.number,
        "at": local_minute(release.published_at),
    }


def _returned_text(release, by):
    return (
        _("Returned to draft: %(title)s") % {"title": release.title},
        _("%(who)s returned No. %(number)s to draft:\n\n%(comment)s")
        % {
            "who": _name(by),
            "number": release.number,
            "comment": release.review_comment,
        },
    )


def _send(release, recipients, by, text):
    addresses = sorted({user.email for user in recipients if user.email})
    if not addresses:
        return
    link = settings.SITE_URL.rstrip("/") + reverse(
        "admin:releases_release_change", args=[release.pk]
    )
    subjects, bodies = [], []
    for language in LANGUAGES:
        with translation.override(language):
            subject, body = text(release, by)
            subjects.append(subject)
            bodies.append(f"{body}\n\n{link}")
    try:
        send_mail(
            " / ".join(subjects),
            "\n\n----\n\n".join(bodies),
            settings.DEFAULT_FROM_EMAIL,
            addresses,
        )
    except Exception:  # a mail server down must not undo the step it reports
        logger.exception("Workflow mail about release %s not sent", release.pk)


def _editors():
    """Active users given the right to publish, directly or through a group (the
    Editor role); superusers only if given it too."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(user_permissions__codename="publish_release")
            | Q(groups__permissions__codename="publish_release")
        )
        .distinct()
    )


def _writer(release, but_not):
    """[the writer of release] unless that is but_not; [] if nobody."""
    writer = release.submitted_by
    if writer is None:
        created = release.history.filter(history_type="+").first()
        writer = created.history_user if created else None
    if writer is None or writer.pk == but_not.pk or not writer.is_active:
        return []
    return [writer]


def _name(user):
    return user.get_full_name() or user.get_username()
