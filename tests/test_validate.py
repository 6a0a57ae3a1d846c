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


def test_wrong_typed_object_is_reported():
    store = ox.Store()
    load_ontology(store)
    g = ox.NamedNode(ID + "graph/entities")
    store.extend(entity("person/a", "Person", "A", g) + entity("organization/b", "Organization", "B", g))
    store.add(ox.Quad(ox.NamedNode(ID + "person/a"), ox.NamedNode(KG + "fledFrom"), ox.NamedNode(ID + "organization/b"), g))
    report = validate_store(store)
    assert not report.conforms
    assert any("fledFrom must point to a Place" in v.message and v.focus == ID + "person/a" for v in report.violations)


def test_entity_with_two_labels_is_reported():
    store = ox.Store()
    load_ontology(store)
    g = ox.NamedNode(ID + "graph/entities")
    store.extend(entity("place/x", "Place", "X", g))
    store.add(ox.Quad(ox.NamedNode(ID + "place/x"), LABEL, ox.Literal("Y"), g))
    report = validate_store(store)
    assert not report.conforms
    assert any("exactly one" in v.message for v in report.violations)


def test_clean_graph_conforms():
    store = ox.Store()
    load_ontology(store)
    g = ox.NamedNode(ID + "graph/entities")
    store.extend(entity("person/a", "Person", "A", g) + entity("place/m", "Place", "M", g))
    store.add(ox.Quad(ox.NamedNode(ID + "person/a"), ox.NamedNode(KG + "fledFrom"), ox.NamedNode(ID + "place/m"), g))
    assert validate_store(store).conforms
