"""Entity cards for `kg show`: one entity, found by any of its names, with every claim about it.

A card holds the entity's type and names and each claim in which it takes part, as actor
("out": it fled, it executed, it leads) or as the other side ("in": it was fled from, it was
executed), with the modality, confidence, date, quoted speaker and evidence sentence.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import KGError
from .names import normalise
from .queries import with_prefixes
from .store import query


class EntityNotFound(KGError):
    """No entity in the store has the name asked for."""


@dataclass(frozen=True)
class CardClaim:
    direction: str  # "out" when the entity acts or is the subject, "in" otherwise
    relation: str
    other: str
    modality: str
    confidence: str
    date: str
    speaker: str
    document: str
    sentence: str


@dataclass
class EntityCard:
    iri: str
    kind: str
    label: str
    names: list[str]
    mentions: int
    documents: list[str]
    claims: list[CardClaim] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # other entities with the same name
    geonames: str | None = None  # a place's GeoNames resource, with its coordinates below
    lat: float | None = None
    long: float | None = None


_NAMES = """
SELECT ?e ?name ?kind ?count WHERE {
  ?e rdfs:label|skos:altLabel ?name ; a ?class ; kg:mentionCount ?count .
  VALUES ?class { kg:Person kg:Organization kg:Group kg:Place }
  BIND (STRAFTER(STR(?class), "#") AS ?kind)
}"""

_ENTITY = """
SELECT ?e ?label ?alt ?doc WHERE {
  ?e rdfs:label ?label .
  OPTIONAL { ?e skos:altLabel ?alt }
  OPTIONAL { ?e kg:mentionedIn ?d . ?d dcterms:identifier ?doc }
}"""

# Events name their roles; statements are reified binary relations. Both directions at once.
# (?e is projected in each query because pyoxigraph binds only projected variables.)
_CLAIMS = """
SELECT ?e ?direction ?relation ?other ?modality ?confidence ?date ?speaker ?role ?document ?sentence ?start WHERE {
  {
    ?c kg:agent ?e ; a ?class ; ?r ?o .
    VALUES ?class { kg:Flight kg:Defection kg:Execution }
    VALUES ?r { kg:origin kg:destination kg:fromOrganization kg:toOrganization kg:victim }
    BIND ("out" AS ?direction)
    BIND (CONCAT(LCASE(STRAFTER(STR(?class), "#")), " ", STRAFTER(STR(?r), "#")) AS ?relation)
  } UNION {
    ?c a ?class ; ?r ?e ; kg:agent ?o .
    VALUES ?class { kg:Flight kg:Defection kg:Execution }
    VALUES ?r { kg:origin kg:destination kg:fromOrganization kg:toOrganization kg:victim }
    BIND ("in" AS ?direction)
    BIND (CONCAT(LCASE(STRAFTER(STR(?class), "#")), " ", STRAFTER(STR(?r), "#"), " of") AS ?relation)
  } UNION {
    ?c a kg:Statement ; rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?o .
    BIND ("out" AS ?direction)
    BIND (STRAFTER(STR(?p), "#") AS ?relation)
  } UNION {
    ?c a kg:Statement ; rdf:subject ?o ; rdf:predicate ?p ; rdf:object ?e .
    BIND ("in" AS ?direction)
    BIND (CONCAT(STRAFTER(STR(?p), "#"), " (of)") AS ?relation)
  }
  ?o rdfs:label ?other .
  ?c kg:modality ?m ; kg:confidence ?confidence ; kg:evidence ?s .
  ?m skos:prefLabel ?modality .
  OPTIONAL { ?c kg:date ?date }
  OPTIONAL { ?c kg:claimedBy ?sp . ?sp rdfs:label ?speaker }
  OPTIONAL { ?c kg:speakerRole ?role }
  ?s kg:text ?sentence ; kg:startChar ?start ; kg:inDocument ?d .
  ?d dcterms:identifier ?document .
}"""


def _v(sol, name: str) -> str:
    term = sol[name]
    return "" if term is None else term.value


def find_entity(store: ox.Store, name: str) -> tuple[str, list[str]]:
    """The IRI of the entity a name means (case and punctuation ignored; the most mentioned when
    several share it) and the other entities with that name. Raises EntityNotFound with the
    closest names as a suggestion."""
    wanted = normalise(name)
    by_name: dict[str, dict[str, int]] = {}
    written: dict[str, str] = {}
    for sol in query(store, with_prefixes(_NAMES)):
        key = normalise(_v(sol, "name"))
        by_name.setdefault(key, {})[_v(sol, "e")] = int(_v(sol, "count") or 0)
        written.setdefault(key, _v(sol, "name"))
    hits = by_name.get(wanted)
    if not hits:
        close = difflib.get_close_matches(wanted, list(by_name), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(repr(written[c]) for c in close)}?" if close else ""
        raise EntityNotFound(f"no entity named {name!r} in the store{hint}")
    ranked = sorted(hits, key=lambda iri: (-hits[iri], iri))
    return ranked[0], ranked[1:]


def entity_card(store: ox.Store, name: str) -> EntityCard:
    """Everything the store says about the entity a name means."""
    iri, others = find_entity(store, name)
    node = ox.NamedNode(iri)
    e = ox.Variable("e")
    kind = next((_v(s, "kind") for s in query(store, with_prefixes(_NAMES), substitutions={e: node})), "")
    label, names, docs = "", set(), set()
    mentions = 0
    for sol in query(store, with_prefixes(_ENTITY), substitutions={e: node}):
        label = _v(sol, "label")
        if _v(sol, "alt"):
            names.add(_v(sol, "alt"))
        if _v(sol, "doc"):
            docs.add(_v(sol, "doc"))
    for sol in query(store, with_prefixes("SELECT ?e ?n WHERE { ?e kg:mentionCount ?n }"), substitutions={e: node}):
        mentions = int(_v(sol, "n"))
    geonames = lat = long = None
    for sol in query(store, with_prefixes("SELECT ?e ?gn ?lat ?long WHERE { ?e rdfs:seeAlso ?gn ; geo:lat ?lat ; geo:long ?long }"),
                     substitutions={e: node}):
        geonames, lat, long = _v(sol, "gn"), float(_v(sol, "lat")), float(_v(sol, "long"))
    claims = set()
    for sol in query(store, with_prefixes(_CLAIMS), substitutions={e: node}):
        speaker = _v(sol, "speaker")
        if speaker and _v(sol, "role"):
            speaker = f"{speaker} ({_v(sol, 'role')})"
        claims.add((int(_v(sol, "start")), CardClaim(
            _v(sol, "direction"), _v(sol, "relation"), _v(sol, "other"), _v(sol, "modality"),
            _v(sol, "confidence"), _v(sol, "date"), speaker, _v(sol, "document"), _v(sol, "sentence"))))
    ordered = [c for _, c in sorted(claims, key=lambda sc: (sc[1].document, sc[0], sc[1].relation, sc[1].other))]
    return EntityCard(iri, kind, label, sorted(names), mentions, sorted(docs), ordered, others, geonames, lat, long)
