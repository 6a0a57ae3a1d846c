"""Extractions and resolved entities as RDF quads (pure: no I/O).

Each document's quads go to its own named graph: the document, its evidence sentences, its
claims (events and statements) and the binary shortcut triples of the claims that are not
negated and reach the confidence threshold. Entity types and names go to the entities graph,
since one entity is named by many documents.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import product

from pyoxigraph import Literal, NamedNode, Quad

from .geocode import Location
from .model import Entity, Extraction, Fact, Kind, Modality, Relation, Sentence
from .resolve import Resolution
from .terms import ENTITIES_GRAPH, KG, PREFIXES, RESOURCE, document_graph

RDF_TYPE = NamedNode(PREFIXES["rdf"] + "type")
RDF_SUBJECT = NamedNode(PREFIXES["rdf"] + "subject")
RDF_PREDICATE = NamedNode(PREFIXES["rdf"] + "predicate")
RDF_OBJECT = NamedNode(PREFIXES["rdf"] + "object")
RDFS_LABEL = NamedNode(PREFIXES["rdfs"] + "label")
SKOS_HIDDEN = NamedNode(PREFIXES["skos"] + "hiddenLabel")
SKOS_ALT = NamedNode(PREFIXES["skos"] + "altLabel")
PROV_DERIVED = NamedNode(PREFIXES["prov"] + "wasDerivedFrom")
RDFS_SEE_ALSO = NamedNode(PREFIXES["rdfs"] + "seeAlso")
GEO_LAT = NamedNode(PREFIXES["geo"] + "lat")
GEO_LONG = NamedNode(PREFIXES["geo"] + "long")
GN_COUNTRY = NamedNode(PREFIXES["gn"] + "countryCode")
GN_FEATURE_CLASS = NamedNode(PREFIXES["gn"] + "featureClass")
# GeoNames' feature classes: A for a country (an administrative area), P for a populated place
FEATURE_CLASS = {"country": NamedNode(PREFIXES["gn"] + "A"), "city": NamedNode(PREFIXES["gn"] + "P")}
DC = PREFIXES["dcterms"]
XSD = PREFIXES["xsd"]

EVENT_CLASS = {
    Relation.FLED_FROM: KG.Flight, Relation.FLED_TO: KG.Flight,
    Relation.DEFECTED_FROM: KG.Defection, Relation.DEFECTED_TO: KG.Defection,
    Relation.EXECUTED: KG.Execution,
}
ROLE = {
    Relation.FLED_FROM: KG.origin, Relation.FLED_TO: KG.destination,
    Relation.DEFECTED_FROM: KG.fromOrganization, Relation.DEFECTED_TO: KG.toOrganization,
    Relation.EXECUTED: KG.victim,
}
# Which argument kinds each relation accepts (the SHACL shapes say the same).
DOMAIN = {
    Relation.LEADER_OF: {Kind.PERSON}, Relation.MEMBER_OF: {Kind.PERSON, Kind.GROUP},
    Relation.LOCATED_IN: {Kind.PLACE},
}
RANGE = {
    Relation.FLED_FROM: {Kind.PLACE}, Relation.FLED_TO: {Kind.PLACE}, Relation.CONTROLS: {Kind.PLACE},
    Relation.LOCATED_IN: {Kind.PLACE}, Relation.DEFECTED_FROM: {Kind.ORGANIZATION},
    Relation.DEFECTED_TO: {Kind.ORGANIZATION}, Relation.LEADER_OF: {Kind.ORGANIZATION},
    Relation.MEMBER_OF: {Kind.ORGANIZATION}, Relation.EXECUTED: {Kind.PERSON, Kind.GROUP},
}
AGENT_KINDS = {Kind.PERSON, Kind.ORGANIZATION, Kind.GROUP}


def n(term) -> NamedNode:
    return NamedNode(str(term))


def lit(value, datatype: str | None = None) -> Literal:
    if datatype:
        return Literal(str(value), datatype=NamedNode(XSD + datatype))
    return Literal(str(value))


def doc_iri(doc_id: str) -> NamedNode:
    return NamedNode(str(RESOURCE[f"doc/{doc_id}"]))


def sentence_iri(s: Sentence) -> NamedNode:
    return NamedNode(str(RESOURCE[f"doc/{s.doc_id}/sentence/{s.index}"]))


def fits(relation: Relation, subject: Entity, obj: Entity) -> bool:
    """Whether a fact's arguments have the kinds its relation takes (after resolution)."""
    return subject.kind in DOMAIN.get(relation, AGENT_KINDS) and obj.kind in RANGE[relation]


def _claim_iri(doc_id: str, *parts: str) -> NamedNode:
    digest = hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:16]
    return NamedNode(str(RESOURCE[f"claim/{doc_id}/{digest}"]))


def document_quads(ex: Extraction, resolution: Resolution, *, min_confidence: float = 0.0) -> tuple[list[Quad], list[str]]:
    """The quads of one document's graph, and a note for each fact dropped as ill-typed."""
    doc = ex.document
    g = n(document_graph(doc.id))
    quads: list[Quad] = []
    dropped: list[str] = []

    def add(s, p, o) -> None:
        quads.append(Quad(s, n(p) if not isinstance(p, NamedNode) else p, o, g))

    d = doc_iri(doc.id)
    add(d, RDF_TYPE, n(KG.Document))
    add(d, NamedNode(DC + "identifier"), lit(doc.id))
    add(d, n(KG.contentHash), lit(doc.sha256))
    if doc.title:
        add(d, NamedNode(DC + "title"), lit(doc.title))
    if doc.creator:
        add(d, NamedNode(DC + "creator"), lit(doc.creator))
    if doc.source:
        try:
            add(d, NamedNode(DC + "source"), NamedNode(doc.source))
        except ValueError:
            add(d, NamedNode(DC + "source"), lit(doc.source))
    if doc.date:
        add(d, NamedNode(DC + "date"), lit(doc.date))

    for iri in sorted({resolution.entity_of(m).iri for m in ex.mentions}):
        add(NamedNode(iri), n(KG.mentionedIn), d)

    facts = []
    for f in ex.facts:
        s, o = resolution.entity_of(f.subject), resolution.entity_of(f.object)
        if not fits(f.relation, s, o):
            dropped.append(f"{doc.id}: {s.label} {f.relation.value} {o.label}: {s.kind.value} -> {o.kind.value} does not fit the relation")
            continue
        facts.append(f)

    sentences = {}
    for f in facts:
        sentences[f.sentence.index] = f.sentence
    for s in (sentences[i] for i in sorted(sentences)):
        si = sentence_iri(s)
        add(si, RDF_TYPE, n(KG.Sentence))
        add(si, n(KG.text), lit(s.text))
        add(si, n(KG.startChar), lit(s.start, "integer"))
        add(si, n(KG.endChar), lit(s.end, "integer"))
        add(si, n(KG.inDocument), d)

    events: dict[tuple, list[Fact]] = defaultdict(list)
    for f in facts:
        if f.relation in EVENT_CLASS:
            events[(f.event, EVENT_CLASS[f.relation], resolution.entity_of(f.subject).iri)].append(f)
        else:
            _statement(f, resolution, d, add, min_confidence)
    for (event, cls, agent_iri), group in sorted(events.items(), key=lambda kv: (kv[0][0] or "", str(kv[0][1]), kv[0][2])):
        _events(group, cls, agent_iri, resolution, d, add, min_confidence)
    return quads, dropped


def _claim_detail(claim: NamedNode, facts: list[Fact], resolution: Resolution, d: NamedNode, add) -> tuple[Modality, float]:
    first = facts[0]
    modality = first.modality
    confidence = min(f.confidence for f in facts)
    add(claim, n(KG.evidence), sentence_iri(first.sentence))
    add(claim, PROV_DERIVED, d)
    add(claim, n(KG.modality), n(getattr(KG, modality.value)))
    add(claim, n(KG.confidence), lit(f"{confidence:.2f}", "decimal"))
    add(claim, n(KG.trigger), lit(first.trigger))
    when = next((f.date for f in facts if f.date is not None), None)
    if when is not None:
        add(claim, n(KG.date), lit(when.value, when.datatype))
        add(claim, n(KG.datePrecision), lit(when.precision))
        add(claim, n(KG.dateText), lit(when.text))
    if first.speaker is not None:
        add(claim, n(KG.claimedBy), NamedNode(resolution.entity_of(first.speaker).iri))
        if first.speaker_role:
            add(claim, n(KG.speakerRole), lit(first.speaker_role))
    return modality, confidence


def _statement(f: Fact, resolution: Resolution, d: NamedNode, add, min_confidence: float) -> None:
    s = NamedNode(resolution.entity_of(f.subject).iri)
    o = NamedNode(resolution.entity_of(f.object).iri)
    p = n(getattr(KG, f.relation.value))
    claim = _claim_iri(f.sentence.doc_id, "statement", str(f.sentence.index), f.relation.value, s.value, o.value)
    add(claim, RDF_TYPE, n(KG.Statement))
    add(claim, RDF_SUBJECT, s)
    add(claim, RDF_PREDICATE, p)
    add(claim, RDF_OBJECT, o)
    modality, confidence = _claim_detail(claim, [f], resolution, d, add)
    if modality is not Modality.NEGATED and confidence >= min_confidence:
        add(s, p, o)


def _events(group: list[Fact], cls, agent_iri: str, resolution: Resolution, d: NamedNode, add, min_confidence: float) -> None:
    """One event node per combination of roles: a flight from A to B is one node with both."""
    by_role: dict = defaultdict(list)
    for f in group:
        by_role[ROLE[f.relation]].append(f)
    if cls == KG.Execution:
        combos = [(f,) for f in by_role[KG.victim]]
    else:
        first_role, second_role = (KG.origin, KG.destination) if cls == KG.Flight else (KG.fromOrganization, KG.toOrganization)
        firsts = by_role.get(first_role) or [None]
        seconds = by_role.get(second_role) or [None]
        combos = [tuple(x for x in pair if x is not None) for pair in product(firsts, seconds)]
    agent = NamedNode(agent_iri)
    for combo in combos:
        parts = [f"{f.relation.value}={resolution.entity_of(f.object).iri}" for f in combo]
        claim = _claim_iri(combo[0].sentence.doc_id, combo[0].event or "", str(cls), agent_iri, *parts)
        add(claim, RDF_TYPE, n(cls))
        add(claim, n(KG.agent), agent)
        for f in combo:
            add(claim, n(ROLE[f.relation]), NamedNode(resolution.entity_of(f.object).iri))
        modality, confidence = _claim_detail(claim, list(combo), resolution, d, add)
        if modality is not Modality.NEGATED and confidence >= min_confidence:
            for f in combo:
                add(agent, n(getattr(KG, f.relation.value)), NamedNode(resolution.entity_of(f.object).iri))


def entity_quads(entities: Iterable[Entity], locations: dict[str, Location] | None = None,
                 document_counts: dict[str, int] | None = None) -> Iterator[Quad]:
    """Each entity's type, names and mention count; for a place GeoNames knows (kg.geocode),
    its coordinates and GeoNames IRI. rdfs:seeAlso, not owl:sameAs: the match is made by name,
    and a wrong owl:sameAs would merge the two resources for every reasoner that reads it."""
    g = n(ENTITIES_GRAPH)
    locations = locations or {}
    for e in sorted(entities, key=lambda e: e.iri):
        s = NamedNode(e.iri)
        yield Quad(s, RDF_TYPE, n(getattr(KG, e.kind.value)), g)
        yield Quad(s, RDFS_LABEL, lit(e.label), g)
        for alt in e.alt_labels:
            yield Quad(s, SKOS_ALT, lit(alt), g)
        # every name in lower case, so a query finds an entity by any name in any case with an
        # index lookup instead of a scan of every label (see kg.queries.bind)
        for key in sorted({name.lower() for name in (e.label, *e.alt_labels)}):
            yield Quad(s, SKOS_HIDDEN, lit(key), g)
        yield Quad(s, n(KG.mentionCount), lit(e.mentions, "integer"), g)
        if document_counts is not None and e.iri in document_counts:
            # counted once here, so "most mentioned" need not count every entity's documents per query
            yield Quad(s, n(KG.documentCount), lit(document_counts[e.iri], "integer"), g)
        loc = locations.get(e.iri)
        if loc is not None:
            yield Quad(s, GEO_LAT, lit(f"{loc.lat:.5f}", "decimal"), g)
            yield Quad(s, GEO_LONG, lit(f"{loc.long:.5f}", "decimal"), g)
            yield Quad(s, RDFS_SEE_ALSO, NamedNode(loc.iri), g)
            yield Quad(s, GN_COUNTRY, lit(loc.country_code), g)
            yield Quad(s, GN_FEATURE_CLASS, FEATURE_CLASS[loc.feature], g)


def used_entities(extractions: Iterable[Extraction], resolution: Resolution) -> list[Entity]:
    keys = {resolution.key_of[(m.doc_id, m.key)] for ex in extractions for m in ex.mentions}
    return [resolution.entities[k] for k in sorted(keys)]


__all__ = ["document_quads", "entity_quads", "used_entities", "fits", "doc_iri"]
