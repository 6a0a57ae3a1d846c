"""SHACL: a wrong-typed fact is reported with its node and message."""

import pyoxigraph as ox

from kg.store import load_ontology
from kg.validate import validate_store

KG = "https://w3id.org/newskg/ontology#"
ID = "https://w3id.org/newskg/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


def entity(iri, cls, label, g):
    return [ox.Quad(ox.NamedNode(ID + iri), RDF_TYPE, ox.NamedNode(KG + cls), g),
            ox.Quad(ox.NamedNode(ID + iri), LABEL, ox.Literal(label), g)]


def graph_with(*entities, fact=None) -> ox.Store:
    """An in-memory store with the ontology, some entities and at most one binary fact."""
    store = ox.Store()
    load_ontology(store)
    g = ox.NamedNode(ID + "graph/entities")
    for iri, cls, label in entities:
        store.extend(entity(iri, cls, label, g))
    if fact:
        s, p, o = fact
        store.add(ox.Quad(ox.NamedNode(ID + s), ox.NamedNode(KG + p), ox.NamedNode(ID + o), g))
    return store


def test_wrong_typed_object_is_reported():
    store = graph_with(("person/a", "Person", "A"), ("organization/b", "Organization", "B"), fact=("person/a", "fledFrom", "organization/b"))
    report = validate_store(store)
    assert not report.conforms
    assert any("fledFrom must point to a Place" in v.message and v.focus == ID + "person/a" for v in report.violations)


def test_entity_with_two_labels_is_reported():
    store = graph_with(("place/x", "Place", "X"))
    store.add(ox.Quad(ox.NamedNode(ID + "place/x"), LABEL, ox.Literal("Y"), ox.NamedNode(ID + "graph/entities")))
    report = validate_store(store)
    assert not report.conforms
    assert any("exactly one" in v.message for v in report.violations)


def test_clean_graph_conforms():
    store = graph_with(("person/a", "Person", "A"), ("place/m", "Place", "M"), fact=("person/a", "fledFrom", "place/m"))
    assert validate_store(store).conforms


def test_parts_validated_in_worker_processes_report_each_violation_once():
    from kg.validate import validate_parts

    bad = graph_with(("person/a", "Person", "A"), ("organization/b", "Organization", "B"), fact=("person/a", "fledFrom", "organization/b"))
    good = graph_with(("person/c", "Person", "C"), ("place/m", "Place", "M"), fact=("person/c", "fledFrom", "place/m"))
    parts = [list(good), list(bad), list(bad)]  # the same entity in two parts, as shared entities are
    report = validate_parts(parts, workers=2)
    assert not report.conforms
    flagged = [v for v in report.violations if "fledFrom must point to a Place" in v.message]
    assert [v.focus for v in flagged] == [ID + "person/a"]
    assert validate_parts([list(good), list(good)], workers=2).conforms


def test_an_entity_of_two_kinds_is_reported_by_the_build_validator():
    from kg.validate import validate_parts

    store = graph_with(("person/a", "Person", "A"))
    g = ox.NamedNode(ID + "graph/entities")
    a = ox.NamedNode(ID + "person/a")
    store.add(ox.Quad(a, ox.NamedNode(KG + "mentionedIn"), ox.NamedNode(ID + "doc/d"), g))
    assert validate_parts([list(store)]).conforms
    store.add(ox.Quad(a, RDF_TYPE, ox.NamedNode(KG + "Place"), g))
    report = validate_parts([list(store)])
    assert not report.conforms
    assert any("exactly one of Person" in v.message and v.focus == ID + "person/a" for v in report.violations)


def test_plain_strings_in_closed_lists_pass_the_build_validator(seed_store):
    """datePrecision 'day' is a plain string in the shapes' sh:in list; the build's own
    conversion to rdflib must keep it one, or every dated claim would be a violation."""
    from kg.validate import validate_parts

    st = ox.Store.read_only(str(seed_store))
    quads = list(st.quads_for_pattern(None, None, None, None))
    assert any(q.predicate.value == KG + "datePrecision" for q in quads)
    assert validate_parts([quads]).conforms
