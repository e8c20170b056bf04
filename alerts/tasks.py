"""The alerts' work on the queue (django-tasks, database backend).

The queue lives in the site's database, so a task enqueued after a commit is
as durable as the publish that caused it. The tasks only start the work of
alerts.sending and alerts.subscribing, which is safe to run twice; the sweep,
every SWEEP_EVERY and when a worker starts, does again whatever a crashed or
failed task left undone.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from alerts import sending, subscribing
from alerts.models import DigestDay, Subscription
from pressoffice.queue import schedule_unless_waiting

SWEEP_EVERY = datetime.timedelta(minutes=5)


@task()
def send_announcement(announcement_id):
    sending.deliver(announcement_id)


@task()
def send_confirmation(subscription_id, wish):
    return subscribing.send_confirmation(subscription_id, wish)


@task()
def sweep():
    schedule_sweep()  # first: a sweep that crashes still has a successor
    return catch_up()


def catch_up(now=None):
    """Everything due that no task has done: announcements to fan out, pending
    mails and confirmations (the mail server was down), the day's digests,
    expired requests."""
    now = now or timezone.now()
    for announcement_id in sending.due_announcements(now):
        sending.fan_out(announcement_id)
    done = {"sent": sending.send_due()}
    if digest_due(now):
        done["digests"] = sending.send_digests()
    done["expired"] = Subscription.objects.expired(now).delete()[0]
    for subscription in Subscription.objects.confirmation_unsent(now):
        wish = {"frequency": subscription.frequency, "language": subscription.language}
        subscribing.send_confirmation(subscription.pk, wish)
    return done


def digest_due(now):
    """Past today's digest time, and the first to claim today's digest."""
    local = timezone.localtime(now)
    if local.time() < settings.ALERTS_DIGEST_TIME:
        return False
    return DigestDay.objects.get_or_create(day=local.date())[1]


def schedule_sweep():
    """Queue the next sweep, unless one is waiting already."""
    schedule_unless_waiting(sweep, SWEEP_EVERY)
