"""Landscape fixtures: systems and integrations of the cast's client. The tests read English:
pages follow LANGUAGE_CODE without a header."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from django_scopes import scopes_disabled
from pytest_django.fixtures import Settings

from koers.landscape import services
from koers.landscape.models import Integration, System
from koers.roadmap.tests.conftest import plan  # noqa: F401 (a fixture)
from koers.workspaces.models import Client


@pytest.fixture(autouse=True)
def _english(settings: Settings) -> Iterator[None]:
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def add_system(client: Client, name: str, capability: str = "", **fields: Any) -> System:
    with scopes_disabled():
        return services.system_create(
            client=client, name=name, capability=capability or name, **fields
        )


def connect(source: System, target: System, kind: str = "api", **fields: Any) -> Integration:
    with scopes_disabled():
        return services.integration_create(
            client=source.client, source=source, target=target, kind=kind, **fields
        )


def landscape_of(client: Client, count: int) -> list[System]:
    """`count` systems in a chain of APIs, every fifth one on its own, some re-typed by hand."""
    made = [
        add_system(client, f"Systeem {n:03}", f"Functie {n % 7}", debt=1 + n % 5, users=n * 3)
        for n in range(count)
    ]
    for n in range(1, count):
        if n % 5:
            connect(made[n - 1], made[n], "api" if n % 3 else "manual")
    return made
