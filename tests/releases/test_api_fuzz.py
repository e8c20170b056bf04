"""The open data API against its own OpenAPI document, with generated requests:
no server error, no answer that breaks the document (schemathesis)."""

import itertools

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode, checks

from tests.people.factories import MunicipalityFactory, PositionFactory
from tests.releases.factories import DailyHitsFactory, ReleaseFactory, TopicFactory

pytestmark = pytest.mark.django_db

# Each operation gets up to this many requests of valid parameters and as many
# of invalid ones: over 1,000 in all (the three without parameters need only a
# few), new ones each run; Hypothesis prints how to repeat a failure.
REQUESTS_PER_OPERATION = 250


@pytest.fixture
def connection_kept():
    """The test's database connection stays open across the app's requests, as
    Django's test client keeps it (it is in the test's transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def newsroom(settings, connection_kept):
    settings.API_RATE = "100000/m"  # the throttle is tested on its own
    place = MunicipalityFactory(slug="suwon")
    for release in [ReleaseFactory(), ReleaseFactory(withdrawn=True)]:
        release.municipalities.add(place)
        release.topics.add(TopicFactory())
        DailyHitsFactory(release=release)
    ReleaseFactory(draft=True)
    PositionFactory(municipality=place)


def takes_parameters(operation):
    return len(operation.query) + len(operation.path_parameters) > 0


def test_api_keeps_to_its_openapi_document(newsroom):
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", get_wsgi_application()
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    sent = []

    for operation, mode in itertools.product(operations, GenerationMode):
        if mode is GenerationMode.NEGATIVE and not takes_parameters(operation):
            continue  # nothing to get wrong

        @given(case=operation.as_strategy(mode))
        @settings(
            max_examples=REQUESTS_PER_OPERATION,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def keeps_to_it(case):
            # A well-formed slug or day that names nothing, or falls outside the
            # dates' window, is refused with a 400 by design: not data the
            # document promises to accept.
            case.call_and_validate(excluded_checks=[checks.positive_data_acceptance])
            sent.append(case.operation.label)

        keeps_to_it()

    assert len(operations) == 6
    assert len(sent) >= 1000
