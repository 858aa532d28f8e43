"""The demo, built once per test process for every test in this folder."""

from collections.abc import Iterator

import pytest
from django.db import transaction
from django_scopes import scopes_disabled
from pytest_django import DjangoDbBlocker

from koers.demo.builder import build_demo
from koers.workspaces.models import Workspace


@pytest.fixture(scope="package")
def demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Workspace]:
    """The demo workspace, built once inside a transaction that is rolled back at the end.

    What Django's TestCase.setUpTestData does, for pytest: building takes seconds, and each
    test's own `db` transaction nests in this one as a savepoint, so whatever a test changes
    (even `build_demo(reset=True)`) is rolled back to the demo as built. A test here must not
    use `transactional_db`: its flush would empty the demo for the tests after it.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with django_db_blocker.unblock(), scopes_disabled():
            workspace, _created = build_demo()
        yield workspace
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
