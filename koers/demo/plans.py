"""The demo's plans: phases, KPIs, milestones and revisions for three of the cases.

Order-to-cash is the method's worked case (8, 10 and 12 weeks; the first two done and met);
the Ghent ERP project is the counter-case (one phase of 18 months and EUR 180,000, so the
big-bang guardrails light up); the modern workplace has a revision caused by the pilot.
Dates are relative to today, so the roadmap always has a past, a present and a future.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from koers.projects.models import Project
from koers.roadmap import services
from koers.roadmap.models import Kpi, Milestone, Phase
from koers.workspaces.models import Workspace

from .cases import ERP_GENT, MODERNE_WERKPLEK, ORDER_TO_CASH

LOWER = Kpi.Direction.LOWER
HIGHER = Kpi.Direction.HIGHER


def month(today: date, offset: int) -> date:
    """Return the first day of the month `offset` months from today's."""
    index = today.year * 12 + today.month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def end(phase: Phase) -> date:
    return phase.start_month + timedelta(weeks=phase.weeks) - timedelta(days=1)


def _order_to_cash(project: Project, actor: Any, today: date) -> None:
    quotes = services.phase_create(
        project=project,
        actor=actor,
        title="Digitale offertetool",
        goal="Offertes maken in een tool die gekoppeld is aan de bestaande boekhouding.",
        standalone_value="Offertes gaan dezelfde dag de deur uit, ook als er niets volgt.",
        vision_horizon=24,
        vision_contribution="Order-to-cash loopt zonder overtypen van offerte tot betaling.",
        start_month=month(today, -6),
        weeks=8,
        budget=Decimal(22_000),
        status=Phase.Status.DONE,
        kpis=[
            {
                "name": "Tijd per offerte",
                "unit": "min",
                "direction": LOWER,
                "baseline": Decimal(150),
                "baseline_on": month(today, -7),
                "target": Decimal(60),
                "actual": Decimal(55),
                "actual_on": month(today, -3),
            }
        ],
    )
    orders = services.phase_create(
        project=project,
        actor=actor,
        title="Online bestellen voor vaste klanten",
        goal="Vaste klanten bestellen zelf online; de binnendienst typt niets meer over.",
        standalone_value="Minder administratieve rompslomp en minder fouten in bestellingen.",
        vision_horizon=24,
        vision_contribution="Klanten en systemen praten rechtstreeks met elkaar.",
        start_month=month(today, -4),
        weeks=10,
        budget=Decimal(28_000),
        status=Phase.Status.DONE,
        builds_on=quotes,
        kpis=[
            {
                "name": "Administratieve handelingen per bestelling",
                "unit": "min",
                "direction": LOWER,
                "baseline": Decimal(25),
                "baseline_on": month(today, -4),
                "target": Decimal(15),
                "actual": Decimal(14),
                "actual_on": month(today, -1),
            }
        ],
    )
    invoices = services.phase_create(
        project=project,
        actor=actor,
        title="Automatische facturatie en opvolging",
        goal="Facturen en herinneringen gaan automatisch uit zodra er geleverd is.",
        standalone_value="Klanten betalen sneller; de cashflow verbetert meteen.",
        vision_horizon=48,
        vision_contribution="Het hele order-to-cash-proces is geautomatiseerd.",
        start_month=month(today, -1),
        weeks=12,
        budget=Decimal(35_000),
        status=Phase.Status.ACTIVE,
        builds_on=orders,
        kpis=[
            {
                "name": "Gemiddelde betaaltermijn",
                "unit": "dagen",
                "direction": LOWER,
                "baseline": Decimal(47),
                "baseline_on": month(today, -1),
                "target": Decimal(35),
            }
        ],
    )
    for kind, title, on, phase, decision in [
        (Milestone.Kind.LIVE, "Offertetool live", end(quotes), quotes, ""),
        (Milestone.Kind.LIVE, "Webshop voor vaste klanten live", end(orders), orders, ""),
        (
            Milestone.Kind.FEEDBACK,
            "Binnendienst en boekhouder over de eerste facturen",
            invoices.start_month + timedelta(weeks=5),
            invoices,
            "Herinneringen na 7 of na 14 dagen?",
        ),
        (
            Milestone.Kind.COMING,
            "Automatische facturatie live",
            end(invoices),
            invoices,
            "Go voor automatische aanmaningen",
        ),
    ]:
        services.milestone_create(
            project=project,
            actor=actor,
            kind=kind,
            title=title,
            on=on,
            phase=phase,
            decision_needed=decision,
        )
    services.revision_record(
        project=project, actor=actor, reason="Plan gedeeld met de zaakvoerder en de boekhouder."
    )


def _erp_gent(project: Project, actor: Any, today: date) -> None:
    erp = services.phase_create(
        project=project,
        actor=actor,
        title="ERP-implementatie: alles in één keer",
        goal="Eén ERP voor productie, voorraad, verkoop, aankoop en boekhouding.",
        standalone_value="",
        vision_horizon=48,
        vision_contribution="Eén systeem voor de hele fabriek.",
        start_month=month(today, -15),
        weeks=78,
        budget=Decimal(180_000),
        status=Phase.Status.ACTIVE,
        kpis=[{"name": "Processen in het ERP", "unit": "%", "direction": HIGHER}],
    )
    services.milestone_create(
        project=project,
        actor=actor,
        kind=Milestone.Kind.COMING,
        title="Go-live van alle modules tegelijk",
        on=end(erp),
        phase=erp,
        decision_needed="Stoppen of opknippen in fases van hoogstens 12 weken?",
    )


def _moderne_werkplek(project: Project, actor: Any, today: date) -> None:
    pilot = services.phase_create(
        project=project,
        actor=actor,
        title="Pilot met 20 gebruikers",
        goal="Servicedesk en IT werken als eersten op de nieuwe werkplek.",
        standalone_value="Technische problemen komen boven bij 20 mensen, niet bij 800.",
        vision_horizon=24,
        vision_contribution="Iedereen werkt veilig vanaf elke plek.",
        start_month=month(today, -3),
        weeks=4,
        budget=Decimal(18_000),
        status=Phase.Status.DONE,
        kpis=[
            {
                "name": "Meldingen per pilotgebruiker",
                "unit": "",
                "direction": LOWER,
                "baseline": Decimal(3),
                "baseline_on": month(today, -3),
                "target": Decimal(1),
                "actual": Decimal("0.8"),
                "actual_on": month(today, -2),
            }
        ],
    )
    rollout = services.phase_create(
        project=project,
        actor=actor,
        title="Uitrol per afdeling",
        goal="Afdeling voor afdeling over, met de pilotgebruikers als ambassadeurs.",
        standalone_value="Elke afdeling die over is, werkt meteen veiliger.",
        vision_horizon=24,
        vision_contribution="Eén beheerde werkplek voor 800 medewerkers.",
        start_month=month(today, -2),
        weeks=3,
        budget=Decimal(32_000),
        builds_on=pilot,
        kpis=[
            {
                "name": "Medewerkers live",
                "unit": "",
                "direction": HIGHER,
                "baseline": Decimal(20),
                "baseline_on": month(today, -2),
                "target": Decimal(800),
            }
        ],
    )
    aftercare = services.phase_create(
        project=project,
        actor=actor,
        title="Nazorg en adoptie",
        goal="Schaduwperiode met beheer; instructies aangescherpt met input van gebruikers.",
        standalone_value="Beheer draagt de werkplek zelf; de servicedesk blijft rustig.",
        vision_horizon=48,
        vision_contribution="Medewerkers gebruiken de werkplek ten volle.",
        start_month=month(today, -1),
        weeks=6,
        budget=Decimal(16_000),
        builds_on=rollout,
        kpis=[
            {
                "name": "Tickets per 100 gebruikers per week",
                "unit": "",
                "direction": LOWER,
                "baseline": Decimal(9),
                "baseline_on": month(today, -3),
                "target": Decimal(4),
            }
        ],
    )
    services.milestone_create(
        project=project,
        actor=actor,
        kind=Milestone.Kind.FEEDBACK,
        title="Evaluatie pilot met servicedesk",
        on=end(pilot),
        phase=pilot,
    )
    services.milestone_create(
        project=project,
        actor=actor,
        kind=Milestone.Kind.COMING,
        title="Alle 800 medewerkers live",
        on=end(rollout),
        phase=rollout,
        decision_needed="Akkoord op de volgorde van de afdelingen",
    )
    services.revision_record(project=project, actor=actor, reason="Voorstel gedeeld met de CFO.")
    # The pilot taught something: the rollout moves and waits for a fix.
    services.phase_update(phase=pilot, actor=actor, status=Phase.Status.DONE, weeks=5)
    services.phase_update(
        phase=rollout, actor=actor, start_month=month(today, -1), status=Phase.Status.ACTIVE
    )
    services.phase_update(phase=aftercare, actor=actor, start_month=month(today, 0))
    services.milestone_create(
        project=project,
        actor=actor,
        kind=Milestone.Kind.FEEDBACK,
        title="Langere uitlogtijd getest met de zorgteams",
        on=month(today, -1) + timedelta(days=3),
        phase=rollout,
        decision_needed="Uitlogtijd vastzetten op 30 minuten?",
    )
    services.revision_record(
        project=project,
        actor=actor,
        reason=(
            "De pilot toonde dat de automatische uitlogtijd veel te kort was; "
            "de uitrol start een maand later, na de aanpassing."
        ),
    )


def build_plans(workspace: Workspace, *, actor: Any = None) -> None:
    """Give the demo cases their plans (call inside scopes_disabled or a workspace scope)."""
    today = timezone.localdate()
    projects = {p.slug: p for p in workspace.projects.all()}
    for slug, build in [
        (ORDER_TO_CASH, _order_to_cash),
        (ERP_GENT, _erp_gent),
        (MODERNE_WERKPLEK, _moderne_werkplek),
    ]:
        if slug in projects:
            build(projects[slug], actor, today)
