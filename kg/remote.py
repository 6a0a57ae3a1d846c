"""A remote SPARQL 1.1 server as the store: graphs written over the Graph Store Protocol, read
over the SPARQL Protocol, so `kg build --endpoint` and `kg query --endpoint` work against
Oxigraph's server, Apache Jena Fuseki, GraphDB or any server that speaks both.

Only the few store operations a build and a query need are provided, with the names pyoxigraph's
Store uses, so the pipeline does not care which one it writes to.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import QueryError, StoreError

TIMEOUT = 120


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    graph_store: str

    @classmethod
    def from_base(cls, base: str, *, query: str | None = None, update: str | None = None,
                  graph_store: str | None = None) -> "Endpoints":
        """Oxigraph's layout by default: BASE/query, BASE/update, BASE/store; each can be given
        whole for servers laid out otherwise (Fuseki, GraphDB, QLever: see the README).

        >>> Endpoints.from_base("http://127.0.0.1:7878/").graph_store
        'http://127.0.0.1:7878/store'
        """
        base = base.rstrip("/")
        for url in (base, query, update, graph_store):
            if url is not None and not url.startswith(("http://", "https://")):
                raise StoreError(f"{url}: an endpoint is an http:// or https:// URL")
        return cls(query or f"{base}/query", update or f"{base}/update", graph_store or f"{base}/store")


class _Term:
    """A result value with the `.value` attribute pyoxigraph terms have."""

    __slots__ = ("value", "kind")

    def __init__(self, value: str, kind: str):
        self.value = value
        self.kind = kind

    def __str__(self) -> str:
        return self.value


class RemoteSolutions:
    def __init__(self, variables: list[str], rows: list[dict[str, _Term]]):
        self.variables = [ox.Variable(v) for v in variables]
        self._rows = rows

    def __iter__(self):
        return iter(self._rows)


class RemoteStore:
    def __init__(self, endpoints: Endpoints):
        self.endpoints = endpoints

    # ---------------------------------------------------------------- HTTP

    def _request(self, url: str, *, data: bytes | None = None, method: str = "GET", headers: dict | None = None) -> bytes:
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
                return resp.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            message = f"{url}: HTTP {exc.code} {exc.reason}" + (f": {detail[0][:300]}" if detail else "")
            if exc.code == 400:
                raise QueryError(message) from None
            raise StoreError(message) from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"{url}: cannot reach the SPARQL server ({getattr(exc, 'reason', exc)})") from None

    def _graph_url(self, graph: ox.NamedNode) -> str:
        # a URL may already carry parameters of its own (QLever's access token)
        joiner = "&" if "?" in self.endpoints.graph_store else "?"
        return f"{self.endpoints.graph_store}{joiner}{urllib.parse.urlencode({'graph': graph.value})}"

    # ---------------------------------------------------------------- reading

    def query(self, sparql: str, *, use_default_graph_as_union: bool = True, substitutions: dict | None = None):
        """SELECT and ASK over the SPARQL Protocol. Parameters become a VALUES block at the top of
        the WHERE clause (bound before the patterns, as pyoxigraph's substitutions are), each
        value serialised as an RDF literal, so no value can change the query's text."""
        if substitutions:
            names = " ".join(f"?{v.value}" for v in substitutions)
            values = " ".join(str(t) for t in substitutions.values())
            where = re.search(r"\bWHERE\s*\{", sparql, re.IGNORECASE) or re.search(r"\{", sparql)
            if where is None:
                raise QueryError("a query with parameters needs a WHERE clause")
            sparql = f"{sparql[: where.end()]} VALUES ({names}) {{ ({values}) }} {sparql[where.end():]}"
        body = urllib.parse.urlencode({"query": sparql}).encode()
        raw = self._request(self.endpoints.query, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
        data = json.loads(raw)
        if "boolean" in data:
            return bool(data["boolean"])
        variables = data["head"]["vars"]
        rows = []
        for b in data["results"]["bindings"]:
            rows.append(_Row({k: _Term(v["value"], v["type"]) for k, v in b.items()}))
        return RemoteSolutions(variables, rows)

    def named_graphs(self):
        for row in self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            yield ox.NamedNode(row["g"].value)

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return bool(self.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))

    def quads_for_pattern(self, subject, predicate, obj, graph: ox.NamedNode):
        """The quads of one graph (fetched whole over the Graph Store Protocol), filtered."""
        try:
            raw = self._request(self._graph_url(graph), headers={"Accept": "application/n-triples"})
        except StoreError as exc:
            if "HTTP 404" in str(exc):
                return []
            raise
        out = []
        for t in ox.parse(raw, format=ox.RdfFormat.N_TRIPLES):
            if (subject is None or t.subject == subject) and (predicate is None or t.predicate == predicate) \
                    and (obj is None or t.object == obj):
                out.append(ox.Quad(t.subject, t.predicate, t.object, graph))
        return out

    def __len__(self) -> int:
        # kg writes only named graphs; a server's default graph may be their union, so it is not counted
        rows = list(self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"))
        return int(rows[0]["n"].value) if rows else 0

    # ---------------------------------------------------------------- writing

    def put_graph(self, graph: ox.NamedNode, triples: list[ox.Triple]) -> None:
        """Replace one graph in one request (Graph Store Protocol PUT)."""
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
        self._request(self._graph_url(graph), data=body, method="PUT", headers={"Content-Type": "application/n-triples"})

    def remove_graph(self, graph: ox.NamedNode) -> None:
        try:
            self._request(self._graph_url(graph), method="DELETE")
        except StoreError as exc:
            if "HTTP 404" not in str(exc):
                raise

    def update(self, sparql: str) -> None:
        body = urllib.parse.urlencode({"update": sparql}).encode()
        self._request(self.endpoints.update, data=body, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"})

    def flush(self) -> None:
        """Each request is already committed by the server."""


class _Row(dict):
    """A solution: `row["x"]` like pyoxigraph's, None for an unbound variable."""

    def __getitem__(self, key):
        if isinstance(key, ox.Variable):
            key = key.value
        return self.get(key)
