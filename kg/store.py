"""The on-disk Oxigraph store: one named graph per document, the ontology and the entities in
graphs of their own; queries; dumps in the usual RDF formats."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError, StoreError, StoreLockedError
from .resources import ONTOLOGY_FILE, read_text
from .terms import PREFIXES, ONTOLOGY_GRAPH, ONTOLOGY_IRI, RESOURCE

DEFAULT_STORE = Path(".kg/store")
DOC_GRAPH_PREFIX = str(RESOURCE["graph/doc/"])

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": getattr(ox.RdfFormat, "JSON_LD", None),
    "rdfxml": ox.RdfFormat.RDF_XML,
}
GRAPH_FORMATS = {"nquads", "trig"}
# resource IRIs hold slashes, which prefixed names would have to escape: they stay whole
EXPORT_PREFIXES = {k: v for k, v in PREFIXES.items() if k != "kgr"}


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text or "resource temporarily unavailable" in text or "already in use" in text


def open_store(path: Path, *, create: bool = False, read_only: bool = False) -> ox.Store:
    """Open the store at `path`; say clearly when it is missing or held by another process."""
    path = Path(path)
    if not create and not (path / "CURRENT").exists():
        raise StoreError(f"{path}: no kg store here; run 'kg build' first (or pass --store)")
    try:
        if create:
            path.mkdir(parents=True, exist_ok=True)
        if read_only:
            return ox.Store.read_only(str(path))
        return ox.Store(str(path))
    except OSError as exc:
        if _is_lock_error(exc):
            raise StoreLockedError(f"{path}: store in use by another kg process; wait for it to finish and try again") from None
        raise StoreError(f"{path}: cannot open the store ({exc})") from None


@contextmanager
def opened(path: Path, *, create: bool = False, read_only: bool = False):
    store = open_store(path, create=create, read_only=read_only)
    try:
        yield store
    finally:
        if not read_only:
            store.flush()
        del store


def skolemize(quads: Iterable[ox.Quad], base: str) -> list[ox.Quad]:
    """Blank nodes become IRIs numbered in document order, so loads repeat byte for byte."""
    names: dict[ox.BlankNode, ox.NamedNode] = {}

    def fix(term):
        if isinstance(term, ox.BlankNode):
            if term not in names:
                names[term] = ox.NamedNode(f"{base}/.well-known/genid/{len(names) + 1}")
            return names[term]
        return term

    return [ox.Quad(fix(q.subject), q.predicate, fix(q.object), q.graph_name) for q in quads]


def load_ontology(store: ox.Store) -> None:
    graph = ox.NamedNode(str(ONTOLOGY_GRAPH))
    quads = ox.parse(read_text(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE)
    replace_graph(store, graph, skolemize(quads, ONTOLOGY_IRI))


def _is_remote(store) -> bool:
    """A kg.remote.RemoteStore: graphs are written whole, over the Graph Store Protocol."""
    return hasattr(store, "put_graph")


def _triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


def _insert_data(graph: ox.NamedNode, triples: list[ox.Triple]) -> str:
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8") if triples else ""
    return f"INSERT DATA {{ GRAPH {graph} {{\n{body}}} }}"


def replace_graph(store: ox.Store, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> None:
    """Swap a graph's content for new quads in one transaction: a build killed at any moment
    leaves each graph either as it was or as it should be, never half written."""
    triples = _triples(quads)
    if _is_remote(store):  # one Graph Store Protocol PUT
        store.put_graph(graph, triples)
        return
    store.update(f"DROP SILENT GRAPH {graph} ; CREATE SILENT GRAPH {graph} ; {_insert_data(graph, triples)}")


def update_subjects(store: ox.Store, graph: ox.NamedNode, subjects: set[str], quads: list[ox.Quad]) -> None:
    """Replace what one graph says about some subjects, in one transaction (one SPARQL update):
    a rebuild that changed a few entities rewrites those, not the whole entities graph."""
    if _is_remote(store):  # the whole graph again, in one PUT
        keep = [q for q in store.quads_for_pattern(None, None, None, graph) if q.subject.value not in subjects]
        store.put_graph(graph, _triples(keep + quads))
        return
    deletes = " ; ".join(f"DELETE WHERE {{ GRAPH {graph} {{ {ox.NamedNode(s)} ?p ?o }} }}" for s in sorted(subjects))
    store.update(f"{deletes} ; {_insert_data(graph, _triples(quads))}")


def add_graphs(store: ox.Store, graphs: dict[ox.NamedNode, list[ox.Quad]]) -> None:
    """Write graphs the store does not hold yet, in one bulk load.

    A bulk load is not one transaction, but nothing reads these graphs as finished until the
    build's manifest is saved; a build killed before that rewrites every graph next time.
    """
    if not graphs:
        return
    if _is_remote(store):
        for graph, quads in graphs.items():
            replace_graph(store, graph, quads)
        return
    for graph in graphs:  # a document that states nothing still has its (empty) graph
        store.add_graph(graph)
    store.bulk_extend(q for quads in graphs.values() for q in quads)  # each quad already names its graph


@contextmanager
def target(path: Path, endpoint=None):
    """The store a build writes to: the embedded one at `path`, or a remote server."""
    if endpoint is not None:
        from .remote import RemoteStore

        yield RemoteStore(endpoint)
        return
    with opened(path, create=True) as store:
        yield store


def document_graphs(store: ox.Store) -> dict[str, ox.NamedNode]:
    """Document id -> named graph, for every document the store holds."""
    out = {}
    for g in store.named_graphs():
        if isinstance(g, ox.NamedNode) and g.value.startswith(DOC_GRAPH_PREFIX):
            out[g.value[len(DOC_GRAPH_PREFIX):]] = g
    return dict(sorted(out.items()))


def _syntax_message(exc: SyntaxError) -> str:
    """'error at 3:2: expected OPTIONAL' -> 'line 3, column 2: expected OPTIONAL'."""
    text = str(exc)
    if m := re.match(r"error at (\d+):(\d+)(?:-\d+:\d+)?: (.*)", text, re.DOTALL):
        return f"line {m.group(1)}, column {m.group(2)}: {m.group(3)}"
    return text


def run_update(store: ox.Store, sparql: str) -> None:
    """Run a SPARQL UPDATE (only when the user asked for it with --update)."""
    try:
        store.update(sparql)
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL update at {_syntax_message(exc)}") from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"update failed: {exc}") from None


def query(store: ox.Store, sparql: str, *, substitutions: dict | None = None):
    """Run a read-only SPARQL query over the union of all graphs."""
    try:
        return store.query(sparql, use_default_graph_as_union=True, substitutions=substitutions or None)
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL at {_syntax_message(exc)}") from None
    except RuntimeError as exc:
        if "projection" in str(exc):
            raise QueryError(f"unknown parameter for this query ({exc})") from None
        raise QueryError(f"query failed: {exc}") from None
    except (OSError, ValueError, TypeError) as exc:
        raise QueryError(f"query failed: {exc}") from None


def dump(store: ox.Store, fmt: str, *, graph: ox.NamedNode | None = None) -> bytes:
    """Serialise the store (or one graph). Dumps are sorted so the same graph gives the same bytes."""
    if fmt not in FORMATS or FORMATS[fmt] is None:
        raise QueryError(f"unknown format {fmt!r}; choose from {', '.join(k for k, v in FORMATS.items() if v)}")
    quads = list(store.quads_for_pattern(None, None, None, graph))
    quads.sort(key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
    rdf_format = FORMATS[fmt]
    out = io.BytesIO()
    if fmt in GRAPH_FORMATS:
        ox.serialize(quads, out, rdf_format, prefixes=EXPORT_PREFIXES if fmt == "trig" else None)
    else:
        # triples formats hold one graph: the union, with duplicates across graphs merged
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
        kwargs = {"prefixes": EXPORT_PREFIXES} if fmt in ("turtle", "rdfxml", "jsonld") else {}
        ox.serialize(triples, out, rdf_format, **kwargs)
    return out.getvalue()
