"""The alerts' mails, written in the subscriber's language.

Every mail to a subscriber carries its one-click unsubscribe (RFC 8058:
List-Unsubscribe and List-Unsubscribe-Post), and says which list it comes from.
Links are absolute, under SITE_URL, in the subscriber's language's addresses.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from releases.models import local_minute


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def confirmation(subscription, link):
    """The only mail an unconfirmed address gets: the link that confirms."""
    with translation.override(subscription.language):
        return EmailMessage(
            _("Confirm your press release alerts"),
            render_to_string(
                "alerts/mail/confirm.txt",
                {
                    "subscription": subscription,
                    "link": link,
                    "hours": settings.ALERTS_CONFIRM_HOURS,
                },
            ),
            settings.DEFAULT_FROM_EMAIL,
            [subscription.email],
        )


def announcement(subscription, announcement):
    """A release just published, or a major change of one the subscriber follows."""
    release = announcement.release
    with translation.override(subscription.language):
        if announcement.change_note_id:
            subject = _("Updated: %(title)s") % {"title": release.title}
        else:
            subject = release.title
        body = render_to_string(
            "alerts/mail/announcement.txt",
            {
                **_footer(subscription),
                "release": release,
                "change_note": announcement.change_note,
                "link": absolute(release.get_absolute_url()),
                "created": local_minute(release.published_at),
            },
        )
        return _to_subscriber(subscription, subject, body)


def digest(subscription, announcements):
    """A day's releases of one list, in one mail."""
    with translation.override(subscription.language):
        subject = _("%(count)s press releases: %(list)s") % {
            "count": len(announcements),
            "list": subscription.list_name,
        }
        items = [
            {
                "release": item.release,
                "change_note": item.change_note,
                "link": absolute(item.release.get_absolute_url()),
                "created": local_minute(item.release.published_at),
            }
            for item in announcements
        ]
        body = render_to_string(
            "alerts/mail/digest.txt", {**_footer(subscription), "items": items}
        )
        return _to_subscriber(subscription, subject, body)


def unsubscribe_link(subscription):
    with translation.override(subscription.language):
        return absolute(reverse("alerts:unsubscribe", args=[subscription.token]))


def _footer(subscription):
    return {
        "subscription": subscription,
        "unsubscribe": unsubscribe_link(subscription),
        "alerts": absolute(reverse("alerts:subscribe")),
    }


def _to_subscriber(subscription, subject, body):
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_link(subscription)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": _list_id(subscription),
            "Auto-Submitted": "auto-generated",
        },
    )


def _list_id(subscription):
    """RFC 2919: the list's name, and an id of its own under the site's host."""
    name = " ".join(subscription.list_name.replace('"', "").split())[:80]
    target = subscription.target
    list_key = f"{subscription.scope}-{target.pk}" if target else subscription.scope
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":")[0]
    return f'"{name}" <{list_key}.alerts.{host}>'
