"""Writes: validated contact details, stance history, the audience, the rhythm, deleting."""

import gzip
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from koers.core import backup
from koers.core.errors import KoersError
from koers.stakeholders import queries, services
from koers.stakeholders.models import (
    Communication,
    Involvement,
    Stakeholder,
    StanceChange,
)
from tests.factories import Cast, make_project

from .conftest import add_stakeholder, log, role_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "lieve@"),
        ("email", "lieve at example.be"),
        ("phone", "bel me"),
        ("phone", "12"),
        ("phone", "+32 9 000 27 14 ext. 3"),
        ("contact_every_days", 0),
        ("channel", "pigeon"),
        ("name", ""),
    ],
)
def test_wrong_contact_details_are_refused_naming_the_field(
    cast: Cast, field: str, value: object
) -> None:
    fields = {"name": "Lieve Vanacker", field: value}
    with scopes_disabled(), pytest.raises(KoersError) as refused:
        services.stakeholder_create(client=cast.client, actor=None, **fields)
    assert refused.value.field == field
    with scopes_disabled():
        assert not Stakeholder.objects.exists()


@pytest.mark.parametrize(
    "phone", ["+32 9 000 27 14", "06-12345678", "(010) 123 45 67", "+31612345678"]
)
def test_common_phone_numbers_are_taken(cast: Cast, phone: str) -> None:
    with scopes_disabled():
        made = services.stakeholder_create(
            client=cast.client, actor=None, name="Bart", phone=f" {phone} ", email="b@example.be"
        )
    assert made.phone == phone


def test_a_stance_is_kept_when_first_noted_and_at_every_change_with_day_and_reason(
    cast: Cast,
) -> None:
    ceo = add_stakeholder(cast.project, "Lieve", stance="opponent")
    with scopes_disabled():
        services.involvement_save(
            project=cast.project, stakeholder=ceo, actor=cast.member, influence=5
        )
        services.involvement_save(
            project=cast.project,
            stakeholder=ceo,
            actor=cast.member,
            stance="sceptic",
            reason="Zag de demo van de voorraad",
            on=date(2026, 2, 3),
        )
        changes = list(StanceChange.objects.order_by("id").values_list("before", "after", "reason"))
        assert changes == [
            ("", "opponent", ""),
            ("opponent", "sceptic", "Zag de demo van de voorraad"),
        ]
        assert StanceChange.objects.get(after="sceptic").on == date(2026, 2, 3)
        assert role_of(cast.project, ceo).influence == 5


def test_a_stakeholder_of_another_client_gets_no_role_and_is_no_audience(cast: Cast) -> None:
    with scopes_disabled():
        other = make_project(cast.other_client, slug="raadhuis")
    stranger = add_stakeholder(other, "Wethouder")
    with scopes_disabled():
        with pytest.raises(KoersError):
            services.involvement_save(
                project=cast.project, stakeholder=stranger, actor=None, stance="opponent"
            )
        with pytest.raises(KoersError) as refused:
            log(cast.project, timezone.localdate(), stranger)
        assert refused.value.field == "audience"
        assert not Communication.objects.filter(project=cast.project).exists()


def test_the_last_contact_is_the_latest_done_communication_in_any_project_of_the_client(
    cast: Cast,
) -> None:
    today = timezone.localdate()
    bart = add_stakeholder(cast.project, "Bart")
    with scopes_disabled():
        second = make_project(cast.client, slug="tweede")
    log(cast.project, today - timedelta(days=20), bart)
    log(second, today - timedelta(days=3), bart, kind="meeting")
    log(cast.project, today + timedelta(days=5), bart, status="planned")  # not contact yet
    with scopes_disabled():
        (row,) = queries.involvements(cast.project)
    assert row.last_contact == today - timedelta(days=3)  # type: ignore[attr-defined]


def test_deleting_a_stakeholder_removes_them_everywhere(cast: Cast, tmp_path: Path) -> None:
    ann = add_stakeholder(cast.project, "Ann Claes", stance="opponent")
    kept = add_stakeholder(cast.project, "Bart")
    call = log(cast.project, timezone.localdate(), ann, kept)
    with scopes_disabled():
        services.stakeholder_delete(stakeholder=ann)
        assert not Stakeholder.objects.filter(name="Ann Claes").exists()
        assert list(Involvement.objects.values_list("stakeholder__name", flat=True)) == ["Bart"]
        assert not StanceChange.objects.filter(involvement__stakeholder_id=ann.pk).exists()
        assert list(call.audience.all()) == [kept]  # the call stays, without her
        assert Communication.objects.filter(pk=call.pk).exists()
    # ... and from what a backup written now holds.
    backup.write_backup(tmp_path / "after.gz")
    with gzip.open(tmp_path / "after.gz", "rt", encoding="utf-8") as text:
        assert "Ann Claes" not in text.read()


def test_a_backup_holds_every_stakeholder_table(cast: Cast, tmp_path: Path) -> None:
    ann = add_stakeholder(cast.project, "Ann Claes", stance="opponent")
    log(cast.project, timezone.localdate(), ann, content="Over de planning")
    with scopes_disabled():
        services.rhythm_save(project=cast.project, every_days={"demo": 21})
    summary = backup.write_backup(tmp_path / "koers.gz")
    tables = summary.as_dict()["tables"]
    for label in [
        "stakeholders.Stakeholder",
        "stakeholders.Involvement",
        "stakeholders.StanceChange",
        "stakeholders.Communication",
        "stakeholders.Communication_audience",
        "stakeholders.Rhythm",
    ]:
        assert tables.get(label) == 1, (label, tables)
    with gzip.open(tmp_path / "koers.gz", "rt", encoding="utf-8") as text:
        content = text.read()
    assert "Ann Claes" in content and "Over de planning" in content


def test_the_rhythm_is_the_default_until_the_project_sets_its_own(cast: Cast) -> None:
    with scopes_disabled():
        assert queries.expected_rhythm(cast.project) == {
            "update": 14,
            "demo": None,
            "call": None,
            "meeting": None,
            "steering": 28,
        }
        services.rhythm_save(project=cast.project, every_days={"update": 7, "steering": None})
        expected = queries.expected_rhythm(cast.project)
        assert expected["update"] == 7 and expected["steering"] is None
        with pytest.raises(KoersError):
            services.rhythm_save(project=cast.project, every_days={"update": 0})
        with pytest.raises(KoersError):
            services.rhythm_save(project=cast.project, every_days={"letter": 7})


def test_the_rhythm_knows_the_last_done_and_the_next_planned(cast: Cast) -> None:
    today = timezone.localdate()
    log(cast.project, today - timedelta(days=20), kind="update")
    log(cast.project, today - timedelta(days=30), kind="update")
    log(cast.project, today + timedelta(days=2), kind="steering", status="planned")
    log(cast.project, today - timedelta(days=1), kind="steering", status="planned")  # missed
    with scopes_disabled():
        beats = {beat.kind: beat for beat in queries.rhythm(cast.project, today)}
    assert beats["update"].last_done == today - timedelta(days=20)
    assert beats["update"].is_overdue  # every 14 days
    assert beats["steering"].next_planned == today + timedelta(days=2)
    assert beats["steering"].last_done is None and beats["steering"].is_overdue
    assert not beats["demo"].is_overdue
