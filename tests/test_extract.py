"""The extractor on short sentences written for these tests, one row per phrasing.

Each row is a small article; the extractor must find exactly the (subject, relation, object,
modality) rows listed among its facts above the default confidence threshold, and the
"not a fact" rows must find nothing of the relation named.
"""

from __future__ import annotations

import pytest

from kg.build import DEFAULT_MIN_CONFIDENCE
from kg.corpus import parse_document
from kg.extract import extract_document
from kg.extract.context import normalise
from kg.nlp import load_pipeline


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def facts_of(nlp, text: str, min_confidence: float = DEFAULT_MIN_CONFIDENCE):
    doc = parse_document("t", "t.txt", text)
    ex = extract_document(doc, nlp)
    return {(normalise(f.subject.text), f.relation.name, normalise(f.object.text), f.modality.value)
            for f in ex.facts if f.confidence >= min_confidence}, ex


FOUND = [
    # flight
    ("Abu Hamza al-Tikriti fled Mosul for Syria in March.",
     [("Abu Hamza al-Tikriti", "FLED_FROM", "Mosul", "asserted"), ("Abu Hamza al-Tikriti", "FLED_TO", "Syria", "asserted")]),
    ("Khalid al-Jubouri escaped to Turkey with his bodyguards.", [("Khalid al-Jubouri", "FLED_TO", "Turkey", "asserted")]),
    ("Omar Hadid slipped out of Raqqa at night.", [("Omar Hadid", "FLED_FROM", "Raqqa", "asserted")]),
    ("Dozens of ISIS fighters sought refuge in Idlib.", [("Dozens of ISIS fighters", "FLED_TO", "Idlib", "asserted")]),
    ("Abu Salim al-Halabi fled with his wife and children for Turkey.", [("Abu Salim al-Halabi", "FLED_TO", "Turkey", "asserted")]),
    # defection
    ("Hundreds of al-Shabab fighters have joined the ranks of the Islamic State.",
     [("Hundreds of al-Shabab fighters", "DEFECTED_TO", "Islamic State", "asserted")]),
    ("Forty Boko Haram members pledged allegiance to ISIS.", [("Forty Boko Haram members", "DEFECTED_TO", "ISIS", "asserted")]),
    ("Ahmed Nur Jimale deserted al-Shabab and defected to the Somali army.",
     [("Ahmed Nur Jimale", "DEFECTED_FROM", "al-Shabab", "asserted")]),
    ("A group of Nusra Front commanders switched sides to ISIS.",
     [("A group of Nusra Front commanders", "DEFECTED_TO", "ISIS", "asserted")]),
    ("Several ISIS members withdrew their allegiance to Abu Bakr al-Baghdadi.",
     [("Several ISIS members", "DEFECTED_FROM", "ISIS", "asserted")]),
    # execution, both voices
    ("Mohamed Dulyadeyn was executed by al-Shabab.", [("al-Shabab", "EXECUTED", "Mohamed Dulyadeyn", "asserted")]),
    ("ISIS beheaded Salim Haddad in Raqqa.", [("ISIS", "EXECUTED", "Salim Haddad", "asserted")]),
    ("Yusuf Adan was shot dead by al-Shabab militants in the town square.", [("al-Shabab", "EXECUTED", "Yusuf Adan", "asserted")]),
    ("Boko Haram stoned two women to death in Borno.", [("Boko Haram", "EXECUTED", "two women", "asserted")]),
    ("ISIS crucified three men in Raqqa.", [("ISIS", "EXECUTED", "three men", "asserted")]),
    ("ISIS drowned five prisoners in a cage.", [("ISIS", "EXECUTED", "five prisoners", "asserted")]),
    ("ISIS fighters shot dead two civilians trying to flee Raqqa.", [("ISIS", "EXECUTED", "two civilians", "asserted")]),
    ("Al-Shabab has publicly beheaded a man accused of spying for Kenya.",
     [("Al-Shabab", "EXECUTED", "man accused of spying for Kenya", "asserted")]),
    ("Boko Haram fighters slit the throats of ten captured soldiers.", [("Boko Haram", "EXECUTED", "ten captured soldiers", "asserted")]),
    ("The Taliban hanged a former police officer in Herat.", [("Taliban", "EXECUTED", "former police officer", "asserted")]),
    ("Sheikh Ali Hamdan was branded an apostate and killed by ISIS.", [("ISIS", "EXECUTED", "Ali Hamdan", "asserted")]),
    ("Abu Bakr al-Baghdadi crushed a mutiny last week. Dozens of the plotters were executed.",
     [("Abu Bakr al-Baghdadi", "EXECUTED", "Dozens of the plotters", "asserted")]),
    # leadership and membership
    ("ISIL leader Abu Bakr al-Baghdadi has not been seen for months.", [("Abu Bakr al-Baghdadi", "LEADER_OF", "ISIL", "asserted")]),
    ("Abu Omar al-Kurdi, the emir of Ansar al-Islam, gave a speech.", [("Abu Omar al-Kurdi", "LEADER_OF", "Ansar al-Islam", "asserted")]),
    ("Iraqi MP Hassan Karim criticised the army.", [("Hassan Karim", "MEMBER_OF", "Iraqi parliament", "asserted")]),
    ("Abu Talha, a commander of al-Shabab, was arrested.", [("Abu Talha", "MEMBER_OF", "al-Shabab", "asserted")]),
    # control and containment
    ("Hawija is still under ISIL control.", [("ISIL", "CONTROLS", "Hawija", "asserted")]),
    ("ISIS lost dozens of fighters near Raqqa, the group's main stronghold.", [("ISIS", "CONTROLS", "Raqqa", "asserted")]),
    ("Al-Shabab seized Barawe and Marka on Monday.",
     [("Al-Shabab", "CONTROLS", "Barawe", "asserted"), ("Al-Shabab", "CONTROLS", "Marka", "asserted")]),
    ("Fighting continued in Sinjar in Nineveh province.", [("Sinjar", "LOCATED_IN", "Nineveh province", "asserted")]),
    # claims
    ("Abu Bakr al-Baghdadi has reportedly fled Mosul.", [("Abu Bakr al-Baghdadi", "FLED_FROM", "Mosul", "reported")]),
    ("Abu Bakr al-Baghdadi fled Mosul, officials said.", [("Abu Bakr al-Baghdadi", "FLED_FROM", "Mosul", "reported")]),
    ("Abu Bakr al-Baghdadi did not flee Mosul.", [("Abu Bakr al-Baghdadi", "FLED_FROM", "Mosul", "negated")]),
]


@pytest.mark.parametrize("text,expected", FOUND, ids=[t[:40] for t, _ in FOUND])
def test_phrasing_gives_the_fact(nlp, text, expected):
    got, _ = facts_of(nlp, f"Report\n\n{text}")
    for s, rel, o, modality in expected:
        assert (normalise(s), rel, normalise(o), modality) in got, got


NOT_FACTS = [
    ("ISIS threatened to execute the hostages.", "EXECUTED"),
    ("ISIS plans to behead the captured soldiers.", "EXECUTED"),
    ("The commanders tried to flee Mosul.", "FLED_FROM"),
    ("Farah surrendered to government troops.", "DEFECTED_TO"),
    ("Twelve ISIS fighters were killed in an airstrike on Raqqa.", "EXECUTED"),
    ("Al-Shabab killed four soldiers in a raid on the base.", "EXECUTED"),
    ("The convoy passed through Tal Afar on its way to Syria.", "FLED_TO"),
    ("The family moved to Erbil last year.", "FLED_TO"),
    ("ISIS fighters left Mosul and withdrew towards the desert.", "FLED_FROM"),
    ("A group loyal to al-Nusra will soon pledge allegiance to ISIS.", "DEFECTED_TO"),
    ("The army launched an operation to retake Mosul.", "CONTROLS"),
    ("Residents hung a banner over the market in Raqqa.", "EXECUTED"),
]


@pytest.mark.parametrize("text,relation", NOT_FACTS, ids=[t[:40] for t, _ in NOT_FACTS])
def test_not_a_fact(nlp, text, relation):
    got, _ = facts_of(nlp, f"Report\n\n{text}")
    assert not [f for f in got if f[1] == relation], got


@pytest.mark.parametrize("text,killer,victim", [
    ("Abu Hamza was executed by ISIS.", "ISIS", "Abu Hamza"),
    ("Twenty ISIS fighters were beheaded by the Taliban.", "Taliban", "Twenty ISIS fighters"),
    ("The Taliban executed Abu Hamza.", "Taliban", "Abu Hamza"),
])
def test_execution_direction_is_never_reversed(nlp, text, killer, victim):
    got, _ = facts_of(nlp, f"Report\n\n{text}", 0.0)
    executed = {(s, o) for s, rel, o, _ in got if rel == "EXECUTED"}
    assert (normalise(killer), normalise(victim)) in executed
    assert (normalise(victim), normalise(killer)) not in executed


def test_negated_flight_gives_no_shortcut_triple(nlp, tmp_path):
    from kg.rdf import document_quads
    from kg.resolve import resolve_mentions

    doc = parse_document("t", "t.txt", "Report\n\nAbu Bakr al-Baghdadi did not flee Mosul, his aides said.")
    ex = extract_document(doc, nlp)
    assert [f.modality.value for f in ex.facts if f.relation.name == "FLED_FROM"] == ["negated"]
    quads, _ = document_quads(ex, resolve_mentions(ex.mentions))
    assert not [q for q in quads if q.predicate.value.endswith("#fledFrom")]
    assert [q for q in quads if q.object.value.endswith("#negated")]


def test_quoted_speaker_and_role_are_kept(nlp):
    _, ex = facts_of(nlp, "Report\n\nAbu Omar al-Shishani fled Raqqa, Iraqi MP Hassan Karim told Reuters.")
    flight = next(f for f in ex.facts if f.relation.name == "FLED_FROM")
    assert flight.modality.value == "reported"
    assert flight.speaker is not None and normalise(flight.speaker.text) == "hassan karim"
    assert flight.speaker_role == "Iraqi MP"


def test_event_dates_keep_their_precision(nlp):
    _, ex = facts_of(nlp, "Report\n\nOn July 9, 2017, Abu Hamza al-Tikriti fled Mosul.")
    assert {(f.date.value, f.date.datatype) for f in ex.facts if f.date} == {("2017-07-09", "date")}
    _, ex = facts_of(nlp, "Report\n\nIn early December, Abu Hamza al-Tikriti fled Mosul.")
    dates = {(f.date.value, f.date.datatype, f.date.qualifier) for f in ex.facts if f.date}
    assert dates == {("--12", "gMonth", "early")}  # no year is invented


def test_relative_dates_need_the_report_date(nlp):
    text = "Report\nSource: https://example.org/news/2017/03/14/story\n\nAbu Hamza al-Tikriti fled Mosul last month."
    _, ex = facts_of(nlp, text)
    assert {f.date.value for f in ex.facts if f.date} == {"2017-02"}
    _, ex = facts_of(nlp, "Report\n\nAbu Hamza al-Tikriti fled Mosul last month.")
    assert not [f for f in ex.facts if f.date]
