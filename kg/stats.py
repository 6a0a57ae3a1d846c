"""`kg stats`: what the built graph holds, counted by the store itself.

>>> import pyoxigraph as ox
>>> graph_stats(ox.Store())["triples"]
0
"""

from __future__ import annotations

import pyoxigraph as ox

from .model import Relation
from .queries import with_prefixes
from .store import query

_COUNTS = """
SELECT ?what ?name (COUNT(DISTINCT ?x) AS ?n) WHERE {
  {
    ?x a ?class . VALUES ?class { kg:Document kg:Sentence }
    BIND ("items" AS ?what) BIND (STRAFTER(STR(?class), "#") AS ?name)
  } UNION {
    ?x a ?class . VALUES ?class { kg:Person kg:Organization kg:Group kg:Place }
    BIND ("entities" AS ?what) BIND (STRAFTER(STR(?class), "#") AS ?name)
  } UNION {
    ?x a ?class ; kg:modality ?m . VALUES ?class { kg:Flight kg:Defection kg:Execution kg:Statement }
    BIND ("claims" AS ?what) BIND (CONCAT(STRAFTER(STR(?class), "#"), " ", STRAFTER(STR(?m), "#")) AS ?name)
  } UNION {
    ?x kg:date ?d . BIND ("dated" AS ?what) BIND ("dated claims" AS ?name)
  }
}
GROUP BY ?what ?name
ORDER BY ?what ?name"""


def graph_stats(store: ox.Store) -> dict:
    """Counts of documents, sentences, entities by type, claims by kind and modality, binary
    facts by relation, named graphs and triples."""
    out: dict = {"items": {}, "entities": {}, "claims": {}, "facts": {}, "dated": {}}
    for sol in query(store, with_prefixes(_COUNTS)):
        out[sol["what"].value][sol["name"].value] = int(sol["n"].value)
    props = " ".join(f"kg:{r.value}" for r in Relation)
    facts = f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {props} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?p ORDER BY ?p"
    for sol in query(store, with_prefixes(facts)):
        out["facts"][sol["p"].value.rsplit("#", 1)[-1]] = int(sol["n"].value)
    items = out.pop("items")
    dated = out.pop("dated")
    return {
        "documents": items.get("Document", 0),
        "sentences": items.get("Sentence", 0),
        "entities": out["entities"],
        "claims": out["claims"],
        "dated_claims": dated.get("dated claims", 0),
        "facts": out["facts"],
        "graphs": len(list(store.named_graphs())),
        "triples": len(store),
    }
