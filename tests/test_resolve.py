from kg.extract.context import normalise
from kg.model import Kind, Mention
from kg.resolve import resolve_mentions


def m(doc, text, kind, key=None, gid=None, start=0):
    return Mention(doc, start, start + len(text), text, kind, key or normalise(text), gid)


def test_gazetteer_aliases_are_one_entity_with_fullest_label():
    a = m("d1", "ISIS", Kind.ORGANIZATION, "gaz:islamic-state", "islamic-state")
    b = m("d2", "IS", Kind.ORGANIZATION, "gaz:islamic-state", "islamic-state")
    r = resolve_mentions([a, b])
    e = r.entity_of(a)
    assert e is r.entity_of(b)
    assert e.label == "Islamic State of Iraq and the Levant"
    assert set(e.alt_labels) == {"ISIS", "IS"}
    assert e.iri.endswith("organization/islamic-state")


def test_surname_in_another_document_joins_the_full_name():
    full = m("d1", "Ahmed al-Sharifi", Kind.PERSON)
    short = m("d2", "al-Sharifi", Kind.ORGANIZATION)
    other = m("d3", "Sharifi Group", Kind.ORGANIZATION)
    r = resolve_mentions([full, short, other])
    assert r.entity_of(short) is r.entity_of(full)
    assert r.entity_of(full).kind is Kind.PERSON
    assert r.entity_of(other) is not r.entity_of(full)


def test_ambiguous_surname_stays_apart():
    a = m("d1", "Ahmed Hassan", Kind.PERSON)
    b = m("d1", "Ali Hassan", Kind.PERSON, start=30)
    c = m("d2", "Hassan", Kind.PERSON)
    r = resolve_mentions([a, b, c])
    assert r.entity_of(c) is not r.entity_of(a) and r.entity_of(c) is not r.entity_of(b)


def test_unnamed_groups_are_scoped_to_their_document():
    a = m("d1", "ISIL fighters", Kind.GROUP, "group:d1:isil fighters")
    b = m("d2", "ISIL fighters", Kind.GROUP, "group:d2:isil fighters")
    r = resolve_mentions([a, b])
    assert r.entity_of(a).iri != r.entity_of(b).iri
    assert "/group/d1/" in r.entity_of(a).iri


def test_iris_are_deterministic():
    ms = [m("d1", "Said Mamuzini", Kind.PERSON), m("d2", "Mamuzini", Kind.PERSON)]
    assert resolve_mentions(ms).entity_of(ms[1]).iri == resolve_mentions(list(reversed(ms))).entity_of(ms[1]).iri


def test_one_person_named_three_ways_in_two_documents_is_one_node(tmp_path):
    from kg.build import build
    from kg.store import open_store, query
    from kg.queries import with_prefixes

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Commander flees\n\nAbu Hamza al-Tikriti, a senior commander of ISIS, fled Mosul on Monday. "
        "Witnesses said he took a convoy of trucks.\n", encoding="utf-8")
    (corpus / "b.txt").write_text(
        "Commander reaches Syria\n\nAl-Tikriti escaped to Syria last week, officials said. "
        "Local people say Tikriti's men executed three prisoners before they left.\n", encoding="utf-8")
    report = build(corpus, tmp_path / "store")
    assert report.conforms
    store = open_store(tmp_path / "store", read_only=True)
    rows = list(query(store, with_prefixes("""
        SELECT DISTINCT ?p ?label WHERE {
          ?p kg:fledFrom ?from ; kg:fledTo ?to ; rdfs:label ?label .
          ?from rdfs:label "Mosul" . ?to rdfs:label "Syria" .
        }""")))
    assert [r["label"].value for r in rows] == ["Abu Hamza al-Tikriti"]
    names = {r["n"].value for r in query(store, with_prefixes(f"SELECT ?n WHERE {{ <{rows[0]['p'].value}> skos:altLabel ?n }}"))}
    assert {"al-Tikriti", "Al-Tikriti"} & names
    people = list(query(store, with_prefixes("SELECT ?p WHERE { ?p a kg:Person ; rdfs:label ?l . FILTER(CONTAINS(LCASE(?l), 'tikriti')) }")))
    assert len(people) == 1
