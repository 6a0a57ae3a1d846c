"""`kg report`: the graph as one self-contained HTML page, a network, a map and a timeline.

Everything the page needs is inside it: the data as JSON, vis-network (from the `pyvis`
package, which ships its minified build) and the page's own script and styles (kg/data/report.*).
It opens from a file with the network off, and writing it twice from one store gives the same
bytes.

The page holds every entity and every claim of the store, whatever its confidence, so nothing
is lost to a default; the viewer's filters (relation, document, confidence, negated claims)
decide what is drawn.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError, KGError
from .model import Relation
from .rdf import ROLE
from .resources import DATA_DIR
from .store import document_graphs
from .terms import ENTITIES_GRAPH, ONTOLOGY_GRAPH, PREFIXES

VIS_VERSION = "9.1.2"
# What each role of an event is called as an edge of the network: the relation kg.rdf maps to it.
ROLE_RELATION = {str(role).rsplit("#", 1)[-1]: relation.value for relation, role in ROLE.items()}
_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


@dataclass(frozen=True)
class ReportSummary:
    """What `kg report` wrote, for the CLI's one-line summary and for tests."""

    path: Path
    bytes: int
    entities: int
    claims: int
    located: int
    unlocated: int
    dated: int


def _vis_assets() -> tuple[str, str]:
    """vis-network's script and styles as the `pyvis` package installs them (found without
    importing pyvis, which would pull in IPython for nothing)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise KGError("the report needs the 'pyvis' package for its network view; reinstall kg (make install)")
    folder = Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib" / f"vis-{VIS_VERSION}"
    try:
        return (folder / "vis-network.min.js").read_text("utf-8"), (folder / "vis-network.css").read_text("utf-8")
    except OSError as exc:
        raise KGError(f"vis-network {VIS_VERSION} is missing from the pyvis package ({exc}); reinstall kg (make install)") from exc


def _value(term) -> str | None:
    return None if term is None else term.value


def _rows(store, sparql: str):
    return store.query(_PREFIXES + sparql, use_default_graph_as_union=True)


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def gather(store: ox.Store) -> dict:
    """The report's data, read from the store: plain lists and dicts, sorted so the page repeats."""
    docs = document_graphs(store)
    if not docs:
        raise InputError("the store holds no documents: run `kg build` first")
    documents = {}
    for r in _rows(store, """
        SELECT ?d ?id ?title ?date ?source WHERE {
          ?d a kg:Document ; dcterms:identifier ?id
          OPTIONAL { ?d dcterms:title ?title } OPTIONAL { ?d dcterms:date ?date } OPTIONAL { ?d dcterms:source ?source } }"""):
        documents[r["d"].value] = {"id": r["id"].value, "title": _value(r["title"]), "date": _value(r["date"]),
                                   "source": _value(r["source"])}

    entities: dict[str, dict] = {}
    for r in store.query(_PREFIXES + f"""
        SELECT ?e ?kind ?label ?count ?lat ?long ?gn ?cc ?fc WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{
          ?e a ?kind ; rdfs:label ?label ; kg:mentionCount ?count
          OPTIONAL {{ ?e geo:lat ?lat ; geo:long ?long ; rdfs:seeAlso ?gn ; gn:countryCode ?cc ; gn:featureClass ?fc }} }} }}"""):
        e = {"id": r["e"].value, "kind": _short(r["kind"].value), "label": r["label"].value, "aliases": [],
             "mentions": int(r["count"].value), "docs": []}
        if r["lat"] is not None:
            e["geo"] = {"lat": float(r["lat"].value), "long": float(r["long"].value), "geonames": r["gn"].value,
                        "country": r["cc"].value, "feature": "country" if r["fc"].value.endswith("#A") else "city"}
        entities[e["id"]] = e
    for r in store.query(_PREFIXES + f"SELECT ?e ?a WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?e skos:altLabel ?a }} }}"):
        if r["e"].value in entities:
            entities[r["e"].value]["aliases"].append(r["a"].value)
    for r in _rows(store, "SELECT ?e ?d WHERE { ?e kg:mentionedIn ?d }"):
        if r["e"].value in entities and r["d"].value in documents:
            entities[r["e"].value]["docs"].append(documents[r["d"].value]["id"])

    claims: dict[str, dict] = {}
    for r in _rows(store, """
        SELECT ?c ?cls ?mod ?conf ?d ?text ?start ?end ?trigger ?date ?dateText ?precision ?speaker ?role WHERE {
          ?c kg:evidence ?s ; a ?cls ; kg:modality ?mod ; kg:confidence ?conf ; prov:wasDerivedFrom ?d .
          ?s kg:text ?text ; kg:startChar ?start ; kg:endChar ?end .
          OPTIONAL { ?c kg:trigger ?trigger } OPTIONAL { ?c kg:date ?date ; kg:dateText ?dateText ; kg:datePrecision ?precision }
          OPTIONAL { ?c kg:claimedBy ?speaker } OPTIONAL { ?c kg:speakerRole ?role } }"""):
        doc = documents.get(r["d"].value)
        if doc is None:
            continue
        claims[r["c"].value] = {
            "id": r["c"].value, "type": _short(r["cls"].value), "modality": _short(r["mod"].value),
            "confidence": float(r["conf"].value), "doc": doc["id"], "sentence": r["text"].value,
            "start": int(r["start"].value), "end": int(r["end"].value), "trigger": _value(r["trigger"]) or "",
            "date": _value(r["date"]), "dateText": _value(r["dateText"]), "precision": _value(r["precision"]),
            "speaker": _value(r["speaker"]), "speakerRole": _value(r["role"]), "edges": []}
    # a statement is one edge; an event one edge per role (a flight from A to B: two arrows, one claim)
    for r in _rows(store, """
        SELECT ?c ?s ?p ?o WHERE { ?c a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }"""):
        if r["c"].value in claims:
            claims[r["c"].value]["edges"].append([r["s"].value, _short(r["p"].value), r["o"].value])
    roles = " ".join(f"kg:{role}" for role in ROLE_RELATION)
    for r in _rows(store, f"SELECT ?c ?a ?role ?x WHERE {{ VALUES ?role {{ {roles} }} ?c kg:agent ?a ; ?role ?x }}"):
        if r["c"].value in claims:
            claims[r["c"].value]["edges"].append([r["a"].value, ROLE_RELATION[_short(r["role"].value)], r["x"].value])
    # an event with no other party (an execution whose victim the text does not name) still has its agent
    for r in _rows(store, "SELECT ?c ?a WHERE { ?c kg:agent ?a }"):
        c = claims.get(r["c"].value)
        if c is not None and not c["edges"]:
            c["agent"] = r["a"].value
    for c in claims.values():
        c["edges"].sort()

    for e in entities.values():
        e["aliases"].sort()
        e["docs"].sort()
    # the relations' names as the ontology in the store gives them ("fled from")
    labels = {r["p"].value.rsplit("#", 1)[-1]: r["l"].value for r in store.query(
        _PREFIXES + f"SELECT ?p ?l WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?p a owl:ObjectProperty ; rdfs:label ?l }} }}")}
    return {
        "documents": sorted(documents.values(), key=lambda d: d["id"]),
        "entities": sorted(entities.values(), key=lambda e: (e["kind"], e["label"].lower(), e["id"])),
        "claims": sorted(claims.values(), key=lambda c: (c["doc"], c["start"], c["type"], c["id"])),
        "relations": {r.value: labels.get(r.value, r.value) for r in Relation},
    }


def base_map(entities: list[dict]) -> dict:
    """What the map draws under the places: towns and country names of GeoNames inside the
    located places' bounding box, so the coastlines and borders show as where people live."""
    from .geocode import Gazetteer

    points = [e["geo"] for e in entities if "geo" in e]
    if not points:
        return {"bounds": None, "towns": [], "countries": []}
    south, north = min(p["lat"] for p in points), max(p["lat"] for p in points)
    west, east = min(p["long"] for p in points), max(p["long"] for p in points)
    # at least 8 degrees each way, and a margin, so one city is shown among its neighbours
    pad_lat, pad_long = max(4.0, (north - south) * 0.15), max(4.0, (east - west) * 0.15)
    bounds = [max(-85.0, south - pad_lat), min(85.0, north + pad_lat), max(-180.0, west - pad_long), min(180.0, east + pad_long)]
    g = Gazetteer.open()
    return {"bounds": [round(b, 3) for b in bounds], "towns": g.towns_within(*bounds, limit=6000),
            "countries": g.countries_within(*bounds)}


def render(data: dict, *, title: str = "kg report") -> str:
    """The page: template, styles and scripts from kg/data, vis-network from pyvis, data as JSON."""
    vis_js, vis_css = _vis_assets()
    template = (DATA_DIR / "report.html").read_text("utf-8")
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # inside <script>, '</' would end the element and '<!--' change how it is parsed: JSON may
    # spell any character as \\uXXXX, so none of < > & reaches the HTML parser (as Django's json_script)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    parts = {
        "title": html.escape(title),
        "style": (DATA_DIR / "report.css").read_text("utf-8"),
        "vis_css": vis_css,
        "vis_js": vis_js.replace("</script", "<\\/script"),
        "data": payload,
        "script": (DATA_DIR / "report.js").read_text("utf-8"),
    }
    # one pass, so a placeholder inside inserted text is never replaced again
    return re.sub(r"\{\{(\w+)\}\}", lambda m: parts[m.group(1)], template)


def write_report(store: ox.Store, output: Path, *, title: str = "kg report") -> ReportSummary:
    """Write the report of `store` to `output`.

    >>> import tempfile, pyoxigraph as ox
    >>> write_report(ox.Store(), Path(tempfile.mkdtemp()) / "r.html")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: the store holds no documents: run `kg build` first
    """
    data = gather(store)
    data["map"] = base_map(data["entities"])
    page = render(data, title=title)
    output = Path(output)
    tmp = output.with_name(output.name + ".tmp")
    try:
        tmp.write_text(page, "utf-8")
        tmp.replace(output)  # a reader never sees half a page
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"{output}: cannot write ({exc.strerror or exc})") from exc
    located = sum(1 for e in data["entities"] if "geo" in e)
    places = sum(1 for e in data["entities"] if e["kind"] == "Place")
    return ReportSummary(path=output, bytes=len(page.encode("utf-8")), entities=len(data["entities"]), claims=len(data["claims"]),
                         located=located, unlocated=places - located, dated=sum(1 for c in data["claims"] if c["date"]))


__all__ = ["gather", "render", "write_report", "ReportSummary"]
