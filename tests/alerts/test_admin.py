"""Subscribers in the admin: counts for staff, addresses for superusers only."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Announcement, Delivery, Subscription
from tests.alerts.factories import SubscriptionFactory
from tests.releases.factories import ReleaseFactory, TopicFactory

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:alerts_subscription_changelist")


@pytest.fixture
def subscribers():
    transport = TopicFactory(name="Transport")
    SubscriptionFactory(email="one@example.org")
    SubscriptionFactory(email="two@example.org", daily=True)
    SubscriptionFactory(email="three@example.org", unconfirmed=True)
    SubscriptionFactory(email="four@example.org", scope="topic", topic=transport)
    return transport


def counts_rows(page):
    table = page.split('class="subscriber-counts"')[1].split("</table>")[0]
    return [
        [cell.split(">", 1)[1] for cell in row.split("</t")[:-1]]
        for row in table.split("<tbody>")[1].split("</tr>")[:-1]
    ]


def test_editor_sees_subscribers_per_list(client, editor, subscribers):
    client.force_login(editor)

    page = client.get(CHANGELIST).text

    rows = [[cell.rsplit(">", 1)[-1] for cell in row] for row in counts_rows(page)]
    assert rows == [
        ["All releases", "1", "1", "1"],
        ["Topic: Transport", "1", "0", "0"],
    ]


def test_editor_never_sees_an_address(client, editor, subscribers):
    client.force_login(editor)
    subscription = Subscription.objects.get(email="one@example.org")

    page = client.get(CHANGELIST).text
    one = client.get(
        reverse("admin:alerts_subscription_change", args=[subscription.pk])
    )

    assert "@example.org" not in page
    assert one.status_code == 403


def test_writer_sees_no_subscribers(client, writer, subscribers):
    client.force_login(writer)

    assert client.get(CHANGELIST).status_code == 403


def test_superuser_sees_the_addresses_and_the_counts(admin_client, subscribers):
    page = admin_client.get(CHANGELIST).text

    assert "one@example.org" in page
    assert "subscriber-counts" in page


def test_staff_see_how_many_mails_wait_went_and_were_refused(client, editor):
    subscription = SubscriptionFactory()
    announcements = [
        Announcement.objects.create(release=ReleaseFactory(), due_at=timezone.now())
        for _ in range(3)
    ]
    for announcement, state in zip(
        announcements, ["sent", "sent", "failed"], strict=True
    ):
        Delivery.objects.create(
            subscription=subscription, announcement=announcement, state=state
        )
    client.force_login(editor)

    page = client.get(CHANGELIST).text

    table = page.split("Alert mails")[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table)
    assert rows == [
        ("Waiting", "0"),
        ("Being sent", "0"),
        ("Sent", "2"),
        ("Refused by the mail server", "1"),
    ]


def test_the_queue_librarys_untranslated_page_is_not_in_the_admin(admin_client):
    assert "Task Results" not in admin_client.get(reverse("admin:index")).text
