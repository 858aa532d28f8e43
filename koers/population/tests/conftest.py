"""The tests of a client's people read English: pages follow LANGUAGE_CODE without a header."""

from collections.abc import Iterator

import pytest
from django.utils import translation
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    # The tests read the English source texts; pages follow LANGUAGE_CODE without a header.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
