"""Releases' work on the queue (django-tasks, database backend): attachments'
text versions (releases.readable), one task per new file, and a sweep every
SWEEP_EVERY that makes those a task did not (a crash, an import)."""

import datetime

from django.db import transaction
from django_tasks import task

from pressoffice.queue import schedule_unless_waiting
from releases import readable

SWEEP_EVERY = datetime.timedelta(minutes=5)
SWEEP_BATCH = 100


@task()
def prepare_text_version(attachment_id):
    return readable.prepare(attachment_id)


@task()
def sweep_text_versions():
    schedule_sweep()  # first: a sweep that crashes still has a successor
    done = readable.prepare_pending(limit=SWEEP_BATCH)
    if done == SWEEP_BATCH:  # more wait (an import): go on now, a batch a task
        sweep_text_versions.enqueue()
    return done


def schedule_sweep():
    """Queue the next sweep, unless one is waiting already."""
    schedule_unless_waiting(sweep_text_versions, SWEEP_EVERY)


def queue_text_version(sender, instance, **kwargs):
    """post_save receiver: a new file waiting for its text version is queued
    once the save commits."""
    if instance.text_status == "pending":
        transaction.on_commit(lambda: prepare_text_version.enqueue(instance.pk))
