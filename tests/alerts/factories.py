import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from alerts.models import Subscription


class SubscriptionFactory(DjangoModelFactory):
    """A confirmed subscription to every release, mailed as each is published."""

    class Meta:
        model = Subscription

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    scope = Subscription.Scope.ALL
    confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        unconfirmed = factory.Trait(confirmed_at=None)
        daily = factory.Trait(frequency=Subscription.Frequency.DAILY)
