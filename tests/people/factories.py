import datetime

import factory
from factory.django import DjangoModelFactory

from people.models import Municipality, Official, Organization, Position


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"City {n}")
    local_name = factory.Sequence(lambda n: f"도시{n}시")
    slug = factory.Sequence(lambda n: f"city-{n}")
    kind = Municipality.Kind.CITY


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Department {n}")
    slug = factory.Sequence(lambda n: f"department-{n}")
    kind = Organization.Kind.DEPARTMENT


class OfficialFactory(DjangoModelFactory):
    class Meta:
        model = Official

    name = factory.Sequence(lambda n: f"Official {n}")
    local_name = factory.Sequence(lambda n: f"공무원{n}")
    slug = factory.Sequence(lambda n: f"official-{n}")


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    official = factory.SubFactory(OfficialFactory)
    title = "Mayor"
    municipality = factory.SubFactory(MunicipalityFactory)
    started_on = datetime.date(2018, 7, 1)
    ended_on = datetime.date(2022, 6, 30)

    class Params:
        current = factory.Trait(ended_on=None)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@gg.example")
    password = factory.django.Password("correct horse battery staple")
