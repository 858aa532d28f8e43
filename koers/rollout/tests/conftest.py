"""The tests of the rollout read English: pages follow LANGUAGE_CODE without a header."""

from collections.abc import Iterator

import pytest
from django.utils import translation
from pytest_django.fixtures import Settings

from koers.population.tests.factories import import_people


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    # The tests read the English source texts; pages follow LANGUAGE_CODE without a header.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def people_client(cast):
    import_people(cast.client, 40)
    return cast.client
