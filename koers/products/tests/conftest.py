"""Product fixtures: the cast's project run as a product, with a plan of three phases. The
tests read English: pages follow LANGUAGE_CODE without a header."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from django_scopes import scopes_disabled
from pytest_django.fixtures import Settings

from koers.products import services
from koers.products.models import Product
from koers.roadmap.tests.conftest import plan  # noqa: F401 (a fixture)
from koers.stakeholders.models import Stakeholder


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def product(cast: Any, plan: Any) -> Product:  # noqa: F811 (the fixture above)
    with scopes_disabled():
        owner = Stakeholder.objects.create(client=cast.client, name="Jeroen Bakker")
        return services.product_save(
            project=cast.project,
            owner=owner,
            owner_decides_alone=True,
            owner_mandate="The order of the work",
            starts_in="KCC",
        )
