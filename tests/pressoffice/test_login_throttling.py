import pytest
from django.urls import reverse

from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


def log_in(client, username, password, address="198.51.100.20"):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_repeated_wrong_passwords_lock_the_account_out_with_a_message(client):
    UserFactory(username="press", is_staff=True)
    for _ in range(5):
        log_in(client, "press", "wrong")

    response = log_in(client, "press", "correct horse battery staple")

    assert response.status_code == 429
    assert "Too many failed logins" in response.text


def test_lockout_is_for_that_account_and_address_only(client):
    UserFactory(username="press", is_staff=True)
    UserFactory(username="desk", is_staff=True)
    for _ in range(5):
        log_in(client, "press", "wrong")

    other_account = log_in(client, "desk", "correct horse battery staple")
    other_address = log_in(
        client, "press", "correct horse battery staple", address="198.51.100.21"
    )

    assert other_account.status_code == 302
    assert other_address.status_code == 302


def test_a_few_wrong_passwords_do_not_lock_out(client):
    UserFactory(username="press", is_staff=True)
    for _ in range(3):
        log_in(client, "press", "wrong")

    response = log_in(client, "press", "correct horse battery staple")

    assert response.status_code == 302
