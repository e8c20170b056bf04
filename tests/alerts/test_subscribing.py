"""Subscribing, confirming and leaving, as a visitor does it."""

import re
import time

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alerts import subscribing, tasks
from alerts.models import Subscription
from tests.alerts.factories import SubscriptionFactory
from tests.people.factories import MunicipalityFactory
from tests.releases.factories import ReleaseFactory, TopicFactory
from tests.smtp import body

pytestmark = pytest.mark.django_db
SUBSCRIBE = reverse("alerts:subscribe")
Scope = Subscription.Scope


def ask(client, email="reader@example.org", list="all", **fields):
    data = {"email": email, "list": list, "frequency": "immediate", "language": "en"}
    return client.post(SUBSCRIBE, {**data, **fields})


def test_asking_keeps_an_unconfirmed_subscription_and_queues_its_confirmation(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, email="Reader@Example.ORG")

    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:asked")
    subscription = Subscription.objects.get()
    assert subscription.email == "Reader@example.org"
    assert not subscription.is_confirmed
    [queued] = DBTaskResult.objects.all()
    assert queued.task_path == tasks.send_confirmation.module_path


def test_confirmation_mail_leads_to_a_button_that_confirms(
    client, inbox, django_capture_on_commit_callbacks, run_queue
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, frequency="daily")
    run_queue()

    [message] = inbox.to("reader@example.org")
    assert message["Subject"] == "Confirm your press release alerts"
    link = re.search(r"https://newsroom\.example(/alerts/confirm/\S+/)", body(message))
    page = client.get(link[1])
    assert "Confirm your subscription" in page.text
    assert not Subscription.objects.get().is_confirmed  # opening is not confirming

    response = client.post(link[1])

    subscription = Subscription.objects.get()
    assert subscription.is_confirmed
    assert subscription.frequency == "daily"
    assert response["Location"].startswith(
        reverse("alerts:unsubscribe", args=[subscription.token])
    )
    assert "Your subscription is confirmed." in client.get(response["Location"]).text


def test_confirmation_link_expires(client, settings):
    subscription = SubscriptionFactory(unconfirmed=True)

    class TwoDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 49 * 3600)

    signed = TwoDaysAgo(salt=subscribing.CONFIRM_SALT).sign_object(
        {"token": subscription.token, "frequency": "daily", "language": "en"},
        compress=True,
    )
    response = client.post(reverse("alerts:confirm", args=[signed]))

    assert response.status_code == 404
    assert "This link does not work" in response.text
    assert not Subscription.objects.get().is_confirmed


def test_tampered_confirmation_link_confirms_nothing(client):
    SubscriptionFactory(unconfirmed=True)

    response = client.post(reverse("alerts:confirm", args=["not-a-signed-value"]))

    assert response.status_code == 404
    assert not Subscription.objects.get().is_confirmed


def test_expired_requests_are_deleted_by_the_sweep():
    old = timezone.now() - timezone.timedelta(hours=49)
    SubscriptionFactory(unconfirmed=True, requested_at=old)
    kept = SubscriptionFactory(unconfirmed=True)

    tasks.catch_up()

    assert list(Subscription.objects.all()) == [kept]


@pytest.mark.parametrize(
    "email",
    [
        "",
        "not-an-address",
        "<script>alert(1)</script>@example.org",
        "a" * 250 + "@example.org",
    ],
)
def test_bad_address_gets_a_form_error(client, email):
    response = ask(client, email=email)

    assert response.status_code == 400
    assert "Please correct the fields marked below." in response.text
    assert "<script>alert" not in response.text
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    "asked",
    ["topic:no-such-topic", "release:99999999999999", "everything", "", "release:1"],
)
def test_list_that_does_not_exist_gets_a_form_error(client, asked):
    ReleaseFactory(draft=True)  # No. 1, with no public page

    response = ask(client, list=asked)

    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_subscribing_to_a_municipality(client):
    suwon = MunicipalityFactory(slug="suwon")

    ask(client, list="municipality:suwon", language="ko")

    subscription = Subscription.objects.get()
    assert (subscription.scope, subscription.municipality) == (
        Scope.MUNICIPALITY,
        suwon,
    )
    assert subscription.language == "ko"


def test_asking_again_for_a_confirmed_list_answers_the_same_and_changes_nothing(client):
    SubscriptionFactory(email="reader@example.org", frequency="immediate")

    response = ask(client, frequency="daily")

    assert response["Location"] == reverse("alerts:asked")
    assert Subscription.objects.get().frequency == "immediate"  # until confirmed


def test_asking_is_limited_per_client(client, settings):
    settings.ALERTS_RATE_CLIENT = "2/h"

    statuses = [ask(client, email=f"r{n}@example.org").status_code for n in range(3)]

    assert statuses == [302, 302, 429]
    assert Subscription.objects.count() == 2


def test_asking_is_limited_per_address(client, settings):
    settings.ALERTS_RATE_ADDRESS = "1/d"
    ask(client, list="all")

    response = ask(client, list=f"topic:{TopicFactory().slug}")

    assert response.status_code == 429
    assert "Too many requests" in response.text


def test_subscribe_page_offers_the_list_a_topic_page_linked_to(client):
    topic = TopicFactory(name="Transport", slug="transport")

    topic_page = client.get(topic.get_absolute_url())
    response = client.get(f"{SUBSCRIBE}?list=topic:transport")

    assert f'href="{SUBSCRIBE}?list=topic:transport"' in topic_page.text
    assert (
        '<option value="topic:transport" selected>Transport</option>' in response.text
    )


def test_release_page_offers_to_follow_its_updates(client):
    release = ReleaseFactory(title="Night buses")

    page = client.get(release.get_absolute_url())
    response = client.get(f"{SUBSCRIBE}?list=release:{release.number}")

    assert f"{SUBSCRIBE}?list=release:{release.number}" in page.text
    assert f"Updates of No. {release.number}, Night buses" in response.text


def test_following_a_release(client):
    release = ReleaseFactory()

    ask(client, list=f"release:{release.number}")

    assert Subscription.objects.get().release == release


def test_every_page_footer_links_to_alerts(client):
    assert f'href="{SUBSCRIBE}"' in client.get("/").text


def test_opening_the_unsubscribe_link_deletes_nothing(client):
    subscription = SubscriptionFactory()

    response = client.get(reverse("alerts:unsubscribe", args=[subscription.token]))

    assert "Unsubscribe from this list" in response.text
    assert Subscription.objects.exists()


def test_unsubscribing_deletes_only_that_list(client):
    subscription = SubscriptionFactory(email="reader@example.org")
    other = SubscriptionFactory(
        email="reader@example.org", scope=Scope.TOPIC, topic=TopicFactory()
    )

    client.post(reverse("alerts:unsubscribe", args=[subscription.token]))

    assert list(Subscription.objects.all()) == [other]


def test_unsubscribing_from_everything_deletes_the_address(client):
    subscription = SubscriptionFactory(email="reader@example.org")
    SubscriptionFactory(
        email="reader@example.org", scope=Scope.TOPIC, topic=TopicFactory()
    )
    SubscriptionFactory(email="someone@example.org")

    client.post(
        reverse("alerts:unsubscribe", args=[subscription.token]), {"everything": "1"}
    )

    assert list(Subscription.objects.values_list("email", flat=True)) == [
        "someone@example.org"
    ]


def test_unknown_unsubscribe_link_says_so(client):
    response = client.get(reverse("alerts:unsubscribe", args=["nothing-here"]))

    assert response.status_code == 404
    assert "Unsubscribed" in response.text


def test_alerts_pages_are_never_cached(client):
    response = client.get(SUBSCRIBE)

    assert "no-store" in response["Cache-Control"]


def test_confirmation_the_mail_server_did_not_take_is_sent_by_the_sweep(inbox):
    a_while_ago = timezone.now() - timezone.timedelta(minutes=5)
    SubscriptionFactory(
        email="reader@example.org", unconfirmed=True, requested_at=a_while_ago
    )

    tasks.catch_up()
    tasks.catch_up()

    [message] = inbox.to("reader@example.org")
    assert message["Subject"] == "Confirm your press release alerts"


def test_sweep_leaves_a_just_asked_confirmation_to_its_task(inbox):
    SubscriptionFactory(email="reader@example.org", unconfirmed=True)

    tasks.catch_up()

    assert inbox.messages == []


def test_confirmation_refused_by_the_server_is_not_tried_again(settings):
    from tests.smtp import RefusingInbox, start_server

    a_while_ago = timezone.now() - timezone.timedelta(minutes=5)
    SubscriptionFactory(
        email="gone@example.org", unconfirmed=True, requested_at=a_while_ago
    )
    inbox = RefusingInbox()
    controller = start_server(inbox, settings)
    try:
        tasks.catch_up()
        tasks.catch_up()
    finally:
        controller.stop()

    assert inbox.messages == []
    assert Subscription.objects.get().confirmation_sent_at is not None
