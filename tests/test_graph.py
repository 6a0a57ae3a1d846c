"""The seed build: the facts a reader of the seeds expects, SHACL conformance, repeatability."""

from pathlib import Path


from kg.build import build
from kg.evaluate import evaluate, read_gold
from kg.queries import library, with_prefixes
from kg.store import dump, open_store, query

from .conftest import DATA, SEEDS

BAGHDADI = "https://w3id.org/newskg/id/person/abu-bakr-al-baghdadi"
ISIL = "https://w3id.org/newskg/id/organization/islamic-state"
MOSUL = "https://w3id.org/newskg/id/place/mosul"


def ask(store_path: Path, sparql: str) -> bool:
    store = open_store(store_path, read_only=True)
    return bool(query(store, with_prefixes(sparql)))


def test_seed_build_is_conformant(seed_build):
    _, report = seed_build
    assert report.documents == 5
    assert report.conforms, [str(v) for v in report.violations]
    assert not report.skipped


def test_baghdadi_fled_mosul_and_leads_isil(seed_store):
    assert ask(seed_store, f"ASK {{ <{BAGHDADI}> kg:fledFrom <{MOSUL}> }}")
    assert ask(seed_store, f"ASK {{ <{BAGHDADI}> kg:leaderOf <{ISIL}> }}")
    assert ask(seed_store, f'ASK {{ <{BAGHDADI}> rdfs:label "Abu Bakr al-Baghdadi" ; a kg:Person }}')


def test_isil_has_one_label_and_its_aliases(seed_store):
    store = open_store(seed_store, read_only=True)
    labels = [s["l"].value for s in query(store, with_prefixes(f"SELECT ?l WHERE {{ <{ISIL}> rdfs:label ?l }}"))]
    alts = {s["a"].value for s in query(store, with_prefixes(f"SELECT ?a WHERE {{ <{ISIL}> skos:altLabel ?a }}"))}
    assert labels == ["Islamic State of Iraq and the Levant"]
    assert {"ISIS", "IS", "ISIL"} <= alts


def test_every_fact_has_evidence_in_its_document(seed_store):
    store = open_store(seed_store, read_only=True)
    rows = list(query(store, with_prefixes("""
        SELECT ?claim ?text ?start ?end ?id WHERE {
          ?claim kg:evidence ?s . ?s kg:text ?text ; kg:startChar ?start ; kg:endChar ?end ; kg:inDocument ?d .
          ?d dcterms:identifier ?id }""")))
    assert rows
    for r in rows:
        source = (SEEDS / f"{r['id'].value}.txt").read_text(encoding="utf-8")
        assert source[int(r["start"].value) : int(r["end"].value)] == r["text"].value


def test_byline_and_outlet_are_not_story_actors(seed_store):
    assert not ask(seed_store, 'ASK { ?e rdfs:label ?l . FILTER(?l IN ("Khalid al-Taie", "Diyaruna", "Bilal Abdul Kareem")) }')
    assert ask(seed_store, 'ASK { ?d dcterms:creator "Khalid al-Taie" }')


def test_who_fled_where_names_mosul(seed_store):
    store = open_store(seed_store, read_only=True)
    rows = list(query(store, with_prefixes(library()["who-fled-where"].text)))
    assert any(r["from"] is not None and r["from"].value == "Mosul" and r["who"].value == "Abu Bakr al-Baghdadi" for r in rows)


def test_rebuild_gives_byte_identical_export(seed_store, tmp_path):
    again = tmp_path / "again"
    build(SEEDS, again)
    a = dump(open_store(seed_store, read_only=True), "nquads")
    b = dump(open_store(again, read_only=True), "nquads")
    assert a == b


def test_removed_document_leaves_the_store(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted(SEEDS.glob("*.txt"))[:2]:
        (folder / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    store = tmp_path / "store"
    build(folder, store)
    first = sorted(folder.glob("*.txt"))[0]
    first.unlink()
    build(folder, store)
    assert not ask(store, f'ASK {{ ?d dcterms:identifier "{first.stem}" }}')


def test_seed_gold_scores(seed_store):
    report = evaluate(open_store(seed_store, read_only=True), read_gold(DATA / "seeds-gold.tsv"))
    # the target for the seed gold; the measured figures are in the README
    assert report.total.precision >= 0.90
    assert report.total.f1 >= 0.90
    # no execution with its direction reversed (or any other wrong execution)
    assert report.by_relation["EXECUTED"].fp == 0


def test_short_forms_and_transliterations_are_one_node(seed_store):
    store = open_store(seed_store, read_only=True)
    rows = query(store, with_prefixes("SELECT ?l ?a WHERE { ?e rdfs:label ?l ; skos:altLabel ?a }"))
    names: dict[str, set[str]] = {}
    for r in rows:
        names.setdefault(r["l"].value, set()).add(r["a"].value)
    assert {"al-Sharifi"} <= names["Ahmed al-Sharifi"]
    assert {"al-Raqa", "Ar Raqqa"} <= names["Raqqa"]
    assert "Mamuzini" in names["Said Mamuzini"]
