"""E-mail alerts in Chromium, as a visitor subscribes, confirms and leaves."""

import re

import pytest

from alerts.models import Subscription
from tests.releases.factories import TopicFactory
from tests.smtp import body

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_subscribes_confirms_and_unsubscribes(
    page_for, live_server, inbox, run_queue
):
    TopicFactory(name="Transport", slug="transport")
    page = page_for()
    page.goto(f"{live_server.url}/alerts/?list=topic:transport")
    page.fill("#id_email", "reader@example.org")
    page.check("input[value=daily]")
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Check your inbox"

    run_queue()
    [message] = inbox.to("reader@example.org")
    path = re.search(r"https://newsroom\.example(/alerts/confirm/\S+/)", body(message))[
        1
    ]
    page.goto(live_server.url + path)
    page.click("button[type=submit]")
    assert "Your subscription is confirmed." in page.locator("main").inner_text()
    assert "Topic: Transport" in page.locator("main").inner_text()
    assert Subscription.objects.get().frequency == "daily"

    page.click("text=Unsubscribe from this list")
    assert page.locator("h1").inner_text() == "Unsubscribed"
    assert not Subscription.objects.exists()
