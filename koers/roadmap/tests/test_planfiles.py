"""Plan files in: MS Project XML, GanttProject, Jira and plain CSV; and MS Project XML out."""

import codecs
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.roadmap import guardrails
from koers.roadmap.planfiles import (
    DraftPlan,
    MilestoneOut,
    PhaseOut,
    PlanFileError,
    guardrail_plan,
    read_plan,
    write_mspdi,
)
from koers.roadmap.planfiles.values import WorkCalendar, parse_date, parse_money

from .planfile_samples import CALENDAR, gan, jira, mspdi, mspdi_task

LIMIT = 1024 * 1024


def read(data: bytes, name: str = "plan.xml") -> DraftPlan:
    return read_plan(data, name, limit_bytes=LIMIT)


def refusal(data: bytes, name: str = "plan.xml") -> str:
    with pytest.raises(PlanFileError) as caught:
        read(data, name)
    return caught.value.text


# MS Project XML.


@pytest.fixture
def nested() -> bytes:
    return mspdi(
        [
            mspdi_task(
                1, "Analyse & ontwerp", 1, "2027-03-15", "2027-04-23", summary=True, cost="3000000"
            ),
            mspdi_task(2, "Interviews", 2, "2027-03-15", "2027-03-26", cost="1000000"),
            mspdi_task(3, "Deelplan", 2, "2027-03-29", "2027-04-23", summary=True, cost="2000000"),
            mspdi_task(4, "Schetsen", 3, "2027-03-29", "2027-04-23", cost="2000000"),
            mspdi_task(5, "Ontwerp akkoord", 2, "2027-04-23", "2027-04-23", milestone=True),
            mspdi_task(6, "", 1, "2027-04-26", null=True),
            mspdi_task(
                7, "Bouw loket", 1, "2027-04-26", "2027-06-18", summary=True, links=[(4, 1)]
            ),
            mspdi_task(8, "Bouwen", 2, "2027-04-26", "2027-06-18", cost="4500000"),
            mspdi_task(9, "Livegang loket", 1, "2027-06-21", "2027-06-21", milestone=True),
            mspdi_task(10, "Nazorg", 1, "2027-06-21", "2027-07-02", links=[(8, 3)], cost="0"),
        ],
        calendar=CALENDAR,
    )


def test_top_level_summary_tasks_become_phases_at_month_level(nested):
    draft = read(nested)
    assert draft.source == "mspdi" and draft.name == "Digitale balie"
    analyse, bouw, _nazorg = draft.phases
    assert (analyse.title, analyse.start_month, analyse.weeks) == (
        "Analyse & ontwerp",
        date(2027, 3, 1),
        6,
    )
    assert analyse.budget == Decimal("30000.00")  # MSPDI money is in hundredths
    # The day stays in a note, so the month alone does not suggest an earlier start.
    assert any("15" in note and "2027" in note for note in analyse.notes)
    # A summary with no cost of its own gets the sum of its tasks'.
    assert bouw.budget == Decimal("45000.00") and bouw.start_month == date(2027, 4, 1)


def test_milestones_stay_milestones_and_links_become_builds_on(nested, english):
    draft = read(nested)
    analyse, bouw, nazorg = draft.phases
    assert [(m.title, m.on, m.phase, m.kind) for m in draft.milestones] == [
        ("Ontwerp akkoord", date(2027, 4, 23), analyse.ref, "coming"),
        ("Livegang loket", date(2027, 6, 21), "", "live"),
    ]
    # A finish-to-start link from a task inside a phase: the phase builds on that phase.
    assert bouw.builds_on == analyse.ref
    # Start-to-start is not "builds on": left out, and said so.
    assert nazorg.builds_on == ""
    assert any("finish-to-start" in note for note in draft.notes)
    assert any("budget" in note for note in nazorg.notes)


def test_a_missing_finish_is_counted_on_the_calendar_with_its_exceptions():
    # 10 working days from Thursday 22 April 2027: 27 April and 5 May are days off.
    data = mspdi(
        [mspdi_task(1, "Pilot", 1, "2027-04-22", duration="PT80H0M0S", cost="2000000")],
        calendar=CALENDAR,
    )
    draft = read(data)
    (phase,) = draft.phases
    assert phase.start_month == date(2027, 4, 1)
    assert any("7 May 2027" in note or "7 mei 2027" in note for note in phase.notes)
    # The weekly exception is not counted as a year off, and the draft says it was left out.
    assert any(note.startswith("1 ") for note in draft.notes)


def test_a_foreign_currency_is_named_not_converted(english):
    data = mspdi(
        [mspdi_task(1, "Fase", 1, "2027-03-01", "2027-03-28", cost="2500000")], currency="GBP"
    )
    draft = read(data)
    assert draft.phases[0].budget == Decimal(25000)
    assert any("GBP" in note for note in draft.notes)


def test_a_task_without_a_start_says_which_task_and_field():
    data = mspdi(["<Task><UID>4</UID><Name>Bouw</Name><OutlineLevel>1</OutlineLevel></Task>"])
    text = refusal(data)
    assert "4" in text and "Bouw" in text and "Start" in text


def test_a_task_with_a_bad_duration_names_the_value():
    data = mspdi([mspdi_task(3, "Test", 1, "2027-03-01", duration="drie weken")])
    text = refusal(data)
    assert "Duration" in text and "drie weken" in text


# Attacks and files that are not plans.

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Project xmlns="http://schemas.microsoft.com/project"><Name>&lol3;</Name></Project>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE p [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="http://schemas.microsoft.com/project"><Tasks><Task><UID>1</UID>
<Name>&secret;</Name><Start>2027-01-01T08:00:00</Start></Task></Tasks></Project>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, XXE])
def test_entities_and_doctypes_are_refused(data, english):
    assert "XML entities" in refusal(data)


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (b"", "plan.xml", "empty"),
        (b"  \n", "plan.csv", "empty"),
        (b"<Project><Tasks><Task>", "plan.xml", "line 1"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "plan.mpp", ".mpp"),
        (b"PK\x03\x04rest", "plan.xlsx", "zip"),
        (b"<html><body>hi</body></html>", "plan.xml", "<html>"),
        (b"naam,start\n", "plan.csv", "no rows"),
        (b"foo,bar\n1,2\n", "plan.csv", "name"),
        (b"naam\x00,start\n", "plan.csv", "not a text file"),
        (
            "<?xml version='1.0' encoding='UTF-8'?><Project><Name>Café</Name></Project>".encode(
                "latin-1"
            ),
            "p.xml",
            "encoding",
        ),
    ],
)
def test_files_that_are_no_plan_are_refused_with_a_reason(data, name, says, english):
    assert says in refusal(data, name)


def test_a_file_over_the_limit_is_refused_before_it_is_read(english):
    with pytest.raises(PlanFileError, match="accepts plan files up to 1 KB"):
        read_plan(b"<Project>" + b" " * 2048 + b"</Project>", "p.xml", limit_bytes=1024)


def test_a_file_of_only_a_calendar_has_nothing_to_import(english):
    assert "no tasks" in refusal(mspdi([], calendar=CALENDAR))


# GanttProject.


def test_gan_tasks_are_counted_in_working_days_on_the_file_calendar():
    tasks = (
        '<task id="0" name="Analyse/Algo\u00a0" meeting="false" start="2026-04-27" duration="5" '
        'cost-manual-value="20000" cost-calculated="false">'
        '<task id="1" name="Étude" meeting="false" start="2026-04-27" duration="5">'
        '<depend id="3" type="2" difference="0" hardness="Strong"/></task>'
        '<task id="2" name="Revue" meeting="true" start="2026-05-05" duration="0"/></task>'
        '<task id="3" name="Concéption/Dév" meeting="false" start="2026-05-06" duration="10" '
        'cost-manual-value="45000,5" cost-calculated="false"/>'
    )
    holidays = (
        '<date year="" month="5" date="1" type="HOLIDAY"><![CDATA[1er mai]]></date>'
        '<date year="2026" month="5" date="14" type="HOLIDAY"><![CDATA[Ascension]]></date>'
    )
    with pytest.raises(PlanFileError, match="cost-manual-value"):
        read(gan(tasks, holidays), "plan.gan")
    draft = read(gan(tasks.replace("45000,5", "45000.5"), holidays), "plan.gan")
    analyse, concept = draft.phases
    assert draft.name == "Inventaire vert" and analyse.title == "Analyse/Algo"
    # Five working days from Monday 27 April, with 1 May (every year) off: Monday 4 May.
    assert any("4 " in n and "2026" in n for n in analyse.notes)
    assert analyse.budget == Decimal(20000) and concept.budget == Decimal("45000.50")
    # Ten from Wednesday 6 May, with Ascension on 14 May off: ends Wednesday 20 May.
    assert concept.weeks == 3 and concept.builds_on == analyse.ref
    assert [(m.title, m.phase) for m in draft.milestones] == [("Revue", analyse.ref)]


def test_gan_without_a_start_says_where():
    text = refusal(gan('<task id="7" name="Bouw" duration="3"/>'), "plan.gan")
    assert "7" in text and "start" in text


# CSV.


def test_a_plain_semicolon_csv_with_bom_in_dutch():
    text = (
        "Naam;Start;Eind;Duur;Budget;Type;Bouwt voort op\n"
        "Verkenning;3 maart 2027;;10 dagen;€ 15.000;;\n"
        "Pilot loket;14-04-2027;30-06-2027;;25.000,50;;verkenning\n"
        "Livegang;1-7-2027;;;;mijlpaal;\n"
        "Uitrol;2027-07-05;;80 uur;40000;;Pilot loket\n"
    )
    draft = read(codecs.BOM_UTF8 + text.encode(), "plan.csv")
    verkenning, pilot, uitrol = draft.phases
    assert (verkenning.start_month, verkenning.weeks, verkenning.budget) == (
        date(2027, 3, 1),
        2,
        Decimal(15000),
    )
    assert pilot.budget == Decimal("25000.50") and pilot.builds_on == verkenning.ref
    assert uitrol.builds_on == pilot.ref and uitrol.weeks == 2
    assert [(m.title, m.on, m.kind) for m in draft.milestones] == [
        ("Livegang", date(2027, 7, 1), "live")
    ]


def test_a_windows_csv_keeps_its_accents():
    data = "name,start,end\nCréation,2027-01-04,2027-01-29\n".encode("cp1252")
    assert read(data, "plan.csv").phases[0].title == "Création"


def test_a_utf16_csv_is_read():
    data = "name\tstart\tweeks\nBouw\t2027-02-01\t6\n".encode("utf-16")
    (phase,) = read(data, "plan.csv").phases
    assert phase.weeks == 6


@pytest.mark.parametrize(
    ("row", "says"),
    [
        ("Bouw,31-02-2027,2027-04-01,1000", "row 2, field start"),
        ("Bouw,,2027-04-01,1000", "missing"),
        ("Bouw,2027-03-01,2027-02-01,1000", "ends before it starts"),
        ("Bouw,2027-03-01,2027-04-01,veel", "value “veel”"),
        ("Bouw,2027-03-01,,1000", "no end date and no duration"),
    ],
)
def test_a_bad_row_says_row_field_and_value(row, says, english):
    assert says in refusal(f"name,start,end,budget\n{row}\n".encode(), "plan.csv")


def test_jira_epics_and_priorities_fill_the_scope_canvas():
    data = jira(
        [
            "Must have,W2-1,100,Epic,To Do,Medium,,,,,,",
            "Could have,W2-2,101,Epic,To Do,Medium,,,,,,",
            "Inloggen met DigiD,W2-3,102,Story,To Do,Medium,,Sprint 1,Sprint 2,,100,Must have",
            "Export naar CSV,W2-4,103,Task,Done,Low,,Sprint 2,,,101,Could have",
            "Koppeling zaaksysteem,W2-5,104,Epic,To Do,Low,28/Feb/27 3:31 PM,,,01/Feb/27 9:00 AM,,",
            "Losse bug,W2-6,105,Bug,To Do,High,,,,,,",
        ]
    )
    draft = read(data, "Jira.csv")
    assert draft.source == "jira"
    assert {(s.title, s.column) for s in draft.scope_items} == {
        ("Koppeling zaaksysteem", "later"),
        ("Inloggen met DigiD", "in"),
        ("Export naar CSV", "later"),
    }
    (phase,) = draft.phases  # the epic with a start and a due date
    assert (phase.title, phase.start_month, phase.weeks) == (
        "Koppeling zaaksysteem",
        date(2027, 2, 1),
        4,
    )


# Values.


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2027-03-14", date(2027, 3, 14)),
        ("2027-03-14T08:00:00", date(2027, 3, 14)),
        ("14-03-2027", date(2027, 3, 14)),
        ("03/14/2027", date(2027, 3, 14)),
        ("14.3.27", date(2027, 3, 14)),
        ("14 maart 2027", date(2027, 3, 14)),
        ("14/Mar/27 3:31 PM", date(2027, 3, 14)),
        ("March 14, 2027", date(2027, 3, 14)),
        ("14 févr. 2027", date(2027, 2, 14)),
        ("31-02-2027", None),
        ("binnenkort", None),
    ],
)
def test_dates_as_people_write_them(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("€ 25.000", Decimal(25000)),
        ("25,000.50", Decimal("25000.50")),
        ("25.000,50", Decimal("25000.50")),
        ("EUR 1.250.000", Decimal(1250000)),
        ("12,5", Decimal("12.5")),
        ("n.v.t.", None),
    ],
)
def test_money_in_either_convention(text, amount):
    assert parse_money(text) == amount


def test_a_calendar_without_working_days_does_not_hang():
    calendar = WorkCalendar(working_weekdays=set(range(5)), yearly_days_off={(1, 1)})
    assert calendar.last_day(date(2027, 1, 1), 1) == date(2027, 1, 4)


# The draft between steps, and the guardrails on it.


def test_the_draft_survives_its_dict_and_leaving_a_phase_out_drops_links(nested):
    draft = read(nested)
    assert DraftPlan.from_dict(draft.as_dict()) == draft
    analyse = draft.phases[0]
    without = replace(draft, phases=(replace(analyse, include=False), *draft.phases[1:]))
    kept = without.included()
    assert [p.title for p in kept.phases] == ["Bouw loket", "Nazorg"]
    assert kept.phases[0].builds_on == "" and kept.milestones[0].phase == ""


def test_the_guardrails_see_an_imported_phase_as_unfinished(nested):
    findings = guardrails.check_plan(guardrail_plan(read(nested)), guardrails.Limits())
    rules = {f.rule for f in findings}
    assert {guardrails.Rule.NO_STANDALONE_VALUE, guardrails.Rule.NO_KPI} <= rules


# Out to MS Project, and back.

phases_strategy = st.lists(
    st.tuples(
        st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 1)),
        st.integers(min_value=1, max_value=260),
        st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2),
        st.text(min_size=1, max_size=60).filter(lambda t: t.strip() and t.isprintable()),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(phases_strategy)
def test_an_exported_plan_reads_back_with_the_same_phases_months_and_budgets(rows):
    out = [
        PhaseOut(
            key=f"k{i}",
            title=title,
            start_month=start.replace(day=1),
            weeks=weeks,
            budget=budget,
            builds_on=f"k{i - 1}" if i else "",
        )
        for i, (start, weeks, budget, title) in enumerate(rows)
    ]
    data = write_mspdi("Plan <&> “test”", out, [MilestoneOut("Livegang", date(2027, 6, 1))])
    draft = read(data)
    assert [(p.start_month, p.weeks, p.budget) for p in draft.phases] == [
        (p.start_month, p.weeks, p.budget) for p in out
    ]
    assert [p.title for p in draft.phases] == [" ".join(p.title.split()) for p in out]
    # The exact days match the months and weeks: no note of other days.
    assert all(len(p.notes) <= int(p.budget == 0) for p in draft.phases)
    assert [m.on for m in draft.milestones] == [date(2027, 6, 1)]
    refs = [p.ref for p in draft.phases]
    for earlier, later, phase in zip(out, out[1:], draft.phases[1:], strict=False):
        if earlier.start_month <= later.start_month:
            assert phase.builds_on in refs


@pytest.mark.parametrize("cost", ["-500000", "100000000000000"])
def test_a_budget_koers_cannot_hold_is_refused(cost, english):
    data = mspdi([mspdi_task(1, "Fase", 1, "2027-03-01", "2027-03-28", cost=cost)])
    assert "Fase, field budget" in refusal(data)


def test_a_year_no_plan_is_about_is_no_date(english):
    data = mspdi([mspdi_task(1, "Fase", 1, "9999-12-01", "9999-12-28")])
    assert "Start" in refusal(data)
    assert parse_date("01-01-1066") is None


def test_a_phase_that_starts_before_the_one_it_builds_on_ends_is_warned(nested):
    analyse, bouw, _nazorg = read(nested).phases
    overlapping = replace(bouw, start_month=analyse.start_month)
    plan = replace(read(nested), phases=(analyse, overlapping))
    findings = guardrails.check_plan(guardrail_plan(plan), guardrails.Limits())
    assert [f.subject for f in findings if f.rule is guardrails.Rule.BUILDS_ON_OVERLAP] == [
        bouw.ref
    ]
