"""Subscribers in the admin: counts for staff, addresses for superusers only."""

import pytest
from django.urls import reverse

from alerts.models import Subscription
from tests.alerts.factories import SubscriptionFactory
from tests.releases.factories import TopicFactory

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
        ["A topic: Transport", "1", "0", "0"],
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
