"""Reads of a client's people that pages lean on."""

from datetime import timedelta

from django.utils import timezone
from django_scopes import scopes_disabled

from koers.population.models import Person
from koers.population.queries import department_names
from koers.workspaces.models import Client


def test_department_names_are_those_of_the_people_there_in_order(cast) -> None:
    with scopes_disabled():
        other = Client.objects.create(workspace=cast.workspace, slug="ander", name="Ander")
        today = timezone.localdate()
        for key, department, client, left, leaving in [
            ("1", "Verkoop", cast.client, False, None),
            ("2", "HR", cast.client, False, None),
            ("3", "HR", cast.client, False, today),  # leaves today: still there
            ("4", "Archief", cast.client, True, None),  # left
            ("5", "Bouw", cast.client, False, today - timedelta(1)),  # left yesterday
            ("6", "", cast.client, False, None),
            ("7", "Zorg", other, False, None),  # another client's
        ]:
            Person.objects.create(
                client=client,
                key=key,
                department=department,
                left_at=timezone.now() if left else None,
                leaving_on=leaving,
            )
        assert department_names(cast.client) == ["", "HR", "Verkoop"]
        assert department_names(cast.client, limit=2) == ["", "HR"]
        assert department_names(other) == ["Zorg"]
