"""The worker as an operator runs it: a real process, killed mid-send."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from alerts.models import Delivery
from releases import workflow
from tests.alerts.factories import SubscriptionFactory
from tests.releases.factories import ReleaseFactory
from tests.smtp import Inbox, start_server

BASE_DIR = Path(__file__).resolve().parents[2]
READERS = [f"reader{n}@example.org" for n in range(5)]


class KillingInbox(Inbox):
    """Kills the worker as the third mail arrives: the server has it, the worker
    never hears that it was accepted."""

    worker = None

    def received(self, message):
        if len(self.messages) == 3:
            os.kill(self.worker.pid, signal.SIGKILL)
            self.worker.wait()


def start_worker(smtp_port):
    database = django_settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DJANGO_SECRET_KEY": django_settings.SECRET_KEY,
    }
    command = ["alerts_worker", "--batch", "--no-startup-delay", "--no-reload"]
    return subprocess.Popen(
        [sys.executable, "manage.py", *command],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
    )


@pytest.mark.postgres
def test_worker_killed_while_sending_never_mails_anyone_twice(
    transactional_db, settings, editor
):
    for address in READERS:
        SubscriptionFactory(email=address)
    workflow.publish(ReleaseFactory(in_review=True), editor)  # commits: queued
    inbox = KillingInbox()
    controller = start_server(inbox, settings)
    try:
        inbox.worker = start_worker(controller.port)
        assert inbox.worker.wait(timeout=60) == -signal.SIGKILL
        states = sorted(Delivery.objects.values_list("state", flat=True))
        assert states == ["pending", "pending", "sending", "sent", "sent"]

        restarted = start_worker(controller.port)
        assert restarted.wait(timeout=60) == 0
    finally:
        controller.stop()

    assert (
        sorted(address for rcpts, _ in inbox.messages for address in rcpts) == READERS
    )
    states = sorted(Delivery.objects.values_list("state", flat=True))
    assert states == ["sending", "sent", "sent", "sent", "sent"]
