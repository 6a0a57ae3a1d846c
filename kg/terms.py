"""Ontology terms as a closed rdflib namespace, so a misspelt term fails at import or call time.

>>> str(KG.fledFrom)
'https://w3id.org/newskg/ontology#fledFrom'
>>> KG.fledFrm
Traceback (most recent call last):
...
AttributeError: term 'fledFrm' not in namespace 'https://w3id.org/newskg/ontology#'
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace

ONTOLOGY_IRI = "https://w3id.org/newskg/ontology"
RESOURCE = Namespace("https://w3id.org/newskg/id/")


class KG(DefinedNamespace):
    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes
    Agent: URIRef
    Person: URIRef
    Organization: URIRef
    Group: URIRef
    Place: URIRef
    Outlet: URIRef
    Document: URIRef
    Sentence: URIRef
    Claim: URIRef
    Statement: URIRef
    Event: URIRef
    Flight: URIRef
    Defection: URIRef
    Execution: URIRef
    Modality: URIRef
    # modality individuals
    asserted: URIRef
    reported: URIRef
    negated: URIRef
    # binary relations
    fledFrom: URIRef
    fledTo: URIRef
    defectedFrom: URIRef
    defectedTo: URIRef
    executed: URIRef
    leaderOf: URIRef
    memberOf: URIRef
    controls: URIRef
    locatedIn: URIRef
    # event roles
    agent: URIRef
    origin: URIRef
    destination: URIRef
    fromOrganization: URIRef
    toOrganization: URIRef
    victim: URIRef
    # claim detail and provenance
    evidence: URIRef
    modality: URIRef
    confidence: URIRef
    claimedBy: URIRef
    speakerRole: URIRef
    date: URIRef
    datePrecision: URIRef
    dateText: URIRef
    trigger: URIRef
    inDocument: URIRef
    startChar: URIRef
    endChar: URIRef
    text: URIRef
    mentionedIn: URIRef
    mentionCount: URIRef
    documentCount: URIRef
    contentHash: URIRef


# Named graphs: the ontology, the resolved entities, and one per document.
ONTOLOGY_GRAPH = URIRef(RESOURCE["graph/ontology"])
ENTITIES_GRAPH = URIRef(RESOURCE["graph/entities"])


def document_graph(doc_id: str) -> URIRef:
    return URIRef(RESOURCE[f"graph/doc/{doc_id}"])


PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "kgr": str(RESOURCE),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "gn": "http://www.geonames.org/ontology#",
}
