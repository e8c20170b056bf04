"""Who asked for mail about which releases, and what each was sent.

A subscription is one list for one address: every release, a topic, a
municipality, an official, or the updates of one release. The address is the
only personal data kept; unsubscribing deletes the row, and with it the record
of what that address was sent. An unconfirmed subscription gets no mail but its
confirmation, and is deleted once its link expires.
"""

import operator
import secrets
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import Municipality, Official
from releases.models import ChangeNote, Release, Topic

# The fields naming what a list is about (its scope has the same name).
TARGET_FIELDS = ("topic", "municipality", "official", "release")


def only_target(scope, field):
    """Q: of scope, with field (None: no field) set and the other targets empty."""
    condition = Q(scope=scope)
    for target in TARGET_FIELDS:
        condition &= Q(**{f"{target}__isnull": target != field})
    return condition


def list_subject(model, verbose_name):
    """The field naming what a list is about; its subscriptions go with it."""
    return models.ForeignKey(
        model,
        verbose_name=verbose_name,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )


def new_token():
    return secrets.token_urlsafe(32)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def expired(self, now=None):
        """Unconfirmed subscriptions whose confirmation link no longer works."""
        hours = settings.ALERTS_CONFIRM_HOURS
        cutoff = (now or timezone.now()) - timezone.timedelta(hours=hours)
        return self.filter(confirmed_at__isnull=True, requested_at__lt=cutoff)

    def confirmation_unsent(self, now=None):
        """Unconfirmed subscriptions whose confirmation mail has not gone out a
        minute after they were asked for (the queued task had its chance)."""
        cutoff = (now or timezone.now()) - timezone.timedelta(minutes=1)
        return self.filter(
            confirmed_at=None, confirmation_sent_at=None, requested_at__lt=cutoff
        )

    def for_publication(self, release):
        """Confirmed subscriptions to the lists release belongs to, in its
        language (a Korean subscriber gets the Korean releases)."""
        Scope = Subscription.Scope
        lists = (
            Q(scope=Scope.ALL)
            | Q(scope=Scope.TOPIC, topic__in=release.topics.all())
            | Q(scope=Scope.MUNICIPALITY, municipality__in=release.municipalities.all())
            | Q(scope=Scope.OFFICIAL, official__in=release.officials.all())
        )
        return self.confirmed().filter(lists, language=release.language)

    def counts_per_list(self):
        """[(list name, confirmed immediate, confirmed daily, unconfirmed)] with
        the most subscribed list first; names in the active language."""
        Frequency = Subscription.Frequency
        confirmed = Q(confirmed_at__isnull=False)
        rows = (
            self.values("scope", *Subscription.TARGETS.values())
            .annotate(
                immediate=models.Count(
                    "pk", filter=confirmed & Q(frequency=Frequency.IMMEDIATE)
                ),
                daily=models.Count(
                    "pk", filter=confirmed & Q(frequency=Frequency.DAILY)
                ),
                waiting=models.Count("pk", filter=Q(confirmed_at__isnull=True)),
            )
            .order_by()
        )
        targets = {
            field: Subscription._meta.get_field(field).related_model.objects.in_bulk(
                {row[field] for row in rows if row[field]}
            )
            for field in Subscription.TARGETS.values()
        }
        counts = []
        for row in rows:
            example = Subscription(scope=row["scope"])
            field = Subscription.TARGETS.get(row["scope"])
            if field:
                setattr(example, field, targets[field][row[field]])
            counts.append(
                (example.list_name, row["immediate"], row["daily"], row["waiting"])
            )
        return sorted(counts, key=lambda count: (-count[1] - count[2], count[0]))

    def following(self, release):
        """Confirmed subscriptions to the updates of release, in any language."""
        return self.confirmed().filter(
            scope=Subscription.Scope.RELEASE, release=release
        )


class Subscription(models.Model):
    class Scope(models.TextChoices):
        ALL = "all", _("All releases")
        TOPIC = "topic", _("Topic")
        MUNICIPALITY = "municipality", _("Municipality")
        OFFICIAL = "official", _("Official")
        RELEASE = "release", _("Updates of one release")

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("As each release is published")
        DAILY = "daily", _("Once a day, as a digest")

    # The field holding each scope's subject, named as the scope; "all" has none.
    TARGETS = {field: field for field in TARGET_FIELDS}

    email = models.EmailField(_("e-mail address"))
    scope = models.CharField(_("list"), max_length=20, choices=Scope)
    topic = list_subject(Topic, _("topic"))
    municipality = list_subject(Municipality, _("municipality"))
    official = list_subject(Official, _("official"))
    release = list_subject(Release, _("release"))
    frequency = models.CharField(
        _("how often"), max_length=20, choices=Frequency, default=Frequency.IMMEDIATE
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    # The secret in the unsubscribe link of every mail, and in the confirmation.
    token = models.CharField(max_length=64, unique=True, default=new_token)
    requested_at = models.DateTimeField(_("asked for"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # When the mail server took the confirmation mail; the sweep sends again
    # one it could not take (an unconfirmed subscription without it).
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                name="subscription_target_matches_scope",
                condition=reduce(
                    operator.or_,
                    [
                        only_target("all", None),
                        *(only_target(field, field) for field in TARGET_FIELDS),
                    ],
                ),
            ),
            models.UniqueConstraint(
                fields=["email"],
                condition=Q(scope="all"),
                name="one_all_list_an_address",
            ),
            *(
                models.UniqueConstraint(
                    fields=["email", field],
                    condition=Q(scope=field),
                    name=f"one_{field}_list_an_address",
                )
                for field in TARGET_FIELDS
            ),
        ]

    def __str__(self):
        return self.list_name

    @property
    def target(self):
        field = self.TARGETS.get(self.scope)
        return getattr(self, field) if field else None

    @property
    def list_name(self):
        """The list as its mails and pages name it, in the active language."""
        target = self.target
        if target is None:
            return str(_("All releases"))
        if self.scope == self.Scope.RELEASE:
            return _("Updates of No. %(number)s, %(title)s") % {
                "number": target.number,
                "title": target.title,
            }
        return f"{self.Scope(self.scope).label}: {target}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class Announcement(models.Model):
    """News to mail: a release going live, or its major change. Written in the
    same transaction as the publish or the change, so none is lost; sent out
    to subscribers once (fanned_out_at), when the release is live."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE)
    change_note = models.OneToOneField(
        ChangeNote, on_delete=models.CASCADE, null=True, blank=True
    )
    due_at = models.DateTimeField()
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["release"],
                condition=Q(change_note=None),
                name="one_publication_announcement_a_release",
            ),
        ]

    def __str__(self):
        kind = "change" if self.change_note_id else "publication"
        return f"{kind} of release {self.release_id}"


class Delivery(models.Model):
    """One announcement for one subscriber: made pending by the fan-out, marked
    sending just before the mail goes (committed), then sent. A worker that
    dies between the two leaves it sending, and it is never sent again: each
    subscriber gets a release's mail at most once."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Refused by the mail server")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "announcement"],
                name="one_delivery_an_announcement_a_subscription",
            ),
        ]
        indexes = [models.Index(fields=["state", "subscription"])]

    def __str__(self):
        return f"{self.announcement} to subscription {self.subscription_id}"


class DigestDay(models.Model):
    """A day whose digests have been sent (or are being sent): once a day."""

    day = models.DateField(primary_key=True)

    def __str__(self):
        return str(self.day)
