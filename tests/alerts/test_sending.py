"""From a publish to subscribers' mail, through the queue and a real SMTP server."""

import re
import time

import pytest
from django.utils import timezone

from alerts import sending, tasks
from alerts.models import Announcement, Delivery, Subscription
from releases import workflow
from tests.alerts.factories import SubscriptionFactory
from tests.releases.factories import ReleaseFactory, TopicFactory
from tests.smtp import body

pytestmark = pytest.mark.django_db
Scope = Subscription.Scope


def publish(committed, editor, at=None, **release_fields):
    release = ReleaseFactory(in_review=True, **release_fields)
    committed(workflow.publish, release, editor, at=at)
    return release


def test_publishing_mails_each_confirmed_subscriber(
    inbox, committed, editor, run_queue
):
    SubscriptionFactory(email="reader@example.org")
    SubscriptionFactory(email="waiting@example.org", unconfirmed=True)
    release = publish(committed, editor, title="Night buses run till 2 a.m.")

    run_queue()

    [message] = inbox.to("reader@example.org")
    assert message["Subject"] == "Night buses run till 2 a.m."
    assert f"https://newsroom.example/releases/{release.number}/" in body(message)
    assert inbox.to("waiting@example.org") == []


def test_an_address_on_several_matching_lists_gets_one_mail(
    inbox, committed, editor, run_queue
):
    topic = TopicFactory()
    SubscriptionFactory(email="reader@example.org")
    SubscriptionFactory(email="reader@example.org", scope=Scope.TOPIC, topic=topic)
    release = ReleaseFactory(in_review=True)
    release.topics.add(topic)

    committed(workflow.publish, release, editor)
    run_queue()

    [message] = inbox.to("reader@example.org")
    assert f"{topic}" in body(message)  # from the more specific list


def test_topic_list_gets_only_that_topics_releases(inbox, committed, editor, run_queue):
    schools, roads = TopicFactory(), TopicFactory()
    SubscriptionFactory(email="parent@example.org", scope=Scope.TOPIC, topic=schools)
    release = ReleaseFactory(in_review=True)
    release.topics.add(roads)

    committed(workflow.publish, release, editor)
    run_queue()

    assert inbox.to("parent@example.org") == []


def test_mail_carries_one_click_unsubscribe(
    inbox, committed, editor, run_queue, client
):
    subscription = SubscriptionFactory(email="reader@example.org")
    publish(committed, editor)

    run_queue()

    [message] = inbox.to("reader@example.org")
    link = f"https://newsroom.example/alerts/unsubscribe/{subscription.token}/"
    assert message["List-Unsubscribe"].strip() == f"<{link}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in body(message)
    assert message["List-Id"] == '"All releases" <all.alerts.newsroom.example>'
    response = client.post(
        link.removeprefix("https://newsroom.example"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Subscription.objects.exists()


def test_korean_subscriber_gets_korean_releases_in_korean(
    inbox, committed, editor, run_queue, client
):
    SubscriptionFactory(email="dokja@example.org", language="ko")
    SubscriptionFactory(email="reader@example.org", language="en")
    release = publish(committed, editor, title="심야버스 연장 운행", language="ko")

    run_queue()

    [message] = inbox.to("dokja@example.org")
    assert message["Subject"] == "심야버스 연장 운행"
    link = re.search(r"https://newsroom\.example(/ko/releases/\S+/)", body(message))
    assert link[1] == f"/ko{release.get_absolute_url()}"
    assert "심야버스 연장 운행" in client.get(link[1]).text
    assert "수신 거부" in body(message)
    assert inbox.to("reader@example.org") == []


def test_scheduled_release_is_mailed_when_it_goes_live_not_before(
    inbox, committed, editor, run_queue
):
    SubscriptionFactory(email="reader@example.org")
    live_at = timezone.now() + timezone.timedelta(seconds=2)
    publish(committed, editor, at=live_at)

    run_queue()
    assert inbox.messages == []

    time.sleep(max(0, (live_at - timezone.now()).total_seconds()) + 0.1)
    tasks.catch_up()
    assert len(inbox.to("reader@example.org")) == 1


def test_release_unscheduled_before_going_live_is_not_mailed(
    inbox, committed, editor, run_queue
):
    SubscriptionFactory(email="reader@example.org")
    release = publish(committed, editor, at=timezone.now() + timezone.timedelta(days=1))
    committed(workflow.unschedule, release, editor)
    Announcement.objects.update(due_at=timezone.now())  # its time has come

    run_queue()

    assert inbox.messages == []


def test_major_change_mails_the_releases_followers_an_update(
    inbox, committed, editor, run_queue
):
    release = ReleaseFactory()
    SubscriptionFactory(
        email="follower@example.org", scope=Scope.RELEASE, release=release
    )
    SubscriptionFactory(email="reader@example.org")

    committed(workflow.record_edit, release, editor, True, "Budget is 60 billion won")
    run_queue()

    [message] = inbox.to("follower@example.org")
    assert message["Subject"] == f"Updated: {release.title}"
    assert "Budget is 60 billion won" in body(message)
    assert inbox.to("reader@example.org") == []


def test_minor_change_mails_nobody(inbox, committed, editor, run_queue):
    release = ReleaseFactory()
    SubscriptionFactory(scope=Scope.RELEASE, release=release)

    committed(workflow.record_edit, release, editor, False, "")
    run_queue()

    assert inbox.messages == []


def test_daily_subscriber_gets_one_digest_a_day(inbox, committed, editor, settings):
    settings.ALERTS_DIGEST_TIME = timezone.datetime.min.time()  # due from midnight
    SubscriptionFactory(email="daily@example.org", daily=True)
    first = publish(committed, editor, title="Clinic opens")
    second = publish(committed, editor, title="Bridge checked")

    tasks.catch_up()
    tasks.catch_up()

    [message] = inbox.to("daily@example.org")
    assert message["Subject"] == "2 press releases: All releases"
    text = body(message)
    assert text.index(first.title) < text.index(second.title)


def test_digest_waits_for_its_time(inbox, committed, editor, settings):
    settings.ALERTS_DIGEST_TIME = timezone.datetime.max.time()
    SubscriptionFactory(email="daily@example.org", daily=True)
    publish(committed, editor)

    tasks.catch_up()

    assert inbox.messages == []
    assert Delivery.objects.get().state == Delivery.State.PENDING


def test_mail_server_down_leaves_mail_for_the_next_sweep(committed, editor, settings):
    from tests.smtp import Inbox, free_port, start_server

    SubscriptionFactory(email="reader@example.org")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody
    publish(committed, editor)
    with pytest.raises(ConnectionRefusedError):
        tasks.catch_up()
    assert Delivery.objects.get().state == Delivery.State.PENDING

    inbox = Inbox()
    controller = start_server(inbox, settings)
    try:
        tasks.catch_up()
    finally:
        controller.stop()
    assert len(inbox.to("reader@example.org")) == 1
    assert Delivery.objects.get().state == Delivery.State.SENT


def test_address_refused_by_the_server_does_not_stop_the_others(
    committed, editor, settings
):
    from tests.smtp import RefusingInbox, start_server

    SubscriptionFactory(email="gone@example.org")
    SubscriptionFactory(email="reader@example.org")
    inbox = RefusingInbox()
    controller = start_server(inbox, settings)
    try:
        publish(committed, editor)
        tasks.catch_up()
    finally:
        controller.stop()

    assert len(inbox.to("reader@example.org")) == 1
    states = dict(Delivery.objects.values_list("subscription__email", "state"))
    assert states == {"gone@example.org": "failed", "reader@example.org": "sent"}


def test_a_delivery_claimed_by_a_worker_is_never_sent_again(inbox, committed, editor):
    SubscriptionFactory(email="reader@example.org")
    publish(committed, editor)
    announcement = Announcement.objects.get()
    sending.fan_out(announcement.pk)
    Delivery.objects.update(state=Delivery.State.SENDING)  # a worker died sending it

    tasks.catch_up()

    assert inbox.messages == []


def test_fanning_out_twice_makes_no_second_delivery(committed, editor):
    SubscriptionFactory()
    publish(committed, editor)
    announcement = Announcement.objects.get()

    assert sending.fan_out(announcement.pk) == 1
    assert sending.fan_out(announcement.pk) is None
    assert Delivery.objects.count() == 1


def test_releases_made_outside_the_workflow_are_not_announced(committed, editor):
    SubscriptionFactory()
    ReleaseFactory()  # demo data, imports

    assert not Announcement.objects.exists()
