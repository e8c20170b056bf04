"""Asking for alerts, confirming, and leaving: the rules, for the views.

Double opt-in: asking makes (or refreshes) an unconfirmed subscription and
queues the one mail it may get, a signed link that expires after
ALERTS_CONFIRM_HOURS. The same answer is given whether or not the address
already subscribes, so the page tells nobody who does. Asking is limited per
client address and per e-mail address (through the cache: nothing more about
the subscriber is stored).
"""

import hashlib
import logging
import smtplib

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from alerts import mail
from alerts.models import Subscription

logger = logging.getLogger(__name__)
CONFIRM_SALT = "alerts.confirm"
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class TooMany(Exception):
    """Asked too often, from this client or for this address."""


def ask(email, scope, target, frequency, language, client):
    """Record the wish and queue its confirmation mail; raises TooMany."""
    email = normalize(email)
    if not within_rate("client", client or "unknown", settings.ALERTS_RATE_CLIENT):
        raise TooMany
    if not within_rate("address", email, settings.ALERTS_RATE_ADDRESS):
        raise TooMany
    wish = {"frequency": frequency, "language": language}
    lookup = {"email": email, "scope": scope}
    if scope in Subscription.TARGETS:
        lookup[Subscription.TARGETS[scope]] = target
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().filter(**lookup).first()
        if subscription is None:
            subscription = _create(lookup, wish)
        elif not subscription.is_confirmed:
            # Not in use yet: take the new wish, and start the wait again.
            Subscription.objects.filter(pk=subscription.pk).update(
                **wish, requested_at=timezone.now(), confirmation_sent_at=None
            )
            subscription.refresh_from_db()
        transaction.on_commit(
            lambda: _queue_confirmation(subscription.pk, wish), robust=True
        )
    return subscription


def _create(lookup, wish):
    try:
        with transaction.atomic():
            return Subscription.objects.create(**lookup, **wish)
    except IntegrityError:  # asked twice at once: the other request made it
        return Subscription.objects.get(**lookup)


def _queue_confirmation(subscription_id, wish):
    from alerts import tasks

    tasks.send_confirmation.enqueue(subscription_id, wish)


def send_confirmation(subscription_id, wish):
    """The worker's half of ask(): mail the link, if the subscription is there."""
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return False
    subscription.language = wish["language"]  # the language it was asked in
    message = mail.confirmation(subscription, confirmation_link(subscription, wish))
    try:
        message.send()
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
        # Refused for good: not tried again (the request expires unconfirmed).
        logger.warning("Confirmation refused (%s): %s", subscription_id, error)
        sent = False
    else:
        sent = True
    Subscription.objects.filter(pk=subscription_id).update(
        confirmation_sent_at=timezone.now()
    )
    return sent


def confirmation_link(subscription, wish):
    token = signing.dumps(
        {"token": subscription.token, **wish}, salt=CONFIRM_SALT, compress=True
    )
    with translation.override(wish["language"]):
        return mail.absolute(reverse("alerts:confirm", args=[token]))


def read_confirmation(signed):
    """(subscription, wish) from a confirmation link; None if it is not one of
    ours, has expired, or its subscription is gone."""
    try:
        data = signing.loads(
            signed, salt=CONFIRM_SALT, max_age=settings.ALERTS_CONFIRM_HOURS * 3600
        )
        wish = {"frequency": data["frequency"], "language": data["language"]}
        token = data["token"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    subscription = Subscription.objects.filter(token=token).first()
    return (subscription, wish) if subscription else None


def confirm(subscription, wish):
    """Start (or change, for a confirmed one) the subscription as asked."""
    Subscription.objects.filter(pk=subscription.pk).update(
        **wish, confirmed_at=subscription.confirmed_at or timezone.now()
    )
    subscription.refresh_from_db()
    return subscription


def unsubscribe(token):
    """Delete the subscription of token, and with it its address (unless other
    lists of the address keep it). True if there was one."""
    deleted, _ = Subscription.objects.filter(token=token).delete()
    return bool(deleted)


def normalize(email):
    """The address as one subscriber: the domain in lower case, no spaces."""
    local, _, domain = email.strip().rpartition("@")
    return f"{local}@{domain.lower()}"


def within_rate(kind, key, rate):
    """Count one more for key; False past rate ("number/period") in the period.

    A cache that is down lets asking through: the cost is confirmation mails,
    and an unconfirmed address never gets any other.
    """
    number, period = rate.split("/")
    seconds = PERIODS[period[0]]
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = (
        f"alerts-rate:{kind}:{digest}:{int(timezone.now().timestamp()) // seconds}"
    )
    try:
        cache.add(cache_key, 0, seconds)
        return cache.incr(cache_key) <= int(number)
    except ValueError:  # the cache lost the key, or is down
        return True
