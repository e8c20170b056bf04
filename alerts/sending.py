"""From a publish or a major change to each subscriber's mail, at most once.

1. announce_*: in the publish's (or the change's) transaction, an Announcement
   row; after the commit, a task on the queue for when the release goes live.
2. fan_out: once the release is live, one pending Delivery for each address
   that follows it (one per address, however many of its lists match), written
   in one transaction with the announcement marked fanned out.
3. send_due: each pending delivery is claimed (marked sending, committed) and
   only then mailed, then marked sent. A worker killed between the two leaves
   the delivery sending, and nothing sends it again. A mail server that cannot
   be reached leaves deliveries pending, for the next sweep.
Daily subscribers' deliveries wait for the day's digest: one mail a list.
"""

import logging
import smtplib

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from alerts import mail
from alerts.models import Announcement, Delivery, Subscription

logger = logging.getLogger(__name__)
State = Delivery.State
Frequency = Subscription.Frequency
# An announcement not live within this long (withdrawn, unscheduled) is let go.
ANNOUNCEMENT_SHELF_LIFE = timezone.timedelta(days=3)
# Of an address's lists that take a release, the one its mail comes from.
PREFERRED_SCOPES = ["release", "official", "municipality", "topic", "all"]


def announce_publication(release):
    """In the publish's transaction: mail release's subscribers when it is live."""
    announcement, created = Announcement.objects.get_or_create(
        release=release, change_note=None, defaults={"due_at": release.published_at}
    )
    if announcement.fanned_out_at:
        return  # mailed when first published
    if not created:  # published again after being unscheduled
        announcement.due_at = release.published_at
        announcement.save(update_fields=["due_at"])
    _enqueue_after_commit(announcement)


def announce_change(change_note):
    """In the change's transaction: mail release's followers the change note."""
    announcement = Announcement.objects.create(
        release=change_note.release, change_note=change_note, due_at=change_note.made_at
    )
    _enqueue_after_commit(announcement)


def _enqueue_after_commit(announcement):
    from alerts import tasks

    def enqueue():
        try:
            tasks.send_announcement.using(run_after=announcement.due_at).enqueue(
                announcement.pk
            )
        except Exception:  # the sweep sends it anyway; the publish stands
            logger.exception("Announcement %s not queued", announcement.pk)

    transaction.on_commit(enqueue)


def deliver(announcement_id):
    """Fan announcement out if it is due, then send its immediate mails."""
    fan_out(announcement_id)
    send_due(Delivery.objects.filter(announcement_id=announcement_id))


def fan_out(announcement_id):
    """One pending delivery an address following the announced release, once,
    when the release is live. Returns how many were made (None if not due)."""
    with transaction.atomic():
        announcement = (
            Announcement.objects.select_for_update()
            .select_related("release")
            .get(pk=announcement_id)
        )
        release = announcement.release
        if announcement.fanned_out_at or not release.is_live:
            return None
        if announcement.change_note_id:
            subscriptions = Subscription.objects.following(release)
        else:
            subscriptions = Subscription.objects.for_publication(release)
        deliveries = [
            Delivery(subscription=subscription, announcement=announcement)
            for subscription in one_an_address(subscriptions)
        ]
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        announcement.fanned_out_at = timezone.now()
        announcement.save(update_fields=["fanned_out_at"])
        return len(deliveries)


def one_an_address(subscriptions):
    """Of each address's subscriptions, the one its mail should come from: an
    immediate one before a digest, then the most specific list."""
    chosen = {}
    for subscription in subscriptions:
        rank = (
            subscription.frequency != Frequency.IMMEDIATE,
            PREFERRED_SCOPES.index(subscription.scope),
        )
        if subscription.email not in chosen or rank < chosen[subscription.email][0]:
            chosen[subscription.email] = (rank, subscription)
    return [subscription for _, subscription in chosen.values()]


def send_due(deliveries=None):
    """Send the pending immediate deliveries among deliveries (default: all).
    Returns how many were sent."""
    deliveries = (Delivery.objects.all() if deliveries is None else deliveries).filter(
        state=State.PENDING, subscription__frequency=Frequency.IMMEDIATE
    )
    pending = list(
        deliveries.select_related(
            "subscription",
            "announcement__release__department",
            "announcement__change_note",
        ).order_by("pk")
    )
    if not pending:
        return 0
    sent = 0
    # Opening first: a server that cannot be reached leaves every one pending.
    with get_connection() as connection:
        for delivery in pending:
            message = mail.announcement(delivery.subscription, delivery.announcement)
            if _send_claimed([delivery.pk], message, connection):
                sent += 1
    return sent


def send_digests():
    """One mail a daily subscription with the releases it has waiting."""
    waiting = (
        Delivery.objects.filter(
            state=State.PENDING, subscription__frequency=Frequency.DAILY
        )
        .select_related(
            "subscription", "announcement__release", "announcement__change_note"
        )
        .order_by("announcement__release__published_at", "pk")
    )
    by_subscription = {}
    for delivery in waiting:
        by_subscription.setdefault(delivery.subscription, []).append(delivery)
    if not by_subscription:
        return 0
    sent = 0
    with get_connection() as connection:
        for subscription, deliveries in by_subscription.items():
            message = mail.digest(
                subscription, [delivery.announcement for delivery in deliveries]
            )
            if _send_claimed([d.pk for d in deliveries], message, connection):
                sent += 1
    return sent


def _send_claimed(delivery_ids, message, connection):
    """Claim the deliveries, then send message for them; False if another worker
    had claimed them, or the server refused it."""
    claimed = Delivery.objects.filter(pk__in=delivery_ids, state=State.PENDING).update(
        state=State.SENDING
    )
    if claimed != len(delivery_ids):
        # Another worker got there first (it claims all of a mail's together).
        return False
    message.connection = connection
    try:
        message.send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
        # The server said no: this mail will never go; say so, and go on.
        logger.warning("Alert mail refused (%s): %s", delivery_ids, error)
        Delivery.objects.filter(pk__in=delivery_ids).update(state=State.FAILED)
        return False
    Delivery.objects.filter(pk__in=delivery_ids).update(
        state=State.SENT, sent_at=timezone.now()
    )
    return True


def due_announcements(now=None):
    """Announcements a sweep should fan out: due, not done, not too old."""
    now = now or timezone.now()
    return Announcement.objects.filter(
        fanned_out_at=None,
        due_at__lte=now,
        due_at__gt=now - ANNOUNCEMENT_SHELF_LIFE,
    ).values_list("pk", flat=True)
