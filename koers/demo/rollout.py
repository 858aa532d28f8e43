"""The demo's rollouts: the 800-employee workplace and the care institution's pilot.

People are generated from a fixed seed: fictional names, no real personal data. The workplace
case (METHOD.md §3): a pilot of 20 with the service desk and IT, then waves per department
that bring all 800 live in three weeks. The care case: the pilot on De Weide found the
automatic log-out far too short, and that was fixed before the broad rollout.
"""

import random
import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from koers.population import services
from koers.population.models import Person
from koers.population.reading import PersonRow
from koers.projects.models import Project
from koers.rollout import selection, steering
from koers.rollout.models import Pilot, PilotMember, SupportLoad, Wave
from koers.workspaces.models import Workspace

from .cases import MODERNE_WERKPLEK, ZORG_UITROL

SEED = 800
FIRST_NAMES = (
    "Anna", "Bram", "Carlijn", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Ilse", "Jeroen",
    "Kim", "Lars", "Maaike", "Niels", "Olga", "Pieter", "Quinten", "Roos", "Sven", "Tessa",
    "Umut", "Vera", "Wouter", "Yara", "Zeynep", "Ahmed", "Bas", "Chantal", "Dewi", "Emre",
    "Femke", "Gerrit", "Hatice", "Iris", "Joost", "Karin", "Luuk", "Mila", "Noor", "Otto",
)  # fmt: skip
LAST_NAMES = (
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs",
    "Yilmaz", "El Idrissi", "Verhoeven", "Willems", "Hoekstra", "Koster", "Prins", "Postma",
)  # fmt: skip
# Waalborg: 14 departments over three sites; 180 fitters on tablets; IT of 6, service desk of 4.
WAALBORG = (
    # department, people, sites (weights Nijmegen, Arnhem, Tiel), functions, device
    ("Buitendienst", 180, (3, 2, 1), ("Monteur", "Monteur", "Eerste monteur", "Teamleider"), "Tablet"),  # noqa: E501
    ("Installatie", 120, (3, 2, 1), ("Installateur", "Werkvoorbereider", "Teamleider"), "Laptop"),
    ("Onderhoud", 90, (2, 2, 1), ("Onderhoudsmonteur", "Planner", "Teamleider"), "Tablet"),
    ("Projecten", 70, (3, 1, 0), ("Projectleider", "Werkvoorbereider", "Calculator"), "Laptop"),
    ("Engineering", 55, (1, 0, 0), ("Engineer", "Tekenaar", "Teamleider"), "Desktop"),
    ("Planning", 45, (2, 1, 1), ("Planner", "Teamleider"), "Laptop"),
    ("Verkoop", 45, (2, 1, 0), ("Accountmanager", "Binnendienst verkoop"), "Laptop"),
    ("Magazijn", 40, (1, 0, 1), ("Magazijnmedewerker", "Chauffeur"), "Desktop"),
    ("Inkoop", 30, (1, 0, 0), ("Inkoper", "Medewerker inkoop"), "Laptop"),
    ("Financiën", 45, (1, 0, 0), ("Controller", "Medewerker crediteuren", "Medewerker debiteuren"), "Laptop"),  # noqa: E501
    ("HR", 25, (1, 0, 0), ("HR-adviseur", "Salarisadministrateur"), "Laptop"),
    ("Kwaliteit en veiligheid", 45, (1, 1, 1), ("KAM-coördinator", "Adviseur"), "Laptop"),
    ("IT", 6, (1, 0, 0), ("Systeembeheerder", "IT-manager"), "Laptop"),
    ("Servicedesk", 4, (1, 0, 0), ("Servicedeskmedewerker",), "Laptop"),
)  # fmt: skip
SITES = ("Nijmegen", "Arnhem", "Tiel")
ELZENHOF_SITES = (
    "De Weide", "Het Anker", "De Linde", "Rivierzicht", "De Hoven", "Beukenhof",
    "De Brink", "Zonnehoek", "Het Veld",
)  # fmt: skip


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def _name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def waalborg_people() -> list[PersonRow]:
    """The 800 people of Waalborg, the same every time."""
    rng = random.Random(SEED)
    rows, managers = [], {}
    number = 0
    for department, count, site_weights, functions, device in WAALBORG:
        for n in range(count):
            number += 1
            first, last = _name(rng)
            site = rng.choices(SITES, site_weights)[0]
            function = functions[-1] if n == 0 and len(functions) > 1 else rng.choice(functions)
            name = f"{first} {last}"
            if n == 0:
                managers[department] = name
            rows.append(
                PersonRow(
                    row=number + 1,
                    key=f"WB{number:04d}",
                    name=name,
                    email=f"{_ascii(first)}.{_ascii(last)}{number}@waalborg.example",
                    department=department,
                    location=site,
                    job_title=function,
                    manager=managers[department] if n else "",
                    device=device if rng.random() < 0.9 else "Laptop",
                    attributes={"Thuiswerker": "ja" if rng.random() < 0.3 else "nee"},
                )
            )
    return rows


def elzenhof_people() -> list[PersonRow]:
    """Care staff of the nine Elzenhof locations, 40 each, the same every time."""
    rng = random.Random(SEED + 1)
    rows = []
    for s, site in enumerate(ELZENHOF_SITES):
        for n in range(40):
            number = s * 40 + n + 1
            first, last = _name(rng)
            rows.append(
                PersonRow(
                    row=number + 1,
                    key=f"EH{number:04d}",
                    name=f"{first} {last}",
                    email=f"{_ascii(first)}.{_ascii(last)}{number}@elzenhof.example",
                    department=site,
                    location=site,
                    job_title=rng.choice(
                        ("Verzorgende IG", "Verpleegkundige", "Helpende", "Teamleider")
                    ),
                    device="Gedeelde pc",
                    attributes={"Dienst": rng.choice(("dag", "avond", "nacht"))},
                )
            )
    return rows


def _monday(weeks_ago: int) -> date:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday() + 7 * weeks_ago)


def _steer(waves: list[Wave], actor: object, *, rate: float) -> None:
    """Walk the waves that lie in the past through start, support load and a go."""
    today = timezone.localdate()
    rng = random.Random(SEED + 2)
    for wave in waves:
        if wave.start_on > today:
            break
        steering.wave_start(wave=wave, actor=actor)
        for day_text, count in wave.days:
            day = date.fromisoformat(day_text)
            if day <= today:
                tickets = max(0, round(count * rate / 100 * rng.uniform(0.7, 1.2)))
                steering.support_record(wave=wave, actor=actor, day=day, tickets=tickets)
        if wave.end_on >= today:
            break
        steering.wave_evaluate(wave=wave, actor=actor)
        steering.gate_decide(
            gate=wave.gate,
            actor=actor,
            decision="go",
            notes="Tickets binnen de norm; geen blokkerende feedback.",
            # The demo's pulse rounds come later, so no wave is measured yet: say so.
            justification=(
                "Begrip is voor deze golf niet gemeten; de servicedesk en de ambassadeurs "
                "houden de eerste week de vragen bij."
            ),
        )


def build_rollout(workspace: Workspace) -> None:
    """Give the workplace and care projects their people, pilot and waves."""
    werkplek = Project.objects.select_related("client", "manager").get(
        workspace=workspace, slug=MODERNE_WERKPLEK
    )
    actor = werkplek.manager
    services.people_import(client=werkplek.client, actor=actor, rows=waalborg_people())
    # A few people the project manager knows to be well known or constructive.
    Person.objects.filter(
        client=werkplek.client, key__in=[f"WB{n:04d}" for n in range(1, 800, 37)]
    ).update(is_well_known=True)
    Person.objects.filter(
        client=werkplek.client, key__in=[f"WB{n:04d}" for n in range(5, 800, 41)]
    ).update(is_constructive=True)
    selection.pilot_select(
        project=werkplek,
        actor=actor,
        size=20,
        attributes=["department", "location", "device"],
        seed=7,
    )
    steering.rollout_update(
        project=werkplek,
        actor=actor,
        start_on=_monday(2),
        capacity=90,
        wave_days=3,
        pilot_soak_days=2,
        ticket_rate=Decimal(12),
        desk_capacity=Decimal(25),
    )
    _steer(steering.waves_plan(project=werkplek, actor=actor), actor, rate=12)

    zorg = Project.objects.select_related("client", "manager").get(
        workspace=workspace, slug=ZORG_UITROL
    )
    actor = zorg.manager
    services.people_import(client=zorg.client, actor=actor, rows=elzenhof_people())
    # The pilot was chosen by hand: twenty of De Weide, from day, evening and night shifts.
    weide = list(
        Person.objects.filter(client=zorg.client, department="De Weide").order_by("key")[:20]
    )
    pilot = Pilot.objects.create(project=zorg, size=20, attributes=["department"], chosen_by=actor)
    PilotMember.objects.bulk_create(
        PilotMember(pilot=pilot, person=p, source=PilotMember.Source.SELECTED) for p in weide
    )
    steering.rollout_update(
        project=zorg,
        actor=actor,
        start_on=_monday(1),
        capacity=40,
        wave_days=1,
        pilot_soak_days=5,
        ticket_rate=Decimal(10),
        desk_capacity=Decimal(12),
    )
    waves = steering.waves_plan(project=zorg, actor=actor)
    pilot_wave = waves[0]
    steering.wave_start(wave=pilot_wave, actor=actor)
    for day_text, _count in pilot_wave.days:
        SupportLoad.objects.create(
            project=zorg,
            wave=pilot_wave,
            day=date.fromisoformat(day_text),
            tickets=2,
            recorded_by=actor,
        )
    steering.wave_evaluate(wave=pilot_wave, actor=actor)
    gate = pilot_wave.gate
    steering.gate_update(
        gate=gate,
        actor=actor,
        open_blocking=1,
        notes=(
            "Uitloggen na 2 minuten is veel te kort: medewerkers raakten hun rapportage kwijt "
            "terwijl ze bij een cliënt waren."
        ),
    )
    steering.gate_decide(
        gate=gate,
        actor=actor,
        decision="no_go",
        notes="Eerst het uitlogbeleid aanpassen; de pilotgebruikers testen het opnieuw.",
    )
    steering.gate_update(
        gate=gate,
        actor=actor,
        open_blocking=0,
        notes=(
            "Aangepast: vergrendelen na 5 minuten en met de pas verder werken; uitloggen pas na "
            "30 minuten of bij de dienstwissel. Opnieuw getest op De Weide: geen klachten meer."
        ),
    )
    steering.gate_decide(
        gate=gate,
        actor=actor,
        decision="go",
        notes="Uitlogbeleid aangepast en getest; door.",
        justification=(
            "Begrip is in de pilot niet apart gemeten; het aangepaste uitlogbeleid is met de "
            "pilotgebruikers op De Weide getest."
        ),
    )
